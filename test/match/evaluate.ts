// Scores matcher output against a labelled data set; shared by the tests and the bench so both
// report the same figures. Definitions are in docs/matching.md.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatchInput, MatchSuggestion } from '../../lib/match/index';

export interface LabelledSet {
  host: MatchInput[];
  qb: MatchInput[];
  /** hostId -> qbId of the true counterpart; host records without one are absent. */
  truth: Map<string, string>;
}

export interface Accuracy {
  /** True pairs in the set. */
  truePairs: number;
  suggestions: number;
  confident: number;
  /** Correct confident suggestions / all confident suggestions. */
  confidentPrecision: number;
  /** Correct confident suggestions / true pairs. */
  confidentRecall: number;
  /** Host records with a true counterpart whose suggestion is that counterpart / those records. */
  top1: number;
  /** Confident suggestions that link the wrong QuickBooks record. */
  wrongConfident: Array<{ hostId: string; qbId: string }>;
  /** QuickBooks records confidently matched to more than one host record. */
  qbLinkedTwice: number;
}

interface DatasetFile {
  pairs: Array<{ shows: string[]; host: MatchInput; qb: MatchInput }>;
  hostOnly: Array<{ why: string; host: MatchInput }>;
  qbOnly: Array<{ why: string; qb: MatchInput }>;
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadDataset(): LabelledSet & { file: DatasetFile } {
  const file = JSON.parse(readFileSync(join(here, 'dataset.json'), 'utf8')) as DatasetFile;
  // Host records interleave the ones with and without a counterpart; QuickBooks lists are
  // alphabetical, as a vendor list export would be.
  const host = [...file.pairs.map((p) => p.host), ...file.hostOnly.map((h) => h.host)].sort((a, b) => a.id.localeCompare(b.id));
  const qb = [...file.pairs.map((p) => p.qb), ...file.qbOnly.map((q) => q.qb)].sort((a, b) => a.name.localeCompare(b.name));
  const truth = new Map(file.pairs.map((p) => [p.host.id, p.qb.id]));
  return { host, qb, truth, file };
}

export function measure(suggestions: MatchSuggestion[], truth: Map<string, string>): Accuracy {
  let confident = 0;
  let confidentRight = 0;
  let top1Right = 0;
  const wrongConfident: Array<{ hostId: string; qbId: string }> = [];
  const confidentQb = new Map<string, number>();
  for (const s of suggestions) {
    const right = truth.get(s.hostId) === s.qbId;
    if (right) top1Right++;
    if (!s.confident) continue;
    confident++;
    confidentQb.set(s.qbId, (confidentQb.get(s.qbId) ?? 0) + 1);
    if (right) confidentRight++;
    else wrongConfident.push({ hostId: s.hostId, qbId: s.qbId });
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    truePairs: truth.size,
    suggestions: suggestions.length,
    confident,
    confidentPrecision: ratio(confidentRight, confident),
    confidentRecall: ratio(confidentRight, truth.size),
    top1: ratio(top1Right, truth.size),
    wrongConfident,
    qbLinkedTwice: [...confidentQb.values()].filter((n) => n > 1).length,
  };
}
