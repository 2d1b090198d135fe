// The copies of what host pages showed: written after the page has its states (never while it
// waits), once per record, and a record seen again unchanged is not written again.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache } from '../../lib/db/qbcache';
import { stateKey } from '../../lib/hosts/read';
import { clearHostRecords, countHostRecords, hostRecord, patchHostRecord } from '../../lib/hosts/store';
import { hostRecordsWritten, knownStates, knownStatesWritten, MAX_KNOWN_STATES, statusesFor } from '../../lib/hosts/worker/records';

const REALM = '4620816365178091';
const app = { profileId: 'spotlight', origin: 'https://media.example' };
const rows = (n: number, name = 'Vendor') => Array.from({ length: n }, (_, i) => ({ hostId: String(i), fields: { hostId: String(i), name: `${name} ${i}` } }));

beforeEach(async () => {
  await Promise.all([db.connections.clear(), clearHostRecords(), db.links.clear(), db.settings.clear()]);
  forgetCache();
  await db.connections.put({ realmId: REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: 1 });
});

describe('host records', () => {
  it('are written once the pages are quiet, not while one waits for its states', async () => {
    const statuses = await statusesFor(app, 'vendor', rows(1500));
    expect(statuses).toHaveLength(1500);
    expect(await countHostRecords()).toBe(0);
    await hostRecordsWritten();
    expect(await countHostRecords()).toBe(1500);
    expect((await hostRecord(REALM, app, 'vendor', '7'))?.name).toBe('Vendor 7');
  });

  it('are not written again when seen again unchanged, and are when they changed', async () => {
    await statusesFor(app, 'vendor', rows(10, 'Seen'));
    await hostRecordsWritten();
    const first = await hostRecord(REALM, app, 'vendor', '3');
    await patchHostRecord(REALM, app, 'vendor', '3', (r) => ({ ...r, seenAt: 1 }));
    await statusesFor(app, 'vendor', rows(10, 'Seen'));
    await hostRecordsWritten();
    expect((await hostRecord(REALM, app, 'vendor', '3'))?.seenAt).toBe(1);
    await statusesFor(app, 'vendor', rows(10, 'Renamed'));
    await hostRecordsWritten();
    const renamed = await hostRecord(REALM, app, 'vendor', '3');
    expect(renamed?.name).toBe('Renamed 3');
    expect(renamed!.seenAt).toBeGreaterThanOrEqual(first!.seenAt);
  });
});

describe('the states last drawn', () => {
  const keyOf = (r: { hostId: string; fields: Record<string, string> }) => stateKey(r.hostId, r.fields);

  it('are kept under the key of each record\'s id and fields, without the id, and outlive a restarted worker', async () => {
    await db.knownStates.clear();
    const three = rows(3, 'Known');
    const statuses = await statusesFor(app, 'customer', three);
    const known = await knownStates(app, 'customer');
    expect(known.map(([key]) => key)).toEqual(three.map(keyOf));
    const { hostId: _, ...withoutId } = statuses[1];
    expect(known[1]).toEqual([keyOf(three[1]), withoutId]);
    expect(statuses[1].state).toBe('not-in-qb');
    expect(JSON.stringify(known)).not.toContain('Known 1'); // nor the fields
    await knownStatesWritten();
    // A worker started again knows them from IndexedDB, and adds what its pages draw to them.
    vi.resetModules();
    const restarted = await import('../../lib/hosts/worker/records');
    const nine = { hostId: '9', fields: { hostId: '9', name: 'Known 9' } };
    await restarted.statusesFor(app, 'customer', [nine]);
    const after = await restarted.knownStates(app, 'customer');
    expect(after.map(([key]) => key)).toEqual([...three, nine].map(keyOf));
    await restarted.knownStatesWritten();
    vi.resetModules();
    const again = await import('../../lib/hosts/worker/records');
    expect((await again.knownStates(app, 'customer')).map(([key]) => key)).toEqual([...three, nine].map(keyOf));
    // Another app, another kind, or no company: nothing.
    expect(await again.knownStates({ ...app, origin: 'https://other.example' }, 'customer')).toEqual([]);
    expect(await again.knownStates(app, 'item')).toEqual([]);
    await db.connections.clear();
    expect(await again.knownStates(app, 'customer')).toEqual([]);
  });

  it('keep the most recently drawn records of an app and kind, at most MAX_KNOWN_STATES', async () => {
    const many = rows(MAX_KNOWN_STATES + 5);
    await statusesFor(app, 'item', many.slice(0, 10));
    await statusesFor(app, 'item', many.slice(10));
    // 0 to 4 went when the rest came. 5 and 6, drawn again, are the newest; two records drawn for
    // the first time then push out the oldest, 7 and 8, not 5 and 6.
    await statusesFor(app, 'item', many.slice(5, 7));
    const ab = [{ hostId: 'a', fields: { hostId: 'a', name: 'A' } }, { hostId: 'b', fields: { hostId: 'b', name: 'B' } }];
    await statusesFor(app, 'item', ab);
    const keys = (await knownStates(app, 'item')).map(([key]) => key);
    expect(keys).toHaveLength(MAX_KNOWN_STATES);
    expect(keys.slice(-4)).toEqual([...many.slice(5, 7), ...ab].map(keyOf));
    expect(keys.slice(0, 2)).toEqual(many.slice(9, 11).map(keyOf));
    expect(keys).toContain(keyOf(many[MAX_KNOWN_STATES + 4]));
  });
});
