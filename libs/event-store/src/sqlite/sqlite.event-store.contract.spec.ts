import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite.event-store';

describe('SqliteEventStore — event store contract', () => {
  eventStoreContract(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banli-store-'));
    const file = join(dir, 'events.db');
    return {
      prefix: 'proposal-',
      open: async (options) => new SqliteEventStore({ file, pollIntervalMs: 10, ...(options?.clock ? { clock: options.clock } : {}) }),
      tamperMode: 'alter',
      // Rewrites bytes of the database file itself while no connection is open: SQLite has no page
      // checksums, so only the hash chain can notice.
      tamper: async (_streamId, revision) => {
        const bytes = readFileSync(file);
        const marker = Buffer.from(`marker-${revision}-AAAA`);
        const at = bytes.indexOf(marker);
        if (at < 0) throw new Error('marker not found in the database file');
        Buffer.from(`marker-${revision}-BBBB`).copy(bytes, at);
        writeFileSync(file, bytes);
      },
      workerEnv: () => ({ WORKER_STORE: 'sqlite', WORKER_FILE: file }),
      gapFreePositions: true,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
});
