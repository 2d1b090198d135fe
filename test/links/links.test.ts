// The QuickBooks state of host records, worked out in the worker from links and the local QB
// cache (fake-indexeddb): exact matches link, two equal QuickBooks records mean "not in
// QuickBooks", a link to a deleted or inactive record is an error that says why, nothing is
// linked without a connected company, users ignore records and take that back, and one
// profile on two sites is two apps that never share links. Also the customer page's detail.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type Connection } from '../../lib/db';
import { DEFAULT_CONNECTION } from '../../lib/db/settings';
import { forgetCache, putChanges, putDeletions } from '../../lib/db/qbcache';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { clearHostRecords, countHostRecords, hostRecordsOfKind } from '../../lib/hosts/store';
import { customerDetail } from '../../lib/hosts/worker/customer';
import { hostRecordsWritten, MAX_HOST_RECORDS, statusesFor as statusesOf, storeHostRecords } from '../../lib/hosts/worker/records';
import { setIgnored as setIgnoredOf, type Fields } from '../../lib/links';
import { webLink } from '../../lib/qbo/links';

const REALM = '4620816365178090';
const spotlight = BUILTIN_PROFILES.find((p) => p.id === 'spotlight')!;
const vendors = spotlight.pages.find((p) => p.id === 'vendors')!;
const bills = spotlight.pages.find((p) => p.id === 'bills')!;
const crm = BUILTIN_PROFILES.find((p) => p.pages.some((pg) => pg.anchors.summary))!;
const contact = crm.pages.find((p) => p.anchors.summary)!;
const SITE = 'https://media.example';
const appOf = (profile: { id: string }, origin = SITE) => ({ profileId: profile.id, origin });
const statusesFor = (profile: { id: string }, page: { kind: typeof vendors.kind }, records: { hostId: string; fields: Fields }[], origin = SITE) =>
  statusesOf(appOf(profile, origin), page.kind, records);
/** As the worker's hosts.ignore handler does: the copies of records pages sent are written first. */
const setIgnored = async (profile: { id: string }, page: { kind: typeof vendors.kind }, hostId: string, ignored: boolean, origin = SITE) => {
  await hostRecordsWritten();
  return setIgnoredOf(appOf(profile, origin), page.kind, hostId, ignored);
};

const connection = (over: Partial<Connection> = {}): Connection => ({
  realmId: REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: 1, ...over,
});
const vendorUrl = (id: string) => webLink('local-sandbox', 'Vendor', id, REALM, DEFAULT_CONNECTION.localOrigin);
const vendor = (hostId: string, name: string, email?: string) => ({ hostId, fields: { hostId, name, ...(email ? { email } : {}) } });

beforeEach(async () => {
  await Promise.all([db.connections.clear(), db.qbRecords.clear(), db.qbPages.clear(), db.links.clear(), clearHostRecords(), db.settings.clear(), db.outbox.clear()]);
  forgetCache();
  await db.connections.put(connection());
  await putChanges(REALM, 'Vendor', [
    { Id: '1', DisplayName: 'Acme Supply', PrimaryEmailAddr: { Address: 'ap@acme.example' }, Active: true },
    { Id: '2', DisplayName: 'Twin Media', Active: true },
    { Id: '3', DisplayName: 'Twin Media', Active: true },
    { Id: '4', DisplayName: 'Pandora Media', Active: false },
    { Id: '5', DisplayName: 'Gone Radio', Active: true },
  ], 1);
  await putChanges(REALM, 'Bill', [{ Id: '70', DocNumber: 'INV-7', VendorRef: { value: '1' }, TotalAmt: 10 }], 1);
});

describe('host record states', () => {
  it('suggests the QuickBooks record a record equals exactly: by normalised name, else by email, and transactions by number', async () => {
    const [byName, byEmail, none] = await statusesFor(spotlight, vendors, [vendor('a', 'ACME Supply, Inc.'), vendor('b', 'Acme (billing)', ' AP@acme.example '), vendor('c', 'Roku Advertising')]);
    expect(byName).toEqual({
      hostId: 'a', state: 'suggested', qbEntity: 'Vendor', qbId: '1', qbName: 'Acme Supply', url: vendorUrl('1'),
      reason: 'Looks like QuickBooks vendor "Acme Supply". Link them to sync this record.',
    });
    expect(byEmail).toMatchObject({ hostId: 'b', state: 'suggested', qbId: '1' });
    expect(none).toEqual({ hostId: 'c', state: 'not-in-qb', qbEntity: 'Vendor', reason: 'No QuickBooks vendor has this name or email.' });
    const [bill, unknown] = await statusesFor(spotlight, bills, [{ hostId: 'b1', fields: { hostId: 'b1', number: 'inv-7' } }, { hostId: 'b2', fields: { hostId: 'b2', number: 'INV-8' } }]);
    expect(bill).toMatchObject({ hostId: 'b1', state: 'suggested', qbEntity: 'Bill', qbId: '70' });
    expect(unknown).toMatchObject({ hostId: 'b2', state: 'not-in-qb', reason: 'No QuickBooks bill has this number.' });
  });

  it('does not guess between two equal QuickBooks records', async () => {
    const [twin] = await statusesFor(spotlight, vendors, [vendor('t', 'Twin Media')]);
    expect(twin).toMatchObject({ hostId: 't', state: 'not-in-qb' });
  });

  it('shows a link to a deleted or inactive QuickBooks record as an error that says what to do', async () => {
    const linked = (hostId: string, qbId: string) => ({ realmId: REALM, profileId: spotlight.id, origin: SITE, kind: 'vendor', hostId, state: 'linked' as const, qbEntity: 'Vendor', qbId, source: 'user' as const, createdAt: 1 });
    await db.links.bulkPut([linked('g', '5'), linked('p', '4')]);
    expect((await statusesFor(spotlight, vendors, [vendor('g', 'Anything')]))[0]).toMatchObject({ state: 'linked', qbId: '5' });
    await putDeletions(REALM, 'Vendor', ['5'], 2);
    const [gone, inactive, matchedInactive] = await statusesFor(spotlight, vendors, [vendor('g', 'Anything'), vendor('p', 'Other'), vendor('m', 'Pandora Media')]);
    expect(gone).toEqual({ hostId: 'g', state: 'error', qbEntity: 'Vendor', qbId: '5', reason: 'The QuickBooks vendor this was linked to no longer exists. Link it again.' });
    expect(inactive).toEqual({
      hostId: 'p', state: 'error', qbEntity: 'Vendor', qbId: '4', qbName: 'Pandora Media', url: vendorUrl('4'),
      reason: 'The linked QuickBooks vendor "Pandora Media" is inactive. Reactivate it in QuickBooks or link another.',
    });
    // Inactive records are still suggested by name, saying they are inactive.
    expect(matchedInactive).toMatchObject({ state: 'suggested', qbId: '4', reason: 'Looks like QuickBooks vendor "Pandora Media" (inactive). Link them to sync this record.' });
  });

  it('links nothing without a connected company', async () => {
    const notConnected = { state: 'error', reason: "Not connected to QuickBooks. Connect a company in the extension's options." };
    await db.connections.put(connection({ status: 'needs-reconnect' }));
    expect(await statusesFor(spotlight, vendors, [vendor('a', 'Acme Supply')])).toEqual([{ hostId: 'a', ...notConnected }]);
    await db.connections.clear();
    expect(await statusesFor(spotlight, vendors, [vendor('a', 'Acme Supply')])).toEqual([{ hostId: 'a', ...notConnected }]);
    expect(await setIgnored(spotlight, vendors, 'a', true)).toEqual({ hostId: 'a', ...notConnected });
    expect(await customerDetail(appOf(crm), contact.kind, '2001')).toEqual({ status: { hostId: '2001', ...notConnected } });
    expect(await db.links.count()).toBe(0);
  });

  it('ignores a record for QuickBooks, and stops ignoring it', async () => {
    await statusesFor(spotlight, vendors, [vendor('a', 'Acme Supply')]);
    expect(await setIgnored(spotlight, vendors, 'a', true)).toEqual({ hostId: 'a', state: 'ignored', qbEntity: 'Vendor' });
    expect(await statusesFor(spotlight, vendors, [vendor('a', 'Acme Supply')])).toEqual([{ hostId: 'a', state: 'ignored', qbEntity: 'Vendor' }]);
    // Taken back, the record is matched again from what its page last showed.
    expect(await setIgnored(spotlight, vendors, 'a', false)).toMatchObject({ hostId: 'a', state: 'suggested', qbId: '1' });
    expect(await db.links.count()).toBe(0);
    // Stopping ignoring a record that was never ignored changes nothing.
    expect(await setIgnored(spotlight, vendors, 'c', false)).toMatchObject({ hostId: 'c', state: 'not-in-qb' });
  });

  it('links a suggestion when the person confirms it, and only the suggestion', async () => {
    const { confirmSuggestion } = await import('../../lib/links');
    await storeHostRecords(REALM, appOf(spotlight), 'vendor', [vendor('a', 'Acme Supply'), vendor('c', 'Roku Advertising')]);
    expect(await confirmSuggestion(appOf(spotlight), 'vendor', 'a')).toMatchObject({ state: 'linked', qbId: '1' });
    expect(await db.links.get([REALM, spotlight.id, SITE, 'vendor', 'a'])).toMatchObject({ state: 'linked', qbId: '1', source: 'user' });
    // Nothing to confirm: nothing is linked.
    expect(await confirmSuggestion(appOf(spotlight), 'vendor', 'c')).toMatchObject({ state: 'not-in-qb' });
    expect(await db.links.count()).toBe(1);
  });

  it('reads an app\'s links whether it has none, fewer than the records asked about, or more', async () => {
    const three = [vendor('x', 'Roku Advertising'), vendor('y', 'Acme Supply'), vendor('z', 'Hulu')];
    expect((await statusesFor(spotlight, vendors, three)).map((s) => s.state)).toEqual(['not-in-qb', 'suggested', 'not-in-qb']);
    await setIgnored(spotlight, vendors, 'x', true);
    await setIgnored(spotlight, vendors, 'z', true);
    expect((await statusesFor(spotlight, vendors, three)).map((s) => s.state)).toEqual(['ignored', 'suggested', 'ignored']);
    expect((await statusesFor(spotlight, vendors, [three[2]])).map((s) => s.state)).toEqual(['ignored']);
    expect((await statusesFor(spotlight, vendors, [three[1]])).map((s) => s.state)).toEqual(['suggested']);
  });

  it('keeps one profile on two sites apart: an ignore on one is not seen on the other', async () => {
    await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')]);
    await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')], 'https://other.example');
    expect(await setIgnored(spotlight, vendors, 'r', true)).toMatchObject({ state: 'ignored' });
    expect(await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')], 'https://other.example')).toEqual([
      { hostId: 'r', state: 'not-in-qb', qbEntity: 'Vendor', reason: 'No QuickBooks vendor has this name or email.' },
    ]);
    expect(await setIgnored(spotlight, vendors, 'r', false, 'https://other.example')).toMatchObject({ state: 'not-in-qb' });
    expect(await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')])).toMatchObject([{ state: 'ignored' }]);
  });

  it('keeps at most so many host records per app and kind, the least recently seen going first', async () => {
    const app = appOf(spotlight);
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => vendor(`v${from + i}`, `Vendor ${from + i}`));
    await storeHostRecords(REALM, app, 'vendor', batch(0, 6), 10);
    await new Promise((r) => setTimeout(r, 2));
    await storeHostRecords(REALM, app, 'vendor', batch(6, 6), 10);
    await storeHostRecords(REALM, appOf(spotlight, 'https://other.example'), 'vendor', batch(0, 3), 10);
    const kept = await hostRecordsOfKind(REALM, { profileId: spotlight.id, origin: SITE }, 'vendor');
    expect(kept.map((r) => r.hostId).sort()).toEqual(['v10', 'v11', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9']);
    expect(await countHostRecords()).toBe(13);
    expect(MAX_HOST_RECORDS).toBeGreaterThanOrEqual(10_000);
  });

  it("shows a linked customer's summary and transactions from the QB cache", async () => {
    // As QuickBooks sends them: the terms and payment method by id only (reference/qbo-samples).
    await putChanges(REALM, 'Customer', [{ Id: '9', DisplayName: 'Bayside Auto Group', Balance: 150, BalanceWithJobs: 175, PrimaryEmailAddr: { Address: 'ar@bayside.example' }, SalesTermRef: { value: '3' }, PaymentMethodRef: { value: '2' }, Active: true }], 1);
    await putChanges(REALM, 'Term', [{ Id: '3', Name: 'Net 30', Active: true }], 1);
    await putChanges(REALM, 'PaymentMethod', [{ Id: '2', Name: 'Wire Transfer', Active: true }], 1);
    await putChanges(REALM, 'Invoice', [
      { Id: '101', DocNumber: '1001', TxnDate: '2024-01-05', DueDate: '2000-01-01', TotalAmt: 200, Balance: 150, CustomerRef: { value: '9' } },
      { Id: '102', DocNumber: '1002', TxnDate: '2024-01-01', TotalAmt: 99, Balance: 99, CustomerRef: { value: '8' } },
    ], 1);
    await putChanges(REALM, 'Payment', [{ Id: '103', TxnDate: '2024-02-01', TotalAmt: 50, UnappliedAmt: 0, CustomerRef: { value: '9' } }], 1);
    const record = { hostId: '2001', fields: { hostId: '2001', name: 'Bayside Auto Group, Inc.' } };
    const [status] = await statusesOf(appOf(crm), contact.kind, [record]);
    expect(status).toMatchObject({ state: 'suggested', qbId: '9' });
    const detail = await customerDetail(appOf(crm), contact.kind, '2001');
    expect(detail.status).toEqual(status);
    expect(detail.summary).toMatchObject({ name: 'Bayside Auto Group', balance: 175, openBalance: 150, overdue: 150, email: 'ar@bayside.example', terms: 'Net 30', paymentMethod: 'Wire Transfer' });
    expect(detail.transactions?.map((t) => [t.type, t.id, t.number, t.status])).toEqual([
      ['Payment', '103', '', 'Applied'],
      ['Invoice', '101', '1001', 'Overdue'],
    ]);
  });
});

describe('records with a write under way', () => {
  it('show pending while their write is on its way, and failed with the reason when it failed', async () => {
    const { enqueue } = await import('../../lib/sync/outbox');
    const host = { profileId: spotlight.id, origin: SITE, kind: 'vendor', hostId: 'r' };
    const [e] = await enqueue([{ realmId: REALM, operation: 'create', entity: 'Vendor', host, intent: { DisplayName: 'Roku Advertising' }, origin: { kind: 'user', name: 'Export vendors' } }]);
    expect(await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')])).toEqual([
      { hostId: 'r', state: 'pending', qbEntity: 'Vendor', reason: 'Being sent to QuickBooks (Export vendors).' },
    ]);
    await db.outbox.update(e.id, { state: 'failed', lastError: { kind: 'Validation', message: 'QuickBooks refused the name.' } });
    expect(await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')])).toEqual([{ hostId: 'r', state: 'failed', qbEntity: 'Vendor', reason: 'QuickBooks refused the name.' }]);
    // The same record on another site of the profile has no write under way.
    expect(await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')], 'https://other.example')).toMatchObject([{ state: 'not-in-qb' }]);
    await db.outbox.update(e.id, { state: 'done' });
    expect(await statusesFor(spotlight, vendors, [vendor('r', 'Roku Advertising')])).toMatchObject([{ state: 'not-in-qb' }]);
  });
});

describe('an app and its company', () => {
  it('stays with the company it was first used with when another is connected, until someone moves it', async () => {
    const { bindApp, hostCompany } = await import('../../lib/links');
    const app = appOf(spotlight);
    expect((await hostCompany(app))?.realmId).toBe(REALM);
    await db.connections.put(connection({ realmId: '9999', companyName: 'Newer Co', connectedAt: 2 }));
    expect((await hostCompany(app))?.realmId).toBe(REALM);
    // A new app meets the newest company.
    expect((await hostCompany(appOf(spotlight, 'https://other.example')))?.realmId).toBe('9999');
    await bindApp(app, '9999');
    expect((await hostCompany(app))?.realmId).toBe('9999');
    // Its company asking for a reconnect: the app waits for it, it does not move.
    await db.connections.put(connection({ realmId: '9999', companyName: 'Newer Co', connectedAt: 2, status: 'needs-reconnect' }));
    expect(await hostCompany(app)).toBeUndefined();
  });
});
