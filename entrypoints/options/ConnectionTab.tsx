// Options > Connection: connect companies, see their state, test, disconnect; where QuickBooks is.
import { useEffect, useState } from 'react';
import { ConnectionStatus } from '@/components/ConnectionStatus';
import { testConnection } from '@/lib/auth/connection';
import { useConnections } from '@/components/hooks';
import { connectionSettings, DEFAULT_CONNECTION, DEFAULT_INTERVAL_MINUTES, LOCAL_SANDBOX_AVAILABLE, MIN_INTERVAL_MINUTES, readSetting, SETTINGS, writeSetting, type ConnectionSettings } from '@/lib/db/settings';
import { sendToWorker } from '@/lib/messages/send';
import { connectionSettingsChanged } from '@/lib/hosts/worker/registry';
import { setSyncIntervalMinutes } from '@/lib/sync';

type Note = { tone: 'ok' | 'bad'; text: string } | undefined;

export function ConnectionTab() {
  const connections = useConnections();
  const [busy, setBusy] = useState<string>('');
  const [note, setNote] = useState<Note>();
  const run = async (label: string, fn: () => Promise<string | void>) => {
    setBusy(label);
    setNote(undefined);
    try {
      const text = await fn();
      if (text) setNote({ tone: 'ok', text });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    } finally {
      setBusy('');
    }
  };
  const connect = () =>
    run('connect', async () => {
      const c = await sendToWorker('connection.connect', {});
      return `Connected to ${c.companyName}.`;
    });

  return (
    <section style={{ padding: 16, maxWidth: 880 }}>
      <h2>QuickBooks companies</h2>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role={note.tone === 'bad' ? 'alert' : 'status'} data-testid="connection-note">
          {note.text}
        </p>
      )}
      {connections?.length === 0 && <p className="muted">No QuickBooks company is connected yet.</p>}
      {connections?.map((c) => (
        <div className="card" key={c.realmId}>
          <ConnectionStatus c={c} />
          <div className="row">
            {c.status === 'connected' ? (
              <>
                <button disabled={!!busy} onClick={() => run('test', async () => {
                  const r = await testConnection(c.realmId);
                  return `The connection to ${r.companyName} works: read its settings, ${r.counts.customers} customers, ${r.counts.vendors} vendors and ${r.counts.items} items in ${r.ms} ms.`;
                })}>
                  Test connection
                </button>
                <button disabled={!!busy} onClick={() => run('disconnect', async () => {
                  const r = await sendToWorker('connection.disconnect', { realmId: c.realmId });
                  return r.message ?? `Disconnected from ${c.companyName}. QuickBooks revoked the connection.`;
                })}>
                  Disconnect
                </button>
              </>
            ) : (
              <button className="primary" disabled={!!busy} onClick={connect}>
                Reconnect
              </button>
            )}
          </div>
        </div>
      ))}
      <p>
        <button className="primary" disabled={!!busy} onClick={connect}>
          {busy === 'connect' ? 'Waiting for QuickBooks…' : connections?.length ? 'Connect another company' : 'Connect to QuickBooks'}
        </button>
      </p>
      <Advanced />
    </section>
  );
}

/** Where QuickBooks and the token broker are; the sandbox builds point at the local sandbox. */
function Advanced() {
  const [form, setForm] = useState<ConnectionSettings>(DEFAULT_CONNECTION);
  const [interval, setIntervalMinutes] = useState(DEFAULT_INTERVAL_MINUTES);
  const [note, setNote] = useState<Note>();
  useEffect(() => {
    void readSetting(SETTINGS.connection).then(setForm);
    void readSetting(SETTINGS.syncIntervalMinutes).then(setIntervalMinutes);
  }, []);
  const save = async () => {
    try {
      await writeSetting(SETTINGS.connection, form);
      await connectionSettingsChanged();
      await setSyncIntervalMinutes(interval);
      setNote({ tone: 'ok', text: 'Saved.' });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const field = (key: keyof ConnectionSettings, label: string) => (
    <label className="field">
      {label}
      <input value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} name={key} />
    </label>
  );
  return (
    <details className="card">
      <summary>Advanced: where QuickBooks is</summary>
      <div style={{ display: 'grid', gap: 10, gridTemplateColumns: '1fr 1fr', marginTop: 12 }}>
        <label className="field">
          QuickBooks
          <select name="environment" value={form.environment} onChange={(e) => setForm({ ...form, environment: connectionSettings.shape.environment.parse(e.target.value) })}>
            <option value="production">QuickBooks Online (production)</option>
            <option value="intuit-sandbox">Intuit developer sandbox</option>
            {LOCAL_SANDBOX_AVAILABLE && <option value="local-sandbox">Local sandbox</option>}
          </select>
        </label>
        {LOCAL_SANDBOX_AVAILABLE && field('localOrigin', 'Local sandbox URL')}
        {field('brokerUrl', 'Token broker URL')}
        {field('clientId', 'App client ID')}
        <label className="field">
          Sync every (minutes)
          <input type="number" min={MIN_INTERVAL_MINUTES} step={0.5} name="syncInterval" value={interval} onChange={(e) => setIntervalMinutes(Number(e.target.value))} />
        </label>
      </div>
      <p className="row">
        <button onClick={save}>Save</button>
        {note && <span className={note.tone === 'ok' ? 'muted' : 'problem'} role="status">{note.text}</span>}
      </p>
    </details>
  );
}
