// Bench part: lib/match on the labelled data set and on a generated 10,000 x 10,000 set, with
// fuse.js (the library most teams would reach for) run on the same data as the baseline.
// Large runs happen in child processes pinned to one core, so time and memory are the engine's
// own; the same file is the child when MATCH_BENCH_ROLE is set.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { suggestMatches, type MatchInput, type MatchSuggestion } from '../../lib/match/index';
import { loadDataset, measure, type Accuracy } from '../match/evaluate';
import { generateSyntheticSet } from '../match/synthetic';
import { median } from './stats';

const SIZE = 10_000;
const SEED = 20_240_611;
const MATCHED_SHARE = 0.8;
const TARGET_MS = 2_000;
/** Typical settings: fuzzy enough to tolerate typos, auto-link only near-perfect hits. */
const FUSE_THRESHOLD = 0.35;
const FUSE_CONFIDENT_SCORE = 0.1;
/** fuse.js is O(hosts x QuickBooks records); beyond this projected time it runs on a sample. */
const FUSE_FULL_RUN_LIMIT_MS = 4 * 60_000;
const FUSE_SAMPLE = 600;
const WARM_RUNS = 3;

type Role = 'ours' | 'fuse';

interface ChildInput {
  host: MatchInput[];
  qb: MatchInput[];
  truth: Array<[string, string]>;
}

interface MemoryFigures {
  /** Heap in use right after the run minus before it (garbage not yet collected included). */
  heapGrowthMB: number;
  /** What stays on the heap once collected: the result and anything the engine keeps. */
  heapRetainedMB: number;
  /** Peak resident set of the process during the run, and its growth over the start. */
  peakRssMB: number;
  peakRssGrowthMB: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (t: number) => Math.round(t * 10) / 10;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

function fuseSuggestions(fuse: Fuse<MatchInput>, hosts: MatchInput[]): MatchSuggestion[] {
  const out: MatchSuggestion[] = [];
  for (const h of hosts) {
    const hit = fuse.search(h.name, { limit: 1 })[0];
    if (hit === undefined || hit.score === undefined) continue;
    out.push({ hostId: h.id, qbId: hit.item.id, score: 1 - hit.score, confident: hit.score <= FUSE_CONFIDENT_SCORE });
  }
  return out;
}

function newFuse(qb: MatchInput[]): Fuse<MatchInput> {
  return new Fuse(qb, { keys: ['name'], includeScore: true, threshold: FUSE_THRESHOLD });
}

function summary(a: Accuracy): Record<string, number> {
  const round = (x: number) => Math.round(x * 10000) / 100;
  return {
    truePairs: a.truePairs,
    suggestions: a.suggestions,
    confident: a.confident,
    confidentPrecisionPct: round(a.confidentPrecision),
    confidentRecallPct: round(a.confidentRecall),
    top1Pct: round(a.top1),
    wrongConfident: a.wrongConfident.length,
    qbLinkedTwiceConfidently: a.qbLinkedTwice,
  };
}

/** Child side: one engine, one run, figures on stdout as JSON. */
function runChild(role: Role, file: string): Record<string, unknown> {
  const input = JSON.parse(readFileSync(file, 'utf8')) as ChildInput;
  const truth = new Map(input.truth);
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();

  if (role === 'ours') {
    const result = suggestMatches(input.host, input.qb);
    const coldMs = performance.now() - started;
    const memory = memoryAfter(heapBefore, rssBefore, () => result.length);
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      suggestMatches(input.host, input.qb);
      warm.push(performance.now() - t);
    }
    return {
      coldMs: ms(coldMs),
      warmMedianMs: ms(median(warm)),
      ...memory,
      accuracy: summary(measure(result, truth)),
    };
  }

  const fuse = newFuse(input.qb);
  const indexMs = performance.now() - started;
  const sample = input.host.slice(0, FUSE_SAMPLE);
  const sampleStarted = performance.now();
  const sampleResult = fuseSuggestions(fuse, sample);
  const sampleSearchMs = performance.now() - sampleStarted;
  const projectedMs = indexMs + (sampleSearchMs * input.host.length) / sample.length;
  if (projectedMs <= FUSE_FULL_RUN_LIMIT_MS) {
    const result = [...sampleResult, ...fuseSuggestions(fuse, input.host.slice(FUSE_SAMPLE))];
    const totalMs = performance.now() - started;
    return {
      mode: 'full set',
      totalMs: ms(totalMs),
      ...memoryAfter(heapBefore, rssBefore, () => result.length + fuse.getIndex().size()),
      accuracy: summary(measure(result, truth)),
    };
  }
  const sampleIds = new Set(sample.map((h) => h.id));
  const sampleTruth = new Map([...truth].filter(([hostId]) => sampleIds.has(hostId)));
  return {
    mode: `sample of ${sample.length} host records (the first ${sample.length} of the shuffled host list); time projected to all ${input.host.length}`,
    indexMs: ms(indexMs),
    sampleSearchMs: ms(sampleSearchMs),
    perSearchMs: ms(sampleSearchMs / sample.length),
    projectedFullMs: Math.round(projectedMs),
    ...memoryAfter(heapBefore, rssBefore, () => sampleResult.length + fuse.getIndex().size()),
    accuracy: summary(measure(sampleResult, sampleTruth)),
  };
}

function memoryAfter(heapBefore: number, rssBefore: number, keepAlive: () => number): MemoryFigures {
  const heapAfter = process.memoryUsage().heapUsed;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  collect();
  const retained = process.memoryUsage().heapUsed;
  keepAlive();
  return {
    heapGrowthMB: mb(heapAfter - heapBefore),
    heapRetainedMB: mb(retained - heapBefore),
    peakRssMB: mb(peakRss),
    peakRssGrowthMB: mb(Math.max(0, peakRss - rssBefore)),
  };
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Parent side: spawns a fresh, single-core Node process per engine. */
function spawnChild(role: Role, file: string, oneCore: boolean): Record<string, unknown> {
  const self = fileURLToPath(import.meta.url);
  const node = [process.execPath, '--expose-gc', '--import', 'tsx', self];
  const [cmd, ...args] = oneCore ? ['taskset', '-c', '0', ...node] : node;
  const child = spawnSync(cmd, args, {
    env: { ...process.env, MATCH_BENCH_ROLE: role, MATCH_BENCH_INPUT: file },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  if (child.status !== 0) throw new Error(`${role} bench child failed: ${child.stderr || child.error}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

function datasetFigures(): Record<string, unknown> {
  const data = loadDataset();
  // Warm both engines once on the data so the figures are not JIT start-up.
  suggestMatches(data.host, data.qb);
  fuseSuggestions(newFuse(data.qb), data.host);
  let t = performance.now();
  const ours = suggestMatches(data.host, data.qb);
  const oursMs = performance.now() - t;
  t = performance.now();
  const fuse = fuseSuggestions(newFuse(data.qb), data.host);
  const fuseMs = performance.now() - t;
  return {
    hostRecords: data.host.length,
    qbRecords: data.qb.length,
    truePairs: data.truth.size,
    ours: { ms: ms(oursMs), ...summary(measure(ours, data.truth)) },
    fuse: { ms: ms(fuseMs), ...summary(measure(fuse, data.truth)) },
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const dataset = datasetFigures();

  const set = generateSyntheticSet({ qbCount: SIZE, hostCount: SIZE, matchedShare: MATCHED_SHARE, seed: SEED });
  const dir = mkdtempSync(join(tmpdir(), 'match-bench-'));
  const file = join(dir, 'synthetic.json');
  const input: ChildInput = { host: set.host, qb: set.qb, truth: [...set.truth] };
  writeFileSync(file, JSON.stringify(input));
  const oneCore = hasTaskset();
  try {
    const ours = spawnChild('ours', file, oneCore);
    const fuse = spawnChild('fuse', file, oneCore);
    return {
      dataset,
      synthetic: {
        hostRecords: set.host.length,
        qbRecords: set.qb.length,
        truePairs: set.truth.size,
        seed: SEED,
        pinnedToOneCore: oneCore,
        ours: { ...ours, targetMs: TARGET_MS, targetMet: (ours.coldMs as number) < TARGET_MS },
        fuse: { threshold: FUSE_THRESHOLD, confidentAtScoreAtMost: FUSE_CONFIDENT_SCORE, ...fuse },
      },
      notes: [
        'Accuracy: confident precision = right confident suggestions / confident suggestions; confident recall = right confident suggestions / true pairs; top-1 = host records with a true counterpart whose suggestion is it / those records.',
        'ours.coldMs is the first call in a fresh process (JIT cold), everything included: normalising, indexing, scoring, assignment.',
        'fuse.js: new Fuse(qb, { keys: ["name"], includeScore: true, threshold: 0.35 }), best hit per host record, confident when its score <= 0.1. No one-to-one rule.',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = process.env.MATCH_BENCH_ROLE as Role | undefined;
if (role === 'ours' || role === 'fuse') {
  process.stdout.write(JSON.stringify(runChild(role, process.env.MATCH_BENCH_INPUT ?? '')) + '\n');
}
