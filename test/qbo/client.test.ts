// The QBO client against the running sandbox, over real HTTP: paging, batch, CDC, 5010, 6240,
// 429 storms, dropped responses, 401 refresh, and the log it writes.
import { describe, expect, it } from 'vitest';
import { QboError, query } from '../../lib/qbo';
import { admin, DEMO_REALM, useSandbox } from '../sandbox/harness';
import { sandboxClient } from './harness';

const sandbox = useSandbox();

const statsRequests = async () => (await admin(sandbox(), '/stats', undefined, 'GET')).requests as number;

describe('paging', () => {
  it('reads past 1,000 rows and exactly 1,000 rows with no wasted request', async () => {
    await admin(sandbox(), '/reset', { seed: 'scale' });
    const { client } = await sandboxClient(sandbox());
    const company = sandbox().company(DEMO_REALM)!;

    let before = await statsRequests();
    const pages: number[] = [];
    const vendors = await client.queryAll('Vendor', undefined, (rows) => pages.push(rows.length));
    expect(vendors).toHaveLength(company.count('Vendor')); // inactive vendors included
    expect(new Set(vendors.map((v) => v.Id)).size).toBe(vendors.length);
    // 10 pages of 1,000 plus one COUNT: nothing more.
    expect((await statsRequests()) - before).toBe(Math.ceil(company.count('Vendor') / 1000) + 1);

    expect(company.count('CreditMemo')).toBe(1000);
    before = await statsRequests();
    const memos = await client.queryAll('CreditMemo');
    expect(memos).toHaveLength(1000);
    expect((await statsRequests()) - before).toBe(2); // one full page, one COUNT that says there is no more

    before = await statsRequests();
    const terms = await client.queryAll('Term');
    expect(terms).toHaveLength(5);
    expect((await statsRequests()) - before).toBe(1); // a short first page ends it
  });

  it('keeps reading when the last page holds more rows than counted, so rows added meanwhile are not lost', async () => {
    await admin(sandbox(), '/reset', { seed: 'scale' });
    const { client } = await sandboxClient(sandbox());
    const company = sandbox().company(DEMO_REALM)!;
    expect(company.count('SalesReceipt')).toBe(1500);
    const customer = [...company.table('Customer').values()].find((r) => r.data.Active)!.data;
    const item = [...company.table('Item').values()].find((r) => r.data.Name === 'Consulting')!.data;
    let added = false;
    const all = await client.queryAll('SalesReceipt', undefined, (_rows, _loaded, total) => {
      // After the COUNT (1,500), someone adds 600 sales receipts: page 2 comes back full.
      if (!added && total === 1500) {
        added = true;
        for (let i = 0; i < 600; i++)
          company.create('SalesReceipt', { CustomerRef: { value: customer.Id }, Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] });
      }
    });
    expect(all).toHaveLength(2100);
  });

  it('escapes values in queries, so a hostile name cannot change the statement', async () => {
    const { client } = await sandboxClient(sandbox());
    const rows = await client.queryPage(query('Customer').where('DisplayName', '=', "Amy's Bird Sanctuary"), 1);
    expect(rows.map((r) => r.DisplayName)).toEqual(["Amy's Bird Sanctuary"]);
    const hostile = await client.queryPage(query('Customer').where('DisplayName', '=', "x' OR DisplayName LIKE '%"), 1);
    expect(hostile).toEqual([]);
  });
});

describe('writes', () => {
  it('surfaces 6240 as DuplicateName and a missing reference as NotFound, with code, detail and Intuit-Tid', async () => {
    const { client } = await sandboxClient(sandbox());
    const dup = await client.create('Vendor', { DisplayName: 'WXYZ-TV' }).catch((e) => e);
    expect(dup).toBeInstanceOf(QboError);
    expect(dup).toMatchObject({ kind: 'DuplicateName', code: '6240', status: 400, detail: 'The name supplied already exists. : null' });
    expect(dup.intuitTid).toMatch(/^1-/);
    expect(dup.advice).toMatch(/already has a customer, vendor or employee/);
    const missing = await client.create('Bill', { VendorRef: { value: '999999' }, Line: [{ Amount: 5, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '1' } } }] }).catch((e) => e);
    expect(missing).toMatchObject({ kind: 'NotFound', code: '2500' });
  });

  it('re-reads and re-applies on 5010, never re-sending the stale body', async () => {
    const { client } = await sandboxClient(sandbox());
    const { client: other } = await sandboxClient(sandbox());
    const vendor = (await client.queryPage(query('Vendor').where('DisplayName', '=', 'WGN Radio'), 1))[0];
    let calls = 0;
    const updated = await client.updateFresh('Vendor', vendor.Id, async (current) => {
      calls++;
      if (calls === 1) {
        // Someone else saves the vendor between our read and our write.
        await other.update('Vendor', { Id: current.Id, SyncToken: current.SyncToken, AcctNum: 'THEIRS' });
        return { AcctNum: 'OURS-1' };
      }
      return { AcctNum: `OURS-${calls}`, PrintOnCheckName: `${current.AcctNum} then ours` };
    });
    // The change function ran again on the fresh version, which already had the other save.
    expect(calls).toBe(2);
    expect(updated.AcctNum).toBe('OURS-2');
    expect(updated.PrintOnCheckName).toBe('THEIRS then ours');
    const stale = await client.update('Vendor', { Id: vendor.Id, SyncToken: vendor.SyncToken, AcctNum: 'X' }).catch((e) => e);
    expect(stale).toMatchObject({ kind: 'StaleObject', code: '5010' });
  });

  it('makes exactly one record when the response to a create is dropped (same requestid on retry)', async () => {
    const { client, log } = await sandboxClient(sandbox());
    await admin(sandbox(), '/faults', { dropNext: 1 });
    const vendor = await client.create('Vendor', { DisplayName: 'Dropped Once Vendor' });
    expect(vendor.DisplayName).toBe('Dropped Once Vendor');
    const n = await client.count(query('Vendor').where('DisplayName', '=', 'Dropped Once Vendor'));
    expect(n).toBe(1);
    const attempts = log.filter((e) => e.operation === 'create');
    expect(attempts.map((e) => e.error?.kind ?? e.status)).toEqual(['Transient', 200]);
    expect(new Set(attempts.map((e) => e.requestId)).size).toBe(1);
  });

  it('looks the record up before writing again when the outcome is unknown', async () => {
    const { client } = await sandboxClient(sandbox());
    await admin(sandbox(), '/faults', { dropNext: 1 });
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return (await client.queryPage(query('Vendor').where('DisplayName', '=', 'Looked Up Vendor'), 1))[0];
    };
    const before = await statsRequests();
    const vendor = await client.create('Vendor', { DisplayName: 'Looked Up Vendor' }, { lookup });
    expect(lookups).toBe(1);
    expect(vendor.DisplayName).toBe('Looked Up Vendor');
    // One create (dropped) and one lookup query: the create was not sent again.
    expect((await statsRequests()) - before).toBe(2);
  });

  it('voids and deletes transactions, and batches in chunks of 30 with per-item results', async () => {
    const { client } = await sandboxClient(sandbox());
    const customer = (await client.queryPage(query('Customer').where('DisplayName', '=', 'Cascade Brewing Company'), 1))[0];
    const item = (await client.queryPage(query('Item').where('Name', '=', 'Consulting'), 1))[0];
    const line = [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }];
    const items = Array.from({ length: 33 }, (_, i) =>
      i === 7
        ? { operation: 'create' as const, entity: 'Vendor' as const, body: { DisplayName: 'WXYZ-TV' } }
        : i === 20
          ? { query: 'select * from Term' }
          : { operation: 'create' as const, entity: 'Invoice' as const, body: { CustomerRef: { value: customer.Id }, Line: line, PrivateNote: `batch ${i}` } },
    );
    const before = await statsRequests();
    const results = await client.batch(items);
    expect((await statsRequests()) - before).toBe(2);
    expect(results).toHaveLength(33);
    expect(results[7]).toMatchObject({ ok: false, error: { kind: 'DuplicateName' } });
    expect(results[20]).toMatchObject({ ok: true });
    expect(results.filter((r) => r.ok)).toHaveLength(32);
    const inv = results[0].ok ? (results[0].data as { Id: string; SyncToken: string }) : undefined;
    const voided = await client.void('Invoice', inv!);
    expect(voided.TotalAmt).toBe(0);
    const second = results[1].ok ? (results[1].data as { Id: string; SyncToken: string }) : undefined;
    expect(await client.delete('Invoice', second!)).toMatchObject({ status: 'Deleted', Id: second!.Id });
  });
});

describe('change data capture', () => {
  it('returns changed records and deleted ids', async () => {
    const { client } = await sandboxClient(sandbox());
    const since = new Date(Date.now() - 1000).toISOString();
    const v = await client.create('Vendor', { DisplayName: 'CDC Vendor' });
    const customer = (await client.queryPage(query('Customer').where('DisplayName', '=', 'Mission Street Bakery'), 1))[0];
    const item = (await client.queryPage(query('Item').where('Name', '=', 'Consulting'), 1))[0];
    const inv = await client.create('Invoice', { CustomerRef: { value: customer.Id }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] });
    await client.delete('Invoice', { Id: inv.Id, SyncToken: inv.SyncToken! });
    const changes = await client.cdc(['Vendor', 'Invoice'], since);
    expect(changes.changed.Vendor?.map((x: any) => x.Id)).toEqual([v.Id]);
    expect(changes.deleted.Invoice).toEqual([inv.Id]);
    expect(changes.changed.Invoice).toBeUndefined();
    expect(changes.truncated).toBe(false);
    expect(changes.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('limits, throttling and auth', () => {
  it('rides out a 429 storm with no failed call', async () => {
    const { client, log } = await sandboxClient(sandbox());
    await admin(sandbox(), '/faults', { throttleNext: 25 });
    const results = await Promise.all(Array.from({ length: 12 }, () => client.read('CompanyInfo', DEMO_REALM)));
    expect(results.every((r) => r.CompanyName === 'Larkspur Media & Supply')).toBe(true);
    expect(log.filter((e) => e.status === 429)).toHaveLength(25);
    expect(log.filter((e) => e.status === 429).every((e) => e.error?.kind === 'Throttled' && e.error.code === '3001')).toBe(true);
  });

  it('stays within the server\'s per-window and in-flight limits, so it is never throttled', async () => {
    await admin(sandbox(), '/limits', { enabled: true, windowMs: 1000, perWindow: 15, inFlight: 3, batchPerWindow: 40 });
    await admin(sandbox(), '/faults', { latencyMs: 30 });
    const { client, log } = await sandboxClient(sandbox(), { limits: { windowMs: 1000, perWindow: 15, inFlight: 3, batchPerWindow: 40 } });
    await Promise.all(Array.from({ length: 25 }, () => client.read('CompanyInfo', DEMO_REALM)));
    expect(log.filter((e) => e.status === 429)).toHaveLength(0);
    expect(log).toHaveLength(25);
  });

  it('backs off on 500/503 and succeeds when QuickBooks recovers', async () => {
    // QuickBooks recovers right after its first 503, before the client sees it.
    const { client, log } = await sandboxClient(sandbox(), {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (res.status === 503) await admin(sandbox(), '/faults', undefined, 'DELETE');
        return res;
      },
    });
    await admin(sandbox(), '/faults', { errorRate: 1, errorStatus: 503 });
    const info = await client.read('CompanyInfo', DEMO_REALM);
    expect(info.CompanyName).toBe('Larkspur Media & Supply');
    expect(log.map((e) => e.status)).toEqual([503, 200]);
  });

  it('gives up after its retries with a Transient error when QuickBooks stays down', async () => {
    const { client } = await sandboxClient(sandbox(), { retry: { transientRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    await admin(sandbox(), '/faults', { errorRate: 1, errorStatus: 500 });
    const e = await client.read('CompanyInfo', DEMO_REALM).catch((x) => x);
    expect(e).toMatchObject({ kind: 'Transient', status: 500, code: '10000' });
  });

  it('asks for exactly one refresh on 401 and retries once', async () => {
    const { client, tokens } = await sandboxClient(sandbox());
    await admin(sandbox(), '/tokens/expire', { realmId: DEMO_REALM });
    const info = await client.read('CompanyInfo', DEMO_REALM);
    expect(info.CompanyName).toBe('Larkspur Media & Supply');
    expect(tokens.refreshes).toBe(1);
    // A revoked connection: one refresh attempt, then an error the UI can act on.
    await admin(sandbox(), '/tokens/revoke', { realmId: DEMO_REALM });
    const e = await client.read('CompanyInfo', DEMO_REALM).catch((x) => x);
    expect(tokens.refreshes).toBe(2);
    expect(String(e.message)).toMatch(/refresh failed: invalid_grant/);
  });

  it('logs every exchange with the Intuit transaction id, and never a token', async () => {
    const { client, log, tokens } = await sandboxClient(sandbox());
    await client.create('Vendor', { DisplayName: 'Logged Vendor', TaxIdentifier: '12-3456789' });
    await client.read('CompanyInfo', DEMO_REALM);
    const entry = log.find((e) => e.operation === 'create')!;
    expect(entry).toMatchObject({ realmId: DEMO_REALM, method: 'POST', entity: 'Vendor', status: 200, objectName: 'Logged Vendor', attempt: 1 });
    expect(entry.intuitTid).toMatch(/^1-/);
    expect(entry.request).toContain('"TaxIdentifier":"[redacted]"');
    const token = await tokens.accessToken();
    expect(JSON.stringify(log)).not.toContain(token);
  });
});
