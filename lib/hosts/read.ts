// Reads host records from a page with a site profile. Runs in the content script: plain DOM
// reads, no extension APIs. Everything read is kept as text.
import { firstGroup, testPattern } from './pattern';
import type { FieldName, FieldRule, PageRule } from './profile';

export interface ReadRecord {
  hostId: string;
  fields: Partial<Record<FieldName, string>>;
  /** The record's element (list rows), where relative anchors are looked up. */
  element: Element;
}

/**
 * A record's id and fields as one number, the same whatever order the fields come in: how a page
 * finds the state last drawn for a record it shows unchanged, without the worker handing it the
 * app's ids and fields. Two FNV-1a hashes of the text from different starting points, 52 bits in all
 * (a clash only shows a state the worker's answer then corrects).
 */
export function stateKey(hostId: string, fields: Partial<Record<string, string>>): number {
  const text = JSON.stringify([hostId, ...Object.keys(fields).sort().map((k) => [k, fields[k]])]);
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (b >>> 12) * 0x100000000 + (a >>> 0);
}

/** The longest text kept from a host field: enough for any name, never a whole page. */
const MAX_FIELD_LENGTH = 300;

/** A value as the extension keeps it: text, whitespace collapsed, at most 300 characters. */
export const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_FIELD_LENGTH);

/** Paths longer than this fit no page: no host app's page has one, and a page's script can push any. */
export const MAX_PATH_LENGTH = 8_000;

/** The first page (in profile order) whose path rule fits the page's path, and its profile. */
export function pageFor<P extends { pages: PageRule[] }>(profiles: P[], pathname: string): { profile: P; page: PageRule } | undefined {
  if (pathname.length > MAX_PATH_LENGTH) return undefined;
  for (const profile of profiles) {
    const page = profile.pages.find((p) => !p.path || testPattern(p.path, pathname));
    if (page) return { profile, page };
  }
  return undefined;
}

/** A detail page's record id read from its address, when its profile reads it from there. */
export function idFromUrl(page: PageRule, pathname: string): string | undefined {
  const rule = page.fields.hostId;
  if (typeof rule === 'string' || !rule.fromUrl || pathname.length > MAX_PATH_LENGTH) return undefined;
  return readField(rule, undefined, { pathname }) || undefined;
}

/** The element of a record a field's selector reads: querySelector's answer (the first match inside the record). */
export type Finder = (record: Element, selector: string) => Element | null;

const bySelector: Finder = (record, selector) => record.querySelector(selector);

/**
 * A finder for many records of one page at once, with querySelector's answers: each selector is
 * looked up once in the whole document and each match handed to the record it lies in (the first
 * match in document order is the record's first), instead of one querySelector per record and
 * field. On a list of thousands this reads the records several times faster. Records outside
 * `records`, and selectors that mean something else outside a record (`:scope`), use querySelector.
 */
export function finderFor(records: ArrayLike<Element>): Finder & { prime(selector: string): void } {
  const set = new Set(Array.from(records));
  // Records inside records (rare) hand a match to every enclosing record; otherwise only the
  // nearest is one. In document order, a record holding another holds the very next one.
  let nested = false;
  for (let i = 0; i + 1 < records.length && !nested; i++) nested = records[i].contains(records[i + 1]);
  const found = new Map<string, Map<Element, Element>>();
  const prime = (selector: string) => {
    if (found.has(selector) || /:scope/i.test(selector) || !set.size) return;
    const first = new Map<Element, Element>();
    const doc = records[0].ownerDocument;
    for (const e of doc.querySelectorAll(selector))
      for (let p = e.parentElement; p; p = p.parentElement)
        if (set.has(p)) {
          if (!first.has(p)) first.set(p, e);
          if (!nested) break;
        }
    found.set(selector, first);
  };
  const find: Finder = (record, selector) => {
    if (!set.has(record) || /:scope/i.test(selector)) return record.querySelector(selector);
    prime(selector);
    return found.get(selector)!.get(record) ?? null;
  };
  return Object.assign(find, { prime });
}

/** One field of a record; `scope` is the record's element (fromUrl rules need none). */
export function readField(rule: FieldRule, scope: Element | undefined, location: { pathname: string }, find: Finder = bySelector): string {
  const text = (sel: string) => clean(scope ? find(scope, sel)?.textContent : undefined);
  if (typeof rule === 'string') return text(rule);
  let value: string;
  if (rule.fromUrl) value = location.pathname.length > MAX_PATH_LENGTH ? '' : firstGroup(rule.fromUrl, location.pathname);
  else if (rule.template) value = rule.template.replace(/\{\{([^}]+)\}\}/g, (_m, sel: string) => text(sel.trim()));
  else {
    const el = rule.selector ? (scope ? find(scope, rule.selector) : undefined) : scope;
    value = rule.attribute ? (el?.getAttribute(rule.attribute) ?? '') : (el?.textContent ?? '');
  }
  value = clean(value);
  return rule.pattern ? clean(firstGroup(rule.pattern, value)) : value;
}

/** One record, read from its element; undefined when it has no id. */
export function readRecord(element: Element, page: PageRule, location: { pathname: string }, find?: Finder): ReadRecord | undefined {
  const fields: ReadRecord['fields'] = {};
  for (const [name, rule] of Object.entries(page.fields) as [FieldName, FieldRule | undefined][]) {
    if (!rule) continue;
    const v = readField(rule, element, location, find);
    if (v) fields[name] = v;
  }
  return fields.hostId ? { hostId: fields.hostId, fields, element } : undefined;
}
