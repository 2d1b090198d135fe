// Which site profiles a user is offered: the built-in ones are the local sandbox's demo apps, so
// they are offered (and run) only while QuickBooks is the local sandbox; on Intuit's production or
// sandbox a user sees their own apps first and the demo apps only as examples, never running.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { DEFAULT_CONNECTION, SETTINGS, writeSetting } from '../../lib/db/settings';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { allProfiles, enabledProfiles, profilesForUrl } from '../../lib/hosts/worker/registry';

const mine = {
  id: 'acme-crm', name: 'Acme CRM', matches: ['https://crm.acme.example/*'],
  pages: [{ id: 'customers', kind: 'customer', layout: 'list', record: 'tr', fields: { hostId: { attribute: 'data-id' }, name: 'td' }, anchors: { badge: { selector: 'td' } } }],
};
const at = (environment: 'production' | 'intuit-sandbox' | 'local-sandbox') => writeSetting(SETTINGS.connection, { ...DEFAULT_CONNECTION, environment });

beforeEach(async () => {
  await db.settings.clear();
  await writeSetting(SETTINGS.hostProfiles, [mine]);
  await writeSetting(SETTINGS.enabledProfiles, ['spotlight', 'acme-crm']);
});

describe('the demo apps are offered only on the local sandbox', () => {
  it('on the local sandbox: the demo apps, then the user\'s own; both can run', async () => {
    await at('local-sandbox');
    const all = await allProfiles();
    expect(all.map((e) => [e.profile.id, e.example, e.enabled])).toEqual([
      ...BUILTIN_PROFILES.map((p) => [p.id, false, p.id === 'spotlight']),
      ['acme-crm', false, true],
    ]);
    expect((await enabledProfiles()).map((p) => p.id)).toEqual(['spotlight', 'acme-crm']);
    expect((await profilesForUrl('http://media.localhost:4101/vendors')).map((p) => p.id)).toEqual(['spotlight']);
  });

  for (const environment of ['production', 'intuit-sandbox'] as const)
    it(`on ${environment}: the user's own apps first, the demo apps only as examples that never run`, async () => {
      await at(environment);
      const all = await allProfiles();
      expect(all[0]).toMatchObject({ profile: { id: 'acme-crm' }, builtin: false, example: false, enabled: true });
      expect(all.slice(1).map((e) => [e.profile.id, e.builtin, e.example, e.enabled])).toEqual(BUILTIN_PROFILES.map((p) => [p.id, true, true, false]));
      // Turned on while on the sandbox, Spotlight no longer runs here, not even on its own site.
      expect((await enabledProfiles()).map((p) => p.id)).toEqual(['acme-crm']);
      expect(await profilesForUrl('http://media.localhost:4101/vendors')).toEqual([]);
      expect((await profilesForUrl('https://crm.acme.example/customers')).map((p) => p.id)).toEqual(['acme-crm']);
    });

  it('the sandbox build starts on the local sandbox, and the product build on Intuit', async () => {
    // Tests run as the sandbox build (MODE is not "production").
    expect(DEFAULT_CONNECTION.environment).toBe('local-sandbox');
    await db.settings.clear();
    expect((await allProfiles()).filter((e) => e.example)).toEqual([]);
  });
});
