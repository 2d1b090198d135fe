// What the emulator knows about each QBO entity: its URL segment, the fields QBO accepts
// (from Intuit's Finance.xsd), the fields a create needs, and how it behaves (name list or
// transaction, voidable, numbered). Everything else in the emulator reads this table.

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
  /** Void is supported (operation=void, or update&include=void). */
  voidable?: boolean;
  /** The server numbers it (DocNumber) when the request does not. */
  autoDocNumber?: boolean;
  /** A DocNumber already used by another record of the entity is fault 6140 (estimates may repeat). */
  uniqueDocNumber?: boolean;
  /** The customer or vendor a transaction belongs to. */
  party?: 'CustomerRef' | 'VendorRef';
  /** Returned by change data capture. */
  cdc: boolean;
}

const COMMON = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status', 'CustomField', 'AttachableRef'];
const NAME_BASE = [
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'DisplayName', 'CompanyName', 'PrintOnCheckName',
  'FullyQualifiedName', 'Active', 'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax', 'PrimaryEmailAddr', 'WebAddr',
  'BillAddr', 'OtherContactInfo', 'Source', 'V4IDPseudonym',
];
const TXN = [
  'DocNumber', 'TxnDate', 'DepartmentRef', 'CurrencyRef', 'ExchangeRate', 'PrivateNote', 'TxnStatus', 'LinkedTxn',
  'Line', 'TxnTaxDetail', 'TxnSource', 'ProjectRef', 'RecurDataRef', 'TotalAmt', 'HomeTotalAmt', 'GlobalTaxCalculation',
  'TransactionLocationType', 'TaxExemptionRef',
];
const SALES = [
  ...TXN, 'CustomerRef', 'CustomerMemo', 'BillAddr', 'ShipAddr', 'ShipFromAddr', 'ClassRef', 'SalesTermRef', 'DueDate',
  'ShipDate', 'TrackingNum', 'ApplyTaxAfterDiscount', 'PrintStatus', 'EmailStatus', 'BillEmail', 'BillEmailCc',
  'BillEmailBcc', 'ARAccountRef', 'Balance', 'PaymentMethodRef', 'PaymentRefNum', 'DepositToAccountRef', 'DiscountRate',
  'DiscountAmt', 'DeliveryInfo', 'ShipMethodRef', 'FreeFormAddress', 'HomeBalance',
];
const PURCHASE = [...TXN, 'VendorRef', 'APAccountRef', 'Memo'];

const defs: EntityDef[] = [
  {
    name: 'Vendor', path: 'vendor', kind: 'name', idGroup: 'Names', nameField: 'DisplayName', cdc: true, required: [],
    fields: [
      ...COMMON, ...NAME_BASE, 'TaxIdentifier', 'AcctNum', 'Vendor1099', 'T4AEligible', 'T5018Eligible', 'TermRef',
      'APAccountRef', 'Balance', 'BillRate', 'CostRate', 'CurrencyRef', 'GSTIN', 'BusinessNumber',
      'VendorPaymentBankDetail', 'GSTRegistrationType', 'HasTPAR', 'TaxReportingBasis', 'VendorEx',
    ],
  },
  {
    name: 'Customer', path: 'customer', kind: 'name', idGroup: 'Names', nameField: 'DisplayName', cdc: true, required: [],
    fields: [
      ...COMMON, ...NAME_BASE, 'Taxable', 'ShipAddr', 'Notes', 'Job', 'BillWithParent', 'ParentRef', 'Level',
      'SalesTermRef', 'PaymentMethodRef', 'Balance', 'BalanceWithJobs', 'OpenBalanceDate', 'CurrencyRef',
      'PreferredDeliveryMethod', 'ResaleNum', 'ARAccountRef', 'PrimaryTaxIdentifier', 'IsProject', 'DefaultTaxCodeRef',
      'TaxExemptionReasonId', 'CustomerTypeRef', 'GSTIN', 'BusinessNumber', 'GSTRegistrationType', 'TaxRegistrationNumber',
    ],
  },
  {
    name: 'Employee', path: 'employee', kind: 'name', idGroup: 'Names', nameField: 'DisplayName', cdc: true, required: [],
    fields: [
      ...COMMON, ...NAME_BASE, 'EmployeeNumber', 'SSN', 'PrimaryAddr', 'BillableTime', 'BillRate', 'CostRate',
      'BirthDate', 'Gender', 'HiredDate', 'ReleasedDate', 'Organization',
    ],
  },
  {
    name: 'Item', path: 'item', kind: 'list', idGroup: 'Item', nameField: 'Name', cdc: true, required: ['Name', 'Type'],
    fields: [
      ...COMMON, 'Name', 'Sku', 'Description', 'Active', 'SubItem', 'ParentRef', 'Level', 'FullyQualifiedName', 'Taxable',
      'SalesTaxIncluded', 'UnitPrice', 'Type', 'IncomeAccountRef', 'PurchaseDesc', 'PurchaseTaxIncluded', 'PurchaseCost',
      'ExpenseAccountRef', 'COGSAccountRef', 'AssetAccountRef', 'PrefVendorRef', 'TrackQtyOnHand', 'QtyOnHand',
      'ReorderPoint', 'InvStartDate', 'SalesTaxCodeRef', 'PurchaseTaxCodeRef', 'ItemCategoryType', 'ClassRef', 'Source',
      'AbatementRate', 'ReverseChargeRate', 'ServiceType',
    ],
  },
  {
    name: 'Account', path: 'account', kind: 'list', idGroup: 'Account', nameField: 'Name', cdc: true, required: ['Name'],
    fields: [
      ...COMMON, 'Name', 'SubAccount', 'ParentRef', 'Description', 'FullyQualifiedName', 'AccountAlias', 'Active',
      'Classification', 'AccountType', 'AccountSubType', 'AcctNum', 'OpeningBalance', 'OpeningBalanceDate',
      'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'CurrencyRef', 'TaxCodeRef', 'TxnLocationType',
    ],
  },
  {
    name: 'Class', path: 'class', kind: 'list', idGroup: 'Class', nameField: 'Name', cdc: true, required: ['Name'],
    fields: [...COMMON, 'Name', 'SubClass', 'ParentRef', 'FullyQualifiedName', 'Active'],
  },
  {
    name: 'PaymentMethod', path: 'paymentmethod', kind: 'list', idGroup: 'PaymentMethod', nameField: 'Name', cdc: true,
    required: ['Name'], fields: [...COMMON, 'Name', 'Active', 'Type'],
  },
  {
    name: 'Term', path: 'term', kind: 'list', idGroup: 'Term', nameField: 'Name', cdc: true, required: ['Name'],
    fields: [
      ...COMMON, 'Name', 'Active', 'Type', 'DiscountPercent', 'DueDays', 'DiscountDays', 'DayOfMonthDue',
      'DueNextMonthDays', 'DiscountDayOfMonth',
    ],
  },
  {
    name: 'Bill', path: 'bill', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true, required: ['VendorRef', 'Line'],
    fields: [...COMMON, ...PURCHASE, 'SalesTermRef', 'DueDate', 'Balance', 'VendorAddr', 'RemitToAddr', 'HomeBalance'],
  },
  {
    name: 'BillPayment', path: 'billpayment', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true, voidable: true,
    required: ['VendorRef', 'TotalAmt', 'PayType', 'Line'],
    fields: [...COMMON, ...TXN, 'VendorRef', 'VendorAddr', 'APAccountRef', 'PayType', 'CheckPayment', 'CreditCardPayment'],
  },
  {
    name: 'Invoice', path: 'invoice', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true, voidable: true,
    autoDocNumber: true, uniqueDocNumber: true, required: ['CustomerRef', 'Line'],
    fields: [
      ...COMMON, ...SALES, 'Deposit', 'AllowIPNPayment', 'AllowOnlinePayment', 'AllowOnlineCreditCardPayment',
      'AllowOnlineACHPayment', 'InvoiceLink', 'EInvoiceStatus',
    ],
  },
  {
    name: 'Payment', path: 'payment', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true, voidable: true,
    required: ['CustomerRef', 'TotalAmt'],
    fields: [
      ...COMMON, ...TXN, 'CustomerRef', 'ARAccountRef', 'DepositToAccountRef', 'PaymentMethodRef', 'PaymentRefNum',
      'PaymentType', 'CheckPayment', 'CreditCardPayment', 'UnappliedAmt', 'ProcessPayment',
    ],
  },
  {
    name: 'PurchaseOrder', path: 'purchaseorder', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true,
    autoDocNumber: true, uniqueDocNumber: true, required: ['VendorRef', 'Line'],
    fields: [
      ...COMMON, ...PURCHASE, 'POStatus', 'POEmail', 'ShipAddr', 'ShipTo', 'ShipMethodRef', 'VendorAddr', 'DueDate',
      'ExpectedDate', 'ManuallyClosed', 'EmailStatus', 'ClassRef', 'SalesTermRef',
    ],
  },
  {
    name: 'CreditMemo', path: 'creditmemo', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true,
    autoDocNumber: true, uniqueDocNumber: true, required: ['CustomerRef', 'Line'], fields: [...COMMON, ...SALES, 'RemainingCredit', 'InvoiceRef'],
  },
  {
    name: 'VendorCredit', path: 'vendorcredit', kind: 'txn', idGroup: 'Txn', party: 'VendorRef', cdc: true,
    required: ['VendorRef', 'Line'], fields: [...COMMON, ...PURCHASE, 'VendorAddr', 'Balance'],
  },
  {
    name: 'Estimate', path: 'estimate', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true, autoDocNumber: true,
    required: ['CustomerRef', 'Line'], fields: [...COMMON, ...SALES, 'ExpirationDate', 'AcceptedBy', 'AcceptedDate'],
  },
  {
    name: 'SalesReceipt', path: 'salesreceipt', kind: 'txn', idGroup: 'Txn', party: 'CustomerRef', cdc: true,
    voidable: true, autoDocNumber: true, uniqueDocNumber: true, required: ['Line'], fields: [...COMMON, ...SALES],
  },
  {
    name: 'CompanyInfo', path: 'companyinfo', kind: 'singleton', idGroup: 'Singleton', cdc: false, required: [],
    fields: [
      ...COMMON, 'CompanyName', 'LegalName', 'CompanyAddr', 'CustomerCommunicationAddr', 'LegalAddr', 'CompanyEmailAddr',
      'CustomerCommunicationEmailAddr', 'PrimaryPhone', 'CompanyStartDate', 'FiscalYearStartMonth', 'Country', 'Email',
      'WebAddr', 'SupportedLanguages', 'NameValue', 'DefaultTimeZone',
    ],
  },
  {
    name: 'Preferences', path: 'preferences', kind: 'singleton', idGroup: 'Singleton', cdc: false, required: [],
    fields: [
      ...COMMON, 'AccountingInfoPrefs', 'ProductAndServicesPrefs', 'SalesFormsPrefs', 'EmailMessagesPrefs',
      'VendorAndPurchasesPrefs', 'TimeTrackingPrefs', 'TaxPrefs', 'CurrencyPrefs', 'ReportPrefs', 'OtherPrefs',
    ],
  },
];

export const entities: ReadonlyMap<string, EntityDef> = new Map(defs.map((d) => [d.name, d]));
const byPath = new Map(defs.map((d) => [d.path, d]));
const byLowerName = new Map(defs.map((d) => [d.name.toLowerCase(), d]));

/** The entity a URL segment names (segments are case-sensitive, as QBO's are). */
export const entityByPath = (segment: string) => byPath.get(segment);
/** The entity a query or CDC list names (case-insensitive, as QBO accepts). */
export const entityByName = (name: string) => byLowerName.get(name.toLowerCase());

/** Which entity each reference field points at, for existence and active checks. */
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
  ClassRef: 'Class',
  SalesTermRef: 'Term',
  TermRef: 'Term',
  PaymentMethodRef: 'PaymentMethod',
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
};

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

export const ITEM_TYPES = ['Inventory', 'NonInventory', 'Service', 'Category', 'Group', 'Bundle'];
