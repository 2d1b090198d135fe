// The ERP's purchase orders, in the built extension: settings refused for an account name
// QuickBooks lacks, then saved; marking a PO as Ordered in the app's own page gives exactly one
// QuickBooks PurchaseOrder with DocNumber = the PO id, its supplier's vendor, its part on a new
// inventory item made once with the configured accounts, the fees on the fees account; a PO with an
// expense code QuickBooks lacks fails naming it, and Re-try after the account is added lands it
// once, each line on its account with its class; a PO of parts QuickBooks has uses those items,
// and moving it on (Received) updates the same QuickBooks PO; a part created in the app becomes
// its QuickBooks item.
import type { Page } from '@playwright/test';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, syncNow, test, turnOnProfiles } from './fixtures';

type Rec = Record<string, any>;

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Forge ERP (purchasing)']);
});

const tab = (panel: Page, name: string) => panel.getByRole('tab', { name, exact: true }).click();

/** Links a supplier in the Vendors tab: kept when matched, else matched by hand to the first QuickBooks vendor offered. */
async function ensureMatched(panel: Page, supplier: string) {
  await tab(panel, 'Vendors');
  await panel.getByRole('searchbox', { name: 'Search' }).fill(supplier);
  const row = panel.getByTestId('match-list').locator('.match-row', { hasText: supplier }).first();
  if ((await row.getAttribute('data-status')) === 'matched') return;
  await row.getByRole('button', { name: `Match ${supplier}` }).click();
  await panel.getByRole('dialog').locator('.pick-list button').first().click();
  await expect(panel.getByTestId('console-note')).toHaveText(new RegExp(`linked to`));
}

test('a PO marked Ordered in the ERP becomes one QuickBooks purchase order; what QuickBooks lacks is named, and Re-try lands it once', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(240_000);
  const company = sandbox.company(DEMO_REALM)!;
  const live = (entity: string): Rec[] => [...company.table(entity).values()].map((r) => r.data);
  const idOf = (entity: string, name: string) => String(live(entity).find((r) => (r.DisplayName ?? r.Name) === name)!.Id);
  const erp = hosts.apps.erp.url;
  await page.goto(`${erp}/purchase-orders`);
  await syncNow(context);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 460, height: 900 });
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Forge ERP (purchasing)');
  const db = await dumpDatabase(panel);
  const pos = (db.stores.hostRecords as Rec[]).filter((r) => r.kind === 'purchaseOrder');
  const [po1001, po1003, po1004] = ['1001', '1003', '1004'].map((id) => pos.find((p) => p.hostId === id)!);
  for (const p of [po1001, po1003, po1004]) await ensureMatched(panel, p.fields.party);

  // Settings: a fees account QuickBooks lacks is refused, naming it; then saved, and POs go on Ordered.
  await tab(panel, 'Settings');
  const type = async (label: string, value: string) => panel.getByLabel(label, { exact: true }).fill(value);
  await type('Accounts Payable', 'Accounts Payable (A/P)');
  await type('Income Account', 'Sales of Product Income');
  await type('Inventory Asset Account', 'Inventory Asset');
  await type('Inventory Expense Account', 'Cost of Goods Sold');
  await type('Account for Fees', 'Shipping Costs');
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('po-settings-note')).toHaveText('QuickBooks has no account named "Shipping Costs" (Account for Fees): type its name as the chart of accounts shows it.');
  await type('Account for Fees', 'Purchase Fees');
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByTestId('po-settings-note')).toHaveText('Settings saved.');
  await panel.getByRole('checkbox', { name: 'Send purchase orders' }).click();
  await expect(panel.getByRole('checkbox', { name: 'Send purchase orders' })).toBeChecked();
  await panel.getByRole('checkbox', { name: 'Send parts' }).click();
  await expect(panel.getByRole('checkbox', { name: 'Send parts' })).toBeChecked();
  await panel.screenshot({ path: 'test-results/po-settings.png', fullPage: true });

  // Marked Ordered in the app's own page: one QuickBooks PO, its new item made once.
  const newItem = '990001-001 Rev A';
  expect(live('Item').some((i) => i.Name === newItem)).toBe(false);
  await page.goto(`${erp}/purchase-orders/1003`);
  await page.getByRole('button', { name: 'Mark as Ordered' }).click();
  await expect(page.locator('.po-status')).toHaveText('Ordered');
  await expect.poll(() => live('PurchaseOrder').filter((p) => p.DocNumber === '1003').length, { timeout: 60_000 }).toBe(1);
  const qbPo = live('PurchaseOrder').find((p) => p.DocNumber === '1003')!;
  const afterOrdered = (await dumpDatabase(panel)).stores;
  // The page's change, confirmed through the app's API, is one "status reached" event.
  const reached = (afterOrdered.hostEvents as Rec[]).filter((e) => e.type === 'status' && e.kind === 'purchaseOrder' && e.hostId === '1003');
  expect(reached.map((e) => e.status)).toEqual(['Ordered']);
  const vendorLink = (afterOrdered.links as Rec[]).find((l) => l.kind === 'vendor' && l.hostId === po1003.fields.vendorId)!;
  expect(qbPo.VendorRef.value).toBe(vendorLink.qbId);
  const items = live('Item').filter((i) => i.Name === newItem);
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ Type: 'Inventory', QtyOnHand: 0, AssetAccountRef: { value: idOf('Account', 'Inventory Asset') }, ExpenseAccountRef: { value: idOf('Account', 'Cost of Goods Sold') } });
  expect(qbPo.Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(String(items[0].Id));
  expect(qbPo.Line.filter((l: Rec) => ['Freight', 'Customs duty'].includes(l.Description)).map((l: Rec) => [l.Amount, l.AccountBasedExpenseLineDetail.AccountRef.value])).toEqual([
    [620, idOf('Account', 'Purchase Fees')],
    [214.8, idOf('Account', 'Purchase Fees')],
  ]);
  await tab(panel, 'Purchase orders');
  await expect(panel.getByTestId('po-1003').locator('.pill')).toHaveText('In QuickBooks');

  // An expense code QuickBooks lacks stops the PO, in words; added in QuickBooks, Re-try lands it once.
  await page.goto(`${erp}/purchase-orders/1004`);
  await page.getByRole('button', { name: 'Mark as Ordered' }).click();
  await expect(page.locator('.po-status')).toHaveText('Ordered');
  const row = panel.getByTestId('po-1004');
  await expect(row.locator('.pill')).toHaveText('Error', { timeout: 60_000 });
  await expect(row.getByTestId('po-why')).toContainText('its Expense Account "Tooling & Dies" is not an account in QuickBooks. Add an account named "Tooling & Dies" in QuickBooks (chart of accounts)');
  expect(live('PurchaseOrder').some((p) => p.DocNumber === '1004')).toBe(false);
  await panel.screenshot({ path: 'test-results/po-tab.png' });
  company.create('Account', { Name: 'Tooling & Dies', AccountType: 'Expense' });
  await syncNow(context);
  await row.getByRole('button', { name: 'Send PO 1004' }).click();
  await expect(row.locator('.pill')).toHaveText('In QuickBooks', { timeout: 60_000 });
  expect(live('PurchaseOrder').filter((p) => p.DocNumber === '1004')).toHaveLength(1);
  // Each line on its attribute's account (or the default), with its class.
  const po4 = live('PurchaseOrder').find((p) => p.DocNumber === '1004')!;
  expect(po4.Line.slice(0, 3).map((l: Rec) => [l.AccountBasedExpenseLineDetail.AccountRef.value, l.AccountBasedExpenseLineDetail.ClassRef?.value])).toEqual([
    [idOf('Account', 'Job Supplies'), idOf('Class', 'Overhead')],
    [idOf('Account', 'Tooling & Dies'), idOf('Class', 'Fabrication')],
    [idOf('Account', 'Cost of Goods Sold'), undefined],
  ]);

  // Parts QuickBooks has: item lines on those items, none made; with the class of each line.
  const itemsBefore = company.count('Item');
  await page.goto(`${erp}/purchase-orders/1001`);
  await page.getByRole('button', { name: 'Mark as Ordered' }).click();
  await expect.poll(() => live('PurchaseOrder').filter((p) => p.DocNumber === '1001').length, { timeout: 60_000 }).toBe(1);
  const po1 = live('PurchaseOrder').find((p) => p.DocNumber === '1001')!;
  expect(po1.Line.slice(0, 2).map((l: Rec) => [l.ItemBasedExpenseLineDetail.ItemRef.value, l.ItemBasedExpenseLineDetail.ClassRef.value])).toEqual([
    [idOf('Item', '820413-002 Rev A'), idOf('Class', 'Fabrication')],
    [idOf('Item', '500118-220 Rev D'), idOf('Class', 'Fabrication')],
  ]);
  expect(company.count('Item')).toBe(itemsBefore);
  // Its status moved on in the app (Received): the same QuickBooks PO is updated, not made again.
  await page.getByLabel('Status').selectOption('Received');
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.locator('.po-status')).toHaveText('Received');
  await expect.poll(() => Number(live('PurchaseOrder').find((p) => p.DocNumber === '1001')!.SyncToken), { timeout: 60_000 }).toBeGreaterThan(Number(po1.SyncToken));
  expect(live('PurchaseOrder').filter((p) => p.DocNumber === '1001')).toHaveLength(1);

  // A part created in the app becomes its QuickBooks inventory item.
  const made = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
    const res = await fetch('/api/parts', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: JSON.stringify({ partNumber: '777001-001', revision: 'B', description: 'Mounting plate', unitCost: 12.5 }) });
    return res.status;
  });
  expect(made).toBe(201);
  await syncNow(context);
  await expect.poll(() => live('Item').filter((i) => i.Name === '777001-001 Rev B').map((i) => [i.Type, i.PurchaseCost, i.Description]), { timeout: 60_000 }).toEqual([['Inventory', 12.5, 'Mounting plate']]);
});
