// Starts the five demo host apps (media buying, ERP, CRM, accounting portal, payments), each on its
// own port and its own *.localhost site, so the extension meets them as separate web apps with
// separate permissions. Plain node:http; every app keeps an in-memory store reseeded by /api/_reset,
// and signs people in and guards its writes as real apps do (session.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BODY_TOO_LARGE, ClientGone, dropBody, readBody, type BodyLimit } from '../../broker/http';
import { listen } from '../net';
import { BadRequest, reply, type HostApp, type HostReply, type HostRequest } from './app';
import { createCrmApp, type CrmStore } from './crm';
import { createErpApp, type ErpStore } from './erp';
import { createMediaApp, type MediaStore } from './media';
import { createPaymentsApp, type PaymentsStore } from './payments';
import { createPortalApp, type PortalStore } from './portal';
import { SignIn } from './session';

export type HostAppId = 'media' | 'erp' | 'crm' | 'portal' | 'payments';

/** In port order: media on basePort, erp on basePort + 1, and so on. */
export const HOST_APP_IDS: readonly HostAppId[] = ['media', 'erp', 'crm', 'portal', 'payments'];
/** Where the apps listen by default: 4101-4105, as in the default stack (sandbox/stack.ts: its base port + 91). */
export const DEFAULT_BASE_PORT = 4101;

export interface HostStores {
  media: MediaStore;
  erp: ErpStore;
  crm: CrmStore;
  portal: PortalStore;
  payments: PaymentsStore;
}

export interface DemoHostApp {
  name: string;
  /** The public address, on the app's own site: http://media.localhost:4101. */
  url: string;
  port: number;
  /** The same app by IP, for Node clients that do not resolve *.localhost. */
  localUrl: string;
}

export interface DemoHosts {
  apps: Record<HostAppId, DemoHostApp>;
  /** The live store of an app (a new object after each reset), for tests to assert against. */
  store<K extends HostAppId>(id: K): HostStores[K];
  /** Reseeds one app, or all of them (signed-in sessions stay). */
  reset(id?: HostAppId): void;
  /**
   * Ends every session of one app, or of all: the next API call gets the app's 401 or its sign-in
   * page. Opening a page signs in again by itself, unless `remember` is false.
   */
  expireSessions(id?: HostAppId, opts?: { remember?: boolean }): void;
  /** Gives every session of one app (or of all) a new CSRF token, so tokens read before are stale. */
  rotateCsrf(id?: HostAppId): void;
  close(): Promise<void>;
}

/**
 * A demo app takes bodies up to 1 MB (a status change is a few bytes); a larger one is refused
 * whole, unread, with 413. Up to 8 MB of a body the app does not use is read and dropped so the
 * connection serves the next request; past that the connection is closed after the answer.
 */
export const BODY_LIMIT: BodyLimit = { maxBytes: 1024 * 1024, dropBytes: 8 * 1024 * 1024 };

/** A body as the app sees it: JSON, or a form as an object of strings; or why it is refused. */
function parseBody(raw: Buffer, contentType: string | undefined): { body: unknown } | { status: number; error: string } {
  if (!raw.length) return { body: undefined };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return { body: Object.fromEntries(new URLSearchParams(text)) };
  if (type !== 'application/json' && !type.endsWith('+json'))
    return { status: 415, error: 'Send the body as JSON (Content-Type: application/json) or as a form (application/x-www-form-urlencoded).' };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { status: 400, error: 'The request body is not valid JSON.' };
  }
}

function send(res: ServerResponse, method: string, r: HostReply, cookies: string[] = []) {
  res.writeHead(r.status, {
    'Content-Type': r.contentType,
    'Content-Length': Buffer.byteLength(r.body),
    'X-Content-Type-Options': 'nosniff',
    ...r.headers,
    ...(cookies.length ? { 'Set-Cookie': cookies } : {}),
  });
  res.end(method === 'HEAD' ? undefined : r.body);
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** The calls tests make on an app, with no session: reseed, end sessions, make tokens stale. */
function adminCall(app: HostApp<unknown>, signIn: SignIn, req: HostRequest): HostReply | null {
  if (req.method !== 'POST') return null;
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  switch (req.path) {
    case '/api/_reset':
      app.reset();
      signIn.reset();
      return reply.json({ ok: true, app: app.name });
    case '/api/_sessions/expire':
      return reply.json({ ok: true, expired: signIn.expire({ remember: body.remember !== false }) });
    case '/api/_csrf/rotate':
      return reply.json({ ok: true, rotated: signIn.rotateAll() });
    default:
      return null;
  }
}

async function handle(app: HostApp<unknown>, signIn: SignIn, req: IncomingMessage, res: ServerResponse) {
  const method = (req.method ?? 'GET').toUpperCase();
  // Only the path and query matter: the apps answer the same whatever Host the browser sent.
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://host.invalid');
  } catch {
    dropBody(req, res, BODY_LIMIT);
    return send(res, method, reply.json({ error: 'The request target is not a valid path.' }, 400));
  }
  const hostReq: HostRequest = { method, path: url.pathname, query: url.searchParams, body: undefined, headers: headersOf(req) };
  const refuse = (status: number, message: string) =>
    send(res, method, url.pathname.startsWith('/api/') ? reply.json({ error: message }, status) : app.errorPage(hostReq, status, message));

  if (method === 'GET' || method === 'HEAD') dropBody(req, res, BODY_LIMIT);
  else {
    const raw = await readBody(req, res, BODY_LIMIT);
    if (raw === BODY_TOO_LARGE) return refuse(413, `The request body is larger than ${BODY_LIMIT.maxBytes / 1024 / 1024} MB.`);
    const parsed = parseBody(raw, req.headers['content-type']);
    if ('error' in parsed) return refuse(parsed.status, parsed.error);
    hostReq.body = parsed.body;
  }
  const admin = adminCall(app, signIn, hostReq);
  if (admin) return send(res, method, admin);

  // Signed in, and for a write the right Origin and token, before the app sees anything.
  const { refused, cookies } = signIn.admit(hostReq, app.knows(hostReq));
  let r: HostReply | null = refused ?? null;
  if (!r) {
    try {
      r = app.handle(hostReq);
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      r = url.pathname.startsWith('/api/') ? reply.json({ error: e.message }, 400) : app.errorPage(hostReq, 400, e.message);
    }
  }
  r ??= url.pathname.startsWith('/api/') ? reply.json({ error: `No such resource: ${url.pathname}` }, 404) : app.notFound(hostReq);
  send(res, method, signIn.answered(hostReq, r, cookies), cookies);
}

/**
 * Starts all five apps. `basePort` 0 lets each pick a free port (for tests); otherwise the apps use
 * basePort..basePort+4 in the order of HOST_APP_IDS.
 */
export async function startDemoHosts(opts: { basePort?: number; host?: string } = {}): Promise<DemoHosts> {
  const basePort = opts.basePort ?? DEFAULT_BASE_PORT;
  const bindHost = opts.host ?? '127.0.0.1';
  const localHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  const instances = {
    media: createMediaApp(),
    erp: createErpApp(),
    crm: createCrmApp(),
    portal: createPortalApp(),
    payments: createPaymentsApp(),
  } satisfies { [K in HostAppId]: HostApp<HostStores[K]> };

  const signIns = Object.fromEntries(HOST_APP_IDS.map((id) => [id, new SignIn(instances[id].security, instances[id].frame)])) as Record<HostAppId, SignIn>;
  const servers: Server[] = [];
  const apps = {} as Record<HostAppId, DemoHostApp>;
  try {
    for (const [index, id] of HOST_APP_IDS.entries()) {
      const app: HostApp<unknown> = instances[id];
      const server = createServer((req, res) => {
        handle(app, signIns[id], req, res).catch((e) => {
          if (e instanceof ClientGone) return;
          console.error(`demo host ${id}: unexpected error`, e);
          if (!res.headersSent) send(res, req.method ?? 'GET', reply.json({ error: 'Internal error in the demo host app.' }, 500));
          else res.destroy();
        });
      });
      server.keepAliveTimeout = 5_000;
      servers.push(server);
      const port = await listen(server, basePort === 0 ? 0 : basePort + index, bindHost);
      apps[id] = { name: app.name, port, url: `http://${id}.localhost:${port}`, localUrl: `http://${localHost}:${port}` };
    }
  } catch (e) {
    await Promise.all(servers.map((s) => closeServer(s)));
    throw e;
  }

  return {
    apps,
    store: (id) => instances[id].store() as never,
    reset: (id) => {
      for (const key of id ? [id] : HOST_APP_IDS) {
        instances[key].reset();
        signIns[key].reset();
      }
    },
    expireSessions: (id, opts) => {
      for (const key of id ? [id] : HOST_APP_IDS) signIns[key].expire(opts);
    },
    rotateCsrf: (id) => {
      for (const key of id ? [id] : HOST_APP_IDS) signIns[key].rotateAll();
    },
    close: async () => {
      await Promise.all(servers.map((s) => closeServer(s)));
    },
  };
}

function closeServer(server: Server) {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
