// The worker's side of the protocol: its single runtime.onMessage listener, and the notices it
// sends to open host pages.
import { browser } from 'wxt/browser';
import { dispatch, originOf, TabLimiter, type Handlers, type Notice, type ProfileSource, type RefusedMessage, type TabRequests } from './index';

export function listen(handlers: Partial<Handlers>, profiles: ProfileSource, onRefused: (r: RefusedMessage) => void) {
  const ctx = { extensionId: browser.runtime.id, extensionOrigin: originOf(browser.runtime.getURL('/')), handlers, profiles, onRefused, limiter: new TabLimiter() };
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    dispatch(raw, sender, ctx).then(sendResponse);
    return true; // answer asynchronously
  });
}

/** Tells one tab's content script of a change; a tab without one (or gone) is skipped. */
export async function notifyTab(tabId: number, notice: Notice): Promise<void> {
  await browser.tabs.sendMessage(tabId, notice).catch(() => undefined);
}

/** Asks one tab's content script to do something, and waits for its answer (undefined: no answer). */
export async function askTab<T extends keyof TabRequests>(tabId: number, request: T, payload: TabRequests[T]['request'], frameId = 0): Promise<TabRequests[T]['response'] | undefined> {
  try {
    return (await browser.tabs.sendMessage(tabId, { request, payload }, { frameId })) as TabRequests[T]['response'] | undefined;
  } catch {
    return undefined;
  }
}
