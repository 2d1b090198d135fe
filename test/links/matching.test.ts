// The console's view of an app's names against QuickBooks' (lib/links/matching.ts), on
// fake-indexeddb: suggestions come from the matcher once for what the records say and are kept,
// so opening the console again (or a link made in it) does not run the matcher again; a change to
// a name runs it again; links decide what is shown.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache, putChanges } from '../../lib/db/qbcache';
import { clearHostRecords, putHostRecords } from '../../lib/hosts/store';
import { link } from '../../lib/links';
import { matchView } from '../../lib/links/matching';

const REALM = '4620816365178090';
const app = { profileId: 'spotlight', origin: 'https://media.example' };
const key: [string, string, string, string] = [REALM, app.profileId, app.origin, 'vendor'];
const vendor = (hostId: string, name: string) => ({ realmId: REALM, ...app, kind: 'vendor', hostId, name, fields: { hostId, name }, source: 'api' as const, seenAt: 1 });
const statusOf = async (hostId: string) => (await matchView(REALM, app, 'vendor')).rows.find((r) => r.app?.hostId === hostId);
/** The suggestions are kept from a task of their own (a page's live query cannot write). */
const kept = async () => {
  await new Promise((r) => setTimeout(r, 20));
  return db.matchCache.get(key);
};

beforeEach(async () => {
  await Promise.all([db.connections.clear(), db.qbRecords.clear(), db.qbPages.clear(), db.links.clear(), clearHostRecords(), db.matchCache.clear()]);
  forgetCache();
  await db.connections.put({ realmId: REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: 1 });
  await putChanges(REALM, 'Vendor', [
    { Id: '1', DisplayName: 'Acme Supply', Active: true },
    { Id: '2', DisplayName: 'Roku Advertising', Active: true },
  ], 1);
  await putHostRecords([vendor('a', 'Acme Supply Co'), vendor('r', 'Roku Advertising Inc.')]);
});

describe('the console view', () => {
  it('keeps the matcher\'s suggestions while no name changes, and works them out again when one does', async () => {
    expect(await statusOf('a')).toMatchObject({ status: 'suggested', qb: { id: '1' } });
    const first = await kept();
    expect(first?.suggestions.map((s) => [s.hostId, s.qbId]).sort()).toEqual([['a', '1'], ['r', '2']]);

    // What is kept is what the console shows while the records say the same (here, changed by hand).
    await db.matchCache.put({ ...first!, suggestions: [{ hostId: 'a', qbId: '2', score: 0.5, confident: false }] });
    expect(await statusOf('a')).toMatchObject({ status: 'suggested', qb: { id: '2' }, score: 0.5 });
    expect(await statusOf('r')).toMatchObject({ status: 'only-app' });

    // A name changes in the app: the matcher runs again.
    await putHostRecords([vendor('r', 'Roku Ads')]);
    expect(await statusOf('a')).toMatchObject({ status: 'suggested', qb: { id: '1' } });
    expect((await kept())?.inputs).not.toBe(first?.inputs);
  });

  it('shows a linked record as matched, and suggests no QuickBooks record already linked to another', async () => {
    await link(REALM, app, 'vendor', 'r', { entity: 'Vendor', id: '1' }, 'user');
    const view = await matchView(REALM, app, 'vendor');
    expect(view.rows.find((r) => r.app?.hostId === 'r')).toMatchObject({ status: 'matched', qb: { id: '1' } });
    // Acme's best counterpart is linked to another record: Acme is only in the app.
    expect(view.rows.find((r) => r.app?.hostId === 'a')).toMatchObject({ status: 'only-app' });
    expect(view.counts).toEqual({ matched: 1, suggested: 0, 'only-app': 1, 'only-qb': 1, ignored: 0 });
  });
});
