import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { PersonalDataVault } from '../sqlite/personal-data.vault';

/**
 * What is shown to people carries personal data in the clear (or null once erased), never the sealed
 * form: every response body is opened on its way out. Registered outside the idempotency interceptor,
 * so stored replays keep the sealed form.
 */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  constructor(private readonly vault: PersonalDataVault) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((body) => this.vault.open(body)));
  }
}
