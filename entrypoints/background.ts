// The service worker: the only context that runs the schedule and the OAuth exchange. It can be
// stopped at any moment, so everything it knows lives in IndexedDB (lib/db) and its alarms are
// re-created every time it starts.
import { browser } from 'wxt/browser';
import { connect, disconnect } from '@/lib/auth/connection';
import { appendLog } from '@/lib/db/logs';
import { clearDrift, decorateOpenTabs, findPage, profilesForUrl, reportDrift, syncContentScripts } from '@/lib/hosts/registry';
import { customerDetail, setIgnored, statusesFor } from '@/lib/hosts/status';
import type { Sender } from '@/lib/messages';
import { listen } from '@/lib/messages/runtime';
import { PULL_ALARM, resumeLoads, scheduleSync, syncAll, syncCompany } from '@/lib/sync';

/** A content script may speak only for an enabled profile that covers its own page. */
async function coveringProfile(sender: Sender, profileId: string, pageId: string) {
  const profile = sender.url ? (await profilesForUrl(sender.url)).find((p) => p.id === profileId) : undefined;
  if (!profile) throw Object.assign(new Error('This page is not covered by that site profile.'), { kind: 'Refused' });
  const page = profile.pages.find((p) => p.id === pageId);
  if (!page) throw Object.assign(new Error(`The site profile has no page "${pageId}".`), { kind: 'Refused' });
  return { profile, page };
}

export default defineBackground(() => {
  listen(
    {
      ping: async () => ({ ready: true, version: browser.runtime.getManifest().version }),
      'connection.connect': async () => {
        const view = await connect();
        // The first load (or, after a reconnect, the changes missed) starts at once.
        void syncCompany(view.realmId);
        return view;
      },
      'connection.disconnect': ({ realmId }) => disconnect(realmId),
      'hosts.page': async (_p, sender) => ({
        profiles: (sender.url ? await profilesForUrl(sender.url) : []).map((p) => ({ id: p.id, name: p.name, pages: p.pages })),
      }),
      'hosts.records': async ({ profileId, pageId, records }, sender) => {
        const { profile, page } = await coveringProfile(sender, profileId, pageId);
        const statuses = await statusesFor(profile, page, records);
        if (records.length) void clearDrift(profileId, pageId);
        return { statuses };
      },
      'hosts.detail': async ({ profileId, pageId, hostId }, sender) => {
        const { profile, page } = await coveringProfile(sender, profileId, pageId);
        return customerDetail(profile, page, hostId);
      },
      'hosts.ignore': async ({ profileId, pageId, hostId, ignored }, sender) => {
        // Extension pages (the side panel) may act on any profile; a content script only on its own page's.
        const found = sender.kind === 'extension-page' ? await findPage(profileId, pageId) : await coveringProfile(sender, profileId, pageId);
        if (!found) throw new Error(`There is no site profile page ${profileId}/${pageId}.`);
        const { profile, page } = found;
        return { status: await setIgnored(profile, page, hostId, ignored) };
      },
      'hosts.drift': async ({ profileId, pageId, path, problem }, sender) => {
        const { profile } = await coveringProfile(sender, profileId, pageId);
        // The page's own host (verified by dispatch) with its path, so the user knows which page.
        const where = `${new URL(sender.url!).host}${path}`;
        await reportDrift({ profileId, profileName: profile.name, pageId, path: where, problem, at: Date.now() });
        return {};
      },
      'sync.now': async ({ realmId }) => {
        void (realmId ? syncCompany(realmId) : syncAll());
        return { started: true };
      },
    },
    (refused) =>
      void appendLog({
        realmId: '',
        timestamp: Date.now(),
        type: 'Security',
        action: 'Message refused',
        status: 'Not Completed',
        objectName: refused.type,
        error: `${refused.reason} Sender: ${refused.senderKind}${refused.origin ? ` (${refused.origin})` : ''}.`,
      }),
  );
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PULL_ALARM) void syncAll();
  });
  // After an update, open host app pages still run the old version: hand them over to this one.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'update') void syncContentScripts().then(decorateOpenTabs);
  });
  browser.permissions.onAdded.addListener(() => void syncContentScripts());
  browser.permissions.onRemoved.addListener(() => void syncContentScripts());
  void scheduleSync();
  void syncContentScripts();
  void resumeLoads();
});
