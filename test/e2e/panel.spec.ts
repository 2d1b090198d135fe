// The side panel's console on the media app's vendors: counts by status, accepting confident
// suggestions, matching by hand from each side, exporting, ignoring and unsyncing.
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { configureExtension, connectThroughConsent, expect, EXTENSION_ORIGIN, syncNow, test, turnOnProfiles } from './fixtures';

test.beforeEach(async ({ context, sandbox, broker }) => {
  const options = await configureExtension(context, sandbox, broker);
  await connectThroughConsent(context, options);
  await syncNow(context);
  await turnOnProfiles(context, ['Spotlight (media buying)']);
});

test('the console shows every vendor of the app and of QuickBooks by status, and links, exports, ignores and unsyncs', async ({ context, hosts, page }) => {
  await page.goto(`${hosts.apps.media.url}/vendors`);
  await expect(page.locator('[data-qbc="badge"]').first()).toBeVisible();
  await syncNow(context); // the app's own API is read on the schedule
  const panel = await context.newPage();
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await expect(panel.getByTestId('console-head')).toContainText('Spotlight (media buying) with QuickBooks company Larkspur Media & Supply');
  await expect(panel.getByTestId('count-only-qb')).not.toContainText('…');
  await panel.screenshot({ path: 'test-results/panel-vendors.png' });
});
