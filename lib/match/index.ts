// Suggests which host-app record (CRM customer, media-buying vendor, ERP supplier) is which
// QuickBooks record, and marks the suggestions safe to link without a person looking.
// Pure and synchronous: runs in the service worker or a page. See docs/matching.md.
import { CandidateIndex, contactKeys, type IndexedRecord } from './blocking';
import { contactEvidence, MAX_RECORDS_PER_CONTACT, readContacts, type ContactEvidence } from './contacts';
import { Lexicon } from './lexicon';
import { analyzeName, type NameParts } from './normalize';
import { compareNames, tokenWeight, type NameComparison } from './similarity';

export { analyzeName, normalizeName, type Band, type NameParts, type TokenKind } from './normalize';
export { isFreeMailDomain, readEmails, readPhone } from './contacts';

export interface MatchInput {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
}

export interface MatchSuggestion {
  hostId: string;
  qbId: string;
  /** 0..1; how alike the two records are, contacts included. */
  score: number;
  /** Safe to link without review: clean, clearly ahead of every alternative, one-to-one. */
  confident: boolean;
}

export interface MatchOptions {
  /** Name score from which a clean pair may be linked unreviewed. */
  confidentScore?: number;
  /** Lower name score accepted when a company email, domain or phone agrees. */
  corroboratedScore?: number;
  /** How far a confident pair must lead the runner-up, on either side. */
  margin?: number;
  /** Suggestions scoring below this are not made. */
  minScore?: number;
  /** QuickBooks records compared in full per host record, after blocking. */
  candidatesPerRecord?: number;
}

const DEFAULTS: Required<MatchOptions> = {
  confidentScore: 0.9,
  corroboratedScore: 0.75,
  margin: 0.05,
  minScore: 0.3,
  candidatesPerRecord: 12,
};

/** Contacts lift a score part of the way to 1; they never rescue a veto. */
const CONTACT_LIFT: Record<ContactEvidence, number> = { strong: 0.5, medium: 0.3, weak: 0.1, none: 0 };
/** A vetoed pair stays visible as a suggestion but ranks below clean alternatives. */
const VETO_PENALTY = 0.7;

interface ScoredPair {
  host: number;
  qb: number;
  score: number;
  name: NameComparison;
  evidence: ContactEvidence;
}

/** Records a host page or a stale cache may hand over half-formed are left out, not fatal. */
function usable(list: unknown): MatchInput[] {
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is MatchInput => typeof r === 'object' && r !== null && typeof (r as MatchInput).id === 'string');
}

export function suggestMatches(hostInput: MatchInput[], qbInput: MatchInput[], options: MatchOptions = {}): MatchSuggestion[] {
  const opts = { ...DEFAULTS, ...options };
  const host = usable(hostInput);
  const qb = usable(qbInput);
  if (host.length === 0 || qb.length === 0) return [];

  const analysed = new Map<string, NameParts>();
  const analyse = (name: string): NameParts => {
    let parts = analysed.get(name);
    if (parts === undefined) {
      parts = analyzeName(name);
      analysed.set(name, parts);
    }
    return parts;
  };
  const hostParts = host.map((r) => analyse(typeof r.name === 'string' ? r.name : ''));
  const qbParts = qb.map((r) => analyse(typeof r.name === 'string' ? r.name : ''));
  const idf = inverseFrequencies([...hostParts, ...qbParts]);
  const lexicon = new Lexicon([...hostParts, ...qbParts]);
  const weigh = (p: NameParts, r: MatchInput): IndexedRecord => ({
    tokens: p.tokens,
    roots: p.roots,
    kinds: p.kinds,
    band: p.band,
    dial: p.dial,
    dotted: p.dotted,
    weights: p.roots.map((root, i) => tokenWeight(root, p.kinds[i], idf.get(root) ?? 1)),
    contacts: readContacts(r.email, r.phone),
  });
  const hostRecords = host.map((r, i) => weigh(hostParts[i], r));
  const qbRecords = qb.map((r, i) => weigh(qbParts[i], r));
  const isShared = sharedContactKeys(hostRecords, qbRecords);

  const index = new CandidateIndex(qbRecords, lexicon);
  const pairs: ScoredPair[] = [];
  const bestForHost = new Float64Array(host.length).fill(-1);
  const secondForHost = new Float64Array(host.length).fill(-1);
  const bestForQb = new Float64Array(qb.length).fill(-1);
  const secondForQb = new Float64Array(qb.length).fill(-1);

  for (let hi = 0; hi < hostRecords.length; hi++) {
    const h = hostRecords[hi];
    for (const qi of index.candidates(h, contactKeys(h.contacts), opts.candidatesPerRecord)) {
      const q = qbRecords[qi];
      const name = compareNames(h, q, lexicon);
      const evidence = contactEvidence(h.contacts, q.contacts, isShared);
      let score = name.score + (1 - name.score) * CONTACT_LIFT[evidence];
      if (name.veto) score *= VETO_PENALTY;
      if (score <= 0) continue;
      if (score >= opts.minScore) pairs.push({ host: hi, qb: qi, score, name, evidence });
      if (score > bestForHost[hi]) {
        secondForHost[hi] = bestForHost[hi];
        bestForHost[hi] = score;
      } else if (score > secondForHost[hi]) secondForHost[hi] = score;
      if (score > bestForQb[qi]) {
        secondForQb[qi] = bestForQb[qi];
        bestForQb[qi] = score;
      } else if (score > secondForQb[qi]) secondForQb[qi] = score;
    }
  }

  // Best pairs first, each record used once: a host record whose favourite was taken by a
  // better-matching one gets its next best instead.
  pairs.sort((a, b) => b.score - a.score || a.host - b.host || a.qb - b.qb);
  const hostTaken = new Array<ScoredPair | undefined>(host.length);
  const qbTaken = new Uint8Array(qb.length);
  const fallback = new Array<ScoredPair | undefined>(host.length);
  for (const p of pairs) {
    fallback[p.host] ??= p;
    if (hostTaken[p.host] || qbTaken[p.qb]) continue;
    hostTaken[p.host] = p;
    qbTaken[p.qb] = 1;
  }

  const out: MatchSuggestion[] = [];
  for (let hi = 0; hi < host.length; hi++) {
    const p = hostTaken[hi] ?? fallback[hi];
    if (!p) continue;
    const assigned = hostTaken[hi] === p;
    // The runner-up on each side: the pair's own score is the best or tied with it.
    const hostRival = bestForHost[hi] > p.score ? bestForHost[hi] : secondForHost[hi];
    const qbRival = bestForQb[p.qb] > p.score ? bestForQb[p.qb] : secondForQb[p.qb];
    const confident =
      assigned &&
      isConfidentPair(p, opts) &&
      p.score - hostRival >= opts.margin &&
      p.score - qbRival >= opts.margin;
    out.push({ hostId: host[hi].id, qbId: qb[p.qb].id, score: round(p.score), confident });
  }
  return out;
}

/** The pair on its own merits, before looking at rivals. */
function isConfidentPair(p: ScoredPair, opts: Required<MatchOptions>): boolean {
  if (p.name.veto) return false;
  const corroborated = p.evidence === 'strong' || p.evidence === 'medium';
  if (p.name.doubt && !corroborated) return false;
  if (p.name.score >= opts.confidentScore) return true;
  return corroborated && p.name.score >= opts.corroboratedScore;
}

/** ln(1 + N/df) over both lists: a word on every third record says little about identity. */
function inverseFrequencies(names: NameParts[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const n of names) {
    const seen = new Set(n.roots);
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const idf = new Map<string, number>();
  for (const [t, count] of df) idf.set(t, Math.log(1 + names.length / count));
  return idf;
}

function sharedContactKeys(host: IndexedRecord[], qb: IndexedRecord[]): (key: string) => boolean {
  const countOn = (records: IndexedRecord[]) => {
    const counts = new Map<string, number>();
    for (const r of records) {
      for (const k of [...r.contacts.phones, ...r.contacts.emails, ...r.contacts.companyDomains]) {
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    return counts;
  };
  const onHost = countOn(host);
  const onQb = countOn(qb);
  return (key) => (onHost.get(key) ?? 0) > MAX_RECORDS_PER_CONTACT || (onQb.get(key) ?? 0) > MAX_RECORDS_PER_CONTACT;
}

function round(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}
