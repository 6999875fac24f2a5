import Database from 'better-sqlite3';

export interface StoredAnswer {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
}

/** The file of Idempotency-Key answers in the data directory: durable, and never part of a read model a replay replaces. */
export const IDEMPOTENCY_FILE = 'idempotency.db';

/**
 * Answers to requests made with an Idempotency-Key, each kept until it expires. A file of its own, flushed
 * like the event store: a rebuilt read model (`banli replay`, a rebuild at start) forgets none of them, so
 * the same key never records twice.
 */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly stmt;
  private puts = 0;

  constructor(
    file: string,
    private readonly ttlSeconds: number,
  ) {
    // Each lookup runs on the event loop: a lock held elsewhere waits a quarter second at most, then the
    // request answers 503 (IDEMPOTENCY_UNAVAILABLE) rather than stalling every other request behind it.
    this.db = new Database(file, { timeout: 250 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      scope       TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      status      INTEGER NOT NULL,
      body        TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      expires_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at);`);
    this.stmt = {
      get: this.db.prepare<[string, string], StoredAnswer>('SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = ? AND expires_at > ?'),
      put: this.db.prepare(
        `INSERT INTO idempotency_keys (scope, fingerprint, status, body, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body,
           created_at = excluded.created_at, expires_at = excluded.expires_at WHERE idempotency_keys.expires_at <= excluded.created_at`,
      ),
      purge: this.db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?'),
    };
  }

  /** The answer kept under this scope, unless it has expired. */
  get(scope: string, now: Date): StoredAnswer | undefined {
    return this.stmt.get.get(scope, now.toISOString());
  }

  put(scope: string, answer: StoredAnswer, now: Date): void {
    const expires = new Date(now.getTime() + this.ttlSeconds * 1000).toISOString();
    this.stmt.put.run(scope, answer.fingerprint, answer.status, answer.body, now.toISOString(), expires);
    // Expired keys are cleared now and then, not on every request.
    if (++this.puts % 500 === 0) this.stmt.purge.run(now.toISOString());
  }

  close(): void {
    this.db.close();
  }
}
