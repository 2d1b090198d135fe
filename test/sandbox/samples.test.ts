// Every real QBO response body in test/fixtures/qbo-samples (copied from the team's reference set) has a counterpart from the
// emulator with the same shape: each key path of the sample exists with the same JSON type.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, connect, shapeDifferences, startSandbox } from './harness';
import type { QboSandbox } from '../../sandbox/qbo/server';

const SAMPLES = join(import.meta.dirname, '..', 'fixtures', 'qbo-samples');
const sample = (name: string) => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
// QBO stopped returning geocodes on addresses in 2025 (reference/qbo-api.md, CompanyInfo notes).
const NO_GEOCODE = [/\.Lat$/, /\.Long$/];
// The sample companies charge sales tax; the sandbox company does not (Preferences.TaxPrefs).
const NO_SALES_TAX = [/DefaultTaxCodeRef/, /TxnTaxCodeRef/, /TaxLine/];

let sandbox: QboSandbox;
let qbo: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  sandbox = await startSandbox();
  qbo = await connect(sandbox);
});
afterAll(() => sandbox.close());

const firstId = async (q: string) => (await qbo.query(q)).json.QueryResponse;

/** Strips what a client cannot send (ids, versions, computed fields) from a sample record. */
function asRequest(rec: Record<string, unknown>) {
  const out = structuredClone(rec);
  for (const k of ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'Balance', 'TotalAmt', 'FullyQualifiedName']) delete out[k];
  for (const addr of ['BillAddr', 'ShipAddr', 'VendorAddr']) {
    const a = out[addr] as Record<string, unknown> | undefined;
    if (a) for (const k of ['Id', 'Lat', 'Long']) delete a[k];
  }
  return out;
}

describe('the emulator answers like QBO for every reference sample', () => {
  it('vendor_query_page.json: a page of vendors', async () => {
    const want = sample('vendor_query_page.json');
    const term = (await firstId("select * from Term where Name = 'Net 30'")).Term[0].Id;
    const names: string[] = [];
    for (const v of want.QueryResponse.Vendor) {
      const body = asRequest(v);
      body.DisplayName = `${v.DisplayName} (sample)`;
      if (body.TermRef) body.TermRef = { value: term };
      const r = await qbo.post('vendor', body);
      expect(r.status, r.text).toBe(200);
      names.push(body.DisplayName as string);
    }
    const got = await qbo.query(
      `SELECT * FROM Vendor WHERE DisplayName IN (${names.map((n) => `'${n.replace(/'/g, "\\'")}'`).join(',')}) MAXRESULTS 5 STARTPOSITION 1`,
    );
    expect(got.status).toBe(200);
    expect(got.json.QueryResponse.Vendor).toHaveLength(5);
    expect(shapeDifferences(want, got.json, NO_GEOCODE)).toEqual([]);
  });

  it('customer_create.json: a customer created with a display name only', async () => {
    const r = await qbo.post('customer?minorversion=75', { DisplayName: 'Doe5, Jane' });
    expect(r.status).toBe(200);
    expect(shapeDifferences(sample('customer_create.json'), r.json, NO_SALES_TAX)).toEqual([]);
  });

  it('invoice_create.json and invoice_delete.json: the minimal invoice, then its deletion', async () => {
    const customer = (await firstId("select * from Customer where DisplayName = 'Bayside Auto Group'")).Customer[0];
    const item = (await firstId("select * from Item where Name = 'Consulting'")).Item[0];
    const r = await qbo.post('invoice', {
      Line: [{ Amount: 100.0, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id, name: 'Services' } } }],
      CustomerRef: { value: customer.Id },
    });
    expect(r.status, r.text).toBe(200);
    expect(shapeDifferences(sample('invoice_create.json'), r.json, NO_GEOCODE)).toEqual([]);
    const del = await qbo.post('invoice?operation=delete', { Id: r.json.Invoice.Id, SyncToken: r.json.Invoice.SyncToken });
    expect(del.status).toBe(200);
    expect(shapeDifferences(sample('invoice_delete.json'), del.json)).toEqual([]);
    expect(del.json.Invoice).toEqual({ domain: 'QBO', status: 'Deleted', Id: r.json.Invoice.Id });
  });

  it('cdc_response.json and cdc_deleted_intuitdoc.json: changes with a closed and a deleted estimate', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const want = sample('cdc_response.json');
    const customer = (await firstId("select * from Customer where DisplayName = 'Cascade Brewing Company'")).Customer[0];
    const item = (await firstId("select * from Item where Name = 'Creative Design'")).Item[0];
    const estimates: string[] = [];
    for (const est of want.CDCResponse[0].QueryResponse[0].Estimate.slice(0, 3)) {
      const body = asRequest(est);
      delete body.LinkedTxn;
      delete body.TxnStatus;
      delete body.TxnTaxDetail;
      body.CustomerRef = { value: customer.Id };
      body.Line = (est.Line as Record<string, any>[])
        .filter((l) => l.DetailType === 'SalesItemLineDetail')
        .map((l) => ({ ...l, SalesItemLineDetail: { ...l.SalesItemLineDetail, ItemRef: { value: item.Id } } }));
      const r = await qbo.post('estimate', body);
      expect(r.status, r.text).toBe(200);
      estimates.push(r.json.Estimate.Id);
    }
    // Turning an estimate into an invoice closes it and links the two.
    const inv = await qbo.post('invoice', {
      CustomerRef: { value: customer.Id },
      LinkedTxn: [{ TxnId: estimates[0], TxnType: 'Estimate' }],
      Line: [{ Amount: 300, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }],
    });
    expect(inv.status).toBe(200);
    const est = (await qbo.get(`estimate/${estimates[2]}`)).json.Estimate;
    expect((await qbo.post('estimate?operation=delete', { Id: est.Id, SyncToken: est.SyncToken })).status).toBe(200);

    const cdc = await qbo.get(`cdc?entities=estimate&changedSince=${encodeURIComponent(since)}`);
    expect(cdc.status).toBe(200);
    // The live sample's estimates carry tax lines; here only the first three estimates' shape counts.
    expect(shapeDifferences(want, cdc.json, [...NO_GEOCODE, ...NO_SALES_TAX, /\.Line\[\]\.Id$/])).toEqual([]);
    const objects = cdc.json.CDCResponse[0].QueryResponse[0].Estimate;
    expect(objects.find((o: any) => o.Id === estimates[0])).toMatchObject({ TxnStatus: 'Closed', LinkedTxn: [{ TxnId: inv.json.Invoice.Id, TxnType: 'Invoice' }] });
    expect(objects.at(-1)).toMatchObject({ domain: 'QBO', status: 'Deleted', Id: estimates[2] });

    const both = await qbo.get(`cdc?entities=Customer,Estimate&changedSince=${encodeURIComponent(since)}`);
    // The doc sample's totalCount contradicts its own rows; QBO's live CDC sends only startPosition/maxResults.
    expect(shapeDifferences(sample('cdc_deleted_intuitdoc.json'), both.json, [/totalCount/])).toEqual([]);
  });

  it('query_empty.json: a page past the last row', async () => {
    const r = await qbo.query("SELECT * FROM Customer WHERE Id IN ('1','2') AND Active IN (true,false) MAXRESULTS 2 STARTPOSITION 7");
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.QueryResponse)).toEqual([]);
    expect(shapeDifferences(sample('query_empty.json'), r.json)).toEqual([]);
  });

  it('fault_6240_duplicate_name.json: a display name already used by a vendor', async () => {
    const r = await qbo.post('customer', { DisplayName: 'WXYZ-TV' });
    expect(r.status).toBe(400);
    expect(r.json.Fault.Error[0]).toEqual(sample('fault_6240_duplicate_name.json').Fault.Error[0]);
    expect(shapeDifferences(sample('fault_6240_duplicate_name.json'), r.json)).toEqual([]);
  });

  it('fault_401_auth_3200.json: an expired token, in the gateway\'s lower-case shape', async () => {
    await admin(sandbox, '/tokens/expire', { realmId: qbo.realmId });
    try {
      const r = await qbo.get('customer/1');
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="Intuit", error="invalid_token"');
      expect(r.json.fault.error[0].detail).toMatch(/^Token expired: /);
      expect(shapeDifferences(sample('fault_401_auth_3200.json'), r.json)).toEqual([]);
    } finally {
      qbo = await connect(sandbox);
    }
  });

  it('fault_5010_stale_object.json: an update with an old SyncToken', async () => {
    const v = (await firstId("select * from Vendor where DisplayName = 'WGN Radio'")).Vendor[0];
    expect((await qbo.post('vendor', { Id: v.Id, SyncToken: v.SyncToken, sparse: true, AcctNum: 'A-1' })).status).toBe(200);
    const stale = await qbo.post('vendor', { Id: v.Id, SyncToken: v.SyncToken, sparse: true, AcctNum: 'A-2' });
    expect(stale.status).toBe(400);
    expect(stale.json.Fault.Error[0]).toMatchObject({ Message: 'Stale Object Error', code: '5010', element: '' });
    expect(shapeDifferences(sample('fault_5010_stale_object.json'), stale.json)).toEqual([]);
  });

  it('bill_read_intuitdoc.json and billpayment_read_intuitdoc.json: a paid bill and its check', async () => {
    const vendor = (await firstId("select * from Vendor where DisplayName = 'McMaster-Carr Supply Co'")).Vendor[0];
    const customer = (await firstId("select * from Customer where DisplayName = 'Diaz Construction Co'")).Customer[0];
    const account = (await firstId("select * from Account where Name = 'Job Supplies'")).Account[0];
    const checking = (await firstId("select * from Account where Name = 'Checking'")).Account[0];
    const term = (await firstId("select * from Term where Name = 'Net 30'")).Term[0];
    const project = (await firstId("select * from Customer where DisplayName = 'Harbor Lights Festival'")).Customer[0];
    const bill = sample('bill_read_intuitdoc.json').Bill;
    const body = asRequest(bill);
    delete body.LinkedTxn;
    delete body.APAccountRef;
    Object.assign(body, { VendorRef: { value: vendor.Id }, SalesTermRef: { value: term.Id } });
    // The sample's references name records of Intuit's sample company; these name the sandbox's.
    body.Line = [{ ...bill.Line[0], ProjectRef: { value: project.Id }, AccountBasedExpenseLineDetail: { ...bill.Line[0].AccountBasedExpenseLineDetail, AccountRef: { value: account.Id }, CustomerRef: { value: customer.Id } } }];
    const created = await qbo.post('bill', body);
    expect(created.status, created.text).toBe(200);
    const bp = sample('billpayment_read_intuitdoc.json').BillPayment;
    const paid = await qbo.post('billpayment', {
      ...asRequest(bp),
      VendorRef: { value: vendor.Id },
      CheckPayment: { ...bp.CheckPayment, BankAccountRef: { value: checking.Id } },
      TotalAmt: 103.55,
      Line: [{ Amount: 103.55, LinkedTxn: [{ TxnId: created.json.Bill.Id, TxnType: 'Bill' }] }],
    });
    expect(paid.status, paid.text).toBe(200);
    const read = await qbo.get(`bill/${created.json.Bill.Id}`);
    expect(read.json.Bill).toMatchObject({ Balance: 0, LinkedTxn: [{ TxnId: paid.json.BillPayment.Id, TxnType: 'BillPaymentCheck' }] });
    expect(shapeDifferences(sample('bill_read_intuitdoc.json'), read.json)).toEqual([]);
    const readBp = await qbo.get(`billpayment/${paid.json.BillPayment.Id}`);
    expect(shapeDifferences(sample('billpayment_read_intuitdoc.json'), readBp.json)).toEqual([]);
  });

  it('purchaseorder_read_intuitdoc.json: a purchase order for a part', async () => {
    const vendor = (await firstId("select * from Vendor where DisplayName = 'Digi-Key Electronics'")).Vendor[0];
    const customer = (await firstId("select * from Customer where DisplayName = 'Westgate Shopping Center'")).Customer[0];
    const item = (await firstId("select * from Item where Name = '820412-001 Rev B'")).Item[0];
    const project = (await firstId("select * from Customer where DisplayName = 'Harbor Lights Festival'")).Customer[0];
    const po = sample('purchaseorder_read_intuitdoc.json').PurchaseOrder;
    const body = asRequest(po);
    delete body.DocNumber;
    body.VendorRef = { value: vendor.Id };
    body.Line = [{ ...po.Line[0], ProjectRef: { value: project.Id }, ItemBasedExpenseLineDetail: { ...po.Line[0].ItemBasedExpenseLineDetail, ItemRef: { value: item.Id }, CustomerRef: { value: customer.Id } } }];
    // Without its AP account QuickBooks takes no purchase order.
    const { APAccountRef: _ap, ...withoutAp } = body;
    const refused = await qbo.post('purchaseorder', withoutAp);
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/APAccountRef/);
    body.APAccountRef = { value: (await firstId("select * from Account where Name = 'Accounts Payable (A/P)'")).Account[0].Id };
    const created = await qbo.post('purchaseorder', body);
    expect(created.status, created.text).toBe(200);
    const read = await qbo.get(`purchaseorder/${created.json.PurchaseOrder.Id}`);
    expect(read.json.PurchaseOrder).toMatchObject({ POStatus: 'Open', TotalAmt: 25, APAccountRef: { name: 'Accounts Payable (A/P)' } });
    expect(shapeDifferences(sample('purchaseorder_read_intuitdoc.json'), read.json)).toEqual([]);
  });

  it('fault_429_throttle.xml: the throttle fault, as XML even to a JSON client', async () => {
    await admin(sandbox, '/faults', { throttleNext: 1 });
    const r = await qbo.get('companyinfo/' + qbo.realmId);
    expect(r.status).toBe(429);
    expect(r.headers.get('content-type')).toMatch(/xml/);
    const normalize = (x: string) => x.replace(/time="[^"]+"/, 'time=""').trim();
    expect(normalize(r.text)).toBe(normalize(readFileSync(join(SAMPLES, 'fault_429_throttle.xml'), 'utf8')));
  });
});
