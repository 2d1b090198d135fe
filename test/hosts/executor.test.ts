// The host apps' own APIs, called by the executor as the worker calls them (real HTTP to the demo
// apps, a cookie jar standing in for the browser's): every kind listed to its end past several
// pages; bills created and updated with their lines; a stale CSRF token refused and read again;
// an app that checks a write's Origin refusing the worker (the write then waits for a tab); a
// listing cut off by an expired session deleting nothing; a page's forged row causing no event.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { readSetting, SETTINGS } from '../../lib/db/settings';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { allHostRecords, clearHostRecords, countHostRecords, putHostRecords } from '../../lib/hosts/store';
import type { SiteProfile } from '../../lib/hosts/profile';
import { confirm, listApp, MAX_DELETES_UNASKED, settleGone } from '../../lib/hosts/worker/apps';
import { AppClient, HostError, type App, type WorkerPlatform } from '../../lib/hosts/worker/executor';
import { startDemoHosts, type DemoHosts, type HostAppId } from '../../sandbox/hosts/server';

let hosts: DemoHosts;
beforeAll(async () => {
  hosts = await startDemoHosts({ basePort: 0 });
});
afterAll(() => hosts?.close());

const REALM = '9341453050298166';
beforeEach(async () => {
  hosts.reset();
  await Promise.all([clearHostRecords(), db.hostEvents.clear(), db.hostApps.clear(), db.settings.clear(), db.connections.clear()]);
  await db.connections.put({ realmId: REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: 1 });
});

const PROFILE: Record<HostAppId, string> = { media: 'spotlight', erp: 'forge-erp', crm: 'rolodeck-crm', portal: 'ledgerly', payments: 'paystream' };

/** The browser's part for the worker: fetch with the site's cookies, and the cookies a script may read. */
function browserLike(): WorkerPlatform & { jar: Map<string, string> } {
  const jar = new Map<string, string>();
  return {
    jar,
    fetch: async (input, init = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      // The worker's requests carry the extension's origin.
      if (init.method && init.method !== 'GET') headers.set('Origin', 'chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb');
      const res = await fetch(input, { ...init, headers });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      return res;
    },
    cookie: async (_url, name) => (jar.has(name) ? decodeURIComponent(jar.get(name)!) : undefined),
  };
}

/** An app as the extension knows it, signed in as a person who opened it once. */
async function signedIn(id: HostAppId, profile?: SiteProfile): Promise<{ app: App; client: AppClient; platform: ReturnType<typeof browserLike> }> {
  const platform = browserLike();
  const origin = hosts.apps[id].localUrl;
  await platform.fetch(`${origin}/`);
  const app = { profile: profile ?? BUILTIN_PROFILES.find((p) => p.id === PROFILE[id])!, origin };
  return { app, client: new AppClient(app, { platform }), platform };
}

/** A profile whose listings ask for `rows` records a kind in pages of `size`: several pages each. */
function smallPages(id: HostAppId, rows: number, size: number): SiteProfile {
  const base = BUILTIN_PROFILES.find((p) => p.id === PROFILE[id])!;
  const kinds = Object.fromEntries(
    Object.entries(base.api!.kinds).map(([k, v]) => [k, { ...v, list: { ...v.list, url: `${v.list.url}?rows=${rows}`, ...(v.list.paging ? { paging: { ...v.list.paging, size } } : {}) } }]),
  );
  return { ...base, api: { ...base.api!, kinds } };
}

async function listAll(client: AppClient, kind: string) {
  const ids: string[] = [];
  let pages = 0;
  for await (const page of client.list(kind)) {
    pages++;
    ids.push(...page.records.map((r) => r.hostId));
  }
  return { ids, pages };
}

describe('listing every record', () => {
  it.each(['media', 'erp', 'crm', 'portal', 'payments'] as HostAppId[])('lists every kind of %s to its end, past several pages', async (id) => {
    const { client, app } = await signedIn(id, smallPages(id, 130, 30));
    for (const kind of Object.keys(app.profile.api!.kinds)) {
      const paged = await listAll(client, kind);
      // The same listing in one page (the app's maximum) holds the same records.
      const whole = await listAll(new AppClient({ ...app, profile: smallPages(id, 130, 1000) }, { platform: (client as unknown as { opts: { platform: WorkerPlatform } }).opts.platform }), kind).catch(() => undefined);
      expect(new Set(paged.ids).size, `${id} ${kind}`).toBe(paged.ids.length);
      if (paged.ids.length > 30) expect(paged.pages, `${id} ${kind}`).toBeGreaterThan(1);
      if (whole) expect([...paged.ids].sort(), `${id} ${kind}`).toEqual([...whole.ids].sort());
    }
  });

  it('lists only the records changed since a time', async () => {
    const { client } = await signedIn('media');
    const all = await listAll(client, 'vendor');
    const since = new Date(Date.now() + 1000).toISOString();
    const none = [];
    for await (const page of client.list('vendor', since)) none.push(...page.records);
    expect(all.ids.length).toBeGreaterThan(10);
    expect(none).toEqual([]);
  });
});

describe('writing into an app', () => {
  it('creates and updates a bill with its lines where the app takes writes from the worker', async () => {
    const { client } = await signedIn('payments');
    const [vendor] = (await client.list('vendor').next()).value!.records;
    const made = await client.create('bill', { vendorId: vendor.hostId, number: 'QBC-1001', date: '2026-11-02', dueDate: '2026-12-02', memo: 'From QuickBooks' }, [
      { description: 'Rent', account: 'Rent & Lease', amount: 1200 },
      { description: 'Power', account: 'Utilities', amount: 80.5 },
    ]);
    expect(made.fields).toMatchObject({ number: 'QBC-1001' });
    const read = await client.read('bill', made.hostId);
    expect(read?.lines?.map((l) => [l.description, l.amount])).toEqual([['Rent', '1200'], ['Power', '80.5']]);
    await client.update('bill', made.hostId, { memo: 'Changed' }, [{ description: 'Rent', account: 'Rent & Lease', amount: 1250 }]);
    const after = await client.read('bill', made.hostId);
    expect(after?.fields.memo).toBe('Changed');
    expect(after?.lines?.map((l) => l.amount)).toEqual(['1250']);
  });

  it('reads the CSRF token again when the app refuses a stale one', async () => {
    const { client } = await signedIn('payments');
    const [vendor] = (await client.list('vendor').next()).value!.records;
    await client.create('bill', { vendorId: vendor.hostId, number: 'QBC-1', date: '2026-11-02', dueDate: '2026-12-02' }, [{ description: 'A', account: 'Utilities', amount: 10 }]);
    hosts.rotateCsrf('payments');
    const second = await client.create('bill', { vendorId: vendor.hostId, number: 'QBC-2', date: '2026-11-02', dueDate: '2026-12-02' }, [{ description: 'B', account: 'Utilities', amount: 20 }]);
    expect(second.fields.number).toBe('QBC-2');
  });

  it('learns that an app takes writes only from its own pages, and waits for one to be open', async () => {
    const { client, app } = await signedIn('media');
    const [vendor] = (await client.list('vendor').next()).value!.records;
    const e = await client.create('bill', { vendorId: vendor.hostId, number: 'QBC-9', date: '2026-11-02', dueDate: '2026-12-02' }, [{ description: 'Spot', amount: 100 }]).catch((x) => x);
    expect(e).toBeInstanceOf(HostError);
    expect(e).toMatchObject({ kind: 'NoTab', message: 'Open Spotlight (media buying) to finish.' });
    expect((await readSetting(SETTINGS.hostTransports))[`spotlight ${app.origin}`]).toBe('tab');
  });
});

describe('what a listing may and may not conclude', () => {
  it('records a purchase order reaching Ordered once', async () => {
    const { client, app, platform } = await signedIn('erp');
    await listApp(app, { client, full: true });
    const draft = hosts.store('erp').purchaseOrders.find((po) => po.status === 'Draft')!;
    const { csrfToken } = (await (await platform.fetch(`${app.origin}/api/session`)).json()) as { csrfToken: string };
    const moved = await platform.fetch(`${app.origin}/api/purchase-orders/${draft.id}/status`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ status: 'Ordered' }) });
    expect(moved.status).toBe(200);
    await listApp(app, { client });
    await listApp(app, { client });
    const events = await db.hostEvents.filter((e) => e.hostId === String(draft.id)).toArray();
    expect(events.map((e) => [e.type, e.status])).toEqual([['changed', undefined], ['status', 'Ordered']]);
  });

  it('deletes nothing when a session expires during a listing', async () => {
    const { client, app } = await signedIn('media', smallPages('media', 130, 30));
    await listApp(app, { client, full: true });
    const before = await countHostRecords();
    expect(before).toBeGreaterThan(100);
    hosts.expireSessions('media', { remember: false });
    const cut = await listApp(app, { client, full: true });
    expect(Object.values(cut.kinds).some((k) => /signed out/i.test(k.problem ?? ''))).toBe(true);
    expect(await countHostRecords()).toBe(before);
    expect(await db.hostEvents.filter((e) => e.type === 'deleted').count()).toBe(0);
  });

  it('marks a record deleted only when the app answers "not found" for it, and more than a few at once only when the user says so', async () => {
    const { client, app } = await signedIn('payments');
    await listApp(app, { client, full: true });
    const vendors = hosts.store('payments').vendors as { id: string | number }[];
    const stored = async (ids: string[]) => (await allHostRecords()).filter((r) => r.kind === 'vendor' && ids.includes(r.hostId)).length;
    const deletedIds = async () => (await db.hostEvents.filter((e) => e.type === 'deleted').toArray()).map((e) => e.hostId).sort();

    // Two vendors removed in the app: the next whole listing misses them, reads each, and believes it.
    const two = vendors.splice(0, 2).map((v) => String(v.id));
    await listApp(app, { client, full: true });
    expect(await deletedIds()).toEqual([...two].sort());
    expect(await stored(two)).toBe(0);

    // More than a few at once: nothing is deleted; they wait for the user.
    const many = vendors.splice(0, MAX_DELETES_UNASKED + 2).map((v) => String(v.id));
    await listApp(app, { client, full: true });
    expect(await deletedIds()).toEqual([...two].sort());
    expect(await stored(many)).toBe(many.length);
    expect((await db.hostApps.get([app.profile.id, app.origin]))?.gone?.vendor?.sort()).toEqual([...many].sort());

    // Kept: nothing deleted, and no longer waiting (until a whole listing misses them again).
    expect(await settleGone(app, 'vendor', false)).toBe(0);
    expect((await db.hostApps.get([app.profile.id, app.origin]))?.gone?.vendor).toBeUndefined();
    expect(await stored(many)).toBe(many.length);
    await listApp(app, { client, full: true });
    expect(await settleGone(app, 'vendor', true)).toBe(many.length);
    expect(await deletedIds()).toEqual([...two, ...many].sort());
    expect(await stored(many)).toBe(0);
    // Each deletion is one event, however often it is settled.
    expect(await settleGone(app, 'vendor', true)).toBe(0);
  });

  it('deletes a record the app lists as deleted (soft deletes) once it answers "not found"; a "false" marker deletes nothing', async () => {
    const { client, app, platform } = await signedIn('portal');
    await listApp(app, { client, full: true });
    const [first, second] = hosts.store('portal').invoices;
    const token = decodeURIComponent(platform.jar.get('XSRF-TOKEN')!);
    const gone = await platform.fetch(`${app.origin}/api/invoices/${first.id}`, { method: 'DELETE', headers: { 'X-XSRF-TOKEN': token } });
    expect(gone.status).toBe(204);
    await listApp(app, { client }); // a listing of changes: the invoice comes with deleted_at
    const deleted = await db.hostEvents.filter((e) => e.type === 'deleted').toArray();
    expect(deleted.map((e) => [e.kind, e.hostId])).toEqual([['invoice', String(first.id)]]);
    expect((await allHostRecords()).filter((r) => r.kind === 'invoice' && r.hostId === String(first.id)).length).toBe(0);
    // A profile whose marker field holds "false" for live records: nothing is deleted.
    const base = BUILTIN_PROFILES.find((p) => p.id === 'ledgerly')!;
    const falsy: SiteProfile = { ...base, api: { ...base.api!, kinds: { ...base.api!.kinds, invoice: { ...base.api!.kinds.invoice, fields: { ...base.api!.kinds.invoice.fields, archived: 'archived' }, deleted: 'archived' } } } };
    const store = hosts.store('portal').invoices as unknown as Record<string, unknown>[];
    for (const inv of store) inv.archived = false;
    await db.hostApps.clear();
    await listApp({ ...app, profile: falsy }, { client: new AppClient({ ...app, profile: falsy }, { platform }), full: true });
    await listApp({ ...app, profile: falsy }, { client: new AppClient({ ...app, profile: falsy }, { platform }), full: true });
    expect(await db.hostEvents.filter((e) => e.type === 'deleted').count()).toBe(1);
    expect((await allHostRecords()).filter((r) => r.kind === 'invoice' && r.hostId === String(second.id)).length).toBe(1);
  });

  it('takes records a page showed before a whole listing ended as there already, not as created; their changes are events', async () => {
    const { client, app } = await signedIn('payments');
    // The app is on and no listing of it has ended (the first one failed, or is under way); a page of it shows two bills.
    const [a, b] = (await client.list('bill').next()).value!.records;
    expect(await confirm(app, 'bill', [a.hostId, b.hostId], client)).toEqual([]);
    expect((await allHostRecords()).filter((r) => r.source === 'api').map((r) => r.hostId).sort()).toEqual([a.hostId, b.hostId].sort());
    // One of them is changed in the app, and the page shows it: that is news.
    await client.update('bill', a.hostId, { memo: 'Changed in the app' });
    expect((await confirm(app, 'bill', [a.hostId], client)).map((e) => [e.type, e.hostId])).toEqual([['changed', a.hostId]]);
    await db.hostEvents.clear();
    await listApp(app, { client });
    expect(await db.hostEvents.count()).toBe(0);
    // Once the listing has ended, a record a page shows that the app made since is news, once.
    const [vendor] = (await client.list('vendor').next()).value!.records;
    const made = await client.create('bill', { vendorId: vendor.hostId, number: 'NEW-8', date: '2026-11-03', dueDate: '2026-12-03' }, [{ description: 'Y', account: 'Utilities', amount: 7 }]);
    const events = await confirm(app, 'bill', [made.hostId], client);
    expect(events.map((e) => [e.type, e.hostId])).toEqual([['created', made.hostId]]);
    expect(await confirm(app, 'bill', [made.hostId], client)).toEqual([]);
  });

  it('records a record created in the app once, and a forged row from a page never', async () => {
    const { client, app } = await signedIn('payments');
    await listApp(app, { client, full: true });
    const created = await db.hostEvents.count();
    const [vendor] = (await client.list('vendor').next()).value!.records;
    const bill = await client.create('bill', { vendorId: vendor.hostId, number: 'NEW-7', date: '2026-11-02', dueDate: '2026-12-02' }, [{ description: 'X', account: 'Utilities', amount: 5 }]);
    await listApp(app, { client });
    await listApp(app, { client });
    const events = await db.hostEvents.filter((e) => e.hostId === bill.hostId).toArray();
    expect(events.map((e) => e.type)).toEqual(['created']);
    expect(await db.hostEvents.count()).toBe(created + 1);
    // A row a page showed that the app does not have: no event, and the row is dropped.
    await putHostRecords([{ realmId: REALM, profileId: app.profile.id, origin: app.origin, kind: 'bill', hostId: 'forged-1', fields: { hostId: 'forged-1' }, source: 'page', seenAt: 1 }]);
    expect(await confirm(app, 'bill', ['forged-1'], client)).toEqual([]);
    expect((await allHostRecords()).filter((r) => r.hostId === 'forged-1').length).toBe(0);
    expect(await db.hostEvents.count()).toBe(created + 1);
  });
});
