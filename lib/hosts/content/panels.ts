// A customer page's QuickBooks summary and its "QuickBooks Transactions" folder. Their hosts keep
// one size whatever they show (a linked customer's figures, a note that it is not linked, one
// transaction or a hundred): what is inside scrolls. The page's script thus learns nothing from
// them, not even whether the contact it shows is a QuickBooks customer.
import { money } from '../../../components/format';
import type { CustomerSummary, TransactionRow } from '../worker/customer';
import type { Anchor } from '../profile';
import { el, onTrusted, ownHost, place, sheetOf } from './dom';

const PANEL_STYLE = `
:host { all: initial; display: block; font: 13px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1f2933; }
.card { box-sizing: border-box; height: 100%; overflow: auto; border: 1px solid #d9dee3; border-left: 3px solid #2ca01c; border-radius: 8px; background: #fff; padding: 12px 14px; }
h2 { font-size: 13px; margin: 0 0 8px; display: flex; align-items: center; gap: 6px; }
.logo { background: #2ca01c; color: #fff; border-radius: 4px; font-size: 10px; font-weight: 700; padding: 1px 4px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 3px 12px; margin: 0; }
dt { color: #616e7c; }
dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
a { color: #0b6bcb; text-decoration: none; }
a:hover { text-decoration: underline; }
a:focus-visible, button:focus-visible { outline: 2px solid #0b6bcb; outline-offset: 1px; }
table { width: 100%; border-collapse: collapse; font-size: 12px; }
th, td { padding: 5px 4px; border-bottom: 1px solid #eef0f2; text-align: left; }
th { color: #616e7c; font-weight: 600; font-size: 11px; position: sticky; top: 0; background: #fff; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #616e7c; }
.folder { display: flex; flex-direction: column; padding: 0; }
.toggle { all: unset; box-sizing: border-box; cursor: pointer; display: flex; align-items: center; gap: 8px; font-weight: 600; padding: 10px 14px; min-height: 44px; }
.chev { margin-left: 2px; color: #616e7c; font-weight: 400; }
.count { margin-left: auto; background: #eef0f2; border-radius: 10px; padding: 0 8px; font-weight: 400; font-size: 12px; }
.rows { flex: 1; overflow: auto; padding: 0 14px 10px; }
.rows[hidden] { display: none; }
.open-icon { display: inline-block; width: 14px; text-align: center; }
.nowrap { white-space: nowrap; }
td .muted { font-size: 11px; }
.history { margin-top: 8px; border-top: 1px solid #eef0f2; padding-top: 6px; font-size: 12px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

let sheet: CSSStyleSheet | undefined;

/** The sizes of the panels' hosts, fixed (contain: strict keeps what is inside from changing them). */
const SUMMARY_HEIGHT = 292;
const FOLDER_CLOSED_HEIGHT = 46;
const FOLDER_OPEN_HEIGHT = 320;
const hostStyle = (height: number) => `display:block;box-sizing:border-box;height:${height}px;margin:0 0 12px;contain:strict`;

export type PanelKind = 'summary' | 'transactions';

/** A panel's host at its anchor, with its fixed size. */
export function mountPanel(anchor: Element, position: Anchor['position'], kind: PanelKind): { host: HTMLElement; root: ShadowRoot } {
  const mounted = ownHost(document.createElement('div'), kind, (sheet ??= sheetOf(PANEL_STYLE)));
  mounted.host.style.cssText = hostStyle(kind === 'summary' ? SUMMARY_HEIGHT : FOLDER_CLOSED_HEIGHT);
  place(mounted.host, anchor, position);
  return mounted;
}

/** The QuickBooks summary card of a linked customer. */
export function renderSummary(root: ShadowRoot, s: CustomerSummary) {
  const row = (label: string, value: string | undefined) => (value ? [el('dt', {}, label), el('dd', { title: value }, value)] : []);
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
      s.history?.length
        ? el('div', { class: 'history' }, el('div', { class: 'muted' }, 'Synced lately'), ...s.history.map((h) => el('div', {}, `${h.field} → ${h.to === 'app' ? 'here' : h.to} · ${when(h.at)}`)))
        : undefined,
    ),
  );
}

/** "2 min ago", "14:05", "Nov 3": when a sync carried a field. */
function when(at: number) {
  const ago = Date.now() - at;
  if (ago < 60_000) return 'just now';
  if (ago < 3_600_000) return `${Math.floor(ago / 60_000)} min ago`;
  const d = new Date(at);
  return ago < 86_400_000 ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** A short message in the summary's place (not linked, not connected). */
export function renderNote(root: ShadowRoot, title: string, text: string) {
  root.replaceChildren(el('section', { class: 'card', 'aria-label': title }, el('h2', {}, el('span', { class: 'logo' }, 'QB'), title), el('p', { class: 'muted' }, text)));
}

const shortDate = (iso: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[2]}/${m[3]}/${m[1].slice(2)}` : iso;
};

function transactionTable(rows: TransactionRow[]) {
  return el(
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
          {},
          el('td', { class: 'nowrap' }, shortDate(t.date)),
          el('td', {}, t.type, el('div', { class: 'muted' }, t.number ? `No. ${t.number}` : '')),
          el('td', { class: 'num' }, money(t.amount)),
          el('td', {}, t.status, t.balance ? el('div', { class: 'muted' }, `${money(t.balance)} due`) : undefined),
          el('td', {}, t.url ? el('a', { href: t.url, target: '_blank', rel: 'noopener noreferrer', title: open, 'aria-label': open, class: 'open-icon' }, '↗') : ''),
        );
      }),
    ),
  );
}

/**
 * The "QuickBooks Transactions" folder: every transaction of the customer, each openable in QBO,
 * or a note when there are none to show. Closed, it shows its count; a person opens it (the page's
 * script cannot), and open it has one height whatever it holds.
 */
export function renderTransactions(root: ShadowRoot, rows: TransactionRow[] | undefined, note: string) {
  const host = root.host as HTMLElement;
  const wasOpen = root.querySelector('.toggle')?.getAttribute('aria-expanded') === 'true';
  const toggle = el(
    'button',
    { class: 'toggle', type: 'button', 'aria-expanded': String(wasOpen), 'aria-controls': 'rows' },
    el('span', { class: 'logo' }, 'QB'),
    'QuickBooks Transactions',
    el('span', { class: 'chev', 'aria-hidden': 'true' }, wasOpen ? '▾' : '▸'),
    el('span', { class: 'count', 'aria-label': `${rows?.length ?? 0} transactions` }, String(rows?.length ?? 0)),
  );
  const body = el('div', { class: 'rows', id: 'rows' }, rows?.length ? transactionTable(rows) : el('p', { class: 'muted' }, note));
  body.hidden = !wasOpen;
  const show = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    toggle.querySelector('.chev')!.textContent = open ? '▾' : '▸';
    body.hidden = !open;
    host.style.height = `${open ? FOLDER_OPEN_HEIGHT : FOLDER_CLOSED_HEIGHT}px`;
  };
  onTrusted(toggle, 'click', () => show(toggle.getAttribute('aria-expanded') !== 'true'));
  root.replaceChildren(el('section', { class: 'card folder', 'aria-label': 'QuickBooks Transactions' }, toggle, body));
}
