// One QuickBooks company held in memory, with the business rules QBO enforces on writes:
// required fields, unique names, references that must exist and be active, SyncToken checks,
// server-computed DocNumber/TotalAmt/Balance, and payments that reduce balances through LinkedTxn.
import { Clock, DAY_MS, qboDate, qboTimestamp } from './clock';
import {
  ACCOUNT_TYPES,
  type EntityDef,
  entities,
  ITEM_TYPES,
  LINE_DETAIL_TYPES,
  REFERENCE_LIST_NAMES,
  REFERENCE_TARGETS,
} from './entities';
import { fault } from './faults';

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
}

export interface WriteOptions {
  /** Create/update as if at this moment (seeding history). */
  at?: number;
  /** include=allowduplicatedocnum */
  allowDuplicateDocNumber?: boolean;
}

const USD = { value: 'USD', name: 'United States Dollar' };
const NAME_ENTITIES = ['Customer', 'Vendor', 'Employee'];
const SALES_FORMS = new Set(['Invoice', 'SalesReceipt', 'Estimate', 'CreditMemo']);
const PURCHASE_FORMS = new Set(['Bill', 'PurchaseOrder', 'VendorCredit']);
/** Fields the server computes; values sent for them are ignored, as QBO does. */
const READ_ONLY = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status', 'Balance', 'BalanceWithJobs',
  'FullyQualifiedName', 'Level', 'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'UnappliedAmt', 'RemainingCredit',
  'HomeBalance', 'Classification'];
const COMPUTED_TOTAL = new Set([...SALES_FORMS, ...PURCHASE_FORMS]);

const jsonCache = new WeakMap<Rec, string>();

/** A stored record's JSON, serialized once: large query pages are mostly these strings joined. */
export function recordJson(rec: Rec): string {
  let text = jsonCache.get(rec);
  if (text === undefined) jsonCache.set(rec, (text = JSON.stringify(rec)));
  return text;
}

const round2 = (n: number) => Math.round((n + Number.EPSILON) * 100) / 100;
const lower = (s: unknown) => String(s ?? '').trim().toLowerCase();
const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (entity: string, id: string) => `${entity}:${id}`;

export class Company {
  readonly tables = new Map<string, Map<string, Row>>();
  readonly tombstones: Tombstone[] = [];
  readonly requestCache = new Map<string, CachedResponse>();
  /** Bumps on every write to an entity: query caches compare against it. */
  readonly tableVersion = new Map<string, number>();
  private readonly seq = new Map<string, number>();
  private readonly docSeq = new Map<string, number>();
  /** Which payments apply how much to which invoice/bill: target key -> (payment key -> amount). */
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
    return this.table(entity).get(id)?.data;
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

  // ---- writes --------------------------------------------------------------------------------

  /** Puts CompanyInfo or Preferences in place (they exist from the start; the API only updates them). */
  initSingleton(entity: 'CompanyInfo' | 'Preferences', data: Rec, at: number) {
    const rec = { ...data, domain: 'QBO', sparse: false, Id: '1', SyncToken: '0',
      MetaData: { CreateTime: qboTimestamp(at), LastUpdatedTime: qboTimestamp(at) } };
    this.table(entity).set('1', { data: rec, createdMs: at, updatedMs: at });
    this.bump(entity);
  }

  create(entity: string, body: Rec, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'create');
    this.checkFields(def, body);
    const rec: Rec = {};
    for (const [k, val] of Object.entries(body)) if (!READ_ONLY.includes(k)) rec[k] = val;
    if (COMPUTED_TOTAL.has(entity)) delete rec.TotalAmt;
    const at = opts.at ?? this.clock.now();
    this.prepare(def, rec, undefined, at);
    rec.Id = this.nextId(def);
    this.assignDocNumber(def, rec, undefined, opts);
    rec.SyncToken = '0';
    rec.domain = 'QBO';
    rec.sparse = false;
    rec.MetaData = { CreateTime: qboTimestamp(at), LastUpdatedTime: qboTimestamp(at) };
    this.store(def, rec, undefined, at);
    return this.get(entity, rec.Id)!;
  }

  update(entity: string, body: Rec, sparse: boolean, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'update');
    const existing = this.existingFor(def, body);
    this.checkFields(def, body);
    const at = opts.at ?? this.clock.now();
    let rec: Rec;
    if (sparse) {
      rec = { ...existing.data };
      for (const [k, val] of Object.entries(body)) if (!READ_ONLY.includes(k)) rec[k] = val;
    } else {
      // A full update sets every writable field the request leaves out to null.
      rec = {};
      for (const k of READ_ONLY) if (k in existing.data) rec[k] = existing.data[k];
      for (const [k, val] of Object.entries(body)) if (!READ_ONLY.includes(k)) rec[k] = val;
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
  }

  /** Transactions are deleted; name and list entities are made inactive, as in QBO itself. */
  remove(entity: string, body: Rec, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'delete');
    if (def.kind !== 'txn') return this.update(entity, { Id: body.Id, SyncToken: body.SyncToken, Active: false }, true, opts);
    const existing = this.existingFor(def, body);
    this.refuseIfPaid(def, existing.data, 'delete');
    const at = opts.at ?? this.clock.now();
    this.unindex(def, existing.data);
    this.table(entity).delete(existing.data.Id);
    this.tombstones.push({ entity, id: existing.data.Id, ms: at });
    this.bump(entity);
    this.afterTxnChange(def, existing.data, undefined, at);
    return { domain: 'QBO', status: 'Deleted', Id: existing.data.Id };
  }

  /** Void keeps the transaction with every amount zeroed, as QBO does. */
  void(entity: string, body: Rec, opts: WriteOptions = {}): Rec {
    const def = this.def(entity, 'void');
    if (!def.voidable)
      throw fault.unsupportedOperationFor('void', entity, def.kind === 'txn' ? 'Delete it instead.' : 'Make it inactive instead.');
    const existing = this.existingFor(def, body);
    this.refuseIfPaid(def, existing.data, 'void');
    const at = opts.at ?? this.clock.now();
    const rec: Rec = structuredClone(existing.data);
    for (const line of rec.Line ?? []) line.Amount = 0;
    rec.TotalAmt = 0;
    if ('Balance' in rec) rec.Balance = 0;
    if ('UnappliedAmt' in rec) rec.UnappliedAmt = 0;
    rec.PrivateNote = 'Voided';
    rec.SyncToken = String(Number(existing.data.SyncToken) + 1);
    rec.MetaData = { ...existing.data.MetaData, LastUpdatedTime: qboTimestamp(at) };
    this.voided.add(key(entity, rec.Id));
    this.store(def, rec, existing.data, at);
    return this.get(entity, rec.Id)!;
  }

  // ---- internals -----------------------------------------------------------------------------

  private def(entity: string, operation: string): EntityDef {
    const def = entities.get(entity);
    if (!def) throw fault.unsupportedOperation(`/v3/company/${this.realmId}/${entity}`);
    if (def.kind === 'singleton' && operation !== 'update')
      throw fault.unsupportedOperationFor(operation, entity, 'Read it, or update it with its Id and SyncToken.');
    return def;
  }

  private checkFields(def: EntityDef, body: Rec) {
    for (const k of Object.keys(body)) if (!def.fields.includes(k)) throw fault.unknownProperty(def.name, k);
  }

  private existingFor(def: EntityDef, body: Rec): Row {
    if (body.Id === undefined || body.Id === null || body.Id === '') throw fault.requiredParam('Id');
    if (!/^\d+$/.test(String(body.Id))) throw fault.invalidId(String(body.Id));
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
    this.seq.set(def.idGroup, next);
    return def.idGroup === 'Class' ? `${next}000000` : String(next);
  }

  private assignDocNumber(def: EntityDef, rec: Rec, existing: Rec | undefined, opts: WriteOptions) {
    if (rec.DocNumber !== undefined && rec.DocNumber !== null) {
      rec.DocNumber = String(rec.DocNumber);
      if (rec.DocNumber.length > 21) throw fault.stringLength('DocNumber', 21, rec.DocNumber.length);
    }
    if (!def.autoDocNumber) return;
    if (rec.DocNumber === undefined || rec.DocNumber === null || rec.DocNumber === '') {
      if (existing?.DocNumber) {
        rec.DocNumber = existing.DocNumber;
        return;
      }
      let n = (this.docSeq.get(def.name) ?? 1000) + 1;
      while (this.docNumberTaken(def.name, String(n))) n++;
      this.docSeq.set(def.name, n);
      rec.DocNumber = String(n);
      return;
    }
    const holder = this.names.get(`doc:${def.name}`)?.get(lower(rec.DocNumber));
    if (def.uniqueDocNumber && !opts.allowDuplicateDocNumber && holder !== undefined && holder !== existing?.Id)
      throw fault.duplicateDocNumber(rec.DocNumber, def.name, holder);
    const numeric = Number(rec.DocNumber);
    if (Number.isInteger(numeric) && numeric > (this.docSeq.get(def.name) ?? 1000) && numeric < 1e9)
      this.docSeq.set(def.name, numeric);
  }

  private docNumberTaken(entity: string, docNumber: string): boolean {
    return this.names.get(`doc:${entity}`)?.get(lower(docNumber)) !== undefined;
  }

  /** Validates and completes a record before it is stored. */
  private prepare(def: EntityDef, rec: Rec, existing: Rec | undefined, at: number) {
    for (const field of def.required) {
      const val = rec[field];
      if (val === undefined || val === null || val === '' || (Array.isArray(val) && val.length === 0))
        throw fault.requiredParam(field);
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
      if (isObj(rec[field]) && !rec[field].Id) rec[field] = { Id: String(++this.addressSeq), ...rec[field] };
    this.resolveReferences(def, rec);
  }

  private prepareName(def: EntityDef, rec: Rec, existing: Rec | undefined) {
    if (!rec.DisplayName) {
      const parts = [rec.Title, rec.GivenName, rec.MiddleName, rec.FamilyName, rec.Suffix].filter(Boolean);
      if (parts.length === 0 && !rec.CompanyName) throw fault.noName();
      rec.DisplayName = parts.length ? parts.join(' ') : rec.CompanyName;
    }
    rec.DisplayName = String(rec.DisplayName);
    if (rec.DisplayName.length > 500) throw fault.stringLength('DisplayName', 500, rec.DisplayName.length);
    rec.PrintOnCheckName ??= rec.DisplayName;
    rec.Active ??= true;
    rec.CurrencyRef ??= USD;
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
      if (isObj(rec.ParentRef) && rec.ParentRef.value) {
        const parent = this.get('Customer', String(rec.ParentRef.value));
        if (!parent) throw fault.invalidReference('Names', String(rec.ParentRef.value));
        rec.Job = true;
        rec.Level = (parent.Level ?? 0) + 1;
        if (rec.Level > 5) throw fault.businessValidation('Sub-customers can be nested at most 5 levels deep.');
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

  private prepareList(def: EntityDef, rec: Rec, existing: Rec | undefined) {
    if (!rec.Name) throw fault.requiredParam('Name');
    rec.Name = String(rec.Name);
    const max = def.name === 'PaymentMethod' || def.name === 'Term' ? 31 : 100;
    if (rec.Name.length > max) throw fault.stringLength('Name', max, rec.Name.length);
    rec.Active ??= true;
    const parentRef = isObj(rec.ParentRef) && rec.ParentRef.value ? String(rec.ParentRef.value) : undefined;
    const parent = parentRef ? this.get(def.name, parentRef) : undefined;
    if (parentRef && !parent) throw fault.invalidReference(REFERENCE_LIST_NAMES[def.name] ?? def.name, parentRef);
    rec.FullyQualifiedName = parent ? `${parent.FullyQualifiedName}:${rec.Name}` : rec.Name;
    switch (def.name) {
      case 'Item': {
        if (!rec.Type) throw fault.requiredParam('Type');
        if (!ITEM_TYPES.includes(rec.Type)) throw fault.invalidEnumeration('Type', rec.Type);
        rec.SubItem = !!parent;
        if (parent) rec.Level = (parent.Level ?? 0) + 1;
        if (rec.Type === 'Inventory') {
          for (const f of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef', 'InvStartDate', 'QtyOnHand'])
            if (rec[f] === undefined || rec[f] === null || rec[f] === '') throw fault.requiredParam(f);
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
        rec.CurrentBalance = existing?.CurrentBalance ?? 0;
        rec.CurrentBalanceWithSubAccounts = existing?.CurrentBalanceWithSubAccounts ?? 0;
        rec.CurrencyRef ??= USD;
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
    this.checkUnique(def.name, rec.FullyQualifiedName, existing, def.name);
  }

  private checkUnique(scope: string, name: string, existing: Rec | undefined, entity: string) {
    const holder = this.names.get(scope)?.get(lower(name));
    if (holder !== undefined && holder !== (existing && key(entity, existing.Id))) throw fault.duplicateName();
  }

  private prepareTxn(def: EntityDef, rec: Rec, existing: Rec | undefined, at: number) {
    if (existing && this.voided.has(key(def.name, existing.Id))) throw fault.businessValidation('This transaction has been voided and can no longer be changed.');
    rec.TxnDate ??= qboDate(at);
    rec.CurrencyRef ??= USD;
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
        if (party.BillAddr && !rec.BillAddr) rec.BillAddr = party.BillAddr;
        if (party.ShipAddr && !rec.ShipAddr) rec.ShipAddr = party.ShipAddr;
        if (party.PrimaryEmailAddr?.Address && !rec.BillEmail) rec.BillEmail = { Address: party.PrimaryEmailAddr.Address };
      }
      if (def.name === 'Invoice') {
        rec.DueDate ??= this.dueDate(rec.TxnDate, rec.SalesTermRef ?? party?.SalesTermRef, 30);
        rec.LinkedTxn = (Array.isArray(rec.LinkedTxn) ? rec.LinkedTxn : []).filter((l: Rec) => l.TxnType !== 'Payment');
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
        rec.LinkedTxn = (Array.isArray(rec.LinkedTxn) ? rec.LinkedTxn : []).filter(
          (l: Rec) => !String(l.TxnType).startsWith('BillPayment'),
        );
        rec.Balance = total;
      }
      if (def.name === 'PurchaseOrder') {
        rec.APAccountRef ??= this.defaultAccount('Accounts Payable');
        rec.POStatus ??= 'Open';
        if (!['Open', 'Closed'].includes(rec.POStatus)) throw fault.invalidEnumeration('POStatus', rec.POStatus);
        rec.EmailStatus ??= 'NotSet';
      }
      if (def.name === 'VendorCredit') {
        rec.APAccountRef ??= this.defaultAccount('Accounts Payable');
        rec.Balance = total;
      }
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
      if (row.data.AccountType === type && row.data.Active !== false) return { value: row.data.Id, name: row.data.Name };
    return undefined;
  }

  private checkDetailType(line: Rec, allowed: readonly string[]) {
    if (!line.DetailType) throw fault.requiredParam('Line.DetailType');
    if (!(LINE_DETAIL_TYPES as readonly string[]).includes(line.DetailType))
      throw fault.invalidEnumeration('Line.DetailType', line.DetailType);
    if (!allowed.includes(line.DetailType))
      throw fault.businessValidation(`A ${line.DetailType} line is not allowed on this transaction.`);
    if (line.DetailType !== 'DescriptionOnly' && !isObj(line[line.DetailType]))
      throw fault.requiredParam(`Line.${line.DetailType}`);
  }

  private amountOf(line: Rec, detail: Rec | undefined, n: number): number {
    const qty = detail?.Qty;
    const price = detail?.UnitPrice;
    if (line.Amount === undefined || line.Amount === null || line.Amount === '') {
      if (typeof qty === 'number' && typeof price === 'number') return round2(qty * price);
      throw fault.requiredParam('Line.Amount');
    }
    const amount = Number(line.Amount);
    if (!Number.isFinite(amount)) throw fault.invalidEnumeration('Line.Amount', line.Amount);
    if (typeof qty === 'number' && typeof price === 'number' && Math.abs(round2(qty * price) - amount) > 0.005)
      throw fault.amountCalculation(n);
    return round2(amount);
  }

  private salesLines(input: Rec[]): { lines: Rec[]; total: number } {
    const lines: Rec[] = [];
    let total = 0;
    for (const raw of input) {
      if (!isObj(raw)) throw fault.requiredParam('Line');
      if (raw.DetailType === 'SubTotalLineDetail') continue; // the server adds its own
      const line: Rec = { ...raw };
      this.checkDetailType(line, ['SalesItemLineDetail', 'GroupLineDetail', 'DescriptionOnly', 'DiscountLineDetail']);
      const n = lines.length + 1;
      if (line.DetailType === 'DescriptionOnly') {
        line.Amount = line.Amount === undefined ? undefined : Number(line.Amount);
      } else {
        const detail = line[line.DetailType];
        if (line.DetailType === 'SalesItemLineDetail') {
          if (!isObj(detail.ItemRef) || !detail.ItemRef.value) throw fault.requiredParam('Line.SalesItemLineDetail.ItemRef');
          detail.TaxCodeRef ??= { value: 'NON' };
        }
        line.Amount = this.amountOf(line, detail, n);
        total += line.DetailType === 'DiscountLineDetail' ? -line.Amount : line.Amount;
      }
      line.Id = String(n);
      line.LineNum = n;
      lines.push(line);
    }
    total = round2(total);
    lines.push({ Amount: total, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    return { lines, total };
  }

  private purchaseLines(input: Rec[]): { lines: Rec[]; total: number } {
    const lines: Rec[] = [];
    let total = 0;
    for (const raw of input) {
      if (!isObj(raw)) throw fault.requiredParam('Line');
      const line: Rec = { ...raw };
      this.checkDetailType(line, ['ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail']);
      const detail = line[line.DetailType];
      if (line.DetailType === 'ItemBasedExpenseLineDetail' && (!isObj(detail.ItemRef) || !detail.ItemRef.value))
        throw fault.requiredParam('Line.ItemBasedExpenseLineDetail.ItemRef');
      if (line.DetailType === 'AccountBasedExpenseLineDetail' && (!isObj(detail.AccountRef) || !detail.AccountRef.value))
        throw fault.requiredParam('Line.AccountBasedExpenseLineDetail.AccountRef');
      detail.BillableStatus ??= 'NotBillable';
      detail.TaxCodeRef ??= { value: 'NON' };
      const n = lines.length + 1;
      line.Amount = this.amountOf(line, detail, n);
      total += line.Amount;
      line.Id = String(n);
      line.LineNum = n;
      lines.push(line);
    }
    return { lines, total: round2(total) };
  }

  /** Payment lines apply money to invoices (and take it from credit memos) of the same customer. */
  private preparePayment(rec: Rec) {
    if (rec.TotalAmt === undefined || rec.TotalAmt === null) throw fault.requiredParam('TotalAmt');
    rec.TotalAmt = round2(Number(rec.TotalAmt));
    if (!Number.isFinite(rec.TotalAmt) || rec.TotalAmt < 0) throw fault.invalidEnumeration('TotalAmt', rec.TotalAmt);
    const customerId = isObj(rec.CustomerRef) ? String(rec.CustomerRef.value ?? '') : '';
    rec.Line = this.paymentLines(rec.Line ?? [], customerId, { Invoice: 1, CreditMemo: -1 }, 'Payment', rec.Id);
    const applied = rec.Line.reduce((s: number, l: Rec) => s + l.Amount * (l.LinkedTxn[0].TxnType === 'CreditMemo' ? -1 : 1), 0);
    const unapplied = round2(rec.TotalAmt - applied);
    if (unapplied < 0)
      throw fault.businessValidation(
        `The payment applies ${round2(applied)} but its TotalAmt is ${rec.TotalAmt}. Raise TotalAmt or apply less.`,
      );
    rec.UnappliedAmt = unapplied;
  }

  private prepareBillPayment(rec: Rec) {
    if (rec.TotalAmt === undefined || rec.TotalAmt === null) throw fault.requiredParam('TotalAmt');
    rec.TotalAmt = round2(Number(rec.TotalAmt));
    if (!['Check', 'CreditCard'].includes(rec.PayType)) {
      if (!rec.PayType) throw fault.requiredParam('PayType');
      throw fault.invalidEnumeration('PayType', rec.PayType);
    }
    if (rec.PayType === 'Check' && !rec.CheckPayment?.BankAccountRef?.value) throw fault.requiredParam('CheckPayment.BankAccountRef');
    if (rec.PayType === 'CreditCard' && !rec.CreditCardPayment?.CCAccountRef?.value)
      throw fault.requiredParam('CreditCardPayment.CCAccountRef');
    if (rec.PayType === 'Check') rec.CheckPayment.PrintStatus ??= 'NotSet';
    if (!Array.isArray(rec.Line) || rec.Line.length === 0) throw fault.requiredParam('Line');
    const vendorId = isObj(rec.VendorRef) ? String(rec.VendorRef.value ?? '') : '';
    rec.Line = this.paymentLines(rec.Line, vendorId, { Bill: 1, VendorCredit: -1 }, 'BillPayment', rec.Id);
    const applied = rec.Line.reduce((s: number, l: Rec) => s + l.Amount * (l.LinkedTxn[0].TxnType === 'VendorCredit' ? -1 : 1), 0);
    if (round2(applied) > rec.TotalAmt)
      throw fault.businessValidation(`The bill payment applies ${round2(applied)} but its TotalAmt is ${rec.TotalAmt}.`);
    rec.APAccountRef ??= this.defaultAccount('Accounts Payable');
  }

  private paymentLines(input: Rec[], partyId: string, types: Record<string, number>, payer: string, selfId?: string): Rec[] {
    if (!Array.isArray(input)) throw fault.requiredParam('Line');
    return input.map((raw, i) => {
      if (!isObj(raw)) throw fault.requiredParam('Line');
      const link = Array.isArray(raw.LinkedTxn) ? raw.LinkedTxn[0] : undefined;
      if (!isObj(link) || !link.TxnId || !link.TxnType) throw fault.requiredParam('Line.LinkedTxn');
      if (!(link.TxnType in types)) throw fault.invalidEnumeration('Line.LinkedTxn.TxnType', link.TxnType);
      const target = this.get(link.TxnType, String(link.TxnId));
      if (!target) throw fault.objectNotFound(`Object Not Found : ${link.TxnType} ${link.TxnId} does not exist or has been deleted.`);
      const targetDef = entities.get(link.TxnType)!;
      if (String(target[targetDef.party!]?.value) !== partyId)
        throw fault.businessValidation(`${link.TxnType} ${link.TxnId} belongs to another ${targetDef.party === 'CustomerRef' ? 'customer' : 'vendor'}.`);
      const amount = round2(Number(raw.Amount));
      if (!Number.isFinite(amount) || amount < 0) throw fault.requiredParam('Line.Amount');
      // What is still open on the target, not counting what this same payment already applies.
      const mine = selfId ? (this.applied.get(key(link.TxnType, target.Id))?.get(key(payer, selfId)) ?? 0) : 0;
      const open = round2((target.Balance ?? 0) + mine);
      if (amount > open + 0.001)
        throw fault.businessValidation(`${link.TxnType} ${target.DocNumber ?? target.Id} has an open balance of ${open}; this line applies ${amount}.`);
      return { ...raw, Amount: amount, LinkedTxn: [{ TxnId: String(link.TxnId), TxnType: link.TxnType }], LineNum: i + 1 };
    });
  }

  private refuseIfPaid(def: EntityDef, rec: Rec, what: string) {
    const payments = this.applied.get(key(def.name, rec.Id));
    if (payments && [...payments.values()].some((a) => a > 0))
      throw fault.businessValidation(
        `This ${def.name} has payments applied. Delete or unapply the payments before you ${what} it.`,
      );
  }

  /** Checks every reference in the record exists and is active, and fills in its name. */
  private resolveReferences(def: EntityDef, rec: Rec) {
    const visit = (node: unknown, depth: number) => {
      if (depth > 6 || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n) => visit(n, depth + 1));
      for (const [field, value] of Object.entries(node as Rec)) {
        const target = field === 'ParentRef' ? def.name : REFERENCE_TARGETS[field];
        if (target && isObj(value)) {
          if (value.value === undefined || value.value === null || value.value === '') throw fault.requiredParam(`${field}.value`);
          const id = String(value.value);
          const ref = this.get(target, id);
          if (!ref) throw fault.invalidReference(REFERENCE_LIST_NAMES[target] ?? target, id);
          if (ref.Active === false) throw fault.objectNotFound();
          value.value = id;
          value.name = ref.FullyQualifiedName ?? ref.DisplayName ?? ref.Name;
        } else if (typeof value === 'object') visit(value, depth + 1);
      }
    };
    visit(rec, 0);
  }

  private store(def: EntityDef, rec: Rec, previous: Rec | undefined, at: number) {
    if (previous) this.unindex(def, previous);
    this.table(def.name).set(rec.Id, {
      data: rec,
      createdMs: previous ? this.table(def.name).get(rec.Id)!.createdMs : at,
      updatedMs: at,
    });
    this.index(def, rec);
    this.bump(def.name);
    if (def.kind === 'txn') this.afterTxnChange(def, previous, rec, at);
    if (def.name === 'Customer' && previous && previous.ParentRef?.value !== rec.ParentRef?.value) {
      this.recomputeParty('Customer', String(rec.Id));
      if (previous.ParentRef?.value) this.recomputeParty('Customer', String(previous.ParentRef.value));
    }
  }

  private index(def: EntityDef, rec: Rec) {
    if (def.kind === 'name') this.scope('names').set(lower(def.name === 'Customer' ? rec.FullyQualifiedName : rec.DisplayName), key(def.name, rec.Id));
    if (def.kind === 'list') this.scope(def.name).set(lower(rec.FullyQualifiedName), key(def.name, rec.Id));
    if (def.autoDocNumber && rec.DocNumber) this.scope(`doc:${def.name}`).set(lower(rec.DocNumber), rec.Id);
    if (def.name === 'Customer' && rec.ParentRef?.value) {
      let set = this.children.get(String(rec.ParentRef.value));
      if (!set) this.children.set(String(rec.ParentRef.value), (set = new Set()));
      set.add(rec.Id);
    }
    if (def.party && rec[def.party]?.value) {
      const pk = key(def.party === 'CustomerRef' ? 'Customer' : 'Vendor', String(rec[def.party].value));
      let set = this.partyTxns.get(pk);
      if (!set) this.partyTxns.set(pk, (set = new Set()));
      set.add(key(def.name, rec.Id));
    }
  }

  private unindex(def: EntityDef, rec: Rec) {
    if (def.kind === 'name') this.scope('names').delete(lower(def.name === 'Customer' ? rec.FullyQualifiedName : rec.DisplayName));
    if (def.kind === 'list') this.scope(def.name).delete(lower(rec.FullyQualifiedName));
    if (def.name === 'Customer' && rec.ParentRef?.value) this.children.get(String(rec.ParentRef.value))?.delete(rec.Id);
    if (def.autoDocNumber && rec.DocNumber) {
      const docs = this.scope(`doc:${def.name}`);
      if (docs.get(lower(rec.DocNumber)) === rec.Id) docs.delete(lower(rec.DocNumber));
    }
    if (def.party && rec[def.party]?.value)
      this.partyTxns.get(key(def.party === 'CustomerRef' ? 'Customer' : 'Vendor', String(rec[def.party].value)))?.delete(key(def.name, rec.Id));
  }

  private scope(name: string): Map<string, string> {
    let m = this.names.get(name);
    if (!m) this.names.set(name, (m = new Map()));
    return m;
  }

  private bump(entity: string) {
    this.tableVersion.set(entity, (this.tableVersion.get(entity) ?? 0) + 1);
  }

  /** After a transaction changes: re-apply its payments and recompute the balances it touches. */
  private afterTxnChange(def: EntityDef, before: Rec | undefined, after: Rec | undefined, at: number) {
    const touched = new Set<string>();
    if (def.name === 'Payment' || def.name === 'BillPayment') {
      const payer = key(def.name, (after ?? before)!.Id);
      for (const l of before?.Line ?? []) {
        const t = key(l.LinkedTxn[0].TxnType, l.LinkedTxn[0].TxnId);
        this.applied.get(t)?.delete(payer);
        touched.add(t);
      }
      for (const l of after?.Line ?? []) {
        const t = key(l.LinkedTxn[0].TxnType, l.LinkedTxn[0].TxnId);
        let m = this.applied.get(t);
        if (!m) this.applied.set(t, (m = new Map()));
        m.set(payer, (m.get(payer) ?? 0) + l.Amount);
        touched.add(t);
      }
      for (const t of touched) this.recomputeOpen(t, at);
    } else if (after && ['Invoice', 'Bill', 'CreditMemo', 'VendorCredit'].includes(def.name)) {
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
      row.data = {
        ...est,
        TxnStatus: 'Closed',
        LinkedTxn: [...(est.LinkedTxn ?? []), { TxnId: invoice.Id, TxnType: 'Invoice' }],
        SyncToken: String(Number(est.SyncToken) + 1),
        MetaData: { ...est.MetaData, LastUpdatedTime: qboTimestamp(at) },
      };
      row.updatedMs = at;
      this.bump('Estimate');
    }
  }

  /** Open balance of an invoice, bill or credit: its total less what payments apply to it. */
  private recomputeOpen(targetKey: string, at: number, fresh = false) {
    const [entity, id] = targetKey.split(':');
    const row = this.table(entity).get(id);
    if (!row) return;
    const payments = this.applied.get(targetKey) ?? new Map<string, number>();
    const paid = [...payments.values()].reduce((a, b) => a + b, 0);
    const rec = row.data;
    const balance = this.voided.has(targetKey) ? 0 : round2(rec.TotalAmt - paid);
    const paymentType = (payer: string) =>
      payer.startsWith('BillPayment:')
        ? this.get('BillPayment', payer.split(':')[1])?.PayType === 'CreditCard' ? 'BillPaymentCreditCard' : 'BillPaymentCheck'
        : 'Payment';
    const links = (rec.LinkedTxn ?? []).filter((l: Rec) => l.TxnType !== 'Payment' && !String(l.TxnType).startsWith('BillPayment'));
    for (const [payer, amount] of payments) if (amount > 0) links.push({ TxnId: payer.split(':')[1], TxnType: paymentType(payer) });
    const changed = balance !== rec.Balance || JSON.stringify(links) !== JSON.stringify(rec.LinkedTxn ?? []);
    if (!changed) return;
    const next: Rec = { ...rec, Balance: balance, LinkedTxn: links };
    if (entity === 'CreditMemo') next.RemainingCredit = balance;
    if (!fresh) {
      // A payment changed this record, so QBO gives it a new version.
      next.SyncToken = String(Number(rec.SyncToken) + 1);
      next.MetaData = { ...rec.MetaData, LastUpdatedTime: qboTimestamp(at) };
      row.updatedMs = at;
    }
    row.data = next;
    this.bump(entity);
  }

  /** A customer's balance is what it owes; a vendor's is what the company owes it. */
  private recomputeParty(entity: 'Customer' | 'Vendor', id: string) {
    const row = this.table(entity).get(id);
    if (!row) return;
    let balance = 0;
    for (const k of this.partyTxns.get(key(entity, id)) ?? []) {
      if (this.voided.has(k)) continue;
      const [type, txnId] = k.split(':');
      const t = this.get(type, txnId);
      if (!t) continue;
      if (type === 'Invoice' || type === 'Bill') balance += t.Balance ?? 0;
      else if (type === 'CreditMemo' || type === 'VendorCredit') balance -= t.Balance ?? 0;
      else if (type === 'Payment') balance -= t.UnappliedAmt ?? 0;
    }
    balance = round2(balance);
    let withJobs = balance;
    if (entity === 'Customer') {
      for (const childId of this.children.get(id) ?? []) withJobs += this.get('Customer', childId)?.BalanceWithJobs ?? 0;
      withJobs = round2(withJobs);
    }
    const changed = row.data.Balance !== balance || (entity === 'Customer' && row.data.BalanceWithJobs !== withJobs);
    if (changed) {
      row.data = entity === 'Customer' ? { ...row.data, Balance: balance, BalanceWithJobs: withJobs } : { ...row.data, Balance: balance };
      this.bump(entity);
    }
    // The parent is recomputed even when these totals stand: this customer may have just moved under it.
    if (entity === 'Customer' && row.data.ParentRef?.value) this.recomputeParty('Customer', String(row.data.ParentRef.value));
  }
}
