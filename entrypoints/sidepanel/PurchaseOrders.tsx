// The ERP's purchase orders in the side panel (lib/workflows/purchase-orders.ts): each PO with its
// status in the app and in QuickBooks, the error that stops it in words, Send now and Log; and the
// workflow's settings, account names typed as in QuickBooks' chart of accounts.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { money as currency } from '@/components/format';
import { db, type Connection } from '@/lib/db';
import { shortName } from '@/lib/hosts/profile';
import { requestPush } from '@/lib/sync';
import { exportPurchaseOrders, PO_ACCOUNTS, PO_AUTOMATIONS, poRows, readPoSettings, savePoSettings, type PoAutomation, type PoRow, type PoSettings } from '@/lib/workflows/purchase-orders';
import type { ActiveApp } from './activeApp';
import { RecordLog, useApp } from './Workflow';
import { watchHostRecords } from '@/lib/hosts/store';


export function PoTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const { app, realmId, appName, readPrefs } = useApp(active, company);
  const rows = useLiveQuery(async () => {
    await Promise.all([watchHostRecords(), db.links.count(), db.outbox.count()]);
    return poRows(realmId, app);
  }, [realmId, app.profileId, app.origin]);
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [log, setLog] = useState<PoRow>();
  const send = async (row: PoRow) => {
    setNote(undefined);
    try {
      const r = await exportPurchaseOrders({ realmId, app, appName, readPrefs, origin: { kind: 'user', name: 'Send purchase orders' } }, [row.hostId]);
      await requestPush(realmId);
      setNote(r.refused.length ? { tone: 'bad', text: r.refused[0].why } : { tone: 'ok', text: `PO ${row.number} sent to QuickBooks.` });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  return (
    <div style={{ padding: '10px 14px' }}>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="po-note">
          {note.text}
        </p>
      )}
      {!rows ? (
        <p className="muted">Reading purchase orders…</p>
      ) : (
        <ul className="txn-list" data-testid="po-table">
          {rows.map((r) => (
            <li key={r.hostId} className="txn-row" data-state={r.state} data-testid={`po-${r.number}`} style={{ gridTemplateColumns: '1fr auto' }}>
              <div className="txn-main">
                <div className="txn-line">
                  <strong className="txn-vendor">PO {r.number} · {r.supplier}</strong>
                  <span className="txn-amount">{Number.isNaN(r.total) ? '' : currency(r.total)}</span>
                </div>
                <div className="small muted txn-facts">
                  <span>In {appName}: <b>{r.status}</b></span>
                  {r.qbId && <span>QuickBooks id {r.qbId}</span>}
                </div>
                {r.note && <div className="small txn-why wrap-anywhere" data-testid="po-why">{r.note}</div>}
              </div>
              <div className="txn-side">
                <span className={`pill st-${r.state === 'In QuickBooks' ? 'exported' : r.state === 'Error' ? 'error' : 'not-exported'}`}>{r.state}</span>
                <span className="row-actions">
                  {/* Only an Ordered (or later Received) PO goes to QuickBooks, as the ERP's integration says. */}
                  {r.state !== 'Sending' && r.state !== 'Ignored' && (r.qbId || r.status === 'Ordered' || r.status === 'Received') && (
                    <button onClick={() => void send(r)} aria-label={`Send PO ${r.number}`}>
                      {r.state === 'Error' ? 'Re-try' : r.state === 'In QuickBooks' ? 'Update' : 'Send now'}
                    </button>
                  )}
                  {r.entryIds.length > 0 && <button onClick={() => setLog(r)} aria-label={`Log of PO ${r.number}`}>Log</button>}
                </span>
              </div>
            </li>
          ))}
          {rows.length === 0 && <li className="muted txn-empty">No purchase orders read from {appName} yet: they come with the next sync.</li>}
        </ul>
      )}
      {log && <RecordLog row={{ key: log.hostId, number: `PO ${log.number}`, entryIds: log.entryIds }} onClose={() => setLog(undefined)} />}
    </div>
  );
}

/** The PO workflow's settings: account names as QuickBooks shows them, attribute names exactly, the automations. */
export function PoSettingsTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const { app, realmId } = useApp(active, company);
  const saved = useLiveQuery(() => readPoSettings(realmId, app), [realmId, app.profileId, app.origin]);
  const [draft, setDraft] = useState<PoSettings>();
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const s = draft ?? saved;
  if (!s) return <p className="muted" style={{ padding: 14 }}>Reading settings…</p>;
  const set = (patch: Partial<PoSettings>) => (setDraft({ ...s, ...patch }), setNote(undefined));
  const save = async (next: PoSettings) => {
    try {
      await savePoSettings(realmId, app, next);
      setDraft(undefined);
      setNote({ tone: 'ok', text: 'Settings saved.' });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const toggle = (a: PoAutomation, on: boolean) => void save({ ...s, automations: { ...s.automations, [a]: on } });
  return (
    <form style={{ padding: '10px 14px' }} onSubmit={(e) => (e.preventDefault(), void save(s))} data-testid="po-settings">
      <h2>Accounts</h2>
      <p className="small muted">Type each account's name as QuickBooks' chart of accounts shows it.</p>
      {PO_ACCOUNTS.map((a) => (
        <label key={a.key} className="field">
          {a.label}
          <input aria-label={a.label} value={s[a.key]} onChange={(e) => set({ [a.key]: e.target.value })} placeholder={a.types.join(' or ')} />
        </label>
      ))}
      <h2>PO line attributes</h2>
      <p className="small muted">Their exact names in {shortName(active.profile)} (case matters).</p>
      <label className="field">
        Class attribute
        <input aria-label="Class attribute" value={s.classAttribute} onChange={(e) => set({ classAttribute: e.target.value })} />
      </label>
      <label className="field">
        Expense attribute
        <input aria-label="Expense attribute" value={s.expenseAttribute} onChange={(e) => set({ expenseAttribute: e.target.value })} />
      </label>
      <div className="row" style={{ margin: '10px 0' }}>
        <button className="primary" type="submit" disabled={!draft}>Save settings</button>
      </div>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="po-settings-note">
          {note.text}
        </p>
      )}
      <h2>Automations</h2>
      <p className="small muted">They run while this browser runs, on each sync and when an open page of the app shows a change; what changed while it was closed is caught up on the next start.</p>
      {(Object.keys(PO_AUTOMATIONS) as PoAutomation[]).map((a) => (
        <label key={a} className="automation">
          <input type="checkbox" aria-label={PO_AUTOMATIONS[a].name} checked={s.automations[a]} disabled={!!draft} onChange={(e) => toggle(a, e.target.checked)} />
          <span>
            <strong>{PO_AUTOMATIONS[a].name}</strong>
            <div className="small muted">{PO_AUTOMATIONS[a].does}</div>
          </span>
        </label>
      ))}
    </form>
  );
}
