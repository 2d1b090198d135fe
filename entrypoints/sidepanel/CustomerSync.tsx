// The CRM's two-way customer sync in the side panel's Settings (lib/workflows/customers.ts): on or
// off, how fresh QuickBooks' changes are and what that costs in QuickBooks calls, the field mapping
// chart (each QuickBooks field with the app field it maps to and its direction), and "Sync all now"
// (counted, confirmed, with progress).
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { db, type Connection } from '@/lib/db';
import { readSetting, SETTINGS } from '@/lib/db/settings';
import { requestPush, scheduleSync, FRESH_MS } from '@/lib/sync';
import { notifyHostTabs } from '@/lib/hosts/worker/registry';
import { untilSettled } from '@/lib/sync/outbox';
import {
  chartFor, CUSTOMER_SYNC_MINUTES, DIRECTIONS, DISPLAY_NAME, QB_FIELDS, readCustomerSync, saveCustomerSync, syncAll, syncAllPlan, type Direction, type MapRow, type QbField,
} from '@/lib/workflows/customers';
import { ConfirmDialog, ProgressBar } from '@/components/Dialog';
import { useActionProgress } from '@/components/hooks';
import type { ActiveApp } from './activeApp';
import { plural, useApp } from './Workflow';

const appFieldLabel = (f: string) => (f === DISPLAY_NAME ? 'Company, or first and last name' : f);

export function CustomerSyncTab({ active, company }: { active: ActiveApp; company: Connection }) {
  const { app, appName, realmId } = useApp(active, company);
  const appFields = Object.keys(active.profile.api?.kinds.customer?.fields ?? {}).filter((f) => !['hostId', 'updatedAt', 'quickbooksId', 'stage', 'owner', 'name'].includes(f));
  const saved = useLiveQuery(() => readCustomerSync(realmId, app), [realmId, app.profileId, app.origin]);
  const viaTab = useLiveQuery(async () => (await readSetting(SETTINGS.hostTransports))[`${app.profileId} ${app.origin}`] === 'tab', [app.profileId, app.origin]);
  const [draft, setDraft] = useState<MapRow[]>();
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [confirming, setConfirming] = useState<string>();
  const [action, setAction] = useState<string>();
  const { total, finished } = useActionProgress(action);
  const appClock = useLiveQuery(async () => (await db.hostApps.get([app.profileId, app.origin]))?.clockOffsetMs ?? 0, [app.profileId, app.origin]);
  if (!saved) return <p className="muted" style={{ padding: 14 }}>Reading settings…</p>;
  const rows = draft ?? chartFor(saved, [...appFields, DISPLAY_NAME]);
  const fields = [DISPLAY_NAME, ...appFields];
  const save = async (value: { on: boolean; rows: MapRow[] }, words: string) => {
    try {
      await saveCustomerSync(realmId, app, fields, value);
      await scheduleSync();
      // The app's open pages learn at once whether to ask for fresh changes.
      await notifyHostTabs(active.profile.matches);
      setDraft(undefined);
      setNote({ tone: 'ok', text: words });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const setRow = (qb: QbField, patch: Partial<MapRow>) => {
    setDraft(rows.map((r) => (r.qb === qb ? { ...r, ...patch } : r)));
    setNote(undefined);
  };
  const ctx = { realmId, app, appName, appFields: fields, clocks: { app: appClock ?? 0, qb: company.clockOffsetMs ?? 0 } };
  const ask = async () => setConfirming((await syncAllPlan({ ...ctx, origin: { kind: 'user', name: 'Sync all now' } })).words);
  const runAll = async () => {
    setConfirming(undefined);
    const id = crypto.randomUUID();
    setAction(id);
    try {
      const r = await syncAll({ ...ctx, origin: { kind: 'user', name: 'Sync all now' }, action: id });
      await requestPush(realmId);
      await untilSettled(id);
      setNote(r.refused.length ? { tone: 'bad', text: `${plural(r.refused.length, 'record')} not synced: ${r.refused[0].why}` } : { tone: 'ok', text: 'Every customer is in step.' });
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };
  const perHour = Math.round(3_600_000 / FRESH_MS);
  return (
    <form className="settings" style={{ padding: '10px 14px' }} onSubmit={(e) => (e.preventDefault(), void save({ on: saved.on, rows }, 'Mapping saved.'))} data-testid="customer-sync-settings">
      <h2>Customers with QuickBooks</h2>
      <label className="automation">
        <input type="checkbox" aria-label="Keep customers in step" checked={saved.on} disabled={!!draft} onChange={(e) => void save({ on: e.target.checked, rows }, e.target.checked ? 'Customers are kept in step from now on: each contact from its first change.' : 'Customers are no longer kept in step.')} />
        <span>
          <strong>Keep customers in step</strong>
          <div className="small muted">
            A contact's fields follow the chart below both ways. Its first sync starts with its first change on either side (or with Sync all now); a new customer on either side
            is made on the other.
          </div>
        </span>
      </label>
      <p className="small muted" data-testid="freshness">
        While a {appName} tab is open, QuickBooks' changes reach it within 30 seconds ({perHour} QuickBooks calls an hour).{' '}
        {viaTab ? `With none open, they wait for the next ${appName} tab: ${appName} takes changes only from its own pages.` : `With none open, within ${CUSTOMER_SYNC_MINUTES === 1 ? '2 minutes' : `${CUSTOMER_SYNC_MINUTES + 1} minutes`} (${Math.round(60 / CUSTOMER_SYNC_MINUTES)} calls an hour).`}{' '}
        {appName}'s changes reach QuickBooks within seconds while its tab is open.
      </p>
      <h2>Field mapping</h2>
      <div className="map-chart" role="group" aria-label="Field mapping">
        {rows.map((r) => (
          <fieldset key={r.qb} className="pay-map-row" data-direction={r.direction}>
            <legend>QuickBooks {QB_FIELDS[r.qb].label}</legend>
            <select aria-label={`${appName} field for ${QB_FIELDS[r.qb].label}`} value={r.app} onChange={(e) => setRow(r.qb, { app: e.target.value, direction: e.target.value ? (r.direction === 'none' ? 'two-way' : r.direction) : 'none' })}>
              <option value="">No {appName} field</option>
              {fields.map((f) => (
                <option key={f} value={f}>{appFieldLabel(f)}</option>
              ))}
            </select>
            <select aria-label={`Direction for ${QB_FIELDS[r.qb].label}`} value={r.direction} onChange={(e) => setRow(r.qb, { direction: e.target.value as Direction })} disabled={!r.app}>
              {Object.entries(DIRECTIONS).map(([k, v]) => (
                <option key={k} value={k} disabled={'readOnly' in QB_FIELDS[r.qb] && (k === 'two-way' || k === 'app')}>{v}</option>
              ))}
            </select>
          </fieldset>
        ))}
      </div>
      <div className="row" style={{ margin: '10px 0' }}>
        <button className="primary" type="submit" disabled={!draft}>Save mapping</button>
        {draft && <button type="button" onClick={() => (setDraft(undefined), setNote(undefined))}>Discard changes</button>}
      </div>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status" data-testid="customer-sync-note">
          {note.text}
        </p>
      )}
      <h2>Sync all now</h2>
      <p className="small muted">Links the confident suggestions, brings every linked contact in step, and makes the customers found on one side only on the other.</p>
      <div className="row">
        <button type="button" onClick={() => void ask()} disabled={!!draft || (!!action && finished < total)}>Sync all now</button>
        {action && (
          <span className="small muted" data-testid="sync-all-progress">
            {finished} of {plural(total, 'change')} done
          </span>
        )}
      </div>
      {action && <ProgressBar label="Sync all progress" done={finished} of={total} />}
      {confirming && (
        <ConfirmDialog label="Sync all now" title="Sync all customers now?" confirmText="Sync all" onConfirm={() => void runAll()} onCancel={() => setConfirming(undefined)}>
          <p data-testid="sync-all-plan">{confirming}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
