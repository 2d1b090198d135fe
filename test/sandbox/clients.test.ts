// QBO client libraries nobody here wrote work against the emulator unchanged; only their base
// URLs point at it. intuit-oauth (Intuit's own) runs the OAuth flow; node-quickbooks the API.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { completeConsent, DEMO_REALM, startSandbox } from './harness';

const require = createRequire(import.meta.url);
// Both are CommonJS packages without types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OAuthClient: any = require('intuit-oauth');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const QuickBooks: any = require('node-quickbooks');

let sandbox: QboSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
  // The only change a client needs: where Intuit's hosts are.
  OAuthClient.jwks_uri = `${sandbox.url}/op/v1/jwks`;
  OAuthClient.environment = { sandbox: `${sandbox.url}/`, production: `${sandbox.url}/` };
  QuickBooks.V3_ENDPOINT_BASE_URL = `${sandbox.url}/v3/company/`;
  QuickBooks.TOKEN_URL = `${sandbox.url}/oauth2/v1/tokens/bearer`;
  QuickBooks.REVOKE_URL = `${sandbox.url}/v2/oauth2/tokens/revoke`;
});
afterAll(() => sandbox.close());

function oauthClient() {
  const client = new OAuthClient({ clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', environment: 'sandbox', redirectUri: 'http://localhost:8000/callback' });
  client.setAuthorizeURLs({
    authorizeEndpoint: `${sandbox.url}/connect/oauth2`,
    tokenEndpoint: `${sandbox.url}/oauth2/v1/tokens/bearer`,
    revokeEndpoint: `${sandbox.url}/v2/oauth2/tokens/revoke`,
    userInfoEndpoint: `${sandbox.url}/v1/openid_connect/userinfo`,
  });
  return client;
}

describe('intuit-oauth (Intuit\'s Node OAuth client)', () => {
  it('authorizes, exchanges, validates the id_token, calls the API, refreshes and revokes', async () => {
    const client = oauthClient();
    const url = client.authorizeUri({ scope: [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId, OAuthClient.scopes.Email], state: 'intuit-oauth-test' });
    const callback = await completeConsent(url);
    const auth = await client.createToken(callback);
    const token = auth.getToken();
    expect(token.realmId).toBe(DEMO_REALM);
    expect(client.isAccessTokenValid()).toBe(true);
    await expect(client.validateIdToken()).resolves.toBe(true);

    const info = await client.makeApiCall({ url: `${sandbox.url}/v3/company/${DEMO_REALM}/companyinfo/${DEMO_REALM}` });
    expect(info.json.CompanyInfo.CompanyName).toBe('Larkspur Media & Supply');
    const user = await client.getUserInfo();
    expect(user.json.email).toBe('sandbox.user@example.com');

    const oldRefresh = token.refresh_token;
    const refreshed = await client.refresh();
    expect(refreshed.getToken().refresh_token).not.toBe(oldRefresh);
    await expect(client.refreshUsingToken(oldRefresh)).rejects.toThrow();

    await client.revoke();
    const after = await fetch(`${sandbox.url}/v3/company/${DEMO_REALM}/companyinfo/${DEMO_REALM}`, { headers: { Authorization: `Bearer ${refreshed.getToken().access_token}` } });
    expect(after.status).toBe(401);
  });
});

describe('node-quickbooks (a community API client)', () => {
  it('creates, reads, updates, queries and deletes through the library', async () => {
    const client = oauthClient();
    const auth = await client.createToken(await completeConsent(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 'nq' })));
    const t = auth.getToken();
    const qbo = new QuickBooks('sandbox-client-id', 'sandbox-client-secret', t.access_token, false, t.realmId, true, false, 75, '2.0', t.refresh_token);
    const call = <T>(fn: (cb: (err: unknown, body: T) => void) => void) =>
      new Promise<T>((resolve, reject) => fn((err, body) => (err ? reject(err) : resolve(body))));

    const vendor = await call<any>((cb) => qbo.createVendor({ DisplayName: 'Library Test Vendor', PrimaryEmailAddr: { Address: 'ap@library.example' } }, cb));
    expect(vendor.Id).toMatch(/^\d+$/);
    const read = await call<any>((cb) => qbo.getVendor(vendor.Id, cb));
    expect(read.DisplayName).toBe('Library Test Vendor');
    const updated = await call<any>((cb) => qbo.updateVendor({ Id: read.Id, SyncToken: read.SyncToken, sparse: true, AcctNum: 'LIB-1' }, cb));
    expect(updated.SyncToken).toBe('1');
    const found = await call<any>((cb) => qbo.findVendors([{ field: 'DisplayName', value: 'Library%', operator: 'LIKE' }], cb));
    expect(found.QueryResponse.Vendor.map((v: any) => v.Id)).toEqual([vendor.Id]);
    const all = await call<any>((cb) => qbo.findCustomers({ fetchAll: true }, cb));
    expect(all.QueryResponse.Customer.length).toBeGreaterThan(40);
    const stale = await call<any>((cb) => qbo.updateVendor({ Id: read.Id, SyncToken: read.SyncToken, sparse: true, AcctNum: 'LIB-2' }, cb)).catch((e) => e);
    expect(stale.response.status).toBe(400);
    expect(stale.response.data.Fault.Error[0].code).toBe('5010');

    const item = (await call<any>((cb) => qbo.findItems({ Name: 'Consulting' }, cb))).QueryResponse.Item[0];
    const customer = (await call<any>((cb) => qbo.findCustomers({ DisplayName: 'Quarry Lane Winery' }, cb))).QueryResponse.Customer[0];
    const invoice = await call<any>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [{ Amount: 175, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 1, UnitPrice: 175 } }] }, cb));
    expect(invoice.TotalAmt).toBe(175);
    const deleted = await call<any>((cb) => qbo.deleteInvoice(invoice.Id, cb));
    expect(deleted.Invoice.status).toBe('Deleted');

    const refreshed = await call<any>((cb) => qbo.refreshAccessToken(cb));
    expect(refreshed.refresh_token).not.toBe(t.refresh_token);
    await call((cb) => qbo.revokeAccess(true, cb));
    const gone = await call<any>((cb) => new QuickBooks('sandbox-client-id', 'sandbox-client-secret', refreshed.access_token, false, t.realmId, true, false, 75, '2.0').getVendor(vendor.Id, cb)).catch((e) => e);
    expect(gone.response.status).toBe(401);
    expect(gone.response.data.fault.error[0].code).toBe('3200');
  });
});
