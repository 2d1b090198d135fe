// The contract between the demo host server and each host app: a parsed request in, a reply out,
// plus the small router and query helpers the apps share. Apps never touch node:http themselves.
import type { AppFrame } from './html';
import type { AppSecurity, Session } from './session';

export interface HostRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** A JSON body, or a form body as an object of strings; undefined when there was none. */
  body: unknown;
  /** The request's headers, names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Who is signed in (set by the server before the app sees the request; absent on /assets/ and admin calls). */
  session?: Session;
}

export interface HostReply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export const reply = {
  html: (body: string, status = 200): HostReply => ({ status, contentType: 'text/html; charset=utf-8', body }),
  json: (data: unknown, status = 200): HostReply => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(data) }),
  css: (body: string): HostReply => ({ status: 200, contentType: 'text/css; charset=utf-8', body, headers: { 'Cache-Control': 'no-cache' } }),
  js: (body: string): HostReply => ({ status: 200, contentType: 'text/javascript; charset=utf-8', body, headers: { 'Cache-Control': 'no-cache' } }),
  /** After a form post, so a reload does not post again. */
  seeOther: (location: string): HostReply => ({ status: 303, contentType: 'text/plain; charset=utf-8', body: '', headers: { Location: location } }),
};

/** One demo host app: its own store, reseeded by `reset`, and its routes. */
export interface HostApp<Store> {
  name: string;
  /** The app's look, for the pages the server renders in its name (the sign-in page). */
  frame: AppFrame;
  /** How the app signs people in and guards its writes (sandbox/hosts/session.ts). */
  security: AppSecurity;
  store(): Store;
  reset(): void;
  /** The reply for a request, or null when no route matches (the server answers 404). */
  handle(req: HostRequest): HostReply | null;
  /** Whether a route takes this method and path (else the app answers 404 or 405 before any sign-in check). */
  knows(req: HostRequest): boolean;
  /** The app's own 404 page, in its frame. */
  notFound(req: HostRequest): HostReply;
  /** A page in the app's frame saying why a request was refused (400, 413, 415). */
  errorPage(req: HostRequest, status: number, message: string): HostReply;
}

/** A client mistake the server answers with 400 and this message (a JSON error, or a page). */
export class BadRequest extends Error {}

type Handler = (req: HostRequest, params: Record<string, string>) => HostReply | null;

/** Routes like `/vendors/:id`; a handler may return null to mean "no such record" (404). */
export class Router {
  private routes: { method: string; parts: string[]; handler: Handler }[] = [];

  get(pattern: string, handler: Handler) {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler) {
    return this.add('POST', pattern, handler);
  }

  put(pattern: string, handler: Handler) {
    return this.add('PUT', pattern, handler);
  }

  patch(pattern: string, handler: Handler) {
    return this.add('PATCH', pattern, handler);
  }

  delete(pattern: string, handler: Handler) {
    return this.add('DELETE', pattern, handler);
  }

  private add(method: string, pattern: string, handler: Handler) {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  knows(req: HostRequest): boolean {
    const parts = req.path.split('/').filter(Boolean);
    return this.routes.some((r) => (r.method === req.method || (r.method === 'GET' && req.method === 'HEAD')) && matchParts(r.parts, parts) !== null);
  }

  handle(req: HostRequest): HostReply | null {
    const parts = req.path.split('/').filter(Boolean);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchParts(route.parts, parts);
      if (!params) continue;
      if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) {
        allowed.add(route.method);
        continue;
      }
      return route.handler(req, params);
    }
    if (allowed.size)
      return { ...reply.json({ error: `Use ${[...allowed].join(' or ')} for ${req.path}.` }, 405), headers: { Allow: [...allowed].join(', ') } };
    return null;
  }
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
    } else if (pattern[i] !== parts[i]) return null;
  }
  return params;
}

/** The largest list a benchmark may ask for with `?rows=`. */
export const MAX_ROWS = 20_000;

/**
 * `?rows=N`: a whole number, N over 20000 read as 20000; null when absent or empty (the list then
 * shows the seeded records). Anything else ("5.5", "1e3", "0x10", "-1") is a BadRequest.
 */
export function rowsParam(query: URLSearchParams): number | null {
  const value = query.get('rows');
  if (value === null || value === '') return null;
  if (!/^\d+$/.test(value)) throw new BadRequest(`rows must be a whole number from 0 to ${MAX_ROWS}, not "${value}".`);
  return Math.min(MAX_ROWS, Number(value));
}

/**
 * A numeric record id as a URL spells it: canonical decimal only. "1001" is record 1001;
 * "1001.0", "0x3e9", "01001", "+1001" and "1e3" name no record (undefined), as in any app whose
 * ids are strings of digits.
 */
export function idParam(value: string): number | undefined {
  return /^[1-9]\d{0,14}$/.test(value) ? Number(value) : undefined;
}

/** A trimmed, lower-cased filter value from the query string ('' when absent). */
export function filterParam(query: URLSearchParams, name: string): string {
  return (query.get(name) ?? '').trim().toLowerCase();
}

/** Case-insensitive "contains" over a record's searchable texts; an empty needle matches all. */
export function matchesText(needle: string, ...haystack: (string | number | null | undefined)[]): boolean {
  if (!needle) return true;
  return haystack.some((h) => h !== null && h !== undefined && String(h).toLowerCase().includes(needle));
}
