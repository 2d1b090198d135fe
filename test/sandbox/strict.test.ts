// The sandbox refuses what QuickBooks refuses (issue 17): each case the hostile-client sweep found,
// refused with QBO's fault and nothing stored, and each client mistake a 400 in the right shape.
import { beforeEach, describe, expect, it } from 'vitest';
import { Bodies, type Body, type Refs, seedRefs } from './bodies';
import { connect, DEMO_REALM, rawRequest, readReply, type Reply, useSandbox } from './harness';

const sandbox = useSandbox();
let qbo: Awaited<ReturnType<typeof connect>>;
let refs: Refs;
let bodies: Bodies;

beforeEach(async () => {
  qbo = await connect(sandbox());
  refs = await seedRefs(qbo);
  bodies = new Bodies(refs, 17);
});

const company = () => sandbox().company(DEMO_REALM)!;

/** Posts, and checks the answer is QBO's 400 fault with `code` and that nothing changed. */
async function refused(path: string, body: unknown, code: string | RegExp, raw?: string): Promise<Reply> {
  const before = company().fingerprint();
  const r =
    raw === undefined
      ? await qbo.post(path, body)
      : await readReply(
          await fetch(`${sandbox().url}/v3/company/${DEMO_REALM}/${path}`, {
            method: 'POST', headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': 'application/json' }, body: raw,
          }),
        );
  expect(r.status, `${path} ${raw ?? JSON.stringify(body)}: ${r.text}`).toBe(400);
  expect(r.json.Fault.type).toBe('ValidationFault');
  expect(r.json.Fault.Error[0].code, r.text).toMatch(code);
  expect(typeof r.json.Fault.Error[0].Message).toBe('string');
  expect(company().fingerprint(), `${path} changed the company`).toBe(before);
  return r;
}

const bill = (line: Body = {}): Body => ({
  VendorRef: { value: refs.vendor },
  Line: [{ Amount: 10, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expense } }, ...line }],
});
const invoice = (detail: Body = {}, line: Body = {}): Body => ({
  CustomerRef: { value: refs.customer },
  Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: refs.service }, ...detail }, ...line }],
});

describe('stored garbage is refused before anything is stored', () => {
  it('references that are not {value} objects', async () => {
    for (const bad of ['5', 5, [{ value: refs.vendor }], true]) {
      await refused('bill', { ...bill(), VendorRef: bad }, '2010');
      await refused('invoice', { ...invoice(), CustomerRef: bad }, '2010');
    }
    await refused('bill', { ...bill(), VendorRef: { value: 5 } }, '2010');
    await refused('bill', { ...bill(), VendorRef: { value: refs.vendor, extra: 1 } }, '2010');
  });

  it('names that are not strings, blank or hold control characters', async () => {
    await refused('vendor', { DisplayName: {} }, '2010');
    await refused('vendor', { DisplayName: ['a'] }, '2010');
    await refused('vendor', { DisplayName: 42 }, '2010');
    await refused('vendor', { DisplayName: '   ' }, '6080');
    await refused('vendor', { DisplayName: '' }, '6080');
    await refused('customer', { DisplayName: 'Nul\u0000Byte' }, '2010');
    await refused('customer', { DisplayName: 'Bell\u0007' }, '2010');
    await refused('customer', { DisplayName: 'Half \ud800 pair' }, '2010');
    await refused('customer', { DisplayName: 'Parent:Child' }, '6000');
    await refused('customer', { DisplayName: 'Tab\there' }, '6000');
    await refused('item', { Name: 'Line\nbreak', Type: 'Service', IncomeAccountRef: { value: refs.income } }, '6000');
    await refused('account', { Name: 'Say "hi"', AccountType: 'Expense' }, '6000');
  });

  it('dates that do not exist or are not yyyy-MM-dd', async () => {
    for (const TxnDate of ['2026-13-45', '2026-02-30', '2025-02-29', '20260101', '2026-1-5', 20260101, '2026-03-15T00:00:00'])
      await refused('bill', { ...bill(), TxnDate }, '2010');
    expect((await qbo.post('bill', { ...bill(), TxnDate: '2024-02-29' })).status).toBe(200);
  });

  it('booleans that are not true or false, and sparse as anything but a boolean', async () => {
    await refused('vendor', { DisplayName: 'Flag Vendor', Active: 'notabool' }, '2010');
    await refused('vendor', { DisplayName: 'Flag Vendor', Vendor1099: 1 }, '2010');
    const v = (await qbo.post('vendor', { DisplayName: 'Sparse Vendor', AcctNum: 'KEEP', CompanyName: 'Keep Co' })).json.Vendor;
    await refused('vendor', { Id: v.Id, SyncToken: v.SyncToken, sparse: 'true', Notes: 'x' }, '2010');
    await refused('vendor', { Id: v.Id, SyncToken: v.SyncToken, sparse: 'true', AcctNum: 'NEW' }, '2010');
    expect((await qbo.get(`vendor/${v.Id}`)).json.Vendor).toMatchObject({ AcctNum: 'KEEP', CompanyName: 'Keep Co', SyncToken: '0' });
  });

  it('amounts and quantities that are strings, hex, booleans, too precise or out of range', async () => {
    for (const Amount of ['0x10', '16', true, '12.50', 1e16, 1e307, 10.005, 0.001, -5])
      await refused('bill', bill({ Amount }), '2010');
    await refused('bill', bill({ Amount: '__INF__' }), '2010', JSON.stringify(bill({ Amount: '__INF__' })).replace('"__INF__"', '1e309'));
    await refused('invoice', invoice({ Qty: '2', UnitPrice: 5 }), '2010');
    await refused('invoice', invoice({ Qty: 2, UnitPrice: '5' }), '2010');
    await refused('invoice', invoice({ Qty: 1.123456, UnitPrice: 5 }), '2010');
    await refused('invoice', invoice({ Qty: 3, UnitPrice: 5 }), '6070'); // 3 × 5 is not 10
    for (const TotalAmt of ['abc', '100', true, 1e16, 100.001])
      await refused('billpayment', { VendorRef: { value: refs.vendor }, TotalAmt, PayType: 'Check', CheckPayment: { BankAccountRef: { value: refs.bank } }, Line: [] }, '2010');
  });

  it('totals past 99,999,999,999.99 and negative totals', async () => {
    const max = 99_999_999_999.99;
    expect((await qbo.post('bill', bill({ Amount: max }))).json.Bill.TotalAmt).toBe(max);
    const two = bill({ Amount: max });
    two.Line.push({ ...two.Line[0] });
    await refused('bill', two, '6000');
    const discounted = invoice();
    discounted.Line.push({ Amount: 20, DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: false } });
    await refused('invoice', discounted, '6000');
  });

  it('fields longer than QuickBooks allows', async () => {
    await refused('customer', { DisplayName: 'Long Note Co', Notes: 'n'.repeat(2001) }, '2050');
    await refused('bill', { ...bill(), PrivateNote: 'p'.repeat(4001) }, '2050');
    await refused('vendor', { DisplayName: 'd'.repeat(501) }, '2050');
    await refused('vendor', { DisplayName: 'Given Too Long', GivenName: 'g'.repeat(101) }, '2050');
    await refused('invoice', { ...invoice(), DocNumber: '1'.repeat(22) }, '2050');
    await refused('term', { Name: 't'.repeat(32), DueDays: 10 }, '2050');
    expect((await qbo.post('customer', { DisplayName: 'Note Limit Co', Notes: 'n'.repeat(2000) })).status).toBe(200);
  });

  it('unknown properties at any depth, and enumerations out of their lists', async () => {
    await refused('vendor', { DisplayName: 'Unknown Prop', BadJson: 1 }, '2010');
    await refused('bill', bill({ AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expense }, Bogus: true } }), '2010');
    await refused('invoice', { ...invoice(), PrintStatus: 'Sometimes' }, '2170');
    await refused('purchaseorder', { ...bill(), POStatus: 'Lost' }, '2170');
    await refused('bill', bill({ DetailType: 'Nope' }), '2170');
  });

  it('references that do not exist, are inactive, or name the wrong kind of account', async () => {
    await refused('bill', { ...bill(), VendorRef: { value: '999999' } }, '2500');
    await refused('bill', { ...bill(), VendorRef: { value: refs.inactiveVendor } }, '610');
    await refused('invoice', { ...invoice(), CustomerRef: { value: refs.inactiveCustomer } }, '610');
    await refused('bill', { ...bill(), DepartmentRef: { value: '1' } }, '2500');
    await refused('bill', { ...bill(), APAccountRef: { value: refs.bank } }, '6000');
    await refused('bill', bill({ AccountBasedExpenseLineDetail: { AccountRef: { value: refs.ap } } }), '6000');
    await refused('invoice', { ...invoice(), ProjectRef: { value: refs.customer } }, '6000');
    await refused('invoice', { ...invoice(), CurrencyRef: { value: 'EUR' } }, '6000');
  });
});

describe('purchasing: what QuickBooks needs before it takes a purchase order or an inventory item', () => {
  it('a purchase order needs its vendor, its AP account and lines', async () => {
    const po = { VendorRef: { value: refs.vendor }, APAccountRef: { value: refs.ap }, Line: [{ Amount: 10, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expense } } }] };
    for (const missing of ['VendorRef', 'APAccountRef', 'Line'] as const) {
      const { [missing]: _gone, ...without } = po;
      const r = await refused('purchaseorder', without, '2020');
      expect(r.text).toContain(missing);
    }
    expect((await qbo.post('purchaseorder', po)).status).toBe(200);
  });

  it('an inventory item needs its three accounts, a quantity on hand and its start date', async () => {
    const item = { Name: 'Strict Part Rev A', Type: 'Inventory', IncomeAccountRef: { value: refs.income }, ExpenseAccountRef: { value: refs.cogs }, AssetAccountRef: { value: refs.asset }, QtyOnHand: 0, InvStartDate: '2026-11-30' };
    for (const missing of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef', 'QtyOnHand', 'InvStartDate'] as const) {
      const { [missing]: _gone, ...without } = item;
      const r = await refused('item', without, '2020');
      expect(r.text).toContain(missing);
    }
    expect((await qbo.post('item', item)).status).toBe(200);
  });

  it('a company with one currency takes no purchase order in another', async () => {
    const po = { VendorRef: { value: refs.vendor }, APAccountRef: { value: refs.ap }, CurrencyRef: { value: 'CAD' }, Line: [{ Amount: 10, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expense } } }] };
    const r = await refused('purchaseorder', po, /.+/);
    expect(r.text).toMatch(/Multicurrency is off/);
  });
});

describe('structure', () => {
  it('refuses deep nesting with a 400 before parsing, and keeps serving', async () => {
    const deep = `{"DisplayName":"Deep","OtherContactInfo":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}`;
    await refused('vendor', undefined, '2010', deep);
    const brackets = '['.repeat(500_000) + ']'.repeat(500_000);
    const started = performance.now();
    await refused('vendor', undefined, '2010', brackets);
    expect(performance.now() - started).toBeLessThan(1000); // JSON.parse alone takes seconds on a few MB of these
    expect((await qbo.query('SELECT COUNT(*) FROM Vendor')).status).toBe(200);
    expect((await qbo.get(`cdc?entities=Vendor&changedSince=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)).status).toBe(200);
  });

  it('refuses a customer made its own parent, or a parent of its own parent, and nesting past five levels', async () => {
    const a = (await qbo.post('customer', { DisplayName: 'Cycle A' })).json.Customer;
    const b = (await qbo.post('customer', { DisplayName: 'Cycle B', ParentRef: { value: a.Id } })).json.Customer;
    await refused('customer', { Id: a.Id, SyncToken: a.SyncToken, sparse: true, ParentRef: { value: a.Id } }, '6000');
    await refused('customer', { Id: a.Id, SyncToken: a.SyncToken, sparse: true, ParentRef: { value: b.Id } }, '6000');
    let parent = b;
    for (const name of ['Cycle C', 'Cycle D', 'Cycle E']) parent = (await qbo.post('customer', { DisplayName: name, ParentRef: { value: parent.Id } })).json.Customer;
    expect(parent.Level).toBe(4);
    await refused('customer', { DisplayName: 'Cycle F', ParentRef: { value: parent.Id } }, '6000');
    // An invoice for the deepest job still works, and its balance rolls up to the top.
    const inv = await qbo.post('invoice', { ...invoice(), CustomerRef: { value: parent.Id } });
    expect(inv.status).toBe(200);
    expect((await qbo.get(`customer/${a.Id}`)).json.Customer.BalanceWithJobs).toBe(inv.json.Invoice.TotalAmt);
    // Renaming the top renames the names under it.
    await qbo.post('customer', { Id: a.Id, SyncToken: '0', sparse: true, DisplayName: 'Cycle Top' });
    expect((await qbo.get(`customer/${parent.Id}`)).json.Customer.FullyQualifiedName).toBe('Cycle Top:Cycle B:Cycle C:Cycle D:Cycle E');
  });

  it('a write that fails part-way leaves nothing behind', async () => {
    const c = company();
    const before = c.fingerprint();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const proto = Object.getPrototypeOf(c) as any;
    const original = proto.afterTxnChange;
    proto.afterTxnChange = function (...args: unknown[]) {
      original.apply(this, args);
      throw new Error('injected failure after the balances changed');
    };
    try {
      const r = await qbo.post('invoice', invoice());
      expect(r.status).toBe(500);
      expect(r.json.Fault).toMatchObject({ type: 'SystemFault', Error: [{ code: '10000' }] });
      const batch = await qbo.post('batch', { BatchItemRequest: [{ bId: '1', operation: 'create', Invoice: invoice() }, { bId: '2', Query: 'select * from Term' }] });
      expect(batch.status).toBe(200);
      expect(batch.json.BatchItemResponse[0].Fault.Error[0].code).toBe('10000');
      expect(batch.json.BatchItemResponse[1].QueryResponse.Term.length).toBeGreaterThan(0);
    } finally {
      proto.afterTxnChange = original;
    }
    expect(c.fingerprint()).toBe(before);
    expect((await qbo.post('invoice', invoice())).status).toBe(200);
  });
});

describe('client mistakes are 400s in the right shape, never 500', () => {
  it('a query with -.5, alone and inside a batch', async () => {
    const r = await qbo.query('SELECT * FROM Invoice WHERE Balance > -.5');
    expect(r.status).toBe(400);
    expect(r.json.Fault.Error[0].code).toBe('4000');
    const b = await qbo.post('batch', { BatchItemRequest: [{ bId: 'q1', Query: 'SELECT * FROM Invoice WHERE Balance > -.5' }, { bId: 'q2', Query: 'SELECT COUNT(*) FROM Invoice' }] });
    expect(b.status).toBe(200);
    expect(b.json.BatchItemResponse[0].Fault.Error[0].code).toBe('4000');
    expect(b.json.BatchItemResponse[1].QueryResponse.totalCount).toBeGreaterThan(0);
    expect((await qbo.query('SELECT * FROM Invoice WHERE Balance > -0.5 MAXRESULTS 1')).status).toBe(200);
  });

  it('a comparison with a value that is no date, time, number or boolean is 4001, not an empty list', async () => {
    for (const q of [
      "SELECT * FROM Vendor WHERE MetaData.LastUpdatedTime > 'garbage'",
      "SELECT * FROM Invoice WHERE TxnDate > '2026-13-01'",
      "SELECT * FROM Invoice WHERE TotalAmt > 'abc'",
      "SELECT * FROM Vendor WHERE Active = 'maybe'",
      "SELECT * FROM Invoice WHERE TotalAmt LIKE '1%'",
    ]) {
      const r = await qbo.query(q);
      expect(r.status, q).toBe(400);
      expect(r.json.Fault.Error[0].code, q).toBe('4001');
    }
    const ok = await qbo.query("SELECT COUNT(*) FROM Vendor WHERE MetaData.LastUpdatedTime > '2000-01-01T00:00:00-08:00'");
    expect(ok.json.QueryResponse.totalCount).toBeGreaterThan(0);
  });

  it('"LinkedTxn": [null] and other nulls inside arrays', async () => {
    await refused('invoice', { ...invoice(), LinkedTxn: [null] }, '2010');
    await refused('payment', { CustomerRef: { value: refs.customer }, TotalAmt: 1, Line: [{ Amount: 1, LinkedTxn: [null] }] }, '2010');
    await refused('invoice', { ...invoice(), Line: [null] }, '2010');
  });

  it('bad percent-encoding in a path and a malformed Host header', async () => {
    const { url } = sandbox();
    const auth = `Authorization: Bearer ${qbo.tokens.access_token}`;
    const badPath = await rawRequest(url, `GET /v3/company/${DEMO_REALM}/customer/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}\r\nConnection: close\r\n\r\n`);
    expect(badPath.status).toBe(400);
    expect(JSON.parse(badPath.body).Fault.Error[0].code).toBe('500');
    for (const host of ['[', 'exa mple', 'a:b:c', '%zz']) {
      const r = await rawRequest(url, `GET /v3/company/${DEMO_REALM}/companyinfo/${DEMO_REALM} HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\nConnection: close\r\n\r\n`);
      expect(r.status, host).toBe(400);
      expect(JSON.parse(r.body).Fault.type, host).toBe('ValidationFault');
      const oauth = await rawRequest(url, `POST /oauth2/v1/tokens/bearer HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      expect(oauth.status).toBe(400);
      expect(JSON.parse(oauth.body)).toMatchObject({ error: 'invalid_request' });
    }
    expect((await qbo.get(`companyinfo/${DEMO_REALM}`)).status).toBe(200);
  });

  it('content types: JSON endpoints take JSON only; a query body is application/text', async () => {
    const post = (path: string, type: string, body: string) =>
      fetch(`${sandbox().url}/v3/company/${DEMO_REALM}/${path}`, { method: 'POST', headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': type }, body });
    const before = company().fingerprint();
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])
      for (const path of ['vendor', 'batch', 'preferences']) {
        const res = await post(path, type, JSON.stringify(path === 'batch' ? { BatchItemRequest: [{ bId: '1', Vendor: { DisplayName: 'Typed' } }] } : { DisplayName: 'Typed' }));
        expect(res.status, `${path} as ${type}`).toBe(400);
        expect((await res.json()).Fault.Error[0]).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
      }
    expect(company().fingerprint()).toBe(before);
    expect((await post('vendor', 'application/json; charset=utf-8', JSON.stringify({ DisplayName: 'Typed Right' }))).status).toBe(200);
    expect((await post('query', 'application/text', 'SELECT COUNT(*) FROM Vendor')).status).toBe(200);
    expect((await post('query', 'application/json', 'SELECT COUNT(*) FROM Vendor')).status).toBe(400);
  });

  it('OAuth endpoints answer every error in OAuth\'s shape, and undecodable Basic auth is invalid_client', async () => {
    const token = (headers: Record<string, string>, body = 'grant_type=refresh_token&refresh_token=x', method = 'POST') =>
      fetch(`${sandbox().url}/oauth2/v1/tokens/bearer`, { method, headers, body: method === 'GET' ? undefined : body });
    for (const auth of ['Basic %%%', `Basic ${Buffer.from('%zz:%zz').toString('base64')}`, `Basic ${Buffer.from('nocolon').toString('base64')}`, 'Basic']) {
      const r = await token({ Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' });
      expect(r.status, auth).toBe(401);
      expect(await r.json()).toEqual({ error: 'invalid_client' });
    }
    const basic = `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`;
    const wrongType = await token({ Authorization: basic, 'Content-Type': 'application/json' }, '{"grant_type":"refresh_token"}');
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
    const get = await token({}, '', 'GET');
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: 'invalid_request' });
    const big = await fetch(`${sandbox().url}/oauth2/v1/tokens/bearer`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x'.repeat(5 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'invalid_request' });
    const revoke = await fetch(`${sandbox().url}/v2/oauth2/tokens/revoke`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: '{not json' });
    expect(revoke.status).toBe(400);
    expect(await revoke.json()).toMatchObject({ error: 'invalid_request' });
  });
});
