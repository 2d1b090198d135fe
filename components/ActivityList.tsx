// The popup's "Recent activity": what a person acts on (syncs, writes, failures, connection and
// security events), a line each; the options page's Logs has every exchange.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { recentActivity } from '@/lib/db/logs';
import type { LogEntry } from '@/lib/db';
import { dateTime, shortTime } from './format';
import { LogViewer } from './LogTable';

export function ActivityList({ limit = 10 }: { limit?: number }) {
  const lines = useLiveQuery(() => recentActivity(limit), [limit]);
  const [open, setOpen] = useState<LogEntry | undefined>();
  return (
    <div>
      {open && <LogViewer entry={open} onClose={() => setOpen(undefined)} />}
      <table className="grid" data-testid="activity">
        <tbody>
          {(lines ?? []).map(({ entry: e, text, times }) => (
            <tr key={e.id} className={e.hasBody ? 'clickable' : undefined} onClick={() => e.hasBody && setOpen(e)} title={e.error ?? dateTime(e.timestamp)}>
              <td className="nowrap">{shortTime(e.timestamp)}</td>
              <td className="wrap-anywhere">
                {text}
                {times > 1 && <span className="muted"> ({times} times)</span>}
                {e.error && <div className="small st-Not">{e.error}</div>}
              </td>
              <td className={`nowrap st-${e.status.split(' ')[0]}`}>{e.status}</td>
            </tr>
          ))}
          {lines && lines.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                Nothing yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
