import Database from 'better-sqlite3';

/** The file of local accounts and console sessions in the data directory. */
export const ACCOUNTS_FILE = 'accounts.db';

export interface StoredUser {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly unit: string | null;
  readonly passwordHash: string;
  readonly updatedAt: string;
}

export interface StoredSession {
  readonly userId: string;
  /** A session signed in through the OIDC issuer: the caller its ID token named (no local account behind it). */
  readonly actor?: string;
  readonly csrf: string;
  readonly expiresAt: string;
  readonly lastSeenAt: string;
}

export interface SignInFailures {
  readonly failures: number;
  readonly lockedUntil: string | null;
}

interface UserRow {
  id: string;
  name: string;
  roles: string;
  unit: string | null;
  password_hash: string;
  updated_at: string;
}

/**
 * Local accounts (password hashes only, Argon2id), console sessions (a hash of each session token, never
 * the token) and failed sign-ins per user name. A file of its own: a rebuilt read model forgets none of it.
 */
export class AccountsStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(file: string) {
    this.db = new Database(file, { timeout: 250 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS users (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL,
      roles         TEXT NOT NULL,
      unit          TEXT,
      password_hash TEXT NOT NULL,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS sessions (
      token_hash   TEXT PRIMARY KEY,
      user_id      TEXT NOT NULL,
      csrf         TEXT NOT NULL,
      created_at   TEXT NOT NULL,
      expires_at   TEXT NOT NULL,
      last_seen_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
    CREATE TABLE IF NOT EXISTS oidc_logins (
      state        TEXT PRIMARY KEY,
      verifier     TEXT NOT NULL,
      nonce        TEXT NOT NULL,
      next         TEXT NOT NULL,
      expires_at   TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS sign_in_failures (
      username     TEXT PRIMARY KEY,
      failures     INTEGER NOT NULL,
      locked_until TEXT
    ) WITHOUT ROWID;`);
    // Sessions of the first accounts.db had no actor column: added, never rewritten.
    const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(sessions)').all().map((c) => c.name);
    if (!columns.includes('actor')) this.db.exec('ALTER TABLE sessions ADD COLUMN actor TEXT');
    this.stmt = {
      user: this.db.prepare<[string], UserRow>('SELECT id, name, roles, unit, password_hash, updated_at FROM users WHERE id = ?'),
      users: this.db.prepare<[], UserRow>('SELECT id, name, roles, unit, password_hash, updated_at FROM users ORDER BY id'),
      putUser: this.db.prepare(
        `INSERT INTO users (id, name, roles, unit, password_hash, created_at, updated_at) VALUES (@id, @name, @roles, @unit, @passwordHash, @now, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, roles = excluded.roles, unit = excluded.unit,
           password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
      ),
      session: this.db.prepare<[string, string], { user_id: string; csrf: string; expires_at: string; last_seen_at: string; actor: string | null }>(
        'SELECT user_id, csrf, expires_at, last_seen_at, actor FROM sessions WHERE token_hash = ? AND expires_at > ?',
      ),
      putSession: this.db.prepare('INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, last_seen_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      putLogin: this.db.prepare('INSERT INTO oidc_logins (state, verifier, nonce, next, expires_at) VALUES (?, ?, ?, ?, ?)'),
      purgeLogins: this.db.prepare('DELETE FROM oidc_logins WHERE expires_at <= ?'),
      takeLogin: this.db.prepare<[string, string], { verifier: string; nonce: string; next: string }>('DELETE FROM oidc_logins WHERE state = ? AND expires_at > ? RETURNING verifier, nonce, next'),
      touch: this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?'),
      endSession: this.db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      endSessionsOf: this.db.prepare('DELETE FROM sessions WHERE user_id = ?'),
      purge: this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      failures: this.db.prepare<[string], { failures: number; locked_until: string | null }>('SELECT failures, locked_until FROM sign_in_failures WHERE username = ?'),
      putFailures: this.db.prepare(
        'INSERT INTO sign_in_failures (username, failures, locked_until) VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until',
      ),
      clearFailures: this.db.prepare('DELETE FROM sign_in_failures WHERE username = ?'),
    };
  }

  user(id: string): StoredUser | undefined {
    const row = this.stmt.user.get(id);
    return row && toUser(row);
  }

  users(): StoredUser[] {
    return this.stmt.users.all().map(toUser);
  }

  /** Writes the user; a changed password or changed roles end the user's sessions, so they sign in again. */
  putUser(user: Omit<StoredUser, 'updatedAt'>, now: Date): void {
    this.db.transaction(() => {
      const before = this.user(user.id);
      this.stmt.putUser.run({ id: user.id, name: user.name, roles: JSON.stringify(user.roles), unit: user.unit, passwordHash: user.passwordHash, now: now.toISOString() });
      const changed = before && (before.passwordHash !== user.passwordHash || before.unit !== user.unit || before.roles.join() !== user.roles.join());
      if (changed) this.stmt.endSessionsOf.run(user.id);
    })();
  }

  session(tokenHash: string, now: Date): StoredSession | undefined {
    const row = this.stmt.session.get(tokenHash, now.toISOString());
    return row && { userId: row.user_id, csrf: row.csrf, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at, ...(row.actor === null ? {} : { actor: row.actor }) };
  }

  /** `actor`: the JSON of an OIDC sign-in's caller; absent for a local account's session. */
  startSession(tokenHash: string, userId: string, csrf: string, now: Date, expiresAt: Date, actor?: string): void {
    this.stmt.purge.run(now.toISOString());
    this.stmt.putSession.run(tokenHash, userId, csrf, now.toISOString(), expiresAt.toISOString(), now.toISOString(), actor ?? null);
  }

  /** A sign-in sent to the OIDC issuer, until it comes back (or expires). */
  putOidcLogin(state: string, login: { verifier: string; nonce: string; next: string }, expiresAt: Date, now: Date): void {
    this.stmt.purgeLogins.run(now.toISOString());
    this.stmt.putLogin.run(state, login.verifier, login.nonce, login.next, expiresAt.toISOString());
  }

  /** The sign-in this state names, once: a state replayed or too old finds nothing. */
  takeOidcLogin(state: string, now: Date): { verifier: string; nonce: string; next: string } | undefined {
    return this.stmt.takeLogin.get(state, now.toISOString());
  }

  touchSession(tokenHash: string, now: Date): void {
    this.stmt.touch.run(now.toISOString(), tokenHash);
  }

  endSession(tokenHash: string): void {
    this.stmt.endSession.run(tokenHash);
  }

  failures(username: string): SignInFailures {
    const row = this.stmt.failures.get(username);
    return row ? { failures: row.failures, lockedUntil: row.locked_until } : { failures: 0, lockedUntil: null };
  }

  /**
   * Counts a sign-in attempt as a failure before its password is checked, in one transaction: attempts
   * sent at once are counted one by one, so a burst locks the name as surely as a sequence does. The
   * answer is the count with this attempt, or the lock that refuses it. A good password clears the count.
   */
  countAttempt(username: string, now: Date, lockSecondsAt: (count: number) => number): { locked: false; count: number } | { locked: true; lockedUntil: string } {
    return this.db.transaction(() => {
      const before = this.failures(username);
      if (before.lockedUntil && before.lockedUntil > now.toISOString()) return { locked: true as const, lockedUntil: before.lockedUntil };
      const count = before.failures + 1;
      const lockSeconds = lockSecondsAt(count);
      this.stmt.putFailures.run(username, count, lockSeconds > 0 ? new Date(now.getTime() + lockSeconds * 1000).toISOString() : null);
      return { locked: false as const, count };
    }).immediate();
  }

  clearFailures(username: string): void {
    this.stmt.clearFailures.run(username);
  }

  close(): void {
    this.db.close();
  }
}

function toUser(row: UserRow): StoredUser {
  return { id: row.id, name: row.name, roles: JSON.parse(row.roles) as string[], unit: row.unit, passwordHash: row.password_hash, updatedAt: row.updated_at };
}
