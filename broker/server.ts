// The token broker: the only place the app's QuickBooks client secret lives. It exchanges an
// authorization code, refreshes, and revokes, through Intuit's own client (intuit-oauth), for the
// extension origins it is configured to answer, and nothing else. It stores nothing and never
// logs a token or a request body.
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { endpointsFor, type Environment } from '../lib/qbo/environments';
import { describeIssues, REALM_ID_PATTERN } from '../lib/qbo/schemas';

const require = createRequire(import.meta.url);
// intuit-oauth is CommonJS without types; the broker uses a handful of its methods.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OAuthClient: any = require('intuit-oauth');

export type BrokerEnvironment = 'production' | 'sandbox' | 'local';

/** The QuickBooks environment each broker environment exchanges tokens with. */
const QBO_ENVIRONMENT: Record<BrokerEnvironment, Environment> = { production: 'production', sandbox: 'intuit-sandbox', local: 'local-sandbox' };

export interface BrokerConfig {
  clientId: string;
  clientSecret: string;
  environment: BrokerEnvironment;
  /** The local sandbox's origin, when environment is "local". */
  localOrigin?: string;
  /** Extension origins allowed to call, e.g. chrome-extension://<id>. */
  allowedOrigins: string[];
  /** Redirect URIs the broker accepts for code exchange (the extensions' chromiumapp.org URLs). */
  allowedRedirectUris: string[];
  /** Requests per minute per caller (origin + address). */
  ratePerMinute: number;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

/** Reads the broker's configuration from the environment (see broker/README.md). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const missing = ['BROKER_CLIENT_ID', 'BROKER_CLIENT_SECRET', 'BROKER_ALLOWED_ORIGINS'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`Set ${missing.join(', ')} (see broker/README.md).`);
  const environment = (env.BROKER_ENVIRONMENT ?? 'production') as BrokerEnvironment;
  if (!['production', 'sandbox', 'local'].includes(environment)) throw new Error('BROKER_ENVIRONMENT must be production, sandbox or local.');
  const origins = list(env.BROKER_ALLOWED_ORIGINS);
  return {
    clientId: env.BROKER_CLIENT_ID!,
    clientSecret: env.BROKER_CLIENT_SECRET!,
    environment,
    localOrigin: env.BROKER_LOCAL_ORIGIN,
    allowedOrigins: origins,
    allowedRedirectUris: list(env.BROKER_REDIRECT_URIS).length ? list(env.BROKER_REDIRECT_URIS) : origins.map(redirectUriForOrigin).filter((u): u is string => !!u),
    ratePerMinute: Number(env.BROKER_RATE_LIMIT ?? 60),
    port: env.BROKER_PORT ? Number(env.BROKER_PORT) : undefined,
    host: env.BROKER_HOST,
  };
}

/** chrome-extension://<id> -> https://<id>.chromiumapp.org/, the extension's OAuth redirect. */
export function redirectUriForOrigin(origin: string): string | undefined {
  const m = /^chrome-extension:\/\/([a-p]{32})$/.exec(origin);
  return m ? `https://${m[1]}.chromiumapp.org/` : undefined;
}

const exchangeInput = z.object({ code: z.string().min(1).max(2048), redirectUri: z.string().url(), realmId: z.string().regex(REALM_ID_PATTERN) }).strict();
const refreshInput = z.object({ refreshToken: z.string().min(1).max(4096) }).strict();
const revokeInput = z.object({ token: z.string().min(1).max(4096) }).strict();

/** The token fields the extension needs; anything else Intuit sends is dropped. */
function tokenBody(json: Record<string, unknown>, realmId?: string) {
  return {
    token_type: json.token_type,
    access_token: json.access_token,
    expires_in: json.expires_in,
    refresh_token: json.refresh_token,
    x_refresh_token_expires_in: json.x_refresh_token_expires_in,
    x_refresh_token_hard_expires_in: json.x_refresh_token_hard_expires_in,
    ...(realmId ? { realmId } : {}),
  };
}

export class Broker {
  private server!: Server;
  url = '';
  readonly stats = { exchanges: 0, refreshes: 0, revokes: 0, refused: 0, failures: 0 };
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private bucketsPrunedAt = Date.now();
  private readonly endpoints: { token: string; revoke: string };

  constructor(readonly config: BrokerConfig) {
    if (config.environment === 'local' && !config.localOrigin) throw new Error('BROKER_LOCAL_ORIGIN is required when BROKER_ENVIRONMENT is local.');
    this.endpoints = endpointsFor(QBO_ENVIRONMENT[config.environment], config.localOrigin);
    // The extension owns retry policy (backoff, and never two refreshes at once); no hidden retries here.
    OAuthClient.retryConfig = { ...OAuthClient.retryConfig, maxRetries: 0 };
  }

  static async start(config: BrokerConfig): Promise<Broker> {
    const broker = new Broker(config);
    broker.server = createServer((req, res) => {
      broker.handle(req, res).catch((e) => {
        broker.log(`error ${(e as Error).name}`);
        if (!res.headersSent) send(res, 500, { error: 'server_error', message: 'The broker failed unexpectedly. Try again.' }, {});
      });
    });
    await new Promise<void>((resolve, reject) => {
      broker.server.once('error', reject);
      broker.server.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => resolve());
    });
    broker.url = `http://${config.host ?? '127.0.0.1'}:${(broker.server.address() as AddressInfo).port}`;
    return broker;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private log(line: string) {
    (this.config.log ?? ((l: string) => console.log(l)))(`broker ${new Date().toISOString()} ${line}`);
  }

  private client(redirectUri?: string) {
    // intuit-oauth keeps its endpoints on the class and reads them as a call starts (before its
    // first await): set this broker's just before each call, so brokers in one process never
    // use each other's.
    OAuthClient.tokenEndpoint = this.endpoints.token;
    OAuthClient.revokeEndpoint = this.endpoints.revoke;
    return new OAuthClient({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      environment: this.config.environment === 'production' ? 'production' : 'sandbox',
      redirectUri,
      logging: false,
      includeRefreshTokenHardExpiresIn: true,
    });
  }

  /** A token bucket per caller: ratePerMinute requests a minute, in bursts of up to that many. */
  private allow(key: string): boolean {
    const now = Date.now();
    const rate = this.config.ratePerMinute;
    // A bucket untouched for a minute is full again, the same as a new one: forget it.
    if (now - this.bucketsPrunedAt >= 60_000) {
      for (const [k, b] of this.buckets) if (now - b.at >= 60_000) this.buckets.delete(k);
      this.bucketsPrunedAt = now;
    }
    const b = this.buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 60_000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const path = new URL(req.url ?? '/', 'http://broker').pathname;
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' && this.config.allowedOrigins.includes(origin);
    const cors: Record<string, string> = allowed ? { 'Access-Control-Allow-Origin': origin!, Vary: 'Origin' } : {};
    const done = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      send(res, status, body, { ...cors, ...extra });
      // One line per request: never a token, a code or a body.
      this.log(`${req.method} ${path} ${status} ${Date.now() - started}ms origin=${allowed ? origin : 'refused'}`);
    };

    if (req.method === 'GET' && path === '/health') {
      return done(200, { ok: true, environment: this.config.environment, stats: this.stats });
    }
    if (!allowed) {
      this.stats.refused++;
      return done(403, { error: 'origin_not_allowed', message: 'This broker answers only the QuickBooks Companion extension it is configured for.' });
    }
    if (req.method === 'OPTIONS') {
      return done(204, undefined, { 'Access-Control-Allow-Methods': 'POST, GET', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' });
    }
    if (!this.allow(`${origin} ${req.socket.remoteAddress}`)) {
      return done(429, { error: 'rate_limited', message: 'Too many requests to the broker. Wait a minute and try again.' }, { 'Retry-After': '60' });
    }
    if (req.method !== 'POST' || !['/token', '/refresh', '/revoke'].includes(path)) {
      return done(404, { error: 'not_found', message: 'The broker serves POST /token, /refresh, /revoke and GET /health.' });
    }
    const text = await readBody(req);
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return done(400, { error: 'invalid_request', message: 'The request body must be JSON.' });
    }

    try {
      if (path === '/token') {
        const p = exchangeInput.safeParse(input);
        if (!p.success) return done(400, { error: 'invalid_request', message: describeIssues(p.error) });
        if (!this.config.allowedRedirectUris.includes(p.data.redirectUri))
          return done(400, { error: 'invalid_request', message: 'redirectUri is not one this broker exchanges codes for.' });
        const client = this.client(p.data.redirectUri);
        const auth = await client.createToken(`${p.data.redirectUri}?${new URLSearchParams({ code: p.data.code, realmId: p.data.realmId })}`);
        this.stats.exchanges++;
        return done(200, tokenBody(auth.getJson(), p.data.realmId));
      }
      if (path === '/refresh') {
        const p = refreshInput.safeParse(input);
        if (!p.success) return done(400, { error: 'invalid_request', message: describeIssues(p.error) });
        const auth = await this.client().refreshUsingToken(p.data.refreshToken);
        this.stats.refreshes++;
        return done(200, tokenBody(auth.getJson()));
      }
      const p = revokeInput.safeParse(input);
      if (!p.success) return done(400, { error: 'invalid_request', message: describeIssues(p.error) });
      await this.client().revoke({ refresh_token: p.data.token });
      this.stats.revokes++;
      return done(200, { revoked: true });
    } catch (e) {
      this.stats.failures++;
      const err = e as { error?: string; error_description?: string; authResponse?: { response?: { status?: number } } };
      const status = err.authResponse?.response?.status;
      if (err.error === 'invalid_grant')
        return done(400, { error: 'invalid_grant', message: err.error_description || 'QuickBooks refused the grant.' });
      if (err.error === 'invalid_client' || status === 401)
        return done(502, { error: 'broker_misconfigured', message: 'QuickBooks refused the broker\'s app credentials. The broker\'s operator must fix its client id and secret.' });
      return done(502, { error: 'upstream_unavailable', message: 'QuickBooks\'s sign-in service could not be reached. Try again shortly.' });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'Content-Type': 'application/json' } : {}), 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
