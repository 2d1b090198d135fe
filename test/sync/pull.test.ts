// Pull sync against the sandbox, with IndexedDB from fake-indexeddb: the first load (inactive
// records included), change data capture with changes and deletes, resuming a load that was
// cut off, the 30-day limit and the daily full reload.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { countRecords, forgetCache, recordOf, recordsOf } from '../../lib/db/qbcache';
import { QboClient } from '../../lib/qbo';
import { PULLED_ENTITIES, pull } from '../../lib/sync/pull';
import { admin, DEMO_REALM, useSandbox } from '../sandbox/harness';

const sandbox = useSandbox();
let requests = 0;
/** The full-load pages asked for, as "Entity STARTPOSITION". */
let pagesAsked: string[] = [];
/** A page of a full load (reading changes or touched records adds other conditions). */
const FULL_LOAD_PAGE = /^SELECT \* FROM (\w+)(?: WHERE Active IN \(true, false\))? ORDERBY Id STARTPOSITION (\d+) /;

/** A client for the demo company; past `stopAfter` requests it fails every one, like a stopped worker. */
async function client(stopAfter = Infinity) {
  let sent = 0;
  const tokens = await admin(sandbox(), '/tokens', { realmId: DEMO_REALM });
  return new QboClient({
    realmId: DEMO_REALM, environment: 'local-sandbox', localOrigin: sandbox().url,
    tokens: { accessToken: async () => tokens.access_token, refresh: async () => tokens.access_token },
    limits: { perWindow: 1e6, batchPerWindow: 1e6 },
    retry: { transientRetries: 0, baseDelayMs: 1 },
    // Counts the requests that go out, and the full-load pages they ask for.
    fetch: async (url, init) => {
      if (++sent > stopAfter) throw new TypeError('the worker was stopped');
      requests++;
      const page = FULL_LOAD_PAGE.exec(new URL(String(url)).searchParams.get('query') ?? '');
      if (page) pagesAsked.push(`${page[1]} ${page[2]}`);
      return fetch(url, init);
    },
  });
}

const company = () => sandbox().company(DEMO_REALM)!;
const expectedTotal = () => PULLED_ENTITIES.reduce((n, e) => n + company().count(e), 0);

beforeEach(async () => {
  await Promise.all([db.qbPages.clear(), db.qbRecords.clear(), db.syncCursors.clear()]);
  await db.connections.put({ realmId: DEMO_REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: Date.now() });
  forgetCache();
  requests = 0;
  pagesAsked = [];
});

describe('pull', () => {
  it('loads every record, inactive ones too, then applies changes and deletes from change data capture', async () => {
    const first = await pull(await client());
    expect(first).toMatchObject({ fullLoads: PULLED_ENTITIES });
    expect(await countRecords(DEMO_REALM, PULLED_ENTITIES)).toBe(expectedTotal());
    const pandora = [...company().table('Vendor').values()].find((r) => r.data.DisplayName === 'Pandora Media LLC')!.data;
    expect((await recordOf(DEMO_REALM, 'Vendor', pandora.Id))?.Active).toBe(false);

    // Changes in QuickBooks: a new vendor, an edited customer, a deleted invoice.
    const vendor = company().create('Vendor', { DisplayName: 'New Outlet Media' });
    const customer = [...company().table('Customer').values()][3].data;
    company().update('Customer', { Id: customer.Id, SyncToken: customer.SyncToken, Notes: 'Changed in QuickBooks' }, true);
    const invoice = [...company().table('Invoice').values()].find((r) => r.data.Balance === r.data.TotalAmt)!.data;
    company().remove('Invoice', { Id: invoice.Id, SyncToken: invoice.SyncToken });
    requests = 0;
    const next = await pull(await client());
    expect(next).toMatchObject({ fullLoads: [], deleted: 1 });
    expect(requests).toBeLessThanOrEqual(3); // one change data capture, and re-reading the touched customer
    forgetCache();
    expect((await recordOf(DEMO_REALM, 'Vendor', vendor.Id))?.DisplayName).toBe('New Outlet Media');
    expect((await recordOf(DEMO_REALM, 'Customer', customer.Id))?.Notes).toBe('Changed in QuickBooks');
    expect(await recordOf(DEMO_REALM, 'Invoice', invoice.Id)).toBeUndefined();
    expect(await countRecords(DEMO_REALM, PULLED_ENTITIES)).toBe(expectedTotal());
    expect((await db.connections.get(DEMO_REALM))?.lastSyncAt).toBeGreaterThan(0);
  });

  it('resumes a load cut off by a stopped worker without fetching stored pages again', async () => {
    await admin(sandbox(), '/reset', { seed: 'scale' });
    await expect(pull(await client(30))).rejects.toThrow();
    const cursors = await db.syncCursors.toArray();
    const stored = cursors.reduce((n, c) => n + c.pagesDone.length, 0);
    expect(stored).toBeGreaterThan(5);
    const storedPages = cursors.flatMap((c) => c.pagesDone.map((p) => `${c.entity} ${(p - 1) * 1000 + 1}`));
    requests = 0;
    pagesAsked = [];
    await pull(await client());
    forgetCache();
    expect(await countRecords(DEMO_REALM, PULLED_ENTITIES)).toBe(expectedTotal());
    // No stored page is asked for again.
    expect(pagesAsked.length).toBeGreaterThan(0);
    expect(pagesAsked.filter((p) => storedPages.includes(p))).toEqual([]);
    // A full load of the scale seed takes 86 requests; the resumed one skips what was stored.
    expect(requests).toBeLessThanOrEqual(86 - stored + 16);
    expect((await db.syncCursors.toArray()).every((c) => c.phase === 'incremental')).toBe(true);
  });

  it('reloads in full when the last change query is older than 30 days, and drops what QuickBooks no longer has', async () => {
    await pull(await client());
    // A month passes with the worker asleep; meanwhile a bill is deleted.
    const bill = [...company().table('Bill').values()].find((r) => !(r.data.LinkedTxn ?? []).length)!.data;
    company().remove('Bill', { Id: bill.Id, SyncToken: bill.SyncToken });
    const stale = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await db.syncCursors.toCollection().modify({ changedSince: stale });
    const result = await pull(await client());
    expect(result).toMatchObject({ fullLoads: PULLED_ENTITIES });
    forgetCache();
    expect(await recordOf(DEMO_REALM, 'Bill', bill.Id)).toBeUndefined();
    expect((await recordsOf(DEMO_REALM, 'Bill')).size).toBe(company().count('Bill'));
  });

  it('reloads in full once a day', async () => {
    await pull(await client());
    await db.syncCursors.toCollection().modify({ lastFullLoadAt: Date.now() - 25 * 3_600_000 });
    expect(await pull(await client())).toMatchObject({ fullLoads: PULLED_ENTITIES });
    expect(await pull(await client())).toMatchObject({ fullLoads: [] });
  });
});
