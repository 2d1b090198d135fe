// lib/match: normalisation, the rules that keep confident links safe, odd input, and accuracy
// on the hand-labelled data set (figures computed from a real run, so these tests can fail).
import { describe, expect, it } from 'vitest';
import {
  analyzeName,
  isFreeMailDomain,
  normalizeName,
  readPhone,
  suggestMatches,
  type MatchInput,
  type MatchSuggestion,
} from '../../lib/match/index';
import { compareNames, type WeightedName } from '../../lib/match/similarity';
import { loadDataset, measure } from './evaluate';
import { generateSyntheticSet } from './synthetic';

const rec = (id: string, name: string, extra: Partial<MatchInput> = {}): MatchInput => ({ id, name, ...extra });
const only = (host: MatchInput, qb: MatchInput): MatchSuggestion | undefined => suggestMatches([host], [qb])[0];

describe('normalizeName', () => {
  it.each([
    ['case', 'HEARST MAGAZINES', 'Hearst Magazines'],
    ['accents', 'Condé Nast Société Générale', 'Conde Nast Societe Generale'],
    ['accents without decomposition', 'Ørsted Łódź Straße', 'Orsted Lodz Strasse'],
    ['punctuation', 'Ziff-Davis, L.L.C.', 'Ziff Davis LLC'],
    ['legal suffixes', 'Gannett Co., Inc.', 'Gannett'],
    ['foreign legal forms', 'Łódź Trading Sp. z o.o.', 'Lodz Trading GmbH'],
    ['legal form before a branch', 'Acme Supply Co. - East', 'Acme Supply East'],
    ['& and "and"', 'Ogilvy & Mather', 'Ogilvy and Mather'],
    ['letters joined by &', 'AT&T Mobility', 'ATT Mobility'],
    ['leading The', 'The Timken Company', 'Timken'],
    ['abbreviations', 'Smith Bros. Mktg Svcs Intl', 'Smith Brothers Marketing Services International'],
    ['more abbreviations', 'Brookfield Dept of Public Works Mfg Assoc', 'Brookfield Department Public Works Manufacturing Associates'],
    ['plural', 'Telemundo Station Group', 'Telemundo Stations Group'],
    ['ordinal words', 'First Coast Supply', '1st Coast Supply'],
    ['Saint and Street', 'St. Paul Plumbing', 'Saint Paul Plumbing'],
    ['initials', 'J.P. Morgan', 'JP Morgan'],
    ['apostrophes', "O'Brien's Pub", 'OBriens Pub'],
    ['web address', 'Salesforce.com, inc.', 'Salesforce'],
    ['AP note', 'Kantar Media (AP)', 'Kantar Media'],
    ['dash note', 'Graham Media Group - Main', 'Graham Media Group'],
    ['bracket note', 'Clear Channel Outdoor, Inc. [old]', 'Clear Channel Outdoor'],
    ['do not use', 'Maple Street Bakery - DO NOT USE', 'Maple Street Bakery'],
    ['do not use, undelimited', 'Maple Street Bakery DO NOT USE', 'Maple Street Bakery'],
    ['inactive-sort prefix', 'zz Copper Kettle Catering', 'Copper Kettle Catering'],
    ['account number note', 'Uline (acct #44821)', 'Uline'],
    ['spacing', '  Cross   Media  ', 'Cross Media'],
    ['honorific', 'Dr. Emily Chen', 'Emily Chen'],
    ['post-nominal', 'Laura Kim, CPA', 'Laura Kim'],
    ['call letters -TV', 'WXYZ-TV', 'WXYZ TV'],
    ['call letters with channel', 'KABC 7', 'KABC-TV 7'],
    ['FM frequency', 'WCBS-FM 101.1', 'WCBS 101.1 FM'],
    ['AM frequency implies AM', 'WCBS 880', 'WCBS-AM 880'],
    ['number with No.', 'The UPS Store No. 4521', 'UPS Store #4521'],
  ])('%s: "%s" ~ "%s"', (_what, a, b) => {
    expect(normalizeName(a)).toBe(normalizeName(b));
  });

  it.each([
    ['Acme Supply East', 'Acme Supply West'],
    ['Acme Supply (East)', 'Acme Supply'],
    ['WXYZ-TV', 'WXYZ-FM'],
    ['KABC 7', 'KABC 11'],
    ['Harbor Freight Lines', 'Harbor Freight Logistics'],
    ['UPS Store #4521', 'UPS Store #3307'],
    ['Acme (2)', 'Acme'],
    ['Samuel Ortiz Jr.', 'Samuel Ortiz Sr.'],
  ])('keeps what tells "%s" from "%s"', (a, b) => {
    expect(normalizeName(a)).not.toBe(normalizeName(b));
  });

  it('reads call letters, band and dial', () => {
    expect(normalizeName('WXYZ-TV')).toBe('wxyz tv');
    expect(analyzeName('KABC 7')).toMatchObject({ band: 'tv', dial: '7', kinds: ['callsign'] });
    expect(analyzeName('WGN Radio 720')).toMatchObject({ band: 'am', dial: '720' });
    expect(analyzeName('KROQ 106.7 FM')).toMatchObject({ band: 'fm', dial: '106.7' });
    expect(analyzeName('WPVI 6abc')).toMatchObject({ band: 'tv', dial: '6' });
    // Ordinary words shaped like call letters stay words.
    expect(analyzeName('Kent Supply').kinds).toEqual(['word', 'word']);
    expect(analyzeName('Kent Supply').band).toBeNull();
  });

  it('marks distinguishing tokens', () => {
    expect(analyzeName('Acme Supply East').kinds).toEqual(['word', 'word', 'marker']);
    expect(analyzeName('Ferguson #1234').kinds).toEqual(['word', 'number']);
    // "SE" closing a company name is the European legal form, not south-east.
    expect(normalizeName('Axel Springer SE')).toBe('axel springer');
  });
});

describe('compareNames', () => {
  // Equal weights, so these check the rules rather than word frequencies.
  const named = (name: string): WeightedName => {
    const parts = analyzeName(name);
    return { ...parts, weights: parts.tokens.map(() => 1) };
  };
  const compare = (a: string, b: string) => compareNames(named(a), named(b));

  it.each([
    ['Pacific Northwest Industrial Fastener Supply 2', 'Pacific Northwest Industrial Fastener Supply 3', 'marker'],
    ['Great Lakes Regional Hydraulic Equipment Services East', 'Great Lakes Regional Hydraulic Equipment Services', 'marker'],
    ['Samuel Ortiz Jr', 'Samuel Ortiz Sr', 'marker'],
    ['Harbor Freight Lines', 'Harbor Freight Logistics', 'substitution'],
    ['WXYZ-TV', 'WXYZ-FM', 'band'],
    ['WCBS FM 101.1', 'WCBS FM 98.7', 'dial'],
  ])('vetoes "%s" / "%s" (%s), however close the rest', (a, b, veto) => {
    expect(compare(a, b).veto).toBe(veto);
  });

  it.each([
    ['Robert Chen', 'Roberta Chen', 'typo'],
    ['Peter Hansen', 'Peter Hanson', 'typo'],
    ['J. Smith', 'John Smith', 'initial'],
    ['Chris Lee Photography', 'Christopher Lee Photography', 'abbreviation'],
    ['WFAN', 'WFAN-AM 660', 'band-unstated'],
    ['Teresa OConnor', 'Theresa OConnor', 'typo'],
    ['Valley Ridge Insurance Agency', 'Ridge Valley Insurance Agency', 'order'],
  ])('keeps "%s" / "%s" in doubt (%s)', (a, b, doubt) => {
    expect(compare(a, b)).toMatchObject({ veto: null, doubt });
  });

  it.each([
    ['Smith, John A.', 'John A. Smith'],
    ['Rossi-Bianchi, Giulia', 'Giulia Rossi Bianchi'],
  ])('takes a surname moved to the front as the same order: "%s" / "%s"', (a, b) => {
    expect(compare(a, b)).toMatchObject({ veto: null, doubt: null, score: 1 });
  });

  it.each([
    ['Great Lakes Fasteners', 'Great Lakes Fastners'],
    ['Ingersoll Rand', 'Ingersol Rand'],
    ['Hydraulic Controls', 'Hydraulic Contorls'],
    ['Delta Air Lines', 'Delta Airlines'],
    ['Digi-Key Electronics', 'DigiKey Electronics'],
    ['TorresFasteners', 'Torres Fastners'],
  ])('accepts typos and spacing in long words: "%s" / "%s"', (a, b) => {
    const c = compare(a, b);
    expect(c).toMatchObject({ veto: null, doubt: null });
    expect(c.score).toBeGreaterThan(0.9);
  });
});

describe('contacts', () => {
  it('reads one phone number however it is written', () => {
    const forms = ['(312) 555-0142', '312.555.0142', '+1 312 555 0142', '1-312-555-0142', '3125550142 x12'];
    expect(new Set(forms.map(readPhone))).toEqual(new Set(['3125550142']));
    expect(readPhone('ext 12')).toBeNull();
  });

  it('knows free-mail domains, including country variants', () => {
    for (const d of ['gmail.com', 'yahoo.co.uk', 'hotmail.fr', 'icloud.com', 'outlook.com', 'aol.com']) {
      expect(isFreeMailDomain(d), d).toBe(true);
    }
    for (const d of ['acmesupply.com', 'mail.acme.co.uk', 'harborfreightlines.com']) {
      expect(isFreeMailDomain(d), d).toBe(false);
    }
  });
});

describe('suggestMatches', () => {
  it('returns nothing for empty inputs', () => {
    expect(suggestMatches([], [])).toEqual([]);
    expect(suggestMatches([rec('h', 'Acme')], [])).toEqual([]);
    expect(suggestMatches([], [rec('q', 'Acme')])).toEqual([]);
  });

  it('links a plain variation confidently', () => {
    expect(only(rec('h', 'Harbor Freight Lines'), rec('q', 'Harbor Freight Lines, Inc.'))).toMatchObject({
      qbId: 'q',
      confident: true,
    });
    expect(only(rec('h', 'Smith, John'), rec('q', 'John Smith'))?.confident).toBe(true);
    expect(only(rec('h', 'WXYZ-TV'), rec('q', 'WXYZ'))?.confident).toBe(true);
  });

  it.each([
    ['Harbor Freight Logistics', 'Harbor Freight Lines'],
    ['Acme Supply West', 'Acme Supply East'],
    ['Acme Supply', 'Acme Supply East'],
    ['WXYZ-TV', 'WXYZ-FM'],
    ['KABC 7', 'KABC 11'],
    ['WGN Radio', 'WGN-TV'],
    ['John Smith', 'John Smith Jr.'],
    ['Jane Smith', 'John Smith'],
    ['Robert Chen', 'Roberta Chen'],
    ['Megan Ross', 'Megan Rossi'],
    ['Mario Garcia', 'Maria Garcia'],
    ['Store 12', 'Store 14'],
    ['Lakeside Dental Group', 'Lakeview Dental Group'],
    ['WFAN', 'WFAN-AM'],
  ])('never confidently links near-namesakes "%s" and "%s"', (h, q) => {
    expect(only(rec('h', h), rec('q', q))?.confident ?? false).toBe(false);
  });

  it('picks the right branch when both branches exist', () => {
    const qb = [rec('w', 'Acme Supply West'), rec('e', 'ACME Supply - East, Inc.'), rec('c', 'Acme Supply')];
    const [s] = suggestMatches([rec('h', 'Acme Supply East')], qb);
    expect(s).toMatchObject({ qbId: 'e', confident: true });
    const [tv] = suggestMatches([rec('h', 'WXYZ TV 7')], [rec('fm', 'WXYZ-FM 101.1'), rec('tv', 'WXYZ-TV')]);
    expect(tv).toMatchObject({ qbId: 'tv', confident: true });
  });

  it('is one-to-one for confident links and makes one suggestion per host record', () => {
    const host = [rec('h1', 'Acme Inc'), rec('h2', 'ACME, Inc.'), rec('h3', 'Acme'), rec('h4', 'Beta Corp')];
    const out = suggestMatches(host, [rec('q1', 'Acme Inc'), rec('q2', 'Beta Corporation')]);
    expect(new Set(out.map((s) => s.hostId)).size).toBe(out.length);
    const confidentQb = out.filter((s) => s.confident).map((s) => s.qbId);
    expect(new Set(confidentQb).size).toBe(confidentQb.length);
    // Three host records claim one QuickBooks record: a person must choose.
    expect(out.filter((s) => s.qbId === 'q1').every((s) => !s.confident)).toBe(true);
    expect(out.find((s) => s.hostId === 'h4')).toMatchObject({ qbId: 'q2', confident: true });
  });

  it('holds back when QuickBooks has two records equally like the host record', () => {
    const out = suggestMatches([rec('h', 'Acme Inc')], [rec('q1', 'Acme Inc'), rec('q2', 'Acme Inc (old)')]);
    expect(out).toHaveLength(1);
    expect(out[0].confident).toBe(false);
  });

  it('does not take a free-mail domain, or a shared free-mail address, as proof', () => {
    const sameDomain = only(
      rec('h', 'Dana Whitfield', { email: 'dana.whitfield@gmail.com' }),
      rec('q', 'Dana Whitman', { email: 'dwhitman@gmail.com' }),
    );
    expect(sameDomain?.confident ?? false).toBe(false);
    const sameAddress = only(
      rec('h', 'Alvarez Handyman Services', { email: 'jalvarez77@gmail.com' }),
      rec('q', 'Alvarez Painting', { email: 'jalvarez77@gmail.com' }),
    );
    expect(sameAddress?.confident ?? false).toBe(false);
  });

  it('lets a shared company domain or phone back up a near name, and a free-mail one not', () => {
    const host = 'Red Rock Media';
    const qb = 'Red Rock Media Studios';
    expect(only(rec('h', host), rec('q', qb))?.confident).toBe(false);
    expect(only(rec('h', host, { email: 'ap@redrockmedia.com' }), rec('q', qb, { email: 'billing@redrockmedia.com' }))?.confident).toBe(true);
    expect(only(rec('h', host, { phone: '(415) 555-0190' }), rec('q', qb, { phone: '415.555.0190' }))?.confident).toBe(true);
    expect(only(rec('h', host, { email: 'redrock@gmail.com' }), rec('q', qb, { email: 'redrockstudio@gmail.com' }))?.confident).toBe(false);
    expect(only(rec('h', host, { email: 'redrock@gmail.com' }), rec('q', qb, { email: 'redrock@gmail.com' }))?.confident).toBe(false);
  });

  it('never lets contacts override a distinguishing token', () => {
    const s = only(
      rec('h', 'Acme Supply West', { email: 'west@acmesupply.com', phone: '216-555-0141' }),
      rec('q', 'Acme Supply East', { email: 'east@acmesupply.com', phone: '(216) 555-0141' }),
    );
    expect(s?.confident ?? false).toBe(false);
  });

  it('survives hostile and odd input', () => {
    const odd = [
      '🚀🚀🚀', '!!!', '', '   ', '(((', '[[[]]]', '***', '- - -', '&&&', 'Inc.', 'The', '__proto__',
      'constructor', 'hasOwnProperty', 'x'.repeat(100_000), 'Acme '.repeat(5_000), '株式会社トヨタ', 'شركة المراعي',
      'Zero\u200bWidth\u200dJoin', 'Tab\tNew\nLine', '\u0000null\u0000', 'WXYZ'.repeat(50), '1234567890'.repeat(100),
      'Ünïcödé Ŝtrïñg', 'Robert\'); DROP TABLE vendors;--', '%s%s%s', '${name}', '..'.repeat(300),
    ];
    const host = odd.map((name, i) => rec(`h${i}`, name, { email: i % 2 ? '@@@' : 'not-an-email', phone: i % 3 ? '++++' : 'x'.repeat(1000) }));
    const qb = odd.map((name, i) => rec(`q${i}`, name, { email: null, phone: null }));
    qb.push(rec('acme', 'Acme Inc'));
    const out = suggestMatches(host, qb);
    // A name with nothing left once normalised is suggested for nothing; every other one finds its twin.
    const twins = odd.flatMap((name, i) => (normalizeName(name) ? [`h${i}>q${i}`] : []));
    expect(out.map((s) => `${s.hostId}>${s.qbId}`).sort()).toEqual(twins.sort());
    // Normalising a normalised name changes nothing, so stored keys stay comparable.
    for (const name of odd) expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
    const malformed = [null, undefined, 42, { name: 'Acme Inc' }, { id: 'ok', name: 'Acme Inc' }, { id: 'n', name: null }] as unknown as MatchInput[];
    expect(suggestMatches(malformed, qb).map((s) => s.hostId)).toEqual(['ok']);
    expect(normalizeName('🚀🚀🚀')).toBe('');
    expect(normalizeName('x'.repeat(100_000)).length).toBeLessThanOrEqual(256);
  });

  it('does not depend on the order of the QuickBooks list', () => {
    const { host, qb } = loadDataset();
    const reversed = [...qb].reverse();
    const key = (s: MatchSuggestion[]) => s.filter((x) => x.confident).map((x) => `${x.hostId}>${x.qbId}`).sort();
    expect(key(suggestMatches(host, reversed))).toEqual(key(suggestMatches(host, qb)));
  });
});

describe('on the labelled data set', () => {
  const data = loadDataset();
  const suggestions = suggestMatches(data.host, data.qb);
  const accuracy = measure(suggestions, data.truth);

  it('covers what the data set is meant to cover', () => {
    expect(data.file.pairs.length).toBeGreaterThanOrEqual(300);
    const shown = new Set(data.file.pairs.flatMap((p) => p.shows));
    for (const v of ['case', 'accents', 'punctuation', 'suffix', 'ampersand', 'the', 'abbreviation', 'callsign', 'typo', 'note', 'spacing', 'order', 'contact']) {
      expect(shown, v).toContain(v);
    }
    expect(data.file.hostOnly.length).toBeGreaterThan(30);
    expect(data.file.qbOnly.length).toBeGreaterThan(30);
    const emails = [...data.host, ...data.qb].map((r) => r.email).filter((e): e is string => !!e);
    expect(emails.some((e) => isFreeMailDomain(e.split('@')[1]))).toBe(true);
    expect(emails.some((e) => !isFreeMailDomain(e.split('@')[1]))).toBe(true);
    expect([...data.host, ...data.qb].some((r) => r.phone)).toBe(true);
  });

  it('makes at most one suggestion per host record, and links no QuickBooks record confidently twice', () => {
    expect(new Set(suggestions.map((s) => s.hostId)).size).toBe(suggestions.length);
    expect(accuracy.qbLinkedTwice).toBe(0);
  });

  it('is right at least 99.5% of the time when confident', () => {
    expect(accuracy.wrongConfident).toEqual([]);
    expect(accuracy.confidentPrecision).toBeGreaterThanOrEqual(0.995);
  });

  it('links at least 90% of true pairs confidently', () => {
    expect(accuracy.confidentRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('suggests the true counterpart first for at least 97% of host records that have one', () => {
    expect(accuracy.top1).toBeGreaterThanOrEqual(0.97);
  });

  it('would catch a matcher that links wrongly', () => {
    // The same suggestions with QuickBooks ids rotated: the measure must reject them.
    const rotated = suggestions.map((s, i) => ({ ...s, qbId: suggestions[(i + 1) % suggestions.length].qbId }));
    const bad = measure(rotated, data.truth);
    expect(bad.confidentPrecision).toBeLessThan(0.5);
    expect(bad.top1).toBeLessThan(0.5);
  });
});

describe('on a generated 2,000 x 2,000 set', () => {
  it('keeps its accuracy at scale', () => {
    const set = generateSyntheticSet({ qbCount: 2000, hostCount: 2000, matchedShare: 0.8, seed: 99 });
    const a = measure(suggestMatches(set.host, set.qb), set.truth);
    expect(a.confidentPrecision).toBeGreaterThanOrEqual(0.995);
    expect(a.confidentRecall).toBeGreaterThanOrEqual(0.9);
    expect(a.top1).toBeGreaterThanOrEqual(0.97);
    expect(a.qbLinkedTwice).toBe(0);
  });
});
