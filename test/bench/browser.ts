// Browser benchmarks' setup: Chromium with the extension (the e2e build), pointed at a sandbox
// stack, connected, synced, with host profiles turned on, through the same UI a user clicks.
import type { BrowserContext } from '@playwright/test';
import { rmSync } from 'node:fs';
import { configureExtension, connectThroughConsent, launchWithExtension, syncNow, turnOnProfiles } from '../e2e/fixtures';

export interface Stack {
  qboUrl: string;
  brokerUrl: string;
}

export async function extensionReady(
  stack: Stack,
  profiles: string[],
  opts: { sync?: boolean; chromiumArgs?: string[] } = { sync: true },
): Promise<{ context: BrowserContext; userDataDir: string; close(): Promise<void> }> {
  const { context, profile } = await launchWithExtension(undefined, opts.chromiumArgs);
  const options = await configureExtension(context, { url: stack.qboUrl }, { url: stack.brokerUrl });
  await connectThroughConsent(context, options);
  if (opts.sync) await syncNow(context);
  if (profiles.length) await (await turnOnProfiles(context, profiles)).close();
  await options.close();
  return {
    context,
    userDataDir: profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
