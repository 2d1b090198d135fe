// Where the extension connects: the QuickBooks environment, the token broker, the app's public
// client id. One record in the settings table; defaults come from the build (WXT_* variables)
// and point at the local sandbox that `npm start` runs.
import { z } from 'zod';
import { db } from '../db';
import { ENVIRONMENTS, LOCAL_SANDBOX_ORIGIN } from '../qbo/environments';
import { describeIssues } from '../qbo/schemas';

export const connectionSettings = z.object({
  environment: z.enum(ENVIRONMENTS),
  brokerUrl: z.string().url(),
  clientId: z.string().min(1),
  localOrigin: z.string().url(),
});
export type ConnectionSettings = z.infer<typeof connectionSettings>;

const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {};

export const DEFAULT_SETTINGS: ConnectionSettings = {
  environment: (env.WXT_QBO_ENVIRONMENT as ConnectionSettings['environment']) ?? 'local-sandbox',
  brokerUrl: env.WXT_BROKER_URL ?? 'http://127.0.0.1:4020',
  clientId: env.WXT_QBO_CLIENT_ID ?? 'sandbox-client-id',
  localOrigin: env.WXT_LOCAL_SANDBOX_ORIGIN ?? LOCAL_SANDBOX_ORIGIN,
};

const KEY = 'connection';

export async function getConnectionSettings(): Promise<ConnectionSettings> {
  const row = await db.settings.get(['', KEY]);
  const parsed = connectionSettings.safeParse({ ...DEFAULT_SETTINGS, ...(row?.value as object | undefined) });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** Saves settings after checking them; a bad value is refused with the field it concerns. */
export async function saveConnectionSettings(input: unknown): Promise<ConnectionSettings> {
  const parsed = connectionSettings.safeParse(input);
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  await db.settings.put({ realmId: '', key: KEY, value: parsed.data });
  return parsed.data;
}
