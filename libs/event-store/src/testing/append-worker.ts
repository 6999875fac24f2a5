/**
 * A separate process that appends to a store, for the contract suite's multi-process and SIGKILL
 * tests. Run with `node --import tsx` so that the process killed is the one writing.
 *
 * Env: WORKER_STORE (sqlite|kurrentdb), WORKER_FILE or KURRENTDB_URL, WORKER_PREFIX, WORKER_ID,
 * WORKER_APPENDS (default: until killed), WORKER_BATCH (events per append).
 */
import { randomUUID } from 'node:crypto';
import { openEventStore } from '../event-store.factory';

async function main(): Promise<void> {
  const store = await openEventStore(
    process.env.WORKER_STORE === 'kurrentdb'
      ? { kind: 'kurrentdb', url: process.env.KURRENTDB_URL! }
      : { kind: 'sqlite', file: process.env.WORKER_FILE!, pollIntervalMs: 10 },
  );
  const appends = process.env.WORKER_APPENDS === undefined ? Number.POSITIVE_INFINITY : Number(process.env.WORKER_APPENDS);
  const batch = Number(process.env.WORKER_BATCH ?? 50);
  const prefix = `${process.env.WORKER_PREFIX ?? ''}w${process.env.WORKER_ID ?? '0'}-`;
  for (let i = 0; i < appends; i++) {
    const events = Array.from({ length: batch }, (_, n) => ({
      eventId: randomUUID(),
      type: 'WorkerAppended',
      schemaVersion: 1,
      data: { append: i, n, padding: 'x'.repeat(200) },
      occurredAt: new Date().toISOString(),
    }));
    await store.append(`${prefix}${i % 7}`, events, 'any');
    if (i === 0) process.stdout.write('appending\n');
  }
  await store.close();
  process.stdout.write('done\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
