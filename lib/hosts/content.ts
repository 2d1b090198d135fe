// The content script's work on a host page: find the page rule of the profile that covers it,
// read its records, mount a badge for each (in slices, so the page never stalls), ask the worker
// for their QuickBooks states, and keep them current: new rows, SPA navigation, "changed"
// notices after a sync. A page the profile matches but cannot read is reported as layout drift.
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { browser } from 'wxt/browser';
import type { RecordStatus } from '../messages';
import { sendToWorker } from '../messages/send';
import type { PageRule } from './profile';
import { readRecords, type ReadRecord } from './read';
import { createBadge, mountHost, renderNote, renderSummary, renderTransactions, type Badge } from './ui';

type ProfileInfo = { id: string; name: string; pages: PageRule[] };

/** Rows read and badged per slice: small enough that no slice is a long task. */
const SLICE = 250;
/** Records per message to the worker. */
const BATCH = 1000;
/** How long to wait for a single-page app to render records before calling it drift. */
const DRIFT_AFTER_MS = 4000;

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/** The first profile page (in profile order) whose path rule fits the page. */
function pageFor(profiles: ProfileInfo[], pathname: string): { profile: ProfileInfo; page: PageRule } | undefined {
  for (const profile of profiles) {
    const page = profile.pages.find((p) => !p.path || new RegExp(p.path).test(pathname));
    if (page) return { profile, page };
  }
  return undefined;
}

/** One page view: torn down on navigation or when the extension is updated. */
class PageSession {
  private readonly badges = new Map<string, Badge[]>();
  private readonly records = new Map<string, ReadRecord['fields']>();
  private readonly seen = new WeakSet<Element>();
  private readonly mounted: HTMLElement[] = [];
  private observer?: MutationObserver;
  private stopped = false;
  private scanning = false;
  private rescan = false;
  private driftTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly profile: ProfileInfo,
    private readonly page: PageRule,
  ) {}

  async start() {
    await this.scan();
    this.observer = new MutationObserver((mutations) => {
      // Our own shadow hosts appearing is not news.
      if (mutations.every((m) => [...m.addedNodes].every((n) => n instanceof HTMLElement && n.hasAttribute('data-qbc')))) return;
      void this.scan();
    });
    this.observer.observe(document.body, { childList: true, subtree: true });
    if (this.badges.size === 0) this.driftTimer = setTimeout(() => void this.checkDrift(), DRIFT_AFTER_MS);
  }

  stop() {
    this.stopped = true;
    this.observer?.disconnect();
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

  /** Reads records not seen yet, badges them, and asks the worker for their states. */
  private async scan() {
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    try {
      do {
        this.rescan = false;
        const fresh: ReadRecord[] = [];
        const all = readRecords(document, this.page, location, 0, Infinity).records;
        for (let i = 0; i < all.length && !this.stopped; i += SLICE) {
          for (const r of all.slice(i, i + SLICE)) {
            if (this.seen.has(r.element)) continue;
            const anchor = this.anchorFor(r.element);
            if (!anchor || anchor.querySelector(':scope > [data-qbc="badge"]')) continue;
            this.seen.add(r.element);
            const label = r.fields.name || r.fields.number || r.hostId;
            const badge = createBadge(anchor, this.page.anchors.badge.position, label, (ignored) => void this.ignore(r.hostId, ignored));
            this.mounted.push(badge.host);
            const list = this.badges.get(r.hostId);
            if (list) list.push(badge);
            else this.badges.set(r.hostId, [badge]);
            this.records.set(r.hostId, r.fields);
            fresh.push(r);
          }
          if (i + SLICE < all.length) await nextTask();
        }
        if (fresh.length) {
          clearTimeout(this.driftTimer);
          await this.requestStatuses(fresh.map((r) => ({ hostId: r.hostId, fields: r.fields })));
          if (this.page.anchors.summary || this.page.anchors.transactions) await this.showDetail(fresh[0].hostId);
        }
      } while (this.rescan && !this.stopped);
    } finally {
      this.scanning = false;
    }
  }

  private apply(statuses: RecordStatus[]) {
    for (const s of statuses) for (const b of this.badges.get(s.hostId) ?? []) b.update(s);
  }

  private async requestStatuses(records: { hostId: string; fields: ReadRecord['fields'] }[]) {
    for (let i = 0; i < records.length && !this.stopped; i += BATCH) {
      const { statuses } = await sendToWorker('hosts.records', { profileId: this.profile.id, pageId: this.page.id, records: records.slice(i, i + BATCH) });
      if (!this.stopped) this.apply(statuses);
    }
  }

  private async ignore(hostId: string, ignored: boolean) {
    const { status } = await sendToWorker('hosts.ignore', { profileId: this.profile.id, pageId: this.page.id, hostId, ignored });
    this.apply([status]);
  }

  private summaryRoot?: ShadowRoot;
  private transactionsRoot?: ShadowRoot;

  private panel(which: 'summary' | 'transactions'): ShadowRoot | undefined {
    const existing = which === 'summary' ? this.summaryRoot : this.transactionsRoot;
    if (existing?.host.isConnected) return existing;
    const a = this.page.anchors[which];
    const anchor = a && document.querySelector(a.selector);
    if (!a || !anchor) return undefined;
    const { host, root } = mountHost(anchor, a.position, which);
    this.mounted.push(host);
    if (which === 'summary') this.summaryRoot = root;
    else this.transactionsRoot = root;
    return root;
  }

  /** The customer page's QuickBooks summary and Transactions folder. */
  private async showDetail(hostId: string) {
    const detail = await sendToWorker('hosts.detail', { profileId: this.profile.id, pageId: this.page.id, hostId });
    if (this.stopped) return;
    this.apply([detail.status]);
    const summary = this.panel('summary');
    const transactions = this.panel('transactions');
    if (detail.summary && summary) renderSummary(summary, detail.summary);
    else if (summary) renderNote(summary, 'QuickBooks summary', detail.status.reason ?? 'This contact is not linked to a QuickBooks customer.');
    if (detail.transactions && transactions) renderTransactions(transactions, detail.transactions);
    else transactions?.host.remove();
  }

  /** QuickBooks changed (a sync ran): ask again for every record on the page. */
  async refresh() {
    const records = [...this.records].map(([hostId, fields]) => ({ hostId, fields }));
    if (!records.length) return;
    await this.requestStatuses(records);
    if (this.page.anchors.summary || this.page.anchors.transactions) await this.showDetail(records[0].hostId);
  }
}

/** Runs the content script for the life of the page. */
export async function decorate(ctx: ContentScriptContext) {
  const { profiles } = await sendToWorker('hosts.page', {});
  if (!profiles.length || ctx.isInvalid) return;
  let session: PageSession | undefined;
  const begin = () => {
    session?.stop();
    session = undefined;
    const found = pageFor(profiles, location.pathname);
    if (!found) return;
    session = new PageSession(found.profile, found.page);
    void session.start();
  };
  begin();
  // The navigation event comes before the address changes: start the new page's work just after.
  ctx.addEventListener(window, 'wxt:locationchange', () => ctx.setTimeout(begin, 0));
  const onMessage = (msg: unknown) => {
    if ((msg as { type?: string } | undefined)?.type === 'hosts.changed') void session?.refresh();
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => {
    session?.stop();
    browser.runtime.onMessage.removeListener(onMessage);
  });
}
