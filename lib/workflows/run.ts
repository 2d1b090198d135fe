// Runs the workflows of every app in use: their automations (on the sync schedule, and at once
// when an open page of the app showed a record change that its API confirmed), and the alerts
// their settings ask for once a push has landed or failed.
import type { OutboxEntry } from '../db';
import { appendLog } from '../db/logs';
import { qboFor } from '../auth/connection';
import { knownApps } from '../hosts/worker/apps';
import type { App } from '../hosts/worker/executor';
import { shortName, type SiteProfile } from '../hosts/profile';
import { hostCompany } from '../links';
import { describeEntry, words } from '../sync/outbox';
import { BILLS, dailyDue, readBillsSettings, runBillsAutomations, runDailySync } from './bills';
import { automationCursor } from './index';
import { runPoAutomations } from './purchase-orders';
import { runInvoiceAutomations } from './invoices';
import { readCustomerSync, runCustomerSync } from './customers';
import { appClockOffset } from '../hosts/worker/executor';
import { db } from '../db';

/** Whether an app's site profile carries the bills workflow: its API reads and writes bills. */
export const hasBills = (profile: Pick<SiteProfile, 'api'>) => !!profile.api?.kinds.bill;
/** Whether it carries the purchase orders workflow: its API reads purchase orders. */
export const hasPurchaseOrders = (profile: Pick<SiteProfile, 'api'>) => !!profile.api?.kinds.purchaseOrder;

/** Whether it carries the invoices workflow: its API reads invoices that carry their payments (the accounting portal's). */
export const hasInvoices = (profile: Pick<SiteProfile, 'api'>) => !!profile.api?.kinds.invoice && Object.hasOwn(profile.api.kinds.invoice.fields, 'payments');

/** Whether it can carry the two-way customer sync: its API reads and changes customers (the CRM's contacts). */
export const hasCustomerSync = (profile: Pick<SiteProfile, 'api'>) => !!profile.api?.kinds.customer?.update && !!profile.api.kinds.customer.create;

/**
 * Runs the automations of every known app (or one), and the daily syncs that are due (`settle`
 * pushes a company's outbox between their two halves); returns the companies that have new
 * entries to push.
 */
export async function runAutomations(only?: App, settle: (realmId: string) => Promise<unknown> = async () => undefined): Promise<string[]> {
  const realms = new Set<string>();
  for (const app of only ? [only] : await knownApps()) {
    if (!hasBills(app.profile) && !hasPurchaseOrders(app.profile) && !hasInvoices(app.profile) && !hasCustomerSync(app.profile)) continue;
    const ref = { profileId: app.profile.id, origin: app.origin };
    const company = await hostCompany(ref);
    if (!company) continue;
    const realmId = company.realmId;
    const readPrefs = async () => (await qboFor(realmId)).read('Preferences', '1') as Promise<Record<string, any>>;
    const c = { realmId, app: ref, appName: shortName(app.profile) };
    // What cannot run now (settings QuickBooks no longer has, no connection) says so in the log,
    // and is tried again on the next sync: the automations' watch and the daily sync only move on
    // once they have done their part.
    const failed = (what: string, e: unknown) =>
      appendLog({ realmId, timestamp: Date.now(), type: 'Workflow', action: what, objectName: c.appName, status: 'Not Completed', error: (e as Error).message ?? String(e) }).catch(() => undefined);
    if (hasPurchaseOrders(app.profile))
      try {
        if ((await runPoAutomations({ ...c, readPrefs })).length) realms.add(realmId);
      } catch (e) {
        await failed('Purchase order automations', e);
      }
    if (hasCustomerSync(app.profile) && (await readCustomerSync(realmId, ref)).on)
      try {
        const clocks = { app: await appClockOffset(app), qb: (await db.connections.get(realmId))?.clockOffsetMs ?? 0 };
        const appFields = Object.keys(app.profile.api!.kinds.customer.fields);
        if ((await runCustomerSync({ ...c, appFields, clocks, origin: { kind: 'automation', name: 'Customer sync' } })).length) realms.add(realmId);
      } catch (e) {
        await failed('Customer sync', e);
      }
    if (hasInvoices(app.profile))
      try {
        const readCompany = async () => (await qboFor(realmId)).read('CompanyInfo', realmId) as Promise<Record<string, any>>;
        if ((await runInvoiceAutomations({ ...c, readPrefs, readCompany, origin: { kind: 'automation', name: 'Invoices' } })).length) realms.add(realmId);
      } catch (e) {
        await failed('Invoice automations', e);
      }
    if (!hasBills(app.profile)) continue;
    try {
      const made = await runBillsAutomations({ ...c, readPrefs });
      if (made.length) realms.add(realmId);
    } catch (e) {
      await failed('Automations', e);
    }
    try {
      if (dailyDue(await readBillsSettings(realmId, ref), (await automationCursor(realmId, ref, BILLS))?.lastDaily)) {
        const daily = await runDailySync({ ...c, readPrefs, kinds: Object.keys(app.profile.api?.kinds ?? {}) }, async () => void (await settle(realmId)));
        if (daily.entries.length) realms.add(realmId);
      }
    } catch (e) {
      await failed('Daily sync', e);
    }
  }
  return [...realms];
}

export interface Alert {
  id: string;
  title: string;
  message: string;
}

/**
 * The notifications a push's changed entries call for, per app whose settings have alerts on:
 * one for the exports that failed (with the first error's words), one for what was imported.
 */
export async function alertsFor(entries: OutboxEntry[], apps: App[]): Promise<Alert[]> {
  const out: Alert[] = [];
  for (const app of apps.filter((a) => hasBills(a.profile))) {
    const mine = entries.filter((e) => e.host?.profileId === app.profile.id && e.host.origin === app.origin && e.origin.kind !== 'undo');
    if (!mine.length) continue;
    const company = await hostCompany({ profileId: app.profile.id, origin: app.origin });
    if (!company || !(await readBillsSettings(company.realmId, { profileId: app.profile.id, origin: app.origin })).alerts) continue;
    const name = shortName(app.profile);
    const failed = mine.filter((e) => e.state === 'failed');
    const s = await readBillsSettings(company.realmId, { profileId: app.profile.id, origin: app.origin });
    // Bills imported by hand notify when "Import bills" says so; payments and credits always do.
    const imported = mine.filter((e) => e.state === 'done' && e.target !== 'qbo' && e.operation === 'create' && (e.entity !== 'bill' || s.automations.importBills));
    if (failed.length)
      out.push({
        id: `qbc-failed-${app.profile.id}-${Date.now()}`,
        title: `${failed.length} ${failed.length === 1 ? 'change' : 'changes'} from ${name} did not reach ${failed[0].target === 'qbo' ? 'QuickBooks' : name}`,
        message: `${describeEntry(failed[0])}: ${failed[0].lastError?.message ?? 'it failed'} See the side panel's Log to re-try.`,
      });
    if (imported.length)
      out.push({
        id: `qbc-imported-${app.profile.id}-${Date.now()}`,
        title: `${imported.length} ${imported.length === 1 ? 'record' : 'records'} imported from QuickBooks into ${name}`,
        message: imported.map((e) => `${words(e.entity)} ${e.result?.name ?? ''}`.trim()).slice(0, 3).join(', '),
      });
  }
  return out;
}
