// The QBO emulator's HTTP server: one local origin serving Intuit's OAuth paths, the v3 API,
// the web app stand-ins and an admin API (/_sandbox) for seeding and fault injection.
// Every request goes through the same gate as QBO's: authentication, the per-company limits,
// then the handler; faults never crash the server.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { constants as h2, createSecureServer, type Http2SecureServer, type Http2ServerRequest } from 'node:http2';
import type { Socket } from 'node:net';
import { generate as selfSignedCertificate } from 'selfsigned';
import { z } from 'zod';
import { listen } from '../net';
import { seededRandom } from '../random';
import { handleApi, parseJson } from './api';
import { warmSortOrders } from './query';
import { Clock, qboTime } from './clock';
import { recordJson, type Company } from './company';
import { authFaultBody, fault, faultBody, forbiddenFaultBody, QboFault, throttleJson, throttleXml } from './faults';
import { escapeHtml, page } from './html';
import { Limiter, QBO_LIMITS, type LimitSettings } from './limits';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, html, json, OAuthServer } from './oauth';
import { buildCompanies, parseSeedKind, type SeedKind } from './seed';
import { handleWebApp } from './webapp';

export interface QboSandboxOptions {
  port?: number;
  host?: string;
  seed?: SeedKind;
  limits?: Partial<LimitSettings>;
  clientId?: string;
  clientSecret?: string;
  extraRedirectUris?: string[];
  /**
   * Also serve everything over TLS with HTTP/2 on this port (0 = any free one), as QBO's own
   * gateway does: a browser then runs all of a client's requests in flight on one connection,
   * where HTTP/1.1 would hold it to six. The certificate is self-signed, made at start.
   */
  tlsPort?: number;
}

const faultSettings = z
  .object({
    latencyMs: z.number().min(0).max(120_000),
    latencyJitterMs: z.number().min(0).max(120_000),
    errorRate: z.number().min(0).max(1),
    errorStatus: z.union([z.literal(500), z.literal(503)]),
    throttleNext: z.number().int().min(0),
    throttleForMs: z.number().int().min(0),
    dropNext: z.number().int().min(0),
    dropRate: z.number().min(0).max(1),
    ignoreRequestId: z.boolean(),
    seed: z.number().int().nullable(),
    throttleFormat: z.enum(['xml', 'json']),
    match: z.object({ method: z.string().optional(), pathIncludes: z.string().optional() }).strict().nullable(),
  })
  .strict();
export type FaultSettings = z.infer<typeof faultSettings>;

const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  errorStatus: 500,
  throttleNext: 0,
  throttleForMs: 0,
  dropNext: 0,
  dropRate: 0,
  ignoreRequestId: false,
  seed: null,
  throttleFormat: 'xml',
  match: null,
};

const limitSettings = z
  .object({
    enabled: z.boolean(),
    windowMs: z.number().int().min(100),
    perWindow: z.number().int().min(1),
    batchPerWindow: z.number().int().min(1),
    inFlight: z.number().int().min(1),
  })
  .strict()
  .partial();

/**
 * Request bodies are refused past 1 MB (the sandbox's choice; Intuit documents no limit). A
 * write is handled in one piece, so its size bounds how long it holds the event loop: about
 * 15 ms for a 1 MB invoice, where a 3 MB one took 50 to 170 ms (docs/sandbox.md).
 */
const MAX_BODY = 1024 * 1024;
/** A Host header: a name or an IPv4/IPv6 address, and a port. */
const VALID_HOST = /^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;
const OAUTH_PATHS = new Set([
  '/connect/oauth2', '/oauth2/v1/tokens/bearer', '/v2/oauth2/tokens/revoke', '/v1/openid_connect/userinfo',
  '/.well-known/openid_configuration', '/.well-known/openid_sandbox_configuration', '/op/v1/jwks',
]);

/** Which kind of endpoint a path is, for answering its errors in that endpoint's own shape. */
function surface(pathname: string): 'admin' | 'oauth' | 'api' {
  if (pathname === '/_sandbox' || pathname.startsWith('/_sandbox/')) return 'admin';
  if (OAUTH_PATHS.has(pathname.replace(/\/+$/, '') || '/')) return 'oauth';
  return 'api';
}
const REQUEST_CACHE_MAX = 50_000;

function newStats() {
  return { requests: 0, byStatus: {} as Record<string, number>, byHttpVersion: {} as Record<string, number>, throttled: 0, dropped: 0, injectedErrors: 0, replays: 0 };
}

export class QboSandbox {
  readonly clock = new Clock();
  companies = new Map<string, Company>();
  readonly limiter: Limiter;
  readonly oauth: OAuthServer;
  faults: FaultSettings = { ...NO_FAULTS };
  /** Draws for the error and drop rates: seeded when the faults name a seed, so a run can be replayed. */
  private random: () => number = Math.random;
  private throttleUntil = 0;
  stats = newStats();
  seed: SeedKind;
  private server!: Server;
  private tlsServer?: Http2SecureServer;
  private tlsSockets = new Set<Socket>();
  url = '';
  /** The TLS + HTTP/2 origin, when started with tlsPort. */
  tlsUrl?: string;

  private constructor(private readonly opts: QboSandboxOptions) {
    this.seed = opts.seed ?? 'default';
    this.limiter = new Limiter({ ...QBO_LIMITS, ...opts.limits });
    this.oauth = new OAuthServer(
      {
        clientId: opts.clientId ?? process.env.SANDBOX_CLIENT_ID ?? DEFAULT_CLIENT_ID,
        clientSecret: opts.clientSecret ?? process.env.SANDBOX_CLIENT_SECRET ?? DEFAULT_CLIENT_SECRET,
        extraRedirectUris: opts.extraRedirectUris ?? (process.env.SANDBOX_REDIRECT_URIS ?? '').split(',').filter(Boolean),
      },
      this.clock,
      () => [...this.companies.values()],
    );
    this.load(this.seed);
  }

  static async start(opts: QboSandboxOptions = {}): Promise<QboSandbox> {
    const sandbox = new QboSandbox(opts);
    const host = opts.host ?? '127.0.0.1';
    sandbox.server = createServer((req, res) => sandbox.serve(req, res));
    sandbox.server.keepAliveTimeout = 5_000;
    sandbox.url = `http://${host}:${await listen(sandbox.server, opts.port ?? 0, host)}`;
    if (opts.tlsPort !== undefined) {
      const pems = await selfSignedCertificate([{ name: 'commonName', value: host }], {
        keyType: 'ec',
        algorithm: 'sha256',
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
      });
      // HTTP/1.1 clients (Node's fetch, the broker) are served on the same port too.
      const tls = createSecureServer({ key: pems.private, cert: pems.cert, allowHTTP1: true });
      // The compatibility request and response have the same surface the handlers use.
      tls.on('request', (req, res) => sandbox.serve(req as unknown as IncomingMessage, res as unknown as ServerResponse));
      tls.on('connection', (socket: Socket) => {
        sandbox.tlsSockets.add(socket);
        socket.once('close', () => sandbox.tlsSockets.delete(socket));
      });
      sandbox.tlsServer = tls;
      sandbox.tlsUrl = `https://${host}:${await listen(tls, opts.tlsPort, host)}`;
    }
    return sandbox;
  }

  private serve(req: IncomingMessage, res: ServerResponse) {
    this.handle(req, res).catch((e) => {
      console.error('sandbox: unexpected error', e);
      if (res.headersSent) return dropResponse(req);
      this.refuse(req, res, 500, 'server_error', 'The sandbox failed on this request; nothing it began was kept.', fault.systemFault());
    });
  }

  /** Answers an error in the shape of the endpoint asked: OAuth's, the admin API's, or QBO's fault. */
  private refuse(req: IncomingMessage, res: ServerResponse, status: number, oauthError: string, message: string, qboFault: QboFault, close = false) {
    const headers: Record<string, string> = close && req.httpVersionMajor === 1 ? { Connection: 'close' } : {};
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
    } catch {
      // a request line too broken to name a path is answered as an API request
    }
    const kind = surface(pathname);
    if (kind === 'oauth') return json(res, status, { error: oauthError, error_description: message }, headers);
    if (kind === 'admin') return json(res, status, { error: message }, headers);
    json(res, status, faultBody(qboFault, qboTime(this.clock.now())), headers);
  }

  async close() {
    this.server.closeAllConnections();
    for (const socket of this.tlsSockets) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      this.tlsServer && new Promise<void>((resolve) => this.tlsServer!.close(() => resolve())),
    ]);
  }

  load(seed: SeedKind) {
    this.seed = seed;
    this.companies = new Map(buildCompanies(seed, this.clock).map((c) => [c.realmId, c]));
    // Serialize every record once up front, so the first read of a large company costs what
    // later ones do (the latency setting then models QBO's answer time, not the emulator's).
    for (const c of this.companies.values()) {
      for (const t of c.tables.values()) for (const row of t.values()) recordJson(row.data);
      // Runs to the end before any request is read: nothing in it waits.
      void warmSortOrders(c);
    }
  }

  company(realmId: string): Company | undefined {
    return this.companies.get(realmId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    // The path is read against a fixed base: the Host header says nothing about what is asked.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      return this.refuse(req, res, 400, 'invalid_request', 'The request target is not a URL path.', fault.unsupportedOperation(String(req.url)));
    }
    const host = req.headers.host ?? (req.headers[':authority'] as string | undefined);
    if (host !== undefined && !VALID_HOST.test(host))
      return this.refuse(req, res, 400, 'invalid_request', 'The Host header is not a host name or address with an optional port.', fault.unsupportedOperation(url.pathname), true);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) {
      req.resume();
      return this.refuse(req, res, 413, 'invalid_request', `The request body is larger than ${MAX_BODY / 1024 / 1024} MB.`, fault.unparsableBody(`the request body is larger than ${MAX_BODY / 1024 / 1024} MB`), true);
    }
    const body = await readBody(req);
    if (body === null)
      return this.refuse(req, res, 413, 'invalid_request', `The request body is larger than ${MAX_BODY / 1024 / 1024} MB.`, fault.unparsableBody(`the request body is larger than ${MAX_BODY / 1024 / 1024} MB`), true);
    const origin = host ? `http://${host}` : this.url;
    if (surface(url.pathname) === 'admin') return this.admin(req, res, url, body);
    if (await this.oauth.handle(req, res, url, body, origin)) return;
    if (handleWebApp(req, res, url, [...this.companies.values()])) return;
    if (url.pathname.startsWith('/v3/company/')) return this.api(req, res, url, body);
    if (url.pathname === '/') return html(res, 200, this.indexPage());
    json(res, 404, faultBody(fault.unsupportedOperation(url.pathname), qboTime(this.clock.now())));
  }

  private faultApplies(req: IncomingMessage, url: URL): boolean {
    const m = this.faults.match;
    if (!m) return true;
    if (m.method && m.method.toUpperCase() !== req.method) return false;
    if (m.pathIncludes && !(url.pathname + url.search).includes(m.pathIncludes)) return false;
    return true;
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL, body: string) {
    const tid = `1-${Math.floor(this.clock.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
    const headers = { intuit_tid: tid, 'Intuit-Tid': tid, 'QBO-Version': '1944.190' };
    const time = qboTime(this.clock.now());
    const send = (status: number, payload: unknown, extra: Record<string, string> = {}, text?: string) => {
      this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
      const body = text ?? JSON.stringify(payload);
      res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers, ...extra });
      res.end(body);
    };
    const sendThrottle = () => {
      this.stats.throttled++;
      if (this.faults.throttleFormat === 'json') return send(429, throttleJson(time));
      send(429, undefined, { 'Content-Type': 'application/xml' }, throttleXml(time));
    };
    this.stats.requests++;
    this.stats.byHttpVersion[req.httpVersion] = (this.stats.byHttpVersion[req.httpVersion] ?? 0) + 1;
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).slice(2).map(decodeURIComponent);
    } catch {
      // Bad percent-encoding names no resource.
      return send(400, faultBody(fault.unsupportedOperation(url.pathname), time));
    }
    const realmId = segments[0] ?? '';
    const auth = this.oauth.authenticate(req.headers.authorization);
    if ('error' in auth)
      return send(401, authFaultBody(auth.error, this.clock.now()), { 'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"' });
    const company = this.companies.get(realmId);
    if (auth.realmId !== realmId || !company) return send(403, forbiddenFaultBody());

    const now = this.clock.now();
    if (this.faults.throttleNext > 0) {
      this.faults.throttleNext--;
      return sendThrottle();
    }
    if (now < this.throttleUntil) return sendThrottle();
    const isBatch = segments[1] === 'batch';
    if (this.limiter.acquire(realmId, isBatch, now)) return sendThrottle();
    try {
      // Latency is the time QBO takes to answer, its own work included: the emulator's work
      // happens inside it, and only the remainder is waited out before answering.
      const answerAt = performance.now() + this.faults.latencyMs + Math.random() * this.faults.latencyJitterMs;
      const waitOut = async () => {
        const left = answerAt - performance.now();
        if (left > 0) await new Promise((r) => setTimeout(r, left));
      };
      const applies = this.faultApplies(req, url);
      if (applies && this.faults.errorRate > 0 && this.random() < this.faults.errorRate) {
        this.stats.injectedErrors++;
        const f = this.faults.errorStatus === 503 ? fault.serviceUnavailable() : fault.systemFault();
        await waitOut();
        return send(f.status, faultBody(f, time));
      }
      const requestId = req.method === 'POST' ? url.searchParams.get('requestid') : null;
      // A requestid is at most 50 characters, 36 on a batch (Intuit blog, 2015-04-06).
      const maxRequestId = isBatch ? 36 : 50;
      if (requestId !== null && requestId.length > maxRequestId)
        return send(400, faultBody(fault.stringLength('requestid', maxRequestId, requestId.length), time));
      const remember = !!requestId && !this.faults.ignoreRequestId;
      const fingerprint = remember ? requestFingerprint(req.method ?? 'POST', url, body) : '';
      if (remember) {
        const cached = company.requestCache.get(requestId);
        if (cached) {
          await waitOut();
          // The same id for another request is refused, never answered with the first one's result.
          if (cached.fingerprint !== fingerprint) return send(400, faultBody(fault.duplicateRequestId(requestId), time));
          this.stats.replays++;
          return send(cached.status, undefined, {}, cached.body);
        }
      }
      let status: number;
      let payload: unknown;
      let text: string | undefined;
      let wrote = false;
      try {
        const r = await handleApi(company, {
          method: req.method ?? 'GET', segments: segments.slice(1), url, body,
          contentType: req.headers['content-type'], requestId,
        });
        status = r.status;
        payload = r.body;
        text = r.text;
        wrote = r.wrote;
      } catch (e) {
        if (!(e instanceof QboFault)) throw e;
        status = e.status;
        payload = faultBody(e, time);
      }
      if (remember && status === 200) {
        // Only successful writes are remembered: a refused write did nothing, so retrying it may succeed.
        if (company.requestCache.size >= REQUEST_CACHE_MAX) company.requestCache.delete(company.requestCache.keys().next().value!);
        company.requestCache.set(requestId, { status, body: text ?? JSON.stringify(payload), fingerprint });
      }
      await waitOut();
      // A dropped response is cut after the write was applied (and remembered under its requestid).
      const drop = wrote && applies && (this.faults.dropNext > 0 || (this.faults.dropRate > 0 && this.random() < this.faults.dropRate));
      if (drop) {
        if (this.faults.dropNext > 0) this.faults.dropNext--;
        this.stats.dropped++;
        return dropResponse(req);
      }
      send(status, payload, {}, text);
    } finally {
      this.limiter.release(realmId);
    }
  }

  // ---- admin API -------------------------------------------------------------------------------

  state() {
    return {
      seed: this.seed,
      url: this.url,
      clientId: this.oauth.settings.clientId,
      companies: [...this.companies.values()].map((c) => ({
        realmId: c.realmId,
        name: c.companyName,
        counts: Object.fromEntries([...c.tables.entries()].map(([k, t]) => [k, t.size])),
      })),
      limits: this.limiter.settings,
      faults: { ...this.faults, throttleUntil: this.throttleUntil },
      clockOffsetMs: this.clock.now() - Date.now(),
      stats: { ...this.stats, oauth: this.oauth.stats },
    };
  }

  private async admin(req: IncomingMessage, res: ServerResponse, url: URL, body: string) {
    const bad = (message: string) => json(res, 400, { error: message });
    let input: Record<string, unknown> = {};
    if (body.trim()) {
      try {
        input = parseJson(body) as Record<string, unknown>;
      } catch {
        return bad('The body must be JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return bad('The body must be a JSON object.');
    }
    const realmId = typeof input.realmId === 'string' ? input.realmId : undefined;
    if (realmId !== undefined && !this.companies.has(realmId)) return bad(`There is no company ${realmId} in this sandbox.`);
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_sandbox':
      case 'GET /_sandbox/state':
        return json(res, 200, this.state());
      case 'GET /_sandbox/health':
        return json(res, 200, { ok: true });
      case 'POST /_sandbox/reset': {
        const parsed = parseSeedKind(input.seed ?? 'default');
        if ('error' in parsed) return bad(parsed.error);
        this.load(parsed.seed);
        this.faults = { ...NO_FAULTS };
        this.random = Math.random;
        this.throttleUntil = 0;
        this.limiter.reset();
        this.clock.reset();
        this.stats = newStats();
        this.oauth.resetStats();
        return json(res, 200, this.state());
      }
      case 'POST /_sandbox/faults': {
        const parsed = faultSettings.partial().extend({ throttleForMs: z.number().int().min(0).optional() }).safeParse(input);
        if (!parsed.success) return bad(z.prettifyError(parsed.error));
        const { throttleForMs, ...rest } = parsed.data;
        this.faults = { ...this.faults, ...rest };
        if (rest.seed !== undefined) this.random = rest.seed === null ? Math.random : seededRandom(rest.seed).next;
        if (throttleForMs !== undefined) this.throttleUntil = this.clock.now() + throttleForMs;
        return json(res, 200, this.state().faults);
      }
      case 'DELETE /_sandbox/faults':
        this.faults = { ...NO_FAULTS };
        this.random = Math.random;
        this.throttleUntil = 0;
        return json(res, 200, this.state().faults);
      case 'POST /_sandbox/limits': {
        const parsed = limitSettings.safeParse(input);
        if (!parsed.success) return bad(z.prettifyError(parsed.error));
        this.limiter.settings = { ...this.limiter.settings, ...parsed.data };
        this.limiter.reset();
        return json(res, 200, this.limiter.settings);
      }
      case 'POST /_sandbox/tokens':
        return json(res, 200, { realmId: realmId ?? [...this.companies.keys()][0], ...this.oauth.issue(realmId ?? [...this.companies.keys()][0], typeof input.scope === 'string' ? input.scope : undefined) });
      case 'POST /_sandbox/tokens/expire':
        return json(res, 200, { expired: this.oauth.expireAccessTokens(realmId) });
      case 'POST /_sandbox/tokens/revoke':
        return json(res, 200, { revoked: this.oauth.revokeAll(realmId) });
      case 'POST /_sandbox/clock': {
        const ms = Number(input.advanceMs);
        if (!Number.isFinite(ms) || ms < 0) return bad('advanceMs must be a number of milliseconds, 0 or more.');
        this.clock.advance(ms);
        return json(res, 200, { now: new Date(this.clock.now()).toISOString() });
      }
      case 'GET /_sandbox/stats':
        return json(res, 200, { ...this.stats, oauth: this.oauth.stats });
      case 'POST /_sandbox/stats/reset':
        this.stats = newStats();
        this.oauth.resetStats();
        return json(res, 200, { ...this.stats, oauth: this.oauth.stats });
      default:
        return json(res, 404, { error: `No admin route ${route}. See GET /_sandbox and docs/sandbox.md.` });
    }
  }

  private indexPage() {
    const base = this.url;
    const rows = [...this.companies.values()]
      .map((c) => `<tr><td>${escapeHtml(c.companyName)}</td><td><code>${escapeHtml(c.realmId)}</code></td>
        <td class="num">${c.count('Vendor')}</td><td class="num">${c.count('Customer')}</td>
        <td><a href="/app/homepage?companyId=${escapeHtml(c.realmId)}">open</a></td></tr>`)
      .join('');
    return page(
      'QuickBooks Online sandbox',
      `<main><div class="card"><h1>QuickBooks Online sandbox</h1>
      <p>A local QuickBooks Online that speaks QBO's wire format. Point a QBO client at <code>${escapeHtml(base)}</code>.</p>
      <table><thead><tr><th>Company</th><th>Realm ID</th><th class="num">Vendors</th><th class="num">Customers</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>
      <div class="card"><h1>Endpoints</h1><dl>
      <dt>Authorize</dt><dd><code>${escapeHtml(base)}/connect/oauth2</code></dd>
      <dt>Tokens</dt><dd><code>${escapeHtml(base)}/oauth2/v1/tokens/bearer</code></dd>
      <dt>Revoke</dt><dd><code>${escapeHtml(base)}/v2/oauth2/tokens/revoke</code></dd>
      <dt>Discovery</dt><dd><a href="/.well-known/openid_configuration">/.well-known/openid_configuration</a></dd>
      <dt>API</dt><dd><code>${escapeHtml(base)}/v3/company/{realmId}/…</code></dd>
      <dt>Admin</dt><dd><a href="/_sandbox">/_sandbox</a> (state, reset, faults, limits, tokens, clock)</dd>
      </dl></div></main>`,
    );
  }
}

/** What a request is, for binding its requestid: method, path, the query parameters that change the operation, and the body. */
function requestFingerprint(method: string, url: URL, body: string): string {
  const p = url.searchParams;
  return createHash('sha256')
    .update(`${method} ${url.pathname} operation=${p.get('operation') ?? ''} include=${p.get('include') ?? ''}\n`)
    .update(body)
    .digest('hex');
}

/** Cuts one answer off, as a network failure would: over HTTP/2 only that stream, not the connection. */
function dropResponse(req: IncomingMessage) {
  const stream = (req as unknown as Partial<Http2ServerRequest>).stream;
  if (stream) stream.close(h2.NGHTTP2_INTERNAL_ERROR);
  else req.socket.destroy();
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
