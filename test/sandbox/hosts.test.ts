// The five demo host apps over real HTTP, as a signed-in browser: their pages and JSON answer with
// the seeded records, ?rows=N renders exactly N rows on every list, the ERP's status change sticks,
// host strings are escaped, /api/_reset reseeds, ids are strict, and bad requests (malformed,
// oversized or of the wrong type) get 4xx answers without stalling the connection or changing
// anything. Sign-in, CSRF and the APIs' paging and writes are in host-api.test.ts.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMERS, MEDIA_VENDORS, PARTS, SERVICE_VENDORS, SUPPLIERS } from '../../sandbox/qbo/seed-data';
import { contactSummary, CRM_COMPANY_CHANGES, CRM_EMAIL_CHANGES, CRM_HOST_ONLY_CONTACTS } from '../../sandbox/hosts/crm';
import { ERP_HOST_ONLY_PARTS, ERP_HOST_ONLY_SUPPLIERS, ERP_NAME_CHANGES } from '../../sandbox/hosts/erp';
import { escapeHtml } from '../../sandbox/hosts/html';
import { MEDIA_HOST_ONLY_VENDORS, MEDIA_NAME_CHANGES, seedMedia } from '../../sandbox/hosts/media';
import { PAYMENTS_CUSTOMER_NAME_CHANGES, PAYMENTS_HOST_ONLY_CUSTOMERS, PAYMENTS_HOST_ONLY_VENDORS, PAYMENTS_VENDOR_NAME_CHANGES } from '../../sandbox/hosts/payments';
import { PORTAL_CLIENT_EMAIL_CHANGES, PORTAL_CLIENT_NAME_CHANGES, PORTAL_HOST_ONLY_CLIENTS, PORTAL_HOST_ONLY_VENDORS, PORTAL_VENDOR_NAME_CHANGES } from '../../sandbox/hosts/portal';
import { HOST_APP_IDS, startDemoHosts, type DemoHosts, type HostAppId } from '../../sandbox/hosts/server';
import { apiOf, HostBrowser, type SendOptions } from './host-browser';
import { exchange, getRequest, postRequest } from './raw-http';

let hosts: DemoHosts;
/** One signed-in browser per app. */
let browsers: Record<HostAppId, HostBrowser>;

beforeAll(async () => {
  hosts = await startDemoHosts({ basePort: 0 });
  browsers = Object.fromEntries(HOST_APP_IDS.map((id) => [id, new HostBrowser(hosts.apps[id].localUrl)])) as Record<HostAppId, HostBrowser>;
  for (const id of HOST_APP_IDS) await browsers[id].open('/');
});
afterAll(() => hosts.close());
beforeEach(() => hosts.reset());

const get = (app: HostAppId, path: string, opts?: SendOptions) => browsers[app].send(path, opts);
/** This browser's cookies, as a raw request sends them. */
const cookieLine = (app: HostAppId) => `Cookie: ${[...browsers[app].cookies].map(([k, v]) => `${k}=${v}`).join('; ')}\r\n`;
/** A request that sends `body` as it is, with the app's CSRF token. */
async function sendRaw(app: HostAppId, path: string, body: string, contentType?: string) {
  const recipe = apiOf(app).csrf!;
  const token = await browsers[app].csrfToken(recipe);
  return get(app, path, { method: 'POST', body, headers: { [recipe.header]: token, ...(contentType ? { 'Content-Type': contentType } : {}) } });
}

/** A GET that really sends `host` as the Host header (fetch replaces a caller's Host with the URL's). */
function getWithHost(app: HostAppId, path: string, host: string) {
  return new Promise<{ status: number; text: string; sentHost: unknown }>((resolve, reject) => {
    const cookie = [...browsers[app].cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const req = request(`${hosts.apps[app].localUrl}${path}`, { headers: { Host: host, Cookie: cookie } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentHost: req.getHeader('host') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A JSON write with the app's CSRF token (read again when refused), from the app's own origin. */
const post = async (app: HostAppId, path: string, body: unknown) => (await browsers[app].writeWithToken(apiOf(app).csrf!, 'POST', path, body)).reply;

/** Rows of a list page, counted by the class every row of that list carries. */
const countRows = (html: string, rowClass: string) => html.split(`class="${rowClass}"`).length - 1;
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));

/** Every list page, the class its rows carry, and the store list it shows. */
const LIST_PAGES: { app: HostAppId; path: string; rowClass: string; count: () => number }[] = [
  { app: 'media', path: '/vendors', rowClass: 'grid-row vendor-row', count: () => hosts.store('media').vendors.length },
  { app: 'media', path: '/orders', rowClass: 'grid-row order-row', count: () => hosts.store('media').orders.length },
  { app: 'media', path: '/bills', rowClass: 'grid-row bill-row', count: () => hosts.store('media').bills.length },
  { app: 'media', path: '/payments', rowClass: 'grid-row payment-row', count: () => hosts.store('media').payments.length },
  { app: 'erp', path: '/parts', rowClass: 'part-row', count: () => hosts.store('erp').parts.length },
  { app: 'erp', path: '/purchase-orders', rowClass: 'po-row', count: () => hosts.store('erp').purchaseOrders.length },
  { app: 'erp', path: '/suppliers', rowClass: 'supplier-row', count: () => hosts.store('erp').suppliers.length },
  { app: 'erp', path: '/settings/attributes', rowClass: 'attribute-row', count: () => hosts.store('erp').attributes.length },
  { app: 'portal', path: '/quickbooks/customers', rowClass: 'b360-row customer-row', count: () => hosts.store('portal').clients.length },
  { app: 'portal', path: '/quickbooks/vendors', rowClass: 'b360-row vendor-row', count: () => hosts.store('portal').vendors.length },
  { app: 'portal', path: '/quickbooks/invoices', rowClass: 'b360-row invoice-row', count: () => hosts.store('portal').invoices.length },
  { app: 'payments', path: '/bills', rowClass: 'ps-row bill-row', count: () => hosts.store('payments').bills.length },
  { app: 'payments', path: '/invoices', rowClass: 'ps-row invoice-row', count: () => hosts.store('payments').invoices.length },
  { app: 'payments', path: '/payments', rowClass: 'ps-row payment-row', count: () => hosts.store('payments').payments.length },
  { app: 'payments', path: '/credit-memos', rowClass: 'ps-row credit-memo-row', count: () => hosts.store('payments').creditMemos.length },
];

/** Every list endpoint and where its answer keeps the records. */
const LIST_APIS: { app: HostAppId; path: string; rows: (json: any) => unknown[] }[] = [
  ...['/api/vendors', '/api/orders', '/api/bills', '/api/payments'].map((path) => ({ app: 'media' as const, path, rows: (j: any) => j.data })),
  ...['/api/parts', '/api/suppliers', '/api/attributes', '/api/purchase-orders'].map((path) => ({ app: 'erp' as const, path, rows: (j: any) => j.items })),
  { app: 'crm', path: '/api/contacts', rows: (j: any) => j.results },
  ...['/api/customers', '/api/vendors', '/api/invoices'].map((path) => ({ app: 'portal' as const, path, rows: (j: any) => j.data })),
  // (/api/sent-payments and /api/received-payments take ?rows= for all payments, then keep one direction.)
  ...['/api/bills', '/api/invoices', '/api/payments', '/api/credit-memos', '/api/vendors', '/api/customers'].map((path) => ({ app: 'payments' as const, path, rows: (j: any) => j.response_data })),
];

describe('servers', () => {
  it('runs each app on its own port and its own *.localhost site', () => {
    const ports = new Set(HOST_APP_IDS.map((id) => hosts.apps[id].port));
    expect(ports.size).toBe(5);
    for (const id of HOST_APP_IDS) {
      expect(hosts.apps[id].url).toBe(`http://${id}.localhost:${hosts.apps[id].port}`);
      expect(hosts.apps[id].name).toBeTruthy();
    }
  });

  it('answers the same whatever Host header the browser sends', async () => {
    const a = await get('media', '/vendors');
    const b = await getWithHost('media', '/vendors', 'media.localhost:4101');
    expect(b.sentHost).toBe('media.localhost:4101');
    expect(b.status).toBe(200);
    expect(b.text).toBe(a.text);
  });

  it('serves a home page with the app frame and links to its lists', async () => {
    const links: Record<HostAppId, string[]> = {
      media: ['/vendors', '/orders', '/bills', '/payments'],
      erp: ['/purchase-orders', '/parts', '/suppliers'],
      crm: ['/contacts'],
      portal: ['/quickbooks'],
      payments: ['/bills', '/invoices', '/payments', '/credit-memos'],
    };
    for (const id of HOST_APP_IDS) {
      const r = await get(id, '/');
      expect(r.status, id).toBe(200);
      expect(r.text).toContain('class="app-header"');
      for (const href of links[id]) expect(r.text, `${id} links ${href}`).toContain(`href="${href}"`);
      const css = await get(id, '/assets/app.css');
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toContain('text/css');
    }
  });
});

describe('list pages and JSON', () => {
  it('render one row per seeded record', async () => {
    for (const list of LIST_PAGES) {
      const r = await get(list.app, list.path);
      expect(r.status, `${list.app}${list.path}`).toBe(200);
      expect(countRows(r.text, list.rowClass), `${list.app}${list.path}`).toBe(list.count());
    }
  });

  it('render exactly N rows with ?rows=N, up to 20000', async () => {
    for (const list of LIST_PAGES) {
      const r = await get(list.app, `${list.path}?rows=5000`);
      expect(countRows(r.text, list.rowClass), `${list.app}${list.path}?rows=5000`).toBe(5000);
    }
    const few = await get('media', '/vendors?rows=3');
    expect(countRows(few.text, 'grid-row vendor-row')).toBe(3);
    for (const list of LIST_APIS) expect(list.rows((await get(list.app, `${list.path}?rows=7`)).json), `${list.app}${list.path}?rows=7`).toHaveLength(7);
    const capped = await get('erp', '/api/parts?rows=50000&offset=19900&limit=500');
    expect(capped.json.total).toBe(20_000);
    expect(capped.json.items).toHaveLength(100);
    expect(capped.json.items[99].id).toBe(hosts.store('erp').parts[0].id + 19_999);
  }, 60_000);

  it('link synthetic rows to detail pages that exist', async () => {
    const r = await get('media', '/api/vendors?rows=100&per_page=100');
    const last = r.json.data[99];
    expect((await get('media', `/vendors/${last.id}`)).text).toContain(escapeHtml(last.name));
    const bill = (await get('payments', '/api/bills?rows=300&max=300')).json.response_data[299];
    expect((await get('payments', `/bills/${bill.id}`)).status).toBe(200);
  });

  it('media: JSON endpoints return the seeded records, detail pages show them', async () => {
    const store = hosts.store('media');
    expect((await get('media', '/api/vendors?per_page=100')).json).toEqual({ data: asJson(store.vendors), meta: { total: store.vendors.length, page: 1, per_page: 100, total_pages: 1 } });
    expect((await get('media', '/api/orders?per_page=100')).json.data).toEqual(asJson(store.orders));
    expect((await get('media', '/api/bills?per_page=100')).json.data).toEqual(asJson(store.bills));
    expect((await get('media', '/api/payments?per_page=100')).json.data).toEqual(asJson(store.payments));
    const v = store.vendors[0];
    const page = await get('media', `/vendors/${v.id}`);
    expect(page.text).toContain(`<h1 class="record-title vendor-title">${escapeHtml(v.name)}</h1>`);
    const bill = store.bills.find((b) => b.lines.length > 1)!;
    const billPage = await get('media', `/bills/${bill.id}`);
    expect(countRows(billPage.text, 'bill-line')).toBe(bill.lines.length);
    expect(store.bills.some((b) => b.status === 'Paid') && store.bills.some((b) => b.status === 'Open')).toBe(true);
  });

  it('media: search and status filters narrow the list', async () => {
    const r = await get('media', '/vendors?q=wxyz');
    expect(countRows(r.text, 'grid-row vendor-row')).toBe(1);
    const inactive = await get('media', '/vendors?status=Inactive');
    expect(countRows(inactive.text, 'grid-row vendor-row')).toBe(hosts.store('media').vendors.filter((v) => v.status === 'Inactive').length);
  });

  it('erp: parts, suppliers and purchase orders come back as seeded, with exact attribute names', async () => {
    const store = hosts.store('erp');
    expect((await get('erp', '/api/parts')).json).toEqual({ items: asJson(store.parts), total: store.parts.length, offset: 0, limit: 50 });
    expect((await get('erp', '/api/suppliers')).json.items).toEqual(asJson(store.suppliers));
    expect((await get('erp', '/api/purchase-orders')).json.items).toEqual(asJson(store.purchaseOrders));
    const po = store.purchaseOrders.find((p) => p.lines.some((l) => l.attributes['Expense Account']))!;
    expect((await get('erp', `/api/purchase-orders/${po.id}`)).json).toEqual(asJson(po));
    const page = await get('erp', `/purchase-orders/${po.id}`);
    expect(page.text).toContain('<th class="attr-col">Class</th>');
    expect(page.text).toContain('<th class="attr-col">Expense Account</th>');
    expect(countRows(page.text, 'po-line')).toBe(po.lines.length);
    expect(countRows(page.text, 'po-fee')).toBe(po.fees.length);
    const attrs = (await get('erp', '/api/attributes')).json.items;
    expect(attrs.filter((a: { type: string }) => a.type === 'select').map((a: { name: string }) => a.name)).toEqual(['Class', 'Expense Account']);
    expect(store.purchaseOrders.some((p) => p.currency !== 'USD')).toBe(true);
    for (const p of store.purchaseOrders) expect(p.total).toBeCloseTo(p.lines.reduce((s, l) => s + l.totalCost, 0) + p.fees.reduce((s, f) => s + f.value, 0), 2);
  });

  it('crm: the list and Contact Dashboards come from the JSON API, rendered by the served script', async () => {
    const store = hosts.store('crm');
    for (const path of ['/', '/contacts', `/contacts/${store.contacts[3].id}`]) {
      const r = await get('crm', path);
      expect(r.status, path).toBe(200);
      expect(r.text).toContain('<div id="app" class="cd-app">');
      expect(r.text).toContain('<script type="module" src="/assets/crm.js"></script>');
    }
    const script = await get('crm', '/assets/crm.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(script.text).toContain('history.pushState');
    expect(script.text).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML/);
    expect((await get('crm', '/api/contacts')).json).toEqual({ results: asJson(store.contacts.map(contactSummary)) });
    const c = store.contacts.find((x) => x.activity.length > 2)!;
    expect((await get('crm', `/api/contacts/${c.id}`)).json).toEqual(asJson(c));
    expect((await get('crm', '/api/contacts?q=bayside')).json.results.length).toBe(2);
  });

  it('portal: tabs with filters and an Actions column, invoices with every status', async () => {
    const store = hosts.store('portal');
    expect((await get('portal', '/api/customers?per_page=100')).json).toMatchObject({ data: asJson(store.clients), total: store.clients.length, current_page: 1, last_page: 1 });
    expect((await get('portal', '/api/vendors?per_page=100')).json.data).toEqual(asJson(store.vendors));
    expect((await get('portal', '/api/invoices?per_page=100')).json.data).toEqual(asJson(store.invoices));
    expect(new Set(store.invoices.map((i) => i.status))).toEqual(new Set(['paid', 'not_paid', 'overdue', 'partially_paid']));
    const customers = await get('portal', '/quickbooks/customers');
    expect(customers.text).toContain('<th class="col-actions">Actions</th>');
    expect(countRows(customers.text, 'col-actions')).toBe(store.clients.length + 1);
    const byName = await get('portal', '/quickbooks/customers?client=bayside');
    expect(countRows(byName.text, 'b360-row customer-row')).toBe(1);
    const byId = await get('portal', `/quickbooks/customers?client=${store.clients[5].id}`);
    expect(byId.text).toContain(escapeHtml(store.clients[5].name));
    const byEmail = await get('portal', '/quickbooks/vendors?email=adobe.com');
    expect(countRows(byEmail.text, 'b360-row vendor-row')).toBe(1);
    const synced = await get('portal', '/quickbooks/customers?status=synced');
    expect(countRows(synced.text, 'b360-row customer-row')).toBe(0);
    const partial = await get('portal', '/quickbooks/invoices?invoice_status=partially_paid');
    expect(countRows(partial.text, 'b360-row invoice-row')).toBe(store.invoices.filter((i) => i.status === 'partially_paid').length);
    const inv = store.invoices[0];
    const detail = await get('portal', `/invoices/${inv.id}`);
    expect(countRows(detail.text, 'b360-row transaction-row')).toBe(inv.transactions.length);
    expect((await get('portal', '/quickbooks')).headers.get('location')).toBe('/quickbooks/customers');
  });

  it('payments: bills, invoices, payments and credit memos in the Bill.com envelope, with detail pages', async () => {
    const store = hosts.store('payments');
    for (const [path, rows] of [['/api/bills', store.bills], ['/api/invoices', store.invoices], ['/api/payments', store.payments], ['/api/credit-memos', store.creditMemos]] as const)
      expect((await get('payments', path)).json, path).toEqual({ response_status: 0, response_message: 'Success', response_data: asJson(rows) });
    for (const list of [store.bills, store.invoices])
      expect(new Set(list.map((x) => x.paymentStatus))).toEqual(new Set(['Unpaid', 'Partially paid', 'Paid']));
    const bill = store.bills[0];
    const page = await get('payments', `/bills/${bill.id}`);
    expect(page.status).toBe(200);
    expect(countRows(page.text, 'ps-line bill-line')).toBe(bill.lines.length);
    const inv = store.invoices[0];
    expect(countRows((await get('payments', `/invoices/${inv.id}`)).text, 'ps-line invoice-line')).toBe(inv.lines.length);
    const unpaid = await get('payments', '/bills?status=Unpaid');
    expect(countRows(unpaid.text, 'ps-row bill-row')).toBe(store.bills.filter((b) => b.paymentStatus === 'Unpaid').length);
  });
});

describe('ERP purchase order status', () => {
  it('changes through the JSON API and shows in the JSON and the page', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    const r = await post('erp', `/api/purchase-orders/${draft.id}/status`, { status: 'Ordered' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: draft.id, status: 'Ordered' });
    expect(r.json.orderedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await get('erp', `/api/purchase-orders/${draft.id}`)).json.status).toBe('Ordered');
    const listed = (await get('erp', '/api/purchase-orders')).json.items.find((p: { id: number }) => p.id === draft.id);
    expect(listed.status).toBe('Ordered');
    expect((await get('erp', `/purchase-orders/${draft.id}`)).text).toContain('<dd class="po-status">Ordered</dd>');
  });

  it('changes through the page form and redirects back to the purchase order', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    const page = await get('erp', `/purchase-orders/${draft.id}`);
    expect(page.text).toContain(`<form class="po-order-form" method="post" action="/purchase-orders/${draft.id}/status">`);
    const token = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(page.text)![1];
    const r = await get('erp', `/purchase-orders/${draft.id}/status`, { form: { _csrf: token, status: 'Ordered' } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/purchase-orders/${draft.id}?updated=1`);
    expect(hosts.store('erp').purchaseOrders.find((p) => p.id === draft.id)!.status).toBe('Ordered');
  });

  it('refuses unknown statuses and moves the workflow does not allow, changing nothing', async () => {
    const store = hosts.store('erp');
    const draft = store.purchaseOrders.find((p) => p.status === 'Draft')!;
    const received = store.purchaseOrders.find((p) => p.status === 'Received')!;
    const bad = await post('erp', `/api/purchase-orders/${draft.id}/status`, { status: 'ordered' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('Draft, Ordered, Received, Cancelled');
    const refused = await post('erp', `/api/purchase-orders/${received.id}/status`, { status: 'Draft' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatch(/Received purchase order can't be set to Draft/);
    expect((await post('erp', '/api/purchase-orders/999/status', { status: 'Ordered' })).status).toBe(404);
    expect(draft.status).toBe('Draft');
    expect(received.status).toBe('Received');
  });
});

describe('host strings', () => {
  const HOSTILE = /<img src=x|<script>alert|<svg onload|<b>bold|<b>RUSH|<Alloys>|<Shop>|<Late Show>|<shielded>/;

  it('are escaped on every page that shows them', async () => {
    const pages: [HostAppId, string][] = [
      ...LIST_PAGES.map((l) => [l.app, l.path] as [HostAppId, string]),
      ['media', '/'],
      ['media', `/vendors/${hosts.store('media').vendors.find((v) => v.name.startsWith('<img'))!.id}`],
      ['media', `/bills/${hosts.store('media').bills.find((b) => b.memo)!.id}`],
      ['erp', `/purchase-orders/${hosts.store('erp').purchaseOrders.find((p) => p.supplierName.startsWith('Ace'))!.id}`],
    ];
    for (const [app, path] of pages) {
      const r = await get(app, path);
      expect(r.text, `${app}${path}`).not.toMatch(HOSTILE);
    }
    expect((await get('media', '/vendors')).text).toContain('&lt;img src=x onerror=alert(1)&gt; Media');
    expect((await get('media', '/vendors')).text).toContain('O&#39;Neil &amp; &quot;Sons&quot; Billboards');
    expect((await get('erp', '/suppliers')).text).toContain('Ace &quot;Heavy&quot; Metals &amp; &lt;Alloys&gt;');
    expect((await get('portal', '/quickbooks/customers')).text).toContain('&quot;Buyer&#39;s&quot; Club &amp; Co &lt;b&gt;bold&lt;/b&gt;');
    expect((await get('payments', '/bills')).text).toContain('&lt;svg onload=alert(1)&gt; Signs');
  });

  it('reach the JSON APIs unchanged, for the extension to render as text', async () => {
    const contacts = (await get('crm', '/api/contacts')).json.results as { company: string | null }[];
    expect(contacts.some((c) => c.company === '<script>alert("crm")</script> Holdings')).toBe(true);
    const vendors = (await get('media', '/api/vendors?per_page=100')).json.data as { name: string }[];
    expect(vendors.some((v) => v.name === '📻 Sunrise Radio Network')).toBe(true);
    expect(vendors.some((v) => v.name.length > 120)).toBe(true);
  });

  it('escape what the request itself carries', async () => {
    const r = await get('media', '/vendors?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&rows=3');
    expect(r.text).not.toContain('<script>alert(1)');
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const badRows = await get('media', '/vendors?rows=%22%3E%3Cb%3E');
    expect(badRows.status).toBe(400);
    expect(badRows.text).not.toContain('"><b>');
    expect(badRows.text).toContain('&quot;&gt;&lt;b&gt;');
    const missing = await get('portal', '/%3Cimg%20src=x%3E');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('<img src=x>');
  });
});

describe('host records against QBO', () => {
  const qboVendorNames = new Set([...MEDIA_VENDORS, ...SUPPLIERS, ...SERVICE_VENDORS].map((v) => v.name));
  const qboCustomerNames = new Set(CUSTOMERS.map((c) => c.name));

  it('are the QBO names, a documented respelling, or documented host-only records', () => {
    const check = (hostNames: string[], changes: Record<string, string>, hostOnly: string[], qbo: Set<string>) => {
      for (const from of Object.keys(changes)) expect(qbo.has(from), `${from} is a QBO name`).toBe(true);
      const respelled = new Set(Object.values(changes));
      let identical = 0;
      for (const name of hostNames) {
        if (qbo.has(name)) identical++;
        else expect(respelled.has(name) || hostOnly.includes(name), name).toBe(true);
      }
      // Most records match QBO exactly; only some are spelled differently.
      expect(identical).toBeGreaterThan(respelled.size);
      for (const name of respelled) expect(hostNames, name).toContain(name);
    };
    check(hosts.store('media').vendors.map((v) => v.name), MEDIA_NAME_CHANGES, MEDIA_HOST_ONLY_VENDORS.map((v) => v.name), qboVendorNames);
    check(hosts.store('erp').suppliers.map((s) => s.name), ERP_NAME_CHANGES, ERP_HOST_ONLY_SUPPLIERS.map((s) => s.name), qboVendorNames);
    check(hosts.store('portal').clients.map((c) => c.name), PORTAL_CLIENT_NAME_CHANGES, PORTAL_HOST_ONLY_CLIENTS.map((c) => c.name), qboCustomerNames);
    check(hosts.store('portal').vendors.map((v) => v.name), PORTAL_VENDOR_NAME_CHANGES, PORTAL_HOST_ONLY_VENDORS.map((v) => v.name), qboVendorNames);
    check(hosts.store('payments').vendors.map((v) => v.name), PAYMENTS_VENDOR_NAME_CHANGES, PAYMENTS_HOST_ONLY_VENDORS.map((v) => v.name), qboVendorNames);
    check(hosts.store('payments').customers.map((c) => c.name), PAYMENTS_CUSTOMER_NAME_CHANGES, PAYMENTS_HOST_ONLY_CUSTOMERS.map((c) => c.name), qboCustomerNames);
  });

  it('give portal clients the QBO customer emails, but for the documented changes', () => {
    for (const from of Object.keys(PORTAL_CLIENT_EMAIL_CHANGES)) expect(qboCustomerNames.has(from), `${from} is a QBO name`).toBe(true);
    const qboEmails = new Set(CUSTOMERS.map((c) => c.email));
    const hostOnly = new Set(PORTAL_HOST_ONLY_CLIENTS.map((c) => c.name));
    const fromQbo = hosts.store('portal').clients.filter((c) => !hostOnly.has(c.name));
    const same = fromQbo.filter((c) => c.email && qboEmails.has(c.email)).length;
    expect(same).toBe(fromQbo.length - Object.keys(PORTAL_CLIENT_EMAIL_CHANGES).length);
    for (const [from, email] of Object.entries(PORTAL_CLIENT_EMAIL_CHANGES)) {
      const name = PORTAL_CLIENT_NAME_CHANGES[from] ?? from;
      expect(fromQbo.find((c) => c.name === name)?.email, from).toBe(email);
    }
  });

  it('give ERP parts QBO item names "<part> Rev <revision>", plus revisions QBO lacks', () => {
    const qboItems = new Set(PARTS.map((p) => `${p.part} Rev ${p.revision}`));
    const names = hosts.store('erp').parts.map((p) => `${p.partNumber} Rev ${p.revision}`);
    expect(names.filter((n) => qboItems.has(n))).toHaveLength(PARTS.length);
    expect(names.filter((n) => !qboItems.has(n))).toEqual(ERP_HOST_ONLY_PARTS.map((p) => `${p.partNumber} Rev ${p.revision}`));
  });

  it('give CRM contacts mostly the QBO customer emails', () => {
    const qboEmails = new Set(CUSTOMERS.map((c) => c.email));
    const contacts = hosts.store('crm').contacts;
    const same = contacts.filter((c) => c.email && qboEmails.has(c.email)).length;
    expect(same).toBe(CUSTOMERS.length - Object.keys(CRM_EMAIL_CHANGES).length);
    expect(contacts.length).toBe(CUSTOMERS.length + CRM_HOST_ONLY_CONTACTS.length);
    for (const company of Object.values(CRM_COMPANY_CHANGES)) expect(contacts.some((c) => c.company === company), company).toBe(true);
  });

  it('are the same on every start', () => {
    expect(seedMedia()).toEqual(seedMedia());
  });
});

describe('reset and bad requests', () => {
  it('POST /api/_reset reseeds the app', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    await post('erp', `/api/purchase-orders/${draft.id}/status`, { status: 'Ordered' });
    const before = hosts.store('erp');
    const r = await post('erp', '/api/_reset', {});
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    expect(hosts.store('erp')).not.toBe(before);
    expect((await get('erp', `/api/purchase-orders/${draft.id}`)).json.status).toBe('Draft');
    for (const id of HOST_APP_IDS) expect((await post(id, '/api/_reset', {})).status, id).toBe(200);
  });

  it('answers unknown paths and records with 404, never crashing', async () => {
    for (const id of HOST_APP_IDS) {
      const page = await get(id, '/no/such/page');
      expect(page.status, id).toBe(404);
      expect(page.headers.get('content-type')).toContain('text/html');
      const api = await get(id, '/api/no-such-thing');
      expect(api.status, id).toBe(404);
      expect(api.json.error).toBeTruthy();
    }
    expect((await get('media', '/vendors/99999999')).status).toBe(404);
    expect((await get('media', '/vendors/abc')).status).toBe(404);
    expect((await get('media', '/bills/%E0%A4%A')).status).toBe(404);
    expect((await get('erp', '/purchase-orders/1.5')).status).toBe(404);
    expect((await get('crm', '/contacts/1')).status).toBe(404);
    expect((await get('crm', '/api/contacts/1')).status).toBe(404);
    expect((await get('portal', '/invoices/0')).status).toBe(404);
    expect((await get('payments', '/bills/not-an-id')).status).toBe(404);
    expect((await get('payments', '/api/invoices/00e01ZZZZZZZZ')).status).toBe(404);
  });

  it('refuses malformed bodies and wrong methods with 4xx', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    const broken = await sendRaw('erp', `/api/purchase-orders/${draft.id}/status`, '{"status":', 'application/json');
    expect(broken.status).toBe(400);
    expect((await post('erp', `/api/purchase-orders/${draft.id}/status`, ['Ordered'])).status).toBe(400);
    const wrong = await get('media', '/api/vendors', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect((await get('erp', '/api/_reset')).status).toBe(404);
    expect(draft.status).toBe('Draft');
    expect((await get('erp', '/')).status).toBe(200);
  });
});

describe('strict ids', () => {
  /** Spellings of id n that Number() reads as n, but that are not n's id. */
  const lookalikes = (n: number) => [`${n}.0`, `0x${n.toString(16)}`, `0${n}`, `+${n}`, `${n / 1000}e3`, `%20${n}`, `${n}%20`, `${n}.`, `${n}%00`];

  it('find a record by its canonical id only', async () => {
    const media = hosts.store('media');
    const erp = hosts.store('erp');
    const crm = hosts.store('crm');
    const portal = hosts.store('portal');
    const routes: [HostAppId, string, number][] = [
      ['media', '/vendors/', media.vendors[0].id],
      ['media', '/api/vendors/', media.vendors[0].id],
      ['media', '/bills/', media.bills[0].id],
      ['media', '/api/bills/', media.bills[0].id],
      ['erp', '/purchase-orders/', erp.purchaseOrders[0].id],
      ['erp', '/api/purchase-orders/', erp.purchaseOrders[0].id],
      ['crm', '/contacts/', crm.contacts[0].id],
      ['crm', '/api/contacts/', crm.contacts[0].id],
      ['portal', '/invoices/', portal.invoices[0].id],
      ['portal', '/api/invoices/', portal.invoices[0].id],
    ];
    for (const [app, prefix, id] of routes) {
      expect((await get(app, `${prefix}${id}`)).status, `${app}${prefix}${id}`).toBe(200);
      for (const spelling of lookalikes(id)) expect((await get(app, `${prefix}${spelling}`)).status, `${app}${prefix}${spelling}`).toBe(404);
    }
    // Synthetic ?rows= records are strict too.
    expect((await get('media', '/vendors/1500')).status).toBe(200);
    expect((await get('media', '/vendors/1500.0')).status).toBe(404);
    // Paystream's string ids: exact, case included.
    const bill = hosts.store('payments').bills[0];
    expect((await get('payments', `/api/bills/${bill.id}`)).status).toBe(200);
    for (const spelling of [bill.id.toLowerCase(), `${bill.id}%20`, ` ${bill.id}`, `${bill.id}0`]) expect((await get('payments', `/api/bills/${spelling}`)).status, spelling).toBe(404);
  });

  it('change nothing through a lookalike id', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    for (const spelling of lookalikes(draft.id)) {
      expect((await post('erp', `/api/purchase-orders/${spelling}/status`, { status: 'Ordered' })).status, spelling).toBe(404);
      const form = await get('erp', `/purchase-orders/${spelling}/status`, { form: { _csrf: await browsers.erp.csrfToken(apiOf('erp').csrf!), status: 'Ordered' } });
      expect(form.status, spelling).toBe(404);
    }
    expect(draft.status).toBe('Draft');
  });
});

describe('bodies and parameters a client gets wrong', () => {
  const port = (app: HostAppId) => hosts.apps[app].port;
  const MB = 1024 * 1024;

  it('refuse a body over 1 MB whole, and the connection serves the next request', async () => {
    for (const id of HOST_APP_IDS) {
      const r = await exchange(port(id), [...postRequest('/api/_reset', 2 * MB), getRequest('/api/no-such-thing')], 2);
      expect(r.responses.map((x) => x.status), id).toEqual([413, 404]);
      expect(JSON.parse(r.responses[0].body), id).toEqual({ error: 'The request body is larger than 1 MB.' });
      expect(r.ended, id).toBe('open');
    }
    const chunked = await exchange(port('erp'), [...postRequest('/api/_reset', 3 * MB, { chunked: true }), getRequest('/api/parts', cookieLine('erp'))], 2);
    expect(chunked.responses.map((x) => x.status)).toEqual([413, 200]);
  });

  it('apply nothing of a refused body, even when it starts with a valid change', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    const body = Buffer.from(`{"status":"Ordered","padding":"${'x'.repeat(2 * MB)}"}`);
    const head = Buffer.from(`POST /api/purchase-orders/${draft.id}/status HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    const r = await exchange(port('erp'), [head, body, getRequest(`/api/purchase-orders/${draft.id}`, cookieLine('erp'))], 2);
    expect(r.responses.map((x) => x.status)).toEqual([413, 200]);
    expect(JSON.parse(r.responses[1].body).status).toBe('Draft');
    // A page's form post gets the refusal as a page in the app's frame.
    const page = await exchange(port('erp'), postRequest(`/purchase-orders/${draft.id}/status`, 2 * MB, { contentType: 'application/x-www-form-urlencoded' }), 1);
    expect(page.responses[0].status).toBe(413);
    expect(page.responses[0].headers['content-type']).toContain('text/html');
    expect(page.responses[0].body).toContain('class="app-header"');
    expect(draft.status).toBe('Draft');
  });

  it('answer a body too long to be worth reading, then close the connection instead of hanging', async () => {
    for (const id of HOST_APP_IDS) {
      const r = await exchange(port(id), [postRequest('/api/_reset', 200 * MB)[0], Buffer.alloc(2 * MB, 'x')], 1, { awaitClose: true });
      expect(r.responses.map((x) => x.status), id).toEqual([413]);
      expect(r.ended, id).toBe('closed');
    }
    const chunked = await exchange(port('media'), postRequest('/api/_reset', 10 * MB, { chunked: true }), 1, { awaitClose: true });
    expect(chunked.responses.map((x) => x.status)).toEqual([413]);
    expect(chunked.ended).toBe('closed');
    // A GET carrying a body it has no use for: dropped, within the same bounds.
    const get = await exchange(port('media'), [Buffer.from(`GET /api/vendors HTTP/1.1\r\nHost: test\r\n${cookieLine('media')}Content-Length: 300000\r\n\r\n`), Buffer.alloc(300_000, 'x'), getRequest('/api/orders', cookieLine('media'))], 2);
    expect(get.responses.map((x) => x.status)).toEqual([200, 200]);
  });

  it('refuse bodies that are neither JSON nor a form with 415, changing nothing', async () => {
    const draft = hosts.store('erp').purchaseOrders.find((p) => p.status === 'Draft')!;
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const r = await sendRaw('erp', `/api/purchase-orders/${draft.id}/status`, '{"status":"Ordered"}', type);
      expect(r.status, type).toBe(415);
      expect(r.json.error).toMatch(/JSON .* or as a form/);
    }
    const untyped = await exchange(port('erp'), [Buffer.from(`POST /api/purchase-orders/${draft.id}/status HTTP/1.1\r\nHost: test\r\nContent-Length: 20\r\n\r\n{"status":"Ordered"}`)], 1);
    expect(untyped.responses[0].status).toBe(415);
    expect(draft.status).toBe('Draft');
    expect((await post('erp', `/api/purchase-orders/${draft.id}/status`, { status: 'Ordered' })).status).toBe(200);
  });

  it('refuse a ?rows= that is not a whole number with 400, on pages and in the JSON', async () => {
    for (const rows of ['abc', '5.5', '1e3', '0x10', '-1', '+5', ' 5']) {
      const api = await get('media', `/api/vendors?rows=${encodeURIComponent(rows)}`);
      expect(api.status, rows).toBe(400);
      expect(api.json.error).toMatch(/rows must be a whole number from 0 to 20000/);
      const page = await get('portal', `/quickbooks/invoices?rows=${encodeURIComponent(rows)}`);
      expect(page.status, rows).toBe(400);
      expect(page.text).toContain('class="app-header"');
    }
    expect((await get('crm', '/contacts?rows=1e3')).status).toBe(400);
    expect((await get('crm', '/api/contacts?rows=12')).json.results).toHaveLength(12);
    // Empty means "not given", as a form with an empty field sends it.
    expect((await get('media', '/api/vendors?rows=&per_page=100')).json.data).toHaveLength(hosts.store('media').vendors.length);
  });

  it('answer a request target that is not a path with 400', async () => {
    const r = await exchange(port('media'), [Buffer.from('GET http://[bad/vendors HTTP/1.1\r\nHost: test\r\n\r\n'), getRequest('/api/orders', cookieLine('media'))], 2);
    expect(r.responses.map((x) => x.status)).toEqual([400, 200]);
  });
});
