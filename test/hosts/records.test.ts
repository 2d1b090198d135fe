// The copies of what host pages showed: written after the page has its states (never while it
// waits), once per record, and a record seen again unchanged is not written again.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache } from '../../lib/db/qbcache';
import { hostRecordsWritten, statusesFor } from '../../lib/hosts/worker/records';

const REALM = '4620816365178091';
const app = { profileId: 'spotlight', origin: 'https://media.example' };
const rows = (n: number, name = 'Vendor') => Array.from({ length: n }, (_, i) => ({ hostId: String(i), fields: { hostId: String(i), name: `${name} ${i}` } }));

beforeEach(async () => {
  await Promise.all([db.connections.clear(), db.hostRecords.clear(), db.links.clear(), db.settings.clear()]);
  forgetCache();
  await db.connections.put({ realmId: REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: 1 });
});

describe('host records', () => {
  it('are written once the pages are quiet, not while one waits for its states', async () => {
    const statuses = await statusesFor(app, 'vendor', rows(1500));
    expect(statuses).toHaveLength(1500);
    expect(await db.hostRecords.count()).toBe(0);
    await hostRecordsWritten();
    expect(await db.hostRecords.count()).toBe(1500);
    expect((await db.hostRecords.get([REALM, app.profileId, app.origin, 'vendor', '7']))?.name).toBe('Vendor 7');
  });

  it('are not written again when seen again unchanged, and are when they changed', async () => {
    await statusesFor(app, 'vendor', rows(10, 'Seen'));
    await hostRecordsWritten();
    const first = await db.hostRecords.get([REALM, app.profileId, app.origin, 'vendor', '3']);
    await db.hostRecords.update([REALM, app.profileId, app.origin, 'vendor', '3'], { seenAt: 1 });
    await statusesFor(app, 'vendor', rows(10, 'Seen'));
    await hostRecordsWritten();
    expect((await db.hostRecords.get([REALM, app.profileId, app.origin, 'vendor', '3']))?.seenAt).toBe(1);
    await statusesFor(app, 'vendor', rows(10, 'Renamed'));
    await hostRecordsWritten();
    const renamed = await db.hostRecords.get([REALM, app.profileId, app.origin, 'vendor', '3']);
    expect(renamed?.name).toBe('Renamed 3');
    expect(renamed!.seenAt).toBeGreaterThanOrEqual(first!.seenAt);
  });
});
