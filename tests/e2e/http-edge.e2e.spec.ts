import { connect, type Socket } from 'node:net';
import { people, StandaloneHarness, token } from './standalone.harness';

/** The service's edge as an attacker meets it: headers, caching, bad-token bursts, slow bodies, idle connections, operator pages. */
describe('the HTTP edge', () => {
  const bearer = async (t: Promise<string>) => `Bearer ${await t}`;

  describe('headers and caching', () => {
    const h = new StandaloneHarness();
    beforeAll(() => h.start());
    afterAll(() => h.stop());

    it('sends security headers on every answer, a CSP on every page, and no-store on API answers', async () => {
      const office = await bearer(people.office());
      await h.http().put('/api/v1/units/u-a').set('authorization', office).send({ name: 'A' }).expect(200);
      const id = (await h.http().post('/api/v1/proposals').set('authorization', office).send({ number: '1', session: 's', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'p', name: 'P', lead: true, phone: '13800000000' }] }).expect(201)).body.id;
      const item = await h.http().get(`/api/v1/proposals/${id}`).set('authorization', office).expect(200);
      expect(item.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
      const page = await h.http().get(`/api/v1/proposals/${id}/dossier`).set('authorization', office).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(page.headers['cache-control']).toBe('no-store');
      // An intranet console over plain http keeps loading its own scripts: no upgrade to an https that is not there.
      expect(page.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
      // A path spelled with escapes is the same route, and its answer is as private.
      const escaped = await h.http().get('/%61pi/v1/units').set('authorization', office).expect(200);
      expect(escaped.headers['cache-control']).toBe('no-store');
      const refused = await h.http().get(`/api/v1/proposals/${id}`).expect(401);
      expect(refused.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      // The API documentation still renders under the CSP: its page loads only its own scripts.
      const docs = await h.http().get('/api/docs').expect(200);
      expect(docs.text).not.toMatch(/<script>[^<]/);
    });
  });

  describe('bursts of bad tokens', () => {
    const h = new StandaloneHarness({ BANLI_AUTH_FAILURES_PER_MINUTE: '5', BANLI_OPS_ENDPOINTS: 'token' });
    beforeAll(() => h.start());
    afterAll(() => h.stop());

    it('answers 429 after a burst of bad tokens from one address, and lets known good tokens through', async () => {
      // A good token counts once, the first time it is seen; then it is known.
      const good = await bearer(people.office());
      await h.http().get('/api/v1/units').set('authorization', good).expect(200);
      await h.http().get('/api/v1/units').set('authorization', good).expect(200);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await h.http().get('/api/v1/units').set('authorization', `Bearer not.a.token${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      const limited = await h.http().get('/api/v1/units').set('authorization', 'Bearer another.bad.token').expect(429);
      expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'TOO_MANY_FAILED_AUTHENTICATIONS' });
      expect(limited.headers['retry-after']).toBeDefined();
      await h.http().get('/api/v1/units').set('authorization', good).expect(200);
    });

  });

  describe('the operators’ endpoints', () => {
    const h = new StandaloneHarness({ BANLI_OPS_ENDPOINTS: 'token' });
    beforeAll(() => h.start());
    afterAll(() => h.stop());

    it('keeps /metrics and /api/docs for admins and auditors when BANLI_OPS_ENDPOINTS=token', async () => {
      const admin = await bearer(token({ sub: 'ops', roles: ['admin'] }));
      const auditor = await bearer(people.auditor());
      const handler = await bearer(people.handler('u-a'));
      for (const path of ['/metrics', '/api/docs-json', '/api/docs-yaml', '/api/docs', '/%6detrics', '/api/%64ocs-json', '/metrics?x=1']) {
        expect((await h.http().get(path).expect(401)).body.code).toBe('UNAUTHENTICATED');
        expect((await h.http().get(path).set('authorization', handler).expect(403)).body.code).toBe('FORBIDDEN');
        await h.http().get(path).set('authorization', admin).expect(200);
        await h.http().get(path).set('authorization', auditor).expect(200);
      }
      await h.http().get('/health').expect(200);
    });
  });

  describe('slow and idle clients', () => {
    const h = new StandaloneHarness({ BANLI_HTTP_REQUEST_TIMEOUT: '2s', BANLI_HTTP_MAX_CONNECTIONS: '3' });
    let port: number;
    beforeAll(async () => {
      await h.start();
      await h.app.listen(0, '127.0.0.1');
      port = Number(new URL(await h.app.getUrl()).port);
    });
    afterAll(() => h.stop());
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
      });
    const closed = (socket: Socket) => new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));

    it('drops a request whose body trickles in past BANLI_HTTP_REQUEST_TIMEOUT', async () => {
      const socket = await open();
      const started = Date.now();
      const ended = closed(socket);
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.write(`POST /api/v1/units/u-slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nAuthorization: ${await bearer(people.office())}\r\n\r\n{`);
      const trickle = setInterval(() => socket.writable && socket.write(' '), 400);
      const at = await ended;
      clearInterval(trickle);
      expect(at - started).toBeLessThan(6_000);
      expect(at - started).toBeGreaterThanOrEqual(1_900);
      expect(answer).toMatch(/^HTTP\/1.1 408 Request Timeout\r\n/);
      expect(answer).toContain('application/problem+json');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    }, 15_000);

    it.each([
      ['headers larger than the server accepts', `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
      ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ])('answers %s with a problem document, then closes', async (_what, bytes, status, code) => {
      const socket = await open();
      const ended = closed(socket);
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.write(bytes);
      await ended;
      expect(answer.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status, code });
    });

    it('holds at most BANLI_HTTP_MAX_CONNECTIONS connections', async () => {
      const held = [await open(), await open(), await open()];
      const extra = await open().catch(() => undefined);
      const refused = extra ? await Promise.race([closed(extra).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000))]) : true;
      expect(refused).toBe(true);
      held.forEach((s) => s.destroy());
      extra?.destroy();
      await new Promise((r) => setTimeout(r, 100));
      await h.http().get('/health').expect(200);
    });
  });
});
