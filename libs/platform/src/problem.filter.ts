import { ContentionError, ItemNotFoundError, RevisionMismatchError } from '@banli/application';
import { DomainError } from '@banli/domain';
import { ConcurrencyError, InvalidAppendError, StoreUnavailableError } from '@banli/event-store';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HttpProblem, type Problem, problem, STATUS_BY_CATEGORY } from './problem';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** Every error leaves as application/problem+json with a stable code; only a genuine fault is a 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toProblem(error);
    if (body.status >= 500) this.logger.error({ msg: 'request failed', error: (error as Error)?.stack ?? String(error) });
    if (typeof body.retryAfter === 'number') void reply.header('retry-after', String(body.retryAfter));
    void reply.status(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
  }

  toProblem(error: unknown): Problem {
    if (error instanceof HttpProblem) return problem(error.status, error.code, error.message, error.extensions);
    if (error instanceof DomainError) {
      return problem(STATUS_BY_CATEGORY[error.category], error.code, error.message, Object.keys(error.details).length ? { details: error.details } : {});
    }
    if (error instanceof ItemNotFoundError) return problem(404, 'NOT_FOUND', error.message);
    // A pinned revision (If-Match) that the item is not at: the precondition failed.
    if (error instanceof RevisionMismatchError) return problem(412, 'REVISION_MISMATCH', error.message, error.revision === undefined ? {} : { revision: error.revision });
    if (error instanceof ContentionError) return problem(409, 'REVISION_MISMATCH', error.message);
    if (error instanceof ConcurrencyError) return problem(409, 'REVISION_MISMATCH', error.message);
    if (error instanceof InvalidAppendError) return problem(422, 'INVALID_APPEND', error.message);
    if (error instanceof StoreUnavailableError) return problem(503, 'STORE_UNAVAILABLE', 'The event store is unavailable; nothing was recorded. Try again.');
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status < 500) return problem(status, CODE_BY_STATUS[status] ?? 'BAD_REQUEST', messageOf(error.getResponse()) ?? error.message);
    }
    // Fastify's own request errors (unparsable JSON, body too large, wrong content type) carry a 4xx statusCode.
    const statusCode = (error as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return problem(statusCode, CODE_BY_STATUS[statusCode] ?? 'BAD_REQUEST', (error as Error).message);
    }
    return problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred; nothing was recorded.');
  }
}

function messageOf(response: unknown): string | undefined {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown })?.message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
}
