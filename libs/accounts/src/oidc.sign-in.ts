import { actorFromClaims, type BanliConfig, HttpProblem } from '@banli/platform';
import type { Actor } from '@banli/domain';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import type { AccountsStore } from './sqlite/accounts.sqlite';

/** The OIDC sign-in, or null where tokens are not an OIDC issuer's (HS256). */
export const OIDC_SIGN_IN = Symbol('OIDC_SIGN_IN');

/** How long a browser may take at the issuer between leaving and coming back. */
const LOGIN_TTL_MS = 10 * 60_000;

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri?: string;
  readonly issuer: string;
}

/** Where a sign-in may return to: a path of this console, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 512 ? next : '/workbench';
}

/**
 * Console sign-in through the OIDC issuer whose keys the API already trusts: the authorization code flow
 * with PKCE (S256), a state and a nonce per sign-in, kept server-side and taken once. The ID token is
 * verified against the issuer's JWKS (issuer, audience = the console's client, nonce, expiry); its claims
 * name the caller as a bearer token's do (sub, name, unit, roles).
 */
export class OidcSignIn {
  private discovery?: Promise<Discovery>;
  private keys?: JWTVerifyGetKey;

  constructor(
    private readonly jwt: Extract<BanliConfig['jwt'], { kind: 'jwks' }>,
    private readonly oidc: NonNullable<BanliConfig['oidc']>,
    private readonly store: AccountsStore,
  ) {}

  /** The issuer's authorization URL to send the browser to, and the state the browser is bound to. */
  async start(next: string, now: Date): Promise<{ url: string; state: string }> {
    const discovery = await this.discover();
    const state = randomBytes(24).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    this.store.putOidcLogin(state, { verifier, nonce, next: safeNext(next) }, new Date(now.getTime() + LOGIN_TTL_MS), now);
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.oidc.clientId,
      redirect_uri: this.oidc.redirectUrl,
      scope: this.oidc.scope,
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state };
  }

  /** Back from the issuer: the code exchanged (with the PKCE verifier), the ID token verified; the caller and where to go. */
  async finish(query: { code?: unknown; state?: unknown; error?: unknown; error_description?: unknown }, now: Date): Promise<{ actor: Actor; next: string }> {
    if (typeof query.error === 'string') throw new HttpProblem(401, 'OIDC_SIGN_IN_REFUSED', `The issuer refused the sign-in: ${query.error}${typeof query.error_description === 'string' ? ` (${query.error_description})` : ''}`);
    if (typeof query.state !== 'string' || typeof query.code !== 'string') throw new HttpProblem(400, 'OIDC_CALLBACK_INVALID', 'The issuer sent the browser back without a code and a state');
    const login = this.store.takeOidcLogin(query.state, now);
    if (!login) throw new HttpProblem(400, 'OIDC_STATE_INVALID', 'This sign-in is unknown, was used already, or took longer than 10 minutes: sign in again');
    const discovery = await this.discover();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: this.oidc.redirectUrl, client_id: this.oidc.clientId, code_verifier: login.verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.oidc.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.oidc.clientId)}:${encodeURIComponent(this.oidc.clientSecret)}`).toString('base64')}`;
    const answer = await fetch(discovery.token_endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) }).catch((error: Error) => {
      throw new HttpProblem(502, 'OIDC_ISSUER_UNAVAILABLE', `The issuer's token endpoint did not answer: ${error.message}`);
    });
    const tokens = (await answer.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
    if (!answer.ok || typeof tokens.id_token !== 'string') {
      throw new HttpProblem(401, 'OIDC_SIGN_IN_REFUSED', `The issuer did not exchange the code: ${tokens.error ?? answer.status}${tokens.error_description ? ` (${tokens.error_description})` : ''}`);
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(tokens.id_token, this.jwks(discovery), { issuer: this.jwt.issuer, audience: this.oidc.clientId, requiredClaims: ['sub', 'exp', 'iat', 'nonce'] }));
    } catch (error) {
      throw new HttpProblem(401, 'OIDC_SIGN_IN_REFUSED', `The ID token was refused: ${(error as Error).message}`);
    }
    if (payload.nonce !== login.nonce) throw new HttpProblem(401, 'OIDC_SIGN_IN_REFUSED', 'The ID token was issued for another sign-in (nonce)');
    return { actor: actorFromClaims(payload), next: login.next };
  }

  private jwks(discovery: Discovery): JWTVerifyGetKey {
    this.keys ??= createRemoteJWKSet(new URL(this.jwt.jwksUrl ?? discovery.jwks_uri));
    return this.keys;
  }

  private discover(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${this.jwt.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!answer.ok) throw new Error(`${url} answered ${answer.status}`);
      const document = (await answer.json()) as Discovery;
      if (document.issuer !== this.jwt.issuer) throw new Error(`${url} names the issuer ${document.issuer}, not ${this.jwt.issuer}`);
      return document;
    })().catch((error: Error) => {
      this.discovery = undefined;
      throw new HttpProblem(502, 'OIDC_ISSUER_UNAVAILABLE', `The OIDC issuer's discovery document could not be read: ${error.message}`);
    });
    return this.discovery;
  }
}
