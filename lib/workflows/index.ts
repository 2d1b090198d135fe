// What every workflow shares (DESIGN.md, "The write path": workflows): its settings per app and
// company, kept with the company's settings and checked by the workflow's own schema; and where
// its automations stand (the host events and QuickBooks changes they have already looked at), so
// a stopped worker or a browser closed overnight picks up exactly where it left off.
import type { z } from 'zod';
import { db, type HostRecord, type OutboxEntry as Entry } from '../db';
import { appendLog } from '../db/logs';
import { readSetting, SETTINGS, writeSetting, type AutomationCursor } from '../db/settings';
import { describeIssues } from '../qbo/schemas';
import { keyOf, type HostApp } from '../links';
import { enqueue, markerKey, retry, type NewWrite, type OutboxEntry } from '../sync/outbox';
import { hostRecordsOfKind } from '../hosts/store';

/** An app as the settings know it: "<profile> <origin>". */
export const appKey = (app: HostApp) => `${app.profileId} ${app.origin}`;

/** A problem with what a workflow was asked to do, in words that say how to fix it; nothing was changed. */
export class WorkflowError extends Error {}

/** A workflow's settings for an app and company: what was saved, with defaults for the rest. */
export async function readWorkflowSettings<T>(workflow: string, schema: z.ZodType<T>, realmId: string, app: HostApp): Promise<T> {
  const saved = (await readSetting(SETTINGS.workflows, realmId))[appKey(app)]?.[workflow];
  const parsed = schema.safeParse(saved ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}

/**
 * Saves a workflow's settings for an app and company, once its schema and `check` (what
 * QuickBooks holds) find nothing wrong; otherwise throws the problems and saves nothing.
 */
export async function writeWorkflowSettings<T>(
  workflow: string,
  schema: z.ZodType<T>,
  realmId: string,
  app: HostApp,
  value: unknown,
  check: (settings: T) => Promise<string[]>,
): Promise<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new WorkflowError(describeIssues(parsed.error));
  const problems = await check(parsed.data);
  if (problems.length) throw new WorkflowError(problems.join(' '));
  const all = await readSetting(SETTINGS.workflows, realmId);
  const key = appKey(app);
  await writeSetting(SETTINGS.workflows, { ...all, [key]: { ...all[key], [workflow]: parsed.data } }, realmId);
  return parsed.data;
}

/** The newest host event's number (0 when there is none). */
export const lastEventSeq = async () => (await db.hostEvents.orderBy('seq').last())?.seq ?? 0;

const cursorKey = (realmId: string, app: HostApp, workflow: string) => `${realmId} ${appKey(app)} ${workflow}`;

/** Where a workflow's automations stand for an app: the last host event seen, and QuickBooks changes seen up to when. */

export async function automationCursor(realmId: string, app: HostApp, workflow: string): Promise<AutomationCursor | undefined> {
  return (await readSetting(SETTINGS.automationCursors))[cursorKey(realmId, app, workflow)];
}

export async function moveAutomationCursor(realmId: string, app: HostApp, workflow: string, to: Partial<AutomationCursor>) {
  const all = await readSetting(SETTINGS.automationCursors);
  const key = cursorKey(realmId, app, workflow);
  // A watch that had not started starts now: what happened before is not the automations'.
  const prev: AutomationCursor = all[key] ?? { events: await lastEventSeq() };
  await writeSetting(SETTINGS.automationCursors, { ...all, [key]: { ...prev, ...to } });
}

/** An amount as an app writes it ("1,250.50", "$99", "250"), in cents precision; NaN when it is none. */
export function money(text: string | undefined): number {
  const t = String(text ?? '').replace(/[$,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return NaN;
  // Rounded half away from zero on the decimal digits (12.345 is 12.35, not 12.34 as 1234.4999… would say).
  const sign = t.startsWith('-') ? -1 : 1;
  return (sign * Math.round(Number(`${t.replace('-', '')}e2`))) / 100;
}

/** A calendar day ("2026-05-01") from an app's date or time; undefined when it is neither. */
export function day(text: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(T|\s|$)/.exec(String(text ?? '').trim());
  return m?.[1];
}

/** The longest DocNumber (and PaymentRefNum) QuickBooks takes. */
export const DOC_NUMBER_MAX = 21;

/** A QuickBooks note without the product's marker line (an app gets what a person wrote). */
export const withoutMarker = (note: unknown) => String(note ?? '').split('\n').filter((l) => !markerKey(l)).join('\n');

/** The account types an expense may go to. */
export const EXPENSE_TYPES = ['Expense', 'Cost of Goods Sold', 'Other Expense'];

/**
 * Enqueues writes. A person asking again sends again the ones that had failed (they fixed what
 * stopped them); an automation firing again leaves a failed one for the person to see and retry.
 */
export async function enqueueAndRetry(writes: NewWrite[], action?: string, retryFailed = writes[0]?.origin.kind === 'user'): Promise<OutboxEntry[]> {
  const entries = await enqueue(writes, { action });
  if (!retryFailed) return entries;
  const failed = entries.filter((e) => e.state === 'failed').map((e) => e.id);
  return failed.length ? [...entries.filter((e) => e.state !== 'failed'), ...(await retry(failed))] : entries;
}

/** Says in the log what an automation could not send (a person sees it there, and in the side panel's Log). */
export async function logRefused(realmId: string, automation: string, appName: string, refused: { hostId: string; why: string }[]) {
  for (const r of refused.slice(0, 20))
    await appendLog({ realmId, timestamp: Date.now(), type: 'Workflow', action: automation, objectId: r.hostId, objectName: appName, status: 'Not Completed', error: r.why }).catch(() => undefined);
}

// ---- what every workflow's actions share -------------------------------------------------------------

/** Who asks, for which app and company. */
export interface Ctx {
  realmId: string;
  app: HostApp;
  appName: string;
  origin: Entry['origin'];
  /** Enqueue as part of this action (the daily sync's progress counts one action). */
  action?: string;
  /** Send again what had failed (a person asked); by default only when the origin is a person's. */
  retryFailed?: boolean;
}

export { hostRecordsOf } from '../hosts/store';

export const linkOf = (realmId: string, app: HostApp, kind: string, hostId: string) => db.links.get(keyOf(realmId, app, kind, hostId));

/**
 * The outbox entry still making an app record in QuickBooks (a create not done yet), if one is: a
 * write naming the record waits for it instead of failing as "not matched".
 */
export async function pendingCreate(realmId: string, app: HostApp, kind: string, hostId: string): Promise<string | undefined> {
  const entries = await db.outbox.where('[realmId+hostKey]').equals([realmId, `${app.profileId} ${app.origin} ${kind} ${hostId}`]).toArray();
  return entries.find((e) => e.target === 'qbo' && e.operation === 'create' && (e.state === 'pending' || e.state === 'in-flight'))?.id;
}

export interface ExportResult {
  entries: Entry[];
  /** Records refused before anything was enqueued (the app's id for exports, QuickBooks' for imports), with why. */
  refused: { hostId: string; why: string }[];
}

/** The latest outbox entry of each app record of a kind (its export's or import's fate). */
export async function entriesByRecord(realmId: string, app: HostApp, kind: string): Promise<Map<string, Entry[]>> {
  const prefix = `${app.profileId} ${app.origin} ${kind} `;
  const entries = await db.outbox.where('[realmId+hostKey]').between([realmId, prefix], [realmId, `${prefix}\uffff`]).toArray();
  const out = new Map<string, Entry[]>();
  for (const e of entries.sort((a, b) => b.seq - a.seq)) {
    const id = e.host!.hostId || `qb:${e.qbId}`;
    out.set(id, [...(out.get(id) ?? []), e]);
  }
  return out;
}

/** The app's record of a kind linked to a QuickBooks record (its vendor, its customer), if one is. */
export async function appRecordOf(realmId: string, app: HostApp, kind: string, qbEntity: string, qbId: string): Promise<string | undefined> {
  const links = await db.links.where('[realmId+qbEntity+qbId]').equals([realmId, qbEntity, qbId]).toArray();
  return links.find((l) => l.profileId === app.profileId && l.origin === app.origin && l.kind === kind && l.state === 'linked')?.hostId;
}

/**
 * The app's records of a kind that are QuickBooks records: QuickBooks id -> app id. Linked ones,
 * and ones whose app record names the QuickBooks record (its `quickbooksId`: what a colleague's
 * browser, or this one before a reinstall, exported or imported), so they are never brought in again.
 */
export async function linkedDocs(realmId: string, app: HostApp, kind: string): Promise<Map<string, string>> {
  const [links, records] = await Promise.all([
    db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).toArray(),
    hostRecordsOfKind(realmId, app, kind),
  ]);
  const out = new Map(records.filter((r) => r.fields.quickbooksId).map((r) => [r.fields.quickbooksId, r.hostId]));
  for (const l of links) if (l.state === 'linked' && l.qbId) out.set(l.qbId, l.hostId);
  return out;
}

/** QuickBooks ids an app record of the kind was linked to and is now ignored with (the old behaviour kept them out of imports). */
export async function ignoredQb(realmId: string, app: HostApp, kind: string): Promise<string[]> {
  return (await db.links.where('[realmId+profileId+origin+kind]').equals([realmId, app.profileId, app.origin, kind]).toArray()).filter((l) => l.state !== 'linked' && l.qbId).map((l) => l.qbId!);
}

/** A write that makes a record in the app from a QuickBooks record, linked to it once made. */
export function importWrite(c: Ctx, kind: string, qbEntity: string, qbId: string, body: { fields: Record<string, unknown>; lines: Record<string, unknown>[] }): NewWrite {
  return {
    realmId: c.realmId, target: c.app.profileId, operation: 'create', entity: kind, qbId, host: { ...c.app, kind, hostId: '' },
    intent: { fields: body.fields, lines: body.lines, qbEntity, qbIdField: 'quickbooksId' }, origin: c.origin,
  };
}
