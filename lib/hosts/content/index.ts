// The content script's work on a host page: find the page rule of the profile that covers it,
// read its records and mount a badge for each as they appear, ask the worker for their
// QuickBooks states, and keep them current: new rows, SPA navigation, "changed" notices after a
// sync. A page the profile matches but cannot read is reported as layout drift.
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { RecordStatus } from '../../links';
import { MAX_AT_ONCE } from '../../bulk';
import { onNotice, sendToWorker } from '../../messages/send';
import type { PageRule } from '../profile';
import { finderFor, pageFor, readRecord, stateKey, type ReadRecord } from '../read';
import { badgePlace, createBadge, type Badge } from './badge';
import { isOurs, place } from './dom';
import { serveFetches } from './fetch';
import { mountPanel, renderNote, renderSummary, renderTransactions, type PanelKind } from './panels';
import { createBulkBar, createSyncControl, syncPlace, type BulkBar, type SyncControl } from './sync';

type ProfileInfo = { id: string; name: string; pages: PageRule[]; apiOrigin?: string };

/** How long a slice of work (reading records, showing states) runs before the page's own tasks go again. */
const SLICE_MS = 10;
/**
 * How long records are read in the task where the page was parsed, before its first full layout:
 * the states are then worked out in the worker while the page lays out. 5,000 rows take about
 * 100 ms on a quiet 2-core machine; read in slices after the layout instead, between the page's
 * own tasks, they took seconds.
 */
const FIRST_PASS_MS = 400;
/** From this many new records on, fields are looked up once for all of them (finderFor). */
const FINDER_FROM = 100;
/** Records per message to the worker. */
const BATCH = 1000;
/** At most this many rows are created in QuickBooks at once ("Create and sync N"; QuickBooks' batch). */
const ORPHAN_CHECK_MS = 3000;
/** How long after the page's load to wait for records (a single-page app renders them late) before calling it drift. */
const DRIFT_AFTER_MS = 4000;

/** Runs `fn` soon in a task of its own (scheduler.postTask where there is one: not held back like nested timers). */
function soon(fn: () => void) {
  const scheduler = (globalThis as { scheduler?: { postTask?: (cb: () => void) => Promise<unknown> } }).scheduler;
  if (scheduler?.postTask) void scheduler.postTask(fn).catch(() => undefined);
  else setTimeout(fn, 0);
}

/**
 * One page view: torn down on navigation or when the extension is updated. When the document
 * has been parsed, in that same task and before the page's layout of the whole document, every
 * record gets a badge place and is read, and the records go to the worker; the worker works out
 * their states while the page lays itself out, and the states are drawn a slice of time at a time
 * once they come back. On a long page that task is the page's own long one (it ends with the
 * layout and the load event); nothing else of ours runs long, and the host page never lays its
 * table out again for us.
 */
class PageSession {
  /** Badges made live (they show a state and take clicks), and places still waiting for their record's state. */
  private readonly badges = new Map<string, Badge[]>();
  private readonly waiting = new Map<string, { host: HTMLElement; sync?: HTMLElement; label: string }[]>();
  /** Rows' "Sync with QB" controls (where the profile places them), the rows chosen in bulk, and the last state of each row. */
  private readonly controls = new Map<string, SyncControl[]>();
  private readonly syncPlaces = new WeakMap<Element, HTMLElement>();
  private readonly chosen = new Set<string>();
  private readonly latest = new Map<string, RecordStatus>();
  private bulk?: BulkBar;
  /** The rows of the create under way from the bulk bar. */
  private batch?: string[];
  private readonly records = new Map<string, ReadRecord['fields']>();
  private readonly seen = new WeakSet<Element>();
  private readonly places = new WeakMap<Element, HTMLElement>();
  private readonly mounted: HTMLElement[] = [];
  private pending: { hostId: string; fields: ReadRecord['fields'] }[] = [];
  /** The records found by the last look at the page, and the next one to read. */
  private rows?: NodeListOf<Element>;
  private next = 0;
  /** Reads the fields of many new records at once (see read). */
  private find?: ReturnType<typeof finderFor>;
  private queued = false;
  private observer?: MutationObserver;
  private driftTimer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  /** States are drawn one answer after another. */
  private drawing = Promise.resolve();
  private detailShown = false;
  /** Badge places still checking, and when the last of them showed its state (for the inject benchmark). */
  private readonly checking = new Set<HTMLElement>();
  private allShownAt?: number;
  /** When the worker's answers for every record read at first were drawn (the states confirmed). */
  private allConfirmedAt?: number;
  private awaiting = 0;
  /** Records whose badges showed their last drawn state before the worker answered. */
  private fromKnown = 0;
  /**
   * The states last drawn for the app's records of this kind (a list page): a record read with the
   * same fields shows its state at once, in the task that reads it, and the worker confirms it.
   */
  private known?: Map<number, Omit<RecordStatus, 'hostId'>>;
  /** Records the worker has answered for: a state last drawn never goes over its answer. */
  private readonly confirmed = new Set<string>();

  constructor(
    private readonly profile: ProfileInfo,
    private readonly page: PageRule,
  ) {}

  start() {
    // The states of the app's records as last drawn, asked for while the page is still parsed.
    if (this.page.layout === 'list')
      void sendToWorker('hosts.known', { profileId: this.profile.id, pageId: this.page.id })
        .then(({ states }) => {
          if (this.stopped || !states.length) return;
          this.known = new Map(states);
          // Records read before the answer came show theirs now.
          const now = [...this.waiting.keys()].flatMap((id) => this.knownState(id, this.records.get(id)) ?? []);
          this.fromKnown += now.length;
          if (now.length) void this.apply(now);
        })
        .catch(() => undefined);
    // Rows the page adds later are read as they come; a page with nothing to read DRIFT_AFTER_MS
    // after its load (a single-page app renders late) is reported.
    const loaded = () => {
      if (this.stopped || this.records.size > 0) return;
      this.driftTimer = setTimeout(() => void this.checkDrift(), DRIFT_AFTER_MS);
    };
    const parsed = () => {
      if (this.stopped) return;
      if (this.page.anchors.sync) this.mountBulkBar();
      this.reserve();
      this.read(FIRST_PASS_MS);
      this.observer = new MutationObserver((mutations) => {
        // Our own hosts appearing is not news.
        if (mutations.every((m) => [...m.addedNodes].every(isOurs))) return;
        this.rows = undefined;
        this.schedule();
      });
      this.observer.observe(document, { childList: true, subtree: true });
      if (document.readyState === 'complete') loaded();
      else window.addEventListener('load', loaded, { once: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', parsed, { once: true });
    else parsed();
  }

  stop() {
    this.stopped = true;
    this.observer?.disconnect();
    clearTimeout(this.driftTimer);
    for (const el of this.mounted) el.remove();
    this.mounted.length = 0;
    this.badges.clear();
    this.controls.clear();
    this.waiting.clear();
  }

  private async checkDrift() {
    if (this.stopped || this.records.size > 0) return;
    const found = document.querySelectorAll(this.page.record).length;
    await sendToWorker('hosts.drift', { profileId: this.profile.id, pageId: this.page.id, path: location.pathname, problem: found ? 'no-anchors' : 'no-records' }).catch(() => undefined);
  }

  private anchorFor(record: Element): Element | null {
    const a = this.page.anchors.badge;
    return this.page.layout === 'list' ? record.querySelector(a.selector) : document.querySelector(a.selector);
  }

  /** A badge (checking) at a record's anchor; none when it has no anchor or already has a badge. */
  private placeBadge(element: Element): HTMLElement | undefined {
    const anchor = this.anchorFor(element);
    if (!anchor || [...anchor.children].some(isOurs)) return undefined;
    const host = badgePlace();
    place(host, anchor, this.page.anchors.badge.position);
    this.mounted.push(host);
    return host;
  }

  /** A row's "Sync with QB" control (checking), where the profile places one. */
  private placeSync(element: Element): HTMLElement | undefined {
    const a = this.page.anchors.sync;
    const anchor = a && element.querySelector(a.selector);
    if (!a || !anchor || [...anchor.children].some(isOurs)) return undefined;
    const host = syncPlace();
    place(host, anchor, a.position);
    this.mounted.push(host);
    return host;
  }

  /** Puts a badge (checking) at every record's anchor, and its sync control, in one pass (see badgePlace). */
  private reserve() {
    for (const element of document.querySelectorAll(this.page.record)) {
      if (this.seen.has(element) || this.places.has(element)) continue;
      const host = this.placeBadge(element);
      if (host) this.places.set(element, host);
      const sync = this.page.anchors.sync && this.placeSync(element);
      if (sync) this.syncPlaces.set(element, sync);
    }
  }

  /** Reads the next records soon, in a task of its own. */
  private schedule() {
    if (this.queued || this.stopped) return;
    this.queued = true;
    soon(() => {
      this.queued = false;
      this.read(SLICE_MS);
    });
  }

  /**
   * Reads records not seen yet for up to `budget` ms and sends them to the worker, a batch at a
   * time. The page is looked at again only when it changed since; otherwise reading goes on where
   * it stopped. Many new records are read with a finder that looks each field's selector up once
   * in the whole document (lib/hosts/read.ts).
   */
  private read(budget: number) {
    if (this.stopped) return;
    const deadline = performance.now() + budget;
    if (!this.rows) {
      this.rows = document.querySelectorAll(this.page.record);
      this.next = 0;
      let unseen = 0;
      for (const element of this.rows) if (!this.seen.has(element)) unseen++;
      this.find = this.page.layout === 'list' && unseen >= FINDER_FROM ? finderFor(this.rows) : undefined;
    }
    const elements = this.rows;
    const knownNow: RecordStatus[] = [];
    for (let n = 0; this.next < elements.length; this.next++, n++) {
      if (n % 16 === 15 && performance.now() > deadline) break;
      const element = elements[this.next];
      if (this.seen.has(element)) continue;
      this.seen.add(element);
      const r = readRecord(element, this.page, location, this.find);
      if (!r) {
        this.places.get(element)?.remove();
        continue;
      }
      // No place yet: a row that arrived after the page was parsed (a single-page app, more rows).
      const host = this.places.get(element) ?? this.placeBadge(element);
      if (!host) continue;
      this.checking.add(host);
      const sync = this.page.anchors.sync ? (this.syncPlaces.get(element) ?? this.placeSync(element)) : undefined;
      const place = { host, sync, label: r.fields.name || r.fields.number || r.hostId };
      const list = this.waiting.get(r.hostId);
      if (list) list.push(place);
      else this.waiting.set(r.hostId, [place]);
      this.records.set(r.hostId, r.fields);
      const known = this.knownState(r.hostId, r.fields);
      if (known) knownNow.push(known);
      this.pending.push({ hostId: r.hostId, fields: r.fields });
      if (this.pending.length >= BATCH) this.flush();
    }
    // Drawn in this task, before the page lays out what was read.
    for (const status of knownNow) this.draw(status);
    this.fromKnown += knownNow.length;
    if (knownNow.length) this.noteShown();
    if (this.next < elements.length) this.schedule();
    else if (this.pending.length) this.flush();
  }

  /** A record's last drawn state, while it shows the same fields it had then and the worker has not answered for it. */
  private knownState(hostId: string, fields: ReadRecord['fields'] | undefined): RecordStatus | undefined {
    if (!this.known || !fields || this.confirmed.has(hostId)) return undefined;
    const status = this.known.get(stateKey(hostId, fields));
    return status && { ...status, hostId };
  }

  /** Asks the worker for the states of the records read since the last question; draws them when they come. */
  private flush() {
    const records = this.pending;
    this.pending = [];
    clearTimeout(this.driftTimer);
    const asked = this.requestStatuses(records);
    if (!this.detailShown && (this.page.anchors.summary || this.page.anchors.transactions)) {
      this.detailShown = true;
      void asked.then(() => this.showDetail(records[0].hostId)).catch(() => undefined);
    }
  }

  /**
   * Shows states on the badges, a slice of time at a time, making each badge live (its label,
   * keyboard and popover) the first time it gets a state.
   */
  private apply(statuses: RecordStatus[]): Promise<void> {
    const drawn = this.drawing.then(async () => {
      for (let i = 0; i < statuses.length && !this.stopped; ) {
        const deadline = performance.now() + SLICE_MS;
        for (let n = 0; i < statuses.length && (n % 16 !== 15 || performance.now() <= deadline); i++, n++) this.draw(statuses[i]);
        if (i < statuses.length) await new Promise<void>((r) => soon(r));
      }
      this.noteShown();
      this.showProgress();
    });
    // One answer that cannot be drawn does not hold back the ones after it.
    this.drawing = drawn.catch(() => undefined);
    return drawn;
  }

  /** One record's state on its badges and controls; a badge place gets its live badge the first time. */
  private draw(s: RecordStatus) {
    const places = this.waiting.get(s.hostId);
    if (places) {
      this.waiting.delete(s.hostId);
      const live = places.map((p) => createBadge(p.host, p.label, { ignore: (ignored) => void this.ignore(s.hostId, ignored), link: () => void this.link(s.hostId) }));
      const list = this.badges.get(s.hostId);
      if (list) list.push(...live);
      else this.badges.set(s.hostId, live);
      const controls = places.flatMap((p) => (p.sync ? [this.liveControl(p.sync, p.label, s.hostId)] : []));
      if (controls.length) this.controls.set(s.hostId, [...(this.controls.get(s.hostId) ?? []), ...controls]);
    }
    for (const b of this.badges.get(s.hostId) ?? []) {
      b.update(s);
      this.checking.delete(b.host);
    }
    for (const c of this.controls.get(s.hostId) ?? []) c.update(s);
    if (this.page.anchors.sync) this.latest.set(s.hostId, s);
  }

  /** The moment every badge placed shows a state (for the inject benchmark). */
  private noteShown() {
    if (this.allShownAt === undefined && this.checking.size === 0 && this.badges.size > 0) this.allShownAt = performance.now();
  }

  // ---- Sync with QB on the rows (lib/hosts/content/sync.ts) ----------------------------------

  private ask() {
    return { profileId: this.profile.id, pageId: this.page.id };
  }

  /** A row's control made live: each action is one message, and its answer is drawn at once. */
  private liveControl(host: HTMLElement, label: string, hostId: string): SyncControl {
    return createSyncControl(host, label, this.page.kind, {
      choices: (search) => sendToWorker('hosts.choices', { ...this.ask(), hostId, search }),
      pick: async (qbId) => void (await this.apply([(await sendToWorker('hosts.pick', { ...this.ask(), hostId, qbId })).status])),
      create: async () => void (await this.apply((await sendToWorker('hosts.create', { ...this.ask(), hostIds: [hostId] })).statuses)),
      unsync: async () => void (await this.apply([(await sendToWorker('hosts.unsync', { ...this.ask(), hostId })).status])),
      info: () => sendToWorker('hosts.info', { ...this.ask(), hostId }),
      choose: (chosen) => this.choose(hostId, chosen),
    });
  }

  /** The bar for rows chosen in bulk: placed once on a page with sync controls, whatever is chosen. */
  private mountBulkBar() {
    const bar = createBulkBar(this.page.kind, {
      create: () => this.createChosen(),
      clear: () => {
        for (const id of this.chosen) for (const c of this.controls.get(id) ?? []) c.setChosen(false);
        this.chosen.clear();
        bar.chosen(0);
      },
    });
    (document.body ?? document.documentElement).append(bar.host);
    this.mounted.push(bar.host);
    this.bulk = bar;
  }

  private choose(hostId: string, chosen: boolean): boolean {
    if (chosen && !this.chosen.has(hostId) && this.chosen.size >= MAX_AT_ONCE) {
      this.bulk?.chosen(this.chosen.size, `At most ${MAX_AT_ONCE} at a time: create these first, or clear some.`);
      return false;
    }
    if (chosen) this.chosen.add(hostId);
    else this.chosen.delete(hostId);
    this.bulk?.chosen(this.chosen.size);
    return true;
  }

  /** "Create and sync N": the chosen rows go to the worker at once; their progress shows as they land. */
  private async createChosen() {
    const ids = [...this.chosen];
    this.batch = ids;
    for (const id of ids) for (const c of this.controls.get(id) ?? []) c.setChosen(false);
    this.chosen.clear();
    try {
      const { statuses } = await sendToWorker('hosts.create', { ...this.ask(), hostIds: ids });
      await this.apply(statuses);
    } catch (e) {
      this.batch = undefined;
      throw e;
    }
  }

  private showProgress() {
    const batch = this.batch;
    if (!batch || !this.bulk) return;
    let landed = 0;
    let failed = 0;
    for (const id of batch) {
      const state = this.latest.get(id)?.state;
      if (state === 'linked') landed++;
      else if (state === 'failed' || state === 'error') failed++;
    }
    this.bulk.progress(landed, failed, batch.length);
    if (landed + failed >= batch.length) this.batch = undefined;
  }

  /**
   * How far the page is: badges drawn, those still checking, when the last one showed its state,
   * when the worker's answers for the records first read were drawn (performance.now()), and how
   * many records showed their last drawn state before the worker answered.
   */
  progress() {
    return {
      badges: [...this.badges.values()].reduce((n, l) => n + l.length, 0),
      checking: this.checking.size,
      allShownAt: this.allShownAt,
      allConfirmedAt: this.allConfirmedAt,
      fromKnown: this.fromKnown,
    };
  }

  /**
   * Asks for states in batches, all at once (the worker answers them side by side); a refused one
   * leaves its badges as they are (checking, or the state last drawn for them).
   */
  private async requestStatuses(records: { hostId: string; fields: ReadRecord['fields'] }[]) {
    const batches: (typeof records)[] = [];
    for (let i = 0; i < records.length; i += BATCH) batches.push(records.slice(i, i + BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        this.awaiting += batch.length;
        const { statuses } = await sendToWorker('hosts.records', { profileId: this.profile.id, pageId: this.page.id, records: batch });
        for (const s of statuses) this.confirmed.add(s.hostId);
        if (!this.stopped) await this.apply(statuses);
        this.awaiting -= batch.length;
        if (this.awaiting === 0 && this.pending.length === 0 && this.rows && this.next >= this.rows.length) this.allConfirmedAt ??= performance.now();
      }),
    ).catch(() => undefined);
  }

  private async link(hostId: string) {
    const { status } = await sendToWorker('hosts.link', { profileId: this.profile.id, pageId: this.page.id, hostId });
    await this.apply([status]);
  }

  private async ignore(hostId: string, ignored: boolean) {
    const { status } = await sendToWorker('hosts.ignore', { profileId: this.profile.id, pageId: this.page.id, hostId, ignored });
    await this.apply([status]);
  }

  private summaryRoot?: ShadowRoot;
  private transactionsRoot?: ShadowRoot;

  private panel(which: PanelKind): ShadowRoot | undefined {
    const existing = which === 'summary' ? this.summaryRoot : this.transactionsRoot;
    if (existing?.host.isConnected) return existing;
    const a = this.page.anchors[which];
    const anchor = a && document.querySelector(a.selector);
    if (!a || !anchor) return undefined;
    const { host, root } = mountPanel(anchor, a.position, which);
    this.mounted.push(host);
    if (which === 'summary') this.summaryRoot = root;
    else this.transactionsRoot = root;
    return root;
  }

  /** The customer page's QuickBooks summary and Transactions folder. */
  private async showDetail(hostId: string) {
    const detail = await sendToWorker('hosts.detail', { profileId: this.profile.id, pageId: this.page.id, hostId });
    if (this.stopped) return;
    await this.apply([detail.status]);
    const summary = this.panel('summary');
    const transactions = this.panel('transactions');
    // Both panels show whatever the answer: what the page can see of them never says whether
    // this contact is a QuickBooks customer.
    const why = detail.status.reason ?? 'This contact is not linked to a QuickBooks customer.';
    if (summary) {
      if (detail.summary) renderSummary(summary, detail.summary);
      else renderNote(summary, 'QuickBooks summary', why);
    }
    if (transactions) renderTransactions(transactions, detail.transactions, detail.transactions ? 'No QuickBooks transactions for this customer.' : why);
  }

  /** QuickBooks changed (a sync ran): ask again for every record on the page. */
  async refresh() {
    const records = [...this.records].map(([hostId, fields]) => ({ hostId, fields }));
    if (!records.length) return;
    await this.requestStatuses(records);
    if (this.page.anchors.summary || this.page.anchors.transactions) await this.showDetail(records[0].hostId);
  }
}

/** Which profiles cover this page, as the worker says; a copy is compared to notice changes. */
async function profilesHere() {
  return (await sendToWorker('hosts.page', {})).profiles;
}

/** The copy of this script that decorates the page, as other copies in its world see it. */
interface LiveCopy {
  alive(): boolean;
  changed(): void;
  /**
   * The page session's progress. It lives in the content script's own world, which the page's
   * script cannot see; the inject benchmark reads it through the DevTools protocol.
   */
  progress(): ReturnType<PageSession['progress']> | undefined;
}
const LIVE = Symbol.for('quickbooks-companion.host');
type World = { [LIVE]?: LiveCopy };

/** Whether this copy still belongs to the installed extension (an update or removal orphans it). */
const alive = () => browser.runtime?.id !== undefined;

/**
 * Runs the content script for the life of the page. It hands over to a newer copy when the
 * extension updated (the worker runs the new copy in open tabs; the old one is orphaned and
 * removes what it drew), defers to a copy already at work (a site turned on again runs the script
 * once more), and removes everything it drew when the extension goes away or the page's site is
 * turned off. The page's own script cannot make it stop: WXT announces each new copy with a DOM
 * event the page could fire too, so a copy that is still alive swallows it.
 */
export async function decorate(ctx: ContentScriptContext) {
  window.addEventListener(
    // The event's name (WXT keeps it private): the extension's id, the script's name, and this.
    (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE,
    (e) => {
      if (alive()) e.stopImmediatePropagation();
    },
    { capture: true, signal: ctx.signal },
  );
  const world = globalThis as World;
  const live = world[LIVE];
  if (live?.alive()) return live.changed();
  // Claimed before the first wait: two copies starting together (a site turned on while its page
  // loads) would otherwise both decorate. A copy arriving meanwhile means "ask again".
  let askAgain = false;
  const claim: LiveCopy = { alive: () => alive() && !ctx.isInvalid, changed: () => (askAgain = true), progress: () => undefined };
  world[LIVE] = claim;
  let profiles: Awaited<ReturnType<typeof profilesHere>> = [];
  try {
    do {
      askAgain = false;
      profiles = await profilesHere();
    } while (askAgain && !ctx.isInvalid);
  } finally {
    if (!profiles.length || ctx.isInvalid) {
      if (world[LIVE] === claim) delete world[LIVE];
    }
  }
  if (!profiles.length || ctx.isInvalid) return;
  let session: PageSession | undefined;
  const begin = () => {
    session?.stop();
    session = undefined;
    const found = pageFor(profiles, location.pathname);
    if (!found) return;
    session = new PageSession(found.profile, found.page);
    session.start();
  };
  begin();
  // The navigation event comes before the address changes: start the new page's work just after.
  ctx.addEventListener(window, 'wxt:locationchange', () => ctx.setTimeout(begin, 0));
  // QuickBooks or the site profiles changed: redraw states in place, or start over with new rules.
  // While this page is open, QuickBooks' changes reach the app within seconds where the worker says
  // so (an app whose customers sync with QuickBooks); where it says "never", the page stops asking
  // until the extension's settings change.
  let freshening = false;
  async function keepFresh() {
    freshening = true;
    let every = 0;
    for (const p of profiles) every = Math.max(every, (await sendToWorker('hosts.fresh', { profileId: p.id }).catch(() => ({ every: 0 }))).every);
    freshening = every > 0 && !ctx.isInvalid;
    if (freshening) ctx.setTimeout(() => void keepFresh(), every);
  }
  const changed = async (attempt = 0) => {
    const now = await profilesHere().catch(() => undefined);
    if (ctx.isInvalid) return;
    // The worker may be starting again (Chrome stopped it): ask again shortly, a few times.
    if (!now) return void (attempt < 5 && ctx.setTimeout(() => void changed(attempt + 1), 1000));
    const same = JSON.stringify(now) === JSON.stringify(profiles);
    profiles = now;
    if (same) await session?.refresh();
    else begin();
  };
  const stopListening = onNotice('hosts.changed', () => {
    void changed();
    if (!freshening) void keepFresh(); // a sync turned on meanwhile
  });
  // The worker's requests to the app's API go through this page, the app's own origin.
  const stopServing = serveFetches(() => [location.origin, ...profiles.flatMap((p) => (p.apiOrigin ? [p.apiOrigin] : []))]);
  world[LIVE] = { alive: () => alive() && !ctx.isInvalid, changed: () => void changed(), progress: () => session?.progress() };
  void keepFresh();
  // Checking now and then notices an extension that was removed or turned off (its badges would
  // otherwise stay, dead); WXT tears the context down then.
  ctx.setInterval(() => undefined, ORPHAN_CHECK_MS);
  ctx.onInvalidated(() => {
    session?.stop();
    session = undefined;
    stopListening();
    stopServing();
  });
}
