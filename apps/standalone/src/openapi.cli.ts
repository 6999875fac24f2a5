/**
 * Writes the standalone service's OpenAPI document to FILE (or stdout): the contract the console's typed
 * client is generated from (`npm run build`). The service is built on a throwaway data directory and never listens.
 */
import { loadConfig, openApiDocument } from '@banli/platform';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from './bootstrap';

async function main(file: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'banli-openapi-'));
  try {
    const config = loadConfig({ PATH: process.env.PATH, BANLI_DATA_DIR: dataDir, BANLI_BUS: 'memory', BANLI_EVENT_STORE: 'sqlite' });
    const app = await createApp(config, { logger: false });
    const text = `${JSON.stringify(openApiDocument(app, 'standalone'), null, 2)}\n`;
    await app.close();
    if (file === undefined) process.stdout.write(text);
    else writeFileSync(file, text);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
