// The log the user reads: one entry per exchange with QuickBooks (and per refused message or
// connection event), redacted before it is written, and bounded: the oldest entries go first.
import type { Exchange } from '../qbo/client';
import { db, type LogBody, type LogEntry } from './index';

/** What is logged: an entry and, for exchanges, its redacted request and response. */
export type NewLogEntry = LogEntry & { request?: string; response?: string };

export const MAX_LOG_ENTRIES = 5_000;
const PRUNE_EVERY = 100;
let writes = 0;

const ACTIONS: Record<string, string> = { read: 'Read', query: 'Query', count: 'Count', create: 'Create', update: 'Update', delete: 'Delete', void: 'Void', batch: 'Batch', cdc: 'Changes' };

/** A QBO exchange as a log entry (its bodies were redacted by the client). */
export function exchangeToLog(e: Exchange): NewLogEntry {
  return {
    realmId: e.realmId,
    timestamp: Date.now(),
    intuitTid: e.intuitTid,
    type: e.entity ?? 'QuickBooks',
    objectId: e.objectId,
    objectName: e.objectName,
    action: ACTIONS[e.operation] ?? e.operation,
    status: e.error ? 'Not Completed' : 'Completed',
    httpStatus: e.status,
    durationMs: e.durationMs,
    request: e.request ? `${e.method} ${e.url}\n\n${e.request}` : `${e.method} ${e.url}`,
    response: e.response,
    error: e.error ? [e.error.kind, e.error.code && `code ${e.error.code}`, e.error.message, e.error.detail].filter(Boolean).join(' · ') : undefined,
  };
}

// Entries arriving together (a burst of query pages) are written in one transaction.
let queue: NewLogEntry[] = [];
let flushing: Promise<void> | undefined;

export function appendLog(entry: NewLogEntry): Promise<void> {
  queue.push(entry);
  flushing ??= Promise.resolve().then(async () => {
    await new Promise((r) => setTimeout(r, 0));
    const batch = queue;
    queue = [];
    flushing = undefined;
    await db.transaction('rw', db.logs, db.logBodies, async () => {
      const rows = batch.map(({ request, response, ...e }): LogEntry => ({ ...e, hasBody: request !== undefined || response !== undefined }));
      const ids = await db.logs.bulkAdd(rows, { allKeys: true });
      const bodies: LogBody[] = [];
      batch.forEach((e, i) => rows[i].hasBody && bodies.push({ id: ids[i]!, request: e.request, response: e.response }));
      if (bodies.length) await db.logBodies.bulkAdd(bodies);
    });
    writes += batch.length;
    if (writes >= PRUNE_EVERY) {
      writes = 0;
      await pruneLogs();
    }
  });
  return flushing;
}

/** A sync as one log entry: how many records it brought in, and how long it took. */
export function syncToLog(realmId: string, companyName: string | undefined, records: number, durationMs: number): NewLogEntry {
  return { realmId, timestamp: Date.now(), type: 'Sync', action: 'Synced', status: 'Completed', objectName: companyName, records, durationMs };
}

// ---- what a person acts on ---------------------------------------------------------------------

/** Actions that only read QuickBooks: a sync's many reads are summed up in its own entry. */
const READS = new Set(['Read', 'Query', 'Count', 'Changes']);

/** One line of the popup's activity: an entry in a person's words, and how many like it in a row. */
export interface ActivityLine {
  entry: LogEntry;
  text: string;
  /** Syncs in a row that brought nothing new are one line; this many. */
  times: number;
}

const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;

function sentence(e: LogEntry): string {
  if (e.type === 'Sync' && e.action === 'Synced')
    return e.records ? `Synced ${e.records.toLocaleString('en-US')} record${e.records === 1 ? '' : 's'} in ${seconds(e.durationMs)}` : 'Synced: nothing new in QuickBooks';
  if (e.type === 'Sync') return `Sync failed${e.objectName ? ` for ${e.objectName}` : ''}`;
  if (e.type === 'Connection') {
    const ok = e.status === 'Completed';
    if (e.action === 'Connect') return ok ? `Connected to ${e.objectName ?? 'QuickBooks'}` : e.status === 'Cancelled' ? 'Connecting was cancelled' : 'Connecting failed';
    if (e.action === 'Disconnect') return `Disconnected from ${e.objectName ?? 'QuickBooks'}${ok ? '' : ' (QuickBooks did not confirm)'}`;
    if (e.action === 'Refresh') return `${e.objectName ?? 'A company'} needs reconnecting`;
  }
  if (e.type === 'Security') return `Refused a message from a page${e.objectName ? ` (${e.objectName})` : ''}`;
  return `${e.action} ${e.type}${e.objectName ? ` · ${e.objectName}` : ''}`;
}

/**
 * The log as a person reads it: newest first, a sync as one line, writes, failures, connection
 * and security events as their own lines; reads of QuickBooks (the many queries of a sync) are
 * left out, and syncs in a row that brought nothing new are one line. The options page's Logs
 * keeps every exchange.
 */
export function activityOf(newestFirst: LogEntry[], limit: number): ActivityLine[] {
  const lines: ActivityLine[] = [];
  for (const e of newestFirst) {
    if (READS.has(e.action)) continue;
    const last = lines[lines.length - 1];
    const quiet = e.type === 'Sync' && e.action === 'Synced' && !e.records;
    if (quiet && last && last.entry.type === 'Sync' && last.entry.action === 'Synced' && !last.entry.records && last.entry.realmId === e.realmId) {
      last.times++;
      continue;
    }
    if (lines.length === limit) break;
    lines.push({ entry: e, text: sentence(e), times: 1 });
  }
  return lines;
}

/** The latest lines of activity (see activityOf), from the newest log entries. */
export async function recentActivity(limit: number): Promise<ActivityLine[]> {
  // Reads are skipped without loading their bodies; a few hundred entries hold the latest lines.
  const entries = await db.logs.orderBy('timestamp').reverse().filter((e) => !READS.has(e.action)).limit(limit * 20).toArray();
  return activityOf(entries, limit);
}

/** Keeps the newest MAX_LOG_ENTRIES entries. */
export async function pruneLogs(max = MAX_LOG_ENTRIES) {
  const count = await db.logs.count();
  if (count <= max) return 0;
  const oldest = await db.logs.orderBy('timestamp').limit(count - max).primaryKeys();
  await db.transaction('rw', db.logs, db.logBodies, async () => {
    await db.logs.bulkDelete(oldest);
    await db.logBodies.bulkDelete(oldest as number[]);
  });
  return oldest.length;
}

const CSV_COLUMNS: [string, (e: LogEntry) => unknown][] = [
  ['Time', (e) => new Date(e.timestamp).toISOString()],
  ['Company', (e) => e.realmId],
  ['Type', (e) => e.type],
  ['Name', (e) => e.objectName],
  ['ID', (e) => e.objectId],
  ['Action', (e) => e.action],
  ['Status', (e) => e.status],
  ['HTTP status', (e) => e.httpStatus],
  ['Intuit transaction ID', (e) => e.intuitTid],
  ['Error', (e) => e.error],
  ['Asked by', (e) => e.origin],
  ['Change', (e) => e.outboxId],
];

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  // A cell a spreadsheet would run as a formula is kept as text.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The log for support, newest first: CSV (one row per entry), or JSON with each entry's request
 * and response, redacted as they were stored.
 */
export async function exportLog(format: 'csv' | 'json'): Promise<string> {
  const entries = await db.logs.orderBy('timestamp').reverse().toArray();
  if (format === 'csv') return [CSV_COLUMNS.map(([h]) => h).join(','), ...entries.map((e) => CSV_COLUMNS.map(([, get]) => csvCell(get(e))).join(','))].join('\r\n');
  const bodies = new Map((await db.logBodies.bulkGet(entries.filter((e) => e.hasBody).map((e) => e.id!))).filter((b): b is LogBody => !!b).map((b) => [b.id, b]));
  return JSON.stringify(
    entries.map(({ hasBody: _hasBody, ...e }) => ({ ...e, time: new Date(e.timestamp).toISOString(), request: bodies.get(e.id!)?.request, response: bodies.get(e.id!)?.response })),
    null,
    2,
  );
}
