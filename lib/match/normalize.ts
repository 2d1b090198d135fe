// Turns a vendor, customer or station name, as typed in a host app or in QuickBooks, into
// comparable parts, so "The ACME Supply Co., Inc. (AP)" and "Acme Supply" meet. Pure; safe in
// the service worker. The side panel searches with normalizeName.

/**
 * word: an ordinary name word. initial: a lone letter ("John A. Smith").
 * number: digits, ordinals, roman numerals; marker: East/West, Jr/Sr... Both of those tell
 * near-namesakes apart, so they must agree exactly. callsign: a broadcast station's letters.
 */
export type TokenKind = 'word' | 'initial' | 'number' | 'marker' | 'callsign';

/** Broadcast band of a station; "radio" when the name says radio but not which band. */
export type Band = 'tv' | 'fm' | 'am' | 'radio';

export interface NameParts {
  /** Canonical tokens in the order the name gave them. */
  tokens: string[];
  /** Each token without its plural ("services" -> "service"); equal roots are the same word. */
  roots: string[];
  kinds: TokenKind[];
  /** Only for station names: TV/FM/AM as written or implied by the dial number. */
  band: Band | null;
  /** Only for station names: channel ("7") or frequency ("101.1", "880"). */
  dial: string | null;
  /** Per token: written with a full stop after it ("Excav.", "Consult."), as shortenings are. */
  dotted?: boolean[];
}

// Long pasted notes would only cost time; no real name needs more.
const MAX_NAME_LENGTH = 256;
const MAX_TOKENS = 24;

const LETTERS_WITHOUT_DECOMPOSITION: ReadonlyMap<string, string> = new Map([
  ['ß', 'ss'], ['æ', 'ae'], ['Æ', 'AE'], ['œ', 'oe'], ['Œ', 'OE'], ['ø', 'o'], ['Ø', 'O'],
  ['ł', 'l'], ['Ł', 'L'], ['đ', 'd'], ['Đ', 'D'], ['ð', 'd'], ['Ð', 'D'], ['þ', 'th'],
  ['Þ', 'TH'], ['ı', 'i'],
]);
const SPECIAL_LETTERS = /[ßæÆœŒøØłŁđĐðÐþÞı]/g;

/** Words that, alone in brackets or after a dash, are bookkeeping notes rather than the name. */
const NOTE_WORDS = new Set([
  'ap', 'ar', 'old', 'new', 'inactive', 'closed', 'dup', 'dupe', 'duplicate', 'dnu', 'do', 'not',
  'dont', 'use', 'used', 'main', 'primary', 'hq', 'head', 'office', 'billing', 'payable',
  'payables', 'receivable', 'receivables', 'accounts', 'account', 'acct', 'vendor', 'customer',
  'client', 'deleted', 'delete', 'obsolete', 'legacy', 'archived', 'archive', 'test', '1099',
  'w9', 'ach', 'wire', 'check', 'cheque', 'usd', 'cad', 'eur', 'gbp', 'contractor', 'only',
  'remit', 'remittance', 'see', 'former', 'misc', 'miscellaneous', 'temp', 'temporary', 'x',
  // Status, paperwork and payment notes: "(see notes)", "(W-9 on file)", "(use this one)", "- check only".
  'notes', 'note', 'file', 'on', 'w8', 'w9', 'this', 'one', 'current', 'prior', 'previous',
  'corporate', 'corp', 'office', 'payment', 'payments', 'pay', 'eft', 'cod', 'prepaid', 'hold',
  'pending', 'review', 'verify', 'setup', 'merged', 'replaced', 'archive', 'dormant', 'to', 'by',
  'into', 'please', 'per', 'mailing', 'address', 'box', 'net', 'terms', 'card', 'cc', 'rent',
  'duplicated', 'inact', 'nouse', 'donotuse', 'correct', 'right', 'wrong',
]);
/** A bracket or dash part starting with one of these is an account number, address or alias. */
const NOTE_LEADS = new Set([
  'acct', 'account', 'ref', 'id', 'cust', 'customer', 'vendor', 'fka', 'formerly', 'aka',
  'attn', 'po', 'ein', 'tax', 'tin', 'ssn', 'net', 'use', 'see', 'remit', 'ship', 'send', 'mail',
  'vat', 'gst', 'abn', 'duns',
]);
/** Notes people type straight after the name, without brackets. */
const TRAILING_NOTES: readonly string[][] = [
  ['do', 'not', 'use'], ['dont', 'use'], ['dnu'], ['inactive'], ['obsolete'], ['duplicate'],
];

const STOPWORDS = new Set(['the', 'and', 'of', 'und', 'et']);
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'mx', 'miss', 'dr', 'prof', 'rev', 'hon']);
const POST_NOMINALS = new Set(['phd', 'md', 'dds', 'dmd', 'esq', 'cpa', 'cfa', 'mba', 'rn', 'dvm', 'jd']);

/** Legal forms dropped from the end of a name (repeatedly: "Co., Ltd."). */
const LEGAL_FORMS = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lllp', 'pllc', 'plc', 'ltd', 'limited', 'lp', 'lc',
  'corp', 'corporation', 'co', 'cos', 'company', 'pc', 'pa', 'na', 'sa', 'sas', 'sarl', 'srl',
  'spa', 'ag', 'se', 'gmbh', 'kg', 'kgaa', 'ohg', 'ug', 'bv', 'nv', 'ab', 'as', 'asa', 'aps',
  'oy', 'oyj', 'pty', 'pte', 'bhd', 'sdn', 'kk', 'ltda', 'sl', 'sau', 'ulc', 'ltee', 'cie',
  'cia', 'sro', 'kft', 'zrt', 'doo', 'ooo', 'aktiengesellschaft',
]);
/** Legal forms that mean nothing else, so they are dropped wherever they stand ("Acme Inc dba ..."). */
const STRICT_LEGAL_FORMS = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'pllc', 'ltd', 'corp', 'corporation', 'gmbh', 'plc', 'dba',
]);

/** Abbreviations finance teams and CRMs use, mapped to one spelling. Map, so "constructor" is just a word. */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['intl', 'international'], ['internat', 'international'],
  ['svc', 'service'], ['svcs', 'services'], ['srvc', 'service'], ['srvcs', 'services'], ['servs', 'services'],
  ['mgmt', 'management'], ['mgt', 'management'], ['mngmt', 'management'], ['mgmnt', 'management'],
  ['bros', 'brothers'], ['bro', 'brother'],
  ['assoc', 'associates'], ['assocs', 'associates'], ['assn', 'associates'], ['asso', 'associates'],
  ['association', 'associates'],
  ['dept', 'department'], ['dpt', 'department'],
  ['mfg', 'manufacturing'], ['mfrg', 'manufacturing'], ['mfng', 'manufacturing'],
  ['mfr', 'manufacturer'], ['mfrs', 'manufacturers'],
  ['ctr', 'center'], ['cntr', 'center'], ['centre', 'center'],
  ['natl', 'national'], ['univ', 'university'], ['hosp', 'hospital'],
  ['tech', 'technology'], ['techs', 'technologies'],
  ['sys', 'system'], ['syst', 'system'],
  ['dist', 'distribution'], ['distr', 'distribution'], ['distrib', 'distribution'],
  ['distributor', 'distribution'],
  ['mktg', 'marketing'], ['comm', 'communication'], ['comms', 'communication'],
  ['commun', 'communication'], ['grp', 'group'], ['hldg', 'holding'], ['hldgs', 'holding'],
  ['eng', 'engineering'], ['engr', 'engineering'], ['engrg', 'engineering'], ['engg', 'engineering'],
  ['elec', 'electric'], ['equip', 'equipment'], ['eqpt', 'equipment'], ['sply', 'supply'],
  ['supp', 'supply'], ['whse', 'warehouse'], ['bldg', 'building'], ['constr', 'construction'],
  ['cnstr', 'construction'], ['ins', 'insurance'], ['insur', 'insurance'], ['finl', 'financial'],
  ['co', 'company'], ['ent', 'entertainment'], ['entmt', 'entertainment'], ['prop', 'property'], ['props', 'property'],
  ['govt', 'government'], ['inst', 'institute'], ['mtn', 'mountain'], ['mt', 'mount'],
  ['ft', 'fort'], ['saint', 'st'], ['street', 'st'], ['ave', 'avenue'],
  ['pharm', 'pharmaceutical'], ['pharma', 'pharmaceutical'],
  ['lab', 'laboratory'], ['labs', 'laboratories'],
  ['ind', 'industry'], ['inds', 'industries'], ['indus', 'industries'],
  ['soln', 'solution'], ['solns', 'solution'], ['transp', 'transportation'],
  ['advtg', 'advertising'], ['agcy', 'agency'], ['acctg', 'accounting'], ['div', 'division'],
  ['amer', 'america'], ['calif', 'california'], ['wrks', 'works'],
  ['first', '1st'], ['second', '2nd'], ['third', '3rd'], ['fourth', '4th'], ['fifth', '5th'],
  ['sixth', '6th'], ['seventh', '7th'], ['eighth', '8th'], ['ninth', '9th'], ['tenth', '10th'],
]);

/** Words that tell branches apart: "Acme Supply East" is not "Acme Supply West". */
const MARKERS = new Set([
  'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest', 'ne',
  'nw', 'se', 'sw', 'central', 'midwest', 'northern', 'southern', 'eastern', 'western', 'upper',
  'lower', 'downtown', 'uptown', 'midtown', 'jr', 'sr', 'junior', 'senior',
]);
const ROMAN_NUMERALS = new Set(['ii', 'iii', 'iv', 'vi', 'vii', 'viii', 'ix', 'xi', 'xii', 'xiii']);

/** Station words written after call letters: WXYZ-TV, KABC Channel 7, WGN Radio 720. */
const BAND_WORDS: ReadonlyMap<string, Band> = new Map([
  ['tv', 'tv'], ['dt', 'tv'], ['hd', 'tv'], ['cd', 'tv'], ['ld', 'tv'], ['lp', 'tv'], ['ca', 'tv'],
  ['television', 'tv'], ['channel', 'tv'], ['ch', 'tv'], ['fm', 'fm'], ['am', 'am'],
  ['radio', 'radio'], ['newsradio', 'radio'],
]);
/** Networks named beside call letters: "KXAS NBC 5", "WFLD FOX 32". */
const NETWORKS = new Set(['abc', 'nbc', 'cbs', 'fox', 'cw', 'pbs', 'telemundo', 'univision', 'ctv', 'cbc']);
// Channel branding written next to call letters: "WPVI 6abc", "NBC4", "Fox 5".
const BRANDED_CHANNEL = /^(?:(\d{1,2})(?:abc|nbc|cbs|fox|cw|news)|(?:abc|nbc|cbs|fox|cw)(\d{1,2}))$/;
// US call letters start with K or W, Canadian ones with CB/CF/CH/CI/CJ/CK.
const CALLSIGN_SHAPE = /^(?:[kw][a-z]{2,3}|c[bfhijk][a-z]{2})$/;

/**
 * Lower-cased comparable form of a name, for search boxes and exact lookups: variants meet
 * ("Smith Bros. Svcs, Inc." and "Smith Brothers Services" both give "smith brother service").
 */
export function normalizeName(name: string): string {
  const parts = analyzeName(name);
  const out = parts.roots.slice();
  if (parts.band) out.push(parts.band);
  if (parts.dial) out.push(parts.dial);
  return out.join(' ');
}

/** Splits a name into canonical tokens, their kinds and, for stations, band and dial. */
export function analyzeName(name: string): NameParts {
  let text = typeof name === 'string' ? name : String(name ?? '');
  if (text.length > MAX_NAME_LENGTH) text = text.slice(0, MAX_NAME_LENGTH);
  text = foldAccents(text);
  text = stripSortPrefix(text);
  // "Co-op", "Co op" and "Coop" are one word, not Company + "op".
  if (/co[-\s]?op/i.test(text)) text = text.replace(/\bco[-\s]?op(?:erative)?\b/gi, 'Coop');
  // "Acme #OLD": a hash before a word is a tag, not a store number.
  if (text.includes('#')) text = text.replace(/\s#[A-Za-z]+\s*$/, '');
  text = stripBracketNotes(text);
  text = stripDashNotes(text);
  if (text.includes('&') || text.includes('+')) {
    // AT&T, P&G, A+E: letters joined by & are one name, not two words.
    text = text.replace(/\b([A-Za-z]{1,2})\s*[&+]\s*([A-Za-z]{1,2})\b/g, '$1$2').replace(/[&+]/g, ' and ');
  }
  // O'Brien, Macy's: an apostrophe never separates words in a name.
  if (/['’‘`´]/.test(text)) text = text.replace(/['’‘`´]/g, '');
  // Salesforce.com, Taboola.com: a web address ending is not part of the company name.
  if (text.includes('.')) text = text.replace(/\.(?:com|net|org|io|biz)\b/gi, ' ');

  const raw = text.match(/[\p{L}\p{N}]+(?:\.\d+)?/gu) ?? [];
  // Words of three letters or more written with a full stop after them: shortenings.
  const dottedWords = text.includes('.') ? new Set((text.match(/\p{L}{3,}(?=\.)/gu) ?? []).map((w) => w.toLowerCase())) : null;
  const allCaps = text === text.toUpperCase();
  let tokens: string[] = [];
  let shouted: boolean[] = [];
  for (const r of raw.slice(0, MAX_TOKENS * 2)) {
    const lower = r.toLowerCase();
    tokens.push(lower);
    shouted.push(r.length >= 3 && r !== lower && r === r.toUpperCase());
  }
  const fallback = tokens.slice();

  ({ tokens, shouted } = dropHonorifics(tokens, shouted));
  // "The", "and", "of" carry nothing; "No." before a number is just the number.
  ({ tokens, shouted } = keep(tokens, shouted, (t, i, all) => !STOPWORDS.has(t) && !(t === 'no' && /^\d/.test(all[i + 1] ?? ''))));
  ({ tokens, shouted } = mergeInitials(tokens, shouted));
  tokens = stripTrailingNotes(tokens);
  shouted = shouted.slice(0, tokens.length);

  const station = readStation(tokens, shouted, allCaps);
  tokens = station.tokens;
  const callsigns = station.callsigns;

  tokens = stripLegalForms(tokens, callsigns);

  const out: string[] = [];
  const roots: string[] = [];
  const kinds: TokenKind[] = [];
  const add = (surface: string, kind: TokenKind | null) => {
    const root = kind === 'callsign' ? surface : rootOf(surface);
    out.push(surface);
    roots.push(root);
    kinds.push(kind ?? kindOf(root));
  };
  for (const t of tokens) {
    if (callsigns.has(t)) add(t, 'callsign');
    // "007" and "7" are one store number; long digit runs (account numbers) stay as written.
    else add(/^\d{1,15}$/.test(t) ? String(Number(t)) : (ABBREVIATIONS.get(t) ?? t), null);
  }
  if (out.length === 0 && station.band === null) {
    // "Inc." or "The Company" alone: better to keep what was written than to lose the record.
    for (const t of fallback.slice(0, MAX_TOKENS)) add(t, null);
  }
  const parts: NameParts = {
    tokens: out.slice(0, MAX_TOKENS),
    roots: roots.slice(0, MAX_TOKENS),
    kinds: kinds.slice(0, MAX_TOKENS),
    band: station.band,
    dial: station.dial,
  };
  if (dottedWords !== null && dottedWords.size > 0) parts.dotted = parts.tokens.map((t) => dottedWords.has(t));
  return parts;
}

function foldAccents(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL_LETTERS, (c) => LETTERS_WITHOUT_DECOMPOSITION.get(c) ?? c);
}

// QuickBooks users rename inactive vendors "zz Acme" or "ZZZ-Acme" so they sort last.
function stripSortPrefix(s: string): string {
  return s.replace(/^\s*(?:zz+|ZZ+|xx+|XX+)[\s\-_.:*]+/, '').replace(/^\s*(?:zz+|ZZ+)(?=[A-Z])/, '');
}

// A year alone ("(2019)") dates a record; a store number is written with # or No.
const YEAR = /^(?:19[5-9]\d|20[0-4]\d)$/;

function isNote(segment: string): boolean {
  const words = segment
    .toLowerCase()
    .replace(/\ba\/([pr])\b/g, 'a$1')
    .replace(/\bw-([89])\b/g, 'w$1')
    .split(/[^a-z0-9#]+/)
    .filter(Boolean);
  if (words.length === 0) return true;
  if (NOTE_LEADS.has(words[0]) || words[0].startsWith('#')) return true;
  // Payment terms: "(NET 30)", "net 15".
  return words.every((w, i) => NOTE_WORDS.has(w) || YEAR.test(w) || (LEGAL_FORMS.has(w) && words.length > 1) || (/^\d{1,3}$/.test(w) && words[i - 1] === 'net'));
}

// "(AP)", "[old]", "*inactive*" go; "(East)" or "(Canada)" stay, as they tell records apart.
function stripBracketNotes(s: string): string {
  if (!/[([{<*]/.test(s)) return s;
  return s.replace(/[([{<*]+([^)\]}>*]*)[)\]}>*]*/g, (_m, inner: string) => (isNote(inner) ? ' ' : ` ${inner} `));
}

// "Acme - DO NOT USE", "Acme, Main" go; "Acme Supply - East" keeps East. The first part is the name.
function stripDashNotes(s: string): string {
  if (!/[-:|/–—,]/.test(s)) return s;
  const parts = s.split(/\s+[-:|/]+\s+|\s*[–—]+\s*|\s*--+\s*|,\s*/);
  if (parts.length === 1) return s;
  const kept = parts.filter((p, i) => i === 0 || !isNote(p));
  // A legal form closes the name it belongs to: "Silnova Agency Limited - Akron" is Silnova
  // Agency, Akron branch, as "Silnova Agency - Akron Limited" is.
  return kept.map((p, i) => (i < kept.length - 1 ? p.replace(SEGMENT_LEGAL_END, '') : p)).join(' ');
}

// Legal forms that only ever mean the company's form, closing a segment after another word.
const SEGMENT_LEGAL_END = /(?<=\S)\s+(?:inc|incorporated|llc|l\.l\.c|llp|pllc|ltd|limited|corp|corporation|plc|gmbh|p\.c)\.?\s*$/i;

function keep(
  tokens: string[],
  shouted: boolean[],
  test: (t: string, i: number, all: string[]) => boolean,
): { tokens: string[]; shouted: boolean[] } {
  const t2: string[] = [];
  const s2: boolean[] = [];
  tokens.forEach((t, i) => {
    if (test(t, i, tokens)) {
      t2.push(t);
      s2.push(shouted[i]);
    }
  });
  // A name made only of stopwords ("The And") stays as it was rather than vanishing.
  return t2.length > 0 ? { tokens: t2, shouted: s2 } : { tokens, shouted };
}

function dropHonorifics(tokens: string[], shouted: boolean[]): { tokens: string[]; shouted: boolean[] } {
  let start = 0;
  let end = tokens.length;
  while (end - start > 2 && HONORIFICS.has(tokens[start])) start++;
  while (end - start > 2 && POST_NOMINALS.has(tokens[end - 1])) end--;
  return { tokens: tokens.slice(start, end), shouted: shouted.slice(start, end) };
}

// "J. P. Morgan" and "JP Morgan", "L.L.C." and "LLC", "U.S.A." and "USA" meet.
function mergeInitials(tokens: string[], shouted: boolean[]): { tokens: string[]; shouted: boolean[] } {
  const t2: string[] = [];
  const s2: boolean[] = [];
  const isLetter = (t: string) => t.length === 1 && t.toLowerCase() !== t.toUpperCase();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = t2.length - 1;
    // Joins while the previous input token was a lone letter, so "ab" keeps growing to "abc".
    if (isLetter(t) && i > 0 && isLetter(tokens[i - 1])) {
      t2[prev] += t;
      s2[prev] = false;
    } else {
      t2.push(t);
      s2.push(shouted[i]);
    }
  }
  return { tokens: t2, shouted: s2 };
}

function stripTrailingNotes(tokens: string[]): string[] {
  let out = tokens;
  for (let changed = true; changed; ) {
    changed = false;
    for (const phrase of TRAILING_NOTES) {
      const n = phrase.length;
      if (out.length > n && phrase.every((w, k) => out[out.length - n + k] === w)) {
        out = out.slice(0, out.length - n);
        changed = true;
      }
    }
  }
  return out;
}

interface StationReading {
  tokens: string[];
  callsigns: Set<string>;
  band: Band | null;
  dial: string | null;
}

function dialBand(dial: string): Band | null {
  const n = Number(dial);
  if (dial.includes('.')) return n >= 87.5 && n <= 108 ? 'fm' : null;
  if (n >= 530 && n <= 1710) return 'am';
  if (n >= 1 && n <= 99) return 'tv';
  return null;
}

// "WGN Radio 720" is AM; a name that says two bands keeps the first one written.
function mergeBand(current: Band | null, next: Band): Band {
  if (current === null) return next;
  if (current === 'radio' && (next === 'fm' || next === 'am')) return next;
  return current;
}

// Call letters are the station's identity; the band and channel written around them
// ("WXYZ-TV", "KABC 7", "WCBS 101.1 FM") become attributes that must agree, not words.
function readStation(tokens: string[], shouted: boolean[], allCaps: boolean): StationReading {
  const callsigns = new Set<string>();
  if (!tokens.some((t) => CALLSIGN_SHAPE.test(t))) return { tokens, callsigns, band: null, dial: null };
  const saysStation = tokens.some((t) => BAND_WORDS.has(t) || NETWORKS.has(t) || BRANDED_CHANNEL.test(t));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!CALLSIGN_SHAPE.test(t)) continue;
    const next = tokens[i + 1];
    const nextIsStation = next !== undefined && (BAND_WORDS.has(next) || (/^\d+(\.\d+)?$/.test(next) && dialBand(next) !== null));
    if (nextIsStation || (shouted[i] && !allCaps) || !/[aeiou]/.test(t) || (i === 0 && saysStation && (shouted[i] || allCaps))) {
      callsigns.add(t);
    }
  }
  if (callsigns.size === 0) return { tokens, callsigns, band: null, dial: null };

  let band: Band | null = null;
  let dial: string | null = null;
  const rest: string[] = [];
  for (const t of tokens) {
    const b = BAND_WORDS.get(t);
    if (b && !callsigns.has(t)) {
      band = mergeBand(band, b);
      continue;
    }
    if (dial === null && /^\d+(\.\d+)?$/.test(t) && dialBand(t) !== null) {
      dial = String(Number(t));
      continue;
    }
    const branded: RegExpExecArray | null = dial === null ? BRANDED_CHANNEL.exec(t) : null;
    if (branded) {
      dial = String(Number(branded[1] ?? branded[2]));
      continue;
    }
    rest.push(t);
  }
  if (dial !== null) {
    const implied = dialBand(dial);
    if (implied && (band === null || (band === 'radio' && implied !== 'tv'))) band = implied;
  }
  return { tokens: rest, callsigns, band, dial };
}

// Legal forms go from the end of the name, and from just before a trailing branch or number:
// "Acme Supply Co. - East" is Acme Supply East, whatever its legal form.
function stripLegalForms(tokens: string[], callsigns: Set<string>): string[] {
  let out = tokens.filter((t, i) => i === 0 || !STRICT_LEGAL_FORMS.has(t) || callsigns.has(t));
  if (out.length === 0) out = tokens;
  let tail = out.length;
  // "SE" closing a name is the European company form (Axel Springer SE), not south-east.
  const branchLike = (t: string) => (MARKERS.has(t) && !LEGAL_FORMS.has(t)) || /^\d/.test(t);
  while (tail > 1 && branchLike(out[tail - 1])) tail--;
  let end = tail;
  while (end > 1) {
    const last = out[end - 1];
    if (last === 'zoo' && out[end - 2] === 'sp' && end > 2) end -= 2;
    else if (LEGAL_FORMS.has(last) && !callsigns.has(last)) end -= 1;
    else break;
  }
  return end === tail ? out : [...out.slice(0, end), ...out.slice(tail)];
}

/** A word without its plural ending, looked up again among the abbreviations ("assocs"). */
export function rootOf(t: string): string {
  if (t.length < 4 || /\d/.test(t) || !t.endsWith('s')) return t;
  // Glass, Atlas, Thomas, Lotus, Paris, News: an s that is not a plural.
  if (/(?:ss|us|is|as)$/.test(t) || t === 'news') return t;
  const singular = t.length >= 5 && t.endsWith('ies') ? t.slice(0, -3) + 'y' : t.slice(0, -1);
  return ABBREVIATIONS.get(singular) ?? singular;
}

function kindOf(t: string): TokenKind {
  if (/^\d/.test(t) || ROMAN_NUMERALS.has(t)) return 'number';
  if (MARKERS.has(t)) return 'marker';
  if (t.length === 1) return 'initial';
  return 'word';
}
