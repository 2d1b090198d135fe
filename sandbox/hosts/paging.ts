// How the demo apps' JSON lists are read a part at a time, each app in its own style (page
// numbers, offsets, or a cursor), and narrowed to the records changed since a time. A page size
// over the app's largest is served at the largest, as real APIs do; nonsense is a 400 naming the
// parameter.
import { BadRequest } from './app';

export interface PageSize {
  /** The parameter that asks for a page size (per_page, limit, max). */
  sizeParam: string;
  /** The size when none is asked for. */
  defaultSize: number;
  /** The largest page the app serves; a larger size is served at this size. */
  maxSize: number;
}

/** A whole number parameter, at least `min`; null when absent or empty. */
function wholeNumber(query: URLSearchParams, name: string, min: number): number | null {
  const value = query.get(name);
  if (value === null || value === '') return null;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) throw new BadRequest(`${name} must be a whole number from ${min}, not "${value}".`);
  return Number(value);
}

function sizeOf(query: URLSearchParams, s: PageSize): number {
  return Math.min(s.maxSize, wholeNumber(query, s.sizeParam, 1) ?? s.defaultSize);
}

/** ?page=1,2,3… (1 first) with a page size: which slice of the list. */
export function pageOf(query: URLSearchParams, param: string, s: PageSize) {
  const page = wholeNumber(query, param, 1) ?? 1;
  const size = sizeOf(query, s);
  return { page, size, offset: (page - 1) * size };
}

/** ?offset=0,100,200… with a page size: which slice of the list. */
export function offsetOf(query: URLSearchParams, param: string, s: PageSize) {
  return { offset: wholeNumber(query, param, 0) ?? 0, size: sizeOf(query, s) };
}

/** ?<param>=n with a page size, for cursor apps (the cursor itself is the app's own). */
export const limitOf = sizeOf;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The updated-since parameter as a time (ms), or null when absent. It takes an ISO 8601 day or
 * time ("2026-05-01", "2026-05-01T09:30:00Z", "…+02:00"); a time without a zone is UTC.
 */
export function sinceOf(query: URLSearchParams, param: string): number | null {
  const value = query.get(param);
  if (value === null || value === '') return null;
  const zoned = /T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value;
  const ms = ISO_TIME.test(value) ? Date.parse(zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  if (Number.isNaN(ms)) throw new BadRequest(`${param} must be an ISO 8601 time like 2026-05-01T09:30:00Z, not "${value}".`);
  return ms;
}

/** The records changed at or after `since` (all of them when since is null). */
export function changedSince<T>(rows: T[], since: number | null, stampOf: (r: T) => string): T[] {
  return since === null ? rows : rows.filter((r) => Date.parse(stampOf(r)) >= since);
}
