// Create, sparse and full update, delete and void for every entity, as QBO allows them, with
// SyncToken checks; and the names QBO puts on references (issue 18).
import { beforeEach, describe, expect, it } from 'vitest';
import { entities } from '../../sandbox/qbo/entities';
import { Bodies, type Body, CREATABLE, type Refs, seedRefs } from './bodies';
import { connect, DEMO_REALM, useSandbox } from './harness';

const sandbox = useSandbox();
let qbo: Awaited<ReturnType<typeof connect>>;
let refs: Refs;
let bodies: Bodies;

beforeEach(async () => {
  qbo = await connect(sandbox());
  refs = await seedRefs(qbo);
  bodies = new Bodies(refs, 18);
});

const path = (entity: string) => entities.get(entity)!.path;

/** Creates a valid record of `entity` (an invoice or bill first, for a payment to apply to). */
async function create(entity: string): Promise<Body> {
  let open: Body | undefined;
  if (entity === 'Payment') open = await create('Invoice');
  if (entity === 'BillPayment') open = await create('Bill');
  const r = await qbo.post(path(entity), bodies.create(entity, open));
  expect(r.status, `${entity}: ${r.text}`).toBe(200);
  return r.json[entity];
}

describe('every entity', () => {
  it.each(CREATABLE)('%s: create, sparse update, full update from a read, stale SyncToken', async (entity) => {
    const rec = await create(entity);
    expect(rec).toMatchObject({ SyncToken: '0', domain: 'QBO', sparse: false });
    const read = (await qbo.get(`${path(entity)}/${rec.Id}`)).json[entity];
    expect(read).toEqual(rec);

    const note = entities.get(entity)!.kind === 'txn' ? { PrivateNote: 'Changed once' } : {};
    const sparse = await qbo.post(path(entity), { Id: rec.Id, SyncToken: rec.SyncToken, sparse: true, ...note });
    expect(sparse.status, sparse.text).toBe(200);
    expect(sparse.json[entity].SyncToken).toBe('1');

    // What QBO returns can be sent back whole: every field it writes is one it accepts.
    const full = await qbo.post(path(entity), sparse.json[entity]);
    expect(full.status, full.text).toBe(200);
    expect(full.json[entity].SyncToken).toBe('2');
    const { SyncToken: _a, MetaData: _b, ...was } = sparse.json[entity];
    const { SyncToken: _c, MetaData: _d, ...now } = full.json[entity];
    expect(now).toEqual(was);

    const stale = await qbo.post(path(entity), { Id: rec.Id, SyncToken: '1', sparse: true });
    expect(stale.status).toBe(400);
    expect(stale.json.Fault.Error[0].code).toBe('5010');
    expect((await qbo.get(`${path(entity)}/${rec.Id}`)).json[entity].SyncToken).toBe('2');
  });

  it.each(CREATABLE)('%s: deleted if a transaction, made inactive if a name or list record', async (entity) => {
    const rec = await create(entity);
    const del = await qbo.post(`${path(entity)}?operation=delete`, { Id: rec.Id, SyncToken: rec.SyncToken });
    if (entities.get(entity)!.kind === 'txn') {
      expect(del.status, del.text).toBe(200);
      expect(del.json[entity]).toEqual({ domain: 'QBO', status: 'Deleted', Id: rec.Id });
      const gone = await qbo.get(`${path(entity)}/${rec.Id}`);
      expect(gone.json.Fault.Error[0].code).toBe('610');
      const again = await qbo.post(`${path(entity)}?operation=delete`, { Id: rec.Id, SyncToken: rec.SyncToken });
      expect(again.json.Fault.Error[0].code).toBe('610');
    } else {
      expect(del.status).toBe(400);
      expect(del.json.Fault.Error[0]).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
      expect((await qbo.get(`${path(entity)}/${rec.Id}`)).json[entity].SyncToken).toBe('0');
      const off = await qbo.post(path(entity), { Id: rec.Id, SyncToken: rec.SyncToken, sparse: true, Active: false });
      expect(off.json[entity].Active).toBe(false);
      const field = entities.get(entity)!.nameField!;
      const name = rec[field].replace(/'/g, "\\'");
      expect((await qbo.query(`SELECT COUNT(*) FROM ${entity} WHERE ${field} = '${name}'`)).json.QueryResponse.totalCount).toBe(0);
      expect((await qbo.query(`SELECT COUNT(*) FROM ${entity} WHERE ${field} = '${name}' AND Active IN (true, false)`)).json.QueryResponse.totalCount).toBe(1);
    }
  });

  it('refuses a delete with a stale SyncToken, or of a transaction that payments apply to', async () => {
    const inv = await create('Invoice');
    const stale = await qbo.post('invoice?operation=delete', { Id: inv.Id, SyncToken: '7' });
    expect(stale.json.Fault.Error[0].code).toBe('5010');
    const pay = await qbo.post('payment', bodies.create('Payment', inv));
    expect(pay.status).toBe(200);
    const paid = (await qbo.get(`invoice/${inv.Id}`)).json.Invoice;
    const refused = await qbo.post('invoice?operation=delete', { Id: paid.Id, SyncToken: paid.SyncToken });
    expect(refused.json.Fault.Error[0].code).toBe('6000');
    expect((await qbo.post('payment?operation=delete', { Id: pay.json.Payment.Id, SyncToken: pay.json.Payment.SyncToken })).status).toBe(200);
    const open = (await qbo.get(`invoice/${inv.Id}`)).json.Invoice;
    expect(open.Balance).toBe(open.TotalAmt);
    expect((await qbo.post('invoice?operation=delete', { Id: open.Id, SyncToken: open.SyncToken })).status).toBe(200);
  });
});

describe('void', () => {
  // The form each voidable entity takes over REST (reference/qbo-api.md section 3.4, Intuit's entity pages).
  const forms: [string, 'operation' | 'include' | 'either'][] = [['Invoice', 'operation'], ['Payment', 'either'], ['SalesReceipt', 'include'], ['BillPayment', 'include']];

  it.each(forms)('%s voids with its own form, zeroes every amount and keeps the record', async (entity, form) => {
    for (const [query, accepted] of [['operation=void', form !== 'include'], ['operation=update&include=void', form !== 'operation']] as const) {
      const rec = await create(entity);
      const r = await qbo.post(`${path(entity)}?${query}`, { Id: rec.Id, SyncToken: rec.SyncToken, sparse: true });
      if (!accepted) {
        expect(r.status, `${entity} ${query}`).toBe(400);
        expect(r.json.Fault.Error[0].code).toBe('500');
        expect((await qbo.get(`${path(entity)}/${rec.Id}`)).json[entity].SyncToken).toBe('0');
        continue;
      }
      expect(r.status, `${entity} ${query}: ${r.text}`).toBe(200);
      const v = r.json[entity];
      expect(v).toMatchObject({ Id: rec.Id, SyncToken: '1', TotalAmt: 0 });
      expect(v.PrivateNote).toMatch(/^Voided/);
      for (const line of v.Line) expect(line.Amount).toBe(0);
      if (entity === 'BillPayment') expect(v.Line).toEqual([]);
      const again = await qbo.post(`${path(entity)}?${query}`, { Id: v.Id, SyncToken: v.SyncToken });
      expect(again.json.Fault.Error[0].code).toBe('6000');
      const change = await qbo.post(path(entity), { Id: v.Id, SyncToken: v.SyncToken, sparse: true, PrivateNote: 'undo' });
      expect(change.json.Fault.Error[0].code).toBe('6000');
    }
  });

  it('a voided payment gives the invoice its balance back; a voided bill payment, the bill', async () => {
    const inv = await create('Invoice');
    const pay = (await qbo.post('payment', bodies.create('Payment', inv))).json.Payment;
    expect((await qbo.get(`invoice/${inv.Id}`)).json.Invoice.Balance).toBe(0);
    await qbo.post('payment?operation=void', { Id: pay.Id, SyncToken: pay.SyncToken });
    expect((await qbo.get(`invoice/${inv.Id}`)).json.Invoice.Balance).toBe(inv.TotalAmt);
    const bill = await create('Bill');
    const bp = (await qbo.post('billpayment', bodies.create('BillPayment', bill))).json.BillPayment;
    await qbo.post('billpayment?operation=update&include=void', { Id: bp.Id, SyncToken: bp.SyncToken, sparse: true });
    expect((await qbo.get(`bill/${bill.Id}`)).json.Bill.Balance).toBe(bill.TotalAmt);
  });

  it('puts "Voided" in front of a note already there', async () => {
    const inv = await create('Invoice');
    const v = (await qbo.post('invoice?operation=void', { Id: inv.Id, SyncToken: inv.SyncToken })).json.Invoice;
    expect(v.PrivateNote).toBe('Voided Fuzzed sale');
  });

  it.each(CREATABLE.filter((e) => !['Invoice', 'Payment', 'SalesReceipt', 'BillPayment'].includes(e)))('%s cannot be voided', async (entity) => {
    const rec = await create(entity);
    for (const query of ['operation=void', 'operation=update&include=void']) {
      const r = await qbo.post(`${path(entity)}?${query}`, { Id: rec.Id, SyncToken: rec.SyncToken, sparse: true });
      expect(r.status).toBe(400);
      expect(r.json.Fault.Error[0]).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
    }
  });

  it('in a batch, with operation update and optionsData void, for every voidable entity', async () => {
    const recs = await Promise.all(forms.map(([e]) => create(e)));
    const r = await qbo.post('batch', {
      BatchItemRequest: forms.map(([entity], i) => ({ bId: `v${i}`, operation: 'update', optionsData: 'void', [entity]: { Id: recs[i].Id, SyncToken: recs[i].SyncToken, sparse: true } })),
    });
    expect(r.status).toBe(200);
    r.json.BatchItemResponse.forEach((item: Body, i: number) => expect(item[forms[i][0]], JSON.stringify(item)).toMatchObject({ TotalAmt: 0, SyncToken: '1' }));
  });
});

describe('reference names, as QuickBooks sends them (issue 18)', () => {
  it('no name on terms, tax codes and projects; names on parties, items, accounts and currency', async () => {
    const vendor = await create('Vendor');
    expect(vendor.TermRef).toEqual({ value: refs.term }); // vendor_query_page.json
    expect(vendor.CurrencyRef).toEqual({ value: 'USD', name: 'United States Dollar' });
    const customer = await create('Customer');
    expect(customer.SalesTermRef).toEqual({ value: refs.term });
    expect(customer.PaymentMethodRef).toEqual({ value: refs.method });
    const bill = (await qbo.post('bill', {
      ...bodies.create('Bill'), SalesTermRef: { value: refs.term, name: 'Net 30' },
      Line: [{ Amount: 103.55, ProjectRef: { value: refs.project }, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expense, name: 'a stale name' }, CustomerRef: { value: refs.customer }, TaxCodeRef: { value: 'NON', name: 'x' } } }],
    })).json.Bill; // bill_read_intuitdoc.json
    expect(bill.SalesTermRef).toEqual({ value: refs.term });
    expect(bill.VendorRef).toEqual({ value: refs.vendor, name: 'McMaster-Carr Supply Co' });
    expect(bill.APAccountRef).toEqual({ value: refs.ap, name: 'Accounts Payable (A/P)' });
    expect(bill.Line[0].ProjectRef).toEqual({ value: refs.project });
    expect(bill.Line[0].AccountBasedExpenseLineDetail.AccountRef).toEqual({ value: refs.expense, name: 'Job Supplies' });
    expect(bill.Line[0].AccountBasedExpenseLineDetail.CustomerRef).toEqual({ value: refs.customer, name: 'Bayside Auto Group' });
    expect(bill.Line[0].AccountBasedExpenseLineDetail.TaxCodeRef).toEqual({ value: 'NON' });
    const invoice = await create('Invoice'); // invoice_create.json
    expect(invoice.Line[0].SalesItemLineDetail.ItemRef).toEqual({ value: refs.service, name: 'Consulting' });
    expect(invoice.Line[0].SalesItemLineDetail.TaxCodeRef).toEqual({ value: 'NON' });
    expect(invoice.CustomerRef.name).toBe('Bayside Auto Group');
  });

  it('a payment\'s payment method and deposit account carry no name; a sales receipt\'s do', async () => {
    const payment = await create('Payment');
    expect(payment.PaymentMethodRef).toEqual({ value: refs.method });
    expect(payment.DepositToAccountRef).toEqual({ value: refs.undeposited });
    const receipt = await create('SalesReceipt');
    expect(receipt.PaymentMethodRef).toEqual({ value: refs.method, name: 'Check' });
    expect(receipt.DepositToAccountRef).toEqual({ value: refs.undeposited, name: 'Undeposited Funds' });
    const bp = await create('BillPayment'); // billpayment_read_intuitdoc.json
    expect(bp.CheckPayment.BankAccountRef).toEqual({ value: refs.bank, name: 'Checking' });
  });

  it('seeded records follow the same rules', async () => {
    const c = sandbox().company(DEMO_REALM)!;
    for (const row of c.table('Customer').values()) {
      if (row.data.SalesTermRef) expect(row.data.SalesTermRef.name).toBeUndefined();
      if (row.data.PaymentMethodRef) expect(row.data.PaymentMethodRef.name).toBeUndefined();
    }
    for (const row of c.table('Vendor').values()) if (row.data.TermRef) expect(row.data.TermRef.name).toBeUndefined();
    for (const row of c.table('Payment').values()) expect(row.data.DepositToAccountRef.name).toBeUndefined();
    for (const row of c.table('Invoice').values()) expect(row.data.CustomerRef.name).toEqual(expect.any(String));
  });
});
