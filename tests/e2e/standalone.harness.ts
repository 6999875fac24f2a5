import { loadConfig, ReadModelService } from '@banli/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../apps/standalone/src/bootstrap';

export const SECRET = 'e2e-secret-that-is-at-least-32-characters-long';
/** The specs' webhook receivers listen on loopback over http: let them through, as an operator would an intranet. */
export const LOOPBACK_WEBHOOKS = { BANLI_WEBHOOK_ALLOW_NETWORKS: '127.0.0.0/8', BANLI_WEBHOOK_ALLOW_HTTP: 'true' };

/** The real standalone app on a temporary data directory, with a clock the spec moves. */
export class StandaloneHarness {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'banli-e2e-'));
  now = Date.parse('2023-02-20T02:00:00.000Z');
  app!: NestFastifyApplication;

  /** `env`: settings beside the harness's own (e.g. `BANLI_STREAM_MAX_PER_CALLER`). */
  constructor(private readonly env: Record<string, string> = {}) {
    // An operator's own rule set: the Chaotian CPPCC fixture of seed 002.
    mkdirSync(join(this.dataDir, 'rule-sets'));
    copyFileSync(join(__dirname, '../../libs/domain/src/testing/chaotian-cppcc-2023.rule-set.json'), join(this.dataDir, 'rule-sets', 'chaotian-cppcc-2023.json'));
  }

  async start(): Promise<this> {
    // The spec moves its own clock; the deadline scheduler has specs of its own.
    const config = loadConfig({ BANLI_DATA_DIR: this.dataDir, BANLI_JWT_SECRET: SECRET, BANLI_RULE_SET: 'cq-npc-2017', BANLI_SCHEDULER: 'off', ...this.env });
    this.app = await createApp(config, { clock: () => new Date(this.now), logger: false });
    return this;
  }

  async restart(): Promise<void> {
    await this.app.close();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.app?.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Sets the clock to a Shanghai wall-clock time, e.g. `at('2023-03-16 10:00')`. */
  at(local: string): void {
    const [date, time = '09:00'] = local.split(' ');
    this.now = Date.parse(`${date}T${time}:00+08:00`);
  }

  /** Waits until the read model holds everything recorded so far. */
  async settled(): Promise<ReadModelService> {
    const readModel = this.app.get(ReadModelService);
    await readModel.settled();
    return readModel;
  }

  http() {
    return request(this.app.getHttpServer());
  }
}

export async function token(claims: { sub: string; name?: string; unit?: string; roles: string[] }, secret = SECRET): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));
}

export const people = {
  office: () => token({ sub: 'clerk-1', name: '提案委办事员', unit: 'ct-tianwei', roles: ['office', 'admin'] }),
  handler: (unit: string) => token({ sub: `handler@${unit}`, unit, roles: ['handler'] }),
  signer: (unit: string) => token({ sub: `signer@${unit}`, unit, roles: ['signer'] }),
  supervisor: (unit: string) => token({ sub: `supervisor@${unit}`, unit, roles: ['supervisor'] }),
  proposer: (id: string) => token({ sub: id, roles: ['proposer'] }),
  auditor: () => token({ sub: 'auditor-1', roles: ['auditor'] }),
};
