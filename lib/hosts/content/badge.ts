// The QB badge beside each host record: its QuickBooks state, a link to the record in QuickBooks,
// and for records not in QuickBooks a popover to ignore them. Plain DOM (no framework) keeps
// thousands of badges cheap; the host element never changes after it is placed, so the page learns
// nothing from it (dom.ts) and never lays out again for it.
import type { RecordStatus } from '../../links';
import { el, onTrusted, ownHost, popUnder, rootOf, sheetOf } from './dom';

const STYLE = `
:host { all: initial; font: 12px/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; }
.b { display: flex; align-items: center; justify-content: center; width: 100%; height: 100%; padding: 0 3px; box-sizing: border-box;
  border-radius: 8px; font-weight: 700; font-size: 10px; letter-spacing: .02em; text-decoration: none; cursor: pointer; border: 1px solid transparent; }
.b:focus-visible { outline: 2px solid #0b6bcb; outline-offset: 1px; }
.checking { background: #eef0f2; color: #9aa5b1; }
.linked { background: #2ca01c; color: #fff; }
.linked:hover { background: #108000; }
.not-in-qb { background: #fff; color: #616e7c; border: 1px dashed #9aa5b1; }
.ignored { background: #f4f5f7; color: #b0b8c1; text-decoration: line-through; }
.pending { background: #fff; color: #2ca01c; border: 1px dashed #2ca01c; }
.suggested { background: #fff6e0; color: #7a5200; border: 1px dashed #d4a017; }
.error, .failed { background: #c0392b; color: #fff; box-shadow: 0 0 0 2px #f5b7b1; }
.pop { position: fixed; margin: 0; inset: auto; width: 240px; background: #fff; color: #1f2933; border: 1px solid #d9dee3;
  border-radius: 8px; box-shadow: 0 6px 18px rgba(0,0,0,.15); padding: 10px 12px; font: 12px/1.35 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; white-space: normal; }
.pop p { margin: 0 0 8px; }
.pop button { font: inherit; border: 1px solid #d9dee3; background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
.pop .buttons { display: flex; gap: 6px; flex-wrap: wrap; }
.pop a { color: #0b6bcb; }
.pop button:focus-visible { outline: 2px solid #0b6bcb; }
.pop strong { display: block; margin-bottom: 4px; }
`;

let sheet: CSSStyleSheet | undefined;

/**
 * The badge's host: the same size and attributes in every state. Off-screen badges are not laid out
 * or painted until they scroll near (content-visibility), which keeps a 5,000-row page loading
 * nearly as fast as without them; the popover opens in the top layer, so nothing clips it.
 */
const BADGE_HOST_STYLE = 'display:inline-block;width:28px;height:16px;margin:0 4px;vertical-align:middle;content-visibility:auto;contain-intrinsic-size:28px 16px';

export interface Badge {
  host: HTMLElement;
  update(status: RecordStatus | undefined): void;
}

const badgeLink = new WeakMap<HTMLElement, HTMLAnchorElement>();

/**
 * A badge in the checking state, not yet in the page. Its whole structure is built here, so
 * later state changes only touch what is inside its shadow root (placing the badges is one pass,
 * before the page's first layout).
 */
export function badgePlace(): HTMLElement {
  const { host, root } = ownHost(document.createElement('span'), 'badge', (sheet ??= sheetOf(STYLE)));
  host.style.cssText = BADGE_HOST_STYLE;
  const a = document.createElement('a');
  a.className = 'b checking';
  a.textContent = 'QB';
  a.setAttribute('role', 'button');
  a.setAttribute('aria-disabled', 'true');
  a.setAttribute('aria-label', 'Checking QuickBooks…');
  root.append(a);
  badgeLink.set(host, a);
  return host;
}

function titleOf(status: RecordStatus, label: string): string {
  switch (status.state) {
    case 'linked':
      return `In QuickBooks: ${status.qbName ?? ''}. Open it in QuickBooks.`;
    case 'not-in-qb':
      return `Not in QuickBooks: ${label}`;
    case 'ignored':
      return `Ignored for QuickBooks: ${label}`;
    case 'pending':
      return `Being sent to QuickBooks: ${label}`;
    case 'suggested':
      return `Looks like QuickBooks' ${status.qbName ?? ''}, not linked yet: ${label}`;
    default:
      return `QuickBooks: ${status.reason ?? 'a problem'}`;
  }
}

const HEADINGS: Partial<Record<RecordStatus['state'], string>> = {
  suggested: 'Suggested match',
  'not-in-qb': 'Not in QuickBooks',
  ignored: 'Ignored for QuickBooks',
  pending: 'Being sent to QuickBooks',
};

/** What a person can do from a badge's popover. */
export interface BadgeActions {
  ignore(ignored: boolean): void;
  /** Links the record to the QuickBooks record its badge suggests. */
  link(): void;
}

/**
 * Badges take clicks and keys once a person comes near them: the pointer over one, focus on one,
 * or a click on one (what an assistive tool sends) arms it, adding its listeners; the listeners
 * of thousands of badges no one touches are never added. Armed within the event that arms it, a
 * badge still acts on that very click.
 */
const armers = new WeakMap<Element, () => void>();
let watching = false;
function armOnApproach() {
  if (watching) return;
  watching = true;
  const arm = (e: Event) => {
    // Events from inside a badge reach the document retargeted to its host.
    const target = e.target instanceof Element ? e.target : undefined;
    const armer = target && armers.get(target);
    if (armer) {
      armers.delete(target);
      armer();
    }
  };
  for (const type of ['pointerover', 'focusin', 'click'] as const) document.addEventListener(type, arm, { capture: true, passive: true });
}

/**
 * Makes a badge place live: states, the popover of unlinked records, linking and ignoring. It is made live
 * with its first state (update), which names it; what it needs only when a person uses it (its
 * popover and listeners) is made when it is armed.
 */
export function createBadge(host: HTMLElement, label: string, actions: BadgeActions): Badge {
  const a = badgeLink.get(host)!;
  const root = rootOf(host)!;
  a.removeAttribute('aria-disabled');
  a.setAttribute('tabindex', '0');
  let current: RecordStatus | undefined;
  let pop: HTMLElement | undefined;
  let closeIt: (() => void) | undefined;
  const closePop = () => closeIt?.();
  armOnApproach();
  armers.set(host, () => {
    const openPop = () => {
      if (pop) return closePop();
      if (!current) return;
      const state = current.state;
      const button = (text: string, run: () => void) => {
        const b = el('button', { type: 'button' }, text);
        onTrusted(b, 'click', (ev) => {
          ev.stopPropagation();
          run();
          closePop();
          a.focus();
        });
        return b;
      };
      const buttons =
        state === 'suggested'
          ? [button(`Link to ${current.qbName ?? 'it'}`, () => actions.link()), button('Ignore for QuickBooks', () => actions.ignore(true))]
          : state === 'ignored'
            ? [button('Stop ignoring', () => actions.ignore(false))]
            : state === 'not-in-qb'
              ? [button('Ignore for QuickBooks', () => actions.ignore(true))]
              : [];
      const open = state === 'suggested' && current.url ? el('a', { href: current.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open it in QuickBooks') : undefined;
      const heading = HEADINGS[state] ?? 'QuickBooks problem';
      pop = el(
        'div',
        { class: 'pop', role: 'dialog', 'aria-label': heading, popover: 'manual' },
        el('strong', {}, heading),
        el('p', {}, state === 'ignored' ? `"${label}" is left out of QuickBooks sync.` : (current.reason ?? '')),
        ...(open ? [el('p', {}, open)] : []),
        el('div', { class: 'buttons' }, ...buttons),
      );
      closeIt = popUnder(root, a, pop, () => {
        pop = undefined;
        closeIt = undefined;
      });
    };
    onTrusted(a, 'click', (e) => {
      e.stopPropagation();
      if (current?.state === 'linked' && current.url) return; // the link opens QuickBooks
      e.preventDefault();
      openPop();
    });
    // A click on the badge's place before its inside is drawn (it was off-screen a moment ago, and
    // is drawn only when near: content-visibility) does what a click on the badge does.
    onTrusted(
      host,
      'click',
      (e) => {
        e.preventDefault();
        if (current?.state === 'linked' && current.url) window.open(current.url, '_blank', 'noopener,noreferrer');
        else openPop();
      },
      false, // after the badge's own handler, which stops the clicks it takes
    );
    // Without a link, the badge is a button: Enter and Space press it, Escape closes its popover.
    onTrusted(root, 'keydown', (e) => {
      if (e.key === 'Escape' && pop) {
        closePop();
        a.focus();
      } else if (e.target === a && !a.hasAttribute('href') && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        openPop();
      }
    });
    // A press elsewhere closes the popover.
    onTrusted(root, 'focusout', (e) => {
      if (pop && !(e.relatedTarget instanceof Node && root.contains(e.relatedTarget))) closePop();
    });
  });
  return {
    host,
    update(status) {
      if (!status || (current && status.state === current.state && status.qbId === current.qbId && status.url === current.url && status.reason === current.reason)) return;
      current = status;
      closePop();
      const title = titleOf(status, label);
      a.className = `b ${status.state}`;
      a.textContent = status.state === 'suggested' ? 'QB?' : 'QB';
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
