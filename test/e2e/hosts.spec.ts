// QuickBooks inside the demo host apps, in the real browser: badges with the right states on
// each app, a badge opening the record in the QBO web app, the CRM contact page's summary and
// Transactions folder, a sandbox change shown after the next sync without a reload, SPA
// navigation, custom profiles, broken profiles and layout drift, badges worked from the keyboard,
// and content scripts held to their own page's profile.
import type { Locator, Page } from '@playwright/test';
import { WEB_PAGES } from '../../lib/qbo/links';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { configureExtension, connectThroughConsent, contentProgress, expect, EXTENSION_ORIGIN, reloadExtension, syncNow, test, turnOnProfiles } from './fixtures';
import { badgeOf, badgeState, clickPerceived, perceive, perceivedText, perceives } from './perceive';

const ALL = ['Spotlight (media buying)', 'Forge ERP (purchasing)', 'Rolodeck CRM', 'Ledgerly (accounting portal)', 'Paystream (AP/AR payments)'];

/** How the Transactions folder names each kind of QuickBooks transaction. */
const TXN_LABELS: Record<string, string> = { Invoice: 'Invoice', Payment: 'Payment', Estimate: 'Estimate', SalesReceipt: 'Sales receipt', CreditMemo: 'Credit memo' };

const badgeIn = (page: Page, rowSelector: string, text: string) => page.locator(rowSelector, { hasText: text }).first().locator('[data-qbc="badge"]');
/** Waits until a badge says this state to a person (its accessible name). */
const expectState = (badge: Locator, state: string) => expect.poll(() => badgeState(badge), { timeout: 15_000 }).toBe(state);
const qbId = (sandbox: QboSandbox, entity: string, name: string) =>
  [...sandbox.company(DEMO_REALM)!.table(entity).values()].find((r) => (r.data.DisplayName ?? r.data.Name) === name)!.data.Id as string;

test.beforeEach(async ({ context, sandbox, broker, page }) => {
  page.on('dialog', (d) => {
    throw new Error(`A host string ran as script: ${d.message()}`);
  });
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ALL);
});

test('Spotlight: badges show suggested, linked, not in QuickBooks, error and ignored, and open the record in QuickBooks', async ({ context, sandbox, hosts, page }) => {
  await page.goto(`${hosts.apps.media.url}/vendors`);
  const row = 'tr.vendor-row';
  await expectState(badgeIn(page, row, 'WXYZ TV'), 'suggested');
  await expectState(badgeIn(page, row, 'Denver Post, The'), 'suggested');
  await expectState(badgeIn(page, row, 'KABC-TV Digital'), 'not-in-qb');
  await expectState(badgeIn(page, row, 'Roku Advertising'), 'not-in-qb');
  // Pandora Media is inactive in QuickBooks: suggested, saying so; linked, a problem to show.
  const pandora = badgeIn(page, row, 'Pandora Media');
  await expectState(pandora, 'suggested');
  await pandora.click();
  await expect.poll(() => perceivedText(pandora)).toContain('Looks like QuickBooks vendor "Pandora Media LLC" (inactive)');
  await clickPerceived(pandora, 'button', 'Link to Pandora Media LLC');
  await expectState(pandora, 'error');
  expect((await badgeOf(pandora)).name).toMatch(/inactive/);
  // Host strings stay text: the hostile vendor name is in the badge's name as characters.
  expect((await badgeOf(badgeIn(page, row, 'onerror=alert(1)> Media'))).name).toBe('Not in QuickBooks: <img src=x onerror=alert(1)> Media');
  await page.screenshot({ path: 'test-results/spotlight-vendors.png' });

  // A suggestion becomes a link at a person's click; a linked badge opens the record in QuickBooks.
  const wxyz = badgeIn(page, row, 'WXYZ TV');
  await wxyz.click();
  await expect.poll(() => perceives(wxyz, 'dialog', 'Suggested match')).toBe(true);
  await page.screenshot({ path: 'test-results/badge-suggested.png' });
  await clickPerceived(wxyz, 'button', 'Link to WXYZ-TV');
  await expectState(wxyz, 'linked'); // scrolled to, as a person would
  const opened = context.waitForEvent('page');
  await wxyz.click();
  const qbo = await opened;
  await qbo.waitForLoadState();
  expect(qbo.url()).toBe(`${sandbox.url}/app/vendordetail?nameId=${qbId(sandbox, 'Vendor', 'WXYZ-TV')}&companyId=${DEMO_REALM}`);
  await expect(qbo.getByRole('heading', { level: 1 })).toHaveText('WXYZ-TV');

  // Ignore a host-only vendor; it stays ignored after a reload.
  const roku = badgeIn(page, row, 'Roku Advertising');
  await roku.click();
  await expect.poll(() => perceives(roku, 'dialog', 'Not in QuickBooks')).toBe(true);
  await page.screenshot({ path: 'test-results/badge-popover.png' });
  await clickPerceived(roku, 'button', 'Ignore for QuickBooks');
  await expectState(roku, 'ignored');
  await page.reload();
  await expectState(badgeIn(page, row, 'Roku Advertising'), 'ignored');

  // The same from the keyboard: Enter or Space opens the popover, a dialog named by its heading;
  // Escape closes it; Tab reaches its button.
  const kabc = badgeIn(page, row, 'KABC-TV Digital');
  await expectState(kabc, 'not-in-qb');
  await kabc.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => perceives(kabc, 'dialog', 'Not in QuickBooks')).toBe(true);
  await page.screenshot({ path: 'test-results/badge-keyboard.png' });
  await page.keyboard.press('Escape');
  await expect.poll(() => perceives(kabc, 'dialog', 'Not in QuickBooks')).toBe(false);
  await expect(kabc).toBeFocused();
  await page.keyboard.press(' ');
  await expect.poll(() => perceives(kabc, 'dialog', 'Not in QuickBooks')).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expectState(kabc, 'ignored');
  await kabc.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => perceives(kabc, 'dialog', 'Ignored for QuickBooks')).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expectState(kabc, 'not-in-qb');
});

test('a list page opened again shows its badges\' last states in its first pass, and what changed meanwhile is corrected', async ({ context, sandbox, hosts, page }) => {
  const row = 'tr.vendor-row';
  await page.goto(`${hosts.apps.media.url}/vendors`);
  await expectState(badgeIn(page, row, 'WXYZ TV'), 'suggested');
  await expectState(badgeIn(page, row, 'Roku Advertising'), 'not-in-qb');
  const first = await contentProgress(page);
  expect(first?.fromKnown).toBe(0); // nothing drawn on this app's pages before
  // While no page of the app is open, QuickBooks gets a vendor named Roku Advertising: the state
  // last drawn for the app's Roku Advertising (not in QuickBooks) is no longer true.
  sandbox.company(DEMO_REALM)!.create('Vendor', { DisplayName: 'Roku Advertising' });
  await page.goto('about:blank');
  await syncNow(context);
  await page.goto(`${hosts.apps.media.url}/vendors`);
  // Every record shows the state last drawn for it before the worker answers (none is checking
  // then), and the worker's answer corrects the one that changed.
  await expect.poll(async () => (await contentProgress(page))?.allConfirmedAt !== undefined, { timeout: 15_000 }).toBe(true);
  const again = (await contentProgress(page))!;
  expect(again.fromKnown).toBe(again.badges);
  expect(again.badges).toBe(first!.badges);
  expect(again.allShownAt!).toBeLessThan(again.allConfirmedAt!);
  await expectState(badgeIn(page, row, 'Roku Advertising'), 'suggested');
  await expectState(badgeIn(page, row, 'WXYZ TV'), 'suggested');
});

test('Forge ERP, Ledgerly and Paystream: badges on suppliers, parts, purchase orders, customers, invoices and bills', async ({ hosts, page }) => {
  await page.goto(`${hosts.apps.erp.url}/suppliers`);
  await expectState(badgeIn(page, 'tr.supplier-row', 'Precision Fasteners, Inc.'), 'suggested');
  await expectState(badgeIn(page, 'tr.supplier-row', 'Acme Supply East'), 'suggested');
  await expectState(badgeIn(page, 'tr.supplier-row', 'Shenzhen Brightway'), 'not-in-qb');
  await page.goto(`${hosts.apps.erp.url}/parts`);
  await expectState(page.locator('tr.part-row', { hasText: '820412-001' }).filter({ hasText: /\bB\b/ }).locator('[data-qbc="badge"]'), 'suggested');
  await expectState(page.locator('tr.part-row', { hasText: '990001-001' }).locator('[data-qbc="badge"]'), 'not-in-qb');
  await page.goto(`${hosts.apps.erp.url}/purchase-orders`);
  await expectState(badgeIn(page, 'tr.po-row', '1001'), 'not-in-qb');

  await page.goto(`${hosts.apps.portal.url}/quickbooks/customers`);
  await expectState(badgeIn(page, 'tr.customer-row', 'Bayside Auto Group'), 'suggested');
  await expectState(badgeIn(page, 'tr.customer-row', 'Maria Lopez'), 'suggested'); // by email
  await expectState(badgeIn(page, 'tr.customer-row', 'Buyer1 Media Inc'), 'not-in-qb');
  await page.goto(`${hosts.apps.portal.url}/quickbooks/vendors`);
  await expectState(badgeIn(page, 'tr.vendor-row', 'KABC TV'), 'suggested');
  await page.goto(`${hosts.apps.portal.url}/quickbooks/invoices`);
  await expectState(page.locator('tr.invoice-row [data-qbc="badge"]').first(), 'not-in-qb');

  await page.goto(`${hosts.apps.payments.url}/bills`);
  await expect.poll(() => badgeState(page.locator('tr.bill-row [data-qbc="badge"]').first())).toMatch(/not-in-qb|suggested/);
  const count = await page.locator('tr.bill-row').count();
  await expect(page.locator('tr.bill-row [data-qbc="badge"]')).toHaveCount(count);
  await page.screenshot({ path: 'test-results/paystream-bills.png' });
});

test('Rolodeck CRM: the contact page shows the QuickBooks summary and every QuickBooks transaction of the customer, kept current', async ({ context, sandbox, hosts, page }) => {
  await page.goto(`${hosts.apps.crm.url}/contacts`);
  const row = page.locator('tr.cd-contact-row', { hasText: 'Bayside Auto Group, Inc.' }).first();
  await expectState(row.locator('[data-qbc="badge"]'), 'suggested');
  // A single-page app: the contact opens without a page load, and the decorations follow.
  await row.locator('a.cd-contact-link').click();
  await expect(page).toHaveURL(/\/contacts\/\d+$/);
  const summary = page.locator('[data-qbc="summary"]');
  const company = sandbox.company(DEMO_REALM)!;
  const customerId = qbId(sandbox, 'Customer', 'Bayside Auto Group');
  const customer = company.get('Customer', customerId)!;
  const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  await expect.poll(() => perceivedText(summary)).toContain('QuickBooks summary Customer Bayside Auto Group');
  const read = await perceivedText(summary);
  expect(read).toContain(`Balance ${money(customer.BalanceWithJobs)}`);
  // QuickBooks sends the terms and payment method by id only: the names come from the QB cache.
  expect(customer.SalesTermRef.name).toBeUndefined();
  expect(read).toContain(`Terms ${company.get('Term', customer.SalesTermRef.value)!.Name}`);
  expect(read).toContain(`Payment method ${company.get('PaymentMethod', customer.PaymentMethodRef.value)!.Name}`);
  expect(read).toContain(`Email ${customer.PrimaryEmailAddr.Address}`);

  // The folder opens at a person's click and lists every transaction, each with a link named after it.
  const folder = page.locator('[data-qbc="transactions"]');
  const expected = () =>
    company
      .txnsOf('Customer', customerId)
      .filter((t) => t.entity in TXN_LABELS)
      .map((t) => {
        const number = t.rec.DocNumber ?? t.rec.PaymentRefNum;
        return `Open ${number ? `${TXN_LABELS[t.entity]} ${number}` : TXN_LABELS[t.entity]} in QuickBooks`;
      })
      .sort();
  const links = async () => (await perceive(folder)).filter((n) => n.role === 'link').map((n) => n.name).sort();
  await expect.poll(() => perceives(folder, 'button', /^QB QuickBooks Transactions/)).toBe(true);
  expect(await links()).toEqual([]);
  await clickPerceived(folder, 'button', /^QB QuickBooks Transactions/);
  await expect.poll(links).toEqual(expected());
  expect(expected().length).toBeGreaterThan(0);
  expect((await perceive(folder)).find((n) => n.role === 'button')?.expanded).toBe(true);
  expect((await perceive(folder)).some((n) => n.role === 'columnheader' && n.name === 'Open in QuickBooks')).toBe(true);
  await page.screenshot({ path: 'test-results/crm-contact.png', fullPage: true });

  // A row's link opens its transaction in QuickBooks.
  const invoices = company.txnsOf('Customer', customerId).filter((t) => t.entity === 'Invoice');
  const target = invoices[0].rec;
  const opened = context.waitForEvent('page');
  await clickPerceived(folder, 'link', `Open Invoice ${target.DocNumber} in QuickBooks`);
  const qbo = await opened;
  expect(qbo.url()).toBe(`${sandbox.url}/app/${WEB_PAGES.Invoice.page}?txnId=${target.Id}&companyId=${DEMO_REALM}`);
  await qbo.close();

  // Someone adds an invoice in QuickBooks; after the next sync the open page shows it, no reload.
  const item = [...company.table('Item').values()].find((r) => r.data.Name === 'Consulting')!.data;
  const invoice = company.create('Invoice', { CustomerRef: { value: customerId }, Line: [{ Amount: 4321, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }] });
  company.create('Payment', { CustomerRef: { value: customerId }, TotalAmt: 250 }); // no reference number
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await syncNow(context);
  await expect.poll(links).toContain(`Open Invoice ${invoice.DocNumber} in QuickBooks`);
  expect(await perceivedText(folder)).toContain(`No. ${invoice.DocNumber} $4,321.00`);
  expect((await links()).filter((l) => l === 'Open Payment in QuickBooks').length).toBeGreaterThan(0);
  expect(loads).toEqual([]);

  // Back to the list: the contact page's panels are gone and the list is decorated again.
  await page.goBack();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.locator('[data-qbc="summary"]')).toHaveCount(0);
  await expectState(page.locator('tr.cd-contact-row', { hasText: 'Bayside Auto Group, Inc.' }).first().locator('[data-qbc="badge"]'), 'suggested');
});

test('a custom profile decorates the page it was written for; a broken one is refused naming the field; drift is reported', async ({ context, hosts, page }) => {
  const options = await context.newPage();
  await options.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  const editor = options.getByLabel('Site profile JSON');
  await options.getByText('Add a site profile').click();
  const broken = {
    id: 'spotlight-payments', name: 'Spotlight payments', matches: ['http://media.localhost/*'],
    pages: [{ id: 'payments', path: '^/payments/?$', kind: 'billPayment', layout: 'list', fields: { hostId: { attribute: 'data-row-key' } }, anchors: { badge: { selector: 'td.payment-number' } } }],
  };
  await editor.fill(JSON.stringify(broken));
  await options.getByRole('button', { name: 'Save profile' }).click();
  const problems = options.getByTestId('profile-problems');
  await expect(problems).toContainText('pages[0].record is missing: the CSS selector that finds each record');
  await expect(options.getByTestId('profile-spotlight-payments')).toHaveCount(0);
  await editor.fill(JSON.stringify({ ...broken, pages: [{ ...broken.pages[0], record: 'table.payment-grid tbody tr.payment-row' }] }));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await expect(problems).toHaveText('pages[0].fields.number is required for billPayment records (the number that is matched with QuickBooks)');
  await expect(options.getByTestId('profile-spotlight-payments')).toHaveCount(0);

  const good = { ...broken, pages: [{ ...broken.pages[0], record: 'table.payment-grid tbody tr.payment-row', fields: { hostId: { attribute: 'data-row-key' }, number: 'td.payment-number', party: 'td.payment-vendor a' } }] };
  await editor.fill(JSON.stringify(good));
  await options.getByRole('button', { name: 'Save profile' }).click();
  const saved = options.getByTestId('profile-saved');
  await expect(saved).toHaveText('Saved "Spotlight payments". Turn it on above to use it.');
  // Kinds read as words, not as ids.
  await expect(options.getByTestId('profile-spotlight-payments')).toContainText('Pages: payments (bill payments)');
  await expect(options.getByTestId('profile-forge-erp')).toContainText('purchase-orders (purchase orders)');
  await options.getByRole('button', { name: 'Turn on Spotlight payments' }).click();
  await expect(options.getByRole('button', { name: 'Turn off Spotlight payments' })).toBeVisible();
  await page.goto(`${hosts.apps.media.url}/payments`);
  const rows = await page.locator('tr.payment-row').count();
  await expect(page.locator('tr.payment-row [data-qbc="badge"]')).toHaveCount(rows);

  // Editing a profile says it was saved, once the editor is back to a new profile.
  await options.getByRole('button', { name: 'Edit Spotlight payments' }).click();
  await expect(saved).toHaveCount(0);
  await expect(editor).toHaveValue(/"Spotlight payments"/);
  await editor.fill(JSON.stringify({ ...good, name: 'Spotlight bill payments' }));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await expect(saved).toHaveText('Saved "Spotlight bill payments". Its open pages use it now.');
  await expect(options.getByRole('button', { name: 'Turn off Spotlight bill payments' })).toBeVisible();
  await options.getByText('Add a site profile').click();

  // A profile whose page no longer has what it looks for is reported in the popup.
  const drifting = { id: 'ledgerly-old', name: 'Ledgerly (old layout)', matches: ['http://portal.localhost/*'], pages: [{ id: 'clients', path: '^/$', kind: 'customer', layout: 'list', record: 'table.old-clients tr', fields: { hostId: 'td.id', name: 'td.name' }, anchors: { badge: { selector: 'td.name' } } }] };
  await editor.fill(JSON.stringify(drifting));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await options.getByRole('button', { name: 'Turn on Ledgerly (old layout)' }).click();
  await page.goto(`${hosts.apps.portal.url}/`);
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  await expect(popup.getByTestId('drift')).toContainText(`Ledgerly (old layout): a page's layout has changed. On ${new URL(hosts.apps.portal.url).host}/ no records were found.`, { timeout: 15_000 });
  await popup.screenshot({ path: 'test-results/popup-drift.png' });

  // Deleting a profile asks first.
  const oldLayout = options.getByTestId('profile-ledgerly-old');
  options.once('dialog', (d) => void d.dismiss());
  await options.getByRole('button', { name: 'Delete Ledgerly (old layout)' }).click();
  await expect(oldLayout).toHaveCount(1);
  options.once('dialog', (d) => {
    expect(d.message()).toBe('Delete the site profile "Ledgerly (old layout)"? QuickBooks will be gone from its pages.');
    void d.accept();
  });
  await options.getByRole('button', { name: 'Delete Ledgerly (old layout)' }).click();
  await expect(oldLayout).toHaveCount(0);
  await expect(options.getByTestId('hosts-note')).toHaveText('Ledgerly (old layout) is deleted.');
  await expect(saved).toHaveCount(0);
  await options.screenshot({ path: 'test-results/options-hosts.png', fullPage: true });
});

test('open pages follow the extension: a site turned off or on changes at once, and after an update the new version takes over, once', async ({ context, sandbox, hosts, page }) => {
  await page.goto(`${hosts.apps.media.url}/vendors`);
  const row = 'tr.vendor-row';
  const rows = await page.locator(row).count();
  const badges = page.locator('[data-qbc="badge"]');
  await expectState(badgeIn(page, row, 'WXYZ TV'), 'suggested');
  await expect(badges).toHaveCount(rows);
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));

  const options = await context.newPage();
  await options.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  await options.getByRole('button', { name: 'Turn off Spotlight (media buying)' }).click();
  await expect(options.getByText('Spotlight (media buying) is off. QuickBooks is gone from its open pages.')).toBeVisible();
  await expect(badges).toHaveCount(0);
  await options.getByRole('button', { name: 'Turn on Spotlight (media buying)' }).click();
  await expect(badges).toHaveCount(rows);
  await expectState(badgeIn(page, row, 'WXYZ TV'), 'suggested');

  // The extension updates (a reload is one): the running copy hands over to the new version.
  await page.evaluate(() => document.querySelectorAll('[data-qbc="badge"]').forEach((b) => b.setAttribute('data-before-update', '')));
  await reloadExtension(context);
  await expect(page.locator('[data-before-update]')).toHaveCount(0);
  await expect(badges).toHaveCount(rows);
  for (const r of await page.locator(row).all()) await expect(r.locator('[data-qbc="badge"]')).toHaveCount(1);

  // The new copy is the live one: a vendor added in QuickBooks turns its badge green after a sync.
  await expectState(badgeIn(page, row, 'Roku Advertising'), 'not-in-qb');
  sandbox.company(DEMO_REALM)!.create('Vendor', { DisplayName: 'Roku Advertising' });
  await syncNow(context);
  await expectState(badgeIn(page, row, 'Roku Advertising'), 'suggested');
  expect(loads).toEqual([]);
});

test('layout drift: a page slow to load is not reported (its badges show their states before it has loaded), and a built-in profile that no longer fits asks for a new site profile', async ({ context, hosts, page }) => {
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  const drift = popup.getByTestId('drift');

  // The vendors page loads slowly (an image holds its load event back); its records are read once it has loaded.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/slow.gif', async (route) => {
    await held;
    await route.fulfill({ status: 404 });
  });
  await page.route(`${hosts.apps.media.url}/vendors`, async (route) => {
    const response = await route.fetch({ url: `${hosts.apps.media.localUrl}/vendors` });
    await route.fulfill({ response, body: (await response.text()).replace('</body>', '<img src="/slow.gif" alt=""></body>') });
  });
  await page.goto(`${hosts.apps.media.url}/vendors`, { waitUntil: 'domcontentloaded' });
  // Its records are read once it is parsed: the badges know their state while it still loads.
  await expectState(badgeIn(page, 'tr.vendor-row', 'WXYZ TV'), 'suggested');
  expect(await page.evaluate(() => document.readyState)).toBe('interactive');
  await page.waitForTimeout(5500); // longer than a page may take to show its records once loaded
  await expect(drift).toHaveCount(0);
  release();
  await page.waitForLoadState('load');
  await expectState(badgeIn(page, 'tr.vendor-row', 'WXYZ TV'), 'suggested');
  await expect(drift).toHaveCount(0);

  // Spotlight's bills page has a new layout: its built-in profile cannot be edited, so the popup
  // asks for a site profile for the new layout.
  await page.route(`${hosts.apps.media.url}/bills`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Bills</title><main><h1>Bills</h1><div class="bills-board"></div></main>' }),
  );
  await page.goto(`${hosts.apps.media.url}/bills`);
  await expect(drift.getByRole('alert')).toHaveText(
    `Spotlight (media buying): a page's layout has changed. On ${new URL(hosts.apps.media.url).host}/bills no records were found. Add a site profile for the new layout in Host apps.`,
    { timeout: 15_000 },
  );
  await popup.screenshot({ path: 'test-results/popup-drift-builtin.png' });
  // The recent activity fits the popup, long entries included (a sync's list of entities).
  expect(await popup.locator('main').evaluate((m) => m.scrollWidth)).toBeLessThanOrEqual(380);
});

test('a content script may speak only for a profile that covers its own page', async ({ context, hosts, page }) => {
  await page.goto(`${hosts.apps.media.url}/vendors`);
  await expectState(badgeIn(page, 'tr.vendor-row', 'WXYZ TV'), 'suggested');
  const options = await context.newPage();
  await options.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  const replies = await options.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url: `${url}/*` });
    const [result] = await chrome.scripting.executeScript({
      target: { tabId: tab.id! },
      func: async () => {
        const records = [{ hostId: '1', fields: { hostId: '1', name: 'Anyone' } }];
        return {
          // Forge ERP is on, but covers erp.localhost, not this page.
          otherSite: await chrome.runtime.sendMessage({ type: 'hosts.records', payload: { profileId: 'forge-erp', pageId: 'suppliers', records } }),
          otherDrift: await chrome.runtime.sendMessage({ type: 'hosts.drift', payload: { profileId: 'forge-erp', pageId: 'suppliers', path: '/suppliers', problem: 'no-records' } }),
          noSuchPage: await chrome.runtime.sendMessage({ type: 'hosts.records', payload: { profileId: 'spotlight', pageId: 'nope', records } }),
          own: await chrome.runtime.sendMessage({ type: 'hosts.records', payload: { profileId: 'spotlight', pageId: 'vendors', records } }),
        };
      },
    });
    return result.result;
  }, hosts.apps.media.url);
  expect(replies.otherSite).toMatchObject({ ok: false, error: { kind: 'Refused', message: 'This page is not covered by that site profile.' } });
  expect(replies.otherDrift).toMatchObject({ ok: false, error: { kind: 'Refused', message: 'This page is not covered by that site profile.' } });
  expect(replies.noSuchPage).toMatchObject({ ok: false, error: { kind: 'Refused', message: 'The site profile has no page "nope".' } });
  expect(replies.own).toMatchObject({ ok: true, data: { statuses: [{ hostId: '1', state: 'not-in-qb' }] } });
  const popup = await context.newPage();
  await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
  await expect(popup.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
  await expect(popup.getByTestId('drift')).toHaveCount(0);
});
