import { isSupervisionNotice, proposalStreamId } from '@banli/domain';
import { SqliteEventStore, type StoredEvent } from '@banli/event-store';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DistributedHarness, SERVICES, type Service } from './distributed.harness';
import { people } from './standalone.harness';

jest.setTimeout(240_000);

/** The distributed deployment on this machine: a real Kafka broker and the four services as processes. */
describe('the distributed deployment, over a real Kafka broker', () => {
  const h = new DistributedHarness();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (service: Service, method: string, path: string, who: Promise<string>, body?: object): Promise<any> => {
    const res = await fetch(h.url(service, path), {
      method,
      headers: { authorization: `Bearer ${await who}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await res.json().catch(() => undefined);
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const storeEvents = async (ids: string[]): Promise<StoredEvent[]> => {
    const store = new SqliteEventStore({ file: join(h.dataDir, 'events.db') });
    const events = (await Promise.all(ids.map((id) => store.readStream(proposalStreamId(id))))).flat();
    await store.close();
    return events;
  };
  const ids: string[] = [];

  /** One item from submission to closure, each command sent to the service that owns its route. */
  /** Submits, accepts and assigns an item (lead cq-edu, co-unit cq-health). */
  async function submitAndAssign(number: string): Promise<string> {
    const office = people.office();
    const { id } = await call('assignment', 'POST', '/proposals', office, {
      number,
      session: '六届三次',
      kind: 'npc-suggestion',
      title: '关于加强未成年人心理健康的建议',
      body: '建议……',
      proposers: [{ id: 'dep-tan', name: '谭理', lead: true }],
    });
    ids.push(id);
    await call('assignment', 'POST', `/proposals/${id}/registration`, office, { decision: 'accepted' });
    await call('assignment', 'POST', `/proposals/${id}/assignment`, office, { mode: 'lead-with-co', leadUnits: ['cq-edu'], coUnits: ['cq-health'] });
    return id;
  }

  async function lifecycle(number: string, until: 'closed' | 'dispatched' = 'closed'): Promise<string> {
    const office = people.office();
    const id = await submitAndAssign(number);
    await call('assignment', 'POST', `/proposals/${id}/acknowledgements`, people.handler('cq-edu'), {});
    await call('co-handling', 'POST', `/proposals/${id}/contacts`, people.handler('cq-edu'), { stage: 'before', channel: 'phone', summary: '电话沟通' });
    await call('co-handling', 'PUT', `/proposals/${id}/co-opinions/cq-health`, people.handler('cq-health'), { content: '协办意见' });
    await call('supervision', 'POST', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'cq-edu', message: '请加快办理' });
    await call('co-handling', 'PUT', `/proposals/${id}/replies/cq-edu`, people.handler('cq-edu'), {
      documentNumber: `渝教议函〔2025〕${number}号`,
      resultClass: 'B',
      body: '现将办理情况答复如下……',
      contactPerson: '张老师',
      contactPhone: '023-63862000',
      disclose: true,
    });
    await call('co-handling', 'POST', `/proposals/${id}/replies/cq-edu/signature`, people.signer('cq-edu'), {});
    await call('co-handling', 'POST', `/proposals/${id}/replies/cq-edu/dispatch`, people.handler('cq-edu'), {});
    if (until === 'dispatched') return id;
    await call('feedback', 'POST', `/proposals/${id}/evaluations`, people.proposer('dep-tan'), { satisfaction: 'satisfied' });
    await call('assignment', 'POST', `/proposals/${id}/closure`, office, {});
    return id;
  }

  /** Each event reached the topic exactly once, each item's in revision order. */
  async function expectPublishedOnce(): Promise<void> {
    const events = await storeEvents(ids);
    const onTopic = await h.readTopic('banli.proposal-events', events.length);
    const ours = onTopic.filter((m) => ids.includes(m.key));
    expect(ours.map((m) => m.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (const id of ids) {
      const revisions = ours.filter((m) => m.key === id).map((m) => m.revision);
      expect(revisions).toEqual(revisions.map((_, i) => i));
    }
  }

  beforeAll(async () => {
    h.kafka('start');
    for (const service of Object.keys(SERVICES) as Service[]) await h.startService(service);
    for (const [unitId, name] of [['cq-edu', '市教委'], ['cq-health', '市卫生健康委']]) await call('assignment', 'PUT', `/units/${unitId}`, people.office(), { name });
  });
  afterAll(() => h.stop());

  it('carries an item’s whole life through the four services: every event once on the topic, in order; the supervision notices on the deadline topic; every read model converged', async () => {
    const id = await lifecycle('9001');
    await expectPublishedOnce();
    // The deadline topic carries the item's supervision notices (its urge, its met deadlines) and nothing else of it.
    const notices = (await storeEvents([id])).filter((e) => isSupervisionNotice(e.type));
    expect(notices.map((e) => e.type)).toContain('Urged');
    const deadlineTopic = await h.readTopic('banli.deadline-events', notices.length);
    expect([...new Set(deadlineTopic.filter((m) => m.key === id).map((m) => m.eventId))]).toEqual(notices.map((e) => e.eventId));
    await h.waitFor(async () => (await call('assignment', 'GET', `/proposals?status=closed`, people.office())).items.some((i: { id: string }) => i.id === id), 30_000);
    await h.waitFor(async () => (await call('supervision', 'GET', `/supervision/deadlines?unit=cq-edu`, people.office())).some((d: { proposalId: string; kind: string; state: string }) => d.proposalId === id && d.kind === 'reply' && d.state === 'met'), 30_000);
    await h.waitFor(async () => (await call('feedback', 'GET', `/stats?unit=cq-edu`, people.office()))[0]?.replied >= 1, 30_000);
  });

  it('applies only what the store holds: a forged message on the topic neither shadows a real event nor adds one', async () => {
    const id = await submitAndAssign('9005');
    // Its topic holds forged messages on purpose: the other cases, which count what the topic holds, leave it out.
    ids.splice(ids.indexOf(id), 1);
    const office = people.office();
    const item = async () => call('assignment', 'GET', `/proposals?pageSize=200`, office).then((r) => r.items.find((i: { id: string }) => i.id === id));
    await h.waitFor(async () => (await item())?.status === 'assigned', 30_000);
    const [last] = (await storeEvents([id])).slice(-1);
    // One message claims the next revision closed the item; another repeats the last event with other data.
    const producer = new Kafka({ clientId: 'e2e-forger', brokers: [h.brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const forged = [
      { ...last, eventId: randomUUID(), revision: last.revision + 1, position: last.position + 1_000_000, type: 'ProposalClosed', data: {}, hash: 'f'.repeat(64) },
      { ...last, data: { ...(last.data as object), forged: true }, position: last.position + 1_000_001 },
    ];
    await producer.send({ topic: 'banli.proposal-events', messages: forged.map((m) => ({ key: id, value: JSON.stringify(m) })) });
    await producer.disconnect();
    await h.waitFor(async () => (await (await fetch(`http://127.0.0.1:${SERVICES.assignment}/metrics`)).text()).includes('reason="not-in-store"'), 30_000);
    expect(await item()).toMatchObject({ status: 'assigned', revision: last.revision });
    // The real next event still reaches every read model: the forged one took its place in none.
    await call('co-handling', 'POST', `/proposals/${id}/contacts`, people.handler('cq-edu'), { stage: 'before', channel: 'phone', summary: '真实的沟通' });
    const revision = (await storeEvents([id])).length - 1;
    await h.waitFor(async () => (await item())?.revision === revision, 30_000);
  });

  it('loses nothing when the broker stops mid-run: everything is delivered after it restarts', async () => {
    h.kafka('stop');
    const id = await lifecycle('9002'); // commands still succeed: the store, not the broker, records them
    h.kafka('start');
    await expectPublishedOnce();
    await h.waitFor(async () => (await call('assignment', 'GET', `/proposals?status=closed`, people.office())).items.some((i: { id: string }) => i.id === id), 60_000);
  });

  it('loses nothing when the relay is killed with SIGKILL mid-publish; another service takes over; consumers absorb duplicates', async () => {
    const office = people.office();
    const id = await submitAndAssign('9003');

    const isLeader = async (service: Service) => (await (await fetch(`http://127.0.0.1:${SERVICES[service]}/metrics`)).text()).includes('banli_relay_leader 1');
    let leader: Service | undefined;
    await h.waitFor(async () => {
      for (const service of Object.keys(SERVICES) as Service[]) if (await isLeader(service)) leader = service;
      return leader !== undefined;
    }, 30_000);
    // A burst through a service that does not relay, with the relay killed in the middle of it.
    const burst = leader === 'supervision'
      ? (n: number) => call('co-handling', 'POST', `/proposals/${id}/contacts`, people.handler('cq-edu'), { stage: 'during', channel: 'phone', summary: `第${n}次` })
      : (n: number) => call('supervision', 'POST', `/proposals/${id}/urges`, people.supervisor('u-gov'), { unitId: 'cq-edu', message: `第${n}次催办` });
    const sent: Promise<unknown>[] = [];
    for (let n = 0; n < 30; n++) {
      sent.push(burst(n));
      if (n === 10) await h.stopService(leader!, 'SIGKILL');
    }
    await Promise.all(sent);
    await h.waitFor(async () => {
      for (const service of Object.keys(SERVICES) as Service[]) if (service !== leader && (await isLeader(service))) return true;
      return false;
    }, 60_000);
    await h.startService(leader!);

    // Nothing lost: every event of the store is on the topic, each item's in order where it first appears.
    const events = await storeEvents(ids);
    const onTopic = (await h.readTopic('banli.proposal-events', events.length)).filter((m) => ids.includes(m.key));
    expect(new Set(onTopic.map((m) => m.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
    for (const item of ids) {
      const first = [...new Map(onTopic.filter((m) => m.key === item).map((m) => [m.eventId, m.revision])).values()];
      expect(first).toEqual(first.map((_, i) => i));
    }
    // Duplicates absorbed: the read models hold exactly the store's revision, nothing counted twice.
    const revision = events.filter((e) => e.streamId === proposalStreamId(id)).length - 1;
    await h.waitFor(async () => (await call('assignment', 'GET', `/proposals?pageSize=200`, office)).items.find((i: { id: string }) => i.id === id)?.revision === revision, 60_000);
  });

  it('a restarted consumer resumes from its committed offset and catches up', async () => {
    await h.stopService('feedback');
    const id = await lifecycle('9004', 'dispatched'); // published while the feedback consumer is away
    await h.startService('feedback');
    await call('feedback', 'POST', `/proposals/${id}/evaluations`, people.proposer('dep-tan'), { satisfaction: 'satisfied' });
    await call('assignment', 'POST', `/proposals/${id}/closure`, people.office(), {});
    // Items 9001, 9002 and 9004 were replied; the restarted consumer has all of them, the last one rated.
    await h.waitFor(async () => {
      const [stats] = await call('feedback', 'GET', `/stats?unit=cq-edu`, people.office());
      return stats?.replied === 3 && stats?.evaluated === 3;
    }, 60_000);
  });
});
