// The token broker: the only place the app's QuickBooks client secret lives. It exchanges an
// authorization code, refreshes, and revokes, through Intuit's own client (intuit-oauth), for the
// extension origins it is configured to answer, and nothing else. It stores nothing and never
// logs a token or a request body.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { endpointsFor, type Environment } from '../lib/qbo/environments';
import { describeIssues, REALM_ID_PATTERN } from '../lib/qbo/schemas';
import { BrokerConfigError, configProblems, DEFAULT_TOKEN_RATE_PER_MINUTE, type BrokerConfig, type BrokerEnvironment } from './config';
import { BODY_TOO_LARGE, ClientGone, dropBody, readBody, type BodyLimit } from './http';
import { RateLimiter } from './limits';

export type { BrokerConfig } from './config';

const require = createRequire(import.meta.url);
// intuit-oauth is CommonJS without types; the broker uses a handful of its methods.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OAuthClient: any = require('intuit-oauth');

/** The QuickBooks environment each broker environment exchanges tokens with. */
const QBO_ENVIRONMENT: Record<BrokerEnvironment, Environment> = { production: 'production', sandbox: 'intuit-sandbox', local: 'local-sandbox' };

/**
 * The broker's requests are a few hundred bytes (a token is at most 4 KB): a body over 64 KB is
 * refused whole, unread. Up to 1 MB of a body the broker does not use is read and dropped so the
 * connection stays usable; past that the connection is closed after the answer.
 */
export const BODY_LIMIT: BodyLimit = { maxBytes: 64 * 1024, dropBytes: 1024 * 1024 };

const exchangeInput = z.object({ code: z.string().min(1).max(2048), redirectUri: z.string().url(), realmId: z.string().regex(REALM_ID_PATTERN) }).strict();
const refreshInput = z.object({ refreshToken: z.string().min(1).max(4096) }).strict();
const revokeInput = z.object({ token: z.string().min(1).max(4096) }).strict();
type BrokerRequest = z.infer<typeof exchangeInput> | z.infer<typeof refreshInput> | z.infer<typeof revokeInput>;

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

/** What a request's limit is counted against: the refresh token or code it carries, hashed (never kept as is). */
function tokenKey(secret: string) {
  return createHash('sha256').update(secret).digest('base64url');
}

export class Broker {
  private server!: Server;
  url = '';
  readonly stats = { exchanges: 0, refreshes: 0, revokes: 0, refused: 0, failures: 0 };
  /** Per caller: the extension origin and the client's address. */
  readonly perClient: RateLimiter;
  /** Per refresh token or authorization code, from whatever address it comes. */
  readonly perToken: RateLimiter;
  private readonly trustProxy: (addr: string, i: number) => boolean;
  private readonly endpoints: { token: string; revoke: string };

  constructor(readonly config: BrokerConfig) {
    const problems = configProblems(config);
    if (problems.length) throw new BrokerConfigError(problems);
    this.endpoints = endpointsFor(QBO_ENVIRONMENT[config.environment], config.localOrigin);
    this.perClient = new RateLimiter(config.ratePerMinute);
    this.perToken = new RateLimiter(config.tokenRatePerMinute ?? DEFAULT_TOKEN_RATE_PER_MINUTE);
    this.trustProxy = proxyaddr.compile(config.trustedProxies ?? []);
    // The extension owns retry policy (backoff, and never two refreshes at once); no hidden retries here.
    OAuthClient.retryConfig = { ...OAuthClient.retryConfig, maxRetries: 0 };
  }

  static async start(config: BrokerConfig): Promise<Broker> {
    const broker = new Broker(config);
    broker.server = createServer((req, res) => {
      broker.handle(req, res).catch((e) => {
        if (e instanceof ClientGone) return;
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

  /** Stops listening and closes every connection at once, half-sent requests included. */
  async close() {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    await closed;
  }

  /**
   * The client's address: the connection's, or behind a trusted proxy the right-most address in
   * X-Forwarded-For that is not one of the trusted proxies (what the proxy nearest the client saw).
   */
  clientAddress(req: IncomingMessage): string {
    return proxyaddr(req, this.trustProxy);
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

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const path = new URL(req.url ?? '/', 'http://broker').pathname;
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' && this.config.allowedOrigins.includes(origin);
    const cors: Record<string, string> = allowed ? { 'Access-Control-Allow-Origin': origin!, Vary: 'Origin' } : {};
    let bodyRead = false;
    const done = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      // A body the answer did not need is dropped, within bounds (Node would read any length).
      if (!bodyRead) dropBody(req, res, BODY_LIMIT);
      send(res, status, body, { ...cors, ...extra });
      // One line per request: never a token, a code or a body.
      this.log(`${req.method} ${path} ${status} ${Date.now() - started}ms origin=${allowed ? origin : 'refused'}`);
    };
    const limited = (seconds: number, message: string) => done(429, { error: 'rate_limited', message }, { 'Retry-After': String(seconds) });

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
    const clientWait = this.perClient.take(`${origin} ${this.clientAddress(req)}`);
    if (clientWait) return limited(clientWait, 'Too many requests to the broker from this address. Wait a minute and try again.');
    if (req.method !== 'POST' || !['/token', '/refresh', '/revoke'].includes(path)) {
      return done(404, { error: 'not_found', message: 'The broker serves POST /token, /refresh, /revoke and GET /health.' });
    }
    bodyRead = true;
    const body = await readBody(req, res, BODY_LIMIT);
    if (body === BODY_TOO_LARGE)
      return done(413, { error: 'body_too_large', message: `The request body is over ${BODY_LIMIT.maxBytes / 1024} KB; the broker's requests are a few hundred bytes.` });
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return done(400, { error: 'invalid_request', message: 'The request body must be JSON.' });
    }

    const parsed = (path === '/token' ? exchangeInput : path === '/refresh' ? refreshInput : revokeInput).safeParse(input);
    if (!parsed.success) return done(400, { error: 'invalid_request', message: describeIssues(parsed.error) });
    const p: BrokerRequest = parsed.data;
    if ('redirectUri' in p && !this.config.allowedRedirectUris.includes(p.redirectUri))
      return done(400, { error: 'invalid_request', message: 'redirectUri is not one this broker exchanges codes for.' });
    const tokenWait = this.perToken.take(tokenKey('code' in p ? p.code : 'refreshToken' in p ? p.refreshToken : p.token));
    if (tokenWait) return limited(tokenWait, 'Too many requests with this refresh token or code. Wait a minute and try again.');

    try {
      if ('code' in p) {
        const auth = await this.client(p.redirectUri).createToken(`${p.redirectUri}?${new URLSearchParams({ code: p.code, realmId: p.realmId })}`);
        this.stats.exchanges++;
        return done(200, tokenBody(auth.getJson(), p.realmId));
      }
      if ('refreshToken' in p) {
        const auth = await this.client().refreshUsingToken(p.refreshToken);
        this.stats.refreshes++;
        return done(200, tokenBody(auth.getJson()));
      }
      await this.client().revoke({ refresh_token: p.token });
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
