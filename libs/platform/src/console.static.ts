import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the console never answers: the API, the OpenAPI pages and the operators' endpoints keep their own 404s. */
const NOT_CONSOLE = /^\/(api|health|metrics)(\/|$|\?)/;

/**
 * Serves the built console (a single-page app) from `dir`: its hashed assets under `/assets/`, and its
 * page for every other GET a browser asks for, so `/items/{id}` opens on a reload. Registered before
 * the API's routes are, and below them in priority: a static route or a parametric one always wins over
 * this wildcard. Returns false when no build is there (the API runs alone).
 */
export async function serveConsole(app: NestFastifyApplication, dir: string): Promise<boolean> {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const page = readFileSync(index);
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyStatic as never, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    // File names carry their content's hash.
    immutable: true,
    maxAge: '365d',
    wildcard: true,
    index: false,
  });
  fastify.get('/favicon.svg', (_request: FastifyRequest, reply: FastifyReply) => {
    const file = join(dir, 'favicon.svg');
    if (!existsSync(file)) return reply.callNotFound();
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(readFileSync(file));
  });
  fastify.get('/*', (request: FastifyRequest, reply: FastifyReply) => {
    if (NOT_CONSOLE.test(request.url)) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  });
  return true;
}
