// The broker's rate limits: per caller (the extension origin and the client's address) and per
// refresh token or code, whichever address it comes from; behind a reverse proxy, the client's
// address is read from X-Forwarded-For only when the request comes from a trusted proxy.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Broker, type BrokerConfig } from '../../broker/server';
import { RateLimiter } from '../../broker/limits';

const ORIGIN = 'chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb';
const OTHER = 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

const brokers: Broker[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

/** A broker whose QuickBooks is unreachable: every allowed request ends in a quick 502, a refused one in 429. */
async function start(extra: Partial<BrokerConfig>) {
  const broker = await Broker.start({
    clientId: 'id', clientSecret: 'secret', environment: 'local', localOrigin: 'http://127.0.0.1:9',
    allowedOrigins: [ORIGIN, OTHER], allowedRedirectUris: [], ratePerMinute: 1000, tokenRatePerMinute: 1000, log: () => {}, ...extra,
  });
  brokers.push(broker);
  return broker;
}

async function refresh(broker: Broker, refreshToken: string, opts: { forwardedFor?: string; origin?: string } = {}) {
  const res = await fetch(`${broker.url}/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: opts.origin ?? ORIGIN, ...(opts.forwardedFor ? { 'X-Forwarded-For': opts.forwardedFor } : {}) },
    body: JSON.stringify({ refreshToken }),
  });
  const json = await res.json();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json };
}

async function statuses(n: number, call: (i: number) => Promise<{ status: number }>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(i)).status);
  return out.map((s) => (s === 429 ? 429 : 'ok'));
}

describe('per caller', () => {
  it('limits how often one caller may ask, and says when to come back', async () => {
    const broker = await start({ ratePerMinute: 3 });
    expect(await statuses(5, (i) => refresh(broker, `token-${i}`))).toEqual(['ok', 'ok', 'ok', 429, 429]);
    const refused = await refresh(broker, 'token-9');
    expect(refused.json).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/from this address/) });
    // 3 a minute: the next request is possible in about 20 seconds.
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(20);
  });

  it('forgets callers quiet for a minute, who may then ask again', async () => {
    const broker = await start({ ratePerMinute: 1 });
    vi.useFakeTimers({ toFake: ['Date'] });
    expect((await refresh(broker, 'a')).status).not.toBe(429);
    expect((await refresh(broker, 'b')).status).toBe(429);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await refresh(broker, 'c', { origin: OTHER })).status).not.toBe(429);
    expect(broker.perClient.keys()).toEqual([expect.stringMatching(/^chrome-extension:\/\/a{32} /)]);
    expect((await refresh(broker, 'd')).status).not.toBe(429);
  });
});

describe('per refresh token or code', () => {
  it('limits one token however many addresses it comes from', async () => {
    const broker = await start({ tokenRatePerMinute: 2, trustedProxies: ['loopback'] });
    const spread = (i: number) => ({ forwardedFor: `203.0.113.${i + 1}` });
    expect(await statuses(4, (i) => refresh(broker, 'one-stolen-token', spread(i)))).toEqual(['ok', 'ok', 429, 429]);
    const refused = await refresh(broker, 'one-stolen-token', spread(9));
    expect(refused.json.message).toMatch(/with this refresh token or code/);
    // Other tokens, from the same addresses, are not held back.
    expect(await statuses(4, (i) => refresh(broker, `token-${i}`, spread(i)))).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('counts codes exchanged and tokens revoked as well, and never keeps a token as is', async () => {
    const exchange = { code: 'the-code', redirectUri: 'https://cdbjflagiponpmenikdhggjhoomnimdb.chromiumapp.org/', realmId: '1' };
    const broker = await start({ tokenRatePerMinute: 1, allowedRedirectUris: [exchange.redirectUri] });
    const post = (path: string, body: unknown) =>
      fetch(`${broker.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: JSON.stringify(body) }).then((r) => r.status);
    expect([await post('/token', exchange), await post('/token', exchange)]).toEqual([502, 429]);
    expect([await post('/revoke', { token: 'the-token' }), await post('/revoke', { token: 'the-token' })]).toEqual([502, 429]);
    // A refresh with the token just revoked counts against the same token.
    expect(await post('/refresh', { refreshToken: 'the-token' })).toBe(429);
    expect(broker.perToken.keys().join(' ')).not.toMatch(/the-(token|code)/);
  });
});

describe('behind a reverse proxy', () => {
  it('ignores X-Forwarded-For when no proxy is trusted: every client of the proxy shares its address', async () => {
    const broker = await start({ ratePerMinute: 2 });
    expect(await statuses(4, (i) => refresh(broker, `t${i}`, { forwardedFor: `198.51.100.${i + 1}` }))).toEqual(['ok', 'ok', 429, 429]);
    expect(broker.perClient.keys()).toEqual([`${ORIGIN} 127.0.0.1`]);
  });

  it('ignores X-Forwarded-For from an address that is not a trusted proxy', async () => {
    const broker = await start({ ratePerMinute: 2, trustedProxies: ['10.0.0.0/8'] });
    expect(await statuses(3, (i) => refresh(broker, `t${i}`, { forwardedFor: `198.51.100.${i + 1}` }))).toEqual(['ok', 'ok', 429]);
    expect(broker.perClient.keys()).toEqual([`${ORIGIN} 127.0.0.1`]);
  });

  it('gives each client its own limit when the proxy is trusted, so one client cannot use up the others\'', async () => {
    const broker = await start({ ratePerMinute: 2, trustedProxies: ['loopback'] });
    // One client in a loop uses up its own limit…
    expect(await statuses(4, (i) => refresh(broker, `loop-${i}`, { forwardedFor: '198.51.100.66' }))).toEqual(['ok', 'ok', 429, 429]);
    // …and the proxy's other clients are still served.
    expect(await statuses(2, (i) => refresh(broker, `user-${i}`, { forwardedFor: '198.51.100.7' }))).toEqual(['ok', 'ok']);
    expect(await statuses(1, () => refresh(broker, 'user-x', { forwardedFor: '2001:db8::1' }))).toEqual(['ok']);
  });

  it('takes the right-most address that is not a trusted proxy, so a client cannot choose its own', async () => {
    const broker = await start({ trustedProxies: ['loopback', '10.0.0.0/8'] });
    // Client 198.51.100.7 behind two proxies: the chain ends in trusted addresses.
    await refresh(broker, 'a', { forwardedFor: '198.51.100.7, 10.1.2.3' });
    // A client that writes a made-up address first is still known by its own (203.0.113.9).
    await refresh(broker, 'b', { forwardedFor: '192.0.2.1, 203.0.113.9' });
    // Every address in the chain trusted: the left-most one is the client.
    await refresh(broker, 'c', { forwardedFor: '10.9.9.9, 10.1.2.3' });
    expect(broker.perClient.keys().map((k) => k.split(' ')[1])).toEqual(['198.51.100.7', '203.0.113.9', '10.9.9.9']);
  });
});

describe('RateLimiter', () => {
  it('holds at most maxKeys callers, forgetting the one quiet the longest', () => {
    const limiter = new RateLimiter(1, 3);
    for (const k of ['a', 'b', 'c']) expect(limiter.take(k)).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(limiter.take('d')).toBe(0);
    expect(limiter.keys()).toEqual(['c', 'a', 'd']);
  });

  it('refills at the rate a minute', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const limiter = new RateLimiter(6);
    for (let i = 0; i < 6; i++) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(10);
    vi.setSystemTime(Date.now() + 10_000);
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(10);
  });
});
