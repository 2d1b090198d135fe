// The one message protocol between content scripts, extension pages and the worker.
// Each message names its schema and the senders allowed to send it; the worker decides who
// sent a message from fields the browser stamps (sender.id, sender.origin, sender.tab), never
// from the payload or sender.url. Anything unknown, malformed or from the wrong sender is refused.
import { z } from 'zod';

export type SenderKind = 'extension-page' | 'content-script';

interface MessageSpec<Req extends z.ZodType, Res extends z.ZodType> {
  senders: readonly SenderKind[];
  request: Req;
  response: Res;
}

const spec = <Req extends z.ZodType, Res extends z.ZodType>(s: MessageSpec<Req, Res>) => s;

const realmId = z.string().regex(/^\d{1,20}$/, 'realmId must be a QuickBooks company id');
const none = z.object({}).strict();

/** A connection as pages see it: never a token. */
export const ConnectionView = z.object({
  realmId: z.string(),
  environment: z.enum(['production', 'intuit-sandbox', 'local-sandbox']),
  companyName: z.string(),
  status: z.enum(['connected', 'needs-reconnect', 'disconnected']),
  reason: z.string().optional(),
  connectedAt: z.number(),
  refreshedAt: z.number().optional(),
  lastSyncAt: z.number().optional(),
  reconnectWithinDays: z.number().optional(),
});
export type ConnectionView = z.infer<typeof ConnectionView>;

export const protocol = {
  /** Liveness check: the worker answers once its handlers are installed. */
  ping: spec({
    senders: ['extension-page', 'content-script'],
    request: none,
    response: z.object({ ready: z.literal(true), version: z.string() }),
  }),
  /** Opens Intuit's consent page and connects the company the user picks. */
  'connection.connect': spec({ senders: ['extension-page'], request: none, response: ConnectionView }),
  'connection.disconnect': spec({
    senders: ['extension-page'],
    request: z.object({ realmId }).strict(),
    response: z.object({ revoked: z.boolean(), message: z.string().optional() }),
  }),
  /** Pulls QuickBooks changes now (every connected company, or one). */
  'sync.now': spec({
    senders: ['extension-page'],
    request: z.object({ realmId: realmId.optional() }).strict(),
    response: z.object({ started: z.boolean() }),
  }),
} as const;

export type MessageType = keyof typeof protocol;
export type RequestOf<T extends MessageType> = z.infer<(typeof protocol)[T]['request']>;
export type ResponseOf<T extends MessageType> = z.infer<(typeof protocol)[T]['response']>;

/** What goes over chrome.runtime messaging. */
export const envelope = z.object({ type: z.string(), payload: z.unknown() }).strict();

export type Reply<T> = { ok: true; data: T } | { ok: false; error: { kind: string; message: string } };

/** The browser-stamped parts of chrome.runtime.MessageSender this module reads. */
export interface StampedSender {
  id?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

/**
 * Who sent a message. An extension page has our own origin; a content script runs in a tab of
 * another origin. Messages from other extensions, or without the fields the browser sets, are
 * untrusted.
 */
export function classifySender(
  sender: StampedSender,
  extensionId: string,
): SenderKind | 'untrusted' {
  if (sender.id !== extensionId) return 'untrusted';
  const extensionOrigin = `chrome-extension://${extensionId}`;
  if (sender.origin === extensionOrigin) return 'extension-page';
  if (sender.tab?.id !== undefined && typeof sender.frameId === 'number' && sender.origin)
    return 'content-script';
  return 'untrusted';
}

export type Handlers = {
  [T in MessageType]: (payload: RequestOf<T>, sender: { kind: SenderKind; tabId?: number }) => Promise<ResponseOf<T>>;
};

export interface RefusedMessage {
  reason: string;
  type?: string;
  senderKind: SenderKind | 'untrusted';
  origin?: string;
}

/**
 * Checks one incoming message against the protocol and runs its handler. Returns the reply to
 * send back; refusals are reported through onRefused so the worker can log them.
 */
export async function dispatch(
  raw: unknown,
  sender: StampedSender,
  extensionId: string,
  handlers: Partial<Handlers>,
  onRefused: (r: RefusedMessage) => void,
): Promise<Reply<unknown>> {
  const kind = classifySender(sender, extensionId);
  const refuse = (reason: string, type?: string): Reply<unknown> => {
    onRefused({ reason, type, senderKind: kind, origin: sender.origin });
    return { ok: false, error: { kind: 'Refused', message: reason } };
  };
  if (kind === 'untrusted') return refuse('Messages are accepted only from this extension.');
  const env = envelope.safeParse(raw);
  if (!env.success) return refuse('Malformed message.');
  const type = env.data.type;
  if (!Object.hasOwn(protocol, type)) return refuse(`Unknown message "${type}".`, type);
  const def = protocol[type as MessageType];
  if (!def.senders.includes(kind)) return refuse(`"${type}" may not be sent from a ${kind}.`, type);
  const payload = def.request.safeParse(env.data.payload);
  if (!payload.success) return refuse(`Invalid "${type}" message: ${z.prettifyError(payload.error)}`, type);
  const handler = handlers[type as MessageType] as
    | ((p: unknown, s: { kind: SenderKind; tabId?: number }) => Promise<unknown>)
    | undefined;
  if (!handler) return refuse(`"${type}" has no handler here.`, type);
  try {
    const data = await handler(payload.data, { kind, tabId: sender.tab?.id });
    return { ok: true, data };
  } catch (e) {
    const err = e as { kind?: string; message?: string };
    return { ok: false, error: { kind: err.kind ?? 'Unknown', message: err.message ?? String(e) } };
  }
}

export class MessageError extends Error {
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
