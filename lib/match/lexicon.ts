// The words the two lists being matched use, and how often: the context that tells a typing
// slip from another name and a shortening from another word. "Lgstcs" can only be Logistics
// when the lists hold no other word it could stand for; "Hanson" is not a slip for "Hansen"
// when both spellings are in use. Built once per suggestMatches call.
import { stemmer } from 'stemmer';
import type { NameParts } from './normalize';

/** A word at least this common in the lists is part of their vocabulary, not a one-off. */
export const COMMON_WORD = 3;

const LETTERS = /^[a-z]+$/;
const NONE: readonly string[] = [];

/** How `short` may be written for `long`, or null when it cannot stand for it. */
export function shorteningOf(short: string, long: string): Shortening | null {
  if (short.length < 2 || long.length < short.length + 2 || short.charCodeAt(0) !== long.charCodeAt(0)) return null;
  if (!LETTERS.test(short) || !LETTERS.test(long)) return null;
  if (short.length >= 3 && long.startsWith(short)) return 'prefix';
  let vowels = 0;
  for (let i = 1; i < short.length; i++) if ('aeiou'.includes(short[i])) vowels++;
  let j = 1;
  for (let i = 1; i < short.length; i++) {
    j = long.indexOf(short[i], j);
    if (j < 0) return null;
    j++;
  }
  // Both keep the long word's end (Prtnrs, Solutns); Media is not a contraction of Medical.
  if (short.length > 2 && short[short.length - 1] !== long[long.length - 1]) return null;
  if (vowels <= 1) return 'skeleton';
  // "Solutns": a long word with a few inner letters left out, its first three kept.
  return short.length >= 5 && short.slice(0, 3) === long.slice(0, 3) && long.length - short.length <= 3 ? 'contraction' : null;
}

/** Consonants in order with at most one vowel after the first letter: Mgmt, Prtnrs, Fincl. */
export function isSkeletonShaped(short: string): boolean {
  let vowels = 0;
  for (let i = 1; i < short.length; i++) if ('aeiou'.includes(short[i]) && ++vowels > 1) return false;
  return true;
}

/**
 * prefix: Excav for Excavation. skeleton: Mgmt, Prtnrs, Gp (consonants in order, at most one
 * vowel after the first letter, the last letter kept). contraction: Solutns (a few inner letters
 * left out, the first three and the last kept).
 */
export type Shortening = 'prefix' | 'skeleton' | 'contraction';

export class Lexicon {
  /** Word -> number of names (host and QuickBooks) using it. */
  private readonly counts = new Map<string, number>();
  /** Words of four letters or more, sorted: prefix and contraction readings are a range of it. */
  private readonly sorted: string[] = [];
  /** First letter -> the same words: where a letter skeleton's readings are looked for. */
  private readonly byInitial = new Map<string, string[]>();
  private readonly readings = new Map<string, string[]>();
  private readonly sole = new Map<string, boolean>();
  private readonly stems = new Map<string, string>();
  private readonly likely = new Map<string, string[]>();

  constructor(names: readonly NameParts[]) {
    for (const n of names) {
      for (let i = 0; i < n.tokens.length; i++) {
        if (n.kinds[i] !== 'word') continue;
        const t = n.tokens[i];
        // A word twice in one name counts once.
        if (n.tokens.indexOf(t) === i) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
      }
    }
    for (const w of this.counts.keys()) {
      if (w.length < 4 || !LETTERS.test(w)) continue;
      this.sorted.push(w);
      const list = this.byInitial.get(w[0]);
      if (list) list.push(w);
      else this.byInitial.set(w[0], [w]);
    }
    this.sorted.sort();
  }

  /** The word's Porter stem (consulting, consultants: consult). */
  stemOf(word: string): string {
    let stem = this.stems.get(word);
    if (stem === undefined) {
      stem = stemmer(word);
      this.stems.set(word, stem);
    }
    return stem;
  }

  /** Names using the word. */
  count(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  /** Words of the lists that `short` could be written for. */
  readingsOf(short: string): readonly string[] {
    let found = this.readings.get(short);
    if (found === undefined) {
      // A skeleton may stand for any word with its first letter; a prefix or a contraction
      // only for words that begin as it does.
      const candidates = isSkeletonShaped(short) ? (this.byInitial.get(short[0]) ?? []) : this.startingWith(short.slice(0, short.length >= 5 ? 3 : short.length));
      found = candidates.filter((w) => shorteningOf(short, w) !== null);
      this.readings.set(short, found);
    }
    return found;
  }

  private startingWith(prefix: string): string[] {
    const words = this.sorted;
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < words.length && words[i].startsWith(prefix); i++) out.push(words[i]);
    return out;
  }

  /**
   * The words of the lists `short` most likely stands for, for finding candidates: a shortening
   * with many readings ("Sol") leads nowhere.
   */
  likelyReadings(short: string, limit: number): readonly string[] {
    if (short.length < 2 || short.length > 8) return NONE;
    let found = this.likely.get(short);
    if (found === undefined) {
      found = this.readingsOf(short).filter((w) => this.count(w) >= 2 && (short.length >= 3 || this.count(w) >= COMMON_WORD));
      this.likely.set(short, found);
    }
    return found.length <= limit ? found : NONE;
  }

  /**
   * Whether `long` is the only word of the lists `short` can stand for, its own misspellings and
   * plural aside (`isVariant` says whether a word is one of those).
   */
  soleReading(short: string, long: string, isVariant: (word: string) => boolean): boolean {
    const key = `${short} ${long}`;
    let sole = this.sole.get(key);
    if (sole === undefined) {
      // Whoever writes "Spec." means a word starting so (not Spencer); a one-off word is more
      // likely a misspelling than another reading.
      // Forms of one word are one reading: "Consult." is Consulting or Consultants, one trade;
      // "Sol." is Solutions or Solar, two.
      const prefixOnly = long.startsWith(short);
      const stem = this.stemOf(long);
      sole = !this.readingsOf(short).some(
        (w) => w !== long && (!prefixOnly || w.startsWith(short)) && this.count(w) >= 2 && !isVariant(w) && this.stemOf(w) !== stem,
      );
      this.sole.set(key, sole);
    }
    return sole;
  }
}
