import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from '@banli/platform';
import { people, StandaloneHarness } from './standalone.harness';

const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
const item = (number: string, title: string, kind = 'cppcc-proposal') => ({ kind, session: '七届三次', number, title, body: `${title}……`, proposers: [{ id: 'member-liu-anze', name: '刘安泽', lead: true }] });

/** What the console asks of the API: what the caller may do on an item, the list's filters and sorts, days left, and the console served beside the API. */
describe('the API the console reads', () => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'banli-console-build-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>办理</title><div id="app"></div><script type="module" src="/assets/app-1a2b.js"></script></html>');
  writeFileSync(join(consoleDir, 'assets', 'app-1a2b.js'), 'console.log("banli")');
  const h = new StandaloneHarness({ BANLI_CONSOLE_DIR: consoleDir });
  const ids: Record<string, string> = {};
  const office = () => bearer(people.office());

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-03 09:00');
    for (const unit of ['ct-minzheng', 'ct-sifa']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', await office()).send({ name: unit }).expect(200);
    for (const [key, number, title] of [
      ['water', '第〔31〕号', '关于完善农村饮水安全工程的建议'],
      ['elder', '第〔42〕号', '关于增设社区养老服务站的建议'],
      ['percent', '第〔50〕号', '关于提高100%覆盖率的建议'],
      ['fresh', '第〔60〕号', '关于加强校园周边交通安全的建议'],
      ['nine', '第〔9〕号', '关于规范夜间施工噪声管理的建议'],
    ]) {
      ids[key] = (await h.http().post('/api/v1/proposals').set('authorization', await office()).send(item(number, title)).expect(201)).body.id;
    }
    h.at('2025-03-10 10:00');
    for (const key of ['water', 'elder', 'percent']) {
      await h.http().post(`/api/v1/proposals/${ids[key]}/registration`).set('authorization', await office()).send({ decision: 'accepted' }).expect(200);
      await h.http().post(`/api/v1/proposals/${ids[key]}/assignment`).set('authorization', await office()).send({ mode: 'lead-with-co', leadUnits: ['ct-minzheng'], coUnits: key === 'water' ? ['ct-sifa'] : [], ruleSet: 'sc-gov-2024' }).expect(200);
    }
    await h.http().post(`/api/v1/proposals/${ids.elder}/acknowledgements`).set('authorization', await bearer(people.handler('ct-minzheng'))).send({}).expect(200);
    await h.settled();
  });
  afterAll(async () => {
    await h.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('the item answer says what this caller may do now, and nothing as of a past date', async () => {
    const get = async (id: string, who: Promise<string>, query = '') => (await h.http().get(`/api/v1/proposals/${id}${query}`).set('authorization', await bearer(who)).expect(200)).body;
    expect((await get(ids.fresh, people.office())).allowedActions).toEqual([{ command: 'RegisterProposal' }]);
    const handler = (await get(ids.water, people.handler('ct-minzheng'))).allowedActions.map((a: { command: string }) => a.command);
    expect(handler).toEqual(expect.arrayContaining(['AcknowledgeAssignment', 'RequestAdjustment', 'DraftReply', 'RecordContact']));
    expect(handler).not.toContain('SubmitCoOpinion');
    const co = await get(ids.water, people.handler('ct-sifa'));
    expect(co.allowedActions).toEqual(expect.arrayContaining([{ command: 'SubmitCoOpinion', unitId: 'ct-sifa' }]));
    expect(co.allowedActions.some((a: { command: string }) => a.command === 'DraftReply')).toBe(false);
    expect((await get(ids.water, people.auditor())).allowedActions).toEqual([]);
    expect((await get(ids.water, people.office(), `?asOf=${encodeURIComponent('2025-03-10T03:00:00Z')}`)).allowedActions).toEqual([]);
  });

  it('a deadline still owed carries the working days left on the calendar; a met one does not', async () => {
    const { deadlines } = (await h.http().get(`/api/v1/proposals/${ids.elder}`).set('authorization', await office()).expect(200)).body;
    const reply = deadlines.find((d: { kind: string }) => d.kind === 'reply');
    // Assigned 2025-03-10 under sc-gov-2024: five months to reply, more than a hundred working days away.
    expect(reply.state).toBe('open');
    expect(reply.workingDaysLeft).toBeGreaterThan(100);
    for (const d of deadlines.filter((x: { state: string }) => x.state === 'met')) expect(d.workingDaysLeft).toBeUndefined();
  });

  it('the list filters by kind, number, text taken literally, light, rating and what an item awaits, and sorts', async () => {
    const list = async (query: string, who = office()) => (await h.http().get(`/api/v1/proposals?${query}`).set('authorization', await who).expect(200)).body;
    const titles = (body: { items: { title: string }[] }) => body.items.map((i) => i.title);
    expect((await list('kind=npc-suggestion')).total).toBe(0);
    expect(titles(await list(`number=${encodeURIComponent('第〔4')}`))).toEqual(['关于增设社区养老服务站的建议']);
    expect(titles(await list(`q=${encodeURIComponent('养老')}`))).toEqual(['关于增设社区养老服务站的建议']);
    // `%` and `_` are the caller's characters, not wildcards.
    expect(titles(await list(`q=${encodeURIComponent('100%')}`))).toEqual(['关于提高100%覆盖率的建议']);
    expect((await list(`q=${encodeURIComponent('%')}`)).total).toBe(1);
    expect((await list('q=_')).total).toBe(0);
    expect((await list('light=green')).total).toBe(3);
    expect((await list('light=red')).total).toBe(0);
    expect((await list('rating=unrated')).total).toBe(5);
    expect(titles(await list('awaiting=acknowledgement', bearer(people.handler('ct-minzheng')))).sort()).toEqual(['关于完善农村饮水安全工程的建议', '关于提高100%覆盖率的建议'].sort());
    expect(titles(await list('awaiting=acknowledgement&unit=ct-sifa'))).toEqual(['关于完善农村饮水安全工程的建议']);
    // Numbers sort by their digits, not as text: 第〔9〕号 before 第〔31〕号.
    expect((await list('sort=number')).items.map((i: { number: string }) => i.number)).toEqual(['第〔9〕号', '第〔31〕号', '第〔42〕号', '第〔50〕号', '第〔60〕号']);
    // Items owing nothing go last.
    expect(titles(await list('sort=due')).slice(-2).sort()).toEqual(['关于加强校园周边交通安全的建议', '关于规范夜间施工噪声管理的建议'].sort());
    const row = (await list('q=' + encodeURIComponent('养老'))).items[0];
    expect(row).toMatchObject({ light: 'green', owedDueAt: expect.any(String), overdue: false });
    h.at('2026-03-10 10:00');
    expect((await list('light=red')).total).toBe(3);
    h.at('2025-03-10 10:00');
  });

  it('a proposer lists its own items without the others’ ratings or the units’ stages, and its queue is its own rating', async () => {
    const liu = bearer(people.proposer('member-liu-anze'));
    const mine = (await h.http().get('/api/v1/proposals').set('authorization', await liu).expect(200)).body;
    expect(mine.total).toBe(5);
    for (const row of mine.items) expect(row).not.toHaveProperty('rating');
    for (const query of ['rating=satisfied', 'awaiting=signature', 'awaiting=acknowledgement']) {
      expect([query, (await h.http().get(`/api/v1/proposals?${query}`).set('authorization', await liu)).body.code]).toEqual([query, 'FORBIDDEN']);
    }
    expect((await h.http().get('/api/v1/proposals?awaiting=rating').set('authorization', await liu).expect(200)).body.total).toBe(0);
  });

  it('refuses a filter it does not know with a 400 naming it, never a 500', async () => {
    for (const query of ['light=blue', 'rating=happy', 'sort=title', 'awaiting=coffee', 'kind=petition', `q=${'长'.repeat(101)}`]) {
      const res = await h.http().get(`/api/v1/proposals?${query}`).set('authorization', await office());
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });

  it('the console is served at / and on its routes with the security headers; the API, /health and /metrics keep their own answers', async () => {
    for (const path of ['/', '/login', '/items/pp-123', '/items?status=assigned']) {
      const res = await h.http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="app">');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    const asset = await h.http().get('/assets/app-1a2b.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await h.http().get('/assets/nothing.js').expect(404);
    const api = await h.http().get('/api/v1/no-such-route').set('authorization', await office()).expect(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    await h.http().get('/api/v1').expect(404);
    expect((await h.http().get('/health').expect(200)).headers['content-type']).toMatch(/json/);
    expect((await h.http().get('/metrics').expect(200)).text).toMatch(/^# (HELP|TYPE)/m);
  });

  it('the OpenAPI document the console is typed from leaves If-Match and asOf optional, as they are', async () => {
    const document = openApiDocument(h.app, 'standalone');
    const assign = document.paths['/api/v1/proposals/{id}/assignment'].post!;
    expect(assign.parameters!.find((p) => 'name' in p && p.name === 'if-match')).toMatchObject({ in: 'header', required: false });
    const get = document.paths['/api/v1/proposals/{id}'].get!;
    expect(get.parameters!.find((p) => 'name' in p && p.name === 'asOf')).toMatchObject({ in: 'query', required: false });
    expect(document.paths['/api/v1/proposals'].get!.parameters!.map((p) => ('name' in p ? p.name : ''))).toEqual(expect.arrayContaining(['kind', 'number', 'light', 'rating', 'q', 'sort', 'awaiting']));
  });

  it('the office imports items from the console as banli import does: each line recorded whole or refused with its reason, a repeat left as it is', async () => {
    const line = (number: string, steps: object[] = []) =>
      JSON.stringify({ submit: { kind: 'cppcc-proposal', session: '六届五次', number, title: `旧系统的提案${number}`, body: '……', proposers: [{ id: 'member-old', name: '旧委员', lead: true }] }, submittedAt: '2024-01-10T02:00:00Z', steps });
    const good = line('7', [{ command: 'RegisterProposal', data: { decision: 'accepted' }, occurredAt: '2024-01-12T02:00:00Z' }]);
    const bad = line('8', [{ command: 'AssignProposal', data: { mode: 'lead-with-co', leadUnits: ['no-such-unit'] }, occurredAt: '2024-01-15T02:00:00Z' }]);
    const clerk = await office();
    const post = (lines: unknown, auth = clerk) => h.http().post('/api/v1/imports').set('authorization', auth).send({ lines });
    const first = (await post(`${good}\n${bad}\nnot json\n`).expect(200)).body;
    expect([first.imported, first.skipped, first.refused]).toEqual([1, 0, 2]);
    expect(first.outcomes[0]).toMatchObject({ line: 1, outcome: 'imported', status: 'accepted' });
    expect(first.outcomes[1]).toMatchObject({ line: 2, outcome: 'refused', code: 'UNKNOWN_UNIT' });
    expect(first.outcomes[2]).toMatchObject({ line: 3, outcome: 'refused' });
    const again = (await post(good).expect(200)).body;
    expect([again.imported, again.skipped, again.refused]).toEqual([0, 1, 0]);
    await h.settled();
    const listed = (await h.http().get(`/api/v1/proposals?session=${encodeURIComponent('六届五次')}`).set('authorization', await office()).expect(200)).body;
    expect(listed.items.map((i: { number: string }) => i.number)).toEqual(['7']);
    expect((await post(good, await bearer(people.handler('ct-minzheng'))).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await post(['a']).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
