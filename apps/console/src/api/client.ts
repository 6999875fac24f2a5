import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** A refusal as the service words it (problem+json): the stable code, and a sentence a person can read. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

let csrfToken: string | undefined;
let onSignedOut: (() => void) | undefined;

/** The session's CSRF token: cookie-authenticated writes carry it in x-csrf-token. */
export function useCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the service says the session has ended (401): the console goes to /login. */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const session: Middleware = {
  onRequest({ request }) {
    if (WRITE_METHODS.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  async onResponse({ response, request }) {
    if (response.ok) return response;
    const body = (await response.clone().json().catch(() => ({}))) as { code?: string; detail?: string; title?: string } & Record<string, unknown>;
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) onSignedOut?.();
    throw new ApiProblem(response.status, body.code ?? `HTTP_${response.status}`, body.detail ?? body.title ?? response.statusText, body);
  },
};

/** The service's HTTP contract, typed from its OpenAPI document (`npm run build` regenerates schema.d.ts). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

/** The body of a successful answer, typed by the caller where the OpenAPI document leaves it open. */
export async function data<T>(request: Promise<{ data?: unknown; response: Response }>): Promise<T> {
  const { data: body, response } = await request;
  if (response.status === 204) return undefined as T;
  return body as T;
}
