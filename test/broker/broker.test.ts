// The token broker against the sandbox QuickBooks: it answers only its extension, refuses bad
// input with a clear error, exchanges, refreshes and revokes, and never reveals the secret.
// Its rate limits: limits.test.ts; its settings: config.test.ts; bodies and connections: body.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker, type BrokerConfig } from '../../broker/server';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { completeConsent, DEMO_REALM, startSandbox } from '../sandbox/harness';

const ORIGIN = 'chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb';
const REDIRECT = 'https://cdbjflagiponpmenikdhggjhoomnimdb.chromiumapp.org/';
const SECRET = 'sandbox-client-secret';

let sandbox: QboSandbox;
let broker: Broker;
const logLines: string[] = [];
const bodies: string[] = [];

function config(extra: Partial<BrokerConfig> = {}): BrokerConfig {
  return {
    clientId: 'sandbox-client-id', clientSecret: SECRET, environment: 'local', localOrigin: sandbox.url,
    allowedOrigins: [ORIGIN], allowedRedirectUris: [REDIRECT], ratePerMinute: 1000, log: (l) => logLines.push(l), ...extra,
  };
}

async function call(b: Broker, path: string, body: unknown, origin: string | null = ORIGIN, method = 'POST') {
  const res = await fetch(`${b.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

async function code() {
  const q = new URLSearchParams({ client_id: 'sandbox-client-id', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT, state: 'st' });
  const location = new URL(await completeConsent(`${sandbox.url}/connect/oauth2?${q}`));
  return { code: location.searchParams.get('code')!, realmId: location.searchParams.get('realmId')! };
}

beforeAll(async () => {
  sandbox = await startSandbox();
  broker = await Broker.start(config());
});
afterAll(async () => {
  await broker.close();
  await sandbox.close();
});

describe('who may call', () => {
  it('refuses callers that are not the extension', async () => {
    for (const origin of ['https://evil.example', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', null]) {
      const r = await call(broker, '/refresh', { refreshToken: 'x' }, origin);
      expect(r.status).toBe(403);
      expect(r.json.error).toBe('origin_not_allowed');
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers the extension\'s CORS preflight and health checks', async () => {
    const pre = await call(broker, '/token', undefined, ORIGIN, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const health = await call(broker, '/health', undefined, null, 'GET');
    expect(health.json).toMatchObject({ ok: true, environment: 'local' });
  });
});

describe('bad input', () => {
  it.each([
    ['/token', '{not json', /must be JSON/],
    ['/token', { redirectUri: REDIRECT, realmId: '1' }, /code/],
    ['/token', { code: 'c', redirectUri: REDIRECT, realmId: 'abc' }, /realmId/],
    ['/token', { code: 'c', redirectUri: 'https://evil.example/', realmId: '1' }, /redirectUri is not one/],
    ['/token', { code: 'c', redirectUri: REDIRECT, realmId: '1', extra: 1 }, /extra|Unrecognized/],
    ['/refresh', {}, /refreshToken/],
    ['/revoke', { token: '' }, /token/],
  ])('%s %j is refused with a message naming what is wrong', async (path, body, message) => {
    const r = await call(broker, path, body);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_request');
    expect(r.json.message).toMatch(message);
  });

  it('says invalid_grant for a code or refresh token QuickBooks refuses', async () => {
    expect((await call(broker, '/token', { code: 'AB11nope', redirectUri: REDIRECT, realmId: DEMO_REALM })).json.error).toBe('invalid_grant');
    expect((await call(broker, '/refresh', { refreshToken: 'AB11nope' })).json).toMatchObject({ error: 'invalid_grant' });
  });

  it('says upstream_unavailable when Intuit cannot be reached, and broker_misconfigured for a wrong secret', async () => {
    const offline = await Broker.start(config({ localOrigin: 'http://127.0.0.1:9' }));
    const r = await call(offline, '/refresh', { refreshToken: 'AB11x' });
    expect(r).toMatchObject({ status: 502, json: { error: 'upstream_unavailable' } });
    // Brokers in one process keep their own endpoints (intuit-oauth keeps them on its class).
    expect((await call(broker, '/refresh', { refreshToken: 'AB11nope' })).json).toMatchObject({ error: 'invalid_grant' });
    expect(await call(offline, '/refresh', { refreshToken: 'AB11x' })).toMatchObject({ status: 502, json: { error: 'upstream_unavailable' } });
    await offline.close();
    const wrong = await Broker.start(config({ clientSecret: 'not-the-secret' }));
    const w = await call(wrong, '/refresh', { refreshToken: 'AB11x' });
    expect(w).toMatchObject({ status: 502, json: { error: 'broker_misconfigured' } });
    await wrong.close();
  });
});

describe('exchange, refresh, revoke', () => {
  it('exchanges a code, refreshes with rotation, and revokes', async () => {
    const { code: c, realmId } = await code();
    const tokens = await call(broker, '/token', { code: c, redirectUri: REDIRECT, realmId });
    expect(tokens.status).toBe(200);
    expect(tokens.json).toMatchObject({ token_type: 'bearer', expires_in: 3600, realmId });
    expect(tokens.json.x_refresh_token_hard_expires_in).toBeGreaterThan(0);
    const api = await fetch(`${sandbox.url}/v3/company/${realmId}/companyinfo/${realmId}`, { headers: { Authorization: `Bearer ${tokens.json.access_token}` } });
    expect(api.status).toBe(200);

    const next = await call(broker, '/refresh', { refreshToken: tokens.json.refresh_token });
    expect(next.status).toBe(200);
    expect(next.json.refresh_token).not.toBe(tokens.json.refresh_token);
    expect((await call(broker, '/refresh', { refreshToken: tokens.json.refresh_token })).json.error).toBe('invalid_grant');

    expect((await call(broker, '/revoke', { token: next.json.refresh_token })).json).toEqual({ revoked: true });
    const after = await fetch(`${sandbox.url}/v3/company/${realmId}/companyinfo/${realmId}`, { headers: { Authorization: `Bearer ${next.json.access_token}` } });
    expect(after.status).toBe(401);
    expect(broker.stats).toMatchObject({ exchanges: 1, refreshes: 1, revokes: 1 });
  });

  it('never puts the secret in a response, nor a token or code in its log', async () => {
    const { code: c, realmId } = await code();
    const t = await call(broker, '/token', { code: c, redirectUri: REDIRECT, realmId });
    for (const body of bodies) expect(body).not.toContain(SECRET);
    const log = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(10);
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(c);
    expect(log).not.toContain(t.json.access_token);
    expect(log).not.toContain(t.json.refresh_token);
    expect(log).toMatch(/POST \/token 200 \d+ms origin=chrome-extension/);
  });
});
