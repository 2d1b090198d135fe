// The integration console of the app in the active tab: its company, and per kind of name record
// (vendors, customers, items) the matching of the app's records with QuickBooks: statuses with
// counts, search, filters, a virtualized list that stays smooth at 10,000 rows, row actions
// (match, export, ignore, unsync, info) and bulk ones (accept confident suggestions, export,
// ignore). Links change at once; exports go through the outbox.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLiveQuery } from 'dexie-react-hooks';
import { MAX_AT_ONCE } from '@/lib/bulk';
import { Fragment, memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { db, type Connection, type HostRecord } from '@/lib/db';
import { readSetting, SETTINGS } from '@/lib/db/settings';
import { forgetCache } from '@/lib/db/qbcache';
import { NAME_KINDS, RECORD_KINDS, shortName, type RecordKind } from '@/lib/hosts/profile';
import { link, setIgnored, unlink, type HostApp } from '@/lib/links';
import { acceptSuggestions, linkInsteadOfExport, matchView, MATCH_STATUSES, type MatchRow, type MatchStatus } from '@/lib/links/matching';
import { qboFor } from '@/lib/auth/connection';
import { query } from '@/lib/qbo/query';
import type { EntityName } from '@/lib/qbo/schemas';
import { normalizeName } from '@/lib/match';
import { webLink } from '@/lib/qbo/links';
import { requestPush } from '@/lib/sync';
import { exportRecords } from '@/lib/workflows/export-names';
import { notifyHostTabs } from '@/lib/hosts/worker/registry';
import { writeBackWrites } from '@/lib/hosts/worker/writes';
import { enqueue, retry, untilSettled } from '@/lib/sync/outbox';
import { ConfirmDialog, ProgressBar } from '@/components/Dialog';
import { useActionProgress, useMediaQuery, useStableHandlers } from '@/components/hooks';
import type { ActiveApp } from './activeApp';
import { AppLogTab, hasBillPayments, hasBills, hasPurchaseOrders, hasVendorCredits, SettingsTab, TxnTab } from './Workflow';
import { PoSettingsTab, PoTab } from './PurchaseOrders';
import { InvoiceSettingsTab, InvoicesTab } from './Invoices';
import { CustomerSyncTab } from './CustomerSync';
import { hasCustomerSync, hasInvoices } from '@/lib/workflows/run';

const PLURAL: Record<string, string> = { vendor: 'Vendors', customer: 'Customers', item: 'Items' };
const STATUS_WORDS = (appName: string): Record<MatchStatus, string> => ({
  matched: 'Matched',
  suggested: 'Suggested',
  'only-app': `Only in ${appName}`,
  'only-qb': 'Only in QuickBooks',
  ignored: 'Ignored',
});
/** At most this many records in one bulk change (QuickBooks' batch). */

/** The kinds the console shows for an app: the name kinds its pages or API declare. */
export function consoleKinds(active: ActiveApp): RecordKind[] {
  const declared = new Set<string>([...active.profile.pages.map((p) => p.kind), ...Object.keys(active.profile.api?.kinds ?? {})]);
  return NAME_KINDS.filter((k) => declared.has(k));
}

type Tab = RecordKind | 'bills' | 'payments' | 'credits' | 'purchaseOrders' | 'invoices' | 'settings' | 'log';
const WORKFLOW_TABS: Record<string, string> = { bills: 'Bills', payments: 'Payments', credits: 'Credits', purchaseOrders: 'Purchase orders', invoices: 'Invoices', settings: 'Settings', log: 'Log' };

export function Console({ active, company }: { active: ActiveApp; company: Connection }) {
  const kinds = consoleKinds(active);
  // The app's workflow tabs follow its matching tabs.
  const bills = hasBills(active);
  const pos = hasPurchaseOrders(active);
  const invoices = hasInvoices(active.profile);
  const customers = hasCustomerSync(active.profile);
  const tabs: Tab[] = [
    ...kinds,
    ...(bills ? (['bills', ...(hasBillPayments(active) ? ['payments' as const] : []), ...(hasVendorCredits(active) ? ['credits' as const] : [])] as const) : []),
    ...(pos ? (['purchaseOrders'] as const) : []),
    ...(invoices ? (['invoices'] as const) : []),
    ...(bills || pos || invoices || customers ? (['settings', 'log'] as const) : []),
  ];
  const [tab, setTab] = useState<Tab | undefined>(tabs[0]);
  const shown = tab && tabs.includes(tab) ? tab : tabs[0];
  return (
    <section>
      <div style={{ padding: '10px 14px' }} className="small muted" data-testid="console-head">
        <strong style={{ color: 'var(--ink)' }}>{active.profile.name}</strong> with QuickBooks company <strong style={{ color: 'var(--ink)' }}>{company.companyName}</strong>
      </div>
      {tabs.length === 0 ? (
        <p className="muted" style={{ padding: '0 14px' }}>
          {active.profile.name}'s site profile declares no vendors, customers or items to match.
        </p>
      ) : (
        <>
          <nav className="tabs" role="tablist">
            {tabs.map((k) => (
              <button key={k} role="tab" aria-selected={k === shown} onClick={() => setTab(k)}>
                {PLURAL[k] ?? WORKFLOW_TABS[k]}
              </button>
            ))}
          </nav>
          {shown === 'bills' || shown === 'payments' || shown === 'credits' ? (
            <TxnTab key={shown} active={active} company={company} kind={shown === 'bills' ? 'bill' : shown === 'payments' ? 'billPayment' : 'vendorCredit'} />
          ) : shown === 'purchaseOrders' ? (
            <PoTab active={active} company={company} />
          ) : shown === 'invoices' ? (
            <InvoicesTab active={active} company={company} />
          ) : shown === 'settings' ? (
            <>
              {bills && <SettingsTab active={active} company={company} />}
              {pos && <PoSettingsTab active={active} company={company} />}
              {invoices && <InvoiceSettingsTab active={active} company={company} />}
              {customers && <CustomerSyncTab active={active} company={company} />}
            </>
          ) : shown === 'log' ? (
            <AppLogTab active={active} company={company} />
          ) : (
            shown && <Matching key={shown} active={active} company={company} kind={shown} />
          )}
        </>
      )}
    </section>
  );
}

function Matching({ active, company, kind }: { active: ActiveApp; company: Connection; kind: RecordKind }) {
  const app: HostApp = { profileId: active.profile.id, origin: active.origin };
  const appName = shortName(active.profile);
  const words = useMemo(() => STATUS_WORDS(appName), [appName]);
  const realmId = company.realmId;
  // QuickBooks' records are read again when a sync changed them.
  const lastSync = useLiveQuery(() => db.connections.get(realmId).then((c) => c?.lastSyncAt ?? 0), [realmId]);
  const view = useLiveQuery(async () => {
    if (lastSync === undefined) return undefined;
    forgetCache(realmId, RECORD_KINDS[kind]);
    return matchView(realmId, app, kind);
  }, [realmId, app.profileId, app.origin, kind, lastSync]);
  const [filter, setFilter] = useState<MatchStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const needle = useDeferredValue(normalizeName(search));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [picking, setPicking] = useState<MatchRow>();
  const [info, setInfo] = useState<MatchRow>();
  /** Suggestions about to be accepted, listed for a look first (what was asked for stays as it was while the list refreshes). */
  const [preview, setPreview] = useState<{ rows: MatchRow[]; confident: boolean }>();
  const [confirmingExport, setConfirmingExport] = useState<HostRecord[]>();
  /** The bulk export under way (more than a batch): its outbox action and how many it exports. */
  const [exporting, setExporting] = useState<{ action: string; of: number }>();

  const rows = useMemo(() => {
    if (!view) return [];
    return view.rows.filter((r) => {
      if (filter !== 'all' && r.status !== filter) return false;
      if (!needle) return true;
      return [r.app?.name, r.app?.fields.name, r.app?.email, r.qb?.name, r.qb?.email].some((v) => v && normalizeName(v).includes(needle));
    });
  }, [view, filter, needle]);
  const confident = useMemo(() => view?.rows.filter((r) => r.status === 'suggested' && r.confident) ?? [], [view]);
  const picked = rows.filter((r) => chosen.has(r.key));

  const act = async (what: () => Promise<string>) => {
    setNote(undefined);
    try {
      setNote({ tone: 'ok', text: await what() });
      setChosen(new Set());
      // The app's open pages redraw their badges at once.
      await notifyHostTabs(active.profile.matches);
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  /** Exports records only in the app; more than a batch asks first, and goes a batch at a time with a progress bar. */
  const exportRows = (list: MatchRow[]) => {
    const records = list.filter((r) => r.status === 'only-app' && r.app && !r.write).map((r) => r.app!);
    if (!records.length) return void setNote({ tone: 'bad', text: `Choose records that are only in ${appName} to export them.` });
    if (records.length > MAX_AT_ONCE) return setConfirmingExport(records);
    void sendExport(records);
  };
  /**
   * Sends the exports a batch at a time: each batch is enqueued once the one before it has landed,
   * so the progress bar moves batch by batch and a stop leaves the batches not begun unsent.
   */
  const sendExport = (records: HostRecord[]) =>
    act(async () => {
      setConfirmingExport(undefined);
      if (records.length <= MAX_AT_ONCE) {
        await exportRecords(realmId, app, appName, kind, records);
        await requestPush(realmId);
        return `${records.length} sent to QuickBooks. Their badges turn green as they land.`;
      }
      const action = crypto.randomUUID();
      setChosen(new Set());
      stopExport.current = false;
      setExporting({ action, of: records.length });
      let sent = 0;
      let slow = false;
      for (; sent < records.length && !stopExport.current && !slow; sent += MAX_AT_ONCE) {
        await exportRecords(realmId, app, appName, kind, records.slice(sent, sent + MAX_AT_ONCE), action);
        await requestPush(realmId);
        // A batch still on its way after five minutes (QuickBooks unreachable, a reconnect needed): stop here.
        slow = !(await untilSettled(action, 5 * 60_000));
      }
      const left = Math.max(0, records.length - sent);
      if (slow && left) return `Export paused: the last batch is still on its way to QuickBooks (see the popup). ${left.toLocaleString()} not sent: export them again later.`;
      return left ? `Export stopped: ${left.toLocaleString()} not sent.` : `${records.length.toLocaleString()} sent to QuickBooks.`;
    });
  const stopExport = useRef(false);
  const exported = useActionProgress(exporting?.action);
  const creates = exported.entries.filter((e) => e.target === 'qbo');
  const createsDone = creates.filter((e) => e.state === 'done').length;
  const createsFailed = creates.filter((e) => e.state === 'failed').length;
  const createsOpen = creates.filter((e) => e.state === 'pending' || e.state === 'in-flight').length;
  const notSent = exporting ? exporting.of - creates.length + creates.filter((e) => e.state === 'cancelled').length : 0;
  const exportRunning = !!exporting && (createsOpen > 0 || (!stopExport.current && creates.length < exporting.of));

  /** The QuickBooks ids (or none, after an unsync) written back into the app, where its profile has a field for them. */
  const writeBack = async (items: { hostId: string; qbId: string | null }[], name: string) => {
    const writes = await writeBackWrites(realmId, app, kind, items, { kind: 'user', name });
    if (!writes.length) return;
    await enqueue(writes);
    await requestPush(realmId);
  };
  const accept = async (list: MatchRow[]) => {
    const n = await acceptSuggestions(realmId, app, kind, list);
    await writeBack(list.filter((r) => r.status === 'suggested' && r.app && r.qb).map((r) => ({ hostId: r.app!.hostId, qbId: r.qb!.id })), 'Accept suggestions');
    return `${n} linked.`;
  };
  const ignoreRows = (list: MatchRow[], ignored: boolean) =>
    act(async () => {
      const ids = list.filter((r) => r.app && (ignored ? r.status !== 'ignored' : r.status === 'ignored')).map((r) => r.app!.hostId);
      for (const id of ids) await setIgnored(app, kind, id, ignored);
      return `${ids.length} ${ignored ? 'ignored' : 'no longer ignored'}.`;
    });

  const counts = view?.counts;
  /** A name looked up in QuickBooks itself: it may be newer than the last sync. */
  const findByName = async (entity: string, name: string) => {
    const qbo = await qboFor(realmId);
    const [found] = await qbo.queryPage(query(entity as EntityName).where('DisplayName', '=', name).includeInactive(), 1, 1);
    return found as { Id: string } | undefined;
  };
  /** What a row's buttons do: one stable object, so rows drawn before are not drawn again while scrolling. */
  const handlers = useStableHandlers<RowHandlers>({
    choose: (key) => setChosen((s) => (s.has(key) ? new Set([...s].filter((k) => k !== key)) : new Set([...s, key]))),
    match: (r) => setPicking(r),
    info: (r) => setInfo(r),
    accept: (r) => void act(() => accept([r])),
    export: (r) => void exportRows([r]),
    ignore: (r, ignored) => void ignoreRows([r], ignored),
    unsync: (r) =>
      void act(async () => {
        await unlink(realmId, app, kind, r.app!.hostId);
        await writeBack([{ hostId: r.app!.hostId, qbId: null }], 'Unsync');
        return `${r.app!.name ?? r.app!.hostId} is no longer linked.`;
      }),
    linkExisting: (r) => void act(() => linkInsteadOfExport(realmId, app, kind, r, findByName)),
    retryWriteBack: (r) =>
      void act(async () => {
        await retry([r.writeBackFailed!.id]);
        await requestPush(realmId);
        return `Writing the QuickBooks id into ${appName} again for ${r.app!.name ?? r.app!.hostId}.`;
      }),
  });

  return (
    <div style={{ padding: '10px 14px' }}>
      <div className="row" role="group" aria-label="Show">
        <button className={filter === 'all' ? 'chip on' : 'chip'} onClick={() => setFilter('all')}>
          All {view ? view.rows.length.toLocaleString() : ''}
        </button>
        {MATCH_STATUSES.map((s) => (
          <button key={s} className={filter === s ? 'chip on' : 'chip'} onClick={() => setFilter(s)} data-testid={`count-${s}`}>
            {words[s]} <b>{counts ? counts[s].toLocaleString() : '…'}</b>
          </button>
        ))}
      </div>
      <div className="row" style={{ margin: '10px 0' }}>
        <input type="search" placeholder={`Search ${PLURAL[kind].toLowerCase()}…`} aria-label="Search" value={search} onChange={(e) => setSearch(e.target.value)} style={{ flex: 1, minWidth: 0 }} />
      </div>
      <div className="row" style={{ marginBottom: 8 }}>
        <button className="primary" disabled={!confident.length} onClick={() => setPreview({ rows: confident, confident: true })}>
          Accept {confident.length.toLocaleString()} confident {confident.length === 1 ? 'suggestion' : 'suggestions'}
        </button>
        {picked.length < rows.length && (
          <button onClick={() => setChosen(new Set(rows.map((r) => r.key)))} disabled={!rows.length}>
            Choose all {rows.length.toLocaleString()} shown
          </button>
        )}
        {picked.length > 0 && (
          <>
            <span className="small muted">{picked.length.toLocaleString()} chosen:</span>
            <button onClick={() => setPreview({ rows: picked.filter((r) => r.status === 'suggested'), confident: false })} disabled={!picked.some((r) => r.status === 'suggested')}>
              Accept
            </button>
            <button onClick={() => void exportRows(picked)} disabled={!picked.some((r) => r.status === 'only-app')}>
              Export
            </button>
            <button onClick={() => void ignoreRows(picked, true)}>Ignore</button>
            <button onClick={() => setChosen(new Set())}>Clear</button>
          </>
        )}
      </div>
      {exporting && (
        <div style={{ marginBottom: 8 }} data-testid="export-progress">
          <div className="row">
            <span className="small muted" role="status">
              Exported {createsDone.toLocaleString()} of {exporting.of.toLocaleString()}
              {createsFailed ? `, ${createsFailed.toLocaleString()} failed (see Log)` : ''}
              {!exportRunning && notSent ? `, ${notSent.toLocaleString()} not sent` : ''}
              {exportRunning ? '…' : '.'}
            </span>
            {exportRunning && !stopExport.current && (
              <button
                onClick={() => {
                  // The batch on its way lands; the next ones are not sent.
                  stopExport.current = true;
                  setNote({ tone: 'ok', text: 'Stopping the export after the batch on its way…' });
                }}
              >
                Stop exporting
              </button>
            )}
          </div>
          <ProgressBar label="Export progress" done={createsDone + createsFailed} of={exporting.of} />
        </div>
      )}
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="console-note">
          {note.text}
        </p>
      )}
      {view === undefined ? (
        <p className="muted">Matching…</p>
      ) : (
        <MatchList rows={rows} chosen={chosen} words={words} appName={appName} on={handlers} />
      )}
      {picking && view && (
        <Picker row={picking} view={view.rows} appName={appName} onClose={() => setPicking(undefined)}
          onPick={(other) => void act(async () => {
            const appRow = picking.app ? picking : other;
            const qbRow = picking.app ? other : picking;
            await link(realmId, app, kind, appRow.app!.hostId, { entity: RECORD_KINDS[kind], id: qbRow.qb!.id }, 'user');
            await writeBack([{ hostId: appRow.app!.hostId, qbId: qbRow.qb!.id }], 'Match');
            setPicking(undefined);
            return `${appRow.app!.name ?? appRow.app!.hostId} linked to ${qbRow.qb!.name}.`;
          })} />
      )}
      {info && <Info row={info} appName={appName} company={company} entity={RECORD_KINDS[kind]} onClose={() => setInfo(undefined)} />}
      {preview && (
        <ConfirmDialog
          label={preview.confident ? 'Accept confident suggestions' : 'Accept suggestions'}
          title={`Link ${preview.rows.length.toLocaleString()} ${PLURAL[kind].toLowerCase()} to the QuickBooks records suggested?`}
          confirmText={`Link ${preview.rows.length.toLocaleString()}`}
          disabled={!preview.rows.length}
          onConfirm={() => {
            setPreview(undefined);
            void act(() => accept(preview.rows));
          }}
          onCancel={() => setPreview(undefined)}
        >
          <p className="small muted">
            {preview.confident
              ? 'Each was matched on its name, email or phone with high confidence.'
              : 'Those without ✓ were matched with less confidence: look them over.'}{' '}
            A wrong one can be unsynced later.
          </p>
          <ul className="preview-list" data-testid="accept-preview">
            {preview.rows.slice(0, PREVIEW_MAX).map((r) => (
              <li key={r.key}>
                <span>{r.app?.name ?? r.app?.fields.name ?? r.app?.hostId}</span> <span className="muted">→</span> <span className="qb">{r.qb?.name}</span>{' '}
                <span className="small muted">{r.score !== undefined ? `${Math.round(r.score * 100)}%${r.confident ? ' ✓' : ''}` : ''}</span>
              </li>
            ))}
          </ul>
          {preview.rows.length > PREVIEW_MAX && <p className="small muted">…and {(preview.rows.length - PREVIEW_MAX).toLocaleString()} more.</p>}
        </ConfirmDialog>
      )}
      {confirmingExport && (
        <ConfirmDialog
          label="Export to QuickBooks"
          title={`Create ${confirmingExport.length.toLocaleString()} ${PLURAL[kind].toLowerCase()} in QuickBooks?`}
          confirmText={`Export ${confirmingExport.length.toLocaleString()}`}
          onConfirm={() => void sendExport(confirmingExport)}
          onCancel={() => setConfirmingExport(undefined)}
        >
          <p>
            They are sent {MAX_AT_ONCE} at a time, each linked to what QuickBooks makes of it. You can stop the export at any time: what was not sent yet is not sent.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** What a row's controls do (the same object for every row while the list is shown). */
type RowHandlers = {
  choose(key: string): void;
  match(r: MatchRow): void;
  info(r: MatchRow): void;
  accept(r: MatchRow): void;
  export(r: MatchRow): void;
  ignore(r: MatchRow, ignored: boolean): void;
  unsync(r: MatchRow): void;
  linkExisting(r: MatchRow): void;
  retryWriteBack(r: MatchRow): void;
};

/** The suggestions listed in the preview before they are accepted (the rest are counted). */
const PREVIEW_MAX = 200;

/** Rows drawn around the visible ones, for a scroll of a few rows to show drawn rows at once. */
const OVERSCAN = 4;

/** The width under which rows take two lines (theme.css says the same for .match-row). */
const NARROW_PANEL = '(max-width: 560px)';

/**
 * The virtualized list. A scroll changes which rows are in view at once (the list's height and
 * offsets); the rows newly in view are drawn in a deferred render that React cuts into slices, so
 * scrolling through 10,000 rows at any speed leaves no long task. A row drawn before is not drawn
 * again unless it changed.
 */
function MatchList({ rows, chosen, words, appName, on }: { rows: MatchRow[]; chosen: Set<string>; words: Record<MatchStatus, string>; appName: string; on: RowHandlers }) {
  const parent = useRef<HTMLDivElement>(null);
  // A narrow panel (Chrome opens side panels at about 360 px) puts each row's actions on a line of their own.
  const rowHeight = useMediaQuery(NARROW_PANEL) ? 80 : 52;
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: OVERSCAN, useFlushSync: false });
  useEffect(() => virtual.measure(), [virtual, rowHeight]);
  const items = useDeferredValue(virtual.getVirtualItems());
  return (
    <div ref={parent} style={{ height: 'calc(100vh - 250px)', minHeight: 240, overflow: 'auto', border: '1px solid var(--line)', borderRadius: 8 }} data-testid="match-list">
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {/* The rows in view, placed by one transform (not one per row: fewer strings for the browser to keep). */}
        <div style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((v) => {
            const r = rows[v.index];
            return r && <Row key={r.key} row={r} size={v.size} chosen={chosen.has(r.key)} words={words} appName={appName} on={on} />;
          })}
        </div>
      </div>
    </div>
  );
}

const Row = memo(function Row({ row: r, size, chosen, words, appName, on }: { row: MatchRow; size: number; chosen: boolean; words: Record<MatchStatus, string>; appName: string; on: RowHandlers }) {
  const name = r.app?.name ?? r.qb?.name ?? '';
  return (
    <div className="match-row" data-status={r.status} style={{ height: size }}>
      <input type="checkbox" aria-label={`Choose ${r.app?.name ?? r.qb?.name}`} checked={chosen} onChange={() => on.choose(r.key)} />
      <div className="sides">
        <div className="side" title={r.app?.email}>
          {r.app ? (r.app.name ?? r.app.fields.name ?? r.app.hostId) : <span className="muted">—</span>}
        </div>
        <div className="side qb" title={r.qb?.email}>
          {r.qb ? (
            <>
              {r.qb.name}
              {!r.qb.active && <span className="pill"> inactive</span>}
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </div>
      </div>
      {r.writeBackFailed ? (
        // Linked, but the app does not have the QuickBooks id: one pill in place of "Matched", so the row stays one line.
        <span className="pill st-failed" title={`The QuickBooks id was not written into ${appName}: ${r.writeBackFailed.lastError?.message ?? 'it refused it'}. Re-try once ${appName} can take it.`} data-testid="write-back-failed">
          ID not in {appName}
        </span>
      ) : (
        <span className={`pill st-${r.write ? (r.write.state === 'failed' ? 'failed' : 'sending') : r.status}`} title={r.write?.lastError?.message}>
          {r.write ? (r.write.state === 'failed' ? 'Export failed' : 'Sending…') : words[r.status]}
          {r.status === 'suggested' && r.score !== undefined ? ` ${Math.round(r.score * 100)}%${r.confident ? ' ✓' : ''}` : ''}
        </span>
      )}
      {r.writeBackFailed && (
        <button style={{ padding: '2px 7px', fontSize: 12 }} onClick={() => on.retryWriteBack(r)} aria-label={`Write the QuickBooks id into ${appName} again for ${name}`}>
          Re-try
        </button>
      )}
      {r.write?.lastError?.kind === 'DuplicateName' && (
        <button style={{ padding: '2px 7px', fontSize: 12 }} onClick={() => on.linkExisting(r)} aria-label={`Link ${r.app?.name} to the QuickBooks record of that name`}>
          Link to the existing one
        </button>
      )}
      <span className="row-actions">
        {r.status === 'suggested' && <button onClick={() => on.accept(r)} aria-label={`Accept the match of ${name}`}>Accept</button>}
        {(r.status === 'only-app' || r.status === 'suggested' || r.status === 'only-qb') && <button onClick={() => on.match(r)} aria-label={`Match ${name}`}>Match…</button>}
        {r.status === 'only-app' && !r.write && <button onClick={() => on.export(r)} aria-label={`Export ${name} to QuickBooks`}>Export</button>}
        {r.app && r.status !== 'ignored' && r.status !== 'matched' && <button onClick={() => on.ignore(r, true)} aria-label={`Ignore ${name}`}>Ignore</button>}
        {r.status === 'ignored' && <button onClick={() => on.ignore(r, false)} aria-label={`Stop ignoring ${name}`}>Un-ignore</button>}
        {r.status === 'matched' && <button onClick={() => on.unsync(r)} aria-label={`Unsync ${name}`}>Unsync</button>}
        <button onClick={() => on.info(r)} aria-label={`Info on ${name}`}>Info</button>
      </span>
    </div>
  );
});

/** Picks the other side of a match: QuickBooks records for an app record (the suggestion first), or app records for a QuickBooks one. */
function Picker({ row, view, appName, onPick, onClose }: { row: MatchRow; view: MatchRow[]; appName: string; onPick(other: MatchRow): void; onClose(): void }) {
  const [q, setQ] = useState('');
  const needle = normalizeName(q);
  const forApp = !!row.app;
  const options = view
    .filter((r) => (forApp ? r.qb && (r.status === 'only-qb' || r === row) : r.app && (r.status === 'only-app' || r.status === 'suggested')))
    .filter((r) => !needle || normalizeName((forApp ? r.qb!.name : r.app!.name ?? r.app!.hostId) ?? '').includes(needle))
    .slice(0, 200);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-label={`Match ${row.app?.name ?? row.qb?.name}`} onClick={(e) => e.stopPropagation()}>
        <strong>Match {row.app?.name ?? row.qb?.name} with {forApp ? 'a QuickBooks record' : `a record in ${appName}`}</strong>
        <input autoFocus type="search" placeholder="Search…" aria-label="Search records" value={q} onChange={(e) => setQ(e.target.value)} style={{ width: '100%', margin: '8px 0', boxSizing: 'border-box' }} />
        <ul className="pick-list">
          {options.map((r) => (
            <li key={`${r.key}-${forApp ? r.qb!.id : r.app!.hostId}`}>
              <button onClick={() => onPick(r)}>
                {forApp ? r.qb!.name : r.app!.name ?? r.app!.hostId}
                {forApp && !r.qb!.active && <span className="pill"> inactive</span>}
                {r === row && <span className="pill"> suggested</span>}
              </button>
            </li>
          ))}
          {options.length === 0 && <li className="muted">Nothing left to match with.</li>}
        </ul>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}

/** Both sides of a row, side by side, with a link to the record in QuickBooks. */
function Info({ row, appName, company, entity, onClose }: { row: MatchRow; appName: string; company: Connection; entity: string; onClose(): void }) {
  const localOrigin = useLiveQuery(() => readSetting(SETTINGS.connection).then((c) => c.localOrigin), []);
  const url = row.qb ? webLink(company.environment, entity, row.qb.id, company.realmId, localOrigin) : undefined;
  const appFields = Object.entries(row.app?.fields ?? {}).filter(([k]) => k !== 'hostId');
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-label="Record info" onClick={(e) => e.stopPropagation()}>
        <div className="info-grid">
          <div>
            <h2>{appName}</h2>
            {row.app ? (
              <dl>
                <dt>ID</dt>
                <dd>{row.app.hostId}</dd>
                {appFields.map(([k, v]) => (
                  <Fragment key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </Fragment>
                ))}
              </dl>
            ) : (
              <p className="muted">Not in {appName}.</p>
            )}
          </div>
          <div>
            <h2>QuickBooks</h2>
            {row.qb ? (
              <dl>
                <dt>Name</dt>
                <dd>{row.qb.name}</dd>
                {row.qb.email && (
                  <>
                    <dt>email</dt>
                    <dd>{row.qb.email}</dd>
                  </>
                )}
                {row.qb.phone && (
                  <>
                    <dt>phone</dt>
                    <dd>{row.qb.phone}</dd>
                  </>
                )}
                <dt>Active</dt>
                <dd>{row.qb.active ? 'Yes' : 'No'}</dd>
              </dl>
            ) : (
              <p className="muted">Not in QuickBooks.</p>
            )}
            {url && (
              <a href={url} target="_blank" rel="noopener noreferrer">
                Open in QuickBooks ↗
              </a>
            )}
          </div>
        </div>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
