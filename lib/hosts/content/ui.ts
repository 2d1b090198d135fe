// What the extension puts into host pages: a QB badge per record, and on customer pages a
// QuickBooks summary and a "QuickBooks Transactions" folder. Each lives in its own shadow root,
// so the host's styles cannot reach it and ours cannot leak; every host or QuickBooks string is
// set as text, never as markup. Plain DOM (no framework) keeps thousands of badges cheap.
import { money } from '../../../components/format';
import type { RecordStatus } from '../../links';
import type { CustomerSummary, TransactionRow } from '../worker/customer';
import type { Anchor } from '../profile';

const STYLE = `
:host { all: initial; font: 12px/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; }
.b { display: inline-flex; align-items: center; justify-content: center; min-width: 22px; height: 16px; padding: 0 3px; box-sizing: border-box;
  border-radius: 8px; font-weight: 700; font-size: 10px; letter-spacing: .02em; text-decoration: none; cursor: pointer; border: 1px solid transparent; }
.checking { background: #eef0f2; color: #9aa5b1; }
.linked { background: #2ca01c; color: #fff; }
.linked:hover { background: #108000; }
.not-in-qb { background: #fff; color: #616e7c; border: 1px dashed #9aa5b1; }
.ignored { background: #f4f5f7; color: #b0b8c1; text-decoration: line-through; }
.error { background: #c0392b; color: #fff; box-shadow: 0 0 0 2px #f5b7b1; }
.pop { position: absolute; z-index: 2147483647; top: 20px; left: 0; width: 240px; background: #fff; color: #1f2933; border: 1px solid #d9dee3;
  border-radius: 8px; box-shadow: 0 6px 18px rgba(0,0,0,.15); padding: 10px 12px; font-weight: 400; white-space: normal; }
.pop p { margin: 0 0 8px; }
.pop button { font: inherit; border: 1px solid #d9dee3; background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
.pop strong { display: block; margin-bottom: 4px; }
`;

const PANEL_STYLE = `
:host { all: initial; display: block; font: 13px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1f2933; margin: 0 0 12px; }
.card { border: 1px solid #d9dee3; border-left: 3px solid #2ca01c; border-radius: 8px; background: #fff; padding: 12px 14px; }
h2 { font-size: 13px; margin: 0 0 8px; display: flex; align-items: center; gap: 6px; }
.logo { background: #2ca01c; color: #fff; border-radius: 4px; font-size: 10px; font-weight: 700; padding: 1px 4px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 3px 12px; margin: 0; }
dt { color: #616e7c; }
dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
a { color: #0b6bcb; text-decoration: none; }
a:hover { text-decoration: underline; }
table { width: 100%; border-collapse: collapse; font-size: 12px; }
th, td { padding: 5px 4px; border-bottom: 1px solid #eef0f2; text-align: left; }
th { color: #616e7c; font-weight: 600; font-size: 11px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #616e7c; }
summary { cursor: pointer; list-style: none; display: flex; align-items: center; gap: 8px; font-weight: 600; }
summary::-webkit-details-marker { display: none; }
.count { margin-left: auto; background: #eef0f2; border-radius: 10px; padding: 0 8px; font-weight: 400; font-size: 12px; }
.open-icon { display: inline-block; width: 14px; text-align: center; }
.scroll { overflow-x: auto; margin-top: 8px; }
.nowrap { white-space: nowrap; }
td .muted { font-size: 11px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

// One style sheet for all badges and one for all panels, shared by their shadow roots.
let badgeSheet: CSSStyleSheet | undefined;
let panelSheet: CSSStyleSheet | undefined;
function sheetOf(css: string) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

type Attrs = Record<string, string>;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined) e.append(c); // strings become text nodes
  return e;
}

type Position = Anchor['position'];

/** Puts one of our hosts at an anchor. */
export function place(host: Element, anchor: Element, position: Position) {
  if (position === 'append') anchor.append(host);
  else if (position === 'prepend') anchor.prepend(host);
  else if (position === 'before') anchor.before(host);
  else anchor.after(host);
}

/** The host element of a panel, with the panels' styles (marked, so it is never read as host content). */
export function mountHost(anchor: Element, position: Position, kind: string): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement('div');
  host.setAttribute('data-qbc', kind);
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [(panelSheet ??= sheetOf(PANEL_STYLE))];
  place(host, anchor, position);
  return { host, root };
}

export interface Badge {
  host: HTMLElement;
  update(status: RecordStatus | undefined): void;
}

const badgeLink = new WeakMap<HTMLElement, HTMLAnchorElement>();
const BADGE_HOST_STYLE = 'display:inline-block;width:28px;height:16px;margin:0 4px;vertical-align:middle;content-visibility:auto;contain-intrinsic-size:28px 16px';
// An open popover overflows the badge, which content-visibility would clip.
const BADGE_HOST_OPEN_STYLE = 'display:inline-block;width:28px;height:16px;margin:0 4px;vertical-align:middle;contain:size layout style;position:relative;z-index:2147483647';

/**
 * A badge in the checking state, not yet in the page. Its whole structure is built here, so
 * later state changes only touch attributes: the host page, however large its table, never
 * has to lay out again for a badge (placing the badges is one pass, before its first layout).
 */
export function badgePlace(): HTMLElement {
  const host = document.createElement('span');
  host.setAttribute('data-qbc', 'badge');
  host.setAttribute('data-qbc-state', 'checking');
  // Off-screen badges are not laid out or painted until they scroll near (content-visibility),
  // which keeps a 5,000-row page loading nearly as fast as without them.
  host.style.cssText = BADGE_HOST_STYLE;
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [(badgeSheet ??= sheetOf(STYLE))];
  const a = document.createElement('a');
  a.className = 'b checking';
  a.textContent = 'QB';
  root.append(a);
  badgeLink.set(host, a);
  return host;
}

function titleOf(state: RecordStatus['state'], status: RecordStatus, label: string): string {
  switch (state) {
    case 'linked':
      return `In QuickBooks: ${status.qbName ?? ''}. Open it in QuickBooks.`;
    case 'not-in-qb':
      return `Not in QuickBooks: ${label}`;
    case 'ignored':
      return `Ignored for QuickBooks: ${label}`;
    default:
      return `QuickBooks: ${status.reason ?? 'a problem'}`;
  }
}

/** Makes a badge place live: states, the popover of unlinked records, ignoring. */
export function createBadge(host: HTMLElement, label: string, onIgnore: (ignored: boolean) => void): Badge {
  const a = badgeLink.get(host)!;
  const root = host.shadowRoot!;
  a.setAttribute('role', 'button');
  a.setAttribute('tabindex', '0');
  a.title = `Checking QuickBooks for ${label}…`;
  let current: RecordStatus | undefined;
  let pop: HTMLElement | undefined;
  const closePop = () => {
    if (!pop) return;
    pop.remove();
    pop = undefined;
    host.style.cssText = BADGE_HOST_STYLE;
  };
  a.addEventListener('click', (e) => {
    const state = current?.state;
    if (state === 'linked' && current?.url) return; // the link opens QuickBooks
    e.preventDefault();
    e.stopPropagation();
    if (pop) return closePop();
    if (!current) return;
    const action =
      state === 'ignored' ? el('button', { type: 'button' }, 'Stop ignoring') : state === 'not-in-qb' ? el('button', { type: 'button' }, 'Ignore for QuickBooks') : undefined;
    action?.addEventListener('click', (ev) => {
      ev.stopPropagation();
      onIgnore(state !== 'ignored');
      closePop();
    });
    const heading = state === 'not-in-qb' ? 'Not in QuickBooks' : state === 'ignored' ? 'Ignored for QuickBooks' : 'QuickBooks problem';
    pop = el(
      'div',
      { class: 'pop', role: 'dialog', 'aria-label': heading },
      el('strong', {}, heading),
      el('p', {}, state === 'ignored' ? `"${label}" is left out of QuickBooks sync.` : (current.reason ?? '')),
      action,
    );
    host.style.cssText = BADGE_HOST_OPEN_STYLE;
    root.append(pop);
  });
  // Without a link, the badge is a button: Enter and Space press it, Escape closes its popover.
  root.addEventListener('keydown', (ev) => {
    const e = ev as KeyboardEvent;
    if (e.key === 'Escape' && pop) {
      closePop();
      a.focus();
    } else if (e.target === a && !a.hasAttribute('href') && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      a.click();
    }
  });
  return {
    host,
    update(status) {
      if (!status || (current && status.state === current.state && status.qbId === current.qbId && status.url === current.url && status.reason === current.reason)) return;
      current = status;
      closePop();
      const title = titleOf(status.state, status, label);
      host.setAttribute('data-qbc-state', status.state);
      a.className = `b ${status.state}`;
      a.title = title;
      a.setAttribute('aria-label', title);
      if (status.state === 'linked' && status.url) {
        a.href = status.url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        a.removeAttribute('role');
      } else {
        a.removeAttribute('href');
        a.setAttribute('role', 'button');
      }
    },
  };
}

/** The QuickBooks summary card of a customer page. */
export function renderSummary(root: ShadowRoot, s: CustomerSummary) {
  const row = (label: string, value: string | undefined) => (value ? [el('dt', {}, label), el('dd', {}, value)] : []);
  const title = s.url ? el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer', title: 'Open in QuickBooks' }, s.name) : s.name;
  root.replaceChildren(
    el(
      'section',
      { class: 'card', 'aria-label': 'QuickBooks summary' },
      el('h2', {}, el('span', { class: 'logo' }, 'QB'), 'QuickBooks summary'),
      el(
        'dl',
        {},
        el('dt', {}, 'Customer'),
        el('dd', {}, title),
        ...row('Balance', money(s.balance)),
        ...row('Open balance', money(s.openBalance)),
        ...row('Overdue', money(s.overdue)),
        ...row('Terms', s.terms),
        ...row('Payment method', s.paymentMethod),
        ...row('Delivery method', s.deliveryMethod),
        ...row('Email', s.email),
      ),
    ),
  );
}

const shortDate = (iso: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[2]}/${m[3]}/${m[1].slice(2)}` : iso;
};

/** The "QuickBooks Transactions" folder: every transaction of the customer, each openable in QBO. */
export function renderTransactions(root: ShadowRoot, rows: TransactionRow[]) {
  const body = rows.length
    ? el(
        'div',
        { class: 'scroll' },
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, el('th', {}, 'Date'), el('th', {}, 'Transaction'), el('th', { class: 'num' }, 'Amount'), el('th', {}, 'Status'), el('th', {}, el('span', { class: 'visually-hidden' }, 'Open in QuickBooks')))),
          el(
            'tbody',
            {},
            ...rows.map((t) => {
              const open = `Open ${[t.type, t.number].filter(Boolean).join(' ')} in QuickBooks`;
              return el(
                'tr',
                { 'data-txn': `${t.type}:${t.id}` },
                el('td', { class: 'nowrap' }, shortDate(t.date)),
                el('td', {}, t.type, el('div', { class: 'muted' }, t.number ? `No. ${t.number}` : '')),
                el('td', { class: 'num' }, money(t.amount)),
                el('td', {}, t.status, t.balance ? el('div', { class: 'muted' }, `${money(t.balance)} due`) : undefined),
                el('td', {}, t.url ? el('a', { href: t.url, target: '_blank', rel: 'noopener noreferrer', title: open, 'aria-label': open, class: 'open-icon' }, '↗') : ''),
              );
            }),
          ),
        ),
      )
    : el('p', { class: 'muted' }, 'No QuickBooks transactions for this customer.');
  const details = el(
    'details',
    { class: 'card', open: '' },
    el('summary', {}, el('span', { class: 'logo' }, 'QB'), 'QuickBooks Transactions', el('span', { class: 'count' }, String(rows.length))),
    body,
  );
  root.replaceChildren(details);
}

/** A short message in a panel's place (not linked, not connected). */
export function renderNote(root: ShadowRoot, title: string, text: string) {
  root.replaceChildren(
    el('section', { class: 'card' }, el('h2', {}, el('span', { class: 'logo' }, 'QB'), title), el('p', { class: 'muted' }, text)),
  );
}
