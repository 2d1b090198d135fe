// The CRM's two-way customer sync: the chart's defaults and checks, values compared normalised
// (the CRM's own phone format is no change), the conflict rule (one side changed, both changed:
// the later by each side's clock, a tie to QuickBooks, one-way fields), and against the sandbox
// through the outbox: a phone changed in QuickBooks reaches the contact, an email changed in the CRM
// reaches QuickBooks, the CRM's echo of either is not synced back, twenty changes back and forth are
// twenty writes, a contact never changed is not synced, QuickBooks-wins fields are never written to
// QuickBooks, and new records on either side are made on the other once.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { db, type HostRecord } from '../../lib/db';
import { SETTINGS, writeSetting } from '../../lib/db/settings';
import { hostRecord, hostRecordsOfKind } from '../../lib/hosts/store';
import { takeRecords } from '../../lib/hosts/worker/apps';
import { link } from '../../lib/links';
import {
  appPatch, appValue, chartFor, checkChart, CustomerSyncSettings, decide, historyOf, norm, qbPatch, runCustomerSync, saveCustomerSync, syncAll, syncPairs, TIE_MS, type MapRow,
} from '../../lib/workflows/customers';
import { formatPhone, seedCrm } from '../../sandbox/hosts/crm';
import { useWorkflowApp } from './harness';
import { sandboxClient } from '../qbo/harness';
import { mergeParts, push } from '../../lib/sync/push';

const { REALM, profile, app, appName, company, live, prefs, pullNow, pushAll, sandbox } = useWorkflowApp('rolodeck-crm', 'http://crm.localhost', 'Rolodeck', () => ({ customer: seedCrm().contacts }), ['customer']);
type Rec = Record<string, any>;
const APP_FIELDS = Object.keys(profile.api!.kinds.customer.fields);
const ctx = () => ({ realmId: REALM, app, appName, origin: { kind: 'user' as const, name: 'Test' }, appFields: APP_FIELDS, clocks: { app: 0, qb: 0 } });
void prefs;

describe('the chart', () => {
  const rows = chartFor(CustomerSyncSettings.parse({}), APP_FIELDS);
  const row = (qb: string) => rows.find((r) => r.qb === qb)!;

  it('defaults to two-way names, email, phones and address; QuickBooks wins terms, payment method, delivery and balances; notes not synced; nothing for fields the CRM lacks', () => {
    expect([row('DisplayName'), row('PrimaryEmailAddr.Address'), row('Mobile.FreeFormNumber'), row('BillAddr.City')].map((r) => [r.app, r.direction])).toEqual([
      ['displayName', 'two-way'], ['email', 'two-way'], ['mobile', 'two-way'], ['city', 'two-way'],
    ]);
    expect(['SalesTermRef', 'PaymentMethodRef', 'PreferredDeliveryMethod', 'Balance', 'BalanceWithJobs'].map((k) => row(k).direction)).toEqual(['qb', 'qb', 'qb', 'qb', 'qb']);
    expect(row('Notes')).toEqual({ qb: 'Notes', app: 'notes', direction: 'none' });
    expect(row('Fax.FreeFormNumber')).toEqual({ qb: 'Fax.FreeFormNumber', app: '', direction: 'none' });
    expect(checkChart(rows, APP_FIELDS)).toEqual([]);
  });

  it('refuses a field the app does not have, a direction without a field, and a balance written to QuickBooks', () => {
    const bad: MapRow[] = [{ qb: 'Notes', app: 'remarks', direction: 'two-way' }, { qb: 'WebAddr.URI', app: '', direction: 'two-way' }, { qb: 'Balance', app: 'balance', direction: 'two-way' }];
    expect(checkChart(bad, APP_FIELDS)).toEqual([
      expect.stringMatching(/Notes is mapped to "remarks", which the app's site profile does not have/),
      expect.stringMatching(/Website has a direction but no app field/),
      expect.stringMatching(/Balance is kept by QuickBooks alone/),
    ]);
  });
});

describe('values and the conflict rule', () => {
  const rows: MapRow[] = [
    { qb: 'PrimaryPhone.FreeFormNumber', app: 'phone', direction: 'two-way' },
    { qb: 'PrimaryEmailAddr.Address', app: 'email', direction: 'two-way' },
    { qb: 'SalesTermRef', app: 'terms', direction: 'qb' },
    { qb: 'CompanyName', app: 'company', direction: 'app' },
  ];
  const T = { app: 1_000_000, qb: 1_000_000 };

  it('compares phones by their digits and emails in lower case: the CRM\'s own format is no change', () => {
    expect(norm('PrimaryPhone.FreeFormNumber', '(415) 555-0100')).toBe(norm('PrimaryPhone.FreeFormNumber', '+1 415.555.0100'));
    expect(norm('PrimaryEmailAddr.Address', ' AP@Acme.example ')).toBe('ap@acme.example');
    expect(norm('Balance', '12.5')).toBe('12.50');
    expect(formatPhone('415.555.0100')).toBe('(415) 555-0100');
    const { writes, agreed } = decide(rows, { 'PrimaryPhone.FreeFormNumber': '(415) 555-0100' }, { 'PrimaryPhone.FreeFormNumber': '415-555-0100' }, { values: {}, pending: {} }, T);
    expect(writes).toEqual([]);
    expect(agreed['PrimaryPhone.FreeFormNumber']).toBe('4155550100');
  });

  it('sends a change made on one side to the other, and leaves a field whose write is on its way', () => {
    const mem = { values: { 'PrimaryPhone.FreeFormNumber': '4155550100', 'PrimaryEmailAddr.Address': 'a@x.example' }, pending: {} };
    const qbChanged = decide(rows, { 'PrimaryPhone.FreeFormNumber': '(415) 555-0100', 'PrimaryEmailAddr.Address': 'a@x.example' }, { 'PrimaryPhone.FreeFormNumber': '415-555-0199', 'PrimaryEmailAddr.Address': 'a@x.example' }, mem, { app: T.app + 60_000, qb: T.qb });
    // QuickBooks changed the phone (the app's later time is another field's change): QuickBooks' phone goes to the app.
    expect(qbChanged.writes).toEqual([{ field: 'PrimaryPhone.FreeFormNumber', app: 'phone', to: 'app', value: '415-555-0199', agreed: '4155550199' }]);
    const appChanged = decide(rows, { 'PrimaryPhone.FreeFormNumber': '(415) 555-0100', 'PrimaryEmailAddr.Address': 'b@x.example' }, { 'PrimaryPhone.FreeFormNumber': '415-555-0100', 'PrimaryEmailAddr.Address': 'a@x.example' }, mem, T);
    expect(appChanged.writes.map((w) => [w.field, w.to, w.value])).toEqual([['PrimaryEmailAddr.Address', 'qb', 'b@x.example']]);
    const waiting = decide(rows, { 'PrimaryEmailAddr.Address': 'b@x.example' }, { 'PrimaryEmailAddr.Address': 'a@x.example' }, { ...mem, pending: { 'PrimaryEmailAddr.Address': { value: 'b@x.example', entryId: 'e1' } } }, T);
    expect(waiting.writes).toEqual([]);
  });

  it('gives a field changed on both sides to the later change, QuickBooks a tie; one-way fields go their way', () => {
    const mem = { values: { 'PrimaryEmailAddr.Address': 'a@x.example', SalesTermRef: 'Net 30', CompanyName: 'Acme' }, pending: {} };
    const app = { 'PrimaryEmailAddr.Address': 'app@x.example', SalesTermRef: 'Net 15', CompanyName: 'Acme Inc' };
    const qb = { 'PrimaryEmailAddr.Address': 'qb@x.example', SalesTermRef: 'Net 60', CompanyName: 'Acme LLC' };
    const later = (t: { app: number; qb: number }) => decide(rows, app, qb, mem, t).writes.map((w) => [w.field, w.to]);
    expect(later({ app: T.app + TIE_MS + 1, qb: T.qb })).toEqual([['PrimaryEmailAddr.Address', 'qb'], ['SalesTermRef', 'app'], ['CompanyName', 'qb']]);
    expect(later({ app: T.app, qb: T.qb + 5_000 })).toEqual([['PrimaryEmailAddr.Address', 'app'], ['SalesTermRef', 'app'], ['CompanyName', 'qb']]);
    // Within the tie window: QuickBooks'.
    expect(later({ app: T.app + TIE_MS, qb: T.qb })[0]).toEqual(['PrimaryEmailAddr.Address', 'app']);
  });

  it('sets each side\'s clock against this computer\'s before comparing: a QuickBooks clock minutes ahead does not win', () => {
    const mem = { values: { 'PrimaryEmailAddr.Address': 'a@x.example' }, pending: {} };
    const both = { app: { 'PrimaryEmailAddr.Address': 'app@x.example' }, qb: { 'PrimaryEmailAddr.Address': 'qb@x.example' } };
    // QuickBooks' change stamped 4 minutes later on its clock, which runs 5 minutes ahead: the app's (1 minute later in truth) wins.
    const qbClock = 5 * 60_000;
    const times = { app: T.app + 60_000, qb: T.qb + 4 * 60_000 - qbClock };
    expect(decide(rows, both.app, both.qb, mem, times).writes.map((w) => w.to)).toEqual(['qb']);
    expect(decide(rows, both.app, both.qb, mem, { app: T.app + 60_000, qb: T.qb + 4 * 60_000 }).writes.map((w) => w.to)).toEqual(['app']);
  });

  it('never lets QuickBooks\' display name be renamed by a first sync or by the app\'s other changes; the app\'s own renaming goes', () => {
    const dn: MapRow[] = [{ qb: 'DisplayName', app: 'displayName', direction: 'two-way' }, { qb: 'PrimaryPhone.FreeFormNumber', app: 'phone', direction: 'two-way' }];
    const first = decide(dn, { DisplayName: 'Acme Corp', 'PrimaryPhone.FreeFormNumber': '1' }, { DisplayName: 'Acme Corporation', 'PrimaryPhone.FreeFormNumber': '1' }, undefined, { app: T.app + 60_000, qb: T.qb });
    expect(first.writes).toEqual([]);
    const mem = { values: first.agreed, pending: {} };
    expect(decide(dn, { DisplayName: 'Acme Corp', 'PrimaryPhone.FreeFormNumber': '2' }, { DisplayName: 'Acme Corporation', 'PrimaryPhone.FreeFormNumber': '1' }, mem, { app: T.app + 90_000, qb: T.qb }).writes.map((w) => w.field)).toEqual(['PrimaryPhone.FreeFormNumber']);
    expect(decide(dn, { DisplayName: 'Acme Holdings', 'PrimaryPhone.FreeFormNumber': '1' }, { DisplayName: 'Acme Corporation', 'PrimaryPhone.FreeFormNumber': '1' }, mem, T).writes.map((w) => [w.field, w.value])).toEqual([['DisplayName', 'Acme Holdings']]);
  });

  it('lets a blank wipe out nothing on a first sync of a two-way field, and one-way fields go their way even blank', () => {
    const r: MapRow[] = [{ qb: 'Mobile.FreeFormNumber', app: 'mobile', direction: 'two-way' }, { qb: 'SalesTermRef', app: 'terms', direction: 'qb' }];
    const { writes } = decide(r, { 'Mobile.FreeFormNumber': '(415) 555-0100', SalesTermRef: 'Net 7' }, { 'Mobile.FreeFormNumber': '', SalesTermRef: '' }, undefined, { app: T.app, qb: T.qb + 60_000 });
    expect(writes.map((w) => [w.field, w.to, w.value])).toEqual([['Mobile.FreeFormNumber', 'qb', '(415) 555-0100'], ['SalesTermRef', 'app', '']]);
  });

  it('writes an address whole on both sides, and references by id', () => {
    const d = [{ field: 'BillAddr.City' as const, app: 'city', to: 'qb' as const, value: 'Oakland', agreed: 'Oakland' }, { field: 'SalesTermRef' as const, app: 'terms', to: 'qb' as const, value: 'Net 15', agreed: 'Net 15' }];
    const patch = qbPatch(d, { Term: new Map([['net 15', '2']]), PaymentMethod: new Map() });
    expect(patch).toEqual({ BillAddr: { $merge: { City: 'Oakland' } }, SalesTermRef: { value: '2' } });
    // Merged into QuickBooks' address as it is when sent: a street changed there meanwhile stays.
    expect(mergeParts(patch, { BillAddr: { Id: '9', Line1: '9 New St', City: 'SF', PostalCode: '94110' } })).toEqual({ BillAddr: { Line1: '9 New St', City: 'Oakland', PostalCode: '94110' }, SalesTermRef: { value: '2' } });
    expect(() => qbPatch([{ ...d[1], value: 'Net 7' }], { Term: new Map(), PaymentMethod: new Map() })).toThrow(/QuickBooks has no terms named "Net 7"/);
    expect(appPatch([{ field: 'BillAddr.City', app: 'city', to: 'app', value: 'Oakland', agreed: 'Oakland' }], { street: '1 Main St', city: 'SF', state: 'CA', zip: '94110', country: 'US' }, new Set())).toEqual({
      city: 'Oakland', street: '1 Main St', state: 'CA', zip: '94110', country: 'US',
    });
    expect(appValue({ company: '', firstName: 'Maria', lastName: 'Lopez' }, 'displayName')).toBe('Maria Lopez');
  });
});

/** The n-th contact whose company is an active QuickBooks customer's name, linked with it (as the Customers tab would). */
async function linked(n: number): Promise<{ record: HostRecord; qb: Rec }> {
  const records = (await hostRecordsOfKind(REALM, app, 'customer')).sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
  const pairs = records
    .map((record) => ({ record, qb: live('Customer').find((c) => c.Active !== false && record.fields.company && c.DisplayName === record.fields.company)! }))
    .filter((p) => p.qb);
  const { record, qb } = pairs[n];
  await link(REALM, app, 'customer', record.hostId, { entity: 'Customer', id: String(qb.Id) }, 'user');
  return { record, qb };
}

/** What the CRM says after a write the product sent (the app's writes wait for its page here): its record as the CRM stores it. */
async function appEcho(hostId: string, fields: Record<string, string>, updatedAt: string) {
  const r = (await hostRecord(REALM, app, 'customer', hostId))!;
  await takeRecords(REALM, { profile, origin: app.origin }, 'customer', [{ hostId, fields: { ...r.fields, ...fields, updatedAt }, lines: undefined }]);
}

/** Lands the app's writes waiting in the outbox, as the CRM would take them (phones in its own format). */
async function landAppWrites() {
  for (const e of await db.outbox.where('state').equals('pending').toArray()) {
    if (e.target !== 'rolodeck-crm') continue;
    const fields = Object.fromEntries(Object.entries((e.intent as Rec).fields ?? {}).map(([k, v]) => [k, k === 'phone' || k === 'mobile' ? formatPhone(String(v)) : String(v ?? '')]));
    await appEcho(e.host!.hostId, fields, new Date().toISOString());
    await db.outbox.update(e.id, { state: 'done' });
  }
}

describe('the sync against QuickBooks', () => {
  const on = () => saveCustomerSync(REALM, app, APP_FIELDS, { on: true });
  const run = () => runCustomerSync(ctx());
  /** The n-th linked pair with the sync on, brought in line by its first sync, everything landed. */
  const inStep = async (n: number) => {
    const pair = await linked(n);
    await on();
    await run();
    await syncPairs(ctx(), [{ hostId: pair.record.hostId, qbId: String(pair.qb.Id) }]);
    await landAppWrites();
    await pushAll();
    await pullNow();
    await run();
    return pair;
  };

  it('carries a phone changed in QuickBooks to the contact, and an email changed in the CRM to QuickBooks, once each, with no echo', async () => {
    const { record, qb } = await linked(0);
    await on();
    await run(); // the watch starts
    // QuickBooks: a new phone.
    company().update('Customer', { Id: qb.Id, SyncToken: live('Customer').find((c) => c.Id === qb.Id)!.SyncToken, PrimaryPhone: { FreeFormNumber: '415-555-0199' } }, true);
    await pullNow();
    // The contact's first sync: QuickBooks' later change brings every field they differ on in line (a blank wiping nothing out).
    const toApp = (await run()).filter((e) => e.target === 'rolodeck-crm');
    expect(toApp.map((e) => [e.target, e.operation])).toEqual([['rolodeck-crm', 'update']]);
    const first = (toApp[0].intent as Rec).fields as Rec;
    expect(first.phone).toBe('415-555-0199');
    expect(Object.values(first).filter((v) => v === null || v === '')).toEqual([]);
    // The CRM stores it its way; that echo is no change.
    await landAppWrites();
    expect(await run()).toEqual([]);
    await pushAll(); // what the first sync sent QuickBooks' way (its blanks the contact fills)
    await pullNow();
    expect(await run()).toEqual([]);
    // The CRM: a new email.
    await appEcho(record.hostId, { email: 'billing@bayside.example' }, new Date(Date.now() + 1000).toISOString());
    const toQb = await run();
    expect(toQb.map((e) => [e.target, e.entity, e.intent])).toEqual([['qbo', 'Customer', { PrimaryEmailAddr: { Address: 'billing@bayside.example' } }]]);
    await pushAll();
    expect(live('Customer').find((c) => c.Id === qb.Id)!.PrimaryEmailAddr.Address).toBe('billing@bayside.example');
    // QuickBooks' answer to the write is its own change: no write back.
    await pullNow();
    expect(await run()).toEqual([]);
    const history = (await historyOf(REALM, app, record.hostId)).map((h) => [h.field, h.to]);
    expect(history[0]).toEqual(['Email', 'QuickBooks']);
    expect(history).toContainEqual(['Phone', 'app']);
    expect(history.filter(([f]) => f === 'Email')).toHaveLength(1);
  });

  it('twenty changes back and forth are twenty writes; a field QuickBooks wins is never written to QuickBooks', async () => {
    const { record, qb } = await inStep(1);
    let writes = 0;
    for (let i = 0; i < 20; i++) {
      const phone = `415-555-${String(1000 + i)}`;
      if (i % 2 === 0) {
        const cur = live('Customer').find((c) => c.Id === qb.Id)!;
        company().update('Customer', { Id: qb.Id, SyncToken: cur.SyncToken, PrimaryPhone: { FreeFormNumber: phone } }, true);
        await pullNow();
      } else await appEcho(record.hostId, { phone: formatPhone(phone) }, new Date(Date.now() + i * 1000).toISOString());
      const made = await run();
      expect(made.map((e) => e.target), `change ${i}`).toEqual([i % 2 === 0 ? 'rolodeck-crm' : 'qbo']);
      writes += made.length;
      await landAppWrites();
      await pushAll();
      await pullNow();
      expect(await run()).toEqual([]);
    }
    expect(writes).toBe(20);
    // Terms changed in the CRM: QuickBooks wins, so the CRM gets QuickBooks' terms back and QuickBooks is not written.
    await appEcho(record.hostId, { terms: 'Net 7' }, new Date(Date.now() + 60_000).toISOString());
    const made = await run();
    expect(made.every((e) => e.target === 'rolodeck-crm')).toBe(true);
    expect(made.map((e) => Object.keys((e.intent as Rec).fields))).toEqual([['terms']]);
  });

  it('keeps both changes when QuickBooks changed another field after the CRM\'s change was enqueued (stale SyncToken)', async () => {
    const { record, qb } = await inStep(3);
    await appEcho(record.hostId, { email: 'ops@changed.example' }, new Date(Date.now() + 5_000).toISOString());
    const [entry] = await run();
    expect(entry.intent).toEqual({ PrimaryEmailAddr: { Address: 'ops@changed.example' } });
    // Someone saves the phone in QuickBooks between the push's read and its write: QuickBooks answers 5010.
    let first = true;
    const { client } = await sandboxClient(sandbox(), {
      fetch: async (url, init) => {
        if (first && String(init?.method) === 'POST' && String(url).includes('/customer?')) {
          first = false;
          company().update('Customer', { Id: String(qb.Id), SyncToken: company().get('Customer', String(qb.Id))!.SyncToken, PrimaryPhone: { FreeFormNumber: '(707) 555-0142' } }, true);
        }
        return fetch(url, init);
      },
    });
    await push(client, { appName: () => appName });
    expect(first).toBe(false);
    expect((await db.outbox.get(entry.id))!.state).toBe('done');
    const after = live('Customer').find((c) => c.Id === qb.Id)!;
    expect([after.PrimaryEmailAddr.Address, after.PrimaryPhone.FreeFormNumber]).toEqual(['ops@changed.example', '(707) 555-0142']);
    // And QuickBooks' phone then reaches the contact.
    await pullNow();
    expect((await run()).map((e) => [e.target, (e.intent as Rec).fields])).toEqual([['rolodeck-crm', { phone: '(707) 555-0142' }]]);
  });

  it('does not sync a contact never changed on either side, and makes new records on the other side once', async () => {
    const { record } = await linked(2);
    await on();
    await run();
    await pullNow();
    expect(await run()).toEqual([]);
    expect(await db.fieldSync.get([REALM, app.profileId, app.origin, record.hostId])).toBeUndefined();
    // The link's QuickBooks id, written into the contact by the extension (the app turned on), comes back: still no change of the contact.
    await writeSetting(SETTINGS.enabledProfiles, [profile.id]);
    await appEcho(record.hostId, { quickbooksId: String((await db.links.get([REALM, app.profileId, app.origin, 'customer', record.hostId]))!.qbId) }, new Date().toISOString());
    expect((await db.hostEvents.toArray()).filter((e) => e.hostId === record.hostId).map((e) => e.fields)).toEqual([['quickbooksId']]);
    expect(await run()).toEqual([]);
    expect(await db.fieldSync.get([REALM, app.profileId, app.origin, record.hostId])).toBeUndefined();
    // A new QuickBooks customer: a new CRM contact; a new CRM customer contact: a new QuickBooks customer.
    const made = company().create('Customer', { DisplayName: 'Tidewater Kayak Tours', CompanyName: 'Tidewater Kayak Tours', PrimaryEmailAddr: { Address: 'hello@tidewater.example' } });
    await pullNow();
    await takeRecords(REALM, { profile, origin: app.origin }, 'customer', [{ hostId: '2999', fields: { hostId: '2999', company: 'Saltwater Surf School', firstName: 'Kai', lastName: 'Nakamura', email: 'kai@saltwater.example', phone: '(415) 555-0177', stage: 'Customer', updatedAt: new Date().toISOString() } }]);
    const entries = await run();
    expect(entries.filter((e) => e.operation === 'create').map((e) => [e.target, e.entity]).sort()).toEqual([['qbo', 'Customer'], ['rolodeck-crm', 'customer']]);
    expect((entries.find((e) => e.target === 'rolodeck-crm' && e.operation === 'create')!.intent as Rec).fields).toMatchObject({ company: 'Tidewater Kayak Tours', email: 'hello@tidewater.example', stage: 'Customer', quickbooksId: String(made.Id) });
    expect(entries.find((e) => e.target === 'qbo')!.intent).toMatchObject({ DisplayName: 'Saltwater Surf School', GivenName: 'Kai', FamilyName: 'Nakamura', PrimaryEmailAddr: { Address: 'kai@saltwater.example' } });
    expect(await run()).toEqual([]);
  });

  it('Sync all now links the confident suggestions and creates each missing customer once', async () => {
    await on();
    const r = await syncAll({ ...ctx(), origin: { kind: 'user', name: 'Sync all now' } });
    const creates = (es: typeof r.entries) => es.filter((e) => e.operation === 'create');
    expect(creates(r.entries).length).toBeGreaterThan(0);
    // Landed (QuickBooks' creates pushed, the app's taken as made), then asked again: nothing more is made.
    const customers = live('Customer').length;
    await pushAll();
    await pullNow();
    expect(live('Customer').length).toBe(customers + creates(r.entries).filter((e) => e.target === 'qbo').length);
    const again = await syncAll({ ...ctx(), origin: { kind: 'user', name: 'Sync all now' } });
    // No record is made twice: no second create for a contact or a QuickBooks customer the first run made one for.
    const subject = (e: (typeof r.entries)[number]) => (e.target === 'qbo' ? `qb-from ${e.host?.hostId}` : `app-from ${e.qbId}`);
    const firstSubjects = new Set(creates(r.entries).map(subject));
    expect(creates(again.entries).filter((e) => firstSubjects.has(subject(e)) && !creates(r.entries).some((x) => x.id === e.id))).toEqual([]);
    const linkedCount = (await db.links.toArray()).filter((l) => l.kind === 'customer' && l.state === 'linked').length;
    expect(linkedCount).toBeGreaterThan(30);
  });
});
