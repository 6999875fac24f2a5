import { canonicalJson } from '@banli/event-store';
import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from './auth';
import { HttpProblem } from './problem';
import { IdempotencyStore } from './sqlite/idempotency.sqlite';

interface Request extends AuthenticatedRequest {
  method: string;
  url: string;
  body?: unknown;
}

/**
 * `Idempotency-Key` on POST and PUT: the same key with the same request replays the first answer and
 * records nothing; the same key with another request is refused. Keys are scoped to the caller.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers['idempotency-key'];
    if ((request.method !== 'POST' && request.method !== 'PUT') || header === undefined) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (key.length === 0 || key.length > 200) throw new HttpProblem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 characters', { field: 'Idempotency-Key' });
    const scope = `${request.actor?.id ?? 'anonymous'}\u0000${key}`;
    const fingerprint = createHash('sha256').update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const status =
      this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return from(this.once(scope, fingerprint, status, () => lastValueFrom(next.handle())));
  }

  /** Requests under one key are serialised, so a double click cannot decide twice. */
  private async once(scope: string, fingerprint: string, status: number, run: () => Promise<unknown>): Promise<unknown> {
    while (this.inFlight.has(scope)) await this.inFlight.get(scope)!.catch(() => undefined);
    const stored = this.store.get(scope);
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request');
      return JSON.parse(stored.body);
    }
    const running = run().then((body) => {
      this.store.put(scope, { fingerprint, status, body: JSON.stringify(body ?? null) });
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

