// The per-company limiter's ordering, through the QBO client against the sandbox over HTTP:
// requests whose answers unlock more work go first when the in-flight cap is full, and a batch
// waiting for its own window does not hold up reads.
import { describe, expect, it } from 'vitest';
import { PAGE, QboClient, query, type QboClientOptions } from '../../lib/qbo';
import { DEMO_REALM, useSandbox } from '../sandbox/harness';
import { sandboxClient } from './harness';

const sandbox = useSandbox();

/** A client whose requests are recorded as they are sent: a query's statement, else the path's last part. */
async function recordingClient(limits: QboClientOptions['limits']) {
  const sent: string[] = [];
  const { client } = await sandboxClient(sandbox(), {
    limits,
    fetch: (url, init) => {
      const u = new URL(String(url));
      sent.push(u.searchParams.get('query') ?? u.pathname.split('/').pop()!);
      return fetch(url, init);
    },
  });
  return { client, sent };
}

describe('the limiter', () => {
  it('sends first pages and counts ahead of later pages when the in-flight cap is full', async () => {
    const { client, sent } = await recordingClient({ perWindow: 1e6, batchPerWindow: 1e6, inFlight: 1, windowMs: 60_000 });
    const q = query('Vendor').orderBy('Id');
    // The read takes the only slot; the others wait, the later page first.
    await Promise.all([client.read('CompanyInfo', DEMO_REALM), client.queryPage(q, PAGE + 1), client.queryPage(q, 1), client.count(q)]);
    expect(sent).toEqual([DEMO_REALM, q.page(1, PAGE), q.count(), q.page(PAGE + 1, PAGE)]);
  });

  it('lets reads past a batch that waits for its window', async () => {
    const { client, sent } = await recordingClient({ perWindow: 1e6, batchPerWindow: 1, inFlight: 10, windowMs: 1_000 });
    await client.batch([{ query: 'SELECT * FROM Term' }]); // the window's only batch
    const started = Date.now();
    const second = client.batch([{ query: 'SELECT * FROM Class' }]).then(() => Date.now() - started);
    const read = await client.read('CompanyInfo', DEMO_REALM).then(() => Date.now() - started);
    expect(sent).toEqual(['batch', DEMO_REALM]);
    const batched = await second;
    expect(sent).toEqual(['batch', DEMO_REALM, 'batch']);
    expect(batched).toBeGreaterThan(read);
    expect(batched).toBeGreaterThanOrEqual(500); // it did wait for the window
  });

  it('counts a company where QuickBooks serves it: the same realm on another server has a window of its own', () => {
    const tokens = { accessToken: async () => 't', refresh: async () => 't' };
    const at = (localOrigin: string) => new QboClient({ realmId: DEMO_REALM, environment: 'local-sandbox', localOrigin, tokens });
    // A sandbox started again on another port (or one bench after another in a process) must not
    // wait out the window of requests the first one was sent.
    expect(at('http://127.0.0.1:4010').limiter).toBe(at('http://127.0.0.1:4010').limiter);
    expect(at('http://127.0.0.1:4010').limiter).not.toBe(at('http://127.0.0.1:4510').limiter);
    expect(new QboClient({ realmId: DEMO_REALM, environment: 'production', tokens }).limiter).not.toBe(new QboClient({ realmId: DEMO_REALM, environment: 'intuit-sandbox', tokens }).limiter);
  });
});
