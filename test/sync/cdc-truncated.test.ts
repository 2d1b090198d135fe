// Pull sync against the sandbox, with IndexedDB from fake-indexeddb: when change data capture
// answers with its limit of 1,000 objects (some changes left out), the changes are read again by
// query and every one of them reaches the QB cache.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache, recordsOf } from '../../lib/db/qbcache';
import { QboClient } from '../../lib/qbo';
import { pull } from '../../lib/sync/pull';
import { admin, DEMO_REALM, useSandbox } from '../sandbox/harness';

const sandbox = useSandbox();
/** Every query statement sent, and how many change data capture requests. */
let queries: string[] = [];
let cdcs = 0;

async function client() {
  const tokens = await admin(sandbox(), '/tokens', { realmId: DEMO_REALM });
  return new QboClient({
    realmId: DEMO_REALM, environment: 'local-sandbox', localOrigin: sandbox().url,
    tokens: { accessToken: async () => tokens.access_token, refresh: async () => tokens.access_token },
    limits: { perWindow: 1e6, batchPerWindow: 1e6 },
    fetch: (url, init) => {
      const u = new URL(String(url));
      if (u.pathname.endsWith('/cdc')) cdcs++;
      const statement = u.searchParams.get('query');
      if (statement) queries.push(statement);
      return fetch(url, init);
    },
  });
}

beforeEach(async () => {
  await Promise.all([db.qbPages.clear(), db.qbRecords.clear(), db.syncCursors.clear()]);
  await db.connections.put({ realmId: DEMO_REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: Date.now() });
  forgetCache();
});

describe('pull with a truncated change data capture', () => {
  it('reads the changes again by query, so none of them is left out', async () => {
    await pull(await client());
    const company = sandbox().company(DEMO_REALM)!;
    const added = Array.from({ length: 1_100 }, (_, i) => company.create('Vendor', { DisplayName: `Outlet ${String(i).padStart(4, '0')}` }).Id as string);
    queries = [];
    cdcs = 0;

    const result = await pull(await client());
    expect(result).toMatchObject({ fullLoads: [] });
    forgetCache();
    const vendors = await recordsOf(DEMO_REALM, 'Vendor');
    expect(added.filter((id) => !vendors.has(id))).toEqual([]);
    expect(vendors.size).toBe(company.count('Vendor'));
    expect(cdcs).toBe(1);
    expect(queries.some((q) => /^SELECT \* FROM Vendor WHERE MetaData\.LastUpdatedTime >= '/.test(q))).toBe(true);
  });
});
