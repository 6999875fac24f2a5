import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from './auth';
import { HttpProblem } from './problem';

describe('TokenVerifier', () => {
  describe('with an OIDC issuer’s keys (JWKS over HTTP)', () => {
    let server: Server;
    let url: string;
    let privateKey: KeyLike;
    let strangerKey: KeyLike;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey as KeyLike;
      strangerKey = (await generateKeyPair('RS256')).privateKey as KeyLike;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const sign = (claims: object, key: KeyLike = privateKey, options: { issuer?: string; audience?: string; expires?: string } = {}) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('handler-7')
        .setIssuer(options.issuer ?? 'https://sso.example.gov.cn')
        .setAudience(options.audience ?? 'banli')
        .setIssuedAt()
        .setExpirationTime(options.expires ?? '10m')
        .sign(key);

    const verifier = () => new TokenVerifier({ kind: 'jwks', jwksUrl: url, issuer: 'https://sso.example.gov.cn', audience: 'banli', maxLifetimeSeconds: 12 * 3600 });

    it('accepts a token signed by the issuer and reads the actor from its claims', async () => {
      const actor = await verifier().verify(await sign({ name: '张三', unit: 'cq-edu', roles: ['handler', 'system', 'wizard'] }));
      // `system` is the scheduler's own role and can never come from a token; unknown roles are dropped.
      expect(actor).toEqual({ id: 'handler-7', name: '张三', unit: 'cq-edu', roles: ['handler'] });
    });

    it.each`
      what                    | make
      ${'another audience'}   | ${() => sign({ roles: ['office'] }, undefined, { audience: 'someone-else' })}
      ${'another issuer'}     | ${() => sign({ roles: ['office'] }, undefined, { issuer: 'https://evil.example' })}
      ${'a stranger’s key'}   | ${() => sign({ roles: ['office'] }, strangerKey)}
      ${'an expired token'}   | ${() => sign({ roles: ['office'] }, undefined, { expires: '-1m' })}
      ${'a token for a week'} | ${() => sign({ roles: ['office'] }, undefined, { expires: '7d' })}
    `('refuses $what with 401 INVALID_TOKEN', async ({ make }) => {
      const error = await verifier()
        .verify(await make())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpProblem);
      expect(error).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    });
  });

  describe('with a shared HS256 secret', () => {
    const secret = 'a-development-secret-of-at-least-32-chars';
    const verifier = new TokenVerifier({ kind: 'hs256', secret, generated: false, maxLifetimeSeconds: 12 * 3600 });
    const sign = (claims: object, sub?: string, { expires = '10m', issued = true } = {}) => {
      let jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' });
      if (expires) jwt = jwt.setExpirationTime(expires);
      if (issued) jwt = jwt.setIssuedAt();
      return (sub === undefined ? jwt : jwt.setSubject(sub)).sign(new TextEncoder().encode(secret));
    };

    it('accepts its own tokens, and remembers them', async () => {
      const token = await sign({ roles: ['office'] }, 'clerk-1');
      expect(await verifier.verify(token)).toEqual({ id: 'clerk-1', roles: ['office'] });
      expect(await verifier.verify(token)).toEqual({ id: 'clerk-1', roles: ['office'] });
    });

    it('refuses a token without an expiry or an issue time, one living longer than BANLI_JWT_MAX_LIFETIME, and one issued in the future', async () => {
      const future = Math.floor(Date.now() / 1000) + 3600;
      const issuedLater = await new SignJWT({ roles: ['office'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('c').setIssuedAt(future).setExpirationTime(future + 60).sign(new TextEncoder().encode(secret));
      for (const token of [await sign({ roles: ['office'] }, 'c', { expires: '' }), await sign({ roles: ['office'] }, 'c', { issued: false }), await sign({ roles: ['office'] }, 'c', { expires: '13h' }), issuedLater]) {
        await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
      }
      expect(await verifier.verify(await sign({ roles: ['office'] }, 'c', { expires: '12h' }))).toMatchObject({ id: 'c' });
    });

    it('refuses a token that expires before it was issued (within the clock skew allowed for iat)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const backwards = await new SignJWT({ roles: ['office'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('c').setIssuedAt(now + 30).setExpirationTime(now + 20).sign(new TextEncoder().encode(secret));
      await expect(verifier.verify(backwards)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN', message: expect.stringContaining('exp must be after iat') });
    });

    it('refuses a token without a subject, garbage, and an unsigned token', async () => {
      for (const token of [await sign({ roles: ['office'] }), 'not.a.jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
        await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
      }
    });
  });
});
