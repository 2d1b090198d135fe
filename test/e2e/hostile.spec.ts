// Host pages are hostile: the page's own script must learn nothing about QuickBooks from our UI,
// and must not be able to make us act. Each test plays the page's script (page.evaluate runs in
// the page's world) against the built extension, and checks what a person perceives through the
// accessibility tree, which the page cannot read.
import type { Page } from '@playwright/test';
import { configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ID, EXTENSION_ORIGIN, syncNow, test, turnOnProfiles } from './fixtures';
import { badgeState, clickPerceived, perceive, perceivedText, perceives } from './perceive';

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Spotlight (media buying)', 'Rolodeck CRM']);
});

/** Everything a page's script can read of one of our elements (found by a selector in the page). */
function footprint(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement | null;
    if (!el) return null;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      attributes: [...el.attributes].map((a) => `${a.name}=${a.value}`),
      shadowRoot: el.shadowRoot === null ? 'none' : 'readable',
      html: el.innerHTML,
      text: el.textContent,
      children: el.childElementCount,
      size: [box.width, box.height, el.offsetWidth, el.offsetHeight, el.scrollWidth, el.scrollHeight, el.clientWidth, el.clientHeight],
      style: [style.display, style.width, style.height, style.backgroundColor, style.color, style.outline],
    };
  }, selector);
}

test('a page reading our badges learns the same for a vendor QuickBooks holds and one it does not', async ({ hosts, page }) => {
  await page.goto(`${hosts.apps.media.url}/vendors`);
  const known = page.locator('tr.vendor-row', { hasText: 'WXYZ TV' }).first().locator('[data-qbc="badge"]');
  const unknown = page.locator('tr.vendor-row', { hasText: 'Roku Advertising' }).first().locator('[data-qbc="badge"]');
  // A person sees the difference...
  await expect.poll(() => badgeState(known)).toBe('suggested');
  await expect.poll(() => badgeState(unknown)).toBe('not-in-qb');
  // ...the page's script does not: mark the two rows and read each badge as the page can.
  await page.evaluate(() => {
    for (const tr of document.querySelectorAll('tr.vendor-row')) {
      const name = tr.textContent ?? '';
      if (name.includes('WXYZ TV')) tr.setAttribute('data-probe', 'linked');
      if (name.includes('Roku Advertising')) tr.setAttribute('data-probe', 'unknown');
    }
  });
  const a = await footprint(page, 'tr[data-probe="linked"] [data-qbc]');
  const b = await footprint(page, 'tr[data-probe="unknown"] [data-qbc]');
  expect(a).not.toBeNull();
  expect(a).toEqual(b);
  expect(a!.shadowRoot).toBe('none');
  expect(a!.html).toBe('');
  // Nothing anywhere in the page's DOM names a state or QuickBooks data.
  const attributes = await page.evaluate(() => [...new Set([...document.querySelectorAll('[data-qbc]')].flatMap((el) => [...el.attributes].map((x) => x.name)))].sort());
  expect(attributes).toEqual(['data-qbc', 'style']);
  expect(await page.evaluate(() => document.body.innerHTML.includes('WXYZ-TV'))).toBe(false); // QuickBooks' own spelling
});

test("a page that renames a contact and changes its address to guess at customers can read nothing of what it makes us show", async ({ context, hosts, page }) => {
  await page.goto(`${hosts.apps.crm.url}/contacts`);
  // With the person signed in to the CRM, a sync reads its contacts through its API.
  await syncNow(context);
  const extensionPage = await context.newPage();
  await extensionPage.goto(`${EXTENSION_ORIGIN}/popup.html`);
  const fromApi = async () => ((await dumpDatabase(extensionPage)).stores.hostRecords as { profileId: string; source?: string }[]).filter((r) => r.profileId === 'rolodeck-crm' && r.source === 'api').length;
  await expect.poll(fromApi, { timeout: 30_000 }).toBeGreaterThan(0);
  await extensionPage.close();
  const idOf = (company: string) => page.locator('tr.cd-contact-row', { hasText: company }).first().locator('a.cd-contact-link').getAttribute('href');
  const customer = (await idOf('Bayside Auto Group, Inc.'))!;
  const lead = (await idOf('Sunset Yoga Collective'))!;

  // The footprint of the panels on a customer's page, and on a lead's (not in QuickBooks).
  const panels = async () => ({ summary: await footprint(page, '[data-qbc="summary"]'), transactions: await footprint(page, '[data-qbc="transactions"]') });
  await page.goto(`${hosts.apps.crm.url}${customer}`);
  const summary = page.locator('[data-qbc="summary"]');
  await expect.poll(() => perceivedText(summary)).toContain('Customer Bayside Auto Group');
  const ofCustomer = await panels();
  await page.goto(`${hosts.apps.crm.url}${lead}`);
  await expect.poll(() => perceivedText(summary)).toContain('No QuickBooks customer has this name or email.');
  const ofLead = await panels();
  expect(ofCustomer.summary).not.toBeNull();
  expect(ofCustomer.transactions).not.toBeNull();
  expect(ofLead).toEqual(ofCustomer);

  // The page's script renames the lead after a customer: the app's API says who the contact is, so
  // what the page shows is only a hint and the summary stays the lead's.
  await page.evaluate(() => {
    const company = document.querySelector('dd.cd-field-company');
    if (company) company.textContent = 'Bayside Auto Group, Inc.';
    history.pushState({}, '', `${location.pathname}?guess=1`);
  });
  await expect(page).toHaveURL(/\?guess=1$/);
  await expect.poll(() => perceivedText(summary)).toContain('No QuickBooks customer has this name or email.');
  // It then moves to the customer's address: we show that customer's summary to the person, and
  // the page still reads the same nothing.
  await page.evaluate((to) => history.pushState({}, '', to), customer);
  await expect.poll(() => perceivedText(summary)).toContain('Customer Bayside Auto Group');
  expect(await panels()).toEqual(ofCustomer);
});

test('scripted clicks and key presses on our UI do nothing, and the page cannot make us remove it', async ({ hosts, page }) => {
  await page.goto(`${hosts.apps.media.url}/vendors`);
  const roku = page.locator('tr.vendor-row', { hasText: 'Roku Advertising' }).first().locator('[data-qbc="badge"]');
  await expect.poll(() => badgeState(roku)).toBe('not-in-qb');
  const badges = await page.locator('[data-qbc="badge"]').count();
  expect(badges).toBeGreaterThan(10);

  await page.evaluate((extensionId) => {
    const host = [...document.querySelectorAll('tr.vendor-row')].find((tr) => tr.textContent?.includes('Roku Advertising'))!.querySelector('[data-qbc]') as HTMLElement;
    host.click();
    host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    host.focus();
    for (const key of ['Enter', ' ']) document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
    // WXT's "a newer copy of this content script started" event, as the page could fire it.
    const started = `${extensionId}:host:wxt:content-script-started`;
    document.dispatchEvent(new CustomEvent(started, { detail: { contentScriptName: 'host', messageId: 'forged' } }));
    window.postMessage({ type: started, contentScriptName: 'host', messageId: 'forged' }, '*');
  }, EXTENSION_ID);

  // No popover opened, nothing was ignored, and every badge is still there and alive.
  await page.waitForTimeout(500); // give a wrongly-obeyed event time to show
  expect(await perceives(roku, 'dialog', /QuickBooks/)).toBe(false);
  expect(await badgeState(roku)).toBe('not-in-qb');
  await expect(page.locator('[data-qbc="badge"]')).toHaveCount(badges);
  // A person's click still works.
  await roku.click();
  await expect.poll(() => perceives(roku, 'dialog', 'Not in QuickBooks')).toBe(true);
});

test("Sync with QB controls read the same to the page on a linked row and on one not in QuickBooks, and scripted input on them does nothing", async ({ context, hosts, page }) => {
  hosts.reset('portal');
  await (await turnOnProfiles(context, ['Ledgerly (accounting portal)'])).close();
  await page.goto(`${hosts.apps.portal.url}/quickbooks/customers`);
  const control = (name: string) => page.locator('tr.customer-row', { hasText: name }).first().locator('[data-qbc="sync"]');
  const named = async (name: string) => (await perceive(control(name))).find((n) => n.role === 'button')?.name;
  // A person links Maria Lopez to her QuickBooks customer; Buyer1 Media Inc is not in QuickBooks.
  await expect.poll(() => named('Maria Lopez')).toBe('Sync Maria Lopez with QuickBooks');
  await clickPerceived(control('Maria Lopez'), 'button', 'Sync Maria Lopez with QuickBooks');
  await expect.poll(() => perceives(control('Maria Lopez'), 'button', 'Link to Lopez, Maria (suggested)')).toBe(true);
  await clickPerceived(control('Maria Lopez'), 'button', 'Link to Lopez, Maria (suggested)');
  await expect.poll(() => named('Maria Lopez')).toBe('In QuickBooks: Lopez, Maria');
  await expect.poll(() => named('Buyer1 Media Inc')).toBe('Sync Buyer1 Media Inc with QuickBooks');
  await page.keyboard.press('Escape');

  await page.evaluate(() => {
    for (const tr of document.querySelectorAll('tr.customer-row')) {
      if (tr.textContent?.includes('Maria Lopez')) tr.setAttribute('data-probe', 'linked');
      if (tr.textContent?.includes('Buyer1 Media Inc')) tr.setAttribute('data-probe', 'unknown');
    }
  });
  const a = await footprint(page, 'tr[data-probe="linked"] [data-qbc="sync"]');
  const b = await footprint(page, 'tr[data-probe="unknown"] [data-qbc="sync"]');
  expect(a).not.toBeNull();
  expect(a).toEqual(b);
  expect(a!.shadowRoot).toBe('none');
  expect(a!.html).toBe('');
  expect((await footprint(page, '[data-qbc="bulk"]'))!.shadowRoot).toBe('none');

  // The page's script clicks and presses keys on the control of the row not in QuickBooks: nothing opens, nothing is made.
  await page.evaluate(() => {
    const host = document.querySelector('tr[data-probe="unknown"] [data-qbc="sync"]') as HTMLElement;
    host.click();
    host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    host.focus();
    for (const key of ['Enter', ' ']) document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  });
  await page.waitForTimeout(500); // give a wrongly-obeyed event time to show
  expect(await perceives(control('Buyer1 Media Inc'), 'dialog', /QuickBooks/)).toBe(false);
  expect(await named('Buyer1 Media Inc')).toBe('Sync Buyer1 Media Inc with QuickBooks');
});

test('a profile for every site is refused in the editor, naming the field and what to put there', async ({ context }) => {
  const options = await context.newPage();
  await options.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  await options.getByText('Add a site profile').click();
  const everywhere = {
    id: 'everywhere', name: 'Everywhere', matches: ['*://*/*'],
    pages: [{ id: 'all', kind: 'customer', layout: 'list', record: 'body', fields: { hostId: 'title', name: 'title' }, anchors: { badge: { selector: 'body' } } }],
  };
  await options.getByLabel('Site profile JSON').fill(JSON.stringify(everywhere));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await expect(options.getByTestId('profile-problems')).toHaveText("matches[0] matches every site; name the host app's site, like https://app.example.com/*");
  await expect(options.getByTestId('profile-everywhere')).toHaveCount(0);
  await options.getByLabel('Site profile JSON').fill(JSON.stringify({ ...everywhere, matches: ['http://portal.example.com/*'] }));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await expect(options.getByTestId('profile-problems')).toContainText('matches[0] uses plain http, which sends your session with the host app unencrypted');
  // An id already taken is never replaced silently.
  await options.getByLabel('Site profile JSON').fill(JSON.stringify({ ...everywhere, matches: ['https://portal.example.com/*'] }));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await expect(options.getByTestId('profile-everywhere')).toHaveCount(1);
  await options.getByLabel('Site profile JSON').fill(JSON.stringify({ ...everywhere, name: 'Another', matches: ['https://other.example.com/*'] }));
  await options.getByRole('button', { name: 'Save profile' }).click();
  await expect(options.getByTestId('profile-problems')).toHaveText('id "everywhere" is already one of your profiles (Everywhere); edit that one, or choose another id');
  await expect(options.getByTestId('profile-everywhere')).toContainText('https://portal.example.com/*');
});
