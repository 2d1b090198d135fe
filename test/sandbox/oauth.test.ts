// The emulator's OAuth 2.0 / OpenID Connect, over real HTTP: consent page, single-use codes,
// rotating refresh tokens, revoke, userinfo and discovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { admin, completeConsent, DEMO_REALM, startSandbox } from './harness';

let sandbox: QboSandbox;
const CLIENT = 'sandbox-client-id';
const SECRET = 'sandbox-client-secret';
const REDIRECT = 'https://cdbjflagiponpmenikdhggjhoomnimdb.chromiumapp.org/';
const basic = `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}`;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

function authorizeUrl(extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ client_id: CLIENT, response_type: 'code', scope: 'com.intuit.quickbooks.accounting openid', redirect_uri: REDIRECT, state: 's-123', ...extra });
  return `${sandbox.url}/connect/oauth2?${q}`;
}

async function tokenCall(params: Record<string, string>, auth = basic, headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
    body: new URLSearchParams(params),
  });
  return { status: res.status, json: await res.json(), tid: res.headers.get('intuit_tid') };
}

async function connectViaConsent(realmId?: string) {
  const location = new URL(await completeConsent(authorizeUrl(), { realmId }));
  const code = location.searchParams.get('code')!;
  const tokens = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic, { 'x-include-refresh-token-hard-expires-in': 'true' });
  return { location, code, tokens };
}

const companyInfo = (token: string, realmId = DEMO_REALM) =>
  fetch(`${sandbox.url}/v3/company/${realmId}/companyinfo/${realmId}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });

describe('consent page', () => {
  it('shows a company picker and a Connect button, and redirects with code, state and realmId', async () => {
    const page = await (await fetch(authorizeUrl())).text();
    expect(page).toContain('Larkspur Media &amp; Supply');
    expect(page).toContain('Cedar Ridge Manufacturing');
    expect(page).toMatch(/<button type="submit" name="decision" value="allow"[^>]*>Connect<\/button>/);
    const second = sandbox.state().companies[1].realmId;
    const { location } = await connectViaConsent(second);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('s-123');
    expect(location.searchParams.get('realmId')).toBe(second);
    expect(location.searchParams.get('code')).toMatch(/^AB11/);
  });

  it('makes Connect the default button: pressing Enter in the form connects', async () => {
    const page = await (await fetch(authorizeUrl())).text();
    const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(page)![1];
    // Implicit submission (Enter in a field) presses the form's first submit button (HTML, "implicit submission").
    const submits = [...form.matchAll(/<(?:button|input)\b[^>]*type="submit"[^>]*>/g)].map((m) => m[0]);
    expect(submits.length).toBe(2);
    expect(submits[0]).toMatch(/name="decision" value="allow"/);
    // What the browser then sends: the fields, and the default button's name and value.
    const fields = new URLSearchParams();
    for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1], m[2].replace(/&amp;/g, '&'));
    fields.set('realmId', /name="realmId" value="([^"]+)" checked/.exec(form)![1]);
    const [, name, value] = /name="([^"]+)" value="([^"]+)"/.exec(submits[0])!;
    fields.set(name, value);
    const res = await fetch(`${sandbox.url}/connect/oauth2`, { method: 'POST', body: fields, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toMatch(/^AB11/);
  });

  it('sends the user back with error=access_denied on Cancel', async () => {
    const location = new URL(await completeConsent(authorizeUrl(), { decision: 'deny' }));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s-123');
  });

  it('never redirects to an unregistered redirect_uri, and explains a bad client_id', async () => {
    const evil = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });
    expect(evil.status).toBe(400);
    expect(await evil.text()).toContain('is not registered');
    const unknown = await fetch(authorizeUrl({ client_id: 'nope' }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No app is registered with client_id');
    const noState = await fetch(authorizeUrl({ state: '' }), { redirect: 'manual' });
    expect(new URL(noState.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
});

describe('token endpoint', () => {
  it('exchanges a code once, with Intuit\'s token response', async () => {
    const { code, tokens } = await connectViaConsent();
    expect(tokens.status).toBe(200);
    expect(tokens.tid).toBeTruthy();
    expect(tokens.json).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8_640_000 });
    expect(tokens.json.x_refresh_token_hard_expires_in).toBeGreaterThan(157_000_000);
    expect(tokens.json.id_token.split('.')).toHaveLength(3);
    expect((await companyInfo(tokens.json.access_token)).status).toBe(200);
    // A second exchange of the same code is refused, and kills what the first one issued.
    const again = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await companyInfo(tokens.json.access_token)).status).toBe(401);
  });

  it('rotates the refresh token on every refresh and refuses a rotated-out one', async () => {
    const { tokens } = await connectViaConsent();
    const first = await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).not.toBe(tokens.json.refresh_token);
    expect(first.json.id_token).toBeUndefined();
    const reused = await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token });
    expect(reused).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const second = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token });
    expect(second.status).toBe(200);
    expect((await companyInfo(second.json.access_token)).status).toBe(200);
  });

  it('refuses bad client credentials, unknown grant types and a mismatched redirect_uri', async () => {
    const bad = await tokenCall({ grant_type: 'refresh_token', refresh_token: 'x' }, `Basic ${Buffer.from(`${CLIENT}:wrong`).toString('base64')}`);
    expect(bad).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect((await tokenCall({ grant_type: 'password' })).json.error).toBe('unsupported_grant_type');
    const location = new URL(await completeConsent(authorizeUrl()));
    const mismatch = await tokenCall({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: 'http://localhost/other' });
    expect(mismatch.json.error).toBe('invalid_grant');
  });

  it('expires access tokens after an hour, and refresh tokens after 100 days unused', async () => {
    const { tokens } = await connectViaConsent();
    try {
      await admin(sandbox, '/clock', { advanceMs: 3_601_000 });
      const expired = await companyInfo(tokens.json.access_token);
      expect(expired.status).toBe(401);
      expect((await expired.json()).fault.error[0].detail).toMatch(/Token expired/);
      await admin(sandbox, '/clock', { advanceMs: 101 * 86_400_000 });
      const late = await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token });
      expect(late).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    } finally {
      await admin(sandbox, '/reset', { seed: 'default' });
    }
  });
});

describe('revoke, userinfo, discovery', () => {
  it('revokes the connection', async () => {
    const { tokens } = await connectViaConsent();
    const res = await fetch(`${sandbox.url}/v2/oauth2/tokens/revoke`, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token: tokens.json.refresh_token }),
    });
    expect(res.status).toBe(200);
    expect((await companyInfo(tokens.json.access_token)).status).toBe(401);
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token })).json.error).toBe('invalid_grant');
  });

  it('answers userinfo with camelCase claims and publishes a discovery document for this origin', async () => {
    const { tokens } = await connectViaConsent();
    const info = await (await fetch(`${sandbox.url}/v1/openid_connect/userinfo`, { headers: { Authorization: `Bearer ${tokens.json.access_token}` } })).json();
    expect(info).toMatchObject({ email: 'sandbox.user@example.com', emailVerified: true, givenName: 'Sandbox' });
    const doc = await (await fetch(`${sandbox.url}/.well-known/openid_configuration/`)).json();
    expect(doc).toMatchObject({ issuer: 'https://oauth.platform.intuit.com/op/v1', token_endpoint: `${sandbox.url}/oauth2/v1/tokens/bearer`, authorization_endpoint: `${sandbox.url}/connect/oauth2` });
    const jwks = await (await fetch(doc.jwks_uri)).json();
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: 'sandbox-1', alg: 'RS256' });
  });
});
