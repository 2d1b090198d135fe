// The log in IndexedDB (fake-indexeddb): entries and their bodies are written together, kept
// apart (lists never read bodies), pruned together, and a version 1 database moves its bodies.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { CompanionDb, db, SCHEMA_V1 } from '../../lib/db';
import { appendLog, pruneLogs } from '../../lib/db/logs';

beforeEach(async () => {
  await db.logs.clear();
  await db.logBodies.clear();
});

describe('log bodies', () => {
  it('writes an entry and its request and response at once, in separate tables', async () => {
    await Promise.all([
      appendLog({ realmId: '1', timestamp: 1, type: 'Vendor', action: 'Create', status: 'Completed', request: 'POST /vendor\n\n{"DisplayName":"A"}', response: '{"Vendor":{}}' }),
      appendLog({ realmId: '1', timestamp: 2, type: 'Connection', action: 'Connect', status: 'Completed' }),
    ]);
    const [created, connected] = await db.logs.orderBy('timestamp').toArray();
    expect(created).not.toHaveProperty('request');
    expect(created).not.toHaveProperty('response');
    expect(created.hasBody).toBe(true);
    expect(connected.hasBody).toBe(false);
    expect(await db.logBodies.get(created.id!)).toEqual({ id: created.id, request: 'POST /vendor\n\n{"DisplayName":"A"}', response: '{"Vendor":{}}' });
    expect(await db.logBodies.count()).toBe(1);
  });

  it('prunes bodies with their entries', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => appendLog({ realmId: '1', timestamp: 100 + i, type: 'Vendor', action: 'Read', status: 'Completed', response: `body ${i}` })));
    expect(await pruneLogs(5)).toBe(7);
    const kept = await db.logs.orderBy('timestamp').toArray();
    expect(kept.map((e) => e.timestamp)).toEqual([107, 108, 109, 110, 111]);
    expect((await db.logBodies.toArray()).map((b) => b.response).sort()).toEqual(['body 10', 'body 11', 'body 7', 'body 8', 'body 9']);
  });

  it('moves the bodies of a version 1 database out of its entries', async () => {
    const name = 'log-upgrade-test';
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.table('logs').bulkAdd([
      { realmId: '1', timestamp: 1, type: 'Bill', action: 'Create', status: 'Completed', request: 'POST /bill', response: '{"Bill":{}}' },
      { realmId: '1', timestamp: 2, type: 'Connection', action: 'Connect', status: 'Completed' },
    ]);
    v1.close();

    const v2 = new CompanionDb(name);
    const [bill, connect] = await v2.logs.orderBy('timestamp').toArray();
    expect(bill).not.toHaveProperty('request');
    expect(bill.hasBody).toBe(true);
    expect(connect.hasBody).toBeUndefined();
    expect(await v2.logBodies.toArray()).toEqual([{ id: bill.id, request: 'POST /bill', response: '{"Bill":{}}' }]);
    v2.close();
    await Dexie.delete(name);
  });
});
