import { jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '../testing/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb.event-store';

const url = process.env.KURRENTDB_URL;
const SKIP_REASON =
  'KURRENTDB_URL is not set: no KurrentDB server can be installed on this machine, so the KurrentDB adapter ' +
  'is not run against the contract here. Set KURRENTDB_URL (e.g. kurrentdb://localhost:2113?tls=false) to run it.';

if (url === undefined) {
  // Printed on every run, so a skipped adapter is never silent.
  process.stdout.write(`\n[event-store contract] KurrentDB SKIPPED — ${SKIP_REASON}\n\n`);
  describe('KurrentDbEventStore — event store contract', () => {
    it.skip(`SKIPPED: ${SKIP_REASON}`, () => undefined);
  });
} else {
  describe('KurrentDbEventStore — event store contract (live server)', () => {
    eventStoreContract(async () => {
      const prefix = `t${randomUUID().slice(0, 8)}-`;
      return {
        prefix,
        open: async (options) => KurrentDbEventStore.connect(url, options?.clock ? { clock: options.clock } : {}),
        tamperMode: 'forge',
        // KurrentDB's log cannot be edited in place; the forgery is an event written around the adapter.
        tamper: async (streamId) => {
          const client = KurrentDBClient.connectionString(url);
          await client.appendToStream(
            streamId,
            jsonEvent({
              type: 'E',
              data: { note: 'forged' },
              metadata: { schemaVersion: 1, occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), hash: 'f'.repeat(64) },
            }),
          );
          await client.dispose();
        },
        workerEnv: () => ({ WORKER_STORE: 'kurrentdb', KURRENTDB_URL: url }),
        gapFreePositions: false,
        cleanup: async () => undefined,
      };
    });
  });
}
