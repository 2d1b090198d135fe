// The five demo host apps over real HTTP: their pages and JSON answer with the seeded records,
// ?rows=N renders exactly N rows, the ERP's status change sticks, host strings are escaped,
// /api/_reset reseeds, and bad requests get 4xx answers instead of crashing the server.
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
import { readReply } from './harness';

let hosts: DemoHosts;

beforeAll(async () => {
  hosts = await startDemoHosts({ basePort: 0 });
});
afterAll(() => hosts.close());
beforeEach(() => hosts.reset());

async function get(app: HostAppId, path: string, init?: RequestInit) {
  return readReply(await fetch(`${hosts.apps[app].localUrl}${path}`, { redirect: 'manual', ...init }));
}

/** A GET that really sends `host` as the Host header (fetch replaces a caller's Host with the URL's). */
function getWithHost(app: HostAppId, path: string, host: string) {
  return new Promise<{ status: number; text: string; sentHost: unknown }>((resolve, reject) => {
    const req = request(`${hosts.apps[app].localUrl}${path}`, { headers: { Host: host } }, (res) => {
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

const post = (app: HostAppId, path: string, body: unknown) =>
  get(app, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

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
  { app: 'portal', path: '/quickbooks/customers', rowClass: 'b360-row customer-row', count: () => hosts.store('portal').clients.length },
  { app: 'portal', path: '/quickbooks/vendors', rowClass: 'b360-row vendor-row', count: () => hosts.store('portal').vendors.length },
  { app: 'portal', path: '/quickbooks/invoices', rowClass: 'b360-row invoice-row', count: () => hosts.store('portal').invoices.length },
  { app: 'payments', path: '/bills', rowClass: 'ps-row bill-row', count: () => hosts.store('payments').bills.length },
  { app: 'payments', path: '/invoices', rowClass: 'ps-row invoice-row', count: () => hosts.store('payments').invoices.length },
  { app: 'payments', path: '/payments', rowClass: 'ps-row payment-row', count: () => hosts.store('payments').payments.length },
  { app: 'payments', path: '/credit-memos', rowClass: 'ps-row credit-memo-row', count: () => hosts.store('payments').creditMemos.length },
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
    const capped = await get('erp', '/api/parts?rows=50000');
    expect(capped.json.items).toHaveLength(20_000);
    expect(new Set(capped.json.items.map((p: { id: number }) => p.id)).size).toBe(20_000);
  }, 60_000);

  it('link synthetic rows to detail pages that exist', async () => {
    const r = await get('media', '/api/vendors?rows=100');
    const last = r.json.data[99];
    expect((await get('media', `/vendors/${last.id}`)).text).toContain(escapeHtml(last.name));
    const bill = (await get('payments', '/api/bills?rows=300')).json.response_data[299];
    expect((await get('payments', `/bills/${bill.id}`)).status).toBe(200);
  });

  it('media: JSON endpoints return the seeded records, detail pages show them', async () => {
    const store = hosts.store('media');
    expect((await get('media', '/api/vendors')).json).toEqual({ data: asJson(store.vendors), meta: { total: store.vendors.length } });
    expect((await get('media', '/api/orders')).json.data).toEqual(asJson(store.orders));
    expect((await get('media', '/api/bills')).json.data).toEqual(asJson(store.bills));
    expect((await get('media', '/api/payments')).json.data).toEqual(asJson(store.payments));
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
    expect((await get('erp', '/api/parts')).json).toEqual({ items: asJson(store.parts), total: store.parts.length });
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
    expect((await get('crm', '/api/contacts')).json).toEqual(asJson(store.contacts.map(contactSummary)));
    const c = store.contacts.find((x) => x.activity.length > 2)!;
    expect((await get('crm', `/api/contacts/${c.id}`)).json).toEqual(asJson(c));
    expect((await get('crm', '/api/contacts?q=bayside')).json.length).toBe(2);
  });

  it('portal: tabs with filters and an Actions column, invoices with every status', async () => {
    const store = hosts.store('portal');
    expect((await get('portal', '/api/customers')).json).toEqual({ data: asJson(store.clients), total: store.clients.length });
    expect((await get('portal', '/api/vendors')).json.data).toEqual(asJson(store.vendors));
    expect((await get('portal', '/api/invoices')).json.data).toEqual(asJson(store.invoices));
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
    const r = await get('erp', `/purchase-orders/${draft.id}/status`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'status=Ordered' });
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
    const contacts = (await get('crm', '/api/contacts')).json as { company: string | null }[];
    expect(contacts.some((c) => c.company === '<script>alert("crm")</script> Holdings')).toBe(true);
    const vendors = (await get('media', '/api/vendors')).json.data as { name: string }[];
    expect(vendors.some((v) => v.name === '📻 Sunrise Radio Network')).toBe(true);
    expect(vendors.some((v) => v.name.length > 120)).toBe(true);
  });

  it('escape what the request itself carries', async () => {
    const r = await get('media', '/vendors?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&rows=%22%3E%3Cb%3E');
    expect(r.text).not.toContain('<script>alert(1)');
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
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
    const broken = await get('erp', `/api/purchase-orders/${draft.id}/status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"status":' });
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
