import { expect, request, test } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where BANLI_JWT_JWKS_URL is set, the console signs in through the OIDC issuer: the authorization code flow
 * with PKCE. The issuer is a real OpenID Provider (panva's oidc-provider, certified) on its own port, with its
 * own login and consent pages; the service is the real build, started here with that issuer's settings.
 */
const IDP_PORT = Number(process.env.BANLI_OIDC_TEST_IDP_PORT ?? 3918);
const APP_PORT = Number(process.env.BANLI_OIDC_TEST_APP_PORT ?? 3919);
const ISSUER = `http://127.0.0.1:${IDP_PORT}`;
const APP = `http://127.0.0.1:${APP_PORT}`;
const ROOT = join(__dirname, '..', '..');

let idp: Server;
let service: ChildProcess;
let dataDir: string;

test.beforeAll(async () => {
  const { default: Provider } = (await import('oidc-provider')) as unknown as { default: new (issuer: string, config: object) => { listen(port: number): Server } };
  const provider = new Provider(ISSUER, {
    clients: [{ client_id: 'banli-console', redirect_uris: [`${APP}/api/v1/session/oidc/callback`], response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' }],
    scopes: ['openid', 'profile', 'banli'],
    claims: { openid: ['sub'], profile: ['name'], banli: ['roles', 'unit'] },
    // The ID token carries the claims (not only the userinfo endpoint): Banli reads roles and unit from it.
    conformIdTokenClaims: false,
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, name: '统一认证 督办员', roles: ['supervisor'], unit: 'ct-zhengfuban' }) }),
  });
  idp = provider.listen(IDP_PORT);
  dataDir = mkdtempSync(join(tmpdir(), 'banli-oidc-'));
  service = spawn(process.execPath, [join(ROOT, 'dist/apps/standalone/src/main.js')], {
    env: {
      ...process.env,
      BANLI_DATA_DIR: dataDir,
      PORT: String(APP_PORT),
      BANLI_HOST: '127.0.0.1',
      BANLI_JWT_JWKS_URL: `${ISSUER}/jwks`,
      BANLI_JWT_ISSUER: ISSUER,
      BANLI_JWT_AUDIENCE: 'banli-console',
      BANLI_OIDC_CLIENT_ID: 'banli-console',
      BANLI_OIDC_REDIRECT_URL: `${APP}/api/v1/session/oidc/callback`,
      BANLI_OIDC_SCOPE: 'openid profile banli',
      BANLI_CONSOLE_DIR: join(ROOT, 'dist', 'console'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${APP}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the service with the OIDC settings did not start');
});

test.afterAll(async () => {
  service?.kill('SIGTERM');
  await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

test('the console signs in at the OIDC issuer with code + PKCE, and the session carries the roles the issuer gave', async ({ page }) => {
  const authorizeRequests: URL[] = [];
  const callbacks: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${ISSUER}/auth`)) authorizeRequests.push(new URL(r.url()));
    if (r.url().startsWith(`${APP}/api/v1/session/oidc/callback`)) callbacks.push(r.url());
  });
  await page.goto(`${APP}/board`);
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)board/);
  // No password form here: people sign in at the issuer.
  await expect(page.getByRole('textbox', { name: '密码' })).toHaveCount(0);
  await page.getByTestId('oidc-sign-in').click();
  await expect(page).toHaveURL(new RegExp(`^${ISSUER}/interaction/`));
  const authorize = authorizeRequests[0];
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  await page.locator('input[name=login]').fill('wang.duban');
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]').click(); // consent
  await expect(page).toHaveURL(`${APP}/board`);
  await expect(page.getByTestId('who')).toContainText('统一认证 督办员');
  const session = (await (await page.request.get(`${APP}/api/v1/session`)).json()) as { user: { id: string; roles: string[]; unit: string } };
  expect(session.user).toMatchObject({ id: 'wang.duban', roles: ['supervisor'], unit: 'ct-zhengfuban' });
  // Local passwords are not taken where the issuer signs people in.
  const local = await page.request.post(`${APP}/api/v1/session`, { data: { username: 'admin', password: 'Correct-Horse-Battery-9' } });
  expect(local.status()).toBe(403);
  expect(((await local.json()) as { code: string }).code).toBe('LOCAL_SIGN_IN_DISABLED');
  // The state (and its PKCE verifier) is taken once: the same callback again signs nobody in.
  await page.goto(callbacks[0]);
  await expect(page).toHaveURL(/\/login\?error=OIDC_STATE_INVALID/);
});

test('a callback whose state was never sent is refused, and the login page says so', async ({ page }) => {
  await page.goto(`${APP}/api/v1/session/oidc/callback?code=forged&state=not-a-state-we-sent`);
  await expect(page).toHaveURL(/\/login\?error=OIDC_STATE_INVALID/);
  await expect(page.getByRole('alert')).toContainText('OIDC_STATE_INVALID');
  expect((await page.context().cookies()).some((c) => c.name === 'banli_session' && c.value !== '')).toBe(false);
});

test('a callback URL begun in another browser signs no one in (login CSRF): the state is bound to the browser that started', async ({ browser }) => {
  // The attacker begins a sign-in and signs in at the issuer as themselves (an HTTP client with its own
  // cookie jar), and stops at the redirect back to Banli: a fresh, unused code and state.
  const attacker = await request.newContext();
  let next = `${APP}/api/v1/session/oidc?next=%2Fworkbench`;
  let lured = '';
  for (let hop = 0; hop < 12 && !lured; hop++) {
    const answer = await attacker.get(next, { maxRedirects: 0 });
    const location = answer.headers().location;
    if (location) {
      const target = new URL(location, next).toString();
      if (target.startsWith(`${APP}/api/v1/session/oidc/callback`)) lured = target;
      next = target;
      continue;
    }
    // The issuer's own login, then consent, pages: each a form posting to where it says.
    const html = await answer.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${next}`);
    const posted = await attacker.post(new URL(action, next).toString(), { form: html.includes('name="login"') ? { prompt: 'login', login: 'attacker', password: 'any' } : { prompt: 'consent' }, maxRedirects: 0 });
    if (!posted.headers().location) throw new Error(`the issuer answered ${posted.status()} to ${action}`);
    next = new URL(posted.headers().location, next).toString();
  }
  expect(lured).toMatch(/[?&]code=[^&]+&?.*state=|[?&]state=.*code=/);
  await attacker.dispose();
  // The victim is sent the attacker's callback URL.
  const victim = await (await browser.newContext()).newPage();
  await victim.goto(lured);
  await expect(victim).toHaveURL(/\/login\?error=OIDC_STATE_INVALID/);
  expect((await victim.context().cookies()).some((c) => c.name === 'banli_session' && c.value !== '')).toBe(false);
});
