// The QB cache's merged records (fake-indexeddb): writing changes or deletions drops what this
// context has read of the entity, and writing none keeps it (lookup indexes are keyed on it).
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache, putChanges, putDeletions, putLoadPage, recordsOf } from '../../lib/db/qbcache';

const REALM = '9130350000000001';
const page = (rows: { Id: string; DisplayName: string }[]) =>
  JSON.stringify({ QueryResponse: { Vendor: rows, startPosition: 1, maxResults: rows.length }, time: '2030-01-01T00:00:00.000-08:00' });

beforeEach(async () => {
  await Promise.all([db.qbPages.clear(), db.qbRecords.clear()]);
  forgetCache();
  await putLoadPage(REALM, 'Vendor', 1, page([{ Id: '1', DisplayName: 'Ada' }, { Id: '2', DisplayName: 'Bo' }]), 2, 1);
});

describe('merged records', () => {
  it('stay the same map when a pull brings no changes or deletions', async () => {
    const before = await recordsOf(REALM, 'Vendor');
    await putChanges(REALM, 'Vendor', [], 2);
    await putDeletions(REALM, 'Vendor', [], 2);
    expect(await recordsOf(REALM, 'Vendor')).toBe(before);
    expect(await db.qbRecords.count()).toBe(0);
  });

  it('are read again after changes and deletions', async () => {
    const before = await recordsOf(REALM, 'Vendor');
    await putChanges(REALM, 'Vendor', [{ Id: '3', DisplayName: 'Cy' }], 2);
    const changed = await recordsOf(REALM, 'Vendor');
    expect(changed).not.toBe(before);
    expect([...changed.keys()].sort()).toEqual(['1', '2', '3']);
    await putDeletions(REALM, 'Vendor', ['1'], 3);
    expect([...(await recordsOf(REALM, 'Vendor')).keys()].sort()).toEqual(['2', '3']);
  });
});
