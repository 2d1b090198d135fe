// Every setting the extension keeps, each with one zod schema and one default, for the whole
// extension ('global') or per QuickBooks company ('company'). A stored value that no longer fits
// its schema reads as the default; a value that does not fit is refused when written, with words
// naming the field.
import { z } from 'zod';
import { SiteProfile } from '../hosts/profile';
import { ENVIRONMENTS, LOCAL_SANDBOX_ORIGIN, type Environment } from '../qbo/environments';
import { describeIssues } from '../qbo/schemas';
import { db } from './index';

export interface SettingDef<T> {
  key: string;
  scope: 'global' | 'company';
  schema: z.ZodType<T>;
  fallback: () => T;
}

const define = <T>(key: string, scope: SettingDef<T>['scope'], schema: z.ZodType<T>, fallback: () => T): SettingDef<T> => ({ key, scope, schema, fallback });

// ---- where the extension connects ----------------------------------------------------------------

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** An https URL, or http on this computer (the local sandbox and a broker run beside it); or not set yet. */
const serviceUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => {
      if (s === '') return true;
      try {
        const u = new URL(s);
        return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname));
      } catch {
        return false;
      }
    }, `${what} must be an https:// address (or http:// on this computer, like http://127.0.0.1:4020)`)
    .transform((s) => s.replace(/\/+$/, ''));

/** The local sandbox runs on this computer only. */
const loopbackUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.test(u.hostname) && u.pathname === '/' && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'The local sandbox must be an http:// or https:// address on this computer, like http://127.0.0.1:4010')
  .transform((s) => s.replace(/\/+$/, ''));

export const connectionSettings = z.object({
  environment: z.enum(ENVIRONMENTS),
  /** Empty until someone sets it: the product build knows its broker only when built with WXT_BROKER_URL. */
  brokerUrl: serviceUrl('The token broker'),
  clientId: z.string().trim().min(1, 'The app\'s client id is missing').max(200),
  localOrigin: loopbackUrl,
});
export type ConnectionSettings = z.infer<typeof connectionSettings>;

const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {};
/** The product build talks to Intuit; the sandbox and e2e builds (and tests) to the local sandbox. */
const SANDBOX_BUILD = env.MODE !== 'production';

export const DEFAULT_CONNECTION: ConnectionSettings = {
  environment: (env.WXT_QBO_ENVIRONMENT as Environment | undefined) ?? (SANDBOX_BUILD ? 'local-sandbox' : 'production'),
  brokerUrl: env.WXT_BROKER_URL ?? (SANDBOX_BUILD ? 'http://127.0.0.1:4020' : ''),
  clientId: env.WXT_QBO_CLIENT_ID ?? 'sandbox-client-id',
  localOrigin: env.WXT_LOCAL_SANDBOX_ORIGIN ?? LOCAL_SANDBOX_ORIGIN,
};

/** Whether this build can use the local sandbox (it holds loopback permissions). */
export const LOCAL_SANDBOX_AVAILABLE = SANDBOX_BUILD;

// ---- the settings ---------------------------------------------------------------------------------

/** Minutes between pulls; Chrome allows alarms every 30 seconds at most. */
export const MIN_INTERVAL_MINUTES = 0.5;
export const DEFAULT_INTERVAL_MINUTES = 5;

/** Where a workflow's automations stand for an app (lib/workflows): the last host event seen, the last daily sync. */
export const AutomationCursor = z.object({ events: z.number(), lastDaily: z.number().optional(), qbAt: z.number().optional(), qbSeen: z.record(z.string(), z.string()).optional() });
export type AutomationCursor = z.infer<typeof AutomationCursor>;

export const SETTINGS = {
  connection: define('connection', 'global', connectionSettings, () => DEFAULT_CONNECTION),
  syncIntervalMinutes: define(
    'syncIntervalMinutes',
    'global',
    z
      .number({ error: `Sync interval: at least ${MIN_INTERVAL_MINUTES} minutes (30 seconds).` })
      .min(MIN_INTERVAL_MINUTES, `Sync interval: at least ${MIN_INTERVAL_MINUTES} minutes (30 seconds).`)
      .max(24 * 60, 'Sync interval: at most once a day (1440 minutes).'),
    () => DEFAULT_INTERVAL_MINUTES,
  ),
  /**
   * The user's own site profiles (the built-in ones ship with the extension). Each is checked on
   * its own when read: one that no longer passes the rules is left out, not all of them.
   */
  hostProfiles: define(
    'hostProfiles',
    'global',
    z.array(z.unknown()).transform((items) => items.flatMap((item) => {
      const parsed = SiteProfile.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    })),
    () => [],
  ),
  /** Ids of the site profiles the user turned on. */
  enabledProfiles: define('enabledProfiles', 'global', z.array(z.string()), () => []),
  /** How each host app takes the extension's API requests ("<profile> <origin>" -> worker or tab), as learned. */
  hostTransports: define<Record<string, 'worker' | 'tab'>>('hostTransports', 'global', z.record(z.string(), z.enum(['worker', 'tab'])), () => ({})),
  /** The QuickBooks company each host app ("<profile> <origin>") works with. */
  appCompanies: define<Record<string, string>>('appCompanies', 'global', z.record(z.string(), z.string()), () => ({})),
  /** Each app's workflow settings ("<profile> <origin>" -> workflow id -> its settings), per company; each workflow checks its own (lib/workflows). */
  workflows: define<Record<string, Record<string, unknown>>>('workflows', 'company', z.record(z.string(), z.record(z.string(), z.unknown())), () => ({})),
  /** How far each automation has looked ("<realm> <profile> <origin> <workflow>" -> the last host event seen, the last daily sync). */
  automationCursors: define<Record<string, AutomationCursor>>('automationCursors', 'global', z.record(z.string(), AutomationCursor), () => ({})),
  /** The key that seals tokens (lib/auth/secrets.ts): non-extractable, so never readable as bytes. */
  tokenKey: define('tokenKey', 'global', z.instanceof(CryptoKey).optional(), () => undefined),
};

const realmOf = (def: SettingDef<unknown>, realmId?: string) => {
  if (def.scope === 'company' && !realmId) throw new Error(`The setting "${def.key}" belongs to a company: say which.`);
  return def.scope === 'company' ? realmId! : '';
};

/** A setting's value, or its default when it was never set (or no longer fits its schema). */
export async function readSetting<T>(def: SettingDef<T>, realmId?: string): Promise<T> {
  const row = await db.settings.get([realmOf(def, realmId), def.key]);
  if (row === undefined) return def.fallback();
  const parsed = def.schema.safeParse(row.value);
  return parsed.success ? parsed.data : def.fallback();
}

/** Checks and stores a setting; a value that does not fit is refused, changing nothing. */
export async function writeSetting<T>(def: SettingDef<T>, value: unknown, realmId?: string): Promise<T> {
  const parsed = def.schema.safeParse(value);
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  await db.settings.put({ realmId: realmOf(def, realmId), key: def.key, value: parsed.data });
  return parsed.data;
}
