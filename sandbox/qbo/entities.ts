// What the emulator knows about each QBO entity: its URL segment, the fields QBO accepts (their
// types are in schema.ts), the fields a create needs, and how it behaves (name list or
// transaction, voidable, numbered), and what its references point at. Everything else in the
// emulator reads this table.
import { SCHEMAS } from './schema';

export type EntityKind = 'name' | 'list' | 'txn' | 'singleton';

export interface EntityDef {
  name: string;
  /** Lower-case URL segment: /v3/company/{realmId}/{path}. */
  path: string;
  kind: EntityKind;
  /** Which Id sequence it draws from (Customer/Vendor/Employee share "Names", as QBO does). */
  idGroup: string;
  /** The field that names the record (and is unique), for name and list entities. */
  nameField?: 'DisplayName' | 'Name';
  /** Top-level fields QBO accepts in a request body; anything else is fault 2010. */
  fields: readonly string[];
  /** Fields a create must carry (checked after defaults are applied). */
  required: readonly string[];
  /**
   * How a REST request voids it: `operation=void`, `operation=update&include=void`, or either.
   * Absent: it cannot be voided (a batch item voids with operation=update and optionsData=void).
   */
  void?: 'operation' | 'include' | 'either';
  /** The server numbers it (DocNumber) when the request does not. */
  autoDocNumber?: boolean;
  /** A DocNumber already used by another record of the entity is fault 6140 (estimates may repeat). */
  uniqueDocNumber?: boolean;
  /** The customer or vendor a transaction belongs to. */
  party?: 'CustomerRef' | 'VendorRef';
  /** Returned by change data capture. */
  cdc: boolean;
}

const defs: Omit<EntityDef, 'fields'>[] = [
  {
    name: 'Vendor', path: 'vendor', kind: 'name', idGroup: 'Names', nameField: 'DisplayName', cdc: true, required: [],
  },
  {
    name: 'Customer', path: 'customer', kind: 'name', idGroup: 'Names', nameField: 'DisplayName', cdc: true, required: [],
  },
  {
    name: 'Employee', path: 'employee', kind: 'name', idGroup: 'Names', nameField: 'DisplayName', cdc: true, required: [],
  },
  {
    name: 'Item', path: 'item', kind: 'list', idGroup: 'Item', nameField: 'Name', cdc: true, required: ['Name', 'Type'],
  },
  {
    name: 'Account', path: 'account', kind: 'list', idGroup: 'Account', nameField: 'Name', cdc: true, required: ['Name'],
  },
  {
    name: 'Class', path: 'class', kind: 'list', idGroup: 'Class', nameField: 'Name', cdc: true, required: ['Name'],
  },
  {
    name: 'PaymentMethod', path: 'paymentmethod', kind: 'list', idGroup: 'PaymentMethod', nameField: 'Name', cdc: true,
    required: ['Name'],
  },
  {
    name: 'Term', path: 'term', kind: 'list', idGroup: 'Term', nameField: 'Name', cdc: true, required: ['Name'],
  },
  {
    name: 'Bill', path: 'bill', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true, required: ['VendorRef', 'Line'],
  },
  {
    name: 'BillPayment', path: 'billpayment', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true, void: 'include',
    required: ['VendorRef', 'TotalAmt', 'PayType', 'Line'],
  },
  {
    name: 'Invoice', path: 'invoice', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true, void: 'operation',
    autoDocNumber: true, uniqueDocNumber: true, required: ['CustomerRef', 'Line'],
  },
  {
    name: 'Payment', path: 'payment', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true, void: 'either',
    required: ['CustomerRef', 'TotalAmt'],
  },
  {
    name: 'PurchaseOrder', path: 'purchaseorder', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true,
    // QuickBooks takes no purchase order without its AP account (unlike a bill, which defaults it).
    autoDocNumber: true, uniqueDocNumber: true, required: ['VendorRef', 'APAccountRef', 'Line'],
  },
  {
    name: 'CreditMemo', path: 'creditmemo', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true,
    autoDocNumber: true, uniqueDocNumber: true, required: ['CustomerRef', 'Line'],
  },
  {
    name: 'VendorCredit', path: 'vendorcredit', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true,
    required: ['VendorRef', 'Line'],
  },
  {
    name: 'Estimate', path: 'estimate', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true, autoDocNumber: true,
    required: ['CustomerRef', 'Line'],
  },
  {
    name: 'SalesReceipt', path: 'salesreceipt', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true,
    void: 'include', autoDocNumber: true, uniqueDocNumber: true, required: ['CustomerRef', 'Line'],
  },
  {
    name: 'CompanyInfo', path: 'companyinfo', kind: 'singleton', idGroup: 'Singleton', cdc: false, required: [],
  },
  {
    name: 'Preferences', path: 'preferences', kind: 'singleton', idGroup: 'Singleton', cdc: false, required: [],
  },
];

const all: EntityDef[] = defs.map((d) => ({ ...d, fields: Object.keys(SCHEMAS[d.name]) }));
export const entities: ReadonlyMap<string, EntityDef> = new Map(all.map((d) => [d.name, d]));
const byPath = new Map(all.map((d) => [d.path, d]));
const byLowerName = new Map(all.map((d) => [d.name.toLowerCase(), d]));

/** The entity a URL segment names (segments are case-sensitive, as QBO's are). */
export const entityByPath = (segment: string) => byPath.get(segment);
/** The entity a query or CDC list names (case-insensitive, as QBO accepts). */
export const entityByName = (name: string) => byLowerName.get(name.toLowerCase());

/**
 * Which entity each reference field points at, for existence and active checks. Lists the sandbox
 * does not hold (departments, customer types, price levels, recurring templates) have no rows,
 * so a reference to them is fault 2500, as QBO answers for a company without them.
 */
export const REFERENCE_TARGETS: Record<string, string> = {
  CustomerRef: 'Customer',
  VendorRef: 'Vendor',
  PrefVendorRef: 'Vendor',
  ItemRef: 'Item',
  AccountRef: 'Account',
  APAccountRef: 'Account',
  ARAccountRef: 'Account',
  DepositToAccountRef: 'Account',
  IncomeAccountRef: 'Account',
  ExpenseAccountRef: 'Account',
  COGSAccountRef: 'Account',
  AssetAccountRef: 'Account',
  BankAccountRef: 'Account',
  CCAccountRef: 'Account',
  DiscountAccountRef: 'Account',
  ItemAccountRef: 'Account',
  MarkUpIncomeAccountRef: 'Account',
  ClassRef: 'Class',
  SalesTermRef: 'Term',
  TermRef: 'Term',
  PaymentMethodRef: 'PaymentMethod',
  ProjectRef: 'Customer',
  DepartmentRef: 'Department',
  CustomerTypeRef: 'CustomerType',
  PriceLevelRef: 'PriceLevel',
  RecurDataRef: 'RecurringTransaction',
};

/** How QBO names each list in "Invalid Reference Id : <list> element id N not found". */
export const REFERENCE_LIST_NAMES: Record<string, string> = {
  Customer: 'Names',
  Vendor: 'Names',
  Employee: 'Names',
  Item: 'Items',
  Account: 'Accounts',
  Class: 'Klasses',
  Term: 'SalesTerms',
  PaymentMethod: 'PaymentMethods',
  Department: 'Depts',
  CustomerType: 'CustomerTypes',
  PriceLevel: 'PriceLevels',
  RecurringTransaction: 'RecurringTransactions',
};

/** The account types a reference field accepts (Intuit's entity reference, and the sandbox's choice where it is silent). */
export const REFERENCE_ACCOUNT_TYPES: Record<string, readonly string[]> = {
  APAccountRef: ['Accounts Payable'],
  ARAccountRef: ['Accounts Receivable'],
  BankAccountRef: ['Bank'],
  CCAccountRef: ['Credit Card'],
  AssetAccountRef: ['Other Current Asset'],
  DepositToAccountRef: ['Bank', 'Other Current Asset'],
  IncomeAccountRef: ['Income', 'Other Income'],
  ExpenseAccountRef: ['Cost of Goods Sold', 'Expense', 'Other Expense'],
  COGSAccountRef: ['Cost of Goods Sold'],
};

/**
 * References QBO answers with a value only, never a name (issue 18): the terms, tax codes and
 * project on every entity (samples bill_read_intuitdoc.json, vendor_query_page.json,
 * customer_create.json, cdc_response.json), and on a payment its payment method and deposit
 * account (Intuit's Payment samples). Every other reference to a record gets the record's
 * name, as the samples show (VendorRef, CustomerRef, ItemRef, AccountRef, APAccountRef,
 * BankAccountRef, CurrencyRef ...).
 */
const VALUE_ONLY_REFS = new Set([
  'SalesTermRef', 'TermRef', 'TaxCodeRef', 'DefaultTaxCodeRef', 'TxnTaxCodeRef', 'ProjectRef', 'TaxRateRef',
  'SalesTaxCodeRef', 'PurchaseTaxCodeRef',
]);
const VALUE_ONLY_ON: Record<string, readonly string[]> = {
  Payment: ['PaymentMethodRef', 'DepositToAccountRef'],
  Customer: ['PaymentMethodRef'],
};

/** Whether QBO puts `name` on the reference `field` of an `entity` it returns. */
export function refHasName(entity: string, field: string): boolean {
  return !VALUE_ONLY_REFS.has(field) && !VALUE_ONLY_ON[entity]?.includes(field);
}

export const LINE_DETAIL_TYPES = [
  'PaymentLineDetail', 'DiscountLineDetail', 'TaxLineDetail', 'SalesItemLineDetail', 'ItemBasedExpenseLineDetail',
  'AccountBasedExpenseLineDetail', 'DepositLineDetail', 'PurchaseOrderItemLineDetail', 'ItemReceiptLineDetail',
  'JournalEntryLineDetail', 'GroupLineDetail', 'DescriptionOnly', 'SubTotalLineDetail', 'SalesOrderItemLineDetail',
  'TDSLineDetail', 'ReimburseLineDetail', 'ItemAdjustmentLineDetail',
] as const;

export const ACCOUNT_TYPES: Record<string, { classification: string; defaultSubType: string }> = {
  Bank: { classification: 'Asset', defaultSubType: 'Checking' },
  'Accounts Receivable': { classification: 'Asset', defaultSubType: 'AccountsReceivable' },
  'Other Current Asset': { classification: 'Asset', defaultSubType: 'OtherCurrentAssets' },
  'Fixed Asset': { classification: 'Asset', defaultSubType: 'MachineryAndEquipment' },
  'Other Asset': { classification: 'Asset', defaultSubType: 'OtherLongTermAssets' },
  'Accounts Payable': { classification: 'Liability', defaultSubType: 'AccountsPayable' },
  'Credit Card': { classification: 'Liability', defaultSubType: 'CreditCard' },
  'Other Current Liability': { classification: 'Liability', defaultSubType: 'OtherCurrentLiabilities' },
  'Long Term Liability': { classification: 'Liability', defaultSubType: 'OtherLongTermLiabilities' },
  Equity: { classification: 'Equity', defaultSubType: 'OpeningBalanceEquity' },
  Income: { classification: 'Revenue', defaultSubType: 'ServiceFeeIncome' },
  'Cost of Goods Sold': { classification: 'Expense', defaultSubType: 'SuppliesMaterialsCogs' },
  Expense: { classification: 'Expense', defaultSubType: 'OtherMiscellaneousServiceCost' },
  'Other Income': { classification: 'Revenue', defaultSubType: 'OtherMiscellaneousIncome' },
  'Other Expense': { classification: 'Expense', defaultSubType: 'OtherMiscellaneousExpense' },
  'Non-Posting': { classification: 'Asset', defaultSubType: 'PurchaseOrder' },
};

