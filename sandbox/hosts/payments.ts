// "Paystream", the demo AP/AR payments app (modelled on Bill.com): bills to pay, invoices to
// collect, the payments made and received, and customer credit memos, with per-line accounts and
// classes. Its vendors and customers are the QBO demo company's, some spelled its own way.
import { CUSTOMERS, MEDIA_VENDORS, SERVICE_VENDORS, SERVICES, SUPPLIERS } from '../qbo/seed-data';
import { filterParam, matchesText, reply, Router, rowsParam, type HostApp, type HostReply, type HostRequest } from './app';
import { formatDate, formatMoney, frameReplies, html, type AppFrame, type SafeHtml } from './html';
import { changedSince, offsetOf, sinceOf, type PageSize } from './paging';
import { copyNumber, dayFromToday, listWithRows, recordWithRows, roundCents, seededRandom, timeFromToday } from './seed';
import type { AppSecurity } from './session';
import { applyChanges, checkBody, createClock, problem, problemText, rule, type Problem, type Shape } from './write';

export type PaymentStatus = 'Unpaid' | 'Partially paid' | 'Paid';

/** A vendor or customer as a bill, invoice or payment shows it. */
export interface PayParty {
  id: string;
  name: string;
  email: string | null;
}

/** A vendor or customer record of its own. */
export interface PayContact extends PayParty {
  phone: string | null;
  /** The record's id in another system: the integration writes the QuickBooks id here. */
  externalId: string | null;
  updatedTime: string;
}

export interface PayBill {
  id: string;
  vendor: PayParty;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  amount: number;
  amountDue: number;
  paymentStatus: PaymentStatus;
  approvalStatus: 'Approved' | 'Pending approval';
  description: string;
  lines: { id: string; description: string; account: string; class: string | null; amount: number }[];
  externalId: string | null;
  updatedTime: string;
}

export interface PayInvoice {
  id: string;
  customer: PayParty;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  poNumber: string | null;
  amount: number;
  amountDue: number;
  paymentStatus: PaymentStatus;
  lines: { id: string; item: string; description: string; quantity: number; price: number; amount: number; class: string | null }[];
  externalId: string | null;
  updatedTime: string;
}

export interface PayPayment {
  id: string;
  direction: 'Payable' | 'Receivable';
  party: PayParty;
  paymentDate: string;
  amount: number;
  method: 'ACH' | 'Check' | 'Virtual card' | 'Credit card' | 'ePayment';
  status: 'Scheduled' | 'Sent' | 'Cleared' | 'Received' | 'Deposited';
  reference: string;
  appliedTo: { type: 'bill' | 'invoice'; id: string; number: string; amount: number }[];
  externalId: string | null;
  updatedTime: string;
}

export interface PayCreditMemo {
  id: string;
  customer: PayParty;
  creditMemoNumber: string;
  creditDate: string;
  amount: number;
  appliedAmount: number;
  status: 'Open' | 'Partially applied' | 'Applied';
  description: string;
  externalId: string | null;
  updatedTime: string;
}

/** A vendor's credit (the payable side's credit memo): what the vendor owes back, applied to later bills. */
export interface PayVendorCredit {
  id: string;
  vendor: PayParty;
  creditNumber: string;
  creditDate: string;
  amount: number;
  appliedAmount: number;
  status: 'Open' | 'Partially applied' | 'Applied';
  description: string;
  externalId: string | null;
  updatedTime: string;
}

export interface PaymentsStore {
  vendors: PayContact[];
  customers: PayContact[];
  bills: PayBill[];
  invoices: PayInvoice[];
  payments: PayPayment[];
  creditMemos: PayCreditMemo[];
  vendorCredits: PayVendorCredit[];
}

/** QBO vendor name → how the payments app spells it, where it differs. */
export const PAYMENTS_VENDOR_NAME_CHANGES: Readonly<Record<string, string>> = {
  'Pacific Gas and Electric': 'PG&E (Pacific Gas & Electric)',
  'Comcast Business': 'COMCAST BUSINESS',
  'Amazon Web Services': 'Amazon Web Services, Inc.',
  'The Hartford Insurance': 'The Hartford',
  'UPS Supply Chain Solutions': 'UPS Supply Chain Solutions, Inc.',
  'Smith, John': 'John Smith',
  'Fastenal Company': 'Fastenal Co.',
};

/** QBO customer name → how the payments app spells it, where it differs. */
export const PAYMENTS_CUSTOMER_NAME_CHANGES: Readonly<Record<string, string>> = {
  'Hillside Veterinary Clinic': 'Hillside Vet Clinic',
  'Ironwood Fitness Clubs': 'Ironwood Fitness Clubs LLC',
  'Pinnacle Financial Advisors': 'Pinnacle Financial Advisors (Charlotte)',
  'Lopez, Maria': 'Maria Lopez',
};

export const PAYMENTS_HOST_ONLY_VENDORS: readonly { name: string; email: string | null }[] = [
  { name: 'Zoom Video Communications', email: 'billing@zoom.example' },
  { name: 'Uber for Business', email: 'business@uber.example' },
  { name: '<svg onload=alert(1)> Signs', email: 'ap@svgsigns.example' },
  { name: '☕ Blue Bottle Coffee (office)', email: 'wholesale@bluebottle.example' },
];

export const PAYMENTS_HOST_ONLY_CUSTOMERS: readonly { name: string; email: string | null }[] = [
  { name: 'Sunset Yoga Collective', email: 'priya@sunsetyoga.example' },
  { name: 'Marin County Fair & "Harvest" Festival', email: 'sponsors@marinfair.example' },
];

/** Which QBO expense account and class a vendor's bill lines use (names exactly as in QBO). */
function billCoding(vendorName: string): { account: string; class: string | null } {
  if (/Gas and Electric|Comcast|Verizon/.test(vendorName)) return { account: 'Utilities', class: 'Overhead' };
  if (/Brookfield|WeWork/.test(vendorName)) return { account: 'Rent & Lease', class: 'Overhead' };
  if (/Hartford/.test(vendorName)) return { account: 'Insurance', class: 'Overhead' };
  if (/CPAs|Legal/.test(vendorName)) return { account: 'Legal & Professional Fees', class: 'Overhead' };
  if (/FedEx|UPS|Couriers/.test(vendorName)) return { account: 'Freight & Shipping', class: null };
  if (/Photography|Smith|Design/.test(vendorName)) return { account: 'Subcontractors', class: 'Digital' };
  if (SUPPLIERS.some((s) => s.name === vendorName)) return { account: 'Job Supplies', class: 'Fabrication' };
  if (MEDIA_VENDORS.some((m) => m.name === vendorName)) return { account: 'Media Placement Costs', class: 'Broadcast' };
  return { account: 'Office Supplies & Software', class: null };
}

// Bill.com-style ids: a three-character kind prefix, "01", then a base-36 serial.
const idOf = (prefix: string, n: number) => `${prefix}01${n.toString(36).toUpperCase().padStart(8, '0')}`;
const serialOf = (prefix: string, id: string) => (id.startsWith(`${prefix}01`) && /^[0-9A-Z]{8}$/.test(id.slice(5)) ? parseInt(id.slice(5), 36) : NaN);
const P = { vendor: '009', customer: '0cu', bill: '00n', invoice: '00e', payment: 'stp', creditMemo: '0cm', vendorCredit: '0vc' } as const;
const SERIAL_BASE = 48_000;

/** Builds the payments app's records; the same every run (dates relative to today). */
export function seedPayments(): PaymentsStore {
  const rng = seededRandom(4105);
  const vendorSources = [...SERVICE_VENDORS, ...SUPPLIERS.slice(0, 8), ...MEDIA_VENDORS.slice(0, 4)];
  const vendors: PayContact[] = [
    ...vendorSources.map((v) => ({ name: PAYMENTS_VENDOR_NAME_CHANGES[v.name] ?? v.name, email: v.email ?? null, phone: v.phone ?? null })),
    ...PAYMENTS_HOST_ONLY_VENDORS.map((v) => ({ ...v, phone: null })),
  ].map((v, i) => ({ id: idOf(P.vendor, SERIAL_BASE + i), ...v, externalId: null, updatedTime: timeFromToday(-200 + i, 600) }));
  const customers: PayContact[] = [
    ...CUSTOMERS.slice(0, 32)
      .concat(CUSTOMERS.filter((c) => c.name === 'Lopez, Maria'))
      .map((c) => ({ name: PAYMENTS_CUSTOMER_NAME_CHANGES[c.name] ?? c.name, email: c.email ?? null, phone: c.phone ?? null })),
    ...PAYMENTS_HOST_ONLY_CUSTOMERS.map((c) => ({ ...c, phone: null })),
  ].map((c, i) => ({ id: idOf(P.customer, SERIAL_BASE + i), ...c, externalId: null, updatedTime: timeFromToday(-200 + i, 660) }));
  const qboVendorName = (i: number) => vendorSources[i]?.name ?? vendors[i].name;

  const statusFor = (amount: number, paid: number): PaymentStatus => (paid <= 0 ? 'Unpaid' : paid >= amount ? 'Paid' : 'Partially paid');
  const bills: PayBill[] = [];
  const payments: PayPayment[] = [];
  for (let i = 0; i < 42; i++) {
    const vi = i < vendors.length ? i : rng.int(0, vendors.length - 1);
    const vendor = partyOf(vendors[vi]);
    const coding = billCoding(qboVendorName(vi));
    const dateOffset = -rng.int(2, 120);
    const lines = Array.from({ length: rng.int(1, 3) }, (_, n) => ({
      id: `${idOf(P.bill, SERIAL_BASE + i)}-${n + 1}`,
      description: rng.pick(['Monthly service', 'Professional services', 'Materials', 'Usage charges', 'Retainer']),
      account: coding.account,
      class: n === 1 && coding.class ? 'Overhead' : coding.class,
      amount: rng.money(45, 4800),
    }));
    const amount = roundCents(lines.reduce((s, l) => s + l.amount, 0));
    const dueOffset = dateOffset + rng.pick([15, 30, 30, 45]);
    const roll = rng.next();
    const paid = dueOffset < 0 && roll < 0.55 ? amount : roll < 0.7 ? roundCents(amount * rng.int(25, 75) / 100) : 0;
    const bill: PayBill = {
      id: idOf(P.bill, SERIAL_BASE + i),
      vendor,
      invoiceNumber: rng.pick([`INV-${rng.int(10000, 99999)}`, `${rng.int(100000, 999999)}`, `${vendor.name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase() || 'BIL'}-${rng.int(1000, 9999)}`]),
      invoiceDate: dayFromToday(dateOffset),
      dueDate: dayFromToday(dueOffset),
      amount,
      amountDue: roundCents(amount - paid),
      paymentStatus: statusFor(amount, paid),
      approvalStatus: paid > 0 || rng.chance(0.7) ? 'Approved' : 'Pending approval',
      description: lines[0].description,
      lines,
      externalId: null,
      updatedTime: timeFromToday(Math.min(-1, dateOffset + 3), rng.int(480, 1080)),
    };
    bills.push(bill);
    if (paid > 0)
      payments.push({
        id: '',
        direction: 'Payable',
        party: vendor,
        paymentDate: dayFromToday(Math.min(-1, dueOffset - rng.int(0, 5))),
        amount: paid,
        method: rng.pick(['ACH', 'ACH', 'Check', 'Virtual card'] as const),
        status: rng.pick(['Sent', 'Cleared', 'Cleared'] as const),
        reference: `P${rng.int(10000000, 99999999)}`,
        appliedTo: [{ type: 'bill', id: bill.id, number: bill.invoiceNumber, amount: paid }],
        externalId: null,
        updatedTime: '',
      });
  }

  const invoices: PayInvoice[] = [];
  for (let i = 0; i < 40; i++) {
    const customer = partyOf(i < customers.length ? customers[i] : rng.pick(customers));
    const dateOffset = -rng.int(2, 150);
    const lines = Array.from({ length: rng.int(1, 3) }, (_, n) => {
      const svc = rng.pick(SERVICES);
      const quantity = svc.price === 1 ? rng.int(500, 20000) : rng.int(1, 30);
      return { id: `${idOf(P.invoice, SERIAL_BASE + i)}-${n + 1}`, item: svc.name, description: svc.description, quantity, price: svc.price, amount: roundCents(quantity * svc.price), class: rng.pick(['Broadcast', 'Digital', 'Print', 'Out of Home', null]) };
    });
    const amount = roundCents(lines.reduce((s, l) => s + l.amount, 0));
    const dueOffset = dateOffset + 30;
    const roll = rng.next();
    const paid = dueOffset < 0 && roll < 0.5 ? amount : roll < 0.68 ? roundCents(amount * rng.int(20, 80) / 100) : 0;
    const invoice: PayInvoice = {
      id: idOf(P.invoice, SERIAL_BASE + i),
      customer,
      invoiceNumber: `INV-${2040 + i}`,
      invoiceDate: dayFromToday(dateOffset),
      dueDate: dayFromToday(dueOffset),
      poNumber: rng.chance(0.3) ? `PO-${rng.int(1000, 9999)}` : null,
      amount,
      amountDue: roundCents(amount - paid),
      paymentStatus: statusFor(amount, paid),
      lines,
      externalId: null,
      updatedTime: timeFromToday(Math.min(-1, dateOffset + 2), rng.int(480, 1080)),
    };
    invoices.push(invoice);
    if (paid > 0)
      payments.push({
        id: '',
        direction: 'Receivable',
        party: customer,
        paymentDate: dayFromToday(Math.min(-1, dateOffset + rng.int(5, 40))),
        amount: paid,
        method: rng.pick(['ACH', 'ePayment', 'Credit card', 'Check'] as const),
        status: rng.pick(['Received', 'Deposited', 'Deposited'] as const),
        reference: `R${rng.int(10000000, 99999999)}`,
        appliedTo: [{ type: 'invoice', id: invoice.id, number: invoice.invoiceNumber, amount: paid }],
        externalId: null,
        updatedTime: '',
      });
  }
  payments.sort((a, b) => b.paymentDate.localeCompare(a.paymentDate));
  payments.forEach((p, i) => {
    p.id = idOf(P.payment, SERIAL_BASE + i);
    p.updatedTime = `${p.paymentDate}T17:00:00Z`;
  });

  const creditMemos: PayCreditMemo[] = Array.from({ length: 14 }, (_, i) => {
    const amount = rng.money(100, 2500);
    const roll = rng.next();
    const applied = roll < 0.4 ? 0 : roll < 0.7 ? roundCents(amount * rng.int(20, 80) / 100) : amount;
    return {
      id: idOf(P.creditMemo, SERIAL_BASE + i),
      customer: partyOf(rng.pick(customers)),
      creditMemoNumber: `CM-${1001 + i}`,
      creditDate: dayFromToday(-rng.int(3, 160)),
      amount,
      appliedAmount: applied,
      status: applied <= 0 ? 'Open' : applied >= amount ? 'Applied' : 'Partially applied',
      description: rng.pick(['Make-good for under-delivered spots', 'Billing correction', 'Cancelled insertion', 'Volume discount']),
      externalId: null,
      updatedTime: '',
    };
  });
  for (const c of creditMemos) c.updatedTime = `${c.creditDate}T17:00:00Z`;
  const vendorCredits: PayVendorCredit[] = Array.from({ length: 6 }, (_, i) => {
    const amount = rng.money(50, 900);
    const applied = i % 3 === 2 ? amount : 0;
    const creditDate = dayFromToday(-rng.int(3, 90));
    return {
      id: idOf(P.vendorCredit, SERIAL_BASE + i),
      vendor: partyOf(rng.pick(vendors)),
      creditNumber: `VC-${301 + i}`,
      creditDate,
      amount,
      appliedAmount: applied,
      status: applied >= amount ? 'Applied' : 'Open',
      description: rng.pick(['Overbilled last month', 'Returned equipment', 'Service outage credit']),
      externalId: null,
      updatedTime: `${creditDate}T17:00:00Z`,
    };
  });
  return { vendors, customers, bills, invoices, payments, creditMemos, vendorCredits };
}

const synthetic = {
  bill: (s: PaymentsStore, i: number): PayBill => {
    const base = s.bills[i % s.bills.length];
    return { ...base, id: idOf(P.bill, SERIAL_BASE + i), invoiceNumber: `${base.invoiceNumber}-${copyNumber(i, s.bills.length)}` };
  },
  invoice: (s: PaymentsStore, i: number): PayInvoice => {
    const base = s.invoices[i % s.invoices.length];
    return { ...base, id: idOf(P.invoice, SERIAL_BASE + i), invoiceNumber: `INV-${2040 + i}` };
  },
  payment: (s: PaymentsStore, i: number): PayPayment => ({ ...s.payments[i % s.payments.length], id: idOf(P.payment, SERIAL_BASE + i) }),
  vendorCredit: (s: PaymentsStore, i: number): PayVendorCredit => ({ ...s.vendorCredits[i % s.vendorCredits.length], id: idOf(P.vendorCredit, SERIAL_BASE + i), creditNumber: `VC-${301 + i}` }),
  creditMemo: (s: PaymentsStore, i: number): PayCreditMemo => ({ ...s.creditMemos[i % s.creditMemos.length], id: idOf(P.creditMemo, SERIAL_BASE + i), creditMemoNumber: `CM-${1001 + i}` }),
  vendor: (s: PaymentsStore, i: number): PayContact => {
    const base = s.vendors[i % s.vendors.length];
    const copy = copyNumber(i, s.vendors.length);
    return { ...base, id: idOf(P.vendor, SERIAL_BASE + i), name: `${base.name} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
  },
  customer: (s: PaymentsStore, i: number): PayContact => {
    const base = s.customers[i % s.customers.length];
    const copy = copyNumber(i, s.customers.length);
    return { ...base, id: idOf(P.customer, SERIAL_BASE + i), name: `${base.name} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
  },
};

/** How a bill, invoice or payment shows its vendor or customer. */
const partyOf = (c: PayParty): PayParty => ({ id: c.id, name: c.name, email: c.email });

/**
 * Paystream takes writes from anywhere that carries its session and its request token (from
 * <meta name="ps-request-token">, sent back in X-PS-Request-Token), as an API used by
 * integrations does: no Origin check.
 */
export const PAYMENTS_SECURITY: AppSecurity = {
  cookie: 'ps_session',
  apiSignedOut: 'json',
  csrf: { meta: 'ps-request-token', header: 'X-PS-Request-Token', formField: 'requestToken' },
  origin: 'any',
  refuse: {
    signedOut: () => failure(401, 'BDC_1109', 'Session is invalid. Please log in.'),
    csrf: () => failure(403, 'BDC_1145', 'The request token is missing or stale: read it again from a Paystream page.'),
    origin: () => failure(403, 'BDC_1146', 'Origin not allowed.'),
  },
};

/** Lists come by offset, as Bill.com's List calls do: ?start=0,100,… and ?max= (100 unless asked, at most 999). No total. */
export const PAYMENTS_PAGE: PageSize = { sizeParam: 'max', defaultSize: 100, maxSize: 999 };

const FRAME: AppFrame = {
  bodyClass: 'paystream',
  product: 'Paystream',
  logo: '$',
  brandColor: '#0f766e',
  nav: [
    { href: '/', label: 'Home' },
    { href: '/bills', label: 'Payables' },
    { href: '/invoices', label: 'Receivables' },
    { href: '/payments', label: 'Payments' },
    { href: '/credit-memos', label: 'Credit Memos' },
  ],
  workspace: 'Larkspur Media & Supply',
  user: 'Jamal Carter',
};

const short = (d: string) => formatDate(d, 'short');
const statusTag = (s: string) => html`<span class="ps-status ps-status-${s.toLowerCase().replace(/\s+/g, '-')}">${s}</span>`;

function listHead(title: string, sub: string, action?: SafeHtml) {
  return html`<div class="ps-list-head"><div><h1 class="ps-h1">${title}</h1><p class="ps-sub">${sub}</p></div>${action ?? ''}</div>`;
}

function statusFilter(req: HostRequest, options: string[]) {
  const current = req.query.get('status') ?? '';
  const rows = req.query.get('rows');
  const link = (value: string, label: string) => {
    const params = new URLSearchParams();
    if (value) params.set('status', value);
    if (rows !== null) params.set('rows', rows);
    const href = `${req.path}${params.size ? `?${params}` : ''}`;
    return value === current ? html`<a class="ps-filter is-current" aria-current="true" href="${href}">${label}</a>` : html`<a class="ps-filter" href="${href}">${label}</a>`;
  };
  return html`<div class="ps-filterbar"><div class="ps-filters">${link('', 'All')}${options.map((o) => link(o, o))}</div>
<form class="ps-search" method="get" action="${req.path}"><input type="search" name="q" value="${req.query.get('q') ?? ''}" placeholder="Search" aria-label="Search">${current ? html`<input type="hidden" name="status" value="${current}">` : ''}${rows !== null ? html`<input type="hidden" name="rows" value="${rows}">` : ''}</form></div>`;
}

function listTable(cls: string, head: SafeHtml, rows: SafeHtml[], count: number, noun: string) {
  return html`<section class="ps-card"><table class="ps-table ${cls}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
${count ? '' : html`<div class="ps-empty">No ${noun} here.</div>`}<div class="ps-foot">${count.toLocaleString('en-US')} ${noun}</div></section>`;
}

export function createPaymentsApp(): HostApp<PaymentsStore> {
  let store = seedPayments();
  const list = <K extends 'bills' | 'invoices' | 'payments' | 'creditMemos' | 'vendorCredits' | 'vendors' | 'customers'>(key: K, make: (s: PaymentsStore, i: number) => PaymentsStore[K][number]) =>
    (req: HostRequest) => listWithRows(store[key] as PaymentsStore[K][number][], rowsParam(req.query), (i) => make(store, i));
  const billList = list('bills', synthetic.bill);
  const invoiceList = list('invoices', synthetic.invoice);
  const paymentList = list('payments', synthetic.payment);
  const creditMemoList = list('creditMemos', synthetic.creditMemo);
  const vendorCreditList = list('vendorCredits', synthetic.vendorCredit);
  const vendorList = list('vendors', synthetic.vendor);
  const customerList = list('customers', synthetic.customer);
  const byId = <T extends { id: string }>(prefix: string, seeded: T[], make: (s: PaymentsStore, i: number) => T, id: string): T | undefined =>
    recordWithRows(seeded, id, serialOf(prefix, id) - SERIAL_BASE, (i) => make(store, i));
  const { show, notFound, errorPage } = frameReplies(FRAME, PAYMENTS_SECURITY.csrf.meta);
  const statusOf = (req: HostRequest) => filterParam(req.query, 'status');
  const stamp = createClock();

  /** A list answer: the records changed since ?updatedSince=, from ?start=, in the envelope (no total: the list ends with a short page). */
  const listJson = <T extends { updatedTime: string; externalId: string | null }>(req: HostRequest, rows: T[]) => {
    const changed = changedSince(rows, sinceOf(req.query, 'updatedSince'), (r) => r.updatedTime);
    const externalId = req.query.get('externalId');
    const matching = externalId === null ? changed : changed.filter((r) => r.externalId === externalId);
    const { offset, size } = offsetOf(req.query, 'start', PAYMENTS_PAGE);
    return success(matching.slice(offset, offset + size));
  };
  const numbered = <T,>(req: HostRequest, rows: T[], numberOf: (r: T) => string) => {
    const wanted = req.query.get('number');
    return wanted === null ? rows : rows.filter((r) => numberOf(r).toLowerCase() === wanted.trim().toLowerCase());
  };
  const storeRecord = <T extends { id: string }>(rows: T[], id: string) => rows.find((r) => r.id === id);

  /** Writes wrap the record as {"obj": {...}}, as Bill.com's Create and Update calls do. */
  const checked = (body: unknown, shape: Shape, existing: unknown, required: string[], readOnly: string[]) =>
    checkBody(body, shape, { wrap: 'obj', required: existing ? [] : required, readOnly, partial: !!existing });

  /** The vendor or customer a write names, by {"vendor": {"id"}} or {"vendorId"}. */
  const partyFor = (list: PayContact[], f: Record<string, unknown>, key: 'vendor' | 'customer' | 'party', existing: PayParty | undefined, problems: Problem[]): PayParty | undefined => {
    const ref = f[key] as { id?: string } | undefined;
    const id = (f[`${key}Id`] as string | undefined) ?? ref?.id ?? existing?.id;
    if (id === undefined) {
      problems.push(problem(`${key}.id`, "can't be blank"));
      return undefined;
    }
    const found = list.find((c) => c.id === id);
    if (!found) problems.push(problem(f[`${key}Id`] !== undefined ? `${key}Id` : `${key}.id`, `is not a ${key === 'party' ? 'vendor or customer' : key} in Paystream (${id})`));
    return found && partyOf(found);
  };

  const saveContact = (kind: 'vendor' | 'customer', existing: PayContact | undefined, body: unknown): HostReply => {
    const c = checked(body, CONTACT_SHAPE, existing, ['name'], ['id', 'updatedTime']);
    if (!c.ok) return invalid(c.problems);
    const list = kind === 'vendor' ? store.vendors : store.customers;
    const record: PayContact = existing ?? { id: idOf(kind === 'vendor' ? P.vendor : P.customer, SERIAL_BASE + list.length), name: '', email: null, phone: null, externalId: null, updatedTime: '' };
    applyChanges(record, c.value as Partial<PayContact>, 'updatedTime', stamp);
    if (!existing) list.push(record);
    else {
      // Bills, invoices, payments and credit memos show the vendor or customer as it is now.
      const ref = partyOf(record);
      for (const b of store.bills) if (b.vendor.id === record.id) b.vendor = ref;
      for (const d of [...store.invoices, ...store.creditMemos]) if (d.customer.id === record.id) d.customer = ref;
      for (const pay of store.payments) if (pay.party.id === record.id) pay.party = ref;
    }
    return success(record, existing ? 200 : 201);
  };

  const saveBill = (existing: PayBill | undefined, body: unknown): HostReply => {
    const c = checked(body, BILL_SHAPE, existing, BILL_REQUIRED, BILL_READ_ONLY);
    if (!c.ok) return invalid(c.problems);
    const f = c.value as Partial<PayBill> & Record<string, unknown>;
    const problems: Problem[] = [];
    const vendor = partyFor(store.vendors, f, 'vendor', existing?.vendor, problems);
    const invoiceNumber = f.invoiceNumber ?? existing!.invoiceNumber;
    if (vendor && store.bills.some((b) => b !== existing && b.vendor.id === vendor.id && b.invoiceNumber.toLowerCase() === invoiceNumber.toLowerCase()))
      problems.push(problem('invoiceNumber', `is already on another bill from this vendor (${invoiceNumber})`));
    const invoiceDate = f.invoiceDate ?? existing!.invoiceDate;
    const dueDate = f.dueDate ?? existing!.dueDate;
    if (dueDate < invoiceDate) problems.push(problem('dueDate', `can't be before invoiceDate (${invoiceDate})`));
    const id = existing?.id ?? idOf(P.bill, SERIAL_BASE + store.bills.length);
    const lines = f.lines ? f.lines.map((l, n) => ({ id: `${id}-${n + 1}`, description: l.description, account: l.account, class: l.class ?? null, amount: l.amount })) : existing!.lines;
    const amount = roundCents(lines.reduce((sum, l) => sum + l.amount, 0));
    if (f.amount !== undefined && f.amount !== amount) problems.push(problem('amount', `must equal the sum of the lines (${amount})`));
    const paid = existing ? roundCents(existing.amount - existing.amountDue) : 0;
    if (amount < paid) problems.push(problem('lines', `total ${amount}, less than the ${paid} already paid`));
    if (problems.length) return invalid(problems);
    const bill: PayBill = existing ?? ({ id } as PayBill);
    applyChanges(bill, {
      vendor: vendor!,
      invoiceNumber,
      invoiceDate,
      dueDate,
      amount,
      amountDue: roundCents(amount - paid),
      paymentStatus: statusOfPaid(amount, paid),
      approvalStatus: f.approvalStatus ?? existing?.approvalStatus ?? 'Pending approval',
      description: f.description !== undefined ? (f.description ?? '') : (existing?.description ?? lines[0].description),
      lines,
      externalId: f.externalId !== undefined ? f.externalId : (existing?.externalId ?? null),
    } satisfies Omit<PayBill, 'id' | 'updatedTime'>, 'updatedTime', stamp);
    if (!existing) store.bills.push(bill);
    return success(bill, existing ? 200 : 201);
  };

  const saveInvoice = (existing: PayInvoice | undefined, body: unknown): HostReply => {
    const c = checked(body, INVOICE_SHAPE, existing, INVOICE_REQUIRED, INVOICE_READ_ONLY);
    if (!c.ok) return invalid(c.problems);
    const f = c.value as Partial<PayInvoice> & Record<string, unknown>;
    const problems: Problem[] = [];
    const customer = partyFor(store.customers, f, 'customer', existing?.customer, problems);
    const invoiceNumber = f.invoiceNumber ?? existing!.invoiceNumber;
    if (store.invoices.some((i) => i !== existing && i.invoiceNumber.toLowerCase() === invoiceNumber.toLowerCase()))
      problems.push(problem('invoiceNumber', `is already on another invoice (${invoiceNumber})`));
    const invoiceDate = f.invoiceDate ?? existing!.invoiceDate;
    const dueDate = f.dueDate ?? existing!.dueDate;
    if (dueDate < invoiceDate) problems.push(problem('dueDate', `can't be before invoiceDate (${invoiceDate})`));
    const id = existing?.id ?? idOf(P.invoice, SERIAL_BASE + store.invoices.length);
    const lines = f.lines
      ? f.lines.map((l, n) => {
          const amount = roundCents(l.quantity * l.price);
          if (l.amount !== undefined && l.amount !== amount) problems.push(problem(`lines[${n}].amount`, `must be quantity × price (${amount})`));
          return { id: `${id}-${n + 1}`, item: l.item, description: l.description ?? '', quantity: l.quantity, price: l.price, amount, class: l.class ?? null };
        })
      : existing!.lines;
    const amount = roundCents(lines.reduce((sum, l) => sum + l.amount, 0));
    if (f.amount !== undefined && f.amount !== amount) problems.push(problem('amount', `must equal the sum of the lines (${amount})`));
    const paid = existing ? roundCents(existing.amount - existing.amountDue) : 0;
    if (amount < paid) problems.push(problem('lines', `total ${amount}, less than the ${paid} already received`));
    if (problems.length) return invalid(problems);
    const invoice: PayInvoice = existing ?? ({ id } as PayInvoice);
    applyChanges(invoice, {
      customer: customer!,
      invoiceNumber,
      invoiceDate,
      dueDate,
      poNumber: f.poNumber !== undefined ? f.poNumber : (existing?.poNumber ?? null),
      amount,
      amountDue: roundCents(amount - paid),
      paymentStatus: statusOfPaid(amount, paid),
      lines,
      externalId: f.externalId !== undefined ? f.externalId : (existing?.externalId ?? null),
    } satisfies Omit<PayInvoice, 'id' | 'updatedTime'>, 'updatedTime', stamp);
    if (!existing) store.invoices.push(invoice);
    return success(invoice, existing ? 200 : 201);
  };

  /** A payment applies to bills (paid out) or invoices (received): their amounts due go down by what it applies. */
  const savePayment = (direction: PayPayment['direction'], existing: PayPayment | undefined, body: unknown): HostReply => {
    const payable = direction === 'Payable';
    const c = checked(body, payable ? SENT_PAYMENT_SHAPE : RECEIVED_PAYMENT_SHAPE, existing, PAYMENT_REQUIRED, PAYMENT_READ_ONLY);
    if (!c.ok) return invalid(c.problems);
    const f = c.value as Partial<Omit<PayPayment, 'appliedTo'>> & { appliedTo?: { id: string; amount: number }[] } & Record<string, unknown>;
    const problems: Problem[] = [];
    const party = partyFor(payable ? store.vendors : store.customers, f, 'party', existing?.party, problems);
    const amount = f.amount ?? existing!.amount;
    const docs: (PayBill | PayInvoice)[] = payable ? store.bills : store.invoices;
    const before = new Map((existing?.appliedTo ?? []).map((a) => [a.id, a.amount]));
    const seen = new Set<string>();
    const applied = (f.appliedTo ?? existing?.appliedTo ?? []).map((a, i) => {
      const doc = docs.find((d) => d.id === a.id);
      const docParty = doc && ('vendor' in doc ? doc.vendor : doc.customer);
      const open = doc ? roundCents(doc.amountDue + (before.get(doc.id) ?? 0)) : 0;
      if (!doc) problems.push(problem(`appliedTo[${i}].id`, `is not ${payable ? 'a bill' : 'an invoice'} in Paystream (${a.id})`));
      else if (party && docParty!.id !== party.id) problems.push(problem(`appliedTo[${i}].id`, `is ${payable ? 'a bill' : 'an invoice'} of ${docParty!.name}, not of ${party.name}`));
      else if (seen.has(doc.id)) problems.push(problem(`appliedTo[${i}].id`, `is applied twice (${doc.invoiceNumber})`));
      else if (a.amount > open) problems.push(problem(`appliedTo[${i}].amount`, `is more than ${doc.invoiceNumber}'s amount due (${open})`));
      seen.add(a.id);
      return { type: payable ? ('bill' as const) : ('invoice' as const), id: a.id, number: doc?.invoiceNumber ?? '', amount: a.amount };
    });
    const total = roundCents(applied.reduce((sum, a) => sum + a.amount, 0));
    if (total > amount) problems.push(problem('appliedTo', `applies ${total}, more than the payment's amount (${amount})`));
    if (problems.length) return invalid(problems);
    const change = new Map<string, number>();
    for (const a of existing?.appliedTo ?? []) change.set(a.id, (change.get(a.id) ?? 0) + a.amount);
    for (const a of applied) change.set(a.id, (change.get(a.id) ?? 0) - a.amount);
    for (const [docId, delta] of change) {
      const doc = docs.find((d) => d.id === docId);
      if (!doc || roundCents(delta) === 0) continue;
      doc.amountDue = roundCents(doc.amountDue + delta);
      doc.paymentStatus = statusOfPaid(doc.amount, roundCents(doc.amount - doc.amountDue));
      doc.updatedTime = stamp(doc.updatedTime);
    }
    const payment: PayPayment = existing ?? ({ id: idOf(P.payment, SERIAL_BASE + store.payments.length) } as PayPayment);
    applyChanges(payment, {
      direction,
      party: party!,
      paymentDate: f.paymentDate ?? existing!.paymentDate,
      amount,
      method: f.method ?? existing!.method,
      status: f.status ?? existing?.status ?? (payable ? 'Scheduled' : 'Received'),
      reference: f.reference ?? existing?.reference ?? `${payable ? 'P' : 'R'}${payment.id.slice(-8)}`,
      appliedTo: applied,
      externalId: f.externalId !== undefined ? f.externalId : (existing?.externalId ?? null),
    } satisfies Omit<PayPayment, 'id' | 'updatedTime'>, 'updatedTime', stamp);
    if (!existing) store.payments.push(payment);
    return success(payment, existing ? 200 : 201);
  };

  const saveCreditMemo = (existing: PayCreditMemo | undefined, body: unknown): HostReply => {
    const c = checked(body, CREDIT_MEMO_SHAPE, existing, CREDIT_MEMO_REQUIRED, ['id', 'status', 'updatedTime']);
    if (!c.ok) return invalid(c.problems);
    const f = c.value as Partial<PayCreditMemo> & Record<string, unknown>;
    const problems: Problem[] = [];
    const customer = partyFor(store.customers, f, 'customer', existing?.customer, problems);
    const number = f.creditMemoNumber ?? existing!.creditMemoNumber;
    if (store.creditMemos.some((m) => m !== existing && m.creditMemoNumber.toLowerCase() === number.toLowerCase()))
      problems.push(problem('creditMemoNumber', `is already on another credit memo (${number})`));
    const amount = f.amount ?? existing!.amount;
    const appliedAmount = f.appliedAmount ?? existing?.appliedAmount ?? 0;
    if (appliedAmount > amount) problems.push(problem('appliedAmount', `can't be more than the amount (${amount})`));
    if (problems.length) return invalid(problems);
    const memo: PayCreditMemo = existing ?? ({ id: idOf(P.creditMemo, SERIAL_BASE + store.creditMemos.length) } as PayCreditMemo);
    applyChanges(memo, {
      customer: customer!,
      creditMemoNumber: number,
      creditDate: f.creditDate ?? existing!.creditDate,
      amount,
      appliedAmount,
      status: appliedAmount <= 0 ? 'Open' : appliedAmount >= amount ? 'Applied' : 'Partially applied',
      description: f.description ?? existing?.description ?? '',
      externalId: f.externalId !== undefined ? f.externalId : (existing?.externalId ?? null),
    } satisfies Omit<PayCreditMemo, 'id' | 'updatedTime'>, 'updatedTime', stamp);
    if (!existing) store.creditMemos.push(memo);
    return success(memo, existing ? 200 : 201);
  };

  const saveVendorCredit = (existing: PayVendorCredit | undefined, body: unknown): HostReply => {
    const c = checked(body, VENDOR_CREDIT_SHAPE, existing, VENDOR_CREDIT_REQUIRED, ['id', 'status', 'updatedTime']);
    if (!c.ok) return invalid(c.problems);
    const f = c.value as Partial<PayVendorCredit> & Record<string, unknown>;
    const problems: Problem[] = [];
    const vendor = partyFor(store.vendors, f, 'vendor', existing?.vendor, problems);
    const number = f.creditNumber ?? existing!.creditNumber;
    if (store.vendorCredits.some((m) => m !== existing && m.vendor.id === vendor?.id && m.creditNumber.toLowerCase() === number.toLowerCase()))
      problems.push(problem('creditNumber', `is already on another credit of this vendor (${number})`));
    const amount = f.amount ?? existing!.amount;
    const appliedAmount = f.appliedAmount ?? existing?.appliedAmount ?? 0;
    if (appliedAmount > amount) problems.push(problem('appliedAmount', `can't be more than the amount (${amount})`));
    if (problems.length) return invalid(problems);
    const credit: PayVendorCredit = existing ?? ({ id: idOf(P.vendorCredit, SERIAL_BASE + store.vendorCredits.length) } as PayVendorCredit);
    applyChanges(credit, {
      vendor: vendor!,
      creditNumber: number,
      creditDate: f.creditDate ?? existing!.creditDate,
      amount,
      appliedAmount,
      status: appliedAmount <= 0 ? 'Open' : appliedAmount >= amount ? 'Applied' : 'Partially applied',
      description: f.description ?? existing?.description ?? '',
      externalId: f.externalId !== undefined ? f.externalId : (existing?.externalId ?? null),
    } satisfies Omit<PayVendorCredit, 'id' | 'updatedTime'>, 'updatedTime', stamp);
    if (!existing) store.vendorCredits.push(credit);
    return success(credit, existing ? 200 : 201);
  };

  /** An update of a record in the store (?rows= copies are read-only: 404). */
  const update = <T extends { id: string }>(rows: () => T[], save: (existing: T, body: unknown) => HostReply) => (req: HostRequest, { id }: Record<string, string>) => {
    const existing = storeRecord(rows(), id);
    return existing ? save(existing, req.body) : null;
  };

  const billRows = (bills: PayBill[]) =>
    bills.map(
      (b) => html`<tr class="ps-row bill-row" id="${b.id}">
<td class="ps-check"><input type="checkbox" name="billIds" value="${b.id}" aria-label="Select bill ${b.invoiceNumber}"></td>
<td class="ps-vendor"><span class="ps-party-name">${b.vendor.name}</span></td>
<td class="ps-number"><a href="/bills/${b.id}">${b.invoiceNumber}</a></td>
<td class="ps-date">${short(b.invoiceDate)}</td>
<td class="ps-due">${short(b.dueDate)}</td>
<td class="ps-amount num">${formatMoney(b.amount)}</td>
<td class="ps-amount-due num">${formatMoney(b.amountDue)}</td>
<td class="ps-state">${statusTag(b.paymentStatus)}</td>
<td class="ps-actions">${b.paymentStatus === 'Paid' ? html`<a class="ps-link" href="/bills/${b.id}">View</a>` : html`<button type="button" class="ps-btn ps-btn-small">Pay</button>`}</td>
</tr>`,
    );
  const invoiceRows = (invoices: PayInvoice[]) =>
    invoices.map(
      (i) => html`<tr class="ps-row invoice-row" id="${i.id}">
<td class="ps-check"><input type="checkbox" name="invoiceIds" value="${i.id}" aria-label="Select invoice ${i.invoiceNumber}"></td>
<td class="ps-customer"><span class="ps-party-name">${i.customer.name}</span></td>
<td class="ps-number"><a href="/invoices/${i.id}">${i.invoiceNumber}</a></td>
<td class="ps-date">${short(i.invoiceDate)}</td>
<td class="ps-due">${short(i.dueDate)}</td>
<td class="ps-amount num">${formatMoney(i.amount)}</td>
<td class="ps-amount-due num">${formatMoney(i.amountDue)}</td>
<td class="ps-state">${statusTag(i.paymentStatus)}</td>
<td class="ps-actions">${i.paymentStatus === 'Paid' ? html`<a class="ps-link" href="/invoices/${i.id}">View</a>` : html`<button type="button" class="ps-btn ps-btn-small">Send reminder</button>`}</td>
</tr>`,
    );
  const BILL_HEAD = html`<th class="ps-check"><input type="checkbox" aria-label="Select all"></th><th>Vendor</th><th>Invoice #</th><th>Invoice date</th><th>Due date</th><th class="num">Amount</th><th class="num">Amount due</th><th>Status</th><th></th>`;
  const INVOICE_HEAD = html`<th class="ps-check"><input type="checkbox" aria-label="Select all"></th><th>Customer</th><th>Invoice #</th><th>Invoice date</th><th>Due date</th><th class="num">Amount</th><th class="num">Amount due</th><th>Status</th><th></th>`;
  const STATUSES = ['Unpaid', 'Partially paid', 'Paid'];

  const detail = (req: HostRequest, kind: 'Bill' | 'Invoice', party: PayParty, partyLabel: string, rec: { invoiceNumber: string; invoiceDate: string; dueDate: string; amount: number; amountDue: number; paymentStatus: string }, extra: SafeHtml, lines: SafeHtml) =>
    show(req, `${kind} ${rec.invoiceNumber}`, html`<nav class="ps-crumbs"><a href="${kind === 'Bill' ? '/bills' : '/invoices'}">${kind === 'Bill' ? 'Payables' : 'Receivables'}</a> / ${rec.invoiceNumber}</nav>
<div class="ps-detail-head"><div><div class="ps-kicker">${kind}</div><h1 class="ps-h1 ps-doc-title">${party.name} <span class="ps-doc-number">#${rec.invoiceNumber}</span></h1></div>${statusTag(rec.paymentStatus)}</div>
<div class="ps-detail">
<section class="ps-card ps-facts"><dl>
<div><dt>${partyLabel}</dt><dd class="ps-fact-party">${party.name}</dd></div>
<div><dt>Email</dt><dd class="ps-fact-email">${party.email ?? '—'}</dd></div>
<div><dt>Invoice #</dt><dd class="ps-fact-number">${rec.invoiceNumber}</dd></div>
<div><dt>Invoice date</dt><dd class="ps-fact-date">${short(rec.invoiceDate)}</dd></div>
<div><dt>Due date</dt><dd class="ps-fact-due">${short(rec.dueDate)}</dd></div>
${extra}
</dl></section>
<section class="ps-card ps-balance"><div class="ps-balance-label">Amount due</div><div class="ps-balance-value">${formatMoney(rec.amountDue)}</div><div class="ps-muted">of ${formatMoney(rec.amount)}</div>
${rec.amountDue > 0 ? html`<button type="button" class="ps-btn">${kind === 'Bill' ? 'Pay bill' : 'Record payment'}</button>` : ''}</section>
</div>
<h2 class="ps-h2">Line items</h2>
${lines}`);

  const router = new Router()
    .get('/', (req) => {
      const sum = (xs: { amountDue: number }[]) => xs.reduce((s, x) => s + x.amountDue, 0);
      const overdueBills = store.bills.filter((b) => b.amountDue > 0 && b.dueDate < dayFromToday(0));
      return show(req, 'Home', html`${listHead('Welcome back, Jamal', 'Your cash in and cash out at a glance.')}
<div class="ps-overview">
<a class="ps-card ps-summary" href="/bills?status=Unpaid"><div class="ps-summary-label">Payables · to pay</div><div class="ps-summary-value">${formatMoney(sum(store.bills))}</div><div class="ps-muted">${store.bills.filter((b) => b.amountDue > 0).length} bills, ${overdueBills.length} overdue</div></a>
<a class="ps-card ps-summary" href="/invoices?status=Unpaid"><div class="ps-summary-label">Receivables · to collect</div><div class="ps-summary-value">${formatMoney(sum(store.invoices))}</div><div class="ps-muted">${store.invoices.filter((i) => i.amountDue > 0).length} invoices open</div></a>
<a class="ps-card ps-summary" href="/payments"><div class="ps-summary-label">Payments</div><div class="ps-summary-value">${store.payments.length}</div><div class="ps-muted">made and received</div></a>
<a class="ps-card ps-summary" href="/credit-memos"><div class="ps-summary-label">Credit memos</div><div class="ps-summary-value">${store.creditMemos.length}</div><div class="ps-muted">${store.creditMemos.filter((c) => c.status !== 'Applied').length} with credit left</div></a>
</div>
<h2 class="ps-h2">Overdue bills</h2>
${listTable('bills-table', BILL_HEAD, billRows(overdueBills), overdueBills.length, 'bills')}`);
    })
    .get('/bills', (req) => {
      const q = filterParam(req.query, 'q');
      const status = statusOf(req);
      const bills = billList(req).filter((b) => matchesText(q, b.vendor.name, b.invoiceNumber) && (!status || b.paymentStatus.toLowerCase() === status));
      return show(req, 'Payables', html`${listHead('Bills', 'Payables: what you owe vendors.', html`<button type="button" class="ps-btn">+ Add bill</button>`)}
${statusFilter(req, STATUSES)}
${listTable('bills-table', BILL_HEAD, billRows(bills), bills.length, 'bills')}`);
    })
    .get('/bills/:id', (req, { id }) => {
      const b = byId(P.bill, store.bills, synthetic.bill, id);
      if (!b) return null;
      return detail(req, 'Bill', b.vendor, 'Vendor', b, html`<div><dt>Approval</dt><dd class="ps-fact-approval">${b.approvalStatus}</dd></div>`,
        listTable('bill-lines', html`<th>Description</th><th>Account</th><th>Class</th><th class="num">Amount</th>`, b.lines.map((l) => html`<tr class="ps-line bill-line"><td class="ps-line-description">${l.description}</td><td class="ps-line-account">${l.account}</td><td class="ps-line-class">${l.class ?? ''}</td><td class="ps-line-amount num">${formatMoney(l.amount)}</td></tr>`), b.lines.length, 'lines'));
    })
    .get('/invoices', (req) => {
      const q = filterParam(req.query, 'q');
      const status = statusOf(req);
      const invoices = invoiceList(req).filter((i) => matchesText(q, i.customer.name, i.invoiceNumber) && (!status || i.paymentStatus.toLowerCase() === status));
      return show(req, 'Receivables', html`${listHead('Invoices', 'Receivables: what customers owe you.', html`<button type="button" class="ps-btn">+ New invoice</button>`)}
${statusFilter(req, STATUSES)}
${listTable('invoices-table', INVOICE_HEAD, invoiceRows(invoices), invoices.length, 'invoices')}`);
    })
    .get('/invoices/:id', (req, { id }) => {
      const i = byId(P.invoice, store.invoices, synthetic.invoice, id);
      if (!i) return null;
      return detail(req, 'Invoice', i.customer, 'Customer', i, html`<div><dt>PO #</dt><dd class="ps-fact-po">${i.poNumber ?? '—'}</dd></div>`,
        listTable('invoice-lines', html`<th>Item</th><th>Description</th><th class="num">Qty</th><th class="num">Price</th><th>Class</th><th class="num">Amount</th>`, i.lines.map((l) => html`<tr class="ps-line invoice-line"><td class="ps-line-item">${l.item}</td><td class="ps-line-description">${l.description}</td><td class="ps-line-qty num">${l.quantity}</td><td class="ps-line-price num">${formatMoney(l.price)}</td><td class="ps-line-class">${l.class ?? ''}</td><td class="ps-line-amount num">${formatMoney(l.amount)}</td></tr>`), i.lines.length, 'lines'));
    })
    .get('/payments', (req) => {
      const q = filterParam(req.query, 'q');
      const direction = statusOf(req);
      const payments = paymentList(req).filter((p) => matchesText(q, p.party.name, p.reference, ...p.appliedTo.map((a) => a.number)) && (!direction || p.direction.toLowerCase() === direction));
      return show(req, 'Payments', html`${listHead('Payments', 'Money sent to vendors and received from customers.')}
${statusFilter(req, ['Payable', 'Receivable'])}
${listTable('payments-table', html`<th>Date</th><th>Type</th><th>Vendor / customer</th><th>Method</th><th>Reference</th><th>Applied to</th><th>Status</th><th class="num">Amount</th>`, payments.map((p) => html`<tr class="ps-row payment-row" id="${p.id}">
<td class="ps-date">${short(p.paymentDate)}</td>
<td class="ps-direction">${p.direction === 'Payable' ? 'Paid out' : 'Received'}</td>
<td class="ps-party"><span class="ps-party-name">${p.party.name}</span></td>
<td class="ps-method">${p.method}</td>
<td class="ps-reference">${p.reference}</td>
<td class="ps-applied">${p.appliedTo.map((a, n) => html`${n ? ', ' : ''}<a href="/${a.type === 'bill' ? 'bills' : 'invoices'}/${a.id}">${a.number}</a>`)}</td>
<td class="ps-state">${statusTag(p.status)}</td>
<td class="ps-amount num">${formatMoney(p.amount)}</td>
</tr>`), payments.length, 'payments')}`);
    })
    .get('/credit-memos', (req) => {
      const q = filterParam(req.query, 'q');
      const status = statusOf(req);
      const memos = creditMemoList(req).filter((c) => matchesText(q, c.customer.name, c.creditMemoNumber) && (!status || c.status.toLowerCase() === status));
      return show(req, 'Credit Memos', html`${listHead('Credit memos', 'Credits issued to customers, to apply against their invoices.', html`<button type="button" class="ps-btn">+ New credit memo</button>`)}
${statusFilter(req, ['Open', 'Partially applied', 'Applied'])}
${listTable('credit-memos-table', html`<th>Customer</th><th>Credit memo #</th><th>Date</th><th>Description</th><th class="num">Amount</th><th class="num">Applied</th><th>Status</th>`, memos.map((c) => html`<tr class="ps-row credit-memo-row" id="${c.id}">
<td class="ps-customer"><span class="ps-party-name">${c.customer.name}</span></td>
<td class="ps-number">${c.creditMemoNumber}</td>
<td class="ps-date">${short(c.creditDate)}</td>
<td class="ps-description">${c.description}</td>
<td class="ps-amount num">${formatMoney(c.amount)}</td>
<td class="ps-applied-amount num">${formatMoney(c.appliedAmount)}</td>
<td class="ps-state">${statusTag(c.status)}</td>
</tr>`), memos.length, 'credit memos')}`);
    })
    .get('/assets/app.css', () => reply.css(PAYMENTS_CSS))
    .get('/api/bills', (req) => listJson(req, numbered(req, billList(req), (b) => b.invoiceNumber)))
    .post('/api/bills', (req) => saveBill(undefined, req.body))
    .get('/api/bills/:id', (_req, { id }) => one(byId(P.bill, store.bills, synthetic.bill, id)))
    .post('/api/bills/:id', update(() => store.bills, saveBill))
    .get('/api/invoices', (req) => listJson(req, numbered(req, invoiceList(req), (i) => i.invoiceNumber)))
    .post('/api/invoices', (req) => saveInvoice(undefined, req.body))
    .get('/api/invoices/:id', (_req, { id }) => one(byId(P.invoice, store.invoices, synthetic.invoice, id)))
    .post('/api/invoices/:id', update(() => store.invoices, saveInvoice))
    .get('/api/payments', (req) => listJson(req, paymentList(req)))
    .get('/api/sent-payments', (req) => listJson(req, paymentList(req).filter((p) => p.direction === 'Payable')))
    .post('/api/sent-payments', (req) => savePayment('Payable', undefined, req.body))
    .get('/api/received-payments', (req) => listJson(req, paymentList(req).filter((p) => p.direction === 'Receivable')))
    .post('/api/received-payments', (req) => savePayment('Receivable', undefined, req.body))
    .get('/api/payments/:id', (_req, { id }) => one(byId(P.payment, store.payments, synthetic.payment, id)))
    .post('/api/payments/:id', update(() => store.payments, (p, body) => savePayment(p.direction, p, body)))
    .get('/api/credit-memos', (req) => listJson(req, numbered(req, creditMemoList(req), (m) => m.creditMemoNumber)))
    .post('/api/credit-memos', (req) => saveCreditMemo(undefined, req.body))
    .get('/api/credit-memos/:id', (_req, { id }) => one(byId(P.creditMemo, store.creditMemos, synthetic.creditMemo, id)))
    .post('/api/credit-memos/:id', update(() => store.creditMemos, saveCreditMemo))
    .get('/api/vendor-credits', (req) => listJson(req, vendorCreditList(req)))
    .post('/api/vendor-credits', (req) => saveVendorCredit(undefined, req.body))
    .get('/api/vendor-credits/:id', (_req, { id }) => one(byId(P.vendorCredit, store.vendorCredits, synthetic.vendorCredit, id)))
    .post('/api/vendor-credits/:id', update(() => store.vendorCredits, saveVendorCredit))
    .get('/api/vendors', (req) => listJson(req, vendorList(req)))
    .post('/api/vendors', (req) => saveContact('vendor', undefined, req.body))
    .get('/api/vendors/:id', (_req, { id }) => one(byId(P.vendor, store.vendors, synthetic.vendor, id)))
    .post('/api/vendors/:id', update(() => store.vendors, (v, body) => saveContact('vendor', v, body)))
    .get('/api/customers', (req) => listJson(req, customerList(req)))
    .post('/api/customers', (req) => saveContact('customer', undefined, req.body))
    .get('/api/customers/:id', (_req, { id }) => one(byId(P.customer, store.customers, synthetic.customer, id)))
    .post('/api/customers/:id', update(() => store.customers, (c, body) => saveContact('customer', c, body)));

  return {
    name: 'Paystream (AP/AR payments)',
    frame: FRAME,
    security: PAYMENTS_SECURITY,
    store: () => store,
    reset: () => {
      store = seedPayments();
    },
    handle: (req) => router.handle(req),
    knows: (req) => router.knows(req),
    notFound,
    errorPage,
  };
}

// Paystream's API answers in Bill.com's envelope: { response_status, response_message, response_data };
// a refusal has response_status 1 and an error code, with the words in `error` too.
const success = (data: unknown, status = 200) => reply.json({ response_status: 0, response_message: 'Success', response_data: data }, status);
const one = (record: unknown) => (record ? success(record) : null);
function failure(status: number, code: string, message: string): HostReply {
  return reply.json({ response_status: 1, response_message: 'Error', response_data: { error_code: code, error_message: message }, error: message }, status);
}
const invalid = (problems: Problem[]) => failure(400, 'BDC_1101', problemText(problems));
const statusOfPaid = (amount: number, paid: number): PaymentStatus => (paid <= 0 ? 'Unpaid' : paid >= amount ? 'Paid' : 'Partially paid');

const PAY_ID = rule.pattern(/^[0-9a-z]{3}01[0-9A-Z]{8}$/, 'a Paystream id like "00901000011Z0"');
const PARTY_REF = rule.object({ id: PAY_ID }, { required: ['id'], readOnly: ['name', 'email'] });
const EXTERNAL_ID = rule.optionalText(64);
const CONTACT_SHAPE: Shape = { name: rule.text(100), email: rule.email, phone: rule.optionalText(40), externalId: EXTERNAL_ID };
const BILL_SHAPE: Shape = {
  vendor: PARTY_REF,
  vendorId: PAY_ID,
  invoiceNumber: rule.text(64),
  invoiceDate: rule.day,
  dueDate: rule.day,
  amount: rule.money(),
  approvalStatus: rule.oneOf(['Approved', 'Pending approval']),
  description: rule.optionalText(1000),
  externalId: EXTERNAL_ID,
  lines: rule.list(
    rule.object({ description: rule.text(500, { blank: true }), account: rule.text(100), class: rule.optionalText(100), amount: rule.money() }, { required: ['description', 'account', 'amount'], readOnly: ['id'] }),
    { min: 1, max: 200 },
  ),
};
const BILL_REQUIRED = ['invoiceNumber', 'invoiceDate', 'dueDate', 'lines'];
const BILL_READ_ONLY = ['id', 'amountDue', 'paymentStatus', 'updatedTime'];
const INVOICE_SHAPE: Shape = {
  customer: PARTY_REF,
  customerId: PAY_ID,
  invoiceNumber: rule.text(64),
  invoiceDate: rule.day,
  dueDate: rule.day,
  poNumber: rule.optionalText(40),
  amount: rule.money(),
  externalId: EXTERNAL_ID,
  lines: rule.list(
    rule.object(
      { item: rule.text(100), description: rule.text(500, { blank: true }), quantity: rule.quantity, price: rule.money(), amount: rule.money(), class: rule.optionalText(100) },
      { required: ['item', 'quantity', 'price'], readOnly: ['id'] },
    ),
    { min: 1, max: 200 },
  ),
};
const INVOICE_REQUIRED = ['invoiceNumber', 'invoiceDate', 'dueDate', 'lines'];
const INVOICE_READ_ONLY = ['id', 'amountDue', 'paymentStatus', 'updatedTime'];
const paymentShape = (statuses: readonly PayPayment['status'][], methods: readonly PayPayment['method'][]): Shape => ({
  party: PARTY_REF,
  partyId: PAY_ID,
  paymentDate: rule.day,
  amount: rule.money({ above: 0 }),
  method: rule.oneOf(methods),
  status: rule.oneOf(statuses),
  reference: rule.text(40),
  externalId: EXTERNAL_ID,
  appliedTo: rule.list(rule.object({ id: PAY_ID, amount: rule.money({ above: 0 }) }, { required: ['id', 'amount'], readOnly: ['type', 'number'] }), { max: 100 }),
});
const SENT_PAYMENT_SHAPE = paymentShape(['Scheduled', 'Sent', 'Cleared'], ['ACH', 'Check', 'Virtual card']);
const RECEIVED_PAYMENT_SHAPE = paymentShape(['Received', 'Deposited'], ['ACH', 'Check', 'Credit card', 'ePayment']);
const PAYMENT_REQUIRED = ['paymentDate', 'amount', 'method'];
const PAYMENT_READ_ONLY = ['id', 'direction', 'updatedTime'];
const CREDIT_MEMO_SHAPE: Shape = {
  customer: PARTY_REF,
  customerId: PAY_ID,
  creditMemoNumber: rule.text(40),
  creditDate: rule.day,
  amount: rule.money({ above: 0 }),
  appliedAmount: rule.money({ min: 0 }),
  description: rule.text(500, { blank: true }),
  externalId: EXTERNAL_ID,
};
const CREDIT_MEMO_REQUIRED = ['creditMemoNumber', 'creditDate', 'amount'];
const VENDOR_CREDIT_SHAPE: Shape = {
  vendor: PARTY_REF,
  vendorId: PAY_ID,
  creditNumber: rule.text(40),
  creditDate: rule.day,
  amount: rule.money({ above: 0 }),
  appliedAmount: rule.money({ min: 0 }),
  description: rule.text(500, { blank: true }),
  externalId: EXTERNAL_ID,
};
const VENDOR_CREDIT_REQUIRED = ['creditNumber', 'creditDate', 'amount'];

const PAYMENTS_CSS = `
:root { --teal:#0f766e; --teal-2:#115e59; --mint:#ccfbf1; --ink:#111827; --muted:#6b7280; --line:#e5e7eb; --bg:#f9fafb; }
* { box-sizing:border-box; }
body.paystream { margin:0; font:14px/1.5 "Roboto", "Helvetica Neue", system-ui, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--teal); text-decoration:none; } a:hover { text-decoration:underline; }
.app-header { background:#fff; border-bottom:1px solid var(--line); display:flex; align-items:center; gap:32px; padding:0 28px; height:60px; }
.app-brand { display:flex; align-items:center; gap:10px; color:var(--ink); font-weight:700; font-size:19px; }
.app-brand:hover { text-decoration:none; }
.app-logo { background:var(--teal); color:#fff; width:30px; height:30px; border-radius:50%; display:grid; place-items:center; font-weight:800; }
.app-nav { display:flex; gap:6px; align-self:stretch; }
.app-nav-link { color:var(--muted); padding:0 12px; display:flex; align-items:center; font-weight:500; border-bottom:3px solid transparent; }
.app-nav-link:hover { color:var(--ink); text-decoration:none; }
.app-nav-link.is-active { color:var(--teal); border-bottom-color:var(--teal); }
.app-account { margin-left:auto; display:flex; align-items:center; gap:12px; font-size:13px; color:var(--muted); }
.app-avatar { background:var(--mint); color:var(--teal-2); width:34px; height:34px; border-radius:50%; display:grid; place-items:center; font-weight:700; }
.app-main { padding:28px; max-width:1280px; margin:0 auto; }
.ps-list-head, .ps-detail-head { display:flex; justify-content:space-between; align-items:flex-end; gap:16px; margin-bottom:16px; }
.ps-h1 { font-size:26px; font-weight:500; margin:0; } .ps-h2 { font-size:17px; font-weight:500; margin:26px 0 12px; }
.ps-sub { color:var(--muted); margin:2px 0 0; } .ps-kicker { color:var(--muted); text-transform:uppercase; font-size:12px; letter-spacing:.08em; }
.ps-doc-number { color:var(--muted); font-weight:400; }
.ps-crumbs { color:var(--muted); font-size:13px; margin-bottom:8px; }
.ps-btn { font:inherit; font-weight:500; background:var(--teal); color:#fff; border:0; border-radius:20px; padding:8px 18px; cursor:pointer; }
.ps-btn-small { padding:3px 12px; font-size:12px; background:#fff; color:var(--teal); border:1px solid var(--teal); }
.ps-filterbar { display:flex; justify-content:space-between; align-items:center; margin-bottom:12px; gap:12px; }
.ps-filters { display:flex; gap:6px; flex-wrap:wrap; }
.ps-filter { padding:5px 14px; border-radius:16px; background:#fff; border:1px solid var(--line); color:var(--ink); }
.ps-filter:hover { text-decoration:none; border-color:var(--teal); }
.ps-filter.is-current { background:var(--teal); border-color:var(--teal); color:#fff; }
.ps-search input { font:inherit; border:1px solid var(--line); border-radius:20px; padding:6px 14px; width:260px; background:#fff; }
.ps-card { background:#fff; border:1px solid var(--line); border-radius:10px; box-shadow:0 1px 2px rgba(17,24,39,.05); overflow:auto; }
.ps-table { width:100%; border-collapse:collapse; }
.ps-table th { text-align:left; font-weight:500; color:var(--muted); font-size:12px; padding:12px 14px; border-bottom:1px solid var(--line); white-space:nowrap; }
.ps-table td { padding:12px 14px; border-bottom:1px solid #f3f4f6; overflow-wrap:break-word; max-width:360px; }
.ps-table tbody tr:hover { background:#f0fdfa; }
.ps-check { width:36px; }
.ps-party-name { font-weight:500; }
.num { text-align:right !important; font-variant-numeric:tabular-nums; white-space:nowrap; }
.ps-status { display:inline-block; padding:2px 10px; border-radius:12px; font-size:12px; font-weight:500; white-space:nowrap; background:#f3f4f6; color:#374151; }
.ps-status-paid, .ps-status-cleared, .ps-status-deposited, .ps-status-applied { background:#dcfce7; color:#166534; }
.ps-status-unpaid, .ps-status-open { background:#fef3c7; color:#92400e; }
.ps-status-partially-paid, .ps-status-partially-applied { background:#e0f2fe; color:#075985; }
.ps-status-sent, .ps-status-received, .ps-status-scheduled { background:#ede9fe; color:#5b21b6; }
.ps-foot { padding:10px 14px; color:var(--muted); font-size:13px; } .ps-empty { padding:18px 14px; color:var(--muted); }
.ps-overview { display:grid; grid-template-columns:repeat(4, 1fr); gap:16px; }
.ps-summary { padding:18px; color:var(--ink); } .ps-summary:hover { text-decoration:none; border-color:var(--teal); }
.ps-summary-label { color:var(--muted); font-size:13px; } .ps-summary-value { font-size:26px; font-weight:500; margin:4px 0; }
.ps-muted { color:var(--muted); font-size:13px; }
.ps-detail { display:grid; grid-template-columns:2fr 1fr; gap:16px; }
.ps-facts dl { display:grid; grid-template-columns:repeat(2, 1fr); gap:12px 24px; margin:0; padding:18px 20px; }
.ps-facts dt { color:var(--muted); font-size:12px; } .ps-facts dd { margin:0; overflow-wrap:anywhere; }
.ps-balance { padding:18px 20px; display:flex; flex-direction:column; gap:6px; align-items:flex-start; }
.ps-balance-label { color:var(--muted); } .ps-balance-value { font-size:30px; font-weight:500; }
.empty-state { background:#fff; border:1px solid var(--line); border-radius:10px; padding:32px; max-width:560px; }
`;
