import { dumpDatabase, configureExtension, connectThroughConsent, syncNow, test, turnOnProfiles } from './fixtures';
import { perceive } from './perceive';
test('debug', async ({ context, sandbox, broker, hosts, page }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Rolodeck CRM']);
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${hosts.apps.crm.url}/contacts`);
  await page.waitForTimeout(2000);
  await page.locator('tr.cd-contact-row', { hasText: 'Bayside Auto Group, Inc.' }).first().locator('a.cd-contact-link').click();
  await page.waitForTimeout(3000);
  console.log(await page.locator('aside.cd-sidebar').evaluate((e) => e.outerHTML.slice(0, 500)));
  const { stores } = await dumpDatabase(options);
  console.log(JSON.stringify((stores.logs as any[]).filter((l) => l.type === 'Security' || l.status !== 'Completed').slice(-5)));
  page.on('console', (m) => console.log('console', m.text()));
  await page.screenshot({ path: 'test-results/debug.png', fullPage: true });
});
