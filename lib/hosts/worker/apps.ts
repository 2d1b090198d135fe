// Every record of the host apps the user turned on, read through their APIs (not only what an
// open page shows), and what happens to them as events: created, changed (with the fields that
// changed), a status reached, deleted. A listing when an app is first seen, then only the changes
// (the app's updated-since, where it has one) on the sync schedule. What a page shows is a hint:
// an event that can lead to a write comes from the app's API, never from the page alone. A record
// is deleted only when the app answers "not found" for it: a listing that comes back short, empty,
// or as a sign-in page deletes nothing, and more than a few at once wait for the user.
import { db, type HostAppState, type HostEvent, type HostRecord } from '../../db';
import { hostCompany } from '../../links';
import { appStates, deleteHostRecords, hostRecordsOfKind, withHostGroup } from '../store';
import { canonical, digest } from '../../sync/outbox';
import type { ApiRecord } from '../api';
import type { SiteProfile } from '../profile';
import { MATCH_PATTERN, NAME_KINDS, type RecordKind } from '../profile';
import { matchView } from '../../links/matching';
import { AppClient, appKey, heardClockOffset, HostError, refOf, type App } from './executor';
import { enabledProfiles } from './registry';

/** A soft-delete field's values that say "not deleted". */
const NOT_DELETED = new Set(['', 'false', '0', 'null', 'no']);
/** More deletions than this at once are not believed without the user. */
export const MAX_DELETES_UNASKED = 5;
/** A listing asks for changes since a little before the last one started (the app's clock may differ). */
const OVERLAP_MS = 5 * 60_000;
/** Records a listing stores per transaction (several of the app's pages). */
const STORE_BATCH = 1_000;
/** A kind with updated-since is still listed whole this often: only a whole listing shows what is gone. */
const FULL_EVERY_MS = 24 * 60 * 60_000;
/** Records a whole listing no longer returned are read by id, at most this many per listing. */
const MAX_MISSING_READS = 100;

/** The origins a profile names outright (a pattern with one host, and a port or a scheme's default). */
export function namedOrigins(profile: SiteProfile): string[] {
  const out: string[] = [];
  for (const m of profile.matches) {
    const [, scheme, host, port] = MATCH_PATTERN.exec(m) ?? [];
    if (!host || host.includes('*') || scheme === '*') continue;
    if (!port && scheme === 'http' && host.endsWith('localhost')) continue; // a local app: any port
    out.push(`${scheme}://${host}${port ?? ''}`);
  }
  return out;
}

/** Notes an origin where the profile's pages were seen (a local app's port is known only then). */
export async function sawApp(profileId: string, origin: string) {
  const existing = await db.hostApps.get([profileId, origin]);
  if (!existing) await db.hostApps.put({ profileId, origin, kinds: {}, seenAt: Date.now() });
}

/** The apps to read: enabled profiles with an API, on each origin named or seen. */
export async function knownApps(): Promise<App[]> {
  const out: App[] = [];
  for (const profile of await enabledProfiles()) {
    if (!profile.api) continue;
    const seen = (await appStates(profile.id)).map((a) => a.origin);
    for (const origin of new Set([...namedOrigins(profile), ...seen])) out.push({ profile, origin });
  }
  return out;
}

/** A record's version: the app's own updated time when it gives one, else a hash of what it says. */
async function versionOf(r: ApiRecord): Promise<string> {
  return r.fields.updatedAt ?? (await digest(canonical({ f: r.fields, l: r.lines ?? null }))).slice(0, 16);
}

function changedFields(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'updatedAt' && before[k] !== after[k]).sort();
}

/**
 * Stores what the API said of records, and records what happened to them. Returns the events
 * added (an event already recorded, by record and version, is not recorded again). `baseline`:
 * the records were there before the app was turned on: stored, not news (no events).
 * `unseenAreOld`: records the API had not described before are stored without a "created" (no
 * whole listing of the kind has ended: they may have been there before the app was turned on);
 * the others' changes are events as usual.
 */
export async function takeRecords(realmId: string, app: App, kind: string, records: ApiRecord[], opts: { baseline?: boolean; unseenAreOld?: boolean; client?: AppClient } = {}): Promise<HostEvent[]> {
  // Records the app lists as deleted (soft deletes) are not kept; each is asked for by id, and only
  // the app's "not found" deletes it (more than a few at once wait for the user), as any deletion.
  const mark = app.profile.api?.kinds[kind]?.deleted;
  const marked = (r: ApiRecord) => !!mark && !NOT_DELETED.has(String(r.fields[mark] ?? '').trim().toLowerCase());
  if (records.some(marked)) {
    const gone = records.filter(marked).map((r) => r.hostId);
    const kept = await takeRecords(realmId, app, kind, records.filter((r) => !marked(r)), opts);
    if (opts.baseline) {
      await deleteHostRecords(realmId, refOf(app), kind, gone);
      return kept;
    }
    return [...kept, ...(await confirm(app, kind, gone, opts.client))];
  }
  const ref = refOf(app);
  const now = Date.now();
  const versions = await Promise.all(records.map(versionOf));
  return withHostGroup(realmId, ref, kind, [db.hostEvents], async (g) => {
    const stored = await g.getMany(records.map((r) => r.hostId));
    const events: HostEvent[] = [];
    const rows: HostRecord[] = [];
    for (const [i, r] of records.entries()) {
      const before = stored[i];
      const version = versions[i];
      rows.push({ realmId, ...ref, kind, hostId: r.hostId, name: r.fields.name, email: r.fields.email, fields: r.fields, lines: r.lines, version, source: 'api', pageFields: before?.pageFields, seenAt: now });
      if (opts.baseline) continue;
      const base = { realmId, ...ref, kind, hostId: r.hostId, version, at: now };
      const unseen = !before || before.source !== 'api';
      if (unseen && !opts.unseenAreOld) events.push({ ...base, key: `${app.profile.id}|${app.origin}|${kind}|${r.hostId}|created`, type: 'created' });
      else if (!unseen && before.version !== version) {
        const fields = changedFields(before.fields, r.fields);
        if (JSON.stringify(before.lines ?? null) !== JSON.stringify(r.lines ?? null)) fields.push('lines');
        if (!fields.length) continue;
        events.push({ ...base, key: `${app.profile.id}|${app.origin}|${kind}|${r.hostId}|changed|${version}`, type: 'changed', fields });
        if (fields.includes('status') && r.fields.status)
          events.push({ ...base, key: `${app.profile.id}|${app.origin}|${kind}|${r.hostId}|status|${r.fields.status}|${version}`, type: 'status', status: r.fields.status });
      }
    }
    await g.put(rows);
    if (!events.length) return [];
    const known = new Set((await db.hostEvents.where('key').anyOf(events.map((e) => e.key)).keys()) as string[]);
    const added = events.filter((e) => !known.has(e.key));
    await db.hostEvents.bulkAdd(added);
    return added;
  });
}

export interface AppListing {
  app: string;
  kinds: Record<string, { read: number; complete: boolean; problem?: string }>;
  events: number;
}

/** Listings under way, per app: a second ask while one runs (turning an app on grants its site too) joins it. */
const listing = new Map<string, Promise<AppListing>>();

/**
 * Reads an app's records of every kind its profile's API declares: all of them the first time (or
 * when `full`), only the changes since the last listing after that. A listing cut short (signed
 * out, drift, the network) keeps what it read and changes nothing else. One listing per app at a
 * time: asked again while it runs, the answer is the running one's.
 */
export function listApp(app: App, opts: { full?: boolean; client?: AppClient } = {}): Promise<AppListing> {
  const key = appKey(app);
  const running = listing.get(key);
  if (running) return running;
  const started = readApp(app, opts).finally(() => listing.delete(key));
  listing.set(key, started);
  return started;
}

async function readApp(app: App, opts: { full?: boolean; client?: AppClient }): Promise<AppListing> {
  const company = await hostCompany(refOf(app));
  const out: AppListing = { app: `${app.profile.name} (${app.origin})`, kinds: {}, events: 0 };
  if (!company) return out;
  const client = opts.client ?? new AppClient(app);
  const state: HostAppState = (await db.hostApps.get([app.profile.id, app.origin])) ?? { ...refOf(app), kinds: {}, seenAt: Date.now() };
  state.problem = undefined;
  state.name = app.profile.name;
  for (const kind of Object.keys(app.profile.api?.kinds ?? {})) {
    const before = state.kinds[kind] ?? {};
    const whole = opts.full || !before.since || !before.fullAt || Date.now() - before.fullAt > FULL_EVERY_MS;
    const since = whole ? undefined : before.since;
    const startedAt = Date.now();
    const result = { read: 0, complete: false } as AppListing['kinds'][string];
    try {
      // Pages are stored STORE_BATCH records at a time, while the next pages are fetched.
      const pages = client.list(kind, since)[Symbol.asyncIterator]();
      let batch: ApiRecord[] = [];
      let storing: Promise<void> = Promise.resolve();
      const store = async (records: ApiRecord[]) => {
        // The first listing of a kind is the baseline: records that were there already, not news.
        out.events += (await takeRecords(company.realmId, app, kind, records, { baseline: !before.fullAt, client })).length;
      };
      try {
        for (let next = pages.next(); ; ) {
          const page = await next;
          if (page.done) break;
          next = pages.next();
          next.catch(() => undefined); // awaited on the next turn; a failure while storing must not leave it unheard
          result.read += page.value.records.length;
          result.complete = page.value.done;
          batch.push(...page.value.records);
          if (batch.length >= STORE_BATCH) {
            await storing;
            storing = store(batch);
            storing.catch(() => undefined); // awaited before the next store or at the end
            batch = [];
          }
        }
      } finally {
        // Cut short or not, what was read is kept.
        await storing;
        if (batch.length) await store(batch);
      }
      state.kinds[kind] = { since: new Date(startedAt - OVERLAP_MS).toISOString(), fullAt: since ? before.fullAt : startedAt, count: since ? before.count : result.read };
      await saveKind(app, state, kind);
      // A whole listing that did not return a record the app described before: the app is asked for
      // it by id, and only its "not found" makes it deleted.
      if (!since && result.complete) {
        const missing = (await hostRecordsOfKind(company.realmId, refOf(app), kind)).filter((r) => r.source === 'api' && r.seenAt < startedAt);
        const ids = missing.slice(0, MAX_MISSING_READS).map((r) => r.hostId);
        if (ids.length) out.events += (await confirm(app, kind, ids, client)).length;
      }
    } catch (e) {
      result.problem = e instanceof HostError ? e.message : (e as Error).message;
      state.problem = result.problem;
    }
    out.kinds[kind] = result;
  }
  state.seenAt = Date.now();
  if (!state.problem) state.readAt = state.seenAt;
  // The app's clock, kept for a worker that starts afresh (a customer sync compares its times with QuickBooks').
  state.clockOffsetMs = heardClockOffset(app) ?? state.clockOffsetMs;
  // What is gone waiting for the user was recorded meanwhile (confirm): kept as it is now.
  await db.transaction('rw', db.hostApps, async () => {
    const now = await db.hostApps.get([app.profile.id, app.origin]);
    await db.hostApps.put({ ...state, gone: now?.gone });
  });
  return out;
}

/** A kind's listing state, kept as soon as its listing ends (the app's other kinds may still be listed). */
async function saveKind(app: App, state: HostAppState, kind: string) {
  await db.transaction('rw', db.hostApps, async () => {
    const now = await db.hostApps.get([app.profile.id, app.origin]);
    await db.hostApps.put({ ...(now ?? state), kinds: { ...now?.kinds, [kind]: state.kinds[kind] } });
  });
}

/**
 * Works out the matcher's suggestions for each app's vendors, customers and items (on the sync
 * schedule, after the listings), so the side panel shows them at once. Kept until a name, email or
 * phone changes on either side (lib/links/matching.ts).
 */
export async function warmMatches() {
  for (const app of await knownApps()) {
    const ref = refOf(app);
    const company = await hostCompany(ref);
    if (!company) continue;
    const kinds = new Set<string>([...app.profile.pages.map((p) => p.kind), ...Object.keys(app.profile.api?.kinds ?? {})]);
    for (const kind of kinds) if (NAME_KINDS.includes(kind as RecordKind)) await matchView(company.realmId, ref, kind as RecordKind).catch(() => undefined);
  }
}

/** Reads every known app (on the sync schedule), or one profile's (once when it is turned on). */
export async function listApps(profileId?: string): Promise<AppListing[]> {
  const out: AppListing[] = [];
  for (const app of await knownApps()) if (!profileId || app.profile.id === profileId) out.push(await listApp(app));
  return out;
}

/**
 * A record a page showed that the app's API may say more of (new, or changed since it was read):
 * read it through the API, so that what happened to it is recorded from the app, not from the
 * page. A record the app says it does not have is deleted, once.
 */
export async function confirm(app: App, kind: string, hostIds: string[], client = new AppClient(app)): Promise<HostEvent[]> {
  const company = await hostCompany(refOf(app));
  if (!company || !app.profile.api?.kinds[kind]?.read) return [];
  const found: ApiRecord[] = [];
  const gone: string[] = [];
  for (const id of hostIds) {
    const r = await client.read(kind, id);
    if (r) found.push(r);
    else gone.push(id);
  }
  // Until a whole listing of the kind has ended, a record the API had not described may have been
  // there before the app was turned on: stored, not taken as created (its later changes are events).
  const unseenAreOld = !(await db.hostApps.get([app.profile.id, app.origin]))?.kinds[kind]?.fullAt;
  const events = await takeRecords(company.realmId, app, kind, found, { unseenAreOld, client });
  if (gone.length > MAX_DELETES_UNASKED) await waitForUser(app, kind, gone);
  else if (gone.length) events.push(...(await deleted(company.realmId, app, kind, gone)));
  return events;
}

/** Records the app says it does not have, too many at once to believe: the popup asks the user. */
async function waitForUser(app: App, kind: string, hostIds: string[]) {
  await db.transaction('rw', db.hostApps, async () => {
    const state = (await db.hostApps.get([app.profile.id, app.origin])) ?? { ...refOf(app), kinds: {}, seenAt: Date.now() };
    const gone = { ...state.gone, [kind]: [...new Set([...(state.gone?.[kind] ?? []), ...hostIds])] };
    await db.hostApps.put({ ...state, name: app.profile.name, gone });
  });
}

/**
 * The user's answer about records the app said it does not have: marked deleted (each an event,
 * once), or kept as they are. Returns how many were marked deleted.
 */
export async function settleGone(app: App, kind: string, markDeleted: boolean): Promise<number> {
  const company = await hostCompany(refOf(app));
  const state = await db.hostApps.get([app.profile.id, app.origin]);
  const ids = state?.gone?.[kind] ?? [];
  const events = markDeleted && company && ids.length ? await deleted(company.realmId, app, kind, ids) : [];
  await db.transaction('rw', db.hostApps, async () => {
    const now = await db.hostApps.get([app.profile.id, app.origin]);
    if (!now?.gone) return;
    const { [kind]: _settled, ...rest } = now.gone;
    await db.hostApps.put({ ...now, gone: rest });
  });
  return events.length;
}

/** Pages' hints waiting for the API, per app and kind; read a few at a time so a page cannot flood the app. */
const hinted = new Map<string, { app: App; kind: string; ids: Set<string> }>();
let confirming: Promise<void> | undefined;
/** At most this many records a page showed are read back through the API per minute and app. */
export const MAX_CONFIRMS_PER_MINUTE = 60;
const confirmedAt = new Map<string, number[]>();

/** A page showed these records new or changed: the API is asked about them soon. */
export function hint(app: App, kind: string, hostIds: string[]) {
  if (!app.profile.api?.kinds[kind]?.read) return; // an app without an API: only the user's click makes it an event
  const key = `${app.profile.id} ${app.origin} ${kind}`;
  const entry = hinted.get(key) ?? { app, kind, ids: new Set<string>() };
  for (const id of hostIds) entry.ids.add(id);
  hinted.set(key, entry);
  confirming ??= new Promise<void>((r) => setTimeout(r, 500))
    .then(confirmHinted)
    .finally(() => (confirming = undefined));
}

async function confirmHinted() {
  // Until none wait: hints that came while these were read are read next.
  while (hinted.size) for (const [key, { app, kind, ids }] of [...hinted]) {
    hinted.delete(key);
    const since = Date.now() - 60_000;
    const recent = (confirmedAt.get(key) ?? []).filter((t) => t > since);
    const room = Math.max(0, MAX_CONFIRMS_PER_MINUTE - recent.length);
    const take = [...ids].slice(0, room);
    confirmedAt.set(key, [...recent, ...take.map(() => Date.now())]);
    if (!take.length) continue;
    // A listing of the app under way first: what the page shows is then compared with what it stored.
    await listing.get(appKey(app))?.catch(() => undefined);
    const events = await confirm(app, kind, take).catch(() => [] as HostEvent[]);
    if (events.length) for (const l of onEvents) l(app, events);
  }
}

/** Listeners told when a page's hint made events (the worker runs the app's automations at once). */
const onEvents = new Set<(app: App, events: HostEvent[]) => void>();
export function whenHostEvents(listener: (app: App, events: HostEvent[]) => void): () => void {
  onEvents.add(listener);
  return () => onEvents.delete(listener);
}

/**
 * Records the app answered "not found" for: gone from the app, if the app ever had them (a row
 * only a page showed, which the app never had, is dropped without an event: a page can forge rows).
 */
async function deleted(realmId: string, app: App, kind: string, hostIds: string[]): Promise<HostEvent[]> {
  const ref = refOf(app);
  return withHostGroup(realmId, ref, kind, [db.hostEvents], async (g) => {
    const added: HostEvent[] = [];
    const known = (await g.getMany(hostIds)).filter((r): r is HostRecord => !!r);
    await g.delete(known.map((r) => r.hostId));
    for (const { hostId, source } of known) {
      if (source !== 'api') continue;
      const e: HostEvent = { key: `${app.profile.id}|${app.origin}|${kind}|${hostId}|deleted`, realmId, ...ref, kind, hostId, type: 'deleted', at: Date.now() };
      if (!(await db.hostEvents.where('key').equals(e.key).count())) {
        await db.hostEvents.add(e);
        added.push(e);
      }
    }
    return added;
  });
}

/** Events after `seq`, oldest first (workflows read them as they come). */
export function eventsSince(seq: number, limit = 1000): Promise<HostEvent[]> {
  return db.hostEvents.where('seq').above(seq).limit(limit).toArray();
}
