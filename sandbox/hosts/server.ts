// Starts the five demo host apps (media buying, ERP, CRM, accounting portal, payments), each on its
// own port and its own *.localhost site, so the extension meets them as separate web apps with
// separate permissions. Plain node:http; every app keeps an in-memory store reseeded by /api/_reset.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '../net';
import type { HostApp, HostReply, HostRequest } from './app';
import { reply } from './app';
import { createCrmApp, type CrmStore } from './crm';
import { createErpApp, type ErpStore } from './erp';
import { createMediaApp, type MediaStore } from './media';
import { createPaymentsApp, type PaymentsStore } from './payments';
import { createPortalApp, type PortalStore } from './portal';

export type HostAppId = 'media' | 'erp' | 'crm' | 'portal' | 'payments';

/** In port order: media on basePort, erp on basePort + 1, and so on. */
export const HOST_APP_IDS: readonly HostAppId[] = ['media', 'erp', 'crm', 'portal', 'payments'];
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
  /** Reseeds one app, or all of them. */
  reset(id?: HostAppId): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

class BadRequest extends Error {}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest('The request body is larger than 1 MB.');
    chunks.push(chunk as Buffer);
  }
  if (!size) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('The request body is not valid JSON.');
  }
}

function send(res: ServerResponse, method: string, r: HostReply) {
  res.writeHead(r.status, {
    'Content-Type': r.contentType,
    'Content-Length': Buffer.byteLength(r.body),
    'X-Content-Type-Options': 'nosniff',
    ...r.headers,
  });
  res.end(method === 'HEAD' ? undefined : r.body);
}

async function handle(app: HostApp<unknown>, req: IncomingMessage, res: ServerResponse) {
  // Only the path and query matter: the apps answer the same whatever Host the browser sent.
  const url = new URL(req.url ?? '/', 'http://host.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const isApi = url.pathname.startsWith('/api/');
  let hostReq: HostRequest;
  try {
    hostReq = { method, path: url.pathname, query: url.searchParams, body: method === 'GET' || method === 'HEAD' ? undefined : await readBody(req) };
  } catch (e) {
    if (e instanceof BadRequest) return send(res, method, reply.json({ error: e.message }, 400));
    throw e;
  }
  if (method === 'POST' && url.pathname === '/api/_reset') {
    app.reset();
    return send(res, method, reply.json({ ok: true, app: app.name }));
  }
  const r = app.handle(hostReq);
  if (r) return send(res, method, r);
  send(res, method, isApi ? reply.json({ error: `No such resource: ${url.pathname}` }, 404) : app.notFound(hostReq));
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

  const servers: Server[] = [];
  const apps = {} as Record<HostAppId, DemoHostApp>;
  try {
    for (const [index, id] of HOST_APP_IDS.entries()) {
      const app: HostApp<unknown> = instances[id];
      const server = createServer((req, res) => {
        handle(app, req, res).catch((e) => {
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
      for (const key of id ? [id] : HOST_APP_IDS) instances[key].reset();
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
