import { type Actor, ROLES, type Role } from '@banli/domain';
import { HttpProblem, type SessionResolver, weakPassword } from '@banli/platform';
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { AccountsStore, StoredUser } from './sqlite/accounts.sqlite';

/** Roles a local account may hold: every role a person has (`system` is the deadline scheduler's alone). */
export const ACCOUNT_ROLES = ROLES.filter((r) => r !== 'system');

/** Failed sign-ins allowed before the name is locked; each further failure doubles the lock, up to the cap. */
export const FREE_FAILURES = 5;
const FIRST_LOCK_SECONDS = 60;
const MAX_LOCK_SECONDS = 15 * 60;
/** last_seen_at is written at most this often: a session in use is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface UserView {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly unit?: string;
  readonly updatedAt: string;
}

export interface UserInput {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly unit?: string;
  /** Required for a new user; an existing one keeps its password when none is given. */
  readonly password?: string;
}

export interface StartedSession {
  readonly token: string;
  readonly csrf: string;
  readonly expiresAt: Date;
  readonly user: UserView;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
const view = (user: StoredUser): UserView => ({ id: user.id, name: user.name, roles: user.roles, ...(user.unit ? { unit: user.unit } : {}), updatedAt: user.updatedAt });

/**
 * Local accounts for the embedded default: Argon2id password hashes, sessions for the console, and a
 * growing lock on a user name after repeated failed sign-ins.
 */
export class Accounts implements SessionResolver {
  /** Verified against when the user name is unknown, so an unknown name takes as long to refuse as a wrong password. */
  private readonly decoy: Promise<string>;

  constructor(
    private readonly store: AccountsStore,
    private readonly session: { readonly ttlSeconds: number; readonly idleSeconds: number },
  ) {
    this.decoy = hash(randomBytes(16).toString('hex'));
  }

  users(): UserView[] {
    return this.store.users().map(view);
  }

  user(id: string): UserView | undefined {
    const user = this.store.user(id);
    return user && view(user);
  }

  async putUser(id: string, input: UserInput, now: Date): Promise<{ user: UserView; created: boolean }> {
    const before = this.store.user(id);
    if (!before && input.password === undefined) throw new HttpProblem(422, 'PASSWORD_REQUIRED', 'A new user needs a password', { field: 'password' });
    if (input.roles.some((r) => ['handler', 'signer'].includes(r)) && !input.unit) {
      throw new HttpProblem(422, 'UNIT_REQUIRED', 'A handler or signer acts for a unit: give the unit', { field: 'unit' });
    }
    // The last local admin keeps the role: without one, accounts could be managed only from the command line.
    if (before?.roles.includes('admin') && !input.roles.includes('admin') && !this.store.users().some((u) => u.id !== id && u.roles.includes('admin'))) {
      throw new HttpProblem(409, 'LAST_ADMIN', `${id} is the last local admin: make another admin first`, { field: 'roles' });
    }
    if (input.password !== undefined) {
      const weak = weakPassword(input.password, [id, input.name]);
      if (weak) throw new HttpProblem(422, 'WEAK_PASSWORD', `The password is too weak: ${weak}`, { field: 'password' });
    }
    const passwordHash = input.password !== undefined ? await hash(input.password) : before!.passwordHash;
    this.store.putUser({ id, name: input.name, roles: [...new Set(input.roles)], unit: input.unit ?? null, passwordHash }, now);
    return { user: view(this.store.user(id)!), created: !before };
  }

  /** Signs in: a session for a good password; 401 otherwise, and 429 while the name is locked. */
  async signIn(username: string, password: string, now: Date): Promise<StartedSession> {
    // The attempt is counted (and the name locked at the fifth) before the slow password check, so that
    // guesses sent all at once meet the lock as guesses sent one by one do.
    const attempt = this.store.countAttempt(username, now, (count) => (count >= FREE_FAILURES ? Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (count - FREE_FAILURES)) : 0));
    if (attempt.locked) {
      const retryAfter = Math.ceil((Date.parse(attempt.lockedUntil) - now.getTime()) / 1000);
      throw new HttpProblem(429, 'SIGN_IN_LOCKED', `Too many failed sign-ins for this user name: try again in ${retryAfter} s`, { retryAfter });
    }
    const user = this.store.user(username);
    const good = user ? await verify(user.passwordHash, password).catch(() => false) : await verify(await this.decoy, password).then(() => false);
    if (!user || !good) throw new HttpProblem(401, 'INVALID_CREDENTIALS', 'The user name or the password is wrong');
    this.store.clearFailures(username);
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.session.ttlSeconds * 1000);
    this.store.startSession(tokenHash(token), user.id, csrf, now, expiresAt);
    return { token, csrf, expiresAt, user: view(user) };
  }

  /**
   * A session for a caller the OIDC issuer vouched for: no local account, the ID token's claims kept with
   * it. The ID token proves the sign-in; the session then lasts as a local one does (idle and absolute
   * limits), not the minutes an ID token lives.
   */
  startExternalSession(actor: Actor, now: Date): StartedSession {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.session.ttlSeconds * 1000);
    this.store.startSession(tokenHash(token), `oidc:${actor.id}`, csrf, now, expiresAt, JSON.stringify(actor));
    return { token, csrf, expiresAt, user: { id: actor.id, name: actor.name ?? actor.id, roles: actor.roles, ...(actor.unit ? { unit: actor.unit } : {}), updatedAt: now.toISOString() } };
  }

  /** The session's caller, unless it has ended, expired or sat unused past the idle limit. */
  resolve(token: string, now: Date): { actor: Actor; csrf: string } | undefined {
    const key = tokenHash(token);
    const session = this.store.session(key, now);
    if (!session) return undefined;
    const idleMs = now.getTime() - Date.parse(session.lastSeenAt);
    if (idleMs > this.session.idleSeconds * 1000) {
      this.store.endSession(key);
      return undefined;
    }
    if (session.actor !== undefined) {
      if (idleMs > TOUCH_EVERY_MS) this.store.touchSession(key, now);
      return { actor: JSON.parse(session.actor) as Actor, csrf: session.csrf };
    }
    const user = this.store.user(session.userId);
    if (!user) return undefined;
    if (idleMs > TOUCH_EVERY_MS) this.store.touchSession(key, now);
    const roles = user.roles.filter((r): r is Role => (ACCOUNT_ROLES as readonly string[]).includes(r));
    return { actor: { id: user.id, name: user.name, ...(user.unit ? { unit: user.unit } : {}), roles }, csrf: session.csrf };
  }

  signOut(token: string): void {
    this.store.endSession(tokenHash(token));
  }

  close(): void {
    this.store.close();
  }
}
