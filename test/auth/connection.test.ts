// lib/auth against the sandbox and a real broker, with IndexedDB from fake-indexeddb: refresh
// rules (one at a time, saved before use, invalid_grant re-read once, transient never
// disconnects), the token kept for a burst of requests, and the "reconnect within N days" warning.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Broker } from '../../broker/server';
import { saveConnection, tokensFor, viewOf } from '../../lib/auth/connection';
import { seal, unseal } from '../../lib/auth/secrets';
import { SETTINGS, writeSetting } from '../../lib/db/settings';
import { db } from '../../lib/db';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { EXTENSION_ID } from '../../sandbox/stack';
import { admin, DEMO_REALM, startSandbox } from '../sandbox/harness';

let sandbox: QboSandbox;
let broker: Broker;
const realFetch = globalThis.fetch;

async function startBroker() {
  broker = await Broker.start({
    clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', environment: 'local', localOrigin: sandbox.url,
    allowedOrigins: [`chrome-extension://${EXTENSION_ID}`], allowedRedirectUris: [], ratePerMinute: 1000, log: () => {},
  });
  await writeSetting(SETTINGS.connection, { environment: 'local-sandbox', brokerUrl: broker.url, clientId: 'sandbox-client-id', localOrigin: sandbox.url });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  // The broker answers only the extension's origin; Node's fetch sends none, so add it as Chrome would.
  globalThis.fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (String(input).startsWith(broker.url)) headers.set('Origin', `chrome-extension://${EXTENSION_ID}`);
    return realFetch(input, { ...init, headers });
  };
  await startBroker();
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await broker.close();
  await sandbox.close();
});
beforeEach(async () => {
  await db.connections.clear();
  await db.logs.clear();
  await saveConnection(DEMO_REALM, 'local-sandbox', await admin(sandbox, '/tokens', { realmId: DEMO_REALM }));
});

const stored = async () => (await db.connections.get(DEMO_REALM))!;

describe('tokens at rest', () => {
  it('seals tokens with a key nobody can export', async () => {
    const c = await stored();
    expect(c.accessToken?.data).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(c.refreshToken!.data)).not.toMatch(/^AB11/);
    const key = (await db.settings.get(['', 'tokenKey']))!.value as CryptoKey;
    expect(key.extractable).toBe(false);
    expect(await unseal(await seal('round trip'))).toBe('round trip');
  });
});

describe('refresh', () => {
  it('refreshes once for many callers, and saves the new tokens before handing them out', async () => {
    const before = broker.stats.refreshes;
    const old = await tokensFor(DEMO_REALM).accessToken();
    const fresh = await Promise.all(Array.from({ length: 10 }, () => tokensFor(DEMO_REALM).refresh(old)));
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(old);
    expect(broker.stats.refreshes - before).toBe(1);
    expect(await unseal((await stored()).accessToken!)).toBe(fresh[0]);
  });

  it('refreshes ahead of expiry', async () => {
    await db.connections.update(DEMO_REALM, { accessTokenExpiresAt: Date.now() + 60_000 });
    const before = broker.stats.refreshes;
    // Later than the few seconds the worker keeps a token it has just read.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11_000 });
    try {
      await tokensFor(DEMO_REALM).accessToken();
    } finally {
      vi.useRealTimers();
    }
    expect(broker.stats.refreshes - before).toBe(1);
    expect((await stored()).accessTokenExpiresAt! - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('on invalid_grant reads the store again and retries once with the newer refresh token', async () => {
    // Another context rotates the refresh token while this one is on its way to the broker.
    const c = await stored();
    const elsewhere = await (await realFetch(`${broker.url}/refresh`, { method: 'POST', headers: { Origin: `chrome-extension://${EXTENSION_ID}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: await unseal(c.refreshToken!) }) })).json();
    const wrapped = globalThis.fetch;
    let first = true;
    globalThis.fetch = async (input, init) => {
      if (first && String(input).endsWith('/refresh')) {
        first = false;
        await db.connections.update(DEMO_REALM, { refreshToken: await seal(elsewhere.refresh_token) });
      }
      return wrapped(input, init);
    };
    try {
      const token = await tokensFor(DEMO_REALM).refresh('rejected-token');
      expect(token).toMatch(/^eyJ/);
      expect((await stored()).status).toBe('connected');
    } finally {
      globalThis.fetch = wrapped;
    }
  });

  it('asks to reconnect, with the reason, when QuickBooks refuses the refresh token twice', async () => {
    await admin(sandbox, '/tokens/revoke', { realmId: DEMO_REALM });
    const refused = await tokensFor(DEMO_REALM).accessToken();
    const e = await tokensFor(DEMO_REALM).refresh(refused).catch((x) => x);
    expect(e).toMatchObject({ kind: 'Auth', message: expect.stringMatching(/^Reconnect to QuickBooks: QuickBooks no longer accepts this connection/) });
    expect(await stored()).toMatchObject({ status: 'needs-reconnect', reason: expect.stringMatching(/Reconnect to keep syncing/) });
    const log = await db.logs.orderBy('timestamp').last();
    expect(log).toMatchObject({ type: 'Connection', action: 'Refresh', status: 'Not Completed' });
  });

  it('never disconnects on transient trouble: the broker down leaves the connection as it was', async () => {
    const refused = await tokensFor(DEMO_REALM).accessToken();
    await broker.close();
    try {
      const e = await tokensFor(DEMO_REALM).refresh(refused).catch((x) => x);
      expect(e).toMatchObject({ kind: 'Transient' });
      expect((await stored()).status).toBe('connected');
    } finally {
      await startBroker();
    }
  });
});

describe('the token kept for a burst of requests', () => {
  /** Runs fn `ms` later than now (Date only), counting the tokens unsealed meanwhile. */
  async function later<T>(ms: number, fn: () => Promise<T>): Promise<{ result: T; unsealed: number }> {
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms });
    try {
      const result = await fn();
      return { result, unsealed: decrypt.mock.calls.length };
    } finally {
      vi.useRealTimers();
      decrypt.mockRestore();
    }
  }

  it('is read and unsealed once for callers asking at the same time', async () => {
    const { result, unsealed } = await later(11_000, () => Promise.all(Array.from({ length: 5 }, () => tokensFor(DEMO_REALM).accessToken())));
    expect(new Set(result).size).toBe(1);
    expect(unsealed).toBe(1);
  });

  it('after a refresh ahead of expiry, is kept until the new token\'s own expiry comes near', async () => {
    await db.connections.update(DEMO_REALM, { accessTokenExpiresAt: Date.now() + 60_000 });
    const before = broker.stats.refreshes;
    const { result, unsealed } = await later(11_000, async () => {
      const fresh = await tokensFor(DEMO_REALM).accessToken();
      return [fresh, await tokensFor(DEMO_REALM).accessToken()];
    });
    expect(broker.stats.refreshes - before).toBe(1);
    expect(result[1]).toBe(result[0]);
    // The old access token (to say which one is refused) and the refresh token; nothing after.
    expect(unsealed).toBe(2);
  });
});

describe('what pages see', () => {
  it('warns to reconnect within N days when the refresh token or its 5-year cap is near', () => {
    const now = Date.UTC(2030, 0, 1);
    const base = { realmId: '1', environment: 'local-sandbox' as const, companyName: 'X', status: 'connected' as const, connectedAt: now };
    expect(viewOf({ ...base, refreshTokenExpiresAt: now + 90 * 86_400_000, refreshTokenHardExpiresAt: now + 1000 * 86_400_000 }, now).reconnectWithinDays).toBeUndefined();
    expect(viewOf({ ...base, refreshTokenExpiresAt: now + 90 * 86_400_000, refreshTokenHardExpiresAt: now + 9.5 * 86_400_000 }, now).reconnectWithinDays).toBe(9);
    expect(viewOf({ ...base, refreshTokenExpiresAt: now + 3 * 86_400_000 }, now).reconnectWithinDays).toBe(3);
    const view = viewOf({ ...base, accessToken: { iv: new Uint8Array(12), data: new ArrayBuffer(8) } }, now);
    expect(Object.keys(view)).not.toContain('accessToken');
  });
});
