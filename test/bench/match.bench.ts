// Bench part: lib/match on the labelled data set, on a generated 10,000 x 10,000 set and on the
// harder generated 8,500 x 8,500 set (test/match/grammar.ts, on a seed not used while tuning),
// with fuse.js (the library most teams would reach for) run on the same data as the baseline.
// Large runs happen in child processes pinned to one core, so time and memory are the engine's
// own; the same file is the child when MATCH_BENCH_ROLE is set.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { suggestMatches, type MatchInput, type MatchSuggestion } from '../../lib/match/index';
import { loadDataset, measure, type Accuracy } from '../match/evaluate';
import { generateGrammarSet } from '../match/grammar';
import { generateSyntheticSet } from '../match/synthetic';
import { median } from './stats';

const SIZE = 10_000;
const SEED = 20_240_611;
const MATCHED_SHARE = 0.8;
const TARGET_MS = 2_000;
/** The harder set: as large as the held-out set of issue 11, on a seed never looked at while tuning. */
const HARDER_SIZE = 8_500;
const HARDER_SEED = 770_077;
/** Figures toward which the matcher was built on sets like the harder one. */
const HARDER_GOALS = { confidentPrecisionPct: 99.5, confidentRecallPct: 90, top1Pct: 97 };
/** Typical settings: fuzzy enough to tolerate typos, auto-link only near-perfect hits. */
const FUSE_THRESHOLD = 0.35;
const FUSE_CONFIDENT_SCORE = 0.1;
/** fuse.js is O(hosts x QuickBooks records); beyond this projected time it runs on a sample. */
const FUSE_FULL_RUN_LIMIT_MS = 4 * 60_000;
const FUSE_SAMPLE = 600;
const WARM_RUNS = 3;
/** Fresh processes timed for the 10,000 x 10,000 target: on a shared machine one run is noise. */
const COLD_RUNS = 3;

type Role = 'ours' | 'fuse';

interface ChildInput {
  host: MatchInput[];
  qb: MatchInput[];
  truth: Array<[string, string]>;
  /** hostId -> kinds of variation, for recall by kind (harder set only). */
  shows?: Array<[string, string[]]>;
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
    const cpuBefore = process.cpuUsage();
    const result = suggestMatches(input.host, input.qb);
    const coldMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const memory = memoryAfter(heapBefore, rssBefore, () => result.length);
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      suggestMatches(input.host, input.qb);
      warm.push(performance.now() - t);
    }
    return {
      coldMs: ms(coldMs),
      coldCpuMs: ms((cpu.user + cpu.system) / 1000),
      warmMedianMs: ms(median(warm)),
      ...memory,
      accuracy: summary(measure(result, truth)),
      ...(input.shows ? { recallByVariation: byVariation(result, truth, new Map(input.shows)) } : {}),
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

/** Confident recall and top-1 among the true pairs showing each kind of variation. */
function byVariation(result: MatchSuggestion[], truth: Map<string, string>, shows: Map<string, string[]>): Record<string, unknown> {
  const byHost = new Map(result.map((s) => [s.hostId, s]));
  const counts = new Map<string, { pairs: number; confident: number; top1: number }>();
  for (const [hostId, qbId] of truth) {
    const s = byHost.get(hostId);
    for (const kind of shows.get(hostId) ?? []) {
      const c = counts.get(kind) ?? { pairs: 0, confident: 0, top1: 0 };
      c.pairs++;
      if (s?.qbId === qbId) {
        c.top1++;
        if (s.confident) c.confident++;
      }
      counts.set(kind, c);
    }
  }
  const pct = (a: number, b: number) => Math.round((a / b) * 1000) / 10;
  return Object.fromEntries(
    [...counts].sort((a, b) => b[1].pairs - a[1].pairs).map(([kind, c]) => [kind, { pairs: c.pairs, confidentRecallPct: pct(c.confident, c.pairs), top1Pct: pct(c.top1, c.pairs) }]),
  );
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

/**
 * Runs ours (in `coldRuns` fresh single-core processes; figures from the first, cold times from
 * all) and fuse.js on a generated set.
 */
function generatedFigures(dir: string, name: string, input: ChildInput, oneCore: boolean, coldRuns = 1): { ours: Record<string, unknown>; fuse: Record<string, unknown> } {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(input));
  const runs = Array.from({ length: coldRuns }, () => spawnChild('ours', file, oneCore));
  const ours = runs[0];
  if (coldRuns > 1) {
    const cold = runs.map((r) => r.coldMs as number);
    const cpu = runs.map((r) => r.coldCpuMs as number);
    Object.assign(ours, { coldMs: ms(median(cold)), coldRunsMs: cold, coldCpuMs: ms(median(cpu)), coldRunsCpuMs: cpu });
  }
  return { ours, fuse: spawnChild('fuse', file, oneCore) };
}

function pctOf(figures: Record<string, unknown>, key: string): number {
  return (figures.accuracy as Record<string, number>)[key];
}

export async function run(): Promise<Record<string, unknown>> {
  const dataset = datasetFigures();

  const set = generateSyntheticSet({ qbCount: SIZE, hostCount: SIZE, matchedShare: MATCHED_SHARE, seed: SEED });
  const harder = generateGrammarSet({ qbCount: HARDER_SIZE, hostCount: HARDER_SIZE, matchedShare: MATCHED_SHARE, seed: HARDER_SEED });
  const dir = mkdtempSync(join(tmpdir(), 'match-bench-'));
  const oneCore = hasTaskset();
  const fuseSettings = { threshold: FUSE_THRESHOLD, confidentAtScoreAtMost: FUSE_CONFIDENT_SCORE };
  try {
    const loadBefore = loadavg()[0];
    const synthetic = generatedFigures(dir, 'synthetic', { host: set.host, qb: set.qb, truth: [...set.truth] }, oneCore, COLD_RUNS);
    const hard = generatedFigures(dir, 'harder', { host: harder.host, qb: harder.qb, truth: [...harder.truth], shows: [...harder.shows] }, oneCore);
    const goalsMet =
      pctOf(hard.ours, 'confidentPrecisionPct') >= HARDER_GOALS.confidentPrecisionPct &&
      pctOf(hard.ours, 'confidentRecallPct') >= HARDER_GOALS.confidentRecallPct &&
      pctOf(hard.ours, 'top1Pct') >= HARDER_GOALS.top1Pct;
    return {
      dataset,
      synthetic: {
        hostRecords: set.host.length,
        qbRecords: set.qb.length,
        truePairs: set.truth.size,
        seed: SEED,
        pinnedToOneCore: oneCore,
        loadAverageWhenTimed: Math.round(loadBefore * 100) / 100,
        ours: { ...synthetic.ours, targetMs: TARGET_MS, targetMet: (synthetic.ours.coldMs as number) < TARGET_MS },
        fuse: { ...fuseSettings, ...synthetic.fuse },
      },
      harder: {
        generator: 'test/match/grammar.ts (kinds of variation in docs/matching.md)',
        hostRecords: harder.host.length,
        qbRecords: harder.qb.length,
        truePairs: harder.truth.size,
        seed: HARDER_SEED,
        seedNote: 'a held-out seed: not run while the matcher was tuned (tuning used seeds 101 and 102)',
        pinnedToOneCore: oneCore,
        goals: HARDER_GOALS,
        goalsMet,
        ours: hard.ours,
        fuse: { ...fuseSettings, ...hard.fuse },
      },
      notes: [
        'Accuracy: confident precision = right confident suggestions / confident suggestions; confident recall = right confident suggestions / true pairs; top-1 = host records with a true counterpart whose suggestion is it / those records.',
        'ours.coldMs is the first call in a fresh process (JIT cold), everything included: normalising, indexing, scoring, assignment; for the 10,000 x 10,000 set, the median of three fresh processes (coldRunsMs). coldCpuMs is the CPU time of that call: on a loaded machine (loadAverageWhenTimed, for 2 cores) wall time includes waiting for the core. fuse.js per-search time, unchanged code, shows how loaded the machine was.',
        'fuse.js: new Fuse(qb, { keys: ["name"], includeScore: true, threshold: 0.35 }), best hit per host record, confident when its score <= 0.1. No one-to-one rule.',
        'harder.ours.recallByVariation: confident recall and top-1 among the true pairs showing each kind of variation (a pair shows several; "qb:" kinds are on the QuickBooks side, "hard:" kinds are not expected to be confident).',
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
