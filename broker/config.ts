// The broker's settings: read from BROKER_* environment variables and checked before it starts,
// so a mistake (a rate of "60/min", an origin that is not an extension, a proxy that is not an
// address) stops it with a line saying what to put where, instead of running with a setting
// silently ignored or turned off. broker/README.md documents each setting.
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';

export const BROKER_ENVIRONMENTS = ['production', 'sandbox', 'local'] as const;
export type BrokerEnvironment = (typeof BROKER_ENVIRONMENTS)[number];

export interface BrokerConfig {
  clientId: string;
  clientSecret: string;
  environment: BrokerEnvironment;
  /** The local sandbox's origin, when environment is "local". */
  localOrigin?: string;
  /** Extension origins allowed to call, e.g. chrome-extension://<id>. */
  allowedOrigins: string[];
  /** Redirect URIs the broker accepts for code exchange (the extensions' chromiumapp.org URLs). */
  allowedRedirectUris: string[];
  /** Requests a minute per caller (extension origin + client address). */
  ratePerMinute: number;
  /** Requests a minute with one refresh token or authorization code, whatever the address. */
  tokenRatePerMinute?: number;
  /**
   * Addresses (or ranges, or proxy-addr's names loopback, linklocal, uniquelocal) of the reverse
   * proxies in front of the broker. Only a request from one of them has its X-Forwarded-For
   * believed; the client is then the right-most address in it that is not a trusted proxy.
   */
  trustedProxies?: string[];
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export const DEFAULT_RATE_PER_MINUTE = 60;
export const DEFAULT_TOKEN_RATE_PER_MINUTE = 10;
export const DEFAULT_PORT = 4020;
export const DEFAULT_HOST = '127.0.0.1';
const MAX_RATE_PER_MINUTE = 100_000;

/** Every setting, with what belongs in it: for the error on a variable the broker does not know. */
const SETTINGS = [
  'BROKER_CLIENT_ID',
  'BROKER_CLIENT_SECRET',
  'BROKER_ENVIRONMENT',
  'BROKER_LOCAL_ORIGIN',
  'BROKER_ALLOWED_ORIGINS',
  'BROKER_REDIRECT_URIS',
  'BROKER_RATE_LIMIT',
  'BROKER_TOKEN_RATE_LIMIT',
  'BROKER_TRUSTED_PROXIES',
  'BROKER_PORT',
  'BROKER_HOST',
] as const;

/** The broker refused to start: `problems` has one line per setting to fix. */
export class BrokerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The token broker's settings need fixing (see broker/README.md):\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'BrokerConfigError';
  }
}

const EXTENSION_ORIGIN = /^chrome-extension:\/\/[a-p]{32}$/;

/** chrome-extension://<id> -> https://<id>.chromiumapp.org/, the extension's OAuth redirect. */
export function redirectUriForOrigin(origin: string): string | undefined {
  const m = /^chrome-extension:\/\/([a-p]{32})$/.exec(origin);
  return m ? `https://${m[1]}.chromiumapp.org/` : undefined;
}

/** Reads the broker's configuration from the environment; throws BrokerConfigError listing every mistake. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  const problems: string[] = [];
  for (const name of Object.keys(env).filter((k) => k.startsWith('BROKER_')).sort())
    if (!(SETTINGS as readonly string[]).includes(name)) problems.push(`${name} is not a broker setting. The settings are ${SETTINGS.join(', ')}.`);

  const list = (name: string) => (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const wholeNumber = (name: string, what: string): number | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    if (/^\d{1,9}$/.test(raw)) return Number(raw);
    problems.push(`${name} is "${env[name]}": ${what}`);
    return undefined;
  };

  const environment = (env.BROKER_ENVIRONMENT?.trim() || 'production') as BrokerEnvironment;
  const origins = list('BROKER_ALLOWED_ORIGINS');
  const redirects = list('BROKER_REDIRECT_URIS');
  const config: BrokerConfig = {
    clientId: env.BROKER_CLIENT_ID?.trim() ?? '',
    clientSecret: env.BROKER_CLIENT_SECRET ?? '',
    environment,
    localOrigin: env.BROKER_LOCAL_ORIGIN?.trim() || undefined,
    allowedOrigins: origins,
    allowedRedirectUris: redirects.length ? redirects : origins.map(redirectUriForOrigin).filter((u): u is string => !!u),
    ratePerMinute: wholeNumber('BROKER_RATE_LIMIT', RATE_HINT) ?? DEFAULT_RATE_PER_MINUTE,
    tokenRatePerMinute: wholeNumber('BROKER_TOKEN_RATE_LIMIT', TOKEN_RATE_HINT) ?? DEFAULT_TOKEN_RATE_PER_MINUTE,
    trustedProxies: list('BROKER_TRUSTED_PROXIES'),
    port: wholeNumber('BROKER_PORT', PORT_HINT) ?? DEFAULT_PORT,
    host: env.BROKER_HOST?.trim() || DEFAULT_HOST,
  };
  problems.push(...configProblems(config));
  if (problems.length) throw new BrokerConfigError(problems);
  return config;
}

const RATE_HINT = `write a whole number of requests a minute per client address, from 1 to ${MAX_RATE_PER_MINUTE} (e.g. BROKER_RATE_LIMIT=60; the unit is always a minute).`;
const TOKEN_RATE_HINT = `write a whole number of requests a minute with one refresh token or code, from 1 to ${MAX_RATE_PER_MINUTE} (e.g. BROKER_TOKEN_RATE_LIMIT=10).`;
const PORT_HINT = `write a port number from 1 to 65535 (default ${DEFAULT_PORT}; 0 picks a free one).`;

/** What is wrong with a configuration, one line per mistake, naming the variable to fix. */
export function configProblems(c: BrokerConfig): string[] {
  const problems: string[] = [];
  if (!c.clientId) problems.push("BROKER_CLIENT_ID is not set: put the app's client id there, from the Intuit developer portal (Keys & credentials).");
  if (!c.clientSecret) problems.push("BROKER_CLIENT_SECRET is not set: put the app's client secret there, from your platform's secret store.");

  if (!(BROKER_ENVIRONMENTS as readonly string[]).includes(c.environment))
    problems.push(`BROKER_ENVIRONMENT is "${c.environment}": write production (Intuit's QuickBooks), sandbox (Intuit's developer sandbox) or local (the sandbox of npm run sandbox).`);
  else if (c.environment === 'local' && !c.localOrigin)
    problems.push(`BROKER_ENVIRONMENT is local but BROKER_LOCAL_ORIGIN is not set: put the local sandbox's origin there, e.g. BROKER_LOCAL_ORIGIN=http://127.0.0.1:4010.`);
  else if (c.environment !== 'local' && c.localOrigin)
    problems.push(`BROKER_LOCAL_ORIGIN is set but BROKER_ENVIRONMENT is ${c.environment}: the local origin is used only with BROKER_ENVIRONMENT=local. Remove it, or set BROKER_ENVIRONMENT=local.`);
  if (c.localOrigin && !isOrigin(c.localOrigin))
    problems.push(`BROKER_LOCAL_ORIGIN is "${c.localOrigin}": write an http(s) origin, scheme, host and port only, e.g. http://127.0.0.1:4010.`);

  if (!c.allowedOrigins.length)
    problems.push('BROKER_ALLOWED_ORIGINS is not set: list the extension origins the broker answers, comma-separated, e.g. chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb.');
  for (const origin of c.allowedOrigins)
    if (!EXTENSION_ORIGIN.test(origin))
      problems.push(`BROKER_ALLOWED_ORIGINS: "${origin}" is not an extension origin. Write chrome-extension://<the extension's id> (32 letters from a to p, shown on chrome://extensions), comma-separated.`);
  for (const uri of c.allowedRedirectUris)
    if (!isRedirectUri(uri))
      problems.push(`BROKER_REDIRECT_URIS: "${uri}" is not an https URL. Write the extension's redirect URL, e.g. https://<extension id>.chromiumapp.org/ (http only on 127.0.0.1 or localhost), comma-separated.`);

  if (!isRate(c.ratePerMinute)) problems.push(`BROKER_RATE_LIMIT is ${c.ratePerMinute}: ${RATE_HINT}`);
  if (c.tokenRatePerMinute !== undefined && !isRate(c.tokenRatePerMinute)) problems.push(`BROKER_TOKEN_RATE_LIMIT is ${c.tokenRatePerMinute}: ${TOKEN_RATE_HINT}`);
  for (const proxy of c.trustedProxies ?? [])
    if (!isProxyAddress(proxy))
      problems.push(`BROKER_TRUSTED_PROXIES: "${proxy}" is not an address or range. Write your reverse proxies' or load balancers' addresses (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8, or loopback), comma-separated.`);
  if (c.port !== undefined && !(Number.isInteger(c.port) && c.port >= 0 && c.port <= 65535)) problems.push(`BROKER_PORT is ${c.port}: ${PORT_HINT}`);
  if (c.host !== undefined && !isIP(c.host) && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(c.host))
    problems.push(`BROKER_HOST is "${c.host}": write the address to listen on, e.g. 127.0.0.1 (this machine only, behind a proxy on it) or 0.0.0.0 (every interface).`);
  return problems;
}

const isRate = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_RATE_PER_MINUTE;

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isOrigin(value: string): boolean {
  const u = parseUrl(value);
  return !!u && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === value.replace(/\/$/, '');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isRedirectUri(value: string): boolean {
  const u = parseUrl(value);
  if (!u || u.hash || u.username || u.password) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
}

function isProxyAddress(value: string): boolean {
  try {
    proxyaddr.compile(value);
    return true;
  } catch {
    return false;
  }
}
