import { SqliteEventStore } from '@banli/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WEBHOOKS_STREAM, WebhookRegistry } from './webhook-registry';
import { signDelivery, verifyDeliverySignature } from './webhook-signature';
import { Webhook as StandardWebhook } from 'standardwebhooks';

const SECRET = 'office-shared-secret-1234';
const OFFICE = { id: 'supervisor-1', roles: ['supervisor'] };
// The receivers listen on loopback: the spec's own network is let through, as an operator would an intranet.
const LOOPBACK_RECEIVERS = { allowHttp: true, allowNetworks: ['127.0.0.0/8'] };
const fast = { firstRetryMs: 20, maxRetryMs: 100, timeoutMs: 2_000, connectMs: 1_000, clock: () => new Date(), target: LOOPBACK_RECEIVERS };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver whose answer the spec chooses, request by request. */
class Receiver {
  readonly received: Received[] = [];
  answer: (n: number) => number = () => 200;
  private server?: Server;
  port = 0;

  async listen(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = this.answer(this.received.length);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Bodies the receiver accepted, each delivery id once. */
  accepted(): Record<string, unknown>[] {
    const seen = new Map<string, Record<string, unknown>>();
    this.received.forEach((r, i) => {
      if (this.answer(i + 1) < 300) seen.set(r.headers['banli-delivery-id'] as string, JSON.parse(r.body));
    });
    return [...seen.values()];
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('webhooks', () => {
  let dir: string;
  let store: SqliteEventStore;
  let receiver: Receiver;
  const key = randomBytes(32);
  const stops: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'banli-webhooks-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 10 });
    receiver = await new Receiver().listen();
  });

  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const urge = (item: string, unitId: string, n = 1) =>
    store.append(`proposal-${item}`, [{ type: 'Urged', schemaVersion: 1, data: { urgeId: `urge-${n}`, unitId, message: '请抓紧办理' }, occurredAt: new Date().toISOString(), actor: OFFICE }], 'any');
  const breach = (item: string, unitId: string) =>
    store.append(`proposal-${item}`, [{ type: 'DeadlineBreached', schemaVersion: 1, data: { deadlineId: `reply:${unitId}:1`, dueAt: '2025-06-10T16:00:00.000Z' }, occurredAt: new Date().toISOString() }], 'any');

  function dispatcher(registry: WebhookRegistry, webhookId: string, on = store) {
    return registry.get(webhookId).then((webhook) => {
      const d = new WebhookDispatcher(on, webhook!, fast);
      d.start();
      stops.push(() => d.stop());
      return d;
    });
  }

  it('delivers each event once, signed with the secret over the exact body', async () => {
    await urge('old', 'u-edu'); // before the registration: not sent
    const registry = new WebhookRegistry(store, key);
    const webhook = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged', 'DeadlineBreached'] }, OFFICE, new Date());
    await dispatcher(registry, webhook.webhookId);
    await urge('cq-2025-0026', 'u-edu');
    await breach('cq-2025-0026', 'u-health');

    await until(() => receiver.received.length === 2);
    const [first, second] = receiver.received;
    expect(JSON.parse(first.body)).toMatchObject({ type: 'Urged', proposalId: 'cq-2025-0026', unitId: 'u-edu', message: '请抓紧办理' });
    expect(JSON.parse(second.body)).toMatchObject({ type: 'DeadlineBreached', proposalId: 'cq-2025-0026', deadlineId: 'reply:u-health:1' });
    for (const r of receiver.received) {
      expect(r.headers['banli-webhook-id']).toBe(webhook.webhookId);
      expect(r.headers['banli-event-type']).toBe(JSON.parse(r.body).type);
      expect(r.headers['banli-delivery-id']).toBe(JSON.parse(r.body).eventId);
      expect(verifyDeliverySignature(SECRET, r.body, r.headers['banli-signature'] as string)).toBe(true);
      expect(verifyDeliverySignature('another-secret-of-16+', r.body, r.headers['banli-signature'] as string)).toBe(false);
      expect(verifyDeliverySignature(SECRET, r.body.replace('u-', 'x-'), r.headers['banli-signature'] as string)).toBe(false);
    }
  });

  it('a signature is refused outside its time tolerance', () => {
    const header = signDelivery(SECRET, '{}', new Date('2026-01-01T00:00:00Z'));
    expect(verifyDeliverySignature(SECRET, '{}', header, new Date('2026-01-01T00:04:00Z'))).toBe(true);
    expect(verifyDeliverySignature(SECRET, '{}', header, new Date('2026-01-01T00:06:00Z'))).toBe(false);
    expect(verifyDeliverySignature(SECRET, '{}', undefined)).toBe(false);
  });

  it('filters by unit and event type', async () => {
    const registry = new WebhookRegistry(store, key);
    const webhook = await registry.register({ url: receiver.url, secret: SECRET, unit: 'u-edu', eventTypes: ['DeadlineBreached'] }, OFFICE, new Date());
    const d = await dispatcher(registry, webhook.webhookId);
    await urge('a', 'u-edu');
    await breach('a', 'u-health');
    await breach('b', 'u-edu');
    await until(() => d.status().position >= 4);
    await until(() => receiver.received.length === 1);
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ type: 'DeadlineBreached', proposalId: 'b', deadlineId: 'reply:u-edu:1' });
  });

  it('retries with backoff while the receiver fails, then delivers the same delivery id, in order', async () => {
    receiver.answer = (n) => (n <= 3 ? 503 : 200);
    const registry = new WebhookRegistry(store, key);
    const webhook = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, new Date());
    const d = await dispatcher(registry, webhook.webhookId);
    await urge('a', 'u-edu', 1);
    await urge('a', 'u-edu', 2);
    await until(() => d.status().failing?.attempts === 2);
    expect(d.status().failing).toMatchObject({ lastError: 'HTTP 503', attempts: 2 });
    await until(() => receiver.received.length === 5);
    // The receiver has the last request before the dispatcher has its answer.
    await until(() => d.status().delivered === 2);
    const ids = receiver.received.map((r) => r.headers['banli-delivery-id']);
    expect(new Set(ids.slice(0, 4)).size).toBe(1); // one event, tried four times
    expect(receiver.accepted().map((b) => b.urgeId)).toEqual(['urge-1', 'urge-2']);
    expect(d.status()).toMatchObject({ delivered: 2 });
    expect(d.status().failing).toBeUndefined();
  });

  it('is never lost across a restart: what the receiver did not take is delivered by the next process', async () => {
    const registry = new WebhookRegistry(store, key);
    const webhook = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, new Date());
    const first = await dispatcher(registry, webhook.webhookId);
    await urge('a', 'u-edu', 1);
    await until(() => first.status().delivered === 1);
    // The receiver goes down; two more notices are recorded meanwhile; the process stops.
    const port = receiver.port;
    await receiver.close();
    await urge('a', 'u-edu', 2);
    await urge('a', 'u-edu', 3);
    await until(() => (first.status().failing?.attempts ?? 0) >= 2);
    await first.stop();
    await store.close();

    // A new process on the same store, with the receiver back: it resumes from the durable checkpoint.
    store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 10 });
    receiver = await new Receiver().listen(port);
    await dispatcher(new WebhookRegistry(store, key), webhook.webhookId);
    await until(() => receiver.received.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received.map((r) => JSON.parse(r.body).urgeId)).toEqual(['urge-2', 'urge-3']);
  });

  it('keeps the secret out of the store in the clear and needs the same key to read it', async () => {
    const registry = new WebhookRegistry(store, key);
    const webhook = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, new Date());
    const [registered] = await store.readStream(WEBHOOKS_STREAM);
    expect(JSON.stringify(registered.data)).not.toContain(SECRET);
    expect((await new WebhookRegistry(store, key).get(webhook.webhookId))?.secret).toBe(SECRET);
    await expect(new WebhookRegistry(store, randomBytes(32)).list()).rejects.toThrow(/BANLI_WEBHOOK_KEY/);
  });

  it('stops delivering to a removed webhook', async () => {
    const registry = new WebhookRegistry(store, key);
    const webhook = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, new Date());
    expect(await registry.remove(webhook.webhookId, OFFICE, new Date())).toBe(true);
    expect(await registry.remove(webhook.webhookId, OFFICE, new Date())).toBe(false);
    expect(await new WebhookRegistry(store, key).list()).toEqual([]);
  });

  describe('delivering safely', () => {
    /** A server answering each request as `handle` says. */
    async function server(handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
      let hits = 0;
      const s = createServer((req, res) => {
        hits += 1;
        handle(req, res);
      });
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      return {
        url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`,
        hits: () => hits,
        close: async () => {
          s.closeAllConnections();
          await new Promise<void>((resolve) => s.close(() => resolve()));
        },
      };
    }
    async function deliverTo(url: string, options = fast) {
      const registry = new WebhookRegistry(store, key);
      const webhook = await registry.register({ url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, new Date());
      const d = new WebhookDispatcher(store, (await registry.get(webhook.webhookId))!, options);
      d.start();
      stops.push(() => d.stop());
      return d;
    }

    it('connects to the address it checked, and refuses when the name resolves elsewhere later (DNS rebinding)', async () => {
      let answer = '127.0.0.1';
      let lookups = 0;
      const target = { ...LOOPBACK_RECEIVERS, allowNetworks: ['127.0.0.1/32'], resolve: async () => (lookups++, [{ address: answer, family: 4 }]) };
      // rebind.test has no DNS record at all: the delivery reached the receiver only through the checked address.
      const d = await deliverTo(`http://rebind.test:${receiver.port}/hook`, { ...fast, target });
      await urge('a', 'u-edu', 1);
      await until(() => d.status().delivered === 1);
      expect(receiver.received).toHaveLength(1);
      answer = '10.0.0.9';
      await urge('a', 'u-edu', 2);
      await until(() => d.status().failing?.attempts === 2);
      expect(d.status().failing).toMatchObject({ lastError: 'refused address' });
      expect(receiver.received).toHaveLength(1);
      expect(lookups).toBeGreaterThanOrEqual(3);
    });

    it('reads at most a few KB of an answer, however much the receiver sends', async () => {
      const flood = await server((_req, res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (res.write(chunk));
          res.once('drain', pump);
        };
        pump();
      });
      try {
        const d = await deliverTo(flood.url);
        await urge('a', 'u-edu');
        await until(() => d.status().delivered === 1, 3_000);
      } finally {
        await flood.close();
      }
    });

    it('gives up on a receiver that does not answer, follows no redirect, and reports only an error class', async () => {
      const silent = await server(() => undefined);
      const redirect = await server((_req, res) => res.writeHead(302, { location: receiver.url }).end());
      try {
        const quiet = await deliverTo(silent.url, { ...fast, timeoutMs: 200 });
        const moved = await deliverTo(redirect.url);
        const nobody = await deliverTo('http://127.0.0.1:9/hook');
        await urge('a', 'u-edu');
        await until(() => (quiet.status().failing?.attempts ?? 0) >= 1 && (moved.status().failing?.attempts ?? 0) >= 1 && (nobody.status().failing?.attempts ?? 0) >= 1);
        expect(quiet.status().failing?.lastError).toBe('timeout');
        expect(moved.status().failing?.lastError).toBe('HTTP 302');
        expect(nobody.status().failing?.lastError).toBe('connection refused');
        expect(receiver.received).toHaveLength(0);
      } finally {
        await silent.close();
        await redirect.close();
      }
    });

    it('signs with the Standard Webhooks headers too: the standardwebhooks library verifies a delivery', async () => {
      const registry = new WebhookRegistry(store, key);
      const standardSecret = `whsec_${randomBytes(24).toString('base64')}`;
      const raw = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, new Date());
      const std = await registry.register({ url: receiver.url, secret: standardSecret, eventTypes: ['Urged'] }, OFFICE, new Date());
      await dispatcher(registry, raw.webhookId);
      await dispatcher(registry, std.webhookId);
      await urge('a', 'u-edu');
      await until(() => receiver.received.length === 2);
      for (const r of receiver.received) {
        const headers = { 'webhook-id': r.headers['webhook-id'] as string, 'webhook-timestamp': r.headers['webhook-timestamp'] as string, 'webhook-signature': r.headers['webhook-signature'] as string };
        expect(headers['webhook-id']).toBe(r.headers['banli-delivery-id']);
        const verifier = r.headers['banli-webhook-id'] === std.webhookId ? new StandardWebhook(standardSecret) : new StandardWebhook(SECRET, { format: 'raw' });
        expect(verifier.verify(r.body, headers)).toMatchObject({ type: 'Urged' });
        expect(() => new StandardWebhook('another-secret-of-16+', { format: 'raw' }).verify(r.body, headers)).toThrow();
      }
    });

    it('signs with the old and the new secret while a secret is rotated, then with the new one only', async () => {
      let now = new Date('2026-01-01T00:00:00Z');
      const clock = () => now;
      const registry = new WebhookRegistry(store, key);
      const webhook = await registry.register({ url: receiver.url, secret: SECRET, eventTypes: ['Urged'] }, OFFICE, now);
      const rotated = await registry.rotate(webhook.webhookId, 'the-new-secret-2026', new Date('2026-01-02T00:00:00Z'), OFFICE, now);
      const d = new WebhookDispatcher(store, rotated!, { ...fast, clock });
      d.start();
      stops.push(() => d.stop());
      await urge('a', 'u-edu', 1);
      await until(() => receiver.received.length === 1);
      const [during] = receiver.received;
      for (const secret of [SECRET, 'the-new-secret-2026']) expect(verifyDeliverySignature(secret, during.body, during.headers['banli-signature'] as string, now)).toBe(true);
      now = new Date('2026-01-02T00:00:01Z');
      await urge('a', 'u-edu', 2);
      await until(() => receiver.received.length === 2);
      const after = receiver.received[1];
      expect(verifyDeliverySignature('the-new-secret-2026', after.body, after.headers['banli-signature'] as string, now)).toBe(true);
      expect(verifyDeliverySignature(SECRET, after.body, after.headers['banli-signature'] as string, now)).toBe(false);
    });
  });
});
