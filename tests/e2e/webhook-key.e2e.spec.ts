import { SqliteEventStore } from '@banli/event-store';
import { loadConfig } from '@banli/platform';
import { WEBHOOKS_STREAM, WebhookRegistry } from '@banli/supervision';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createApp } from '../../apps/standalone/src/bootstrap';
import { people, SECRET, StandaloneHarness, LOOPBACK_WEBHOOKS } from './standalone.harness';

/** BANLI_WEBHOOK_KEY seals the webhooks' secrets in the store: every process of a deployment must share it. */
describe('the webhook key', () => {
  const h = new StandaloneHarness(LOOPBACK_WEBHOOKS);
  const hooks = '/api/v1/supervision/webhooks';
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;
  const OFFICE = { id: 'clerk-1', roles: ['office'] };
  afterAll(() => h.stop());

  it('is checked at start: a process with another key than the registered webhooks were sealed with does not start', async () => {
    await h.start();
    const office = await bearer(people.office());
    await h.http().post(hooks).set('authorization', office).send({ url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' }).expect(201);
    await h.app.close();

    const otherKey = randomBytes(32).toString('hex');
    const config = loadConfig({ BANLI_DATA_DIR: h.dataDir, BANLI_JWT_SECRET: SECRET, BANLI_SCHEDULER: 'off', BANLI_WEBHOOK_KEY: otherKey, ...LOOPBACK_WEBHOOKS });
    await expect(createApp(config, { logger: false })).rejects.toThrow(/does not open with this BANLI_WEBHOOK_KEY/);
  });

  it('a webhook sealed by another process with another key answers 503 WEBHOOK_KEY_MISMATCH, and nothing is recorded', async () => {
    const h = new StandaloneHarness(LOOPBACK_WEBHOOKS);
    await h.start();
    try {
      const office = await bearer(people.office());
      await h.http().get(hooks).set('authorization', office).expect(200);
      // Another process, misconfigured, registers on the same store.
      const store = new SqliteEventStore({ file: join(h.dataDir, 'events.db') });
      await new WebhookRegistry(store, randomBytes(32)).register({ url: 'http://127.0.0.1:9/other', secret: 'another-secret-16ch', eventTypes: ['Urged'] }, OFFICE, new Date());
      const recorded = (await store.readStream(WEBHOOKS_STREAM)).length;

      for (const response of [
        await h.http().get(hooks).set('authorization', office),
        await h.http().post(hooks).set('authorization', office).send({ url: 'http://127.0.0.1:9/third', secret: 'a-third-secret-16ch' }),
      ]) {
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ code: 'WEBHOOK_KEY_MISMATCH' });
      }
      expect(await store.readStream(WEBHOOKS_STREAM)).toHaveLength(recorded);
      await store.close();
    } finally {
      await h.stop();
    }
  });
});
