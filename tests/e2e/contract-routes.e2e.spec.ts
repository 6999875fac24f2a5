import { people, StandaloneHarness, token, LOOPBACK_WEBHOOKS } from './standalone.harness';

/** Every route of ../shared/API.md, with a body that would pass validation. */
const ITEM_ROUTES: [method: 'post' | 'put' | 'get', path: string, body?: object][] = [
  ['post', 'registration', { decision: 'accepted' }],
  ['post', 'assignment', { mode: 'lead-with-co', leadUnits: ['u-a'] }],
  ['post', 'acknowledgements', {}],
  ['post', 'adjustment-requests', { reason: 'r' }],
  ['post', 'adjustment-requests/adjustment-1/decision', { approved: false }],
  ['post', 'contacts', { stage: 'before', channel: 'phone', summary: 's' }],
  ['put', 'co-opinions/u-b', { content: 'c' }],
  ['post', 'co-opinions/u-b/return', { reason: 'r' }],
  ['put', 'replies/u-a', { documentNumber: 'd', resultClass: 'A', body: 'b', contactPerson: 'p', contactPhone: '1', disclose: true }],
  ['post', 'replies/u-a/signature', {}],
  ['post', 'replies/u-a/review', { approved: true }],
  ['post', 'replies/u-a/dispatch', {}],
  ['post', 'replies/u-a/publication', {}],
  ['get', 'replies/u-a/publication/preview'],
  ['post', 'deadlines/reply:u-a:1/on-time-confirmation', { reason: 'r' }],
  ['post', 'evaluations', { satisfaction: 'satisfied' }],
  ['post', 'rehandling', { reason: 'r' }],
  ['post', 'extensions', { months: 1, reason: 'r' }],
  ['post', 'commitments/c-1/fulfilment', { note: 'n' }],
  ['post', 'urges', { message: 'm' }],
  ['post', 'closure', {}],
  ['post', 'withdrawal', { reason: 'r' }],
  ['get', ''],
  ['get', 'history'],
  ['get', 'dossier'],
];
const COLLECTION_ROUTES: [method: 'get' | 'put' | 'post', path: string, body?: object][] = [
  ['post', '/api/v1/proposals', { number: '1', session: 's', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'p', name: 'n', lead: true }] }],
  ['get', '/api/v1/proposals'],
  ['get', '/api/v1/units'],
  ['put', '/api/v1/units/u-z', { name: 'n' }],
  ['get', '/api/v1/supervision/deadlines'],
  ['get', '/api/v1/supervision/deadlines/upcoming'],
  ['get', '/api/v1/supervision/deadlines/overdue'],
  ['get', '/api/v1/supervision/on-time'],
  ['get', '/api/v1/supervision/stream'],
  ['post', '/api/v1/supervision/webhooks', { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' }],
  ['get', '/api/v1/supervision/webhooks'],
  ['get', '/api/v1/stats'],
  ['get', '/api/v1/audit/verify'],
  ['post', '/api/v1/personal-data/erasures', { subject: 'proposer:p' }],
];

describe('every route of the contract refuses what it must', () => {
  const h = new StandaloneHarness(LOOPBACK_WEBHOOKS);
  let id: string;
  let revision: number;
  const nobody = () => token({ sub: 'nobody', roles: [] });

  beforeAll(async () => {
    await h.start();
    h.at('2025-03-03 09:00');
    const office = `Bearer ${await people.office()}`;
    for (const unit of ['u-a', 'u-b', 'u-z']) await h.http().put(`/api/v1/units/${unit}`).set('authorization', office).send({ name: unit }).expect(200);
    const res = await h.http()
      .post('/api/v1/proposals')
      .set('authorization', office)
      .send({ number: '7', session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'dep-a', name: 'A', lead: true }] })
      .expect(201);
    id = res.body.id;
    revision = res.body.revision;
  });
  afterAll(() => h.stop());

  const send = (method: 'post' | 'put' | 'get', path: string, body?: object) => {
    const req = h.http()[method](path);
    return body === undefined ? req : req.send(body);
  };
  const expectProblem = (res: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toEqual(expect.any(String));
  };

  describe.each(ITEM_ROUTES)('%s /proposals/{id}/%s', (method, path, body) => {
    const url = () => `/api/v1/proposals/${id}${path ? `/${path}` : ''}`;

    it('401 without a token', async () => expectProblem(await send(method, url(), body), 401));

    it('403 for a caller whose roles allow nothing', async () => {
      expectProblem(await send(method, url(), body).set('authorization', `Bearer ${await nobody()}`), 403);
    });

    it('404 for an item that does not exist', async () => {
      const res = await send(method, `/api/v1/proposals/ns-0000000000000000${path ? `/${path}` : ''}`, body).set('authorization', `Bearer ${await people.office()}`);
      expectProblem(res, 404);
    });

    if (body !== undefined) {
      it('400 for an unknown field, and for a body that is not an object', async () => {
        const auth = `Bearer ${await people.office()}`;
        expectProblem(await send(method, url(), { ...body, smuggled: true }).set('authorization', auth), 400);
        expectProblem(await send(method, url()).set('authorization', auth).set('content-type', 'application/json').send('[]'), 400);
      });

      it('412 for a stale If-Match', async () => {
        const res = await send(method, url(), body).set('authorization', `Bearer ${await people.office()}`).set('if-match', String(revision + 5));
        expectProblem(res, 412);
      });
    }

    afterAll(async () => {
      // Nothing above may have changed the item.
      const now = await h.http().get(`/api/v1/proposals/${id}`).set('authorization', `Bearer ${await people.office()}`).expect(200);
      expect(now.body.revision).toBe(revision);
    });
  });

  describe.each(COLLECTION_ROUTES)('%s %s', (method, url, body) => {
    it('401 without a token', async () => expectProblem(await send(method, url, body), 401));
    it(url === '/api/v1/units' && method === 'get' ? 'any signed-in caller may read the directory' : '403 for a caller whose roles allow nothing', async () => {
      const res = await send(method, url, body).set('authorization', `Bearer ${await nobody()}`);
      if (url === '/api/v1/units' && method === 'get') expect(res.status).toBe(200);
      else expectProblem(res, 403);
    });
    if (body !== undefined) {
      it('400 for an unknown field', async () => {
        expectProblem(await send(method, url, { ...body, smuggled: true }).set('authorization', `Bearer ${await people.office()}`), 400);
      });
    }
  });

  it('409 DUPLICATE_PROPOSAL and 422 UNKNOWN_UNIT where they apply', async () => {
    const office = `Bearer ${await people.office()}`;
    const again = await h.http().post('/api/v1/proposals').set('authorization', office).send({ number: '7', session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'dep-a', name: 'A', lead: true }] });
    expectProblem(again, 409);
    await h.http().post(`/api/v1/proposals/${id}/registration`).set('authorization', office).send({ decision: 'accepted' }).expect(200);
    const unknown = await h.http().post(`/api/v1/proposals/${id}/assignment`).set('authorization', office).send({ mode: 'lead-with-co', leadUnits: ['nowhere'] });
    expectProblem(unknown, 422);
  });

  it('the public and operations routes need no token', async () => {
    await h.http().get('/api/v1/public/replies').expect(200);
    await h.http().get('/health').expect(200);
    await h.http().get('/metrics').expect(200);
    await h.http().get('/api/docs-json').expect(200);
  });
});
