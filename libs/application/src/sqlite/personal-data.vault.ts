import { looksSealed, SUBJECT_PATTERN } from '@banli/domain';
import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'pii:v1:';
const SEALED = /^pii:v1:([0-9a-f]{16}):([A-Za-z0-9_-]+)$/;
/** The vault's file in the data directory: shared by every process of a deployment, never part of the event store. */
export const PERSONAL_DATA_FILE = 'personal-data.db';

/**
 * Personal data (phone numbers) never enters the immutable event payload in the clear. Each person has
 * a key of their own, kept here, outside the event store; what is recorded is the value sealed with it
 * (AES-256-GCM): `pii:v1:<key id>:<sealed>`. To honour an erasure request the person's keys are
 * destroyed. The recorded events, and so every hash chain, stay exactly as they were; the values can no
 * longer be read. Data the person gives later is sealed under a new key.
 *
 * Sealing is deterministic for a key and a value (the IV is derived from both), so a command repeated
 * with the same phone number is recognised as a repeat.
 */
export class PersonalDataVault {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(file: string) {
    this.db = new Database(file, { timeout: 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // An erased key is overwritten on disk, not only unlinked from the b-tree.
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS subject_keys (key_id TEXT PRIMARY KEY, subject TEXT NOT NULL, key BLOB, created_at TEXT NOT NULL, erased_at TEXT) WITHOUT ROWID;
      CREATE UNIQUE INDEX IF NOT EXISTS subject_keys_live ON subject_keys (subject) WHERE key IS NOT NULL;
      CREATE TABLE IF NOT EXISTS erasures (subject TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;`);
    this.stmt = {
      live: this.db.prepare<[string], { key_id: string; key: Buffer }>('SELECT key_id, key FROM subject_keys WHERE subject = ? AND key IS NOT NULL'),
      byId: this.db.prepare<[string], { subject: string; key: Buffer | null }>('SELECT subject, key FROM subject_keys WHERE key_id = ?'),
      create: this.db.prepare('INSERT OR IGNORE INTO subject_keys (key_id, subject, key, created_at) VALUES (?, ?, ?, ?)'),
      erase: this.db.prepare('UPDATE subject_keys SET key = NULL, erased_at = ? WHERE subject = ? AND key IS NOT NULL'),
      erasure: this.db.prepare('INSERT INTO erasures (subject, erased_at) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET erased_at = excluded.erased_at'),
      erasedAt: this.db.prepare<[string], { erased_at: string }>('SELECT erased_at FROM erasures WHERE subject = ?'),
    };
  }

  /**
   * The value sealed under the person's current key (created on first use, and again after an erasure).
   * A new key is on disk before this resolves, so no event can hold a value whose key a crash lost.
   */
  async seal(subject: string, value: string, field = ''): Promise<string> {
    if (!SUBJECT_PATTERN.test(subject)) throw new RangeError(`Not a personal-data subject: ${subject}`);
    let live = this.stmt.live.get(subject);
    // Another process may have created one first (the unique index keeps one), or an erasure come between.
    while (!live) {
      await this.createKey(subject);
      live = this.stmt.live.get(subject);
    }
    return sealWith(subject, live, value, field);
  }

  /**
   * The value sealed under the person's current key, without creating one: undefined when they have none
   * yet. What a command is decided on before anything may be written (a refused command leaves no key).
   */
  sealWithExistingKey(subject: string, value: string, field = ''): string | undefined {
    if (!SUBJECT_PATTERN.test(subject)) throw new RangeError(`Not a personal-data subject: ${subject}`);
    const live = this.stmt.live.get(subject);
    return live ? sealWith(subject, live, value, field) : undefined;
  }

  /**
   * Keys asked for in the same turn of the event loop are written in one transaction: one flush to disk
   * for them all, where a flush per key took half a millisecond of the event loop at every reply drafted.
   */
  private createKey(subject: string): Promise<void> {
    if (!this.creating) {
      const subjects = new Set<string>();
      const written = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          this.creating = undefined;
          try {
            const now = new Date().toISOString();
            this.db.transaction(() => subjects.forEach((s) => this.stmt.create.run(randomBytes(8).toString('hex'), s, randomBytes(32), now)))();
            resolve();
          } catch (error) {
            reject(error);
          }
        }),
      );
      this.creating = { subjects, written };
    }
    this.creating.subjects.add(subject);
    return this.creating.written;
  }

  private creating?: { readonly subjects: Set<string>; readonly written: Promise<void> };

  /**
   * The personal value of `subject` as found at one of its fields: opened when it is sealed under a key of
   * that very person; null once the person is erased, or when it is sealed for someone else (a value
   * pasted from another field or item is never opened), or not sealed here at all. A value recorded in
   * the clear before it was sealed (an older event) is shown until its person is erased. Not cached: an
   * erasure holds at once in every process.
   */
  openFor(subject: string, value: unknown): string | null {
    if (typeof value !== 'string') return null;
    if (!looksSealed(value)) return this.erasedAt(subject) === undefined ? value : null;
    const match = SEALED.exec(value);
    if (!match) return null;
    const row = this.stmt.byId.get(match[1]);
    if (!row?.key || row.subject !== subject) return null;
    const raw = Buffer.from(match[2], 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', row.key, raw.subarray(0, 12)).setAAD(Buffer.from(row.subject));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** Destroys every key of the person; true when there was personal data to erase. */
  erase(subject: string, at: Date): boolean {
    if (!SUBJECT_PATTERN.test(subject)) throw new RangeError(`Not a personal-data subject: ${subject}`);
    const erased = this.db.transaction(() => {
      this.stmt.erasure.run(subject, at.toISOString());
      return this.stmt.erase.run(at.toISOString(), subject).changes > 0;
    })();
    // Push the overwritten pages out of the write-ahead log as well.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return erased;
  }

  /** When the person's data was last erased. */
  erasedAt(subject: string): string | undefined {
    return this.stmt.erasedAt.get(subject)?.erased_at;
  }

  close(): void {
    this.db.close();
  }
}

function sealWith(subject: string, live: { key_id: string; key: Buffer }, value: string, field: string): string {
  // Deterministic for a key, a field and a value (the IV is derived from them): a repeated command is
  // recognised, while a person's name and phone that happen to be equal do not seal alike.
  const iv = createHmac('sha256', live.key).update(field === '' ? value : `${field}\u0000${value}`).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', live.key, iv).setAAD(Buffer.from(subject));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `${PREFIX}${live.key_id}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
}
