// npm run bench [part ...]: runs every test/bench/<part>.bench.ts (or the named parts), prints
// each part's figures and writes them to bench-results/<part>.json. Parts measure; they never
// fail a build on timing, but they do say whether each target was met.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchPart {
  /** Runs the measurement and returns the figures to record (JSON-serialisable). */
  run(): Promise<Record<string, unknown>>;
}

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'bench-results');
const wanted = process.argv.slice(2);
const parts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''))
  .filter((p) => wanted.length === 0 || wanted.includes(p))
  .sort();

if (parts.length === 0) {
  console.error(`No bench part matches ${wanted.join(', ')}.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const part of parts) {
  console.log(`\n== bench: ${part}`);
  const mod = (await import(join(here, `${part}.bench.ts`))) as BenchPart;
  const started = Date.now();
  const figures = await mod.run();
  const record = { part, ranAt: new Date().toISOString(), wallMs: Date.now() - started, ...figures };
  writeFileSync(join(outDir, `${part}.json`), JSON.stringify(record, null, 2) + '\n');
  console.log(JSON.stringify(figures, null, 2));
  console.log(`-> bench-results/${part}.json`);
}
