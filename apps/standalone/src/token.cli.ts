/**
 * npm run token -- --sub clerk-1 --name 办事员 --unit u-office --roles office,admin [--hours 12]
 *
 * Mints a development token signed with BANLI_JWT_SECRET, or with the secret `npm start` generated in
 * the data directory when none is set.
 */
import { developmentSecret } from '@banli/platform';
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
      hours: { type: 'string', default: '12' },
    },
  });
  if (!values.sub) throw new Error('Usage: npm run token -- --sub ID [--name NAME] [--unit UNIT] --roles office,handler,… [--hours 12]');
  const secret = process.env.BANLI_JWT_SECRET ?? developmentSecret(resolve(process.env.BANLI_DATA_DIR ?? './data'));
  const token = await new SignJWT({
    ...(values.name ? { name: values.name } : {}),
    ...(values.unit ? { unit: values.unit } : {}),
    roles: values.roles!.split(',').map((r) => r.trim()).filter(Boolean),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(values.sub)
    .setIssuedAt()
    .setExpirationTime(`${Number(values.hours)}h`)
    .sign(new TextEncoder().encode(secret));
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
