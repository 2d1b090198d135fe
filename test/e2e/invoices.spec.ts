// The portal's invoices workflow in the side panel of the built extension: Update Lists offers only
// Bank and Other Current Asset accounts for payments; each setting's effect is checked on the
// QuickBooks invoices it produces (split by month with one summed line each and the template's
// text, custom fields under Preferences' names, each Invoice Date choice in the company's time
// zone); a partly paid invoice lands with its payment applied and the right balance due; a client
// without email is refused and nothing is sent; deleting in the portal deletes in QuickBooks;
// deleted in QuickBooks shows and unlinks; 30 invoices at once create each missing client once;
// auto-create on sends an invoice made in the portal's own form once, off does not.
import type { BrowserContext, Page } from '@playwright/test';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { acceptConfident, configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, syncNow, test, turnOnProfiles } from './fixtures';

type Rec = Record<string, any>;
type Company = { table(entity: string): Map<string, { data: Rec }>; remove(entity: string, body: Rec): Rec };
const LA = 'America/Los_Angeles';
const dayInLA = (t: string | number) => new Intl.DateTimeFormat('en-CA', { timeZone: LA, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const medium = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });

// The browser is in Tokyo and the company in Los Angeles: months and days must be the company's.
test.use({ timezoneId: 'Asia/Tokyo' });

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Ledgerly (accounting portal)']);
});

const tab = (panel: Page, name: string) => panel.getByRole('tab', { name, exact: true }).click();
const row = (panel: Page, number: string) => panel.getByTestId(`invoice-${number}`);

async function openPanel(context: BrowserContext) {
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 460, height: 900 });
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Ledgerly (accounting portal)');
  return panel;
}

/** The portal's invoices page open and read through its API, the panel open, and its clients' confident suggestions accepted. */
async function portalMatched({ context, sandbox, hosts, page }: { context: BrowserContext; sandbox: { company(realm: string): unknown }; hosts: { apps: { portal: { url: string } } }; page: Page }) {
  const company = sandbox.company(DEMO_REALM) as Company;
  const live = (entity: string): Rec[] => [...company.table(entity).values()].map((r) => r.data);
  const portal = hosts.apps.portal.url;
  await page.goto(`${portal}/quickbooks/invoices`);
  await syncNow(context);
  const panel = await openPanel(context);
  await tab(panel, 'Customers');
  await acceptConfident(panel);
  return { company, live, portal, panel };
}

/** Sets the invoice settings in the panel and saves them. */
async function saveSettings(panel: Page, choose: (panel: Page) => Promise<void>) {
  await tab(panel, 'Settings');
  await choose(panel);
  await panel.getByRole('button', { name: 'Save invoice settings' }).click();
  await expect(panel.getByTestId('invoice-settings-note')).toHaveText('Settings saved.');
}

async function syncOne(panel: Page, number: string) {
  await tab(panel, 'Invoices');
  await panel.getByRole('searchbox', { name: 'Client' }).fill(number);
  await panel.getByRole('button', { name: `Sync ${number} with QB` }).click();
  const dialog = panel.getByRole('dialog', { name: `Sync invoice ${number}` });
  await expect(dialog.getByTestId('sync-clients')).toBeVisible();
  await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
}

test('each invoice setting shapes the QuickBooks invoices; payments, missing emails and deletes both ways', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(300_000);
  const { company, live, portal, panel } = await portalMatched({ context, sandbox, hosts, page });
  const store = () => hosts.store('portal');

  // Update Lists: only Bank and Other Current Asset accounts are offered for payments.
  await tab(panel, 'Settings');
  await panel.getByRole('button', { name: 'Update Lists' }).click();
  await expect(panel.getByTestId('invoice-settings-note')).toHaveText('Bank accounts and payment methods read from QuickBooks.');
  const offered = (await panel.getByLabel('Bank account for Default').locator('option').allTextContents()).slice(1);
  const deposit = live('Account').filter((a) => a.Active !== false && ['Bank', 'Other Current Asset'].includes(a.AccountType));
  expect(offered.sort()).toEqual(deposit.map((a) => `${a.Name} (${a.AccountType})`).sort());
  await expect(panel.getByTestId('deposit-accounts-note')).toContainText(`Payments can go to ${deposit.length} accounts of type Bank or Other Current Asset; the ${live('Account').filter((a) => a.Active !== false).length - deposit.length} other accounts`);

  // Split by month, one summed line each with the template's text, custom fields, dated the period's end.
  const service = live('Item').find((i) => i.Type === 'Service' && i.Active !== false)!;
  await saveSettings(panel, async (p) => {
    await p.getByLabel('Service/Product').selectOption({ label: `${service.FullyQualifiedName ?? service.Name} (Service)` });
    await p.getByLabel('One Transaction Invoice').check();
    await p.getByLabel('Split Invoice').check();
    await p.getByLabel('Sync Custom Fields').check();
    await p.getByLabel('QuickBooks field for CampaignId').selectOption('Campaign');
    await p.getByLabel('Bank account for Default').selectOption({ label: 'Checking (Bank)' });
    await p.getByLabel('Payment method for Default').selectOption({ label: 'Check' });
  });
  await panel.screenshot({ path: 'test-results/invoice-settings.png', fullPage: true });
  await panel.getByLabel('Bank account for Default').scrollIntoViewIfNeeded();
  await panel.screenshot({ path: 'test-results/invoice-payment-methods.png' });

  const db = await dumpDatabase(panel);
  const clientLinks = new Map((db.stores.links as Rec[]).filter((l) => l.kind === 'customer' && l.state === 'linked').map((l) => [l.hostId, l.qbId]));
  const activeQb = new Set(live('Customer').filter((c) => c.Active !== false).map((c) => String(c.Id)));
  const invoices = store().invoices;
  const syncable = (i: (typeof invoices)[number]) => i.client.email && clientLinks.has(String(i.client.id)) && activeQb.has(clientLinks.get(String(i.client.id)));
  const spans = invoices.find((i) => syncable(i) && i.status === 'partially_paid' && new Set(i.transactions.map((t) => t.date.slice(0, 7))).size === 2)
    ?? invoices.find((i) => syncable(i) && i.payments.length > 0 && new Set(i.transactions.map((t) => t.date.slice(0, 7))).size === 2)!;
  expect(spans).toBeDefined();
  await syncOne(panel, spans.number);
  await expect.poll(() => row(panel, spans.number).getAttribute('data-sync'), { timeout: 30_000 }).toBe('Synced');
  const months = [...new Set(spans.transactions.map((t) => t.date.slice(0, 7)))].sort();
  const made = live('Invoice').filter((i) => i.DocNumber?.startsWith(`${spans.number}-`)).sort((a, b) => a.DocNumber.localeCompare(b.DocNumber));
  expect(made.map((i) => i.DocNumber)).toEqual([`${spans.number}-1`, `${spans.number}-2`]);
  for (const [k, inv] of made.entries()) {
    const sum = Math.round(spans.transactions.filter((t) => t.date.startsWith(months[k])).reduce((s, t) => s + t.amount, 0) * 100) / 100;
    const date = monthEnd(months[k]) < spans.date_to ? monthEnd(months[k]) : spans.date_to;
    expect(inv.TxnDate).toBe(date);
    expect(inv.Line.filter((l: Rec) => l.DetailType === 'SalesItemLineDetail').map((l: Rec) => [l.Amount, l.Description])).toEqual([[sum, `Invoice: ${spans.number} / ${medium(date)} / ${spans.client.name}`]]);
    expect(inv.CustomField.find((f: Rec) => f.Name === 'Campaign')?.StringValue).toBe(spans.custom_fields.CampaignId);
    expect(inv.BillEmail.Address).toBe(spans.client.email);
  }
  // Its payments are applied: what QuickBooks says is due is what the portal says.
  expect(Math.round(made.reduce((s, i) => s + i.Balance, 0) * 100) / 100).toBe(spans.due);
  // The portal shows the QuickBooks id it was synced as.
  await expect.poll(() => store().invoices.find((i) => i.id === spans.id)!.quickbooks_invoice_id, { timeout: 30_000 }).toBe(made[0].Id);

  // A client without an email: refused in the seed's words, and nothing is sent.
  const noEmail = invoices.find((i) => !i.client.email)!;
  const outboxBefore = (await dumpDatabase(panel)).stores.outbox.length;
  await syncOne(panel, noEmail.number);
  await expect(panel.getByTestId('invoice-note')).toContainText('The customer email field must be filled in to enable invoice synchronization');
  expect((await dumpDatabase(panel)).stores.outbox.length).toBe(outboxBefore);

  // Creation date, then the date of sync, each in the company's time zone; a line per transaction.
  const [created, synced] = invoices.filter((i) => syncable(i) && i.id !== spans.id && i.status !== 'paid' && i.payments.length === 0).slice(0, 2);
  for (const [inv, choice, expected] of [[created, 'Creation date', dayInLA(created.created_at)], [synced, 'Date of sync with QuickBooks', dayInLA(Date.now())]] as const) {
    await saveSettings(panel, async (p) => {
      await p.getByLabel('One Transaction Invoice').uncheck();
      await p.getByLabel('Split Invoice').uncheck();
      await p.getByLabel('Invoice Date').selectOption({ label: choice });
    });
    await syncOne(panel, inv.number);
    await expect.poll(() => row(panel, inv.number).getAttribute('data-sync'), { timeout: 30_000 }).toBe('Synced');
    const qb = live('Invoice').find((i) => i.DocNumber === inv.number)!;
    expect(qb.TxnDate).toBe(expected);
    expect(qb.Line.filter((l: Rec) => l.DetailType === 'SalesItemLineDetail')).toHaveLength(inv.transactions.length);
  }

  // Deleted in the portal (its own Delete button): deleted in QuickBooks, its payments first.
  await page.goto(`${portal}/invoices/${spans.id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/quickbooks\/invoices$/);
  await syncNow(context);
  await expect.poll(() => live('Invoice').filter((i) => made.some((m) => m.Id === i.Id)).length, { timeout: 30_000 }).toBe(0);

  // Deleted in QuickBooks: the row says so; View QB info > Delete unlinks it, and the portal forgets its id.
  const gone = live('Invoice').find((i) => i.DocNumber === created.number)!;
  company.remove('Invoice', { Id: gone.Id, SyncToken: gone.SyncToken });
  await syncNow(context);
  await panel.getByRole('searchbox', { name: 'Client' }).fill(created.number);
  await expect(row(panel, created.number)).toHaveAttribute('data-sync', 'Deleted in QuickBooks');
  await panel.getByRole('button', { name: `View QB info of ${created.number}` }).click();
  await expect(panel.getByTestId('qb-info')).toContainText('Deleted in QuickBooks');
  await panel.screenshot({ path: 'test-results/invoice-qb-info.png' });
  await panel.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(panel, created.number)).toHaveAttribute('data-sync', 'Not synced');
  await expect.poll(() => store().invoices.find((i) => i.id === created.id)!.quickbooks_invoice_id, { timeout: 30_000 }).toBeNull();
  await panel.getByRole('searchbox', { name: 'Client' }).fill('');
  await panel.screenshot({ path: 'test-results/invoices-tab.png' });
});

test('30 invoices at once create each missing client once; auto-create sends a portal invoice once, and not when off', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(300_000);
  const { live, portal, panel } = await portalMatched({ context, sandbox, hosts, page });
  const store = () => hosts.store('portal');
  const service = live('Item').find((i) => i.Type === 'Service' && i.Active !== false)!;
  await saveSettings(panel, async (p) => {
    await p.getByLabel('Service/Product').selectOption({ label: `${service.FullyQualifiedName ?? service.Name} (Service)` });
  });

  // Thirty invoices with an email, of clients matched (with an active customer) or not in QuickBooks at all.
  const db = await dumpDatabase(panel);
  const links = new Map((db.stores.links as Rec[]).filter((l) => l.kind === 'customer' && l.state === 'linked').map((l) => [l.hostId, l.qbId]));
  const names = new Map(live('Customer').map((c) => [String(c.DisplayName).toLowerCase(), c]));
  const ok = store().invoices.filter((i) => {
    const qb = links.get(String(i.client.id));
    return i.client.email && (qb ? live('Customer').find((c) => c.Id === qb)?.Active !== false : !names.has(i.client.name.toLowerCase()));
  });
  const chosen = ok.slice(0, 30);
  expect(chosen).toHaveLength(30);
  const newClients = [...new Set(chosen.filter((i) => !links.has(String(i.client.id))).map((i) => i.client.name))];
  expect(newClients.length).toBeGreaterThan(1);
  await tab(panel, 'Invoices');
  for (const inv of chosen) await panel.getByRole('checkbox', { name: `Choose ${inv.number}`, exact: true }).check();
  await panel.getByRole('button', { name: 'Sync invoices' }).click();
  const dialog = panel.getByRole('dialog', { name: 'Sync 30 invoices' });
  for (const name of newClients) await expect(dialog.getByTestId('sync-clients')).toContainText(`A new QuickBooks customer will be created for ${name}`);
  await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(panel.getByTestId('invoice-note')).toContainText('changes sent (to QuickBooks).');
  for (const inv of chosen) await expect.poll(() => row(panel, inv.number).getAttribute('data-sync'), { timeout: 60_000 }).toBe('Synced');
  for (const name of newClients) expect(live('Customer').filter((c) => c.DisplayName === name)).toHaveLength(1);

  // Auto-create on: an invoice made in the portal's own form for a synced client reaches QuickBooks once.
  const client = store().clients.find((c) => links.has(String(c.id)) && c.email && live('Customer').find((x) => x.Id === links.get(String(c.id)))?.Active !== false)!;
  await saveSettings(panel, async (p) => {
    await p.getByLabel('Automatically create invoices for synced customers').check();
  });
  const newInvoice = async (number: string) => {
    await page.goto(`${portal}/invoices/new`);
    await page.getByLabel('Client').selectOption(String(client.id));
    await page.getByLabel('Number').fill(number);
    await page.getByLabel('Period from').fill('2026-11-01');
    await page.getByLabel('Period to').fill('2026-11-20');
    await page.getByLabel('Due date').fill('2026-12-20');
    await page.getByLabel('Date', { exact: true }).first().fill('2026-11-05');
    await page.getByLabel('Description').first().fill('Search ads');
    await page.getByLabel('Amount').first().fill('1250.40');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await expect(page.locator('.invoice-number')).toHaveText(number);
    await page.goto(`${portal}/quickbooks/invoices`); // the list shows it: the extension reads it through the API
  };
  await newInvoice('AUTO-ON-1');
  await expect.poll(() => live('Invoice').filter((i) => i.DocNumber === 'AUTO-ON-1').length, { timeout: 30_000 }).toBe(1);
  await syncNow(context);
  expect(live('Invoice').filter((i) => i.DocNumber === 'AUTO-ON-1')).toHaveLength(1);
  expect(live('Invoice').find((i) => i.DocNumber === 'AUTO-ON-1')!.TotalAmt).toBe(1250.4);

  // Off: the next one stays in the portal.
  await saveSettings(panel, async (p) => {
    await p.getByLabel('Automatically create invoices for synced customers').uncheck();
  });
  await newInvoice('AUTO-OFF-1');
  const seen = async () => ((await dumpDatabase(panel)).stores.hostRecords as Rec[]).some((r) => r.kind === 'invoice' && r.fields.number === 'AUTO-OFF-1');
  await expect.poll(seen, { timeout: 30_000 }).toBe(true);
  await syncNow(context);
  await tab(panel, 'Invoices');
  await panel.getByRole('searchbox', { name: 'Client' }).fill('AUTO-OFF-1');
  await expect(row(panel, 'AUTO-OFF-1')).toHaveAttribute('data-sync', 'Not synced');
  expect(live('Invoice').filter((i) => i.DocNumber === 'AUTO-OFF-1')).toHaveLength(0);
});
