// The side panel's console on the media app's vendors: counts by status equal to what the app and
// QuickBooks hold; confident suggestions accepted become exactly those links, and the open page's
// badges turn linked in place; a match by hand from each side; exports that land once, linked; a
// name QuickBooks already has offered as a link; ignore and unsync that survive a reload.
import type { Page } from '@playwright/test';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, syncNow, test, turnOnProfiles } from './fixtures';
import { badgeState } from './perceive';

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Spotlight (media buying)']);
});

const count = async (panel: Page, status: string) => Number((await panel.getByTestId(`count-${status}`).locator('b').textContent())!.replace(/,/g, ''));
const links = async (panel: Page) => ((await dumpDatabase(panel)).stores.links as { state: string; qbId?: string; hostId: string; source: string }[]);
/** A row, found as a person finds one in a long list: by searching for it. */
async function row(panel: Page, name: string) {
  await panel.getByRole('searchbox', { name: 'Search' }).fill(name);
  return panel.getByTestId('match-list').locator('.match-row', { hasText: name }).first();
}
const clearSearch = (panel: Page) => panel.getByRole('searchbox', { name: 'Search' }).fill('');

test('the console matches, links, exports, ignores and unsyncs the app\'s vendors', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(120_000);
  await page.goto(`${hosts.apps.media.url}/vendors`);
  const appVendors = await page.locator('tr.vendor-row').count();
  await expect(page.locator('[data-qbc="badge"]')).toHaveCount(appVendors);
  await syncNow(context); // the app's own API is read with each sync
  const company = sandbox.company(DEMO_REALM)!;
  const qbVendors = company.count('Vendor');

  const panel = await context.newPage();
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Spotlight (media buying) with QuickBooks company Larkspur Media & Supply');
  await expect(panel.getByTestId('count-only-qb').locator('b')).not.toHaveText('…');
  // Every app vendor is matched, suggested, only in the app or ignored; every QuickBooks vendor is on one row.
  expect((await count(panel, 'matched')) + (await count(panel, 'suggested')) + (await count(panel, 'only-app')) + (await count(panel, 'ignored'))).toBe(appVendors);
  expect((await count(panel, 'matched')) + (await count(panel, 'suggested')) + (await count(panel, 'only-qb'))).toBe(qbVendors);
  await panel.screenshot({ path: 'test-results/panel-vendors.png' });
  // A side panel as narrow as Chrome opens it: every row's actions in view, on a line of their own.
  await panel.setViewportSize({ width: 360, height: 800 });
  await expect(async () => {
    for (const r of (await panel.getByTestId('match-list').locator('.match-row').all()).slice(0, 8)) {
      const [box, info] = [await r.boundingBox(), await r.getByRole('button', { name: /^Info on / }).boundingBox()];
      expect(info!.x + info!.width).toBeLessThanOrEqual(box!.x + box!.width);
      expect(info!.y + info!.height).toBeLessThanOrEqual(box!.y + box!.height);
    }
  }).toPass();
  await panel.screenshot({ path: 'test-results/panel-narrow.png' });
  // There, a bill's state and actions go under its number and vendor, inside its card.
  await panel.getByRole('tab', { name: 'Bills' }).click();
  const bill = panel.getByTestId('bill-table').locator('.txn-row').first();
  await expect(async () => {
    const [card, main, side] = [await bill.boundingBox(), await bill.locator('.txn-main').boundingBox(), await bill.locator('.txn-side').boundingBox()];
    expect(side!.y).toBeGreaterThanOrEqual(main!.y + main!.height);
    expect(side!.x + side!.width).toBeLessThanOrEqual(card!.x + card!.width);
  }).toPass();
  await panel.getByRole('tab', { name: 'Vendors' }).click();
  await panel.setViewportSize({ width: 1280, height: 720 });

  // Chosen rows' suggestions are listed first too, and Cancel links nothing.
  await (await row(panel, 'WXYZ TV')).getByRole('checkbox').check();
  await panel.getByRole('button', { name: 'Accept', exact: true }).click();
  const chosenPreview = panel.getByRole('dialog', { name: 'Accept suggestions' });
  await expect(chosenPreview.getByTestId('accept-preview').locator('li')).toHaveText([/^WXYZ TV → WXYZ-TV/]);
  await chosenPreview.getByRole('button', { name: 'Cancel' }).click();
  await expect(chosenPreview).toHaveCount(0);
  expect(await links(panel)).toHaveLength(0);
  await panel.getByRole('button', { name: 'Clear', exact: true }).click();
  await clearSearch(panel);

  // Accepting the confident suggestions makes exactly those links; the page's badges follow in place.
  const accept = panel.getByRole('button', { name: /^Accept \d+ confident suggestions?$/ });
  const confident = Number((await accept.textContent())!.match(/\d+/)![0]);
  expect(confident).toBeGreaterThan(10);
  // First a preview of the pairs to be linked; nothing is linked until the person says so.
  await accept.click();
  const preview = panel.getByRole('dialog', { name: 'Accept confident suggestions' });
  await expect(preview.getByTestId('accept-preview').locator('li')).toHaveCount(confident);
  await expect(preview.getByTestId('accept-preview')).toContainText('WXYZ TV → WXYZ-TV');
  await panel.screenshot({ path: 'test-results/panel-accept-preview.png' });
  expect((await links(panel)).filter((l) => l.state === 'linked')).toHaveLength(0);
  await preview.getByRole('button', { name: `Link ${confident}` }).click();
  await expect(panel.getByTestId('console-note')).toHaveText(`${confident} linked.`);
  expect((await links(panel)).filter((l) => l.state === 'linked')).toHaveLength(confident);
  const wxyz = page.locator('tr.vendor-row', { hasText: 'WXYZ TV' }).first().locator('[data-qbc="badge"]');
  await expect.poll(() => badgeState(wxyz)).toBe('linked');

  // A match by hand from the app's side, and one from QuickBooks' side.
  await (await row(panel, 'Roku Advertising')).getByRole('button', { name: 'Match Roku Advertising' }).click();
  const pick = panel.getByRole('dialog').locator('.pick-list button').first();
  const fromApp = (await pick.textContent())!.trim();
  await pick.click();
  await expect(panel.getByTestId('console-note')).toHaveText(`Roku Advertising linked to ${fromApp}.`);
  await clearSearch(panel);
  await panel.getByTestId('count-only-qb').click();
  const fromQb = (await panel.getByTestId('match-list').locator('.match-row .side.qb').first().textContent())!.trim();
  await (await row(panel, fromQb)).getByRole('button', { name: `Match ${fromQb}` }).click();
  await panel.getByRole('dialog').getByRole('button', { name: 'KABC-TV Digital' }).click();
  await expect(panel.getByTestId('console-note')).toHaveText(`KABC-TV Digital linked to ${fromQb}.`);
  const vendorId = (name: string) => String([...company.table('Vendor').values()].find((r) => r.data.DisplayName === name)!.data.Id);
  const byHand = (await links(panel)).filter((l) => l.source === 'user');
  expect(byHand.map((l) => l.qbId).sort()).toEqual([vendorId(fromApp), vendorId(fromQb)].sort());

  // Exporting three vendors only in the app makes three QuickBooks vendors, linked.
  await clearSearch(panel);
  await panel.getByTestId('count-only-app').click();
  const exportable = await panel.getByTestId('match-list').locator('.match-row').evaluateAll((rows) => rows.map((r) => r.querySelector('.side')!.textContent!));
  expect(exportable.length).toBeGreaterThanOrEqual(4);
  const [taken, ...rest] = exportable;
  const three = rest.slice(0, 3);
  for (const name of three) await (await row(panel, name)).getByRole('checkbox').check();
  await clearSearch(panel);
  const before = company.count('Vendor');
  await panel.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(panel.getByTestId('console-note')).toHaveText('3 sent to QuickBooks. Their badges turn green as they land.');
  await expect.poll(() => company.count('Vendor'), { timeout: 20_000 }).toBe(before + 3);
  await expect.poll(async () => (await links(panel)).filter((l) => l.source === 'created').length, { timeout: 20_000 }).toBe(3);

  // QuickBooks has had a vendor of that name since before the last sync (made by someone, two hours
  // ago): the export is refused, and the link offered.
  company.create('Vendor', { DisplayName: taken }, { at: Date.now() - 2 * 3_600_000 });
  await (await row(panel, taken)).getByRole('button', { name: `Export ${taken} to QuickBooks` }).click();
  const offer = panel.getByRole('button', { name: `Link ${taken} to the QuickBooks record of that name` });
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await panel.screenshot({ path: 'test-results/panel-export-refused.png' });
  await offer.click();
  await expect(panel.getByTestId('console-note')).toContainText(`linked to the QuickBooks vendor "${taken}" that was already there.`);
  expect(company.count('Vendor')).toBe(before + 4);

  // Ignore one, unsync another; both survive a reload.
  await clearSearch(panel);
  await panel.getByTestId('count-suggested').click();
  const suggestedName = (await panel.getByTestId('match-list').locator('.match-row .side').first().textContent())!;
  await (await row(panel, suggestedName)).getByRole('button', { name: `Ignore ${suggestedName}` }).click();
  await panel.getByTestId('count-matched').click();
  await (await row(panel, 'WXYZ TV')).getByRole('button', { name: 'Unsync WXYZ TV' }).click();
  await panel.reload();
  await panel.getByTestId('count-ignored').click();
  await expect(await row(panel, suggestedName)).toBeVisible();
  await panel.getByTestId('count-suggested').click();
  await expect(await row(panel, 'WXYZ TV')).toBeVisible();
});

test('a bulk export past one batch asks first, goes 30 at a time with its progress, and stops part way: each vendor sent made once, the rest never', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(120_000);
  await page.goto(`${hosts.apps.media.url}/vendors?rows=150`);
  await expect(page.locator('[data-qbc="badge"]')).toHaveCount(150);
  const company = sandbox.company(DEMO_REALM)!;
  const panel = await context.newPage();
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect.poll(async () => ((await panel.getByTestId('count-only-app').locator('b').textContent()) === '…' ? 0 : count(panel, 'only-app')), { timeout: 20_000 }).toBeGreaterThan(100);
  await panel.getByTestId('count-only-app').click();
  const n = await count(panel, 'only-app');
  const matchedBefore = await count(panel, 'matched');
  await panel.getByRole('button', { name: `Choose all ${n} shown` }).click();
  const before = company.count('Vendor');
  // Each QuickBooks answer takes a second and a half: the export is still on its way when stopped.
  sandbox.faults = { ...sandbox.faults, latencyMs: 1500 };
  await panel.getByRole('button', { name: 'Export', exact: true }).click();
  const ask = panel.getByRole('dialog', { name: 'Export to QuickBooks' });
  await expect(ask).toContainText(`Create ${n} vendors in QuickBooks?`);
  expect(company.count('Vendor')).toBe(before); // nothing sent before the person confirms
  await ask.getByRole('button', { name: `Export ${n}` }).click();
  const progress = panel.getByTestId('export-progress');
  await expect(progress.getByRole('progressbar', { name: 'Export progress' })).toHaveAttribute('aria-valuemax', String(n));
  await expect(progress).toContainText(`Exported 30 of ${n}`, { timeout: 20_000 });
  await panel.screenshot({ path: 'test-results/panel-export-progress.png' });
  await progress.getByRole('button', { name: 'Stop exporting' }).click();
  // The batch on its way lands; the batches not begun are not sent.
  await expect(panel.getByTestId('console-note')).toContainText('Export stopped:', { timeout: 20_000 });
  const [, done, notSent] = (await progress.locator('[role="status"]').textContent())!.match(/Exported (\d+) of \d+, (\d+) not sent\./)!.map(Number);
  expect([30, 60]).toContain(done);
  expect(done + notSent).toBe(n);
  await expect(panel.getByTestId('console-note')).toHaveText(`Export stopped: ${notSent} not sent.`);
  sandbox.faults = { ...sandbox.faults, latencyMs: 0 };
  expect(company.count('Vendor')).toBe(before + done);
  const names = [...company.table('Vendor').values()].map((r) => r.data.DisplayName as string);
  expect(new Set(names).size).toBe(names.length);
  await expect.poll(async () => (await links(panel)).filter((l) => l.source === 'created').length).toBe(done);
  await expect(panel.getByTestId('count-matched').locator('b')).toHaveText(String(matchedBefore + done));
});
