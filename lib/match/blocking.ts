// Finds, for one host record, the few QuickBooks records worth a full comparison, without
// comparing every pair: an inverted index on name tokens, one-typo neighbours of those tokens,
// words run together, and phone/email/domain keys; letter trigrams when a word leads nowhere.
import { MAX_RECORDS_PER_CONTACT, type Contacts } from './contacts';
import type { Lexicon } from './lexicon';
import { rootOf } from './normalize';
import type { WeightedName } from './similarity';

export interface IndexedRecord extends WeightedName {
  contacts: Contacts;
}

// A token alone on one side can still be a run-together pair on the other ("digikey").
const JOIN_SPAN = 3;
// Shorter words have too many one-letter neighbours to be worth looking up.
const MIN_FUZZY_LENGTH = 4;
const FUZZY_CREDIT = 0.8;
// Two words run together this long are looked up with a typo too.
const MIN_FUZZY_RUN = 7;
// A word on more QuickBooks names than this is a word, not a shortening to look up.
const RARE_POSTING = 20;
// A shortening with more readings than this in the lists is no lead.
const MAX_READINGS = 3;
// A word this long that leads nowhere is probably mangled; letter trigrams may still find it.
const MIN_TRIGRAM_WORD = 6;
// Records kept for full comparison: those with at least this share of the best lead's credit.
const CREDIT_FLOOR = 0.3;

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/** The word with each single letter removed: two words one edit apart share one of these. */
function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

function fuzzyEligible(token: string, kind: string): boolean {
  return kind === 'word' && token.length >= MIN_FUZZY_LENGTH && !/\d/.test(token);
}

function trigramsOf(text: string): Set<string> {
  const out = new Set<string>();
  const padded = ` ${text} `;
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** Keys under which a record's phones, addresses and company domains are indexed. */
export function contactKeys(c: Contacts): string[] {
  const keys: string[] = [];
  for (const p of c.phones) keys.push(`tel:${p}`);
  for (const e of c.emails) keys.push(`mail:${e}`);
  for (const d of c.companyDomains) keys.push(`domain:${d}`);
  return keys;
}

export class CandidateIndex {
  private readonly tokens = new Map<string, number[]>();
  private readonly joined = new Map<string, number[]>();
  private readonly compact = new Map<string, number[]>();
  private readonly contacts = new Map<string, number[]>();
  /** Deletion key -> QuickBooks words that produce it (and the word itself). */
  private readonly nearWords = new Map<string, string[]>();
  /** QuickBooks word -> its root, the key of `tokens`. */
  private readonly rootOfWord = new Map<string, string>();
  private readonly nearCache = new Map<string, string[]>();
  /** Trigram -> records, built on first use: only names mangled beyond token lookups need it. */
  private trigrams: Map<string, number[]> | null = null;
  /** Beyond this many records a token is too common to pick candidates on its own. */
  private readonly commonPosting: number;
  // Scratch space for one host record at a time: credit per QuickBooks record and which were touched.
  private readonly credit: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;

  /** `lexicon`, when given, lets a shortening ("Fincl", "Prtnrs") lead to the words it stands for. */
  constructor(
    private readonly records: readonly IndexedRecord[],
    private readonly lexicon?: Lexicon,
  ) {
    this.credit = new Float64Array(records.length);
    this.touched = new Int32Array(records.length);
    this.commonPosting = Math.max(50, Math.ceil(records.length * 0.02));
    const vocabulary: string[] = [];
    for (let idx = 0; idx < records.length; idx++) {
      const r = records[idx];
      for (let i = 0; i < r.tokens.length; i++) {
        const root = r.roots[i];
        if (root.length > 1) push(this.tokens, root, idx);
        // Typos are looked up on the words as written: "Jeffrues" is one slip from "Jeffries",
        // but its root "jeffrue" is two from "jeffry".
        if (fuzzyEligible(r.tokens[i], r.kinds[i]) && !this.rootOfWord.has(r.tokens[i])) {
          vocabulary.push(r.tokens[i]);
          this.rootOfWord.set(r.tokens[i], root);
        }
        let run = r.tokens[i];
        for (let k = i + 1; k < r.tokens.length && k < i + JOIN_SPAN; k++) {
          run += r.tokens[k];
          push(this.joined, run, idx);
        }
      }
      if (r.tokens.length > 0) push(this.compact, r.tokens.join(''), idx);
      for (const key of contactKeys(r.contacts)) push(this.contacts, key, idx);
    }
    for (const word of vocabulary) {
      this.addNear(word, word);
      for (const d of deletions(word)) this.addNear(d, word);
    }
  }

  private addNear(key: string, word: string): void {
    const list = this.nearWords.get(key);
    if (list === undefined) this.nearWords.set(key, [word]);
    else if (!list.includes(word)) list.push(word);
  }

  /** QuickBooks words one edit away from `word` (insert, delete, change or swap a letter). */
  private neighbours(word: string): string[] {
    const cached = this.nearCache.get(word);
    if (cached) return cached;
    const found: string[] = [];
    const collect = (key: string) => {
      const list = this.nearWords.get(key);
      if (list) for (const w of list) if (w !== word && !found.includes(w)) found.push(w);
    };
    collect(word);
    for (const d of deletions(word)) collect(d);
    this.nearCache.set(word, found);
    return found;
  }

  private give(list: readonly number[], amount: number): void {
    const credit = this.credit;
    for (let k = 0; k < list.length; k++) {
      const idx = list[k];
      if (credit[idx] === 0) this.touched[this.touchedCount++] = idx;
      credit[idx] += amount;
    }
  }

  /**
   * "TorersFasteners", "WiillowPeak": run-together words with a typo share no token with the
   * QuickBooks name, but most of their letter trigrams.
   */
  private giveByTrigrams(host: IndexedRecord, strongest: number): void {
    if (this.trigrams === null) {
      const trigrams = new Map<string, number[]>();
      this.records.forEach((r, idx) => {
        for (const g of trigramsOf(r.tokens.join(''))) push(trigrams, g, idx);
      });
      this.trigrams = trigrams;
    }
    const grams = trigramsOf(host.tokens.join(''));
    for (const g of grams) {
      const list = this.trigrams.get(g);
      if (list !== undefined && list.length <= this.commonPosting * 4) this.give(list, strongest / grams.size);
    }
  }

  /**
   * The `limit` most credited records, best first (ties by position), then clears the scratch
   * space. Insertion into a short list: hosts touch hundreds of records but keep a dozen.
   */
  private strongest(limit: number): number[] {
    const credit = this.credit;
    const touched = this.touched;
    const count = this.touchedCount;
    let best = 0;
    for (let k = 0; k < count; k++) if (credit[touched[k]] > best) best = credit[touched[k]];
    const floor = best * CREDIT_FLOOR;
    const top: number[] = [];
    for (let k = 0; k < count; k++) {
      const idx = touched[k];
      const c = credit[idx];
      if (c < floor) continue;
      if (top.length === limit) {
        const last = top[limit - 1];
        if (c < credit[last] || (c === credit[last] && idx > last)) continue;
        top.pop();
      }
      let at = top.length;
      while (at > 0 && (credit[top[at - 1]] < c || (credit[top[at - 1]] === c && top[at - 1] > idx))) at--;
      top.splice(at, 0, idx);
    }
    for (let k = 0; k < count; k++) credit[touched[k]] = 0;
    this.touchedCount = 0;
    return top;
  }

  private postingLength(root: string): number {
    return this.tokens.get(root)?.length ?? 0;
  }

  /**
   * Indexes of the QuickBooks records most worth comparing with `host`, best first, at most
   * `limit`, plus any that share a phone, email or company domain with it.
   */
  candidates(host: IndexedRecord, hostContactKeys: readonly string[], limit: number): number[] {
    const n = host.tokens.length;
    if (n === 0 && hostContactKeys.length === 0) return [];
    this.touchedCount = 0;
    let strongest = 0;
    for (let i = 0; i < n; i++) strongest += host.weights[i];

    // Rarest tokens first, so a host record made of common words still gets its best lead.
    const order: number[] = [];
    for (let i = 0; i < n; i++) if (host.roots[i].length > 1) order.push(i);
    if (order.length > 1) order.sort((x, y) => this.postingLength(host.roots[x]) - this.postingLength(host.roots[y]));
    let used = 0;
    let unexplained = false;
    for (const i of order) {
      const surface = host.tokens[i];
      const w = host.weights[i];
      const posting = this.tokens.get(host.roots[i]);
      // The rarest token always leads, unless it is on a large part of the book (then the
      // compact, joined and contact keys below are the only leads worth following).
      if (posting && (posting.length <= this.commonPosting || (used === 0 && posting.length <= this.commonPosting * 10))) {
        this.give(posting, w);
        used++;
      }
      const joined = this.joined.get(surface);
      if (joined && joined.length <= this.commonPosting) this.give(joined, w);
      let nearCount = 0;
      if (fuzzyEligible(surface, host.kinds[i])) {
        for (const word of this.neighbours(surface)) {
          nearCount++;
          const p = this.tokens.get(this.rootOfWord.get(word)!);
          if (p && p.length <= this.commonPosting) this.give(p, w * FUZZY_CREDIT);
        }
      }
      // Also when a few QuickBooks names use the same shortening: "Vet" must lead to Veterinary too.
      if (this.lexicon && host.kinds[i] === 'word' && (!posting || posting.length <= RARE_POSTING)) {
        for (const reading of this.lexicon.likelyReadings(surface, MAX_READINGS)) {
          const p = this.tokens.get(rootOf(reading));
          if (p && p.length <= this.commonPosting * 10) {
            this.give(p, w * FUZZY_CREDIT);
            nearCount++;
          }
        }
      }
      if (!posting && !joined && nearCount === 0 && surface.length >= MIN_TRIGRAM_WORD) unexplained = true;
      let run = surface;
      for (let k = i + 1; k < n && k < i + JOIN_SPAN; k++) {
        run += host.tokens[k];
        const p = this.tokens.get(rootOf(run));
        if (p && p.length <= this.commonPosting) this.give(p, w + host.weights[k]);
        else if (!p && k === i + 1 && run.length >= MIN_FUZZY_RUN && host.kinds[k] === 'word' && (!posting || !this.tokens.has(host.roots[k]))) {
          // "Ambi-craft" / "Ambicraftt": split on one side, mistyped on the other.
          for (const word of this.neighbours(run)) {
            const near = this.tokens.get(this.rootOfWord.get(word)!);
            if (near && near.length <= this.commonPosting) this.give(near, (w + host.weights[k]) * FUZZY_CREDIT);
          }
        }
      }
    }
    if (n > 0) {
      const same = this.compact.get(host.tokens.join(''));
      if (same) this.give(same, strongest);
    }
    let pinned: number[] | null = null;
    for (const key of hostContactKeys) {
      const list = this.contacts.get(key);
      if (list && list.length <= MAX_RECORDS_PER_CONTACT) {
        this.give(list, strongest);
        pinned = pinned ? [...pinned, ...list] : [...list];
      }
    }
    if (n > 0 && (this.touchedCount === 0 || unexplained)) this.giveByTrigrams(host, strongest);

    const picked = this.strongest(limit);
    if (pinned) for (const idx of pinned) if (!picked.includes(idx)) picked.push(idx);
    return picked;
  }
}
