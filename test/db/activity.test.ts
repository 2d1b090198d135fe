// The popup's activity: a sync is one line, writes and failures are their own lines, reads of
// QuickBooks (a sync's many queries) are left out, and syncs in a row that brought nothing new
// are one line. The log itself keeps every exchange.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type LogEntry } from '../../lib/db';
import { activityOf, appendLog, recentActivity, syncToLog } from '../../lib/db/logs';

let t = 0;
const entry = (e: Partial<LogEntry>): LogEntry => ({ realmId: '1', timestamp: ++t, type: 'Vendor', action: 'Query', status: 'Completed', ...e });

beforeEach(async () => {
  await db.logs.clear();
  await db.logBodies.clear();
});

describe('recent activity', () => {
  it('shows a sync as one line and leaves its reads out', () => {
    const sync = { ...syncToLog('1', 'Larkspur', 70_360, 1_612), timestamp: ++t };
    const reads = Array.from({ length: 16 }, (_, i) => entry({ action: i % 3 ? 'Query' : 'Count' }));
    const lines = activityOf([sync, ...reads.reverse(), entry({ type: 'Connection', action: 'Connect', objectName: 'Larkspur' })], 10);
    expect(lines.map((l) => l.text)).toEqual(['Synced 70,360 records in 1.6 s', 'Connected to Larkspur']);
  });

  it('keeps writes and failures as their own lines, failed reads included only through their sync', () => {
    const lines = activityOf(
      [
        entry({ type: 'Sync', action: 'Pull', status: 'Not Completed', objectName: 'Larkspur', error: 'Transient · QuickBooks could not be reached.' }),
        entry({ action: 'Query', status: 'Not Completed', error: 'Transient' }),
        entry({ action: 'Create', objectName: 'Roku Advertising', status: 'Not Completed', error: 'DuplicateName' }),
        entry({ type: 'Bill', action: 'Update', objectName: '1042' }),
        entry({ type: 'Security', action: 'Message refused', status: 'Not Completed', objectName: 'hosts.records' }),
        entry({ type: 'Connection', action: 'Refresh', status: 'Not Completed', objectName: 'Larkspur' }),
      ],
      10,
    );
    expect(lines.map((l) => [l.text, l.entry.status])).toEqual([
      ['Sync failed for Larkspur', 'Not Completed'],
      ['Create Vendor · Roku Advertising', 'Not Completed'],
      ['Update Bill · 1042', 'Completed'],
      ['Refused a message from a page (hosts.records)', 'Not Completed'],
      ['Larkspur needs reconnecting', 'Not Completed'],
    ]);
  });

  it('makes syncs in a row that brought nothing new one line, and keeps to the limit', () => {
    const quiet = () => ({ ...syncToLog('1', 'Larkspur', 0, 300), timestamp: ++t });
    const lines = activityOf([quiet(), entry({}), quiet(), quiet(), { ...syncToLog('1', 'Larkspur', 12, 400), timestamp: ++t }, quiet()], 2);
    expect(lines.map((l) => [l.text, l.times])).toEqual([
      ['Synced: nothing new in QuickBooks', 3],
      ['Synced 12 records in 0.4 s', 1],
    ]);
    expect(activityOf([{ ...syncToLog('1', 'Larkspur', 1, 50), timestamp: 1 }], 5)[0].text).toBe('Synced 1 record in 0.1 s');
  });

  it('reads the latest lines from the log, newest first', async () => {
    for (let i = 0; i < 30; i++) await appendLog({ ...entry({}), timestamp: 1000 + i, response: 'x'.repeat(100) });
    await appendLog({ ...syncToLog('1', 'Larkspur', 5, 100), timestamp: 2000 });
    await appendLog(entry({ action: 'Create', objectName: 'A', timestamp: 3000 }));
    const lines = await recentActivity(10);
    expect(lines.map((l) => l.text)).toEqual(['Create Vendor · A', 'Synced 5 records in 0.1 s']);
    // The log keeps every exchange.
    expect(await db.logs.count()).toBe(32);
  });
});
