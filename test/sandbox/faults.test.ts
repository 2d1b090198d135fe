// The fault modes the write path's proof uses (admin API /_sandbox/faults), and requestid replay
// bound to the request it answered.
import { beforeEach, describe, expect, it } from 'vitest';
import { admin, connect, DEMO_REALM, useSandbox } from './harness';

const sandbox = useSandbox();
let qbo: Awaited<ReturnType<typeof connect>>;

beforeEach(async () => {
  qbo = await connect(sandbox());
});

const company = () => sandbox().company(DEMO_REALM)!;
const count = async (name: string) =>
  (await qbo.query(`SELECT COUNT(*) FROM Vendor WHERE DisplayName LIKE '${name}%'`)).json.QueryResponse.totalCount as number;

/** Posts a vendor over raw fetch: a dropped response is a rejected promise. */
function postVendor(name: string, requestId?: string) {
  const q = requestId ? `?requestid=${requestId}` : '';
  return fetch(`${sandbox().url}/v3/company/${DEMO_REALM}/vendor${q}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ DisplayName: name }),
  });
}

describe('errorRate: a 5xx answered before anything is stored', () => {
  it('stores nothing at rate 1, for 500 and 503', async () => {
    for (const errorStatus of [500, 503]) {
      await admin(sandbox(), '/faults', { errorRate: 1, errorStatus });
      const before = company().fingerprint();
      for (let i = 0; i < 5; i++) {
        const r = await postVendor(`Error Rate ${errorStatus} ${i}`);
        expect(r.status).toBe(errorStatus);
        expect((await r.json()).Fault.type).toBe('SystemFault');
      }
      expect(company().fingerprint()).toBe(before);
    }
    await admin(sandbox(), '/faults', undefined, 'DELETE');
    expect(await count('Error Rate')).toBe(0);
  });

  it('draws the same faults from the same seed', async () => {
    const run = async () => {
      await admin(sandbox(), '/faults', { errorRate: 0.5, seed: 42, match: { pathIncludes: '/companyinfo/' } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await qbo.get(`companyinfo/${DEMO_REALM}`)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
    // match limits the fault to what it names: a query is not touched.
    expect((await qbo.query('SELECT COUNT(*) FROM Term')).status).toBe(200);
  });
});

describe('dropRate and dropNext: the answer is lost after the write is applied', () => {
  it('applies every write whose answer is dropped, and a retry with the same requestid gets the answer', async () => {
    await admin(sandbox(), '/faults', { dropRate: 1 });
    for (let i = 0; i < 3; i++) await expect(postVendor(`Dropped Rate ${i}`, `drop-rate-${i}`)).rejects.toThrow();
    expect((await admin(sandbox(), '/stats', undefined, 'GET')).dropped).toBe(3);
    await admin(sandbox(), '/faults', undefined, 'DELETE');
    expect(await count('Dropped Rate')).toBe(3);
    const retry = await postVendor('Dropped Rate 1', 'drop-rate-1');
    expect(retry.status).toBe(200);
    expect((await retry.json()).Vendor.DisplayName).toBe('Dropped Rate 1');
    expect(await count('Dropped Rate')).toBe(3);
  });

  it('drops only writes: reads and refused writes are answered', async () => {
    await admin(sandbox(), '/faults', { dropRate: 1 });
    expect((await qbo.get(`companyinfo/${DEMO_REALM}`)).status).toBe(200);
    expect((await qbo.post('vendor', { DisplayName: '' })).status).toBe(400);
  });

  it('at a seeded rate, drops some answers and applies every write', async () => {
    await admin(sandbox(), '/faults', { dropRate: 0.5, seed: 7 });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => postVendor(`Half Dropped ${i}`).then((r) => r.status, () => 'dropped')));
    expect(outcomes).toContain('dropped');
    expect(outcomes).toContain(200);
    await admin(sandbox(), '/faults', undefined, 'DELETE');
    expect(await count('Half Dropped')).toBe(12);
  });

  it('dropNext drops exactly the next n write answers', async () => {
    await admin(sandbox(), '/faults', { dropNext: 2 });
    await expect(postVendor('Next Dropped 1')).rejects.toThrow();
    await expect(postVendor('Next Dropped 2')).rejects.toThrow();
    expect((await postVendor('Next Dropped 3')).status).toBe(200);
    expect(await count('Next Dropped')).toBe(3);
  });
});

describe('requestid', () => {
  it('replays the answer for the same request, and refuses the id for any other (600)', async () => {
    const first = await postVendor('Bound Vendor', 'bound-1');
    expect(first.status).toBe(200);
    const body = await first.text();
    const again = await postVendor('Bound Vendor', 'bound-1');
    expect(await again.text()).toBe(body);
    const before = company().fingerprint();
    const otherBody = await postVendor('Another Vendor', 'bound-1');
    expect(otherBody.status).toBe(400);
    expect((await otherBody.json()).Fault.Error[0].code).toBe('600');
    const otherEntity = await qbo.post('customer?requestid=bound-1', { DisplayName: 'Bound Vendor' });
    expect(otherEntity.json.Fault.Error[0].code).toBe('600');
    const v = JSON.parse(body).Vendor;
    const otherOperation = await qbo.post('vendor?requestid=bound-1&operation=update', { Id: v.Id, SyncToken: v.SyncToken, sparse: true, AcctNum: '1' });
    expect(otherOperation.json.Fault.Error[0].code).toBe('600');
    expect(company().fingerprint()).toBe(before);
    expect((await admin(sandbox(), '/stats', undefined, 'GET')).replays).toBe(1);
  });

  it('remembers nothing for a refused write, so the id can be used again', async () => {
    expect((await qbo.post('vendor?requestid=retry-ok', { DisplayName: 'WXYZ-TV' })).json.Fault.Error[0].code).toBe('6240');
    expect((await qbo.post('vendor?requestid=retry-ok', { DisplayName: 'Retry Ok Vendor' })).status).toBe(200);
  });

  it('with ignoreRequestId, never replays: the same request twice writes twice', async () => {
    await admin(sandbox(), '/faults', { ignoreRequestId: true });
    expect((await postVendor('Ignored Id Vendor A', 'ignored-1')).status).toBe(200);
    expect((await postVendor('Ignored Id Vendor B', 'ignored-1')).status).toBe(200);
    const dup = await postVendor('Ignored Id Vendor A', 'ignored-1');
    expect((await dup.json()).Fault.Error[0].code).toBe('6240');
    expect((await admin(sandbox(), '/stats', undefined, 'GET')).replays).toBe(0);
  });

  it('is at most 50 characters, 36 on a batch, whose bIds are then at most 10', async () => {
    expect((await qbo.post(`vendor?requestid=${'r'.repeat(51)}`, { DisplayName: 'Long Id' })).json.Fault.Error[0].code).toBe('2050');
    const item = { bId: '1', Query: 'select * from Term' };
    expect((await qbo.post(`batch?requestid=${'b'.repeat(37)}`, { BatchItemRequest: [item] })).json.Fault.Error[0].code).toBe('2050');
    expect((await qbo.post(`batch?requestid=${'b'.repeat(36)}`, { BatchItemRequest: [item] })).status).toBe(200);
    expect((await qbo.post('batch?requestid=short', { BatchItemRequest: [{ ...item, bId: 'b'.repeat(11) }] })).json.Fault.Error[0].code).toBe('2050');
    expect((await qbo.post('batch', { BatchItemRequest: [item, item] })).json.Fault.Error[0].code).toBe('2010');
  });
});

describe('the admin API', () => {
  it('refuses fault settings out of range and lists the new ones in its state', async () => {
    for (const bad of [{ dropRate: 2 }, { ignoreRequestId: 'yes' }, { seed: 1.5 }, { errorStatus: 502 }]) {
      const r = await fetch(`${sandbox().url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(bad) });
      expect(r.status).toBe(400);
    }
    const state = await admin(sandbox(), '/faults', { dropRate: 0.25, ignoreRequestId: true, seed: 3 });
    expect(state).toMatchObject({ dropRate: 0.25, ignoreRequestId: true, seed: 3, errorRate: 0, dropNext: 0 });
    expect(await admin(sandbox(), '/health', undefined, 'GET')).toEqual({ ok: true });
  });
});
