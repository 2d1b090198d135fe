// The log of every exchange with QuickBooks: search, filters, and a viewer for the (redacted)
// request and response of an entry.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { db, type LogEntry } from '@/lib/db';
import { dateTime } from './format';

const STATUSES = ['Completed', 'Not Completed', 'Cancelled'] as const;

function pretty(text: string | undefined) {
  if (!text) return '';
  const split = text.indexOf('\n\n');
  const [head, body] = split >= 0 ? [text.slice(0, split), text.slice(split + 2)] : ['', text];
  try {
    return `${head ? `${head}\n\n` : ''}${JSON.stringify(JSON.parse(body), null, 2)}`;
  } catch {
    return text;
  }
}

export function LogViewer({ entry, onClose }: { entry: LogEntry; onClose: () => void }) {
  const body = useLiveQuery(() => (entry.hasBody && entry.id !== undefined ? db.logBodies.get(entry.id) : undefined), [entry.id, entry.hasBody]);
  return (
    <div className="card" data-testid="log-viewer">
      <div className="row">
        <strong>
          {entry.action} {entry.type} {entry.objectName ? `· ${entry.objectName}` : ''}
        </strong>
        <button style={{ marginLeft: 'auto' }} onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">
        {dateTime(entry.timestamp)} · {entry.status}
        {entry.httpStatus ? ` · HTTP ${entry.httpStatus}` : ''}
        {entry.durationMs !== undefined ? ` · ${entry.durationMs} ms` : ''}
        {entry.intuitTid ? ` · Intuit transaction ID ${entry.intuitTid}` : ''}
        {entry.objectId ? ` · ID ${entry.objectId}` : ''}
      </p>
      {entry.error && <p className="problem">{entry.error}</p>}
      <h2>Request</h2>
      <pre className="body">{pretty(body?.request) || '—'}</pre>
      <h2>Response</h2>
      <pre className="body">{pretty(body?.response) || '—'}</pre>
    </div>
  );
}

/**
 * The log, newest first. `outboxIds` keeps only the exchanges of those outbox entries (an app's
 * own log in the side panel); `onRetry` adds checkboxes and "Re-try" for the chosen lines that did
 * not complete.
 */
export function LogTable({ limit = 300, outboxIds, onRetry }: { limit?: number; outboxIds?: Set<string>; onRetry?: (outboxIds: string[]) => Promise<void> }) {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [type, setType] = useState('');
  const [open, setOpen] = useState<LogEntry | undefined>();
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const types = useLiveQuery(() => db.logs.orderBy('type').uniqueKeys(), []) as string[] | undefined;
  const rows = useLiveQuery(() => {
    const needle = search.trim().toLowerCase();
    return db.logs
      .orderBy('timestamp')
      .reverse()
      .filter(
        (e) =>
          (!outboxIds || (!!e.outboxId && outboxIds.has(e.outboxId))) &&
          (!status || e.status === status) &&
          (!type || e.type === type) &&
          (!needle || [e.type, e.action, e.objectName, e.objectId, e.intuitTid, e.error, e.realmId].some((v) => v?.toLowerCase().includes(needle))),
      )
      .limit(limit)
      .toArray();
  }, [search, status, type, limit, outboxIds]);
  const retryable = (rows ?? []).filter((e) => chosen.has(e.id!) && e.status !== 'Completed' && e.outboxId);

  return (
    <div>
      <div className="row" style={{ margin: '12px 0' }}>
        <input type="search" placeholder="Search name, ID, transaction ID, error…" aria-label="Search the log" value={search} onChange={(e) => setSearch(e.target.value)} style={{ flex: 1, minWidth: 240 }} />
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)} style={{ maxWidth: '100%' }}>
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Type" value={type} onChange={(e) => setType(e.target.value)} style={{ maxWidth: '100%' }}>
          <option value="">All types</option>
          {(types ?? []).map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      {onRetry && (
        <div className="row" style={{ marginBottom: 8 }}>
          <button className="primary" disabled={!retryable.length} onClick={() => void onRetry([...new Set(retryable.map((e) => e.outboxId!))]).then(() => setChosen(new Set()))}>
            Re-try {retryable.length || ''}
          </button>
          <span className="small muted">Choose lines that did not complete, then Re-try.</span>
        </div>
      )}
      {open && <LogViewer entry={open} onClose={() => setOpen(undefined)} />}
      {/* Scrolls on its own in a narrow side panel; the page around it does not. */}
      <div className="grid-scroll">
        <table className="grid" data-testid="log-table">
          <thead>
            <tr>
              {onRetry && <th aria-label="Choose" />}
              <th>Time</th>
              <th>Type</th>
              <th>Name</th>
              <th>ID</th>
              <th>Action</th>
              <th>Status</th>
              <th>Transaction ID</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((e) => (
              <tr key={e.id} className="clickable" onClick={() => setOpen(e)} title={e.error ?? ''}>
                {onRetry && (
                  <td onClick={(ev) => ev.stopPropagation()}>
                    <input type="checkbox" aria-label={`Choose ${e.action} ${e.type} ${e.objectName ?? ''}`} checked={chosen.has(e.id!)} onChange={() => setChosen((c) => (c.has(e.id!) ? new Set([...c].filter((x) => x !== e.id)) : new Set([...c, e.id!])))} />
                  </td>
                )}
                <td>{dateTime(e.timestamp)}</td>
                <td>{e.type}</td>
                <td>{e.objectName ?? ''}</td>
                <td>{e.objectId ?? ''}</td>
                <td>{e.action}</td>
                <td className={`st-${e.status.split(' ')[0]}`}>
                  {e.status}
                  {e.error && <div className="small muted wrap-anywhere">{e.error}</div>}
                </td>
                <td className="small muted">{e.intuitTid ?? ''}</td>
              </tr>
            ))}
            {rows && rows.length === 0 && (
              <tr>
                <td colSpan={onRetry ? 8 : 7} className="muted">
                  No log entries{search || status || type ? ' match' : ' yet'}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
