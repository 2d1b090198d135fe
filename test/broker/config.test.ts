// The broker's settings are checked before it starts: each mistake is refused with a line that
// names the variable and says what to put there, and `npm run broker` exits without listening.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BrokerConfigError, configFromEnv } from '../../broker/config';
import { Broker } from '../../broker/server';

const GOOD = {
  BROKER_CLIENT_ID: 'ABc123',
  BROKER_CLIENT_SECRET: 's3cret',
  BROKER_ALLOWED_ORIGINS: 'chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb',
};

/** The problems configFromEnv finds in GOOD with `change` applied (undefined deletes a variable). */
function problems(change: Record<string, string | undefined>): string[] {
  const env: Record<string, string | undefined> = { ...GOOD, ...change };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  try {
    configFromEnv(env);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(BrokerConfigError);
    return (e as BrokerConfigError).problems;
  }
}

describe('configFromEnv', () => {
  it('reads a good configuration, with defaults for what is not set', () => {
    expect(configFromEnv(GOOD)).toMatchObject({
      clientId: 'ABc123',
      environment: 'production',
      allowedOrigins: [GOOD.BROKER_ALLOWED_ORIGINS],
      allowedRedirectUris: ['https://cdbjflagiponpmenikdhggjhoomnimdb.chromiumapp.org/'],
      ratePerMinute: 60,
      tokenRatePerMinute: 10,
      trustedProxies: [],
      port: 4020,
      host: '127.0.0.1',
    });
    expect(
      configFromEnv({
        ...GOOD,
        BROKER_ENVIRONMENT: 'local',
        BROKER_LOCAL_ORIGIN: 'http://127.0.0.1:4010',
        BROKER_RATE_LIMIT: '120',
        BROKER_TOKEN_RATE_LIMIT: '5',
        BROKER_TRUSTED_PROXIES: ' 10.0.0.0/8, loopback ,fd00::/8',
        BROKER_PORT: '8080',
        BROKER_HOST: '0.0.0.0',
      }),
    ).toMatchObject({ environment: 'local', localOrigin: 'http://127.0.0.1:4010', ratePerMinute: 120, tokenRatePerMinute: 5, trustedProxies: ['10.0.0.0/8', 'loopback', 'fd00::/8'], port: 8080, host: '0.0.0.0' });
  });

  it.each([
    ['a rate with a unit', { BROKER_RATE_LIMIT: '60/min' }, /BROKER_RATE_LIMIT is "60\/min": write a whole number of requests a minute/],
    ['a fractional rate', { BROKER_RATE_LIMIT: '1.5' }, /BROKER_RATE_LIMIT is "1\.5"/],
    ['a rate of zero', { BROKER_RATE_LIMIT: '0' }, /BROKER_RATE_LIMIT is 0: write a whole number .* from 1 to/],
    ['a negative token rate', { BROKER_TOKEN_RATE_LIMIT: '-5' }, /BROKER_TOKEN_RATE_LIMIT is "-5": write a whole number of requests a minute with one refresh token or code/],
    ['an unknown environment', { BROKER_ENVIRONMENT: 'prod' }, /BROKER_ENVIRONMENT is "prod": write production .*, sandbox .* or local/],
    ['local without its origin', { BROKER_ENVIRONMENT: 'local' }, /BROKER_ENVIRONMENT is local but BROKER_LOCAL_ORIGIN is not set: put the local sandbox's origin there, e\.g\. BROKER_LOCAL_ORIGIN=http:\/\/127\.0\.0\.1:4010/],
    ['a local origin that is not one', { BROKER_ENVIRONMENT: 'local', BROKER_LOCAL_ORIGIN: 'http://127.0.0.1:4010/v3/company' }, /BROKER_LOCAL_ORIGIN is ".*": write an http\(s\) origin/],
    ['a local origin outside local', { BROKER_LOCAL_ORIGIN: 'http://127.0.0.1:4010' }, /BROKER_LOCAL_ORIGIN is set but BROKER_ENVIRONMENT is production/],
    ['a web origin as the extension', { BROKER_ALLOWED_ORIGINS: 'https://app.example.com' }, /BROKER_ALLOWED_ORIGINS: "https:\/\/app\.example\.com" is not an extension origin\. Write chrome-extension:\/\/<the extension's id>/],
    ['an extension id that is not one', { BROKER_ALLOWED_ORIGINS: 'chrome-extension://abc' }, /"chrome-extension:\/\/abc" is not an extension origin/],
    ['no origins', { BROKER_ALLOWED_ORIGINS: ' , ' }, /BROKER_ALLOWED_ORIGINS is not set: list the extension origins/],
    ['a redirect that is not https', { BROKER_REDIRECT_URIS: 'http://evil.example/cb' }, /BROKER_REDIRECT_URIS: "http:\/\/evil\.example\/cb" is not an https URL/],
    ['a redirect that is not a URL', { BROKER_REDIRECT_URIS: 'chromiumapp.org' }, /BROKER_REDIRECT_URIS: "chromiumapp\.org" is not an https URL/],
    ['a proxy that is not an address', { BROKER_TRUSTED_PROXIES: '10.0.0.1, my-load-balancer' }, /BROKER_TRUSTED_PROXIES: "my-load-balancer" is not an address or range/],
    ['a proxy range out of bounds', { BROKER_TRUSTED_PROXIES: '10.0.0.0/33' }, /BROKER_TRUSTED_PROXIES: "10\.0\.0\.0\/33"/],
    ['a port that is not one', { BROKER_PORT: '80a' }, /BROKER_PORT is "80a": write a port number from 1 to 65535/],
    ['a port out of range', { BROKER_PORT: '70000' }, /BROKER_PORT is 70000: write a port number/],
    ['a host with a port in it', { BROKER_HOST: '127.0.0.1:4020' }, /BROKER_HOST is "127\.0\.0\.1:4020": write the address to listen on/],
    ['a misspelt setting', { BROKER_RATELIMIT: '30' }, /BROKER_RATELIMIT is not a broker setting\. The settings are BROKER_CLIENT_ID, .*BROKER_RATE_LIMIT/],
    ['no client id', { BROKER_CLIENT_ID: undefined }, /BROKER_CLIENT_ID is not set: put the app's client id there/],
    ['no client secret', { BROKER_CLIENT_SECRET: '' }, /BROKER_CLIENT_SECRET is not set/],
  ])('refuses %s, saying what to put where', (_what, change, message) => {
    const found = problems(change);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('lists every mistake at once', () => {
    const found = problems({ BROKER_RATE_LIMIT: '60/min', BROKER_ENVIRONMENT: 'local', BROKER_ALLOWED_ORIGINS: 'https://x.example' });
    expect(found.map((p) => p.split(/[ :]/)[0])).toEqual(['BROKER_RATE_LIMIT', 'BROKER_ENVIRONMENT', 'BROKER_ALLOWED_ORIGINS']);
  });

  it('refuses a configuration passed in code the same way', () => {
    expect(
      () =>
        new Broker({
          clientId: 'id', clientSecret: 's', environment: 'local', allowedOrigins: ['chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb'],
          allowedRedirectUris: [], ratePerMinute: Number.NaN, trustedProxies: ['nope'],
        }),
    ).toThrow(/BROKER_LOCAL_ORIGIN is not set[\s\S]*BROKER_RATE_LIMIT is NaN[\s\S]*BROKER_TRUSTED_PROXIES: "nope"/);
  });
});

describe('npm run broker', () => {
  it('stops before listening when a setting is wrong, printing what to fix', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'broker/index.ts'], {
      cwd: new URL('../..', import.meta.url),
      env: { PATH: process.env.PATH, ...GOOD, BROKER_RATE_LIMIT: '60/min', BROKER_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(out).toContain("The token broker's settings need fixing (see broker/README.md):");
    expect(out).toContain('- BROKER_RATE_LIMIT is "60/min": write a whole number of requests a minute per client address');
    expect(out).not.toContain('token broker on');
  });
});
