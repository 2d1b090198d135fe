// A seeded fuzz of the sandbox QuickBooks (issue 17): broken bodies for every entity it serves,
// money, structure, batches, queries, client mistakes and the event loop. It asserts what the
// issue's definition of done asks: no 500, nothing stored from a refused request (the company's
// fingerprint is unchanged), totals and balances exact to the cent, every refusal in QuickBooks'
// shape with a code from the reference, and a health check answered within 100 ms during the
// worst query. FUZZ_SEED=<n> replays another run; the default seed is fixed so CI is repeatable.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entities } from '../../sandbox/qbo/entities';
import { likeMatches } from '../../sandbox/qbo/query';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { seededRandom, type Random } from '../../sandbox/random';
import { Bodies, type Body, CREATABLE, cents, getAt, pathsOf, type Refs, seedRefs, setAt } from './bodies';
import { connect, DEMO_REALM, rawRequest, readReply, type Reply, startSandbox, useSandbox } from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** Fault codes the sandbox may answer with: each is in reference/qbo-api.md (2050 is the IPP list's length fault). */
const CODES = new Set(['500', '600', '610', '1040', '2010', '2020', '2030', '2050', '2170', '2500', '4000', '4001', '5010', '6000', '6010', '6070', '6080', '6140', '6240']);

type Qbo = Awaited<ReturnType<typeof connect>>;
const path = (entity: string) => entities.get(entity)!.path;

/** A refusal in QBO's shape: 400, a ValidationFault, one error with a Message, a Detail and a known code. */
function expectFault(r: Reply, what: string) {
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(400);
  expect(r.json?.Fault?.type, what).toBe('ValidationFault');
  const e = r.json.Fault.Error[0];
  expect(typeof e.Message, what).toBe('string');
  expect(typeof e.Detail, what).toBe('string');
  expect(CODES.has(e.code), `${what}: code ${e.code}`).toBe(true);
  expect(r.json.time, what).toEqual(expect.any(String));
}

describe(`fuzz, seed ${SEED}`, () => {
  const sandbox = useSandbox();
  let qbo: Qbo;
  let refs: Refs;
  let bodies: Bodies;
  let rng: Random;

  beforeEach(async () => {
    qbo = await connect(sandbox());
    refs = await seedRefs(qbo);
    bodies = new Bodies(refs, SEED);
    rng = seededRandom(SEED);
  });

  const company = () => sandbox().company(DEMO_REALM)!;

  /** Sends a body (or raw text) and returns the reply; the caller says what to expect. */
  async function send(url: string, body: unknown, raw?: string): Promise<Reply> {
    const res = await fetch(`${sandbox().url}/v3/company/${DEMO_REALM}/${url}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    return readReply(res);
  }

  /** Expects a refusal that leaves the company exactly as it was. */
  async function refused(url: string, body: unknown, what: string, raw?: string) {
    const before = company().fingerprint();
    const r = await send(url, body, raw);
    expectFault(r, what);
    expect(company().fingerprint(), `${what} changed the company`).toBe(before);
    return r;
  }

  async function create(entity: string): Promise<Body> {
    const open = entity === 'Payment' ? await create('Invoice') : entity === 'BillPayment' ? await create('Bill') : undefined;
    const r = await send(path(entity), bodies.create(entity, open));
    expect(r.status, `${entity}: ${r.text}`).toBe(200);
    return r.json[entity];
  }

  /** Values of the wrong type, format, size or characters for what `value` is. */
  function breakValue(value: unknown, key: string | number): { value: unknown; raw?: string }[] {
    const INF = { value: '__INF__', raw: '1e309' };
    if (typeof value === 'string') {
      const out: { value: unknown; raw?: string }[] = [
        { value: {} }, { value: [] }, { value: 42 }, { value: true }, { value: 'x'.repeat(4001) },
        { value: `${value}\u0000` }, { value: `\u001b${value}` }, { value: `\ud800${value}` },
      ];
      if (/Date$/.test(String(key))) out.push({ value: '2026-02-30' }, { value: '2026-13-01' }, { value: '03/15/2026' });
      if (['DisplayName', 'Name', 'GivenName', 'FamilyName'].includes(String(key))) out.push({ value: `${value}:x` }, { value: ' \t ' });
      if (['PrintStatus', 'EmailStatus', 'BillableStatus', 'PayType', 'Type', 'PreferredDeliveryMethod', 'DetailType', 'TxnType'].includes(String(key))) out.push({ value: 'Bogus' });
      return out;
    }
    if (typeof value === 'number') return [{ value: '12' }, { value: '0x10' }, { value: true }, { value: {} }, { value: 1e16 }, { value: 1.0000001 }, INF];
    if (typeof value === 'boolean') return [{ value: 'true' }, { value: 1 }, { value: {} }];
    if (Array.isArray(value)) return [{ value: {} }, { value: 'x' }, { value: [null] }, { value: [1] }];
    if (value && typeof value === 'object') {
      const out: { value: unknown }[] = [{ value: '5' }, { value: 5 }, { value: [value] }, { value: { ...value, Bogus: 1 } }];
      const targets: Record<string, string> = { VendorRef: 'v', CustomerRef: 'c', ItemRef: 'i', AccountRef: 'a', TermRef: 't', SalesTermRef: 't', ClassRef: 'k', PaymentMethodRef: 'p', BankAccountRef: 'a', DepositToAccountRef: 'a', IncomeAccountRef: 'a' };
      if (targets[String(key)]) out.push({ value: { value: '999999' } });
      if (key === 'VendorRef') out.push({ value: { value: refs.inactiveVendor } });
      if (key === 'CustomerRef') out.push({ value: { value: refs.inactiveCustomer } });
      return out;
    }
    return [{ value: {} }];
  }

  it('refuses broken bodies for every entity, on create and on sparse update, storing nothing', async () => {
    let tried = 0;
    for (const entity of CREATABLE) {
      const existing = await create(entity);
      const base = bodies.create(entity, entity === 'Payment' ? await create('Invoice') : entity === 'BillPayment' ? await create('Bill') : undefined);
      const paths = pathsOf(base);
      for (let i = 0; i < 16; i++) {
        const p = rng.pick(paths);
        const choice = rng.pick(breakValue(getAt(base, p), p.at(-1)!));
        const broken = setAt(base, p, choice.value);
        const raw = choice.raw ? JSON.stringify(broken).replace('"__INF__"', choice.raw) : undefined;
        await refused(path(entity), broken, `${entity} create ${p.join('.')} = ${raw ? choice.raw : JSON.stringify(choice.value)?.slice(0, 40)}`, raw);
        // The same break as a sparse update of a stored record (top-level fields only: a sparse update replaces them whole).
        const top = p[0] as string;
        const patch = { Id: existing.Id, SyncToken: existing.SyncToken, sparse: true, [top]: getAt(broken, [top]) };
        const patchRaw = choice.raw ? JSON.stringify(patch).replace('"__INF__"', choice.raw) : undefined;
        await refused(path(entity), patch, `${entity} update ${p.join('.')}`, patchRaw);
        tried += 2;
      }
      // Unknown properties, sparse that is not a boolean, an Id that is not a number, and a stale SyncToken.
      await refused(path(entity), { ...base, Bogus: 1 }, `${entity} unknown property`);
      await refused(path(entity), { Id: existing.Id, SyncToken: existing.SyncToken, sparse: 'true' }, `${entity} sparse as a string`);
      await refused(path(entity), { Id: '1.5', SyncToken: '0', sparse: true }, `${entity} Id 1.5`);
      await refused(path(entity), { Id: existing.Id, SyncToken: String(Number(existing.SyncToken) + 5), sparse: true }, `${entity} stale`);
      // Nested past the depth limit.
      const depth = rng.int(21, 3000);
      await refused(path(entity), undefined, `${entity} nested ${depth} deep`, JSON.stringify(base).replace(/}$/, `,"Nested":${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}}`));
      tried += 5;
    }
    expect(tried).toBeGreaterThan(600);
  });

  it('refuses broken updates of Preferences and CompanyInfo', async () => {
    const prefs = (await qbo.get('preferences')).json.Preferences;
    await refused('preferences', { ...prefs, SalesFormsPrefs: 'on' }, 'preferences as a string');
    await refused('preferences', { ...prefs, OtherPrefs: { NameValue: [{ Name: 'x\u0000', Value: '1' }] } }, 'preferences control character');
    await refused('preferences', { ...prefs, Bogus: {} }, 'preferences unknown');
    const info = (await qbo.get(`companyinfo/${DEMO_REALM}`)).json.CompanyInfo;
    await refused('companyinfo', { ...info, CompanyName: 'c'.repeat(1025) }, 'company name too long');
    await refused('companyinfo', { ...info, CompanyStartDate: '2019-02-29' }, 'company start date');
    expect((await send('companyinfo', { ...info, LegalName: 'Larkspur Media & Supply, LLC' })).status).toBe(200);
  });

  it('keeps totals and balances exact to the cent through sales, purchases, payments, voids and deletes', async () => {
    const customer = (await send('customer', { DisplayName: `Cents Customer ${SEED}` })).json.Customer;
    const vendor = (await send('vendor', { DisplayName: `Cents Vendor ${SEED}` })).json.Vendor;
    const big = () => (rng.chance(0.1) ? cents(rng, 1_000_000_000_000, 9_999_999_999_999) : cents(rng, 1, 10_000_000));
    const salesLine = () =>
      rng.chance(0.5)
        ? { Amount: big(), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: refs.service } } }
        : { DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: refs.service }, Qty: rng.int(1, 999) / (rng.chance(0.5) ? 1 : 100), UnitPrice: rng.int(1, 9_999_999) / 1000 } };
    const expenseLine = () => ({ Amount: big(), DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expense } } });
    const toC = (n: number) => Math.round(n * 100);
    const twoDecimals = (n: number) => Number.isInteger(Math.round(n * 100)) && toC(n) / 100 === n;

    const check = async () => {
      const txns: Record<string, Body[]> = {};
      for (const e of ['Invoice', 'CreditMemo', 'Payment', 'SalesReceipt']) txns[e] = (await qbo.query(`SELECT * FROM ${e} WHERE CustomerRef = '${customer.Id}' MAXRESULTS 1000`)).json.QueryResponse[e] ?? [];
      for (const e of ['Bill', 'VendorCredit', 'BillPayment']) txns[e] = (await qbo.query(`SELECT * FROM ${e} WHERE VendorRef = '${vendor.Id}' MAXRESULTS 1000`)).json.QueryResponse[e] ?? [];
      const applied = new Map<string, number>();
      for (const p of [...txns.Payment, ...txns.BillPayment]) {
        expect(twoDecimals(p.TotalAmt)).toBe(true);
        let sum = 0;
        for (const l of p.Line) {
          const k = `${l.LinkedTxn[0].TxnType}:${l.LinkedTxn[0].TxnId}`;
          applied.set(k, (applied.get(k) ?? 0) + toC(l.Amount));
          sum += toC(l.Amount) * (['CreditMemo', 'VendorCredit'].includes(l.LinkedTxn[0].TxnType) ? -1 : 1);
        }
        if (p.UnappliedAmt !== undefined) expect(toC(p.UnappliedAmt)).toBe(toC(p.TotalAmt) - sum);
      }
      for (const [e, list] of Object.entries(txns)) {
        if (e === 'Payment' || e === 'BillPayment') continue;
        for (const t of list) {
          const lines = t.Line.filter((l: Body) => l.DetailType !== 'SubTotalLineDetail');
          const total = lines.reduce((s: number, l: Body) => s + toC(l.Amount) * (l.DetailType === 'DiscountLineDetail' ? -1 : 1), 0);
          expect(toC(t.TotalAmt), `${e} ${t.Id} total`).toBe(total);
          for (const l of t.Line) expect(twoDecimals(l.Amount)).toBe(true);
          if (e !== 'SalesReceipt') expect(toC(t.Balance), `${e} ${t.Id} balance`).toBe(toC(t.TotalAmt) - (applied.get(`${e}:${t.Id}`) ?? 0));
        }
      }
      const sum = (list: Body[], f: (t: Body) => number) => list.reduce((s, t) => s + f(t), 0);
      const owed = sum(txns.Invoice, (t) => toC(t.Balance)) - sum(txns.CreditMemo, (t) => toC(t.Balance)) - sum(txns.Payment, (t) => toC(t.UnappliedAmt));
      expect(toC((await qbo.get(`customer/${customer.Id}`)).json.Customer.Balance), 'customer balance').toBe(owed);
      const owing = sum(txns.Bill, (t) => toC(t.Balance)) - sum(txns.VendorCredit, (t) => toC(t.Balance));
      expect(toC((await qbo.get(`vendor/${vendor.Id}`)).json.Vendor.Balance), 'vendor balance').toBe(owing);
    };

    for (let step = 0; step < 60; step++) {
      const roll = rng.next();
      const open = async (entity: string, party: string, id: string) =>
        ((await qbo.query(`SELECT * FROM ${entity} WHERE ${party} = '${id}' AND Balance > '0' MAXRESULTS 1000`)).json.QueryResponse[entity] ?? []) as Body[];
      if (roll < 0.3) {
        const entity = rng.pick(['Invoice', 'CreditMemo', 'SalesReceipt']);
        const r = await send(path(entity), { CustomerRef: { value: customer.Id }, Line: Array.from({ length: rng.int(1, 4) }, salesLine) });
        if (r.status !== 200) expect(r.json.Fault.Error[0].code, r.text).toBe('6000'); // past 99,999,999,999.99
      } else if (roll < 0.5) {
        const entity = rng.pick(['Bill', 'VendorCredit']);
        const r = await send(path(entity), { VendorRef: { value: vendor.Id }, Line: Array.from({ length: rng.int(1, 4) }, expenseLine) });
        if (r.status !== 200) expect(r.json.Fault.Error[0].code, r.text).toBe('6000');
      } else if (roll < 0.7) {
        const invoices = await open('Invoice', 'CustomerRef', customer.Id);
        const credits = await open('CreditMemo', 'CustomerRef', customer.Id);
        if (!invoices.length) continue;
        const inv = rng.pick(invoices);
        const pay = rng.chance(0.3) ? toC(inv.Balance) : rng.int(1, toC(inv.Balance));
        const credit = credits.length && rng.chance(0.4) ? rng.pick(credits) : undefined;
        const take = credit ? Math.min(toC(credit.Balance), pay) : 0;
        const Line = [{ Amount: pay / 100, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }];
        if (credit && take > 0) Line.push({ Amount: take / 100, LinkedTxn: [{ TxnId: credit.Id, TxnType: 'CreditMemo' }] });
        const extra = rng.chance(0.3) ? rng.int(1, 100_000) : 0;
        const r = await send('payment', { CustomerRef: { value: customer.Id }, TotalAmt: (pay - take + extra) / 100, Line });
        expect(r.status, r.text).toBe(200);
        // Paying more than is open is refused, and changes nothing.
        await refused('payment', { CustomerRef: { value: customer.Id }, TotalAmt: 1e9, Line: [{ Amount: (toC(inv.Balance) + 1) / 100, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] }, 'overpayment');
      } else if (roll < 0.8) {
        const bills = await open('Bill', 'VendorRef', vendor.Id);
        if (!bills.length) continue;
        const bill = rng.pick(bills);
        const pay = rng.int(1, toC(bill.Balance));
        const r = await send('billpayment', { VendorRef: { value: vendor.Id }, TotalAmt: pay / 100, PayType: 'Check', CheckPayment: { BankAccountRef: { value: refs.bank } }, Line: [{ Amount: pay / 100, LinkedTxn: [{ TxnId: bill.Id, TxnType: 'Bill' }] }] });
        expect(r.status, r.text).toBe(200);
      } else {
        // Undo something: delete or void a payment, or delete an unpaid transaction.
        const entity = rng.pick(['Payment', 'BillPayment', 'Invoice', 'Bill']);
        const party = entity === 'Payment' || entity === 'Invoice' ? ['CustomerRef', customer.Id] : ['VendorRef', vendor.Id];
        const list = ((await qbo.query(`SELECT * FROM ${entity} WHERE ${party[0]} = '${party[1]}' MAXRESULTS 1000`)).json.QueryResponse[entity] ?? []) as Body[];
        const live = list.filter((t) => !String(t.PrivateNote ?? '').startsWith('Voided'));
        if (!live.length) continue;
        const t = rng.pick(live);
        const how = entity === 'Payment' && rng.chance(0.5) ? 'operation=void' : entity === 'BillPayment' && rng.chance(0.5) ? 'operation=update&include=void' : 'operation=delete';
        const r = await send(`${path(entity)}?${how}`, { Id: t.Id, SyncToken: t.SyncToken, sparse: true });
        if (r.status !== 200) expectFault(r, `${entity} ${how}`); // a paid invoice or bill is not deleted
      }
      if (step % 6 === 5) await check();
    }
    await check();
  });

  it('keeps the customer tree whole through random moves: no cycles, at most five levels, names and balances rolled up', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const parent = ids.length && rng.chance(0.6) ? { ParentRef: { value: rng.pick(ids) } } : {};
      const r = await send('customer', { DisplayName: `Tree ${SEED} ${i}`, ...parent });
      if (r.status === 200) ids.push(r.json.Customer.Id);
      else expectFault(r, 'tree create');
    }
    for (const id of ids) if (rng.chance(0.5)) await send('invoice', { CustomerRef: { value: id }, Line: [{ Amount: cents(rng, 1, 100_000), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: refs.service } } }] });
    for (let move = 0; move < 60; move++) {
      const child = (await qbo.get(`customer/${rng.pick(ids)}`)).json.Customer;
      const parent = rng.chance(0.15) ? null : rng.pick(ids);
      const before = company().fingerprint();
      const r = await send('customer', { Id: child.Id, SyncToken: child.SyncToken, sparse: true, ParentRef: parent === null ? null : { value: parent } });
      if (r.status !== 200) {
        expectFault(r, `move ${child.Id} under ${parent}`);
        expect(r.json.Fault.Error[0].code).toBe('6000');
        expect(company().fingerprint()).toBe(before);
      }
    }
    const all = new Map<string, Body>();
    for (const id of ids) all.set(id, (await qbo.get(`customer/${id}`)).json.Customer);
    for (const c of all.values()) {
      const chain: string[] = [];
      for (let p: Body | undefined = c; p; p = p.ParentRef ? all.get(p.ParentRef.value) : undefined) {
        expect(chain).not.toContain(p.Id);
        chain.unshift(p.DisplayName);
      }
      expect(chain.length).toBeLessThanOrEqual(5);
      expect(c.FullyQualifiedName).toBe(chain.join(':'));
      expect(c.Level ?? 0).toBe(chain.length - 1);
      const kids = [...all.values()].filter((k) => k.ParentRef?.value === c.Id);
      expect(Math.round(c.BalanceWithJobs * 100)).toBe(Math.round(c.Balance * 100) + kids.reduce((s, k) => s + Math.round(k.BalanceWithJobs * 100), 0));
    }
  });

  it('runs each batch item on its own: valid ones stored, broken ones refused alone, never a 500', async () => {
    for (let round = 0; round < 8; round++) {
      const items: Body[] = [];
      const expect200: string[] = [];
      const expectFaults: string[] = [];
      const n = rng.int(1, 30);
      for (let i = 0; i < n; i++) {
        const bId = `b${i}`;
        const entity = rng.pick(['Vendor', 'Customer', 'Class', 'Term', 'Bill', 'Invoice', 'Estimate', 'PurchaseOrder']);
        const body = bodies.create(entity);
        const kind = rng.next();
        if (kind < 0.4) {
          items.push({ bId, operation: 'create', [entity]: body });
          expect200.push(bId);
        } else if (kind < 0.75) {
          const p = rng.pick(pathsOf(body));
          const choice = rng.pick(breakValue(getAt(body, p), p.at(-1)!).filter((c) => !c.raw));
          items.push({ bId, operation: 'create', [entity]: setAt(body, p, choice.value) });
          expectFaults.push(bId);
        } else if (kind < 0.9) {
          items.push({ bId, Query: rng.pick(['select * from Term', 'SELECT * FROM Invoice WHERE Balance > -.5', "select count(*) from Vendor where DisplayName like '%%a%%'", 'SELECT * FROM Nope']) });
        } else {
          items.push({ bId, operation: rng.pick(['merge', 'revert', 'explode']), [entity]: body });
          expectFaults.push(bId);
        }
      }
      const before = company().count('Vendor') + company().count('Customer') + company().count('Bill') + company().count('Invoice');
      const r = await qbo.post('batch', { BatchItemRequest: items });
      expect(r.status, r.text.slice(0, 300)).toBe(200);
      const byId = new Map<string, Body>(r.json.BatchItemResponse.map((x: Body) => [x.bId, x]));
      expect(byId.size).toBe(n);
      for (const [bId, x] of byId) {
        if (x.Fault) {
          expect(CODES.has(x.Fault.Error[0].code), `${bId}: ${JSON.stringify(x.Fault)}`).toBe(true);
          expect(x.Fault.type).toBe('ValidationFault');
        }
      }
      for (const bId of expect200) expect(byId.get(bId)!.Fault, JSON.stringify(byId.get(bId))).toBeUndefined();
      for (const bId of expectFaults) expect(byId.get(bId)!.Fault, `${bId} ${JSON.stringify(items.find((i) => i.bId === bId))}`).toBeDefined();
      const stored = expect200.filter((b) => ['Vendor', 'Customer', 'Bill', 'Invoice'].some((e) => byId.get(b)![e])).length;
      expect(company().count('Vendor') + company().count('Customer') + company().count('Bill') + company().count('Invoice')).toBe(before + stored);
    }
  });

  it('answers every query with rows or a 4000/4001, and LIKE as a backtracking matcher would', async () => {
    const fields = ['DisplayName', 'Balance', 'TxnDate', 'MetaData.LastUpdatedTime', 'Id', 'Active', 'TotalAmt', 'CustomerRef', 'Name', 'Nope', 'DocNumber'];
    const values = ["'a%'", "'%%%%#'", '-.5', '.5', '-0.5', "'garbage'", "'2026-02-30'", "'2026-01-01'", 'true', "'\\''", "'", '(1,2)', "('1','x')", '5'];
    const ops = ['=', '<', '>', '<=', '>=', 'LIKE', 'IN', '!=', 'OR'];
    for (let i = 0; i < 200; i++) {
      const entity = rng.pick(['Vendor', 'Customer', 'Invoice', 'Bill', 'Item', 'Payment', 'Custmoer']);
      const where = Array.from({ length: rng.int(0, 3) }, () => `${rng.pick(fields)} ${rng.pick(ops)} ${rng.pick(values)}`).join(rng.chance(0.9) ? ' AND ' : ' OR ');
      const tail = rng.pick(['', ' ORDERBY DisplayName DESC', ' MAXRESULTS 5', ' STARTPOSITION 0', ' MAXRESULTS 1001', ' ORDERBY Nope', ' MAXRESULTS -1']);
      const q = `${rng.pick(['SELECT *', 'SELECT COUNT(*)', 'select Id, DisplayName', 'SELEKT *'])} FROM ${entity}${where ? ` WHERE ${where}` : ''}${tail}`;
      const r = await qbo.query(q);
      if (r.status === 200) expect(r.json.QueryResponse, q).toBeDefined();
      else {
        expectFault(r, q);
        expect(['4000', '4001'], q).toContain(r.json.Fault.Error[0].code);
      }
    }
    // LIKE against a reference implementation, on short strings where backtracking is cheap.
    const reference = (text: string, pattern: string) => {
      const go = (t: number, p: number): boolean => {
        if (p === pattern.length) return t === text.length;
        if (pattern[p] === '%') return go(t, p + 1) || (t < text.length && go(t + 1, p));
        return t < text.length && text[t].toLowerCase() === pattern[p].toLowerCase() && go(t + 1, p + 1);
      };
      return go(0, 0);
    };
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: rng.int(0, 8) }, () => rng.pick(['a', 'b', 'A', '#'])).join('');
      const pattern = Array.from({ length: rng.int(0, 6) }, () => rng.pick(['a', 'b', '%', '%', 'B', '#'])).join('');
      expect(likeMatches(text, pattern), `${text} LIKE ${pattern}`).toBe(reference(text, pattern));
    }
  });

  it('answers client mistakes on every entity path with 400s in the endpoint\'s shape', async () => {
    const { url } = sandbox();
    const auth = `Authorization: Bearer ${qbo.tokens.access_token}`;
    const before = company().fingerprint();
    for (const entity of CREATABLE) {
      const p = path(entity);
      const encoded = rng.pick(['%', '%zz', '%E0%A4%A', '%C0%AF', '%ff']);
      const bad = await rawRequest(url, `GET /v3/company/${DEMO_REALM}/${p}/${encoded} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}\r\nConnection: close\r\n\r\n`);
      expect(bad.status, `${p}/${encoded}`).toBe(400);
      expect(CODES.has(JSON.parse(bad.body).Fault.Error[0].code)).toBe(true);
      const host = rng.pick(['[', 'a b', 'x:y:z', '%zz', 'é.example', '-:99999999']);
      const body = JSON.stringify(bodies.create(entity, entity === 'Payment' || entity === 'BillPayment' ? { Id: '1', Balance: 1 } : undefined));
      const hostReply = await rawRequest(url, `POST /v3/company/${DEMO_REALM}/${p} HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      expect(hostReply.status, `host ${host}`).toBe(400);
      expect(JSON.parse(hostReply.body).Fault.type).toBe('ValidationFault');
      const type = rng.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'text/json', '']);
      const typed = await fetch(`${url}/v3/company/${DEMO_REALM}/${p}`, { method: 'POST', headers: { Authorization: `Bearer ${qbo.tokens.access_token}`, 'Content-Type': type }, body });
      expectFault(await readReply(typed), `${p} as ${type}`);
    }
    expect(company().fingerprint()).toBe(before);
    for (let i = 0; i < 20; i++) {
      const junk = Buffer.from(Array.from({ length: rng.int(0, 30) }, () => rng.int(0, 255))).toString('base64');
      const r = await fetch(`${url}/oauth2/v1/tokens/bearer`, { method: 'POST', headers: { Authorization: `Basic ${junk}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=x' });
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ error: 'invalid_client' });
    }
  });

  it('binds each requestid to its request, across entities, operations and bodies', async () => {
    const used: { id: string; entity: string; body: Body }[] = [];
    for (let i = 0; i < 40; i++) {
      const reuse = used.length > 0 && rng.chance(0.5);
      const prior = reuse ? rng.pick(used) : undefined;
      const entity = prior && rng.chance(0.5) ? prior.entity : rng.pick(['Vendor', 'Customer', 'Class', 'Term']);
      const body = prior && prior.entity === entity && rng.chance(0.5) ? prior.body : bodies.create(entity);
      const id = prior?.id ?? `fz-${SEED}-${i}`;
      const before = company().fingerprint();
      const r = await send(`${path(entity)}?requestid=${id}`, body);
      if (!prior) {
        expect(r.status, r.text).toBe(200);
        used.push({ id, entity, body });
      } else if (prior.entity === entity && prior.body === body) {
        expect(r.status).toBe(200);
        expect(company().fingerprint()).toBe(before);
      } else {
        expectFault(r, 'requestid reused');
        expect(r.json.Fault.Error[0].code).toBe('600');
        expect(company().fingerprint()).toBe(before);
      }
    }
  });
});

describe('the event loop during the worst queries (scale seed)', () => {
  let big: QboSandbox;
  let qbo: Qbo;
  beforeAll(async () => {
    big = await startSandbox({ seed: 'scale' });
    qbo = await connect(big);
    // The case the sweep found: LIKE '%%%%#' against long names took 7.7 s with a backtracking regex.
    for (let i = 0; i < 20; i++) await qbo.post('vendor', { DisplayName: `${'a'.repeat(480)} long ${i}` });
  }, 120_000);
  afterAll(() => big?.close());

  it('answers a health check within 100 ms while each runs', async () => {
    const latencies: number[] = [];
    let running = true;
    const poll = (async () => {
      while (running) {
        const t = performance.now();
        const r = await fetch(`${big.url}/_sandbox/health`);
        await r.text();
        latencies.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const heavy = [
      "SELECT COUNT(*) FROM Vendor WHERE DisplayName LIKE '%%%%%%%%%%%%#'",
      `SELECT * FROM Vendor WHERE DisplayName LIKE '${'%a'.repeat(40)}%#' AND Active IN (true, false) MAXRESULTS 1000`,
      'SELECT * FROM Invoice ORDERBY PrivateNote DESC, TotalAmt MAXRESULTS 1000',
      'SELECT COUNT(*) FROM Invoice WHERE TotalAmt > \'0\' AND Balance >= \'0\' AND TxnDate > \'2000-01-01\'',
      `SELECT COUNT(*) FROM Bill WHERE Id IN (${Array.from({ length: 1000 }, (_, i) => `'${i * 13}'`).join(',')})`,
      'SELECT * FROM Customer ORDERBY MetaData.LastUpdatedTime DESC MAXRESULTS 1000 STARTPOSITION 9000',
    ];
    const took: Record<string, number> = {};
    try {
      for (const q of heavy) {
        const t = performance.now();
        const r = await qbo.query(q);
        took[q.slice(0, 50)] = performance.now() - t;
        expect(r.status, q).toBe(200);
      }
      const batch = await qbo.post('batch', { BatchItemRequest: heavy.concat(heavy, heavy, heavy, heavy).slice(0, 30).map((Query, i) => ({ bId: `h${i}`, Query })) });
      expect(batch.status).toBe(200);
      const cdc = await qbo.get(`cdc?entities=${['Invoice', 'Bill', 'Vendor', 'Customer', 'Payment', 'BillPayment', 'Estimate'].join(',')}&changedSince=${encodeURIComponent(new Date(Date.now() - 29 * 86_400_000).toISOString())}`);
      expect(cdc.status).toBe(200);
    } finally {
      running = false;
      await poll;
    }
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies), `health check latencies (ms), worst first: ${latencies.sort((a, b) => b - a).slice(0, 5).map((l) => l.toFixed(0)).join(', ')}; queries took ${JSON.stringify(took)}`).toBeLessThan(100);
  }, 60_000);
});
