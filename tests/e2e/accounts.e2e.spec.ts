import Database from 'better-sqlite3';
import { loadConfig } from '@banli/platform';
import { addUser } from '../../apps/standalone/src/user-add';
import { people, StandaloneHarness } from './standalone.harness';

const PASSWORD = 'Xq7-rivers-over-4-hills';

/** Local accounts and the console's session cookie: Argon2id passwords, HttpOnly SameSite=Strict cookie, CSRF on writes, lockout. */
describe('local accounts and console sessions', () => {
  const h = new StandaloneHarness();
  const admin = async () => `Bearer ${await people.office()}`;
  const signIn = (username: string, password: string) => h.http().post('/api/v1/session').send({ username, password });
  const cookieOf = (res: { headers: Record<string, unknown> }) => String((res.headers['set-cookie'] as string[])[0]).split(';')[0];

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-10 09:00');
    await h.http().put('/api/v1/units/u-edu').set('authorization', await admin()).send({ name: '区教育局' }).expect(200);
  });
  afterAll(() => h.stop());

  it('an admin creates a user; the password is kept only as an Argon2id hash and never answered', async () => {
    const res = await h.http().put('/api/v1/users/zhang').set('authorization', await admin()).send({ name: '张办事员', roles: ['office'], password: PASSWORD }).expect(201);
    expect(res.body).toEqual({ id: 'zhang', name: '张办事员', roles: ['office'], updatedAt: expect.any(String) });
    expect(JSON.stringify((await h.http().get('/api/v1/users').set('authorization', await admin()).expect(200)).body)).not.toMatch(/argon2|Xq7/);
    const db = new Database(`${h.dataDir}/accounts.db`, { readonly: true });
    expect(db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get('zhang')).toMatch(/^\$argon2id\$v=19\$/);
    db.close();
  });

  it('refuses what is not a user: a non-admin, a weak password, a handler without a unit, a new user without a password, an unknown role', async () => {
    const put = async (id: string, body: object, who = admin()) => (await h.http().put(`/api/v1/users/${id}`).set('authorization', await who).send(body)).body;
    expect((await put('li', { name: '李', roles: ['office'], password: PASSWORD }, people.handler('u-edu').then((t) => `Bearer ${t}`))).code).toBe('FORBIDDEN');
    expect((await put('li', { name: '李', roles: ['office'], password: 'short' })).code).toBe('WEAK_PASSWORD');
    expect((await put('li', { name: '李', roles: ['office'], password: 'qwertyuiop123456' })).code).toBe('WEAK_PASSWORD');
    expect((await put('li', { name: '李', roles: ['handler'], password: PASSWORD })).code).toBe('UNIT_REQUIRED');
    expect((await put('li', { name: '李', roles: ['office'] })).code).toBe('PASSWORD_REQUIRED');
    expect((await put('li', { name: '李', roles: ['system'], password: PASSWORD })).code).toBe('VALIDATION_FAILED');
    expect((await put('li 2', { name: '李', roles: ['office'], password: PASSWORD })).code).toBe('VALIDATION_FAILED');
    expect((await h.http().get('/api/v1/users').set('authorization', await admin())).body.map((u: { id: string }) => u.id)).toEqual(['zhang']);
  });

  it('signs in with a session cookie (HttpOnly, SameSite=Strict, no token in the body); reads pass, writes need the CSRF token', async () => {
    const res = await signIn('zhang', PASSWORD).expect(200);
    const setCookie = String((res.headers['set-cookie'] as unknown as string[])[0]);
    expect(setCookie).toMatch(/^banli_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(res.body).toEqual({ user: expect.objectContaining({ id: 'zhang', roles: ['office'] }), csrfToken: expect.any(String), expiresAt: expect.any(String) });
    const cookie = cookieOf(res);
    expect((await h.http().get('/api/v1/session').set('cookie', cookie).expect(200)).body).toEqual({ user: { id: 'zhang', name: '张办事员', roles: ['office'] }, csrfToken: res.body.csrfToken });
    await h.http().get('/api/v1/proposals').set('cookie', cookie).expect(200);
    const item = { number: '001', session: '七届三次', kind: 'npc-suggestion', title: '关于校园安全的建议', body: '建议……', proposers: [{ id: 'dep-1', name: '代表甲', lead: true }] };
    expect((await h.http().post('/api/v1/proposals').set('cookie', cookie).send(item).expect(403)).body.code).toBe('CSRF_TOKEN_INVALID');
    expect((await h.http().post('/api/v1/proposals').set('cookie', cookie).set('x-csrf-token', 'forged').send(item).expect(403)).body.code).toBe('CSRF_TOKEN_INVALID');
    expect((await h.http().get('/api/v1/proposals').set('authorization', await admin()).expect(200)).body.total ?? 0).toBe(0);
    const created = await h.http().post('/api/v1/proposals').set('cookie', cookie).set('x-csrf-token', res.body.csrfToken).send(item).expect(201);
    // The history names the account that acted.
    const history = await h.http().get(`/api/v1/proposals/${created.body.id}/history`).set('authorization', await admin()).expect(200);
    expect(JSON.stringify(history.body)).toContain('zhang');
  });

  it('a wrong password or an unknown name answers the same 401; after five failures the name is locked (429, Retry-After), a good password too', async () => {
    await h.http().put('/api/v1/users/wang').set('authorization', await admin()).send({ name: '王', roles: ['auditor'], password: PASSWORD }).expect(201);
    const unknown = await signIn('nobody', PASSWORD).expect(401);
    const wrong = await signIn('wang', 'not-the-password').expect(401);
    expect([unknown.body.code, wrong.body.code]).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    for (let i = 0; i < 4; i++) await signIn('wang', 'not-the-password').expect(401);
    const locked = await signIn('wang', PASSWORD).expect(429);
    expect(locked.body.code).toBe('SIGN_IN_LOCKED');
    expect(locked.headers['retry-after']).toBe('60');
    h.now += 61_000;
    await signIn('wang', PASSWORD).expect(200);
  });

  it('a handler’s unit must be in the directory, and the last local admin keeps the role', async () => {
    const token = await admin();
    const put = (id: string, body: object) => h.http().put(`/api/v1/users/${id}`).set('authorization', token).send(body);
    const typo = await put('zhao', { name: '赵', roles: ['handler'], unit: 'u-eud', password: PASSWORD }).expect(422);
    expect([typo.body.code, typo.body.field]).toEqual(['UNKNOWN_UNIT', 'unit']);
    await put('zhao', { name: '赵', roles: ['handler'], unit: 'u-edu', password: PASSWORD }).expect(201);
    await put('boss', { name: '管理员', roles: ['admin', 'office'], password: PASSWORD }).expect(201);
    expect((await put('boss', { name: '管理员', roles: ['office'] }).expect(409)).body.code).toBe('LAST_ADMIN');
    await put('deputy-admin', { name: '副管理员', roles: ['admin'], password: PASSWORD }).expect(201);
    await put('boss', { name: '管理员', roles: ['office'] }).expect(200);
  });

  it('guesses sent all at once meet the lock as guesses sent one by one: at most five are checked, the rest answer 429', async () => {
    await h.http().put('/api/v1/users/racer').set('authorization', await admin()).send({ name: '赛', roles: ['auditor'], password: PASSWORD }).expect(201);
    const answers = await Promise.all([...Array.from({ length: 40 }, (_, i) => signIn('racer', `wrong-${i}`)), signIn('racer', PASSWORD)]);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    expect(statuses.at(-1)).toBe(429);
    h.now += 16 * 60_000;
    await signIn('racer', PASSWORD).expect(200);
  });

  it('signing out ends the session on the server; sessions expire when idle and after their lifetime; a new password ends them', async () => {
    h.at('2025-03-11 09:00');
    const first = await signIn('zhang', PASSWORD).expect(200);
    const cookie = cookieOf(first);
    expect((await h.http().delete('/api/v1/session').set('cookie', cookie).expect(403)).body.code).toBe('CSRF_TOKEN_INVALID');
    const out = await h.http().delete('/api/v1/session').set('cookie', cookie).set('x-csrf-token', first.body.csrfToken).expect(204);
    expect(String((out.headers['set-cookie'] as unknown as string[])[0])).toMatch(/^banli_session=; .*Max-Age=0/);
    expect((await h.http().get('/api/v1/session').set('cookie', cookie).expect(401)).body.code).toBe('SESSION_EXPIRED');

    const idle = cookieOf(await signIn('zhang', PASSWORD).expect(200));
    h.now += 29 * 60_000;
    await h.http().get('/api/v1/session').set('cookie', idle).expect(200);
    h.now += 31 * 60_000;
    expect((await h.http().get('/api/v1/session').set('cookie', idle).expect(401)).body.code).toBe('SESSION_EXPIRED');

    const busy = cookieOf(await signIn('zhang', PASSWORD).expect(200));
    for (let i = 0; i < 16; i++) {
      h.now += 29 * 60_000;
      await h.http().get('/api/v1/session').set('cookie', busy).expect(200);
    }
    h.now += 29 * 60_000; // 8 h 12 min after sign-in: past its lifetime, used or not
    await h.http().get('/api/v1/session').set('cookie', busy).expect(401);

    const before = cookieOf(await signIn('zhang', PASSWORD).expect(200));
    await h.http().put('/api/v1/users/zhang').set('authorization', await admin()).send({ name: '张办事员', roles: ['office'], password: 'another-long-river-9' }).expect(200);
    await h.http().get('/api/v1/session').set('cookie', before).expect(401);
    await signIn('zhang', PASSWORD).expect(401);
    await signIn('zhang', 'another-long-river-9').expect(200);
  });

  it('a bearer token still works beside cookies, and a request with neither is 401', async () => {
    expect((await h.http().get('/api/v1/session').set('authorization', await admin()).expect(200)).body).toEqual({ user: expect.objectContaining({ id: 'clerk-1' }) });
    expect((await h.http().get('/api/v1/proposals').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await h.http().post('/api/v1/session').send({ username: 'zhang' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('`banli user add` writes the first admin into the running service’s data directory and prints a generated password once', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) };
    const config = loadConfig({ BANLI_DATA_DIR: h.dataDir, BANLI_JWT_SECRET: 'e2e-secret-that-is-at-least-32-characters-long' });
    expect(await addUser(config, { id: 'root', roles: 'admin,office', passwordFromStdin: false }, io)).toBe(0);
    const password = /password \(shown once, sign in at \/login\): (\S+)$/.exec(lines[1])![1];
    expect((await signIn('root', password).expect(200)).body.user).toMatchObject({ id: 'root', roles: ['admin', 'office'] });
    expect(await addUser(config, { id: 'x', roles: 'admin,root', passwordFromStdin: false }, io)).toBe(2);
    expect(lines.at(-1)).toMatch(/^ERR --roles takes one or more of .*; unknown: root$/);
  });
});
