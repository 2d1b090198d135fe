// Messages from host pages (and the side panel) about their records. Which profile and page a
// message is about was settled by the protocol (lib/messages: a content script speaks only for
// the profile that covers its page); the app is that profile on the sender's own origin.
import { confirmSuggestion, setIgnored, type HostApp } from '@/lib/links';
import type { Handlers, Sender } from '@/lib/messages';
import { customerDetail } from '@/lib/hosts/worker/customer';
import { clearDrift, reportDrift } from '@/lib/hosts/worker/drift';
import { idFromUrl } from '@/lib/hosts/read';
import { notifyHostTabs, profileById, profilesForUrl, turnOn } from '@/lib/hosts/worker/registry';
import { hint, listApps, sawApp, settleGone } from '@/lib/hosts/worker/apps';
import { freshen, pushWaitingFor } from '@/lib/sync';
import { hostRecordsWritten, knownStates, statusesFor } from '@/lib/hosts/worker/records';
import { createFromPage, linkChosen, qbChoices, recordInfo, unsyncFromPage, writeBackLink } from '@/lib/hosts/worker/sync';

/**
 * The host app a page message is about: its profile on the page's origin. An extension page (the
 * side panel) names the app's origin; a content script's is the one the browser stamped.
 */
function appOf(sender: Sender, named?: string): HostApp {
  const origin = sender.kind === 'content-script' ? sender.origin : named;
  if (!origin) throw Object.assign(new Error('Say which site of the host app this is about.'), { kind: 'Refused' });
  return { profileId: sender.app!.profile.id, origin };
}

/**
 * A content script on a detail page speaks only of the record whose page it is: its id comes from
 * the page's address (the profile says how), never from what the page's script put on it.
 */
function ownRecord(sender: Sender, hostId: string) {
  if (sender.kind !== 'content-script' || sender.app!.page.layout !== 'detail') return;
  const id = sender.url ? idFromUrl(sender.app!.page, new URL(sender.url).pathname) : undefined;
  if (id !== hostId) throw Object.assign(new Error('A page may ask only about the record it shows.'), { kind: 'Refused' });
}

/** A row's link changed: every open page of the app redraws it (the page that asked gets its answer first). */
const changedIn = (sender: Sender) => void notifyHostTabs(sender.app!.profile.matches);

export const hostHandlers: Pick<
  Handlers,
  'hosts.page' | 'hosts.records' | 'hosts.known' | 'hosts.detail' | 'hosts.ignore' | 'hosts.link' | 'hosts.drift' | 'hosts.turnOn' | 'hosts.gone' | 'hosts.choices' | 'hosts.pick' | 'hosts.create' | 'hosts.unsync' | 'hosts.info' | 'hosts.fresh'
> = {
  // The page cannot choose the app: the profile must cover the page's own address, on its own origin.
  'hosts.fresh': async ({ profileId }, sender) => {
    const profile = sender.url ? (await profilesForUrl(sender.url)).find((p) => p.id === profileId) : undefined;
    if (!profile || !sender.origin) return { every: 0 };
    return { every: await freshen({ profile, origin: sender.origin }) };
  },
  'hosts.turnOn': async ({ profileId }) => {
    const profile = await profileById(profileId);
    if (!profile) throw Object.assign(new Error('That app is no longer among your host apps.'), { kind: 'Refused' });
    await turnOn(profile, listApps);
    return {};
  },
  'hosts.gone': async ({ profileId, origin, kind, markDeleted }) => {
    const profile = await profileById(profileId);
    if (!profile) throw Object.assign(new Error('That app is no longer among your host apps.'), { kind: 'Refused' });
    return { deleted: await settleGone({ profile, origin: new URL(origin).origin }, kind, markDeleted) };
  },
  'hosts.page': async (_p, sender) => {
    const profiles = sender.url ? await profilesForUrl(sender.url) : [];
    // Where an app runs (a local app's port, one of a profile's several sites) is learned here; and
    // changes that waited for an open tab of the app go now.
    for (const p of profiles) if (p.api && sender.origin) void sawApp(p.id, sender.origin).then(() => pushWaitingFor(p.id));
    return { profiles: profiles.map((p) => ({ id: p.id, name: p.name, pages: p.pages, apiOrigin: p.api?.origin })) };
  },
  'hosts.records': async ({ pageId, records, profileId }, sender) => {
    for (const r of records) ownRecord(sender, r.hostId);
    const { profile, page } = sender.app!;
    // What the page showed new or changed is asked of the app's API (the page is only a hint).
    const statuses = await statusesFor(appOf(sender), page.kind, records, (ids) => hint({ profile, origin: sender.origin! }, page.kind, ids));
    if (records.length) void clearDrift(profileId, pageId);
    return { statuses };
  },
  // A list page's only: a detail page speaks only of its own record (and gets none).
  'hosts.known': async (_p, sender) => ({ states: sender.app!.page.layout === 'list' ? await knownStates(appOf(sender), sender.app!.page.kind) : [] }),
  'hosts.detail': async ({ hostId }, sender) => {
    if (sender.kind === 'content-script' && !idFromUrl(sender.app!.page, new URL(sender.url!).pathname))
      throw Object.assign(new Error('QuickBooks details are shown only on a page whose address names its record.'), { kind: 'Refused' });
    ownRecord(sender, hostId);
    return customerDetail(appOf(sender), sender.app!.page.kind, hostId);
  },
  // The new state is worked out from the record's stored copy: write what is waiting first.
  'hosts.ignore': async ({ hostId, ignored, origin }, sender) => {
    await hostRecordsWritten();
    return { status: await setIgnored(appOf(sender, origin), sender.app!.page.kind, hostId, ignored) };
  },
  'hosts.link': async ({ hostId }, sender) => {
    await hostRecordsWritten();
    const status = await confirmSuggestion(appOf(sender), sender.app!.page.kind, hostId);
    if (status.state === 'linked' && status.qbId) await writeBackLink(appOf(sender), sender.app!.page.kind, hostId, status.qbId);
    return { status };
  },
  // Sync with QB on a page's rows (lib/hosts/worker/sync.ts): the page names the row, the worker decides the rest.
  'hosts.choices': async ({ hostId, search }, sender) => {
    ownRecord(sender, hostId);
    return qbChoices(appOf(sender), sender.app!.page.kind, hostId, search);
  },
  'hosts.pick': async ({ hostId, qbId }, sender) => {
    ownRecord(sender, hostId);
    const status = await linkChosen(appOf(sender), sender.app!.page.kind, hostId, qbId);
    changedIn(sender);
    return { status };
  },
  'hosts.create': async ({ hostIds }, sender) => {
    for (const id of hostIds) ownRecord(sender, id);
    const statuses = await createFromPage(sender.app!.profile, appOf(sender), sender.app!.page.kind, hostIds);
    changedIn(sender);
    return { statuses };
  },
  'hosts.unsync': async ({ hostId }, sender) => {
    ownRecord(sender, hostId);
    const status = await unsyncFromPage(appOf(sender), sender.app!.page.kind, hostId);
    changedIn(sender);
    return { status };
  },
  'hosts.info': async ({ hostId }, sender) => {
    ownRecord(sender, hostId);
    return recordInfo(sender.app!.profile, appOf(sender), sender.app!.page.kind, hostId);
  },
  'hosts.drift': async ({ profileId, pageId, path, problem }, sender) => {
    // The page's own host (verified by dispatch) with its path, so the user knows which page.
    const where = `${new URL(sender.url!).host}${path}`;
    await reportDrift({ profileId, profileName: sender.app!.profile.name, pageId, path: where, problem, at: Date.now() });
    return {};
  },
};
