// The fields QBO accepts on each entity, with their types and limits: what a request may carry
// before anything is stored. Field lists follow Intuit's Finance.xsd; lengths and ranges follow
// Intuit's entity reference where it gives them, and are the sandbox's own (strict) choice where
// it does not. docs/sandbox.md lists every limit with its source.

/** How a string field limits its characters. */
export type Chars =
  /** Free text: tab and line breaks allowed, other control characters not. */
  | 'text'
  /** One line: no control characters at all. */
  | 'line'
  /** A name QBO joins with colons (FullyQualifiedName): one line, no colon. */
  | 'name'
  /** An account name: one line, no colon and no double quote. */
  | 'account';

export type Spec =
  | { kind: 'string'; max: number; chars: Chars; email?: boolean; pattern?: RegExp; what?: string }
  | { kind: 'bool' }
  | { kind: 'number'; min: number; max: number; scale: number; integer?: boolean }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'ref' }
  | { kind: 'id' }
  | { kind: 'object'; fields: Readonly<Record<string, Spec>> }
  | { kind: 'array'; of: Spec; max: number }
  /** Free-form JSON QBO accepts without the sandbox modelling it: depth, size and characters are still checked. */
  | { kind: 'json'; object?: boolean };

/**
 * The largest amount the sandbox accepts, in dollars: 99,999,999,999.99. Intuit documents
 * 99999999999 as the maximum unit price and cost of an item (Item reference); the sandbox keeps
 * the cents and applies it to every amount, which keeps every sum of amounts exact in integer cents.
 */
export const MAX_MONEY = 99_999_999_999.99;
/** Quantities, rates and prices may carry up to this many decimal places (the sandbox's choice). */
export const MAX_SCALE = 5;
/** At most this many lines on a transaction (Intuit: 750 on a taxable one; the sandbox applies it to all). */
export const MAX_LINES = 750;

const str = (max: number, chars: Chars = 'line'): Spec => ({ kind: 'string', max, chars });
const text = (max: number): Spec => str(max, 'text');
const name = (max: number): Spec => str(max, 'name');
const email: Spec = { kind: 'string', max: 100, chars: 'line', email: true };
const bool: Spec = { kind: 'bool' };
const date: Spec = { kind: 'date' };
const datetime: Spec = { kind: 'datetime' };
const ref: Spec = { kind: 'ref' };
const id: Spec = { kind: 'id' };
const json: Spec = { kind: 'json' };
/** Free-form, but an object (a group of settings, a detail QBO nests). */
const jsonObject: Spec = { kind: 'json', object: true };
/** Money: two decimal places at most, within ±MAX_MONEY. */
const money: Spec = { kind: 'number', min: -MAX_MONEY, max: MAX_MONEY, scale: 2 };
/** Money that cannot be negative. */
const amount: Spec = { kind: 'number', min: 0, max: MAX_MONEY, scale: 2 };
const decimal = (min = -MAX_MONEY, max = MAX_MONEY, scale = MAX_SCALE): Spec => ({ kind: 'number', min, max, scale });
const int = (min: number, max: number): Spec => ({ kind: 'number', min, max, scale: 0, integer: true });
const oneOf = (...values: string[]): Spec => ({ kind: 'enum', values });
const obj = (fields: Record<string, Spec>): Spec => ({ kind: 'object', fields });
const list = (of: Spec, max = 1000): Spec => ({ kind: 'array', of, max });

const address = obj({
  Id: str(20), Line1: text(500), Line2: text(500), Line3: text(500), Line4: text(500), Line5: text(500),
  City: str(255), Country: str(255), CountryCode: str(10), CountrySubDivisionCode: str(255), PostalCode: str(30),
  PostalCodeSuffix: str(30), Lat: str(50), Long: str(50), Note: text(4000),
});
const phone = obj({ FreeFormNumber: str(20), DeviceType: str(30), CountryCode: str(10), AreaCode: str(10), ExchangeCode: str(10), Extension: str(10), Default: bool, Tag: str(50) });
const emailAddr = obj({ Address: email, Default: bool, Tag: str(50) });
const webAddr = obj({ URI: str(1000), Default: bool, Tag: str(50) });
const memo = obj({ value: text(1000), id: str(50) });

export const LINKED_TXN_TYPES = [
  'Invoice', 'Bill', 'BillPaymentCheck', 'BillPaymentCreditCard', 'PurchaseOrder', 'Estimate', 'CreditMemo',
  'VendorCredit', 'JournalEntry', 'ReimburseCharge', 'Payment', 'SalesReceipt', 'Deposit', 'StatementCharge',
  'Charge', 'ChargeCredit', 'RefundReceipt', 'TimeActivity', 'Expense', 'Check', 'Transfer',
];
const linkedTxn = obj({ TxnId: id, TxnType: oneOf(...LINKED_TXN_TYPES), TxnLineId: str(20) });
const customField = obj({
  DefinitionId: str(20), Name: str(31), Type: oneOf('StringType', 'BooleanType', 'NumberType', 'DateType'),
  StringValue: str(31), BooleanValue: bool, NumberValue: decimal(), DateValue: date,
});
const metaData = obj({
  CreateTime: datetime, LastUpdatedTime: datetime, CreatedByRef: ref, LastModifiedByRef: ref, LastChangedInQB: datetime,
  Synchronized: bool,
});

const COMMON: Record<string, Spec> = {
  Id: id, SyncToken: { kind: 'string', max: 20, chars: 'line', pattern: /^\d+$/, what: 'a whole number in a string' },
  MetaData: metaData, domain: oneOf('QBO'), sparse: bool,
  status: oneOf('Deleted', 'Voided', 'Draft', 'Pending', 'InTransit', 'Synchronized', 'SyncError'),
  CustomField: list(customField, 20), AttachableRef: list(json, 100),
};

const NAME_BASE: Record<string, Spec> = {
  Title: name(16), GivenName: name(100), MiddleName: name(100), FamilyName: name(100), Suffix: name(16),
  DisplayName: name(500), CompanyName: str(100), PrintOnCheckName: name(100), FullyQualifiedName: str(2600),
  Active: bool, PrimaryPhone: phone, AlternatePhone: phone, Mobile: phone, Fax: phone, PrimaryEmailAddr: emailAddr,
  WebAddr: webAddr, BillAddr: address, OtherContactInfo: jsonObject, Source: str(100), V4IDPseudonym: str(100),
};

const markupInfo = obj({ PercentBased: bool, Value: decimal(), Percent: decimal(-100, 100000), PriceLevelRef: ref, MarkUpIncomeAccountRef: ref });
const itemDetail = {
  ItemRef: ref, ClassRef: ref, UnitPrice: decimal(-99_999_999_999, 99_999_999_999), Qty: decimal(0, 99_999_999_999),
  TaxCodeRef: ref, ItemAccountRef: ref, PriceLevelRef: ref, TaxInclusiveAmt: money, MarkupInfo: markupInfo,
};
/** Detail objects by DetailType, as a line may carry them. */
export const LINE_DETAILS: Record<string, Spec> = {
  SalesItemLineDetail: obj({ ...itemDetail, ServiceDate: date, DiscountRate: decimal(0, 100), DiscountAmt: amount }),
  ItemBasedExpenseLineDetail: obj({ ...itemDetail, CustomerRef: ref, BillableStatus: oneOf('Billable', 'NotBillable', 'HasBeenBilled') }),
  AccountBasedExpenseLineDetail: obj({
    AccountRef: ref, CustomerRef: ref, ClassRef: ref, BillableStatus: oneOf('Billable', 'NotBillable', 'HasBeenBilled'),
    MarkupInfo: markupInfo, TaxAmount: money, TaxCodeRef: ref, TaxInclusiveAmt: money,
  }),
  DiscountLineDetail: obj({ DiscountRef: ref, PercentBased: bool, DiscountPercent: decimal(0, 100), DiscountAccountRef: ref, ClassRef: ref, TaxCodeRef: ref }),
  DescriptionLineDetail: obj({ ServiceDate: date, TaxCodeRef: ref }),
  SubTotalLineDetail: obj({ ItemRef: ref }),
  GroupLineDetail: jsonObject,
};
const lineBase = {
  Id: str(20), LineNum: int(0, 100_000), Description: text(4000), Amount: amount, DetailType: str(50),
  LinkedTxn: list(linkedTxn), CustomField: list(customField, 20), ProjectRef: ref, LineEx: jsonObject,
};
const salesLine = obj({ ...lineBase, ...pick(LINE_DETAILS, 'SalesItemLineDetail', 'DiscountLineDetail', 'DescriptionLineDetail', 'SubTotalLineDetail', 'GroupLineDetail') });
const purchaseLine = obj({ ...lineBase, ...pick(LINE_DETAILS, 'ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail') });
const paymentLine = obj({ Id: str(20), LineNum: int(0, 100_000), Amount: amount, LinkedTxn: list(linkedTxn, 1), LineEx: jsonObject, Description: text(4000) });

const TXN: Record<string, Spec> = {
  DocNumber: str(21), TxnDate: date, DepartmentRef: ref, CurrencyRef: ref, ExchangeRate: decimal(0, 1e9, 8),
  PrivateNote: text(4000), TxnStatus: str(30), LinkedTxn: list(linkedTxn), TxnTaxDetail: obj({ TxnTaxCodeRef: ref, TotalTax: money, TaxLine: list(json, 100) }),
  TxnSource: str(50), ProjectRef: ref, RecurDataRef: ref, TotalAmt: amount, HomeTotalAmt: money,
  GlobalTaxCalculation: oneOf('TaxExcluded', 'TaxInclusive', 'NotApplicable'), TransactionLocationType: str(50), TaxExemptionRef: ref,
};
const SALES: Record<string, Spec> = {
  ...TXN, Line: list(salesLine, MAX_LINES), CustomerRef: ref, CustomerMemo: memo, BillAddr: address, ShipAddr: address,
  ShipFromAddr: address, ClassRef: ref, SalesTermRef: ref, DueDate: date, ShipDate: date, TrackingNum: str(31),
  ApplyTaxAfterDiscount: bool, PrintStatus: oneOf('NotSet', 'NeedToPrint', 'PrintComplete'),
  EmailStatus: oneOf('NotSet', 'NeedToSend', 'EmailSent'), BillEmail: emailAddr, BillEmailCc: emailAddr,
  BillEmailBcc: emailAddr, ARAccountRef: ref, Balance: money, PaymentMethodRef: ref, PaymentRefNum: str(21),
  DepositToAccountRef: ref, DiscountRate: decimal(0, 100), DiscountAmt: amount,
  DeliveryInfo: obj({ DeliveryType: str(30), DeliveryTime: datetime }), ShipMethodRef: ref, FreeFormAddress: bool, HomeBalance: money,
};
const PURCHASE: Record<string, Spec> = { ...TXN, Line: list(purchaseLine, MAX_LINES), VendorRef: ref, APAccountRef: ref, Memo: text(4000) };

/** Every entity's fields, by entity name. */
export const SCHEMAS: Record<string, Record<string, Spec>> = {
  Vendor: {
    ...COMMON, ...NAME_BASE, TaxIdentifier: str(20), AcctNum: str(100), Vendor1099: bool, T4AEligible: bool,
    T5018Eligible: bool, TermRef: ref, APAccountRef: ref, Balance: money, BillRate: decimal(0), CostRate: decimal(0),
    CurrencyRef: ref, GSTIN: str(15), BusinessNumber: str(10), VendorPaymentBankDetail: jsonObject, GSTRegistrationType: str(50),
    HasTPAR: bool, TaxReportingBasis: str(30), VendorEx: jsonObject,
  },
  Customer: {
    ...COMMON, ...NAME_BASE, Taxable: bool, ShipAddr: address, Notes: text(2000), Job: bool, BillWithParent: bool,
    ParentRef: ref, Level: int(0, 4), SalesTermRef: ref, PaymentMethodRef: ref, Balance: money, BalanceWithJobs: money,
    OpenBalanceDate: date, CurrencyRef: ref, PreferredDeliveryMethod: oneOf('Print', 'Email', 'None'), ResaleNum: str(16),
    ARAccountRef: ref, PrimaryTaxIdentifier: str(20), IsProject: bool, DefaultTaxCodeRef: ref, TaxExemptionReasonId: str(10),
    CustomerTypeRef: ref, GSTIN: str(15), BusinessNumber: str(10), GSTRegistrationType: str(50), TaxRegistrationNumber: str(30),
  },
  Employee: {
    ...COMMON, ...NAME_BASE, EmployeeNumber: str(100), SSN: str(100), PrimaryAddr: address, BillableTime: bool,
    BillRate: decimal(0), CostRate: decimal(0), BirthDate: date, Gender: oneOf('Male', 'Female'), HiredDate: date,
    ReleasedDate: date, Organization: bool,
  },
  Item: {
    ...COMMON, Name: name(100), Sku: str(100), Description: text(4000), Active: bool, SubItem: bool, ParentRef: ref,
    Level: int(0, 4), FullyQualifiedName: str(2600), Taxable: bool, SalesTaxIncluded: bool,
    UnitPrice: decimal(0, 99_999_999_999), Type: oneOf('Inventory', 'NonInventory', 'Service', 'Category', 'Group', 'Bundle'),
    IncomeAccountRef: ref, PurchaseDesc: text(1000), PurchaseTaxIncluded: bool, PurchaseCost: decimal(0, 99_999_999_999),
    ExpenseAccountRef: ref, COGSAccountRef: ref, AssetAccountRef: ref, PrefVendorRef: ref, TrackQtyOnHand: bool,
    QtyOnHand: decimal(-99_999_999_999, 99_999_999_999), ReorderPoint: decimal(0, 99_999_999_999), InvStartDate: date,
    SalesTaxCodeRef: ref, PurchaseTaxCodeRef: ref, ItemCategoryType: str(30), ClassRef: ref, Source: str(100),
    AbatementRate: decimal(0, 100), ReverseChargeRate: decimal(0, 100), ServiceType: str(50),
  },
  Account: {
    ...COMMON, Name: str(100, 'account'), SubAccount: bool, ParentRef: ref, Description: text(100), FullyQualifiedName: str(2600),
    AccountAlias: str(100), Active: bool, Classification: oneOf('Asset', 'Equity', 'Expense', 'Liability', 'Revenue'),
    AccountType: str(50), AccountSubType: { kind: 'string', max: 100, chars: 'line', pattern: /^[A-Za-z0-9]+$/, what: 'an account sub-type such as AccountsPayable' },
    AcctNum: str(7), OpeningBalance: money, OpeningBalanceDate: date, CurrentBalance: money,
    CurrentBalanceWithSubAccounts: money, CurrencyRef: ref, TaxCodeRef: ref, TxnLocationType: str(50),
  },
  Class: { ...COMMON, Name: name(100), SubClass: bool, ParentRef: ref, FullyQualifiedName: str(2600), Active: bool },
  PaymentMethod: { ...COMMON, Name: name(31), Active: bool, Type: oneOf('CREDIT_CARD', 'NON_CREDIT_CARD') },
  Term: {
    ...COMMON, Name: name(31), Active: bool, Type: oneOf('STANDARD', 'DATE_DRIVEN'), DiscountPercent: decimal(0, 100),
    DueDays: int(0, 999), DiscountDays: int(0, 999), DayOfMonthDue: int(1, 31), DueNextMonthDays: int(0, 999),
    DiscountDayOfMonth: int(0, 31),
  },
  Bill: { ...COMMON, ...PURCHASE, SalesTermRef: ref, DueDate: date, Balance: money, VendorAddr: address, RemitToAddr: address, HomeBalance: money },
  BillPayment: {
    ...COMMON, ...TXN, Line: list(paymentLine, MAX_LINES), VendorRef: ref, VendorAddr: address, APAccountRef: ref,
    PayType: oneOf('Check', 'CreditCard'),
    CheckPayment: obj({ BankAccountRef: ref, PrintStatus: oneOf('NotSet', 'NeedToPrint', 'PrintComplete'), PayeeAddr: address }),
    CreditCardPayment: obj({ CCAccountRef: ref }),
  },
  Invoice: {
    ...COMMON, ...SALES, Deposit: amount, AllowIPNPayment: bool, AllowOnlinePayment: bool, AllowOnlineCreditCardPayment: bool,
    AllowOnlineACHPayment: bool, InvoiceLink: str(1000), EInvoiceStatus: str(30),
  },
  Payment: {
    ...COMMON, ...TXN, Line: list(paymentLine, MAX_LINES), CustomerRef: ref, ARAccountRef: ref, DepositToAccountRef: ref,
    PaymentMethodRef: ref, PaymentRefNum: str(21), PaymentType: oneOf('Cash', 'Check', 'CreditCard', 'Other'),
    CheckPayment: obj({ CheckNum: str(21), Status: str(30), NameOnAcct: str(100), AcctNum: str(30), BankName: str(100) }),
    CreditCardPayment: jsonObject, UnappliedAmt: money, ProcessPayment: bool,
  },
  PurchaseOrder: {
    ...COMMON, ...PURCHASE, POStatus: oneOf('Open', 'Closed'), POEmail: emailAddr, ShipAddr: address, ShipTo: ref,
    ShipMethodRef: ref, VendorAddr: address, DueDate: date, ExpectedDate: date, ManuallyClosed: bool,
    EmailStatus: oneOf('NotSet', 'NeedToSend', 'EmailSent'), ClassRef: ref, SalesTermRef: ref,
  },
  CreditMemo: { ...COMMON, ...SALES, RemainingCredit: money, InvoiceRef: ref },
  VendorCredit: { ...COMMON, ...PURCHASE, VendorAddr: address, Balance: money },
  Estimate: {
    ...COMMON, ...SALES, TxnStatus: oneOf('Pending', 'Accepted', 'Closed', 'Rejected', 'Converted'),
    ExpirationDate: date, AcceptedBy: str(100), AcceptedDate: date,
  },
  SalesReceipt: { ...COMMON, ...SALES },
  CompanyInfo: {
    ...COMMON, CompanyName: str(1024), LegalName: str(1024), CompanyAddr: address, CustomerCommunicationAddr: address,
    LegalAddr: address, CompanyEmailAddr: emailAddr, CustomerCommunicationEmailAddr: emailAddr, PrimaryPhone: phone,
    CompanyStartDate: date, FiscalYearStartMonth: str(20), Country: str(50), Email: emailAddr, WebAddr: webAddr,
    SupportedLanguages: str(100), NameValue: list(obj({ Name: str(100), Value: text(1000) }), 200), DefaultTimeZone: str(100),
  },
  Preferences: {
    ...COMMON, AccountingInfoPrefs: jsonObject, ProductAndServicesPrefs: jsonObject, SalesFormsPrefs: jsonObject,
    EmailMessagesPrefs: jsonObject, VendorAndPurchasesPrefs: jsonObject, TimeTrackingPrefs: jsonObject, TaxPrefs: jsonObject,
    CurrencyPrefs: jsonObject, ReportPrefs: jsonObject, OtherPrefs: jsonObject,
  },
};

function pick(from: Record<string, Spec>, ...keys: string[]): Record<string, Spec> {
  return Object.fromEntries(keys.map((k) => [k, from[k]]));
}

/** The type of a (possibly dotted) field, for checking the values a query compares it with. */
export function fieldSpec(entity: string, field: string): Spec | undefined {
  let spec: Spec | undefined = { kind: 'object', fields: SCHEMAS[entity] ?? {} };
  for (const part of field.split('.')) {
    if (spec?.kind === 'ref') return part.toLowerCase() === 'value' ? { kind: 'string', max: 100, chars: 'line' } : undefined;
    if (spec?.kind !== 'object') return undefined;
    const k: string | undefined = Object.keys(spec.fields).find((f) => f.toLowerCase() === part.toLowerCase());
    spec = k === undefined ? undefined : spec.fields[k];
  }
  return spec;
}
