// "Ledgerly", the demo accounting portal (modelled on Books360): an integrations page with
// Customers / Vendors / Invoices tabs, each a filterable table with an Actions column where a
// "Sync with QB" button belongs, and invoice pages with their transactions and payments.
import { CUSTOMERS, MEDIA_VENDORS, SERVICE_VENDORS } from '../qbo/seed-data';
import { filterParam, idParam, matchesText, reply, Router, rowsParam, type HostApp, type HostReply, type HostRequest } from './app';
import { formatDate, formatMoney, frameReplies, html, type AppFrame, type SafeHtml } from './html';
import { changedSince, pageOf, sinceOf, type PageSize } from './paging';
import { copyNumber, dayFromToday, listWithRows, recordWithIdParam, roundCents, seededRandom, timeFromToday } from './seed';
import type { AppSecurity } from './session';
import { applyChanges, checkBody, createClock, problem, problemText, rule, type Problem, type Shape } from './write';

/** The portal's API speaks snake_case; its records are stored as the API returns them. */
export interface PortalClient {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  country: string;
  status: 'active' | 'suspended';
  created_at: string;
  updated_at: string;
  /** "QuickBooks CustomerID": the QuickBooks customer this client is synced with (written by the integration). */
  quickbooks_customer_id: string | null;
  synced_at: string | null;
}

export interface PortalVendor {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  status: 'active' | 'suspended';
  created_at: string;
  updated_at: string;
  quickbooks_vendor_id: string | null;
  synced_at: string | null;
}

export type PortalInvoiceStatus = 'paid' | 'not_paid' | 'overdue' | 'partially_paid';

export interface PortalInvoice {
  id: number;
  number: string;
  client: { id: number; name: string; email: string | null };
  created_at: string;
  updated_at: string;
  date_from: string;
  date_to: string;
  due_date: string;
  currency: string;
  amount: number;
  paid: number;
  due: number;
  status: PortalInvoiceStatus;
  transactions: { id: number; date: string; description: string; amount: number }[];
  payments: { id: number; date: string; amount: number; payment_system: 'stripe' | 'paypal' | 'bank_transfer' | 'check'; broker_id: string | null }[];
  custom_fields: Record<string, string>;
  quickbooks_invoice_id: string | null;
  synced_at: string | null;
  /** Deleted invoices are kept (Laravel's soft deletes): gone from pages and reads, still in a listing of changes. */
  deleted_at: string | null;
}

export interface PortalStore {
  clients: PortalClient[];
  vendors: PortalVendor[];
  invoices: PortalInvoice[];
}

const INVOICE_STATUS_LABEL: Readonly<Record<PortalInvoiceStatus, string>> = {
  paid: 'Paid',
  not_paid: 'Not paid',
  overdue: 'Overdue',
  partially_paid: 'Partially paid',
};

/** QBO customer name → the portal's client name, where it differs. */
export const PORTAL_CLIENT_NAME_CHANGES: Readonly<Record<string, string>> = {
  'Golden Gate Dental Partners': 'Golden Gate Dental Partners LLC',
  'Mission Street Bakery': 'Mission St. Bakery',
  'Alpine Ski Resorts Inc': 'Alpine Ski Resorts, Inc.',
  'Coastal Realty Group': 'coastal realty group',
  'Northstar Plumbing & Heating': 'Northstar Plumbing and Heating',
  "Valley Children's Museum": 'Valley Children’s Museum',
  'Lopez, Maria': 'Maria Lopez',
  'Chen, David': 'David Chen',
  'Patel, Anika': 'Anika Patel',
};

/** QBO customer name → the portal's email where it differs (null: none on file, so its invoices can't sync). */
export const PORTAL_CLIENT_EMAIL_CHANGES: Readonly<Record<string, string | null>> = {
  'Sierra Nevada Outfitters': null,
  'Desert Sun Solar': 'Billing@DesertSunSolar.com',
};

/** QBO vendor name → the portal's vendor name, where it differs. */
export const PORTAL_VENDOR_NAME_CHANGES: Readonly<Record<string, string>> = {
  'Smith, John': 'John Smith',
  'Kessler & Marsh CPAs': 'Kessler and Marsh CPAs',
  'Adobe Systems Inc': 'Adobe Inc.',
  'Amazon Web Services': 'Amazon Web Services (AWS)',
  'KABC-TV': 'KABC TV',
};

export const PORTAL_HOST_ONLY_CLIENTS: readonly { name: string; email: string | null }[] = [
  { name: 'Buyer1 Media Inc', email: 'buyer1@buyer1media.example' },
  { name: '🌮 Taqueria El Sol', email: 'hola@taqueriaelsol.example' },
  { name: `"Buyer's" Club & Co <b>bold</b>`, email: 'club@buyersclub.example' },
  { name: 'Northern California Consortium of Independent Pediatric Dental Practices and Orthodontic Specialists', email: 'billing@norcal-pediatric-dental-consortium.example' },
];

export const PORTAL_HOST_ONLY_VENDORS: readonly { name: string; email: string | null }[] = [
  { name: 'Figma, Inc.', email: 'billing@figma.example' },
  { name: `Zoë's "Quick" Print & Copy <Shop>`, email: 'zoe@quickprint.example' },
];

const CLIENT_BASE_ID = 1001;
const VENDOR_BASE_ID = 3001;
const INVOICE_BASE_ID = 5001;
const SPEND = ['Google Ads search', 'Meta ads', 'Streaming audio', 'Programmatic display', 'Radio flight', 'Billboard showing', 'Creative hours', 'Print production'];
const SYSTEMS = ['stripe', 'paypal', 'bank_transfer', 'check'] as const;

/** Builds the portal's records; the same every run (dates relative to today). */
export function seedPortal(): PortalStore {
  const rng = seededRandom(4104);
  const created = () => timeFromToday(-rng.int(60, 700), rng.int(480, 1080));
  const customers = CUSTOMERS.slice(0, 45);
  const clients: PortalClient[] = [
    ...customers.map((c) => ({
      name: PORTAL_CLIENT_NAME_CHANGES[c.name] ?? c.name,
      email: Object.prototype.hasOwnProperty.call(PORTAL_CLIENT_EMAIL_CHANGES, c.name) ? PORTAL_CLIENT_EMAIL_CHANGES[c.name] : (c.email ?? null),
      phone: c.phone ?? null,
    })),
    ...PORTAL_HOST_ONLY_CLIENTS.map((c) => ({ ...c, phone: null })),
  ].map((c, i) => {
    const at = created();
    return { id: CLIENT_BASE_ID + i, ...c, country: 'US', status: i === 7 ? 'suspended' : 'active', created_at: at, updated_at: at, quickbooks_customer_id: null, synced_at: null };
  });

  const vendors: PortalVendor[] = [
    ...[...SERVICE_VENDORS, ...MEDIA_VENDORS.slice(0, 6)].map((v) => ({ name: PORTAL_VENDOR_NAME_CHANGES[v.name] ?? v.name, email: v.email ?? null, phone: v.phone ?? null })),
    ...PORTAL_HOST_ONLY_VENDORS.map((v) => ({ ...v, phone: null })),
  ].map((v, i) => {
    const at = created();
    return { id: VENDOR_BASE_ID + i, ...v, status: 'active', created_at: at, updated_at: at, quickbooks_vendor_id: null, synced_at: null };
  });

  // The clients spelled differently from QBO, or missing there, get the first invoices.
  const featured = clients.filter((c, i) => i >= customers.length || c.name !== customers[i].name || c.email !== (customers[i].email ?? null));
  const invoices: PortalInvoice[] = [];
  const seq = new Map<number, number>();
  for (let i = 0; i < 48; i++) {
    const client = i < featured.length ? featured[i] : rng.pick(clients);
    const n = (seq.get(client.id) ?? 0) + 1;
    seq.set(client.id, n);
    // Some invoices span a month boundary, which "split invoice by month" has to cut in two.
    const days = rng.pick([6, 13, 29, 30, 44]);
    const fromOffset = -days - rng.int(2, 200);
    const dateFrom = dayFromToday(fromOffset);
    const dateTo = dayFromToday(fromOffset + days);
    const txCount = rng.int(2, 6);
    const transactions = Array.from({ length: txCount }, (_, t) => ({
      id: (INVOICE_BASE_ID + i) * 10 + t,
      date: dayFromToday(fromOffset + Math.round((days * t) / Math.max(1, txCount - 1))),
      description: rng.pick(SPEND),
      amount: rng.money(80, 4200),
    }));
    const amount = roundCents(transactions.reduce((s, t) => s + t.amount, 0));
    const dueOffset = fromOffset + days + 30;
    const roll = rng.next();
    const status: PortalInvoiceStatus = roll < 0.45 ? 'paid' : roll < 0.65 ? 'partially_paid' : dueOffset < 0 ? 'overdue' : 'not_paid';
    const paid = status === 'paid' ? amount : status === 'partially_paid' ? roundCents(amount * rng.int(20, 80) / 100) : 0;
    const payments = paid
      ? (status === 'paid' && rng.chance(0.3) ? [roundCents(paid / 2), roundCents(paid - roundCents(paid / 2))] : [paid]).map((a, p) => {
          const system = rng.pick(SYSTEMS);
          return { id: (INVOICE_BASE_ID + i) * 10 + p, date: dayFromToday(Math.min(-1, fromOffset + days + rng.int(2, 25))), amount: a, payment_system: system, broker_id: system === 'stripe' || system === 'paypal' ? `br_${rng.int(100, 999)}` : null };
        })
      : [];
    const code = `${['BIZ', 'MED', 'ADV', 'PRO'][client.id % 4]}${(client.id % 3) + 1}`;
    const createdAt = timeFromToday(Math.min(-1, fromOffset + days + 1), rng.int(480, 1080));
    invoices.push({
      id: INVOICE_BASE_ID + i,
      number: `${client.id % 100}-${code}-${n}`,
      client: { id: client.id, name: client.name, email: client.email },
      created_at: createdAt,
      updated_at: createdAt,
      date_from: dateFrom,
      date_to: dateTo,
      due_date: dayFromToday(dueOffset),
      currency: 'USD',
      amount,
      paid,
      due: roundCents(amount - paid),
      status,
      transactions,
      payments,
      custom_fields: { CampaignId: `CMP-${rng.int(1000, 9999)}`, ...(rng.chance(0.4) ? { PONumber: `PO-${rng.int(100, 999)}` } : {}) },
      quickbooks_invoice_id: null,
      synced_at: null,
      deleted_at: null,
    });
  }
  return { clients, vendors, invoices };
}

const syntheticClient = (s: PortalStore, i: number): PortalClient => {
  const base = s.clients[i % s.clients.length];
  const copy = copyNumber(i, s.clients.length);
  return { ...base, id: CLIENT_BASE_ID + i, name: `${base.name} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
};
const syntheticVendor = (s: PortalStore, i: number): PortalVendor => {
  const base = s.vendors[i % s.vendors.length];
  const copy = copyNumber(i, s.vendors.length);
  return { ...base, id: VENDOR_BASE_ID + i, name: `${base.name} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
};
const syntheticInvoice = (s: PortalStore, i: number): PortalInvoice => {
  const base = s.invoices[i % s.invoices.length];
  return { ...base, id: INVOICE_BASE_ID + i, number: `${base.number}-${copyNumber(i, s.invoices.length)}` };
};

/**
 * Ledgerly guards writes as a Laravel app with an Angular front end does: the token comes in a
 * script-readable XSRF-TOKEN cookie (set on every answer) and goes back in X-XSRF-TOKEN (pages
 * also carry it in <meta name="csrf-token">, taken in X-CSRF-TOKEN); a mismatch is a 419. Without
 * a session every request, the API's included, is sent to the sign-in page (302 to /login).
 */
export const PORTAL_SECURITY: AppSecurity = {
  cookie: 'ledgerly_session',
  apiSignedOut: 'redirect',
  csrf: { meta: 'csrf-token', header: 'X-XSRF-TOKEN', otherHeaders: ['X-CSRF-TOKEN'], cookie: 'XSRF-TOKEN', formField: '_token' },
  origin: 'any',
  refuse: {
    signedOut: () => reply.json({ message: 'Unauthenticated.', error: 'Unauthenticated.' }, 401),
    csrf: () => reply.json({ message: 'CSRF token mismatch.', error: 'CSRF token mismatch.' }, 419),
    origin: () => reply.json({ message: 'Origin not allowed.', error: 'Origin not allowed.' }, 403),
  },
};

/** Lists come a page at a time, as Laravel's paginator serves them: ?page= and ?per_page= (15 unless asked, at most 100). */
export const PORTAL_PAGE: PageSize = { sizeParam: 'per_page', defaultSize: 15, maxSize: 100 };

const FRAME: AppFrame = {
  bodyClass: 'ledgerly',
  product: 'Ledgerly',
  logo: 'L',
  brandColor: '#5b3fd6',
  nav: [
    { href: '/', label: 'Dashboard' },
    { href: '/quickbooks', label: 'QuickBooks' },
  ],
  workspace: 'Larkspur Media & Supply',
  user: 'Hannah Becker',
};

const TABS = [
  { href: '/quickbooks/customers', label: 'Customers' },
  { href: '/quickbooks/vendors', label: 'Vendors' },
  { href: '/quickbooks/invoices', label: 'Invoices' },
];

const medium = (d: string | null) => (d ? formatDate(d, 'medium') : '—');
const statusBadge = (s: PortalInvoiceStatus) => html`<span class="b360-badge b360-badge-${s.replace('_', '-')}">${INVOICE_STATUS_LABEL[s]}</span>`;

function integrationHead(req: HostRequest, extra?: SafeHtml) {
  return html`<div class="b360-head"><div><div class="b360-crumbs">CRM Integrations › QuickBooks</div><h1 class="b360-title">QuickBooks integration</h1></div>
<div class="b360-head-actions">${extra ?? ''}<button type="button" class="b360-btn b360-btn-outline">Bulk Change</button></div></div>
<nav class="b360-tabs" role="tablist">${TABS.map((t) =>
    t.href === req.path ? html`<a class="b360-tab active" role="tab" aria-selected="true" href="${t.href}">${t.label}</a>` : html`<a class="b360-tab" role="tab" aria-selected="false" href="${t.href}">${t.label}</a>`,
  )}</nav>`;
}

interface FilterField {
  name: string;
  label: string;
  type: 'text' | 'date' | 'select';
  options?: [string, string][];
}

function filters(req: HostRequest, fields: FilterField[]) {
  const rows = req.query.get('rows');
  return html`<form class="b360-filters" method="get" action="${req.path}">
${fields.map((f) => {
  const value = req.query.get(f.name) ?? '';
  return html`<label class="b360-filter"><span class="b360-filter-label">${f.label}</span>${
    f.type === 'select'
      ? html`<select name="${f.name}">${(f.options ?? []).map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`)}</select>`
      : html`<input type="${f.type}" name="${f.name}" value="${value}">`
  }</label>`;
})}
${rows !== null ? html`<input type="hidden" name="rows" value="${rows}">` : ''}
<div class="b360-filter-buttons"><button type="submit" class="b360-btn b360-btn-primary">Apply</button><a class="b360-btn b360-btn-link" href="${req.path}">Reset</a></div></form>`;
}

const SYNC_FILTER: FilterField = { name: 'status', label: 'Status', type: 'select', options: [['', 'All'], ['synced', 'Synced'], ['unsynced', 'Unsynced']] };

function syncMatches(wanted: string, syncedAt: string | null) {
  return !wanted || (wanted === 'synced' ? syncedAt !== null : syncedAt === null);
}

function tableCard(cls: string, head: SafeHtml, rows: SafeHtml[], count: number) {
  return html`<div class="b360-card"><div class="b360-table-wrap"><table class="b360-table ${cls}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>
${count ? '' : html`<p class="b360-empty">No records match the filters.</p>`}<div class="b360-table-footer">Showing ${count.toLocaleString('en-US')} records</div></div>`;
}

export function createPortalApp(): HostApp<PortalStore> {
  let store = seedPortal();
  const clientList = (req: HostRequest) => listWithRows(store.clients, rowsParam(req.query), (i) => syntheticClient(store, i));
  const vendorList = (req: HostRequest) => listWithRows(store.vendors, rowsParam(req.query), (i) => syntheticVendor(store, i));
  /** The invoices a page or a listing shows: deleted ones only in a listing of changes (?updated_since=), marked by deleted_at. */
  const invoiceList = (req: HostRequest, withDeleted = false) => listWithRows(store.invoices, rowsParam(req.query), (i) => syntheticInvoice(store, i)).filter((i) => withDeleted || !i.deleted_at);
  const invoiceById = (id: string) => {
    const i = recordWithIdParam(store.invoices, id, INVOICE_BASE_ID, (n) => syntheticInvoice(store, n));
    return i && !i.deleted_at ? i : undefined;
  };
  const deleteInvoice = (id: string) => {
    const i = store.invoices.find((x) => x.id === idParam(id) && !x.deleted_at);
    if (i) i.deleted_at = i.updated_at = stamp();
    return i;
  };
  const clientById = (id: string) => recordWithIdParam(store.clients, id, CLIENT_BASE_ID, (i) => syntheticClient(store, i));
  const vendorById = (id: string) => recordWithIdParam(store.vendors, id, VENDOR_BASE_ID, (i) => syntheticVendor(store, i));
  const { show, notFound, errorPage } = frameReplies(FRAME, PORTAL_SECURITY.csrf.meta);
  const stamp = createClock();

  /** A list answer as Laravel's paginator gives it: the records changed since ?updated_since=, one page, and where the next is. */
  const listJson = <T extends { updated_at: string }>(req: HostRequest, rows: T[]) => {
    const changed = changedSince(rows, sinceOf(req.query, 'updated_since'), (r) => r.updated_at);
    const { page, size, offset } = pageOf(req.query, 'page', PORTAL_PAGE);
    const data = changed.slice(offset, offset + size);
    const last = Math.max(1, Math.ceil(changed.length / size));
    const pageUrl = (n: number) => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(n));
      return `${req.path}?${q}`;
    };
    return reply.json({
      data,
      total: changed.length,
      current_page: page,
      per_page: size,
      last_page: last,
      from: data.length ? offset + 1 : null,
      to: data.length ? offset + data.length : null,
      next_page_url: page < last ? pageUrl(page + 1) : null,
      prev_page_url: page > 1 ? pageUrl(page - 1) : null,
    });
  };
  /** Exact lookups (?email=, ?quickbooks_customer_id=, ?number=…): the field a write put in finds the record again. */
  const exactly = <T extends object>(req: HostRequest, rows: T[], names: (keyof T & string)[]) =>
    rows.filter((r) =>
      names.every((name) => {
        const wanted = req.query.get(name);
        return wanted === null || String(r[name] ?? '').toLowerCase() === wanted.trim().toLowerCase();
      }),
    );

  const saveParty = <T extends PortalClient | PortalVendor>(kind: 'client' | 'vendor', existing: T | undefined, body: unknown): HostReply => {
    const isClient = kind === 'client';
    const shape = isClient ? CLIENT_SHAPE : VENDOR_SHAPE;
    const checked = checkBody(body, shape, { required: existing ? [] : ['name'], readOnly: PARTY_READ_ONLY, partial: !!existing });
    if (!checked.ok) return invalid(checked.problems);
    // Each QuickBooks record is the counterpart of one client (or vendor) at most, as a unique index keeps it.
    const qbField = isClient ? 'quickbooks_customer_id' : 'quickbooks_vendor_id';
    const qbId = (checked.value as Record<string, unknown>)[qbField];
    const list = (isClient ? store.clients : store.vendors) as T[];
    if (qbId != null && list.some((r) => r !== existing && (r as unknown as Record<string, unknown>)[qbField] === qbId))
      return invalid([{ field: qbField, message: 'has already been taken' }]);
    if (existing) {
      applyChanges(existing, checked.value as Partial<T>, 'updated_at', stamp);
      // An invoice shows its client's name and email as they are now.
      if (isClient)
        for (const inv of store.invoices)
          if (inv.client.id === existing.id) inv.client = { id: existing.id, name: existing.name, email: (existing as PortalClient).email };
      return reply.json({ data: existing });
    }
    const base = isClient
      ? { email: null, phone: null, country: 'US', status: 'active', quickbooks_customer_id: null, synced_at: null }
      : { email: null, phone: null, status: 'active', quickbooks_vendor_id: null, synced_at: null };
    const now = stamp();
    const record = { id: (isClient ? CLIENT_BASE_ID : VENDOR_BASE_ID) + list.length, ...base, ...checked.value, created_at: now, updated_at: now } as T;
    list.push(record);
    return created(`/api/${isClient ? 'customers' : 'vendors'}/${record.id}`, record);
  };

  let lastTransactionId = 0;
  const nextTransactionId = () => {
    lastTransactionId = Math.max(lastTransactionId, ...store.invoices.flatMap((i) => i.transactions.map((t) => t.id))) + 1;
    return lastTransactionId;
  };

  /** An invoice's transactions are its lines: its amount is their sum; what is paid and due follow from its payments. */
  const saveInvoice = (existing: PortalInvoice | undefined, body: unknown): HostReply => {
    const checked = checkBody(body, INVOICE_SHAPE, { required: existing ? [] : INVOICE_REQUIRED, readOnly: INVOICE_READ_ONLY, partial: !!existing });
    if (!checked.ok) return invalid(checked.problems);
    const f = checked.value as Partial<PortalInvoice> & { client_id?: number; client?: { id?: number }; transactions?: { date: string; description: string; amount: number }[] };
    const problems: Problem[] = [];
    const clientId = f.client_id ?? f.client?.id ?? existing?.client.id;
    const client = store.clients.find((c) => c.id === clientId);
    if (clientId === undefined) problems.push(problem('client_id', "can't be blank"));
    else if (!client) problems.push(problem(f.client_id !== undefined ? 'client_id' : 'client.id', `is not a client in Ledgerly (${clientId})`));
    const number = f.number ?? existing!.number;
    if (store.invoices.some((i) => i !== existing && i.number.toLowerCase() === number.toLowerCase())) problems.push(problem('number', `has already been taken (${number})`));
    const dateFrom = f.date_from ?? existing!.date_from;
    const dateTo = f.date_to ?? existing!.date_to;
    if (dateTo < dateFrom) problems.push(problem('date_to', `can't be before date_from (${dateFrom})`));
    const transactions = f.transactions ? f.transactions.map((t) => ({ id: nextTransactionId(), date: t.date, description: t.description, amount: t.amount })) : existing!.transactions;
    const amount = roundCents(transactions.reduce((sum, t) => sum + t.amount, 0));
    if (f.amount !== undefined && f.amount !== amount) problems.push(problem('amount', `must equal the sum of the transactions (${amount})`));
    const paid = existing?.paid ?? 0;
    if (amount < paid) problems.push(problem('transactions', `total ${amount}, less than the ${paid} already paid`));
    if (problems.length) return invalid(problems);
    const dueDate = f.due_date ?? existing!.due_date;
    const due = roundCents(amount - paid);
    const invoice: PortalInvoice = existing ?? ({ id: INVOICE_BASE_ID + store.invoices.length, created_at: stamp(), payments: [], deleted_at: null } as unknown as PortalInvoice);
    applyChanges(invoice, {
      number,
      client: { id: client!.id, name: client!.name, email: client!.email },
      date_from: dateFrom,
      date_to: dateTo,
      due_date: dueDate,
      currency: f.currency ?? existing?.currency ?? 'USD',
      amount,
      paid,
      due,
      status: due <= 0 ? 'paid' : paid > 0 ? 'partially_paid' : dueDate < dayFromToday(0) ? 'overdue' : 'not_paid',
      transactions,
      custom_fields: f.custom_fields ?? existing?.custom_fields ?? {},
      quickbooks_invoice_id: f.quickbooks_invoice_id !== undefined ? f.quickbooks_invoice_id : (existing?.quickbooks_invoice_id ?? null),
      synced_at: f.synced_at !== undefined ? f.synced_at : (existing?.synced_at ?? null),
    } satisfies Partial<PortalInvoice>, 'updated_at', stamp);
    if (!existing) store.invoices.push(invoice);
    return existing ? reply.json({ data: invoice }) : created(`/api/invoices/${invoice.id}`, invoice);
  };
  /** The new invoice form: a client, its number and period, and up to three transactions. */
  const invoiceForm = (req: HostRequest, problem?: string) => {
    const f = (req.method === 'POST' ? req.body : {}) as Record<string, string>;
    const field = (label: string, name: string, type = 'text', required = true) =>
      html`<label class="b360-field"><span>${label}</span><input name="${name}" type="${type}" value="${f[name] ?? ''}"${required ? html` required` : ''}></label>`;
    return html`<div class="b360-head"><div><div class="b360-crumbs"><a href="/quickbooks/invoices">Invoices</a> › New</div><h1 class="b360-title">New invoice</h1></div></div>
${problem ? html`<p class="b360-problem" role="alert">${problem}</p>` : ''}
<form class="b360-card b360-form invoice-form" method="post" action="/invoices">
<input type="hidden" name="_token" value="${req.session?.csrfToken ?? ''}">
<label class="b360-field"><span>Client</span><select name="client_id" required>${store.clients.map((c) => html`<option value="${c.id}"${String(c.id) === f.client_id ? html` selected` : ''}>${c.name}</option>`)}</select></label>
${field('Number', 'number')}${field('Period from', 'date_from', 'date')}${field('Period to', 'date_to', 'date')}${field('Due date', 'due_date', 'date')}${field('CampaignId', 'campaign_id', 'text', false)}
<fieldset class="b360-lines"><legend>Transactions</legend>${[0, 1, 2].map((n) => html`<div class="b360-line">${field('Date', `tx${n}_date`, 'date', n === 0)}${field('Description', `tx${n}_description`, 'text', n === 0)}${field('Amount', `tx${n}_amount`, 'text', n === 0)}</div>`)}</fieldset>
<div class="b360-form-actions"><button class="b360-btn b360-btn-primary" type="submit">Create invoice</button> <a class="b360-btn b360-btn-link" href="/quickbooks/invoices">Cancel</a></div>
</form>`;
  };
  const invoiceFromForm = (body: unknown) => {
    const f = (body ?? {}) as Record<string, string>;
    const transactions = [0, 1, 2]
      .filter((n) => f[`tx${n}_date`] || f[`tx${n}_description`] || f[`tx${n}_amount`])
      .map((n) => ({ date: f[`tx${n}_date`], description: f[`tx${n}_description`], amount: Number(f[`tx${n}_amount`]) }));
    return {
      client_id: Number(f.client_id), number: f.number, date_from: f.date_from, date_to: f.date_to, due_date: f.due_date, transactions,
      custom_fields: f.campaign_id ? { CampaignId: f.campaign_id } : {},
    };
  };
  const partyCell = (cls: string, name: string, id: number, href?: string) =>
    html`<div class="${cls}">${href ? html`<a class="party-name" href="${href}">${name}</a>` : html`<span class="party-name">${name}</span>`}<span class="party-id">ID: ${id}</span></div>`;

  const router = new Router()
    .get('/', (req) => {
      const live = store.invoices.filter((i) => !i.deleted_at);
      const outstanding = live.reduce((s, i) => s + i.due, 0);
      const overdue = live.filter((i) => i.status === 'overdue');
      return show(req, 'Dashboard', html`<div class="b360-head"><div><div class="b360-crumbs">Account</div><h1 class="b360-title">Dashboard</h1></div></div>
<div class="b360-tiles">
<a class="b360-tile" href="/quickbooks/customers"><span class="b360-tile-label">Customers</span><span class="b360-tile-value">${store.clients.length}</span></a>
<a class="b360-tile" href="/quickbooks/vendors"><span class="b360-tile-label">Vendors</span><span class="b360-tile-value">${store.vendors.length}</span></a>
<a class="b360-tile" href="/quickbooks/invoices"><span class="b360-tile-label">Invoices</span><span class="b360-tile-value">${live.length}</span></a>
<a class="b360-tile" href="/quickbooks/invoices?invoice_status=overdue"><span class="b360-tile-label">Outstanding</span><span class="b360-tile-value">${formatMoney(outstanding)}</span><span class="b360-tile-note">${overdue.length} overdue</span></a>
</div>
<div class="b360-card b360-callout"><h2>QuickBooks integration</h2><p>Keep customers, vendors and invoices in step with QuickBooks Online.</p><a class="b360-btn b360-btn-primary" href="/quickbooks/customers">Open the integration</a></div>`);
    })
    .get('/quickbooks', () => reply.seeOther('/quickbooks/customers'))
    .get('/quickbooks/customers', (req) => {
      const client = filterParam(req.query, 'client');
      const email = filterParam(req.query, 'email');
      const sync = filterParam(req.query, 'status');
      const clients = clientList(req).filter((c) => matchesText(client, c.name, c.id) && matchesText(email, c.email) && syncMatches(sync, c.synced_at));
      return show(req, 'Customers · QuickBooks', html`${integrationHead(req)}
${filters(req, [{ name: 'client', label: 'Client', type: 'text' }, SYNC_FILTER, { name: 'email', label: 'Email', type: 'text' }])}
${tableCard('customers-table', html`<th class="col-check"><input type="checkbox" aria-label="Select all"></th><th>Client</th><th>Email</th><th>QuickBooks CustomerID</th><th>Synced At</th><th class="col-actions">Actions</th>`, clients.map((c) => html`<tr class="b360-row customer-row">
<td class="col-check"><input type="checkbox" name="ids[]" value="${c.id}" aria-label="Select ${c.name}"></td>
<td class="col-client">${partyCell('client-cell', c.name, c.id, `/quickbooks/invoices?client=${c.id}`)}${c.status === 'suspended' ? html` <span class="b360-badge b360-badge-muted">Suspended</span>` : ''}</td>
<td class="col-email">${c.email ? html`<span class="email">${c.email}</span>` : html`<span class="b360-missing">No email</span>`}</td>
<td class="col-qb-id">${c.quickbooks_customer_id ?? '—'}</td>
<td class="col-synced-at">${c.synced_at ? medium(c.synced_at) : '—'}</td>
<td class="col-actions"><div class="actions-cell"><a class="b360-btn b360-btn-sm b360-btn-outline" href="/quickbooks/invoices?client=${c.id}">Invoices</a></div></td>
</tr>`), clients.length)}`);
    })
    .get('/quickbooks/vendors', (req) => {
      const vendor = filterParam(req.query, 'vendor');
      const email = filterParam(req.query, 'email');
      const sync = filterParam(req.query, 'status');
      const vendors = vendorList(req).filter((v) => matchesText(vendor, v.name, v.id) && matchesText(email, v.email) && syncMatches(sync, v.synced_at));
      return show(req, 'Vendors · QuickBooks', html`${integrationHead(req)}
${filters(req, [{ name: 'vendor', label: 'Vendor', type: 'text' }, SYNC_FILTER, { name: 'email', label: 'Email', type: 'text' }])}
${tableCard('vendors-table', html`<th class="col-check"><input type="checkbox" aria-label="Select all"></th><th>Vendor</th><th>Email</th><th>QuickBooks VendorID</th><th>Synced At</th><th class="col-actions">Actions</th>`, vendors.map((v) => html`<tr class="b360-row vendor-row">
<td class="col-check"><input type="checkbox" name="ids[]" value="${v.id}" aria-label="Select ${v.name}"></td>
<td class="col-vendor">${partyCell('vendor-cell', v.name, v.id)}</td>
<td class="col-email">${v.email ? html`<span class="email">${v.email}</span>` : html`<span class="b360-missing">No email</span>`}</td>
<td class="col-qb-id">${v.quickbooks_vendor_id ?? '—'}</td>
<td class="col-synced-at">${v.synced_at ? medium(v.synced_at) : '—'}</td>
<td class="col-actions"><div class="actions-cell">${v.email ? html`<a class="b360-btn b360-btn-sm b360-btn-outline" href="mailto:${v.email}">Email</a>` : ''}</div></td>
</tr>`), vendors.length)}`);
    })
    .get('/quickbooks/invoices', (req) => {
      const client = filterParam(req.query, 'client');
      const from = req.query.get('from') ?? '';
      const to = req.query.get('to') ?? '';
      const sync = filterParam(req.query, 'status');
      const invoiceStatus = filterParam(req.query, 'invoice_status');
      const invoices = invoiceList(req).filter(
        (i) =>
          (matchesText(client, i.client.name) || (client !== '' && String(i.client.id) === client)) &&
          (!from || i.created_at.slice(0, 10) >= from) &&
          (!to || i.created_at.slice(0, 10) <= to) &&
          syncMatches(sync, i.synced_at) &&
          (!invoiceStatus || i.status === invoiceStatus),
      );
      return show(req, 'Invoices · QuickBooks', html`${integrationHead(req, html`<a class="b360-btn b360-btn-primary new-invoice" href="/invoices/new">New invoice</a>`)}
${filters(req, [
  { name: 'client', label: 'Client', type: 'text' },
  { name: 'from', label: 'Date from', type: 'date' },
  { name: 'to', label: 'Date to', type: 'date' },
  { name: 'invoice_status', label: 'Invoice status', type: 'select', options: [['', 'All'], ...Object.entries(INVOICE_STATUS_LABEL)] },
  { ...SYNC_FILTER, label: 'Sync Status' },
])}
${tableCard('invoices-table', html`<th class="col-check"><input type="checkbox" aria-label="Select all"></th><th>ID</th><th>Client</th><th>Number</th><th>Date</th><th>Period</th><th>Status</th><th class="num">Amount</th><th class="num">Paid/Due</th><th>QuickBooks InvoiceID</th><th>Synced At</th><th class="col-actions">Actions</th>`, invoices.map((i) => html`<tr class="b360-row invoice-row">
<td class="col-check"><input type="checkbox" name="ids[]" value="${i.id}" aria-label="Select invoice ${i.number}"></td>
<td class="col-id">${i.id}</td>
<td class="col-client">${partyCell('client-cell', i.client.name, i.client.id)}</td>
<td class="col-number"><a class="invoice-link" href="/invoices/${i.id}">${i.number}</a></td>
<td class="col-date">${medium(i.created_at)}</td>
<td class="col-period"><span class="date-from">${medium(i.date_from)}</span> – <span class="date-to">${medium(i.date_to)}</span></td>
<td class="col-status">${statusBadge(i.status)}</td>
<td class="col-amount num">${formatMoney(i.amount)}</td>
<td class="col-paid-due num"><span class="paid">${formatMoney(i.paid)}</span> / <span class="due">${formatMoney(i.due)}</span></td>
<td class="col-qb-id">${i.quickbooks_invoice_id ?? '—'}</td>
<td class="col-synced-at">${i.synced_at ? medium(i.synced_at) : '—'}</td>
<td class="col-actions"><div class="actions-cell"><a class="b360-btn b360-btn-sm b360-btn-outline" href="/invoices/${i.id}">View</a></div></td>
</tr>`), invoices.length)}`);
    })
    .get('/invoices/new', (req) => show(req, 'New invoice', invoiceForm(req)))
    .get('/invoices/:id', (req, { id }) => {
      const i = invoiceById(id);
      if (!i) return null;
      return show(req, `Invoice ${i.number}`, html`<div class="b360-head"><div><div class="b360-crumbs"><a href="/quickbooks/invoices">Invoices</a> › ${i.number}</div>
<h1 class="b360-title">Invoice <span class="invoice-number">${i.number}</span> ${statusBadge(i.status)}</h1></div>
<div class="b360-head-actions"><button type="button" class="b360-btn b360-btn-outline">Download PDF</button>
<form method="post" action="/invoices/${i.id}/delete" class="b360-inline-form"><input type="hidden" name="_token" value="${req.session?.csrfToken ?? ''}"><button type="submit" class="b360-btn b360-btn-danger invoice-delete">Delete</button></form></div></div>
<div class="b360-detail">
<div class="b360-card b360-panel invoice-summary"><h2>Summary</h2><dl class="b360-dl">
<dt>Client</dt><dd class="invoice-client">${partyCell('client-cell', i.client.name, i.client.id, `/quickbooks/invoices?client=${i.client.id}`)}</dd>
<dt>Client email</dt><dd class="invoice-client-email">${i.client.email ? html`<span class="email">${i.client.email}</span>` : html`<span class="b360-missing">No email</span>`}</dd>
<dt>Invoice date</dt><dd class="invoice-date">${medium(i.created_at)}</dd>
<dt>Period</dt><dd class="invoice-period">${medium(i.date_from)} – ${medium(i.date_to)}</dd>
<dt>Due date</dt><dd class="invoice-due-date">${medium(i.due_date)}</dd>
${Object.entries(i.custom_fields).map(([k, v]) => html`<dt>${k}</dt><dd class="invoice-custom-field">${v}</dd>`)}
</dl></div>
<div class="b360-card b360-panel invoice-totals"><h2>Totals</h2><dl class="b360-dl">
<dt>Amount</dt><dd class="invoice-amount">${formatMoney(i.amount)}</dd><dt>Paid</dt><dd class="invoice-paid">${formatMoney(i.paid)}</dd><dt>Due</dt><dd class="invoice-due"><strong>${formatMoney(i.due)}</strong></dd>
</dl></div></div>
<h2 class="b360-section">Transactions</h2>
${tableCard('transactions-table', html`<th>Date</th><th>Description</th><th class="num">Amount</th>`, i.transactions.map((t) => html`<tr class="b360-row transaction-row"><td class="col-date">${medium(t.date)}</td><td class="col-description">${t.description}</td><td class="col-amount num">${formatMoney(t.amount)}</td></tr>`), i.transactions.length)}
<h2 class="b360-section">Payments</h2>
${tableCard('payments-table', html`<th>Date</th><th>Payment system</th><th>Broker</th><th class="num">Amount</th>`, i.payments.map((p) => html`<tr class="b360-row payment-row"><td class="col-date">${medium(p.date)}</td><td class="col-system">${p.payment_system}</td><td class="col-broker">${p.broker_id ?? '—'}</td><td class="col-amount num">${formatMoney(p.amount)}</td></tr>`), i.payments.length)}`);
    })
    .get('/assets/app.css', () => reply.css(PORTAL_CSS))
    .get('/api/customers', (req) => listJson(req, exactly(req, clientList(req), ['email', 'quickbooks_customer_id', 'status'])))
    .post('/api/customers', (req) => saveParty('client', undefined, req.body))
    .get('/api/customers/:id', (_req, { id }) => found(clientById(id)))
    .put('/api/customers/:id', (req, { id }) => {
      const c = store.clients.find((x) => x.id === idParam(id));
      return c ? saveParty('client', c, req.body) : null;
    })
    .get('/api/vendors', (req) => listJson(req, exactly(req, vendorList(req), ['email', 'quickbooks_vendor_id', 'status'])))
    .post('/api/vendors', (req) => saveParty('vendor', undefined, req.body))
    .get('/api/vendors/:id', (_req, { id }) => found(vendorById(id)))
    .put('/api/vendors/:id', (req, { id }) => {
      const v = store.vendors.find((x) => x.id === idParam(id));
      return v ? saveParty('vendor', v, req.body) : null;
    })
    .get('/api/invoices', (req) => {
      const clientId = req.query.get('client_id');
      return listJson(req, exactly(req, invoiceList(req, req.query.has('updated_since')), ['number', 'quickbooks_invoice_id', 'status']).filter((i) => clientId === null || String(i.client.id) === clientId));
    })
    .post('/api/invoices', (req) => saveInvoice(undefined, req.body))
    .get('/api/invoices/:id', (_req, { id }) => found(invoiceById(id)))
    .put('/api/invoices/:id', (req, { id }) => {
      const i = store.invoices.find((x) => x.id === idParam(id) && !x.deleted_at);
      return i ? saveInvoice(i, req.body) : null;
    })
    .delete('/api/invoices/:id', (_req, { id }) => (deleteInvoice(id) ? { status: 204, contentType: 'text/plain; charset=utf-8', body: '' } : null))
    .post('/invoices', (req) => {
      const saved = saveInvoice(undefined, invoiceFromForm(req.body));
      if (saved.status < 300) return reply.seeOther(`/invoices/${(JSON.parse(saved.body) as { data: PortalInvoice }).data.id}`);
      const answer = JSON.parse(saved.body) as { message?: string };
      return { ...show(req, 'New invoice', invoiceForm(req, answer.message ?? 'The invoice could not be saved.')), status: saved.status };
    })
    .post('/invoices/:id/delete', (_req, { id }) => (deleteInvoice(id) ? reply.seeOther('/quickbooks/invoices') : null));

  return {
    name: 'Ledgerly (accounting portal)',
    frame: FRAME,
    security: PORTAL_SECURITY,
    store: () => store,
    reset: () => {
      store = seedPortal();
    },
    handle: (req) => router.handle(req),
    knows: (req) => router.knows(req),
    notFound,
    errorPage,
  };
}

// Ledgerly's API wraps a record as { data }; it takes plain JSON (PUT to update) and words a
// refused write as Laravel's validator does: 422 with each field's messages in `errors`.
const found = (record: unknown) => (record ? reply.json({ data: record }) : null);
const created = (location: string, record: unknown): HostReply => ({ ...reply.json({ data: record }, 201), headers: { Location: location } });
function invalid(problems: Problem[]): HostReply {
  const errors: Record<string, string[]> = Object.create(null); // a field may be named "__proto__"
  for (const p of problems) (errors[p.field] ??= []).push(`The ${p.field} field ${p.message}.`);
  const first = `The ${problems[0].field} field ${problems[0].message}.`;
  return reply.json({ message: problems.length > 1 ? `${first} (and ${problems.length - 1} more error${problems.length > 2 ? 's' : ''})` : first, errors, error: problemText(problems) }, 422);
}

/** QuickBooks ids are strings of digits. */
const QBO_ID = rule.nullable(rule.pattern(/^\d{1,20}$/, 'a QuickBooks id (digits, like "58")'));
const PARTY_READ_ONLY = ['id', 'created_at', 'updated_at'];
const CLIENT_SHAPE: Shape = {
  name: rule.text(191),
  email: rule.email,
  phone: rule.optionalText(40),
  country: rule.pattern(/^[A-Z]{2}$/, 'a two-letter country code, like "US"'),
  status: rule.oneOf(['active', 'suspended']),
  quickbooks_customer_id: QBO_ID,
  synced_at: rule.nullable(rule.time),
};
const VENDOR_SHAPE: Shape = {
  name: rule.text(191),
  email: rule.email,
  phone: rule.optionalText(40),
  status: rule.oneOf(['active', 'suspended']),
  quickbooks_vendor_id: QBO_ID,
  synced_at: rule.nullable(rule.time),
};
const INVOICE_SHAPE: Shape = {
  number: rule.text(40),
  client_id: rule.id,
  client: rule.object({ id: rule.id }, { required: ['id'], readOnly: ['name', 'email'] }),
  date_from: rule.day,
  date_to: rule.day,
  due_date: rule.day,
  currency: rule.pattern(/^[A-Z]{3}$/, 'a three-letter currency code, like "USD"'),
  amount: rule.money(),
  transactions: rule.list(rule.object({ date: rule.day, description: rule.text(255), amount: rule.money() }, { required: ['date', 'description', 'amount'], readOnly: ['id'] }), { min: 1, max: 500 }),
  custom_fields: rule.textsByName(20),
  quickbooks_invoice_id: QBO_ID,
  synced_at: rule.nullable(rule.time),
};
const INVOICE_REQUIRED = ['number', 'date_from', 'date_to', 'due_date', 'transactions'];
const INVOICE_READ_ONLY = ['id', 'created_at', 'updated_at', 'paid', 'due', 'status', 'payments'];

const PORTAL_CSS = `
:root { --violet:#5b3fd6; --violet-soft:#efebff; --ink:#262a3b; --muted:#7a7f95; --line:#e7e8f0; --bg:#f7f7fb; }
* { box-sizing:border-box; }
body.ledgerly { margin:0; font:14px/1.5 "Nunito Sans", "Segoe UI", system-ui, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--violet); text-decoration:none; } a:hover { text-decoration:underline; }
.app-shell { display:grid; grid-template-columns:230px 1fr; min-height:100vh; }
.app-header { background:#fff; border-right:1px solid var(--line); display:flex; flex-direction:column; gap:20px; padding:20px 14px; position:sticky; top:0; height:100vh; }
.app-brand { display:flex; align-items:center; gap:10px; font-weight:800; font-size:19px; color:var(--ink); }
.app-brand:hover { text-decoration:none; }
.app-logo { background:linear-gradient(135deg, #7b61ff, #5b3fd6); color:#fff; width:32px; height:32px; border-radius:10px; display:grid; place-items:center; }
.app-nav { display:flex; flex-direction:column; gap:2px; }
.app-nav-link { color:var(--ink); padding:9px 12px; border-radius:8px; font-weight:600; }
.app-nav-link:hover { background:var(--bg); text-decoration:none; }
.app-nav-link.is-active { background:var(--violet-soft); color:var(--violet); }
.app-account { margin-top:auto; display:flex; align-items:center; gap:8px; font-size:12px; color:var(--muted); }
.app-avatar { margin-left:auto; background:var(--violet-soft); color:var(--violet); width:32px; height:32px; border-radius:50%; display:grid; place-items:center; font-weight:700; }
.app-main { padding:26px 32px; min-width:0; }
.b360-head { display:flex; justify-content:space-between; align-items:flex-end; gap:16px; margin-bottom:16px; }
.b360-crumbs { color:var(--muted); font-size:13px; }
.b360-title { margin:2px 0 0; font-size:24px; font-weight:800; display:flex; align-items:center; gap:10px; }
.b360-head-actions { display:flex; gap:8px; }
.b360-btn { font:inherit; font-weight:600; border-radius:8px; padding:7px 14px; border:1px solid transparent; cursor:pointer; display:inline-block; }
.b360-btn:hover { text-decoration:none; }
.b360-btn-primary { background:var(--violet); color:#fff; }
.b360-btn-outline { background:#fff; border-color:#d5d2ef; color:var(--violet); }
.b360-btn-link { background:none; color:var(--muted); }
.b360-btn-sm { padding:3px 10px; font-size:12px; }
.b360-tabs { display:flex; gap:4px; border-bottom:2px solid var(--line); margin-bottom:16px; }
.b360-tab { padding:10px 18px; color:var(--muted); font-weight:700; border-bottom:2px solid transparent; margin-bottom:-2px; }
.b360-tab:hover { text-decoration:none; color:var(--ink); }
.b360-tab.active { color:var(--violet); border-bottom-color:var(--violet); }
.b360-filters { display:flex; flex-wrap:wrap; gap:12px; align-items:flex-end; background:#fff; border:1px solid var(--line); border-radius:12px; padding:14px 16px; margin-bottom:16px; }
.b360-filter { display:flex; flex-direction:column; gap:4px; }
.b360-filter-label { font-size:12px; color:var(--muted); font-weight:700; }
.b360-filter input, .b360-filter select { font:inherit; border:1px solid var(--line); border-radius:8px; padding:6px 10px; min-width:180px; background:#fff; }
.b360-filter-buttons { display:flex; gap:6px; }
.b360-card { background:#fff; border:1px solid var(--line); border-radius:12px; margin-bottom:18px; }
.b360-table-wrap { overflow:auto; }
.b360-table { width:100%; border-collapse:collapse; }
.b360-table th { text-align:left; font-size:12px; color:var(--muted); font-weight:700; padding:12px 14px; border-bottom:1px solid var(--line); white-space:nowrap; }
.b360-table td { padding:12px 14px; border-bottom:1px solid var(--line); vertical-align:middle; white-space:nowrap; }
.b360-table td.col-client, .b360-table td.col-vendor, .b360-table td.col-description { white-space:normal; min-width:220px; max-width:360px; overflow-wrap:break-word; }
.b360-table tbody tr:hover { background:#faf9ff; }
.b360-table-footer { padding:10px 14px; color:var(--muted); font-size:13px; }
.b360-empty { padding:16px; color:var(--muted); margin:0; }
.num { text-align:right !important; font-variant-numeric:tabular-nums; white-space:nowrap; }
.col-check { width:36px; } .col-actions { white-space:nowrap; }
.actions-cell { display:flex; gap:6px; align-items:center; }
.client-cell, .vendor-cell { display:flex; flex-direction:column; }
.party-name { font-weight:700; } .party-id { color:var(--muted); font-size:12px; }
.b360-missing { color:#c2410c; font-size:12px; font-weight:600; }
.b360-badge { display:inline-block; border-radius:6px; padding:2px 8px; font-size:12px; font-weight:700; white-space:nowrap; }
.b360-badge-paid { background:#e3f8ee; color:#13804b; } .b360-badge-not-paid { background:#f0f1f6; color:#4d5268; }
.b360-badge-overdue { background:#ffe8e6; color:#c0352b; } .b360-badge-partially-paid { background:#fff4db; color:#a16207; }
.b360-badge-muted { background:#f0f1f6; color:var(--muted); }
.b360-tiles { display:grid; grid-template-columns:repeat(4, 1fr); gap:14px; margin-bottom:18px; }
.b360-tile { background:#fff; border:1px solid var(--line); border-radius:12px; padding:16px; display:flex; flex-direction:column; color:var(--ink); }
.b360-tile:hover { text-decoration:none; border-color:var(--violet); }
.b360-tile-label { color:var(--muted); font-size:13px; font-weight:700; } .b360-tile-value { font-size:26px; font-weight:800; } .b360-tile-note { color:#c0352b; font-size:12px; }
.b360-callout { padding:20px; } .b360-callout h2 { margin:0 0 4px; font-size:18px; }
.b360-detail { display:grid; grid-template-columns:2fr 1fr; gap:16px; }
.b360-panel { padding:16px 20px; } .b360-panel h2 { margin:0 0 10px; font-size:15px; }
.b360-dl { display:grid; grid-template-columns:140px 1fr; gap:8px 12px; margin:0; } .b360-dl dt { color:var(--muted); } .b360-dl dd { margin:0; overflow-wrap:anywhere; }
.b360-section { font-size:16px; margin:20px 0 10px; }
.b360-inline-form { display:inline; margin:0; }
.b360-btn-danger { background:#fff; border-color:#f3c4bf; color:#c0352b; }
.b360-form { max-width:640px; padding:18px 20px; display:grid; gap:12px; }
.b360-field { display:grid; gap:4px; font-weight:700; font-size:13px; } .b360-field input, .b360-field select { font:inherit; font-weight:400; padding:7px 10px; border:1px solid var(--line); border-radius:8px; }
.b360-lines { border:1px solid var(--line); border-radius:8px; padding:10px 12px; display:grid; gap:8px; } .b360-line { display:grid; grid-template-columns:150px 1fr 110px; gap:8px; }
.b360-form-actions { display:flex; gap:8px; } .b360-problem { color:#b42318; background:#fef3f2; border:1px solid #fecdca; padding:8px 12px; border-radius:8px; max-width:640px; }
.empty-state { background:#fff; border:1px solid var(--line); border-radius:12px; padding:32px; max-width:560px; }
`;
