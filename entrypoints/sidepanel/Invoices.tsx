// The portal's invoices in the side panel (lib/workflows/invoices.ts): the Invoices tab (each
// invoice with its status and figures in the app, its QuickBooks invoices, Sync with QB with the
// client it goes to, bulk sync of up to 30, View QB info with Delete for one deleted in
// QuickBooks, Log) and the workflow's settings (Update Lists, One Transaction Invoice, Split
// Invoice, custom fields, auto-create, Invoice Date, the item, payment methods).
import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useMemo, useState } from 'react';
import { dateTime, money as currency } from '@/components/format';
import { qboFor } from '@/lib/auth/connection';
import { MAX_AT_ONCE } from '@/lib/bulk';
import { db, type Connection } from '@/lib/db';
import { forgetCache, recordsOf } from '@/lib/db/qbcache';
import { readSetting, SETTINGS } from '@/lib/db/settings';
import { setIgnored } from '@/lib/links';
import { webLink } from '@/lib/qbo/links';
import { requestPush, syncCompany } from '@/lib/sync';
import {
  customFieldsOf, DEFAULT_DESCRIPTION, DEPOSIT_TYPES, DESCRIPTION_FIELDS, INVOICE_DATES, INVOICE_SYNCS, invoiceRows, paymentsOf, readInvoiceSettings, salesCustomFields, saveInvoiceSettings,
  startInvoiceWatch, syncInvoices, unlinkInvoice, type InvoiceDate, type InvoiceRow, type InvoiceSettings, type InvoiceSync,
} from '@/lib/workflows/invoices';
import type { ActiveApp } from './activeApp';
import { outcome, plural, RecordLog, StatusChips, useApp } from './Workflow';
import { hostRecordsOfKind, watchHostRecords } from '@/lib/hosts/store';

type Rec = Record<string, any>;

/** The app's invoices workflow context: useApp, with QuickBooks' CompanyInfo (its time zone). */
function useInvoiceApp(active: ActiveApp, company: Connection) {
  const c = useApp(active, company);
  const readCompany = async () => (await qboFor(c.realmId)).read('CompanyInfo', c.realmId) as Promise<Rec>;
  return { ...c, readCompany };
}

const syncClass = (s: InvoiceSync) => `pill st-${s === 'Synced' ? 'exported' : s === 'Error' || s === 'Deleted in QuickBooks' ? 'error' : s === 'Not synced' ? 'not-exported' : s.toLowerCase()}`;

export function InvoicesTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const ctx = useInvoiceApp(active, company);
  const { app, appName, realmId } = ctx;
  const lastSync = useLiveQuery(() => db.connections.get(realmId).then((c) => c?.lastSyncAt ?? 0), [realmId]);
  const localOrigin = useLiveQuery(() => readSetting(SETTINGS.connection).then((c) => c.localOrigin), []);
  const rows = useLiveQuery(async () => {
    if (lastSync === undefined || localOrigin === undefined) return undefined;
    await Promise.all([watchHostRecords(), db.links.count(), db.outbox.count()]);
    forgetCache(realmId, 'Invoice');
    return invoiceRows(realmId, app, (entity, id) => webLink(company.environment, entity, id, realmId, localOrigin), appName);
  }, [realmId, app.profileId, app.origin, lastSync, localOrigin]);
  const [filter, setFilter] = useState<InvoiceSync | 'all'>('all');
  const [client, setClient] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const needle = useDeferredValue(client.trim().toLowerCase());
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [asking, setAsking] = useState<InvoiceRow[]>();
  const [info, setInfo] = useState<InvoiceRow>();
  const [log, setLog] = useState<InvoiceRow>();
  const shown = useMemo(
    () =>
      (rows ?? []).filter(
        (r) => (filter === 'all' || r.sync === filter) && (!needle || r.client.toLowerCase().includes(needle) || r.clientId === needle || r.number.toLowerCase().includes(needle)) && (!from || r.date >= from) && (!to || r.date <= to),
      ),
    [rows, filter, needle, from, to],
  );
  const LIMIT = 300;
  const picked = shown.filter((r) => chosen.has(r.hostId));

  const sync = async (list: InvoiceRow[]) => {
    setAsking(undefined);
    setNote(undefined);
    try {
      const ids = list.filter((r) => r.sync !== 'Ignored').map((r) => r.hostId);
      if (ids.length > MAX_AT_ONCE) throw new Error(`At most ${MAX_AT_ONCE} invoices at a time: choose fewer.`);
      const r = await syncInvoices({ ...ctx, origin: { kind: 'user', name: 'Sync invoices' } }, ids);
      setNote(outcome(r, 'to QuickBooks'));
      setChosen(new Set());
      await requestPush(realmId);
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const ignore = async (r: InvoiceRow, ignored: boolean) => {
    await setIgnored(app, 'invoice', r.hostId, ignored);
    setNote({ tone: 'ok', text: `Invoice ${r.number} ${ignored ? 'ignored' : 'no longer ignored'}.` });
  };

  return (
    <div style={{ padding: '10px 14px' }}>
      <StatusChips<InvoiceSync> statuses={INVOICE_SYNCS} of={rows?.map((r) => r.sync)} filter={filter} setFilter={setFilter} testId="invoice-count" />
      <div className="row" style={{ margin: '10px 0' }}>
        <input type="search" placeholder="Client: name or ID, or an invoice number" aria-label="Client" value={client} onChange={(e) => setClient(e.target.value)} style={{ flex: '1 1 240px', minWidth: 0 }} />
        <input type="date" aria-label="Date from" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input type="date" aria-label="Date to" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {picked.length > 0 && (
        <div className="row" style={{ marginBottom: 8 }}>
          <span className="small muted">{picked.length} chosen{picked.length > MAX_AT_ONCE ? ` (at most ${MAX_AT_ONCE} at a time)` : ''}:</span>
          <button className="primary" onClick={() => setAsking(picked)} disabled={picked.length > MAX_AT_ONCE}>Sync invoices</button>
          <button onClick={() => setChosen(new Set())}>Clear</button>
        </div>
      )}
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="invoice-note">
          {note.text}
        </p>
      )}
      {rows === undefined ? (
        <p className="muted">Reading invoices…</p>
      ) : (
        <ul className="txn-list" data-testid="invoice-table">
          {shown.slice(0, LIMIT).map((r) => (
            <li key={r.hostId} className="txn-row" data-sync={r.sync} data-testid={`invoice-${r.number}`}>
              <input type="checkbox" aria-label={`Choose ${r.number}`} checked={chosen.has(r.hostId)} onChange={() => setChosen((c) => (c.has(r.hostId) ? new Set([...c].filter((k) => k !== r.hostId)) : new Set([...c, r.hostId])))} />
              <div className="txn-main">
                <div className="txn-line">
                  <strong className="txn-vendor" title={`${r.client} (ID ${r.clientId})`}>{r.number} · {r.client}</strong>
                  <span className="txn-amount">{Number.isNaN(r.amount) ? '' : currency(r.amount)}</span>
                </div>
                <div className="small muted txn-facts">
                  <span>ID {r.hostId}</span>
                  <span>{r.date}</span>
                  <span>{r.status}</span>
                  <span>Paid/Due <b>{Number.isNaN(r.paid) ? '—' : currency(r.paid)}</b> / <b>{Number.isNaN(r.due) ? '—' : currency(r.due)}</b></span>
                  {r.qb.length > 0 && (
                    <span data-testid="qb-ids">
                      QuickBooks {r.qb.length === 1 ? 'invoice' : 'invoices'}{' '}
                      {r.qb.map((q, i) => (
                        <span key={q.key}>
                          {i > 0 && ', '}
                          {q.url ? <a href={q.url} target="_blank" rel="noopener noreferrer" title="Open in QuickBooks">{q.id}</a> : <b>{q.id}</b>}
                        </span>
                      ))}
                    </span>
                  )}
                  {r.syncedAt && <span>Synced {dateTime(r.syncedAt)}</span>}
                </div>
                {r.note && <div className={`small wrap-anywhere ${r.sync === 'Not synced' ? 'muted' : 'txn-why'}`} data-testid="invoice-why">{r.note}</div>}
              </div>
              <div className="txn-side">
                <span className={syncClass(r.sync)}>{r.sync}</span>
                <span className="row-actions">
                  {(r.sync === 'Not synced' || r.sync === 'Error' || r.sync === 'Synced') && (
                    <button onClick={() => setAsking([r])} aria-label={`Sync ${r.number} with QB`}>{r.sync === 'Synced' ? 'Update' : r.sync === 'Error' ? 'Re-try' : 'Sync with QB'}</button>
                  )}
                  {r.qb.length > 0 && <button onClick={() => setInfo(r)} aria-label={`View QB info of ${r.number}`}>View QB info</button>}
                  {r.sync === 'Not synced' && <button onClick={() => void ignore(r, true)} aria-label={`Ignore ${r.number}`}>Ignore</button>}
                  {r.sync === 'Ignored' && <button onClick={() => void ignore(r, false)} aria-label={`Stop ignoring ${r.number}`}>Un-ignore</button>}
                  {r.entryIds.length > 0 && <button onClick={() => setLog(r)} aria-label={`Log of ${r.number}`}>Log</button>}
                </span>
              </div>
            </li>
          ))}
          {shown.length === 0 && <li className="muted txn-empty">{rows.length ? 'Nothing matches.' : `No invoices read from ${appName} yet: they come with the next sync.`}</li>}
        </ul>
      )}
      {shown.length > LIMIT && <p className="small muted">Showing {LIMIT} of {shown.length.toLocaleString()}: search or filter to narrow.</p>}
      {asking && <SyncDialog rows={asking} realmId={realmId} app={app} appName={appName} onSync={() => void sync(asking)} onClose={() => setAsking(undefined)} />}
      {info && <QbInfo row={info} realmId={realmId} onDelete={async () => {
        await unlinkInvoice({ ...ctx, origin: { kind: 'user', name: 'Delete link' } }, info.hostId);
        await requestPush(realmId);
        setInfo(undefined);
        setNote({ tone: 'ok', text: `Invoice ${info.number} is no longer linked; it can be synced again.` });
      }} onClose={() => setInfo(undefined)} />}
      {log && <RecordLog row={{ key: log.hostId, number: log.number, entryIds: log.entryIds }} onClose={() => setLog(undefined)} />}
    </div>
  );
}

/** "Sync with QB": the client each invoice goes to (synced, or created now), then Sync. */
function SyncDialog({ rows, realmId, app, appName, onSync, onClose }: { rows: InvoiceRow[]; realmId: string; app: { profileId: string; origin: string }; appName: string; onSync(): void; onClose(): void }) {
  const clients = useLiveQuery(async () => {
    const ids = [...new Set(rows.map((r) => r.clientId))];
    const customers = (await recordsOf(realmId, 'Customer')) as Map<string, Rec>;
    return Promise.all(
      ids.map(async (id) => {
        const l = await db.links.get([realmId, app.profileId, app.origin, 'customer', id]);
        const qb = l?.state === 'linked' ? customers.get(l.qbId!) : undefined;
        return { id, name: rows.find((r) => r.clientId === id)!.client, qb: qb ? String(qb.DisplayName) : undefined };
      }),
    );
  }, [rows.map((r) => r.hostId).join()]);
  const made = clients?.filter((c) => !c.qb) ?? [];
  const one = rows.length === 1 ? rows[0] : undefined;
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-label={one ? `Sync invoice ${one.number}` : `Sync ${rows.length} invoices`} onClick={(e) => e.stopPropagation()}>
        <strong>{one ? `Sync invoice ${one.number} with QuickBooks` : `Sync ${plural(rows.length, 'invoice')} with QuickBooks`}</strong>
        {one && <p className="small muted">{one.client} · {currency(one.amount)} · {one.status}</p>}
        {!clients ? (
          <p className="muted">Reading clients…</p>
        ) : (
          <ul className="small" data-testid="sync-clients">
            {clients.map((c) => (
              <li key={c.id}>
                {c.qb ? (
                  <>Client <b>{c.name}</b> is synced with QuickBooks customer <b>{c.qb}</b>.</>
                ) : (
                  <>A new QuickBooks customer will be created for <b>{c.name}</b> (ID {c.id}).</>
                )}
              </li>
            ))}
          </ul>
        )}
        {made.length > 0 && <p className="small muted">If QuickBooks has the client under the same name, match it on the Customers tab first instead.</p>}
        <div className="row">
          <button className="primary" autoFocus onClick={onSync} disabled={!clients}>Sync</button>
          <button onClick={onClose}>Cancel</button>
        </div>
        <p className="small muted">Payments made in {appName} are created in QuickBooks applied to the invoice.</p>
      </div>
    </div>
  );
}

/** View QB info: the QuickBooks invoices an app invoice became; Delete unlinks one deleted in QuickBooks. */
function QbInfo({ row, realmId, onDelete, onClose }: { row: InvoiceRow; realmId: string; onDelete(): Promise<void>; onClose(): void }) {
  const invoices = useLiveQuery(async () => {
    const all = (await recordsOf(realmId, 'Invoice')) as Map<string, Rec>;
    return row.qb.map((q) => ({ ...q, rec: all.get(q.id) }));
  }, [row.hostId, row.qb.map((q) => q.id).join()]);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-label={`QuickBooks info of ${row.number}`} onClick={(e) => e.stopPropagation()}>
        <strong>Invoice {row.number} in QuickBooks</strong>
        <table className="grid small" data-testid="qb-info">
          <thead>
            <tr><th>Id</th><th>No.</th><th>Date</th><th>Due</th><th className="num">Total</th><th className="num">Balance</th></tr>
          </thead>
          <tbody>
            {(invoices ?? []).map(({ key, id, url, rec }) =>
              rec ? (
                <tr key={key}>
                  <td>{url ? <a href={url} target="_blank" rel="noopener noreferrer">{id}</a> : id}</td>
                  <td>{rec.DocNumber ?? ''}</td>
                  <td>{rec.TxnDate}</td>
                  <td>{rec.DueDate ?? ''}</td>
                  <td className="num">{currency(Number(rec.TotalAmt ?? 0))}</td>
                  <td className="num">{currency(Number(rec.Balance ?? 0))}</td>
                </tr>
              ) : (
                <tr key={key}>
                  <td>{id}</td>
                  <td colSpan={5} className="txn-why">Deleted in QuickBooks</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        {row.sync === 'Deleted in QuickBooks' && (
          <p className="small">This invoice was deleted in QuickBooks. Delete unlinks it here (its payments too), so it can be synced again; nothing is changed in QuickBooks.</p>
        )}
        <div className="row">
          {row.sync === 'Deleted in QuickBooks' && <button className="primary" onClick={() => void onDelete()}>Delete</button>}
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}

/** The invoices workflow's settings for this app and company, saved only when QuickBooks has what they name. */
export function InvoiceSettingsTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const { app, appName, realmId, readPrefs } = useInvoiceApp(active, company);
  const saved = useLiveQuery(() => readInvoiceSettings(realmId, app), [realmId, app.profileId, app.origin]);
  const [listsAt, setListsAt] = useState(0);
  const lists = useLiveQuery(async () => {
    for (const e of ['Account', 'Item', 'PaymentMethod']) forgetCache(realmId, e);
    const [accounts, items, methods] = await Promise.all(['Account', 'Item', 'PaymentMethod'].map((e) => recordsOf(realmId, e) as Promise<Map<string, Rec>>));
    const active = (m: Map<string, Rec>) => [...m.values()].filter((r) => r.Active !== false).sort((a, b) => String(a.FullyQualifiedName ?? a.Name).localeCompare(String(b.FullyQualifiedName ?? b.Name)));
    const invoices = await hostRecordsOfKind(realmId, app, 'invoice');
    // The app's payment systems and custom fields, from its invoices.
    const systems = new Set<string>();
    const fields = new Set<string>();
    for (const inv of invoices) {
      try {
        for (const p of paymentsOf(inv.fields)) if (p.system) systems.add(p.system);
      } catch {
        // payments it cannot read: its sync says so
      }
      for (const k of Object.keys(customFieldsOf(inv.fields))) fields.add(k);
    }
    const prefs = await readPrefs().catch(() => undefined);
    return { accounts: active(accounts), items: active(items).filter((i) => i.Type !== 'Category'), methods: active(methods), systems: [...systems].sort(), fields: [...fields].sort(), custom: salesCustomFields(prefs), prefs };
  }, [realmId, app.profileId, app.origin, listsAt]);
  const [draft, setDraft] = useState<InvoiceSettings>();
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [updating, setUpdating] = useState(false);
  const s = draft ?? saved;
  if (!s || !lists) return <p className="muted" style={{ padding: 14 }}>Reading settings…</p>;
  const set = (patch: Partial<InvoiceSettings>) => {
    setDraft({ ...s, ...patch });
    setNote(undefined);
  };
  const save = async () => {
    try {
      await saveInvoiceSettings(realmId, app, s, lists.prefs);
      // Auto-create counts invoices made from now on.
      if (s.autoCreate) await startInvoiceWatch(realmId, app);
      setDraft(undefined);
      setNote({ tone: 'ok', text: 'Settings saved.' });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const updateLists = async () => {
    setUpdating(true);
    setNote(undefined);
    const r = await syncCompany(realmId);
    setUpdating(false);
    setListsAt(Date.now());
    setNote(r === 'failed' ? { tone: 'bad', text: 'QuickBooks could not be read: see the connection in the popup, then Update Lists again.' } : { tone: 'ok', text: r === 'busy' ? 'A sync is running: the lists update as it ends.' : 'Bank accounts and payment methods read from QuickBooks.' });
  };
  const deposit = lists.accounts.filter((a) => DEPOSIT_TYPES.includes(a.AccountType));
  const others = lists.accounts.length - deposit.length;
  const target = (system: string) => (system === '' ? s.defaultPayment : (s.paymentMethods[system] ?? { accountId: '', methodId: '' }));
  const setTarget = (system: string, patch: Partial<InvoiceSettings['defaultPayment']>) =>
    system === '' ? set({ defaultPayment: { ...s.defaultPayment, ...patch } }) : set({ paymentMethods: { ...s.paymentMethods, [system]: { ...target(system), ...patch } } });
  return (
    <form className="settings" style={{ padding: '10px 14px' }} onSubmit={(e) => (e.preventDefault(), void save())} data-testid="invoice-settings">
      <h2>Invoices</h2>
      <label className="field">
        Service/Product
        <select aria-label="Service/Product" value={s.itemId} onChange={(e) => set({ itemId: e.target.value })}>
          <option value="">Choose…</option>
          {lists.items.map((i) => (
            <option key={i.Id} value={i.Id}>{i.FullyQualifiedName ?? i.Name} ({i.Type === 'Service' ? 'Service' : 'Product'})</option>
          ))}
        </select>
      </label>
      <label className="automation">
        <input type="checkbox" aria-label="One Transaction Invoice" checked={s.oneTransaction} onChange={(e) => set({ oneTransaction: e.target.checked })} />
        <span><strong>One Transaction Invoice</strong><div className="small muted">One line summing the invoice's transactions, instead of a line for each.</div></span>
      </label>
      {s.oneTransaction && (
        <label className="field">
          One Transaction description
          <input aria-label="One Transaction description" value={s.description} onChange={(e) => set({ description: e.target.value })} placeholder={DEFAULT_DESCRIPTION} />
          <span className="small muted">May say {DESCRIPTION_FIELDS.map((f) => `{${f}}`).join(' ')}. Example: {DEFAULT_DESCRIPTION}</span>
        </label>
      )}
      <label className="automation">
        <input type="checkbox" aria-label="Split Invoice" checked={s.split} onChange={(e) => set({ split: e.target.checked })} />
        <span><strong>Split Invoice</strong><div className="small muted">An invoice whose transactions span several months becomes one QuickBooks invoice per month (in QuickBooks' company time zone), numbered -1, -2…</div></span>
      </label>
      <label className="field">
        Invoice Date
        <select aria-label="Invoice Date" value={s.invoiceDate} onChange={(e) => set({ invoiceDate: e.target.value as InvoiceDate })}>
          {Object.entries(INVOICE_DATES).map(([k, v]) => (
            <option key={k} value={k}>{v}</option>
          ))}
        </select>
      </label>
      <label className="automation">
        <input type="checkbox" aria-label="Sync Custom Fields" checked={s.customFields} onChange={(e) => set({ customFields: e.target.checked })} />
        <span><strong>Sync Custom Fields</strong><div className="small muted">{appName}'s invoice custom fields into QuickBooks' custom fields (the names set in QuickBooks' Settings &gt; Custom fields).</div></span>
      </label>
      {s.customFields && (
        <table className="grid" aria-label="Custom fields">
          <tbody>
            {lists.fields.map((f) => (
              <tr key={f}>
                <td>{f}</td>
                <td>
                  <select aria-label={`QuickBooks field for ${f}`} value={s.customFieldNames[f] ?? ''} onChange={(e) => set({ customFieldNames: { ...s.customFieldNames, [f]: e.target.value } })}>
                    <option value="">Not synced</option>
                    {lists.custom.map((c) => (
                      <option key={c.id} value={c.name}>{c.name}</option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
            {lists.custom.length === 0 && (
              <tr><td colSpan={2} className="small muted">QuickBooks has no custom field turned on for sales forms: turn one on in QuickBooks, then Update Lists.</td></tr>
            )}
          </tbody>
        </table>
      )}
      <label className="automation">
        <input type="checkbox" aria-label="Automatically create invoices for synced customers" checked={s.autoCreate} onChange={(e) => set({ autoCreate: e.target.checked })} />
        <span><strong>Automatically create invoices for synced customers</strong><div className="small muted">An invoice made in {appName} for a client synced with QuickBooks goes there by itself (from when this is saved on).</div></span>
      </label>
      <h2>Payment methods</h2>
      <div className="row">
        <button type="button" onClick={() => void updateLists()} disabled={updating}>{updating ? 'Updating…' : 'Update Lists'}</button>
        <span className="small muted">Bank accounts and payment methods, read again from QuickBooks.</span>
      </div>
      <p className="small muted" data-testid="deposit-accounts-note">
        Payments can go to {plural(deposit.length, 'account')} of type Bank or Other Current Asset{others ? `; the ${plural(others, 'other account')} QuickBooks has are not offered` : ''}. With none chosen, QuickBooks puts payments in Undeposited Funds.
      </p>
      <div className="pay-map" role="group" aria-label="Payment methods">
        {[...lists.systems, ''].map((system) => (
          <fieldset key={system || 'default'} className="pay-map-row">
            <legend>{system ? `${appName}'s ${system} payments` : 'Default'}</legend>
            <select aria-label={`Bank account for ${system || 'Default'}`} value={target(system).accountId} onChange={(e) => setTarget(system, { accountId: e.target.value })}>
              <option value="">{system ? 'Account: the default' : 'Account: Undeposited Funds'}</option>
              {deposit.map((a) => (
                <option key={a.Id} value={a.Id}>{a.Name} ({a.AccountType})</option>
              ))}
            </select>
            <select aria-label={`Payment method for ${system || 'Default'}`} value={target(system).methodId} onChange={(e) => setTarget(system, { methodId: e.target.value })}>
              <option value="">{system ? 'Method: the default' : 'Method: none'}</option>
              {lists.methods.map((m) => (
                <option key={m.Id} value={m.Id}>{m.Name}</option>
              ))}
            </select>
          </fieldset>
        ))}
      </div>
      <p className="small muted">The default is used for a payment whose system has nothing chosen, or that names no payment system.</p>
      <div className="row" style={{ margin: '10px 0' }}>
        <button className="primary" type="submit" disabled={!draft}>Save invoice settings</button>
        {draft && <button type="button" onClick={() => (setDraft(undefined), setNote(undefined))}>Discard changes</button>}
      </div>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="invoice-settings-note">
          {note.text}
        </p>
      )}
      <p className="small muted">
        Deleting a synced invoice in {appName} deletes it in QuickBooks (its payments first), on the next sync. Automations run while this browser runs.
      </p>
    </form>
  );
}
