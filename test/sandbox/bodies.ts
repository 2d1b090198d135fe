// Valid request bodies for every entity the sandbox serves, built on the default seed's records,
// with amounts and names drawn from a seeded generator. Tests start from these and break them.
import { seededRandom, type Random } from '../../sandbox/random';
import type { connect } from './harness';

type Qbo = Awaited<ReturnType<typeof connect>>;
// QBO bodies are free-form JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

/** Ids of seed records the bodies refer to. */
export interface Refs {
  vendor: string;
  otherVendor: string;
  customer: string;
  otherCustomer: string;
  inactiveVendor: string;
  inactiveCustomer: string;
  project: string;
  service: string;
  part: string;
  expense: string;
  income: string;
  cogs: string;
  asset: string;
  bank: string;
  card: string;
  undeposited: string;
  ap: string;
  term: string;
  method: string;
  klass: string;
}

export async function seedRefs(qbo: Qbo): Promise<Refs> {
  const id = async (entity: string, where: string) => {
    const r = await qbo.query(`SELECT * FROM ${entity} WHERE ${where} AND Active IN (true, false)`);
    const row = r.json.QueryResponse[entity]?.[0];
    if (!row) throw new Error(`no ${entity} where ${where}`);
    return row.Id as string;
  };
  return {
    vendor: await id('Vendor', "DisplayName = 'McMaster-Carr Supply Co'"),
    otherVendor: await id('Vendor', "DisplayName = 'Digi-Key Electronics'"),
    customer: await id('Customer', "DisplayName = 'Bayside Auto Group'"),
    otherCustomer: await id('Customer', "DisplayName = 'Ironwood Fitness Clubs'"),
    inactiveVendor: await id('Vendor', "DisplayName = 'Pandora Media LLC'"),
    inactiveCustomer: await id('Customer', "DisplayName = 'Trinity Lutheran Church'"),
    project: await id('Customer', "DisplayName = 'Harbor Lights Festival'"),
    service: await id('Item', "Name = 'Consulting'"),
    part: await id('Item', "Name = '820412-001 Rev B'"),
    expense: await id('Account', "Name = 'Job Supplies'"),
    income: await id('Account', "Name = 'Agency Fees'"),
    cogs: await id('Account', "Name = 'Cost of Goods Sold'"),
    asset: await id('Account', "Name = 'Inventory Asset'"),
    bank: await id('Account', "Name = 'Checking'"),
    card: await id('Account', "Name = 'Visa Business Card'"),
    undeposited: await id('Account', "Name = 'Undeposited Funds'"),
    ap: await id('Account', "Name = 'Accounts Payable (A/P)'"),
    term: await id('Term', "Name = 'Net 30'"),
    method: await id('PaymentMethod', "Name = 'Check'"),
    klass: await id('Class', "Name = 'Digital'"),
  };
}

/** Every entity a client can create, in an order where each one's prerequisites come first. */
export const CREATABLE = [
  'Vendor', 'Customer', 'Employee', 'Item', 'Account', 'Class', 'PaymentMethod', 'Term', 'Bill', 'Invoice',
  'Estimate', 'SalesReceipt', 'CreditMemo', 'PurchaseOrder', 'VendorCredit', 'Payment', 'BillPayment',
] as const;

/** Money in whole cents between min and max, as QBO's JSON writes it. */
export const cents = (rng: Random, min: number, max: number) => rng.int(min, max) / 100;

export class Bodies {
  readonly rng: Random;
  private n = 0;
  constructor(readonly refs: Refs, seed: number) {
    this.rng = seededRandom(seed);
  }

  /** A name no record has yet, at most `max` characters. */
  name(prefix: string, max = 100) {
    return `${prefix} ${++this.n} ${this.rng.int(1000, 9999)}`.slice(0, max);
  }

  /** A valid create body; Payment and BillPayment need an open invoice or bill to apply to. */
  create(entity: string, open?: Body): Body {
    const r = this.refs;
    const rng = this.rng;
    const amount = () => cents(rng, 1, 5_000_000);
    switch (entity) {
      case 'Vendor':
        return {
          DisplayName: this.name('Fuzz Vendor'), CompanyName: 'Fuzz Supply Co', PrimaryEmailAddr: { Address: 'ap@fuzz.example' },
          TermRef: { value: r.term }, AcctNum: String(rng.int(1000, 99999)), BillAddr: { Line1: '1 Main St', City: 'Oakland', CountrySubDivisionCode: 'CA', PostalCode: '94607' },
          Vendor1099: rng.chance(0.5),
        };
      case 'Customer':
        return {
          DisplayName: this.name('Fuzz Customer'), GivenName: 'Ada', FamilyName: 'Fuzz', Notes: 'Prefers email.\nNet 30.',
          SalesTermRef: { value: r.term }, PaymentMethodRef: { value: r.method }, PrimaryPhone: { FreeFormNumber: '(510) 555-0100' },
          ShipAddr: { Line1: '2 Market St', City: 'Oakland', PostalCode: '94607' }, PreferredDeliveryMethod: 'Email',
        };
      case 'Employee':
        return { GivenName: this.name('Fuzz', 40), FamilyName: 'Employee', HiredDate: '2024-02-29', BillableTime: false };
      case 'Item':
        return { Name: this.name('Fuzz Service'), Type: 'Service', IncomeAccountRef: { value: r.income }, UnitPrice: cents(rng, 0, 100_000), Description: 'Fuzzed service' };
      case 'Account':
        return { Name: this.name('Fuzz Expense'), AccountType: 'Expense', Description: 'Fuzzed' };
      case 'Class':
        return { Name: this.name('Fuzz Class') };
      case 'PaymentMethod':
        return { Name: this.name('Fuzz Pay', 31), Type: 'NON_CREDIT_CARD' };
      case 'Term':
        return { Name: this.name('Fuzz Net', 31), DueDays: rng.int(0, 120) };
      case 'Bill':
      case 'VendorCredit':
      case 'PurchaseOrder':
        return {
          VendorRef: { value: r.vendor }, TxnDate: '2026-03-15', PrivateNote: 'Fuzzed purchase', ...(entity === 'PurchaseOrder' ? { APAccountRef: { value: r.ap } } : {}),
          Line: [
            { Amount: amount(), DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: r.expense }, ClassRef: { value: r.klass } } },
            { DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: r.part }, Qty: rng.int(1, 40), UnitPrice: cents(rng, 1, 90_000), CustomerRef: { value: r.customer }, BillableStatus: 'Billable' } },
          ].slice(0, rng.int(1, 2)),
        };
      case 'Invoice':
      case 'Estimate':
      case 'SalesReceipt':
      case 'CreditMemo':
        return {
          CustomerRef: { value: r.customer }, TxnDate: '2026-03-15', PrivateNote: 'Fuzzed sale',
          ...(entity === 'SalesReceipt' ? { PaymentMethodRef: { value: r.method }, DepositToAccountRef: { value: r.undeposited } } : {}),
          Line: [
            { DetailType: 'SalesItemLineDetail', Description: 'Hours', SalesItemLineDetail: { ItemRef: { value: r.service }, Qty: rng.int(1, 80), UnitPrice: cents(rng, 1, 40_000), ClassRef: { value: r.klass } } },
            { Amount: amount(), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: r.service } } },
          ].slice(0, rng.int(1, 2)),
        };
      case 'Payment':
        return {
          CustomerRef: { value: r.customer }, TotalAmt: open!.Balance, PaymentMethodRef: { value: r.method },
          DepositToAccountRef: { value: r.undeposited }, Line: [{ Amount: open!.Balance, LinkedTxn: [{ TxnId: open!.Id, TxnType: 'Invoice' }] }],
        };
      case 'BillPayment':
        return {
          VendorRef: { value: r.vendor }, TotalAmt: open!.Balance, PayType: 'Check', CheckPayment: { BankAccountRef: { value: r.bank } },
          Line: [{ Amount: open!.Balance, LinkedTxn: [{ TxnId: open!.Id, TxnType: 'Bill' }] }],
        };
    }
    throw new Error(`no body for ${entity}`);
  }
}

/** Every path in a body to a value (objects and arrays included), as key lists. */
export function pathsOf(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (path.length) out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
}

export function getAt(body: unknown, path: (string | number)[]): unknown {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return path.reduce((node: any, k) => node?.[k], body);
}

export function setAt(body: Body, path: (string | number)[], value: unknown): Body {
  const copy = structuredClone(body);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let node: any = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path.at(-1)!] = value;
  return copy;
}
