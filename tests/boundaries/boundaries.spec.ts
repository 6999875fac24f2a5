import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * The boundary rules (`npm run lint:deps`) against a small tree that breaks each on purpose: were a rule
 * to stop matching, this fails, not only the real tree's check, which passes either way.
 */
describe('the dependency boundaries refuse a wrong import', () => {
  let tree: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(tree, file)), { recursive: true });
    writeFileSync(join(tree, file), text);
  };
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'banli-boundaries-'));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', baseUrl: '.', resolveJsonModule: true } }));
    write('libs/domain/src/index.ts', "export * from './proposal/decide';\n");
    write('libs/domain/src/proposal/decide.ts', "import { readFileSync } from 'node:fs';\nexport const decide = () => readFileSync;\n");
    write('libs/domain/src/testing/fixture.ts', 'export const FIXTURE = 1;\n');
    write('libs/event-store/src/index.ts', "export * from '../../domain/src/index';\n");
    write('libs/supervision/src/index.ts', 'export const SUPERVISION = 1;\n');
    write('libs/assignment/src/index.ts', "export * from '../../supervision/src/index';\n");
    write('libs/feedback/src/index.ts', "export { decide } from '../../domain/src/proposal/decide';\n");
    write('libs/platform/src/index.ts', 'export const PLATFORM = 1;\n');
    write('libs/application/src/index.ts', "export { PLATFORM } from '../../platform/src/index';\n");
    write('libs/read-model/src/index.ts', "export { SUPERVISION } from '../../supervision/src/index';\n");
    write('apps/standalone/demo/seed.ts', "export { FIXTURE } from '../../../libs/domain/src/testing/fixture';\n");
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('names every broken rule and fails the check', () => {
    const run = spawnSync(join(ROOT, 'node_modules/.bin/depcruise'), ['libs', 'apps', '--config', join(ROOT, '.dependency-cruiser.js'), '--output-type', 'err'], { cwd: tree, encoding: 'utf8' });
    const said = `${run.stdout}${run.stderr}`;
    expect(run.status).not.toBe(0);
    const broken = [...said.matchAll(/error ([a-z-]+): (\S+) → (\S+)/g)].map((m) => `${m[1]}: ${m[2]} → ${m[3]}`).sort();
    expect(broken).toEqual(
      expect.arrayContaining([
        'application-is-framework-free: libs/application/src/index.ts → libs/platform/src/index.ts',
        'domain-is-pure: libs/domain/src/proposal/decide.ts → fs',
        'event-store-knows-no-domain: libs/event-store/src/index.ts → libs/domain/src/index.ts',
        'feature-libs-are-independent: libs/assignment/src/index.ts → libs/supervision/src/index.ts',
        'no-deep-import-into-a-lib: libs/feedback/src/index.ts → libs/domain/src/proposal/decide.ts',
        'no-testing-kit-in-production-code: apps/standalone/demo/seed.ts → libs/domain/src/testing/fixture.ts',
        'read-model-knows-no-feature: libs/read-model/src/index.ts → libs/supervision/src/index.ts',
      ]),
    );
  });
});
