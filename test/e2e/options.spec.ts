// Options > Host apps away from the sandbox: a user on Intuit's QuickBooks sees their own apps
// first, and the sandbox's demo apps only as examples to copy into the editor, never to turn on.
import { expect, EXTENSION_ORIGIN, test } from './fixtures';

test('on Intuit\'s QuickBooks the demo apps are examples to copy from, not apps to turn on', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(`${EXTENSION_ORIGIN}/options.html#connection`);
  await page.getByText('Advanced: where QuickBooks is').click();
  await page.locator('select[name="environment"]').selectOption('production');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();

  await page.goto(`${EXTENSION_ORIGIN}/options.html#hosts`);
  await expect(page.getByTestId('no-profiles')).toContainText('No host apps yet.');
  await expect(page.getByRole('button', { name: /^Turn on/ })).toHaveCount(0);
  const examples = page.getByTestId('profile-examples');
  await examples.getByText('Examples to copy from').click();
  await expect(examples.getByTestId('example-spotlight')).toContainText('Spotlight (media buying)');
  await examples.getByRole('button', { name: 'Copy Spotlight (media buying) into the editor' }).click();
  const editor = page.getByLabel('Site profile JSON');
  await expect(editor).toHaveValue(/"id": "my-spotlight"/);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('profile-saved')).toHaveText('Saved "My Spotlight (media buying)". Turn it on above to use it.');
  await expect(editor).toHaveValue(/"id": "my-crm"/); // the editor is back to a new profile
  // The user's own copy comes first, and it can be turned on.
  await expect(page.locator('[data-testid^="profile-"]').first()).toHaveAttribute('data-testid', 'profile-my-spotlight');
  await expect(page.getByRole('button', { name: 'Turn on My Spotlight (media buying)' })).toBeVisible();
  await page.screenshot({ path: 'test-results/options-hosts-production.png', fullPage: true });
});
