import Database from 'better-sqlite3';

export interface StoredAnswer {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
}

/** Answers to requests made with an Idempotency-Key, kept in the read database beside the event store. */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], StoredAnswer>;
  private readonly putStmt: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file, { timeout: 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      scope       TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      status      INTEGER NOT NULL,
      body        TEXT NOT NULL,
      created_at  TEXT NOT NULL
    ) WITHOUT ROWID`);
    this.getStmt = this.db.prepare('SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = ?');
    this.putStmt = this.db.prepare('INSERT OR IGNORE INTO idempotency_keys (scope, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?)');
  }

  get(scope: string): StoredAnswer | undefined {
    return this.getStmt.get(scope);
  }

  put(scope: string, answer: StoredAnswer): void {
    this.putStmt.run(scope, answer.fingerprint, answer.status, answer.body, new Date().toISOString());
  }

  close(): void {
    this.db.close();
  }
}
