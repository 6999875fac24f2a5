import { builtInRuleSets, ChineseDaysCalendar, command, decide, fold, proposalStreamId } from '@banli/domain';
import { toRecorded } from '@banli/application';
import { SqliteEventStore, type StoredEvent } from '@banli/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actors, sh, type Story } from '../../../domain/src/testing/decider-spec';
import { accepted, assigned, dispatched, ITEM, LEAD, signed } from '../../../domain/src/testing/lifecycle.fixture';
import { DeadlineScheduler } from './deadline-scheduler';

const REPLY = 'reply:u-edu:1';
const REPLY_DUE = Date.parse('2025-06-10T16:00:00.000Z');
const calendar = new ChineseDaysCalendar();
const ruleSets = builtInRuleSets();

describe('DeadlineScheduler', () => {
  let dir: string;
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const setNow = (instant: string | number) => (offset = (typeof instant === 'number' ? instant : Date.parse(instant)) - Date.now());
  const opened: { stop(): Promise<void> }[] = [];
  const store = () => {
    const s = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 10, clock });
    opened.push({ stop: () => s.close() });
    return s;
  };
  const scheduler = async (s = store()) => {
    const scheduler = new DeadlineScheduler({ store: s, calendar, ruleSets, clock });
    opened.unshift({ stop: () => scheduler.stop() });
    await scheduler.start();
    return scheduler;
  };
  /** Writes a story's events as the store would have recorded them, at the spec's clock. */
  async function write(story: Story): Promise<void> {
    const s = new SqliteEventStore({ file: join(dir, 'events.db'), clock });
    await s.append(proposalStreamId(ITEM.proposalId), story.toAppend(), 'no-stream');
    await s.close();
  }
  async function events(): Promise<StoredEvent[]> {
    const s = new SqliteEventStore({ file: join(dir, 'events.db') });
    const all = await s.readStream(proposalStreamId(ITEM.proposalId));
    await s.close();
    return all;
  }
  const of = (all: StoredEvent[], type: string, deadlineId?: string) => all.filter((e) => e.type === type && (deadlineId === undefined || (e.data as { deadlineId: string }).deadlineId === deadlineId));
  async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'banli-scheduler-'));
    offset = 0;
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires a deadline within 1 s of its instant, recorded as occurring at that instant', async () => {
    setNow(REPLY_DUE - 1000); // the reply falls due in one real second
    await write(assigned());
    await scheduler();
    await until(async () => of(await events(), 'DeadlineBreached', REPLY).length === 1, 4000);
    const [breach] = of(await events(), 'DeadlineBreached', REPLY);
    expect(breach.occurredAt).toBe('2025-06-10T16:00:00.000Z');
    const lag = Date.parse(breach.recordedAt) - REPLY_DUE;
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(1000);
    // The first rung of its ladder (the supervising units) is due at the breach itself.
    await until(async () => of(await events(), 'Escalated', REPLY).length === 1);
    expect(of(await events(), 'Escalated', REPLY)[0].data).toMatchObject({ rung: 1, to: 'supervising-units', recipients: ['u-gov-office'] });
    // Warned earlier, at the start of its fifth-last working day.
    expect(of(await events(), 'DeadlineApproaching', REPLY)[0].occurredAt).toBe('2025-06-03T16:00:00.000Z');
  });

  it('breaches a back-dated item’s past deadlines at once, each at the instant it fell due', async () => {
    setNow('2025-09-01T02:00:00.000Z');
    await write(assigned());
    await scheduler();
    await until(async () => of(await events(), 'DeadlineBreached').length === 7);
    const breaches = of(await events(), 'DeadlineBreached');
    expect(breaches.map((b) => [(b.data as { deadlineId: string }).deadlineId, b.occurredAt]).sort()).toEqual(
      [
        ['adjustment-window:u-civil:1', '2025-03-24T16:00:00.000Z'],
        ['adjustment-window:u-edu:1', '2025-03-24T16:00:00.000Z'],
        ['adjustment-window:u-health:1', '2025-03-24T16:00:00.000Z'],
        ['co-opinion:u-civil:1', '2025-04-22T16:00:00.000Z'],
        ['co-opinion:u-health:1', '2025-04-22T16:00:00.000Z'],
        ['first-contact:u-edu:1', '2025-04-08T16:00:00.000Z'],
        [REPLY, '2025-06-10T16:00:00.000Z'],
      ].sort(),
    );
    // Both rungs of the reply's ladder are past too: the leading official is told as well.
    await until(async () => of(await events(), 'Escalated', REPLY).length === 2);
  });

  it('after a restart between the due time and the firing, fires once', async () => {
    setNow(REPLY_DUE - 60_000);
    await write(assigned());
    const first = await scheduler();
    await first.stop();
    setNow(REPLY_DUE + 60_000); // down while it fell due
    const second = await scheduler();
    await until(async () => of(await events(), 'DeadlineBreached', REPLY).length === 1);
    await second.idle();
    await second.stop();
    await scheduler(); // and once more: nothing new
    await new Promise((r) => setTimeout(r, 300));
    expect(of(await events(), 'DeadlineBreached', REPLY)).toHaveLength(1);
    expect(of(await events(), 'Escalated', REPLY)).toHaveLength(1);
  });

  it('two schedulers on one store fire each rung once between them', async () => {
    setNow('2025-09-01T02:00:00.000Z');
    await write(assigned());
    const [a, b] = await Promise.all([scheduler(store()), scheduler(store())]);
    await until(async () => of(await events(), 'Escalated').length >= 2);
    await Promise.all([a.idle(), b.idle()]);
    await new Promise((r) => setTimeout(r, 300));
    const all = await events();
    const ids = all.filter((e) => ['DeadlineBreached', 'Escalated', 'DeadlineApproaching'].includes(e.type)).map((e) => `${e.type} ${JSON.stringify(e.data)}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(of(all, 'DeadlineBreached')).toHaveLength(7);
    expect(of(all, 'Escalated', REPLY).map((e) => (e.data as { rung: number }).rung)).toEqual([1, 2]);
  });

  it('never breaches a deadline that was met', async () => {
    setNow('2025-09-01T02:00:00.000Z');
    await write(dispatched()); // the reply went out on 2025-05-22, before it fell due; the co-opinions came in time
    const s = await scheduler();
    await until(async () => of(await events(), 'DeadlineBreached').length >= 5);
    await s.idle();
    await new Promise((r) => setTimeout(r, 300));
    // What was still owed breaches; the reply and the co-opinions, met, do not.
    expect(of(await events(), 'DeadlineBreached').map((e) => (e.data as { deadlineId: string }).deadlineId).sort()).toEqual([
      'adjustment-window:u-civil:1',
      'adjustment-window:u-edu:1',
      'adjustment-window:u-health:1',
      'evaluation:u-edu:1',
      'first-contact:u-edu:1',
    ]);
  });

  it('moves with an approved extension', async () => {
    const story = accepted();
    story.run('AssignProposal', { mode: 'lead-with-co', leadUnits: [LEAD], ruleSet: 'sh-npc-2015' }, { actor: actors.office, now: sh('2025-03-10 10:00') });
    story.run('ExtendDeadline', { months: 2, reason: '涉及面广', consentedBy: '市人大常委会代表工作机构' }, { actor: actors.office, now: sh('2025-05-20 09:00') }); // due 2025-08-11
    setNow('2025-07-01T02:00:00.000Z'); // past the original due date, before the extended one
    await write(story);
    const s = await scheduler();
    await s.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(of(await events(), 'DeadlineBreached', REPLY)).toEqual([]);
    setNow('2025-08-12T02:00:00.000Z');
    s.nudge();
    await until(async () => of(await events(), 'DeadlineBreached', REPLY).length === 1);
    expect(of(await events(), 'DeadlineBreached', REPLY)[0].occurredAt).toBe('2025-08-11T16:00:00.000Z');
  });

  it('a breach decided ahead of its instant is not recorded when the reply goes out in the last seconds', async () => {
    setNow(REPLY_DUE - 4000);
    await write(signed()); // signed on 2025-05-21, not yet dispatched
    const s = await scheduler();
    // Its first turn breaches what is long past and, in the same turn, decides the reply's breach ahead.
    await until(async () => of(await events(), 'DeadlineBreached', 'first-contact:u-edu:1').length === 1);
    // Three seconds before midnight the reply is dispatched, through the decider as the service would.
    const writer = store();
    const stream = proposalStreamId(ITEM.proposalId);
    const before = await writer.readStream(stream);
    const now = new Date(REPLY_DUE - 3000).toISOString();
    const dispatch = decide(command('DispatchReply', { unitId: LEAD }), fold(before.map(toRecorded)), { now, actor: actors.handler(LEAD), calendar, ruleSets });
    await writer.append(stream, dispatch.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, occurredAt: now, actor: actors.handler(LEAD) })), before.length - 1);
    await new Promise((r) => setTimeout(r, 4500)); // past the instant
    await s.idle();
    const all = await events();
    expect(of(all, 'DeadlineMet', REPLY)).toHaveLength(1);
    expect(of(all, 'DeadlineBreached', REPLY)).toEqual([]);
    expect(of(all, 'Escalated', REPLY)).toEqual([]);
  }, 15_000);
});
