// Messages from host pages (and the side panel) about their records. Which profile and page a
// message is about was settled by the protocol (lib/messages: a content script speaks only for
// the profile that covers its page); the app is that profile on the sender's own origin.
import { setIgnored, type HostApp } from '@/lib/links';
import type { Handlers, Sender } from '@/lib/messages';
import { customerDetail } from '@/lib/hosts/worker/customer';
import { clearDrift, reportDrift } from '@/lib/hosts/worker/drift';
import { idFromUrl } from '@/lib/hosts/read';
import { profilesForUrl } from '@/lib/hosts/worker/registry';
import { hostRecordsWritten, statusesFor } from '@/lib/hosts/worker/records';

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

export const hostHandlers: Pick<Handlers, 'hosts.page' | 'hosts.records' | 'hosts.detail' | 'hosts.ignore' | 'hosts.drift'> = {
  'hosts.page': async (_p, sender) => ({
    profiles: (sender.url ? await profilesForUrl(sender.url) : []).map((p) => ({ id: p.id, name: p.name, pages: p.pages })),
  }),
  'hosts.records': async ({ pageId, records, profileId }, sender) => {
    for (const r of records) ownRecord(sender, r.hostId);
    const statuses = await statusesFor(appOf(sender), sender.app!.page.kind, records);
    if (records.length) void clearDrift(profileId, pageId);
    return { statuses };
  },
  'hosts.detail': async ({ hostId }, sender) => {
    if (sender.kind === 'content-script' && !idFromUrl(sender.app!.page, new URL(sender.url!).pathname))
      throw Object.assign(new Error('QuickBooks details are shown only on a page whose address names its record.'), { kind: 'Refused' });
    ownRecord(sender, hostId);
    return customerDetail(appOf(sender), sender.app!.page.kind, hostId);
  },
  'hosts.ignore': async ({ hostId, ignored, origin }, sender) => {
    // The new state is worked out from the record's stored copy: write what is waiting first.
    await hostRecordsWritten();
    return { status: await setIgnored(appOf(sender, origin), sender.app!.page.kind, hostId, ignored) };
  },
  'hosts.drift': async ({ profileId, pageId, path, problem }, sender) => {
    // The page's own host (verified by dispatch) with its path, so the user knows which page.
    const where = `${new URL(sender.url!).host}${path}`;
    await reportDrift({ profileId, profileName: sender.app!.profile.name, pageId, path: where, problem, at: Date.now() });
    return {};
  },
};
