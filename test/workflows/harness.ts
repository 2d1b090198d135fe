// What the workflow tests share: a sandbox company pulled into fake IndexedDB, a demo app's own
// seeded records taken in as its API answers them (a baseline: no events), and the push.
import { beforeEach } from 'vitest';
import { db } from '../../lib/db';
import { forgetCache } from '../../lib/db/qbcache';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { readItem, type ApiRecord } from '../../lib/hosts/api';
import { clearHostRecords } from '../../lib/hosts/store';
import { takeRecords } from '../../lib/hosts/worker/apps';
import type { QboClient } from '../../lib/qbo';
import { pull } from '../../lib/sync/pull';
import { push } from '../../lib/sync/push';
import { sandboxClient } from '../qbo/harness';
import { DEMO_REALM, useSandbox } from '../sandbox/harness';

type Rec = Record<string, any>;

/**
 * A workflow's test bed for one demo app: `seed()` gives the app's raw records by kind (as its
 * store holds them). Before each test the company is reseeded and pulled, and the app's records
 * of `kinds` are taken in.
 */
export function useWorkflowApp(profileId: string, origin: string, appName: string, seed: () => Record<string, unknown[]>, kinds: string[]) {
  const sandbox = useSandbox();
  const profile = BUILTIN_PROFILES.find((p) => p.id === profileId)!;
  const app = { profileId, origin };
  let client: QboClient;
  const company = () => sandbox().company(DEMO_REALM)!;
  const live = (entity: string): Rec[] => [...company().table(entity).values()].map((r) => r.data);
  /** The app's seeded records of a kind, as its API answers them. */
  const appRecords = (kind: string): ApiRecord[] => seed()[kind].map((r) => readItem(JSON.parse(JSON.stringify(r)), profile.api!.kinds[kind])!);

  beforeEach(async () => {
    await Promise.all([db.outbox.clear(), db.links.clear(), db.qbRecords.clear(), db.qbPages.clear(), db.syncCursors.clear(), db.logs.clear(), clearHostRecords(), db.hostEvents.clear(), db.settings.clear(), db.connections.clear(), db.fieldSync.clear(), db.matchCache.clear()]);
    forgetCache();
    await db.connections.put({ realmId: DEMO_REALM, environment: 'local-sandbox', companyName: 'Larkspur', status: 'connected', connectedAt: 1 });
    ({ client } = await sandboxClient(sandbox()));
    await pull(client);
    forgetCache();
    for (const kind of kinds) await takeRecords(DEMO_REALM, { profile, origin }, kind, appRecords(kind), { baseline: true });
  });

  return {
    REALM: DEMO_REALM, profile, app, appName, company, live, appRecords, sandbox,
    idOf: (entity: string, name: string) => String(live(entity).find((r) => (r.DisplayName ?? r.Name) === name)!.Id),
    /** QuickBooks' preferences, as a workflow reads them. */
    prefs: async () => (await client.read('Preferences', '1')) as Rec,
    /** The company's changes into the cache (a sync). */
    pullNow: async () => {
      await pull(client);
      forgetCache();
    },
    /** The outbox to QuickBooks, with no app executors (an app's writes wait for its page). */
    pushAll: async () => {
      const r = await push(client, { appName: () => appName });
      if (r === 'busy') throw new Error('busy');
      forgetCache();
      return r;
    },
  };
}
