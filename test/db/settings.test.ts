// Typed settings: each key has one schema and one default; a value that does not fit is refused
// with words naming the field and changes nothing; where the extension connects must be https (or
// http on this computer), so no javascript: or remote cleartext address ends up in a link or a
// token request.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { DEFAULT_CONNECTION, readSetting, SETTINGS, writeSetting } from '../../lib/db/settings';

beforeEach(() => db.settings.clear());

const good = { environment: 'local-sandbox', brokerUrl: 'https://broker.example.com/', clientId: 'app-1', localOrigin: 'http://127.0.0.1:4010' } as const;

describe('connection settings', () => {
  it('reads the default until saved, then what was saved (trailing slashes dropped)', async () => {
    expect(await readSetting(SETTINGS.connection)).toEqual(DEFAULT_CONNECTION);
    expect(await writeSetting(SETTINGS.connection, good)).toEqual({ ...good, brokerUrl: 'https://broker.example.com' });
    expect(await readSetting(SETTINGS.connection)).toEqual({ ...good, brokerUrl: 'https://broker.example.com' });
  });

  it('takes https anywhere and http only on this computer for the broker', async () => {
    for (const brokerUrl of ['http://127.0.0.1:4020', 'http://localhost:4020', 'https://auth.example.com/broker'])
      await expect(writeSetting(SETTINGS.connection, { ...good, brokerUrl })).resolves.toMatchObject({ environment: 'local-sandbox' });
    for (const brokerUrl of ['http://broker.example.com', 'javascript:alert(1)//', 'ftp://127.0.0.1', 'not a url', 'data:text/html,x'])
      await expect(writeSetting(SETTINGS.connection, { ...good, brokerUrl }), brokerUrl).rejects.toThrow(
        'brokerUrl: The token broker must be an https:// address (or http:// on this computer, like http://127.0.0.1:4020)',
      );
    expect(await readSetting(SETTINGS.connection)).toMatchObject({ brokerUrl: 'https://auth.example.com/broker' });
  });

  it('keeps the local sandbox on this computer, an origin without a path', async () => {
    for (const localOrigin of ['https://127.0.0.1:4011', 'http://localhost:4010', 'http://[::1]:4010'])
      await expect(writeSetting(SETTINGS.connection, { ...good, localOrigin })).resolves.toBeTruthy();
    for (const localOrigin of ['http://sandbox.example.com', 'javascript:alert(1)', 'http://127.0.0.1:4010/app', 'http://127.0.0.1.evil.example'])
      await expect(writeSetting(SETTINGS.connection, { ...good, localOrigin }), localOrigin).rejects.toThrow(/^localOrigin: The local sandbox must be an http:\/\/ or https:\/\/ address on this computer/);
  });

  it('refuses an unknown environment and an empty client id', async () => {
    await expect(writeSetting(SETTINGS.connection, { ...good, environment: 'staging' })).rejects.toThrow(/^environment:/);
    await expect(writeSetting(SETTINGS.connection, { ...good, clientId: ' ' })).rejects.toThrow("clientId: The app's client id is missing");
    expect(await db.settings.count()).toBe(0);
  });

  it('reads a stored value that no longer fits as the default', async () => {
    await db.settings.put({ realmId: '', key: 'connection', value: { ...good, brokerUrl: 'javascript:alert(1)' } });
    expect(await readSetting(SETTINGS.connection)).toEqual(DEFAULT_CONNECTION);
  });
});

describe('site profiles as a setting', () => {
  it('keeps each stored profile that still passes the rules, and leaves out one that does not', async () => {
    const page = { id: 'c', kind: 'customer', layout: 'list', record: 'tr', fields: { hostId: 'td', name: 'td' }, anchors: { badge: { selector: 'td' } } };
    const ok = { id: 'acme', name: 'Acme', matches: ['https://acme.example/*'], pages: [page] };
    const everywhere = { ...ok, id: 'all', matches: ['*://*/*'] };
    await db.settings.put({ realmId: '', key: 'hostProfiles', value: [ok, everywhere] });
    expect((await readSetting(SETTINGS.hostProfiles)).map((p) => p.id)).toEqual(['acme']);
  });
});
