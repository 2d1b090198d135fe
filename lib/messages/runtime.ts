// The worker's side of the protocol: its single runtime.onMessage listener.
import { browser } from 'wxt/browser';
import { dispatch, type Handlers, type RefusedMessage } from './index';

export function listen(handlers: Partial<Handlers>, onRefused: (r: RefusedMessage) => void) {
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    dispatch(raw, sender, browser.runtime.id, handlers, onRefused).then(sendResponse);
    return true; // answer asynchronously
  });
}
