// One QuickBooks company's connection: its state in words, and what the user can do about it.
import { ENVIRONMENT_LABELS } from '@/lib/qbo/environments';
import type { ConnectionView } from '@/lib/messages';
import { ago } from './format';

export function statusText(c: ConnectionView): { tone: 'ok' | 'warn' | 'bad' | ''; text: string } {
  if (c.status === 'connected')
    return { tone: c.reconnectWithinDays !== undefined ? 'warn' : 'ok', text: `Connected to ${c.companyName || c.realmId}` };
  if (c.status === 'needs-reconnect') return { tone: 'bad', text: `Reconnect ${c.companyName || c.realmId}` };
  return { tone: '', text: `Disconnected from ${c.companyName || c.realmId}` };
}

export function ConnectionStatus({ c, detail = true }: { c: ConnectionView; detail?: boolean }) {
  const s = statusText(c);
  return (
    <div className="connection" data-testid={`connection-${c.realmId}`}>
      <div className="status">
        <span className={`dot ${s.tone}`} />
        <strong data-testid="connection-status">{s.text}</strong>
        <span className="pill">{ENVIRONMENT_LABELS[c.environment]}</span>
      </div>
      {c.status === 'needs-reconnect' && c.reason && <p className="problem" role="alert">{c.reason}</p>}
      {c.reconnectWithinDays !== undefined && (
        <p className="problem warn" role="alert">
          Reconnect within {c.reconnectWithinDays} {c.reconnectWithinDays === 1 ? 'day' : 'days'}: QuickBooks ends this connection after that.
        </p>
      )}
      {detail && (
        <p className="muted small">
          Company ID {c.realmId} · last sync {ago(c.lastSyncAt)}
          {c.refreshedAt ? ` · token renewed ${ago(c.refreshedAt)}` : ''}
        </p>
      )}
    </div>
  );
}
