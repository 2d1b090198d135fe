// npm run bench panel: the side panel's console on an app with 10,000 vendors (Spotlight,
// /vendors?rows=10000, read by the content script) against 10,000 QuickBooks vendors (the
// sandbox's scale seed), in Chromium with the built extension. Measures, from the panel's
// navigation start, when the counts by status and the first rows with their statuses and
// suggestions are shown; the long tasks while it loads; then scrolls the whole list and records
// every main-thread task over 50 ms while it scrolls. Targets: shown within 1.5 s; no task over
// 50 ms while scrolling. The machine's load average is recorded beside the figures.
import { execSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { startStack } from '../../sandbox/stack';
import { EXTENSION_ORIGIN } from '../e2e/fixtures';
import { extensionReady } from './browser';
import { median } from './stats';

const ROWS = 10_000;
const RUNS = 3;
const root = resolve(import.meta.dirname, '..', '..');

/** Runs in the panel from its first script: when counts and rows show, and every long task. */
const PROBE = `
window.__panel = { shownAt: 0, rows: 0, longTasks: [], frames: [] };
// What ran in each long frame (script, function, time), to tell our work from the browser's.
new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration > 50) window.__panel.frames.push({ start: Math.round(e.startTime), duration: Math.round(e.duration), blocking: Math.round(e.blockingDuration), styleLayout: Math.round(e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0), scripts: e.scripts.map((s) => ({ invoker: s.invoker, fn: s.sourceFunctionName, ms: Math.round(s.duration) })) }); })
  .observe({ type: 'long-animation-frame', buffered: true });
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__panel.longTasks.push({ start: e.startTime, duration: e.duration }); })
  .observe({ type: 'longtask', buffered: true });
const watch = new MutationObserver(() => {
  const count = document.querySelector('[data-testid="count-only-qb"] b');
  const rows = document.querySelectorAll('[data-testid="match-list"] .match-row');
  if (count && count.textContent !== '…' && rows.length && !window.__panel.shownAt) {
    window.__panel.shownAt = performance.now();
    window.__panel.rows = rows.length;
    window.__panel.suggested = document.querySelectorAll('[data-testid="match-list"] .match-row[data-status="suggested"]').length;
    watch.disconnect();
  }
});
document.addEventListener('DOMContentLoaded', () => watch.observe(document.body, { childList: true, subtree: true, characterData: true }));
`;

/** How many host records the extension keeps for the app (read in one of its pages). */
const HOST_RECORDS = `(async () => {
  const req = indexedDB.open('quickbooks-companion');
  const idb = await new Promise((r) => (req.onsuccess = () => r(req.result)));
  const groups = await new Promise((r) => { const q = idb.transaction('hostGroups').objectStore('hostGroups').getAll(); q.onsuccess = () => r(q.result); });
  const n = groups.reduce((sum, g) => sum + g.count, 0);
  idb.close();
  return n;
})()`;

interface Sample {
  shownMs: number;
  rowsDrawn: number;
  suggestedDrawn: number;
  longTasksWhileLoading: number;
  longestWhileLoadingMs: number;
  scrolledRows: number;
  scrollMs: number;
  longTasksWhileScrolling: number;
  longestWhileScrollingMs: number;
  /** Animation frames over 50 ms while scrolling, with the scripts that ran in them (long-animation-frame). */
  longFramesWhileScrolling: unknown[];
}

async function measure(panel: Page): Promise<Sample> {
  await panel.goto(`${EXTENSION_ORIGIN}/sidepanel.html`);
  await panel.waitForFunction(() => (window as unknown as { __panel: { shownAt: number } }).__panel.shownAt > 0, undefined, { timeout: 60_000, polling: 100 }).catch(async (e) => {
    await panel.screenshot({ path: 'bench-results/panel-timeout.png' });
    throw e;
  });
  const loaded = await panel.evaluate(() => (window as unknown as { __panel: { shownAt: number; rows: number; suggested: number; longTasks: { start: number; duration: number }[] } }).__panel);
  const scrollFrom = await panel.evaluate(() => performance.now());
  // Scroll the whole list, a screenful a frame, as a person dragging the scrollbar fast would.
  const scrolled = await panel.evaluate(async () => {
    const list = document.querySelector('[data-testid="match-list"]') as HTMLElement;
    const seen = new Set<string>();
    const started = performance.now();
    while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
      list.scrollTop += list.clientHeight;
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      for (const r of list.querySelectorAll('.match-row input')) seen.add((r as HTMLElement).getAttribute('aria-label')!);
    }
    return { rows: seen.size, ms: performance.now() - started };
  });
  await panel.waitForTimeout(300);
  const tasks = await panel.evaluate(() => (window as unknown as { __panel: { longTasks: { start: number; duration: number }[] } }).__panel.longTasks);
  const frames = await panel.evaluate((from) => (window as unknown as { __panel: { frames: { start: number }[] } }).__panel.frames.filter((f) => f.start >= from), scrollFrom);
  const loading = tasks.filter((t) => t.start < scrollFrom);
  const scrolling = tasks.filter((t) => t.start >= scrollFrom);
  return {
    shownMs: Math.round(loaded.shownAt),
    rowsDrawn: loaded.rows,
    suggestedDrawn: loaded.suggested,
    longTasksWhileLoading: loading.filter((t) => t.duration > 50).length,
    longestWhileLoadingMs: Math.round(Math.max(0, ...loading.map((t) => t.duration))),
    scrolledRows: scrolled.rows,
    scrollMs: Math.round(scrolled.ms),
    longTasksWhileScrolling: scrolling.filter((t) => t.duration > 50).length,
    longestWhileScrollingMs: Math.round(Math.max(0, ...scrolling.map((t) => t.duration))),
    longFramesWhileScrolling: frames,
  };
}

export async function run() {
  execSync('npm run build:e2e', { cwd: root, stdio: 'ignore' });
  const stack = await startStack({ basePort: 0, seed: 'scale', limits: { enabled: false } });
  const ext = await extensionReady({ qboUrl: stack.qbo.url, brokerUrl: stack.broker.url }, ['Spotlight (media buying)']);
  try {
    // The app's 10,000 vendors, as its page shows them; the extension keeps them once the page is quiet.
    const app = await ext.context.newPage();
    await app.goto(`${stack.hosts.apps.media.url}/vendors?rows=50`);
    for (let i = 0; i < 10 && !(await app.locator('[data-qbc="badge"]').count()); i++) await app.reload();
    await app.goto(`${stack.hosts.apps.media.url}/vendors?rows=${ROWS}`, { timeout: 120_000 });
    const probe = await ext.context.newPage();
    await probe.goto(`${EXTENSION_ORIGIN}/manifest.json`);
    const deadline = Date.now() + 180_000;
    while (((await probe.evaluate(HOST_RECORDS)) as number) < ROWS && Date.now() < deadline) await probe.waitForTimeout(500);
    const hostRecords = (await probe.evaluate(HOST_RECORDS)) as number;
    await probe.close();
    await app.bringToFront();

    const panel = await ext.context.newPage();
    await panel.addInitScript(PROBE);
    // The first opening: the page's code not in cache yet, and the matcher's suggestions not kept
    // yet (nothing worked them out since the app's records came); reported beside the others.
    const first = await measure(panel);
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await measure(panel));
    const shown = median(samples.map((s) => s.shownMs));
    const longestScroll = Math.max(...samples.map((s) => s.longestWhileScrollingMs));
    const counts = await panel.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid^="count-"]')].map((b) => [b.getAttribute('data-testid')!.slice(6), Number(b.querySelector('b')!.textContent!.replace(/,/g, ''))])),
    );
    return {
      appVendors: hostRecords,
      quickbooksVendors: stack.qbo.company(DEMO_REALM)?.count('Vendor'),
      counts,
      runs: RUNS,
      shownMs: shown,
      firstOpenShownMs: first.shownMs,
      samples,
      longestTaskWhileScrollingMs: longestScroll,
      machine: { cores: availableParallelism(), loadAverage: loadavg().map((l) => Number(l.toFixed(2))) },
      targets: { shownWithin1_5s: shown <= 1500, noTaskOver50msWhileScrolling: longestScroll <= 50 },
    };
  } finally {
    await ext.close();
    await stack.close();
  }
}
