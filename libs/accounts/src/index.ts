export * from './accounts.module';
export * from './accounts.service';
export * from './sqlite/accounts.sqlite';
export * from './oidc.sign-in';
