// The app's bills and payments workflow in the side panel (lib/workflows/bills.ts): a Bills and a
// Payments tab (each record with its QuickBooks state and actions Export, Import, Ignore, Log),
// the Settings tab (line type, accounts, classes, alerts, automations with what turning one on
// does at once), and the app's own Log with Re-try.
import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useMemo, useState } from 'react';
import { LogTable, LogViewer } from '@/components/LogTable';
import { dateTime, money as currency } from '@/components/format';
import { qboFor } from '@/lib/auth/connection';
import { db, type Connection, type LogEntry } from '@/lib/db';
import { forgetCache, recordsOf } from '@/lib/db/qbcache';
import { readSetting, SETTINGS } from '@/lib/db/settings';
import { shortName } from '@/lib/hosts/profile';
import { setIgnored, type HostApp } from '@/lib/links';
import { webLink } from '@/lib/qbo/links';
import { requestPush } from '@/lib/sync';
import { retry, untilSettled } from '@/lib/sync/outbox';
import {
  automationBacklog, AUTOMATION_WORDS, AUTOMATIONS, BillsSettings, docRows, exportDocs, exportPayments, importDocs, importPayments, paymentRows,
  readBillsSettings, runDailySync, saveBillsSettings, startAutomation, TXN_STATUSES, type Automation, type ImportChoice, type ExportResult, type TxnRow, type TxnStatus,
} from '@/lib/workflows/bills';
import { MAX_AT_ONCE } from '@/lib/bulk';
import { hasReceivables } from '@/lib/workflows/receivables';
import { ConfirmDialog, ProgressBar } from '@/components/Dialog';
import { useActionProgress } from '@/components/hooks';
import type { ActiveApp } from './activeApp';
import { hasBills as profileHasBills, hasPurchaseOrders as profileHasPos } from '@/lib/workflows/run';
import { hostRecordsOfKind, watchHostRecords } from '@/lib/hosts/store';

/** Whether an app's profile carries the bills workflow, or the purchase orders one (lib/workflows/run.ts). */
export const hasBills = (active: ActiveApp) => profileHasBills(active.profile);
export const hasPurchaseOrders = (active: ActiveApp) => profileHasPos(active.profile);

type Rec = Record<string, any>;

export const hasBillPayments = (active: ActiveApp) => !!active.profile.api?.kinds.billPayment;
export const hasVendorCredits = (active: ActiveApp) => !!active.profile.api?.kinds.vendorCredit;

/** The app of the side panel as the workflows take it: its key, name, company, and QuickBooks' preferences. */
export function useApp(active: ActiveApp, company: Connection) {
  const app: HostApp = { profileId: active.profile.id, origin: active.origin };
  const appName = shortName(active.profile);
  const realmId = company.realmId;
  const readPrefs = async () => (await qboFor(realmId)).read('Preferences', '1') as Promise<Rec>;
  return { app, appName, realmId, readPrefs };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What an export or import did, in a sentence: how many went, and why others did not. */
export function outcome(r: ExportResult, what: string): { tone: 'ok' | 'bad'; text: string } {
  // Entries already done were asked for before: the same write is never made twice.
  const sent = r.entries.filter((e) => (e.operation !== 'update' || e.target === 'qbo') && e.state !== 'done').length;
  const parts = [sent ? `${plural(sent, 'change')} sent (${what}).` : r.entries.length ? 'Already done: nothing new to send.' : ''];
  if (r.refused.length) parts.push(`${plural(r.refused.length, 'record')} not sent: ${r.refused[0].why}${r.refused.length > 1 ? ` (and ${r.refused.length - 1} more)` : ''}`);
  return { tone: r.refused.length && !sent ? 'bad' : 'ok', text: parts.filter(Boolean).join(' ') };
}

/** How each tab speaks of its records. */
const WORDS = {
  bill: { one: 'bill', many: 'bills', Many: 'Bills', date: 'Bill date', figure: 'QB balance', entity: 'Bill' },
  vendorCredit: { one: 'vendor credit', many: 'vendor credits', Many: 'Vendor credits', date: 'Date', figure: 'QB credit left', entity: 'VendorCredit' },
  billPayment: { one: 'payment', many: 'payments', Many: 'Payments', date: 'Paid', figure: 'QB amount', entity: 'BillPayment' },
} as const;

export function TxnTab({ active, company, kind }: { active: ActiveApp; company: Connection; kind: 'bill' | 'billPayment' | 'vendorCredit' }) {
  const { app, appName, realmId, readPrefs } = useApp(active, company);
  const w = WORDS[kind];
  const lastSync = useLiveQuery(() => db.connections.get(realmId).then((c) => c?.lastSyncAt ?? 0), [realmId]);
  const localOrigin = useLiveQuery(() => readSetting(SETTINGS.connection).then((c) => c.localOrigin), []);
  // Rows are read again when the app's records, links, the outbox or QuickBooks' records change.
  const rows = useLiveQuery(async () => {
    if (lastSync === undefined || localOrigin === undefined) return undefined;
    await Promise.all([watchHostRecords(), db.links.count(), db.outbox.count()]);
    forgetCache(realmId, w.entity);
    const url = (entity: string, id: string) => webLink(company.environment, entity, id, realmId, localOrigin);
    return kind === 'billPayment' ? paymentRows(realmId, app, url) : docRows(realmId, app, kind, url);
  }, [realmId, app.profileId, app.origin, kind, lastSync, localOrigin]);
  const [filter, setFilter] = useState<TxnStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const needle = useDeferredValue(search.trim().toLowerCase());
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [log, setLog] = useState<TxnRow>();
  // Where the app has orders, a bill imported alone asks for its order and service period first.
  const [choosing, setChoosing] = useState<TxnRow>();
  const asksOrder = kind === 'bill' && !!active.profile.api?.kinds.order;
  const shown = useMemo(
    () => (rows ?? []).filter((r) => (filter === 'all' || r.status === filter) && (!needle || [r.vendor, r.number, r.date, r.method, r.note].some((v) => v?.toLowerCase().includes(needle)))),
    [rows, filter, needle],
  );
  const LIMIT = 300;
  const picked = shown.filter((r) => chosen.has(r.key));

  const act = async (what: () => Promise<{ tone: 'ok' | 'bad'; text: string }>) => {
    setNote(undefined);
    try {
      setNote(await what());
      setChosen(new Set());
      await requestPush(realmId);
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const user = { kind: 'user' as const, name: `Export ${w.many}` };
  const ctx = { realmId, app, appName, readPrefs };
  const doExport = (list: TxnRow[]) =>
    act(async () => {
      const ids = list.filter((r) => r.hostId && r.status !== 'Ignored').map((r) => r.hostId!);
      if (!ids.length) throw new Error(`Choose ${w.many} of ${appName} to export.`);
      if (ids.length > MAX_AT_ONCE) throw new Error(`At most ${MAX_AT_ONCE} at a time: choose fewer.`);
      return outcome(kind === 'billPayment' ? await exportPayments({ ...ctx, origin: user }, ids) : await exportDocs({ ...ctx, origin: user }, kind, ids), 'to QuickBooks');
    });
  const doImport = (list: TxnRow[], choices: Record<string, ImportChoice> = {}) =>
    act(async () => {
      const ids = list.filter((r) => !r.hostId && r.qbId).map((r) => r.qbId!);
      if (!ids.length) throw new Error(`Choose ${w.many} that are only in QuickBooks to import.`);
      if (ids.length > MAX_AT_ONCE) throw new Error(`At most ${MAX_AT_ONCE} at a time: choose fewer.`);
      const origin = { kind: 'user' as const, name: `Import ${w.many}` };
      return outcome(kind === 'billPayment' ? await importPayments({ ...ctx, origin }, ids) : await importDocs({ ...ctx, origin }, kind, ids, choices), `into ${appName}; open ${appName} if it waits`);
    });
  const doIgnore = (list: TxnRow[], ignored: boolean) =>
    act(async () => {
      const ids = list.filter((r) => r.hostId).map((r) => r.hostId!);
      for (const id of ids) await setIgnored(app, kind, id, ignored);
      return { tone: 'ok', text: `${plural(ids.length, w.one)} ${ignored ? 'ignored' : 'no longer ignored'}.` };
    });

  return (
    <div style={{ padding: '10px 14px' }}>
      <StatusChips<TxnStatus> statuses={TXN_STATUSES} of={rows?.map((r) => r.status)} filter={filter} setFilter={setFilter} testId="txn-count" />
      <div className="row" style={{ margin: '10px 0' }}>
        <input type="search" placeholder={`Search ${w.many}: vendor, Ref #, date…`} aria-label="Search" value={search} onChange={(e) => setSearch(e.target.value)} style={{ flex: 1, minWidth: 0 }} />
      </div>
      {picked.length > 0 && (
        <div className="row" style={{ marginBottom: 8 }}>
          <span className="small muted">{picked.length} chosen:</span>
          <button className="primary" onClick={() => void doExport(picked)} disabled={!picked.some((r) => r.hostId)}>Export</button>
          <button onClick={() => void doImport(picked)} disabled={!picked.some((r) => !r.hostId)}>Import</button>
          <button onClick={() => void doIgnore(picked, true)} disabled={!picked.some((r) => r.hostId)}>Ignore</button>
        </div>
      )}
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="txn-note">
          {note.text}
        </p>
      )}
      {rows === undefined ? (
        <p className="muted">Reading {w.many}…</p>
      ) : (
        <ul className="txn-list" data-testid={`${kind}-table`}>
          {shown.slice(0, LIMIT).map((r) => (
            <li key={r.key} className="txn-row" data-status={r.status}>
              <input type="checkbox" aria-label={`Choose ${r.number || r.key}`} checked={chosen.has(r.key)} onChange={() => setChosen((c) => (c.has(r.key) ? new Set([...c].filter((k) => k !== r.key)) : new Set([...c, r.key])))} />
              <div className="txn-main">
                <div className="txn-line">
                  <strong className="txn-vendor" title={r.vendor}>{r.vendor || '—'}</strong>
                  <span className="txn-amount">{r.amount !== undefined && !Number.isNaN(r.amount) ? currency(r.amount) : ''}</span>
                </div>
                <div className="small muted txn-facts">
                  <span>
                    Ref #{' '}
                    {r.url ? (
                      <a href={r.url} target="_blank" rel="noopener noreferrer" title="Open in QuickBooks">{r.number || '—'}</a>
                    ) : (
                      <b>{r.number || '—'}</b>
                    )}
                  </span>
                  <span>{w.date} {r.date}</span>
                  {r.dueDate && <span>Due {r.dueDate}</span>}
                  {r.method && <span>{r.method}</span>}
                  {r.qb !== undefined && (
                    <span data-testid="qb-figure-label">
                      {w.figure} <b data-testid="qb-figure">{currency(r.qb)}</b>
                    </span>
                  )}
                </div>
                {r.note && <div className="small txn-why wrap-anywhere" data-testid="txn-why">{r.note}</div>}
                {r.updatedAt && <div className="small muted">Updated in {appName} {dateTime(Date.parse(r.updatedAt))}</div>}
              </div>
              <div className="txn-side">
                <span className={`pill st-${r.status.replace(/\s+/g, '-').toLowerCase()}`}>{r.status}</span>
                <span className="row-actions">
                  {r.hostId && r.status !== 'Ignored' && r.status !== 'Sending' && (kind !== 'billPayment' || r.status === 'Not exported' || r.status === 'Error') && (
                    <button onClick={() => void doExport([r])} aria-label={`Export ${r.number || r.key}`}>
                      {r.status === 'Exported' || r.status === 'Imported' ? 'Update' : r.status === 'Error' ? 'Re-try' : 'Export'}
                    </button>
                  )}
                  {!r.hostId && r.status !== 'Sending' && (
                    <button onClick={() => (asksOrder ? setChoosing(r) : void doImport([r]))} aria-label={`Import ${r.number || r.key}`}>
                      {r.status === 'Error' ? 'Re-try' : 'Import'}
                    </button>
                  )}
                  {r.hostId && (r.status === 'Not exported' || r.status === 'Error') && <button onClick={() => void doIgnore([r], true)} aria-label={`Ignore ${r.number || r.key}`}>Ignore</button>}
                  {r.status === 'Ignored' && <button onClick={() => void doIgnore([r], false)} aria-label={`Stop ignoring ${r.number || r.key}`}>Un-ignore</button>}
                  {r.entryIds.length > 0 && <button onClick={() => setLog(r)} aria-label={`Log of ${r.number || r.key}`}>Log</button>}
                </span>
              </div>
            </li>
          ))}
          {shown.length === 0 && (
            <li className="muted txn-empty">{rows.length ? 'Nothing matches.' : `No ${w.many} read from ${appName} yet: they come with the next sync.`}</li>
          )}
        </ul>
      )}
      {shown.length > LIMIT && <p className="small muted">Showing {LIMIT} of {shown.length.toLocaleString()}: search or filter to narrow.</p>}
      {log && <RecordLog row={log} onClose={() => setLog(undefined)} />}
      {choosing && (
        <ImportDialog row={choosing} realmId={realmId} app={app} appName={appName} onClose={() => setChoosing(undefined)}
          onImport={(choice) => {
            setChoosing(undefined);
            void doImport([choosing], { [choosing.qbId!]: choice });
          }} />
      )}
    </div>
  );
}

/**
 * The row of status chips above a workflow tab's list: All, then each status with its count (those
 * with none left out, Error always shown); `of` is each row's status (undefined while reading).
 */
export function StatusChips<S extends string>({ statuses, of, filter, setFilter, testId }: { statuses: readonly S[]; of: S[] | undefined; filter: S | 'all'; setFilter(s: S | 'all'): void; testId: string }) {
  const counts = useMemo(() => {
    const c = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
    for (const s of of ?? []) c[s]++;
    return c;
  }, [of, statuses]);
  return (
    <div className="row" role="group" aria-label="Show">
      <button className={filter === 'all' ? 'chip on' : 'chip'} onClick={() => setFilter('all')}>
        All {of ? of.length.toLocaleString() : ''}
      </button>
      {statuses.filter((s) => counts[s] > 0 || s === 'Error').map((s) => (
        <button key={s} className={filter === s ? 'chip on' : 'chip'} onClick={() => setFilter(s)} data-testid={`${testId}-${s}`}>
          {s} <b>{of ? counts[s].toLocaleString() : '…'}</b>
        </button>
      ))}
    </div>
  );
}

/** Importing a QuickBooks bill into an app with orders: which order it is for, and its service period. */
function ImportDialog({ row, realmId, app, appName, onImport, onClose }: { row: TxnRow; realmId: string; app: HostApp; appName: string; onImport(choice: ImportChoice): void; onClose(): void }) {
  const orders = useLiveQuery(async () => {
    const bill = ((await recordsOf(realmId, 'Bill')) as Map<string, Rec>).get(row.qbId!);
    const links = bill ? await db.links.where('[realmId+qbEntity+qbId]').equals([realmId, 'Vendor', String(bill.VendorRef?.value)]).toArray() : [];
    const vendor = links.find((l) => l.profileId === app.profileId && l.origin === app.origin && l.kind === 'vendor' && l.state === 'linked')?.hostId;
    const all = await hostRecordsOfKind(realmId, app, 'order');
    return all.filter((o) => o.fields.vendorId === vendor).sort((a, b) => (b.fields.servicePeriodStart ?? '').localeCompare(a.fields.servicePeriodStart ?? ''));
  }, [realmId, row.qbId]);
  const [order, setOrder] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const pick = (number: string) => {
    setOrder(number);
    const o = orders?.find((x) => x.fields.number === number);
    setStart(o?.fields.servicePeriodStart ?? '');
    setEnd(o?.fields.servicePeriodEnd ?? '');
  };
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-label={`Import ${row.number || row.key}`} onClick={(e) => e.stopPropagation()}>
        <strong>Import bill {row.number} into {appName}</strong>
        <p className="small muted">{row.vendor} · {row.qb !== undefined ? currency(row.qb) : ''} · {row.date}</p>
        <label className="field">
          Order
          <select aria-label="Order" value={order} onChange={(e) => pick(e.target.value)} autoFocus>
            <option value="">No order</option>
            {(orders ?? []).map((o) => (
              <option key={o.hostId} value={o.fields.number}>
                {o.fields.number} · {o.fields.campaign ?? o.fields.client ?? ''} ({o.fields.servicePeriodStart} – {o.fields.servicePeriodEnd})
              </option>
            ))}
          </select>
        </label>
        {orders?.length === 0 && <p className="small muted">{appName} has no order of this vendor.</p>}
        <div className="row">
          <label className="field" style={{ flex: 1 }}>
            Service period from
            <input type="date" aria-label="Service period from" value={start} onChange={(e) => setStart(e.target.value)} />
          </label>
          <label className="field" style={{ flex: 1 }}>
            to
            <input type="date" aria-label="Service period to" value={end} onChange={(e) => setEnd(e.target.value)} />
          </label>
        </div>
        <div className="row">
          <button className="primary" onClick={() => onImport({ orderNumber: order || undefined, servicePeriodStart: start || undefined, servicePeriodEnd: end || undefined })}>Import</button>
          <button onClick={onClose}>Cancel</button>
        </div>
      </div>
    </div>
  );
}

/** The log lines of one record's exchanges, newest first, each opening its request and response. */
export function RecordLog({ row, onClose }: { row: Pick<TxnRow, 'key' | 'number' | 'entryIds'>; onClose(): void }) {
  const lines = useLiveQuery(() => db.logs.where('outboxId').anyOf(row.entryIds).reverse().sortBy('timestamp'), [row.entryIds.join()]);
  const [open, setOpen] = useState<LogEntry>();
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-label={`Log of ${row.number || row.key}`} onClick={(e) => e.stopPropagation()}>
        <strong>Log of {row.number || row.key}</strong>
        {open ? (
          <LogViewer entry={open} onClose={() => setOpen(undefined)} />
        ) : (
          <ul className="pick-list">
            {(lines ?? []).map((l) => (
              <li key={l.id}>
                <button onClick={() => setOpen(l)}>
                  {dateTime(l.timestamp)} · {l.action} {l.type} · <span className={`st-${l.status.split(' ')[0]}`}>{l.status}</span>
                  {l.error && <div className="small muted">{l.error}</div>}
                </button>
              </li>
            ))}
            {lines?.length === 0 && <li className="muted">Not sent yet.</li>}
          </ul>
        )}
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}

/** The app's own log: the exchanges of the outbox entries about its records, with Re-try. */
export function AppLogTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const { realmId } = useApp(active, company);
  const ids = useLiveQuery(async () => {
    const mine = await db.outbox.where('[realmId+state+seq]').between([realmId, '', 0], [realmId, '\uffff', Infinity]).filter((e) => e.host?.profileId === active.profile.id && e.host.origin === active.origin).primaryKeys();
    return new Set(mine as string[]);
  }, [realmId, active.profile.id, active.origin]);
  if (!ids) return <p className="muted" style={{ padding: 14 }}>Reading the log…</p>;
  return (
    <div style={{ padding: '0 14px 14px' }} data-testid="app-log">
      <LogTable outboxIds={ids} onRetry={async (outboxIds) => {
        await retry(outboxIds);
        await requestPush(realmId);
      }} />
    </div>
  );
}

const ACCOUNT_WORDS: Record<string, string> = { Expense: 'expense', 'Cost of Goods Sold': 'cost of goods sold', 'Other Expense': 'other expense' };

/** The workflow's settings for this app and company, saved only when QuickBooks has what they name. */
export function SettingsTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const { app, appName, realmId, readPrefs } = useApp(active, company);
  const saved = useLiveQuery(() => readBillsSettings(realmId, app), [realmId, app.profileId, app.origin]);
  const lists = useLiveQuery(async () => {
    const [accounts, items, classes] = await Promise.all(['Account', 'Item', 'Class'].map((e) => recordsOf(realmId, e) as Promise<Map<string, Rec>>));
    const active = (m: Map<string, Rec>) => [...m.values()].filter((r) => r.Active !== false).sort((a, b) => String(a.FullyQualifiedName ?? a.Name).localeCompare(String(b.FullyQualifiedName ?? b.Name)));
    // The values each line field takes in the app's bills, for choosing their classes.
    const lineValues = new Map<string, Set<string>>();
    for (const b of await hostRecordsOfKind(realmId, app, 'bill'))
      for (const l of b.lines ?? []) for (const [k, v] of Object.entries(l)) if (v && k !== 'amount' && k !== 'description' && v.length <= 40) lineValues.set(k, new Set([...(lineValues.get(k) ?? []), v]));
    return { accounts: active(accounts), items: active(items), classes: active(classes), lineValues };
  }, [realmId, app.profileId, app.origin]);
  const [draft, setDraft] = useState<BillsSettings>();
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [confirming, setConfirming] = useState<{ automation: Automation; words: string }>();
  const s = draft ?? saved;
  if (!s || !lists) return <p className="muted" style={{ padding: 14 }}>Reading settings…</p>;
  const set = (patch: Partial<BillsSettings>) => {
    setDraft({ ...s, ...patch });
    setNote(undefined);
  };
  const save = async (next: BillsSettings) => {
    try {
      await saveBillsSettings(realmId, app, next);
      setDraft(undefined);
      setNote({ tone: 'ok', text: 'Settings saved.' });
      return true;
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
      return false;
    }
  };
  const toggle = async (a: Automation, on: boolean) => {
    if (!on) return save({ ...s, automations: { ...s.automations, [a]: false } });
    // Turning one on acts at once: say on what, and wait for a yes.
    setConfirming({ automation: a, words: (await automationBacklog(realmId, app, a)).words });
  };
  const confirm = async () => {
    const a = confirming!.automation;
    setConfirming(undefined);
    if (!(await save({ ...s, automations: { ...s.automations, [a]: true } }))) return;
    try {
      const r = await startAutomation({ realmId, app, appName, readPrefs }, a);
      await requestPush(realmId);
      const refused = r.refused.length ? ` ${plural(r.refused.length, 'record')} not sent: ${r.refused[0].why}` : '';
      setNote({ tone: 'ok', text: `"${AUTOMATION_WORDS[a].name}" is on.${r.entries.length ? ` ${plural(r.entries.length, 'change')} sent now.` : ''}${refused}` });
    } catch (e) {
      // On, but what it was to do at once could not be done: say why; it acts on what comes next.
      setNote({ tone: 'bad', text: `"${AUTOMATION_WORDS[a].name}" is on, but nothing was sent now: ${(e as Error).message}` });
    }
  };
  const expenseAccounts = lists.accounts.filter((a) => ACCOUNT_WORDS[a.AccountType]);
  const payAccounts = lists.accounts.filter((a) => a.AccountType === 'Bank' || a.AccountType === 'Credit Card');
  const classValues = s.classField ? [...(lists.lineValues.get(s.classField) ?? [])].sort() : [];
  const receivable = hasReceivables(Object.keys(active.profile.api?.kinds ?? {}));
  return (
    <form className="settings" style={{ padding: '10px 14px' }} onSubmit={(e) => (e.preventDefault(), void save(s))} data-testid="workflow-settings">
      <h2>Bill lines</h2>
      <label className="field">
        Line type
        <select aria-label="Line type" value={s.lineType} onChange={(e) => set({ lineType: e.target.value as BillsSettings['lineType'] })}>
          <option value="Account">Account based (an expense account)</option>
          <option value="Item">Item based (a product or service)</option>
        </select>
      </label>
      {s.lineType === 'Account' ? (
        <label className="field">
          Expense account
          <select aria-label="Expense account" value={s.accountId} onChange={(e) => set({ accountId: e.target.value })}>
            <option value="">Choose…</option>
            {expenseAccounts.map((a) => (
              <option key={a.Id} value={a.Id}>{a.FullyQualifiedName ?? a.Name}</option>
            ))}
            {s.accountId && !expenseAccounts.some((a) => a.Id === s.accountId) && <option value={s.accountId}>Not in QuickBooks ({s.accountId})</option>}
          </select>
        </label>
      ) : (
        <label className="field">
          Item
          <select aria-label="Item" value={s.itemId} onChange={(e) => set({ itemId: e.target.value })}>
            <option value="">Choose…</option>
            {lists.items.map((i) => (
              <option key={i.Id} value={i.Id}>{i.FullyQualifiedName ?? i.Name}</option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        Class of each line from
        <select aria-label="Class from" value={s.classField} onChange={(e) => set({ classField: e.target.value, classes: {} })}>
          <option value="">No class</option>
          {[...lists.lineValues.keys()].sort().map((k) => (
            <option key={k} value={k}>the line's {k}</option>
          ))}
        </select>
      </label>
      {classValues.length > 0 && (
        <table className="grid" aria-label="Classes">
          <tbody>
            {classValues.map((v) => (
              <tr key={v}>
                <td>{v}</td>
                <td>
                  <select aria-label={`Class for ${v}`} value={s.classes[v] ?? ''} onChange={(e) => set({ classes: { ...s.classes, [v]: e.target.value } })}>
                    <option value="">The class named "{v}"</option>
                    {lists.classes.map((c) => (
                      <option key={c.Id} value={c.Id}>{c.FullyQualifiedName ?? c.Name}</option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Payments</h2>
      <label className="field">
        Payment account (Bank: paid by check; Credit Card)
        <select aria-label="Payment account" value={s.paymentAccountId} onChange={(e) => set({ paymentAccountId: e.target.value })}>
          <option value="">Not chosen (payments are not exported)</option>
          {payAccounts.map((a) => (
            <option key={a.Id} value={a.Id}>{a.Name} ({a.AccountType})</option>
          ))}
        </select>
      </label>
      <h2>Daily sync</h2>
      <label className="automation">
        <input type="checkbox" aria-label="Daily sync" checked={s.daily.on} onChange={(e) => set({ daily: { ...s.daily, on: e.target.checked } })} />
        <span>
          <strong>Sync once a day</strong>
          <div className="small muted">
            QuickBooks' new vendors and open bills go to {appName} (bills partly or fully paid in QuickBooks do not), and payments made in {appName} go to QuickBooks.
            {receivable && (
              <>
                {' '}Likewise for what customers owe: QuickBooks' new customers and open invoices go to {appName}, {appName}'s own invoices and the payments received there go to QuickBooks
                (applied to their invoices), and credit memos go each way.
              </>
            )}
          </div>
        </span>
      </label>
      <label className="field">
        At (this computer's time)
        <input type="time" aria-label="Daily sync time" value={s.daily.at} onChange={(e) => set({ daily: { ...s.daily, at: e.target.value } })} />
      </label>
      {s.daily.on && (
      <div role="radiogroup" aria-label="Payments" className="small">
        <label className="automation">
          <input type="radio" name="payments-way" checked={!s.daily.twoWay} onChange={() => set({ daily: { ...s.daily, twoWay: false } })} />
          <span><strong>Payments one way</strong>: made in {appName}, sent to QuickBooks; payments made in QuickBooks stay out of {appName}.</span>
        </label>
        <label className="automation">
          <input type="radio" name="payments-way" checked={s.daily.twoWay} onChange={() => set({ daily: { ...s.daily, twoWay: true } })} />
          <span><strong>Payments two ways</strong>: payments made in QuickBooks for {appName}'s bills{receivable ? ' and received for its invoices' : ''} come to {appName} too.</span>
        </label>
      </div>
      )}
      {receivable && (
        <label className="field">
          Item for credit memos made in {appName}
          <select aria-label="Credit memo item" value={s.salesItemId} onChange={(e) => set({ salesItemId: e.target.value })}>
            <option value="">Not chosen (credit memos made in {appName} stay there)</option>
            {lists.items.filter((i) => i.IncomeAccountRef?.value).map((i) => (
              <option key={i.Id} value={i.Id}>{i.FullyQualifiedName ?? i.Name}</option>
            ))}
          </select>
        </label>
      )}
      <DailySyncNow realmId={realmId} app={app} appName={appName} kinds={Object.keys(active.profile.api?.kinds ?? {})} disabled={!!draft} readPrefs={readPrefs} />
      <h2>Alerts</h2>
      <label className="row">
        <input type="checkbox" checked={s.alerts} onChange={(e) => set({ alerts: e.target.checked })} /> Browser notifications when an export fails and when records are imported
      </label>
      <p className="small muted">Email alerts need a server, and the extension runs none: the notifications appear on this computer.</p>
      <div className="row" style={{ margin: '10px 0' }}>
        <button className="primary" type="submit" disabled={!draft}>Save settings</button>
        {draft && <button type="button" onClick={() => (setDraft(undefined), setNote(undefined))}>Discard changes</button>}
      </div>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="settings-note">
          {note.text}
        </p>
      )}
      <h2>Automations</h2>
      <p className="small muted">
        Automations run while this browser runs (there is no server of ours): on each sync and when you open {appName}. What changed while the browser was
        closed is caught up on the next start. Turn them on once your vendors are matched.
      </p>
      {AUTOMATIONS.map((a) => (
        <label key={a} className="automation">
          <input type="checkbox" aria-label={AUTOMATION_WORDS[a].name} checked={s.automations[a]} disabled={!!draft} onChange={(e) => void toggle(a, e.target.checked)} />
          <span>
            <strong>{AUTOMATION_WORDS[a].name}</strong>
            <div className="small muted">{AUTOMATION_WORDS[a].does}</div>
          </span>
        </label>
      ))}
      {draft && <p className="small muted">Save or discard your changes before turning automations on or off.</p>}
      {confirming && (
        <ConfirmDialog
          label={`Turn on ${AUTOMATION_WORDS[confirming.automation].name}`}
          title={`Turn on "${AUTOMATION_WORDS[confirming.automation].name}"?`}
          confirmText="Turn on"
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(undefined)}
        >
          <p data-testid="automation-backlog">{confirming.words}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

/** Sync now: the daily sync at once, with a progress bar over the changes it made. */
function DailySyncNow({ realmId, app, appName, kinds, disabled, readPrefs }: { realmId: string; app: HostApp; appName: string; kinds: string[]; disabled: boolean; readPrefs: () => Promise<Rec> }) {
  const [action, setAction] = useState<string>();
  const [phase, setPhase] = useState<'running' | 'done'>();
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const { total, finished, failed } = useActionProgress(action);
  const run = async () => {
    const id = crypto.randomUUID();
    setAction(id);
    setPhase('running');
    setNote(undefined);
    /** Pushes and waits while the sync's changes are on their way (at most a minute). */
    const settle = async () => {
      await requestPush(realmId);
      await untilSettled(id);
    };
    try {
      const r = await runDailySync({ realmId, app, appName, kinds, action: id, readPrefs }, settle);
      await settle();
      setNote(r.refused.length ? { tone: 'bad', text: `${plural(r.refused.length, 'record')} not sent: ${r.refused[0].why}` } : undefined);
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
    setPhase('done');
  };
  return (
    <div style={{ margin: '8px 0' }}>
      <div className="row">
        <button type="button" onClick={() => void run()} disabled={disabled || phase === 'running'}>
          Sync now
        </button>
        {phase && (
          <span className="small muted" data-testid="daily-progress-text">
            {phase === 'running' && total === 0 ? 'Looking at what changed…' : `${finished} of ${plural(total, 'change')} done${failed ? `, ${failed} failed (see Log)` : ''}${phase === 'done' ? '.' : '…'}`}
          </span>
        )}
      </div>
      {phase && <ProgressBar label="Sync progress" done={finished} of={total} />}
      {note && <p className={note.tone === 'ok' ? 'notice' : 'problem'}>{note.text}</p>}
    </div>
  );
}
