import { loadConfig } from '@banli/platform';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.http.host);
  const url = `http://localhost:${config.port}`;
  new Logger('main').log({ msg: 'listening', url: `${url}/api/v1`, openApi: `${url}/api/docs`, health: `${url}/health`, dataDir: config.dataDir, eventStore: config.eventStore.kind, bus: config.bus, defaultRuleSet: config.defaultRuleSet });
  if (config.jwt.kind === 'hs256' && config.jwt.generated) {
    console.warn(
      [
        'WARNING: BANLI_JWT_SECRET is not set. This is a DEVELOPMENT setup: a secret was generated and kept in',
        `  ${config.secretsDir}/dev-jwt-secret. Mint a token with, for example:`,
        '  npm run token -- --sub clerk-1 --name 办事员 --roles office,admin',
        'Set BANLI_JWT_SECRET (or BANLI_JWT_JWKS_URL for an OIDC issuer) before real use.',
      ].join('\n'),
    );
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
