// zod schemas for what QuickBooks Online sends back: every entity the product reads or writes,
// and the response envelopes (entity, query, batch, CDC, fault). They name the fields the product
// uses and keep every other field as is (loose objects), because QBO adds fields without notice.
import { z } from 'zod';

const str = z.string().optional();
const num = z.number().optional();
const bool = z.boolean().optional();

export const Ref = z.looseObject({ value: z.string(), name: str, type: str });
export type Ref = z.infer<typeof Ref>;
const ref = Ref.optional();

const MetaData = z.looseObject({ CreateTime: str, LastUpdatedTime: str });
const Address = z.looseObject({
  Id: str, Line1: str, Line2: str, Line3: str, Line4: str, Line5: str, City: str, Country: str,
  CountrySubDivisionCode: str, PostalCode: str,
});
const Email = z.looseObject({ Address: str });
const Phone = z.looseObject({ FreeFormNumber: str });
export const LinkedTxn = z.looseObject({ TxnId: z.string(), TxnType: z.string(), TxnLineId: str });
const CustomField = z.looseObject({ DefinitionId: str, Name: str, Type: str, StringValue: str });

const itemDetail = z.looseObject({ ItemRef: ref, ClassRef: ref, UnitPrice: num, Qty: num, TaxCodeRef: ref, ServiceDate: str });
const expenseItemDetail = itemDetail.extend({ CustomerRef: ref, BillableStatus: str });
const accountDetail = z.looseObject({ AccountRef: ref, ClassRef: ref, CustomerRef: ref, BillableStatus: str, TaxCodeRef: ref });

export const Line = z.looseObject({
  Id: str,
  LineNum: num,
  Description: str,
  Amount: num,
  DetailType: str,
  LinkedTxn: z.array(LinkedTxn).optional(),
  SalesItemLineDetail: itemDetail.optional(),
  ItemBasedExpenseLineDetail: expenseItemDetail.optional(),
  AccountBasedExpenseLineDetail: accountDetail.optional(),
});

/** What every QBO object carries. Only Id is always present (CDC delete stubs have little else). */
const base = {
  Id: z.string(),
  SyncToken: str,
  MetaData: MetaData.optional(),
  domain: str,
  sparse: bool,
  status: str,
  CustomField: z.array(CustomField).optional(),
};

const nameBase = {
  ...base,
  DisplayName: str,
  Title: str,
  GivenName: str,
  MiddleName: str,
  FamilyName: str,
  Suffix: str,
  CompanyName: str,
  PrintOnCheckName: str,
  FullyQualifiedName: str,
  Active: bool,
  PrimaryEmailAddr: Email.optional(),
  PrimaryPhone: Phone.optional(),
  AlternatePhone: Phone.optional(),
  Mobile: Phone.optional(),
  Fax: Phone.optional(),
  WebAddr: z.looseObject({ URI: str }).optional(),
  BillAddr: Address.optional(),
  CurrencyRef: ref,
};

const txnBase = {
  ...base,
  DocNumber: str,
  TxnDate: str,
  PrivateNote: str,
  TxnStatus: str,
  CurrencyRef: ref,
  LinkedTxn: z.array(LinkedTxn).optional(),
  Line: z.array(Line).optional(),
  TotalAmt: num,
};

const sales = {
  ...txnBase,
  CustomerRef: ref,
  CustomerMemo: z.looseObject({ value: str }).optional(),
  BillAddr: Address.optional(),
  ShipAddr: Address.optional(),
  ClassRef: ref,
  SalesTermRef: ref,
  DueDate: str,
  Balance: num,
  BillEmail: Email.optional(),
  PrintStatus: str,
  EmailStatus: str,
  PaymentMethodRef: ref,
  DepositToAccountRef: ref,
};

const purchase = { ...txnBase, VendorRef: ref, APAccountRef: ref, Memo: str };

export const Vendor = z.looseObject({
  ...nameBase,
  Balance: num,
  AcctNum: str,
  Vendor1099: bool,
  TermRef: ref,
  TaxIdentifier: str,
  APAccountRef: ref,
});
export const Customer = z.looseObject({
  ...nameBase,
  ShipAddr: Address.optional(),
  Notes: str,
  Job: bool,
  BillWithParent: bool,
  ParentRef: ref,
  Level: num,
  Taxable: bool,
  Balance: num,
  BalanceWithJobs: num,
  SalesTermRef: ref,
  PaymentMethodRef: ref,
  PreferredDeliveryMethod: str,
});
export const Employee = z.looseObject({ ...nameBase, EmployeeNumber: str });
export const Item = z.looseObject({
  ...base,
  Name: str,
  Sku: str,
  Description: str,
  Active: bool,
  FullyQualifiedName: str,
  Type: str,
  UnitPrice: num,
  PurchaseCost: num,
  PurchaseDesc: str,
  IncomeAccountRef: ref,
  ExpenseAccountRef: ref,
  AssetAccountRef: ref,
  TrackQtyOnHand: bool,
  QtyOnHand: num,
  InvStartDate: str,
  ParentRef: ref,
  SubItem: bool,
});
export const Account = z.looseObject({
  ...base,
  Name: str,
  FullyQualifiedName: str,
  Active: bool,
  AccountType: str,
  AccountSubType: str,
  Classification: str,
  AcctNum: str,
  CurrentBalance: num,
  ParentRef: ref,
  SubAccount: bool,
});
export const Class = z.looseObject({ ...base, Name: str, FullyQualifiedName: str, Active: bool, SubClass: bool, ParentRef: ref });
export const PaymentMethod = z.looseObject({ ...base, Name: str, Active: bool, Type: str });
export const Term = z.looseObject({
  ...base, Name: str, Active: bool, Type: str, DueDays: num, DiscountPercent: num, DiscountDays: num, DayOfMonthDue: num,
});
export const Bill = z.looseObject({ ...purchase, DueDate: str, Balance: num, SalesTermRef: ref, VendorAddr: Address.optional() });
export const BillPayment = z.looseObject({
  ...txnBase,
  VendorRef: ref,
  APAccountRef: ref,
  PayType: str,
  CheckPayment: z.looseObject({ BankAccountRef: ref, PrintStatus: str }).optional(),
  CreditCardPayment: z.looseObject({ CCAccountRef: ref }).optional(),
});
export const Invoice = z.looseObject({
  ...sales,
  AllowOnlinePayment: bool,
  InvoiceLink: str,
});
export const Payment = z.looseObject({
  ...txnBase,
  CustomerRef: ref,
  ARAccountRef: ref,
  DepositToAccountRef: ref,
  PaymentMethodRef: ref,
  PaymentRefNum: str,
  UnappliedAmt: num,
});
export const PurchaseOrder = z.looseObject({
  ...purchase,
  POStatus: str,
  POEmail: Email.optional(),
  ShipAddr: Address.optional(),
  VendorAddr: Address.optional(),
  DueDate: str,
  ClassRef: ref,
});
export const CreditMemo = z.looseObject({ ...sales, RemainingCredit: num });
export const VendorCredit = z.looseObject({ ...purchase, Balance: num });
export const Estimate = z.looseObject({ ...sales, ExpirationDate: str, AcceptedBy: str, AcceptedDate: str });
export const SalesReceipt = z.looseObject({ ...sales });
export const CompanyInfo = z.looseObject({
  ...base,
  CompanyName: str,
  LegalName: str,
  CompanyAddr: Address.optional(),
  Country: str,
  Email: Email.optional(),
  PrimaryPhone: Phone.optional(),
  FiscalYearStartMonth: str,
});
export const Preferences = z.looseObject({
  ...base,
  AccountingInfoPrefs: z.looseObject({}).optional(),
  SalesFormsPrefs: z.looseObject({}).optional(),
  VendorAndPurchasesPrefs: z.looseObject({}).optional(),
  CurrencyPrefs: z.looseObject({ MultiCurrencyEnabled: bool, HomeCurrency: z.looseObject({ value: str }).optional() }).optional(),
});

/** Every entity the product reads or writes, by its QBO name. */
export const schemas = {
  Vendor,
  Customer,
  Employee,
  Item,
  Account,
  Class,
  PaymentMethod,
  Term,
  Bill,
  BillPayment,
  Invoice,
  Payment,
  PurchaseOrder,
  CreditMemo,
  VendorCredit,
  Estimate,
  SalesReceipt,
  CompanyInfo,
  Preferences,
} as const;

export type EntityName = keyof typeof schemas;
export type Entity<E extends EntityName> = z.infer<(typeof schemas)[E]>;

/** Name lists are deactivated, never deleted; transactions are deleted or voided. */
export const NAME_LIST_ENTITIES: EntityName[] = ['Vendor', 'Customer', 'Employee', 'Item', 'Account', 'Class', 'PaymentMethod', 'Term'];
/** Transactions with a customer (CustomerRef), and with a vendor (VendorRef). */
export const CUSTOMER_TRANSACTIONS: readonly EntityName[] = ['Invoice', 'Payment', 'Estimate', 'SalesReceipt', 'CreditMemo'];
export const VENDOR_TRANSACTIONS: readonly EntityName[] = ['Bill', 'BillPayment', 'PurchaseOrder', 'VendorCredit'];

/** A QuickBooks company id (realmId): digits only. */
export const REALM_ID_PATTERN = /^\d{1,20}$/;

/** What is wrong with a value zod refused, one "field: problem" per issue (at most `max`). */
export function describeIssues(error: z.ZodError, max = Infinity): string {
  return error.issues
    .slice(0, max)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * A fast check of a row against an entity schema: every field the schema names, when present,
 * has the schema's JSON type (string, number, boolean, array or object), and Id is a string.
 * It reads the row in place instead of copying it, which is what makes loading 70,000 rows
 * cheap; single reads and writes still parse fully.
 */
export function rowChecker(schema: z.ZodObject): (row: unknown) => string | undefined {
  const expected: [string, string][] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    let t = field as z.ZodType;
    const optional = t._zod.def.type === 'optional';
    if (optional) t = (t as z.ZodOptional).unwrap() as z.ZodType;
    const type = t._zod.def.type;
    if (['string', 'number', 'boolean', 'array', 'object'].includes(type)) expected.push([key, optional ? type : `!${type}`]);
  }
  return (row) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'not an object';
    const r = row as Record<string, unknown>;
    for (const [key, want] of expected) {
      const required = want.startsWith('!');
      const type = required ? want.slice(1) : want;
      const v = r[key];
      if (v === undefined) {
        if (required) return `${key}: required`;
        continue;
      }
      const got = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
      if (got !== type) return `${key}: expected ${type}, got ${got}`;
    }
    return undefined;
  };
}

// ---- envelopes ------------------------------------------------------------------------------

/** What a delete returns, and what CDC lists for a deleted object. */
export const DeletedStub = z.looseObject({ Id: z.string(), status: z.literal('Deleted'), domain: str, MetaData: MetaData.optional() });

export const QueryEnvelope = z.looseObject({
  QueryResponse: z.looseObject({ startPosition: num, maxResults: num, totalCount: num }),
  time: str,
});

const FaultError = z.looseObject({ Message: z.string(), Detail: str, code: z.string(), element: z.string().nullable().optional() });
/** Application faults: {"Fault":{"Error":[…],"type":"ValidationFault"}}. */
export const FaultEnvelope = z.looseObject({ Fault: z.looseObject({ Error: z.array(FaultError).min(1), type: str }), time: str });
/** The gateway's faults (401, 403): lower-case keys and nulls. */
export const GatewayFaultEnvelope = z.looseObject({
  fault: z.looseObject({
    error: z.array(z.looseObject({ message: z.string(), detail: z.string().nullable().optional(), code: z.string() })).min(1),
    type: str,
  }),
});

export const BatchEnvelope = z.looseObject({
  BatchItemResponse: z.array(z.looseObject({ bId: z.string(), Fault: FaultEnvelope.shape.Fault.optional(), QueryResponse: z.looseObject({}).optional() })),
  time: str,
});

export const CdcEnvelope = z.looseObject({
  CDCResponse: z.array(z.looseObject({ QueryResponse: z.array(z.looseObject({ startPosition: num, maxResults: num })) })).min(1),
  time: str,
});

/** Parses `{"<Entity>": {...}}` as that entity. */
export function entityEnvelope<E extends EntityName>(entity: E) {
  return z.looseObject({ [entity]: schemas[entity], time: str } as { [K in E]: (typeof schemas)[E] } & { time: typeof str });
}
