// Host apps both ways, in the built extension: turning an app on reads every record of every kind
// its profile declares through the app's own API, with the person's session, without opening its
// pages; records created or changed in the app become events once; a row a page's script forges
// causes none; an expired session deletes nothing; a write into an app that checks where writes
// come from goes through an open tab of it, waiting ("Open <app> to finish") while none is open.
import type { BrowserContext, Page } from '@playwright/test';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import type { SiteProfile } from '../../lib/hosts/profile';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { HostBrowser } from '../sandbox/host-browser';
import { billThroughSpotlightForm, configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, saveAndTurnOn, syncNow, test } from './fixtures';

type Row = { profileId: string; kind: string; hostId: string; source?: string; fields: Record<string, string> };
type Event = { profileId: string; kind: string; hostId: string; type: string; status?: string };

/** Spotlight's built-in profile, for the app at its exact address (as a real app's profile names its site). */
function spotlightAt(url: string): SiteProfile {
  const base = BUILTIN_PROFILES.find((p) => p.id === 'spotlight')!;
  return { ...base, id: 'spotlight-live', name: 'Spotlight live', matches: [`${new URL(url).origin}/*`] };
}

/** The person signs in to the app (an earlier visit; no page of it stays open), then turns it on. */
async function signInAndTurnOn(context: BrowserContext, url: string) {
  const signIn = await context.newPage();
  await signIn.goto(`${url}/login?as=Dana`);
  await signIn.close();
  return saveAndTurnOn(context, spotlightAt(url));
}

const stored = async (page: Page) => (await dumpDatabase(page)).stores;
const records = async (page: Page, kind: string) => ((await stored(page)).hostRecords as Row[]).filter((r) => r.profileId === 'spotlight-live' && r.kind === kind && r.source === 'api');
const events = async (page: Page) => ((await stored(page)).hostEvents as Event[]).filter((e) => e.profileId === 'spotlight-live');

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
});

test('turning an app on reads all its records through its API; new and changed records are events once; forged rows and expired sessions change nothing', async ({ context, hosts }) => {
  test.setTimeout(120_000);
  const options = await signInAndTurnOn(context, hosts.apps.media.url);
  const store = hosts.store('media');
  await expect.poll(async () => (await records(options, 'billPayment')).length, { timeout: 30_000 }).toBe(store.payments.length);
  for (const [kind, list] of [['vendor', store.vendors], ['order', store.orders], ['bill', store.bills]] as const) expect((await records(options, kind)).length, kind).toBe(list.length);
  // Records that were there when the app was turned on are not news: no event.
  expect(await events(options)).toEqual([]);
  // The options page says what was read, of each kind the profile's API declares.
  await expect(options.getByTestId('api-records-spotlight-live')).toHaveText(
    new RegExp(`^Read from Spotlight live (just now|a minute ago): ${store.vendors.length} vendors · ${store.orders.length} orders · ${store.bills.length} bills · ${store.payments.length} bill payments\\.$`),
  );
  await options.getByTestId('profile-spotlight-live').screenshot({ path: 'test-results/api-records.png' });

  // A bill created through the app's own form, with its pages open: an event within seconds.
  const page = await context.newPage();
  await billThroughSpotlightForm(page, hosts.apps.media.url, { ref: 'UI-1', date: '2026-11-20', due: '2026-12-20', description: 'Spot', amount: '250' });
  const made = hosts.store('media').bills.find((b) => b.billNumber === 'UI-1')!.id;
  await expect.poll(async () => (await events(options)).filter((e) => e.type === 'created' && e.hostId === String(made)).length, { timeout: 5_000 }).toBe(1);

  // A row the page's own script forges (the app has no such bill): no event.
  await page.evaluate(() => {
    const row = document.querySelector('tr.bill-row')!.cloneNode(true) as HTMLElement;
    row.setAttribute('data-row-key', '999999');
    row.querySelector('[data-qbc]')?.remove();
    document.querySelector('tr.bill-row')!.parentElement!.append(row);
  });
  await page.waitForTimeout(2_000); // the page's hints are checked with the app within a second
  expect((await events(options)).filter((e) => e.hostId === '999999')).toEqual([]);
  await page.close();

  // Created, and another changed, by a colleague in the app with no page of it open here: events
  // at the next sync (the schedule's period), once each.
  const colleague = new HostBrowser(hosts.apps.media.localUrl);
  await colleague.signIn('Colleague');
  const token = await colleague.csrfToken({ from: 'meta', name: 'csrf-token', header: 'X-CSRF-Token', page: '/' });
  const write = (method: string, path: string, json: unknown) => colleague.send(path, { method, json, headers: { 'X-CSRF-Token': token, Origin: colleague.origin } });
  const vendorId = hosts.store('media').vendors[0].id;
  const theirs = await write('POST', '/api/bills', { bill: { vendorId, billNumber: 'COL-1', billDate: '2026-11-21', dueDate: '2026-12-21', lines: [{ description: 'Radio', amount: 90 }] } });
  expect(theirs.status).toBe(201);
  const changedId = hosts.store('media').bills[1].id;
  expect((await write('PATCH', `/api/bills/${changedId}`, { bill: { memo: 'Edited by a colleague' } })).status).toBe(200);
  await syncNow(context);
  await syncNow(context);
  const all = await events(options);
  expect(all.filter((e) => e.type === 'created' && e.hostId === String(theirs.json.data.id))).toHaveLength(1);
  expect(all.filter((e) => e.type === 'changed' && e.hostId === String(changedId))).toHaveLength(1);

  // The session expires: a sync lists nothing, and nothing is taken as deleted.
  const count = (await stored(options)).hostRecords.length;
  hosts.expireSessions('media', { remember: false });
  await syncNow(context);
  expect((await stored(options)).hostRecords.length).toBe(count);
  expect((await events(options)).filter((e) => e.type === 'deleted')).toEqual([]);
  // The person is told why, what to do, and what the last whole reading found.
  const kept = (await stored(options)).hostRecords as Row[];
  const n = (kind: string) => kept.filter((r) => r.profileId === 'spotlight-live' && r.kind === kind).length;
  await expect(options.getByTestId('api-records-spotlight-live')).toHaveText(
    new RegExp(
      `^Couldn't finish reading Spotlight live: You are signed out of Spotlight live\\. Sign in to it in this browser; the extension goes on by itself\\. ` +
        `Last read in full (just now|a minute ago): ${n('vendor')} vendors · ${n('order')} orders · ${n('bill')} bills · ${n('billPayment')} bill payments\\.$`,
    ),
  );
  await options.getByTestId('profile-spotlight-live').screenshot({ path: 'test-results/api-records-signed-out.png' });
});

test('records gone from the app are marked deleted only when the app says "not found" for each, and many at once only when the person says so in the popup', async ({ context, hosts, worker }) => {
  const options = await signInAndTurnOn(context, hosts.apps.media.url);
  const store = hosts.store('media');
  await expect.poll(async () => (await records(options, 'vendor')).length, { timeout: 30_000 }).toBe(store.vendors.length);

  // Seven vendors are removed in the app. A day later the app is listed whole again (only a whole
  // listing shows what is gone), and the app answers "not found" for each of the seven.
  const gone = (store.vendors.splice(0, 7) as { id: number | string }[]).map((v) => String(v.id));
  await worker.evaluate(async () => {
    const idb = await new Promise<IDBDatabase>((r) => (indexedDB.open('quickbooks-companion').onsuccess = (e) => r((e.target as IDBOpenDBRequest).result)));
    const apps = idb.transaction('hostApps', 'readwrite').objectStore('hostApps');
    const all = await new Promise<{ profileId: string; kinds: Record<string, { fullAt?: number }> }[]>((r) => (apps.getAll().onsuccess = (e) => r((e.target as IDBRequest).result)));
    for (const a of all) if (a.profileId === 'spotlight-live') for (const k of Object.values(a.kinds)) if (k.fullAt) k.fullAt -= 25 * 60 * 60_000;
    for (const a of all) apps.put(a);
    await new Promise((r) => (apps.transaction.oncomplete = r));
    idb.close();
  });
  await syncNow(context);
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  const note = popup.getByTestId('host-app-notes').getByRole('alert');
  await expect(note).toContainText('Spotlight live no longer has 7 vendors the extension knew (asked for each, it answers "not found"). Nothing is marked deleted until you say so.', { timeout: 30_000 });
  await popup.screenshot({ path: 'test-results/popup-host-records-gone.png' });
  // Nothing is deleted yet.
  expect((await events(options)).filter((e) => e.type === 'deleted')).toHaveLength(0);
  expect((await records(options, 'vendor')).filter((r) => gone.includes(r.hostId))).toHaveLength(7);

  await note.getByRole('button', { name: 'Mark them deleted' }).click();
  await expect(popup.getByTestId('host-app-notes')).toHaveCount(0);
  expect((await events(options)).filter((e) => e.type === 'deleted').map((e) => e.hostId).sort()).toEqual([...gone].sort());
  expect((await records(options, 'vendor')).filter((r) => gone.includes(r.hostId))).toHaveLength(0);
});

test('a write into an app that takes writes only from its own pages waits for an open tab, then goes through it', async ({ context, hosts }) => {
  test.setTimeout(90_000);
  const options = await signInAndTurnOn(context, hosts.apps.media.url);
  const bill = hosts.store('media').bills[0];
  await options.goto(`${EXTENSION_ORIGIN}/options.html#logs`);
  await options.evaluate(
    ([realmId, origin, hostId]) =>
      qbcTest.enqueue([{ realmId, target: 'spotlight-live', operation: 'update', entity: 'bill', host: { profileId: 'spotlight-live', origin, kind: 'bill', hostId }, intent: { fields: { memo: 'Paid in QuickBooks' } }, origin: { kind: 'user', name: 'Import payments' } }]).then(() => qbcTest.requestPush(realmId)),
    [DEMO_REALM, new URL(hosts.apps.media.url).origin, String(bill.id)] as const,
  );
  const row = options.getByTestId('changes-table').locator('tr', { hasText: 'Update bill' });
  await expect(row).toContainText('Open Spotlight live to finish.');
  expect(hosts.store('media').bills[0].memo).not.toBe('Paid in QuickBooks');
  // A tab of the app opens: the change goes through it.
  const page = await context.newPage();
  await page.goto(`${hosts.apps.media.url}/bills`);
  await expect(row).toContainText(/(?<!Not )Completed/, { timeout: 20_000 });
  expect(hosts.store('media').bills.find((b) => b.id === bill.id)!.memo).toBe('Paid in QuickBooks');
});
