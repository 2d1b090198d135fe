// Generates large labelled host/QuickBooks lists for the bench, deterministically from a seed.
// Each party is generated once as structured facts (core name, trade, branch, legal form;
// person; station) and rendered twice: as the bookkeeper typed it into QuickBooks and as a
// salesperson or media buyer typed it into the host app. The host-side habits below (shouting,
// abbreviating, typos, notes, "Last, First"...) are written from how people type, not from
// lib/match, which this file never imports.
import type { MatchInput } from '../../lib/match/index';
import { seededRandom } from '../../sandbox/random';

export interface SyntheticSet {
  host: MatchInput[];
  qb: MatchInput[];
  truth: Map<string, string>;
}

export interface SyntheticOptions {
  /** QuickBooks records to generate. */
  qbCount: number;
  /** Host records to generate. */
  hostCount: number;
  /** Share of QuickBooks records that have a host counterpart. */
  matchedShare: number;
  seed: number;
}

type Rng = () => number;

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const chance = (rng: Rng, p: number): boolean => rng() < p;

const SURNAMES = `Anderson Baker Bennett Brooks Carter Castillo Chen Coleman Collins Cooper Cruz Dawson Diaz
Dunn Ellis Evans Fischer Fleming Foster Garcia Gibson Gordon Graham Grant Hale Hamilton Harper Hayes
Henderson Hoffman Holland Hughes Hunt Jensen Keller Kennedy Kowalski Kramer Lambert Larsen Lawson
Lindgren Lopez Lowe Maddox Marsh Mason McCarthy McKenzie Meyer Mitchell Moreno Murphy Nash Novak
O'Connor Olsen Ortega Parker Patel Pearson Perry Porter Quinn Ramsey Reed Reyes Richter Rivera Rourke
Russo Santos Schneider Shaw Sinclair Sullivan Tanaka Thornton Torres Vance Vargas Wagner Walsh Ward
Weber Whitman Wolfe Yates Zimmerman Abbott Aguilar Barrett Becker Blackwell Bowman Brennan Burke
Caldwell Chandler Conway Crawford Delgado Donovan Doyle Duarte Eriksen Farrell Ferreira Fitzgerald
Gallagher Garrison Gutierrez Hadley Hartman Hendricks Horvath Ibarra Jaramillo Kaufman Kessler
Kirkland Lachance MacLeod Malone Marchetti Mendoza Montgomery Nakamura Navarro Nguyen Nolan Oakley
Okafor Pacheco Pham Prescott Quintero Rasmussen Salazar Sandoval Schultz Serrano Sheffield Stanton
Stromberg Takahashi Talbot Underwood Valdez Vasquez Villanueva Wakefield Whitfield Winslow Xiong Yoder
Zamora Alvarez Beaumont Castellano Dubois Esposito Fontaine Gonzalez Haddad Ivanova Jablonski Kaminski
Lefebvre Moreau Nilsson Oyelaran Petrov Rossi Schmidt Svensson Tremblay Ueda Vogel Wojcik Zhou
Acosta Bishop Calloway Dalton Emerson Forsyth Gentry Holloway Irving Jeffries Kingsley Lockhart Merritt
Norwood Osborne Pritchard Radcliffe Sterling Truman Upton Vickers Whitaker Yardley`.split(/\s+/);

const FIRST_NAMES = `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Christopher Karen Daniel Lisa Matthew Nancy Anthony Betty Mark
Margaret Donald Sandra Steven Ashley Andrew Kimberly Joshua Emily Kevin Donna Brian Michelle George Carol
Timothy Amanda Ronald Melissa Jason Deborah Edward Stephanie Jeffrey Rebecca Ryan Sharon Jacob Laura Gary
Cynthia Nicholas Amy Eric Kathleen Jonathan Angela Stephen Shirley Larry Brenda Justin Emma Scott Anna
Brandon Pamela Benjamin Nicole Samuel Samantha Gregory Katherine Alexander Christine Patrick Debra Frank
Rachel Raymond Carolyn Jack Janet Dennis Maria Jerry Olivia Tyler Heather Aaron Helen Jose Catherine Adam
Diane Nathan Julie Henry Victoria Zachary Joyce Douglas Lauren Peter Kelly Kyle Christina Noah Ruth Ethan
Joan Jeremy Virginia Christian Judith Walter Evelyn Keith Hannah Austin Andrea Roger Megan Terry Cheryl
Sean Jacqueline Gerald Madison Carl Teresa Harold Abigail Dylan Sophia Arthur Martha Lawrence Sara
Jordan Gloria Jesse Janice Bryan Kathryn Billy Ann Bruce Isabella Gabriel Judy Joe Charlotte Logan Julia
Alan Grace Juan Amber Albert Alice Willie Jean Elijah Denise Wayne Frances Randy Danielle Vincent Marilyn
Mason Natalie Roy Beverly Ralph Diana Bobby Brittany Russell Theresa Bradley Kayla Philip Alexis Eugene
Lucia Kenji Priya Wei Chinedu Aisha Mateo Sofia Lukas Ingrid Rafael Yuki Omar Leila Dmitri Anika`.split(/\s+/);

const PLACE_FIRST = `Cedar Maple Oak Pine Willow Birch Aspen Summit Harbor Bay River Lake Canyon Mesa Prairie
Granite Iron Copper Silver Golden Blue Red Green Stone Eagle Falcon Hawk Sun Moon Star North South East
West Pacific Atlantic Coastal Mountain Valley Highland Lakeside Riverside Bayview Hillside Evergreen
Heritage Liberty Pioneer Frontier Keystone Cornerstone Landmark Crescent Sterling Royal Crown Beacon
Anchor Compass Horizon Meridian Apex Pinnacle Vanguard Legacy Patriot Union Capital Metro Urban Tri-County
Twin Lakes Big Sky Blue Ridge Sandhill Clearwater Whitewater Black Rock Cobalt Emerald Ivory Onyx
Sapphire Ruby Juniper Magnolia Cypress Sequoia Redwood Hickory Chestnut Sycamore Alder Laurel Hemlock`.split(/\s+/);

const PLACE_SECOND = `Ridge Creek Point Valley Hill Field Brook Wood Crest Park Springs Harbor View Gate Line Peak
Rock Bend Hollow Landing Crossing Meadow Grove Haven Shore Bluff Glen Falls Mill Forge Trail Station
Works Port Island`.split(/\s+/);

const BRAND_HEAD = `Zen Nova Astra Vert Lumi Octa Pyra Cyra Velo Tera Quan Syn Omni Axi Kine Bri Cor Flex Gen
Hex Inno Juno Kora Lyra Mira Nexa Opti Pola Quo Rexa Sola Tri Ultra Vita Xen Yara Zyra Arca Bolt Cala
Dyna Elev Fuse Gala Halo Ion Jet Kairo Lux Mag Neo Orbi Pax`.split(/\s+/);
const BRAND_TAIL = `trix link via tek logic core wave net gen ion ora ex ium ify sys nova sphere point path
forge grid scale stack bridge loop mark shift spark tron vance zen`.split(/\s+/);

/** Trades as QuickBooks users write them; "|" separates the words of multi-word trades. */
const TRADES = `Plumbing|Electric|Electrical Contractors|Roofing|Landscaping|Logistics|Freight Lines|Trucking|
Printing|Signs|Media|Media Group|Marketing|Advertising|Consulting|Staffing Services|Accounting|
Engineering|Construction|Builders|Supply|Industrial Supply|Hydraulics|Fasteners|Bearings|Machine Works|
Tool and Die|Manufacturing|Fabrication|Welding|Packaging|Paper Company|Chemicals|Plastics|Electronics|
Software|Technologies|Systems|Data Services|Analytics|Networks|Communications|Security Services|
Janitorial Services|Catering|Bakery|Cafe|Foods|Produce|Dairy|Farms|Vineyards|Brewing Company|
Coffee Roasters|Dental Group|Chiropractic|Veterinary Clinic|Physical Therapy|Medical Center|Pharmacy|
Insurance Agency|Financial Advisors|Realty|Property Management|Title Company|Surveying|Architects|
Interiors|Design Studio|Photography|Video Productions|Studios|Publishing|Press|Records|Events|Rentals|
Equipment Rental|Auto Body|Auto Glass|Towing|Tire Center|Courier Service|Moving and Storage|Pest Control|
Pool Supply|Fencing|Flooring|Glass|Heating and Cooling|Mechanical|Lumber|Hardware|Paint Company|
Outfitters|Uniforms|Travel|Aviation|Marine Services|Transport|Distribution|International|Associates|
Brothers|Management Group|Equipment Company|Service Center|Laboratories|Holdings`.split('|').map((t) => t.trim().split(' '));

const LEGAL_FORMS_QB = ['', '', '', ' Inc', ' Inc.', ', Inc.', ' LLC', ', LLC', ' Ltd', ' Corp', ' Corp.', ' Co', ' Co.', ' Corporation', ' Company'];
const BRANCHES = ['East', 'West', 'North', 'South', 'Central', 'Midwest', 'Northeast', 'Southwest', '2', '3', '4', '12'];
/** Habitual shortenings people type; the unabbreviated word is how QuickBooks holds it. */
const SHORTHAND: Record<string, string[]> = {
  Services: ['Svcs', 'Svcs.', 'Services'], Service: ['Svc', 'Svc.'], International: ['Intl', "Int'l", 'Intl.'],
  Management: ['Mgmt', 'Mgmt.', 'Mgt'], Brothers: ['Bros', 'Bros.'], Associates: ['Assoc', 'Assoc.', 'Assocs'],
  Manufacturing: ['Mfg', 'Mfg.'], Company: ['Co', 'Co.'], Corporation: ['Corp', 'Corp.'],
  Technologies: ['Tech', 'Techs'], Distribution: ['Dist', 'Distrib.'], Engineering: ['Eng', 'Engrg'],
  Equipment: ['Equip', 'Equip.'], Center: ['Ctr', 'Ctr.', 'Centre'], Electric: ['Elec', 'Elec.'],
  Systems: ['Sys', 'Sys.'], Marketing: ['Mktg'], Communications: ['Comm', 'Comms'],
  Laboratories: ['Labs', 'Lab'], Holdings: ['Hldgs'], Construction: ['Constr'], Mountain: ['Mtn'],
  Insurance: ['Ins', 'Ins.'], Supply: ['Sply'], Department: ['Dept'],
};
const NOTES = [' (AP)', ' - Main', ' [old]', ' - DO NOT USE', ' (1099)', ' *inactive*', ' - AP', ' (A/P)', ' (vendor)', ' - billing'];
const ACCENTED: Record<string, string> = { e: 'é', a: 'á', o: 'ö', u: 'ü', i: 'í', n: 'ñ', c: 'ç' };
const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'sq', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc',
  y: 'tu', z: 'x',
};
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com'];
const MAILBOXES = ['ap', 'billing', 'accounts', 'info', 'office', 'invoices', 'sales', 'admin'];

type Party =
  | { kind: 'company'; core: string[]; trade: string[]; branch: string | null; legal: string; domain: string; phone: string | null }
  | { kind: 'person'; first: string; middle: string | null; last: string; generation: string | null; email: string | null; phone: string | null }
  | { kind: 'station'; call: string; band: 'TV' | 'FM' | 'AM'; dial: string; phone: string | null };

// Words a person ignores when telling two firms apart: "Harper Media" and "Harper Media Group"
// must not be generated as two different parties.
const FILLER_WORDS = new Set(['Group', 'Company', 'Holdings']);

function keyOf(p: Party): string {
  if (p.kind === 'company') {
    const trade = p.trade.filter((w) => !FILLER_WORDS.has(w)).join(' ');
    return `c:${p.core.join(' ')}|${trade}|${p.branch ?? ''}`.toLowerCase();
  }
  if (p.kind === 'person') return `p:${p.first} ${p.last} ${p.generation ?? ''}`.toLowerCase();
  return `s:${p.call}-${p.band}`;
}

function phoneDigits(rng: Rng): string {
  return `${200 + Math.floor(rng() * 700)}555${String(Math.floor(rng() * 10000)).padStart(4, '0')}`;
}

function formatPhone(rng: Rng, digits: string): string {
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  return pick(rng, [`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `${a}${b}${c}`, `1-${a}-${b}-${c}`]);
}

function newCompany(rng: Rng): Party {
  const style = rng();
  let core: string[];
  if (style < 0.35) core = [pick(rng, SURNAMES)];
  else if (style < 0.65) core = [pick(rng, PLACE_FIRST), pick(rng, PLACE_SECOND)];
  else if (style < 0.85) core = [pick(rng, BRAND_HEAD) + pick(rng, BRAND_TAIL)];
  else core = [pick(rng, SURNAMES), '&', pick(rng, SURNAMES)];
  const trade = pick(rng, TRADES);
  const domain = `${[...core, ...trade].join('').replace(/[^A-Za-z]/g, '').toLowerCase().slice(0, 24)}.com`;
  return {
    kind: 'company', core, trade, branch: chance(rng, 0.04) ? pick(rng, BRANCHES) : null,
    legal: trade[trade.length - 1] === 'Company' ? '' : pick(rng, LEGAL_FORMS_QB), domain, phone: chance(rng, 0.3) ? phoneDigits(rng) : null,
  };
}

function newPerson(rng: Rng): Party {
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, SURNAMES);
  const email = chance(rng, 0.3) ? `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${pick(rng, FREE_MAIL)}` : null;
  return {
    kind: 'person', first, last, middle: chance(rng, 0.2) ? pick(rng, 'ABCDEFGHJKLMNPRSTW'.split('')) : null,
    generation: chance(rng, 0.03) ? pick(rng, ['Jr.', 'Sr.', 'III']) : null, email, phone: chance(rng, 0.2) ? phoneDigits(rng) : null,
  };
}

function newStation(rng: Rng): Party {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const call = pick(rng, ['K', 'W']) + pick(rng, letters.split('')) + pick(rng, letters.split('')) + pick(rng, letters.split(''));
  const band = rng() < 0.6 ? 'TV' : rng() < 0.7 ? 'FM' : 'AM';
  const dial =
    band === 'TV' ? String(2 + Math.floor(rng() * 50))
    : band === 'FM' ? (88.1 + 0.2 * Math.floor(rng() * 100)).toFixed(1)
    : String(540 + 10 * Math.floor(rng() * 107));
  return { kind: 'station', call, band, dial, phone: chance(rng, 0.2) ? phoneDigits(rng) : null };
}

/** A different party that people would confuse with `p`: another branch, trade, person or band. */
function namesakeOf(rng: Rng, p: Party): Party {
  if (p.kind === 'company') {
    if (chance(rng, 0.5)) return { ...p, branch: pick(rng, BRANCHES.filter((b) => b !== p.branch)) };
    // A trade sharing no word with the original: "Media" and "Media Group" would be one firm to a person.
    return { ...p, trade: pick(rng, TRADES.filter((t) => !t.some((w) => p.trade.includes(w)))), branch: null };
  }
  if (p.kind === 'person') {
    if (chance(rng, 0.3)) return { ...p, generation: p.generation ? null : pick(rng, ['Jr.', 'Sr.']) };
    return { ...p, first: pick(rng, FIRST_NAMES.filter((f) => f !== p.first)), email: null };
  }
  const band = p.band === 'TV' ? 'FM' : p.band === 'FM' ? pick(rng, ['TV', 'AM'] as const) : 'FM';
  const dial = band === 'TV' ? String(2 + Math.floor(rng() * 50)) : band === 'FM' ? (88.1 + 0.2 * Math.floor(rng() * 100)).toFixed(1) : String(540 + 10 * Math.floor(rng() * 107));
  return { ...p, band, dial };
}

/** How a bookkeeper enters the party in QuickBooks: tidy, title case, legal form as on the W-9. */
function qbName(p: Party): string {
  if (p.kind === 'company') {
    const branch = p.branch ? (/\d/.test(p.branch) ? ` #${p.branch}` : ` - ${p.branch}`) : '';
    return `${p.core.join(' ')} ${p.trade.join(' ')}${p.legal}${branch}`;
  }
  if (p.kind === 'person') return [p.first, p.middle ? `${p.middle}.` : null, p.last, p.generation].filter(Boolean).join(' ');
  return `${p.call}-${p.band}`;
}

function typo(rng: Rng, word: string): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(rng() * (word.length - 2));
  const op = rng();
  if (op < 0.3) return word.slice(0, i) + word.slice(i + 1);
  if (op < 0.6) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (op < 0.8) return word.slice(0, i) + word[i] + word.slice(i);
  const near = KEYBOARD_NEIGHBOURS[word[i].toLowerCase()];
  return near ? word.slice(0, i) + pick(rng, near.split('')) + word.slice(i + 1) : word;
}

function accent(rng: Rng, word: string): string {
  const spots = [...word].map((c, i) => (ACCENTED[c] ? i : -1)).filter((i) => i > 0);
  if (spots.length === 0) return word;
  const i = pick(rng, spots);
  return word.slice(0, i) + ACCENTED[word[i]] + word.slice(i + 1);
}

/** How a salesperson or media buyer types the same party into the host app. */
function hostName(rng: Rng, p: Party): string {
  if (p.kind === 'station') {
    const c = p.call;
    if (p.band === 'TV') return pick(rng, [`${c}-TV`, `${c} TV`, c, `${c} ${p.dial}`, `${c}-TV Channel ${p.dial}`, `${c}-TV ${p.dial}`]);
    if (p.band === 'FM') return pick(rng, [`${c}-FM`, `${c} FM ${p.dial}`, `${c} ${p.dial} FM`, `${c}-FM ${p.dial}`]);
    return pick(rng, [`${c}-AM`, `${c} AM ${p.dial}`, `${c} ${p.dial}`, `${c} Radio ${p.dial}`]);
  }
  if (p.kind === 'person') {
    let first = p.first;
    let last = p.last;
    if (chance(rng, 0.08)) last = typo(rng, last);
    if (chance(rng, 0.1)) first = accent(rng, first);
    const middle = p.middle && chance(rng, 0.5) ? ` ${p.middle}.` : '';
    const gen = p.generation ? ` ${p.generation.replace('.', '')}` : '';
    let name = chance(rng, 0.45) ? `${last}${gen}, ${first}${middle}` : `${first}${middle} ${last}${gen}`;
    if (chance(rng, 0.05)) name = `Dr. ${name}`;
    if (chance(rng, 0.06)) name += pick(rng, [' (1099)', ' - contractor']);
    if (chance(rng, 0.1)) name = name.toUpperCase();
    return name;
  }

  let words = [...p.core, ...p.trade];
  const habits = rng();
  // One host record in six is a straight copy, as when the CRM was seeded from QuickBooks.
  if (habits < 0.15) return qbName(p);
  if (chance(rng, 0.3)) words = words.map((w) => (SHORTHAND[w] ? pick(rng, SHORTHAND[w]) : w));
  if (chance(rng, 0.25)) words = words.map((w) => (w === '&' ? 'and' : w === 'and' ? '&' : w));
  if (chance(rng, 0.1)) {
    const i = Math.floor(rng() * words.length);
    words[i] = typo(rng, words[i]);
  }
  if (chance(rng, 0.06)) {
    const i = Math.floor(rng() * words.length);
    words[i] = accent(rng, words[i]);
  }
  if (chance(rng, 0.05) && words.length >= 2 && /^[A-Z][a-z]+$/.test(words[0]) && /^[A-Z][a-z]+$/.test(words[1])) {
    words = [words[0] + words[1], ...words.slice(2)];
  }
  let name = words.join(chance(rng, 0.05) ? '  ' : ' ');
  if (chance(rng, 0.06) && !name.startsWith('The ')) name = `The ${name}`;
  if (p.branch) name += /\d/.test(p.branch) ? pick(rng, [` ${p.branch}`, ` #${p.branch}`, ` No. ${p.branch}`]) : pick(rng, [` ${p.branch}`, ` (${p.branch})`, ` - ${p.branch}`]);
  const legal = rng();
  if (legal < 0.35) name += pick(rng, [' Inc', ' LLC', ', Inc.', ' Co.', ' Corp', ' Ltd.', ' L.L.C.']);
  else if (legal < 0.45) name += p.legal.replace(/\./g, '');
  if (chance(rng, 0.08)) name += pick(rng, NOTES);
  const shout = rng();
  if (shout < 0.1) name = name.toUpperCase();
  else if (shout < 0.15) name = name.toLowerCase();
  return name;
}

function contactsFor(rng: Rng, p: Party, side: 'qb' | 'host'): { email?: string; phone?: string } {
  const out: { email?: string; phone?: string } = {};
  if (p.kind === 'company' && chance(rng, side === 'qb' ? 0.4 : 0.3)) out.email = `${pick(rng, MAILBOXES)}@${p.domain}`;
  if (p.kind === 'person' && p.email && chance(rng, 0.7)) out.email = p.email;
  if (p.phone && chance(rng, 0.6)) out.phone = formatPhone(rng, p.phone);
  return out;
}

/** The list in a seeded random order (in place). */
export function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export function generateSyntheticSet(options: SyntheticOptions): SyntheticSet {
  const rng = seededRandom(options.seed).next;
  const taken = new Set<string>();
  const claim = (p: Party): boolean => {
    const k = keyOf(p);
    if (taken.has(k)) return false;
    taken.add(k);
    return true;
  };
  const fresh = (): Party => {
    for (;;) {
      const r = rng();
      const p = r < 0.68 ? newCompany(rng) : r < 0.9 ? newPerson(rng) : newStation(rng);
      if (claim(p)) return p;
    }
  };

  // QuickBooks parties; about one in twelve has a namesake that is also in QuickBooks.
  const qbParties: Party[] = [];
  while (qbParties.length < options.qbCount) {
    const p = fresh();
    qbParties.push(p);
    if (qbParties.length < options.qbCount && chance(rng, 0.08)) {
      const twin = namesakeOf(rng, p);
      if (claim(twin)) qbParties.push(twin);
    }
  }
  const order = shuffle(rng, qbParties.map((_, i) => i));
  const matchedCount = Math.min(options.hostCount, Math.round(options.qbCount * options.matchedShare));
  const matched = new Set(order.slice(0, matchedCount));

  const qb: MatchInput[] = qbParties.map((p, i) => ({ id: String(1000 + i), name: qbName(p), ...contactsFor(rng, p, 'qb') }));
  const host: MatchInput[] = [];
  const truth = new Map<string, string>();
  for (const i of matched) {
    const id = `h-${host.length + 1}`;
    host.push({ id, name: hostName(rng, qbParties[i]), ...contactsFor(rng, qbParties[i], 'host') });
    truth.set(id, qb[i].id);
  }
  // Host parties QuickBooks does not have: a third are namesakes of parties it does have.
  while (host.length < options.hostCount) {
    let p: Party;
    if (chance(rng, 0.33)) {
      p = namesakeOf(rng, pick(rng, qbParties));
      if (!claim(p)) continue;
    } else {
      p = fresh();
    }
    host.push({ id: `h-${host.length + 1}`, name: hostName(rng, p), ...contactsFor(rng, p, 'host') });
  }
  return { host: shuffle(rng, host), qb: shuffle(rng, qb), truth };
}
