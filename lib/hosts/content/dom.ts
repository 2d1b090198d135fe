// What every piece of our in-page UI shares. Each lives in a closed shadow root: the host page's
// styles cannot reach it, ours cannot leak, and the page's own script cannot read it. The light
// DOM shows only a host element whose attributes and size are the same whatever QuickBooks holds
// (docs/security.md). Every host or QuickBooks string is set as text, never as markup.
import type { Anchor } from '../profile';

/** The shadow roots of our hosts: closed, so only this script can reach them. */
const roots = new WeakMap<Element, ShadowRoot>();

/** Makes `host` ours: a closed shadow root with these styles, and the marker our own code skips. */
export function ownHost<H extends HTMLElement>(host: H, kind: string, sheet: CSSStyleSheet): { host: H; root: ShadowRoot } {
  host.setAttribute('data-qbc', kind);
  const root = host.attachShadow({ mode: 'closed', delegatesFocus: true });
  root.adoptedStyleSheets = [sheet];
  roots.set(host, root);
  return { host, root };
}

export const rootOf = (host: Element) => roots.get(host);

/** Whether a node is one of our hosts (not an element the page marked to look like one). */
export const isOurs = (node: Node) => node instanceof Element && roots.has(node);

export function sheetOf(css: string) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

type Attrs = Record<string, string>;
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined) e.append(c); // strings become text nodes
  return e;
}

/** Puts one of our hosts at an anchor. */
export function place(host: Element, anchor: Element, position: Anchor['position']) {
  if (position === 'append') anchor.append(host);
  else if (position === 'prepend') anchor.prepend(host);
  else if (position === 'before') anchor.before(host);
  else anchor.after(host);
}

/**
 * Shows one of our popovers under an element of ours, in the browser's top layer (no ancestor of
 * the page's can clip it), above it when there is no room below (and wholly in view). A scroll
 * that moves the element, or content that makes the popover grow, places it again; a scroll that
 * takes the element out of view closes it. Returns the function that closes it (once).
 */
export function popUnder(root: ShadowRoot, under: Element, pop: HTMLElement, onClose?: () => void): () => void {
  root.append(pop);
  pop.showPopover();
  const placeIt = () => {
    const box = under.getBoundingClientRect();
    const { width, height } = pop.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight || box.right < 0 || box.left > window.innerWidth) return close();
    // Below, else above; where neither has room, as low as it fits whole.
    const below = box.bottom + 4 + height <= window.innerHeight || box.top - 4 - height < 0;
    const top = below ? Math.min(box.bottom + 4, window.innerHeight - height - 8) : box.top - 4 - height;
    pop.style.top = `${Math.round(Math.max(4, top))}px`;
    pop.style.left = `${Math.round(Math.max(4, Math.min(box.left, window.innerWidth - width - 8)))}px`;
  };
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    pop.remove();
    window.removeEventListener('scroll', placeIt, true);
    resized.disconnect();
    onClose?.();
  };
  // Its content may grow after it opened (a list filled in): placed again whole.
  const resized = new ResizeObserver(() => open && placeIt());
  resized.observe(pop);
  placeIt();
  window.addEventListener('scroll', placeIt, { capture: true, passive: true });
  return close;
}

/**
 * A listener that acts only on what a person did: the page's script can dispatch clicks and key
 * presses at our elements, but never trusted ones.
 */
export function onTrusted<K extends keyof HTMLElementEventMap>(
  target: HTMLElement | ShadowRoot,
  type: K,
  handle: (e: HTMLElementEventMap[K]) => void,
  capture = true,
) {
  target.addEventListener(type, (e) => {
    if (e.isTrusted) handle(e as HTMLElementEventMap[K]);
    else {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, { capture });
}
