// The harder generated set: business names from a combinatorial grammar, where near-namesakes
// differ by one generic word ("Nexlink Media Group" / "Nexlink Media Partners"), generic words
// are dropped on one side, and both sides carry the mess of lists nobody here typed: typos in
// any word, case, accents, notes ("- Main", "(old acct)"), legal suffixes added, dropped and
// changed, shortenings people use whether or not a program knows them, call letters written
// every way, free-mail addresses, and sister companies sharing a domain or a mailbox.
//
// Written from how people name and type businesses, never from lib/match, which it does not
// import. Every record carries the kinds of variation it shows, so figures can be broken down.
// The bench reports on a seed that was not looked at while the matcher was being tuned.
import type { MatchInput } from '../../lib/match/index';
import { seededRandom } from '../../sandbox/random';
import { shuffle } from './synthetic';

export interface GrammarOptions {
  qbCount: number;
  hostCount: number;
  /** Share of QuickBooks records with a host counterpart. */
  matchedShare: number;
  seed: number;
}

export interface GrammarSet {
  host: MatchInput[];
  qb: MatchInput[];
  /** hostId -> qbId of the true counterpart. */
  truth: Map<string, string>;
  /** hostId -> the kinds of variation between the host record and its counterpart (or, for a host-only record, why it is there). */
  shows: Map<string, string[]>;
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const chance = (rng: Rng, p: number): boolean => rng() < p;
const words = (s: string): string[] => s.trim().split(/\s+/);

// --- Vocabulary -------------------------------------------------------------------------------

/** Brand heads and tails: "<Prefix><Suffix>" gives Nexlink, Veracore, Aquastream... */
const PREFIXES = words(`Acu Aero Alta Ambi Aqua Arbor Argo Aura Avi Bio Blu Bright Cardi Cele Clar
Cogni Crest Cyber Dura Eco Ele Emer Envi Equi Ever Fide Flexi Fort Geo Glo Grand Helio Hydro Info
Inte Kine Lumen Magna Medi Micro Nex Nor Nu Omni Opti Pan Para Peri Prima Quant Radi Sage Sci Sil
Solu Stra Summ Tele Terra Tru Uni Vali Vera Vista Zeni Ampli Belle Cova Dyna Exa Fluent Gala Hori`);
const SUFFIXES = words(`tek ware gen logic point path works sys ify ora ium ex on ix ia core line link net
scape stream field bridge wave mark source star tron via sphere nova dyne gate ly vant quest flow
hub cast cloud craft`);

const SURNAMES = words(`Abernathy Ackerman Albright Alcott Ambrose Ashford Atwood Babcock Bancroft Barlow
Beckett Bellamy Benson Blackburn Bradshaw Brennan Brewster Buckley Burgess Calhoun Carver Chambers
Chatfield Clayton Colby Corbett Crandall Cunningham Dalton Danforth Dempsey Dorsey Draper Easton
Eldridge Ellison Emery Fairbanks Farley Fenwick Finch Fletcher Forbes Fowler Gardner Garland Gifford
Goodwin Granger Griffith Hadley Halsey Harding Harlow Hastings Hawkins Holt Hopkins Huxley Ingram Jarvis
Kendall Kimball Langley Lawton Lennox Lowell Lyman Mallory Marlowe Maxwell Mercer Merrick Morrow Nolan
Norris Oakes Ogden Paxton Pennington Quincy Radford Ramsey Redding Rowe Sawyer Sheridan Shelby Slater
Spencer Stafford Sutton Tate Thatcher Tolliver Travers Tucker Vaughn Wadsworth Walker Warwick Webster
Wendell Whitley Wilder Winslow Woodward Wyatt York Zeller Okafor Nakagawa Castellanos Brandt Lindqvist
Moreau Kowalczyk Haddad Petrova Esposito Fontaine Ibarra Yilmaz Novak Oyelowo Santoro Takeda Varga`);

const FIRST_NAMES = words(`Aaron Abigail Adrian Alicia Amos Andrea Angela Arthur Audrey Barbara Bernard
Beth Brandon Brenda Calvin Carla Carmen Cecilia Clara Colin Craig Dale Daniela Darren Deborah Derek
Diane Dolores Douglas Edgar Eileen Elena Elliot Erin Esther Felix Fiona Floyd Gail Gavin Gemma Glenn
Gordon Greta Hazel Hector Helena Howard Ian Irene Isaac Ivan Jasmine Jenna Joel Jolene Julian Karl
Kirsten Lana Lionel Lorraine Lucas Lydia Malcolm Marcia Marcus Marisol Milton Miriam Monica Nadia Neil
Nora Oscar Owen Pamela Paula Quentin Rhonda Rodney Rosa Ruben Sabrina Selma Simone Stuart Tamara
Terrence Tobias Ursula Valerie Vernon Wanda Warren Yvonne Zoe Kenji Priya Chidi Anouk Mateus Leilani`);

/** Pairs of surnames that are different families, one letter apart. */
const SURNAME_TWINS: ReadonlyArray<[string, string]> = [
  ['Hansen', 'Hanson'], ['Petersen', 'Peterson'], ['Carlsen', 'Carlson'], ['Olsen', 'Olson'],
  ['Nielsen', 'Nielson'], ['Jensen', 'Jenson'], ['Andersen', 'Anderson'], ['Thomson', 'Thompson'],
  ['Reid', 'Reed'], ['Gray', 'Grey'], ['Meyer', 'Meier'], ['Schmitt', 'Schmidt'], ['Phillips', 'Philips'],
  ['Mathews', 'Matthews'], ['Clark', 'Clarke'], ['Brown', 'Browne'], ['Rivers', 'Rivera'],
  ['Larsen', 'Larson'], ['Sorensen', 'Sorenson'], ['Fischer', 'Fisher'],
];

const PLACE_HEADS = words(`Cedar Maple Birch Aspen Willow Juniper Hickory Magnolia Sequoia Alder Harbor Bay
River Lake Canyon Mesa Prairie Granite Copper Silver Golden Iron Blue Red Green Stone Eagle Falcon
Heron Fox Summit Pioneer Frontier Keystone Liberty Heritage Crescent Beacon Anchor Compass Horizon
Meridian Coastal Highland Lakeside Riverside Bayview Hillside Evergreen Sunset Sunrise Twin Tri-State
Clearwater Whitewater Black Diamond Oak Pine Elm Ash Sterling Crown Royal Union Metro Valley`);
const PLACE_TAILS = words(`Ridge Creek Point Hill Field Brook Wood Crest Park Springs View Gate Peak Rock
Bend Hollow Landing Crossing Meadow Grove Haven Shore Bluff Glen Falls Mill Trail Run Pass Mesa`);

/** Trades; some are two words. */
const TRADES: string[][] = `Media|Digital Media|Logistics|Freight|Trucking|Plumbing|Electric|Roofing|Landscaping|
Dental|Medical|Staffing|Consulting|Analytics|Capital|Realty|Construction|Engineering|Software|Marketing|
Design|Health|Energy|Foods|Printing|Security|Insurance|Legal|HVAC|Supply|Packaging|Data|Cloud|Wellness|
Pharma|Auto|Marine|Aviation|Textiles|Furniture|Events|Travel|Outdoor|Signs|Solar|Water|Environmental|
Financial|Tax|Payroll|Title|Mortgage|Home Health|Physical Therapy|Veterinary|Pest Control|Auto Body|
Commercial Cleaning|Property|Web Design|Telecom|Fabrication|Welding|Hydraulics|Fasteners|Coatings|
Lighting|Flooring|Glass|Paving|Excavation|Catering|Coffee|Brewing|Imaging|Diagnostics|Robotics|
Biotech|Renewables|Recruiting|Translation|Productions|Publishing|Records|Apparel|Fitness|Learning`
  .split('|')
  .map((t) => words(t));

/** Generic words: every kind of business uses them, and they tell sister companies apart. */
const GENERICS = words(`Group Partners Associates Holdings Solutions Services Enterprises Industries
Ventures Collective Agency International Global Systems Technologies Studio Labs Works Network
Alliance Resources Management Advisors Specialists Company Co-op Worldwide Consultants Concepts`);

const LEGAL_FORMS = [' Inc', ' Inc.', ', Inc.', ' LLC', ', LLC', ' L.L.C.', ' Ltd', ' Ltd.', ' Corp', ' Corp.',
  ' Corporation', ' Co.', ' Company', ' LLP', ' PLLC', ' P.C.', ' Limited', ' Incorporated'];
const BRANCHES = ['East', 'West', 'North', 'South', 'Central', 'Northwest', 'Southeast', '#2', '#3', '#12', '#104'];
const CITIES = words('Denver Austin Tampa Omaha Boise Reno Fresno Tulsa Raleigh Spokane Dayton Akron');

/** Shortenings people type. Some every program knows, some only people do. */
const SHORTENINGS: Record<string, string[]> = {
  Group: ['Grp', 'Grp.', 'Gp'], Partners: ['Ptnrs', 'Prtnrs', 'Partners'], Associates: ['Assoc', 'Assoc.', 'Assocs', 'Assocs.'],
  Holdings: ['Hldgs', 'Hldg', 'Hold.'], Solutions: ['Solns', 'Sol.', 'Solutns'], Services: ['Svcs', 'Srvcs', 'Svc', 'Servs'],
  Enterprises: ['Ent', 'Ent.', 'Entps', 'Enterp.'], Industries: ['Ind', 'Ind.', 'Inds', 'Indus'],
  International: ['Intl', "Int'l", 'Intl.', 'Internat.'], Management: ['Mgmt', 'Mgmt.', 'Mgt', 'Mngmt'],
  Technologies: ['Tech', 'Techs', 'Technol.'], Systems: ['Sys', 'Sys.', 'Systms'], Consulting: ['Cnsltg', 'Consult.', 'Cons.'],
  Consultants: ['Consult.', 'Cnslts'], Engineering: ['Eng', 'Engrg', 'Engr.'], Construction: ['Constr', 'Const.', 'Constr.'],
  Marketing: ['Mktg', 'Mktg.', 'Mkt'], Financial: ['Finl', 'Fin.', 'Fincl'], Company: ['Co', 'Co.', 'Cmpny'],
  Medical: ['Med', 'Med.', 'Medcl'], Property: ['Prop', 'Prop.', 'Ppty'], Environmental: ['Env', 'Envtl', 'Environ.'],
  Productions: ['Prods', 'Prodns', 'Prod.'], Resources: ['Res', 'Res.', 'Rsrcs'], Laboratories: ['Labs'],
  Worldwide: ['WW', 'Wrldwd'], Advisors: ['Advsrs', 'Adv.'], Specialists: ['Specs', 'Spec.'],
  Global: ['Glbl'], Network: ['Ntwk', 'Netwk'], Insurance: ['Ins', 'Ins.', 'Insur.'], Logistics: ['Logist.', 'Lgstcs'],
  Physical: ['Phys.', 'PT'], Therapy: ['Ther.'], Veterinary: ['Vet', 'Vet.'], Commercial: ['Comm.', 'Coml'],
  Telecom: ['Telecomm'], Excavation: ['Excav.'], Fabrication: ['Fab', 'Fab.'], Distribution: ['Dist', 'Distrib'],
  Mountain: ['Mtn'], Saint: ['St.'], Fort: ['Ft.'],
};

/** Notes bookkeepers and salespeople leave in the name field. */
const NOTES = [' - Main', ' (old acct)', ' (AP)', ' - DO NOT USE', ' [inactive]', ' - Remit', ' (use this one)',
  ' (duplicate)', ' - HQ', ' (corp office)', ' - Billing', ' (1099)', ' / AP', ' (acct 10442)', ' - old',
  ' *', ' (new)', ' - see notes', ' (vendor)', ' - PAYABLES', ' (ACH)', ' -- inactive', ' (NET 30)',
  ' - check only', ' (A/P)', ' #OLD', ' (W-9 on file)', ' (2019)'];
const QB_NOTES = [' (old acct)', ' - Main', ' (AP)', ' (1099)', ' - old', ' [do not use]', ' (inactive)'];

const ACCENTS: Record<string, string[]> = { a: ['á', 'à', 'ä'], e: ['é', 'è', 'ë'], i: ['í', 'ï'], o: ['ó', 'ö', 'ô'], u: ['ú', 'ü'], n: ['ñ'], c: ['ç'] };
const KEY_NEIGHBOURS: Record<string, string> = {
  a: 'qwsz', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wsdr', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko',
  j: 'huikmn', k: 'jiolm', l: 'kop', m: 'njk', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz',
  t: 'rfgy', u: 'yhji', v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx',
};
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com', 'comcast.net', 'att.net', 'yahoo.co.uk', 'live.com'];
const MAILBOXES = ['ap', 'billing', 'accounts', 'info', 'office', 'invoices', 'admin', 'payables', 'contact'];
const NETWORKS = ['ABC', 'NBC', 'CBS', 'FOX', 'CW', 'PBS'];
const STATION_OWNERS = ['Gray Media', 'Nexstar', 'Sinclair', 'Tegna', 'Cumulus', 'iHeartMedia', 'Audacy', 'Scripps'];

// --- Parties ----------------------------------------------------------------------------------

interface Company {
  kind: 'company';
  /** The distinctive part: a brand, surnames, a place. */
  core: string[];
  trade: string[];
  generic: string | null;
  /** East, #12 or a city: tells branches apart. */
  branch: string | null;
  legal: string;
  domain: string;
  /** An owner's free-mail mailbox used as the business address. */
  freeMail: string | null;
  phone: string | null;
}
interface Person {
  kind: 'person';
  first: string;
  middle: string | null;
  last: string;
  generation: string | null;
  email: string | null;
  phone: string | null;
}
interface Station {
  kind: 'station';
  call: string;
  band: 'TV' | 'FM' | 'AM';
  dial: string;
  network: string | null;
  owner: string | null;
  phone: string | null;
}
type Party = Company | Person | Station;

const lower = (s: string) => s.toLowerCase();
function baseKey(p: Company): string {
  return lower(`${p.core.join(' ')}|${p.trade.join(' ')}|${p.branch ?? ''}`);
}
function partyKey(p: Party): string {
  if (p.kind === 'company') return `c:${baseKey(p)}|${lower(p.generic ?? '')}`;
  // The middle initial is left out: two people called Rosa Whitley are one name to anybody.
  if (p.kind === 'person') return lower(`p:${p.first} ${p.last} ${p.generation ?? ''}`);
  return `s:${p.call}-${p.band}`;
}

function phoneDigits(rng: Rng): string {
  return `${201 + Math.floor(rng() * 780)}${200 + Math.floor(rng() * 790)}${String(Math.floor(rng() * 10000)).padStart(4, '0')}`;
}

function formatPhone(rng: Rng, d: string): string {
  const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
  return pick(rng, [`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `${a}${b}${c}`, `1 (${a}) ${b}-${c}`, `${a}-${b}-${c} x${1 + Math.floor(rng() * 300)}`]);
}

function brand(rng: Rng): string {
  return pick(rng, PREFIXES) + pick(rng, SUFFIXES);
}

function newCompany(rng: Rng): Company {
  const form = rng();
  let core: string[];
  let trade: string[] = pick(rng, TRADES);
  let generic: string | null = pick(rng, GENERICS);
  if (form < 0.34) core = [brand(rng)]; // Nexlink Media Group
  else if (form < 0.44) {
    core = [brand(rng)]; // Nexlink Holdings
    trade = [];
  } else if (form < 0.52) {
    core = [brand(rng)]; // Nexlink Logistics
    generic = null;
  } else if (form < 0.67) core = [pick(rng, SURNAMES)]; // Harding Plumbing Partners
  else if (form < 0.74) {
    core = [pick(rng, SURNAMES), '&', pick(rng, SURNAMES)]; // Beckett & Holt Associates
    trade = chance(rng, 0.5) ? [] : trade;
  } else if (form < 0.92) core = [pick(rng, PLACE_HEADS), pick(rng, PLACE_TAILS)]; // Cedar Ridge Dental Group
  else {
    // JRS Trucking, A1 Plumbing
    const letters = 'ABCDEFGHJKLMNPRSTW';
    core = [chance(rng, 0.6) ? pick(rng, [...letters]) + pick(rng, [...letters]) + pick(rng, [...letters]) : pick(rng, [...letters]) + pick(rng, ['1', '2', '3', '7'])];
  }
  if (chance(rng, 0.25) && trade.length > 0) generic = null;
  if (trade.length === 0 && generic === null) generic = pick(rng, GENERICS);
  const compactCore = core.filter((w) => w !== '&').join('').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const domainTail = chance(rng, 0.5) ? trade.join('').toLowerCase() : '';
  const domain = `${compactCore}${domainTail}.${pick(rng, ['com', 'com', 'com', 'net', 'co', 'io', 'us'])}`;
  const r = rng();
  const branch = r < 0.03 ? pick(rng, BRANCHES) : r < 0.045 ? pick(rng, CITIES) : null;
  return {
    kind: 'company', core, trade, generic, branch,
    legal: generic === 'Company' || chance(rng, 0.45) ? '' : pick(rng, LEGAL_FORMS),
    domain,
    freeMail: chance(rng, 0.2) ? `${compactCore}${pick(rng, ['', '1', '22', 'llc', 'inc'])}@${pick(rng, FREE_MAIL)}` : null,
    phone: chance(rng, 0.25) ? phoneDigits(rng) : null,
  };
}

function newPerson(rng: Rng): Person {
  const first = pick(rng, FIRST_NAMES);
  const last = chance(rng, 0.15) ? pick(rng, pick(rng, SURNAME_TWINS)) : pick(rng, SURNAMES);
  return {
    kind: 'person', first, last,
    middle: chance(rng, 0.25) ? pick(rng, [...'ABCDEFGHJKLMNPRSTW']) : null,
    generation: chance(rng, 0.04) ? pick(rng, ['Jr.', 'Sr.', 'II', 'III']) : null,
    email: chance(rng, 0.35) ? `${lower(first)}${pick(rng, ['.', '', '_'])}${lower(last)}${pick(rng, ['', '1', '77'])}@${pick(rng, FREE_MAIL)}` : null,
    phone: chance(rng, 0.25) ? phoneDigits(rng) : null,
  };
}

function callLetters(rng: Rng): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const n = chance(rng, 0.9) ? 3 : 2;
  let call = pick(rng, ['K', 'W']);
  for (let i = 0; i < n; i++) call += pick(rng, [...letters]);
  return call;
}

function dialFor(rng: Rng, band: Station['band']): string {
  if (band === 'TV') return String(2 + Math.floor(rng() * 60));
  if (band === 'FM') return (88.1 + 0.2 * Math.floor(rng() * 100)).toFixed(1);
  return String(540 + 10 * Math.floor(rng() * 117));
}

function newStation(rng: Rng): Station {
  const band = rng() < 0.55 ? 'TV' : rng() < 0.65 ? 'FM' : 'AM';
  return {
    kind: 'station', call: callLetters(rng), band, dial: dialFor(rng, band),
    network: band === 'TV' && chance(rng, 0.5) ? pick(rng, NETWORKS) : null,
    owner: chance(rng, 0.1) ? pick(rng, STATION_OWNERS) : null,
    phone: chance(rng, 0.2) ? phoneDigits(rng) : null,
  };
}

/** Another party people confuse with `p`, and how it differs. */
function namesakeOf(rng: Rng, p: Party): { party: Party; how: string } | null {
  if (p.kind === 'company') {
    const r = rng();
    if (r < 0.4 && p.generic) {
      // Sister company: same brand and trade, another generic word; often the same domain.
      const generic = pick(rng, GENERICS.filter((g) => g !== p.generic));
      return { party: { ...p, generic, legal: chance(rng, 0.5) ? p.legal : pick(rng, LEGAL_FORMS), domain: chance(rng, 0.5) ? p.domain : `${generic.toLowerCase()}-${p.domain}`, freeMail: chance(rng, 0.3) ? p.freeMail : null, phone: null }, how: 'namesake-generic' };
    }
    if (r < 0.6 && p.trade.length > 0) {
      const trade = pick(rng, TRADES.filter((t) => !t.some((w) => p.trade.includes(w))));
      return { party: { ...p, trade, domain: `${p.domain.split('.')[0]}${trade.join('').toLowerCase()}.com`, freeMail: null, phone: null }, how: 'namesake-trade' };
    }
    if (r < 0.75) {
      const branch = pick(rng, [...BRANCHES, ...CITIES].filter((b) => b !== p.branch));
      return { party: { ...p, branch, phone: null }, how: 'namesake-branch' };
    }
    if (p.core.length === 1 && /^[A-Z][a-z]+[a-z]$/.test(p.core[0]) && !SURNAMES.includes(p.core[0]) && p.core[0].length >= 5) {
      // Another brand from the same head: Nexlink / Nexline.
      const head = PREFIXES.find((x) => p.core[0].startsWith(x));
      if (head) {
        const tail = pick(rng, SUFFIXES.filter((s) => head + s !== p.core[0]));
        return { party: { ...p, core: [head + tail], domain: `${lower(head + tail)}.com`, freeMail: null, phone: null }, how: 'namesake-brand' };
      }
    }
    if (p.core.length === 1 && SURNAMES.includes(p.core[0])) {
      return { party: { ...p, core: [pick(rng, SURNAMES.filter((s) => s !== p.core[0]))], domain: `x${p.domain}`, freeMail: null, phone: null }, how: 'namesake-core' };
    }
    return null;
  }
  if (p.kind === 'person') {
    const r = rng();
    if (r < 0.25) return { party: { ...p, generation: p.generation ? null : pick(rng, ['Jr.', 'Sr.']), email: null, phone: null }, how: 'namesake-generation' };
    const twin = SURNAME_TWINS.find(([a, b]) => a === p.last || b === p.last);
    if (r < 0.5 && twin) return { party: { ...p, last: twin[0] === p.last ? twin[1] : twin[0], email: null, phone: null }, how: 'namesake-surname' };
    return { party: { ...p, first: pick(rng, FIRST_NAMES.filter((f) => f !== p.first)), email: null, phone: null }, how: 'namesake-first' };
  }
  if (chance(rng, 0.6)) {
    const band = p.band === 'TV' ? pick(rng, ['FM', 'AM'] as const) : p.band === 'FM' ? pick(rng, ['TV', 'AM'] as const) : 'FM';
    return { party: { ...p, band, dial: dialFor(rng, band), network: null, phone: null }, how: 'namesake-band' };
  }
  // Call letters one letter apart: WXYZ / WXYC.
  const i = 1 + Math.floor(rng() * (p.call.length - 1));
  const letter = pick(rng, [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => c !== p.call[i]));
  return { party: { ...p, call: p.call.slice(0, i) + letter + p.call.slice(i + 1), phone: null }, how: 'namesake-call' };
}

// --- Rendering --------------------------------------------------------------------------------

/** One slip of the fingers in a word: a letter dropped, swapped, doubled, hit beside or added. */
function typo(rng: Rng, word: string): string {
  if (word.length < 3 || !/^[A-Za-z]+$/.test(word)) return word;
  const i = 1 + Math.floor(rng() * (word.length - 1));
  const op = rng();
  if (op < 0.25) return word.slice(0, i) + word.slice(i + 1);
  if (op < 0.5 && i < word.length - 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (op < 0.65) return word.slice(0, i) + word[i] + word.slice(i);
  const near = KEY_NEIGHBOURS[word[i].toLowerCase()] ?? 'e';
  const c = pick(rng, [...near]);
  const key = word[i] === word[i].toUpperCase() ? c.toUpperCase() : c;
  if (op < 0.9) return word.slice(0, i) + key + word.slice(i + 1);
  return word.slice(0, i) + key + word.slice(i);
}

function accent(rng: Rng, word: string): string {
  const spots = [...word].map((c, i) => (ACCENTS[c] ? i : -1)).filter((i) => i > 0);
  if (spots.length === 0) return word;
  const i = pick(rng, spots);
  return word.slice(0, i) + pick(rng, ACCENTS[word[i]]) + word.slice(i + 1);
}

function branchText(rng: Rng, branch: string, tidy: boolean): string {
  if (branch.startsWith('#')) return tidy ? ` ${branch}` : pick(rng, [` ${branch}`, ` ${branch.slice(1)}`, ` No. ${branch.slice(1)}`, ` # ${branch.slice(1)}`]);
  return tidy ? ` - ${branch}` : pick(rng, [` ${branch}`, ` (${branch})`, ` - ${branch}`, `, ${branch}`]);
}

interface Rendering {
  name: string;
  shows: string[];
}

/** How the party's own paperwork (and so QuickBooks, most of the time) spells it. */
function companyWords(p: Company): string[] {
  return [...p.core, ...p.trade, ...(p.generic ? [p.generic] : [])];
}

/**
 * A company name as one side holds it. `side` sets the habits: QuickBooks is usually tidy with
 * the legal form from the W-9; the host app is typed by salespeople. Both may drop the generic word.
 */
function renderCompany(rng: Rng, p: Company, side: 'qb' | 'host'): Rendering {
  const shows: string[] = [];
  const host = side === 'host';
  let ws = companyWords(p);
  if (host && chance(rng, 0.12)) {
    // A straight copy, as when the app was filled from a QuickBooks export.
    return { name: `${ws.join(' ')}${p.legal}${p.branch ? branchText(rng, p.branch, true) : ''}`, shows: ['copy'] };
  }
  if (p.generic && p.trade.length > 0 && chance(rng, host ? 0.25 : 0.08)) {
    ws = ws.filter((w) => w !== p.generic);
    shows.push('generic-dropped');
  }
  if (chance(rng, host ? 0.25 : 0.06)) {
    let changed = false;
    ws = ws.map((w) => {
      const options = SHORTENINGS[w];
      if (!options || !chance(rng, 0.7)) return w;
      changed = true;
      return pick(rng, options);
    });
    if (changed) shows.push('abbreviation');
  }
  if (ws.includes('&') && chance(rng, host ? 0.35 : 0.1)) {
    ws = ws.map((w) => (w === '&' ? pick(rng, ['and', 'And', '+']) : w));
    shows.push('ampersand');
  }
  if (chance(rng, host ? 0.15 : 0.03)) {
    const before = ws.join(' ');
    const i = Math.floor(rng() * ws.length);
    ws[i] = typo(rng, ws[i]);
    if (chance(rng, 0.15)) {
      const j = Math.floor(rng() * ws.length);
      ws[j] = typo(rng, ws[j]);
    }
    if (ws.join(' ') !== before) shows.push('typo');
  }
  if (chance(rng, host ? 0.06 : 0.02)) {
    const i = Math.floor(rng() * ws.length);
    ws[i] = accent(rng, ws[i]);
    shows.push('accents');
  }
  // A brand split or hyphenated at its seam, or two words run together.
  if (chance(rng, host ? 0.07 : 0.02)) {
    const head = PREFIXES.find((x) => ws[0]?.startsWith(x) && ws[0].length > x.length);
    if (head && p.core.length === 1) {
      ws[0] = head + pick(rng, [' ', '-', ' ']) + (chance(rng, 0.5) ? ws[0].slice(head.length) : ws[0][head.length].toUpperCase() + ws[0].slice(head.length + 1));
      shows.push('spacing');
    } else if (ws.length >= 2 && /^[A-Z][a-z]+$/.test(ws[0]) && /^[A-Z][a-z]+$/.test(ws[1])) {
      ws = [ws[0] + ws[1], ...ws.slice(2)];
      shows.push('spacing');
    }
  }
  let name = ws.join(chance(rng, 0.04) ? '  ' : ' ');
  if (host && chance(rng, 0.04)) {
    name = `The ${name}`;
    shows.push('the');
  }
  if (p.branch) name += branchText(rng, p.branch, !host);
  const legal = rng();
  if (!host) {
    name += p.legal;
  } else if (legal < 0.3) {
    const other = pick(rng, LEGAL_FORMS);
    name += other;
    if (other !== p.legal) shows.push('legal');
  } else if (legal < 0.45) {
    name += p.legal.replace(/\./g, '');
  } else if (p.legal) shows.push('legal');
  if (chance(rng, host ? 0.1 : 0.05)) {
    name += pick(rng, host ? NOTES : QB_NOTES);
    shows.push('note');
  }
  if (!host && chance(rng, 0.01)) {
    name = `zz ${name}`;
    shows.push('note');
  }
  const shout = rng();
  if (shout < (host ? 0.1 : 0.04)) {
    name = name.toUpperCase();
    shows.push('case');
  } else if (shout < (host ? 0.16 : 0.05)) {
    name = name.toLowerCase();
    shows.push('case');
  }
  return { name, shows };
}

function renderPerson(rng: Rng, p: Person, side: 'qb' | 'host'): Rendering {
  const host = side === 'host';
  const shows: string[] = [];
  if (!host) {
    const mid = p.middle && chance(rng, 0.6) ? ` ${p.middle}.` : '';
    return { name: `${p.first}${mid} ${p.last}${p.generation ? ` ${p.generation}` : ''}`, shows };
  }
  let first = p.first;
  let last = p.last;
  if (chance(rng, 0.1)) {
    if (chance(rng, 0.5)) last = typo(rng, last);
    else first = typo(rng, first);
    shows.push('typo');
  }
  if (chance(rng, 0.08)) {
    first = accent(rng, first);
    shows.push('accents');
  }
  const middle = p.middle && chance(rng, 0.5) ? ` ${p.middle}.` : chance(rng, 0.05) ? ` ${pick(rng, [...'ABCDEJMRST'])}.` : '';
  const gen = p.generation ? ` ${p.generation.replace('.', '')}` : '';
  let name: string;
  if (chance(rng, 0.4)) {
    name = `${last}${gen}, ${first}${middle}`;
    shows.push('order');
  } else name = `${first}${middle} ${last}${gen}`;
  if (chance(rng, 0.04)) {
    name = `${pick(rng, ['Dr.', 'Mr.', 'Ms.', 'Mrs.'])} ${name}`;
    shows.push('honorific');
  }
  if (chance(rng, 0.06)) {
    name += pick(rng, [' (1099)', ' - contractor', ' (W-9 on file)', ' - old']);
    shows.push('note');
  }
  if (chance(rng, 0.03)) {
    name += pick(rng, [' Consulting', ' Design', ' Photography', ' Services']);
    shows.push('hard:trade-added');
  }
  if (chance(rng, 0.1)) {
    name = name.toUpperCase();
    shows.push('case');
  } else if (chance(rng, 0.05)) {
    name = name.toLowerCase();
    shows.push('case');
  }
  return { name, shows };
}

function renderStation(rng: Rng, p: Station, side: 'qb' | 'host'): Rendering {
  const c = p.call;
  const shows = ['callsign'];
  let name: string;
  if (side === 'qb') {
    name = pick(rng, [`${c}-${p.band}`, `${c}-${p.band}`, `${c}-${p.band}, Inc.`, p.band === 'TV' ? `${c} Television` : `${c} Radio`, p.band === 'TV' ? `${c}-TV` : `${c}-${p.band} ${p.dial}`]);
    if (p.owner && chance(rng, 0.5)) name = `${name} (${p.owner})`;
    return { name, shows };
  }
  if (p.band === 'TV') {
    const net = p.network ?? 'TV';
    name = pick(rng, [`${c}-TV`, `${c} TV`, c, `${c} ${p.dial}`, `${c}-TV Channel ${p.dial}`, `${c}-DT`, `${c} ${net} ${p.dial}`, `${lower(c)}-tv`, `${c}-TV (${net} ${p.dial})`, `${c} Television`]);
  } else if (p.band === 'FM') {
    name = pick(rng, [`${c}-FM`, `${c} FM`, `${c} ${p.dial}`, `${c}-FM ${p.dial}`, `${c} ${p.dial} FM`, `${p.dial} ${c}`, `${lower(c)} fm`, `${c}-FM Radio`]);
  } else {
    name = pick(rng, [`${c}-AM`, `${c} AM`, `${c} ${p.dial}`, `${c} AM ${p.dial}`, `${c} Radio ${p.dial}`, `Newsradio ${p.dial} ${c}`, `${c}-AM Radio`]);
  }
  if (p.owner && chance(rng, 0.3)) {
    name = pick(rng, [`${p.owner} - ${name}`, `${name} (${p.owner})`]);
    shows.push('hard:owner');
  }
  if (chance(rng, 0.06)) {
    name += pick(rng, [' - AP', ' (old acct)', ' - Main']);
    shows.push('note');
  }
  return { name, shows };
}

function render(rng: Rng, p: Party, side: 'qb' | 'host'): Rendering {
  if (p.kind === 'company') return renderCompany(rng, p, side);
  if (p.kind === 'person') return renderPerson(rng, p, side);
  return renderStation(rng, p, side);
}

function contactsFor(rng: Rng, p: Party, side: 'qb' | 'host'): { email?: string; phone?: string; shows: string[] } {
  const out: { email?: string; phone?: string; shows: string[] } = { shows: [] };
  if (p.kind === 'company') {
    if (p.freeMail && chance(rng, 0.5)) {
      out.email = p.freeMail;
      out.shows.push('free-mail');
    } else if (chance(rng, side === 'qb' ? 0.35 : 0.25)) out.email = `${pick(rng, MAILBOXES)}@${p.domain}`;
  } else if (p.kind === 'person' && p.email && chance(rng, 0.6)) {
    out.email = p.email;
    out.shows.push('free-mail');
  }
  if (p.phone && chance(rng, 0.55)) out.phone = formatPhone(rng, p.phone);
  return out;
}

export function generateGrammarSet(options: GrammarOptions): GrammarSet {
  const rng = seededRandom(options.seed).next;
  const taken = new Set<string>();
  // A firm without a generic word and one with it ("Nexlink Media" / "Nexlink Media Group") would
  // be one firm to anybody, so they are never two parties; sister firms differ by the generic word.
  const bareBases = new Set<string>();
  const genericBases = new Set<string>();
  const claim = (p: Party): boolean => {
    const k = partyKey(p);
    if (taken.has(k)) return false;
    if (p.kind === 'company') {
      const base = baseKey(p);
      if (p.generic === null ? genericBases.has(base) || bareBases.has(base) : bareBases.has(base)) return false;
      (p.generic === null ? bareBases : genericBases).add(base);
    }
    taken.add(k);
    return true;
  };
  const fresh = (): Party => {
    for (;;) {
      const r = rng();
      const p = r < 0.78 ? newCompany(rng) : r < 0.92 ? newPerson(rng) : newStation(rng);
      if (claim(p)) return p;
    }
  };

  const qbParties: Party[] = [];
  const qbWhy: string[] = [];
  while (qbParties.length < options.qbCount) {
    const p = fresh();
    qbParties.push(p);
    qbWhy.push('');
    // One QuickBooks party in eight has a namesake in QuickBooks too.
    if (qbParties.length < options.qbCount && chance(rng, 0.125)) {
      const twin = namesakeOf(rng, p);
      if (twin && claim(twin.party)) {
        qbParties.push(twin.party);
        qbWhy.push(twin.how);
      }
    }
  }
  const order = shuffle(rng, qbParties.map((_, i) => i));
  const matchedCount = Math.min(options.hostCount, Math.round(options.qbCount * options.matchedShare));
  const matched = order.slice(0, matchedCount);

  const qbShows: string[][] = [];
  const qb: MatchInput[] = qbParties.map((p, i) => {
    const r = render(rng, p, 'qb');
    const c = contactsFor(rng, p, 'qb');
    qbShows.push([...r.shows.map((s) => `qb:${s}`), ...(qbWhy[i] ? ['qb-has-namesake'] : [])]);
    const rec: MatchInput = { id: String(5000 + i), name: r.name };
    if (c.email) rec.email = c.email;
    if (c.phone) rec.phone = c.phone;
    return rec;
  });
  // Namesakes in QuickBooks point both ways: a record's twin is as confusable as the record.
  const hasQbNamesake = new Set<number>();
  qbWhy.forEach((why, i) => {
    if (why) {
      hasQbNamesake.add(i);
      hasQbNamesake.add(i - 1);
    }
  });

  const host: MatchInput[] = [];
  const truth = new Map<string, string>();
  const shows = new Map<string, string[]>();
  const addHost = (p: Party, tags: string[]): string => {
    const id = `g-${host.length + 1}`;
    const r = render(rng, p, 'host');
    const c = contactsFor(rng, p, 'host');
    const rec: MatchInput = { id, name: r.name };
    if (c.email) rec.email = c.email;
    if (c.phone) rec.phone = c.phone;
    host.push(rec);
    shows.set(id, [...new Set([...r.shows, ...c.shows, ...tags])]);
    return id;
  };
  for (const i of matched) {
    const tags = [...qbShows[i], ...(hasQbNamesake.has(i) ? ['qb-has-namesake'] : [])];
    const id = addHost(qbParties[i], [qbParties[i].kind, ...tags]);
    truth.set(id, qb[i].id);
  }
  // Host parties QuickBooks does not have: two in five are namesakes of parties it has.
  while (host.length < options.hostCount) {
    if (chance(rng, 0.4)) {
      const twin = namesakeOf(rng, pick(rng, qbParties));
      if (!twin || !claim(twin.party)) continue;
      addHost(twin.party, ['host-only', twin.how]);
    } else {
      addHost(fresh(), ['host-only']);
    }
  }
  return { host: shuffle(rng, host), qb: shuffle(rng, qb), truth, shows };
}
