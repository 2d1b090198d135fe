// A QuickBooks connection that never silently dies. Connect through Intuit's consent page
// (chrome.identity), tokens sealed in IndexedDB, one refresh at a time across every extension
// context (a Web Lock), new tokens saved before they are used, invalid_grant re-read and
// retried once before the connection asks for "Reconnect", and transient failures never
// disconnect. Everything is keyed by realmId.
import { browser } from 'wxt/browser';
import { db, type Connection } from '../db';
import { appendLog, exchangeToLog } from '../db/logs';
import { QboClient, type TokenProvider } from '../qbo/client';
import type { ConnectionView } from '../messages';
import { endpointsFor, type Environment } from '../qbo/environments';
import { query } from '../qbo/query';
import { QboError } from '../qbo/errors';
import { withLock } from '../locks';
import { readSetting, SETTINGS } from '../db/settings';
import { DAY } from '../time';
import { AuthError, exchangeCode, refreshTokens, revokeToken, type TokenResponse } from './broker';
import { seal, unseal } from './secrets';

// The unsealed access token, kept for a few seconds so a burst of requests (a load's pages)
// does not read and decrypt it once each; callers arriving while it is being read share that
// read. A token another context replaced still works until it expires; a 401 goes through
// refresh, which always reads the store. Every change this context makes to a connection's
// tokens or status drops it.
interface CurrentToken {
  token: string;
  expiresAt: number;
}
const recent = new Map<string, { read: Promise<CurrentToken>; until: number }>();
const RECENT_MS = 10_000;

/** Access tokens are refreshed this long before they expire. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** "Reconnect within N days" shows when the connection's end is this close. */
export const WARN_DAYS = 14;
export const SCOPE = 'com.intuit.quickbooks.accounting';

/** What pages show about a connection (never a token); reconnectWithinDays is set when the end is near. */
export function viewOf(c: Connection, now = Date.now()): ConnectionView {
  const ends = [c.refreshTokenExpiresAt, c.refreshTokenHardExpiresAt].filter((t): t is number => typeof t === 'number');
  const end = ends.length ? Math.min(...ends) : undefined;
  const days = end === undefined ? undefined : Math.max(0, Math.floor((end - now) / DAY));
  return {
    realmId: c.realmId,
    environment: c.environment,
    companyName: c.companyName,
    status: c.status,
    reason: c.reason,
    connectedAt: c.connectedAt,
    refreshedAt: c.refreshedAt,
    lastSyncAt: c.lastSyncAt,
    reconnectWithinDays: c.status === 'connected' && days !== undefined && days <= WARN_DAYS ? days : undefined,
  };
}

/**
 * The company the extension is shown against, in the popup and in host apps: the newest one that
 * is connected, else the newest that needs reconnecting, else the newest.
 */
export function activeCompany<C extends { status: Connection['status']; connectedAt: number }>(connections: readonly C[]): C | undefined {
  const newest = [...connections].sort((a, b) => b.connectedAt - a.connectedAt);
  return newest.find((c) => c.status === 'connected') ?? newest.find((c) => c.status === 'needs-reconnect') ?? newest[0];
}

async function logEvent(realmId: string, action: string, status: 'Completed' | 'Cancelled' | 'Not Completed', detail?: { name?: string; error?: string }) {
  await appendLog({ realmId, timestamp: Date.now(), type: 'Connection', action, status, objectId: realmId, objectName: detail?.name, error: detail?.error });
}

async function saveTokens(realmId: string, t: TokenResponse, base?: Omit<Connection, 'realmId'>) {
  const now = Date.now();
  const fields: Partial<Connection> = {
    accessToken: await seal(t.access_token),
    accessTokenExpiresAt: now + t.expires_in * 1000,
    refreshToken: await seal(t.refresh_token),
    refreshTokenExpiresAt: t.x_refresh_token_expires_in ? now + t.x_refresh_token_expires_in * 1000 : undefined,
    refreshedAt: now,
    status: 'connected',
    reason: undefined,
  };
  if (t.x_refresh_token_hard_expires_in) fields.refreshTokenHardExpiresAt = now + t.x_refresh_token_hard_expires_in * 1000;
  recent.delete(realmId);
  if (base) await db.connections.put({ ...base, ...fields, realmId } as Connection);
  else await db.connections.update(realmId, fields);
  return fields.accessTokenExpiresAt!;
}

function needsReconnect(c: Connection | undefined): QboError {
  return new QboError({
    kind: 'Auth',
    message: c?.status === 'needs-reconnect' ? `Reconnect to QuickBooks: ${c.reason ?? 'the connection was refused.'}` : 'This QuickBooks company is not connected. Connect it from the options page.',
  });
}

async function markNeedsReconnect(realmId: string, why: string) {
  const reason = `QuickBooks no longer accepts this connection (${why}). Reconnect to keep syncing.`;
  recent.delete(realmId);
  await db.connections.update(realmId, { status: 'needs-reconnect', reason, accessToken: undefined });
  const c = await db.connections.get(realmId);
  await logEvent(realmId, 'Refresh', 'Not Completed', { name: c?.companyName, error: reason });
}

/**
 * Returns a fresh access token and when it expires, refreshing at most once across every
 * context (a Web Lock per company). `rejected` is the token QuickBooks refused (or the one about
 * to expire): if another context already replaced it, its replacement is used without a second
 * refresh.
 */
async function refreshUnderLock(realmId: string, rejected: string | undefined): Promise<CurrentToken> {
  return withLock(`qbc-refresh-${realmId}`, {}, async () => {
    const c = await db.connections.get(realmId);
    if (!c || c.status !== 'connected' || !c.refreshToken) throw needsReconnect(c);
    const expiresAt = c.accessTokenExpiresAt ?? 0;
    if (c.accessToken && expiresAt - Date.now() > REFRESH_MARGIN_MS) {
      const current = await unseal(c.accessToken);
      if (current !== rejected) return { token: current, expiresAt };
    }
    const { brokerUrl } = await readSetting(SETTINGS.connection);
    let refreshToken = await unseal(c.refreshToken);
    for (let attempt = 1; ; attempt++) {
      try {
        const tokens = await refreshTokens(brokerUrl, refreshToken);
        // Saved before anyone uses them: a worker stopped right after this still has them.
        const expiresAt = await saveTokens(realmId, tokens);
        return { token: tokens.access_token, expiresAt };
      } catch (e) {
        if (!(e instanceof AuthError) || e.kind !== 'InvalidGrant') {
          // Network, broker or Intuit trouble: keep the connection and let the caller retry later.
          throw new QboError({ kind: 'Transient', message: e instanceof Error ? e.message : String(e) });
        }
        if (attempt >= 2) {
          await markNeedsReconnect(realmId, e.message);
          throw needsReconnect(await db.connections.get(realmId));
        }
        // Another browser or context may have rotated the token: read the store again, retry once.
        const again = await db.connections.get(realmId);
        if (!again?.refreshToken) throw needsReconnect(again);
        refreshToken = await unseal(again.refreshToken);
      }
    }
  });
}

/** The stored access token, or a refreshed one when it is about to expire. */
async function readAccessToken(realmId: string): Promise<CurrentToken> {
  const c = await db.connections.get(realmId);
  if (!c || c.status !== 'connected') throw needsReconnect(c);
  const expiresAt = c.accessTokenExpiresAt ?? 0;
  if (c.accessToken && expiresAt - Date.now() > REFRESH_MARGIN_MS) return { token: await unseal(c.accessToken), expiresAt };
  return refreshUnderLock(realmId, c.accessToken ? await unseal(c.accessToken) : undefined);
}

/** The token provider for one company, shared by every QBO client in this context. */
export function tokensFor(realmId: string): TokenProvider {
  return {
    async accessToken() {
      const hit = recent.get(realmId);
      if (hit && hit.until > Date.now()) return (await hit.read).token;
      // Until the read ends, callers share it.
      const entry = { read: readAccessToken(realmId), until: Infinity };
      recent.set(realmId, entry);
      try {
        const { token, expiresAt } = await entry.read;
        entry.until = Math.min(Date.now() + RECENT_MS, expiresAt - REFRESH_MARGIN_MS);
        // A refresh on the way dropped the entry: keep the new token.
        if (!recent.has(realmId)) recent.set(realmId, entry);
        return token;
      } catch (e) {
        if (recent.get(realmId) === entry) recent.delete(realmId);
        throw e;
      }
    },
    refresh: async (rejected: string) => {
      recent.delete(realmId);
      return (await refreshUnderLock(realmId, rejected)).token;
    },
  };
}

/** A QBO client for a connected company, logging every exchange. */
export async function qboFor(realmId: string): Promise<QboClient> {
  const c = await db.connections.get(realmId);
  if (!c) throw needsReconnect(c);
  const { localOrigin } = await readSetting(SETTINGS.connection);
  return new QboClient({
    realmId,
    environment: c.environment,
    localOrigin,
    tokens: tokensFor(realmId),
    log: (e) => void appendLog(exchangeToLog(e)).catch(() => undefined),
  });
}

function randomState() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Connects a QuickBooks company: Intuit's consent page in a browser window, the code exchanged
 * by the broker, the tokens sealed and stored, then CompanyInfo read for the company's name.
 */
export async function connect(): Promise<ConnectionView> {
  const settings = await readSetting(SETTINGS.connection);
  const endpoints = endpointsFor(settings.environment, settings.localOrigin);
  const redirectUri = browser.identity.getRedirectURL();
  const state = randomState();
  const url = new URL(endpoints.authorize);
  url.search = new URLSearchParams({ client_id: settings.clientId, response_type: 'code', scope: SCOPE, redirect_uri: redirectUri, state }).toString();
  let back: URL;
  try {
    back = new URL((await browser.identity.launchWebAuthFlow({ url: url.toString(), interactive: true }))!);
  } catch (e) {
    await logEvent('', 'Connect', 'Cancelled', { error: (e as Error).message });
    throw new AuthError('Cancelled', 'The QuickBooks window was closed before the company was connected.');
  }
  const error = back.searchParams.get('error');
  if (error) {
    await logEvent('', 'Connect', 'Cancelled', { error });
    throw new AuthError('Cancelled', error === 'access_denied' ? 'Connecting was cancelled on the QuickBooks page.' : `QuickBooks refused to connect: ${error}.`);
  }
  if (back.searchParams.get('state') !== state) {
    await logEvent('', 'Connect', 'Not Completed', { error: 'state mismatch' });
    throw new AuthError('StateMismatch', 'The answer from QuickBooks did not match this request, so it was ignored. Try connecting again.');
  }
  const code = back.searchParams.get('code');
  const realmId = back.searchParams.get('realmId');
  if (!code || !realmId) throw new AuthError('Broker', 'QuickBooks did not say which company was connected. Try again.');
  const tokens = await exchangeCode(settings.brokerUrl, { code, redirectUri, realmId });
  return saveConnection(realmId, settings.environment, tokens);
}

/** Stores a new connection's tokens (sealed), then reads the company's name from QuickBooks. */
export async function saveConnection(realmId: string, environment: Environment, tokens: TokenResponse): Promise<ConnectionView> {
  const previous = await db.connections.get(realmId);
  await saveTokens(realmId, tokens, {
    environment,
    companyName: previous?.companyName ?? '',
    status: 'connected',
    connectedAt: Date.now(),
    lastSyncAt: previous?.lastSyncAt,
  });
  const info = await (await qboFor(realmId)).read('CompanyInfo', realmId);
  await db.connections.update(realmId, { companyName: info.CompanyName ?? realmId });
  await logEvent(realmId, 'Connect', 'Completed', { name: info.CompanyName });
  return viewOf((await db.connections.get(realmId))!);
}

/**
 * Proves the connection works end to end from the calling context (worker or page): reads the
 * company's info and preferences and counts its customers, vendors and items, all at once.
 */
export async function testConnection(realmId: string): Promise<{ companyName: string; ms: number; counts: Record<string, number> }> {
  const started = Date.now();
  const client = await qboFor(realmId);
  const [info, , customers, vendors, items] = await Promise.all([
    client.read('CompanyInfo', realmId),
    client.read('Preferences', '1'),
    client.count(query('Customer')),
    client.count(query('Vendor')),
    client.count(query('Item')),
  ]);
  await db.connections.update(realmId, { companyName: info.CompanyName ?? realmId });
  return { companyName: info.CompanyName ?? realmId, ms: Date.now() - started, counts: { customers, vendors, items } };
}

/**
 * Revokes the connection at Intuit and forgets its tokens. The tokens are forgotten even if
 * Intuit cannot be reached; the answer then says so, so the user can disconnect in QuickBooks.
 */
export async function disconnect(realmId: string): Promise<{ revoked: boolean; message?: string }> {
  const c = await db.connections.get(realmId);
  if (!c) return { revoked: true };
  let revoked = true;
  let message: string | undefined;
  if (c.refreshToken) {
    try {
      await revokeToken((await readSetting(SETTINGS.connection)).brokerUrl, await unseal(c.refreshToken));
    } catch (e) {
      if (!(e instanceof AuthError && e.kind === 'InvalidGrant')) {
        revoked = false;
        message = 'The connection was removed here, but QuickBooks could not be told. Also disconnect the app in QuickBooks (Settings > Apps).';
      }
    }
  }
  recent.delete(realmId);
  await db.connections.update(realmId, { status: 'disconnected', reason: undefined, accessToken: undefined, refreshToken: undefined, accessTokenExpiresAt: undefined });
  await logEvent(realmId, 'Disconnect', revoked ? 'Completed' : 'Not Completed', { name: c.companyName, error: message });
  return { revoked, message };
}
