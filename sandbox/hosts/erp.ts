// "Forge", the demo ERP for purchasing (modelled on ION): parts with revisions, suppliers, and
// purchase orders whose lines carry the select-type attributes "Class" and "Expense Account".
// Setting a purchase order to Ordered is the moment the QuickBooks workflow sends it.
import { PARTS, SUPPLIERS } from '../qbo/seed-data';
import { filterParam, idParam, matchesText, reply, Router, rowsParam, type HostApp, type HostRequest } from './app';
import { formatAmount, formatDate, frameReplies, html, type AppFrame, type SafeHtml } from './html';
import { changedSince, offsetOf, sinceOf, type PageSize } from './paging';
import { copyNumber, dayFromToday, listWithRows, recordWithIdParam, roundCents, seededRandom, STAFF, timeFromToday } from './seed';
import type { AppSecurity } from './session';
import { checkBody, createClock, problemText, rule } from './write';

export type PoStatus = 'Draft' | 'Ordered' | 'Received' | 'Cancelled';
const PO_STATUSES: readonly PoStatus[] = ['Draft', 'Ordered', 'Received', 'Cancelled'];

/** Which status a purchase order may move to from each status (as a purchasing team works). */
const PO_TRANSITIONS: Readonly<Record<PoStatus, readonly PoStatus[]>> = {
  Draft: ['Ordered', 'Cancelled'],
  Ordered: ['Received', 'Cancelled', 'Draft'],
  Received: [],
  Cancelled: ['Draft'],
};

export interface Supplier {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  state: string | null;
  country: string;
  currency: string;
  paymentTerms: string;
  updatedAt: string;
}

export interface Part {
  id: number;
  partNumber: string;
  revision: string;
  description: string;
  unitCost: number;
  unitOfMeasure: string;
  quantityOnHand: number;
  preferredSupplierId: number | null;
  updatedAt: string;
}

/** An organisation-defined line attribute. Names are exact and case-sensitive. */
export interface AttributeDefinition {
  name: string;
  /** The name for the API (attribute names may have spaces): "expense_account" for "Expense Account". */
  key: string;
  type: 'select' | 'text';
  appliesTo: 'Purchase order line';
  options: string[];
  updatedAt: string;
}

export interface PoLine {
  id: number;
  lineNumber: number;
  partNumber: string | null;
  revision: string | null;
  description: string;
  quantity: number;
  unitCost: number;
  totalCost: number;
  /** Attribute name → selected value; only attributes set on the line appear. */
  attributes: Record<string, string>;
  /** The same values by each attribute's API key ("class", "expense_account"), for clients that address fields by path. */
  attributeValues: Record<string, string>;
}

export interface PoFee {
  name: string;
  value: number;
}

export interface ShippingAddress {
  name: string;
  street1: string;
  street2: string | null;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export interface PurchaseOrder {
  id: number;
  status: PoStatus;
  supplierId: number;
  supplierName: string;
  currency: string;
  shippingAddress: ShippingAddress;
  needDate: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  orderedAt: string | null;
  notes: string;
  lines: PoLine[];
  fees: PoFee[];
  subtotal: number;
  feesTotal: number;
  total: number;
}

export interface ErpStore {
  suppliers: Supplier[];
  parts: Part[];
  attributes: AttributeDefinition[];
  purchaseOrders: PurchaseOrder[];
}

/** QBO vendor name → how the ERP spells the same supplier. Other QBO suppliers are spelled alike. */
export const ERP_NAME_CHANGES: Readonly<Record<string, string>> = {
  'Precision Fasteners Inc': 'Precision Fasteners, Inc.',
  'Allied Electronics & Automation': 'Allied Electronics and Automation',
  'Digi-Key Electronics': 'DigiKey Electronics',
  'McMaster-Carr Supply Co': 'McMaster-Carr',
  'Summit Signs & Displays LLC': 'Summit Signs & Displays',
  'Global Industrial Components Ltd': 'Global Industrial Components Ltd.',
  'Northern Tool & Equipment': 'NORTHERN TOOL & EQUIPMENT',
  'Tri-State Wire & Cable': 'Tri State Wire and Cable',
};

/** Suppliers only the ERP knows (no QBO vendor). */
export const ERP_HOST_ONLY_SUPPLIERS: readonly Omit<Supplier, 'id' | 'updatedAt'>[] = [
  { name: 'Shenzhen Brightway Optoelectronics Co., Ltd.', email: 'export@brightway-opto.example', phone: '+86 755 5550 1234', city: 'Shenzhen', state: 'GD', country: 'CN', currency: 'USD', paymentTerms: 'Prepaid' },
  { name: 'Local Hardware (petty cash)', email: null, phone: null, city: 'Mountain View', state: 'CA', country: 'US', currency: 'USD', paymentTerms: 'Due on receipt' },
  { name: 'Ace "Heavy" Metals & <Alloys>', email: 'sales@acemetals.example', phone: '(510) 555-0102', city: 'Hayward', state: 'CA', country: 'US', currency: 'USD', paymentTerms: 'Net 30' },
  { name: '🔩 Bolt Depot', email: 'orders@boltdepot.example', phone: '(508) 555-0166', city: 'Hingham', state: 'MA', country: 'US', currency: 'USD', paymentTerms: 'Net 15' },
];

/** Parts (or revisions) the ERP has and QBO has no "<part> Rev <revision>" item for. */
export const ERP_HOST_ONLY_PARTS: readonly Omit<Part, 'id' | 'preferredSupplierId' | 'quantityOnHand' | 'updatedAt'>[] = [
  { partNumber: '820412-001', revision: 'C', description: 'LED display controller board, firmware 3.x', unitCost: 51.25, unitOfMeasure: 'ea' },
  { partNumber: '990001-001', revision: 'A', description: 'Custom enclosure, powder-coated', unitCost: 312, unitOfMeasure: 'ea' },
  { partNumber: '312900-004', revision: 'A', description: 'M8 stainless fastener assortment', unitCost: 12.4, unitOfMeasure: 'box' },
  { partNumber: '450660-016', revision: 'A', description: 'Cat6 jumper 12" <shielded> & "outdoor" rated 🔌', unitCost: 6.75, unitOfMeasure: 'ea' },
];

/** "Signage" and "Tooling & Dies" have no QBO class / account: sending a line that uses them must fail clearly. */
const ERP_ATTRIBUTES: readonly Omit<AttributeDefinition, 'updatedAt' | 'key'>[] = [
  { name: 'Class', type: 'select', appliesTo: 'Purchase order line', options: ['Broadcast', 'Digital', 'Print', 'Out of Home', 'Fabrication', 'Overhead', 'Signage'] },
  {
    name: 'Expense Account',
    type: 'select',
    appliesTo: 'Purchase order line',
    options: ['Job Supplies', 'Freight & Shipping', 'Purchase Fees', 'Repairs & Maintenance', 'Office Supplies & Software', 'Cost of Goods Sold', 'Tooling & Dies'],
  },
  { name: 'Project Code', type: 'text', appliesTo: 'Purchase order line', options: [] },
];

const SUPPLIER_BASE_ID = 301;
const PART_BASE_ID = 11;
const PO_BASE_ID = 1001;

const WAREHOUSE: ShippingAddress = { name: 'Larkspur Media & Supply — Warehouse', street1: '2700 Coast Ave', street2: 'Dock 3', city: 'Mountain View', state: 'CA', postalCode: '94043', country: 'US' };
const INSTALL_SITE: ShippingAddress = { name: 'Westgate Shopping Center (install site)', street1: '600 Saratoga Ave', street2: null, city: 'San Jose', state: 'CA', postalCode: '95129', country: 'US' };

type LineSpec =
  | { part: string; rev: string; qty: number; attrs?: Record<string, string> }
  | { text: string; qty: number; cost: number; attrs?: Record<string, string> };

interface PoSpec {
  supplier: string;
  status: PoStatus;
  lines: LineSpec[];
  fees?: PoFee[];
  ship?: ShippingAddress;
  notes?: string;
}

/**
 * The purchase orders each exercise one part of the QuickBooks workflow; the rest are ordinary
 * history. Supplier names are the ERP's spellings.
 */
const PO_SPECS: PoSpec[] = [
  // Inventoried lines whose items exist in QBO: the plain "set to Ordered" case.
  { supplier: 'Pacific Aluminum Extrusions', status: 'Draft', lines: [{ part: '820413-002', rev: 'A', qty: 40, attrs: { Class: 'Fabrication' } }, { part: '500118-220', rev: 'D', qty: 40, attrs: { Class: 'Fabrication' } }], fees: [{ name: 'Shipping', value: 185 }], notes: 'Frames for the Westgate wayfinding job.' },
  // Rev C is new: QBO only has "820412-001 Rev B", so the item must be created.
  { supplier: 'DigiKey Electronics', status: 'Draft', lines: [{ part: '820412-001', rev: 'C', qty: 25 }, { part: '820500-001', rev: 'A', qty: 10, attrs: { Class: 'Digital', 'Project Code': 'WG-2291' } }], fees: [{ name: 'Shipping', value: 42.5 }, { name: 'Tax', value: 187.34 }] },
  // A supplier QBO does not have.
  { supplier: 'Shenzhen Brightway Optoelectronics Co., Ltd.', status: 'Draft', lines: [{ part: '990001-001', rev: 'A', qty: 12 }, { text: 'Tooling setup charge', qty: 1, cost: 450, attrs: { 'Expense Account': 'Purchase Fees' } }], fees: [{ name: 'Freight', value: 620 }, { name: 'Customs duty', value: 214.8 }] },
  // Account-based lines: one with a known expense account, one unknown in QBO, one with none (the default account).
  { supplier: 'McMaster-Carr', status: 'Draft', lines: [{ text: 'Shop rags, 50 lb box', qty: 2, cost: 64.9, attrs: { 'Expense Account': 'Job Supplies', Class: 'Overhead' } }, { text: 'Step drill bit set', qty: 1, cost: 129, attrs: { 'Expense Account': 'Tooling & Dies', Class: 'Fabrication' } }, { text: 'Safety glasses, clear', qty: 24, cost: 3.15 }], fees: [{ name: 'Shipping', value: 18.75 }] },
  // Another currency, and a class QBO does not have.
  { supplier: 'Global Industrial Components Ltd.', status: 'Draft', lines: [{ part: '640201-004', rev: 'A', qty: 30, attrs: { Class: 'Signage' } }, { part: '450660-015', rev: 'E', qty: 20, attrs: { Class: 'Out of Home' } }], fees: [{ name: 'Shipping', value: 96 }, { name: 'Tax', value: 401.7 }], ship: INSTALL_SITE },
  // Host strings that must stay text.
  { supplier: 'Ace "Heavy" Metals & <Alloys>', status: 'Draft', lines: [{ part: '450660-016', rev: 'A', qty: 100, attrs: { 'Project Code': '<b>RUSH</b> & "fragile"' } }, { text: 'Cut-to-length 6061 bar, 12" <ends deburred>', qty: 8, cost: 17.5, attrs: { 'Expense Account': 'Job Supplies' } }] },
  { supplier: 'Sunbelt LED Lighting', status: 'Ordered', lines: [{ part: '820412-001', rev: 'B', qty: 15, attrs: { Class: 'Out of Home' } }, { part: '640201-004', rev: 'A', qty: 15, attrs: { Class: 'Out of Home' } }], fees: [{ name: 'Shipping', value: 75 }] },
  { supplier: 'Summit Signs & Displays', status: 'Ordered', lines: [{ part: '101234-007', rev: 'C', qty: 6, attrs: { Class: 'Out of Home' } }, { part: '930077-001', rev: 'B', qty: 3, attrs: { Class: 'Print' } }], fees: [{ name: 'Tax', value: 96.2 }], ship: INSTALL_SITE },
  { supplier: 'Precision Fasteners, Inc.', status: 'Received', lines: [{ part: '312900-003', rev: 'A', qty: 50 }, { part: '312900-004', rev: 'A', qty: 20 }] },
  { supplier: 'Keystone Metal Works', status: 'Received', lines: [{ part: '500118-220', rev: 'D', qty: 60, attrs: { Class: 'Fabrication' } }, { text: 'Custom bracket welding', qty: 1, cost: 880, attrs: { 'Expense Account': 'Job Supplies', Class: 'Fabrication' } }], fees: [{ name: 'Shipping', value: 140 }] },
  { supplier: 'Allied Electronics and Automation', status: 'Received', lines: [{ part: '640201-004', rev: 'A', qty: 8 }, { part: '450660-015', rev: 'E', qty: 12 }] },
  { supplier: 'Coastal Packaging Corp', status: 'Cancelled', lines: [{ text: 'Corrugated crates 48x72', qty: 10, cost: 38, attrs: { 'Expense Account': 'Freight & Shipping' } }] },
  { supplier: 'Local Hardware (petty cash)', status: 'Received', lines: [{ text: 'Zip ties, gaffer tape, misc.', qty: 1, cost: 86.42, attrs: { 'Expense Account': 'Job Supplies', Class: 'Overhead' } }] },
  { supplier: 'Mouser Electronics', status: 'Ordered', lines: [{ part: '820500-001', rev: 'A', qty: 4 }, { part: '820412-001', rev: 'B', qty: 4 }], fees: [{ name: 'Shipping', value: 12.99 }, { name: 'Tax', value: 71.2 }] },
  { supplier: 'Tri State Wire and Cable', status: 'Draft', lines: [{ part: '450660-015', rev: 'E', qty: 30, attrs: { Class: 'Broadcast' } }] },
  { supplier: 'Midwest Powder Coating', status: 'Ordered', lines: [{ text: 'Powder coat, RAL 7016, 24 frames', qty: 24, cost: 22, attrs: { 'Expense Account': 'Cost of Goods Sold', Class: 'Fabrication' } }], fees: [{ name: 'Shipping', value: 210 }] },
  { supplier: 'Brothers Plastics Molding', status: 'Cancelled', lines: [{ part: '101234-007', rev: 'C', qty: 10 }] },
  { supplier: '🔩 Bolt Depot', status: 'Draft', lines: [{ part: '312900-003', rev: 'A', qty: 30 }], fees: [{ name: 'Shipping', value: 9.5 }] },
];

/** Builds the ERP's records; the same every run (dates relative to today). */
export function seedErp(): ErpStore {
  const rng = seededRandom(4102);
  const suppliers: Supplier[] = [
    ...SUPPLIERS.map((s) => ({
      name: ERP_NAME_CHANGES[s.name] ?? s.name,
      email: s.email ?? null,
      phone: s.phone ?? null,
      city: s.city ?? null,
      state: s.state ?? null,
      country: s.state === 'ON' ? 'CA' : 'US',
      currency: s.state === 'ON' ? 'CAD' : 'USD',
      paymentTerms: rng.pick(['Net 30', 'Net 30', 'Net 45', 'Net 15']),
    })),
    ...ERP_HOST_ONLY_SUPPLIERS,
  ].map((s, i) => ({ id: SUPPLIER_BASE_ID + i, ...s, updatedAt: timeFromToday(-40 - i, 600) }));

  const parts: Part[] = [
    ...PARTS.map((p) => ({ partNumber: p.part, revision: p.revision, description: p.description, unitCost: p.cost, unitOfMeasure: /roll/.test(p.description) ? 'roll' : /assortment/.test(p.description) ? 'box' : 'ea' })),
    ...ERP_HOST_ONLY_PARTS,
  ].map((p, i) => ({ id: PART_BASE_ID + i, ...p, quantityOnHand: rng.int(0, 240), preferredSupplierId: rng.pick(suppliers).id, updatedAt: timeFromToday(-20 - i, 600) }));

  const purchaseOrders = PO_SPECS.map((spec, i): PurchaseOrder => {
    const supplier = suppliers.find((s) => s.name === spec.supplier);
    if (!supplier) throw new Error(`ERP seed: no supplier named ${spec.supplier}`);
    const lines = spec.lines.map((l, n): PoLine => {
      const part = 'part' in l ? parts.find((p) => p.partNumber === l.part && p.revision === l.rev) : undefined;
      if ('part' in l && !part) throw new Error(`ERP seed: no part ${l.part} Rev ${l.rev}`);
      const unitCost = part ? part.unitCost : 'cost' in l ? l.cost : 0;
      return {
        id: (PO_BASE_ID + i) * 100 + n + 1,
        lineNumber: n + 1,
        partNumber: part?.partNumber ?? null,
        revision: part?.revision ?? null,
        description: part ? part.description : 'text' in l ? l.text : '',
        quantity: l.qty,
        unitCost,
        totalCost: roundCents(unitCost * l.qty),
        attributes: { ...l.attrs },
        attributeValues: Object.fromEntries(Object.entries(l.attrs ?? {}).map(([name, value]) => [attributeKey(name), value])),
      };
    });
    const fees = spec.fees ?? [];
    const subtotal = roundCents(lines.reduce((s, l) => s + l.totalCost, 0));
    const feesTotal = roundCents(fees.reduce((s, f) => s + f.value, 0));
    const age = PO_SPECS.length - i + rng.int(0, 3);
    return {
      id: PO_BASE_ID + i,
      status: spec.status,
      supplierId: supplier.id,
      supplierName: supplier.name,
      currency: supplier.currency,
      shippingAddress: spec.ship ?? WAREHOUSE,
      needDate: dayFromToday(rng.int(5, 40) - (spec.status === 'Received' ? 45 : 0)),
      createdBy: rng.pick(STAFF),
      createdAt: timeFromToday(-age * 3, rng.int(480, 1020)),
      updatedAt: timeFromToday(-age, rng.int(480, 1020)),
      orderedAt: spec.status === 'Ordered' || spec.status === 'Received' ? timeFromToday(-age, rng.int(480, 1020)) : null,
      notes: spec.notes ?? '',
      lines,
      fees,
      subtotal,
      feesTotal,
      total: roundCents(subtotal + feesTotal),
    };
  });
  return { suppliers, parts, attributes: ERP_ATTRIBUTES.map((a) => ({ ...a, key: attributeKey(a.name), options: [...a.options], updatedAt: timeFromToday(-200, 600) })), purchaseOrders };
}

/** An attribute's API key: its name in lower case, words joined by "_" ("Expense Account" → "expense_account"). */
export const attributeKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

const syntheticSupplier = (s: ErpStore, i: number): Supplier => {
  const base = s.suppliers[i % s.suppliers.length];
  const copy = copyNumber(i, s.suppliers.length);
  return { ...base, id: SUPPLIER_BASE_ID + i, name: `${base.name} ${copy}`, email: base.email?.replace('@', `+${copy}@`) ?? null };
};
const syntheticPart = (s: ErpStore, i: number): Part => {
  const base = s.parts[i % s.parts.length];
  return { ...base, id: PART_BASE_ID + i, partNumber: `${600000 + i}-${base.partNumber.slice(-3)}` };
};
const syntheticPo = (s: ErpStore, i: number): PurchaseOrder => {
  const base = s.purchaseOrders[i % s.purchaseOrders.length];
  const id = PO_BASE_ID + i;
  return { ...base, id, lines: base.lines.map((l) => ({ ...l, id: id * 100 + l.lineNumber })) };
};

const syntheticAttribute = (s: ErpStore, i: number): AttributeDefinition => {
  const base = s.attributes[i % s.attributes.length];
  const name = `${base.name} ${copyNumber(i, s.attributes.length)}`;
  return { ...base, name, key: attributeKey(name), options: [...base.options] };
};

/**
 * Forge hands its CSRF token out from GET /api/session (and in <meta name="csrf-token"> and each
 * form's _csrf field); writes send it back in X-CSRF-Token. It does not check Origin: its
 * integrations call it from anywhere with a session.
 */
export const ERP_SECURITY: AppSecurity = {
  cookie: 'forge_sid',
  apiSignedOut: 'json',
  csrf: { meta: 'csrf-token', header: 'X-CSRF-Token', formField: '_csrf' },
  origin: 'any',
  refuse: {
    signedOut: () => reply.json({ error: 'Your session has ended. Sign in to Forge again.', code: 'unauthenticated' }, 401),
    csrf: () => reply.json({ error: 'Invalid or missing CSRF token: read it again from GET /api/session.', code: 'csrf_failed' }, 403),
    origin: () => reply.json({ error: 'Origin not allowed.', code: 'origin' }, 403),
  },
};

/** Lists come by offset: ?offset=0,50,… and ?limit= (50 unless asked, at most 500). */
export const ERP_PAGE: PageSize = { sizeParam: 'limit', defaultSize: 50, maxSize: 500 };

const FRAME: AppFrame = {
  bodyClass: 'forge',
  product: 'Forge ERP',
  logo: 'F',
  brandColor: '#f08c00',
  nav: [
    { href: '/', label: 'Overview' },
    { href: '/purchase-orders', label: 'Purchase Orders' },
    { href: '/parts', label: 'Parts' },
    { href: '/suppliers', label: 'Suppliers' },
    { href: '/settings/attributes', label: 'Attributes' },
  ],
  workspace: 'Larkspur Media & Supply · Production',
  user: 'Sofia Alvarez',
};

const statusChip = (s: PoStatus) => html`<span class="chip chip-${s.toLowerCase()}">${s}</span>`;
const money = (n: number, currency: string) => html`<span class="amount">${formatAmount(n)}</span> <span class="currency">${currency}</span>`;

function header(title: string, actions?: SafeHtml) {
  return html`<div class="toolbar"><h1 class="view-title">${title}</h1>${actions ? html`<div class="toolbar-actions">${actions}</div>` : ''}</div>`;
}

function searchForm(action: string, req: HostRequest, placeholder: string, statuses: readonly string[]) {
  const status = req.query.get('status') ?? '';
  const rows = req.query.get('rows');
  return html`<form class="search-form" method="get" action="${action}">
<input type="search" name="q" class="form-control" value="${req.query.get('q') ?? ''}" placeholder="${placeholder}" aria-label="${placeholder}">
${statuses.length ? html`<select name="status" class="form-select" aria-label="Status"><option value="">Any status</option>${statuses.map((s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`)}</select>` : ''}
${rows !== null ? html`<input type="hidden" name="rows" value="${rows}">` : ''}
<button type="submit" class="btn btn-secondary">Search</button></form>`;
}

function table(cls: string, head: SafeHtml, rows: SafeHtml[], count: number, noun: string) {
  return html`<div class="panel"><table class="table table-sm table-hover ${cls}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
<div class="panel-footer">${count.toLocaleString('en-US')} ${noun}</div></div>`;
}

const addressLines = (a: ShippingAddress) => [a.name, a.street1, a.street2, `${a.city}, ${a.state} ${a.postalCode}`, a.country];

export function createErpApp(): HostApp<ErpStore> {
  let store = seedErp();
  const supplierList = (req: HostRequest) => listWithRows(store.suppliers, rowsParam(req.query), (i) => syntheticSupplier(store, i));
  const partList = (req: HostRequest) => listWithRows(store.parts, rowsParam(req.query), (i) => syntheticPart(store, i));
  const poList = (req: HostRequest) => listWithRows(store.purchaseOrders, rowsParam(req.query), (i) => syntheticPo(store, i));
  const attributeList = (req: HostRequest) => listWithRows(store.attributes, rowsParam(req.query), (i) => syntheticAttribute(store, i));
  const poById = (id: string) => recordWithIdParam(store.purchaseOrders, id, PO_BASE_ID, (i) => syntheticPo(store, i));
  const supplierById = (id: string) => recordWithIdParam(store.suppliers, id, SUPPLIER_BASE_ID, (i) => syntheticSupplier(store, i));
  const partById = (id: string) => recordWithIdParam(store.parts, id, PART_BASE_ID, (i) => syntheticPart(store, i));
  const { show, notFound, errorPage } = frameReplies(FRAME, ERP_SECURITY.csrf.meta);
  const stamp = createClock();

  /** A list answer: the records changed since ?updatedSince=, from ?offset=, and the count of all. */
  const listJson = <T extends { updatedAt: string }>(req: HostRequest, rows: T[]) => {
    const changed = changedSince(rows, sinceOf(req.query, 'updatedSince'), (r) => r.updatedAt);
    const { offset, size } = offsetOf(req.query, 'offset', ERP_PAGE);
    return reply.json({ items: changed.slice(offset, offset + size), total: changed.length, offset, limit: size });
  };

  /** Applies a status change; the error says what the purchasing user can do instead. */
  const changeStatus = (id: string, wanted: unknown): { po: PurchaseOrder } | { status: number; error: string } => {
    const po = store.purchaseOrders.find((p) => p.id === idParam(id));
    if (!po) return { status: 404, error: `There is no purchase order ${id}.` };
    if (typeof wanted !== 'string' || !PO_STATUSES.includes(wanted as PoStatus))
      return { status: 400, error: `Status must be one of ${PO_STATUSES.join(', ')}.` };
    const next = wanted as PoStatus;
    if (next === po.status) return { po };
    if (!PO_TRANSITIONS[po.status].includes(next))
      return { status: 409, error: `A ${po.status} purchase order can't be set to ${next}.${PO_TRANSITIONS[po.status].length ? ` It can be set to ${PO_TRANSITIONS[po.status].join(' or ')}.` : ''}` };
    const now = stamp(po.updatedAt);
    po.status = next;
    po.updatedAt = now;
    if (next === 'Ordered') po.orderedAt = now;
    if (next === 'Draft') po.orderedAt = null;
    return { po };
  };

  const poRows = (pos: PurchaseOrder[]) =>
    pos.map(
      (po) => html`<tr class="po-row">
<td class="col-id"><a class="po-link" href="/purchase-orders/${po.id}">${po.id}</a></td>
<td class="col-supplier">${po.supplierName}</td>
<td class="col-status">${statusChip(po.status)}</td>
<td class="col-need-date">${formatDate(po.needDate, 'iso')}</td>
<td class="col-lines num">${po.lines.length}</td>
<td class="col-currency">${po.currency}</td>
<td class="col-total num">${formatAmount(po.total)}</td>
<td class="col-updated">${formatDate(po.updatedAt, 'iso')}</td>
</tr>`,
    );

  const router = new Router()
    .get('/', (req) => {
      const count = (s: PoStatus) => store.purchaseOrders.filter((p) => p.status === s).length;
      const drafts = store.purchaseOrders.filter((p) => p.status === 'Draft');
      return show(req, 'Overview', html`${header('Purchasing overview')}
<div class="kpis">${PO_STATUSES.map((s) => html`<a class="kpi" href="/purchase-orders?status=${s}"><span class="kpi-value">${count(s)}</span><span class="kpi-label">${s}</span></a>`)}
<a class="kpi" href="/parts"><span class="kpi-value">${store.parts.length}</span><span class="kpi-label">Parts</span></a>
<a class="kpi" href="/suppliers"><span class="kpi-value">${store.suppliers.length}</span><span class="kpi-label">Suppliers</span></a></div>
<h2 class="section-heading">Drafts waiting to be ordered</h2>
${table('po-table', html`<th>PO</th><th>Supplier</th><th>Status</th><th>Need date</th><th class="num">Lines</th><th>Currency</th><th class="num">Total</th><th>Updated</th>`, poRows(drafts), drafts.length, 'purchase orders')}`);
    })
    .get('/purchase-orders', (req) => {
      const q = filterParam(req.query, 'q');
      const status = filterParam(req.query, 'status');
      const pos = poList(req).filter((p) => matchesText(q, p.id, p.supplierName) && (!status || p.status.toLowerCase() === status));
      return show(req, 'Purchase Orders', html`${header('Purchase Orders', html`<button type="button" class="btn btn-primary">New purchase order</button>`)}
${searchForm('/purchase-orders', req, 'Search by PO id or supplier', PO_STATUSES)}
${table('po-table', html`<th>PO</th><th>Supplier</th><th>Status</th><th>Need date</th><th class="num">Lines</th><th>Currency</th><th class="num">Total</th><th>Updated</th>`, poRows(pos), pos.length, 'purchase orders')}`);
    })
    .get('/purchase-orders/:id', (req, { id }) => {
      const po = poById(id);
      if (!po) return null;
      const notice = req.query.get('updated') ? html`<div class="alert alert-success" role="status">Status changed to ${po.status}.</div>` : req.query.get('error') ? html`<div class="alert alert-danger" role="alert">${req.query.get('error')}</div>` : '';
      const attrNames = ['Class', 'Expense Account'];
      const next = PO_TRANSITIONS[po.status];
      const action = `/purchase-orders/${po.id}/status`;
      const token = html`<input type="hidden" name="_csrf" value="${req.session?.csrfToken ?? ''}">`;
      const statusForm = next.length
        ? html`${po.status === 'Draft' ? html`<form class="po-order-form" method="post" action="${action}">${token}<input type="hidden" name="status" value="Ordered"><button type="submit" class="btn btn-primary">Mark as Ordered</button></form>` : ''}
<form class="po-status-form" method="post" action="${action}">${token}<label class="visually-hidden" for="po-status">Status</label><select id="po-status" name="status" class="form-select">${next.map((s) => html`<option>${s}</option>`)}</select>
<button type="submit" class="btn btn-secondary">Change status</button></form>`
        : '';
      return show(req, `PO ${po.id}`, html`<nav class="crumbs"><a href="/purchase-orders">Purchase Orders</a> / <span>${po.id}</span></nav>
${notice}
<div class="toolbar po-header"><h1 class="view-title">Purchase Order <span class="po-id">${po.id}</span> ${statusChip(po.status)}</h1><div class="toolbar-actions">${statusForm}</div></div>
<div class="po-meta panel">
<dl class="meta-grid">
<div><dt>Supplier</dt><dd class="po-supplier">${po.supplierName}</dd></div>
<div><dt>Status</dt><dd class="po-status">${po.status}</dd></div>
<div><dt>Currency</dt><dd class="po-currency">${po.currency}</dd></div>
<div><dt>Need date</dt><dd class="po-need-date">${formatDate(po.needDate, 'iso')}</dd></div>
<div><dt>Created by</dt><dd class="po-created-by">${po.createdBy}</dd></div>
<div><dt>Ordered at</dt><dd class="po-ordered-at">${po.orderedAt ? formatDate(po.orderedAt, 'iso') : '—'}</dd></div>
<div class="meta-wide"><dt>Shipping address</dt><dd><address class="po-ship-to">${addressLines(po.shippingAddress).filter(Boolean).map((l, n) => html`${n ? html`<br>` : ''}${l}`)}</address></dd></div>
${po.notes ? html`<div class="meta-wide"><dt>Notes</dt><dd class="po-notes">${po.notes}</dd></div>` : ''}
</dl></div>
<h2 class="section-heading">Lines</h2>
<div class="panel"><table class="table table-sm po-lines"><thead><tr><th>#</th><th>Part number</th><th>Rev</th><th>Description</th><th class="num">Qty</th><th class="num">Unit cost</th><th class="num">Line total</th>${attrNames.map((a) => html`<th class="attr-col">${a}</th>`)}<th>Other attributes</th></tr></thead><tbody>
${po.lines.map((l) => {
  const other = Object.entries(l.attributes).filter(([k]) => !attrNames.includes(k));
  return html`<tr class="po-line">
<td class="po-line-no">${l.lineNumber}</td>
<td class="po-line-part mono">${l.partNumber ?? ''}</td>
<td class="po-line-rev mono">${l.revision ?? ''}</td>
<td class="po-line-desc">${l.description}</td>
<td class="po-line-qty num">${l.quantity}</td>
<td class="po-line-unit-cost num">${formatAmount(l.unitCost)}</td>
<td class="po-line-total num">${formatAmount(l.totalCost)}</td>
<td class="po-line-attr po-line-class">${l.attributes.Class ? html`<span class="attr-value">${l.attributes.Class}</span>` : ''}</td>
<td class="po-line-attr po-line-expense-account">${l.attributes['Expense Account'] ? html`<span class="attr-value">${l.attributes['Expense Account']}</span>` : ''}</td>
<td class="po-line-other-attrs">${other.map(([k, v]) => html`<span class="attr-pair"><span class="attr-name">${k}</span>: <span class="attr-value">${v}</span></span>`)}</td>
</tr>`;
})}
</tbody></table></div>
<div class="po-bottom">
<div class="panel po-fees-panel"><h2 class="panel-title">Fees</h2>${
        po.fees.length
          ? html`<table class="table table-sm po-fees"><thead><tr><th>Fee</th><th class="num">Value</th></tr></thead><tbody>${po.fees.map((f) => html`<tr class="po-fee"><td class="po-fee-name">${f.name}</td><td class="po-fee-value num">${formatAmount(f.value)}</td></tr>`)}</tbody></table>`
          : html`<p class="muted">No fees.</p>`
      }</div>
<div class="panel po-totals"><dl>
<div><dt>Subtotal</dt><dd class="po-subtotal">${money(po.subtotal, po.currency)}</dd></div>
<div><dt>Fees</dt><dd class="po-fees-total">${money(po.feesTotal, po.currency)}</dd></div>
<div class="grand"><dt>Total</dt><dd class="po-total">${money(po.total, po.currency)}</dd></div>
</dl></div></div>`);
    })
    .post('/purchase-orders/:id/status', (req, { id }) => {
      const result = changeStatus(id, (req.body as Record<string, unknown> | undefined)?.status);
      if ('po' in result) return reply.seeOther(`/purchase-orders/${result.po.id}?updated=1`);
      if (result.status === 404) return null;
      return reply.seeOther(`/purchase-orders/${id}?error=${encodeURIComponent(result.error)}`);
    })
    .get('/parts', (req) => {
      const q = filterParam(req.query, 'q');
      const parts = partList(req).filter((p) => matchesText(q, p.partNumber, p.description, `${p.partNumber} Rev ${p.revision}`));
      const supplierName = new Map(store.suppliers.map((s) => [s.id, s.name]));
      return show(req, 'Parts', html`${header('Parts', html`<button type="button" class="btn btn-primary">New part</button>`)}
${searchForm('/parts', req, 'Search by part number or description', [])}
${table('parts-table', html`<th>Part number</th><th>Rev</th><th>Description</th><th class="num">Unit cost</th><th>UoM</th><th class="num">On hand</th><th>Preferred supplier</th>`, parts.map((p) => html`<tr class="part-row" data-part-id="${p.id}">
<td class="col-part-number mono">${p.partNumber}</td>
<td class="col-revision mono">${p.revision}</td>
<td class="col-description">${p.description}</td>
<td class="col-unit-cost num">${formatAmount(p.unitCost)}</td>
<td class="col-uom">${p.unitOfMeasure}</td>
<td class="col-on-hand num">${p.quantityOnHand}</td>
<td class="col-preferred-supplier">${p.preferredSupplierId ? (supplierName.get(p.preferredSupplierId) ?? '') : ''}</td>
</tr>`), parts.length, 'parts')}`);
    })
    .get('/suppliers', (req) => {
      const q = filterParam(req.query, 'q');
      const suppliers = supplierList(req).filter((s) => matchesText(q, s.name, s.email));
      return show(req, 'Suppliers', html`${header('Suppliers', html`<button type="button" class="btn btn-primary">New supplier</button>`)}
${searchForm('/suppliers', req, 'Search by name or email', [])}
${table('suppliers-table', html`<th>Supplier</th><th>Email</th><th>Phone</th><th>Location</th><th>Currency</th><th>Terms</th>`, suppliers.map((s) => html`<tr class="supplier-row" id="supplier-${s.id}">
<td class="col-name">${s.name}</td>
<td class="col-email">${s.email ?? ''}</td>
<td class="col-phone">${s.phone ?? ''}</td>
<td class="col-location">${[s.city, s.state, s.country].filter(Boolean).join(', ')}</td>
<td class="col-currency">${s.currency}</td>
<td class="col-terms">${s.paymentTerms}</td>
</tr>`), suppliers.length, 'suppliers')}`);
    })
    .get('/settings/attributes', (req) => {
      const attributes = attributeList(req);
      return show(req, 'Attributes', html`${header('Purchase order line attributes')}
<p class="muted intro">Custom attributes your organisation adds to purchase order lines. Names are case-sensitive.</p>
${table('attributes-table', html`<th>Name</th><th>Type</th><th>Applies to</th><th>Options</th>`, attributes.map((a) => html`<tr class="attribute-row">
<td class="col-attr-name mono">${a.name}</td><td class="col-attr-type">${a.type === 'select' ? 'Select' : 'Text'}</td><td>${a.appliesTo}</td>
<td class="col-attr-options">${a.options.map((o) => html`<span class="option-tag">${o}</span>`)}</td></tr>`), attributes.length, 'attributes')}`);
    })
    .get('/assets/app.css', () => reply.css(ERP_CSS))
    .get('/api/session', (req) => reply.json({ user: { name: req.session!.user }, csrfToken: req.session!.csrfToken }))
    .get('/api/parts', (req) => {
      const q = filterParam(req.query, 'q');
      return listJson(req, partList(req).filter((p) => matchesText(q, p.partNumber, p.description, `${p.partNumber} Rev ${p.revision}`)));
    })
    .get('/api/parts/:id', (_req, { id }) => found(partById(id)))
    // A new part (its number and revision unique together), through the API (the pages have no part form).
    .post('/api/parts', (req) => {
      const checked = checkBody(req.body, PART_SHAPE, { required: ['partNumber', 'revision', 'description'], readOnly: ['id', 'quantityOnHand', 'updatedAt'] });
      if (!checked.ok) return reply.json({ error: problemText(checked.problems), field: checked.problems[0].field }, 400);
      const f = checked.value as Pick<Part, 'partNumber' | 'revision' | 'description'> & Partial<Pick<Part, 'unitCost' | 'unitOfMeasure'>>;
      if (store.parts.some((p) => p.partNumber === f.partNumber && p.revision === f.revision))
        return reply.json({ error: `Part ${f.partNumber} revision ${f.revision} already exists.`, field: 'revision' }, 409);
      const part: Part = {
        id: Math.max(0, ...store.parts.map((p) => p.id)) + 1, partNumber: f.partNumber, revision: f.revision, description: f.description, unitCost: f.unitCost ?? 0,
        unitOfMeasure: f.unitOfMeasure ?? 'ea', quantityOnHand: 0, preferredSupplierId: null, updatedAt: stamp(),
      };
      store.parts.push(part);
      return reply.json(part, 201);
    })
    .get('/api/suppliers', (req) => {
      const q = filterParam(req.query, 'q');
      return listJson(req, supplierList(req).filter((s) => matchesText(q, s.name, s.email)));
    })
    .get('/api/suppliers/:id', (_req, { id }) => found(supplierById(id)))
    .get('/api/attributes', (req) => listJson(req, attributeList(req)))
    .get('/api/purchase-orders', (req) => {
      const q = filterParam(req.query, 'q');
      const status = filterParam(req.query, 'status');
      const supplier = req.query.get('supplierId');
      return listJson(req, poList(req).filter((p) => matchesText(q, p.id, p.supplierName) && (!status || p.status.toLowerCase() === status) && (supplier === null || String(p.supplierId) === supplier)));
    })
    .get('/api/purchase-orders/:id', (_req, { id }) => found(poById(id)))
    .post('/api/purchase-orders/:id/status', (req, { id }) => {
      // The body is {"status": …}; the rest of a purchase order may come along and is ignored.
      const checked = checkBody(req.body, { status: rule.oneOf(PO_STATUSES) }, { required: ['status'], readOnly: PO_FIELDS });
      if (!checked.ok) {
        const [first] = checked.problems;
        return reply.json({ error: problemText(checked.problems), field: first.field }, 400);
      }
      const result = changeStatus(id, checked.value.status);
      return 'po' in result ? reply.json(result.po) : reply.json({ error: result.error, ...(result.status === 409 ? { field: 'status' } : {}) }, result.status);
    });

  return {
    name: 'Forge ERP (purchasing)',
    frame: FRAME,
    security: ERP_SECURITY,
    store: () => store,
    reset: () => {
      store = seedErp();
    },
    handle: (req) => router.handle(req),
    knows: (req) => router.knows(req),
    notFound,
    errorPage,
  };
}

// Forge's API wraps lists as { items, total, offset, limit }; a single record comes bare.
const PART_SHAPE = {
  partNumber: rule.pattern(/^[0-9A-Z-]{3,40}$/, 'a part number like 820412-001'),
  revision: rule.pattern(/^[A-Z0-9]{1,4}$/, 'a revision like B'),
  description: rule.text(200),
  unitCost: rule.money({ min: 0 }),
  unitOfMeasure: rule.text(10),
};

const found = (record: unknown) => (record ? reply.json(record) : null);
/** The fields of a purchase order a status change may carry along (all but status are ignored). */
const PO_FIELDS = ['id', 'supplierId', 'supplierName', 'currency', 'shippingAddress', 'needDate', 'createdBy', 'createdAt', 'updatedAt', 'orderedAt', 'notes', 'lines', 'fees', 'subtotal', 'feesTotal', 'total'];

const ERP_CSS = `
:root { --bar:#23272e; --accent:#f08c00; --ink:#212529; --muted:#6c757d; --line:#dee2e6; --bg:#eef0f3; }
* { box-sizing:border-box; }
body.forge { margin:0; font:13px/1.45 "IBM Plex Sans", "Segoe UI", system-ui, sans-serif; color:var(--ink); background:var(--bg); }
a { color:#0b63c5; text-decoration:none; } a:hover { text-decoration:underline; }
.app-header { background:var(--bar); color:#e9ecef; display:flex; align-items:center; gap:24px; padding:0 20px; height:48px; }
.app-brand { display:flex; align-items:center; gap:8px; color:#fff; font-weight:700; letter-spacing:.02em; }
.app-brand:hover { text-decoration:none; }
.app-logo { background:var(--accent); color:#23272e; width:26px; height:26px; border-radius:4px; display:grid; place-items:center; font-weight:800; }
.app-nav { display:flex; align-self:stretch; }
.app-nav-link { color:#ced4da; padding:0 14px; display:flex; align-items:center; border-bottom:3px solid transparent; }
.app-nav-link:hover { color:#fff; text-decoration:none; }
.app-nav-link.is-active { color:#fff; border-bottom-color:var(--accent); }
.app-account { margin-left:auto; display:flex; align-items:center; gap:10px; color:#adb5bd; font-size:12px; }
.app-avatar { background:#495057; color:#fff; border-radius:4px; padding:3px 6px; font-weight:600; }
.app-main { padding:16px 20px; max-width:1400px; }
.toolbar { display:flex; align-items:center; justify-content:space-between; gap:12px; margin:4px 0 12px; }
.view-title { font-size:20px; font-weight:600; margin:0; display:flex; align-items:center; gap:10px; }
.toolbar-actions { display:flex; gap:8px; align-items:center; }
.btn { font:inherit; border-radius:4px; padding:5px 12px; border:1px solid transparent; cursor:pointer; }
.btn-primary { background:var(--accent); color:#1d1d1d; font-weight:600; }
.btn-secondary { background:#fff; border-color:#adb5bd; color:var(--ink); }
.form-control, .form-select { font:inherit; border:1px solid #ced4da; border-radius:4px; padding:5px 8px; background:#fff; }
.search-form { display:flex; gap:6px; margin-bottom:10px; } .search-form .form-control { width:320px; }
.panel { background:#fff; border:1px solid var(--line); border-radius:4px; margin-bottom:14px; overflow:auto; }
.panel-title { font-size:13px; text-transform:uppercase; color:var(--muted); margin:0; padding:8px 10px; border-bottom:1px solid var(--line); }
.panel-footer { padding:6px 10px; color:var(--muted); border-top:1px solid var(--line); background:#f8f9fa; }
.table { width:100%; border-collapse:collapse; }
.table th { background:#f1f3f5; text-align:left; font-weight:600; color:#495057; padding:6px 10px; border-bottom:1px solid var(--line); white-space:nowrap; }
.table td { padding:5px 10px; border-bottom:1px solid #f1f3f5; vertical-align:top; overflow-wrap:break-word; }
.table-hover tbody tr:hover { background:#fff8e6; }
.num { text-align:right !important; font-variant-numeric:tabular-nums; white-space:nowrap; }
.mono { font-family:"IBM Plex Mono", ui-monospace, Menlo, Consolas, monospace; }
.chip { display:inline-block; border-radius:3px; padding:1px 8px; font-size:11px; font-weight:700; text-transform:uppercase; letter-spacing:.04em; }
.chip-draft { background:#e9ecef; color:#495057; } .chip-ordered { background:#d0ebff; color:#1864ab; }
.chip-received { background:#d3f9d8; color:#2b8a3e; } .chip-cancelled { background:#ffe3e3; color:#c92a2a; }
.kpis { display:grid; grid-template-columns:repeat(6, 1fr); gap:10px; margin-bottom:16px; }
.kpi { background:#fff; border:1px solid var(--line); border-left:4px solid var(--accent); border-radius:4px; padding:10px 12px; display:flex; flex-direction:column; color:var(--ink); }
.kpi:hover { text-decoration:none; background:#fffaf0; }
.kpi-value { font-size:24px; font-weight:700; } .kpi-label { color:var(--muted); text-transform:uppercase; font-size:11px; }
.section-heading { font-size:14px; text-transform:uppercase; color:var(--muted); margin:16px 0 8px; letter-spacing:.04em; }
.crumbs { color:var(--muted); font-size:12px; }
.meta-grid { display:grid; grid-template-columns:repeat(3, 1fr); gap:10px 24px; margin:0; padding:12px 14px; }
.meta-grid dt { color:var(--muted); font-size:11px; text-transform:uppercase; } .meta-grid dd { margin:0; }
.meta-wide { grid-column:span 3; }
address { font-style:normal; }
.attr-value { background:#f3f0ff; color:#5f3dc4; border-radius:3px; padding:0 6px; }
.attr-pair { display:inline-block; margin-right:6px; } .attr-name { color:var(--muted); }
.option-tag { display:inline-block; background:#f1f3f5; border-radius:3px; padding:0 6px; margin:1px 4px 1px 0; }
.po-bottom { display:grid; grid-template-columns:2fr 1fr; gap:14px; }
.po-totals dl { margin:0; padding:10px 14px; } .po-totals dl > div { display:flex; justify-content:space-between; padding:3px 0; }
.po-totals dt { color:var(--muted); } .po-totals dd { margin:0; font-variant-numeric:tabular-nums; }
.po-totals .grand { border-top:1px solid var(--line); margin-top:4px; padding-top:6px; font-weight:700; font-size:15px; }
.po-status-form { display:flex; gap:6px; align-items:center; }
.alert { border-radius:4px; padding:8px 12px; margin:8px 0; } .alert-success { background:#d3f9d8; color:#2b8a3e; } .alert-danger { background:#ffe3e3; color:#c92a2a; }
.muted { color:var(--muted); } .intro { margin-top:-6px; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
.empty-state { background:#fff; border:1px solid var(--line); border-radius:4px; padding:24px; max-width:560px; }
`;
