// The content script's work on a host page: find the page rule of the profile that covers it,
// read its records and mount a badge for each as they appear, ask the worker for their
// QuickBooks states, and keep them current: new rows, SPA navigation, "changed" notices after a
// sync. A page the profile matches but cannot read is reported as layout drift.
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { RecordStatus } from '../../links';
import { onNotice, sendToWorker } from '../../messages/send';
import type { PageRule } from '../profile';
import { pageFor, readRecord, type ReadRecord } from '../read';
import { badgePlace, createBadge, type Badge } from './badge';
import { isOurs, place } from './dom';
import { mountPanel, renderNote, renderSummary, renderTransactions, type PanelKind } from './panels';

type ProfileInfo = { id: string; name: string; pages: PageRule[] };

/** Rows read and badged per task: small enough that no task runs long. */
const SLICE = 250;
/** Records per message to the worker. */
const BATCH = 1000;
const ORPHAN_CHECK_MS = 3000;
/** How long after the page's load to wait for records (a single-page app renders them late) before calling it drift. */
const DRIFT_AFTER_MS = 4000;

/**
 * One page view: torn down on navigation or when the extension is updated. When the document
 * has been parsed, every record gets an empty badge place in one pass, before the host page
 * first lays out; then the badges are read and drawn a slice at a time, so no task runs long
 * and the host page never lays its table out again for them.
 */
class PageSession {
  private readonly badges = new Map<string, Badge[]>();
  private readonly records = new Map<string, ReadRecord['fields']>();
  private readonly seen = new WeakSet<Element>();
  private readonly places = new WeakMap<Element, HTMLElement>();
  private readonly mounted: HTMLElement[] = [];
  private pending: { hostId: string; fields: ReadRecord['fields'] }[] = [];
  /** The records found by the last look at the page, and the next one to read. */
  private rows?: NodeListOf<Element>;
  private next = 0;
  private observer?: MutationObserver;
  private timer?: ReturnType<typeof setTimeout>;
  private driftTimer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private asking = Promise.resolve();
  private detailShown = false;
  /** Badges still checking, and when the last of them showed its state (for the inject benchmark). */
  private readonly checking = new Set<Badge>();
  private allShownAt?: number;

  constructor(
    private readonly profile: ProfileInfo,
    private readonly page: PageRule,
  ) {}

  start() {
    // Badges go in as soon as the page is parsed; reading their records waits for the page's
    // load, so the host page finishes loading as fast as it would without the extension. From
    // then on, rows the page adds are read as they come, and a page with nothing to read by
    // DRIFT_AFTER_MS is reported.
    const loaded = () => {
      if (this.stopped) return;
      this.observer = new MutationObserver((mutations) => {
        // Our own hosts appearing is not news.
        if (mutations.every((m) => [...m.addedNodes].every(isOurs))) return;
        this.rows = undefined;
        this.schedule();
      });
      this.observer.observe(document, { childList: true, subtree: true });
      this.schedule(0);
      this.driftTimer = setTimeout(() => void this.checkDrift(), DRIFT_AFTER_MS);
    };
    const parsed = () => {
      if (this.stopped) return;
      this.reserve();
      if (document.readyState === 'complete') loaded();
      else window.addEventListener('load', loaded, { once: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', parsed, { once: true });
    else parsed();
  }

  stop() {
    this.stopped = true;
    this.observer?.disconnect();
    clearTimeout(this.timer);
    clearTimeout(this.driftTimer);
    for (const el of this.mounted) el.remove();
    this.mounted.length = 0;
    this.badges.clear();
  }

  private async checkDrift() {
    if (this.stopped || this.badges.size > 0) return;
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

  /** Puts a badge (checking) at every record's anchor, in one pass (see badgePlace). */
  private reserve() {
    for (const element of document.querySelectorAll(this.page.record)) {
      if (this.seen.has(element) || this.places.has(element)) continue;
      const host = this.placeBadge(element);
      if (host) this.places.set(element, host);
    }
  }

  /** Scans soon, once the page has loaded. */
  private schedule(delay = 0) {
    if (this.timer !== undefined || this.stopped || document.readyState !== 'complete') return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.scan();
    }, delay);
  }

  /**
   * Badges up to a slice of records not seen yet, and asks for their states. The page is looked
   * at again only when it changed since; otherwise the next slice goes on where this one ended.
   */
  private scan() {
    if (this.stopped) return;
    if (!this.rows) {
      this.rows = document.querySelectorAll(this.page.record);
      this.next = 0;
    }
    const elements = this.rows;
    let done = 0;
    for (; this.next < elements.length && done < SLICE; this.next++) {
      const element = elements[this.next];
      if (this.seen.has(element)) continue;
      this.seen.add(element);
      const r = readRecord(element, this.page, location);
      if (!r) {
        this.places.get(element)?.remove();
        continue;
      }
      // No place yet: a row that arrived after the page loaded (a single-page app, more rows).
      const host = this.places.get(element) ?? this.placeBadge(element);
      if (!host) continue;
      const badge = createBadge(host, r.fields.name || r.fields.number || r.hostId, (ignored) => void this.ignore(r.hostId, ignored));
      this.checking.add(badge);
      const list = this.badges.get(r.hostId);
      if (list) list.push(badge);
      else this.badges.set(r.hostId, [badge]);
      this.records.set(r.hostId, r.fields);
      this.pending.push({ hostId: r.hostId, fields: r.fields });
      done++;
    }
    if (done === SLICE) this.schedule(0);
    if (this.pending.length && (this.pending.length >= BATCH || done < SLICE)) this.flush();
  }

  /** Sends the records waiting for a state, one message at a time. */
  private flush() {
    const records = this.pending;
    this.pending = [];
    clearTimeout(this.driftTimer);
    // One question at a time; a refused or failed one leaves its badges checking, not the page broken.
    this.asking = this.asking
      .then(async () => {
        if (this.stopped) return;
        await this.requestStatuses(records);
        if (!this.detailShown && (this.page.anchors.summary || this.page.anchors.transactions)) {
          this.detailShown = true;
          await this.showDetail(records[0].hostId);
        }
      })
      .catch(() => undefined);
  }

  /** Shows states on the badges, a slice at a time. */
  private async apply(statuses: RecordStatus[]) {
    let shown = false;
    for (let i = 0; i < statuses.length && !this.stopped; i += SLICE) {
      for (const s of statuses.slice(i, i + SLICE))
        for (const b of this.badges.get(s.hostId) ?? []) {
          b.update(s);
          if (this.checking.delete(b)) shown = true;
        }
      if (i + SLICE < statuses.length) await new Promise<void>((r) => setTimeout(r, 0));
    }
    if (shown && this.checking.size === 0) this.allShownAt = performance.now();
  }

  /** How far the page is: badges drawn, those still checking, and when the last one showed its state (performance.now()). */
  progress() {
    return { badges: [...this.badges.values()].reduce((n, l) => n + l.length, 0), checking: this.checking.size, allShownAt: this.allShownAt };
  }

  private async requestStatuses(records: { hostId: string; fields: ReadRecord['fields'] }[]) {
    for (let i = 0; i < records.length && !this.stopped; i += BATCH) {
      const { statuses } = await sendToWorker('hosts.records', { profileId: this.profile.id, pageId: this.page.id, records: records.slice(i, i + BATCH) });
      if (!this.stopped) await this.apply(statuses);
    }
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
  let profiles = await profilesHere();
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
  const changed = async () => {
    const now = await profilesHere().catch(() => undefined);
    if (!now || ctx.isInvalid) return;
    const same = JSON.stringify(now) === JSON.stringify(profiles);
    profiles = now;
    if (same) await session?.refresh();
    else begin();
  };
  const stopListening = onNotice('hosts.changed', () => void changed());
  world[LIVE] = { alive: () => alive() && !ctx.isInvalid, changed: () => void changed(), progress: () => session?.progress() };
  // Checking now and then notices an extension that was removed or turned off (its badges would
  // otherwise stay, dead); WXT tears the context down then.
  ctx.setInterval(() => undefined, ORPHAN_CHECK_MS);
  ctx.onInvalidated(() => {
    session?.stop();
    session = undefined;
    stopListening();
  });
}
