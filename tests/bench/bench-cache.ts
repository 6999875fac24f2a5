import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the benchmarks keep the stores they build once. */
export const BENCH_CACHE = join(homedir(), '.cache', 'banli-bench');

/**
 * The benchmark's store `name` in the cache, built by `generate` when it is not there (or BENCH_FRESH=1):
 * built beside it and renamed, so a run cut short leaves no half store to be mistaken for a whole one.
 */
export async function cachedStore(name: string, what: string, generate: (file: string) => Promise<unknown>): Promise<string> {
  mkdirSync(BENCH_CACHE, { recursive: true });
  const file = join(BENCH_CACHE, name);
  if (!existsSync(file) || process.env.BENCH_FRESH === '1') {
    console.log(`building the store (${what}) into ${file} …`);
    rmSync(`${file}.building`, { force: true });
    await generate(`${file}.building`);
    renameSync(`${file}.building`, file);
  } else console.log(`using the store in ${file} (BENCH_FRESH=1 builds it again)`);
  return file;
}
