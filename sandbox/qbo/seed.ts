// Seeds the sandbox's companies. "default" is a believable small agency with a year of history;
// "scale" gives the demo company 10,000 vendors, 10,000 customers and 50,000 transactions;
// "empty" has only the chart of accounts and the lists a new QBO company starts with.
// Everything is generated from a fixed seed, so every run sees the same books.
import { Clock, DAY_MS, qboDate } from './clock';
import { Company, type Rec } from './company';
import { seededRandom, type Random } from '../random';
import { CUSTOMERS, MEDIA_VENDORS, PARTS, SECOND_COMPANY, SERVICE_VENDORS, SERVICES, splitPersonName, SUPPLIERS, type SeedParty } from './seed-data';

export type SeedKind = 'default' | 'scale' | 'empty';
export const SEED_KINDS: SeedKind[] = ['default', 'scale', 'empty'];

/** The seed kind `value` names, or the message to show when it names none. */
export function parseSeedKind(value: unknown): { seed: SeedKind } | { error: string } {
  if (SEED_KINDS.includes(value as SeedKind)) return { seed: value as SeedKind };
  return { error: `seed must be one of ${SEED_KINDS.join(', ')}.` };
}

/** The demo company's realm id, and the second company's. */
export const DEMO_REALM = '9341453050298166';
const SECOND_REALM = '9341453050298512';

type Rng = Random;

const ACCOUNTS: [string, string, string][] = [
  ['Checking', 'Bank', 'Checking'],
  ['Savings', 'Bank', 'Savings'],
  ['Undeposited Funds', 'Other Current Asset', 'UndepositedFunds'],
  ['Inventory Asset', 'Other Current Asset', 'Inventory'],
  ['Prepaid Expenses', 'Other Current Asset', 'PrepaidExpenses'],
  ['Accounts Receivable (A/R)', 'Accounts Receivable', 'AccountsReceivable'],
  ['Equipment', 'Fixed Asset', 'MachineryAndEquipment'],
  ['Accounts Payable (A/P)', 'Accounts Payable', 'AccountsPayable'],
  ['Visa Business Card', 'Credit Card', 'CreditCard'],
  ['Payroll Liabilities', 'Other Current Liability', 'PayrollTaxPayable'],
  ['Opening Balance Equity', 'Equity', 'OpeningBalanceEquity'],
  ['Retained Earnings', 'Equity', 'RetainedEarnings'],
  ['Agency Fees', 'Income', 'ServiceFeeIncome'],
  ['Media Sales', 'Income', 'SalesOfProductIncome'],
  ['Production Income', 'Income', 'ServiceFeeIncome'],
  ['Installation Income', 'Income', 'ServiceFeeIncome'],
  ['Sales of Product Income', 'Income', 'SalesOfProductIncome'],
  ['Cost of Goods Sold', 'Cost of Goods Sold', 'SuppliesMaterialsCogs'],
  ['Media Placement Costs', 'Cost of Goods Sold', 'OtherCostsOfServiceCos'],
  ['Advertising & Marketing', 'Expense', 'AdvertisingPromotional'],
  ['Bank Charges & Fees', 'Expense', 'BankCharges'],
  ['Freight & Shipping', 'Expense', 'ShippingFreightDelivery'],
  ['Insurance', 'Expense', 'Insurance'],
  ['Legal & Professional Fees', 'Expense', 'LegalProfessionalFees'],
  ['Office Supplies & Software', 'Expense', 'OfficeGeneralAdministrativeExpenses'],
  ['Rent & Lease', 'Expense', 'RentOrLeaseOfBuildings'],
  ['Utilities', 'Expense', 'Utilities'],
  ['Job Supplies', 'Expense', 'SuppliesMaterials'],
  ['Purchase Fees', 'Expense', 'OtherMiscellaneousServiceCost'],
  ['Subcontractors', 'Expense', 'CostOfLabor'],
  ['Travel', 'Expense', 'Travel'],
  ['Meals', 'Expense', 'EntertainmentMeals'],
  ['Repairs & Maintenance', 'Expense', 'RepairMaintenance'],
  ['Interest Earned', 'Other Income', 'InterestEarned'],
];

/** Which expense account a service vendor's bills go to. */
const SERVICE_VENDOR_ACCOUNT: Record<string, string> = {
  'Pacific Gas and Electric': 'Utilities',
  'Comcast Business': 'Utilities',
  'Verizon Wireless': 'Utilities',
  'Brookfield Office Properties': 'Rent & Lease',
  'WeWork Management LLC': 'Rent & Lease',
  'The Hartford Insurance': 'Insurance',
  'Kessler & Marsh CPAs': 'Legal & Professional Fees',
  'Delgado Legal Services PLLC': 'Legal & Professional Fees',
  'FedEx Freight': 'Freight & Shipping',
  'UPS Supply Chain Solutions': 'Freight & Shipping',
  'Bay Area Couriers': 'Freight & Shipping',
};

interface Refs {
  accounts: Map<string, string>;
  terms: Map<string, string>;
  methods: Map<string, string>;
  classes: Map<string, string>;
  items: Map<string, string>;
}

const ref = (id: string) => ({ value: id });

function companyInfo(name: string, email: string) {
  return {
    CompanyName: name,
    LegalName: `${name}, Inc.`,
    CompanyAddr: { Id: '1', Line1: '2700 Coast Ave', City: 'Mountain View', Country: 'USA', CountrySubDivisionCode: 'CA', PostalCode: '94043' },
    CustomerCommunicationAddr: { Id: '1', Line1: '2700 Coast Ave', City: 'Mountain View', Country: 'USA', CountrySubDivisionCode: 'CA', PostalCode: '94043' },
    LegalAddr: { Id: '1', Line1: '2700 Coast Ave', City: 'Mountain View', Country: 'USA', CountrySubDivisionCode: 'CA', PostalCode: '94043' },
    CustomerCommunicationEmailAddr: { Address: email },
    PrimaryPhone: { FreeFormNumber: '(650) 555-0100' },
    CompanyStartDate: '2019-01-01',
    FiscalYearStartMonth: 'January',
    Country: 'US',
    Email: { Address: email },
    WebAddr: {},
    SupportedLanguages: 'en',
    DefaultTimeZone: 'America/Los_Angeles',
    NameValue: [
      { Name: 'NeoEnabled', Value: 'true' },
      { Name: 'IndustryType', Value: 'Advertising and Marketing' },
      { Name: 'CompanyType', Value: 'Corporation' },
      { Name: 'SubscriptionStatus', Value: 'SUBSCRIBED' },
      { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
      { Name: 'PayrollFeature', Value: 'false' },
      { Name: 'ItemCategoriesFeature', Value: 'true' },
    ],
  };
}

function preferences(termId: string) {
  return {
    AccountingInfoPrefs: { TrackDepartments: false, ClassTrackingPerTxn: false, ClassTrackingPerTxnLine: true, CustomerTerminology: 'Customers', BookCloseDate: undefined },
    ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
    SalesFormsPrefs: {
      CustomField: [
        { CustomField: [{ Name: 'SalesFormsPrefs.UseSalesCustom1', Type: 'BooleanType', BooleanValue: true }] },
        { CustomField: [{ Name: 'SalesFormsPrefs.SalesCustomName1', Type: 'StringType', StringValue: 'Campaign' }] },
      ],
      AllowDeposit: true, AllowDiscount: true, AllowEstimates: true, AllowShipping: false, AutoApplyCredit: true,
      CustomTxnNumbers: true, DefaultTerms: ref(termId), ETransactionEnabledStatus: 'NotApplicable', IPNSupportEnabled: false,
    },
    VendorAndPurchasesPrefs: { TrackingByCustomer: true, BillableExpenseTracking: true, DefaultTerms: ref(termId), POCustomField: [] },
    TimeTrackingPrefs: { UseServices: true, BillCustomers: true, ShowBillRateToAll: false, WorkWeekStartDate: 'Monday' },
    TaxPrefs: { UsingSalesTax: false },
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } },
    ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
    OtherPrefs: { NameValue: [{ Name: 'SalesFormsPrefs.DefaultItem', Value: '1' }] },
    EmailMessagesPrefs: {},
  };
}

/** Lists every new QBO company has: chart of accounts, terms, payment methods, classes. */
function seedLists(c: Company, at: number): Refs {
  const refs: Refs = { accounts: new Map(), terms: new Map(), methods: new Map(), classes: new Map(), items: new Map() };
  for (const [Name, AccountType, AccountSubType] of ACCOUNTS)
    refs.accounts.set(Name, c.create('Account', { Name, AccountType, AccountSubType }, { at }).Id);
  for (const [Name, DueDays, extra] of [
    ['Due on receipt', 0, {}],
    ['Net 15', 15, {}],
    ['Net 30', 30, {}],
    ['Net 60', 60, {}],
    ['1% 10 Net 30', 30, { DiscountPercent: 1, DiscountDays: 10 }],
  ] as const)
    refs.terms.set(Name, c.create('Term', { Name, DueDays, ...extra }, { at }).Id);
  for (const [Name, Type] of [
    ['Cash', 'NON_CREDIT_CARD'], ['Check', 'NON_CREDIT_CARD'], ['ACH', 'NON_CREDIT_CARD'], ['Wire Transfer', 'NON_CREDIT_CARD'],
    ['Visa', 'CREDIT_CARD'], ['MasterCard', 'CREDIT_CARD'], ['American Express', 'CREDIT_CARD'],
  ] as const)
    refs.methods.set(Name, c.create('PaymentMethod', { Name, Type }, { at }).Id);
  for (const Name of ['Broadcast', 'Digital', 'Print', 'Out of Home', 'Fabrication', 'Overhead'])
    refs.classes.set(Name, c.create('Class', { Name }, { at }).Id);
  c.initSingleton('Preferences', preferences(refs.terms.get('Net 30')!), at);
  return refs;
}

function seedItems(c: Company, refs: Refs, at: number, supplierIds: string[], rng: Rng, extraParts = 0) {
  const a = (n: string) => ref(refs.accounts.get(n)!);
  for (const s of SERVICES)
    refs.items.set(s.name, c.create('Item', {
      Name: s.name, Type: 'Service', Description: s.description, UnitPrice: s.price, IncomeAccountRef: a(s.account),
    }, { at }).Id);
  refs.items.set('Shipping', c.create('Item', {
    Name: 'Shipping', Type: 'NonInventory', Description: 'Shipping and handling', IncomeAccountRef: a('Sales of Product Income'),
    ExpenseAccountRef: a('Freight & Shipping'),
  }, { at }).Id);
  const parts = [...PARTS];
  for (let i = 0; i < extraParts; i++)
    parts.push({ part: `${700000 + i}-${String(i % 100).padStart(3, '0')}`, revision: 'ABCDE'[i % 5], description: `Component ${i + 1}`, cost: rng.money(2, 300), price: 0 });
  for (const p of parts)
    refs.items.set(`${p.part} Rev ${p.revision}`, c.create('Item', {
      Name: `${p.part} Rev ${p.revision}`, Sku: p.part, Type: 'Inventory', Description: p.description,
      UnitPrice: p.price || Math.round(p.cost * 190) / 100, PurchaseCost: p.cost, PurchaseDesc: p.description,
      IncomeAccountRef: a('Sales of Product Income'), ExpenseAccountRef: a('Cost of Goods Sold'), AssetAccountRef: a('Inventory Asset'),
      TrackQtyOnHand: true, QtyOnHand: rng.int(0, 400), InvStartDate: qboDate(at), PrefVendorRef: supplierIds.length ? ref(rng.pick(supplierIds)) : undefined,
    }, { at }).Id);
}

function partyBody(p: SeedParty, isCustomer: boolean, refs: Refs, rng: Rng): Rec {
  const body: Rec = { DisplayName: p.name };
  const person = splitPersonName(p.name);
  if (person) {
    body.GivenName = person.first;
    body.FamilyName = person.last;
  } else body.CompanyName = p.name;
  if (p.email) body.PrimaryEmailAddr = { Address: p.email };
  if (p.phone) body.PrimaryPhone = { FreeFormNumber: p.phone };
  if (p.city) body.BillAddr = { Line1: `${rng.int(10, 9800)} ${rng.pick(['Main St', 'Market St', 'Oak Ave', 'Industrial Pkwy', 'Harbor Blvd', 'Commerce Dr'])}`, City: p.city, CountrySubDivisionCode: p.state, PostalCode: String(rng.int(10000, 99999)) };
  if (isCustomer) {
    body.SalesTermRef = ref(refs.terms.get(rng.pick(['Net 30', 'Net 30', 'Net 15', 'Due on receipt', 'Net 60']))!);
    body.PaymentMethodRef = ref(refs.methods.get(rng.pick(['Check', 'ACH', 'Visa', 'Wire Transfer']))!);
    body.PreferredDeliveryMethod = rng.chance(0.7) ? 'Email' : 'Print';
    if (p.city) body.ShipAddr = body.BillAddr;
  } else {
    body.TermRef = ref(refs.terms.get(rng.pick(['Net 30', 'Net 15', 'Net 60']))!);
    if (rng.chance(0.3)) body.AcctNum = String(rng.int(100000, 999999));
    body.Vendor1099 = !!person;
  }
  return body;
}

interface Plan {
  invoices: number;
  estimates: number;
  salesReceipts: number;
  creditMemos: number;
  bills: number;
  purchaseOrders: number;
  vendorCredits: number;
  /** Share of invoices / bills that get paid (exactly this many when `exactPayments`). */
  paidInvoices: number;
  paidBills: number;
}

/** A year of business: sales, purchases, and the payments that settle them, in date order. */
function seedTransactions(
  c: Company,
  refs: Refs,
  rng: Rng,
  now: number,
  plan: Plan,
  parties: { customers: string[]; media: string[]; suppliers: string[]; services: Map<string, string> },
) {
  const a = (n: string) => ref(refs.accounts.get(n)!);
  const serviceItems = SERVICES.map((s) => s.name);
  const partItems = [...refs.items.keys()].filter((k) => / Rev [A-Z]$/.test(k));
  const year = 365 * DAY_MS;
  type Event = { at: number; run: () => void };
  const events: Event[] = [];
  const when = () => now - DAY_MS - Math.floor(rng.next() * year);
  const later = (at: number, min: number, max: number) => Math.min(now - 60_000, at + rng.int(min, max) * DAY_MS + rng.int(0, 3600_000));
  const salesLines = () =>
    Array.from({ length: rng.int(1, 3) }, () => {
      const name = rng.pick(serviceItems);
      const svc = SERVICES.find((s) => s.name === name)!;
      const qty = svc.price === 1 ? rng.int(500, 25000) : rng.int(1, 40);
      return { Amount: Math.round(qty * svc.price * 100) / 100, Description: svc.description, DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: { ItemRef: ref(refs.items.get(name)!), Qty: qty, UnitPrice: svc.price, ClassRef: ref(refs.classes.get(rng.pick(['Broadcast', 'Digital', 'Print', 'Out of Home']))!) } };
    });
  const partLines = () =>
    Array.from({ length: rng.int(1, 4) }, () => {
      const name = rng.pick(partItems);
      const item = c.get('Item', refs.items.get(name)!)!;
      const qty = rng.int(1, 50);
      return { Amount: Math.round(qty * item.PurchaseCost * 100) / 100, Description: item.Description, DetailType: 'ItemBasedExpenseLineDetail',
        ItemBasedExpenseLineDetail: { ItemRef: ref(item.Id), Qty: qty, UnitPrice: item.PurchaseCost, ClassRef: ref(refs.classes.get('Fabrication')!) } };
    });

  const serviceVendors = [...parties.services.entries()];
  const paidInvoiceSet = new Set<number>();
  while (paidInvoiceSet.size < Math.min(plan.paidInvoices, plan.invoices)) paidInvoiceSet.add(rng.int(0, plan.invoices - 1));
  const paidBillSet = new Set<number>();
  while (paidBillSet.size < Math.min(plan.paidBills, plan.bills)) paidBillSet.add(rng.int(0, plan.bills - 1));

  for (let i = 0; i < plan.invoices; i++) {
    const at = when();
    const customer = rng.pick(parties.customers);
    const campaign = rng.pick(['Spring launch', 'Holiday push', 'Brand refresh', 'Grand opening', 'Back to school', 'Q3 awareness']);
    events.push({
      at,
      run: () => {
        const inv = c.create('Invoice', {
          CustomerRef: ref(customer), Line: salesLines(), TxnDate: qboDate(at), PrivateNote: campaign,
          CustomField: [{ DefinitionId: '1', Name: 'Campaign', Type: 'StringType', StringValue: campaign }],
        }, { at });
        if (!paidInvoiceSet.has(i)) return;
        const payAt = later(at, 3, 50);
        const partial = rng.chance(0.2);
        const method = rng.pick(['Check', 'ACH', 'Visa']);
        events.push({
          at: payAt,
          run: () => {
            const open = c.get('Invoice', inv.Id)?.Balance ?? 0;
            if (open <= 0) return;
            const amount = partial ? Math.round(open * rng.int(30, 70)) / 100 : open;
            c.create('Payment', {
              CustomerRef: ref(customer), TotalAmt: amount, TxnDate: qboDate(payAt), PaymentMethodRef: ref(refs.methods.get(method)!),
              DepositToAccountRef: a('Undeposited Funds'), PaymentRefNum: String(rng.int(1000, 99999)),
              Line: [{ Amount: amount, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
            }, { at: payAt });
          },
        });
      },
    });
  }
  for (let i = 0; i < plan.estimates; i++) {
    const at = when();
    events.push({ at, run: () => c.create('Estimate', { CustomerRef: ref(rng.pick(parties.customers)), Line: salesLines(), TxnDate: qboDate(at), ExpirationDate: qboDate(at + 30 * DAY_MS), TxnStatus: rng.pick(['Pending', 'Accepted', 'Closed', 'Rejected']) }, { at }) });
  }
  for (let i = 0; i < plan.salesReceipts; i++) {
    const at = when();
    events.push({ at, run: () => c.create('SalesReceipt', { CustomerRef: ref(rng.pick(parties.customers)), Line: salesLines(), TxnDate: qboDate(at), PaymentMethodRef: ref(refs.methods.get(rng.pick(['Visa', 'MasterCard', 'Cash']))!), DepositToAccountRef: a('Undeposited Funds') }, { at }) });
  }
  for (let i = 0; i < plan.creditMemos; i++) {
    const at = when();
    events.push({ at, run: () => c.create('CreditMemo', { CustomerRef: ref(rng.pick(parties.customers)), TxnDate: qboDate(at), PrivateNote: 'Make-good credit',
      Line: [{ Amount: rng.money(100, 2500), Description: 'Make-good for under-delivered spots', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: ref(refs.items.get('Media Buying')!) } }] }, { at }) });
  }
  for (let i = 0; i < plan.bills; i++) {
    const at = when();
    const kind = rng.next();
    let vendor: string;
    let Line: Rec[];
    if (kind < 0.5 && parties.media.length) {
      vendor = rng.pick(parties.media);
      Line = [{ Amount: rng.money(400, 28000), Description: rng.pick(['Spot schedule', 'Run of station', 'Sponsorship package', 'Display campaign', 'Billboard 4-week showing', 'Print insertion']), DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: a('Media Placement Costs'), ClassRef: ref(refs.classes.get(rng.pick(['Broadcast', 'Digital', 'Print', 'Out of Home']))!), CustomerRef: ref(rng.pick(parties.customers)), BillableStatus: 'Billable' } }];
    } else if ((kind < 0.8 || parties.services.size === 0) && parties.suppliers.length) {
      vendor = rng.pick(parties.suppliers);
      Line = rng.chance(0.7)
        ? partLines()
        : [{ Amount: rng.money(50, 1500), Description: 'Shop supplies', DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: a('Job Supplies') } }];
    } else {
      const [name, id] = rng.pick(serviceVendors);
      vendor = id;
      Line = [{ Amount: rng.money(60, 9000), Description: 'Monthly service', DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: a(SERVICE_VENDOR_ACCOUNT[name] ?? 'Office Supplies & Software'), ClassRef: ref(refs.classes.get('Overhead')!) } }];
    }
    const docNumber = rng.chance(0.85) ? `${rng.pick(['INV', 'B', '', 'NO'])}${rng.int(1000, 999999)}` : undefined;
    events.push({
      at,
      run: () => {
        const bill = c.create('Bill', { VendorRef: ref(vendor), Line, TxnDate: qboDate(at), DocNumber: docNumber }, { at });
        if (!paidBillSet.has(i)) return;
        const payAt = later(at, 5, 45);
        const byCard = rng.chance(0.15);
        events.push({
          at: payAt,
          run: () => {
            const open = c.get('Bill', bill.Id)?.Balance ?? 0;
            if (open <= 0) return;
            c.create('BillPayment', {
              VendorRef: ref(vendor), TotalAmt: open, TxnDate: qboDate(payAt), PayType: byCard ? 'CreditCard' : 'Check',
              ...(byCard ? { CreditCardPayment: { CCAccountRef: a('Visa Business Card') } } : { CheckPayment: { BankAccountRef: a('Checking') } }),
              DocNumber: byCard ? undefined : String(rng.int(2000, 9999)),
              Line: [{ Amount: open, LinkedTxn: [{ TxnId: bill.Id, TxnType: 'Bill' }] }],
            }, { at: payAt });
          },
        });
      },
    });
  }
  for (let i = 0; i < plan.purchaseOrders && parties.suppliers.length; i++) {
    const at = when();
    // Numbered apart from the demo ERP's purchase orders (1001…), which are sent to QBO with their own ids.
    const DocNumber = `P${String(7001 + i)}`;
    events.push({ at, run: () => c.create('PurchaseOrder', { VendorRef: ref(rng.pick(parties.suppliers)), Line: partLines(), TxnDate: qboDate(at), DocNumber, POStatus: at < now - 60 * DAY_MS ? 'Closed' : 'Open', APAccountRef: a('Accounts Payable (A/P)') }, { at }) });
  }
  for (let i = 0; i < plan.vendorCredits && parties.suppliers.length; i++) {
    const at = when();
    events.push({ at, run: () => c.create('VendorCredit', { VendorRef: ref(rng.pick(parties.suppliers)), TxnDate: qboDate(at),
      Line: [{ Amount: rng.money(20, 800), Description: 'Returned damaged parts', DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: a('Job Supplies') } }] }, { at }) });
  }

  // Run in date order; payments join the queue as their invoices and bills are created.
  const queue = new EventQueue<Event>();
  for (const e of events) queue.push(e);
  events.length = 0;
  for (let e = queue.pop(); e; e = queue.pop()) {
    e.run();
    for (const added of events.splice(0)) queue.push(added);
  }
}

/** A binary min-heap on `at`. */
class EventQueue<T extends { at: number }> {
  private heap: T[] = [];
  push(item: T) {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].at < h[m].at) m = l;
        if (r < h.length && h[r].at < h[m].at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

const SCALE_PREFIX = ['North', 'South', 'East', 'West', 'Blue', 'Red', 'Green', 'Silver', 'Golden', 'Iron', 'Cedar', 'Maple', 'Oak', 'Pine', 'River', 'Lake', 'Summit', 'Valley', 'Harbor', 'Bay', 'Prairie', 'Canyon', 'Desert', 'Coastal', 'Metro', 'Urban', 'Rural', 'Pioneer', 'Liberty', 'Eagle', 'Falcon', 'Hawk', 'Bear', 'Wolf', 'Fox', 'Lion', 'Tiger', 'Star', 'Sun', 'Moon', 'Crescent', 'Granite', 'Crystal', 'Diamond', 'Emerald', 'Sapphire', 'Ruby', 'Apex', 'Vertex', 'Zenith'];
const SCALE_CORE_V = ['Media', 'Broadcasting', 'Radio', 'Outdoor', 'Printing', 'Supply', 'Logistics', 'Electronics', 'Metals', 'Plastics', 'Signs', 'Lighting', 'Freight', 'Packaging', 'Tooling', 'Fasteners', 'Displays', 'Graphics', 'Studios', 'Publishing', 'Networks', 'Cable', 'Wire', 'Components', 'Industrial'];
const SCALE_CORE_C = ['Dental', 'Realty', 'Auto Group', 'Bakery', 'Brewing', 'Fitness', 'Medical', 'Law Group', 'Insurance', 'Pharmacy', 'Hotels', 'Outfitters', 'Winery', 'Academy', 'Landscaping', 'Plumbing', 'Roofing', 'Cafe', 'Clinic', 'Market', 'Boutique', 'Cycles', 'Spa', 'Builders', 'Partners'];
const SCALE_SUFFIX = ['Inc', 'LLC', 'Co', 'Corp', 'Group', 'Ltd', 'Company', 'Holdings', 'Partners', 'Associates', 'Services', 'Enterprises'];

function scaleNames(count: number, cores: string[], rng: Rng, taken: Set<string>): string[] {
  const out: string[] = [];
  let attempts = 0;
  while (out.length < count) {
    attempts++;
    let name = `${rng.pick(SCALE_PREFIX)} ${rng.pick(SCALE_PREFIX)} ${rng.pick(cores)} ${rng.pick(SCALE_SUFFIX)}`;
    if (attempts > count * 3) name += ` ${out.length + 1}`;
    const k = name.toLowerCase();
    if (taken.has(k)) continue;
    taken.add(k);
    out.push(name);
  }
  return out;
}

function seedDemo(c: Company, kind: SeedKind, now: number) {
  const rng = seededRandom(20261122);
  const start = now - 400 * DAY_MS;
  c.initSingleton('CompanyInfo', companyInfo('Larkspur Media & Supply', 'books@larkspurmedia.example'), start);
  const refs = seedLists(c, start);
  if (kind === 'empty') return;

  for (const [GivenName, FamilyName] of [['Dana', 'Whitfield'], ['Marcus', 'Lee'], ['Sofia', 'Alvarez']])
    c.create('Employee', { GivenName, FamilyName, PrimaryEmailAddr: { Address: `${GivenName.toLowerCase()}@larkspurmedia.example` } }, { at: start });
  const idsOf = (parties: SeedParty[], isCustomer: boolean) =>
    parties.map((p) => c.create(isCustomer ? 'Customer' : 'Vendor', partyBody(p, isCustomer, refs, rng), { at: start + rng.int(0, 30) * DAY_MS }).Id);
  const media = idsOf(MEDIA_VENDORS, false);
  const suppliers = idsOf(SUPPLIERS, false);
  const serviceIds = idsOf(SERVICE_VENDORS, false);
  const services = new Map(SERVICE_VENDORS.map((v, i) => [v.name, serviceIds[i]]));
  const customers = idsOf(CUSTOMERS, true);
  // A few jobs under clients, as agencies track campaigns.
  for (const [parent, job] of [[0, 'Fall Campaign'], [4, 'Wayfinding Signage'], [7, 'Winter Season Launch']] as const)
    customers.push(c.create('Customer', { DisplayName: job, ParentRef: ref(customers[parent]), BillWithParent: true }, { at: start }).Id);
  seedItems(c, refs, start, suppliers, rng, kind === 'scale' ? 290 : 0);

  if (kind === 'scale') {
    const taken = new Set<string>([...MEDIA_VENDORS, ...SUPPLIERS, ...SERVICE_VENDORS, ...CUSTOMERS].map((p) => p.name.toLowerCase()));
    for (const name of scaleNames(10_000 - media.length - suppliers.length - serviceIds.length, SCALE_CORE_V, rng, taken)) {
      const domain = name.toLowerCase().replace(/[^a-z]+/g, '').slice(0, 24);
      const id = c.create('Vendor', partyBody({ name, email: `billing@${domain}.example`, phone: `(555) 555-${String(rng.int(0, 9999)).padStart(4, '0')}` }, false, refs, rng), { at: start }).Id;
      (rng.chance(0.5) ? media : suppliers).push(id);
    }
    for (const name of scaleNames(10_000 - customers.length, SCALE_CORE_C, rng, taken)) {
      const domain = name.toLowerCase().replace(/[^a-z]+/g, '').slice(0, 24);
      customers.push(c.create('Customer', partyBody({ name, email: `ap@${domain}.example` }, true, refs, rng), { at: start }).Id);
    }
    seedTransactions(c, refs, rng, now, {
      invoices: 18_000, estimates: 2_000, salesReceipts: 1_500, creditMemos: 1_000,
      bills: 13_000, purchaseOrders: 1_000, vendorCredits: 500, paidInvoices: 8_000, paidBills: 5_000,
    }, { customers, media, suppliers, services });
  } else {
    seedTransactions(c, refs, rng, now, {
      invoices: 150, estimates: 30, salesReceipts: 25, creditMemos: 12,
      bills: 120, purchaseOrders: 25, vendorCredits: 8, paidInvoices: 95, paidBills: 70,
    }, { customers, media, suppliers, services });
  }

  // Some relationships have ended; QBO keeps them as inactive names.
  const retire = (entity: string, name: string) => {
    const row = [...c.table(entity).values()].find((r) => r.data.DisplayName === name);
    if (row) c.update(entity, { Id: row.data.Id, SyncToken: row.data.SyncToken, Active: false }, true, { at: now - 45 * DAY_MS });
  };
  retire('Vendor', 'Pandora Media LLC');
  retire('Vendor', 'Entercom Communications Corp');
  retire('Vendor', 'WeWork Management LLC');
  retire('Customer', 'Trinity Lutheran Church');
  retire('Customer', 'Elm Street Books');
  // One project (QBO keeps projects as sub-customers marked IsProject), last so no other id moves.
  c.create('Customer', { DisplayName: 'Harbor Lights Festival', ParentRef: ref(customers[1]), BillWithParent: true }, { at: start, project: true });
}

function seedSecond(c: Company, now: number) {
  const rng = seededRandom(7);
  const start = now - 200 * DAY_MS;
  c.initSingleton('CompanyInfo', companyInfo(SECOND_COMPANY.name, 'office@cedarridgemfg.example'), start);
  const refs = seedLists(c, start);
  const vendors = SECOND_COMPANY.vendors.map((name) => c.create('Vendor', partyBody({ name }, false, refs, rng), { at: start }).Id);
  const customers = SECOND_COMPANY.customers.map((name) => c.create('Customer', partyBody({ name }, true, refs, rng), { at: start }).Id);
  seedItems(c, refs, start, vendors, rng);
  seedTransactions(c, refs, rng, now, {
    invoices: 12, estimates: 2, salesReceipts: 2, creditMemos: 1, bills: 10, purchaseOrders: 3, vendorCredits: 1, paidInvoices: 6, paidBills: 5,
  }, { customers, media: [], suppliers: vendors, services: new Map() });
}

/** Builds the sandbox's companies for a seed. */
export function buildCompanies(kind: SeedKind, clock: Clock): Company[] {
  const now = clock.now();
  const demo = new Company(DEMO_REALM, clock);
  seedDemo(demo, kind, now);
  const second = new Company(SECOND_REALM, clock);
  if (kind === 'empty') {
    second.initSingleton('CompanyInfo', companyInfo(SECOND_COMPANY.name, 'office@cedarridgemfg.example'), now);
    seedLists(second, now);
  } else seedSecond(second, now);
  return [demo, second];
}
