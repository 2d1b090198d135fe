// Browser bindings of the protocol: the worker's listener and the pages' sender.
import { browser } from 'wxt/browser';
import { dispatch, send, type Handlers, type MessageType, type RefusedMessage, type RequestOf, type ResponseOf } from './index';

/** Installs the worker's single runtime.onMessage listener. */
export function listen(handlers: Partial<Handlers>, onRefused: (r: RefusedMessage) => void) {
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    dispatch(raw, sender, browser.runtime.id, handlers, onRefused).then(sendResponse);
    return true; // answer asynchronously
  });
}

/** Sends a message to the worker from a page or a content script. */
export function sendToWorker<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return send(type, payload, (msg) => browser.runtime.sendMessage(msg));
}
