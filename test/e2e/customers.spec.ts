// The CRM's two-way customer sync in the built extension: Sync all now links or creates each
// customer once; with a contact's page open, a phone changed in QuickBooks shows on the contact's
// own page within 30 s, and an email changed in the CRM's own form reaches QuickBooks within 5 s; a
// field changed on both sides between syncs ends with the later change on both sides, once, also
// when QuickBooks' clock runs minutes ahead of or behind the CRM's; a field QuickBooks wins is never
// written to QuickBooks; twenty changes back and forth are twenty writes in the log.
import type { Page } from '@playwright/test';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { STAFF } from '../../sandbox/hosts/seed';
import { acceptConfident, configureExtension, connectThroughConsent, dumpDatabase, expect, EXTENSION_ORIGIN, syncNow, test, turnOnProfiles } from './fixtures';

type Rec = Record<string, any>;
const digits = (p: string | null | undefined) => String(p ?? '').replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Rolodeck CRM']);
});

test('customers stay in step both ways: Sync all now once, fresh within seconds with the page open, the later change wins whatever the clocks, no echoes', async ({ context, sandbox, hosts, page }) => {
  test.setTimeout(300_000);
  const company = sandbox.company(DEMO_REALM)! as unknown as { table(e: string): Map<string, { data: Rec }>; update(e: string, b: Rec, sparse: boolean): Rec; get(e: string, id: string): Rec | undefined };
  const live = (entity: string): Rec[] => [...company.table(entity).values()].map((r) => r.data);
  const crm = hosts.apps.crm.url;
  const contacts = () => hosts.store('crm').contacts;
  await page.goto(`${crm}/contacts`);
  await expect(page.locator('tr.cd-contact-row').first()).toBeVisible();
  await syncNow(context);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 460, height: 900 });
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Rolodeck CRM');
  const tab = (name: string) => panel.getByRole('tab', { name, exact: true }).click();

  /** The CRM's API, from its own page (its token; the CRM renews it every 20 writes, and the page is then read again). */
  const crmPatch = async (p: Page, body: Rec, id: number = pair.contact.id): Promise<number> => {
    const send = () =>
      p.evaluate(async ({ id, body }) => {
        const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
        const res = await fetch(`/api/contacts/${id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token }, body: JSON.stringify(body) });
        return res.status;
      }, { id, body });
    // The extension's own writes may renew the token between the page's reload and the write: read it again, a few times.
    let status = await send();
    for (let i = 0; i < 3 && status === 403; i++) {
      await p.reload();
      status = await send();
    }
    return status;
  };  // Linked by their confident suggestions, then on: a contact never changed is not synced.
  await tab('Customers');
  await acceptConfident(panel);
  await tab('Settings');
  await panel.getByRole('checkbox', { name: 'Keep customers in step' }).click();
  await expect(panel.getByRole('checkbox', { name: 'Keep customers in step' })).toBeChecked();
  await expect(panel.getByTestId('customer-sync-note')).toContainText('kept in step from now on');
  await expect(panel.getByTestId('freshness')).toContainText('within 30 seconds (240 QuickBooks calls an hour)');
  const firstLinks = ((await dumpDatabase(panel)).stores.links as Rec[]).filter((l) => l.profileId === 'rolodeck-crm' && l.kind === 'customer' && l.state === 'linked');
  const quiet = firstLinks.map((l) => ({ contact: contacts().find((c) => String(c.id) === l.hostId)!, qbId: l.qbId as string })).find((p) => p.contact?.mobile && !company.get('Customer', p.qbId)?.Mobile)!;
  await syncNow(context);
  await syncNow(context);
  expect(company.get('Customer', quiet.qbId)!.Mobile).toBeUndefined();
  // Its first change (its owner, a field the chart does not map) starts its first sync: QuickBooks gets its mobile.
  expect(await crmPatch(page, { owner: STAFF.find((s) => s !== quiet.contact.owner) }, quiet.contact.id)).toBe(200);
  await syncNow(context);
  await expect.poll(() => digits(company.get('Customer', quiet.qbId)!.Mobile?.FreeFormNumber), { timeout: 30_000 }).toBe(digits(quiet.contact.mobile));
  const customersBefore = live('Customer').length;
  const contactsBefore = contacts().length;
  await panel.getByRole('button', { name: 'Sync all now' }).click();
  const plan = await panel.getByTestId('sync-all-plan').textContent();
  const [, , pairs, toQb, toApp] = /(\d+) confident suggestions will be linked, (\d+) linked contacts synced, (\d+) contacts created in QuickBooks and (\d+) QuickBooks customers created in the app/.exec(plan!)!.map(Number);
  expect(pairs).toBeGreaterThan(20);
  await panel.getByRole('button', { name: 'Sync all', exact: true }).click();
  await expect(panel.getByTestId('customer-sync-note')).toHaveText(/Every customer is in step\.|not synced/, { timeout: 120_000 });
  await expect.poll(() => live('Customer').length, { timeout: 60_000 }).toBe(customersBefore + toQb);
  await expect.poll(() => contacts().length, { timeout: 60_000 }).toBe(contactsBefore + toApp);
  await panel.screenshot({ path: 'test-results/customer-sync-settings.png' });
  // Again: nothing new is made.
  await panel.getByRole('button', { name: 'Sync all now' }).click();
  await expect(panel.getByTestId('sync-all-plan')).toContainText('0 confident suggestions will be linked');
  await expect(panel.getByTestId('sync-all-plan')).toContainText('0 contacts created in QuickBooks and 0 QuickBooks customers created in the app');
  await panel.getByRole('button', { name: 'Cancel' }).click();

  // A linked contact, its page open.
  const links = ((await dumpDatabase(panel)).stores.links as Rec[]).filter((l) => l.profileId === 'rolodeck-crm' && l.kind === 'customer' && l.state === 'linked');
  const pair = links.map((l) => ({ contact: contacts().find((c) => String(c.id) === l.hostId)!, qbId: l.qbId as string })).find((p) => p.contact?.company && p.contact.address && live('Customer').find((c) => c.Id === p.qbId)?.Active !== false)!;
  const qbNow = () => company.get('Customer', pair.qbId)!;
  const contactNow = () => contacts().find((c) => c.id === pair.contact.id)!;
  await page.goto(`${crm}/contacts/${pair.contact.id}`);
  await expect(page.locator('h1.cd-contact-name')).toBeVisible();

  // QuickBooks' phone reaches the contact's own page within 30 s, no click anywhere.
  const started = Date.now();
  company.update('Customer', { Id: pair.qbId, SyncToken: qbNow().SyncToken, PrimaryPhone: { FreeFormNumber: '707-555-0161' } }, true);
  await expect.poll(() => digits(contactNow().phone), { timeout: 30_000, intervals: [250] }).toBe('7075550161');
  test.info().annotations.push({ type: 'QuickBooks to the CRM', description: `${Date.now() - started} ms` });
  await page.reload();
  await expect(page.locator('dd.cd-field-phone')).toHaveText('(707) 555-0161');

  // The CRM's own form: a new email reaches QuickBooks within 5 s.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('textbox', { name: 'Email' }).fill('ap-desk@changed.example');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('dd.cd-field-email')).toHaveText('ap-desk@changed.example');
  await expect.poll(() => qbNow().PrimaryEmailAddr?.Address, { timeout: 5_000, intervals: [200] }).toBe('ap-desk@changed.example');


  // From here on the page is left (no tab: the changes meet on the next sync).
  await page.goto(`${crm}/`);

  // The same field changed on both sides between syncs: the later change wins, whichever clock runs ahead.
  for (const [skew, first] of [[5 * 60_000, 'qb'], [-5 * 60_000, 'crm']] as const) {
    sandbox.clock.advance(skew - ((sandbox.clock.now() - Date.now()) | 0));
    await syncNow(context); // the extension learns QuickBooks' clock
    const qbPhone = `415-555-0${first === 'qb' ? '301' : '302'}`;
    const crmPhone = `415-555-0${first === 'qb' ? '401' : '402'}`;
    const change = async (side: 'qb' | 'crm') =>
      side === 'qb' ? void company.update('Customer', { Id: pair.qbId, SyncToken: qbNow().SyncToken, PrimaryPhone: { FreeFormNumber: qbPhone } }, true) : expect(await crmPatch(page, { phone: crmPhone })).toBe(200);
    await change(first);
    await page.waitForTimeout(3_000);
    await change(first === 'qb' ? 'crm' : 'qb');
    const later = first === 'qb' ? crmPhone : qbPhone;
    await syncNow(context);
    await expect.poll(() => [digits(qbNow().PrimaryPhone?.FreeFormNumber), digits(contactNow().phone)], { timeout: 30_000 }).toEqual([digits(later), digits(later)]);
  }
  sandbox.clock.reset();
  await syncNow(context);

  // Different fields changed on both sides between syncs: both are kept, on both sides.
  expect(await crmPatch(page, { email: 'both-kept@changed.example' })).toBe(200);
  company.update('Customer', { Id: pair.qbId, SyncToken: qbNow().SyncToken, Mobile: { FreeFormNumber: '628-555-0190' } }, true);
  await syncNow(context);
  await expect
    .poll(() => [qbNow().PrimaryEmailAddr?.Address, digits(qbNow().Mobile?.FreeFormNumber), contactNow().email, digits(contactNow().mobile)], { timeout: 30_000 })
    .toEqual(['both-kept@changed.example', '6285550190', 'both-kept@changed.example', '6285550190']);

  // Terms: QuickBooks wins. Changed in the CRM, they go back to QuickBooks' and QuickBooks is not written.
  const termsBefore = qbNow().SalesTermRef;
  expect(await crmPatch(page, { paymentTerms: 'Net 7' })).toBe(200);
  await syncNow(context);
  await expect.poll(() => contactNow().paymentTerms, { timeout: 30_000 }).not.toBe('Net 7');
  expect(qbNow().SalesTermRef).toEqual(termsBefore);
  const outbox = () => dumpDatabase(panel).then((d) => (d.stores.outbox as Rec[]).filter((e) => e.host?.hostId === String(pair.contact.id) && e.origin?.name === 'Customer sync'));
  expect((await outbox()).filter((e) => e.target === 'qbo' && e.intent?.SalesTermRef)).toEqual([]);

  // Twenty changes back and forth: twenty writes, no echo.
  const before = (await outbox()).length;
  for (let i = 0; i < 20; i++) {
    const phone = `510-555-${String(1100 + i)}`;
    if (i % 2 === 0) company.update('Customer', { Id: pair.qbId, SyncToken: qbNow().SyncToken, PrimaryPhone: { FreeFormNumber: phone } }, true);
    else expect(await crmPatch(page, { phone })).toBe(200);
    await syncNow(context);
    await expect.poll(() => [digits(qbNow().PrimaryPhone?.FreeFormNumber), digits(contactNow().phone)], { timeout: 30_000 }).toEqual([digits(phone), digits(phone)]);
  }
  await syncNow(context);
  await syncNow(context);
  expect((await outbox()).length - before).toBe(20);
  // The app's Log tab lists them, each exchange with its side.
  await tab('Log');
  await expect(panel.getByTestId('app-log').locator('tbody tr').first()).toBeVisible();
  await panel.screenshot({ path: 'test-results/customer-sync-log.png' });
});
