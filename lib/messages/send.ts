// The sending side of the protocol, for pages and content scripts. It carries no schemas (they
// stay in the worker), so content scripts load no validation library.
import { browser } from 'wxt/browser';
import type { MessageType, Notice, Reply, RequestOf, ResponseOf, TabRequest, TabRequests } from './index';

class MessageError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends a typed message to the worker and returns its typed answer, or throws MessageError. */
export async function send<T extends MessageType>(
  type: T,
  payload: RequestOf<T>,
  transport: (msg: unknown) => Promise<unknown>,
): Promise<ResponseOf<T>> {
  const reply = (await transport({ type, payload })) as Reply<ResponseOf<T>> | undefined;
  if (!reply) throw new MessageError('Unavailable', 'The extension did not answer. Reload the page and try again.');
  if (!reply.ok) throw new MessageError(reply.error.kind, reply.error.message);
  return reply.data;
}

/** Sends a message to the worker from a page or a content script. */
export function sendToWorker<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return send(type, payload, (msg) => browser.runtime.sendMessage(msg));
}

/**
 * Runs `handle` when the worker sends this notice to the page's content script. Only the
 * extension can message a content script, so the notice's type is all there is to check.
 * Returns the function that stops listening.
 */
export function onNotice<T extends Notice['notice']>(notice: T, handle: (payload: Extract<Notice, { notice: T }>['payload']) => void): () => void {
  const listener = (msg: unknown) => {
    const n = msg as Partial<Notice> | undefined;
    if (n?.notice === notice) handle(n.payload as Extract<Notice, { notice: T }>['payload']);
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** Answers the worker's requests of one kind in a content script. Returns the function that stops. */
export function onTabRequest<T extends keyof TabRequests>(request: T, handle: (payload: TabRequests[T]['request']) => Promise<TabRequests[T]['response']>): () => void {
  const listener = (msg: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
    const m = msg as Partial<TabRequest> | undefined;
    if (m?.request !== request) return undefined;
    handle(m.payload as TabRequests[T]['request']).then(sendResponse, (e: Error) => sendResponse({ error: e.message }));
    return true; // answers asynchronously
  };
  browser.runtime.onMessage.addListener(listener as never);
  return () => browser.runtime.onMessage.removeListener(listener as never);
}
