// "Sync with QB" in Ledgerly's customer list: a row created in QuickBooks from its control, linked
// in place, and its QuickBooks id written back into Ledgerly (read through Ledgerly's own API);
// View QB info with both sides; unsynced and created again, linked to the same customer; a row linked to its suggestion from the picker, then unsynced;
// 30 rows created in bulk with progress, exactly once each, though the service worker is stopped
// while they are on their way.
import type { Locator, Page } from '@playwright/test';
import type { DemoHosts } from '../../sandbox/hosts/server';
import type { PortalClient } from '../../sandbox/hosts/portal';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { configureExtension, connectThroughConsent, expect, EXTENSION_ORIGIN, stopServiceWorker, syncNow, test, turnOnProfiles } from './fixtures';
import { badgeState, clickPerceived, perceive, perceivedText, perceives } from './perceive';

test.beforeEach(async ({ context, sandbox, broker, hosts }) => {
  hosts.reset('portal');
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Ledgerly (accounting portal)']);
});

const row = (page: Page, name: string) => page.locator('tr.customer-row', { hasText: name }).first();
const control = (page: Page, name: string) => row(page, name).locator('[data-qbc="sync"]');
/** The name a person hears for the control's button. */
const controlName = async (c: Locator) => (await perceive(c)).find((n) => n.role === 'button')?.name ?? '';

/** A Ledgerly client as its API answers (signed in as its demo user, as a person would be). */
async function appClient(hosts: DemoHosts, id: number): Promise<PortalClient> {
  const base = hosts.apps.portal.localUrl;
  const login = await fetch(`${base}/login?as=Hannah%20Becker`, { redirect: 'manual' });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${base}/api/customers/${id}`, { headers: { cookie, accept: 'application/json' } });
  return ((await res.json()) as { data: PortalClient }).data;
}
const clientId = (hosts: DemoHosts, name: string) => hosts.store('portal').clients.find((c) => c.name === name)!.id;
const qbCustomers = (sandbox: { company(realm: string): unknown }, name: string) =>
  [...(sandbox.company(DEMO_REALM) as { table(e: string): Map<string, { data: Record<string, any> }> }).table('Customer').values()].filter((r) => r.data.DisplayName === name);

test('Sync with QB on a row: create, linked in place, the QuickBooks id written back, both sides shown; link to the suggestion, unsync', async ({ hosts, page, sandbox }) => {
  test.setTimeout(120_000);
  await page.goto(`${hosts.apps.portal.url}/quickbooks/customers`);
  const buyer = control(page, 'Buyer1 Media Inc');
  await expect.poll(() => controlName(buyer)).toBe('Sync Buyer1 Media Inc with QuickBooks');

  // The popover: the QuickBooks customers to link to, and Create.
  await clickPerceived(buyer, 'button', 'Sync Buyer1 Media Inc with QuickBooks');
  await expect.poll(() => perceives(buyer, 'dialog', 'Sync Buyer1 Media Inc with QuickBooks')).toBe(true);
  await expect.poll(async () => (await perceive(buyer)).filter((n) => n.role === 'button' && n.name.startsWith('Link to ')).length).toBeGreaterThan(5);
  await page.screenshot({ path: 'test-results/sync-in-page-popover.png' });
  await clickPerceived(buyer, 'button', 'Create QB customer');

  // Linked in place: the row's control and its badge, without a reload.
  await expect.poll(() => controlName(buyer), { timeout: 20_000 }).toBe('In QuickBooks: Buyer1 Media Inc');
  await expect.poll(() => badgeState(row(page, 'Buyer1 Media Inc').locator('[data-qbc="badge"]'))).toBe('linked');
  const made = qbCustomers(sandbox, 'Buyer1 Media Inc');
  expect(made).toHaveLength(1);
  expect(String(made[0].data.Notes)).toContain('Created by QuickBooks Companion from Ledgerly customer');
  // Ledgerly's "QuickBooks CustomerID", through Ledgerly's API.
  const id = clientId(hosts, 'Buyer1 Media Inc');
  await expect.poll(async () => (await appClient(hosts, id)).quickbooks_customer_id, { timeout: 20_000 }).toBe(String(made[0].data.Id));
  await page.screenshot({ path: 'test-results/sync-in-page-linked.png' });

  // View QB info: both sides.
  await clickPerceived(buyer, 'button', 'In QuickBooks: Buyer1 Media Inc');
  await clickPerceived(buyer, 'button', 'View QB info');
  await expect.poll(() => perceives(buyer, 'dialog', 'QuickBooks info')).toBe(true);
  const info = await perceivedText(buyer);
  expect(info).toContain(`Ledgerly Id ${id} Name Buyer1 Media Inc Email buyer1@buyer1media.example`);
  expect(info).toContain(`QuickBooks Id ${made[0].data.Id} Name Buyer1 Media Inc`);
  expect(await perceives(buyer, 'link', 'Open in QuickBooks ↗')).toBe(true);
  await page.screenshot({ path: 'test-results/sync-in-page-info.png' });
  await page.keyboard.press('Escape');
  await expect.poll(() => perceives(buyer, 'dialog', 'QuickBooks info')).toBe(false);

  // Unsynced, then created again: the customer the extension made is linked again, not made twice,
  // and Ledgerly's field follows.
  await clickPerceived(buyer, 'button', 'In QuickBooks: Buyer1 Media Inc');
  await clickPerceived(buyer, 'button', 'Unsync');
  await expect.poll(() => controlName(buyer)).toBe('Sync Buyer1 Media Inc with QuickBooks');
  await expect.poll(async () => (await appClient(hosts, id)).quickbooks_customer_id, { timeout: 20_000 }).toBe(null);
  await clickPerceived(buyer, 'button', 'Sync Buyer1 Media Inc with QuickBooks');
  await clickPerceived(buyer, 'button', 'Create QB customer');
  await expect.poll(() => controlName(buyer), { timeout: 20_000 }).toBe('In QuickBooks: Buyer1 Media Inc');
  expect(qbCustomers(sandbox, 'Buyer1 Media Inc')).toHaveLength(1);
  await expect.poll(async () => (await appClient(hosts, id)).quickbooks_customer_id, { timeout: 20_000 }).toBe(String(made[0].data.Id));

  // A row whose QuickBooks customer is spelled otherwise: the suggestion comes first in the picker.
  const maria = control(page, 'Maria Lopez');
  await clickPerceived(maria, 'button', 'Sync Maria Lopez with QuickBooks');
  await expect.poll(async () => (await perceive(maria)).find((n) => n.role === 'button' && n.name.startsWith('Link to '))?.name).toBe('Link to Lopez, Maria (suggested)');
  // The search narrows the list.
  await page.keyboard.type('bayside');
  await expect.poll(async () => (await perceive(maria)).filter((n) => n.role === 'button' && n.name.startsWith('Link to ')).map((n) => n.name)).toEqual(['Link to Bayside Auto Group']);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await expect.poll(async () => (await perceive(maria)).find((n) => n.role === 'button' && n.name.startsWith('Link to '))?.name).toBe('Link to Lopez, Maria (suggested)');
  await clickPerceived(maria, 'button', 'Link to Lopez, Maria (suggested)');
  await expect.poll(() => controlName(maria)).toBe('In QuickBooks: Lopez, Maria');
  const lopez = qbCustomers(sandbox, 'Lopez, Maria')[0].data;
  const mariaId = clientId(hosts, 'Maria Lopez');
  await expect.poll(async () => (await appClient(hosts, mariaId)).quickbooks_customer_id, { timeout: 20_000 }).toBe(String(lopez.Id));

  // Unsync: the row is matched afresh, and Ledgerly's field is cleared.
  await clickPerceived(maria, 'button', 'In QuickBooks: Lopez, Maria');
  await clickPerceived(maria, 'button', 'Unsync');
  await expect.poll(() => controlName(maria)).toBe('Sync Maria Lopez with QuickBooks');
  await expect.poll(async () => (await appClient(hosts, mariaId)).quickbooks_customer_id, { timeout: 20_000 }).toBe(null);
  // Nothing was created for the link.
  expect(qbCustomers(sandbox, 'Maria Lopez')).toHaveLength(0);
});

test('a QuickBooks id the portal refuses to take shows on its row in the side panel, with the portal\'s words, and Re-try writes it once the portal takes it', async ({ context, hosts, page, sandbox }) => {
  test.setTimeout(120_000);
  // Another client still carries the QuickBooks id of Lopez, Maria (set by hand long ago): Ledgerly
  // keeps each QuickBooks id on one client at most.
  const lopez = qbCustomers(sandbox, 'Lopez, Maria')[0].data;
  const stale = hosts.store('portal').clients.find((c) => c.name === 'Buyer1 Media Inc')!;
  stale.quickbooks_customer_id = String(lopez.Id);
  await page.goto(`${hosts.apps.portal.url}/quickbooks/customers`);
  const maria = control(page, 'Maria Lopez');
  await clickPerceived(maria, 'button', 'Sync Maria Lopez with QuickBooks');
  await clickPerceived(maria, 'button', 'Link to Lopez, Maria (suggested)');
  await expect.poll(() => controlName(maria)).toBe('In QuickBooks: Lopez, Maria');

  const panel = await context.newPage();
  await panel.setViewportSize({ width: 520, height: 900 });
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await panel.getByRole('tab', { name: 'Customers', exact: true }).click();
  await panel.getByRole('searchbox', { name: 'Search' }).fill('Maria Lopez');
  const line = panel.getByTestId('match-list').locator('.match-row', { hasText: 'Maria Lopez' });
  const failed = line.getByTestId('write-back-failed');
  await expect(failed).toHaveText('ID not in Ledgerly', { timeout: 20_000 });
  await expect(failed).toHaveAttribute('title', 'The QuickBooks id was not written into Ledgerly: Ledgerly (accounting portal) refused it: quickbooks_customer_id has already been taken. Re-try once Ledgerly can take it.');
  await panel.screenshot({ path: 'test-results/panel-write-back-failed.png' });
  const mariaId = clientId(hosts, 'Maria Lopez');
  expect((await appClient(hosts, mariaId)).quickbooks_customer_id).toBe(null);

  // Someone clears the stale id in Ledgerly; Re-try writes Maria's.
  stale.quickbooks_customer_id = null;
  await line.getByRole('button', { name: 'Write the QuickBooks id into Ledgerly again for Maria Lopez' }).click();
  await expect.poll(async () => (await appClient(hosts, mariaId)).quickbooks_customer_id, { timeout: 20_000 }).toBe(String(lopez.Id));
  await expect(failed).toHaveCount(0);
});

test('Create and sync 30 chosen rows: a confirmation, progress, 30 customers created once each though the worker is stopped on the way, all linked and written back', async ({ context, hosts, page, sandbox }) => {
  test.setTimeout(180_000);
  // Thirty-one clients Ledgerly has and QuickBooks does not.
  const store = hosts.store('portal');
  const at = new Date().toISOString();
  const names = Array.from({ length: 31 }, (_, i) => `Bulk Client ${String(i + 1).padStart(2, '0')}`);
  for (const name of names)
    store.clients.push({ id: Math.max(...store.clients.map((c) => c.id)) + 1, name, email: `${name.replace(/\s/g, '').toLowerCase()}@bulk.example`, phone: null, country: 'US', status: 'active', created_at: at, updated_at: at, quickbooks_customer_id: null, synced_at: null });
  // QuickBooks answers slowly and does not replay requestids: a create sent twice would make two customers.
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 1500, ignoreRequestId: true }) });

  await page.goto(`${hosts.apps.portal.url}/quickbooks/customers`);
  const bar = page.locator('[data-qbc="bulk"]');
  for (const name of names.slice(0, 30)) {
    await expect.poll(() => perceives(control(page, name), 'checkbox', `Choose ${name}`)).toBe(true);
    await clickPerceived(control(page, name), 'checkbox', `Choose ${name}`);
  }
  await expect.poll(() => perceivedText(bar)).toContain('30 customers chosen');
  // A 31st is refused: at most 30 at once.
  await clickPerceived(control(page, names[30]), 'checkbox', `Choose ${names[30]}`);
  await expect.poll(() => perceivedText(bar)).toContain('At most 30 at a time');
  await page.screenshot({ path: 'test-results/sync-in-page-bulk-chosen.png' });

  await clickPerceived(bar, 'button', 'Create and sync 30');
  await expect.poll(() => perceivedText(bar)).toContain('Create 30 customers in QuickBooks and link them to their rows?');
  await clickPerceived(bar, 'button', 'Yes, create 30');
  await expect.poll(() => perceivedText(bar)).toMatch(/Sending 30 customers to QuickBooks…|Creating in QuickBooks: \d+ of 30…/);
  await page.screenshot({ path: 'test-results/sync-in-page-bulk-progress.png' });

  // The worker is stopped while the creates are in flight, and started again.
  const options = await context.newPage();
  await options.goto(`${EXTENSION_ORIGIN}/options.html#logs`);
  await expect.poll(async () => (await options.evaluate(() => qbcTest.outboxCounts()))['in-flight'], { timeout: 30_000, intervals: [50] }).toBeGreaterThan(0);
  await stopServiceWorker(options);
  // Started again, as Chrome does when the popup opens.
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  await popup.close();

  await expect.poll(() => perceivedText(bar), { timeout: 60_000 }).toContain('30 customers created in QuickBooks and synced.');
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
  await page.screenshot({ path: 'test-results/sync-in-page-bulk-done.png' });
  for (const name of names.slice(0, 30)) {
    const made = qbCustomers(sandbox, name);
    expect(made, name).toHaveLength(1);
    await expect.poll(async () => (await appClient(hosts, clientId(hosts, name))).quickbooks_customer_id, { timeout: 30_000 }).toBe(String(made[0].data.Id));
  }
  expect(qbCustomers(sandbox, names[30])).toHaveLength(0);
  for (const name of [names[0], names[29]]) await expect.poll(() => controlName(control(page, name))).toBe(`In QuickBooks: ${name}`);
  const counts = await options.evaluate(() => qbcTest.outboxCounts());
  expect(counts.failed).toBe(0);
});
