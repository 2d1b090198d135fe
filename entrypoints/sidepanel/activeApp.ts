// Which host app the side panel shows: the one in the active tab (the panel follows tab switches
// and navigations). Opened as a page of its own (as the browser tests open it), the panel follows
// the most recently used web tab instead.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { profilesForUrl } from '@/lib/hosts/worker/registry';
import type { SiteProfile } from '@/lib/hosts/profile';

export interface ActiveApp {
  profile: SiteProfile;
  origin: string;
  tabId: number;
  url: string;
}

async function current(): Promise<ActiveApp | undefined> {
  const tabs = await browser.tabs.query({});
  const web = tabs.filter((t) => t.url && /^https?:/.test(t.url));
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  const tab = active?.url && /^https?:/.test(active.url) ? active : web.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
  if (!tab?.url || tab.id === undefined) return undefined;
  const [profile] = await profilesForUrl(tab.url);
  return profile ? { profile, origin: new URL(tab.url).origin, tabId: tab.id, url: tab.url } : undefined;
}

export function useActiveApp(): ActiveApp | undefined | null {
  const [app, setApp] = useState<ActiveApp | undefined | null>(null);
  useEffect(() => {
    let live = true;
    const update = () => void current().then((a) => live && setApp((old) => (old?.profile.id === a?.profile.id && old?.origin === a?.origin && old?.tabId === a?.tabId ? old : a)));
    update();
    const onUpdated = (_id: number, change: { url?: string; status?: string }) => (change.url || change.status === 'complete') && update();
    browser.tabs.onActivated.addListener(update);
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.windows?.onFocusChanged.addListener(update);
    return () => {
      live = false;
      browser.tabs.onActivated.removeListener(update);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.windows?.onFocusChanged.removeListener(update);
    };
  }, []);
  return app;
}
