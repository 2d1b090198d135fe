// A colleague's browser, as its own process with its own IndexedDB (fake-indexeddb) and its own
// connection: enqueues some of the same writes as the proof's browser and pushes them. Prints its
// links and outbox states as JSON on its last line.
//   node --import tsx test/sync/colleague.ts <sandbox url> <realmId> <json: {refs, tag, groups, pick}>
import 'fake-indexeddb/auto';
import { QboClient } from '../../lib/qbo';
import { enqueue, outboxCounts } from '../../lib/sync/outbox';
import { push } from '../../lib/sync/push';
import { linksOf, workload, type Refs } from './workload';

const [url, realmId, json] = process.argv.slice(2);
const { refs, tag, groups, pick } = JSON.parse(json) as { refs: Refs; tag: string; groups: number; pick: number[] };

const tokens = await (await fetch(`${url}/_sandbox/tokens`, { method: 'POST', body: JSON.stringify({ realmId }) })).json();
let access = tokens.access_token as string;
let refreshToken = tokens.refresh_token as string;
let refreshing: Promise<string> | undefined;
const client = new QboClient({
  realmId, environment: 'local-sandbox', localOrigin: url,
  tokens: {
    accessToken: async () => access,
    refresh: (rejected) =>
      (refreshing ??= (async () => {
        if (rejected !== access) return access;
        const res = await fetch(`${url}/oauth2/v1/tokens/bearer`, {
          method: 'POST',
          headers: { Authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        });
        const t = await res.json();
        access = t.access_token;
        refreshToken = t.refresh_token;
        return access;
      })().finally(() => (refreshing = undefined))),
  },
  limits: { perWindow: 1e6, batchPerWindow: 1e6 },
  retry: { baseDelayMs: 20, maxDelayMs: 200, throttleBaseMs: 50, throttleMaxMs: 500 },
});

const all = workload(realmId, refs, { tag, groups });
for (const i of pick) await enqueue(all[i]);
let rounds = 0;
const left = async () => {
  const c = await outboxCounts(realmId);
  return c.pending + c['in-flight'];
};
while ((await left()) > 0 && rounds++ < 50) await push(client);
const states = await outboxCounts(realmId);
console.log(JSON.stringify({ links: [...(await linksOf(realmId))], states }));
process.exit(0);
