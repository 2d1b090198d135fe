// The one message protocol between content scripts, extension pages and the worker.
// Each message names its schema and the senders allowed to send it; the worker decides who
// sent a message from fields the browser stamps (sender.id, sender.origin, sender.tab), never
// from the payload or sender.url. Anything unknown, malformed or from the wrong sender is refused.
import { z } from 'zod';
import { CONNECTION_STATUSES } from '../db';
import type { PageRule } from '../hosts/profile';
import { ENVIRONMENTS } from '../qbo/environments';
import { REALM_ID_PATTERN } from '../qbo/schemas';

export type SenderKind = 'extension-page' | 'content-script';

interface MessageSpec<Req extends z.ZodType, Res extends z.ZodType> {
  senders: readonly SenderKind[];
  request: Req;
  response: Res;
}

const spec = <Req extends z.ZodType, Res extends z.ZodType>(s: MessageSpec<Req, Res>) => s;

const realmId = z.string().regex(REALM_ID_PATTERN, 'realmId must be a QuickBooks company id');
const none = z.object({}).strict();

/** A connection as pages see it: never a token. */
export const ConnectionView = z.object({
  realmId: z.string(),
  environment: z.enum(ENVIRONMENTS),
  companyName: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  reason: z.string().optional(),
  connectedAt: z.number(),
  refreshedAt: z.number().optional(),
  lastSyncAt: z.number().optional(),
  reconnectWithinDays: z.number().optional(),
});
export type ConnectionView = z.infer<typeof ConnectionView>;

const text = z.string().max(300);
const hostRecord = z
  .object({
    hostId: text.min(1),
    fields: z
      .object({
        hostId: text, name: text, email: text, phone: text, company: text, number: text, party: text,
        amount: text, balance: text, date: text, dueDate: text, status: text,
      })
      .partial()
      .strict(),
  })
  .strict();
const onPage = { profileId: z.string().regex(/^[a-z0-9-]{2,40}$/), pageId: z.string().regex(/^[a-z0-9-]{1,40}$/) };

/** A host record's QuickBooks state, as its badge shows it. */
export const RecordStatus = z.object({
  hostId: z.string(),
  state: z.enum(['linked', 'not-in-qb', 'ignored', 'error']),
  qbEntity: z.string().optional(),
  qbId: z.string().optional(),
  qbName: z.string().optional(),
  /** The record's page in the QBO web app. */
  url: z.string().optional(),
  /** Why it is in error, or what "not in QuickBooks" means here, in words. */
  reason: z.string().optional(),
});
export type RecordStatus = z.infer<typeof RecordStatus>;

export const CustomerSummary = z.object({
  name: z.string(),
  url: z.string().optional(),
  balance: z.number(),
  openBalance: z.number(),
  overdue: z.number(),
  terms: z.string().optional(),
  paymentMethod: z.string().optional(),
  deliveryMethod: z.string().optional(),
  email: z.string().optional(),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const TransactionRow = z.object({
  type: z.string(),
  id: z.string(),
  date: z.string(),
  number: z.string(),
  amount: z.number(),
  balance: z.number().optional(),
  status: z.string(),
  url: z.string().optional(),
});
export type TransactionRow = z.infer<typeof TransactionRow>;

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
  /** The enabled site profiles that cover the sender's site (their pages and anchors). */
  'hosts.page': spec({
    senders: ['content-script'],
    request: none,
    response: z.object({ profiles: z.array(z.object({ id: z.string(), name: z.string(), pages: z.array(z.custom<PageRule>()) })) }),
  }),
  /** Records read from the page; the answer is each one's QuickBooks state. */
  'hosts.records': spec({
    senders: ['content-script'],
    request: z.object({ ...onPage, records: z.array(hostRecord).max(2000) }).strict(),
    response: z.object({ statuses: z.array(RecordStatus) }),
  }),
  /** A customer page's QuickBooks summary and transactions. */
  'hosts.detail': spec({
    senders: ['content-script'],
    request: z.object({ ...onPage, hostId: text.min(1) }).strict(),
    response: z.object({ status: RecordStatus, summary: CustomerSummary.optional(), transactions: z.array(TransactionRow).optional() }),
  }),
  /** The user ignores (or stops ignoring) a host record for QuickBooks. */
  'hosts.ignore': spec({
    senders: ['content-script', 'extension-page'],
    request: z.object({ ...onPage, hostId: text.min(1), ignored: z.boolean() }).strict(),
    response: z.object({ status: RecordStatus }),
  }),
  /** A profile matched the page but found no records or no anchors: the host's layout changed. */
  'hosts.drift': spec({
    senders: ['content-script'],
    request: z.object({ ...onPage, path: z.string().max(500), problem: z.enum(['no-records', 'no-anchors']) }).strict(),
    response: z.object({}),
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
  url?: string;
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

/** Who sent a message, as the handlers see it: the kind, and for content scripts their tab and page. */
export interface Sender {
  kind: SenderKind;
  tabId?: number;
  /** The page's origin as the browser stamped it. */
  origin?: string;
  /** The page's URL, only when its origin agrees with the stamped origin. */
  url?: string;
}

export type Handlers = {
  [T in MessageType]: (payload: RequestOf<T>, sender: Sender) => Promise<ResponseOf<T>>;
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
  const handler = handlers[type as MessageType] as ((p: unknown, s: Sender) => Promise<unknown>) | undefined;
  if (!handler) return refuse(`"${type}" has no handler here.`, type);
  let url: string | undefined;
  try {
    url = sender.url && sender.origin && new URL(sender.url).origin === sender.origin ? sender.url : undefined;
  } catch {
    url = undefined;
  }
  try {
    const data = await handler(payload.data, { kind, tabId: sender.tab?.id, origin: sender.origin, url });
    return { ok: true, data };
  } catch (e) {
    const err = e as { kind?: string; message?: string };
    return { ok: false, error: { kind: err.kind ?? 'Unknown', message: err.message ?? String(e) } };
  }
}
