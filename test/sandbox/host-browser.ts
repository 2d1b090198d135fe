// A browser for the demo host apps in Node tests: it keeps each app's cookies (the session,
// Ledgerly's XSRF-TOKEN), signs in by opening a page or /login?as=, reads a CSRF token the way a
// site profile's recipe says, and lists a kind to its end with the profile's paging.
import { at, fill, type CsrfRecipe, type HostApi, type KindApi } from '../../lib/hosts/api';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import type { HostAppId } from '../../sandbox/hosts/server';
import { readReply, type Reply } from './harness';

/** The built-in profile of each demo app. */
export const PROFILE_OF: Record<HostAppId, string> = { media: 'spotlight', erp: 'forge-erp', crm: 'rolodeck-crm', portal: 'ledgerly', payments: 'paystream' };
export const apiOf = (app: HostAppId): HostApi => BUILTIN_PROFILES.find((p) => p.id === PROFILE_OF[app])!.api!;

export interface SendOptions {
  method?: string;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** A form body (sent as application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** A body sent as it is (with the Content-Type given in headers, if any). */
  body?: string;
  headers?: Record<string, string>;
}

export class HostBrowser {
  readonly cookies = new Map<string, string>();

  /** `base` is the app's address for Node (http://127.0.0.1:<port>). */
  constructor(readonly base: string) {}

  /** The app's own origin, as its pages send it in Origin. */
  get origin() {
    return new URL(this.base).origin;
  }

  /** One request, with the cookies this browser holds; redirects are not followed. */
  async send(path: string, opts: SendOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    }
    const res = await fetch(`${this.base}${path}`, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
    return readReply(res);
  }

  get(path: string) {
    return this.send(path);
  }

  /** Opens a page, as a person does (the app signs this browser in the first time). */
  async open(path = '/') {
    return this.send(path);
  }

  /** Signs in as `user` through /login?as=. */
  async signIn(user = 'Test Runner') {
    const r = await this.send(`/login?as=${encodeURIComponent(user)}`);
    if (r.status !== 303) throw new Error(`signing in answered ${r.status}`);
    return r;
  }

  /** The CSRF token, read as the recipe says (from a page's meta tag, a cookie, or an endpoint). */
  async csrfToken(recipe: CsrfRecipe): Promise<string> {
    if (recipe.from === 'cookie') {
      if (!this.cookies.has(recipe.name)) await this.open('/');
      return decodeURIComponent(this.cookies.get(recipe.name) ?? '');
    }
    if (recipe.from === 'endpoint') {
      const r = await this.get(recipe.url);
      return String(at(r.json, recipe.path) ?? '');
    }
    const page = await this.open(recipe.page);
    const meta = new RegExp(`<meta name="${recipe.name}" content="([^"]*)">`).exec(page.text);
    return meta?.[1] ?? '';
  }

  /** A write carrying `token` in the recipe's header (and, unless told otherwise, the app's own Origin). */
  write(recipe: CsrfRecipe, method: string, path: string, json: unknown, opts: { token?: string; origin?: string | null } = {}) {
    const headers: Record<string, string> = {};
    if (opts.token !== undefined) headers[recipe.header] = opts.token;
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null) headers.Origin = origin;
    return this.send(path, { method, json, headers });
  }

  /** A write that reads the token first, and once more when the app refuses it (403, 419, 422), as the extension does. */
  async writeWithToken(recipe: CsrfRecipe, method: string, path: string, json: unknown, opts: { origin?: string | null; token?: string } = {}) {
    const first = await this.write(recipe, method, path, json, { ...opts, token: opts.token ?? (await this.csrfToken(recipe)) });
    if (![403, 419, 422].includes(first.status)) return { reply: first, retried: false };
    const again = await this.write(recipe, method, path, json, { ...opts, token: await this.csrfToken(recipe) });
    return { reply: again, retried: true, refused: first };
  }
}

/** Every answer and record of one listing, followed to its end with the kind's paging. */
export interface Listing {
  records: unknown[];
  answers: Reply[];
}

/**
 * Lists a kind to the end the way its profile says: page numbers until a page is empty, short or
 * the total is reached; offsets moved by what each page held; a cursor until there is no next.
 * Throws on an answer that is not a list where the profile says (a sign-in page, a 401).
 */
export async function listAll(browser: HostBrowser, kind: KindApi, query: Record<string, string> = {}): Promise<Listing> {
  const records: unknown[] = [];
  const answers: Reply[] = [];
  const paging = kind.list.paging;
  let position: string | number | undefined = paging?.type === 'page' ? paging.first : paging?.type === 'offset' ? 0 : undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const params = new URLSearchParams(query);
    if (paging?.sizeParam) params.set(paging.sizeParam, String(paging.size));
    if (paging && position !== undefined) params.set(paging.param, String(position));
    const url = `${fill(kind.list.url)}${params.size ? `?${params}` : ''}`;
    const r = await browser.get(url);
    answers.push(r);
    const items = at(r.json, kind.list.items);
    if (r.status !== 200 || !Array.isArray(items)) throw new Error(`${url} answered ${r.status} without a list at "${kind.list.items ?? '(the answer)'}"`);
    records.push(...items);
    if (!paging || !items.length) break;
    const total = kind.list.total ? Number(at(r.json, kind.list.total)) : undefined;
    if (total !== undefined && records.length >= total) break;
    if (paging.type === 'cursor') {
      const next = at(r.json, paging.next);
      if (typeof next !== 'string' || !next) break;
      position = next;
    } else {
      if (items.length < paging.size) break;
      position = paging.type === 'page' ? Number(position) + 1 : Number(position) + items.length;
    }
  }
  return { records, answers };
}

/** A kind of an app's profile, with a smaller page size (to make a short list take several pages). */
export function withPageSize(kind: KindApi, size: number): KindApi {
  return kind.list.paging ? { ...kind, list: { ...kind.list, paging: { ...kind.list.paging, size } } } : kind;
}
