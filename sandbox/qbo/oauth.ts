// Intuit's OAuth 2.0 / OpenID Connect, as a client sees it: the consent page (a plain HTML form
// that works without script), the token endpoint (Basic auth, single-use codes, rotating refresh
// tokens, invalid_grant for anything rotated out or reused), revoke, userinfo, discovery and JWKS.
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock';
import type { Company } from './company';
import { escapeHtml, page } from './html';

export const DEFAULT_CLIENT_ID = 'sandbox-client-id';
export const DEFAULT_CLIENT_SECRET = 'sandbox-client-secret';
/** The issuer Intuit puts in id_tokens; client libraries check it verbatim. */
const ISSUER = 'https://oauth.platform.intuit.com/op/v1';
const ACCESS_TTL_S = 3600;
const REFRESH_ROLLING_S = 100 * 86_400;
const HARD_CAP_S = 5 * 365 * 86_400;
const CODE_TTL_MS = 5 * 60_000;

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Extra redirect URIs accepted besides loopback and https://<extension id>.chromiumapp.org/. */
  extraRedirectUris: string[];
}

interface Grant {
  id: string;
  clientId: string;
  realmId: string;
  scope: string;
  createdAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  revoked: boolean;
  code?: string;
}

interface AccessToken {
  grantId: string;
  expiresAt: number;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  realmId: string;
  scope: string;
  createdAt: number;
  used: boolean;
  grantId?: string;
}

export interface OAuthStats {
  codeExchanges: number;
  refreshes: number;
  refreshFailures: number;
  revocations: number;
}

const token = (prefix: string, bytes = 30) => prefix + randomBytes(bytes).toString('base64url');
const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

function isAllowedRedirect(uri: string, extra: string[]): boolean {
  if (extra.includes(uri)) return true;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if ((u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))
    return true;
  return u.protocol === 'https:' && /^[a-p]{32}\.chromiumapp\.org$/.test(u.hostname);
}

export class OAuthServer {
  private readonly codes = new Map<string, AuthCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly refreshIndex = new Map<string, { grantId: string; current: boolean }>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly signingKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  stats: OAuthStats = { codeExchanges: 0, refreshes: 0, refreshFailures: 0, revocations: 0 };

  constructor(
    readonly settings: OAuthSettings,
    private readonly clock: Clock,
    private readonly companies: () => Company[],
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.signingKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'sandbox-1', alg: 'RS256', use: 'sig' };
  }

  // ---- what the API side needs ---------------------------------------------------------------

  /** Checks a bearer token; returns its company or why it was refused. */
  authenticate(header: string | undefined): { realmId: string; clientId: string } | { error: string } {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) return { error: 'Token not found' };
    const at = this.accessTokens.get(m[1]);
    const grant = at && this.grants.get(at.grantId);
    if (!at || !grant || grant.revoked) return { error: `Token revoked or invalid: ${m[1].slice(0, 20)}` };
    if (at.expiresAt <= this.clock.now()) return { error: `Token expired: ${m[1].slice(0, 20)}` };
    return { realmId: grant.realmId, clientId: grant.clientId };
  }

  // ---- admin helpers (tests and benchmarks) --------------------------------------------------

  /** Issues tokens for a company without the consent page. */
  issue(realmId: string, scope = 'com.intuit.quickbooks.accounting'): Record<string, unknown> {
    const grant = this.newGrant(this.settings.clientId, realmId, scope);
    return this.tokenResponse(grant, false, true);
  }

  /** Makes every access token (of one company, or all) expire now. */
  expireAccessTokens(realmId?: string): number {
    let n = 0;
    for (const at of this.accessTokens.values()) {
      if (realmId && this.grants.get(at.grantId)?.realmId !== realmId) continue;
      at.expiresAt = this.clock.now() - 1;
      n++;
    }
    return n;
  }

  /** Revokes every connection (of one company, or all): the user disconnected the app in QBO. */
  revokeAll(realmId?: string): number {
    let n = 0;
    for (const g of this.grants.values())
      if (!realmId || g.realmId === realmId) {
        g.revoked = true;
        n++;
      }
    return n;
  }

  resetStats() {
    this.stats = { codeExchanges: 0, refreshes: 0, refreshFailures: 0, revocations: 0 };
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  /**
   * Serves the OAuth paths; returns false for any other path. Every error is answered in OAuth's
   * own shape, {"error", "error_description"} (RFC 6749 section 5.2), never in the API's fault shape.
   */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string, origin: string): Promise<boolean> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const wrongMethod = (allowed: string) =>
      json(res, 405, { error: 'invalid_request', error_description: `Use ${allowed} for ${path}.` }, { Allow: allowed });
    if (path === '/connect/oauth2') {
      if (req.method === 'POST') {
        if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded')
          json(res, 400, { error: 'invalid_request', error_description: 'The consent form is posted as application/x-www-form-urlencoded.' });
        else this.consentSubmit(res, new URLSearchParams(body));
      } else if (req.method === 'GET' || req.method === 'HEAD') this.consentPage(res, url.searchParams);
      else wrongMethod('GET, POST');
      return true;
    }
    if (path === '/oauth2/v1/tokens/bearer') {
      if (req.method !== 'POST') wrongMethod('POST');
      else if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded')
        json(res, 400, { error: 'invalid_request', error_description: 'The token request is sent as application/x-www-form-urlencoded (RFC 6749 section 4.1.3).' });
      else this.tokenEndpoint(req, res, body);
      return true;
    }
    if (path === '/v2/oauth2/tokens/revoke') {
      if (req.method !== 'POST') wrongMethod('POST');
      else this.revokeEndpoint(req, res, body);
      return true;
    }
    if (path === '/v1/openid_connect/userinfo') {
      this.userinfo(req, res);
      return true;
    }
    if (path === '/.well-known/openid_configuration' || path === '/.well-known/openid_sandbox_configuration') {
      json(res, 200, this.discovery(origin));
      return true;
    }
    if (path === '/op/v1/jwks') {
      json(res, 200, { keys: [this.publicJwk] });
      return true;
    }
    return false;
  }

  discovery(origin: string) {
    return {
      issuer: ISSUER,
      authorization_endpoint: `${origin}/connect/oauth2`,
      token_endpoint: `${origin}/oauth2/v1/tokens/bearer`,
      userinfo_endpoint: `${origin}/v1/openid_connect/userinfo`,
      revocation_endpoint: `${origin}/v2/oauth2/tokens/revoke`,
      jwks_uri: `${origin}/op/v1/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile', 'address', 'phone'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
    };
  }

  /** Problems with client_id or redirect_uri are shown on the page, never sent to an unchecked URI. */
  private checkClient(params: URLSearchParams): string | null {
    const clientId = params.get('client_id');
    const redirectUri = params.get('redirect_uri');
    if (!clientId) return 'The request has no client_id.';
    if (clientId !== this.settings.clientId) return `No app is registered with client_id "${clientId}".`;
    if (!redirectUri) return 'The request has no redirect_uri.';
    if (!isAllowedRedirect(redirectUri, this.settings.extraRedirectUris))
      return `The redirect_uri "${redirectUri}" is not registered for this app.`;
    return null;
  }

  private redirectError(res: ServerResponse, params: URLSearchParams, error: string, description?: string) {
    const target = new URL(params.get('redirect_uri')!);
    target.searchParams.set('error', error);
    if (description) target.searchParams.set('error_description', description);
    if (params.get('state')) target.searchParams.set('state', params.get('state')!);
    res.writeHead(302, { Location: target.toString() }).end();
  }

  private consentPage(res: ServerResponse, params: URLSearchParams) {
    const problem = this.checkClient(params);
    if (problem) return html(res, 400, page('Connection problem', `<div class="card"><h1>We can't connect this app</h1><p>${escapeHtml(problem)}</p></div>`));
    if (params.get('response_type') !== 'code') return this.redirectError(res, params, 'unsupported_response_type');
    if (!params.get('scope')) return this.redirectError(res, params, 'invalid_scope', 'scope is required');
    if (!params.get('state')) return this.redirectError(res, params, 'invalid_request', 'state is required');
    const companies = this.companies();
    const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'response_type']
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params.get(k) ?? '')}">`)
      .join('');
    const choices = companies
      .map(
        (c, i) =>
          `<label class="choice"><input type="radio" name="realmId" value="${escapeHtml(c.realmId)}"${i === 0 ? ' checked' : ''}>
           <span><strong>${escapeHtml(c.companyName)}</strong><small>Company ID ${escapeHtml(c.realmId)}</small></span></label>`,
      )
      .join('');
    const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean).map((s) => `<li>${escapeHtml(s)}</li>`).join('');
    html(
      res,
      200,
      page(
        'Connect to QuickBooks',
        `<form class="card" method="post" action="/connect/oauth2">
          ${hidden}
          <h1>Connect your QuickBooks company</h1>
          <p class="muted">Signed in as <strong>sandbox.user@example.com</strong> (QuickBooks sandbox)</p>
          <p>An app wants to connect to one of your companies. Choose which one.</p>
          <fieldset><legend>Company</legend>${choices}</fieldset>
          <details><summary>What the app will be able to do</summary><ul>${scopes}</ul></details>
          <!-- Connect is the form's first submit button, so pressing Enter connects. -->
          <div class="actions">
            <button type="submit" name="decision" value="allow" class="primary" id="connect">Connect</button>
            <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
          </div>
        </form>`,
      ),
    );
  }

  private consentSubmit(res: ServerResponse, form: URLSearchParams) {
    const problem = this.checkClient(form);
    if (problem) return html(res, 400, page('Connection problem', `<div class="card"><h1>We can't connect this app</h1><p>${escapeHtml(problem)}</p></div>`));
    if (form.get('decision') === 'deny') return this.redirectError(res, form, 'access_denied', 'The user declined to connect.');
    const realmId = form.get('realmId') ?? '';
    if (!this.companies().some((c) => c.realmId === realmId))
      return html(res, 400, page('Connection problem', '<div class="card"><h1>Choose a company</h1><p>Pick one of your companies, then select Connect.</p></div>'));
    const code = token('AB11', 36);
    this.codes.set(code, {
      clientId: form.get('client_id')!,
      redirectUri: form.get('redirect_uri')!,
      realmId,
      scope: form.get('scope') ?? '',
      createdAt: this.clock.now(),
      used: false,
    });
    const target = new URL(form.get('redirect_uri')!);
    target.searchParams.set('code', code);
    if (form.get('state')) target.searchParams.set('state', form.get('state')!);
    target.searchParams.set('realmId', realmId);
    res.writeHead(302, { Location: target.toString(), 'Set-Cookie': `qbo_realm=${realmId}; Path=/; SameSite=Lax` }).end();
  }

  private clientFrom(req: IncomingMessage, form: URLSearchParams): string | null {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    let id: string | null = null;
    let secret: string | null = null;
    if (m) {
      // Credentials that do not decode (no colon, bad base64 or percent-encoding) are simply wrong ones.
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) return null;
      try {
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      } catch {
        return null;
      }
    } else {
      id = form.get('client_id');
      secret = form.get('client_secret');
    }
    return id === this.settings.clientId && secret === this.settings.clientSecret ? id : null;
  }

  private tokenEndpoint(req: IncomingMessage, res: ServerResponse, body: string) {
    const form = new URLSearchParams(body);
    const tid = { intuit_tid: randomBytes(12).toString('hex') };
    const fail = (status: number, error: string, description?: string) =>
      json(res, status, description ? { error, error_description: description } : { error }, tid);
    const clientId = this.clientFrom(req, form);
    if (!clientId) return fail(401, 'invalid_client');
    const hard = String(req.headers['x-include-refresh-token-hard-expires-in'] ?? '').toLowerCase() === 'true';
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const entry = this.codes.get(code);
      if (!entry || entry.clientId !== clientId) return fail(400, 'invalid_grant', 'Invalid authorization code');
      if (entry.used) {
        // Intuit treats a second exchange as an attack and kills what the first one issued.
        if (entry.grantId) this.grants.get(entry.grantId)!.revoked = true;
        return fail(400, 'invalid_grant', 'Authorization code has already been used');
      }
      if (this.clock.now() - entry.createdAt > CODE_TTL_MS) return fail(400, 'invalid_grant', 'Authorization code has expired');
      if (form.get('redirect_uri') !== entry.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri does not match');
      entry.used = true;
      const grant = this.newGrant(clientId, entry.realmId, entry.scope);
      entry.grantId = grant.id;
      this.stats.codeExchanges++;
      return json(res, 200, this.tokenResponse(grant, hard, true), tid);
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const entry = this.refreshIndex.get(presented);
      const grant = entry && this.grants.get(entry.grantId);
      const refuse = (why: string) => {
        this.stats.refreshFailures++;
        return fail(400, 'invalid_grant', why);
      };
      if (!entry || !grant || grant.clientId !== clientId) return refuse('Incorrect or invalid refresh token');
      if (grant.revoked) return refuse('Token invalid');
      if (!entry.current) return refuse(`Refresh token not found: ${presented.slice(0, 8)}…`);
      const now = this.clock.now();
      if (grant.refreshExpiresAt <= now || grant.createdAt + HARD_CAP_S * 1000 <= now)
        return refuse('Refresh token has expired; the user must connect again');
      entry.current = false;
      grant.refreshToken = token('AB11');
      grant.refreshExpiresAt = now + REFRESH_ROLLING_S * 1000;
      this.refreshIndex.set(grant.refreshToken, { grantId: grant.id, current: true });
      this.stats.refreshes++;
      return json(res, 200, this.tokenResponse(grant, hard, false), tid);
    }
    return fail(400, 'unsupported_grant_type');
  }

  private newGrant(clientId: string, realmId: string, scope: string): Grant {
    const now = this.clock.now();
    const grant: Grant = {
      id: randomBytes(8).toString('hex'),
      clientId,
      realmId,
      scope,
      createdAt: now,
      refreshToken: token('AB11'),
      refreshExpiresAt: now + REFRESH_ROLLING_S * 1000,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    this.refreshIndex.set(grant.refreshToken, { grantId: grant.id, current: true });
    return grant;
  }

  private tokenResponse(grant: Grant, includeHard: boolean, withIdToken: boolean): Record<string, unknown> {
    const now = this.clock.now();
    const accessToken = token('eyJsYW5kYm94Ijoi', 48);
    this.accessTokens.set(accessToken, { grantId: grant.id, expiresAt: now + ACCESS_TTL_S * 1000 });
    const out: Record<string, unknown> = {
      token_type: 'bearer',
      access_token: accessToken,
      expires_in: ACCESS_TTL_S,
      refresh_token: grant.refreshToken,
      // Rounded: the grant was made a moment ago, in the same request.
      x_refresh_token_expires_in: Math.round((grant.refreshExpiresAt - now) / 1000),
    };
    if (includeHard) out.x_refresh_token_hard_expires_in = Math.round((grant.createdAt + HARD_CAP_S * 1000 - now) / 1000);
    if (withIdToken && grant.scope.split(/\s+/).includes('openid')) out.id_token = this.idToken(grant, now);
    return out;
  }

  private idToken(grant: Grant, now: number): string {
    const header = { alg: 'RS256', kid: 'sandbox-1' };
    const claims = {
      sub: this.userId(),
      aud: [grant.clientId],
      realmid: grant.realmId,
      auth_time: Math.floor(now / 1000),
      iss: ISSUER,
      exp: Math.floor(now / 1000) + 3600,
      iat: Math.floor(now / 1000),
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.signingKey);
    return `${signingInput}.${b64url(signature)}`;
  }

  private userId() {
    return createHash('sha256').update('sandbox-user').digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
  }

  private revokeEndpoint(req: IncomingMessage, res: ServerResponse, body: string) {
    if (!this.clientFrom(req, new URLSearchParams())) return json(res, 401, { error: 'invalid_client' });
    // Intuit's SDKs send JSON ({"token": ...}); others send a form, as RFC 7009 has it.
    const type = mediaType(req.headers['content-type']);
    let presented = '';
    if (type === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body || '{}');
      } catch {
        return json(res, 400, { error: 'invalid_request', error_description: 'The body is not JSON.' });
      }
      const t = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).token : undefined;
      presented = typeof t === 'string' ? t : '';
    } else if (type === 'application/x-www-form-urlencoded') presented = new URLSearchParams(body).get('token') ?? '';
    else return json(res, 400, { error: 'invalid_request', error_description: 'Send the token as JSON or as a form.' });
    if (!presented) return json(res, 400, { error: 'invalid_request', error_description: 'token is required' });
    const grantId = this.refreshIndex.get(presented)?.grantId ?? this.accessTokens.get(presented)?.grantId;
    if (grantId) {
      this.grants.get(grantId)!.revoked = true;
      this.stats.revocations++;
    }
    res.writeHead(200, { 'Content-Length': '0' }).end();
  }

  private userinfo(req: IncomingMessage, res: ServerResponse) {
    const auth = this.authenticate(req.headers.authorization);
    if ('error' in auth) return json(res, 401, { error: 'invalid_token', error_description: auth.error });
    json(res, 200, {
      sub: this.userId(),
      email: 'sandbox.user@example.com',
      emailVerified: true,
      givenName: 'Sandbox',
      familyName: 'User',
      phoneNumber: '+1 6505550100',
      phoneNumberVerified: false,
      address: { streetAddress: '2700 Coast Ave', locality: 'Mountain View', region: 'CA', postalCode: '94043', country: 'US' },
    });
  }
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase();

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function html(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
