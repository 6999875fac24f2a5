/**
 * npm run token -- --sub clerk-1 --name 办事员 --unit u-office --roles office,admin [--hours 8]
 *
 * Mints a development token signed with BANLI_JWT_SECRET, or with the secret `npm start` generated in
 * the data directory when none is set.
 */
import { developmentSecret, durationSeconds } from '@banli/platform';
import { SignJWT } from 'jose';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      unit: { type: 'string' },
      roles: { type: 'string', default: '' },
      hours: { type: 'string', default: '8' },
    },
  });
  if (!values.sub) throw new Error('Usage: npm run token -- --sub ID [--name NAME] [--unit UNIT] --roles office,handler,… [--hours 8]');
  const hours = Number(values.hours);
  const maxHours = durationSeconds(process.env.BANLI_JWT_MAX_LIFETIME ?? '12h', 'BANLI_JWT_MAX_LIFETIME') / 3600;
  if (!(hours > 0 && hours <= maxHours)) throw new Error(`--hours must be more than 0 and at most ${maxHours} (BANLI_JWT_MAX_LIFETIME): the service refuses longer-lived tokens`);
  const secret = process.env.BANLI_JWT_SECRET ?? developmentSecret(resolve(process.env.BANLI_SECRETS_DIR ?? process.env.BANLI_DATA_DIR ?? './data'));
  const token = await new SignJWT({
    ...(values.name ? { name: values.name } : {}),
    ...(values.unit ? { unit: values.unit } : {}),
    roles: values.roles!.split(',').map((r) => r.trim()).filter(Boolean),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(values.sub)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(new TextEncoder().encode(secret));
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
