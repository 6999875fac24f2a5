import { type Actor, ROLES, type Role } from '@banli/domain';
import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable, Optional, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { BanliConfig } from './banli.config';
import { HttpProblem } from './problem';
import { CLOCK } from './tokens';

export const PUBLIC_ROUTE = 'banli:public';
/** Marks a route that needs no token (health, metrics, docs, published replies). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export interface AuthenticatedRequest {
  actor?: Actor;
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The console's session cookie: HttpOnly, SameSite=Strict, Secure over https. */
export const SESSION_COOKIE = 'banli_session';
/** The header a cookie-authenticated write must carry, holding the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** Who a console session belongs to, and the CSRF token its writes must carry. */
export interface SessionResolver {
  resolve(token: string, now: Date): { readonly actor: Actor; readonly csrf: string } | undefined;
}
/** Provided by the accounts feature where the process has local accounts; without it only bearer tokens count. */
export const SESSION_RESOLVER = Symbol('SESSION_RESOLVER');

/** A cookie's value from the Cookie header, if it is there. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header ?? '';
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller, from the verified token. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new HttpProblem(401, 'UNAUTHENTICATED', 'A bearer token is required');
  return actor;
});

/** Verifies bearer tokens: HS256 with BANLI_JWT_SECRET, or an OIDC issuer's JWKS. */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  /** Tokens already verified, until they expire: a signature is checked once, not on every request. */
  private readonly verified = new Map<string, { actor: Actor; expiresAt: number }>();

  constructor(private readonly config: BanliConfig['jwt']) {
    this.key = config.kind === 'hs256' ? new TextEncoder().encode(config.secret) : createRemoteJWKSet(new URL(config.jwksUrl));
  }

  /** Whether this token was verified already and has not expired: a known good token. */
  knows(token: string): boolean {
    const known = this.verified.get(token);
    return known !== undefined && known.expiresAt > Date.now();
  }

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.actor;
    const fresh = await this.verifyAfresh(token);
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(token, fresh);
    return fresh.actor;
  }

  private async verifyAfresh(token: string): Promise<{ actor: Actor; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      // Every token says when it was issued and when it expires: one without an expiry would be good forever.
      const required = { requiredClaims: ['exp', 'iat', 'sub'] };
      const options =
        this.config.kind === 'hs256'
          ? { algorithms: ['HS256'], ...required }
          : { issuer: this.config.issuer, audience: this.config.audience, ...required };
      ({ payload } = await jwtVerify(token, this.key as never, options));
    } catch (error) {
      throw new HttpProblem(401, 'INVALID_TOKEN', `The bearer token was refused: ${(error as Error).message}`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new HttpProblem(401, 'INVALID_TOKEN', 'The token has no subject');
    const lifetime = payload.exp! - payload.iat!;
    if (!(lifetime > 0)) throw new HttpProblem(401, 'INVALID_TOKEN', 'The token expires before it was issued (exp must be after iat)');
    if (lifetime > this.config.maxLifetimeSeconds) {
      throw new HttpProblem(401, 'INVALID_TOKEN', `The token lives ${lifetime} s; at most ${this.config.maxLifetimeSeconds} s are accepted (BANLI_JWT_MAX_LIFETIME)`);
    }
    if (payload.iat! > Date.now() / 1000 + 60) throw new HttpProblem(401, 'INVALID_TOKEN', 'The token was issued in the future');
    const actor = actorFromClaims(payload);
    // Re-checked at least hourly, so a rotated key takes effect.
    return { actor, expiresAt: Math.min(payload.exp! * 1000, Date.now() + 3_600_000) };
  }
}

/** The caller a verified token (or an OIDC ID token) names: its subject, name, unit and Banli roles (`system` never). */
export function actorFromClaims(payload: JWTPayload): Actor {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r as string) && r !== 'system') : [];
  return {
    id: String(payload.sub),
    ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
    ...(typeof payload.unit === 'string' ? { unit: payload.unit } : {}),
    roles,
  };
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Optional() @Inject(SESSION_RESOLVER) private readonly sessions?: SessionResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (match) {
      request.actor = await this.verifier.verify(match[1]);
      return true;
    }
    const cookie = this.sessions ? cookieValue(request.headers.cookie, SESSION_COOKIE) : undefined;
    if (!cookie || !this.sessions) throw new HttpProblem(401, 'UNAUTHENTICATED', 'A bearer token is required (Authorization: Bearer <JWT>), or a console session');
    const session = this.sessions.resolve(cookie, this.clock());
    if (!session) throw new HttpProblem(401, 'SESSION_EXPIRED', 'The session has ended or expired: sign in again');
    // A cookie goes with every request the browser makes, a forged one too: a write must also carry the session's CSRF token.
    if (!SAFE_METHODS.has((request.method ?? 'GET').toUpperCase()) && request.headers[CSRF_HEADER] !== session.csrf) {
      throw new HttpProblem(403, 'CSRF_TOKEN_INVALID', `A write with the session cookie needs the session's CSRF token in ${CSRF_HEADER}`);
    }
    request.actor = session.actor;
    return true;
  }
}

/** Requires one of the roles; the access policy then decides per item. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.some((role) => actor.roles.includes(role))) {
    throw new HttpProblem(403, 'FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}`);
  }
}
