// npm run bench push: 1,001 creates of five entities with their dependencies (vendors and their
// bills, customers with their invoices and the payments applied to them) pushed through the
// outbox to the sandbox (its own process), 150 ms latency, QuickBooks' limits on. The limits are
// QuickBooks' rates in a 6-second window (4 batches and 50 requests a window: 40 batches and 500
// requests a minute, 10 in flight), so a run spans several windows and measures the steady pace;
// the ceiling is what those limits allow: 30 creates a batch x 40 batches a minute. A second run
// adds the write path proof's faults (500s, lost answers, two 429 storms, the token expired, and
// requestids ignored) and reports its own figures under `faults`.
// A third run, `workflow`, exports 1,000 bills of a media app with their 300 vendors through the
// bills workflow (lib/workflows/bills.ts: "Export vendors" on, so each unmatched vendor goes first),
// not as raw entries, and reports the same ratio to the ceiling.
// Targets: ratio = opsPerMinute / ceilingOpsPerMinute at least 0.9; lost and doubled 0 in all.
import 'fake-indexeddb/auto';
import { db } from '../../lib/db';
import { forgetCache } from '../../lib/db/qbcache';
import { clearHostRecords, putHostRecords } from '../../lib/hosts/store';
import { QboClient, type LimitSettings } from '../../lib/qbo';
import { enqueue, outboxCounts } from '../../lib/sync/outbox';
import { putChanges } from '../../lib/db/qbcache';
import { exportBills, saveBillsSettings } from '../../lib/workflows/bills';
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

const WORKFLOW_BILLS = 1_000;
const WORKFLOW_VENDORS = 300;

/** 1,000 bills of 300 vendors that QuickBooks does not have yet, exported through the workflow. */
async function runWorkflow(sandbox: SandboxProcess) {
  await Promise.all([db.outbox.clear(), db.links.clear(), db.qbRecords.clear(), clearHostRecords(), db.settings.clear(), db.logs.clear(), db.logBodies.clear()]);
  forgetCache();
  await sandbox.admin('/reset', { seed: 'default' });
  await sandbox.admin('/limits', { enabled: true, ...LIMITS });
  await sandbox.admin('/faults', { latencyMs: LATENCY_MS });
  const tokens = await new SandboxTokens({ url: sandbox.url } as never).init();
  const client = new QboClient({ realmId: DEMO_REALM, environment: 'local-sandbox', localOrigin: sandbox.url, tokens, limits: LIMITS });
  await putChanges(DEMO_REALM, 'Account', await client.queryAll('Account'), Date.now());
  const account = (await client.queryAll('Account')).find((a) => a.Name === 'Media Placement Costs')!;
  const app = { profileId: 'spotlight', origin: 'http://media.localhost' };
  const base = { realmId: DEMO_REALM, ...app, source: 'api' as const, seenAt: Date.now() };
  await putHostRecords(
    Array.from({ length: WORKFLOW_VENDORS }, (_, i) => ({ ...base, kind: 'vendor', hostId: String(9000 + i), name: `Bench Outlet ${i + 1}`, fields: { hostId: String(9000 + i), name: `Bench Outlet ${i + 1}` } })),
  );
  await putHostRecords(
    Array.from({ length: WORKFLOW_BILLS }, (_, i) => ({
      ...base, kind: 'bill', hostId: String(70_000 + i),
      fields: { hostId: String(70_000 + i), number: `BW-${i + 1}`, vendorId: String(9000 + (i % WORKFLOW_VENDORS)), date: '2026-11-02', dueDate: '2026-12-02', amount: '1500.00' },
      lines: [{ description: 'Flight', amount: '1000.00' }, { description: 'Production', amount: '500.00' }],
    })),
  );
  await saveBillsSettings(DEMO_REALM, app, { lineType: 'Account', accountId: account.Id, automations: { exportVendors: true } });
  const enqueueStarted = performance.now();
  const { entries, refused } = await exportBills(
    { realmId: DEMO_REALM, app, appName: 'Spotlight', origin: { kind: 'automation', name: 'Export bills' }, readPrefs: async () => ({}) },
    Array.from({ length: WORKFLOW_BILLS }, (_, i) => String(70_000 + i)),
  );
  const enqueueMs = Math.round(performance.now() - enqueueStarted);
  await sandbox.admin('/stats/reset');
  const started = performance.now();
  for (let round = 0; round < 20; round++) {
    await push(client);
    const c = await outboxCounts(DEMO_REALM);
    if (c.pending + c['in-flight'] === 0) break;
  }
  const wallMs = Math.round(performance.now() - started);
  await sandbox.admin('/faults', undefined, 'DELETE');
  // Exactly one QuickBooks bill per app bill, for the vendor its app vendor is linked to.
  const bills = (await client.queryAll('Bill')).filter((b) => String(b.DocNumber ?? '').startsWith('BW-'));
  const vendors = (await client.queryAll('Vendor')).filter((v) => String(v.DisplayName).startsWith('Bench Outlet '));
  const links = await db.links.toArray();
  const vendorOf = new Map(links.filter((l) => l.kind === 'vendor').map((l) => [l.hostId, l.qbId]));
  const perNumber = new Map<string, number>();
  for (const b of bills) perNumber.set(String(b.DocNumber), (perNumber.get(String(b.DocNumber)) ?? 0) + 1);
  let wrongVendor = 0;
  for (const l of links.filter((x) => x.kind === 'bill')) {
    const bill = bills.find((b) => String(b.Id) === l.qbId);
    if (!bill || bill.VendorRef?.value !== vendorOf.get(String(9000 + ((Number(l.hostId) - 70_000) % WORKFLOW_VENDORS)))) wrongVendor++;
  }
  const counts = await outboxCounts(DEMO_REALM);
  const opsPerMinute = Math.round((counts.done / wallMs) * 60_000);
  const ceilingOpsPerMinute = Math.min(BATCH_SIZE * LIMITS.batchPerWindow * (60_000 / LIMITS.windowMs), BATCH_SIZE * LIMITS.inFlight * (60_000 / LATENCY_MS));
  return {
    bills: WORKFLOW_BILLS, vendors: WORKFLOW_VENDORS, entries: entries.length, refused: refused.length, enqueueMs, done: counts.done, failed: counts.failed,
    lost: WORKFLOW_BILLS - perNumber.size, doubled: [...perNumber.values()].filter((n) => n > 1).length, vendorsMade: vendors.length, wrongVendor,
    wallMs, opsPerMinute, ceilingOpsPerMinute, ratio: Number((opsPerMinute / ceilingOpsPerMinute).toFixed(2)),
  };
}

export async function run() {
  const sandbox = await startSandboxProcess();
  try {
    const clean = await runOnce(sandbox, 'bench', false);
    const faults = await runOnce(sandbox, 'faults', true);
    const workflow = await runWorkflow(sandbox);
    return {
      latencyMs: LATENCY_MS,
      limits: `${LIMITS.perWindow} requests and ${LIMITS.batchPerWindow} batches per ${LIMITS.windowMs / 1000} s (QuickBooks' 500 and 40 a minute), ${LIMITS.inFlight} in flight`,
      entities: 'Vendor, Bill, Customer, Invoice, Payment',
      ...clean,
      faults,
      workflow,
      targets: {
        ratioAtLeast0_9: clean.ratio >= 0.9,
        workflowRatioAtLeast0_9: workflow.ratio >= 0.9,
        noneLostOrDoubled: clean.lost === 0 && clean.doubled === 0 && faults.lost === 0 && faults.doubled === 0 && workflow.lost === 0 && workflow.doubled === 0 && workflow.wrongVendor === 0,
        everyLinkRight: clean.wrongLinks === 0 && faults.wrongLinks === 0,
      },
    };
  } finally {
    await sandbox.stop();
  }
}
