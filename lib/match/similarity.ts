// How alike two analysed names are, and whether anything in them forbids linking without a
// person looking: a distinguishing word on one side only, a swapped word, another band.
import { COMMON_WORD, shorteningOf, type Lexicon, type Shortening } from './lexicon';
import { rootOf, type Band, type NameParts, type TokenKind } from './normalize';

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
/** A shortening the lists give one reading of ("Lgstcs" where Logistics is the only candidate). */
const SOLE_SHORTENING_SIM = 0.9;
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
  // How a firm describes its form rather than its trade. Words that name a separate unit
  // (Studios, Labs, Ventures, Capital, Trust) are not here: Vox Media Studios is not Vox Media.
  'collective', 'agency', 'work', 'alliance', 'resource', 'management', 'advisor', 'adviser',
  'specialist', 'consultant', 'concept', 'coop', 'team', 'firm', 'affiliate', 'unlimited',
  'organization', 'organisation', 'syndicate', 'consortium',
]);
const GENERIC_FACTOR = 0.3;
/**
 * A name that lacks only generic words the other has ("Nexlink Media" / "Nexlink Media
 * Partners") scores this much of its match, whatever the words weigh. The cost is above the
 * confidence margin, so when the host list also holds the full name ("Nexlink Media Partners,
 * LLC"), the bare one cannot take its QuickBooks record from it.
 */
const GENERIC_ONLY_FACTOR = 0.93;
/** Words beside the same call letters on one side only (an owner, a city) count this much. */
const STATION_EXTRA_FACTOR = 0.25;

export function isGenericWord(root: string): boolean {
  return GENERIC_WORDS.has(root);
}
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

interface TokenMatch {
  sim: number;
  doubt: Doubt | null;
}

const NO_MATCH: TokenMatch = { sim: 0, doubt: null };

/** Similarity of two tokens, 0 when they should not be paired at all. */
export function tokenSimilarity(a: string, ka: TokenKind, b: string, kb: TokenKind, lex?: Lexicon): number {
  return matchTokens(a, ka, false, b, kb, false, lex).sim;
}

/**
 * How two tokens pair, and whether the pairing deserves a look. With the lists' lexicon, a
 * shortening with one reading and a typing slip into a word the lists do not otherwise use are
 * taken as written for the other word.
 */
function matchTokens(a: string, ka: TokenKind, dottedA: boolean, b: string, kb: TokenKind, dottedB: boolean, lex?: Lexicon): TokenMatch {
  if (a === b) return { sim: 1, doubt: null };
  // Numbers, East/West and call letters identify; "WXYC" is another station, not a typo.
  if (ka === 'number' || kb === 'number' || ka === 'marker' || kb === 'marker') return NO_MATCH;
  if (ka === 'callsign' || kb === 'callsign') return NO_MATCH;
  if (ka === 'initial' || kb === 'initial') {
    if (ka === kb) return NO_MATCH;
    const [initial, word] = ka === 'initial' ? [a, b] : [b, a];
    return word.startsWith(initial) ? { sim: INITIAL_SIM, doubt: 'initial' } : NO_MATCH;
  }
  if (/\d/.test(a) || /\d/.test(b)) return NO_MATCH;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const shortening = shorteningOf(short, long);
  if (shortening !== null) {
    // Two letters (Gp, WW) stand only for a generic word the lists use often.
    const twoLetters = short.length === 2;
    const generic = GENERIC_WORDS.has(rootOf(long));
    if (twoLetters && !(lex && generic)) return NO_MATCH;
    const dotted = short === a ? dottedA : dottedB;
    if (lex && isShorthand(short, shortening, dotted, generic) && lex.soleReading(short, long, (w) => isSpellingOf(w, long)) && (shortening === 'skeleton' || dotted || lex.count(long) >= COMMON_WORD)) {
      return { sim: SOLE_SHORTENING_SIM, doubt: null };
    }
    return twoLetters ? NO_MATCH : { sim: PREFIX_SIM, doubt: 'abbreviation' };
  }
  const longEnough = long.length >= MIN_TYPO_LENGTH && short.length >= MIN_TYPO_LENGTH - 1;
  if (!longEnough && !(lex && short.length >= 3 && long.length >= 4)) return NO_MATCH;
  const max = short.length >= MIN_DOUBLE_TYPO_LENGTH ? 2 : 1;
  const d = editDistance(a, b, max);
  if (d > max) return NO_MATCH;
  const sim = 1 - (0.6 * d) / long.length;
  // A slip the lists vouch for costs half what an unexplained difference does.
  if (lex && (d === 1 ? isSlipInContext(a, b, lex) : isDoubleSlipInContext(a, b, lex))) return { sim: 1 - (SLIP_COST * d) / long.length, doubt: null };
  if (!longEnough) return NO_MATCH;
  return { sim, doubt: d === 1 && isSafeTypo(a, b) ? null : 'typo' };
}

/**
 * Whether a shortening is written as one, not as a word or name in its own right: Jose is not
 * short for Joseph, nor Tom for Thomas, nor Kent for Kennett, nor Stark for Starbucks. A word
 * written with a full stop (Excav., Consult.), a shortening of a generic word (Gp, Assoc), or a
 * letter skeleton no one could say (Mgmt, Prtnrs: no inner vowel; Fincl, Solns: three
 * consonants in a row) is.
 */
function isShorthand(short: string, shortening: Shortening, dotted: boolean, generic: boolean): boolean {
  if (dotted || generic) return true;
  if (shortening !== 'skeleton') return false;
  let run = 0;
  let vowels = 0;
  for (let i = 1; i < short.length; i++) {
    if ('aeiouy'.includes(short[i])) {
      vowels++;
      run = 0;
    } else if (++run >= 3) return true;
  }
  return vowels === 0;
}

/** A word itself, its plural, another shortening of it, or a misspelling of it (two edits at most). */
function isSpellingOf(w: string, long: string): boolean {
  return w === long || w.startsWith(long) || long.startsWith(w) || rootOf(w) === rootOf(long) || shorteningOf(w, long) !== null || editDistance(w, long, 2) <= 2;
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

/** Letters next to each other on a QWERTY keyboard: the letter a finger hits instead. */
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function keyPosition(c: string): [number, number] | null {
  for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
    const col = KEYBOARD_ROWS[r].indexOf(c);
    if (col >= 0) return [r, col + r * 0.5];
  }
  return null;
}
export function areNeighbourKeys(x: string, y: string): boolean {
  const p = keyPosition(x);
  const q = keyPosition(y);
  if (p === null || q === null || x === y) return false;
  return Math.abs(p[0] - q[0]) <= 1 && Math.abs(p[1] - q[1]) <= 1;
}

type Slip = 'swap' | 'double' | 'inner' | 'key' | 'end';

const SLIP_COST = 0.3;
const RARE_VARIANT_RATIO = 20;

/**
 * The kind of slip of the fingers that turns `intended` into `variant` (one edit), or null when
 * the difference is how names differ rather than how typing goes wrong: a silent h, a vowel
 * added or dropped at the end (Robert/Roberta, Ross/Rossi, Clark/Clarke), the first letter, a
 * changed letter that is not beside the right key, or a changed last letter (Rivers/Rivera).
 */
function slipOf(variant: string, intended: string): Slip | null {
  const [short, long] = variant.length <= intended.length ? [variant, intended] : [intended, variant];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    if (i + 1 < long.length && short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2)) return 'swap';
    if (i === 0 || short.slice(i + 1) !== long.slice(i + 1) || !areNeighbourKeys(short[i], long[i])) return null;
    if (i < long.length - 1) return 'key';
    // Rivers/Rivera, Dane/Dana: a vowel at the end is how names differ.
    return VOWELS.includes(short[i]) || VOWELS.includes(long[i]) ? null : 'end';
  }
  if (long.length - short.length !== 1 || short.slice(i) !== long.slice(i + 1) || i === 0) return null;
  const extra = long[i];
  if (extra === long[i - 1] || extra === long[i + 1]) return 'double';
  if (extra === 'h') return null;
  if (i === long.length - 1) return VOWELS.includes(extra) ? null : 'end';
  return 'inner';
}

const VOWELS = 'aeiou';

/**
 * The rarer of two spellings and the other, when the rarer is not in use in its own right:
 * used by one name only, or rare beside a very common other (the same slip typed twice for
 * Design). Null when both are in use: Hansen and Hanson are two names.
 */
function rareSpelling(a: string, b: string, lex: Lexicon): [variant: string, intended: string] | null {
  const ca = lex.count(a);
  const cb = lex.count(b);
  const rare = Math.min(ca, cb);
  if (rare > 1 && rare * RARE_VARIANT_RATIO > Math.max(ca, cb)) return null;
  return ca <= cb ? [a, b] : [b, a];
}

/**
 * A slip the lists themselves vouch for: the misspelt form is used by no other name (two
 * spellings both in use are two words: Hansen and Hanson), and a short word or a dropped last
 * letter is only taken as a slip for a word the lists use often ("Lbas" for Labs, "Printin").
 */
function isSlipInContext(a: string, b: string, lex: Lexicon): boolean {
  const spelling = rareSpelling(a, b, lex);
  if (spelling === null) return false;
  const [variant, intended] = spelling;
  const slip = slipOf(variant, intended);
  if (slip === null) return false;
  const length = Math.max(a.length, b.length);
  const common = lex.count(intended) >= COMMON_WORD;
  // A consonant lost or hit beside at the end (Stuar, Printin, Omnioj): long words, or a word the lists use often.
  if (slip === 'end') return length >= 5 && (length >= 7 || common);
  return length >= MIN_SAFE_TYPO_LENGTH || common;
}

/** Two slips in one long word of the lists' vocabulary ("Cnostruxtion", "Manzgemennt"). */
function isDoubleSlipInContext(a: string, b: string, lex: Lexicon): boolean {
  const spelling = rareSpelling(a, b, lex);
  return spelling !== null && lex.count(spelling[1]) >= COMMON_WORD;
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
function joinWords(x: WeightedName, usedX: Uint8Array, y: WeightedName, usedY: Uint8Array, lex?: Lexicon): { covered: number; doubt: Doubt | null } {
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
        if (!exact && !isSafeTypo(joined, target) && !(lex && isSlipInContext(joined, target, lex))) doubt ??= 'typo';
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
  doubt: Doubt | null;
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
export function compareNames(a: WeightedName, b: WeightedName, lex?: Lexicon): NameComparison {
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
    for (const join of [joinWords(a, usedA, b, usedB, lex), joinWords(b, usedB, a, usedA, lex)]) {
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
        const match = matchTokens(a.tokens[i], a.kinds[i], a.dotted?.[i] ?? false, b.tokens[j], b.kinds[j], b.dotted?.[j] ?? false, lex);
        if (match.sim >= MIN_TOKEN_SIM) pairs.push({ i, j, sim: match.sim, doubt: match.doubt });
      }
    }
    if (pairs.length > 1) pairs.sort(mostSimilarFirst);
    for (const { i, j, sim, doubt: pairDoubt } of pairs) {
      if (usedA[i] || usedB[j]) continue;
      usedA[i] = 1;
      usedB[j] = 1;
      partner[i] = j;
      leftA--;
      leftB--;
      covered += sim * (a.weights[i] + b.weights[j]);
      doubt ??= pairDoubt;
    }
  }

  let veto: Veto | null = null;
  let unmatchedA = false;
  let unmatchedB = false;
  // What is left over on one side: its weight, and whether it is all generic words.
  let leftWeight = 0;
  let leftGeneric = true;
  let sameCallsign = false;
  for (let i = 0; i < n; i++) {
    if (usedA[i]) {
      if (a.kinds[i] === 'callsign') sameCallsign = true;
      continue;
    }
    unmatchedA = true;
    leftWeight += a.weights[i];
    leftGeneric &&= a.kinds[i] === 'word' && GENERIC_WORDS.has(a.roots[i]);
    if (a.kinds[i] === 'number' || a.kinds[i] === 'marker') veto = 'marker';
  }
  for (let j = 0; j < m; j++) {
    if (usedB[j]) continue;
    unmatchedB = true;
    leftWeight += b.weights[j];
    leftGeneric &&= b.kinds[j] === 'word' && GENERIC_WORDS.has(b.roots[j]);
    if (b.kinds[j] === 'number' || b.kinds[j] === 'marker') veto = 'marker';
  }
  if (veto === null && unmatchedA && unmatchedB) veto = 'substitution';
  if (veto === null && bandsConflict(a.band, b.band)) veto = 'band';
  if (veto === null && a.dial !== null && b.dial !== null && a.dial !== b.dial) veto = 'dial';
  if (doubt === null && n > 1 && m > 1 && !isRotation(partner)) doubt = 'order';
  let score = Math.min(1, covered / total);
  const oneSided = unmatchedA !== unmatchedB && veto === null;
  if (oneSided && leftGeneric && covered > 0) {
    // "Nexlink Media" / "Nexlink Media Partners": generic words dropped on one side cost a fixed share.
    score = Math.min(1, covered / (total - leftWeight)) * GENERIC_ONLY_FACTOR;
  } else if (oneSided && sameCallsign && a.band !== null && b.band !== null) {
    // "KQEE-TV (Scripps)" / "KQEE TV": both say station, so the call letters are the station;
    // an owner or city beside them says little. ("WBR Foods" is not WBR-TV.)
    score = Math.min(1, covered / (total - leftWeight * (1 - STATION_EXTRA_FACTOR)));
  }
  if ((a.band === null) !== (b.band === null) && RADIO_BANDS.has((a.band ?? b.band) as Band)) {
    doubt ??= 'band-unstated';
    // Bare call letters usually name the TV station; radio keeps its -FM/-AM.
    score *= UNSTATED_RADIO_FACTOR;
  } else if ((a.band === 'radio') !== (b.band === 'radio') && (a.band === 'fm' || a.band === 'am' || b.band === 'fm' || b.band === 'am')) {
    // "WXYZ Radio" does not say which band: the letters may be the FM or the AM sister.
    doubt ??= 'band-unstated';
  }
  return { score, veto, doubt };
}
