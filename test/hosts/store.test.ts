// Host records kept in chunks per app and kind, with a cache per context: what one context writes
// another reads, a failed change changes nothing, and a version 10 database keeps its records.
import 'fake-indexeddb/auto';
import Dexie, { liveQuery } from 'dexie';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CompanionDb, db, HOST_CHUNK, type HostRecord } from '../../lib/db';
import { allHostRecords, clearHostRecords, countOfKind, countsOfApp, deleteHostRecords, hostRecord, hostRecordsOf, hostRecordsOfKind, patchHostRecord, putHostRecords, withHostGroup } from '../../lib/hosts/store';

const REALM = '4620816365178091';
const app = { profileId: 'spotlight', origin: 'https://media.example' };
const rec = (hostId: string, name = `Vendor ${hostId}`, kind = 'vendor'): HostRecord => ({ realmId: REALM, ...app, kind, hostId, name, fields: { name }, source: 'api', seenAt: 1 });
const many = (n: number, from = 0, name?: string) => Array.from({ length: n }, (_, i) => rec(String(from + i).padStart(5, '0'), name && `${name} ${from + i}`));
const group = () => db.hostGroups.get([REALM, app.profileId, app.origin, 'vendor']);
const chunkRows = () => db.hostChunks.where('[realmId+profileId+origin+kind+chunk]').between([REALM, app.profileId, app.origin, 'vendor', 0], [REALM, app.profileId, app.origin, 'vendor', Infinity]).toArray();

/** The store as another extension context (the side panel beside the worker) has it: its own module, its own cache, the same database. */
async function otherContext() {
  vi.resetModules();
  return import('../../lib/hosts/store');
}

beforeEach(async () => {
  await clearHostRecords();
});

describe('host record store', () => {
  it("counts an app's records per kind for one company, and none of another company's or app's", async () => {
    await putHostRecords([
      ...many(3),
      ...many(2).map((r) => ({ ...r, realmId: 'second-company' })),
      rec('b1', 'Bill 1', 'bill'),
      { ...rec('x1'), origin: 'https://media-eu.example' },
      { ...rec('y1'), profileId: 'forge' },
    ]);
    expect(await countsOfApp(REALM, app)).toEqual({ vendor: 3, bill: 1 });
    expect(await countsOfApp('second-company', app)).toEqual({ vendor: 2 });
    expect(await countsOfApp(REALM, { profileId: 'rolodeck', origin: app.origin })).toEqual({});
  });

  it('keeps a listing in chunks, in the order it came, and finds each record by id', async () => {
    await putHostRecords(many(1200).reverse());
    const chunks = await chunkRows();
    expect(chunks.map((c) => c.records.length)).toEqual([HOST_CHUNK, HOST_CHUNK, 200]);
    expect(chunks[0].records[0].hostId).toBe('01199');
    expect((await group())?.count).toBe(1200);
    expect(await countOfKind(REALM, app, 'vendor')).toBe(1200);
    expect((await hostRecord(REALM, app, 'vendor', '00731'))?.name).toBe('Vendor 00731');
    expect((await hostRecordsOf(REALM, app, 'vendor', ['00002', 'missing', '00001'])).map((r) => r.hostId)).toEqual(['00002', '00001']);
    const all = await hostRecordsOfKind(REALM, app, 'vendor');
    expect(all.map((r) => r.hostId)).toEqual(many(1200).map((r) => r.hostId));
    all.pop();
    expect(await hostRecordsOfKind(REALM, app, 'vendor')).toHaveLength(1200);
    expect(await hostRecordsOfKind(REALM, app, 'customer')).toEqual([]);
  });

  it('rewrites only the chunks a change touches, and appends new records to the last one', async () => {
    await putHostRecords(many(1200));
    const before = (await group())!;
    await putHostRecords([rec('00600', 'Renamed'), rec('99999', 'New')]);
    const after = (await group())!;
    expect(after.rev).toBe(before.rev + 1);
    expect(after.chunkRevs).toEqual([before.chunkRevs[0], after.rev, after.rev]);
    expect(after.count).toBe(1201);
    expect((await hostRecord(REALM, app, 'vendor', '00600'))?.name).toBe('Renamed');
    expect((await chunkRows())[2].records.at(-1)?.hostId).toBe('99999');
  });

  it('packs a group again once deletions leave half its room unused', async () => {
    await putHostRecords(many(1500));
    const gone = await deleteHostRecords(REALM, app, 'vendor', [...many(1000).map((r) => r.hostId), 'never-there']);
    expect(gone).toHaveLength(1000);
    expect((await chunkRows()).map((c) => c.records.length)).toEqual([HOST_CHUNK]);
    expect((await group())?.chunkRevs).toHaveLength(1);
    expect(await hostRecord(REALM, app, 'vendor', '00001')).toBeUndefined();
    expect((await hostRecord(REALM, app, 'vendor', '01001'))?.name).toBe('Vendor 01001');
    expect(await countOfKind(REALM, app, 'vendor')).toBe(500);
  });

  it('a change that fails changes nothing, in the database or in what this context reads next', async () => {
    await putHostRecords(many(10));
    await expect(
      withHostGroup(REALM, app, 'vendor', [db.hostEvents], async (g) => {
        await g.put([rec('00003', 'Half done'), rec('00777', 'Half new')]);
        await g.delete(['00004']);
        await db.hostEvents.add({ key: 'k', realmId: REALM, ...app, kind: 'vendor', hostId: '00003', type: 'changed', at: 1 });
        throw new Error('the app said no');
      }),
    ).rejects.toThrow('the app said no');
    expect((await hostRecord(REALM, app, 'vendor', '00003'))?.name).toBe('Vendor 00003');
    expect(await hostRecord(REALM, app, 'vendor', '00004')).toBeDefined();
    expect(await hostRecord(REALM, app, 'vendor', '00777')).toBeUndefined();
    expect(await db.hostEvents.where('key').equals('k').count()).toBe(0);
    expect(await countOfKind(REALM, app, 'vendor')).toBe(10);
  });

  it('another context that cached a group reads it right after the group was packed into fewer chunks', async () => {
    await putHostRecords(many(1500));
    const other = await otherContext();
    expect(await other.hostRecordsOfKind(REALM, app, 'vendor')).toHaveLength(1500);
    await deleteHostRecords(REALM, app, 'vendor', many(1200).map((r) => r.hostId));
    expect((await other.hostRecordsOfKind(REALM, app, 'vendor')).map((r) => r.hostId)).toEqual(many(300, 1200).map((r) => r.hostId));
    await deleteHostRecords(REALM, app, 'vendor', many(300, 1200).map((r) => r.hostId));
    expect(await chunkRows()).toEqual([]);
    expect(await other.hostRecordsOfKind(REALM, app, 'vendor')).toEqual([]);
  });

  it('changes to one group made at once in one context are all kept', async () => {
    await putHostRecords(many(600));
    await Promise.all([
      patchHostRecord(REALM, app, 'vendor', '00001', (r) => ({ ...r, name: 'First' })),
      putHostRecords([rec('00599', 'Second'), rec('70000', 'Third')]),
      deleteHostRecords(REALM, app, 'vendor', ['00002']),
    ]);
    const names = new Map((await hostRecordsOfKind(REALM, app, 'vendor')).map((r) => [r.hostId, r.name]));
    expect([names.get('00001'), names.get('00599'), names.get('70000'), names.has('00002'), names.size]).toEqual(['First', 'Second', 'Third', false, 600]);
  });

  it('refuses to store a record with the records of another app or kind, and stores nothing', async () => {
    await expect(withHostGroup(REALM, app, 'vendor', [], (g) => g.put([rec('1'), rec('2', 'A customer', 'customer')]))).rejects.toThrow('cannot be stored with the vendor records');
    expect(await countOfKind(REALM, app, 'vendor')).toBe(0);
  });

  it('a body reads its own changes before they are written', async () => {
    await putHostRecords(many(3));
    const seen = await withHostGroup(REALM, app, 'vendor', [], async (g) => {
      await g.put([rec('00001', 'Changed'), rec('00009')]);
      await g.delete(['00000']);
      return { one: (await g.get('00001'))?.name, zero: await g.get('00000'), all: (await g.all()).map((r) => r.hostId).sort() };
    });
    expect(seen).toEqual({ one: 'Changed', zero: undefined, all: ['00001', '00002', '00009'] });
  });

  it('what one context writes, another that cached the group reads at once; a wiped store is not read from a cache', async () => {
    await putHostRecords(many(1200));
    const other = await otherContext();
    expect((await other.hostRecord(REALM, app, 'vendor', '00100'))?.name).toBe('Vendor 00100');
    await patchHostRecord(REALM, app, 'vendor', '00100', (r) => ({ ...r, name: 'Renamed here' }));
    expect((await other.hostRecord(REALM, app, 'vendor', '00100'))?.name).toBe('Renamed here');
    await other.putHostRecords([rec('00101', 'Renamed there')]);
    expect((await hostRecord(REALM, app, 'vendor', '00101'))?.name).toBe('Renamed there');
    expect((await hostRecord(REALM, app, 'vendor', '00100'))?.name).toBe('Renamed here');
    await other.clearHostRecords();
    await other.putHostRecords([rec('00100', 'Made again')]);
    expect(await hostRecordsOfKind(REALM, app, 'vendor')).toMatchObject([{ hostId: '00100', name: 'Made again' }]);
  });

  it('a live query of an app and kind runs again when one of its records changes', async () => {
    await putHostRecords(many(600));
    const seen: string[] = [];
    const sub = liveQuery(() => hostRecordsOfKind(REALM, app, 'vendor')).subscribe((rs) => seen.push(rs.find((r) => r.hostId === '00550')!.name!));
    await vi.waitFor(() => expect(seen).toEqual(['Vendor 00550']));
    await patchHostRecord(REALM, app, 'vendor', '00550', (r) => ({ ...r, name: 'Renamed' }));
    await vi.waitFor(() => expect(seen).toEqual(['Vendor 00550', 'Renamed']));
    sub.unsubscribe();
  });

  it('keeps apps, companies and kinds apart', async () => {
    const elsewhere = { profileId: 'spotlight', origin: 'https://other.example' };
    await putHostRecords([rec('1'), { ...rec('1', 'Other site'), ...elsewhere }, { ...rec('1', 'Other company'), realmId: 'other' }, rec('1', 'A customer', 'customer')]);
    expect((await hostRecord(REALM, app, 'vendor', '1'))?.name).toBe('Vendor 1');
    expect((await hostRecord(REALM, elsewhere, 'vendor', '1'))?.name).toBe('Other site');
    expect((await hostRecord('other', app, 'vendor', '1'))?.name).toBe('Other company');
    expect((await hostRecord(REALM, app, 'customer', '1'))?.name).toBe('A customer');
    expect((await allHostRecords()).map((r) => r.name)).toEqual(['A customer', 'Vendor 1', 'Other site', 'Other company']);
  });
});

describe('moving to chunks (database version 11)', () => {
  it('carries every host record of a version 10 database over, per app and kind', async () => {
    const name = `companion-v10-${Math.random()}`;
    const v10 = new Dexie(name);
    v10.version(10).stores({ hostRecords: '[realmId+profileId+origin+kind+hostId], [realmId+profileId+origin+kind]' });
    // More than one page of the upgrade's reading (5,000 rows), and a record with everything a record holds.
    const full: HostRecord = { ...rec('c1', 'A customer', 'customer'), email: 'a@example.com', lines: [{ item: 'Spots', amount: '10' }], version: 'v3', pageFields: { name: 'A customer ' }, seenAt: 42 };
    const old = [...many(5300), full];
    await v10.table('hostRecords').bulkAdd(old);
    v10.close();
    const v11 = new CompanionDb(name);
    const groups = await v11.hostGroups.toArray();
    expect(groups.map((g) => [g.kind, g.count, g.chunkRevs.length])).toEqual([
      ['customer', 1, 1],
      ['vendor', 5300, 11],
    ]);
    expect(new Set(groups.map((g) => g.gen)).size).toBe(2);
    const vendorChunks = (await v11.hostChunks.toArray()).filter((c) => c.kind === 'vendor');
    expect(vendorChunks.map((c) => c.records.length)).toEqual([...Array(10).fill(HOST_CHUNK), 300]);
    const kept = (await v11.hostChunks.toArray()).flatMap((c) => c.records);
    expect(kept.map((r) => r.hostId).sort()).toEqual(old.map((r) => r.hostId).sort());
    expect(kept.find((r) => r.hostId === 'c1')).toEqual(full);
    expect(v11.tables.map((t) => t.name)).not.toContain('hostRecords');
    v11.close();
    await Dexie.delete(name);
  });
});
