import { BANLI_CONFIG, type BanliConfig, SESSION_RESOLVER } from '@banli/platform';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { SessionHttpController, UsersHttpController } from './accounts.http.controller';
import { Accounts } from './accounts.service';
import { OIDC_SIGN_IN, OidcSignIn } from './oidc.sign-in';
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
    { provide: AccountsStore, useFactory: (config: BanliConfig) => new AccountsStore(join(config.dataDir, ACCOUNTS_FILE)), inject: [BANLI_CONFIG] },
    { provide: Accounts, useFactory: (config: BanliConfig, store: AccountsStore) => new Accounts(store, config.session), inject: [BANLI_CONFIG, AccountsStore] },
    {
      // Sign-in through the OIDC issuer, where the API verifies tokens with its JWKS; none otherwise.
      provide: OIDC_SIGN_IN,
      useFactory: (config: BanliConfig, store: AccountsStore) => (config.jwt.kind === 'jwks' && config.oidc ? new OidcSignIn(config.jwt, config.oidc, store) : null),
      inject: [BANLI_CONFIG, AccountsStore],
    },
    { provide: SESSION_RESOLVER, useExisting: Accounts },
    AccountsLifecycle,
  ],
  exports: [Accounts, SESSION_RESOLVER],
})
export class AccountsModule {}
