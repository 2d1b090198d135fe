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

/** One field of a record; `scope` is the record's element (fromUrl rules need none). */
export function readField(rule: FieldRule, scope: Element | undefined, location: { pathname: string }): string {
  if (typeof rule === 'string') return clean(scope?.querySelector(rule)?.textContent);
  let value: string;
  if (rule.fromUrl) value = location.pathname.length > MAX_PATH_LENGTH ? '' : firstGroup(rule.fromUrl, location.pathname);
  else if (rule.template) value = rule.template.replace(/\{\{([^}]+)\}\}/g, (_m, sel: string) => clean(scope?.querySelector(sel.trim())?.textContent));
  else {
    const el = rule.selector ? scope?.querySelector(rule.selector) : scope;
    value = rule.attribute ? (el?.getAttribute(rule.attribute) ?? '') : (el?.textContent ?? '');
  }
  value = clean(value);
  return rule.pattern ? clean(firstGroup(rule.pattern, value)) : value;
}

/** One record, read from its element; undefined when it has no id. */
export function readRecord(element: Element, page: PageRule, location: { pathname: string }): ReadRecord | undefined {
  const fields: ReadRecord['fields'] = {};
  for (const [name, rule] of Object.entries(page.fields) as [FieldName, FieldRule | undefined][]) {
    if (!rule) continue;
    const v = readField(rule, element, location);
    if (v) fields[name] = v;
  }
  return fields.hostId ? { hostId: fields.hostId, fields, element } : undefined;
}
