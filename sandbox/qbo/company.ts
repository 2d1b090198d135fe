// One QuickBooks company held in memory, with the business rules QBO enforces on writes:
// required fields, unique names, references that must exist and be active, SyncToken checks,
// server-computed DocNumber/TotalAmt/Balance, and payments that reduce balances through LinkedTxn.
// Every write is all or nothing: a body is checked against the schema before anything changes,
// and whatever a write changed is undone if it fails part-way (a fault or a bug alike).
import { createHash } from 'node:crypto';
import { Clock, DAY_MS, qboDate, qboTimestamp } from './clock';
import {
  ACCOUNT_TYPES,
  type EntityDef,
  entities,
  LINE_DETAIL_TYPES,
  REFERENCE_ACCOUNT_TYPES,
  REFERENCE_LIST_NAMES,
  REFERENCE_TARGETS,
  refHasName,
} from './entities';
import { fault } from './faults';
import { MAX_MONEY, SCHEMAS, type Spec } from './schema';
import { checkChars, validateBody } from './validate';

// QBO records are free-form JSON; the emulator reads and writes them as such.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rec = Record<string, any>;

/**
 * A stored record. Stored objects are never changed in place: every change stores a new object,
 * which is what lets their JSON be cached by identity (recordJson).
 */
export interface Row {
  data: Rec;
  createdMs: number;
  updatedMs: number;
}

export interface Tombstone {
  entity: string;
  id: string;
  ms: number;
}

export interface CachedResponse {
  status: number;
  body: string;
  /** What the request was (method, path, operation, body digest): a requestid replays only for the same request. */
  fingerprint: string;
}

export interface WriteOptions {
  /** Create/update as if at this moment (seeding history). */
  at?: number;
  /** include=allowduplicatedocnum */
  allowDuplicateDocNumber?: boolean;
  /** Seeding only: the new customer is a project (QBO makes projects in its web app; the API cannot). */
  project?: boolean;
}

const USD = { value: 'USD', name: 'United States Dollar' };
const SALES_FORMS = new Set(['Invoice', 'SalesReceipt', 'Estimate', 'CreditMemo']);
const PURCHASE_FORMS = new Set(['Bill', 'PurchaseOrder', 'VendorCredit']);
/** Transactions whose Balance payments reduce (Invoice, Bill) or draw on (CreditMemo, VendorCredit). */
const OPEN_BALANCE = new Set(['Invoice', 'Bill', 'CreditMemo', 'VendorCredit']);
/** Fields the server computes; values sent for them are ignored, as QBO does. */
const READ_ONLY = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status', 'Balance', 'BalanceWithJobs',
  'FullyQualifiedName', 'Level', 'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'UnappliedAmt', 'RemainingCredit',
  'HomeBalance', 'Classification', 'Job', 'SubItem', 'SubClass', 'SubAccount', 'IsProject'];
const COMPUTED_TOTAL = new Set([...SALES_FORMS, ...PURCHASE_FORMS]);
/** Customers, items, classes and accounts nest at most this many levels below the top (Intuit: five levels in all). */
const MAX_LEVEL = 4;
const MAX_CENTS = Math.round(MAX_MONEY * 100);

const jsonCache = new WeakMap<Rec, string>();

/** A stored record's JSON, serialized once: large query pages are mostly these strings joined. */
export function recordJson(rec: Rec): string {
  let text = jsonCache.get(rec);
  if (text === undefined) jsonCache.set(rec, (text = JSON.stringify(rec)));
  return text;
}

const digestCache = new WeakMap<Rec, string>();

/** A stored record's digest, computed once (stored records are never changed in place). */
function recordDigest(rec: Rec): string {
  let d = digestCache.get(rec);
  if (d === undefined) digestCache.set(rec, (d = createHash('sha1').update(recordJson(rec)).digest('base64')));
  return d;
}

/** Money in integer cents (amounts carry two decimals at most once validated), and back. */
export const toCents = (n: number) => Math.round(n * 100);
export const fromCents = (c: number) => c / 100;
const lower = (s: unknown) => String(s ?? '').trim().toLowerCase();
const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (entity: string, id: string) => `${entity}:${id}`;
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A number as an exact integer scaled by 10^scale (it has at most `scale` decimals once validated). */
function scaled(n: number, scale: number): bigint {
  const s = String(Math.abs(n));
  const [mantissa, exp = '0'] = s.split('e');
  const [whole, frac = ''] = mantissa.split('.');
  const shift = scale + Number(exp);
  const digits = whole + frac;
  const pointAt = whole.length + shift;
  const int = pointAt >= digits.length ? digits + '0'.repeat(pointAt - digits.length) : digits.slice(0, Math.max(0, pointAt));
  const v = BigInt(int || '0');
  return n < 0 ? -v : v;
}

/** Qty × UnitPrice in cents, rounded half away from zero, exactly. */
function productCents(qty: number, price: number): number {
  const p = scaled(qty, 5) * scaled(price, 5); // scaled by 10^10
  const unit = 100_000_000n; // 10^10 / 10^2
  let q = p / unit;
  const r = p % unit;
  if ((r < 0n ? -r : r) * 2n >= unit) q += p < 0n ? -1n : 1n;
  return Number(q);
}

export class Company {
  readonly tables = new Map<string, Map<string, Row>>();
  readonly tombstones: Tombstone[] = [];
  readonly requestCache = new Map<string, CachedResponse>();
  /** Bumps on every write to an entity: query caches compare against it. */
  readonly tableVersion = new Map<string, number>();
  private readonly seq = new Map<string, number>();
  private readonly docSeq = new Map<string, number>();
  /** Which payments apply how many cents to which invoice/bill: target key -> (payment key -> cents). */
  private readonly applied = new Map<string, Map<string, number>>();
  /** Transactions of each customer/vendor: "Customer:5" -> {"Invoice:12", ...}. */
  private readonly partyTxns = new Map<string, Set<string>>();
  /** Lower-cased unique names per uniqueness scope -> "Entity:id" of the holder. */
  private readonly names = new Map<string, Map<string, string>>();
  /** Sub-customers of each customer, for BalanceWithJobs. */
  private readonly children = new Map<string, Set<string>>();
  /** Voided transactions ("Invoice:12"): kept, with every amount zeroed, and frozen. */
  private readonly voided = new Set<string>();
  private addressSeq = 0;
  /** What the write under way changed, newest last, to undo it if the write fails; null outside writes. */
  private journal: (() => void)[] | null = null;

  constructor(
    readonly realmId: string,
    readonly clock: Clock,
  ) {
    for (const name of entities.keys()) this.tables.set(name, new Map());
    this.seq.set('Class', 5000000000000000000 / 1e6); // Class ids are long: 5000000000000xxxxxx
  }

  // ---- reads ---------------------------------------------------------------------------------

  table(entity: string): Map<string, Row> {
    return this.tables.get(entity)!;
  }

  get(entity: string, id: string): Rec | undefined {
    return this.tables.get(entity)?.get(id)?.data;
  }

  get companyName(): string {
    return this.get('CompanyInfo', '1')?.CompanyName ?? this.realmId;
  }

  count(entity: string): number {
    return this.table(entity).size;
  }

  /** Transactions that belong to a customer or vendor, with their entity names. */
  txnsOf(partyEntity: string, partyId: string): { entity: string; rec: Rec }[] {
    const out: { entity: string; rec: Rec }[] = [];
    for (const k of this.partyTxns.get(key(partyEntity, partyId)) ?? []) {
      const [entity, id] = k.split(':');
      const rec = this.get(entity, id);
      if (rec) out.push({ entity, rec });
    }
    return out;
  }

  /**
   * A digest of everything the company holds: records, deletions, id and number sequences and
   * the indexes. Equal digests before and after a refused request prove it changed nothing.
   */
  fingerprint(): string {
    const h = createHash('sha256');
    for (const [name, t] of this.tables) for (const [id, row] of t) h.update(`${name}:${id}:${row.createdMs}:${row.updatedMs}:${recordDigest(row.data)}\n`);
    h.update(JSON.stringify(this.tombstones));
    h.update(JSON.stringify([[...this.seq], [...this.docSeq], this.addressSeq, [...this.voided]]));
    // Empty maps and sets are left out: a refused write may leave one behind, holding nothing.
    for (const [t, m] of this.applied) if (m.size) h.update(`${t}=${JSON.stringify([...m])}`);
    for (const [p, s] of this.partyTxns) if (s.size) h.update(`${p}=${[...s].join()}`);
    for (const [p, s] of this.children) if (s.size) h.update(`${p}>${[...s].join()}`);
    for (const [scope, m] of this.names) if (m.size) h.update(`${scope}=${JSON.stringify([...m])}`);
    return h.digest('hex');
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Puts CompanyInfo or Preferences in place (they exist from the start; the API only updates them). */
  initSingleton(entity: 'CompanyInfo' | 'Preferences', data: Rec, at: number) {
    const rec = { ...JSON.parse(JSON.stringify(data)), domain: 'QBO', sparse: false, Id: '1', SyncToken: '0',
      MetaData: { CreateTime: qboTimestamp(at), LastUpdatedTime: qboTimestamp(at) } };
    this.table(entity).set('1', { data: rec, createdMs: at, updatedMs: at });
    this.bump(entity);
  }

  create(entity: string, body: Rec, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'create');
    validateBody(entity, body);
    return this.atomically(() => {
      const rec: Rec = {};
      for (const [k, val] of Object.entries(structuredClone(body)))
        if (!READ_ONLY.includes(k) && val !== null && val !== undefined) rec[k] = val;
      if (COMPUTED_TOTAL.has(entity)) delete rec.TotalAmt;
      const at = opts.at ?? this.clock.now();
      if (opts.project && entity === 'Customer') rec.IsProject = true;
      this.prepare(def, rec, undefined, at);
      rec.Id = this.nextId(def);
      this.assignDocNumber(def, rec, undefined, opts);
      rec.SyncToken = '0';
      rec.domain = 'QBO';
      rec.sparse = false;
      rec.MetaData = { CreateTime: qboTimestamp(at), LastUpdatedTime: qboTimestamp(at) };
      this.store(def, rec, undefined, at);
      return this.get(entity, rec.Id)!;
    });
  }

  update(entity: string, body: Rec, sparse: boolean, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'update');
    validateBody(entity, body);
    return this.atomically(() => {
      const existing = this.existingFor(def, body);
      if (this.voided.has(key(entity, existing.data.Id))) throw fault.businessValidation('This transaction has been voided and can no longer be changed.');
      const at = opts.at ?? this.clock.now();
      const input = structuredClone(body);
      let rec: Rec;
      if (sparse) {
        rec = structuredClone(existing.data);
        for (const [k, val] of Object.entries(input)) {
          if (READ_ONLY.includes(k)) continue;
          if (val === null || val === undefined) delete rec[k];
          else rec[k] = val;
        }
      } else {
        // A full update sets every writable field the request leaves out to null.
        rec = {};
        for (const k of READ_ONLY) if (k in existing.data) rec[k] = structuredClone(existing.data[k]);
        for (const [k, val] of Object.entries(input)) if (!READ_ONLY.includes(k) && val !== null && val !== undefined) rec[k] = val;
      }
      if (COMPUTED_TOTAL.has(entity)) delete rec.TotalAmt;
      if (entity === 'Item' && existing.data.Type === 'Inventory' && rec.Type !== 'Inventory')
        throw fault.businessValidation('You can\'t change the type of an inventory item.');
      if (entity === 'Item' && existing.data.TrackQtyOnHand === true && rec.TrackQtyOnHand === false)
        throw fault.businessValidation('Once an item tracks quantity on hand, it keeps tracking it.');
      this.prepare(def, rec, existing.data, at);
      this.assignDocNumber(def, rec, existing.data, opts);
      rec.Id = existing.data.Id;
      rec.SyncToken = String(Number(existing.data.SyncToken) + 1);
      rec.domain = 'QBO';
      rec.sparse = false;
      rec.MetaData = { ...existing.data.MetaData, LastUpdatedTime: qboTimestamp(at) };
      this.store(def, rec, existing.data, at);
      return this.get(entity, rec.Id)!;
    });
  }

  /**
   * Deletes a transaction (Id and SyncToken; the whole record is accepted too). QBO deletes no
   * name or list record: those are made inactive with an update (Active false).
   */
  remove(entity: string, body: Rec, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'delete');
    if (def.kind !== 'txn')
      throw fault.unsupportedOperationFor('delete', entity, 'Make it inactive instead: a sparse update with "Active": false.');
    validateBody(entity, body);
    return this.atomically(() => {
      const existing = this.existingFor(def, body);
      this.refuseIfPaid(def, existing.data, 'delete');
      const at = opts.at ?? this.clock.now();
      this.unindex(def, existing.data);
      this.deleteRow(entity, existing.data.Id);
      this.tombstones.push({ entity, id: existing.data.Id, ms: at });
      this.undo(() => this.tombstones.pop());
      this.afterTxnChange(def, existing.data, undefined, at);
      return { domain: 'QBO', status: 'Deleted', Id: existing.data.Id };
    });
  }

  /** Void keeps the transaction with every amount zeroed, as QBO does. */
  void(entity: string, body: Rec, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'void');
    if (!def.void)
      throw fault.unsupportedOperationFor('void', entity, def.kind === 'txn' ? 'Delete it instead.' : 'Make it inactive instead.');
    validateBody(entity, body);
    return this.atomically(() => {
      const existing = this.existingFor(def, body);
      if (this.voided.has(key(entity, existing.data.Id))) throw fault.businessValidation(`This ${entity} has already been voided.`);
      this.refuseIfPaid(def, existing.data, 'void');
      const at = opts.at ?? this.clock.now();
      const rec: Rec = structuredClone(existing.data);
      if (entity === 'BillPayment') rec.Line = [];
      for (const line of rec.Line ?? []) {
        line.Amount = 0;
        const detail = line[line.DetailType];
        if (isObj(detail) && typeof detail.Qty === 'number') detail.Qty = 0;
      }
      rec.TotalAmt = 0;
      if ('Balance' in rec) rec.Balance = 0;
      if ('UnappliedAmt' in rec) rec.UnappliedAmt = 0;
      // "Voided" is put in front of the note, as Intuit describes it.
      rec.PrivateNote = rec.PrivateNote ? `Voided ${rec.PrivateNote}`.slice(0, 4000) : 'Voided';
      rec.SyncToken = String(Number(existing.data.SyncToken) + 1);
      rec.MetaData = { ...existing.data.MetaData, LastUpdatedTime: qboTimestamp(at) };
      this.voided.add(key(entity, rec.Id));
      this.undo(() => this.voided.delete(key(entity, rec.Id)));
      this.store(def, rec, existing.data, at);
      return this.get(entity, rec.Id)!;
    });
  }

  // ---- all or nothing ------------------------------------------------------------------------

  /** Runs a write; if it throws, everything it changed is put back before the error goes on. */
  private atomically<T>(write: () => T): T {
    if (this.journal) return write();
    const journal: (() => void)[] = [];
    this.journal = journal;
    try {
      return write();
    } catch (e) {
      this.journal = null;
      for (let i = journal.length - 1; i >= 0; i--) journal[i]();
      throw e;
    } finally {
      this.journal = null;
    }
  }

  private undo(step: () => void) {
    this.journal?.push(step);
  }

  private mapSet<K, V>(map: Map<K, V>, k: K, v: V) {
    const had = map.has(k);
    const old = map.get(k);
    map.set(k, v);
    this.undo(() => (had ? map.set(k, old as V) : map.delete(k)));
  }

  private mapDelete<K, V>(map: Map<K, V>, k: K) {
    if (!map.has(k)) return;
    const old = map.get(k) as V;
    map.delete(k);
    this.undo(() => map.set(k, old));
  }

  private setAdd<V>(set: Set<V>, v: V) {
    if (set.has(v)) return;
    set.add(v);
    this.undo(() => set.delete(v));
  }

  private setDelete<V>(set: Set<V>, v: V) {
    if (!set.delete(v)) return;
    this.undo(() => set.add(v));
  }

  private putRow(entity: string, id: string, row: Row) {
    this.mapSet(this.table(entity), id, row);
    this.bump(entity);
  }

  private deleteRow(entity: string, id: string) {
    this.mapDelete(this.table(entity), id);
    this.bump(entity);
  }

  /** Replaces a stored record's data (a new object, so its cached JSON is not reused). */
  private setRowData(entity: string, row: Row, data: Rec, updatedMs = row.updatedMs) {
    const [oldData, oldMs] = [row.data, row.updatedMs];
    row.data = data;
    row.updatedMs = updatedMs;
    this.undo(() => {
      row.data = oldData;
      row.updatedMs = oldMs;
    });
    this.bump(entity);
  }

  private bump(entity: string) {
    this.tableVersion.set(entity, (this.tableVersion.get(entity) ?? 0) + 1);
    // Undoing a change is a change too: caches keyed on the version must not see the old one again.
    this.undo(() => this.tableVersion.set(entity, (this.tableVersion.get(entity) ?? 0) + 1));
  }

  // ---- internals -----------------------------------------------------------------------------

  private def(entity: string, operation: string): EntityDef {
    const def = entities.get(entity);
    if (!def) throw fault.unsupportedOperation(`/v3/company/${this.realmId}/${entity}`);
    if (def.kind === 'singleton' && operation !== 'update')
      throw fault.unsupportedOperationFor(operation, entity, 'Read it, or update it with its Id and SyncToken.');
    return def;
  }

  private existingFor(def: EntityDef, body: Rec): Row {
    if (body.Id === undefined || body.Id === null || body.Id === '') throw fault.requiredParam('Id');
    if (body.SyncToken === undefined || body.SyncToken === null || body.SyncToken === '')
      throw fault.requiredParam('SyncToken');
    const row = this.table(def.name).get(String(body.Id));
    if (!row)
      throw fault.objectNotFound(
        def.kind === 'txn' ? 'Object Not Found : Another user has deleted this transaction.' : undefined,
      );
    if (String(body.SyncToken) !== row.data.SyncToken) throw fault.staleObject();
    return row;
  }

  private nextId(def: EntityDef): string {
    const next = (this.seq.get(def.idGroup) ?? 0) + 1;
    this.mapSet(this.seq, def.idGroup, next);
    return def.idGroup === 'Class' ? `${next}000000` : String(next);
  }

  private assignDocNumber(def: EntityDef, rec: Rec, existing: Rec | undefined, opts: WriteOptions) {
    if (!def.autoDocNumber) return;
    if (blank(rec.DocNumber)) {
      if (existing?.DocNumber) {
        rec.DocNumber = existing.DocNumber;
        return;
      }
      let n = (this.docSeq.get(def.name) ?? 1000) + 1;
      while (this.docNumberTaken(def.name, String(n))) n++;
      this.mapSet(this.docSeq, def.name, n);
      rec.DocNumber = String(n);
      return;
    }
    const holder = this.names.get(`doc:${def.name}`)?.get(lower(rec.DocNumber));
    if (def.uniqueDocNumber && !opts.allowDuplicateDocNumber && holder !== undefined && holder !== existing?.Id)
      throw fault.duplicateDocNumber(rec.DocNumber, def.name, holder);
    const numeric = Number(rec.DocNumber);
    if (Number.isInteger(numeric) && numeric > (this.docSeq.get(def.name) ?? 1000) && numeric < 1e9)
      this.mapSet(this.docSeq, def.name, numeric);
  }

  private docNumberTaken(entity: string, docNumber: string): boolean {
    return this.names.get(`doc:${entity}`)?.get(lower(docNumber)) !== undefined;
  }

  /** Checks the business rules and completes a record before it is stored. */
  private prepare(def: EntityDef, rec: Rec, existing: Rec | undefined, at: number) {
    for (const field of def.required) {
      const val = rec[field];
      if (blank(val) || (Array.isArray(val) && val.length === 0)) throw fault.requiredParam(field);
    }
    switch (def.kind) {
      case 'name':
        this.prepareName(def, rec, existing);
        break;
      case 'list':
        this.prepareList(def, rec, existing);
        break;
      case 'txn':
        this.prepareTxn(def, rec, existing, at);
        break;
      case 'singleton':
        break;
    }
    // QBO numbers every address it stores.
    for (const field of ['BillAddr', 'ShipAddr', 'VendorAddr', 'RemitToAddr', 'PrimaryAddr', 'ShipFromAddr'])
      if (isObj(rec[field]) && !rec[field].Id) {
        const before = this.addressSeq;
        this.undo(() => (this.addressSeq = before));
        rec[field] = { Id: String(++this.addressSeq), ...rec[field] };
      }
    if (def.kind !== 'singleton') this.resolveReferences(def, rec);
  }

  private prepareName(def: EntityDef, rec: Rec, existing: Rec | undefined) {
    if (rec.DisplayName !== undefined && blank(rec.DisplayName))
      throw fault.noName('DisplayName is blank. Give the name as it should appear, or leave DisplayName out and send the name parts.');
    if (rec.DisplayName === undefined) {
      const parts = [rec.Title, rec.GivenName, rec.MiddleName, rec.FamilyName, rec.Suffix].filter((p) => !blank(p));
      if (parts.length === 0 && blank(rec.CompanyName)) throw fault.noName();
      rec.DisplayName = parts.length ? parts.join(' ') : rec.CompanyName;
      if (rec.DisplayName.length > 500) throw fault.stringLength('DisplayName', 500, rec.DisplayName.length);
      checkChars(rec.DisplayName, 'name', 'DisplayName');
    }
    // The name printed on checks defaults to the display name, cut to its own limit.
    rec.PrintOnCheckName ??= rec.DisplayName.slice(0, 100);
    rec.Active ??= true;
    if (def.name !== 'Employee') rec.CurrencyRef ??= { ...USD };
    if (def.name === 'Vendor') {
      rec.Vendor1099 ??= false;
      rec.Balance = existing?.Balance ?? 0;
    }
    if (def.name === 'Customer') {
      rec.Taxable ??= true;
      rec.BillWithParent ??= false;
      rec.PreferredDeliveryMethod ??= 'Print';
      rec.Balance = existing?.Balance ?? 0;
      rec.BalanceWithJobs = existing?.BalanceWithJobs ?? 0;
      const parent = this.parentOf(def, rec, existing);
      if (parent) {
        rec.Job = true;
        rec.Level = (parent.Level ?? 0) + 1;
        rec.FullyQualifiedName = `${parent.FullyQualifiedName}:${rec.DisplayName}`;
      } else {
        rec.Job = false;
        delete rec.Level;
        rec.FullyQualifiedName = rec.DisplayName;
      }
    } else {
      rec.FullyQualifiedName = rec.DisplayName;
    }
    this.checkUnique('names', def.name === 'Customer' ? rec.FullyQualifiedName : rec.DisplayName, existing, def.name);
  }

  /**
   * The parent a record names (ParentRef), after checking it exists, is not the record itself or
   * one of its descendants, and leaves the record and everything under it within five levels.
   */
  private parentOf(def: EntityDef, rec: Rec, existing: Rec | undefined): Rec | undefined {
    if (!isObj(rec.ParentRef)) {
      delete rec.ParentRef;
      return undefined;
    }
    const parentId = String(rec.ParentRef.value ?? '');
    if (!parentId) throw fault.requiredParam('ParentRef.value');
    const parent = this.get(def.name, parentId);
    if (!parent) throw fault.invalidReference(REFERENCE_LIST_NAMES[def.name] ?? def.name, parentId);
    if (existing) {
      const seen = new Set<string>();
      for (let p: Rec | undefined = parent; p; p = isObj(p.ParentRef) ? this.get(def.name, String(p.ParentRef.value)) : undefined) {
        if (p.Id === existing.Id)
          throw fault.businessValidation(`A ${def.name.toLowerCase()} cannot be its own parent, or the parent of one of its parents.`);
        if (seen.has(p.Id)) break;
        seen.add(p.Id);
      }
    }
    const level = (parent.Level ?? 0) + 1;
    const below = existing ? this.subtreeHeight(def, existing.Id) : 0;
    if (level + below > MAX_LEVEL)
      throw fault.businessValidation(`${def.name} records nest at most ${MAX_LEVEL + 1} levels deep (a parent and ${MAX_LEVEL} levels below it).`);
    return parent;
  }

  private childrenOf(def: EntityDef, id: string): string[] {
    if (def.name === 'Customer') return [...(this.children.get(id) ?? [])];
    const out: string[] = [];
    for (const row of this.table(def.name).values()) if (row.data.ParentRef?.value === id) out.push(row.data.Id);
    return out;
  }

  private subtreeHeight(def: EntityDef, id: string, depth = 0): number {
    if (depth > MAX_LEVEL + 1) return depth;
    let h = 0;
    for (const child of this.childrenOf(def, id)) h = Math.max(h, 1 + this.subtreeHeight(def, child, depth + 1));
    return h;
  }

  private prepareList(def: EntityDef, rec: Rec, existing: Rec | undefined) {
    if (blank(rec.Name)) throw fault.requiredParam('Name');
    rec.Active ??= true;
    // Items, accounts and classes nest and have a FullyQualifiedName; terms and payment methods do neither.
    const nests = def.name === 'Item' || def.name === 'Account' || def.name === 'Class';
    const parent = nests ? this.parentOf(def, rec, existing) : undefined;
    if (nests) rec.FullyQualifiedName = parent ? `${parent.FullyQualifiedName}:${rec.Name}` : rec.Name;
    if (parent) rec.Level = (parent.Level ?? 0) + 1;
    else delete rec.Level;
    switch (def.name) {
      case 'Item': {
        if (!rec.Type) throw fault.requiredParam('Type');
        rec.SubItem = !!parent;
        if (rec.Type === 'Inventory') {
          for (const f of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef', 'InvStartDate', 'QtyOnHand'])
            if (blank(rec[f])) throw fault.requiredParam(f);
          rec.TrackQtyOnHand = true;
        } else if (rec.Type === 'Service' || rec.Type === 'NonInventory') {
          if (!rec.IncomeAccountRef && !rec.ExpenseAccountRef) throw fault.requiredParam('IncomeAccountRef');
          rec.TrackQtyOnHand ??= false;
        }
        rec.Taxable ??= false;
        rec.UnitPrice ??= 0;
        rec.PurchaseCost ??= 0;
        break;
      }
      case 'Account': {
        if (!rec.AccountType && !rec.AccountSubType) throw fault.invalidAccountType();
        if (!rec.AccountType) {
          const type = Object.entries(ACCOUNT_TYPES).find(([, t]) => t.defaultSubType === rec.AccountSubType)?.[0];
          if (!type) throw fault.invalidAccountType();
          rec.AccountType = type;
        }
        const type = ACCOUNT_TYPES[rec.AccountType];
        if (!type) throw fault.invalidEnumeration('AccountType', rec.AccountType);
        rec.Classification = type.classification;
        rec.AccountSubType ??= type.defaultSubType;
        rec.SubAccount = !!parent;
        if (parent && parent.AccountType !== rec.AccountType)
          throw fault.businessValidation('A sub-account must have the same account type as its parent.');
        rec.CurrentBalance = existing?.CurrentBalance ?? 0;
        rec.CurrentBalanceWithSubAccounts = existing?.CurrentBalanceWithSubAccounts ?? 0;
        rec.CurrencyRef ??= { ...USD };
        break;
      }
      case 'Class':
        rec.SubClass = !!parent;
        break;
      case 'PaymentMethod':
        rec.Type ??= 'NON_CREDIT_CARD';
        break;
      case 'Term':
        if (rec.DueDays === undefined && rec.DayOfMonthDue === undefined) throw fault.requiredParam('DueDays');
        rec.Type ??= rec.DueDays !== undefined ? 'STANDARD' : 'DATE_DRIVEN';
        break;
    }
    this.checkUnique(def.name, rec.FullyQualifiedName ?? rec.Name, existing, def.name);
  }

  private checkUnique(scope: string, name: string, existing: Rec | undefined, entity: string) {
    const holder = this.names.get(scope)?.get(lower(name));
    if (holder !== undefined && holder !== (existing && key(entity, existing.Id))) throw fault.duplicateName();
  }

  private prepareTxn(def: EntityDef, rec: Rec, existing: Rec | undefined, at: number) {
    rec.TxnDate ??= qboDate(at);
    rec.CurrencyRef ??= { ...USD };
    if (def.name === 'Payment') return this.preparePayment(rec);
    if (def.name === 'BillPayment') return this.prepareBillPayment(rec);
    if (!Array.isArray(rec.Line) || rec.Line.length === 0) throw fault.requiredParam('Line');
    const party = def.party ? this.partyOf(def, rec) : undefined;
    if (SALES_FORMS.has(def.name)) {
      const { lines, total } = this.salesLines(rec.Line);
      rec.Line = lines;
      rec.TotalAmt = total;
      rec.TxnTaxDetail ??= { TotalTax: 0 };
      rec.ApplyTaxAfterDiscount ??= false;
      rec.PrintStatus ??= 'NotSet';
      rec.EmailStatus ??= 'NotSet';
      rec.CustomField ??= this.salesCustomFieldDefinitions();
      if (party) {
        if (party.BillAddr && !rec.BillAddr) rec.BillAddr = structuredClone(party.BillAddr);
        if (party.ShipAddr && !rec.ShipAddr) rec.ShipAddr = structuredClone(party.ShipAddr);
        if (party.PrimaryEmailAddr?.Address && !rec.BillEmail) rec.BillEmail = { Address: party.PrimaryEmailAddr.Address };
      }
      if (rec.EmailStatus === 'NeedToSend' && !rec.BillEmail?.Address) throw fault.requiredParam('BillEmail');
      if (def.name === 'Invoice') {
        rec.DueDate ??= this.dueDate(rec.TxnDate, rec.SalesTermRef ?? party?.SalesTermRef, 30);
        rec.LinkedTxn = (rec.LinkedTxn ?? []).filter((l: Rec) => l.TxnType !== 'Payment');
        // An invoice made from an estimate names it (closeEstimates); the estimate must exist.
        if (!existing)
          for (const l of rec.LinkedTxn)
            if (l.TxnType === 'Estimate' && !this.get('Estimate', l.TxnId)) throw fault.invalidReference('Transactions', l.TxnId);
        for (const f of ['AllowIPNPayment', 'AllowOnlinePayment', 'AllowOnlineCreditCardPayment', 'AllowOnlineACHPayment'])
          rec[f] ??= false;
        rec.Balance = total; // payments are applied in store()
      }
      if (def.name === 'CreditMemo') rec.Balance = rec.RemainingCredit = total;
      if (def.name === 'SalesReceipt') rec.Balance = 0;
      if (def.name === 'Estimate') rec.TxnStatus ??= 'Pending';
    } else {
      const { lines, total } = this.purchaseLines(rec.Line);
      rec.Line = lines;
      rec.TotalAmt = total;
      if (def.name === 'Bill') {
        rec.APAccountRef ??= this.defaultAccount('Accounts Payable');
        rec.DueDate ??= this.dueDate(rec.TxnDate, rec.SalesTermRef ?? party?.TermRef, 0);
        rec.LinkedTxn = (rec.LinkedTxn ?? []).filter((l: Rec) => !String(l.TxnType).startsWith('BillPayment'));
        rec.Balance = total;
      }
      if (def.name === 'PurchaseOrder') {
        rec.POStatus ??= 'Open';
        rec.EmailStatus ??= 'NotSet';
      }
      if (def.name === 'VendorCredit') {
        rec.APAccountRef ??= this.defaultAccount('Accounts Payable');
        rec.Balance = total;
      }
    }
    // A changed total may not fall below what payments already apply to it.
    if (existing && OPEN_BALANCE.has(def.name)) {
      const paid = this.paidCents(key(def.name, existing.Id));
      if (toCents(rec.TotalAmt) < paid)
        throw fault.businessValidation(`Payments already apply ${fromCents(paid)} to this ${def.name}; its total cannot fall to ${rec.TotalAmt}.`);
    }
  }

  /** The custom fields the company turned on for sales forms (Preferences), without values. */
  private salesCustomFieldDefinitions(): Rec[] {
    const groups: Rec[] = this.get('Preferences', '1')?.SalesFormsPrefs?.CustomField ?? [];
    const settings = new Map<string, Rec>();
    for (const g of groups) for (const f of g.CustomField ?? []) settings.set(f.Name, f);
    const out: Rec[] = [];
    for (const n of ['1', '2', '3'])
      if (settings.get(`SalesFormsPrefs.UseSalesCustom${n}`)?.BooleanValue === true)
        out.push({ DefinitionId: n, Name: settings.get(`SalesFormsPrefs.SalesCustomName${n}`)?.StringValue ?? `Custom ${n}`, Type: 'StringType' });
    return out;
  }

  private partyOf(def: EntityDef, rec: Rec): Rec | undefined {
    const ref = rec[def.party!];
    if (!isObj(ref) || !ref.value) return undefined;
    return this.get(def.party === 'CustomerRef' ? 'Customer' : 'Vendor', String(ref.value));
  }

  private dueDate(txnDate: string, termRef: Rec | undefined, fallbackDays: number): string {
    const term = isObj(termRef) && termRef.value ? this.get('Term', String(termRef.value)) : undefined;
    const days = term?.DueDays ?? fallbackDays;
    const base = Date.parse(`${txnDate}T12:00:00Z`);
    if (Number.isNaN(base)) return txnDate;
    return new Date(base + days * DAY_MS).toISOString().slice(0, 10);
  }

  private defaultAccount(type: string): Rec | undefined {
    for (const row of this.table('Account').values())
      if (row.data.AccountType === type && row.data.Active !== false) return { value: row.data.Id, name: row.data.FullyQualifiedName };
    return undefined;
  }

  private checkDetailType(line: Rec, allowed: readonly string[], n: number) {
    if (!line.DetailType) throw fault.requiredParam('Line.DetailType');
    if (!(LINE_DETAIL_TYPES as readonly string[]).includes(line.DetailType))
      throw fault.invalidEnumeration('Line.DetailType', line.DetailType);
    if (!allowed.includes(line.DetailType))
      throw fault.businessValidation(`A ${line.DetailType} line is not allowed on this transaction.`);
    const detailKey = line.DetailType === 'DescriptionOnly' ? 'DescriptionLineDetail' : line.DetailType;
    for (const k of Object.keys(line))
      if (k.endsWith('Detail') && k !== detailKey)
        throw fault.invalidValue(`Line[${n - 1}].${k}`, `does not belong on a ${line.DetailType} line`);
    if (line.DetailType !== 'DescriptionOnly' && !isObj(line[line.DetailType]))
      throw fault.requiredParam(`Line.${line.DetailType}`);
  }

  /** A line's amount in cents: as sent, or Qty × UnitPrice; when both are sent they must agree to the cent. */
  private amountCents(line: Rec, detail: Rec | undefined, n: number): number {
    const qty = detail?.Qty;
    const price = detail?.UnitPrice;
    const both = typeof qty === 'number' && typeof price === 'number';
    const computed = both ? productCents(qty, price) : undefined;
    if (line.Amount === undefined || line.Amount === null) {
      if (computed === undefined) throw fault.requiredParam('Line.Amount');
      if (Math.abs(computed) > MAX_CENTS) throw fault.businessValidation(`Line ${n}: Qty × UnitPrice is more than ${MAX_MONEY}.`);
      if (computed < 0) throw fault.businessValidation(`Line ${n}: the amount cannot be negative.`);
      return computed;
    }
    const cents = toCents(line.Amount);
    if (computed !== undefined && computed !== cents) throw fault.amountCalculation(n);
    return cents;
  }

  private checkTotal(cents: number): number {
    if (cents > MAX_CENTS) throw fault.businessValidation(`The transaction total is more than ${MAX_MONEY}, the largest amount QuickBooks takes.`);
    if (cents < 0) throw fault.businessValidation('The transaction total cannot be negative.');
    return fromCents(cents);
  }

  private salesLines(input: Rec[]): { lines: Rec[]; total: number } {
    const lines: Rec[] = [];
    let total = 0;
    for (const raw of input) {
      if (raw.DetailType === 'SubTotalLineDetail') continue; // the server adds its own
      const line: Rec = { ...raw };
      const n = lines.length + 1;
      this.checkDetailType(line, ['SalesItemLineDetail', 'GroupLineDetail', 'DescriptionOnly', 'DiscountLineDetail'], n);
      if (line.DetailType !== 'DescriptionOnly') {
        const detail = line[line.DetailType];
        if (line.DetailType === 'SalesItemLineDetail') {
          if (!isObj(detail.ItemRef) || !detail.ItemRef.value) throw fault.requiredParam('Line.SalesItemLineDetail.ItemRef');
          detail.TaxCodeRef ??= { value: 'NON' };
        }
        const cents = this.amountCents(line, detail, n);
        line.Amount = fromCents(cents);
        total += line.DetailType === 'DiscountLineDetail' ? -cents : cents;
      }
      line.Id = String(n);
      line.LineNum = n;
      lines.push(line);
    }
    if (lines.length === 0) throw fault.requiredParam('Line');
    const amount = this.checkTotal(total);
    lines.push({ Amount: amount, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    return { lines, total: amount };
  }

  private purchaseLines(input: Rec[]): { lines: Rec[]; total: number } {
    const lines: Rec[] = [];
    let total = 0;
    for (const raw of input) {
      const line: Rec = { ...raw };
      const n = lines.length + 1;
      this.checkDetailType(line, ['ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail'], n);
      const detail = line[line.DetailType];
      if (line.DetailType === 'ItemBasedExpenseLineDetail' && (!isObj(detail.ItemRef) || !detail.ItemRef.value))
        throw fault.requiredParam('Line.ItemBasedExpenseLineDetail.ItemRef');
      if (line.DetailType === 'AccountBasedExpenseLineDetail' && (!isObj(detail.AccountRef) || !detail.AccountRef.value))
        throw fault.requiredParam('Line.AccountBasedExpenseLineDetail.AccountRef');
      detail.BillableStatus ??= 'NotBillable';
      detail.TaxCodeRef ??= { value: 'NON' };
      const cents = this.amountCents(line, detail, n);
      line.Amount = fromCents(cents);
      total += cents;
      line.Id = String(n);
      line.LineNum = n;
      lines.push(line);
    }
    return { lines, total: this.checkTotal(total) };
  }

  /** Payment lines apply money to invoices (and take it from credit memos) of the same customer. */
  private preparePayment(rec: Rec) {
    if (rec.TotalAmt === undefined) throw fault.requiredParam('TotalAmt');
    const customerId = isObj(rec.CustomerRef) ? String(rec.CustomerRef.value ?? '') : '';
    rec.Line = this.paymentLines(rec.Line ?? [], customerId, { Invoice: 1, CreditMemo: -1 }, 'Payment', rec.Id);
    const applied = rec.Line.reduce((s: number, l: Rec) => s + toCents(l.Amount) * (l.LinkedTxn[0].TxnType === 'CreditMemo' ? -1 : 1), 0);
    const unapplied = toCents(rec.TotalAmt) - applied;
    if (unapplied < 0)
      throw fault.businessValidation(
        `The payment applies ${fromCents(applied)} but its TotalAmt is ${rec.TotalAmt}. Raise TotalAmt or apply less.`,
      );
    rec.UnappliedAmt = fromCents(unapplied);
  }

  private prepareBillPayment(rec: Rec) {
    if (rec.TotalAmt === undefined) throw fault.requiredParam('TotalAmt');
    if (rec.PayType === 'Check' && !rec.CheckPayment?.BankAccountRef?.value) throw fault.requiredParam('CheckPayment.BankAccountRef');
    if (rec.PayType === 'CreditCard' && !rec.CreditCardPayment?.CCAccountRef?.value)
      throw fault.requiredParam('CreditCardPayment.CCAccountRef');
    if (rec.PayType === 'Check') {
      delete rec.CreditCardPayment;
      rec.CheckPayment.PrintStatus ??= 'NotSet';
    } else delete rec.CheckPayment;
    if (!Array.isArray(rec.Line) || rec.Line.length === 0) throw fault.requiredParam('Line');
    const vendorId = isObj(rec.VendorRef) ? String(rec.VendorRef.value ?? '') : '';
    rec.Line = this.paymentLines(rec.Line, vendorId, { Bill: 1, VendorCredit: -1 }, 'BillPayment', rec.Id);
    const applied = rec.Line.reduce((s: number, l: Rec) => s + toCents(l.Amount) * (l.LinkedTxn[0].TxnType === 'VendorCredit' ? -1 : 1), 0);
    if (applied > toCents(rec.TotalAmt))
      throw fault.businessValidation(`The bill payment applies ${fromCents(applied)} but its TotalAmt is ${rec.TotalAmt}.`);
    if (applied < 0) throw fault.businessValidation('A bill payment cannot take more from vendor credits than it pays on bills.');
    rec.APAccountRef ??= this.defaultAccount('Accounts Payable');
  }

  private paymentLines(input: Rec[], partyId: string, types: Record<string, number>, payer: string, selfId?: string): Rec[] {
    const taking = new Map<string, number>();
    return input.map((raw, i) => {
      const link = raw.LinkedTxn?.[0];
      if (!isObj(link) || !link.TxnId || !link.TxnType) throw fault.requiredParam('Line.LinkedTxn');
      if (!(link.TxnType in types)) throw fault.invalidEnumeration('Line.LinkedTxn.TxnType', link.TxnType);
      if (raw.Amount === undefined) throw fault.requiredParam('Line.Amount');
      const target = this.get(link.TxnType, String(link.TxnId));
      if (!target) throw fault.objectNotFound(`Object Not Found : ${link.TxnType} ${link.TxnId} does not exist or has been deleted.`);
      const targetDef = entities.get(link.TxnType)!;
      if (String(target[targetDef.party!]?.value) !== partyId)
        throw fault.businessValidation(`${link.TxnType} ${link.TxnId} belongs to another ${targetDef.party === 'CustomerRef' ? 'customer' : 'vendor'}.`);
      if (this.voided.has(key(link.TxnType, target.Id))) throw fault.businessValidation(`${link.TxnType} ${link.TxnId} has been voided.`);
      const cents = toCents(raw.Amount);
      // What is still open on the target, not counting what this same payment already applies,
      // less what earlier lines of this payment take from it.
      const targetKey = key(link.TxnType, target.Id);
      const mine = selfId ? (this.applied.get(targetKey)?.get(key(payer, selfId)) ?? 0) : 0;
      const open = toCents(target.Balance ?? 0) + mine - (taking.get(targetKey) ?? 0);
      if (cents > open)
        throw fault.businessValidation(`${link.TxnType} ${target.DocNumber ?? target.Id} has an open balance of ${fromCents(open)}; this line applies ${raw.Amount}.`);
      taking.set(targetKey, (taking.get(targetKey) ?? 0) + cents);
      return { ...raw, Amount: fromCents(cents), LinkedTxn: [{ TxnId: String(link.TxnId), TxnType: link.TxnType }], LineNum: i + 1 };
    });
  }

  private paidCents(targetKey: string): number {
    let paid = 0;
    for (const c of this.applied.get(targetKey)?.values() ?? []) paid += c;
    return paid;
  }

  private refuseIfPaid(def: EntityDef, rec: Rec, what: string) {
    const payments = this.applied.get(key(def.name, rec.Id));
    if (payments && [...payments.values()].some((a) => a > 0))
      throw fault.businessValidation(
        `This ${def.name} has payments applied. Delete or unapply the payments before you ${what} it.`,
      );
  }

  /**
   * Checks every reference in the record exists, is active and is of the right kind, and puts on
   * it the name QBO returns (or none, where QBO returns only the value).
   */
  private resolveReferences(def: EntityDef, rec: Rec) {
    const walk = (fields: Readonly<Record<string, Spec>>, node: Rec) => {
      for (const [field, value] of Object.entries(node)) {
        const spec = fields[field];
        if (!spec || value === null || typeof value !== 'object') continue;
        if (spec.kind === 'ref') this.resolveRef(def, field, value);
        else if (spec.kind === 'object') walk(spec.fields, value);
        else if (spec.kind === 'array' && spec.of.kind === 'object') for (const x of value) walk(spec.of.fields, x);
      }
    };
    const { MetaData: _, ...rest } = SCHEMAS[def.name];
    walk(rest, rec);
  }

  private resolveRef(def: EntityDef, field: string, ref: Rec) {
    if (blank(ref.value)) throw fault.requiredParam(`${field}.value`);
    const id = ref.value as string;
    if (field === 'CurrencyRef') {
      if (id !== 'USD') throw fault.businessValidation(`Multicurrency is off in this company: CurrencyRef must be USD, not ${id}.`);
      ref.name = USD.name;
      return;
    }
    const target = field === 'ParentRef' ? def.name : REFERENCE_TARGETS[field];
    if (target) {
      const found = this.get(target, id);
      if (!found) throw fault.invalidReference(REFERENCE_LIST_NAMES[target] ?? target, id);
      if (found.Active === false) throw fault.objectNotFound();
      if (field === 'ProjectRef' && found.IsProject !== true) throw fault.businessValidation(`ProjectRef: customer ${id} is not a project.`);
      const types = REFERENCE_ACCOUNT_TYPES[field];
      if (types && !types.includes(found.AccountType))
        throw fault.businessValidation(`${field} must name an account of type ${types.join(' or ')}; account ${id} is ${found.AccountType}.`);
      if (field === 'AccountRef' && ['Accounts Payable', 'Accounts Receivable'].includes(found.AccountType))
        throw fault.businessValidation(`An expense line cannot post to ${found.AccountType} (account ${id}).`);
      if (refHasName(def.name, field)) ref.name = found.FullyQualifiedName ?? found.DisplayName ?? found.Name;
      else delete ref.name;
      return;
    }
    if (!refHasName(def.name, field)) delete ref.name;
  }

  private store(def: EntityDef, rec: Rec, previous: Rec | undefined, at: number) {
    if (previous) this.unindex(def, previous);
    const row = this.table(def.name).get(rec.Id);
    this.putRow(def.name, rec.Id, { data: rec, createdMs: previous && row ? row.createdMs : at, updatedMs: at });
    this.index(def, rec);
    if (def.kind === 'txn') this.afterTxnChange(def, previous, rec, at);
    if (previous && previous.FullyQualifiedName !== rec.FullyQualifiedName) this.renameDescendants(def, rec);
    if (def.name === 'Customer' && previous && previous.ParentRef?.value !== rec.ParentRef?.value) {
      this.recomputeParty('Customer', String(rec.Id));
      if (previous.ParentRef?.value) this.recomputeParty('Customer', String(previous.ParentRef.value));
    }
  }

  /** A renamed or moved parent renames everything under it (FullyQualifiedName, Level), as QBO shows them. */
  private renameDescendants(def: EntityDef, parent: Rec) {
    const nameField = def.nameField ?? 'Name';
    for (const childId of this.childrenOf(def, parent.Id)) {
      const row = this.table(def.name).get(childId);
      if (!row) continue;
      const child = row.data;
      const next = { ...child, FullyQualifiedName: `${parent.FullyQualifiedName}:${child[nameField]}`, Level: (parent.Level ?? 0) + 1 };
      this.unindex(def, child);
      this.setRowData(def.name, row, next);
      this.index(def, next);
      this.renameDescendants(def, next);
    }
  }

  private index(def: EntityDef, rec: Rec) {
    if (def.kind === 'name') this.mapSet(this.scope('names'), lower(def.name === 'Customer' ? rec.FullyQualifiedName : rec.DisplayName), key(def.name, rec.Id));
    if (def.kind === 'list') this.mapSet(this.scope(def.name), lower(rec.FullyQualifiedName ?? rec.Name), key(def.name, rec.Id));
    if (def.autoDocNumber && rec.DocNumber) this.mapSet(this.scope(`doc:${def.name}`), lower(rec.DocNumber), rec.Id);
    if (def.name === 'Customer' && rec.ParentRef?.value) {
      let set = this.children.get(String(rec.ParentRef.value));
      if (!set) this.children.set(String(rec.ParentRef.value), (set = new Set()));
      this.setAdd(set, rec.Id);
    }
    if (def.party && rec[def.party]?.value) {
      const pk = key(def.party === 'CustomerRef' ? 'Customer' : 'Vendor', String(rec[def.party].value));
      let set = this.partyTxns.get(pk);
      if (!set) this.partyTxns.set(pk, (set = new Set()));
      this.setAdd(set, key(def.name, rec.Id));
    }
  }

  private unindex(def: EntityDef, rec: Rec) {
    const names = (scope: string, name: string) => {
      const m = this.scope(scope);
      if (m.get(lower(name)) === key(def.name, rec.Id)) this.mapDelete(m, lower(name));
    };
    if (def.kind === 'name') names('names', def.name === 'Customer' ? rec.FullyQualifiedName : rec.DisplayName);
    if (def.kind === 'list') names(def.name, rec.FullyQualifiedName ?? rec.Name);
    if (def.name === 'Customer' && rec.ParentRef?.value) {
      const set = this.children.get(String(rec.ParentRef.value));
      if (set) this.setDelete(set, rec.Id);
    }
    if (def.autoDocNumber && rec.DocNumber) {
      const docs = this.scope(`doc:${def.name}`);
      if (docs.get(lower(rec.DocNumber)) === rec.Id) this.mapDelete(docs, lower(rec.DocNumber));
    }
    if (def.party && rec[def.party]?.value) {
      const set = this.partyTxns.get(key(def.party === 'CustomerRef' ? 'Customer' : 'Vendor', String(rec[def.party].value)));
      if (set) this.setDelete(set, key(def.name, rec.Id));
    }
  }

  private scope(name: string): Map<string, string> {
    let m = this.names.get(name);
    if (!m) this.names.set(name, (m = new Map()));
    return m;
  }

  /** After a transaction changes: re-apply its payments and recompute the balances it touches. */
  private afterTxnChange(def: EntityDef, before: Rec | undefined, after: Rec | undefined, at: number) {
    const touched = new Set<string>();
    if (def.name === 'Payment' || def.name === 'BillPayment') {
      const payer = key(def.name, (after ?? before)!.Id);
      for (const l of before?.Line ?? []) {
        const t = key(l.LinkedTxn[0].TxnType, l.LinkedTxn[0].TxnId);
        const m = this.applied.get(t);
        if (m) this.mapDelete(m, payer);
        touched.add(t);
      }
      for (const l of after?.Line ?? []) {
        const t = key(l.LinkedTxn[0].TxnType, l.LinkedTxn[0].TxnId);
        let m = this.applied.get(t);
        if (!m) this.applied.set(t, (m = new Map()));
        this.mapSet(m, payer, (m.get(payer) ?? 0) + toCents(l.Amount));
        touched.add(t);
      }
      for (const t of touched) this.recomputeOpen(t, at);
    } else if (after && OPEN_BALANCE.has(def.name)) {
      this.recomputeOpen(key(def.name, after.Id), at, true);
    }
    if (def.name === 'Invoice' && after && !before) this.closeEstimates(after, at);
    const parties = new Set<string>();
    for (const rec of [before, after]) if (rec && def.party && rec[def.party]?.value) parties.add(String(rec[def.party].value));
    for (const id of parties) this.recomputeParty(def.party === 'CustomerRef' ? 'Customer' : 'Vendor', id);
  }

  /** An invoice made from an estimate closes the estimate and links the two, as in QBO. */
  private closeEstimates(invoice: Rec, at: number) {
    for (const link of invoice.LinkedTxn ?? []) {
      if (link.TxnType !== 'Estimate') continue;
      const row = this.table('Estimate').get(String(link.TxnId));
      if (!row) continue;
      const est = row.data;
      this.setRowData('Estimate', row, {
        ...est,
        TxnStatus: 'Closed',
        LinkedTxn: [...(est.LinkedTxn ?? []), { TxnId: invoice.Id, TxnType: 'Invoice' }],
        SyncToken: String(Number(est.SyncToken) + 1),
        MetaData: { ...est.MetaData, LastUpdatedTime: qboTimestamp(at) },
      }, at);
    }
  }

  /** Open balance of an invoice, bill or credit: its total less what payments apply to it. */
  private recomputeOpen(targetKey: string, at: number, fresh = false) {
    const [entity, id] = targetKey.split(':');
    const row = this.table(entity).get(id);
    if (!row) return;
    const payments = this.applied.get(targetKey) ?? new Map<string, number>();
    const rec = row.data;
    const balance = this.voided.has(targetKey) ? 0 : fromCents(toCents(rec.TotalAmt) - this.paidCents(targetKey));
    const paymentType = (payer: string) =>
      payer.startsWith('BillPayment:')
        ? this.get('BillPayment', payer.split(':')[1])?.PayType === 'CreditCard' ? 'BillPaymentCreditCard' : 'BillPaymentCheck'
        : 'Payment';
    const links = (rec.LinkedTxn ?? []).filter((l: Rec) => l.TxnType !== 'Payment' && !String(l.TxnType).startsWith('BillPayment'));
    for (const [payer, cents] of payments) if (cents > 0) links.push({ TxnId: payer.split(':')[1], TxnType: paymentType(payer) });
    const changed = balance !== rec.Balance || JSON.stringify(links) !== JSON.stringify(rec.LinkedTxn ?? []);
    if (!changed) return;
    const next: Rec = { ...rec, Balance: balance, LinkedTxn: links };
    if (entity === 'CreditMemo') next.RemainingCredit = balance;
    if (fresh) this.setRowData(entity, row, next);
    else {
      // A payment changed this record, so QBO gives it a new version.
      next.SyncToken = String(Number(rec.SyncToken) + 1);
      next.MetaData = { ...rec.MetaData, LastUpdatedTime: qboTimestamp(at) };
      this.setRowData(entity, row, next, at);
    }
  }

  /** A customer's balance is what it owes; a vendor's is what the company owes it. */
  private recomputeParty(entity: 'Customer' | 'Vendor', id: string, depth = 0) {
    const row = this.table(entity).get(id);
    if (!row || depth > MAX_LEVEL + 1) return;
    let cents = 0;
    for (const k of this.partyTxns.get(key(entity, id)) ?? []) {
      if (this.voided.has(k)) continue;
      const [type, txnId] = k.split(':');
      const t = this.get(type, txnId);
      if (!t) continue;
      if (type === 'Invoice' || type === 'Bill') cents += toCents(t.Balance ?? 0);
      else if (type === 'CreditMemo' || type === 'VendorCredit') cents -= toCents(t.Balance ?? 0);
      else if (type === 'Payment') cents -= toCents(t.UnappliedAmt ?? 0);
    }
    const balance = fromCents(cents);
    let withJobs = cents;
    if (entity === 'Customer') for (const childId of this.children.get(id) ?? []) withJobs += toCents(this.get('Customer', childId)?.BalanceWithJobs ?? 0);
    const balanceWithJobs = fromCents(withJobs);
    const changed = row.data.Balance !== balance || (entity === 'Customer' && row.data.BalanceWithJobs !== balanceWithJobs);
    if (changed)
      this.setRowData(entity, row, entity === 'Customer' ? { ...row.data, Balance: balance, BalanceWithJobs: balanceWithJobs } : { ...row.data, Balance: balance });
    // The parent is recomputed even when these totals stand: this customer may have just moved under it.
    if (entity === 'Customer' && row.data.ParentRef?.value) this.recomputeParty('Customer', String(row.data.ParentRef.value), depth + 1);
  }
}
