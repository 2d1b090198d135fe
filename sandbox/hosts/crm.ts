// "Rolodeck", the demo CRM (modelled on BigContacts): a single-page app whose contact list and
// Contact Dashboards are rendered in the browser by crm-app.js from this JSON API, with
// history.pushState navigation. Its contacts are the QBO demo company's customers' people.
import { readFileSync } from 'node:fs';
import { CUSTOMERS, splitPersonName } from '../qbo/seed-data';
import { BadRequest, filterParam, idParam, matchesText, reply, Router, rowsParam, type HostApp, type HostReply, type HostRequest } from './app';
import { csrfMeta, errorBody, html, page, type AppFrame } from './html';
import { changedSince, limitOf, sinceOf, type PageSize } from './paging';
import { copyNumber, listWithRows, personName, recordWithIdParam, seededRandom, STAFF, timeFromToday } from './seed';
import type { AppSecurity } from './session';
import { applyChanges, checkBody, createClock, problem, problemText, rule, type Problem, type Shape } from './write';

export interface CrmAddress {
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export interface CrmActivity {
  id: number;
  type: 'Call' | 'Email' | 'Meeting' | 'Note' | 'Task';
  at: string;
  subject: string;
  detail: string;
  by: string;
}

export interface CrmContact {
  id: number;
  firstName: string;
  lastName: string;
  company: string | null;
  jobTitle: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  address: CrmAddress | null;
  stage: 'Customer' | 'Prospect' | 'Lead' | 'Former customer';
  tags: string[];
  notes: string;
  owner: string;
  leadSource: string;
  createdAt: string;
  lastContactedAt: string | null;
  /** The QuickBooks customer this contact is kept in step with (written by the integration). */
  quickbooksCustomerId: string | null;
  /** Billing facts an accounting integration keeps here (the contact page shows them read-only). */
  paymentTerms: string | null;
  paymentMethod: string | null;
  deliveryMethod: string | null;
  balance: number | null;
  openBalance: number | null;
  updatedAt: string;
  activity: CrmActivity[];
  folders: { name: string; files: number }[];
  deals: { name: string; amount: number; stage: string }[];
}

/** The fields the contact list shows; GET /api/contacts returns these, /api/contacts/:id everything. */
export type CrmContactSummary = Omit<CrmContact, 'notes' | 'leadSource' | 'createdAt' | 'activity' | 'folders' | 'deals'>;

export interface CrmStore {
  contacts: CrmContact[];
}

/** QBO customer name → the company name on the CRM contact, where it differs. */
export const CRM_COMPANY_CHANGES: Readonly<Record<string, string>> = {
  'Bayside Auto Group': 'Bayside Auto Group, Inc.',
  'Golden Gate Dental Partners': 'Golden Gate Dental',
  "O'Brien Family Dental": 'OBrien Family Dental',
  'Northstar Plumbing & Heating': 'Northstar Plumbing and Heating',
  'Lakeside Marina & Boat Sales': 'Lakeside Marina',
  'Union Square Hotel Group': 'Union Sq. Hotel Group',
  'Jensen Hardware & Lumber': 'JENSEN HARDWARE & LUMBER',
};

/** QBO customer name → the contact's email in the CRM where it is not QBO's (null: none on file). */
export const CRM_EMAIL_CHANGES: Readonly<Record<string, string | null>> = {
  'Redwood Credit Union': 'AP@RedwoodCU.org',
  'Harborview Medical Center': 'j.okafor@harborviewmed.org',
  'Cascade Brewing Company': null,
};

/**
 * Contacts with no QBO customer of their own: leads and prospects, second contacts at a client
 * (the same company, another person and email), and hostile-looking strings.
 */
export const CRM_HOST_ONLY_CONTACTS: readonly Pick<CrmContact, 'firstName' | 'lastName' | 'company' | 'email' | 'stage' | 'notes'>[] = [
  { firstName: 'Avery', lastName: 'Nguyen', company: 'Bayside Auto Group, Inc.', email: 'service@baysideauto.com', stage: 'Customer', notes: 'Service department manager; approves co-op spend.' },
  { firstName: 'Grace', lastName: 'Murphy', company: 'Redwood Credit Union', email: 'gmurphy@redwoodcu.org', stage: 'Customer', notes: 'Marketing VP. Prefers calls before 10 am.' },
  { firstName: 'Priya', lastName: 'Kapoor', company: 'Sunset Yoga Collective', email: 'priya@sunsetyoga.example', stage: 'Lead', notes: 'Met at the Chamber mixer. Interested in radio.' },
  { firstName: 'Tomás', lastName: 'Reyes', company: 'Reyes Landscaping & Design', email: 'tomas@reyeslandscaping.example', stage: 'Prospect', notes: 'Wants a quote for spring OOH.' },
  { firstName: 'Siobhán', lastName: "O'Connor", company: 'Harbor Lights Café', email: 'siobhan@harborlights.example', stage: 'Prospect', notes: 'Asked about "loyalty" mailers & window decals.' },
  { firstName: 'Wei', lastName: 'Li', company: '北京 Noodle House 🍜', email: 'wei@noodlehouse.example', stage: 'Lead', notes: 'Grand opening in the fall 🎉' },
  { firstName: 'Eve', lastName: '<img src=x onerror=alert(1)>', company: '<script>alert("crm")</script> Holdings', email: 'eve@holdings.example', stage: 'Lead', notes: '</textarea><b>not bold</b> & <i>not italic</i>' },
  {
    firstName: 'Maximilian',
    lastName: 'Featherstonehaugh-Cholmondeley',
    company: 'The Extraordinarily Long-Named Regional Association of Independent Veterinary and Animal Welfare Clinics of Northern California',
    email: 'maximilian.featherstonehaugh-cholmondeley@long-named-association.example',
    stage: 'Prospect',
    notes: 'Board meets quarterly.',
  },
];

const CONTACT_BASE_ID = 2001;
const TITLES = ['Marketing Director', 'Owner', 'Office Manager', 'Accounts Payable', 'General Manager', 'VP Marketing', 'Controller', 'Brand Manager'];
const TAGS = ['Client', 'VIP', 'Broadcast', 'Digital', 'Print', 'OOH', 'Renewal Q3', 'Net 30', '🎯 Priority', 'Newsletter'];
const SOURCES = ['Referral', 'Website', 'Trade show', 'Cold call', 'Chamber of Commerce', 'LinkedIn'];
const ACTIVITY: [CrmActivity['type'], string, string][] = [
  ['Call', 'Quarterly check-in', 'Talked through the flight schedule and next quarter budget.'],
  ['Email', 'Sent media plan v2', 'Attached the revised plan with the added streaming audio line.'],
  ['Meeting', 'Creative review', 'Walked through storyboards; they want a warmer palette.'],
  ['Note', 'Billing contact changed', 'Invoices now go to their AP inbox rather than the owner.'],
  ['Task', 'Send proof of performance', 'Affidavits and screenshots for last month\'s run.'],
  ['Call', 'Renewal conversation', 'Open to a 12-month commitment if rates hold.'],
  ['Email', 'Invoice question', 'Asked why the make-good credit was not on the last invoice.'],
];

/** Builds the CRM's contacts; the same every run (dates relative to today). */
export function seedCrm(): CrmStore {
  const rng = seededRandom(4103);
  const contacts: CrmContact[] = [];
  const add = (c: Pick<CrmContact, 'firstName' | 'lastName' | 'company' | 'email' | 'stage' | 'notes'> & { phone?: string; city?: string; state?: string }) => {
    const id = CONTACT_BASE_ID + contacts.length;
    const activity = Array.from({ length: rng.int(2, 6) }, (_, n): CrmActivity => {
      const [type, subject, detail] = rng.pick(ACTIVITY);
      return { id: id * 10 + n, type, at: timeFromToday(-rng.int(1, 120), rng.int(480, 1080)), subject, detail, by: rng.pick(STAFF) };
    }).sort((a, b) => b.at.localeCompare(a.at));
    const tags = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(TAGS)))];
    contacts.push({
      id,
      firstName: c.firstName,
      lastName: c.lastName,
      company: c.company,
      jobTitle: c.company ? rng.pick(TITLES) : null,
      email: c.email,
      phone: c.phone ?? `(${rng.int(200, 989)}) 555-0${rng.int(100, 199)}`,
      mobile: rng.chance(0.5) ? `(${rng.int(200, 989)}) 555-0${rng.int(100, 199)}` : null,
      address: c.city ? { street: `${rng.int(10, 9800)} ${rng.pick(['Main St', 'Market St', 'Oak Ave', 'Harbor Blvd', 'Commerce Dr'])}`, city: c.city, state: c.state ?? '', zip: String(rng.int(10000, 99999)), country: 'US' } : null,
      stage: c.stage,
      tags,
      notes: c.notes,
      owner: rng.pick(STAFF),
      leadSource: rng.pick(SOURCES),
      createdAt: timeFromToday(-rng.int(150, 900), rng.int(480, 1080)),
      lastContactedAt: activity[0]?.at ?? null,
      quickbooksCustomerId: null,
      ...NO_BILLING,
      updatedAt: activity[0]?.at ?? timeFromToday(-150, 600),
      activity,
      folders: [
        { name: 'Documents', files: rng.int(0, 9) },
        { name: 'Proposals', files: rng.int(0, 4) },
        { name: 'Contracts', files: rng.int(0, 3) },
        { name: 'Email Attachments', files: rng.int(0, 12) },
      ],
      deals: c.stage === 'Customer' || c.stage === 'Prospect'
        ? Array.from({ length: rng.int(0, 2) }, () => ({ name: rng.pick(['Spring radio flight', 'OOH bulletin package', 'Digital retargeting', 'Brand video shoot']), amount: rng.int(30, 400) * 100, stage: rng.pick(['Qualified', 'Proposal sent', 'Negotiation', 'Won']) }))
        : [],
    });
  };
  CUSTOMERS.forEach((customer, n) => {
    const person = splitPersonName(customer.name);
    const name = person ?? personName(n);
    const emailChanged = Object.prototype.hasOwnProperty.call(CRM_EMAIL_CHANGES, customer.name);
    add({
      firstName: name.first,
      lastName: name.last,
      company: person ? null : (CRM_COMPANY_CHANGES[customer.name] ?? customer.name),
      email: emailChanged ? CRM_EMAIL_CHANGES[customer.name] : (customer.email ?? null),
      phone: customer.phone,
      city: customer.city,
      state: customer.state,
      stage: customer.name === 'Trinity Lutheran Church' || customer.name === 'Elm Street Books' ? 'Former customer' : 'Customer',
      notes: '',
    });
  });
  for (const c of CRM_HOST_ONLY_CONTACTS) add({ ...c, city: 'San Francisco', state: 'CA' });
  return { contacts };
}

/** A contact as the list gives it: everything but its notes, activity, folders and deals (read one contact for those). */
export function contactSummary(c: CrmContact): CrmContactSummary {
  const { notes: _n, leadSource: _l, createdAt: _c, activity: _a, folders: _f, deals: _d, ...summary } = c;
  return summary;
}

/**
 * Rolodeck's backend guards writes as Django does: the token in <meta name="csrf-token"> goes back
 * in X-CSRFToken, and a new token is issued after every 20 writes of a session (so a script that
 * keeps one token for long meets a refusal and reads the page's token again). Any origin with the
 * session and token may write.
 */
export const CRM_SECURITY: AppSecurity = {
  cookie: 'rolodeck_session',
  apiSignedOut: 'json',
  csrf: { meta: 'csrf-token', header: 'X-CSRFToken', rotateEvery: 20 },
  origin: 'any',
  refuse: {
    signedOut: (req) => reply.json({ error: 'Authentication credentials were not provided.', login: `/login?return_to=${encodeURIComponent(req.path)}` }, 401),
    csrf: () => reply.json({ error: 'CSRF Failed: CSRF token missing or incorrect.' }, 403),
    origin: (_req, got) => reply.json({ error: `CSRF Failed: Origin checking failed - ${got} does not match any trusted origins.` }, 403),
  },
};

/** The contact list comes by cursor: ?limit= (100 unless asked, at most 1000) and ?after=<paging.next.after>. */
export const CRM_PAGE: PageSize = { sizeParam: 'limit', defaultSize: 100, maxSize: 1000 };

/** A cursor names the last contact of a page; the next page starts after it. */
const cursorFor = (id: number) => Buffer.from(`contact:${id}`).toString('base64url');
function afterId(cursor: string | null): number | null {
  if (cursor === null || cursor === '') return null;
  const m = /^contact:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || cursorFor(Number(m[1])) !== cursor) throw new BadRequest(`after must be a cursor from paging.next.after, not "${cursor}".`);
  return Number(m[1]);
}

const syntheticContact = (s: CrmStore, i: number): CrmContact => {
  const base = s.contacts[i % s.contacts.length];
  const copy = copyNumber(i, s.contacts.length);
  return { ...base, id: CONTACT_BASE_ID + i, lastName: `${base.lastName} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
};

const FRAME: AppFrame = {
  bodyClass: 'rolodeck',
  product: 'Rolodeck CRM',
  logo: 'R',
  brandColor: '#0b5cab',
  nav: [
    { href: '/', label: 'Dashboard' },
    { href: '/contacts', label: 'Contacts' },
  ],
  workspace: 'Larkspur Media & Supply',
  user: 'Dana Whitfield',
};

let clientScript: string | undefined;
/** The browser half of the app, read once: plain JavaScript, no build step. */
const crmScript = () => (clientScript ??= readFileSync(new URL('./crm-app.js', import.meta.url), 'utf8'));

export function createCrmApp(): HostApp<CrmStore> {
  let store = seedCrm();
  const stamp = createClock();
  const contactList = (req: HostRequest) => listWithRows(store.contacts, rowsParam(req.query), (i) => syntheticContact(store, i));
  const contactById = (id: string) => recordWithIdParam(store.contacts, id, CONTACT_BASE_ID, (i) => syntheticContact(store, i));
  // Every screen is the same shell; crm-app.js renders the view for the URL.
  const shell = (req: HostRequest, status = 200) =>
    reply.html(
      page(FRAME, {
        title: 'Contacts',
        path: req.path,
        scripts: ['/assets/crm.js'],
        csrf: csrfMeta(req, CRM_SECURITY.csrf.meta),
        body: html`<div id="app" class="cd-app"><div class="cd-loading" role="status">Loading…</div></div><noscript><p class="cd-noscript">Rolodeck needs JavaScript turned on.</p></noscript>`,
      }),
      status,
    );

  const router = new Router()
    .get('/', (req) => shell(req))
    .get('/contacts', (req) => {
      rowsParam(req.query); // a malformed ?rows= is refused with the page, not left to the script's API call
      return shell(req);
    })
    .get('/contacts/:id', (req, { id }) => shell(req, contactById(id) ? 200 : 404))
    .get('/assets/app.css', () => reply.css(CRM_CSS))
    .get('/assets/crm.js', () => reply.js(crmScript()))
    .get('/api/contacts', (req) => {
      const q = filterParam(req.query, 'q');
      const email = req.query.get('email');
      const qbId = req.query.get('quickbooks_customer_id');
      const after = afterId(req.query.get('after'));
      const limit = limitOf(req.query, CRM_PAGE);
      const matching = changedSince(contactList(req), sinceOf(req.query, 'modified_since'), (c) => c.updatedAt).filter(
        (c) =>
          matchesText(q, c.firstName, c.lastName, `${c.firstName} ${c.lastName}`, c.company, c.email) &&
          (email === null || (c.email ?? '').toLowerCase() === email.trim().toLowerCase()) &&
          (qbId === null || c.quickbooksCustomerId === qbId.trim()),
      );
      // Contacts are in id order; a page is the next `limit` after the cursor's contact.
      const start = after === null ? 0 : matching.findIndex((c) => c.id > after);
      const results = start < 0 ? [] : matching.slice(start, start + limit);
      const more = start >= 0 && start + limit < matching.length;
      const next = more ? cursorFor(results[results.length - 1].id) : null;
      const link = next ? `/api/contacts?${withParam(req.query, 'after', next)}` : null;
      return reply.json({ results: results.map(contactSummary), ...(next ? { paging: { next: { after: next, link } } } : {}) });
    })
    .post('/api/contacts', (req) => saveContact(undefined, req.body))
    .get('/api/contacts/:id', (_req, { id }) => {
      const c = contactById(id);
      return c ? reply.json(c) : null;
    })
    .patch('/api/contacts/:id', (req, { id }) => {
      const c = store.contacts.find((x) => x.id === idParam(id));
      return c ? saveContact(c, req.body) : null;
    });

  function saveContact(existing: CrmContact | undefined, body: unknown): HostReply {
    const checked = checkBody(body, CONTACT_SHAPE, { readOnly: CONTACT_READ_ONLY, partial: !!existing });
    if (!checked.ok) return invalid(checked.problems);
    const f = checked.value as Partial<CrmContact>;
    // Phone numbers are kept in the CRM's own format, as real CRMs do: "(415) 555-0100".
    for (const k of ['phone', 'mobile'] as const) if (typeof f[k] === 'string') f[k] = formatPhone(f[k]);
    const merged = { ...(existing ?? NEW_CONTACT), ...f };
    const problems: Problem[] = [];
    if (!merged.lastName.trim() && !merged.firstName.trim() && !merged.company) problems.push(problem('lastName', "can't be blank when there is no firstName or company"));
    if (problems.length) return invalid(problems);
    if (existing) return reply.json(applyChanges(existing, f, 'updatedAt', stamp));
    const now = stamp();
    const contact: CrmContact = { ...merged, id: CONTACT_BASE_ID + store.contacts.length, tags: [...merged.tags], createdAt: now, updatedAt: now, activity: [], folders: NEW_CONTACT.folders.map((x) => ({ ...x })), deals: [] };
    store.contacts.push(contact);
    return { ...reply.json(contact, 201), headers: { Location: `/api/contacts/${contact.id}` } };
  }

  return {
    name: 'Rolodeck CRM',
    frame: FRAME,
    security: CRM_SECURITY,
    store: () => store,
    reset: () => {
      store = seedCrm();
    },
    handle: (req) => router.handle(req),
    knows: (req) => router.knows(req),
    notFound: (req) => shell(req, 404),
    // A refused request gets a plain page: the shell's script would fetch what was refused.
    errorPage: (req, status, message) => reply.html(page(FRAME, { title: 'Request not accepted', path: req.path, body: errorBody(message) }), status),
  };
}

/** The query string with one parameter set (the others, ?rows= and filters, kept). */
function withParam(query: URLSearchParams, name: string, value: string) {
  const next = new URLSearchParams(query);
  next.set(name, value);
  return next.toString();
}

/** A refused write, as a REST framework words it: every field with what is wrong. */
const invalid = (problems: Problem[]): HostReply => reply.json({ error: problemText(problems), errors: problems }, 422);

const STAGES = ['Customer', 'Prospect', 'Lead', 'Former customer'] as const;
const CONTACT_SHAPE: Shape = {
  firstName: rule.text(60, { blank: true }),
  lastName: rule.text(80, { blank: true }),
  company: rule.optionalText(200),
  jobTitle: rule.optionalText(100),
  email: rule.email,
  phone: rule.optionalText(40),
  mobile: rule.optionalText(40),
  address: rule.nullable(
    rule.object({ street: rule.text(200), city: rule.text(100), state: rule.text(40, { blank: true }), zip: rule.text(20, { blank: true }), country: rule.text(2) }, { required: ['street', 'city', 'country'] }),
  ),
  stage: rule.oneOf(STAGES),
  tags: rule.list(rule.text(40), { max: 20 }),
  notes: rule.text(10_000, { blank: true }),
  owner: rule.oneOf(STAFF),
  leadSource: rule.text(60, { blank: true }),
  quickbooksCustomerId: rule.optionalText(40),
  paymentTerms: rule.optionalText(60),
  paymentMethod: rule.optionalText(60),
  deliveryMethod: rule.optionalText(40),
  balance: rule.nullable(rule.money()),
  openBalance: rule.nullable(rule.money()),
};
/** A US number of 10 digits (or 11 with the country code) as "(415) 555-0100"; anything else as typed. */
export function formatPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  if (national.length !== 10 || /[a-z]/i.test(value)) return value.trim();
  return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
}

const NO_BILLING = { paymentTerms: null, paymentMethod: null, deliveryMethod: null, balance: null, openBalance: null };

const CONTACT_READ_ONLY = ['id', 'createdAt', 'updatedAt', 'lastContactedAt', 'activity', 'folders', 'deals'];
/** What a new contact has before its fields are written: a lead, owned by the person who signed in first. */
const NEW_CONTACT: Omit<CrmContact, 'id'> = {
  firstName: '',
  lastName: '',
  company: null,
  jobTitle: null,
  email: null,
  phone: null,
  mobile: null,
  address: null,
  stage: 'Lead',
  tags: [],
  notes: '',
  owner: 'Dana Whitfield',
  leadSource: 'Website',
  createdAt: '',
  lastContactedAt: null,
  quickbooksCustomerId: null,
  ...NO_BILLING,
  updatedAt: '',
  activity: [],
  folders: [
    { name: 'Documents', files: 0 },
    { name: 'Proposals', files: 0 },
    { name: 'Contracts', files: 0 },
    { name: 'Email Attachments', files: 0 },
  ],
  deals: [],
};

const CRM_CSS = `
:root { --blue:#0b5cab; --blue-2:#094a8a; --ink:#1f2d3d; --muted:#6b7a8c; --line:#e3e8ef; --bg:#f3f6fa; --card:#fff; }
* { box-sizing:border-box; }
body.rolodeck { margin:0; font:14px/1.5 "Source Sans 3", "Segoe UI", system-ui, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--blue); text-decoration:none; } a:hover { text-decoration:underline; }
.app-header { background:var(--blue); color:#fff; display:flex; align-items:center; gap:28px; padding:0 24px; height:56px; box-shadow:0 2px 4px rgba(0,0,0,.12); }
.app-brand { display:flex; align-items:center; gap:10px; color:#fff; font-weight:700; font-size:18px; }
.app-brand:hover { text-decoration:none; }
.app-logo { background:#fff; color:var(--blue); width:30px; height:30px; border-radius:8px; display:grid; place-items:center; font-weight:800; }
.app-nav { display:flex; gap:4px; }
.app-nav-link { color:#dbe8f7; padding:6px 14px; border-radius:18px; }
.app-nav-link:hover { background:var(--blue-2); text-decoration:none; color:#fff; }
.app-nav-link.is-active { background:#fff; color:var(--blue); font-weight:600; }
.app-account { margin-left:auto; display:flex; align-items:center; gap:10px; font-size:13px; color:#dbe8f7; }
.app-avatar { background:#ffb020; color:#3d2a00; width:32px; height:32px; border-radius:50%; display:grid; place-items:center; font-weight:700; }
.app-main { padding:20px 24px; max-width:1320px; margin:0 auto; }
.cd-loading, .cd-noscript { color:var(--muted); padding:40px; text-align:center; }
.cd-page-head { display:flex; align-items:center; justify-content:space-between; margin-bottom:14px; gap:12px; }
.cd-page-title { font-size:22px; margin:0; }
.cd-btn { font:inherit; border:1px solid var(--line); background:#fff; border-radius:6px; padding:6px 14px; cursor:pointer; color:var(--ink); }
.cd-btn-primary { background:var(--blue); border-color:var(--blue); color:#fff; font-weight:600; }
.cd-toolbar { display:flex; gap:10px; align-items:center; margin-bottom:12px; }
.cd-search { font:inherit; width:340px; padding:7px 12px; border:1px solid var(--line); border-radius:6px; background:#fff; }
.cd-count { color:var(--muted); margin-left:auto; }
.cd-card { background:var(--card); border:1px solid var(--line); border-radius:10px; box-shadow:0 1px 3px rgba(31,45,61,.06); margin-bottom:16px; }
.cd-card-title { font-size:13px; font-weight:700; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); margin:0; padding:12px 16px; border-bottom:1px solid var(--line); display:flex; justify-content:space-between; }
.cd-card-body { padding:12px 16px; }
.cd-table-wrap { overflow:auto; }
.cd-table { width:100%; border-collapse:collapse; background:#fff; }
.cd-table th { text-align:left; font-size:12px; color:var(--muted); font-weight:600; padding:10px 12px; border-bottom:2px solid var(--line); white-space:nowrap; }
.cd-table td { padding:9px 12px; border-bottom:1px solid var(--line); vertical-align:middle; max-width:380px; overflow-wrap:break-word; }
.cd-col-phone, .cd-col-last-contacted, .cd-col-stage { white-space:nowrap; }
.cd-table tbody tr:hover { background:#f5f9ff; }
.cd-name-cell { display:flex; align-items:center; gap:10px; }
.cd-avatar { flex:none; width:32px; height:32px; border-radius:50%; background:#d6e6f7; color:var(--blue); display:grid; place-items:center; font-weight:700; font-size:12px; }
.cd-avatar-lg { width:64px; height:64px; font-size:22px; }
.cd-tag { display:inline-block; background:#eef4fb; color:#2b5c8f; border-radius:4px; padding:0 8px; margin:0 4px 4px 0; font-size:12px; }
.cd-stage { display:inline-block; white-space:nowrap; border-radius:12px; padding:1px 10px; font-size:12px; font-weight:600; background:#e6f4ea; color:#1e7b3c; }
.cd-stage-lead { background:#fff4d6; color:#8a5a00; } .cd-stage-prospect { background:#ebe6ff; color:#5135b0; } .cd-stage-former-customer { background:#eceff3; color:#5a6778; }
.cd-breadcrumb { color:var(--muted); font-size:13px; margin-bottom:10px; }
.cd-dashboard { display:grid; grid-template-columns:minmax(0,1fr) 340px; gap:18px; align-items:start; }
.cd-profile { display:flex; gap:16px; padding:18px; }
.cd-profile-main { flex:1; min-width:0; }
.cd-name-row { display:flex; align-items:center; gap:10px; flex-wrap:wrap; }
.cd-contact-name { font-size:24px; margin:0; overflow-wrap:anywhere; }
.cd-contact-title { margin:2px 0 10px; color:var(--muted); overflow-wrap:anywhere; }
.cd-contact-actions { display:flex; gap:8px; margin-bottom:12px; }
.cd-fields { display:grid; grid-template-columns:140px minmax(0,1fr); gap:6px 14px; margin:0; }
.cd-fields dt { color:var(--muted); } .cd-fields dd { margin:0; overflow-wrap:anywhere; }
.cd-notes-text { white-space:pre-wrap; margin:0; }
.cd-timeline { list-style:none; margin:0; padding:0; }
.cd-timeline-item { display:grid; grid-template-columns:90px 1fr; gap:12px; padding:10px 0; border-bottom:1px dashed var(--line); }
.cd-timeline-item:last-child { border-bottom:0; }
.cd-activity-type { font-size:12px; font-weight:700; color:var(--blue); text-transform:uppercase; }
.cd-activity-when { color:var(--muted); font-size:12px; }
.cd-activity-subject { font-weight:600; } .cd-activity-detail { margin:2px 0 0; color:#44546a; }
.cd-folder-list { list-style:none; margin:0; padding:4px 0; }
.cd-folder { display:flex; align-items:center; gap:10px; padding:8px 16px; }
.cd-folder:hover { background:#f5f9ff; }
.cd-folder-icon { color:#f0a020; } .cd-folder-name { flex:1; } .cd-folder-count { color:var(--muted); font-size:12px; }
.cd-deal { display:flex; justify-content:space-between; padding:6px 0; border-bottom:1px solid var(--line); }
.cd-deal:last-child { border-bottom:0; }
.cd-muted { color:var(--muted); }
.cd-stats { display:grid; grid-template-columns:repeat(4, 1fr); gap:14px; margin-bottom:18px; }
.cd-stat { background:#fff; border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.cd-stat-value { font-size:26px; font-weight:700; display:block; } .cd-stat-label { color:var(--muted); font-size:13px; }
.cd-recent { list-style:none; margin:0; padding:0; }
.cd-recent li { display:flex; align-items:center; gap:10px; padding:8px 16px; border-bottom:1px solid var(--line); }
.empty-state, .cd-empty { background:#fff; border:1px solid var(--line); border-radius:10px; padding:32px; }
.cd-edit-form { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:10px 14px; margin-top:12px; }
.cd-edit-field { display:grid; gap:3px; font-size:12px; color:var(--muted); font-weight:600; }
.cd-edit-field input, .cd-edit-field textarea { font:inherit; font-size:14px; color:var(--ink); padding:6px 9px; border:1px solid var(--line); border-radius:6px; }
.cd-edit-wide { grid-column:1 / -1; } .cd-edit-actions { grid-column:1 / -1; display:flex; gap:8px; }
.cd-edit-problem { grid-column:1 / -1; color:#b42318; margin:0; }
`;
