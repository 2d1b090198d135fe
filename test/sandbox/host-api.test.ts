// The demo apps' APIs as the extension meets them, driven by the built-in site profiles over real
// HTTP with cookies: an API call needs a session (a 401 or the sign-in page otherwise, never
// data); every kind lists to its end past several pages with the profile's paging; updated-since
// gives only what changed; creates and updates carry line items and are checked field by field;
// a write without the right CSRF token is refused and goes through once the token is read again;
// Spotlight refuses writes from another origin while Paystream takes them from anywhere; and an
// expired session in the middle of a listing answers a sign-in, not an empty page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, fill, readItem, type KindApi } from '../../lib/hosts/api';
import { dayFromToday } from '../../sandbox/hosts/seed';
import { HOST_APP_IDS, startDemoHosts, type DemoHosts, type HostAppId } from '../../sandbox/hosts/server';
import type { Reply } from './harness';
import { apiOf, HostBrowser, listAll, withPageSize } from './host-browser';

let hosts: DemoHosts;
beforeAll(async () => {
  hosts = await startDemoHosts({ basePort: 0 });
});
afterAll(() => hosts.close());
beforeEach(() => {
  hosts.reset();
  hosts.expireSessions();
});

/** A browser that has opened the app's home page (and so is signed in). */
async function signedIn(app: HostAppId) {
  const b = new HostBrowser(hosts.apps[app].localUrl);
  expect((await b.open('/')).status).toBe(200);
  return b;
}

const kindOf = (app: HostAppId, kind: string): KindApi => apiOf(app).kinds[kind];
const recipe = (app: HostAppId) => apiOf(app).csrf!;
const hostIds = (records: unknown[], kind: KindApi) => records.map((r) => readItem(r, kind)?.hostId);
/** The body a profile's create or update sends: the record, inside its `wrap` field when it has one. */
const wrapped = (wrap: string | undefined, record: unknown) => (wrap ? wrap.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), record) : record);

/** Creates a record the way the profile says (method, URL, wrap), with a fresh token. */
async function create(b: HostBrowser, app: HostAppId, kind: string, record: unknown, opts: { origin?: string | null } = {}) {
  const c = kindOf(app, kind).create!;
  const { reply } = await b.writeWithToken(recipe(app), c.method, fill(c.url), wrapped(c.wrap, record), opts);
  return { reply, item: at(reply.json, c.item) as any };
}

/** Updates a record the way the profile says. */
async function update(b: HostBrowser, app: HostAppId, kind: string, id: string | number, changes: unknown) {
  const u = kindOf(app, kind).update!;
  const { reply } = await b.writeWithToken(recipe(app), u.method, fill(u.url, String(id)), wrapped(u.wrap, changes));
  return { reply, item: at(reply.json, u.item) as any };
}

/** The seeded records of each kind each profile declares, in the order the app lists them. */
const STORE_IDS: Record<HostAppId, Record<string, () => (string | number)[]>> = {
  media: {
    vendor: () => hosts.store('media').vendors.map((r) => r.id),
    order: () => hosts.store('media').orders.map((r) => r.id),
    bill: () => hosts.store('media').bills.map((r) => r.id),
    billPayment: () => hosts.store('media').payments.map((r) => r.id),
  },
  erp: {
    vendor: () => hosts.store('erp').suppliers.map((r) => r.id),
    item: () => hosts.store('erp').parts.map((r) => r.id),
    purchaseOrder: () => hosts.store('erp').purchaseOrders.map((r) => r.id),
    attribute: () => hosts.store('erp').attributes.map((r) => r.key),
  },
  crm: { customer: () => hosts.store('crm').contacts.map((r) => r.id) },
  portal: {
    customer: () => hosts.store('portal').clients.map((r) => r.id),
    vendor: () => hosts.store('portal').vendors.map((r) => r.id),
    invoice: () => hosts.store('portal').invoices.map((r) => r.id),
  },
  payments: {
    vendor: () => hosts.store('payments').vendors.map((r) => r.id),
    customer: () => hosts.store('payments').customers.map((r) => r.id),
    bill: () => hosts.store('payments').bills.map((r) => r.id),
    invoice: () => hosts.store('payments').invoices.map((r) => r.id),
    billPayment: () => hosts.store('payments').payments.filter((p) => p.direction === 'Payable').map((r) => r.id),
    payment: () => hosts.store('payments').payments.filter((p) => p.direction === 'Receivable').map((r) => r.id),
    creditMemo: () => hosts.store('payments').creditMemos.map((r) => r.id),
    vendorCredit: () => hosts.store('payments').vendorCredits.map((r) => r.id),
  },
};

/** What each app answers an API call that has no session. */
function expectSignedOut(app: HostAppId, r: Reply, kind: KindApi) {
  expect(Array.isArray(at(r.json, kind.list.items)), `${app} gave no list`).toBe(false);
  if (app === 'portal') {
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toMatch(/^\/login\?return_to=/);
  } else {
    expect(r.status, app).toBe(401);
    expect(JSON.stringify(r.json)).toMatch(/sign in|log in|credentials/i);
  }
}

describe('sign-in', () => {
  it('keeps the API from anyone without a session: a 401 or the sign-in page, never data', async () => {
    for (const app of HOST_APP_IDS) {
      const stranger = new HostBrowser(hosts.apps[app].localUrl);
      for (const kind of Object.values(apiOf(app).kinds)) expectSignedOut(app, await stranger.get(fill(kind.list.url)), kind);
      if (app === 'portal') {
        const login = await stranger.get((await stranger.get('/api/customers')).headers.get('location')!);
        expect(login.status).toBe(200);
        expect(login.text).toContain('<form class="sign-in-form" method="post" action="/login">');
      }
    }
  });

  it('signs a browser in the first time it opens a page, with an HttpOnly, SameSite=Lax session cookie', async () => {
    for (const app of HOST_APP_IDS) {
      const res = await fetch(`${hosts.apps[app].localUrl}/`, { redirect: 'manual' });
      const [session] = res.headers.getSetCookie().filter((c) => !c.startsWith('XSRF-TOKEN='));
      expect(session, app).toMatch(/^[\w-]+=[\w-]{20,}; Path=\/; HttpOnly; SameSite=Lax$/);
      const b = await signedIn(app);
      const [first] = Object.values(apiOf(app).kinds);
      expect((await b.get(fill(first.list.url))).status, app).toBe(200);
    }
    // Ledgerly's script-readable token cookie is not HttpOnly.
    const portal = await fetch(`${hosts.apps.portal.localUrl}/`);
    expect(portal.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='))).toMatch(/^XSRF-TOKEN=[\w-]+; Path=\/; SameSite=Lax$/);
  });

  it('signs in at /login (?as= for tests, or the form), with a new session each time', async () => {
    const b = await signedIn('media');
    const before = b.cookies.get('_spotlight_session');
    const r = await b.signIn('Dana Whitfield');
    expect(r.headers.get('location')).toBe('/');
    expect(b.cookies.get('_spotlight_session')).not.toBe(before);
    const old = new HostBrowser(hosts.apps.media.localUrl);
    old.cookies.set('_spotlight_session', before!);
    expect((await old.get('/api/vendors')).status).toBe(401);

    const form = new HostBrowser(hosts.apps.erp.localUrl);
    expect((await form.get('/login')).text).toContain('name="password"');
    const missing = await form.send('/login', { form: { user: 'Sofia Alvarez', password: '' } });
    expect(missing.status).toBe(422);
    const ok = await form.send('/login?return_to=%2Fparts', { form: { user: 'Sofia Alvarez', password: 'any' } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/parts');
    expect((await form.get('/api/session')).json.user).toEqual({ name: 'Sofia Alvarez' });
    // Only a path on the app's own site is a place to come back to.
    expect((await form.get('/login?as=x&return_to=%2F%2Fevil.example')).headers.get('location')).toBe('/');
  });

  it('signs out with POST /logout (a write: it needs the token)', async () => {
    const b = await signedIn('crm');
    expect((await b.send('/logout', { method: 'POST', json: {} })).status).toBe(403);
    const token = await b.csrfToken(recipe('crm'));
    const out = await b.send('/logout', { method: 'POST', json: {}, headers: { 'X-CSRFToken': token } });
    expect(out.status).toBe(303);
    expect(b.cookies.has('rolodeck_session')).toBe(false);
    expect((await b.get('/api/contacts')).status).toBe(401);
  });

  it('ends sessions when told; pages sign in again unless the sign-in is not remembered', async () => {
    const b = await signedIn('payments');
    const admin = await fetch(`${hosts.apps.payments.localUrl}/api/_sessions/expire`, { method: 'POST', body: '{"remember":false}', headers: { 'Content-Type': 'application/json' } });
    expect(await admin.json()).toEqual({ ok: true, expired: 1 });
    expectSignedOut('payments', await b.get('/api/bills'), kindOf('payments', 'bill'));
    const page = await b.open('/bills');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?return_to=%2Fbills');
    await b.signIn('Jamal Carter');
    expect((await b.get('/api/bills')).status).toBe(200);
    // Remembered again: a new browser that opens a page is signed in.
    expect((await signedIn('payments').then((x) => x.get('/api/bills'))).status).toBe(200);
  });
});

describe('listing with the profile\'s paging', () => {
  it('reads every record of every declared kind, to the end, past several pages', async () => {
    for (const app of HOST_APP_IDS) {
      const b = await signedIn(app);
      for (const [name, kind] of Object.entries(apiOf(app).kinds)) {
        const expected = STORE_IDS[app][name]().map(String);
        const whole = await listAll(b, kind);
        expect(hostIds(whole.records, kind), `${app} ${name}`).toEqual(expected);
        // The same with small pages: several of them, nothing missed or doubled.
        const small = await listAll(b, withPageSize(kind, 4));
        expect(small.answers.length, `${app} ${name} pages`).toBeGreaterThanOrEqual(Math.min(3, Math.ceil(expected.length / 4)));
        expect(hostIds(small.records, kind), `${app} ${name} in small pages`).toEqual(expected);
      }
    }
  }, 60_000);

  it('lists a thousand records in the profile\'s own page size (?rows=)', async () => {
    const main: [HostAppId, string][] = [['media', 'bill'], ['erp', 'purchaseOrder'], ['crm', 'customer'], ['portal', 'invoice'], ['payments', 'bill']];
    for (const [app, name] of main) {
      const b = await signedIn(app);
      const kind = kindOf(app, name);
      const listing = await listAll(b, kind, { rows: '1000' });
      const ids = hostIds(listing.records, kind);
      expect(ids, `${app} ${name}`).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      expect(listing.answers.length, `${app} ${name}`).toBeGreaterThanOrEqual(4);
    }
  }, 60_000);

  it('serves a page size over the largest at the largest, and refuses nonsense naming the parameter', async () => {
    const media = await signedIn('media');
    const big = await media.get('/api/bills?per_page=5000&rows=300');
    expect(big.json.data).toHaveLength(100);
    expect(big.json.meta).toMatchObject({ total: 300, per_page: 100, total_pages: 3 });
    expect((await media.get('/api/bills?page=0')).json.error).toMatch(/^page must be a whole number from 1/);
    const crm = await signedIn('crm');
    expect((await crm.get('/api/contacts?after=bm9wZQ')).json.error).toMatch(/^after must be a cursor/);
    const payments = await signedIn('payments');
    expect((await payments.get('/api/bills?start=-1')).status).toBe(400);
    expect((await payments.get('/api/bills?updatedSince=yesterday')).json.error).toMatch(/^updatedSince must be an ISO 8601 time/);
  });
});

describe('updated since', () => {
  /** One change per app, through its API, and the kind it changes. */
  const CHANGES: { app: HostAppId; kind: string; change: (b: HostBrowser) => Promise<string> }[] = [
    { app: 'media', kind: 'bill', change: async (b) => (await update(b, 'media', 'bill', 5003, { memo: 'Checked against the affidavit' })).item.id },
    {
      app: 'erp',
      kind: 'purchaseOrder',
      change: async (b) => (await update(b, 'erp', 'purchaseOrder', 1001, { status: 'Ordered' })).item.id,
    },
    { app: 'crm', kind: 'customer', change: async (b) => (await update(b, 'crm', 'customer', 2005, { notes: 'Prefers email.' })).item.id },
    { app: 'portal', kind: 'customer', change: async (b) => (await update(b, 'portal', 'customer', 1002, { quickbooks_customer_id: '58' })).item.id },
    {
      app: 'payments',
      kind: 'vendor',
      change: async (b) => (await update(b, 'payments', 'vendor', hosts.store('payments').vendors[3].id, { email: 'ap@example.com' })).item.id,
    },
  ];

  it('lists only the records changed since a time', async () => {
    for (const { app, kind: name, change } of CHANGES) {
      const b = await signedIn(app);
      const kind = kindOf(app, name);
      const since = new Date().toISOString();
      const param = kind.list.updatedSince!;
      expect((await listAll(b, kind, { [param]: since })).records, `${app}: nothing changed yet`).toEqual([]);
      const id = await change(b);
      const changed = await listAll(b, kind, { [param]: since });
      expect(hostIds(changed.records, kind), app).toEqual([String(id)]);
      const stamp = readItem(changed.records[0], kind)!.fields.updatedAt;
      expect(Date.parse(stamp), app).toBeGreaterThanOrEqual(Date.parse(since));
      // The other kinds of the app have nothing new.
      for (const [otherName, other] of Object.entries(apiOf(app).kinds))
        if (otherName !== name && other.list.updatedSince) expect((await listAll(b, other, { [other.list.updatedSince]: since })).records, `${app} ${otherName}`).toEqual([]);
    }
  });

  it('gives a record a new, later updatedAt on every change', async () => {
    const b = await signedIn('media');
    const stamps: string[] = [];
    for (const memo of ['one', 'two', 'three']) stamps.push((await update(b, 'media', 'bill', 5001, { memo })).item.updatedAt);
    expect(new Set(stamps).size).toBe(3);
    expect([...stamps].sort((x, y) => Date.parse(x) - Date.parse(y))).toEqual(stamps);
  });
});

describe('writes with line items', () => {
  it('media: creates and updates a bill with lines, pays it, and finds it again by its QuickBooks id', async () => {
    const b = await signedIn('media');
    const vendor = hosts.store('media').vendors[0];
    const order = hosts.store('media').orders.find((o) => o.vendorId === vendor.id) ?? hosts.store('media').orders[0];
    const bill = {
      billNumber: 'QB-1042',
      vendorId: order.vendorId,
      orderNumber: order.orderNumber,
      billDate: '2026-03-01',
      dueDate: '2026-03-31',
      memo: 'Imported from QuickBooks',
      quickbooksId: '1042',
      lines: [
        { description: 'Spot schedule — March', amount: '1200.50', servicePeriodStart: '2026-03-01', servicePeriodEnd: '2026-03-15' },
        { description: 'Spot schedule — late March', amount: 800 },
      ],
    };
    const made = await create(b, 'media', 'bill', bill);
    expect(made.reply.status).toBe(201);
    expect(made.reply.headers.get('location')).toBe(`/api/bills/${made.item.id}`);
    expect(made.item).toMatchObject({ billNumber: 'QB-1042', amount: 2000.5, balance: 2000.5, status: 'Open', quickbooksId: '1042' });
    expect(made.item.lines.map((l: any) => [l.lineNumber, l.amount, l.orderNumber])).toEqual([[1, 1200.5, order.orderNumber], [2, 800, order.orderNumber]]);
    expect(made.item.lines[1].servicePeriodStart).toBe(order.flightStart);
    // The answer lost: the record is found again by the QuickBooks id written into it.
    const found = await b.get('/api/bills?quickbooks_id=1042');
    expect(found.json.data.map((x: any) => x.id)).toEqual([made.item.id]);
    // The same bill number for the same vendor is refused.
    const again = await create(b, 'media', 'bill', bill);
    expect(again.reply.status).toBe(422);
    expect(again.reply.json.errors).toEqual({ billNumber: ['has already been taken for this vendor (QB-1042)'] });

    const changed = await update(b, 'media', 'bill', made.item.id, { lines: [{ description: 'Spot schedule — March (make-good)', amount: 1500 }] });
    expect(changed.reply.status).toBe(200);
    expect(changed.item).toMatchObject({ amount: 1500, balance: 1500, memo: 'Imported from QuickBooks' });

    const paid = await create(b, 'media', 'billPayment', { vendorId: order.vendorId, paymentDate: '2026-04-02', method: 'ACH', amount: 1500, quickbooksId: '88', appliedTo: [{ billId: made.item.id, amount: 1500 }] });
    expect(paid.reply.status).toBe(201);
    expect(paid.item).toMatchObject({ paymentNumber: `PMT-${paid.item.id}`, billNumbers: ['QB-1042'] });
    expect((await b.get(`/api/bills/${made.item.id}`)).json.data).toMatchObject({ balance: 0, status: 'Paid' });
    // Taking the payment off the bill opens it again.
    await update(b, 'media', 'billPayment', paid.item.id, { appliedTo: [] });
    expect((await b.get(`/api/bills/${made.item.id}`)).json.data).toMatchObject({ balance: 1500, status: 'Open' });
  });

  it('media: refuses a body it cannot take, naming each field, never with a 500', async () => {
    const b = await signedIn('media');
    const bad = async (body: unknown) => (await create(b, 'media', 'bill', body)).reply;
    const r = await bad({ billNumber: '', vendorId: 99999, billDate: '2026-02-30', dueDate: 'soon', lines: [{ description: 'x', amount: 'ten' }], colour: 'red' });
    expect(r.status).toBe(422);
    expect(Object.keys(r.json.errors).sort()).toEqual(['billDate', 'billNumber', 'colour', 'dueDate', 'lines[0].amount']);
    expect(r.json.error).toMatch(/^Validation failed: /);
    expect((await bad({ billNumber: 'A', vendorId: 1001, billDate: '2026-02-01', dueDate: '2026-01-01', lines: [] })).json.errors).toEqual({ lines: ['must have at least one item'] });
    const unknownVendor = await bad({ billNumber: 'A', vendorId: 99999, billDate: '2026-02-01', dueDate: '2026-03-01', lines: [{ description: 'x', amount: 1 }] });
    expect(unknownVendor.json.errors).toEqual({ vendorId: ['is not a vendor in Spotlight (99999)'] });
    const sums = await bad({ billNumber: 'A', vendorId: 1001, billDate: '2026-02-01', dueDate: '2026-03-01', amount: 5, lines: [{ description: 'x', amount: 1 }] });
    expect(sums.json.errors).toEqual({ amount: ['must equal the sum of the lines (1)'] });
    const unwrapped = await b.writeWithToken(recipe('media'), 'POST', '/api/bills', { billNumber: 'A' });
    expect(unwrapped.reply.json.errors).toEqual({ bill: ['is missing: send the record as {"bill": {…}}'] });
    for (const body of [null, [], 'text', 42, { bill: [] }, { bill: { lines: [null] } }]) expect((await b.writeWithToken(recipe('media'), 'POST', '/api/bills', body)).reply.status).toBe(422);
    expect(hosts.store('media').bills.some((x) => x.billNumber === 'A')).toBe(false);
  });

  it('payments: vendors, customers, bills and invoices with lines, payments both ways, credit memos', async () => {
    const b = await signedIn('payments');
    const vendor = await create(b, 'payments', 'vendor', { name: 'Northwind Couriers', email: 'ap@northwind.example', externalId: '301' });
    expect(vendor.reply.status).toBe(201);
    expect(vendor.item).toMatchObject({ id: expect.stringMatching(/^00901/), name: 'Northwind Couriers', externalId: '301' });
    const bill = await create(b, 'payments', 'bill', {
      vendor: { id: vendor.item.id, name: 'ignored' },
      invoiceNumber: 'NW-77',
      invoiceDate: '2026-04-01',
      dueDate: '2026-05-01',
      externalId: '1501',
      lines: [
        { description: 'Courier runs', account: 'Freight & Shipping', amount: 310.25 },
        { description: 'Fuel surcharge', account: 'Freight & Shipping', class: 'Overhead', amount: 19.75 },
      ],
    });
    expect(bill.reply.status).toBe(201);
    expect(bill.item).toMatchObject({ amount: 330, amountDue: 330, paymentStatus: 'Unpaid', vendor: { id: vendor.item.id, name: 'Northwind Couriers' } });
    expect(bill.item.lines.map((l: any) => l.id)).toEqual([`${bill.item.id}-1`, `${bill.item.id}-2`]);
    const edited = await update(b, 'payments', 'bill', bill.item.id, { lines: [{ description: 'Courier runs', account: 'Freight & Shipping', amount: 400 }] });
    expect(edited.item).toMatchObject({ amount: 400, amountDue: 400 });

    const sent = await create(b, 'payments', 'billPayment', { party: { id: vendor.item.id }, paymentDate: '2026-04-20', amount: 400, method: 'ACH', appliedTo: [{ id: bill.item.id, amount: 400 }] });
    expect(sent.reply.status).toBe(201);
    expect(sent.item).toMatchObject({ direction: 'Payable', status: 'Scheduled', appliedTo: [{ type: 'bill', id: bill.item.id, number: 'NW-77', amount: 400 }] });
    expect((await b.get(`/api/bills/${bill.item.id}`)).json.response_data).toMatchObject({ amountDue: 0, paymentStatus: 'Paid' });

    const customer = await create(b, 'payments', 'customer', { name: 'Harbor Lights Café', email: 'siobhan@harborlights.example' });
    const invoice = await create(b, 'payments', 'invoice', {
      customer: { id: customer.item.id },
      invoiceNumber: 'INV-9001',
      invoiceDate: '2026-04-01',
      dueDate: '2026-05-01',
      lines: [{ item: 'Radio Spot :30', description: 'Drive time', quantity: 10, price: 85, class: 'Broadcast' }],
    });
    expect(invoice.item).toMatchObject({ amount: 850, lines: [{ amount: 850, quantity: 10 }] });
    const received = await create(b, 'payments', 'payment', { party: { id: customer.item.id }, paymentDate: '2026-04-21', amount: 500, method: 'Credit card', appliedTo: [{ id: invoice.item.id, amount: 500 }] });
    expect(received.item).toMatchObject({ direction: 'Receivable', status: 'Received' });
    expect((await b.get(`/api/invoices/${invoice.item.id}`)).json.response_data).toMatchObject({ amountDue: 350, paymentStatus: 'Partially paid' });
    const memo = await create(b, 'payments', 'creditMemo', { customer: { id: customer.item.id }, creditMemoNumber: 'CM-9001', creditDate: '2026-04-22', amount: 50, description: 'Make-good' });
    expect(memo.item).toMatchObject({ status: 'Open', appliedAmount: 0 });

    // A renamed vendor shows its new name on its bills.
    await update(b, 'payments', 'vendor', vendor.item.id, { name: 'Northwind Couriers LLC' });
    expect((await b.get(`/api/bills/${bill.item.id}`)).json.response_data.vendor.name).toBe('Northwind Couriers LLC');
    // Found again by the id written into it.
    expect((await b.get('/api/bills?externalId=1501')).json.response_data.map((x: any) => x.id)).toEqual([bill.item.id]);
  });

  it('payments: refuses what it cannot take, in its envelope, naming the field', async () => {
    const b = await signedIn('payments');
    const vendorId = hosts.store('payments').vendors[0].id;
    const r = (await create(b, 'payments', 'bill', { vendor: { id: vendorId }, invoiceNumber: 'X', invoiceDate: '2026-04-01', dueDate: '2026-05-01', lines: [{ description: 'x', amount: 1 }] })).reply;
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ response_status: 1, response_message: 'Error', response_data: { error_code: 'BDC_1101', error_message: 'lines[0].account can\'t be blank' } });
    const over = await create(b, 'payments', 'billPayment', { partyId: vendorId, paymentDate: '2026-04-20', amount: 10, method: 'Wire', appliedTo: [{ id: 'nope', amount: 1 }] });
    expect(over.reply.json.error).toBe('method must be one of ACH, Check, Virtual card; appliedTo[0].id must be a Paystream id like "00901000011Z0"');
    const other = hosts.store('payments').bills.find((x) => x.vendor.id !== vendorId && x.amountDue > 0)!;
    const wrong = await create(b, 'payments', 'billPayment', { partyId: vendorId, paymentDate: '2026-04-20', amount: 10, method: 'ACH', appliedTo: [{ id: other.id, amount: 1 }] });
    expect(wrong.reply.json.error).toBe(`appliedTo[0].id is a bill of ${other.vendor.name}, not of ${hosts.store('payments').vendors[0].name}`);
    const unwrapped = await b.writeWithToken(recipe('payments'), 'POST', '/api/vendors', { name: 'No wrapper' });
    expect(unwrapped.reply.json.error).toBe('obj is missing: send the record as {"obj": {…}}');
  });

  it('portal: customers and vendors with their QuickBooks ids, invoices with transactions', async () => {
    const b = await signedIn('portal');
    const set = await update(b, 'portal', 'customer', 1001, { quickbooks_customer_id: '58', synced_at: '2026-04-01T10:00:00Z' });
    expect(set.reply.status).toBe(200);
    expect(set.item).toMatchObject({ id: 1001, quickbooks_customer_id: '58', synced_at: '2026-04-01T10:00:00.000Z' });
    const page = await b.open('/quickbooks/customers?status=synced');
    expect(page.text).toContain('<td class="col-qb-id">58</td>');
    expect((await b.get('/api/customers?quickbooks_customer_id=58')).json.data.map((c: any) => c.id)).toEqual([1001]);
    const made = await create(b, 'portal', 'customer', { name: 'Sunset Yoga Collective', email: 'priya@sunsetyoga.example', country: 'US' });
    expect(made.reply.status).toBe(201);
    expect(made.item).toMatchObject({ status: 'active', quickbooks_customer_id: null });
    const vendor = await create(b, 'portal', 'vendor', { name: 'Figma, Inc.', quickbooks_vendor_id: '77' });
    expect(vendor.item.quickbooks_vendor_id).toBe('77');

    const invoice = await create(b, 'portal', 'invoice', {
      number: '45-PRO2-9',
      client: { id: made.item.id, name: 'ignored' },
      date_from: '2026-03-20',
      date_to: '2026-04-10',
      due_date: dayFromToday(30),
      custom_fields: { CampaignId: 'CMP-7001' },
      transactions: [
        { date: '2026-03-25', description: 'Meta ads', amount: 450 },
        { date: '2026-04-05', description: 'Google Ads search', amount: 325.5 },
      ],
    });
    expect(invoice.reply.status).toBe(201);
    expect(invoice.item).toMatchObject({ amount: 775.5, paid: 0, due: 775.5, status: 'not_paid', client: { id: made.item.id, name: 'Sunset Yoga Collective' } });
    const changed = await update(b, 'portal', 'invoice', invoice.item.id, { transactions: [{ date: '2026-03-25', description: 'Meta ads', amount: 500 }], quickbooks_invoice_id: '1203' });
    expect(changed.item).toMatchObject({ amount: 500, due: 500, quickbooks_invoice_id: '1203', custom_fields: { CampaignId: 'CMP-7001' } });

    const bad = await update(b, 'portal', 'customer', 1001, { quickbooks_customer_id: 'abc', country: 'usa', email: 'not mail', id: 5 });
    expect(bad.reply.status).toBe(422);
    expect(bad.reply.json.errors).toEqual({
      quickbooks_customer_id: ['The quickbooks_customer_id field must be a QuickBooks id (digits, like "58").'],
      country: ['The country field must be a two-letter country code, like "US".'],
      email: ['The email field must be an email address like ap@example.com.'],
    });
    expect(bad.reply.json.message).toBe('The quickbooks_customer_id field must be a QuickBooks id (digits, like "58"). (and 2 more errors)');
  });

  it('crm: creates and updates contacts, and finds them by email or QuickBooks id', async () => {
    const b = await signedIn('crm');
    const made = await create(b, 'crm', 'customer', { firstName: 'Ana', lastName: 'Ruiz', company: 'Ruiz Bakery', email: 'ana@ruizbakery.example', stage: 'Customer', quickbooksCustomerId: '91' });
    expect(made.reply.status).toBe(201);
    expect(made.item).toMatchObject({ id: 2059, owner: 'Dana Whitfield', activity: [], quickbooksCustomerId: '91' });
    const changed = await update(b, 'crm', 'customer', made.item.id, { phone: '(415) 555-0100', tags: ['Client'] });
    expect(changed.item).toMatchObject({ phone: '(415) 555-0100', tags: ['Client'], email: 'ana@ruizbakery.example' });
    expect((await b.get('/api/contacts?quickbooks_customer_id=91')).json.results.map((c: any) => c.id)).toEqual([2059]);
    expect((await b.get('/api/contacts?email=ANA@ruizbakery.example')).json.results.map((c: any) => c.id)).toEqual([2059]);
    const bad = await create(b, 'crm', 'customer', { firstName: '', owner: 'Someone', stage: 'Friend', address: { street: '1 Main' } });
    expect(bad.reply.status).toBe(422);
    expect(bad.reply.json.errors.map((p: any) => p.field)).toEqual(['owner', 'stage', 'address.city', 'address.country']);
  });

  it('erp: changes a purchase order\'s status through the profile\'s update, ignoring the rest of the record', async () => {
    const b = await signedIn('erp');
    const po = (await b.get('/api/purchase-orders/1001')).json;
    const r = await update(b, 'erp', 'purchaseOrder', 1001, { ...po, status: 'Ordered' });
    expect(r.reply.status).toBe(200);
    expect(r.item).toMatchObject({ status: 'Ordered', total: po.total });
    const unknown = await update(b, 'erp', 'purchaseOrder', 1001, { status: 'Received', colour: 'red' });
    expect(unknown.reply.status).toBe(400);
    expect(unknown.reply.json).toEqual({ error: 'colour is not a field this record has', field: 'colour' });
    expect(hosts.store('erp').purchaseOrders[0].status).toBe('Ordered');
  });
});

describe('bodies a client gets wrong', () => {
  /** Bodies no write can take: wrong types everywhere, nesting where there is none, and none where there is. */
  const JUNK: unknown[] = [
    null, [], 'text', 0, true, {}, { id: 1 }, { __proto__: { admin: true } }, JSON.parse('{"__proto__": {"x": 1}}'),
    { lines: 'x', transactions: {}, appliedTo: [null], amount: 1e300, name: ['x'], email: 5, status: {} },
    { lines: [{}], transactions: [{ amount: '1.234' }], appliedTo: [{ id: {}, billId: -1, amount: 0 }] },
    { billNumber: 'x'.repeat(100_000), invoiceNumber: '\u0000', name: '', number: null, firstName: 7, notes: null, quickbooks_customer_id: 12 },
  ];

  it('are refused with a 4xx naming what is wrong, never a 500, and change nothing', async () => {
    for (const app of HOST_APP_IDS) {
      const b = await signedIn(app);
      const before = JSON.stringify(hosts.store(app));
      for (const [name, kind] of Object.entries(apiOf(app).kinds)) {
        const firstId = String(STORE_IDS[app][name]()[0]);
        const writes = [kind.create && { ...kind.create, url: fill(kind.create.url), isUpdate: false }, kind.update && { ...kind.update, url: fill(kind.update.url, firstId), isUpdate: true }].filter((w) => !!w);
        for (const w of writes)
          for (const junk of JUNK)
            for (const body of w.wrap ? [junk, wrapped(w.wrap, junk)] : [junk]) {
              const { reply } = await b.writeWithToken(recipe(app), w.method, w.url, body);
              const said = `${app} ${w.method} ${w.url} ${JSON.stringify(body)?.slice(0, 80)}`;
              // An update with no field to change ({}, or only the id) is taken, and changes nothing.
              const nothing = w.isUpdate && ['{}', '{"id":1}'].includes(JSON.stringify(junk)) && (!w.wrap || body !== junk);
              if (nothing && reply.status === 200) continue;
              expect(reply.status, said).toBeGreaterThanOrEqual(400);
              expect(reply.status, said).toBeLessThan(500);
              expect(JSON.stringify(reply.json ?? {}), said).toMatch(/"error"/);
            }
      }
      expect(JSON.stringify(hosts.store(app)), app).toBe(before);
    }
  }, 60_000);
});

describe('CSRF', () => {
  /** A write per app that needs nothing but a token, and how the app refuses it without one. */
  const WRITES: { app: HostAppId; status: number; words: RegExp; write: (b: HostBrowser, token?: string) => Promise<Reply> }[] = [
    { app: 'media', status: 422, words: /Can't verify CSRF token authenticity/, write: (b, token) => b.write(recipe('media'), 'PATCH', '/api/bills/5001', { bill: { memo: 'x' } }, { token }) },
    { app: 'erp', status: 403, words: /CSRF token/, write: (b, token) => b.write(recipe('erp'), 'POST', '/api/purchase-orders/1001/status', { status: 'Ordered' }, { token }) },
    { app: 'crm', status: 403, words: /CSRF token missing or incorrect/, write: (b, token) => b.write(recipe('crm'), 'PATCH', '/api/contacts/2001', { notes: 'x' }, { token }) },
    { app: 'portal', status: 419, words: /CSRF token mismatch/, write: (b, token) => b.write(recipe('portal'), 'PUT', '/api/customers/1001', { phone: '555' }, { token }) },
    { app: 'payments', status: 403, words: /request token is missing or stale/, write: (b, token) => b.write(recipe('payments'), 'POST', `/api/vendors/${hosts.store('payments').vendors[0].id}`, { obj: { phone: '555' } }, { token }) },
  ];

  it('refuses a write without the token, or with another session\'s, changing nothing', async () => {
    for (const { app, status, words, write } of WRITES) {
      const b = await signedIn(app);
      const other = await signedIn(app);
      const before = JSON.stringify(hosts.store(app));
      for (const token of [undefined, '', 'x'.repeat(32), await other.csrfToken(recipe(app))]) {
        const r = await write(b, token);
        expect(r.status, `${app} ${token}`).toBe(status);
        expect(r.json.error, app).toMatch(words);
      }
      expect(JSON.stringify(hosts.store(app)), app).toBe(before);
      expect((await write(b, await b.csrfToken(recipe(app)))).status, app).toBeLessThan(300);
    }
  });

  it('refuses a stale token after the app renews it, and takes the write once the token is read again', async () => {
    for (const { app, status, write } of WRITES) {
      const b = await signedIn(app);
      const old = await b.csrfToken(recipe(app));
      await fetch(`${hosts.apps[app].localUrl}/api/_csrf/rotate`, { method: 'POST' });
      const stale = await write(b, old);
      expect(stale.status, app).toBe(status);
      const fresh = await b.csrfToken(recipe(app));
      expect(fresh, app).not.toBe(old);
      expect((await write(b, fresh)).status, app).toBeLessThan(300);
    }
  });

  it('portal: the refusal brings the new XSRF-TOKEN cookie, so reading the cookie again is enough', async () => {
    const b = await signedIn('portal');
    const old = b.cookies.get('XSRF-TOKEN');
    hosts.rotateCsrf('portal');
    const { reply, retried, refused } = await b.writeWithToken(recipe('portal'), 'PUT', '/api/customers/1001', { phone: '555' }, { token: old });
    expect(refused?.status).toBe(419);
    expect(retried).toBe(true);
    expect(reply.status).toBe(200);
    expect(b.cookies.get('XSRF-TOKEN')).not.toBe(old);
  });

  it('crm: renews the token every 20 writes', async () => {
    const b = await signedIn('crm');
    const token = await b.csrfToken(recipe('crm'));
    for (let n = 0; n < 20; n++) expect((await b.write(recipe('crm'), 'PATCH', '/api/contacts/2001', { notes: `note ${n}` }, { token })).status).toBe(200);
    expect((await b.write(recipe('crm'), 'PATCH', '/api/contacts/2001', { notes: 'one more' }, { token })).status).toBe(403);
    const { reply, retried } = await b.writeWithToken(recipe('crm'), 'PATCH', '/api/contacts/2001', { notes: 'one more' }, { token });
    expect([reply.status, retried]).toEqual([200, true]);
  });
});

describe('Origin', () => {
  const EXTENSION = 'chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb';

  it('media refuses a write from another origin, the extension\'s included, and takes its own', async () => {
    const b = await signedIn('media');
    const token = await b.csrfToken(recipe('media'));
    const before = JSON.stringify(hosts.store('media'));
    for (const origin of [EXTENSION, `http://evil.localhost:${hosts.apps.media.port}`, 'null']) {
      const r = await b.write(recipe('media'), 'PATCH', '/api/bills/5001', { bill: { memo: 'from elsewhere' } }, { token, origin });
      expect(r.status, origin).toBe(403);
      expect(r.json).toEqual({ error: `Origin checking failed: HTTP Origin header (${origin}) didn't match request.base_url (${b.origin}).`, reason: 'origin' });
    }
    expect(JSON.stringify(hosts.store('media'))).toBe(before);
    expect((await b.write(recipe('media'), 'PATCH', '/api/bills/5001', { bill: { memo: 'from the app' } }, { token })).status).toBe(200);
    // A request without Origin (not sent by browsers for writes) is judged by its token alone, as Rails does.
    expect((await b.write(recipe('media'), 'PATCH', '/api/bills/5001', { bill: { memo: 'no origin' } }, { token, origin: null })).status).toBe(200);
    // Reads from any origin carry the session (the cookie is SameSite=Lax, the read has no Origin check).
    expect((await b.send('/api/bills', { headers: { Origin: EXTENSION } })).status).toBe(200);
  });

  it('payments takes writes from any origin that carries its session and token (the worker\'s)', async () => {
    const b = await signedIn('payments');
    const made = await create(b, 'payments', 'vendor', { name: 'From the worker' }, { origin: EXTENSION });
    expect(made.reply.status).toBe(201);
  });
});

describe('an expired session', () => {
  it('makes the next page of a listing a sign-in answer, never an empty list', async () => {
    for (const app of HOST_APP_IDS) {
      const b = await signedIn(app);
      const [name, kind] = Object.entries(apiOf(app).kinds).find(([n]) => STORE_IDS[app][n]().length > 8)!;
      const small = withPageSize(kind, 4);
      const first = await listAll(b, { ...small, list: { ...small.list, paging: undefined, url: `${kind.list.url}?${small.list.paging!.sizeParam}=4` } });
      expect(first.records, `${app} ${name}`).toHaveLength(4);
      hosts.expireSessions(app);
      await expect(listAll(b, small), app).rejects.toThrow(/without a list/);
      const next = await b.get(`${kind.list.url}?${small.list.paging!.sizeParam}=4&${small.list.paging!.param}=${small.list.paging!.type === 'page' ? 2 : 4}`);
      expectSignedOut(app, next, kind);
    }
  });
});
