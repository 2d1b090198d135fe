// The emulator over TLS + HTTP/2 (tlsPort), the transport QuickBooks' gateway offers browsers:
// many requests share one connection, a dropped answer cuts only its own stream, and plain
// HTTP/1.1 clients are still served on the same port.
import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { admin, DEMO_REALM, startSandbox } from './harness';

let sandbox: QboSandbox;
let session: ClientHttp2Session;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ tlsPort: 0 });
  token = (await admin(sandbox, '/tokens', { realmId: DEMO_REALM })).access_token;
  // The certificate is self-signed, made when the emulator starts.
  session = h2connect(sandbox.tlsUrl!, { rejectUnauthorized: false });
});
afterAll(async () => {
  session.close();
  await sandbox.close();
});

function h2(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; tid?: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': method,
      ':path': `/v3/company/${DEMO_REALM}/${path}`,
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    });
    let status = 0;
    let tid: string | undefined;
    let text = '';
    stream.on('response', (h) => {
      status = Number(h[':status']);
      tid = h['intuit_tid'] as string | undefined;
    });
    stream.setEncoding('utf8');
    stream.on('data', (d) => (text += d));
    stream.on('end', () => resolve({ status, json: text ? JSON.parse(text) : null, tid }));
    stream.on('error', reject);
    stream.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('TLS + HTTP/2', () => {
  it('answers the v3 API over HTTP/2, ten requests at once on one connection', async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => h2('GET', `query?query=${encodeURIComponent(`SELECT * FROM Vendor STARTPOSITION ${i + 1} MAXRESULTS 1`)}`)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(replies.map((r) => r.json.QueryResponse.Vendor[0].Id)).size).toBe(10);
    expect(replies.every((r) => r.tid)).toBe(true);
    expect((await admin(sandbox, '/stats', undefined, 'GET')).byHttpVersion['2.0']).toBeGreaterThanOrEqual(10);
  });

  it('cuts only the dropped stream: the write is applied once, the connection and other requests carry on', async () => {
    await admin(sandbox, '/faults', { dropNext: 1, match: { method: 'POST' } });
    const [dropped, read] = await Promise.allSettled([
      h2('POST', 'vendor?requestid=tls-drop-1', { DisplayName: 'Dropped Over HTTP2 Vendor' }),
      h2('GET', 'companyinfo/' + DEMO_REALM),
    ]);
    expect(dropped.status).toBe('rejected');
    expect(read).toMatchObject({ status: 'fulfilled', value: { status: 200 } });
    expect(session.closed || session.destroyed).toBe(false);
    const retry = await h2('POST', 'vendor?requestid=tls-drop-1', { DisplayName: 'Dropped Over HTTP2 Vendor' });
    expect(retry.status).toBe(200);
    const count = await h2('GET', `query?query=${encodeURIComponent("SELECT COUNT(*) FROM Vendor WHERE DisplayName = 'Dropped Over HTTP2 Vendor'")}`);
    expect(count.json.QueryResponse.totalCount).toBe(1);
    await admin(sandbox, '/faults', { dropNext: 0, match: null });
  });

  it('still serves HTTP/1.1 clients on the same port', async () => {
    const reply = await new Promise<{ status: number; version: string }>((resolve, reject) => {
      const req = httpsRequest(`${sandbox.tlsUrl}/v3/company/${DEMO_REALM}/companyinfo/${DEMO_REALM}`, { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, version: res.httpVersion }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(reply).toEqual({ status: 200, version: '1.1' });
  });
});
