import { projectionsFor } from '../../apps/standalone/src/read-projections';
import { AssignmentModule } from '@banli/assignment';
import { CoHandlingModule } from '@banli/co-handling';
import { FeedbackModule } from '@banli/feedback';
import { type BanliConfig, createBanliApp, loadConfig, PlatformModule } from '@banli/platform';
import { SupervisionModule } from '@banli/supervision';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';

const DEPLOY = join(__dirname, '../../deploy');
const routes = JSON.parse(readFileSync(join(DEPLOY, 'routes.json'), 'utf8')) as { services: Record<string, number>; routes: { pattern: string; service: string }[] };
const SERVICE_MODULES: Record<string, Type> = { assignment: AssignmentModule, 'co-handling': CoHandlingModule, supervision: SupervisionModule, feedback: FeedbackModule };
const yamlDocs = (file: string) => {
  const docs = parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'), { merge: true }); // compose uses <<: merge keys
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS());
};
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The routes (method + path template) an app serves, from its own OpenAPI document. */
async function servedRoutes(root: DynamicModule, service: string, config: BanliConfig): Promise<Set<string>> {
  const app = await createBanliApp(root, { service, config, logger: false });
  const doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  await app.close();
  return new Set(Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)));
}

/** Routes only the standalone service has. */
const EMBEDDED_ONLY = /^\/api\/v1\/(users|session|imports)(\/|$)/;

describe('deploy/: the distributed deployment’s configuration', () => {
  const dataDirs: string[] = [];
  const config = (service: string) => {
    const dir = mkdtempSync(join(tmpdir(), `banli-deploy-${service}-`));
    dataDirs.push(dir);
    return loadConfig({ BANLI_DATA_DIR: dir, BANLI_JWT_SECRET: 'deploy-test-secret-of-32-characters!!', BANLI_SERVICE: service });
  };
  afterAll(() => dataDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('routes every route of the contract to exactly one service, which serves it', async () => {
    const contract = await servedRoutes(StandaloneModule.forRoot(config('standalone')), 'standalone', config('standalone'));
    contract.add('GET /health').add('GET /metrics');
    expect(contract.size).toBeGreaterThan(30);
    const byService: Record<string, Set<string>> = {};
    for (const [service, module] of Object.entries(SERVICE_MODULES)) {
      @Module({})
      class ServiceRoot {}
      const root: DynamicModule = { module: ServiceRoot, imports: [PlatformModule.forRoot({ config: config(service), projections: projectionsFor(service) }), module] };
      byService[service] = new Set([...(await servedRoutes(root, service, config(service))), 'GET /health', 'GET /metrics']);
    }
    const compiled = routes.routes.map((r) => ({ re: new RegExp(r.pattern), service: r.service }));
    for (const route of contract) {
      const [method, template] = route.split(' ');
      const sample = template.replace(/\{[^}]+\}/g, 'x1');
      // Local accounts and console sessions are the embedded default's (a file per process): the distributed
      // deployment keeps to bearer tokens and routes them nowhere, until its shared state moves to PostgreSQL.
      if (EMBEDDED_ONLY.test(template)) {
        expect({ route, routedTo: compiled.find((r) => r.re.test(sample))?.service }).toEqual({ route, routedTo: undefined });
        continue;
      }
      const matching = compiled.filter((r) => r.re.test(sample));
      expect({ route, first: matching[0]?.service }).toEqual({ route, first: expect.any(String) });
      expect({ route, servedBy: matching[0].service, serves: byService[matching[0].service].has(`${method} ${template}`) }).toEqual({ route, servedBy: matching[0].service, serves: true });
    }
  }, 60_000);

  it('nginx.conf routes exactly as routes.json does, in the same order', () => {
    const nginx = readFileSync(join(DEPLOY, 'nginx.conf'), 'utf8');
    const locations = [...nginx.matchAll(/location ~ (\S+) \{ proxy_pass http:\/\/([a-z-]+);/g)].map((m) => ({ pattern: m[1], service: m[2] }));
    expect(locations).toEqual(routes.routes);
    for (const [service, port] of Object.entries(routes.services)) expect(nginx).toContain(`upstream ${service.padEnd(11)} { server ${service}:${port}; }`);
  });

  it('docker-compose runs each service with its own name, port and entry point, on KurrentDB and Kafka', () => {
    const [compose] = yamlDocs('docker-compose.yml') as Doc[];
    for (const [service, port] of Object.entries(routes.services)) {
      const s = compose.services[service];
      expect(s.command).toEqual(['node', `dist/apps/${service}/src/main.js`]);
      expect(existsSync(join(__dirname, `../../apps/${service}/src/main.ts`))).toBe(true);
      expect(s.environment).toMatchObject({ BANLI_SERVICE: service, PORT: String(port), BANLI_EVENT_STORE: 'kurrentdb', BANLI_BUS: 'kafka' });
    }
    expect(Object.keys(compose.services).sort()).toEqual(['assignment', 'co-handling', 'feedback', 'kafka', 'kurrentdb', 'proxy', 'supervision']);
  });

  it('the Kubernetes manifests parse, select their pods, and expose the services on the routed ports', () => {
    const kustomization = yamlDocs('kustomization.yaml')[0] as Doc;
    for (const file of kustomization.resources as string[]) expect(existsSync(join(DEPLOY, file))).toBe(true);
    expect(readdirSync(join(DEPLOY, 'k8s')).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThanOrEqual(kustomization.resources.length);
    const docs = (kustomization.resources as string[]).flatMap((f) => yamlDocs(f)) as Doc[];
    for (const d of docs) expect(d).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), metadata: { name: expect.any(String) } });
    const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet');
    for (const w of workloads) expect(w.spec.template.metadata.labels).toMatchObject(w.spec.selector.matchLabels);
    for (const svc of docs.filter((d) => d.kind === 'Service')) {
      expect(workloads.some((w) => Object.entries(svc.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v))).toBe(true);
    }
    for (const [service, port] of Object.entries(routes.services)) {
      const deployment = workloads.find((w) => w.metadata.name === service)!;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.command).toEqual(['node', `dist/apps/${service}/src/main.js`]);
      expect(container.env).toContainEqual({ name: 'BANLI_SERVICE', value: service });
      expect(container.ports).toEqual([{ containerPort: port }]);
      expect(docs.find((d) => d.kind === 'Service' && d.metadata.name === service)!.spec.ports).toEqual([{ port, targetPort: port }]);
    }
  });
});
