// The one message protocol between content scripts, extension pages and the worker.
// Each message names its schema and the senders allowed to send it; the worker decides who
// sent a message from fields the browser stamps (sender.id, sender.origin, sender.tab), never
// from the payload or sender.url. Anything unknown, malformed or from the wrong sender is refused.
import { MAX_AT_ONCE } from '../bulk';
import { z } from 'zod';
import { CONNECTION_STATUSES } from '../db';
import type { CsrfRecipe } from '../hosts/api';
import type { PageRule, SiteProfile } from '../hosts/profile';
import { pageFor } from '../hosts/read';
import { CustomerSummary, TransactionRow } from '../hosts/worker/customer';
import { RecordStatus } from '../links';
import { ENVIRONMENTS } from '../qbo/environments';
import { REALM_ID_PATTERN } from '../qbo/schemas';

export type { CustomerSummary, RecordStatus, TransactionRow };

export type SenderKind = 'extension-page' | 'content-script';

interface MessageSpec<Req extends z.ZodType, Res extends z.ZodType> {
  senders: readonly SenderKind[];
  request: Req;
  response: Res;
  /**
   * The message is about a page of a site profile (its payload names profileId and pageId). A
   * content script may send it only for an enabled profile that covers its own page's URL; the
   * handler gets the profile and page in `sender.app`.
   */
  onPage?: true;
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
    response: z.object({ profiles: z.array(z.object({ id: z.string(), name: z.string(), pages: z.array(z.custom<PageRule>()), apiOrigin: z.string().optional() })) }),
  }),
  /** Records read from the page; the answer is each one's QuickBooks state. */
  'hosts.records': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, records: z.array(hostRecord).max(2000) }).strict(),
    response: z.object({ statuses: z.array(RecordStatus) }),
  }),
  /**
   * The states last drawn for the app's records of a list page's kind, each under the key of the
   * record's id and fields (lib/hosts/read.ts stateKey): the page draws them at once for records it
   * shows unchanged, then asks to confirm.
   */
  'hosts.known': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage }).strict(),
    response: z.object({ states: z.array(z.tuple([z.number(), RecordStatus.omit({ hostId: true })])) }),
  }),
  /** A customer page's QuickBooks summary and transactions. */
  'hosts.detail': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostId: text.min(1) }).strict(),
    response: z.object({ status: RecordStatus, summary: CustomerSummary.optional(), transactions: z.array(TransactionRow).optional() }),
  }),
  /** The user ignores (or stops ignoring) a host record for QuickBooks. */
  'hosts.ignore': spec({
    senders: ['content-script', 'extension-page'],
    onPage: true,
    /** origin: the host app's site, from an extension page (a content script's own origin is used). */
    request: z.object({ ...onPage, hostId: text.min(1), ignored: z.boolean(), origin: z.url().max(200).optional() }).strict(),
    response: z.object({ status: RecordStatus }),
  }),
  /** The user links a host record to the QuickBooks record its badge suggests (a click on the badge). */
  'hosts.link': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostId: text.min(1) }).strict(),
    response: z.object({ status: RecordStatus }),
  }),
  /** "Sync with QB" on a row: the QuickBooks records a person may link it to (the suggestion first), with a search. */
  'hosts.choices': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostId: text.min(1), search: z.string().max(100) }).strict(),
    response: z.object({ choices: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().optional(), active: z.boolean(), suggested: z.boolean().optional() })), more: z.boolean() }),
  }),
  /** The person chose a QuickBooks record for a row among its choices: link them. */
  'hosts.pick': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostId: text.min(1), qbId: z.string().regex(/^\d{1,20}$/, 'qbId must be a QuickBooks id') }).strict(),
    response: z.object({ status: RecordStatus }),
  }),
  /** "Create QB <entity>" on one row, or "Create and sync N" on chosen rows (at most MAX_AT_ONCE). */
  'hosts.create': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostIds: z.array(text.min(1)).min(1).max(MAX_AT_ONCE, `At most ${MAX_AT_ONCE} records can be created at once; choose fewer.`) }).strict(),
    response: z.object({ statuses: z.array(RecordStatus) }),
  }),
  /** Unsync on a linked row. */
  'hosts.unsync': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostId: text.min(1) }).strict(),
    response: z.object({ status: RecordStatus }),
  }),
  /** View QB info on a row: both sides, as label and value pairs. */
  'hosts.info': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, hostId: text.min(1) }).strict(),
    response: z.object({ appName: z.string(), app: z.array(z.tuple([z.string(), z.string()])), qb: z.array(z.tuple([z.string(), z.string()])).optional(), url: z.string().optional(), status: RecordStatus }),
  }),
  /** A profile matched the page but found no records or no anchors: the host's layout changed. */
  'hosts.drift': spec({
    senders: ['content-script'],
    onPage: true,
    request: z.object({ ...onPage, path: z.string().max(500), problem: z.enum(['no-records', 'no-anchors']) }).strict(),
    response: z.object({}),
  }),
  /**
   * An open page of an app asks for fresh QuickBooks changes (the CRM's customer sync: QuickBooks'
   * changes reach an open app within seconds); the answer says when to ask again (0: never).
   */
  'hosts.fresh': spec({
    senders: ['content-script'],
    request: z.object({ profileId: z.string().regex(/^[a-z0-9-]{2,40}$/) }).strict(),
    response: z.object({ every: z.number().int().min(0) }),
  }),
  /** Turns on a host app whose sites the user just granted: its pages are decorated, its records read. */
  'hosts.turnOn': spec({
    senders: ['extension-page'],
    request: z.object({ profileId: z.string().regex(/^[a-z0-9-]{2,40}$/) }).strict(),
    response: z.object({}),
  }),
  /** The user's answer about an app's records it says it no longer has: mark them deleted, or keep them. */
  'hosts.gone': spec({
    senders: ['extension-page'],
    request: z.object({ profileId: z.string().regex(/^[a-z0-9-]{2,40}$/), origin: z.url().max(200), kind: z.string().regex(/^[A-Za-z]{1,40}$/), markDeleted: z.boolean() }).strict(),
    response: z.object({ deleted: z.number().int() }),
  }),
  /** Pushes the outbox now (a page enqueued, retried, cancelled or undid something). */
  'outbox.push': spec({
    senders: ['extension-page'],
    request: z.object({ realmId: realmId.optional() }).strict(),
    response: z.object({ started: z.boolean() }),
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
  tab?: { id?: number; url?: string };
  frameId?: number;
}

/**
 * Who sent a message. An extension page has our own origin (chrome-extension://<id> in Chrome; in
 * Firefox moz-extension://<a per-install uuid>, not the add-on id); a content script runs in a tab
 * of another origin. Messages from other extensions, or without the fields the browser sets, are
 * untrusted.
 */
export function classifySender(
  sender: StampedSender,
  extensionId: string,
  extensionOrigin = `chrome-extension://${extensionId}`,
): SenderKind | 'untrusted' {
  if (sender.id !== extensionId) return 'untrusted';
  if (sender.origin === extensionOrigin) return 'extension-page';
  if (sender.tab?.id !== undefined && typeof sender.frameId === 'number' && sender.origin)
    return 'content-script';
  return 'untrusted';
}

/** A URL's origin; for an extension's own scheme (moz-extension:, chrome-extension:) its scheme and host. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.origin !== 'null') return u.origin;
    return u.host ? `${u.protocol}//${u.host}` : undefined;
  } catch {
    return undefined;
  }
}

/** Who sent a message, as the handlers see it: the kind, and for content scripts their tab and page. */
export interface Sender {
  kind: SenderKind;
  tabId?: number;
  /** The page's origin as the browser stamped it. */
  origin?: string;
  /** The page's URL, only when its origin agrees with the stamped origin. */
  url?: string;
  /** For page messages (onPage): the site profile and page they are about. */
  app?: { profile: SiteProfile; page: PageRule };
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

/** Where dispatch finds site profiles, to hold content scripts to the profile of their page. */
export interface ProfileSource {
  /** The enabled profiles that cover a URL. */
  covering(url: string): Promise<SiteProfile[]>;
  /** Any profile by id (extension pages may act for any). */
  byId(profileId: string): Promise<SiteProfile | undefined>;
}

/**
 * The rule "a content script speaks only for the profile that covers its page": the profile and
 * page a page message is about, or why it is refused.
 */
export async function resolvePage(
  kind: SenderKind,
  url: string | undefined,
  payload: { profileId: string; pageId: string },
  profiles: ProfileSource,
): Promise<{ profile: SiteProfile; page: PageRule } | string> {
  const profile =
    kind === 'content-script'
      ? url
        ? (await profiles.covering(url)).find((p) => p.id === payload.profileId)
        : undefined
      : await profiles.byId(payload.profileId);
  if (!profile) return kind === 'content-script' ? 'This page is not covered by that site profile.' : `There is no site profile "${payload.profileId}".`;
  const page = profile.pages.find((p) => p.id === payload.pageId);
  if (!page) return `The site profile has no page "${payload.pageId}".`;
  // And only for the page rule its own address fits: a detail page cannot pass for a list.
  if (kind === 'content-script' && pageFor([profile], new URL(url!).pathname)?.page.id !== page.id) return `This page is not the site profile's page "${page.id}".`;
  return { profile, page };
}

/**
 * How many messages of each kind one tab may send a minute. A host page is untrusted: whatever
 * its script makes our content script do, the worker answers it only this often.
 */
export const TAB_LIMITS: Partial<Record<MessageType, number>> = {
  'hosts.page': 120,
  'hosts.records': 600,
  'hosts.known': 60,
  'hosts.detail': 60,
  'hosts.ignore': 60,
  'hosts.link': 60,
  'hosts.choices': 240,
  'hosts.pick': 60,
  'hosts.create': 30,
  'hosts.unsync': 60,
  'hosts.info': 60,
  'hosts.drift': 30,
  'hosts.fresh': 12,
};

/** Counts per tab and message kind, over a sliding minute. */
export class TabLimiter {
  private readonly sent = new Map<string, number[]>();
  constructor(private readonly now: () => number = Date.now) {}
  /** Whether one more message may go now (and counts it). */
  allow(tabId: number, type: MessageType): boolean {
    const limit = TAB_LIMITS[type];
    if (limit === undefined) return true;
    const key = `${tabId}:${type}`;
    const since = this.now() - 60_000;
    const times = (this.sent.get(key) ?? []).filter((t) => t > since);
    if (times.length >= limit) {
      this.sent.set(key, times);
      return false;
    }
    times.push(this.now());
    this.sent.set(key, times);
    return true;
  }
}

export interface DispatchContext {
  extensionId: string;
  /** This extension's pages' origin, when it is not chrome-extension://<extensionId> (Firefox). */
  extensionOrigin?: string;
  handlers: Partial<Handlers>;
  onRefused: (r: RefusedMessage) => void;
  profiles: ProfileSource;
  limiter: TabLimiter;
}

/**
 * Checks one incoming message against the protocol and runs its handler. Returns the reply to
 * send back; refusals are reported through onRefused so the worker can log them.
 */
export async function dispatch(raw: unknown, stamped: StampedSender, ctx: DispatchContext): Promise<Reply<unknown>> {
  // Firefox stamps the sender's URL but, before version 126, not its origin: it is the URL's.
  const sender = stamped.origin === undefined && stamped.url ? { ...stamped, origin: originOf(stamped.url) } : stamped;
  const kind = classifySender(sender, ctx.extensionId, ctx.extensionOrigin);
  const refuse = (reason: string, type?: string): Reply<unknown> => {
    ctx.onRefused({ reason, type, senderKind: kind, origin: sender.origin });
    return { ok: false, error: { kind: 'Refused', message: reason } };
  };
  if (kind === 'untrusted') return refuse('Messages are accepted only from this extension.');
  const env = envelope.safeParse(raw);
  if (!env.success) return refuse('Malformed message.');
  const type = env.data.type;
  if (!Object.hasOwn(protocol, type)) return refuse(`Unknown message "${type}".`, type);
  const def: MessageSpec<z.ZodType, z.ZodType> = protocol[type as MessageType];
  if (!def.senders.includes(kind)) return refuse(`"${type}" may not be sent from a ${kind}.`, type);
  if (kind === 'content-script' && !ctx.limiter.allow(sender.tab!.id!, type as MessageType))
    return { ok: false, error: { kind: 'Throttled', message: 'This page asked too often; it will be answered again in a minute.' } };
  const payload = def.request.safeParse(env.data.payload);
  if (!payload.success) return refuse(`Invalid "${type}" message: ${z.prettifyError(payload.error)}`, type);
  const handler = ctx.handlers[type as MessageType] as ((p: unknown, s: Sender) => Promise<unknown>) | undefined;
  if (!handler) return refuse(`"${type}" has no handler here.`, type);
  // A single-page app changes its address without a new document; the browser keeps sender.url
  // at the document's first address, but the tab's (the top frame's) follows it.
  const current = sender.frameId === 0 && sender.tab?.url ? sender.tab.url : sender.url;
  let url: string | undefined;
  try {
    url = current && sender.origin && new URL(current).origin === sender.origin ? current : undefined;
  } catch {
    url = undefined;
  }
  const seen: Sender = { kind, tabId: sender.tab?.id, origin: sender.origin, url };
  try {
    if (def.onPage) {
      const found = await resolvePage(kind, url, payload.data as { profileId: string; pageId: string }, ctx.profiles);
      if (typeof found === 'string') return refuse(found, type);
      seen.app = found;
    }
    const data = await handler(payload.data, seen);
    return { ok: true, data };
  } catch (e) {
    const err = e as { kind?: string; message?: string };
    return { ok: false, error: { kind: err.kind ?? 'Unknown', message: err.message ?? String(e) } };
  }
}

// ---- worker -> tab notices -------------------------------------------------------------------------

/**
 * What the worker tells open host pages. One change set is one notice: a sync or a bulk export
 * of 500 records tells each page once, not once per record.
 */
export const notices = {
  /** QuickBooks, links or the site profiles changed: ask again for the states of what is shown. */
  'hosts.changed': z.object({}).strict(),
} as const;
export type NoticeType = keyof typeof notices;
export type Notice = { [T in NoticeType]: { notice: T; payload: z.infer<(typeof notices)[T]> } }[NoticeType];

// ---- worker -> tab requests -----------------------------------------------------------------------

/** A request to a host app's API made from an open tab of it (lib/hosts/content/fetch.ts). */
export interface TabFetch {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute: the tab's own origin, or the API origin its profile names. */
  url: string;
  body?: string;
  /** The CSRF recipe, read by the tab from its own page (meta tag or cookie). */
  csrf?: CsrfRecipe;
  /** A token the worker already has, to send as is. */
  token?: string;
  /** The app refused the last token: read it again from the app, not from the page as loaded. */
  fresh?: boolean;
}

export interface TabFetched {
  status: number;
  contentType: string;
  text: string;
  /** The CSRF token the tab sent, when it read one. */
  token?: string;
  /** The answer's Date header: the app's clock, to compare its times with QuickBooks'. */
  date?: string;
}

/**
 * What the worker may ask a content script to do, and what it answers. Only the extension can
 * message a content script, so these come from the worker, never from the page.
 */
export type TabRequests = {
  'hosts.fetch': { request: TabFetch; response: TabFetched | { error: string } };
};
export type TabRequest = { [T in keyof TabRequests]: { request: T; payload: TabRequests[T]['request'] } }[keyof TabRequests];
