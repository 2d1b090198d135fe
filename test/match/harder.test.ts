// lib/match on names nobody here typed: the rules added for the harder generated set (generic
// words dropped on one side, shortenings people use, typing slips judged by the lists' own
// vocabulary, more bookkeeping notes, station owners), each with cases that must link and
// near-namesakes that must not be confident; and the harder set itself.
import { describe, expect, it } from 'vitest';
import { analyzeName, normalizeName, suggestMatches, type MatchInput, type MatchSuggestion } from '../../lib/match/index';
import { Lexicon, shorteningOf } from '../../lib/match/lexicon';
import { areNeighbourKeys, compareNames, type WeightedName } from '../../lib/match/similarity';
import { measure } from './evaluate';
import { generateGrammarSet } from './grammar';

const rec = (id: string, name: string, extra: Partial<MatchInput> = {}): MatchInput => ({ id, name, ...extra });

// Lists with a vocabulary, as real books have: the rules that read the lists need other names
// using the common words (Consultants, Design, Printing...) and the names (Joseph, Robert...).
const QB_BOOK = [
  'Alpha Consultants', 'Beta Consultants', 'Gamma Consulting', 'Delta Consulting', 'Alpha Design',
  'Beta Design', 'Gamma Design', 'Harbor Printing', 'Lake Printing', 'River Printing', 'Cedar Labs',
  'Pine Labs', 'Oak Labs', 'Joseph Carter', 'Joseph Lee', 'Joseph Ward', 'Robert Young', 'Robert King',
  'Robert Hill', 'Maple Construction', 'Birch Construction', 'Elm Construction', 'Summit Solar',
  'Peak Solar', 'Ridge Solutions', 'Vale Solutions', 'Peter Hanson', 'Anna Hansen', 'Mark Rivers',
  'Maria Rivera',
].map((name, i) => rec(`qb-book-${i}`, name));
const HOST_BOOK = [
  'Alpha Consultants', 'Gamma Consulting', 'Alpha Design', 'Harbor Printing', 'Cedar Labs',
  'Joseph Carter', 'Robert Young', 'Maple Construction', 'Summit Solar', 'Ridge Solutions',
  'Anna Hanson', 'Maria Rivera',
].map((name, i) => rec(`host-book-${i}`, name));

/** The suggestion for one host name against one QuickBooks name, inside the books above. */
function inBooks(host: string, qb: string, more: { host?: MatchInput[]; qb?: MatchInput[] } = {}): MatchSuggestion | undefined {
  const out = suggestMatches([rec('h', host), ...(more.host ?? []), ...HOST_BOOK], [rec('q', qb), ...(more.qb ?? []), ...QB_BOOK]);
  return out.find((s) => s.hostId === 'h');
}
const linksConfidently = (host: string, qb: string) => expect(inBooks(host, qb), `${host} / ${qb}`).toMatchObject({ qbId: 'q', confident: true });
const neverConfident = (host: string, qb: string, more?: { host?: MatchInput[]; qb?: MatchInput[] }) =>
  expect(inBooks(host, qb, more)?.confident ?? false, `${host} / ${qb}`).toBe(false);

describe('generic words dropped on one side', () => {
  const named = (name: string): WeightedName => {
    const parts = analyzeName(name);
    return { ...parts, weights: parts.tokens.map(() => 1) };
  };

  it('cost a fixed 7%, whatever the words weigh', () => {
    expect(compareNames(named('Nexlink Media'), named('Nexlink Media Partners'))).toMatchObject({ score: 0.93, veto: null, doubt: null });
    expect(compareNames(named('Aquatek Landscaping Co-op'), named('Aquatek Landscaping'))).toMatchObject({ score: 0.93, veto: null });
    expect(compareNames(named('Harper Plumbing Collective'), named('Harper Plumbing')).score).toBeCloseTo(0.93);
  });

  it.each([
    ['Nexlink Media', 'Nexlink Media Partners'],
    ['Benson Dental', 'Benson Dental Alliance, LLC'],
    ['Wilder Web Design LLP', 'Wilder Web Design Advisors'],
    ['Eagle Trail Catering Collective', 'Eagle Trail Catering'],
  ])('link "%s" and "%s"', linksConfidently);

  it('keep sisters apart: one generic word against another vetoes', () => {
    expect(compareNames(named('Nexlink Media Group'), named('Nexlink Media Partners')).veto).toBe('substitution');
    neverConfident('Nexlink Media Group', 'Nexlink Media Partners');
  });

  it('hold back a bare name when QuickBooks has two sisters it could be', () => {
    neverConfident('Nexlink Media', 'Nexlink Media Group', { qb: [rec('q2', 'Nexlink Media Partners')] });
  });

  it('let the full name, not a bare sister, take the QuickBooks record', () => {
    const out = suggestMatches([rec('bare', 'Nexlink Media'), rec('full', 'Nexlink Media Partners, LLC')], [rec('q', 'Nexlink Media Partners')]);
    expect(out.find((s) => s.hostId === 'full')).toMatchObject({ qbId: 'q', confident: true });
    expect(out.find((s) => s.hostId === 'bare')?.confident).toBe(false);
  });

  it('do not include words that name a separate unit: Studios, Labs, Ventures', () => {
    neverConfident('Red Rock Media', 'Red Rock Media Studios');
    neverConfident('Mercer Lighting', 'Mercer Lighting Labs');
    neverConfident('Iron Hollow Financial', 'Iron Hollow Financial Ventures');
  });
});

describe('shortenings people use', () => {
  it('knows a shortening by its shape', () => {
    expect(shorteningOf('excav', 'excavation')).toBe('prefix');
    expect(shorteningOf('prtnrs', 'partners')).toBe('skeleton');
    expect(shorteningOf('gp', 'group')).toBe('skeleton');
    expect(shorteningOf('solutns', 'solutions')).toBe('contraction');
    expect(shorteningOf('media', 'medical')).toBeNull();
    expect(shorteningOf('stark', 'starbucks')).toBeNull();
    expect(shorteningOf('kent', 'kennett')).toBe('skeleton');
  });

  it('remembers which words were written with a full stop', () => {
    expect(analyzeName('Excav. Consult Inc.')).toMatchObject({ tokens: ['excav', 'consult'], dotted: [true, false] });
    expect(analyzeName('Excav Consult').dotted).toBeUndefined();
  });

  it('reads a shortening through the words the lists use, forms of one word being one reading', () => {
    const lexicon = new Lexicon(['Alpha Consultants', 'Gamma Consulting', 'Summit Solar', 'Ridge Solutions', 'Peak Solar', 'Vale Solutions'].map(analyzeName));
    expect(lexicon.readingsOf('consult')).toEqual(['consultants', 'consulting']);
    expect(lexicon.stemOf('consultants')).toBe(lexicon.stemOf('consulting'));
    expect(lexicon.stemOf('solar')).not.toBe(lexicon.stemOf('solutions'));
  });

  it.each([
    ['Griffith Renewables Cnslts', 'Griffith Renewables Consultants'],
    ['Econet Signs Prtnrs', 'Econet Signs Partners L.L.C.'],
    ['Kimball Publishing Consult.', 'Kimball Publishing Consultants'],
    ['Gifford Excav. Global', 'Gifford Excavation Global'],
    ['Hickory Point Recruiting Gp', 'Hickory Point Recruiting Group'],
    ['Grandon Water Solutns', 'Grandon Water Solutions'],
    ['Green Bend Fincl', 'Green Bend Financial'],
  ])('link "%s" and "%s"', linksConfidently);

  it.each([
    // Solar or Solutions: the lists use both.
    ['Geosphere Flooring Sol.', 'Geosphere Flooring Solutions'],
    // Names of their own, not shortenings: Jose is not Joseph, Tom may be Thomas.
    ['McKenzie, Jose', 'Joseph McKenzie'],
    ['Tom Becker', 'Thomas Becker'],
    ['Kent Walsh', 'Kennett Walsh'],
    ['Chris Lee Photography', 'Christopher Lee Photography'],
    ['Harbor Media', 'Harbor Medical'],
  ])('keep "%s" / "%s" for a person to check', (h, q) => neverConfident(h, q));

  it('let a shortening lead to the record it stands for among many namesakes', () => {
    const trades = ['Aviation', 'Data', 'Foods', 'Glass', 'Legal', 'Media', 'Paving', 'Roofing', 'Signs', 'Solar', 'Supply', 'Travel', 'Water', 'Welding', 'Events', 'Fitness', 'Imaging', 'Lighting', 'Printing', 'Realty'];
    const qb = [...trades.map((t, i) => rec(`t${i}`, `Tolliver ${t}`)), rec('fin', 'Tolliver Financial'), rec('f2', 'Harbor Financial'), rec('f3', 'Lake Financial Group')];
    const out = suggestMatches([rec('h', 'Tolliver Fincl'), rec('h2', 'Harbor Financial'), rec('h3', 'Lake Financial Group')], qb);
    expect(out.find((s) => s.hostId === 'h')).toMatchObject({ qbId: 'fin', confident: true });
  });
});

describe('typing slips judged by the lists', () => {
  it('knows neighbouring keys', () => {
    expect(areNeighbourKeys('i', 'u')).toBe(true);
    expect(areNeighbourKeys('a', 's')).toBe(true);
    expect(areNeighbourKeys('e', 'o')).toBe(false);
  });

  it.each([
    // A neighbouring key, in a word the lists use often.
    ['Norlink Desugn Works', 'Norlink Design Works'],
    // A consonant lost at the end of a long word.
    ['C3 Printin Agency', 'C3 Printing Agency'],
    ['Cresceng Trail Supply', 'Crescent Trail Supply'],
    // A swap in a short word the lists use often.
    ['Vista Soalr', 'Vista Solar'],
    // Two slips in a long common word.
    ['Horilogic Cnostruxtion', 'Horilogic Construction'],
    // A doubled h is a doubled letter.
    ['Summwave Home Healthh', 'Summwave Home Health'],
  ])('link "%s" and "%s"', linksConfidently);

  it.each([
    // Both spellings are in use in the lists: two names.
    ['Peter Hansen', 'Peter Hanson'],
    ['Anna Hanson', 'Anna Hansen'],
    // A vowel added or changed at the end is how names differ, however common the other.
    ['Roberta Chen', 'Robert Chen'],
    ['Maria Rivers', 'Maria Rivera'],
    ['Rosa Grey', 'Rosa Gray'],
  ])('keep near-namesakes "%s" / "%s" apart', (h, q) => neverConfident(h, q));
});

describe('notes, legal forms and stations', () => {
  it.each([
    ['a year in brackets', 'Finch Brewing (2019)', 'Finch Brewing'],
    ['see notes', 'Televia Signs Inc. - see notes', 'Televia Signs'],
    ['paperwork on file', 'Celecast Printing (W-9 on file)', 'Celecast Printing'],
    ['payment terms', 'Acme Supply (NET 30)', 'Acme Supply'],
    ['which record to use', 'Acme Supply (use this one)', 'Acme Supply'],
    ['an office', 'Acme Supply (corp office)', 'Acme Supply'],
    ['a hash tag', 'Acme Supply #OLD', 'Acme Supply'],
    ['Co-op as one word', 'HNM Marine Co-op, LLC', 'HNM Marine Coop'],
    ['a legal form before a city branch', 'Silnova Agency Limited - Akron', 'Silnova Agency - Akron Limited'],
  ])('%s: "%s" ~ "%s"', (_what, a, b) => {
    expect(normalizeName(a)).toBe(normalizeName(b));
  });

  it.each([
    ['Acme #2019', 'Acme'],
    ['Acme (2)', 'Acme'],
    ['Acme Limited Editions', 'Acme Editions'],
  ])('keeps what tells "%s" from "%s"', (a, b) => {
    expect(normalizeName(a)).not.toBe(normalizeName(b));
  });

  it('links a station whose owner is named on one side only', () => {
    linksConfidently('KQEE TV', 'KQEE-TV (Scripps)');
    neverConfident('WBR Foods Works', 'WBR-TV');
  });

  it('keeps Radio against FM or AM for a person, unless a phone agrees', () => {
    neverConfident('WXYZ AM 1260', 'WXYZ Radio');
    const [s] = suggestMatches([rec('h', 'WXYZ AM 1260', { phone: '312-555-0142' })], [rec('q', 'WXYZ Radio', { phone: '(312) 555-0142' })]);
    expect(s).toMatchObject({ qbId: 'q', confident: true });
  });
});

describe('the harder generated set', () => {
  it('is the same for the same seed and shows every kind of variation', () => {
    const a = generateGrammarSet({ qbCount: 1500, hostCount: 1500, matchedShare: 0.8, seed: 5 });
    const b = generateGrammarSet({ qbCount: 1500, hostCount: 1500, matchedShare: 0.8, seed: 5 });
    expect(b.host).toEqual(a.host);
    expect(b.qb).toEqual(a.qb);
    expect(a.truth.size).toBe(1200);
    const qbIds = new Set(a.qb.map((q) => q.id));
    for (const qbId of a.truth.values()) expect(qbIds.has(qbId)).toBe(true);
    const shown = new Set([...a.shows.values()].flat());
    for (const kind of [
      'generic-dropped', 'qb:generic-dropped', 'typo', 'case', 'accents', 'note', 'qb:note', 'legal', 'abbreviation',
      'ampersand', 'spacing', 'the', 'order', 'honorific', 'callsign', 'free-mail', 'copy', 'qb-has-namesake',
      'namesake-generic', 'namesake-trade', 'namesake-branch', 'namesake-brand', 'namesake-first', 'namesake-band',
    ]) {
      expect(shown, kind).toContain(kind);
    }
  });

  it('is matched with confident precision 99.5%, recall 90% and the true counterpart first 97% of the time', () => {
    const set = generateGrammarSet({ qbCount: 2000, hostCount: 2000, matchedShare: 0.8, seed: 11 });
    const a = measure(suggestMatches(set.host, set.qb), set.truth);
    expect(a.confidentPrecision).toBeGreaterThanOrEqual(0.995);
    expect(a.confidentRecall).toBeGreaterThanOrEqual(0.9);
    expect(a.top1).toBeGreaterThanOrEqual(0.97);
    expect(a.qbLinkedTwice).toBe(0);
  });
});
