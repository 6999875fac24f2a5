import type { Actor } from '@banli/domain';
import { CLOCK, cookieValue, CurrentActor, HttpProblem, ID_PATTERN, Public, requireRole, SESSION_COOKIE } from '@banli/platform';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { UnitsDirectory } from '@banli/application';
import { SignInDto, UserDto } from './accounts.dto';
import { Accounts } from './accounts.service';
import { OIDC_SIGN_IN, type OidcSignIn, safeNext } from './oidc.sign-in';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersHttpController {
  constructor(
    private readonly accounts: Accounts,
    @Inject(CLOCK) private readonly clock: () => Date,
    private readonly units: UnitsDirectory,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Local accounts (admin)' })
  list(@CurrentActor() actor: Actor) {
    requireRole(actor, 'admin');
    return this.accounts.users();
  }

  @Put(':id')
  @ApiOperation({ summary: 'Create or change a local account (admin): name, roles, unit, password (Argon2id)' })
  async put(@Param('id') id: string, @Body() body: UserDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    requireRole(actor, 'admin');
    if (!ID_PATTERN.test(id)) throw new HttpProblem(400, 'VALIDATION_FAILED', 'A user id is letters, digits, dot, dash or underscore (≤128)', { field: 'id' });
    // A handler of a unit the directory does not know would see nothing and act for no one.
    if (body.unit !== undefined && (await this.units.unknown([body.unit])).length > 0) {
      throw new HttpProblem(422, 'UNKNOWN_UNIT', `${body.unit} is not in the units directory (PUT /api/v1/units/{unitId} first)`, { field: 'unit' });
    }
    const { user, created } = await this.accounts.putUser(id, body, this.clock());
    void reply.status(created ? 201 : 200);
    return user;
  }
}

/** The console's sign-in: a session cookie (HttpOnly, SameSite=Strict, Secure over https) and the CSRF token its writes carry. */
@ApiTags('session')
@Controller('session')
export class SessionHttpController {
  constructor(
    private readonly accounts: Accounts,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(OIDC_SIGN_IN) private readonly oidc: OidcSignIn | null,
  ) {}

  @Get('options')
  @Public()
  @ApiOperation({ summary: 'How the console signs in here: local accounts, or the OIDC issuer (where BANLI_JWT_JWKS_URL is set)' })
  options() {
    return { local: this.oidc === null, oidc: this.oidc !== null };
  }

  @Get('oidc')
  @Public()
  @ApiOperation({ summary: 'Starts a sign-in at the OIDC issuer (authorization code + PKCE): a redirect to its authorization endpoint' })
  async startOidc(@Query('next') next: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.oidc) throw new HttpProblem(404, 'OIDC_NOT_CONFIGURED', 'Sign-in here is with local accounts (no BANLI_JWT_JWKS_URL)');
    void reply.header('cache-control', 'no-store');
    try {
      const { url, state } = await this.oidc.start(safeNext(next), this.clock());
      // The state is bound to this browser: a callback URL sent to someone else signs no one in (login CSRF).
      void reply.header('set-cookie', oidcCookie(stateBinding(state), 600, overHttps(request))).redirect(url, 302);
    } catch (error) {
      if (error instanceof HttpProblem) return void reply.redirect(`/login?error=${encodeURIComponent(error.code)}`, 302);
      throw error;
    }
  }

  @Get('oidc/callback')
  @Public()
  @ApiOperation({ summary: 'Where the OIDC issuer sends the browser back: the code exchanged, the ID token verified, the session cookie set, then on to the page the sign-in began from' })
  async finishOidc(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.oidc) throw new HttpProblem(404, 'OIDC_NOT_CONFIGURED', 'Sign-in here is with local accounts (no BANLI_JWT_JWKS_URL)');
    void reply.header('cache-control', 'no-store').header('set-cookie', oidcCookie('', 0, overHttps(request)));
    try {
      const now = this.clock();
      const bound = cookieValue(request.headers.cookie, OIDC_COOKIE);
      if (typeof query.state !== 'string' || !bound || bound !== stateBinding(query.state)) {
        throw new HttpProblem(400, 'OIDC_STATE_INVALID', 'This sign-in was not started in this browser: sign in again');
      }
      const { actor, next } = await this.oidc.finish(query, now);
      const session = this.accounts.startExternalSession(actor, now);
      const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000));
      void reply.header('set-cookie', [oidcCookie('', 0, overHttps(request)), sessionCookie(session.token, maxAge, overHttps(request))]).redirect(next, 302);
    } catch (error) {
      // A browser came back: it is shown the login page with the reason, not a JSON problem.
      if (error instanceof HttpProblem) return void reply.redirect(`/login?error=${encodeURIComponent(error.code)}`, 302);
      throw error;
    }
  }

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a local account: sets the session cookie; answers the user and the CSRF token' })
  async signIn(@Body() body: SignInDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // With an OIDC issuer, people are who the issuer says: local passwords are not taken.
    if (this.oidc) throw new HttpProblem(403, 'LOCAL_SIGN_IN_DISABLED', 'Sign-in here goes through the OIDC issuer: GET /api/v1/session/oidc');
    const session = await this.accounts.signIn(body.username, body.password, this.clock());
    const maxAge = Math.floor((session.expiresAt.getTime() - this.clock().getTime()) / 1000);
    void reply.header('set-cookie', sessionCookie(session.token, maxAge, overHttps(request)));
    return { user: session.user, csrfToken: session.csrf, expiresAt: session.expiresAt.toISOString() };
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who is signed in, with the session’s CSRF token when signed in by cookie' })
  current(@CurrentActor() actor: Actor, @Req() request: FastifyRequest) {
    const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const session = cookie && !request.headers.authorization ? this.accounts.resolve(cookie, this.clock()) : undefined;
    return { user: { id: actor.id, name: actor.name ?? actor.id, roles: actor.roles, ...(actor.unit ? { unit: actor.unit } : {}) }, ...(session ? { csrfToken: session.csrf } : {}) };
  }

  @Delete()
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: the session ends on the server and the cookie is cleared' })
  signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (cookie) {
      const session = this.accounts.resolve(cookie, this.clock());
      // Signing out by cookie is a write too: a forged request may not end someone's session.
      if (session && request.headers['x-csrf-token'] !== session.csrf) throw new HttpProblem(403, 'CSRF_TOKEN_INVALID', 'Signing out needs the session’s CSRF token in x-csrf-token');
      this.accounts.signOut(cookie);
    }
    void reply.header('set-cookie', sessionCookie('', 0, overHttps(request)));
  }
}

function overHttps(request: FastifyRequest): boolean {
  // Only ever adds Secure: a client that claims https makes its own cookie stricter, nothing more.
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** The browser that began an OIDC sign-in: a hash of its state, Lax so that the issuer's redirect back carries it. */
const OIDC_COOKIE = 'banli_oidc';

function stateBinding(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}

function oidcCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${OIDC_COOKIE}=${value}; Path=/api/v1/session/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
