// How the browser tests look at the extension's UI in host pages: as a person does. Its shadow
// roots are closed, so neither the page's script nor Playwright's locators can read them; the
// browser's accessibility tree (what a screen reader hears) can, and real mouse and keyboard input
// reaches them.
import type { CDPSession, Locator, Page } from '@playwright/test';

export interface Perceived {
  role: string;
  name: string;
  expanded?: boolean;
  backendId?: number;
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();
function session(page: Page) {
  let s = sessions.get(page);
  if (!s) sessions.set(page, (s = page.context().newCDPSession(page)));
  return s;
}

/**
 * The DOM node behind a locator (its first match), as the DevTools protocol names it: marked for a
 * moment so the protocol can find it, then unmarked.
 */
async function backendNodeOf(locator: Locator): Promise<{ cdp: CDPSession; backendNodeId: number }> {
  const cdp = await session(locator.page());
  const mark = `ax-${Math.random().toString(36).slice(2)}`;
  await locator.first().evaluate((el, m) => el.setAttribute('data-ax-probe', m), mark);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector('[data-ax-probe="${mark}"]')` });
    const { node } = await cdp.send('DOM.describeNode', { objectId: result.objectId! });
    return { cdp, backendNodeId: node.backendNodeId };
  } finally {
    await locator.first().evaluate((el) => el.removeAttribute('data-ax-probe'));
  }
}

/** What a person perceives inside an element, shadow roots included: each node's role and name. */
export async function perceive(locator: Locator): Promise<Perceived[]> {
  // As a person would, scroll to it first: off-screen badges are not laid out (content-visibility).
  await locator.first().scrollIntoViewIfNeeded();
  const { cdp, backendNodeId } = await backendNodeOf(locator);
  // An element with no role of its own (a badge's host) is not in the tree: read its parent's part
  // of the tree, and keep what lies inside the element, its shadow root included.
  const { node } = await cdp.send('DOM.describeNode', { backendNodeId, depth: -1, pierce: true });
  const inside = new Set<number>();
  const collect = (n: typeof node) => {
    inside.add(n.backendNodeId);
    for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) collect(c);
  };
  collect(node);
  const parent = await backendNodeOf(locator.first().locator('xpath=..'));
  const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: parent.backendNodeId });
  return nodes
    .filter((n) => !n.ignored && n.role?.value !== 'InlineTextBox' && n.backendDOMNodeId !== undefined && inside.has(n.backendDOMNodeId))
    .map((n) => ({
      role: String(n.role?.value ?? ''),
      name: String(n.name?.value ?? ''),
      expanded: n.properties?.find((p) => p.name === 'expanded')?.value.value as boolean | undefined,
      backendId: n.backendDOMNodeId,
    }));
}

/** The text a person reads inside an element, in order, one space between pieces. */
export async function perceivedText(locator: Locator): Promise<string> {
  return (await perceive(locator))
    .filter((n) => n.role === 'StaticText')
    .map((n) => n.name.trim())
    .filter(Boolean)
    .join(' ');
}

const STATE_WORDS: [string, string][] = [
  ['In QuickBooks:', 'linked'],
  ['Not in QuickBooks:', 'not-in-qb'],
  ['Ignored for QuickBooks:', 'ignored'],
  ['Checking QuickBooks', 'checking'],
  ['Being sent to QuickBooks:', 'pending'],
  ["Looks like QuickBooks'", 'suggested'],
  ['QuickBooks:', 'error'],
];

/** A badge's state as its accessible name says it (In QuickBooks / Not in QuickBooks / ...), with that name. */
export async function badgeOf(badge: Locator): Promise<{ state: string; name: string; role: string }> {
  const control = (await perceive(badge)).find((n) => n.role === 'button' || n.role === 'link');
  if (!control) return { state: 'none', name: '', role: '' };
  const state = STATE_WORDS.find(([words]) => control.name.startsWith(words))?.[1] ?? 'unknown';
  return { state, name: control.name, role: control.role };
}

export const badgeState = async (badge: Locator) => (await badgeOf(badge)).state;

/** Clicks, with the real mouse, the node a person perceives inside an element with this role and name. */
export async function clickPerceived(locator: Locator, role: string, name: string | RegExp) {
  const found = (await perceive(locator)).find((n) => n.role === role && (typeof name === 'string' ? n.name === name : name.test(n.name)));
  if (!found?.backendId) throw new Error(`No ${role} "${name}" in ${locator}`);
  const cdp = await session(locator.page());
  await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: found.backendId });
  const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: found.backendId });
  const [x1, y1, , , x3, y3] = model.border;
  await locator.page().mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
}

/** Whether a person perceives a node with this role and name inside an element. */
export async function perceives(locator: Locator, role: string, name: string | RegExp): Promise<boolean> {
  return (await perceive(locator)).some((n) => n.role === role && (typeof name === 'string' ? n.name === name : name.test(n.name)));
}
