// The write path against the sandbox (real HTTP; IndexedDB from fake-indexeddb): every entity the
// sandbox serves created, updated and deleted, voided or made inactive through the outbox; a batch
// of 30 with its own result per item; a lost answer that makes exactly one record; a stale version
// re-applied; dependencies in order; a 429 storm; an expired token; undo.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type OutboxEntry } from '../../lib/db';
import { forgetCache, recordOf } from '../../lib/db/qbcache';
import type { QboClient } from '../../lib/qbo';
import { cancel, enqueue, outboxCounts, retry, undo, type NewWrite } from '../../lib/sync/outbox';
import { push, type PushResult } from '../../lib/sync/push';
import { sandboxClient } from '../qbo/harness';
import { admin, DEMO_REALM, useSandbox } from '../sandbox/harness';

const sandbox = useSandbox();
const company = () => sandbox().company(DEMO_REALM)!;
const REALM = DEMO_REALM;
const user = { kind: 'user' as const, name: 'Test' };

beforeEach(async () => {
  await Promise.all([db.outbox.clear(), db.links.clear(), db.qbRecords.clear(), db.logs.clear(), db.logBodies.clear()]);
  forgetCache();
});

/** Ids of seeded records by name. */
function idOf(entity: string, name: string): string {
  const row = [...company().table(entity).values()].find((r) => (r.data.DisplayName ?? r.data.Name) === name);
  if (!row) throw new Error(`no ${entity} ${name}`);
  return String(row.data.Id);
}
const live = (entity: string) => [...company().table(entity).values()].map((r) => r.data);

async function pushAll(client: QboClient, opts: Parameters<typeof push>[1] = {}): Promise<PushResult> {
  const r = await push(client, opts);
  if (r === 'busy') throw new Error('busy');
  return r;
}
const write = (w: Omit<NewWrite, 'realmId' | 'origin'> & Partial<Pick<NewWrite, 'origin'>>): NewWrite => ({ realmId: REALM, origin: user, ...w });
const get = (id: string) => db.outbox.get(id) as Promise<OutboxEntry>;

describe('every entity through the outbox', () => {
  it('creates, updates, and deletes, voids or makes inactive each list and transaction entity', async () => {
    const { client } = await sandboxClient(sandbox());
    const vendor = idOf('Vendor', 'WGN Radio');
    const customer = idOf('Customer', 'Cascade Brewing Company');
    const expense = { DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Advertising & Marketing') } } };
    const sale = { DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: idOf('Item', 'Consulting') } } };
    const creates: Record<string, Record<string, unknown>> = {
      Vendor: { DisplayName: 'Outbox Vendor' },
      Customer: { DisplayName: 'Outbox Customer' },
      Employee: { GivenName: 'Olive', FamilyName: 'Outbox', DisplayName: 'Olive Outbox' },
      Item: { Name: 'Outbox Service', Type: 'Service', IncomeAccountRef: { value: idOf('Account', 'Agency Fees') } },
      Account: { Name: 'Outbox Expenses', AccountType: 'Expense' },
      Class: { Name: 'Outbox Class' },
      Term: { Name: 'Net 45 Outbox', DueDays: 45 },
      PaymentMethod: { Name: 'Outbox Card' },
      Bill: { VendorRef: { value: vendor }, Line: [{ Amount: 120.5, ...expense }] },
      VendorCredit: { VendorRef: { value: vendor }, Line: [{ Amount: 20, ...expense }] },
      PurchaseOrder: { VendorRef: { value: vendor }, APAccountRef: { value: idOf('Account', 'Accounts Payable (A/P)') }, Line: [{ Amount: 75, ...expense }] },
      Invoice: { CustomerRef: { value: customer }, Line: [{ Amount: 300, ...sale }] },
      Estimate: { CustomerRef: { value: customer }, Line: [{ Amount: 310, ...sale }] },
      SalesReceipt: { CustomerRef: { value: customer }, Line: [{ Amount: 320, ...sale }] },
      CreditMemo: { CustomerRef: { value: customer }, Line: [{ Amount: 30, ...sale }] },
      Payment: { CustomerRef: { value: customer }, TotalAmt: 55 },
    };
    const entries = await enqueue(Object.entries(creates).map(([entity, intent]) => write({ operation: 'create', entity, intent })));
    // A bill payment pays the bill created above: it waits for it.
    const [payment] = await enqueue([
      write({
        operation: 'create', entity: 'BillPayment',
        intent: { VendorRef: { value: vendor }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: idOf('Account', 'Checking') } }, TotalAmt: 120.5, Line: [{ Amount: 120.5, LinkedTxn: [{ TxnId: { $id: entries[8].id }, TxnType: 'Bill' }] }] },
      }),
    ]);
    const r = await pushAll(client);
    expect((await db.outbox.filter((e) => e.state === 'failed').toArray()).map((e) => `${e.entity}: ${e.lastError?.message}`)).toEqual([]);
    expect(r.failed).toBe(0);
    const made = new Map<string, OutboxEntry>();
    for (const e of [...entries, payment]) made.set(e.entity, await get(e.id));
    for (const [entity, e] of made) {
      expect(e.state, entity).toBe('done');
      const rec = company().get(entity, e.result!.qbId)!;
      expect(rec, entity).toBeTruthy();
      // What the product creates carries its marker where the entity has room for one.
      if (['Customer', 'Bill', 'Invoice', 'Payment', 'BillPayment'].includes(entity)) expect(JSON.stringify(rec)).toContain('[qbc:');
    }
    // The bill payment was sent after the bill, and points at it.
    expect(company().get('BillPayment', made.get('BillPayment')!.result!.qbId)!.Line[0].LinkedTxn[0].TxnId).toBe(made.get('Bill')!.result!.qbId);
    // The QB cache holds what QuickBooks answered.
    expect(await recordOf(REALM, 'Invoice', made.get('Invoice')!.result!.qbId)).toMatchObject({ TotalAmt: 300 });

    // Updates (sparse, on the current version).
    const changes: Record<string, Record<string, unknown>> = {
      Vendor: { AcctNum: 'OB-1' }, Customer: { CompanyName: 'Outbox Co' }, Employee: { GivenName: 'Olivia' }, Item: { Description: 'Changed' },
      Account: { Description: 'Changed' }, Class: { Name: 'Outbox Class 2' }, Term: { DueDays: 60 }, PaymentMethod: { Name: 'Outbox Card 2' },
      Bill: { DocNumber: 'OB-BILL' }, VendorCredit: { DocNumber: 'OB-VC' }, PurchaseOrder: { DocNumber: 'OB-PO' }, Invoice: { DocNumber: 'OB-INV' },
      Estimate: { DocNumber: 'OB-EST' }, SalesReceipt: { DocNumber: 'OB-SR' }, CreditMemo: { DocNumber: 'OB-CM' }, Payment: { PaymentRefNum: 'OB-PAY' },
      BillPayment: { DocNumber: 'OB-BP' },
    };
    await enqueue(Object.entries(changes).map(([entity, intent]) => write({ operation: 'update', entity, qbId: made.get(entity)!.result!.qbId, intent })));
    expect((await pushAll(client)).failed).toBe(0);
    for (const [entity, change] of Object.entries(changes)) expect(company().get(entity, made.get(entity)!.result!.qbId), entity).toMatchObject(change);
    // The marker survives an update of the note it lives in.
    await enqueue([write({ operation: 'update', entity: 'Bill', qbId: made.get('Bill')!.result!.qbId, intent: { PrivateNote: 'Approved by Dana' } })]);
    await pushAll(client);
    expect(company().get('Bill', made.get('Bill')!.result!.qbId)!.PrivateNote).toMatch(/^Approved by Dana\n.*\[qbc:[0-9a-f]{16}\]$/);

    // Void what QuickBooks voids, delete the other transactions, make names inactive.
    const ends: [string, OutboxEntry['operation']][] = [
      ['BillPayment', 'void'], ['Invoice', 'void'], ['SalesReceipt', 'void'], ['Payment', 'void'],
      ['Bill', 'delete'], ['VendorCredit', 'delete'], ['PurchaseOrder', 'delete'], ['Estimate', 'delete'], ['CreditMemo', 'delete'],
      ...(['Vendor', 'Customer', 'Employee', 'Item', 'Account', 'Class', 'Term', 'PaymentMethod'].map((e) => [e, 'deactivate']) as [string, OutboxEntry['operation']][]),
    ];
    const endings = await enqueue(
      ends.map(([entity, operation], i) => write({ operation, entity, qbId: made.get(entity)!.result!.qbId, intent: {}, dependsOn: i === 4 ? ['#0'] : [] })),
    );
    const after = await pushAll(client);
    expect(after.failed).toBe(0);
    for (const [i, [entity, operation]] of ends.entries()) {
      expect((await get(endings[i].id)).state, `${operation} ${entity}`).toBe('done');
      const rec = company().get(entity, made.get(entity)!.result!.qbId);
      if (operation === 'delete') expect(rec, entity).toBeUndefined();
      if (operation === 'void') expect(rec, entity).toMatchObject({ TotalAmt: 0, PrivateNote: expect.stringMatching(/^Voided/) });
      if (operation === 'deactivate') expect(rec, entity).toMatchObject({ Active: false });
    }
    expect(await recordOf(REALM, 'Bill', made.get('Bill')!.result!.qbId)).toBeUndefined();
  });
});

describe('batches', () => {
  it('sends 30 creates in one batch and gives each entry its own result', async () => {
    const { client, log } = await sandboxClient(sandbox());
    const names = Array.from({ length: 30 }, (_, i) => `Batch Vendor ${i}`);
    names[7] = 'WGN Radio'; // taken: 6240
    names[19] = 'Bad:Name'; // a colon: QuickBooks refuses it
    const entries = await enqueue(names.map((DisplayName) => write({ operation: 'create', entity: 'Vendor', intent: { DisplayName } })));
    const r = await pushAll(client);
    expect(r).toMatchObject({ done: 28, failed: 2, batches: 1 });
    expect(log.filter((e) => e.operation === 'batch')).toHaveLength(1);
    const got = await Promise.all(entries.map((e) => get(e.id)));
    expect(got[7]).toMatchObject({ state: 'failed', lastError: { kind: 'DuplicateName', code: '6240', message: 'QuickBooks already has a vendor, customer or employee named "WGN Radio" (perhaps inactive): link to it or rename one.' } });
    expect(got[19]).toMatchObject({ state: 'failed', lastError: { kind: 'Validation' } });
    expect(got.filter((e) => e.state === 'done').map((e) => company().get('Vendor', e.result!.qbId)!.DisplayName)).toEqual(names.filter((_, i) => i !== 7 && i !== 19));
    // Each write is its own line in the log, with the outbox entry it belongs to.
    const logged = await db.logs.where('outboxId').anyOf(entries.map((e) => e.id)).toArray();
    expect(logged).toHaveLength(30);
    expect(logged.filter((l) => l.status === 'Not Completed').map((l) => l.objectName).sort()).toEqual(['Bad:Name', 'WGN Radio']);
  });
});

describe('nothing lost, nothing doubled', () => {
  it('makes exactly one record when the answer to a create is lost, even where QuickBooks ignores the requestid', async () => {
    const { client } = await sandboxClient(sandbox());
    await admin(sandbox(), '/faults', { dropNext: 1, ignoreRequestId: true });
    const before = live('Bill').length;
    const [bill] = await enqueue([write({ operation: 'create', entity: 'Bill', intent: { VendorRef: { value: idOf('Vendor', 'WGN Radio') }, Line: [{ Amount: 500, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } }] } })]);
    await pushAll(client);
    expect(live('Bill').length).toBe(before + 1);
    const done = await get(bill.id);
    expect(done).toMatchObject({ state: 'done', attempts: 1 });
    expect(company().get('Bill', done.result!.qbId)).toMatchObject({ TotalAmt: 500 });
  });

  it('looks up an entry a stopped push left in flight before sending it again', async () => {
    const { client } = await sandboxClient(sandbox());
    await admin(sandbox(), '/faults', { ignoreRequestId: true });
    const stop = new AbortController();
    // The push is stopped just after QuickBooks answered: the answer is never written down.
    const { client: stopping } = await sandboxClient(sandbox(), {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (String(init?.method) === 'POST') stop.abort();
        return res;
      },
    });
    const [customer] = await enqueue([write({ operation: 'create', entity: 'Customer', intent: { DisplayName: 'Stopped Midway Customer' } })]);
    await pushAll(stopping, { signal: stop.signal });
    expect((await get(customer.id)).state).toBe('in-flight');
    expect(live('Customer').filter((c) => c.DisplayName === 'Stopped Midway Customer')).toHaveLength(1);
    await pushAll(client);
    const done = await get(customer.id);
    expect(done.state).toBe('done');
    expect(live('Customer').filter((c) => c.DisplayName === 'Stopped Midway Customer')).toHaveLength(1);
    expect(done.result!.qbId).toBe(String(live('Customer').find((c) => c.DisplayName === 'Stopped Midway Customer')!.Id));
  });

  it('re-reads and re-applies a change when QuickBooks says the record changed meanwhile (5010)', async () => {
    const vendor = idOf('Vendor', 'WGN Radio');
    let first = true;
    const { client } = await sandboxClient(sandbox(), {
      fetch: async (url, init) => {
        // Someone saves the vendor in QuickBooks between our read and our write.
        if (first && String(init?.method) === 'POST' && String(url).includes('/vendor?')) {
          first = false;
          company().update('Vendor', { Id: vendor, SyncToken: company().get('Vendor', vendor)!.SyncToken, PrintOnCheckName: 'Theirs' }, true);
        }
        return fetch(url, init);
      },
    });
    const [e] = await enqueue([write({ operation: 'update', entity: 'Vendor', qbId: vendor, intent: { AcctNum: 'OURS' } })]);
    await pushAll(client);
    expect(await get(e.id)).toMatchObject({ state: 'done' });
    // Both changes are there: ours was applied to their version, not sent stale.
    expect(company().get('Vendor', vendor)).toMatchObject({ AcctNum: 'OURS', PrintOnCheckName: 'Theirs' });
  });

  it('lands a vendor, its bill and the bill payment in order; a refused vendor fails its bill, naming it', async () => {
    const { client } = await sandboxClient(sandbox());
    const line = (amount: number) => ({ Amount: amount, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } });
    const chain = (name: string) => [
      write({ operation: 'create', entity: 'Vendor', intent: { DisplayName: name } }),
      write({ operation: 'create', entity: 'Bill', intent: { VendorRef: { $entry: '#0' }, Line: [line(80)] } }),
      write({ operation: 'create', entity: 'BillPayment', intent: { VendorRef: { $entry: '#0' }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: idOf('Account', 'Checking') } }, TotalAmt: 80, Line: [{ Amount: 80, LinkedTxn: [{ TxnId: { $id: '#1' }, TxnType: 'Bill' }] }] } }),
    ];
    const good = await enqueue(chain('Chain Vendor'));
    const bad = await enqueue(chain('WGN Radio'));
    await pushAll(client);
    const [v, b, p] = await Promise.all(good.map((e) => get(e.id)));
    expect([v.state, b.state, p.state]).toEqual(['done', 'done', 'done']);
    expect(company().get('Bill', b.result!.qbId)!.VendorRef.value).toBe(v.result!.qbId);
    expect(company().get('Bill', b.result!.qbId)!.Balance).toBe(0);
    const [bv, bb, bp] = await Promise.all(bad.map((e) => get(e.id)));
    expect(bv).toMatchObject({ state: 'failed', lastError: { kind: 'DuplicateName' } });
    expect(bb).toMatchObject({ state: 'failed', lastError: { kind: 'Dependency', message: expect.stringMatching(/^It needs the vendor "WGN Radio", which failed: QuickBooks already has a vendor/) } });
    expect(bp).toMatchObject({ state: 'failed', lastError: { kind: 'Dependency', message: expect.stringMatching(/^It needs the (vendor "WGN Radio"|bill), which failed/) } });

    // Renamed and retried, the whole chain lands.
    await db.outbox.update(bv.id, { intent: { DisplayName: 'WGN Radio (chain)' } });
    expect((await retry([bv.id])).map((e) => e.id).sort()).toEqual(bad.map((e) => e.id).sort());
    await pushAll(client);
    expect((await Promise.all(bad.map((e) => get(e.id)))).map((e) => e.state)).toEqual(['done', 'done', 'done']);
  });

  it('rides out a 429 storm: delays, fails nothing', async () => {
    const { client } = await sandboxClient(sandbox());
    await admin(sandbox(), '/faults', { throttleNext: 6 });
    const entries = await enqueue(Array.from({ length: 40 }, (_, i) => write({ operation: 'create', entity: 'Customer', intent: { DisplayName: `Storm Customer ${i}` } })));
    const r = await pushAll(client);
    expect(r).toMatchObject({ done: 40, failed: 0 });
    expect((await Promise.all(entries.map((e) => get(e.id)))).every((e) => e.state === 'done')).toBe(true);
    const stats = await admin(sandbox(), '/stats', undefined, 'GET');
    expect(stats.throttled).toBeGreaterThanOrEqual(6);
  });

  it('refreshes an expired token once, and goes on', async () => {
    const { client, tokens } = await sandboxClient(sandbox());
    await admin(sandbox(), '/tokens/expire', { realmId: REALM });
    const entries = await enqueue(Array.from({ length: 35 }, (_, i) => write({ operation: 'create', entity: 'Class', intent: { Name: `Expired Token Class ${i}` } })));
    await pushAll(client);
    expect(tokens.refreshes).toBe(1);
    expect((await Promise.all(entries.map((e) => get(e.id)))).every((e) => e.state === 'done')).toBe(true);
  });

  it('does not add the same write twice, and cancels what is not sent yet', async () => {
    const { client } = await sandboxClient(sandbox());
    const w = write({ operation: 'create', entity: 'Class', intent: { Name: 'Once Class' }, host: { profileId: 'spotlight', origin: 'https://media.example', kind: 'class', hostId: '9' } });
    const [a] = await enqueue([w]);
    const [b] = await enqueue([w]);
    expect(b.id).toBe(a.id);
    expect(await db.outbox.count()).toBe(1);
    const [c] = await enqueue([write({ operation: 'create', entity: 'Class', intent: { Name: 'Never Class' } })]);
    expect(await cancel([c.id])).toEqual({ cancelled: [c.id], refused: [] });
    await pushAll(client);
    expect(await outboxCounts(REALM)).toMatchObject({ done: 1, cancelled: 1, pending: 0 });
    expect(live('Class').some((r) => r.Name === 'Never Class')).toBe(false);
    // The created record is linked to the app record it came from.
    expect(await db.links.get([REALM, 'spotlight', 'https://media.example', 'class', '9'])).toMatchObject({ state: 'linked', qbEntity: 'Class', source: 'created' });
  });
});

describe('undo', () => {
  const billIntent = () => ({ VendorRef: { value: idOf('Vendor', 'WGN Radio') }, Line: [{ Amount: 64, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } }] });

  it('deletes a bill the extension created', async () => {
    const { client } = await sandboxClient(sandbox());
    const [bill] = await enqueue([write({ operation: 'create', entity: 'Bill', intent: billIntent() })]);
    await pushAll(client);
    const qbId = (await get(bill.id)).result!.qbId;
    const [u] = await undo([bill.id]);
    await pushAll(client);
    expect(await get(u.id)).toMatchObject({ state: 'done', operation: 'delete' });
    expect(company().get('Bill', qbId)).toBeUndefined();
  });

  it('refuses to undo a bill changed in QuickBooks since, and says why', async () => {
    const { client } = await sandboxClient(sandbox());
    const [bill] = await enqueue([write({ operation: 'create', entity: 'Bill', intent: billIntent() })]);
    await pushAll(client);
    const qbId = (await get(bill.id)).result!.qbId;
    company().update('Bill', { Id: qbId, SyncToken: company().get('Bill', qbId)!.SyncToken, DocNumber: 'CHANGED' }, true);
    const [u] = await undo([bill.id]);
    await pushAll(client);
    expect(await get(u.id)).toMatchObject({ state: 'failed', lastError: { kind: 'StaleObject', message: expect.stringMatching(/QuickBooks changed this bill .* after the extension made it, so it is not undone/) } });
    expect(company().get('Bill', qbId)).toMatchObject({ DocNumber: 'CHANGED' });
  });

  it('takes back a whole action, the payment before its bill before its vendor', async () => {
    const { client } = await sandboxClient(sandbox());
    const line = { Amount: 10, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: idOf('Account', 'Travel') } } };
    const entries = await enqueue([
      write({ operation: 'create', entity: 'Vendor', intent: { DisplayName: 'Undo Chain Vendor' } }),
      write({ operation: 'create', entity: 'Bill', intent: { VendorRef: { $entry: '#0' }, Line: [line] } }),
      write({ operation: 'create', entity: 'BillPayment', intent: { VendorRef: { $entry: '#0' }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: idOf('Account', 'Checking') } }, TotalAmt: 10, Line: [{ Amount: 10, LinkedTxn: [{ TxnId: { $id: '#1' }, TxnType: 'Bill' }] }] } }),
    ]);
    await pushAll(client);
    const ids = await Promise.all(entries.map(async (e) => (await get(e.id)).result!.qbId));
    const undos = await undo([entries[1].id], { wholeAction: true });
    expect(undos.map((u) => `${u.operation} ${u.entity}`)).toEqual(['delete BillPayment', 'delete Bill', 'deactivate Vendor']);
    await pushAll(client);
    expect((await Promise.all(undos.map((u) => get(u.id)))).map((u) => u.state)).toEqual(['done', 'done', 'done']);
    expect(company().get('BillPayment', ids[2])).toBeUndefined();
    expect(company().get('Bill', ids[1])).toBeUndefined();
    expect(company().get('Vendor', ids[0])).toMatchObject({ Active: false });
  });
});
