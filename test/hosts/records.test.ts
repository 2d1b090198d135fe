// The copies of what host pages showed: written after the page has its states (never while it
// waits), once per record, and a record seen again unchanged is not written again.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache } from '../../lib/db/qbcache';
import { fieldsKey } from '../../lib/hosts/read';
import { hostRecordsWritten, knownStates, knownStatesWritten, MAX_KNOWN_STATES, statusesFor } from '../../lib/hosts/worker/records';

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

describe('the states last drawn', () => {
  it('are kept per record with the fields they were worked out from, and outlive a restarted worker', async () => {
    await db.knownStates.clear();
    const statuses = await statusesFor(app, 'customer', rows(3, 'Known'));
    const known = await knownStates(app, 'customer');
    expect(known.map(([id]) => id)).toEqual(['0', '1', '2']);
    expect(known[1]).toEqual(['1', fieldsKey({ hostId: '1', name: 'Known 1' }), statuses[1]]);
    expect(statuses[1].state).toBe('not-in-qb');
    await knownStatesWritten();
    // A worker started again knows them from IndexedDB.
    vi.resetModules();
    const restarted = await import('../../lib/hosts/worker/records');
    expect(await restarted.knownStates(app, 'customer')).toEqual(known);
    // Another app, another kind, or no company: nothing.
    expect(await restarted.knownStates({ ...app, origin: 'https://other.example' }, 'customer')).toEqual([]);
    expect(await restarted.knownStates(app, 'item')).toEqual([]);
    await db.connections.clear();
    expect(await restarted.knownStates(app, 'customer')).toEqual([]);
  });

  it('keep the most recently drawn records of an app and kind, at most MAX_KNOWN_STATES', async () => {
    const many = rows(MAX_KNOWN_STATES + 5);
    await statusesFor(app, 'item', many.slice(0, 10));
    await statusesFor(app, 'item', many.slice(10));
    await statusesFor(app, 'item', many.slice(0, 2)); // drawn again: the newest
    const ids = new Set((await knownStates(app, 'item')).map(([id]) => id));
    expect(ids.size).toBe(MAX_KNOWN_STATES);
    // The five drawn first went when the rest came; 0 and 1, drawn again, pushed the next two out.
    expect([...'01234567'].map((id) => ids.has(id))).toEqual([true, true, false, false, false, false, false, true]);
    expect(ids.has(String(MAX_KNOWN_STATES + 4))).toBe(true);
  });
});
