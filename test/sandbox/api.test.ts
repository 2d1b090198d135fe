// The emulator's v3 API over real HTTP: paging, batch, CDC, SyncToken, unique names, requestid
// replay, limits, dropped responses, business rules, and QBO's faults for bad input.
import { beforeEach, describe, expect, it } from 'vitest';
import { admin, connect, DEMO_REALM, useSandbox } from './harness';

const sandbox = useSandbox();
let qbo: Awaited<ReturnType<typeof connect>>;

beforeEach(async () => {
  qbo = await connect(sandbox());
});

const one = async (q: string) => {
  const r = await qbo.query(q);
  const rows = Object.values(r.json.QueryResponse).find(Array.isArray) as any[];
  return rows[0];
};

describe('query paging', () => {
  it('pages a large list past 1,000 rows, exactly at 1,000, and stops on a short page', async () => {
    await admin(sandbox(), '/reset', { seed: 'scale' });
    qbo = await connect(sandbox());
    const total = (await qbo.query('SELECT COUNT(*) FROM Vendor')).json.QueryResponse.totalCount;
    expect(total).toBeGreaterThan(9_000); // active vendors; a few are inactive
    const ids = new Set<string>();
    let start = 1;
    let pages = 0;
    for (;;) {
      const r = await qbo.query(`SELECT * FROM Vendor STARTPOSITION ${start} MAXRESULTS 1000`);
      expect(r.status).toBe(200);
      const rows = r.json.QueryResponse.Vendor ?? [];
      pages++;
      if (rows.length) expect(r.json.QueryResponse).toMatchObject({ startPosition: start, maxResults: rows.length });
      for (const v of rows) ids.add(v.Id);
      if (rows.length < 1000) break;
      start += 1000;
    }
    expect(ids.size).toBe(total);
    expect(pages).toBe(Math.floor(total / 1000) + 1);
    // A page that ends exactly at the last row is full, and the next one is empty.
    const exact = await qbo.query(`SELECT * FROM Vendor STARTPOSITION ${total - 999} MAXRESULTS 1000`);
    expect(exact.json.QueryResponse.Vendor).toHaveLength(1000);
    const after = await qbo.query(`SELECT * FROM Vendor STARTPOSITION ${total + 1} MAXRESULTS 1000`);
    expect(after.json.QueryResponse).toEqual({});
  });

  it('rejects MAXRESULTS over 1,000 with fault 4001', async () => {
    const r = await qbo.query('SELECT * FROM Invoice MAXRESULTS 1500');
    expect(r.status).toBe(400);
    expect(r.json.Fault.Error[0]).toMatchObject({ code: '4001', Detail: 'QueryValidationError: value 1500 is too large. Max allowed value is 1000' });
  });

  it('defaults to 100 rows, hides inactive names unless asked, filters, sorts and counts', async () => {
    expect((await qbo.query('SELECT * FROM Bill')).json.QueryResponse.Bill).toHaveLength(100);
    const active = (await qbo.query('SELECT COUNT(*) FROM Vendor')).json.QueryResponse.totalCount;
    const all = (await qbo.query('SELECT COUNT(*) FROM Vendor WHERE Active IN (true, false)')).json.QueryResponse.totalCount;
    expect(all - active).toBe(3);
    const like = (await qbo.query("select * from vendor where DisplayName LIKE 'acme%' orderby DisplayName desc")).json.QueryResponse.Vendor;
    expect(like.map((v: any) => v.DisplayName)).toEqual(['Acme Supply West', 'Acme Supply East']);
    const escaped = await one("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'");
    expect(escaped.DisplayName).toBe("Amy's Bird Sanctuary");
    const big = (await qbo.query("SELECT * FROM Invoice WHERE TotalAmt > '10000' AND TxnDate >= '2000-01-01' ORDERBY TotalAmt DESC MAXRESULTS 5")).json.QueryResponse.Invoice;
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((i: any, n: number) => i.TotalAmt > 10000 && (n === 0 || big[n - 1].TotalAmt >= i.TotalAmt))).toBe(true);
    const customer = await one("SELECT * FROM Customer WHERE DisplayName = 'Bayside Auto Group'");
    const theirs = (await qbo.query(`SELECT * FROM Invoice WHERE CustomerRef = '${customer.Id}' MAXRESULTS 1000`)).json.QueryResponse.Invoice ?? [];
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((i: any) => i.CustomerRef.value === customer.Id)).toBe(true);
  });

  it('accepts the query as a POST body, as QBO does', async () => {
    const r = await qbo.call('POST', 'query', 'SELECT COUNT(*) FROM Customer');
    expect(r.status).toBe(200);
    expect(r.json.QueryResponse.totalCount).toBeGreaterThan(40);
  });
});

describe('batch', () => {
  it('runs up to 30 items with per-item results and faults', async () => {
    const vendor = await one("SELECT * FROM Vendor WHERE DisplayName = 'WGN Radio'");
    // A bill with no payment applied, so nothing stands in the way of deleting it.
    const bills = (await qbo.query(`SELECT * FROM Bill WHERE VendorRef = '${vendor.Id}'`)).json.QueryResponse.Bill ?? [];
    const bill = bills.find((b: any) => !(b.LinkedTxn ?? []).length);
    expect(bill).toBeDefined();
    const r = await qbo.post('batch', {
      BatchItemRequest: [
        { bId: 'bid1', operation: 'create', Vendor: { DisplayName: 'Boraski Family Store' } },
        { bId: 'bid2', operation: 'create', Vendor: { DisplayName: 'WGN Radio' } },
        { bId: 'bid3', operation: 'update', Vendor: { Id: vendor.Id, SyncToken: '99', sparse: true, AcctNum: '1' } },
        { bId: 'bid4', operation: 'create', Bill: { VendorRef: { value: '999999' }, Line: [] } },
        { bId: 'bid5', Query: 'select * from Term' },
        { bId: 'bid6', operation: 'delete', Bill: { Id: bill.Id, SyncToken: bill.SyncToken } },
      ],
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.json.BatchItemResponse.map((x: any) => [x.bId, x]));
    expect(byId.bid1.Vendor.DisplayName).toBe('Boraski Family Store');
    expect(byId.bid2.Fault.Error[0].code).toBe('6240');
    expect(byId.bid3.Fault.Error[0].code).toBe('5010');
    expect(byId.bid4.Fault.Error[0].code).toBe('2020');
    expect(byId.bid5.QueryResponse.Term.length).toBe(5);
    expect(byId.bid6.Bill).toMatchObject({ status: 'Deleted', Id: bill.Id });
    expect((await qbo.query(`SELECT COUNT(*) FROM Bill WHERE Id = '${bill.Id}'`)).json.QueryResponse.totalCount).toBe(0);
    expect((await qbo.query("SELECT COUNT(*) FROM Vendor WHERE DisplayName = 'Boraski Family Store'")).json.QueryResponse.totalCount).toBe(1);
  });

  it('refuses more than 30 items with fault 1040 and applies none of them', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: `b${i}`, operation: 'create', Class: { Name: `Batch class ${i}` } }));
    const r = await qbo.post('batch', { BatchItemRequest: items });
    expect(r.status).toBe(400);
    expect(r.json.Fault.Error[0].code).toBe('1040');
    expect((await qbo.query("SELECT COUNT(*) FROM Class WHERE Name LIKE 'Batch class%'")).json.QueryResponse.totalCount).toBe(0);
  });
});

describe('change data capture', () => {
  it('returns changes and deletes since a time, and refuses a time older than 30 days', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const customer = await one("SELECT * FROM Customer WHERE DisplayName = 'Golden Gate Dental Partners'");
    const item = await one("SELECT * FROM Item WHERE Name = 'Consulting'");
    const inv = (await qbo.post('invoice', { CustomerRef: { value: customer.Id }, Line: [{ Amount: 50, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] })).json.Invoice;
    const other = (await qbo.post('invoice', { CustomerRef: { value: customer.Id }, Line: [{ Amount: 70, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] })).json.Invoice;
    await qbo.post('invoice?operation=delete', { Id: other.Id, SyncToken: other.SyncToken });
    await qbo.post('customer', { Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, Notes: 'VIP' });
    const r = await qbo.get(`cdc?entities=Invoice,Customer&changedSince=${encodeURIComponent(since)}`);
    expect(r.status).toBe(200);
    const [invoices, customers] = r.json.CDCResponse[0].QueryResponse;
    expect(invoices.Invoice.map((i: any) => [i.Id, i.status])).toEqual([
      [inv.Id, undefined],
      [other.Id, 'Deleted'],
    ]);
    expect(customers.Customer.map((c: any) => c.Id)).toEqual([customer.Id]);
    // Nothing changed for this entity: an empty object in its place.
    const none = await qbo.get(`cdc?entities=Term&changedSince=${encodeURIComponent(since)}`);
    expect(none.json.CDCResponse).toEqual([{ QueryResponse: [{}] }]);
    await admin(sandbox(), '/clock', { advanceMs: 31 * 86_400_000 });
    qbo = await connect(sandbox()); // a month later the old access token has long expired
    const old = await qbo.get(`cdc?entities=Invoice&changedSince=${encodeURIComponent(since)}`);
    expect(old.status).toBe(400);
    expect(old.json.Fault.Error[0].Detail).toMatch(/30 days/);
  });
});

describe('writes', () => {
  it('refuses a stale SyncToken with 5010 and accepts the current one', async () => {
    const v = await one("SELECT * FROM Vendor WHERE DisplayName = 'KQED Public Media'");
    const first = await qbo.post('vendor', { Id: v.Id, SyncToken: v.SyncToken, sparse: true, AcctNum: 'X1' });
    expect(first.json.Vendor.SyncToken).toBe(String(Number(v.SyncToken) + 1));
    const stale = await qbo.post('vendor', { Id: v.Id, SyncToken: v.SyncToken, sparse: true, AcctNum: 'X2' });
    expect(stale.json.Fault.Error[0].code).toBe('5010');
    expect((await qbo.get(`vendor/${v.Id}`)).json.Vendor.AcctNum).toBe('X1');
  });

  it('keeps display names unique across customers, vendors and employees, case-insensitively, inactive included', async () => {
    expect((await qbo.post('vendor', { DisplayName: 'bayside auto group' })).json.Fault.Error[0].code).toBe('6240');
    expect((await qbo.post('customer', { DisplayName: 'Dana Whitfield' })).json.Fault.Error[0].code).toBe('6240');
    expect((await qbo.post('customer', { DisplayName: 'Pandora Media LLC' })).json.Fault.Error[0].code).toBe('6240');
  });

  it('replays the original response for a repeated requestid instead of writing twice', async () => {
    const path = 'vendor?requestid=8b0c7d5e-1f6e-4a7b-9c1d-replay000001&minorversion=75';
    const a = await qbo.post(path, { DisplayName: 'Replay Test Vendor' });
    const b = await qbo.post(path, { DisplayName: 'Replay Test Vendor' });
    expect(a.status).toBe(200);
    expect(b.text).toBe(a.text);
    expect(b.headers.get('intuit_tid')).not.toBe(a.headers.get('intuit_tid'));
    expect((await qbo.query("SELECT COUNT(*) FROM Vendor WHERE DisplayName = 'Replay Test Vendor'")).json.QueryResponse.totalCount).toBe(1);
  });

  it('applies a write exactly once when its response is dropped, and the retry with the same requestid gets the result', async () => {
    await admin(sandbox(), '/faults', { dropNext: 1 });
    const url = `${sandbox().url}/v3/company/${DEMO_REALM}/vendor?requestid=drop-test-1`;
    const init = { method: 'POST', headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ DisplayName: 'Dropped Response Vendor' }) };
    await expect(fetch(url, init)).rejects.toThrow();
    const retry = await fetch(url, init);
    expect(retry.status).toBe(200);
    const body = await retry.json();
    expect(body.Vendor.DisplayName).toBe('Dropped Response Vendor');
    expect((await qbo.query("SELECT COUNT(*) FROM Vendor WHERE DisplayName = 'Dropped Response Vendor'")).json.QueryResponse.totalCount).toBe(1);
    expect((await admin(sandbox(), '/stats', undefined, 'GET')).dropped).toBe(1);
  });

  it('computes DocNumber, TotalAmt and Balance, and payments reduce balances through LinkedTxn', async () => {
    const customer = await one("SELECT * FROM Customer WHERE DisplayName = 'Ironwood Fitness Clubs'");
    const item = await one("SELECT * FROM Item WHERE Name = 'Creative Design'");
    const before = (await qbo.get(`customer/${customer.Id}`)).json.Customer.Balance;
    const inv = (await qbo.post('invoice', {
      CustomerRef: { value: customer.Id },
      Line: [
        { DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 4, UnitPrice: 125 } },
        { Amount: 80.5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } },
      ],
    })).json.Invoice;
    expect(inv).toMatchObject({ TotalAmt: 580.5, Balance: 580.5, DocNumber: expect.stringMatching(/^\d+$/) });
    expect(inv.Line.at(-1)).toEqual({ Amount: 580.5, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    expect((await qbo.get(`customer/${customer.Id}`)).json.Customer.Balance).toBeCloseTo(before + 580.5, 2);
    const deposit = await one("SELECT * FROM Account WHERE Name = 'Undeposited Funds'");
    const pay = (await qbo.post('payment', {
      CustomerRef: { value: customer.Id }, TotalAmt: 200, DepositToAccountRef: { value: deposit.Id },
      Line: [{ Amount: 200, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
    })).json.Payment;
    expect(pay.UnappliedAmt).toBe(0);
    const after = (await qbo.get(`invoice/${inv.Id}`)).json.Invoice;
    expect(after).toMatchObject({ Balance: 380.5, SyncToken: '1', LinkedTxn: [{ TxnId: pay.Id, TxnType: 'Payment' }] });
    expect((await qbo.get(`customer/${customer.Id}`)).json.Customer.Balance).toBeCloseTo(before + 380.5, 2);
    // Over-applying is refused; deleting the payment restores the balance.
    const over = await qbo.post('payment', { CustomerRef: { value: customer.Id }, TotalAmt: 1000, Line: [{ Amount: 1000, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] });
    expect(over.json.Fault.Error[0].code).toBe('6000');
    await qbo.post('payment?operation=delete', { Id: pay.Id, SyncToken: pay.SyncToken });
    expect((await qbo.get(`invoice/${inv.Id}`)).json.Invoice.Balance).toBe(580.5);
    // A second invoice with the same number is refused.
    const dup = await qbo.post('invoice', { DocNumber: inv.DocNumber, CustomerRef: { value: customer.Id }, Line: [{ Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] });
    expect(dup.json.Fault.Error[0].code).toBe('6140');
  });

  it('voids an invoice (amounts zeroed, kept); names are made inactive, never deleted', async () => {
    const customer = await one("SELECT * FROM Customer WHERE DisplayName = 'Zenith Wellness Spa'");
    const item = await one("SELECT * FROM Item WHERE Name = 'Consulting'");
    const inv = (await qbo.post('invoice', { CustomerRef: { value: customer.Id }, Line: [{ Amount: 99, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] })).json.Invoice;
    const voided = (await qbo.post('invoice?operation=void', { Id: inv.Id, SyncToken: inv.SyncToken })).json.Invoice;
    expect(voided).toMatchObject({ Id: inv.Id, SyncToken: '1', TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' });
    expect(voided.Line[0].Amount).toBe(0);
    const del = await qbo.post('customer?operation=delete', { Id: customer.Id, SyncToken: customer.SyncToken });
    expect(del.status).toBe(400);
    expect(del.json.Fault.Error[0]).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
    const inactive = await qbo.post('customer', { Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, Active: false });
    expect(inactive.json.Customer.Active).toBe(false);
    expect((await qbo.get(`customer/${customer.Id}`)).json.Customer.Active).toBe(false);
    // An inactive customer can no longer be used on a new transaction (610).
    const refused = await qbo.post('invoice', { CustomerRef: { value: customer.Id }, Line: [{ Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] });
    expect(refused.json.Fault.Error[0].code).toBe('610');
  });

  it('requires the fields QBO requires and checks references exist', async () => {
    const cases: [string, unknown, string][] = [
      ['vendor', {}, '6080'],
      ['item', { Name: 'Widget' }, '2020'],
      ['item', { Name: 'Widget', Type: 'Inventory', IncomeAccountRef: { value: '1' } }, '2020'],
      ['account', { Name: 'No type' }, '6010'],
      ['account', { Name: 'Bad type', AccountType: 'Piggy Bank' }, '2170'],
      ['bill', { VendorRef: { value: '999999' }, Line: [{ Amount: 1, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '1' } } }] }, '2500'],
      ['invoice', { Line: [] }, '2020'],
      ['payment', { CustomerRef: { value: '4' } }, '2020'],
    ];
    for (const [entity, body, code] of cases) {
      const r = await qbo.post(entity, body);
      expect(r.status, `${entity} ${JSON.stringify(body)}`).toBe(400);
      expect(r.json.Fault.Error[0].code, `${entity} ${JSON.stringify(body)}: ${r.text}`).toBe(code);
    }
  });
});

describe('limits', () => {
  it('answers 429 past the per-minute limit, and again after the window', async () => {
    await admin(sandbox(), '/limits', { enabled: true, windowMs: 1000, perWindow: 20, inFlight: 100 });
    const statuses = await Promise.all(Array.from({ length: 30 }, () => qbo.get(`companyinfo/${DEMO_REALM}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    await admin(sandbox(), '/clock', { advanceMs: 1000 });
    expect((await qbo.get(`companyinfo/${DEMO_REALM}`)).status).toBe(200);
  });

  it('answers 429 past 10 requests in flight', async () => {
    await admin(sandbox(), '/limits', { enabled: true, windowMs: 60_000, perWindow: 500, inFlight: 10 });
    await admin(sandbox(), '/faults', { latencyMs: 300 });
    const statuses = await Promise.all(Array.from({ length: 15 }, () => qbo.get(`companyinfo/${DEMO_REALM}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  it('limits batch requests separately', async () => {
    await admin(sandbox(), '/limits', { enabled: true, windowMs: 60_000, batchPerWindow: 3, inFlight: 100 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await qbo.post('batch', { BatchItemRequest: [{ bId: '1', Query: 'select * from Term' }] })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await qbo.get(`companyinfo/${DEMO_REALM}`)).status).toBe(200);
  });

  it('injects 500 and 503 without applying the write', async () => {
    await admin(sandbox(), '/faults', { errorRate: 1, errorStatus: 503 });
    const r = await qbo.post('vendor', { DisplayName: 'Never Written' });
    expect(r.status).toBe(503);
    expect(r.json.Fault.type).toBe('SystemFault');
    await admin(sandbox(), '/faults', undefined, 'DELETE');
    expect((await qbo.query("SELECT COUNT(*) FROM Vendor WHERE DisplayName = 'Never Written'")).json.QueryResponse.totalCount).toBe(0);
  });
});

describe('bad input gets QBO\'s fault, never a crash', () => {
  it('answers each with a fault and keeps serving', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', 'vendor', '{"DisplayName": ', 400, '2010'],
      ['POST', 'vendor', '[1,2]', 400, '2010'],
      ['POST', 'vendor', { DisplayName: 'X', BadJson: 1 }, 400, '2010'],
      ['GET', 'widget/1', undefined, 400, '500'],
      ['GET', 'customer/1.5', undefined, 400, '2030'],
      ['GET', 'customer/999999', undefined, 400, '610'],
      ['GET', 'customer/1/5', undefined, 400, '500'],
      ['GET', `query?query=${encodeURIComponent('SELECT * FROM Custmoer')}`, undefined, 400, '4001'],
      ['GET', `query?query=${encodeURIComponent("SELECT * FROM Customer WHERE DisplayName = 'a' OR DisplayName = 'b'")}`, undefined, 400, '4000'],
      ['GET', `query?query=${encodeURIComponent('SELEKT * FROM Customer')}`, undefined, 400, '4000'],
      ['GET', `query?query=${encodeURIComponent("SELECT * FROM Customer WHERE Nope = '1'")}`, undefined, 400, '4001'],
      ['GET', `query?query=${encodeURIComponent("SELECT * FROM Customer WHERE DisplayName = 'unterminated")}`, undefined, 400, '4000'],
      ['GET', `cdc?entities=TaxCode&changedSince=${encodeURIComponent(new Date().toISOString())}`, undefined, 400, '4001'],
      ['GET', 'cdc?entities=Customer&changedSince=yesterday', undefined, 400, '4001'],
      ['POST', 'batch', { BatchItemRequest: 'all of them' }, 400, '2020'],
      ['POST', 'invoice?operation=explode', { Id: '1', SyncToken: '0' }, 400, '500'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await fetch(`${sandbox().url}/v3/company/${DEMO_REALM}/${path}`, {
        method,
        headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const json = await res.json();
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(json.Fault.Error[0].code, `${method} ${path}`).toBe(code);
    }
    expect((await qbo.get(`companyinfo/${DEMO_REALM}`)).status).toBe(200);
  });

  it('refuses a token of another company with 403', async () => {
    const other = sandbox().state().companies[1].realmId;
    const r = await qbo.call('GET', `../${other}/companyinfo/${other}`);
    expect(r.status).toBe(403);
    expect(r.json.fault.error[0].code).toBe('3100');
  });

  it('serves the web app page a deep link opens, and says so when the record is gone', async () => {
    const customer = await one("SELECT * FROM Customer WHERE DisplayName = 'Mission Street Bakery'");
    const page = await fetch(`${sandbox().url}/app/customerdetail?nameId=${customer.Id}&companyId=${DEMO_REALM}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Mission Street Bakery');
    const missing = await fetch(`${sandbox().url}/app/invoice?txnId=987654&companyId=${DEMO_REALM}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Invoice not found');
  });
});
