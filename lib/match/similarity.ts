// How alike two analysed names are, and whether anything in them forbids linking without a
// person looking: a distinguishing word on one side only, a swapped word, another band.
import type { Band, NameParts, TokenKind } from './normalize';

/** A name with one weight per token: rare words say more about identity than common ones. */
export interface WeightedName extends NameParts {
  weights: number[];
}

/**
 * Why a pair must not be linked unreviewed, however high its score.
 * marker: a number or East/West/Jr... on one side is absent or different on the other.
 * substitution: each side has a word the other lacks (Harbor Freight Lines / Logistics).
 * band, dial: another station (WXYZ-TV / WXYZ-FM, KABC 7 / KABC 11).
 */
export type Veto = 'marker' | 'substitution' | 'band' | 'dial';

/**
 * Why a matching pair still deserves a look (corroborating contact evidence lifts it).
 * initial: "J. Smith" for "John Smith". abbreviation: an unknown shortening ("Chris").
 * typo: a one-letter difference that also tells names apart (Robert/Roberta, Hansen/Hanson).
 * order: the same words shuffled ("Valley Ridge" / "Ridge Valley"); moving the surname to the
 * front ("Smith, John") is not a shuffle.
 * band-unstated: "WFAN" for "WFAN-AM", where the bare letters may be a sister station.
 */
export type Doubt = 'initial' | 'abbreviation' | 'typo' | 'order' | 'band-unstated';

export interface NameComparison {
  /** Weighted share of both names that the other covers, 0..1. */
  score: number;
  veto: Veto | null;
  doubt: Doubt | null;
}

const INITIAL_SIM = 0.6;
const PREFIX_SIM = 0.8;
const MIN_TOKEN_SIM = 0.5;
// A typo in a word shorter than this is as likely another word (Acme/Acne, Lines/Liens).
const MIN_TYPO_LENGTH = 5;
// Long words may carry two typos; shorter ones with two differences are other words.
const MIN_DOUBLE_TYPO_LENGTH = 9;
const MIN_SAFE_TYPO_LENGTH = 6;

/** Words every kind of business uses; they count for little when only one side has them. */
const GENERIC_WORDS = new Set([
  'group', 'holding', 'company', 'corporation', 'enterprise', 'international', 'global',
  'worldwide', 'service', 'solution', 'system', 'technology', 'industry', 'partner', 'associate',
  'communication', 'network', 'america', 'usa', 'us', 'brand', 'product', 'nbc', 'cbs', 'abc',
  'fox', 'cw', 'pbs', 'telemundo', 'univision', 'news', 'local',
]);
const GENERIC_FACTOR = 0.3;
const KIND_FACTOR: Record<TokenKind, number> = { word: 1, initial: 0.25, number: 1, marker: 1, callsign: 1.5 };

/** Weight of one token (by its root) given its inverse document frequency over the lists matched. */
export function tokenWeight(root: string, kind: TokenKind, idf: number): number {
  return KIND_FACTOR[kind] * idf * (GENERIC_WORDS.has(root) ? GENERIC_FACTOR : 1);
}

// Reused rows: matching compares hundreds of thousands of token pairs.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
function growRows(size: number): void {
  rowA = new Int32Array(size);
  rowB = new Int32Array(size);
  rowC = new Int32Array(size);
}

/**
 * Optimal string alignment distance, given up on past `max` (returns max + 1). Transpositions
 * count once because swapped letters are the commonest typo.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  if (m + 1 > rowA.length) growRows(m + 1);
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** Similarity of two tokens, 0 when they should not be paired at all. */
export function tokenSimilarity(a: string, ka: TokenKind, b: string, kb: TokenKind): number {
  if (a === b) return 1;
  // Numbers, East/West and call letters identify; "WXYC" is another station, not a typo.
  if (ka === 'number' || kb === 'number' || ka === 'marker' || kb === 'marker') return 0;
  if (ka === 'callsign' || kb === 'callsign') return 0;
  if (ka === 'initial' || kb === 'initial') {
    if (ka === kb) return 0;
    const [initial, word] = ka === 'initial' ? [a, b] : [b, a];
    return word.startsWith(initial) ? INITIAL_SIM : 0;
  }
  if (/\d/.test(a) || /\d/.test(b)) return 0;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.length - short.length >= 2 && long.startsWith(short)) return PREFIX_SIM;
  if (long.length >= MIN_TYPO_LENGTH && short.length >= MIN_TYPO_LENGTH - 1) {
    const max = short.length >= MIN_DOUBLE_TYPO_LENGTH ? 2 : 1;
    const d = editDistance(a, b, max);
    if (d <= max) return 1 - (0.6 * d) / long.length;
  }
  return 0;
}

/**
 * A one-letter slip inside a long word (Fastners, Logistcs, Harbr) or a doubled letter
 * (Ingersol, Twillio) is a typo. A changed letter, or one added or dropped at the end, is how
 * different names differ (Hansen/Hanson, Robert/Roberta), so those stay in doubt.
 */
function isSafeTypo(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length < MIN_SAFE_TYPO_LENGTH) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    // Only a swap of two neighbouring letters, not at the very end.
    return i + 2 < long.length && short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2);
  }
  if (long.length - short.length !== 1 || short.slice(i) !== long.slice(i + 1)) return false;
  // A silent h is how names are spelled differently, not mistyped (Teresa/Theresa, Jon/John).
  if (long[i] === 'h') return false;
  const doubled = long[i] === long[i - 1] || long[i] === long[i + 1];
  return doubled || i < long.length - 1;
}

function doubtOf(a: string, ka: TokenKind, b: string, kb: TokenKind, sim: number): Doubt | null {
  if (sim >= 1) return null;
  if (ka === 'initial' || kb === 'initial') return 'initial';
  if (sim === PREFIX_SIM && (a.startsWith(b) || b.startsWith(a))) return 'abbreviation';
  return isSafeTypo(a, b) ? null : 'typo';
}

const RADIO_BANDS: ReadonlySet<Band> = new Set(['fm', 'am', 'radio']);
const UNSTATED_RADIO_FACTOR = 0.95;

function bandsConflict(a: Band | null, b: Band | null): boolean {
  if (a === null || b === null || a === b) return false;
  if (a === 'radio') return b === 'tv';
  if (b === 'radio') return a === 'tv';
  return true;
}

// A run-together word this long may also carry a typo ("TorersFasteners").
const MIN_FUZZY_JOIN_LENGTH = 8;

/**
 * "Delta Air Lines" / "Delta Airlines", "Digi-Key" / "DigiKey": a word on one side spelled as
 * two or three neighbouring words on the other. Marks what it pairs and returns the weight covered.
 */
function joinWords(x: WeightedName, usedX: Uint8Array, y: WeightedName, usedY: Uint8Array): { covered: number; doubt: Doubt | null } {
  let covered = 0;
  let doubt: Doubt | null = null;
  for (let i = 0; i < x.tokens.length; i++) {
    const target = x.tokens[i];
    if (usedX[i] || target.length < 4) continue;
    const fuzzy = target.length >= MIN_FUZZY_JOIN_LENGTH;
    for (let start = 0; start < y.tokens.length && !usedX[i]; start++) {
      if (usedY[start] || y.tokens[start][0] !== target[0]) continue;
      let joined = y.tokens[start];
      let weight = y.weights[start];
      for (let end = start + 1; end < y.tokens.length && end < start + 3; end++) {
        if (usedY[end]) break;
        joined += y.tokens[end];
        weight += y.weights[end];
        if (joined.length > target.length + 1) break;
        const exact = joined === target;
        if (!exact && !(fuzzy && joined.length >= target.length - 1 && editDistance(joined, target, 1) <= 1)) continue;
        for (let k = start; k <= end; k++) usedY[k] = 1;
        usedX[i] = 1;
        const sim = exact ? 1 : 1 - 0.6 / Math.max(joined.length, target.length);
        covered += sim * (x.weights[i] + weight);
        if (!exact && !isSafeTypo(joined, target)) doubt ??= 'typo';
        break;
      }
    }
  }
  return { covered, doubt };
}

interface TokenPair {
  i: number;
  j: number;
  sim: number;
}

function mostSimilarFirst(p: TokenPair, q: TokenPair): number {
  return q.sim - p.sim || p.i - q.i || p.j - q.j;
}

/**
 * Whether b's positions, read in a's word order, are a's order turned around once: "Smith John A"
 * against "John A Smith" is; "Valley Ridge Insurance" against "Ridge Valley Insurance" is not.
 */
function isRotation(partner: Int16Array): boolean {
  let first = -1;
  let prev = -1;
  let descents = 0;
  for (let i = 0; i < partner.length; i++) {
    const p = partner[i];
    if (p < 0) continue;
    if (first < 0) first = p;
    else if (p < prev) descents++;
    prev = p;
  }
  return descents === 0 || (descents === 1 && prev < first);
}

/** Compares two names token by token, pairing the most similar tokens first. */
export function compareNames(a: WeightedName, b: WeightedName): NameComparison {
  const n = a.tokens.length;
  const m = b.tokens.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += a.weights[i];
  for (let j = 0; j < m; j++) total += b.weights[j];
  if (n === 0 || m === 0 || total <= 0) return { score: 0, veto: null, doubt: null };

  const usedA = new Uint8Array(n);
  const usedB = new Uint8Array(m);
  const partner = new Int16Array(n).fill(-1);
  let covered = 0;
  let doubt: Doubt | null = null;
  let leftA = n;
  let leftB = m;

  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (!usedB[j] && a.roots[i] === b.roots[j]) {
        usedA[i] = 1;
        partner[i] = j;
        usedB[j] = 1;
        covered += a.weights[i] + b.weights[j];
        leftA--;
        leftB--;
        break;
      }
    }
  }

  // Before fuzzy pairing, or "crossmedia" would pair with "cross" as an abbreviation.
  if (leftA > 0 && leftB > 0) {
    const before = covered;
    for (const join of [joinWords(a, usedA, b, usedB), joinWords(b, usedB, a, usedA)]) {
      covered += join.covered;
      doubt ??= join.doubt;
    }
    if (covered > before) {
      leftA = usedA.reduce((left, used) => left - used, n);
      leftB = usedB.reduce((left, used) => left - used, m);
    }
  }

  if (leftA > 0 && leftB > 0) {
    const pairs: TokenPair[] = [];
    for (let i = 0; i < n; i++) {
      if (usedA[i]) continue;
      for (let j = 0; j < m; j++) {
        if (usedB[j]) continue;
        const sim = tokenSimilarity(a.tokens[i], a.kinds[i], b.tokens[j], b.kinds[j]);
        if (sim >= MIN_TOKEN_SIM) pairs.push({ i, j, sim });
      }
    }
    if (pairs.length > 1) pairs.sort(mostSimilarFirst);
    for (const { i, j, sim } of pairs) {
      if (usedA[i] || usedB[j]) continue;
      usedA[i] = 1;
      usedB[j] = 1;
      partner[i] = j;
      leftA--;
      leftB--;
      covered += sim * (a.weights[i] + b.weights[j]);
      doubt ??= doubtOf(a.tokens[i], a.kinds[i], b.tokens[j], b.kinds[j], sim);
    }
  }

  let veto: Veto | null = null;
  let unmatchedA = false;
  let unmatchedB = false;
  for (let i = 0; i < n; i++) {
    if (usedA[i]) continue;
    unmatchedA = true;
    if (a.kinds[i] === 'number' || a.kinds[i] === 'marker') veto = 'marker';
  }
  for (let j = 0; j < m; j++) {
    if (usedB[j]) continue;
    unmatchedB = true;
    if (b.kinds[j] === 'number' || b.kinds[j] === 'marker') veto = 'marker';
  }
  if (veto === null && unmatchedA && unmatchedB) veto = 'substitution';
  if (veto === null && bandsConflict(a.band, b.band)) veto = 'band';
  if (veto === null && a.dial !== null && b.dial !== null && a.dial !== b.dial) veto = 'dial';
  if (doubt === null && n > 1 && m > 1 && !isRotation(partner)) doubt = 'order';
  let score = Math.min(1, covered / total);
  if ((a.band === null) !== (b.band === null) && RADIO_BANDS.has((a.band ?? b.band) as Band)) {
    doubt ??= 'band-unstated';
    // Bare call letters usually name the TV station; radio keeps its -FM/-AM.
    score *= UNSTATED_RADIO_FACTOR;
  }
  return { score, veto, doubt };
}
