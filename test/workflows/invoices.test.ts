// The portal's invoices workflow: its mappers on every seeded invoice (amounts that add up, months
// split at month ends in the company's time zone, each date choice, one summed line with the
// template's text, custom fields by Preferences' names, payments applied oldest month first), then
// against the sandbox through the outbox: a partly paid invoice lands with its payment applied and
// the right balance due, a missing email sends nothing, 30 invoices create each missing client
// once, deleting in the app deletes in QuickBooks, deleted in QuickBooks shows and unlinks, and
// the automations (auto-create on and off, deletes).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { db, type HostRecord } from '../../lib/db';
import { deleteHostRecords, hostRecord as storedRecord, putHostRecords } from '../../lib/hosts/store';
import { takeRecords } from '../../lib/hosts/worker/apps';
import { link } from '../../lib/links';
import { automationCursor } from '../../lib/workflows';
import {
  checkInvoiceSettings, dayIn, deleteInQuickBooks, invoicePaymentsToQbo, invoiceRows, invoiceToQbo, InvoiceSettings, monthEnd, paymentsOf, runInvoiceAutomations,
  saveInvoiceSettings, syncInvoices, unlinkInvoice,
} from '../../lib/workflows/invoices';
import { money } from '../../lib/workflows';
import { seedPortal } from '../../sandbox/hosts/portal';
import { useWorkflowApp } from './harness';

const { REALM, profile, app, appName, company, live, idOf, appRecords, prefs, pullNow, pushAll } = useWorkflowApp(
  'ledgerly', 'http://portal.localhost', 'Ledgerly',
  () => {
    const s = seedPortal();
    return { customer: s.clients, vendor: s.vendors, invoice: s.invoices };
  },
  ['customer', 'invoice'],
);
type Rec = Record<string, any>;
const user = { kind: 'user' as const, name: 'Test' };
const LA = 'America/Los_Angeles';
const readCompany = async () => ({ DefaultTimeZone: LA });
const ctx = () => ({ realmId: REALM, app, appName, origin: user, readPrefs: prefs, readCompany });
const hostRecord = async (kind: string, hostId: string) => (await storedRecord(REALM, app, kind, hostId)) as HostRecord;
const base = { appName, timeZone: LA, now: Date.parse('2026-11-30T18:00:00Z'), customFields: [{ id: '1', name: 'Campaign' }], homeCurrency: 'USD', multiCurrency: false };

/** An invoice of the portal as its API answers it, with the transactions given. */
const invoice = (lines: { date: string; amount: string; description?: string }[], extra: Record<string, string> = {}) => ({
  hostId: '9001',
  fields: { number: '7-BIZ1-3', customerId: '1001', party: 'Buyer1 Media Inc', email: 'ap@buyer1.example', date: '2026-11-02T16:00:00.000Z', periodStart: '2026-10-20', periodEnd: '2026-11-12', dueDate: '2026-12-12', customFields: '{"CampaignId":"CMP-4411","PONumber":"PO-7"}', ...extra },
  lines: lines.map((l) => ({ description: 'Meta ads', ...l })),
});

describe('days and months', () => {
  it('reads a time as the day it was in the company, and a bare day as itself', () => {
    expect(dayIn('2026-11-01T03:00:00Z', LA)).toBe('2026-10-31');
    expect(dayIn('2026-11-01T03:00:00Z', 'UTC')).toBe('2026-11-01');
    expect(dayIn('2026-11-01T09:00:00+09:00', LA)).toBe('2026-10-31');
    expect(dayIn('2026-11-01', 'Asia/Tokyo')).toBe('2026-11-01');
    expect(dayIn('next week', LA)).toBeUndefined();
    expect([monthEnd('2024-02'), monthEnd('2026-02'), monthEnd('2026-12'), monthEnd('2026-04')]).toEqual(['2024-02-29', '2026-02-28', '2026-12-31', '2026-04-30']);
  });
});

describe('mappers', () => {
  const S = (v: Partial<InvoiceSettings> = {}) => InvoiceSettings.parse({ itemId: '5', ...v });

  it('makes one invoice with a line per transaction, its email, number, dates and the client as linked when sent', () => {
    const [part] = invoiceToQbo(invoice([{ date: '2026-10-31', amount: '100' }, { date: '2026-11-01', amount: '250.5' }]), S(), base);
    expect(part.key).toBe('9001');
    expect(part.body).toEqual({
      CustomerRef: { $link: 'customer/1001' }, TxnDate: '2026-11-12', DueDate: '2026-12-12', DocNumber: '7-BIZ1-3', BillEmail: { Address: 'ap@buyer1.example' },
      Line: [
        { Amount: 100, Description: 'Meta ads', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 1, UnitPrice: 100, ServiceDate: '2026-10-31' } },
        { Amount: 250.5, Description: 'Meta ads', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 1, UnitPrice: 250.5, ServiceDate: '2026-11-01' } },
      ],
    });
  });

  it('splits by month at month ends, in the company\'s time zone, each month dated the end of what it covers', () => {
    // 03:30 UTC on November 1st is still October 31st in Los Angeles.
    const inv = invoice([{ date: '2026-10-31', amount: '100' }, { date: '2026-11-01T03:30:00Z', amount: '40' }, { date: '2026-11-01', amount: '60' }, { date: '2026-11-12', amount: '1.25' }]);
    const parts = invoiceToQbo(inv, S({ split: true }), base);
    expect(parts.map((p) => [p.key, p.body.TxnDate, p.body.DocNumber, p.amount])).toEqual([
      ['9001@2026-10', '2026-10-31', '7-BIZ1-3-1', 140],
      ['9001@2026-11', '2026-11-12', '7-BIZ1-3-2', 61.25],
    ]);
    expect((parts[0].body.Line as Rec[]).map((l) => l.SalesItemLineDetail.ServiceDate)).toEqual(['2026-10-31', '2026-10-31']);
    // In Tokyo the same moment is November 1st.
    expect(invoiceToQbo(inv, S({ split: true }), { ...base, timeZone: 'Asia/Tokyo' }).map((p) => p.amount)).toEqual([100, 101.25]);
    // One month only: one invoice under the invoice's own key and number.
    expect(invoiceToQbo(invoice([{ date: '2026-11-03', amount: '5' }]), S({ split: true }), base).map((p) => [p.key, p.body.DocNumber])).toEqual([['9001', '7-BIZ1-3']]);
  });

  it('sums each month into one line with the template\'s text when One Transaction Invoice is on', () => {
    const inv = invoice([{ date: '2026-10-30', amount: '100' }, { date: '2026-10-31', amount: '20' }, { date: '2026-11-02', amount: '7' }]);
    const one = invoiceToQbo(inv, S({ oneTransaction: true }), base);
    expect(one).toHaveLength(1);
    expect(one[0].body.Line).toEqual([
      { Amount: 127, Description: 'Invoice: 7-BIZ1-3 / Nov 12, 2026 / Buyer1 Media Inc', DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 1, UnitPrice: 127, ServiceDate: '2026-11-02' } },
    ]);
    const months = invoiceToQbo(inv, S({ oneTransaction: true, split: true, description: '{client} {month}' }), base);
    expect(months.map((p) => (p.body.Line as Rec[]).map((l) => [l.Amount, l.Description]))).toEqual([[[120, 'Buyer1 Media Inc 2026-10']], [[7, 'Buyer1 Media Inc 2026-11']]]);
  });

  it('dates the invoice as the settings say: the period\'s end, its creation in the company\'s day, or the day of sync', () => {
    const inv = invoice([{ date: '2026-11-02', amount: '10' }], { date: '2026-11-03T05:00:00Z' });
    expect(invoiceToQbo(inv, S({ invoiceDate: 'dateTo' }), base)[0].body.TxnDate).toBe('2026-11-12');
    expect(invoiceToQbo(inv, S({ invoiceDate: 'created' }), base)[0].body.TxnDate).toBe('2026-11-02');
    expect(invoiceToQbo(inv, S({ invoiceDate: 'sync' }), { ...base, now: Date.parse('2026-12-01T06:00:00Z') })[0].body.TxnDate).toBe('2026-11-30');
  });

  it('carries custom fields under Preferences\' names only when Sync Custom Fields is on', () => {
    const inv = invoice([{ date: '2026-11-02', amount: '10' }]);
    expect(invoiceToQbo(inv, S({ customFields: true, customFieldNames: { CampaignId: 'Campaign' } }), base)[0].body.CustomField).toEqual([{ DefinitionId: '1', Name: 'Campaign', Type: 'StringType', StringValue: 'CMP-4411' }]);
    expect(invoiceToQbo(inv, S({ customFields: false, customFieldNames: { CampaignId: 'Campaign' } }), base)[0].body.CustomField).toBeUndefined();
    expect(() => invoiceToQbo(inv, S({ customFields: true, customFieldNames: { CampaignId: 'Crew #' } }), base)).toThrow(/"Crew #" is not a custom field turned on in QuickBooks/);
  });

  it('refuses an invoice whose client has no email in the seed\'s words, and other gaps saying what to do', () => {
    expect(() => invoiceToQbo(invoice([{ date: '2026-11-02', amount: '10' }], { email: '' }), S(), base)).toThrow(/no email\. The customer email field must be filled in to enable invoice synchronization/);
    expect(() => invoiceToQbo(invoice([{ date: '2026-11-02', amount: 'ten' }]), S(), base)).toThrow(/"ten" is not an amount/);
    expect(() => invoiceToQbo(invoice([{ date: '2026-11-02', amount: '10' }], { number: 'N'.repeat(20) }), S({ split: false }), base)).not.toThrow();
    expect(() => invoiceToQbo(invoice([{ date: '2026-10-02', amount: '1' }, { date: '2026-11-02', amount: '10' }], { number: 'N'.repeat(20) }), S({ split: true }), base)).toThrow(/with the month part .* longer than the 21 characters/);
  });

  it('applies payments oldest month first, with each payment system\'s account and method, else the default', () => {
    const inv = invoice([{ date: '2026-10-31', amount: '100' }, { date: '2026-11-01', amount: '50' }], {
      payments: JSON.stringify([{ id: 2, date: '2026-11-20', amount: 70, payment_system: 'check', broker_id: null }, { id: 1, date: '2026-11-15', amount: 60, payment_system: 'stripe', broker_id: 'br_417' }]),
    });
    const parts = invoiceToQbo(inv, S({ split: true }), base);
    const s = S({ split: true, paymentMethods: { stripe: { accountId: '35', methodId: '4' } }, defaultPayment: { accountId: '36', methodId: '' } });
    const payments = invoicePaymentsToQbo(inv, parts, s, { appName, timeZone: LA, txnId: (k) => `qb-${k}` });
    expect(payments).toEqual([
      { key: '9001.1', body: { CustomerRef: { $link: 'customer/1001' }, TotalAmt: 60, TxnDate: '2026-11-15', PaymentRefNum: 'br_417', PaymentMethodRef: { value: '4' }, DepositToAccountRef: { value: '35' }, Line: [{ Amount: 60, LinkedTxn: [{ TxnId: 'qb-9001@2026-10', TxnType: 'Invoice' }] }] } },
      { key: '9001.2', body: { CustomerRef: { $link: 'customer/1001' }, TotalAmt: 70, TxnDate: '2026-11-20', DepositToAccountRef: { value: '36' }, Line: [{ Amount: 40, LinkedTxn: [{ TxnId: 'qb-9001@2026-10', TxnType: 'Invoice' }] }, { Amount: 30, LinkedTxn: [{ TxnId: 'qb-9001@2026-11', TxnType: 'Invoice' }] }] } },
    ]);
    const over = { ...inv, fields: { ...inv.fields, payments: JSON.stringify([{ id: 3, date: '2026-11-20', amount: 151, payment_system: 'check' }]) } };
    expect(() => invoicePaymentsToQbo(over, parts, s, { appName, timeZone: LA, txnId: String })).toThrow(/more than the invoice's amount/);
    // A payment dated before one QuickBooks already has goes to what is still due (November), not to October again.
    const backdated = { ...inv, fields: { ...inv.fields, payments: JSON.stringify([{ id: 1, date: '2026-11-20', amount: 100, payment_system: 'check' }, { id: 2, date: '2026-11-10', amount: 50, payment_system: 'check' }]) } };
    expect(invoicePaymentsToQbo(backdated, parts, s, { appName, timeZone: LA, txnId: (k) => k, sent: new Set(['9001.1']), taken: new Map([['9001@2026-10', 10000]]) }).map((p) => p.body.Line)).toEqual([
      [{ Amount: 50, LinkedTxn: [{ TxnId: '9001@2026-11', TxnType: 'Invoice' }] }],
    ]);
    // Payments that cannot be read refuse the invoice, saying why.
    expect(() => invoicePaymentsToQbo({ ...inv, fields: { ...inv.fields, paid: '70', payments: undefined as unknown as string } }, parts, s, { appName, timeZone: LA, txnId: String })).toThrow(/says 70 is paid, but its payments could not be read/);
    expect(() => invoicePaymentsToQbo({ ...inv, fields: { ...inv.fields, payments: JSON.stringify([{ date: '2026-11-20', amount: 70 }]) } }, parts, s, { appName, timeZone: LA, txnId: String })).toThrow(/has no id, date or amount/);
  });

  it('refuses an invoice in a currency the company does not keep, and names the currency where it does', () => {
    const eur = invoice([{ date: '2026-11-02', amount: '10' }], { currency: 'EUR' });
    expect(() => invoiceToQbo(eur, S(), base)).toThrow(/is in EUR, and this QuickBooks company keeps its books in USD only: turn on Multicurrency/);
    expect(invoiceToQbo(eur, S(), { ...base, multiCurrency: true })[0].body.CurrencyRef).toEqual({ value: 'EUR' });
    expect(invoiceToQbo(invoice([{ date: '2026-11-02', amount: '10' }], { currency: 'USD' }), S(), base)[0].body.CurrencyRef).toBeUndefined();
  });

  it('maps every invoice the portal holds: months and payments add up to the invoice, or it is refused for its email', () => {
    let mapped = 0;
    let refused = 0;
    for (const rec of appRecords('invoice')) {
      for (const split of [false, true]) {
        let parts;
        try {
          parts = invoiceToQbo(rec, S({ split }), base);
        } catch (e) {
          expect((e as Error).message).toMatch(/has no email/);
          expect(rec.fields.email ?? '').toBe('');
          refused++;
          continue;
        }
        expect(Math.round(parts.reduce((t, p) => t + p.amount, 0) * 100) / 100).toBe(money(rec.fields.amount));
        // Split: each QuickBooks invoice holds one month; not split: one holds them all.
        if (split) for (const p of parts) expect(new Set((p.body.Line as Rec[]).map((l) => l.SalesItemLineDetail.ServiceDate.slice(0, 7))).size).toBe(1);
        else expect(parts).toHaveLength(1);
        const payments = invoicePaymentsToQbo(rec, parts, S({ split }), { appName, timeZone: LA, txnId: String });
        expect(Math.round(payments.reduce((t, p) => t + (p.body.TotalAmt as number), 0) * 100) / 100).toBe(money(rec.fields.paid));
        mapped++;
      }
    }
    expect(mapped).toBeGreaterThan(80);
    expect(refused).toBeGreaterThan(0);
    // Some seeded invoices span two months.
    expect(appRecords('invoice').filter((r) => r.fields.email).some((r) => invoiceToQbo(r, S({ split: true }), base).length > 1)).toBe(true);
  });
});

/** Links the portal's client to the QuickBooks customer of the same email or name (as the Customers tab would). */
async function matchClient(hostId: string) {
  const c = await hostRecord('customer', hostId);
  const qb = live('Customer').find((r) => r.DisplayName.toLowerCase() === c.fields.name.toLowerCase()) ?? live('Customer').find((r) => r.PrimaryEmailAddr?.Address?.toLowerCase() === String(c.fields.email ?? '').toLowerCase());
  if (!qb) throw new Error(`no QuickBooks customer for ${c.fields.name}`);
  await link(REALM, app, 'customer', hostId, { entity: 'Customer', id: String(qb.Id) }, 'user');
  return String(qb.Id);
}

async function settings(v: Record<string, unknown> = {}) {
  return saveInvoiceSettings(REALM, app, { itemId: idOf('Item', live('Item').find((i) => i.Type === 'Service')!.Name), ...v }, await prefs());
}

describe('invoices to QuickBooks', () => {
  it('refuses settings that name what QuickBooks does not have, or an account payments cannot go to', async () => {
    const expense = idOf('Account', live('Account').find((a) => a.AccountType === 'Expense')!.Name);
    const p = await prefs();
    expect(await checkInvoiceSettings(REALM, InvoiceSettings.parse({}), p)).toEqual(['Choose the Service/Product item invoice lines use.']);
    const problems = await checkInvoiceSettings(REALM, InvoiceSettings.parse({ itemId: '9999', description: 'Inv {number}', customFieldNames: { CampaignId: 'Crew #' }, defaultPayment: { accountId: expense, methodId: '9999' } }), p);
    expect(problems.join('\n')).toMatch(/item 9999 is not an active item/);
    expect(problems.join('\n')).toMatch(/names \{number\}, which is none of/);
    expect(problems.join('\n')).toMatch(/"Crew #" \(for CampaignId\) is not a custom field turned on in QuickBooks \("Campaign"\)/);
    expect(problems.join('\n')).toMatch(/is a Expense account; payments can only go to a Bank or Other Current Asset account \(Default\)/);
    expect(problems.join('\n')).toMatch(/payment method chosen for Default payments is not an active payment method/);
    await expect(settings({ defaultPayment: { accountId: idOf('Account', 'Undeposited Funds'), methodId: idOf('PaymentMethod', 'Check') } })).resolves.toMatchObject({ defaultPayment: { methodId: idOf('PaymentMethod', 'Check') } });
  });

  it('sends a partly paid invoice as not paid, with its payment applied: QuickBooks\' balance is what is due', async () => {
    await settings({ defaultPayment: { accountId: idOf('Account', 'Checking'), methodId: idOf('PaymentMethod', 'Check') } });
    const rec = appRecords('invoice').find((r) => r.fields.status === 'partially_paid' && r.fields.email)!;
    await matchClient(rec.fields.customerId);
    const r = await syncInvoices(ctx(), [rec.hostId]);
    expect(r.refused).toEqual([]);
    expect(r.entries.filter((e) => e.target === 'qbo').map((e) => e.entity)).toEqual(['Invoice', 'Payment']);
    await pushAll();
    const [row] = (await invoiceRows(REALM, app, () => undefined)).filter((x) => x.hostId === rec.hostId);
    expect(row.sync).toBe('Synced');
    const qb = live('Invoice').find((i) => i.Id === row.qb[0].id)!;
    expect(qb.TotalAmt).toBe(money(rec.fields.amount));
    expect(qb.Balance).toBe(money(rec.fields.balance));
    expect(qb.BillEmail.Address).toBe(rec.fields.email);
    const payment = live('Payment').find((p) => p.Line?.some((l: Rec) => l.LinkedTxn?.some((t: Rec) => t.TxnId === qb.Id)))!;
    expect(payment).toMatchObject({ TotalAmt: money(rec.fields.paid), DepositToAccountRef: { value: idOf('Account', 'Checking') }, PaymentMethodRef: { value: idOf('PaymentMethod', 'Check') } });
    // Synced again: nothing new is made (the payment is not sent twice).
    const again = await syncInvoices(ctx(), [rec.hostId]);
    await pushAll();
    expect(again.entries.filter((e) => e.operation === 'create' && e.target === 'qbo')).toEqual([]);
    expect(live('Payment').filter((p) => p.Line?.some((l: Rec) => l.LinkedTxn?.some((t: Rec) => t.TxnId === qb.Id)))).toHaveLength(1);
  });

  it('refuses an invoice whose client has no email, and sends nothing, not even the client', async () => {
    await settings();
    const rec = appRecords('invoice').find((r) => !r.fields.email)!;
    const r = await syncInvoices(ctx(), [rec.hostId]);
    expect(r.entries).toEqual([]);
    expect(r.refused[0].why).toMatch(/The customer email field must be filled in to enable invoice synchronization/);
    expect(await db.outbox.count()).toBe(0);
  });

  it('syncs 30 invoices at once, creating each missing client once, split by month with their payments', async () => {
    await settings({ split: true });
    const customersBefore = live('Customer').length;
    // Clients QuickBooks has under their name are matched first (the Customers tab); the others are made.
    const clients = new Set<string>();
    const inactive = new Set<string>();
    for (const id of new Set(appRecords('invoice').map((r) => r.fields.customerId))) {
      const name = (await hostRecord('customer', id)).fields.name.toLowerCase();
      const qb = live('Customer').find((c) => c.DisplayName.toLowerCase() === name);
      if (qb) await matchClient(id);
      else clients.add(id);
      if (qb?.Active === false) inactive.add(id);
    }
    // An invoice of a client matched with an inactive customer is refused, saying what to do.
    const stale = appRecords('invoice').find((r) => r.fields.email && inactive.has(r.fields.customerId))!;
    expect((await syncInvoices(ctx(), [stale.hostId])).refused[0].why).toMatch(/matched with a QuickBooks customer that is inactive: make it active in QuickBooks, or match/);
    const ids = appRecords('invoice').filter((r) => r.fields.email && !inactive.has(r.fields.customerId)).slice(0, 30).map((r) => r.hostId);
    expect(ids).toHaveLength(30);
    for (const id of [...clients]) if (!appRecords('invoice').some((r) => ids.includes(r.hostId) && r.fields.customerId === id)) clients.delete(id);
    expect(clients.size).toBeGreaterThan(3);
    const r = await syncInvoices(ctx(), ids);
    expect(r.refused).toEqual([]);
    const customerCreates = r.entries.filter((e) => e.entity === 'Customer');
    expect(customerCreates).toHaveLength(clients.size);
    const result = await pushAll();
    const failed = await db.outbox.where('state').equals('failed').toArray();
    expect(failed.map((e) => `${e.entity} ${e.lastError?.message}`).slice(0, 3)).toEqual([]);
    expect(result.failed).toBe(0);
    expect(live('Customer').length).toBe(customersBefore + clients.size);
    const rows = (await invoiceRows(REALM, app, () => undefined)).filter((x) => ids.includes(x.hostId));
    expect(rows.every((x) => x.sync === 'Synced')).toBe(true);
    expect(rows.some((x) => x.qb.length === 2)).toBe(true);
    for (const row of rows) {
      const qb = row.qb.map((q) => live('Invoice').find((i) => i.Id === q.id)!);
      expect(Math.round(qb.reduce((t, i) => t + i.TotalAmt, 0) * 100) / 100).toBe(row.amount);
      expect(Math.round(qb.reduce((t, i) => t + i.Balance, 0) * 100) / 100).toBe(row.due);
    }
  });

  it('deletes in QuickBooks what was deleted in the app, payments first; an invoice deleted in QuickBooks shows so and unlinks', async () => {
    await settings();
    const paid = appRecords('invoice').find((r) => r.fields.status === 'paid' && r.fields.email)!;
    const open = appRecords('invoice').find((r) => r.fields.status !== 'paid' && r.fields.status !== 'partially_paid' && r.fields.email)!;
    await syncInvoices(ctx(), [paid.hostId, open.hostId]);
    await pushAll();
    const rows = await invoiceRows(REALM, app, () => undefined);
    const [paidQb, openQb] = [paid, open].map((r) => rows.find((x) => x.hostId === r.hostId)!.qb[0].id);
    // Deleted in the app (a listing of changes shows it with deleted_at): its QuickBooks invoice and payments go.
    await runInvoiceAutomations(ctx()); // the watch starts
    // (How a deletion is noticed, the app's soft-delete marker then its "not found", is tested with the executor.)
    await deleteHostRecords(REALM, app, 'invoice', [paid.hostId]);
    await db.hostEvents.add({ key: `ledgerly|${app.origin}|invoice|${paid.hostId}|deleted`, realmId: REALM, ...app, kind: 'invoice', hostId: paid.hostId, type: 'deleted', at: Date.now() });
    const made = await runInvoiceAutomations(ctx());
    expect(made.map((e) => `${e.operation} ${e.entity}`).sort()).toEqual([...paymentsOf(paid.fields).map(() => 'delete Payment'), 'delete Invoice'].sort());
    await pushAll();
    expect(live('Invoice').some((i) => i.Id === paidQb)).toBe(false);
    // Deleted in QuickBooks: the row says so; Delete unlinks it.
    const qb = live('Invoice').find((i) => i.Id === openQb)!;
    company().remove('Invoice', { Id: qb.Id, SyncToken: qb.SyncToken });
    await pullNow();
    const gone = (await invoiceRows(REALM, app, () => undefined)).find((x) => x.hostId === open.hostId)!;
    expect([gone.sync, gone.note]).toEqual(['Deleted in QuickBooks', expect.stringMatching(/View QB info > Delete unlinks it/)]);
    await unlinkInvoice(ctx(), open.hostId);
    expect((await invoiceRows(REALM, app, () => undefined)).find((x) => x.hostId === open.hostId)!.sync).toBe('Not synced');
    // Synced again, it is made again in QuickBooks, once.
    await syncInvoices(ctx(), [open.hostId]);
    await syncInvoices(ctx(), [open.hostId]);
    await pushAll();
    const again = (await invoiceRows(REALM, app, () => undefined)).find((x) => x.hostId === open.hostId)!;
    expect(again.sync).toBe('Synced');
    expect(again.qb[0].id).not.toBe(openQb);
    expect(live('Invoice').filter((i) => i.DocNumber === open.fields.number)).toHaveLength(1);
  });

  it('builds an invoice when it is sent: Re-try after a fix in the app sends what the app says then', async () => {
    await settings();
    const rec = appRecords('invoice').find((r) => r.fields.email && r.fields.status === 'not_paid')!;
    await matchClient(rec.fields.customerId);
    // QuickBooks refuses it the first time (the item went inactive after the settings were saved).
    const s = await (await import('../../lib/workflows/invoices')).readInvoiceSettings(REALM, app);
    const item = live('Item').find((i) => i.Id === s.itemId)!;
    company().update('Item', { Id: item.Id, SyncToken: item.SyncToken, Name: item.Name, Active: false }, true);
    const [entry] = (await syncInvoices(ctx(), [rec.hostId])).entries;
    await pushAll();
    expect((await db.outbox.get(entry.id))!.state).toBe('failed');
    // The invoice is corrected in the app, and the item made active again: Re-try sends the new amount.
    const inactive = live('Item').find((i) => i.Id === s.itemId)!;
    company().update('Item', { Id: inactive.Id, SyncToken: inactive.SyncToken, Name: inactive.Name, Active: true }, true);
    await pullNow();
    const stored = await hostRecord('invoice', rec.hostId);
    await putHostRecords([{ ...stored, lines: [{ date: stored.lines![0].date, description: 'Corrected', amount: '1.00' }], fields: { ...stored.fields, amount: '1.00', updatedAt: '2026-11-30T12:00:00.000Z' } }]);
    await (await import('../../lib/sync/outbox')).retry([entry.id]);
    await pushAll();
    const qb = live('Invoice').find((i) => i.DocNumber === rec.fields.number)!;
    expect(qb.TotalAmt).toBe(1);
  });

  it('auto-creates invoices made in the app for synced clients when on, and not when off', async () => {
    const rec = appRecords('invoice').find((r) => r.fields.email && r.fields.status === 'not_paid')!;
    await matchClient(rec.fields.customerId);
    const fresh = (id: string) => ({ ...rec, hostId: id, fields: { ...rec.fields, hostId: id, number: `NEW-${id}`, payments: '[]', paid: '0' } });
    for (const on of [false, true]) {
      await settings({ autoCreate: on });
      await runInvoiceAutomations(ctx()); // the watch starts (or goes on)
      const id = on ? '9901' : '9900';
      await takeRecords(REALM, { profile, origin: app.origin }, 'invoice', [fresh(id)]);
      const made = await runInvoiceAutomations(ctx());
      expect(made.filter((e) => e.entity === 'Invoice').length).toBe(on ? 1 : 0);
      // Seen once: the next run makes nothing more.
      expect(await runInvoiceAutomations(ctx())).toEqual([]);
    }
    await pushAll();
    expect(live('Invoice').filter((i) => i.DocNumber === 'NEW-9901')).toHaveLength(1);
    expect(live('Invoice').filter((i) => i.DocNumber === 'NEW-9900')).toHaveLength(0);
    expect(await automationCursor(REALM, app, 'invoices')).toBeDefined();
  });
});
