import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { SECRET } from './standalone.harness';

const ROOT = join(__dirname, '../..');
export const SERVICES = { assignment: 3401, 'co-handling': 3402, supervision: 3403, feedback: 3404 } as const;
export type Service = keyof typeof SERVICES;

/**
 * A broker of its own (so this suite can stop and restart it) and the four built services as separate
 * processes on one shared SQLite store, exactly as `npm run start:distributed` runs them.
 */
export class DistributedHarness {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'banli-dist-'));
  readonly kafkaPort = process.env.BANLI_TEST_DIST_KAFKA_PORT ?? '19292';
  readonly brokers = `127.0.0.1:${this.kafkaPort}`;
  readonly processes = new Map<Service, ChildProcess>();

  /** The suite's own broker, with its data inside the suite's temporary directory: every run starts empty. */
  kafka(command: 'start' | 'stop'): void {
    execFileSync(join(ROOT, 'deploy/local/kafka/kafka.sh'), [command], {
      stdio: 'ignore',
      env: { ...process.env, KAFKA_PORT: this.kafkaPort, KAFKA_RUN_DIR: join(this.dataDir, 'kafka') },
    });
  }

  async startService(service: Service): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${service}/src/main.js`)], {
      env: {
        ...process.env,
        BANLI_SERVICE: service,
        PORT: String(SERVICES[service]),
        BANLI_DATA_DIR: this.dataDir,
        BANLI_JWT_SECRET: SECRET,
        BANLI_BUS: 'kafka',
        KAFKA_BROKERS: this.brokers,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    this.processes.set(service, child);
    await this.waitFor(async () => (await fetch(`http://127.0.0.1:${SERVICES[service]}/health`).catch(() => undefined))?.ok === true, 60_000);
  }

  async stopService(service: Service, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.processes.get(service);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.processes.delete(service);
  }

  url(service: Service, path: string): string {
    return `http://127.0.0.1:${SERVICES[service]}/api/v1${path}`;
  }

  /** Every message on a topic, read from the beginning by a fresh consumer group. */
  async readTopic(topic: string, atLeast: number): Promise<{ key: string; eventId: string; revision: number; type: string }[]> {
    const consumer = new Kafka({ clientId: 'e2e-reader', brokers: [this.brokers], logLevel: logLevel.NOTHING }).consumer({ groupId: `e2e-${Date.now()}-${Math.random()}` });
    const seen: { key: string; eventId: string; revision: number; type: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString());
        seen.push({ key: message.key!.toString(), eventId: event.eventId, revision: event.revision, type: event.type });
      },
    });
    await this.waitFor(async () => seen.length >= atLeast, 60_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000)); // anything beyond the expected count shows up too
    await consumer.disconnect();
    return seen;
  }

  async waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    for (const service of [...this.processes.keys()]) await this.stopService(service);
    this.kafka('stop');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
