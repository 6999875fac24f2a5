import { ACCOUNT_ROLES, Accounts, ACCOUNTS_FILE, AccountsStore } from '@banli/accounts';
import type { Role } from '@banli/domain';
import { type BanliConfig, HttpProblem } from '@banli/platform';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

interface Out {
  out(line: string): void;
  err(line: string): void;
}

export interface UserToAdd {
  readonly id: string;
  /** Comma-separated. */
  readonly roles: string;
  readonly name?: string;
  readonly unit?: string;
  readonly passwordFromStdin: boolean;
}

/** `banli user add`: a local account written straight into the data directory's accounts file (the service may be running). */
export async function addUser(config: BanliConfig, input: UserToAdd, io: Out, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const roles = input.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(ACCOUNT_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0 || roles.length === 0) {
    io.err(`--roles takes one or more of ${ACCOUNT_ROLES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
    return 2;
  }
  const generated = !input.passwordFromStdin;
  const password = generated ? randomBytes(15).toString('base64url') : (await readAll(stdin)).replace(/\r?\n$/, '');
  const accounts = new Accounts(new AccountsStore(join(config.dataDir, ACCOUNTS_FILE)), config.session);
  try {
    const { user, created } = await accounts.putUser(input.id, { name: input.name ?? input.id, roles: roles as Role[], ...(input.unit ? { unit: input.unit } : {}), password }, new Date());
    io.out(`${created ? 'added' : 'updated'} ${user.id} (${user.roles.join(', ')}${user.unit ? `, unit ${user.unit}` : ''}) in ${join(config.dataDir, ACCOUNTS_FILE)}`);
    if (generated) io.out(`password (shown once, sign in at /login): ${password}`);
    return 0;
  } catch (error) {
    if (error instanceof HttpProblem) {
      io.err(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    accounts.close();
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
