import { looksSealed } from '@banli/domain';
import { canonicalJson } from '@banli/event-store';
import { type CallHandler, type ExecutionContext, HttpStatus, Inject, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from './auth';
import { HttpProblem } from './problem';
import { IdempotencyStore } from './sqlite/idempotency.sqlite';
import { CLOCK } from './tokens';

interface Request extends AuthenticatedRequest {
  method: string;
  url: string;
  body?: unknown;
  /** The route matched (`/api/v1/proposals/:id/contacts`), whatever spelling of the path was sent. */
  routeOptions?: { url?: string };
}

const replaying = new AsyncLocalStorage<true>();

/** The path as the router read it: `/%61pi/v1/…` and `/api/v1/…` are one request. */
function decodedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Whether the command being handled is the replay of a stored answer: the route authorises it against
 * the item as it is now, and records nothing.
 */
export function replayingStoredAnswer(): boolean {
  return replaying.getStore() === true;
}

/** Item commands are authorised again, against the item as it is now, before their stored answer is replayed. */
const ITEM_COMMAND_ROUTE = /^\/api\/v1\/proposals(\/|$|\?)/;

/**
 * `Idempotency-Key` on POST and PUT: the same key with the same request replays the first answer and
 * records nothing; the same key with another request is refused. A key is scoped to the caller (subject,
 * unit and roles), and kept until it expires (`BANLI_IDEMPOTENCY_TTL`).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers['idempotency-key'];
    if ((request.method !== 'POST' && request.method !== 'PUT') || header === undefined) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (key.length === 0 || key.length > 200) throw new HttpProblem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 characters', { field: 'Idempotency-Key' });
    if (looksSealed(key)) throw new HttpProblem(400, 'SEALED_VALUE_IN_INPUT', 'Idempotency-Key carries a sealed personal-data value', { field: 'Idempotency-Key' });
    const actor = request.actor;
    // The same key from another subject, unit or set of roles is another key: a stored answer is never another caller's.
    const scope = createHash('sha256')
      .update(JSON.stringify([actor?.id ?? null, actor?.unit ?? null, [...(actor?.roles ?? [])].sort(), key]))
      .digest('hex');
    const route = request.routeOptions?.url ?? request.url;
    const fingerprint = createHash('sha256').update(`${request.method} ${decodedPath(request.url)}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const status =
      this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const reauthorise = ITEM_COMMAND_ROUTE.test(route) ? () => replaying.run(true, () => lastValueFrom(next.handle())) : undefined;
    return from(this.once(scope, fingerprint, status, () => lastValueFrom(next.handle()), reauthorise));
  }

  /** Requests under one key are serialised, so a double click cannot decide twice. */
  private async once(scope: string, fingerprint: string, status: number, run: () => Promise<unknown>, reauthorise?: () => Promise<unknown>): Promise<unknown> {
    while (this.inFlight.has(scope)) await this.inFlight.get(scope)!.catch(() => undefined);
    let stored;
    try {
      stored = this.store.get(scope, this.clock());
    } catch (error) {
      this.logger.error({ msg: 'the Idempotency-Key answers could not be read', error: (error as Error).message });
      throw new HttpProblem(503, 'IDEMPOTENCY_UNAVAILABLE', 'The Idempotency-Key answers cannot be read now; nothing was recorded. Try again.');
    }
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request');
      await reauthorise?.();
      return JSON.parse(stored.body);
    }
    const running = run().then((body) => {
      try {
        this.store.put(scope, { fingerprint, status, body: JSON.stringify(body ?? null) }, this.clock());
      } catch (error) {
        // What was recorded stands: the caller gets its answer; only a retry under this key would run again.
        this.logger.error({ msg: 'the answer could not be kept under its Idempotency-Key', error: (error as Error).message });
      }
      return body;
    });
    this.inFlight.set(scope, running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(scope);
    }
  }
}
