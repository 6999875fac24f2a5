/**
 * npm run bench:kafka — the distributed deployment under a steady load: a Kafka broker of its own and the
 * four services (built, as processes). Commands go to the supervision service at a fixed rate; the latency
 * measured is from the command being accepted to the supervision service's read model holding it
 * (store → relay → Kafka → supervision's consumer → its read model), asked with the read-your-writes
 * endpoint, which answers the moment the revision is applied. Delivery to the supervision office's live
 * feed (server-sent events) is measured alongside.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';

const ROOT = join(__dirname, '../..');
const SECRET = 'bench-secret-that-is-at-least-32-characters';
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const KAFKA_PORT = process.env.BENCH_KAFKA_PORT ?? '19492';
const PORTS = { assignment: 3501, 'co-handling': 3502, supervision: 3503, feedback: 3504 } as const;
const dataDir = mkdtempSync(join(tmpdir(), 'banli-bench-kafka-'));
const kafkaEnv = { ...process.env, KAFKA_PORT, KAFKA_RUN_DIR: join(dataDir, 'kafka') };
const token = (sub: string, roles: string[], unit?: string) =>
  new SignJWT({ roles, ...(unit ? { unit } : {}) }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode(SECRET));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  execFileSync(join(ROOT, 'deploy/local/kafka/kafka.sh'), ['start'], { stdio: 'ignore', env: kafkaEnv });
  try {
    for (const [service, port] of Object.entries(PORTS)) {
      children.push(
        spawn(process.execPath, [join(ROOT, `dist/apps/${service}/src/main.js`)], {
          env: { ...process.env, BANLI_SERVICE: service, PORT: String(port), BANLI_DATA_DIR: dataDir, BANLI_JWT_SECRET: SECRET, BANLI_BUS: 'kafka', KAFKA_BROKERS: `127.0.0.1:${KAFKA_PORT}`, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
          stdio: 'ignore',
        }),
      );
    }
    for (const port of Object.values(PORTS)) {
      for (let i = 0; i < 300 && !(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 200));
    }
    const office = `Bearer ${await token('clerk', ['office', 'admin'])}`;
    const supervisor = `Bearer ${await token('sup', ['supervisor'], 'u-gov')}`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api = (port: number, path: string, auth: string, method = 'GET', body?: object): Promise<any> =>
      fetch(`http://127.0.0.1:${port}/api/v1${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then(async (r) => {
        if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${await r.text()}`);
        return r.json();
      });
    await api(PORTS.assignment, '/units/cq-edu', office, 'PUT', { name: '市教委' });
    const items: string[] = [];
    for (let n = 0; n < 20; n++) {
      const { id } = await api(PORTS.assignment, '/proposals', office, 'POST', { number: `K${n}`, session: '六届三次', kind: 'npc-suggestion', title: 't', body: 'b', proposers: [{ id: 'dep', name: 'D', lead: true }] });
      await api(PORTS.assignment, `/proposals/${id}/registration`, office, 'POST', { decision: 'accepted' });
      await api(PORTS.assignment, `/proposals/${id}/assignment`, office, 'POST', { mode: 'lead-with-co', leadUnits: ['cq-edu'] });
      items.push(id);
    }

    // The supervision office's live feed, read as it arrives.
    const arrived = new Map<string, number>();
    const feed = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${PORTS.supervision}/api/v1/supervision/stream?types=Urged`, { headers: { authorization: supervisor }, signal: feed.signal });
    void (async () => {
      const reader = stream.body!.getReader();
      let buffer = '';
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.done) return;
        buffer += new TextDecoder().decode(chunk.value);
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const data = /data: (.*)/.exec(buffer.slice(0, cut))?.[1];
          buffer = buffer.slice(cut + 2);
          if (data) arrived.set(JSON.parse(data).message, performance.now());
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));

    console.log(`Banli Kafka benchmark — ${new Date().toISOString()}, node ${process.version}: ${RATE} commands/s for ${SECONDS} s, four services and one broker on this machine\n`);
    const accepted = new Map<string, number>();
    const readModelLatency: number[] = [];
    let notReached = 0;
    let failed = 0;
    const lagSamples: number[] = [];
    const total = RATE * SECONDS;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const message = `bench-${n}`;
      inFlight.push(
        api(PORTS.supervision, `/proposals/${items[n % items.length]}/urges`, supervisor, 'POST', { unitId: 'cq-edu', message })
          .then(async (answer: { id: string; revision: number }) => {
            const at = performance.now();
            accepted.set(message, at);
            const seen = await api(PORTS.supervision, `/read-model/proposals/${answer.id}?atLeast=${answer.revision}&waitMs=10000`, office);
            if (seen.reached) readModelLatency.push(performance.now() - at);
            else notReached += 1;
          })
          .catch(() => void (failed += 1)),
      );
      if (n % RATE === 0) {
        void fetch(`http://127.0.0.1:${PORTS.supervision}/metrics`)
          .then((r) => r.text())
          .then((t) => lagSamples.push(Number(/banli_projection_lag_events (\d+)/.exec(t)?.[1] ?? 0)));
      }
    }
    await Promise.all(inFlight);
    const sendSeconds = (performance.now() - started) / 1000;
    for (let i = 0; i < 150 && [...accepted.keys()].some((m) => !arrived.has(m)); i++) await new Promise((r) => setTimeout(r, 100));
    feed.abort();

    const latencies = [...accepted].filter(([m]) => arrived.has(m)).map(([m, t]) => Math.max(0, arrived.get(m)! - t)).sort((a, b) => a - b);
    const missing = accepted.size - latencies.length + notReached;
    readModelLatency.sort((a, b) => a - b);
    const p50 = percentile(readModelLatency, 50);
    const p99 = percentile(readModelLatency, 99);
    console.log(`commands: ${accepted.size} accepted, ${failed} failed, in ${sendSeconds.toFixed(1)} s (${(accepted.size / sendSeconds).toFixed(0)} commands/s)`);
    console.log(`accepted → supervision read model updated: p50 ${p50.toFixed(1)} ms, p90 ${percentile(readModelLatency, 90).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${readModelLatency.at(-1)?.toFixed(1)} ms; ${notReached} not reached in 10 s`);
    console.log(`accepted → supervision live feed (SSE): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ${accepted.size - latencies.length} never arrived`);
    console.log(`supervision read-model lag (events), sampled each second: max ${Math.max(0, ...lagSamples)}`);
    console.log('\nTargets');
    console.log(`  steady ${RATE} commands/s: ${accepted.size / sendSeconds >= RATE * 0.95 ? 'MET' : 'MISSED'} (${(accepted.size / sendSeconds).toFixed(0)})`);
    console.log(`  p99 < 250 ms: ${p99 < 250 ? 'MET' : 'MISSED'} (${p99.toFixed(1)} ms)`);
    console.log(`  nothing lost: ${missing === 0 && failed === 0 ? 'MET' : 'MISSED'}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    execFileSync(join(ROOT, 'deploy/local/kafka/kafka.sh'), ['stop'], { stdio: 'ignore', env: kafkaEnv });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
