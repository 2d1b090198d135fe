// npm run bench qbo: a full read of the sandbox's scale seed (10,000 vendors, 10,000 customers,
// 50,000 transactions) through lib/qbo, with 150 ms latency per request and QBO's limits on.
// Compares requests used with the minimum (pages of 1,000 per entity plus at most one COUNT per
// entity) and wall time with the lower bound the limits and latency impose.
// Targets: no wasted request; wall time within 1.2x of the lower bound.
import { PAGE, QBO_LIMITS, type EntityName } from '../../lib/qbo';
import { PULLED_ENTITIES } from '../../lib/sync/pull';
import { demoClient, demoCounts, qboLimitsOn, startSandboxProcess } from './sandbox-process';
import { median } from './stats';

const LATENCY_MS = 150;
/** What the extension keeps a copy of, and employees. */
const ENTITIES: EntityName[] = [...PULLED_ENTITIES, 'Employee'];

/** The fewest requests a full read can take, and the shortest time the limits allow. */
function readBounds(counts: Record<string, number>, latencyMs: number) {
  let minimum = 0;
  let chain = 1;
  for (const e of ENTITIES) {
    const n = counts[e] ?? 0;
    const pages = Math.max(1, Math.ceil(n / PAGE));
    minimum += pages + (n >= PAGE ? 1 : 0);
    // page 1, then the COUNT, then the rest in parallel: up to three round trips in a row.
    chain = Math.max(chain, n >= PAGE ? (pages > 1 ? 3 : 2) : 1);
  }
  const byInFlight = Math.ceil(minimum / QBO_LIMITS.inFlight);
  const byRate = minimum > QBO_LIMITS.perWindow ? Math.ceil(minimum / QBO_LIMITS.perWindow - 1) * QBO_LIMITS.windowMs : 0;
  return { minimumRequests: minimum, lowerBoundMs: Math.max(chain * latencyMs, byInFlight * latencyMs, byRate) };
}

export async function run() {
  const sandbox = await startSandboxProcess(['--seed', 'scale']);
  try {
    await qboLimitsOn(sandbox);
    await sandbox.admin('/faults', { latencyMs: LATENCY_MS });
    const counts = await demoCounts(sandbox);
    const client = await demoClient(sandbox);
    // Three full reads in a row (the first in a cold process); the median is the figure.
    const runs: { wallMs: number; requests: number; throttled: number; complete: boolean }[] = [];
    for (let run = 0; run < 3; run++) {
      await sandbox.admin('/stats/reset');
      const started = performance.now();
      const rows = await Promise.all(ENTITIES.map((e) => client.queryAll(e).then((r) => [e, r.length] as const)));
      const wallMs = Math.round(performance.now() - started);
      const stats = await sandbox.admin('/stats', undefined, 'GET');
      const read = Object.fromEntries(rows);
      runs.push({ wallMs, requests: stats.requests, throttled: stats.throttled, complete: ENTITIES.every((e) => read[e] === (counts[e] ?? 0)) });
    }
    const { minimumRequests, lowerBoundMs } = readBounds(counts, LATENCY_MS);
    const wallMs = median(runs.map((r) => r.wallMs));
    const requestsUsed = Math.max(...runs.map((r) => r.requests));
    return {
      latencyMs: LATENCY_MS,
      limits: '500/min, 10 in flight, 40 batches/min',
      records: ENTITIES.reduce((a, e) => a + (counts[e] ?? 0), 0),
      complete: runs.every((r) => r.complete),
      requestsUsed,
      minimumRequests,
      wastedRequests: requestsUsed - minimumRequests,
      throttled: runs.reduce((a, r) => a + r.throttled, 0),
      runsMs: runs.map((r) => r.wallMs),
      wallMs,
      lowerBoundMs,
      ratioToLowerBound: Number((wallMs / lowerBoundMs).toFixed(2)),
      targets: { noWastedRequest: requestsUsed === minimumRequests, within1_2xOfLowerBound: wallMs <= 1.2 * lowerBoundMs, complete: runs.every((r) => r.complete) },
    };
  } finally {
    await sandbox.stop();
  }
}
