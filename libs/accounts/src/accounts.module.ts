import { BANLI_CONFIG, type BanliConfig, SESSION_RESOLVER } from '@banli/platform';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { SessionHttpController, UsersHttpController } from './accounts.http.controller';
import { Accounts } from './accounts.service';
import { ACCOUNTS_FILE, AccountsStore } from './sqlite/accounts.sqlite';

@Injectable()
class AccountsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(Accounts) private readonly accounts: Accounts) {}
  onApplicationShutdown(): void {
    this.accounts.close();
  }
}

/** Local accounts and console sessions, for the embedded default (`accounts.db` in the data directory). Global: the platform's guard asks it for sessions. */
@Global()
@Module({
  controllers: [UsersHttpController, SessionHttpController],
  providers: [
    {
      provide: Accounts,
      useFactory: (config: BanliConfig) => new Accounts(new AccountsStore(join(config.dataDir, ACCOUNTS_FILE)), config.session),
      inject: [BANLI_CONFIG],
    },
    { provide: SESSION_RESOLVER, useExisting: Accounts },
    AccountsLifecycle,
  ],
  exports: [Accounts, SESSION_RESOLVER],
})
export class AccountsModule {}
