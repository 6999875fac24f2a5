import rateLimit from '@fastify/rate-limit';
import helmet from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TokenVerifier } from './auth';
import type { BanliConfig } from './banli.config';
import { HttpProblem, problem } from './problem';

/**
 * The HTTP server Banli listens with: a request (headers and body) must arrive whole within the
 * configured time, and the connections it holds are bounded. Node checks the timeouts every
 * `connectionsCheckingInterval`, so that interval is kept well below the timeout.
 */
export function banliServerFactory(http: BanliConfig['http']) {
  return (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    const server = createServer(
      {
        requestTimeout: http.requestTimeoutMs,
        headersTimeout: http.headersTimeoutMs,
        connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(http.requestTimeoutMs / 4))),
      },
      handler,
    );
    server.maxConnections = http.maxConnections;
    return server;
  };
}

/**
 * What the server answers when a request never became one (the body did not arrive in time, headers too
 * large, bytes that are not HTTP): a problem document like every other refusal, then the connection closes.
 */
export function clientErrorAnswer(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive whole in time (BANLI_HTTP_REQUEST_TIMEOUT)']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts']
        : [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

const BEARER = /^Bearer\s+(\S+)$/i;
/** Routes for operators, not users: metrics and the API documentation (its page, its assets, its JSON and YAML). */
const OPS_ROUTE = /^\/(metrics$|api\/docs)/;

/**
 * The route a request was matched to (`/api/v1/proposals/:id`), never the URL as sent: a check on the
 * raw URL is passed by `/%6detrics`, which the router decodes to `/metrics`.
 */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? '';
}

/**
 * The service's edge, in front of every route:
 * - security headers, helmet's (a CSP on every page, `nosniff`, no framing);
 * - `Cache-Control: no-store` on every API answer, since any may carry personal data (a route may say otherwise);
 * - requests whose bearer token is not yet known to be good (a new token, or a bad one) are limited
 *   per client address: a burst of bad tokens ends in 429;
 * - `/metrics` and `/api/docs` for a token with the admin or auditor role when `BANLI_OPS_ENDPOINTS=token`.
 */
/**
 * The security headers, as helmet sets them, computed once: @fastify/helmet would build helmet's
 * middleware again for every request, a measurable part of each command (bench:api).
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        // Not helmet's default upgrade-insecure-requests: an intranet console served over plain http
        // would have its own scripts upgraded to an https that does not answer.
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  const capture = { setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)), removeHeader: (name: string) => void delete headers[name.toLowerCase()] };
  middleware({} as never, capture as never, () => undefined);
  return headers;
}

export async function hardenHttpEdge(app: NestFastifyApplication, config: BanliConfig, verifier: TokenVerifier): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const headers = securityHeaders();
  const apiHeaders = { ...headers, 'cache-control': 'no-store' };
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.headers(routeOf(request).startsWith('/api/v1/') || request.url.startsWith('/api/v1/') ? apiHeaders : headers);
    done();
  });
  await app.register(rateLimit as never, {
    global: false,
    max: config.http.authFailuresPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.ip,
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; max: number }) =>
      Object.assign(new HttpProblem(429, 'TOO_MANY_FAILED_AUTHENTICATIONS', `More than ${context.max} requests with unverified tokens from this address in a minute; retry in ${context.after}`), {
        statusCode: 429,
      }),
  });
  // Only requests carrying a token not yet verified are counted: a good token is counted once, then known.
  const limit = (fastify as unknown as { rateLimit: () => (request: FastifyRequest, reply: FastifyReply) => Promise<void> }).rateLimit();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const match = BEARER.exec(String(request.headers.authorization ?? ''));
    if (!match || verifier.knows(match[1])) return done();
    limit.call(fastify, request, reply).then(() => done(), done);
  });
  if (config.http.opsEndpoints === 'token') {
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!OPS_ROUTE.test(routeOf(request))) return;
      const match = BEARER.exec(String(request.headers.authorization ?? ''));
      let body = problem(401, 'UNAUTHENTICATED', 'This endpoint needs a bearer token with the admin or auditor role (BANLI_OPS_ENDPOINTS=token)');
      if (match) {
        try {
          const actor = await verifier.verify(match[1]);
          if (actor.roles.some((r) => r === 'admin' || r === 'auditor')) return;
          body = problem(403, 'FORBIDDEN', 'This endpoint is for the admin and auditor roles');
        } catch (error) {
          if (error instanceof HttpProblem) body = problem(error.status, error.code, error.message);
          else throw error;
        }
      }
      return reply.status(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
    });
  }
}
