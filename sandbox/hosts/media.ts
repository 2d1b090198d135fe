// "Spotlight", the demo media-buying app (modelled on Bionic for Agencies): the media outlets an
// agency buys from, its media orders, the bills outlets send and the payments made on them.
// Its vendors are the QBO demo company's media vendors, some spelled the way a media buyer would.
import { DAY_MS } from '../qbo/clock';
import { MEDIA_VENDORS, CUSTOMERS, splitPersonName } from '../qbo/seed-data';
import { filterParam, idParam, matchesText, reply, Router, rowsParam, type HostApp, type HostReply, type HostRequest } from './app';
import { formatDate, formatMoney, frameReplies, html, type AppFrame, type SafeHtml } from './html';
import { changedSince, pageOf, sinceOf, type PageSize } from './paging';
import { copyNumber, dayFromToday, listWithRows, recordWithIdParam, roundCents, seededRandom, STAFF, timeFromToday } from './seed';
import type { AppSecurity } from './session';
import { applyChanges, checkBody, createClock, problem, problemText, rule, type Problem, type Shape } from './write';

export const MEDIA_TYPES = ['TV', 'Radio', 'Print', 'Out of Home', 'Digital', 'Podcast', 'Production'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export type VendorStatus = 'Active' | 'Inactive' | 'On hold';

export interface MediaVendor {
  id: number;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  status: VendorStatus;
  mediaType: MediaType;
  city: string | null;
  state: string | null;
  contactName: string;
  terms: string;
  updatedAt: string;
}

export interface MediaOrder {
  id: number;
  orderNumber: string;
  vendorId: number;
  vendorName: string;
  client: string;
  campaign: string;
  mediaType: MediaType;
  flightStart: string;
  flightEnd: string;
  netCost: number;
  grossCost: number;
  buyer: string;
  status: 'Booked' | 'Live' | 'Completed';
  updatedAt: string;
}

export interface MediaBillLine {
  lineNumber: number;
  description: string;
  orderNumber: string;
  servicePeriodStart: string;
  servicePeriodEnd: string;
  mediaType: MediaType;
  amount: number;
}

export interface MediaBill {
  id: number;
  billNumber: string;
  vendorId: number;
  vendorName: string;
  orderNumber: string;
  billDate: string;
  dueDate: string;
  amount: number;
  balance: number;
  status: 'Open' | 'Paid';
  memo: string;
  lines: MediaBillLine[];
  /** The QuickBooks bill this one was imported from or exported to (written by the integration). */
  quickbooksId: string | null;
  updatedAt: string;
}

/** What a payment paid: a bill of the same vendor, and how much of it. */
export interface MediaPaymentApplication {
  billId: number;
  billNumber: string;
  amount: number;
}

export interface MediaPayment {
  id: number;
  paymentNumber: string;
  vendorId: number;
  vendorName: string;
  paymentDate: string;
  method: 'Check' | 'ACH' | 'Wire';
  refNumber: string;
  amount: number;
  /** The ref #s of the bills it paid (what the page shows); `appliedTo` says how much of each. */
  billNumbers: string[];
  appliedTo: MediaPaymentApplication[];
  quickbooksId: string | null;
  updatedAt: string;
}

export interface MediaStore {
  vendors: MediaVendor[];
  orders: MediaOrder[];
  bills: MediaBill[];
  payments: MediaPayment[];
}

/** QBO vendor name → how this app spells the same outlet. Every other QBO media vendor is spelled alike. */
export const MEDIA_NAME_CHANGES: Readonly<Record<string, string>> = {
  'WXYZ-TV': 'WXYZ TV',
  'The Denver Post': 'Denver Post, The',
  'Chicago Tribune Media Group': 'Chicago Tribune Media Group (AP)',
  'Seattle Times Company': 'The Seattle Times Co.',
  'Clear Channel Outdoor': 'Clear Channel Outdoor, LLC',
  'Lamar Advertising Company': 'LAMAR ADVERTISING CO',
  'Pandora Media LLC': 'Pandora Media',
  'iHeartMedia Inc.': 'iHeartMedia, Inc.',
  'Entercom Communications Corp': 'Entercom Communications',
  'Conde Nast Publications': 'Condé Nast Publications',
  'Gannett Co., Inc.': 'Gannett Co Inc',
  'Sinclair Broadcast Group': 'Sinclair Broadcast Group, Inc.',
  'Tegna Inc': 'TEGNA',
};

/** QBO vendor name → the email this app has on file when it differs from QBO's (null: none on file). */
export const MEDIA_EMAIL_CHANGES: Readonly<Record<string, string | null>> = {
  'WGN Radio': 'billing@wgnradio.com',
  'Outfront Media': 'Billing@Outfront.com',
  'KSTP-TV': null,
};

/** Outlets the agency buys from that are not (yet) QBO vendors, including hostile-looking names. */
export const MEDIA_HOST_ONLY_VENDORS: readonly { name: string; email: string | null; mediaType: MediaType; city: string; state: string }[] = [
  { name: 'Roku Advertising', email: 'adbilling@roku.com', mediaType: 'Digital', city: 'San Jose', state: 'CA' },
  { name: 'KABC-TV Digital', email: 'digital@kabc7.com', mediaType: 'Digital', city: 'Glendale', state: 'CA' },
  { name: 'Metro Transit Media', email: 'ar@metrotransitmedia.com', mediaType: 'Out of Home', city: 'Oakland', state: 'CA' },
  { name: 'Bay Area Podcast Network', email: 'sponsors@bapn.fm', mediaType: 'Podcast', city: 'San Francisco', state: 'CA' },
  { name: '<img src=x onerror=alert(1)> Media', email: 'ap@imgsrc.example', mediaType: 'Digital', city: 'Reno', state: 'NV' },
  { name: `O'Neil & "Sons" Billboards`, email: 'office@oneilsons.example', mediaType: 'Out of Home', city: 'Fresno', state: 'CA' },
  { name: '📻 Sunrise Radio Network', email: 'traffic@sunriseradio.example', mediaType: 'Radio', city: 'Sacramento', state: 'CA' },
  {
    name: 'The Greater Metropolitan Regional Broadcasting & Outdoor Advertising Cooperative of the Pacific Northwest and Northern California, Incorporated',
    email: 'accounts.payable.department@greater-metropolitan-regional-broadcasting.example',
    mediaType: 'Out of Home',
    city: 'Eugene',
    state: 'OR',
  },
];

const MEDIA_TYPE_OF: Readonly<Record<string, MediaType>> = {
  'WGN Radio': 'Radio', 'KQED Public Media': 'Radio', 'KNX News Radio': 'Radio', 'WBZ-FM': 'Radio', 'iHeartMedia Inc.': 'Radio',
  'Cumulus Media': 'Radio', 'Entercom Communications Corp': 'Radio', 'Salem Media Group': 'Radio', 'Audacy Bay Area': 'Radio',
  'The Denver Post': 'Print', 'Chicago Tribune Media Group': 'Print', 'Seattle Times Company': 'Print', 'Hearst Magazines': 'Print',
  'Conde Nast Publications': 'Print', 'Meredith Corporation': 'Print', 'Gannett Co., Inc.': 'Print',
  'Clear Channel Outdoor': 'Out of Home', 'Lamar Advertising Company': 'Out of Home', 'Outfront Media': 'Out of Home',
  'Spotify Advertising': 'Digital', 'Pandora Media LLC': 'Digital', 'Harbor Freight Lines': 'Production',
};

const VENDOR_BASE_ID = 1001;
const ORDER_BASE_ID = 24001;
const BILL_BASE_ID = 5001;
const PAYMENT_BASE_ID = 7001;

const CAMPAIGNS = ['Spring Launch', 'Holiday Push', 'Brand Refresh', 'Grand Opening', 'Back to School', 'Q3 Awareness', 'Summer Sale', 'Open House Weekend'];
const LINE_WORDING: Record<MediaType, string[]> = {
  TV: ['Spot schedule', 'Evening news sponsorship', 'Prime access :30s'],
  Radio: ['Drive-time :60s', 'Run of station', 'Traffic sponsorship'],
  Print: ['Full-page insertion', 'Half-page insertion', 'Sunday insert'],
  'Out of Home': ['Bulletin 4-week showing', 'Transit shelter showing', 'Digital billboard rotation'],
  Digital: ['Display campaign', 'Pre-roll video', 'Audio ads CPM'],
  Podcast: ['Host-read sponsorship', 'Mid-roll spots'],
  Production: ['Display freight and install'],
};

function vendorCode(name: string, taken: Set<string>): string {
  const stem = name.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 6) || 'VENDOR';
  let code = stem;
  for (let n = 2; taken.has(code); n++) code = `${stem}${n}`;
  taken.add(code);
  return code;
}

/** Builds the media app's records; the same every run (dates relative to today). */
export function seedMedia(): MediaStore {
  const rng = seededRandom(4101);
  const codes = new Set<string>();
  const vendors: MediaVendor[] = [];
  const addVendor = (v: Omit<MediaVendor, 'id' | 'code' | 'contactName' | 'terms' | 'updatedAt'>) => {
    const n = vendors.length;
    vendors.push({
      id: VENDOR_BASE_ID + n,
      code: vendorCode(v.name, codes),
      ...v,
      contactName: `${['Alex', 'Robin', 'Casey', 'Morgan', 'Jesse', 'Taylor'][n % 6]} ${['Ramirez', 'Cole', 'Ibarra', 'Lund', 'Whitaker', 'Osei'][(n * 5) % 6]}`,
      terms: rng.pick(['Net 30', 'Net 30', 'Net 45', 'Net 15']),
      updatedAt: timeFromToday(-rng.int(1, 90), rng.int(480, 1080)),
    });
  };
  for (const v of MEDIA_VENDORS) {
    const emailChanged = Object.prototype.hasOwnProperty.call(MEDIA_EMAIL_CHANGES, v.name);
    addVendor({
      name: MEDIA_NAME_CHANGES[v.name] ?? v.name,
      email: emailChanged ? MEDIA_EMAIL_CHANGES[v.name] : (v.email ?? null),
      phone: v.phone ?? null,
      status: v.name === 'Pandora Media LLC' || v.name === 'Entercom Communications Corp' ? 'Inactive' : v.name === 'Salem Media Group' ? 'On hold' : 'Active',
      mediaType: MEDIA_TYPE_OF[v.name] ?? 'TV',
      city: v.city ?? null,
      state: v.state ?? null,
    });
  }
  for (const v of MEDIA_HOST_ONLY_VENDORS)
    addVendor({ name: v.name, email: v.email, phone: null, status: 'Active', mediaType: v.mediaType, city: v.city, state: v.state });

  const buyable = vendors.filter((v) => v.status === 'Active' && v.mediaType !== 'Production');
  const clients = CUSTOMERS.slice(0, 24).map((c) => {
    const person = splitPersonName(c.name);
    return person ? `${person.first} ${person.last}` : c.name;
  });
  const orders: MediaOrder[] = [];
  for (let i = 0; i < 40; i++) {
    // The first orders go to the host-only outlets too, so each of them has bills to export.
    const vendor = i % 3 === 0 && i / 3 < MEDIA_HOST_ONLY_VENDORS.length ? buyable[buyable.length - 1 - i / 3] : rng.pick(buyable);
    const startOffset = rng.int(-160, 30);
    const netCost = rng.money(1500, 48000);
    const flightStart = dayFromToday(startOffset);
    const flightEnd = dayFromToday(startOffset + rng.int(13, 55));
    const today = dayFromToday(0);
    orders.push({
      id: ORDER_BASE_ID + i,
      orderNumber: `MO-${ORDER_BASE_ID + i}`,
      vendorId: vendor.id,
      vendorName: vendor.name,
      client: rng.pick(clients),
      campaign: rng.pick(CAMPAIGNS),
      mediaType: vendor.mediaType,
      flightStart,
      flightEnd,
      netCost,
      grossCost: roundCents(netCost / 0.85),
      buyer: rng.pick(STAFF),
      status: flightStart > today ? 'Booked' : flightEnd < today ? 'Completed' : 'Live',
      updatedAt: timeFromToday(Math.min(-1, startOffset), 540 + i),
    });
  }

  const bills: MediaBill[] = [];
  const payments: MediaPayment[] = [];
  for (const order of orders) {
    if (order.status === 'Booked') continue;
    const vendor = vendors.find((v) => v.id === order.vendorId)!;
    const lineCount = rng.int(1, 3);
    const lines: MediaBillLine[] = [];
    let left = order.netCost;
    for (let n = 1; n <= lineCount; n++) {
      const amount = n === lineCount ? roundCents(left) : roundCents(order.netCost / lineCount);
      left -= amount;
      lines.push({
        lineNumber: n,
        description: `${rng.pick(LINE_WORDING[order.mediaType])} — ${order.campaign}`,
        orderNumber: order.orderNumber,
        servicePeriodStart: order.flightStart,
        servicePeriodEnd: order.flightEnd,
        mediaType: order.mediaType,
        amount,
      });
    }
    const billDate = order.flightEnd < dayFromToday(-2) ? order.flightEnd : dayFromToday(-rng.int(1, 5));
    const dueOffset = Math.round((Date.parse(billDate) - Date.parse(dayFromToday(0))) / DAY_MS) + 30;
    const paid = dueOffset < -3 && rng.chance(0.8);
    const bill: MediaBill = {
      id: BILL_BASE_ID + bills.length,
      billNumber: rng.pick([`INV-${rng.int(10000, 99999)}`, `${vendor.code}-${rng.int(100, 999)}`, String(rng.int(100000, 999999))]),
      vendorId: vendor.id,
      vendorName: vendor.name,
      orderNumber: order.orderNumber,
      billDate,
      dueDate: dayFromToday(dueOffset),
      amount: order.netCost,
      balance: paid ? 0 : order.netCost,
      status: paid ? 'Paid' : 'Open',
      memo: bills.length === 3 ? 'Make-good for pre-empted spots: "Evening News" & <Late Show> promos' : '',
      lines,
      quickbooksId: null,
      updatedAt: timeFromToday(Math.min(-1, dueOffset - 30), rng.int(480, 1080)),
    };
    bills.push(bill);
    if (paid) {
      const method = rng.pick(['Check', 'ACH', 'ACH', 'Wire'] as const);
      const paymentDate = dayFromToday(dueOffset - rng.int(0, 3));
      payments.push({
        id: PAYMENT_BASE_ID + payments.length,
        paymentNumber: `PMT-${PAYMENT_BASE_ID + payments.length}`,
        vendorId: vendor.id,
        vendorName: vendor.name,
        paymentDate,
        method,
        refNumber: method === 'Check' ? String(rng.int(2000, 9999)) : `${method}${rng.int(1000000, 9999999)}`,
        amount: bill.amount,
        billNumbers: [bill.billNumber],
        appliedTo: [{ billId: bill.id, billNumber: bill.billNumber, amount: bill.amount }],
        quickbooksId: null,
        updatedAt: timeFromToday(dueOffset, rng.int(480, 1080)),
      });
    }
  }
  return { vendors, orders, bills, payments };
}

// Synthetic rows for ?rows=N: copies of the seeded records with their own ids and numbers.
const syntheticVendor = (s: MediaStore, i: number): MediaVendor => {
  const base = s.vendors[i % s.vendors.length];
  const copy = copyNumber(i, s.vendors.length);
  return { ...base, id: VENDOR_BASE_ID + i, code: `${base.code}${copy}`, name: `${base.name} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
};
const syntheticOrder = (s: MediaStore, i: number): MediaOrder => {
  const base = s.orders[i % s.orders.length];
  return { ...base, id: ORDER_BASE_ID + i, orderNumber: `MO-${ORDER_BASE_ID + i}` };
};
const syntheticBill = (s: MediaStore, i: number): MediaBill => {
  const base = s.bills[i % s.bills.length];
  return { ...base, id: BILL_BASE_ID + i, billNumber: `${base.billNumber}-${copyNumber(i, s.bills.length)}` };
};
const syntheticPayment = (s: MediaStore, i: number): MediaPayment => {
  const base = s.payments[i % s.payments.length];
  return { ...base, id: PAYMENT_BASE_ID + i, paymentNumber: `PMT-${PAYMENT_BASE_ID + i}` };
};

const FRAME: AppFrame = {
  bodyClass: 'spotlight',
  product: 'Spotlight',
  logo: '◉',
  brandColor: '#f26b5b',
  nav: [
    { href: '/', label: 'Home' },
    { href: '/vendors', label: 'Vendors' },
    { href: '/orders', label: 'Media Orders' },
    { href: '/bills', label: 'Bills' },
    { href: '/payments', label: 'Payments' },
  ],
  workspace: 'Larkspur Media & Supply',
  user: 'Marcus Lee',
};

/**
 * Spotlight signs in like a Rails app: a session cookie, the token in <meta name="csrf-token">
 * sent back in X-CSRF-Token, and writes from another origin refused (forgery protection's origin
 * check), so only the app's own pages (and the extension from an open tab) can write.
 */
export const MEDIA_SECURITY: AppSecurity = {
  cookie: '_spotlight_session',
  apiSignedOut: 'json',
  csrf: { meta: 'csrf-token', header: 'X-CSRF-Token', formField: 'authenticity_token' },
  origin: 'same',
  refuse: {
    signedOut: () => reply.json({ error: 'You need to sign in or sign up before continuing.' }, 401),
    csrf: () => reply.json({ error: "Can't verify CSRF token authenticity.", reason: 'csrf' }, 422),
    origin: (_req, got, expected) =>
      reply.json({ error: `Origin checking failed: HTTP Origin header (${got}) didn't match request.base_url (${expected}).`, reason: 'origin' }, 403),
  },
};

/** Lists come a page at a time: ?page=1,2,… and ?per_page= (25 unless asked, at most 100). */
export const MEDIA_PAGE: PageSize = { sizeParam: 'per_page', defaultSize: 25, maxSize: 100 };

const usDate = (d: string) => formatDate(d, 'us');
const statusPill = (status: string) => html`<span class="status-pill status-${status.toLowerCase().replace(/\s+/g, '-')}">${status}</span>`;

function pageHead(title: string, sub: string, actions?: SafeHtml) {
  return html`<div class="page-head"><div><h1 class="page-title">${title}</h1><p class="page-sub">${sub}</p></div>${actions ? html`<div class="page-actions">${actions}</div>` : ''}</div>`;
}

function filterBar(action: string, req: HostRequest, placeholder: string, statuses: string[]) {
  const status = req.query.get('status') ?? '';
  const rows = req.query.get('rows');
  return html`<form class="filter-bar" method="get" action="${action}" role="search">
<input class="filter-search" type="search" name="q" value="${req.query.get('q') ?? ''}" placeholder="${placeholder}" aria-label="${placeholder}">
${statuses.length ? html`<select name="status" aria-label="Status"><option value="">All statuses</option>${statuses.map((s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`)}</select>` : ''}
${rows !== null ? html`<input type="hidden" name="rows" value="${rows}">` : ''}
<button class="btn" type="submit">Filter</button></form>`;
}

function gridFooter(shown: number, noun: string) {
  return html`<div class="grid-footer"><span class="grid-count">${shown.toLocaleString('en-US')} ${noun}</span></div>`;
}

export function createMediaApp(): HostApp<MediaStore> {
  let store = seedMedia();
  const vendorList = (req: HostRequest) => listWithRows(store.vendors, rowsParam(req.query), (i) => syntheticVendor(store, i));
  const orderList = (req: HostRequest) => listWithRows(store.orders, rowsParam(req.query), (i) => syntheticOrder(store, i));
  const billList = (req: HostRequest) => listWithRows(store.bills, rowsParam(req.query), (i) => syntheticBill(store, i));
  const paymentList = (req: HostRequest) => listWithRows(store.payments, rowsParam(req.query), (i) => syntheticPayment(store, i));
  const vendorById = (id: string) => recordWithIdParam(store.vendors, id, VENDOR_BASE_ID, (i) => syntheticVendor(store, i));
  const billById = (id: string) => recordWithIdParam(store.bills, id, BILL_BASE_ID, (i) => syntheticBill(store, i));
  const orderById = (id: string) => recordWithIdParam(store.orders, id, ORDER_BASE_ID, (i) => syntheticOrder(store, i));
  const paymentById = (id: string) => recordWithIdParam(store.payments, id, PAYMENT_BASE_ID, (i) => syntheticPayment(store, i));
  const { show, notFound, errorPage } = frameReplies(FRAME, MEDIA_SECURITY.csrf.meta);
  const vendorLink = (id: number, name: string) => html`<a class="vendor-link" href="/vendors/${id}">${name}</a>`;
  const stamp = createClock();

  /** A list answer: the records changed since ?updated_since=, the page asked for, and the count of all. */
  const listJson = <T extends { updatedAt: string }>(req: HostRequest, rows: T[]) => {
    const changed = changedSince(rows, sinceOf(req.query, 'updated_since'), (r) => r.updatedAt);
    const { page, size, offset } = pageOf(req.query, 'page', MEDIA_PAGE);
    return reply.json({ data: changed.slice(offset, offset + size), meta: { total: changed.length, page, per_page: size, total_pages: Math.max(1, Math.ceil(changed.length / size)) } });
  };
  /** The filters every list takes: ?q=, ?status=, and exact ?vendor_id=, ?quickbooks_id=, ?bill_number=. */
  const filtered = <T extends object>(req: HostRequest, rows: T[], texts: (r: T) => (string | number | null)[]) => {
    const q = filterParam(req.query, 'q');
    const status = filterParam(req.query, 'status');
    const exact = (name: string, value: (r: T) => unknown) => {
      const wanted = req.query.get(name);
      return (r: T) => wanted === null || String(value(r) ?? '').toLowerCase() === wanted.trim().toLowerCase();
    };
    const field = (r: T, k: string) => (r as Record<string, unknown>)[k];
    const tests = [
      (r: T) => matchesText(q, ...texts(r)),
      (r: T) => !status || String(field(r, 'status') ?? '').toLowerCase() === status,
      exact('vendor_id', (r) => field(r, 'vendorId')),
      exact('quickbooks_id', (r) => field(r, 'quickbooksId')),
      exact('bill_number', (r) => field(r, 'billNumber')),
    ];
    return rows.filter((r) => tests.every((t) => t(r)));
  };

  /** A bill's form: new (vendor, Ref #, dates, one line) or an existing bill's dates and memo. */
  const billForm = (req: HostRequest, b: MediaBill | undefined, problem?: string) => {
    const field = (label: string, name: string, value: string, type = 'text') =>
      html`<label class="form-field"><span>${label}</span><input name="${name}" type="${type}" value="${value}" required></label>`;
    return html`<nav class="breadcrumbs"><a href="/bills">Bills</a> <span aria-hidden="true">›</span> <span>${b ? b.billNumber : 'New bill'}</span></nav>
${pageHead(b ? `Edit bill ${b.billNumber}` : 'New bill', b ? 'Change its dates or memo.' : 'A vendor invoice to reconcile.')}
${problem ? html`<p class="form-problem" role="alert">${problem}</p>` : ''}
<form class="card bill-form" method="post" action="${b ? `/bills/${b.id}` : '/bills'}">
<input type="hidden" name="authenticity_token" value="${req.session?.csrfToken ?? ''}">
${b ? '' : html`<label class="form-field"><span>Vendor</span><select name="vendorId" required>${store.vendors.slice(0, 200).map((v) => html`<option value="${v.id}">${v.name}</option>`)}</select></label>
${field('Ref #', 'billNumber', '')}`}
${field('Bill date', 'billDate', b?.billDate ?? '', 'date')}
${field('Due date', 'dueDate', b?.dueDate ?? '', 'date')}
${b ? html`<label class="form-field"><span>Memo</span><input name="memo" value="${b.memo}"></label>` : html`${field('Description', 'description', '')}${field('Amount', 'amount', '')}`}
<div class="form-actions"><button class="btn btn-primary" type="submit">Save bill</button> <a class="btn" href="${b ? `/bills/${b.id}` : '/bills'}">Cancel</a></div>
</form>`;
  };
  const billFromForm = (body: unknown, isNew: boolean) => {
    const f = (body ?? {}) as Record<string, string>;
    return isNew
      ? { vendorId: f.vendorId, billNumber: f.billNumber, billDate: f.billDate, dueDate: f.dueDate, lines: [{ description: f.description, amount: f.amount }] }
      : { billDate: f.billDate, dueDate: f.dueDate, memo: f.memo ?? '' };
  };
  /** After a form post: on to the next page when saved, else the form again with what was wrong. */
  const formSaved = (req: HostRequest, saved: HostReply, next: string, again: (problem: string) => SafeHtml) => {
    if (saved.status < 300) return reply.seeOther(next);
    const answer = JSON.parse(saved.body) as { error?: string };
    return { ...show(req, 'Bill', again(answer.error ?? 'The bill could not be saved.')), status: saved.status };
  };
  const saveBill = (existing: MediaBill | undefined, body: unknown): HostReply => {
    const checked = checkBody(body, BILL_SHAPE, { wrap: 'bill', required: existing ? [] : BILL_REQUIRED, readOnly: BILL_READ_ONLY, partial: !!existing });
    if (!checked.ok) return invalid(checked.problems);
    const f = checked.value as Partial<Omit<MediaBill, 'lines'>> & { lines?: Partial<MediaBillLine>[] };
    const problems: Problem[] = [];
    const vendorId = f.vendorId ?? existing!.vendorId;
    const vendor = store.vendors.find((v) => v.id === vendorId);
    if (!vendor) problems.push(problem('vendorId', `is not a vendor in Spotlight (${vendorId})`));
    const billNumber = f.billNumber ?? existing!.billNumber;
    if (store.bills.some((b) => b !== existing && b.vendorId === vendorId && b.billNumber.toLowerCase() === billNumber.toLowerCase()))
      problems.push(problem('billNumber', `has already been taken for this vendor (${billNumber})`));
    const billDate = f.billDate ?? existing!.billDate;
    const dueDate = f.dueDate ?? existing!.dueDate;
    if (dueDate < billDate) problems.push(problem('dueDate', `can't be before billDate (${billDate})`));
    const orderNumber = f.orderNumber !== undefined ? (f.orderNumber ?? '') : (existing?.orderNumber ?? f.lines?.find((l) => l.orderNumber)?.orderNumber ?? '');
    const orderOf = (n: string | null | undefined, field: string) => {
      if (!n) return undefined;
      const order = store.orders.find((o) => o.orderNumber === n);
      if (!order) problems.push(problem(field, `is not a media order (${n})`));
      return order;
    };
    const order = orderOf(orderNumber, 'orderNumber');
    const lines: MediaBillLine[] = f.lines
      ? f.lines.map((l, i) => {
          const lineOrder = l.orderNumber ? orderOf(l.orderNumber, `lines[${i}].orderNumber`) : order;
          const start = l.servicePeriodStart ?? lineOrder?.flightStart ?? billDate;
          const end = l.servicePeriodEnd ?? lineOrder?.flightEnd ?? start;
          if (end < start) problems.push(problem(`lines[${i}].servicePeriodEnd`, `can't be before servicePeriodStart (${start})`));
          return {
            lineNumber: i + 1,
            description: l.description!,
            orderNumber: l.orderNumber ?? orderNumber,
            servicePeriodStart: start,
            servicePeriodEnd: end,
            mediaType: l.mediaType ?? lineOrder?.mediaType ?? vendor?.mediaType ?? 'TV',
            amount: l.amount!,
          };
        })
      : existing!.lines;
    const amount = roundCents(lines.reduce((sum, l) => sum + l.amount, 0));
    if (f.amount !== undefined && f.amount !== amount) problems.push(problem('amount', `must equal the sum of the lines (${amount})`));
    const paid = existing ? roundCents(existing.amount - existing.balance) : 0;
    const balance = f.balance ?? roundCents(amount - paid);
    if (balance > amount) problems.push(problem('balance', `can't be more than the amount (${amount})`));
    if (balance < 0) problems.push(problem('lines', `total ${amount}, less than the ${paid} already paid on this bill`));
    if (problems.length) return invalid(problems);
    const bill: MediaBill = existing ?? ({ id: BILL_BASE_ID + store.bills.length } as MediaBill);
    applyChanges(bill, {
      billNumber,
      vendorId,
      vendorName: vendor!.name,
      orderNumber,
      billDate,
      dueDate,
      amount,
      balance,
      status: balance === 0 ? 'Paid' : 'Open',
      memo: f.memo !== undefined ? (f.memo ?? '') : (existing?.memo ?? ''),
      lines,
      quickbooksId: f.quickbooksId !== undefined ? f.quickbooksId : (existing?.quickbooksId ?? null),
    } satisfies Omit<MediaBill, 'id' | 'updatedAt'>, 'updatedAt', stamp);
    if (!existing) store.bills.push(bill);
    return existing ? reply.json({ data: bill }) : created(`/api/bills/${bill.id}`, bill);
  };

  /** A payment pays bills of its vendor: their balances go down by what it applies (and back up when that changes). */
  const savePayment = (existing: MediaPayment | undefined, body: unknown): HostReply => {
    const checked = checkBody(body, PAYMENT_SHAPE, { wrap: 'payment', required: existing ? [] : PAYMENT_REQUIRED, readOnly: PAYMENT_READ_ONLY, partial: !!existing });
    if (!checked.ok) return invalid(checked.problems);
    const f = checked.value as Partial<Omit<MediaPayment, 'appliedTo'>> & { appliedTo?: { billId: number; amount: number }[] };
    const problems: Problem[] = [];
    const vendorId = f.vendorId ?? existing!.vendorId;
    const vendor = store.vendors.find((v) => v.id === vendorId);
    if (!vendor) problems.push(problem('vendorId', `is not a vendor in Spotlight (${vendorId})`));
    const amount = f.amount ?? existing!.amount;
    const wanted = f.appliedTo ?? existing?.appliedTo ?? [];
    const before = new Map((existing?.appliedTo ?? []).map((a) => [a.billId, a.amount]));
    const seen = new Set<number>();
    const applied = wanted.map((a, i): MediaPaymentApplication => {
      const bill = store.bills.find((b) => b.id === a.billId);
      if (!bill) problems.push(problem(`appliedTo[${i}].billId`, `is not a bill in Spotlight (${a.billId})`));
      else if (bill.vendorId !== vendorId) problems.push(problem(`appliedTo[${i}].billId`, `is a bill of another vendor (${bill.vendorName})`));
      else if (seen.has(bill.id)) problems.push(problem(`appliedTo[${i}].billId`, `pays bill ${bill.billNumber} twice`));
      else if (a.amount > roundCents(bill.balance + (before.get(bill.id) ?? 0)))
        problems.push(problem(`appliedTo[${i}].amount`, `is more than bill ${bill.billNumber}'s balance (${roundCents(bill.balance + (before.get(bill.id) ?? 0))})`));
      seen.add(a.billId);
      return { billId: a.billId, billNumber: bill?.billNumber ?? '', amount: a.amount };
    });
    const total = roundCents(applied.reduce((sum, a) => sum + a.amount, 0));
    if (total > amount) problems.push(problem('appliedTo', `applies ${total}, more than the payment's amount (${amount})`));
    if (problems.length) return invalid(problems);
    // Each bill's balance moves by what this payment applied before minus what it applies now.
    const change = new Map<number, number>();
    for (const a of existing?.appliedTo ?? []) change.set(a.billId, (change.get(a.billId) ?? 0) + a.amount);
    for (const a of applied) change.set(a.billId, (change.get(a.billId) ?? 0) - a.amount);
    for (const [billId, delta] of change) {
      const bill = store.bills.find((b) => b.id === billId);
      if (!bill || roundCents(delta) === 0) continue;
      bill.balance = roundCents(bill.balance + delta);
      bill.status = bill.balance === 0 ? 'Paid' : 'Open';
      bill.updatedAt = stamp(bill.updatedAt);
    }
    const payment: MediaPayment = existing ?? ({ id: PAYMENT_BASE_ID + store.payments.length } as MediaPayment);
    applyChanges(payment, {
      paymentNumber: existing?.paymentNumber ?? `PMT-${payment.id}`,
      vendorId,
      vendorName: vendor!.name,
      paymentDate: f.paymentDate ?? existing!.paymentDate,
      method: f.method ?? existing!.method,
      refNumber: f.refNumber !== undefined ? (f.refNumber ?? '') : (existing?.refNumber ?? ''),
      amount,
      billNumbers: applied.map((a) => a.billNumber),
      appliedTo: applied,
      quickbooksId: f.quickbooksId !== undefined ? f.quickbooksId : (existing?.quickbooksId ?? null),
    } satisfies Omit<MediaPayment, 'id' | 'updatedAt'>, 'updatedAt', stamp);
    if (!existing) store.payments.push(payment);
    return existing ? reply.json({ data: payment }) : created(`/api/payments/${payment.id}`, payment);
  };

  const vendorRows = (vendors: MediaVendor[]) =>
    vendors.map(
      (v) => html`<tr class="grid-row vendor-row" data-row-key="${v.id}">
<td class="col-select"><input type="checkbox" name="vendor" value="${v.id}" aria-label="Select ${v.name}"></td>
<td class="vendor-name">${vendorLink(v.id, v.name)}</td>
<td class="vendor-code">${v.code}</td>
<td class="vendor-email">${v.email ? html`<a href="mailto:${v.email}">${v.email}</a>` : html`<span class="muted">—</span>`}</td>
<td class="vendor-status">${statusPill(v.status)}</td>
<td class="vendor-media-type">${v.mediaType}</td>
<td class="col-actions"><div class="row-actions"><a class="row-action" href="/vendors/${v.id}">View</a></div></td>
</tr>`,
    );
  const orderRows = (orders: MediaOrder[]) =>
    orders.map(
      (o) => html`<tr class="grid-row order-row" data-row-key="${o.id}">
<td class="order-number"><a href="/vendors/${o.vendorId}#orders">${o.orderNumber}</a></td>
<td class="order-vendor">${vendorLink(o.vendorId, o.vendorName)}</td>
<td class="order-client">${o.client}</td>
<td class="order-campaign">${o.campaign}</td>
<td class="order-flight"><span class="flight-start">${usDate(o.flightStart)}</span> – <span class="flight-end">${usDate(o.flightEnd)}</span></td>
<td class="order-net num">${formatMoney(o.netCost)}</td>
<td class="order-status">${statusPill(o.status)}</td>
</tr>`,
    );
  const billRows = (bills: MediaBill[]) =>
    bills.map(
      (b) => html`<tr class="grid-row bill-row" data-row-key="${b.id}">
<td class="col-select"><input type="checkbox" name="bill" value="${b.id}" aria-label="Select bill ${b.billNumber}"></td>
<td class="bill-number"><a class="bill-link" href="/bills/${b.id}">${b.billNumber}</a></td>
<td class="bill-vendor">${vendorLink(b.vendorId, b.vendorName)}</td>
<td class="bill-date">${usDate(b.billDate)}</td>
<td class="bill-due">${usDate(b.dueDate)}</td>
<td class="bill-amount num">${formatMoney(b.amount)}</td>
<td class="bill-status">${statusPill(b.status)}</td>
<td class="col-actions"><div class="row-actions"><a class="row-action" href="/bills/${b.id}">Open</a></div></td>
</tr>`,
    );
  const paymentRows = (payments: MediaPayment[]) =>
    payments.map(
      (p) => html`<tr class="grid-row payment-row" data-row-key="${p.id}">
<td class="payment-number">${p.paymentNumber}</td>
<td class="payment-vendor">${vendorLink(p.vendorId, p.vendorName)}</td>
<td class="payment-date">${usDate(p.paymentDate)}</td>
<td class="payment-method">${p.method}</td>
<td class="payment-ref">${p.refNumber}</td>
<td class="payment-bills">${p.billNumbers.join(', ')}</td>
<td class="payment-amount num">${formatMoney(p.amount)}</td>
</tr>`,
    );
  const grid = (cls: string, head: SafeHtml, rows: SafeHtml[], count: number, noun: string) =>
    html`<div class="card grid-card"><table class="data-grid ${cls}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${
      count ? '' : html`<p class="grid-empty">No ${noun} match these filters.</p>`
    }${gridFooter(count, noun)}</div>`;

  const router = new Router()
    .get('/', (req) => {
      const open = store.bills.filter((b) => b.status === 'Open');
      const dueSoon = open.filter((b) => b.dueDate <= dayFromToday(14)).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
      const live = store.orders.filter((o) => o.status === 'Live');
      return show(req, 'Home', html`${pageHead('Good morning, Marcus', 'Here is where your media buys stand today.')}
<div class="stat-grid">
<a class="stat-card" href="/vendors"><span class="stat-label">Vendors</span><span class="stat-value">${store.vendors.length}</span><span class="stat-note">media outlets</span></a>
<a class="stat-card" href="/orders"><span class="stat-label">Live orders</span><span class="stat-value">${live.length}</span><span class="stat-note">${formatMoney(live.reduce((s, o) => s + o.netCost, 0))} net</span></a>
<a class="stat-card" href="/bills?status=Open"><span class="stat-label">Open bills</span><span class="stat-value">${open.length}</span><span class="stat-note">${formatMoney(open.reduce((s, b) => s + b.balance, 0))} to pay</span></a>
<a class="stat-card" href="/payments"><span class="stat-label">Payments</span><span class="stat-value">${store.payments.length}</span><span class="stat-note">recorded</span></a>
</div>
<h2 class="section-title">Bills due in the next two weeks</h2>
${grid('bill-grid', html`<th class="col-select"></th><th>Ref #</th><th>Vendor</th><th>Bill date</th><th>Due date</th><th class="num">Amount</th><th>Status</th><th class="col-actions"></th>`, billRows(dueSoon), dueSoon.length, 'bills')}`);
    })
    .get('/vendors', (req) => {
      const q = filterParam(req.query, 'q');
      const status = filterParam(req.query, 'status');
      const vendors = vendorList(req).filter((v) => matchesText(q, v.name, v.code, v.email) && (!status || v.status.toLowerCase() === status));
      return show(req, 'Vendors', html`${pageHead('Vendors', 'Media outlets, publishers and networks your team buys from.', html`<button class="btn btn-primary" type="button">+ New vendor</button>`)}
${filterBar('/vendors', req, 'Search vendors by name, code or email', ['Active', 'Inactive', 'On hold'])}
${grid('vendor-grid', html`<th class="col-select"><input type="checkbox" aria-label="Select all vendors"></th><th>Vendor</th><th>Vendor code</th><th>Email</th><th>Status</th><th>Media type</th><th class="col-actions"><span class="sr-only">Actions</span></th>`, vendorRows(vendors), vendors.length, 'vendors')}`);
    })
    .get('/vendors/:id', (req, { id }) => {
      const v = vendorById(id);
      if (!v) return null;
      const orders = store.orders.filter((o) => o.vendorId === v.id);
      const bills = store.bills.filter((b) => b.vendorId === v.id);
      const open = bills.filter((b) => b.status === 'Open').reduce((s, b) => s + b.balance, 0);
      return show(req, v.name, html`<nav class="breadcrumbs"><a href="/vendors">Vendors</a> <span aria-hidden="true">›</span> <span>${v.name}</span></nav>
<div class="record-head vendor-head"><div class="record-title-row"><h1 class="record-title vendor-title">${v.name}</h1>${statusPill(v.status)}</div>
<div class="record-actions"><button class="btn" type="button">Edit vendor</button><button class="btn btn-primary" type="button">New order</button></div></div>
<div class="detail-grid">
<section class="card vendor-profile"><h2 class="card-title">Vendor details</h2><dl class="fact-list">
<div class="fact"><dt>Vendor code</dt><dd class="fact-code">${v.code}</dd></div>
<div class="fact"><dt>Media type</dt><dd class="fact-media-type">${v.mediaType}</dd></div>
<div class="fact"><dt>Email</dt><dd class="fact-email">${v.email ? html`<a href="mailto:${v.email}">${v.email}</a>` : '—'}</dd></div>
<div class="fact"><dt>Phone</dt><dd class="fact-phone">${v.phone ?? '—'}</dd></div>
<div class="fact"><dt>Location</dt><dd class="fact-location">${[v.city, v.state].filter(Boolean).join(', ') || '—'}</dd></div>
<div class="fact"><dt>Contact</dt><dd class="fact-contact">${v.contactName}</dd></div>
<div class="fact"><dt>Payment terms</dt><dd class="fact-terms">${v.terms}</dd></div>
</dl></section>
<section class="card vendor-summary"><h2 class="card-title">Spend</h2><dl class="fact-list">
<div class="fact"><dt>Orders</dt><dd>${orders.length}</dd></div>
<div class="fact"><dt>Net ordered</dt><dd>${formatMoney(orders.reduce((s, o) => s + o.netCost, 0))}</dd></div>
<div class="fact"><dt>Open bills</dt><dd class="fact-open-balance">${formatMoney(open)}</dd></div>
</dl></section>
</div>
<h2 class="section-title" id="orders">Media orders</h2>
${grid('order-grid', html`<th>Order #</th><th>Vendor</th><th>Client</th><th>Campaign</th><th>Flight dates</th><th class="num">Net cost</th><th>Status</th>`, orderRows(orders), orders.length, 'orders')}
<h2 class="section-title" id="bills">Bills</h2>
${grid('bill-grid', html`<th class="col-select"></th><th>Ref #</th><th>Vendor</th><th>Bill date</th><th>Due date</th><th class="num">Amount</th><th>Status</th><th class="col-actions"></th>`, billRows(bills), bills.length, 'bills')}`);
    })
    .get('/orders', (req) => {
      const q = filterParam(req.query, 'q');
      const status = filterParam(req.query, 'status');
      const orders = orderList(req).filter((o) => matchesText(q, o.orderNumber, o.vendorName, o.client, o.campaign) && (!status || o.status.toLowerCase() === status));
      return show(req, 'Media Orders', html`${pageHead('Media Orders', 'Every buy, with its flight dates and net cost.')}
${filterBar('/orders', req, 'Search by order #, vendor, client or campaign', ['Booked', 'Live', 'Completed'])}
${grid('order-grid', html`<th>Order #</th><th>Vendor</th><th>Client</th><th>Campaign</th><th>Flight dates</th><th class="num">Net cost</th><th>Status</th>`, orderRows(orders), orders.length, 'orders')}`);
    })
    .get('/bills', (req) => {
      const q = filterParam(req.query, 'q');
      const status = filterParam(req.query, 'status');
      const bills = billList(req).filter((b) => matchesText(q, b.billNumber, b.vendorName, b.orderNumber) && (!status || b.status.toLowerCase() === status));
      return show(req, 'Bills', html`${pageHead('Bills', 'Vendor invoices reconciled against your media orders.', html`<a class="btn btn-primary" href="/bills/new">+ New bill</a>`)}
${filterBar('/bills', req, 'Search by ref #, vendor or order #', ['Open', 'Paid'])}
${grid('bill-grid', html`<th class="col-select"><input type="checkbox" aria-label="Select all bills"></th><th>Ref #</th><th>Vendor</th><th>Bill date</th><th>Due date</th><th class="num">Amount</th><th>Status</th><th class="col-actions"><span class="sr-only">Actions</span></th>`, billRows(bills), bills.length, 'bills')}`);
    })
    // The app's own forms: a new bill, and a bill's dates and memo changed (posted with the session's token).
    .get('/bills/new', (req) => show(req, 'New bill', billForm(req, undefined)))
    .post('/bills', (req) => formSaved(req, saveBill(undefined, { bill: billFromForm(req.body, true) }), '/bills', (problem) => billForm(req, undefined, problem)))
    .get('/bills/:id/edit', (req, { id }) => {
      const b = billById(id);
      return b ? show(req, `Edit bill ${b.billNumber}`, billForm(req, b)) : null;
    })
    .post('/bills/:id', (req, { id }) => {
      const b = billById(id);
      return b ? formSaved(req, saveBill(b, { bill: billFromForm(req.body, false) }), `/bills/${b.id}`, (problem) => billForm(req, b, problem)) : null;
    })
    .get('/bills/:id', (req, { id }) => {
      const b = billById(id);
      if (!b) return null;
      const paidBy = store.payments.filter((p) => p.billNumbers.includes(b.billNumber) && p.vendorId === b.vendorId);
      return show(req, `Bill ${b.billNumber}`, html`<nav class="breadcrumbs"><a href="/bills">Bills</a> <span aria-hidden="true">›</span> <span>${b.billNumber}</span></nav>
<div class="record-head bill-head"><div class="record-title-row"><h1 class="record-title bill-title">Bill <span class="bill-ref">${b.billNumber}</span></h1>${statusPill(b.status)}</div>
<div class="record-actions"><a class="btn" href="/bills/${b.id}/edit">Edit bill</a>${b.status === 'Open' ? html`<button class="btn btn-primary" type="button">Record payment</button>` : ''}</div></div>
<div class="detail-grid">
<section class="card bill-summary"><h2 class="card-title">Summary</h2><dl class="fact-list">
<div class="fact"><dt>Vendor</dt><dd class="fact-vendor">${vendorLink(b.vendorId, b.vendorName)}</dd></div>
<div class="fact"><dt>Ref #</dt><dd class="fact-ref">${b.billNumber}</dd></div>
<div class="fact"><dt>Bill date</dt><dd class="fact-bill-date">${usDate(b.billDate)}</dd></div>
<div class="fact"><dt>Due date</dt><dd class="fact-due-date">${usDate(b.dueDate)}</dd></div>
<div class="fact"><dt>Media order</dt><dd class="fact-order">${b.orderNumber}</dd></div>
<div class="fact"><dt>Reconciled amount</dt><dd class="fact-amount">${formatMoney(b.amount)}</dd></div>
<div class="fact"><dt>Balance</dt><dd class="fact-balance">${formatMoney(b.balance)}</dd></div>
${b.memo ? html`<div class="fact"><dt>Memo</dt><dd class="fact-memo">${b.memo}</dd></div>` : ''}
</dl></section>
<section class="card bill-payments"><h2 class="card-title">Payments</h2>${
        paidBy.length
          ? html`<ul class="plain-list">${paidBy.map((p) => html`<li>${p.paymentNumber} · ${p.method} ${p.refNumber} · ${usDate(p.paymentDate)} · <strong>${formatMoney(p.amount)}</strong></li>`)}</ul>`
          : html`<p class="muted">No payments recorded yet.</p>`
      }</section>
</div>
<h2 class="section-title">Lines</h2>
<div class="card grid-card"><table class="data-grid bill-lines"><thead><tr><th>#</th><th>Description</th><th>Media order</th><th>Service period</th><th>Media type</th><th class="num">Amount</th></tr></thead><tbody>
${b.lines.map((l) => html`<tr class="bill-line"><td class="line-number">${l.lineNumber}</td><td class="line-description">${l.description}</td><td class="line-order">${l.orderNumber}</td><td class="line-period">${usDate(l.servicePeriodStart)} – ${usDate(l.servicePeriodEnd)}</td><td class="line-media-type">${l.mediaType}</td><td class="line-amount num">${formatMoney(l.amount)}</td></tr>`)}
</tbody><tfoot><tr><td colspan="5" class="num">Total</td><td class="num bill-total">${formatMoney(b.amount)}</td></tr></tfoot></table></div>`);
    })
    .get('/payments', (req) => {
      const q = filterParam(req.query, 'q');
      const payments = paymentList(req).filter((p) => matchesText(q, p.paymentNumber, p.vendorName, p.refNumber, ...p.billNumbers));
      return show(req, 'Payments', html`${pageHead('Payments', 'Payments made to vendors against their bills.')}
${filterBar('/payments', req, 'Search by payment #, vendor, ref # or bill', [])}
${grid('payment-grid', html`<th>Payment #</th><th>Vendor</th><th>Payment date</th><th>Method</th><th>Ref #</th><th>Bills</th><th class="num">Payment amount</th>`, paymentRows(payments), payments.length, 'payments')}`);
    })
    .get('/assets/app.css', () => reply.css(MEDIA_CSS))
    .get('/api/vendors', (req) => listJson(req, filtered(req, vendorList(req), (v) => [v.name, v.code, v.email])))
    .get('/api/vendors/:id', (_req, { id }) => found(vendorById(id)))
    .get('/api/orders', (req) => listJson(req, filtered(req, orderList(req), (o) => [o.orderNumber, o.vendorName, o.client, o.campaign])))
    .get('/api/orders/:id', (_req, { id }) => found(orderById(id)))
    .get('/api/bills', (req) => listJson(req, filtered(req, billList(req), (b) => [b.billNumber, b.vendorName, b.orderNumber, b.memo])))
    .post('/api/bills', (req) => saveBill(undefined, req.body))
    .get('/api/bills/:id', (_req, { id }) => found(billById(id)))
    .patch('/api/bills/:id', (req, { id }) => {
      const bill = store.bills.find((b) => b.id === idParam(id));
      return bill ? saveBill(bill, req.body) : null;
    })
    .get('/api/payments', (req) => listJson(req, filtered(req, paymentList(req), (p) => [p.paymentNumber, p.vendorName, p.refNumber, ...p.billNumbers])))
    .post('/api/payments', (req) => savePayment(undefined, req.body))
    .get('/api/payments/:id', (_req, { id }) => found(paymentById(id)))
    .patch('/api/payments/:id', (req, { id }) => {
      const payment = store.payments.find((p) => p.id === idParam(id));
      return payment ? savePayment(payment, req.body) : null;
    });

  return {
    name: 'Spotlight (media buying)',
    frame: FRAME,
    security: MEDIA_SECURITY,
    store: () => store,
    reset: () => {
      store = seedMedia();
    },
    handle: (req) => router.handle(req),
    knows: (req) => router.knows(req),
    notFound,
    errorPage,
  };
}

// Spotlight's API wraps a record as { data } and takes one as { bill: {...} } or { payment: {...} },
// Rails-style; a write it refuses is a 422 whose `errors` name each field.
const found = (record: unknown) => (record ? reply.json({ data: record }) : null);
const created = (location: string, record: unknown): HostReply => ({ ...reply.json({ data: record }, 201), headers: { Location: location } });
function invalid(problems: Problem[]): HostReply {
  const errors: Record<string, string[]> = Object.create(null); // a field may be named "__proto__"
  for (const p of problems) (errors[p.field] ??= []).push(p.message);
  return reply.json({ error: `Validation failed: ${problemText(problems)}`, errors }, 422);
}

const BILL_LINE_SHAPE: Shape = {
  description: rule.text(500),
  amount: rule.money(),
  orderNumber: rule.optionalText(20),
  servicePeriodStart: rule.day,
  servicePeriodEnd: rule.day,
  mediaType: rule.oneOf(MEDIA_TYPES),
};
const BILL_SHAPE: Shape = {
  billNumber: rule.text(40),
  vendorId: rule.id,
  orderNumber: rule.optionalText(20),
  billDate: rule.day,
  dueDate: rule.day,
  amount: rule.money(),
  balance: rule.money({ min: 0 }),
  memo: rule.optionalText(4000),
  quickbooksId: rule.optionalText(40),
  lines: rule.list(rule.object(BILL_LINE_SHAPE, { required: ['description', 'amount'], readOnly: ['lineNumber'] }), { min: 1, max: 200 }),
};
const BILL_REQUIRED = ['billNumber', 'vendorId', 'billDate', 'dueDate', 'lines'];
const BILL_READ_ONLY = ['id', 'vendorName', 'status', 'updatedAt'];

const PAYMENT_SHAPE: Shape = {
  vendorId: rule.id,
  paymentDate: rule.day,
  method: rule.oneOf(['Check', 'ACH', 'Wire']),
  refNumber: rule.optionalText(40),
  amount: rule.money({ above: 0 }),
  quickbooksId: rule.optionalText(40),
  appliedTo: rule.list(rule.object({ billId: rule.id, amount: rule.money({ above: 0 }) }, { required: ['billId', 'amount'], readOnly: ['billNumber'] }), { max: 100 }),
};
const PAYMENT_REQUIRED = ['vendorId', 'paymentDate', 'method', 'amount'];
const PAYMENT_READ_ONLY = ['id', 'paymentNumber', 'vendorName', 'billNumbers', 'updatedAt'];

const MEDIA_CSS = `
:root { --navy:#14213d; --navy-2:#1d2d50; --coral:#f26b5b; --ink:#1b2430; --muted:#6b7688; --line:#e6e9ef; --bg:#f5f6fa; }
* { box-sizing:border-box; }
body.spotlight { margin:0; font:14px/1.5 "Inter", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
.bill-form { max-width:560px; padding:18px 20px; display:grid; gap:12px; }
.form-field { display:grid; gap:4px; font-weight:600; font-size:13px; } .form-field input, .form-field select { font:inherit; font-weight:400; padding:7px 9px; border:1px solid var(--line); border-radius:6px; }
.form-actions { display:flex; gap:8px; margin-top:4px; } .form-problem { color:#b42318; background:#fef3f2; border:1px solid #fecdca; padding:8px 12px; border-radius:6px; max-width:560px; }
a { color:#2455c3; text-decoration:none; } a:hover { text-decoration:underline; }
.app-shell { display:grid; grid-template-columns:220px 1fr; min-height:100vh; }
.app-header { background:var(--navy); color:#cfd6e6; display:flex; flex-direction:column; padding:18px 12px; gap:18px; position:sticky; top:0; height:100vh; }
.app-brand { display:flex; align-items:center; gap:10px; color:#fff; font-weight:700; font-size:18px; padding:0 8px; }
.app-brand:hover { text-decoration:none; }
.app-logo { color:var(--coral); font-size:22px; }
.app-nav { display:flex; flex-direction:column; gap:2px; }
.app-nav-link { color:#cfd6e6; padding:8px 12px; border-radius:8px; }
.app-nav-link:hover { background:var(--navy-2); text-decoration:none; }
.app-nav-link.is-active { background:var(--coral); color:#fff; font-weight:600; }
.app-account { margin-top:auto; display:flex; align-items:center; gap:8px; font-size:12px; padding:0 8px; }
.app-avatar { margin-left:auto; width:30px; height:30px; border-radius:50%; background:#33446e; color:#fff; display:grid; place-items:center; font-weight:600; }
.app-main { padding:24px 32px; min-width:0; }
.page-head, .record-head { display:flex; align-items:flex-end; justify-content:space-between; gap:16px; margin-bottom:16px; }
.page-title, .record-title { margin:0; font-size:24px; }
.page-sub { margin:2px 0 0; color:var(--muted); }
.record-title-row { display:flex; align-items:center; gap:12px; }
.page-actions, .record-actions { display:flex; gap:8px; }
.btn { font:inherit; border:1px solid var(--line); background:#fff; border-radius:8px; padding:7px 14px; cursor:pointer; color:var(--ink); }
.btn-primary { background:var(--coral); border-color:var(--coral); color:#fff; font-weight:600; }
.breadcrumbs { color:var(--muted); margin-bottom:8px; font-size:13px; }
.filter-bar { display:flex; gap:8px; margin-bottom:12px; }
.filter-bar input[type=search] { flex:0 1 360px; }
.filter-bar input, .filter-bar select { font:inherit; border:1px solid var(--line); border-radius:8px; padding:7px 10px; background:#fff; }
.card { background:#fff; border:1px solid var(--line); border-radius:12px; box-shadow:0 1px 2px rgba(20,33,61,.04); }
.grid-card { overflow:auto; margin-bottom:20px; }
.data-grid { width:100%; border-collapse:collapse; }
.data-grid th { text-align:left; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); background:#fafbfd; padding:10px 12px; border-bottom:1px solid var(--line); white-space:nowrap; }
.data-grid td { padding:10px 12px; border-bottom:1px solid var(--line); vertical-align:middle; max-width:420px; overflow-wrap:break-word; }
.data-grid tbody tr:hover { background:#f8f9fe; }
.data-grid tfoot td { font-weight:600; }
.num { text-align:right !important; font-variant-numeric:tabular-nums; white-space:nowrap; }
.col-select { width:36px; } .col-actions { width:80px; text-align:right; }
.row-actions { display:flex; gap:8px; justify-content:flex-end; align-items:center; }
.status-pill { display:inline-block; padding:2px 10px; border-radius:999px; font-size:12px; font-weight:600; white-space:nowrap; }
.status-active, .status-paid, .status-completed { background:#e3f6ec; color:#137a44; }
.status-inactive { background:#eef0f4; color:#5b6678; }
.status-on-hold, .status-open { background:#fff3dc; color:#9a5b00; }
.status-live { background:#e6efff; color:#2455c3; } .status-booked { background:#f1e8ff; color:#6b3fb8; }
.grid-footer { padding:10px 12px; color:var(--muted); font-size:13px; }
.grid-empty { padding:16px 12px; color:var(--muted); margin:0; }
.muted { color:var(--muted); }
.section-title { font-size:16px; margin:24px 0 10px; }
.stat-grid { display:grid; grid-template-columns:repeat(4, 1fr); gap:14px; }
.stat-card { background:#fff; border:1px solid var(--line); border-radius:12px; padding:16px; display:flex; flex-direction:column; color:var(--ink); }
.stat-card:hover { text-decoration:none; border-color:var(--coral); }
.stat-label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.stat-value { font-size:28px; font-weight:700; }
.stat-note { color:var(--muted); font-size:13px; }
.detail-grid { display:grid; grid-template-columns:2fr 1fr; gap:16px; }
.detail-grid .card { padding:16px 20px; }
.card-title { font-size:14px; margin:0 0 10px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.fact-list { margin:0; display:grid; grid-template-columns:1fr 1fr; gap:10px 24px; }
.vendor-summary .fact-list, .bill-payments .fact-list { grid-template-columns:1fr; }
.fact dt { color:var(--muted); font-size:12px; } .fact dd { margin:0; overflow-wrap:anywhere; }
.plain-list { margin:0; padding-left:18px; }
.empty-state { background:#fff; border:1px solid var(--line); border-radius:12px; padding:32px; max-width:560px; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
`;
