// npm run bench push: 1,001 creates of five entities with their dependencies (vendors and their
// bills, customers with their invoices and the payments applied to them) pushed through the
// outbox to the sandbox (its own process), 150 ms latency, QuickBooks' limits on. The limits are
// QuickBooks' rates in a 6-second window (4 batches and 50 requests a window: 40 batches and 500
// requests a minute, 10 in flight), so a run spans several windows and measures the steady pace;
// the ceiling is what those limits allow: 30 creates a batch x 40 batches a minute. A second run
// adds the write path proof's faults (500s, lost answers, two 429 storms, the token expired, and
// requestids ignored) and reports its own figures under `faults`.
// Targets: ratio = opsPerMinute / ceilingOpsPerMinute at least 0.9; lost and doubled 0 in both.
import 'fake-indexeddb/auto';
import { db } from '../../lib/db';
import { forgetCache } from '../../lib/db/qbcache';
import { QboClient, type LimitSettings } from '../../lib/qbo';
import { enqueue, outboxCounts } from '../../lib/sync/outbox';
import { BATCH_SIZE, push } from '../../lib/sync/push';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { SandboxTokens } from '../qbo/harness';
import { linksOf, verify, workload, type Refs } from '../sync/workload';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';

const LATENCY_MS = 150;
/** QuickBooks' limits, at their rates, in a 6-second window. */
const LIMITS: LimitSettings = { windowMs: 6_000, perWindow: 50, batchPerWindow: 4, inFlight: 10 };
const GROUPS = 286; // 1,001 writes

async function refsOf(client: QboClient): Promise<Refs> {
  const travel = (await client.queryAll('Account')).find((a) => a.Name === 'Travel')!;
  const consulting = (await client.queryAll('Item')).find((i) => i.Name === 'Consulting')!;
  return { expenseAccount: travel.Id, item: consulting.Id };
}

async function runOnce(sandbox: SandboxProcess, tag: string, faults: boolean) {
  await Promise.all([db.outbox.clear(), db.links.clear(), db.qbRecords.clear(), db.logs.clear(), db.logBodies.clear()]);
  forgetCache();
  await sandbox.admin('/reset', { seed: 'default' });
  await sandbox.admin('/limits', { enabled: true, ...LIMITS });
  await sandbox.admin('/faults', { latencyMs: LATENCY_MS });
  const tokens = await new SandboxTokens({ url: sandbox.url } as never).init();
  let requests = 0;
  const client = new QboClient({
    realmId: DEMO_REALM, environment: 'local-sandbox', localOrigin: sandbox.url, tokens, limits: LIMITS,
    fetch: (url, init) => {
      requests++;
      return fetch(url, init);
    },
  });
  const refs = await refsOf(client);
  const groups = workload(DEMO_REALM, refs, { tag, groups: GROUPS });
  for (const g of groups) await enqueue(g);
  const writes = groups.flat().length;
  if (faults) await sandbox.admin('/faults', { errorRate: 0.1, errorStatus: 500, dropRate: 0.1, ignoreRequestId: true, seed: 2026 });
  await sandbox.admin('/stats/reset');
  requests = 0;

  const started = performance.now();
  let batches = 0;
  const extra: Promise<unknown>[] = [];
  if (faults) {
    // Two 429 storms (every request refused for 3 s) and the token running out, while the push runs.
    extra.push(new Promise((r) => setTimeout(r, 8_000)).then(() => sandbox.admin('/faults', { throttleForMs: 3_000 })));
    extra.push(new Promise((r) => setTimeout(r, 16_000)).then(() => sandbox.admin('/tokens/expire', { realmId: DEMO_REALM })));
    extra.push(new Promise((r) => setTimeout(r, 24_000)).then(() => sandbox.admin('/faults', { throttleForMs: 3_000 })));
  }
  for (let round = 0; round < 20; round++) {
    const r = await push(client);
    if (r !== 'busy') batches += r.batches;
    const c = await outboxCounts(DEMO_REALM);
    if (c.pending + c['in-flight'] === 0) break;
  }
  const wallMs = Math.round(performance.now() - started);
  await Promise.all(extra);
  const stats = await sandbox.admin('/stats', undefined, 'GET');
  await sandbox.admin('/faults', undefined, 'DELETE');

  const byEntity = new Map<string, Record<string, unknown>[]>();
  const records = async (entity: string) => {
    if (!byEntity.has(entity)) byEntity.set(entity, (await client.queryAll(entity as never)) as Record<string, unknown>[]);
    return byEntity.get(entity)!;
  };
  const verdict = await verify(groups, records, [await linksOf(DEMO_REALM)]);
  const counts = await outboxCounts(DEMO_REALM);
  const opsPerMinute = Math.round((counts.done / wallMs) * 60_000);
  const ceilingOpsPerMinute = Math.min(
    BATCH_SIZE * LIMITS.batchPerWindow * (60_000 / LIMITS.windowMs),
    BATCH_SIZE * LIMITS.inFlight * (60_000 / LATENCY_MS),
  );
  return {
    writes, done: counts.done, failed: counts.failed, lost: verdict.lost, doubled: verdict.doubled, wrongLinks: verdict.wrongLinks, wrongContent: verdict.wrongContent,
    requests, batches, throttled: stats.throttled, wallMs, opsPerMinute, ceilingOpsPerMinute, ratio: Number((opsPerMinute / ceilingOpsPerMinute).toFixed(2)),
    ...(faults ? { injected: { errors500: stats.injectedErrors, dropped: stats.dropped, throttled: stats.throttled } } : {}),
    ...(verdict.problems.length ? { problems: verdict.problems.slice(0, 10) } : {}),
  };
}

export async function run() {
  const sandbox = await startSandboxProcess();
  try {
    const clean = await runOnce(sandbox, 'bench', false);
    const faults = await runOnce(sandbox, 'faults', true);
    return {
      latencyMs: LATENCY_MS,
      limits: `${LIMITS.perWindow} requests and ${LIMITS.batchPerWindow} batches per ${LIMITS.windowMs / 1000} s (QuickBooks' 500 and 40 a minute), ${LIMITS.inFlight} in flight`,
      entities: 'Vendor, Bill, Customer, Invoice, Payment',
      ...clean,
      faults,
      targets: {
        ratioAtLeast0_9: clean.ratio >= 0.9,
        noneLostOrDoubled: clean.lost === 0 && clean.doubled === 0 && faults.lost === 0 && faults.doubled === 0,
        everyLinkRight: clean.wrongLinks === 0 && faults.wrongLinks === 0,
      },
    };
  } finally {
    await sandbox.stop();
  }
}
