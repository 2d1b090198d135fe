// Calls a host app's own API (its site profile's `api`) with the user's session, the way the app's
// pages do. A request runs from the worker with the site's permission (the browser sends the
// site's cookies) where the app accepts that, else from an open tab of the app (same-origin: apps
// that check a write's Origin accept these); the choice is remembered per app. The CSRF token the
// app's writes need is read as the profile says, and read again when the app refuses it. An answer
// that is a sign-in page or not what the profile describes is an error with words, never data: a
// listing cut short by an expired session lists nothing as gone.
import { browser } from 'wxt/browser';
import { db } from '../../db';
import { readSetting, SETTINGS, writeSetting } from '../../db/settings';
import type { TabFetch, TabFetched } from '../../messages';
import { askTab } from '../../messages/runtime';
import { at, fill, readItem, readItems, type ApiRecord, type CsrfRecipe, type KindApi } from '../api';
import { matchesUrl, type SiteProfile } from '../profile';

/** One host app: a profile on one origin. */
export interface App {
  profile: SiteProfile;
  origin: string;
}
export const appKey = (app: App) => `${app.profile.id} ${app.origin}`;
/** An app as the stores and links name it: its profile and origin. */
export const refOf = (app: App) => ({ profileId: app.profile.id, origin: app.origin });

export type HostErrorKind = 'SignedOut' | 'NoTab' | 'Refused' | 'NotFound' | 'Drift' | 'Transient' | 'NoApi';

/** What went wrong with a host app, in words that say what to do. */
export class HostError extends Error {
  constructor(
    readonly kind: HostErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type Via = 'worker' | 'tab';

export interface Transport {
  via: Via;
  send(req: TabFetch): Promise<TabFetched>;
}

/** The API's origin: the one the profile names, or the app's own. */
const apiOrigin = (app: App) => app.profile.api?.origin ?? app.origin;

const META = (name: string) =>
  new RegExp(`<meta\\s[^>]*name=["']${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'][^>]*content=["']([^"']*)["']|<meta\\s[^>]*content=["']([^"']*)["'][^>]*name=["']${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`, 'i');

/** What the worker transport uses of the platform (tests give it a fetch with a cookie jar). */
export interface WorkerPlatform {
  fetch: typeof fetch;
  /** A cookie of the app's site the app's script can read (a CSRF cookie). */
  cookie(url: string, name: string): Promise<string | undefined>;
}

const browserPlatform: WorkerPlatform = {
  fetch: (input, init) => fetch(input, init),
  cookie: async (url, name) => (await browser.cookies.get({ url, name }))?.value,
};

/** From the worker: the browser sends the site's cookies; its Origin is the extension's. */
export function workerTransport(app: App, platform: WorkerPlatform = browserPlatform): Transport {
  const { fetch } = platform;
  const tokens = new Map<string, string>();
  const token = async (recipe: CsrfRecipe, fresh: boolean): Promise<string | undefined> => {
    const key = JSON.stringify(recipe);
    if (!fresh && tokens.has(key)) return tokens.get(key);
    let value: string | undefined;
    if (recipe.from === 'cookie') value = await platform.cookie(`${apiOrigin(app)}/`, recipe.name);
    else if (recipe.from === 'meta') {
      const html = await (await fetch(`${app.origin}${recipe.page}`, { credentials: 'include' })).text();
      const m = META(recipe.name).exec(html);
      value = m?.[1] ?? m?.[2];
    } else {
      const json = await (await fetch(`${apiOrigin(app)}${recipe.url}`, { credentials: 'include', headers: { Accept: 'application/json' } })).json();
      const v = at(json, recipe.path);
      value = typeof v === 'string' ? v : undefined;
    }
    if (value) tokens.set(key, value);
    return value;
  };
  return {
    via: 'worker',
    async send(req) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      const t = req.csrf && req.method !== 'GET' ? await token(req.csrf, !!req.fresh) : undefined;
      if (t && req.csrf) headers[req.csrf.header] = t;
      const res = await fetch(req.url, { method: req.method, headers, body: req.body, credentials: 'include', redirect: 'follow' });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text(), token: t, date: res.headers.get('date') ?? undefined };
    },
  };
}

const clockOffsets = new Map<string, number>();
/**
 * How far the app's clock is ahead of this computer's (negative: behind), as its last answer's
 * Date header said; what the last listing of the app kept, when this worker has not heard it yet.
 */
export async function appClockOffset(app: App): Promise<number> {
  return clockOffsets.get(appKey(app)) ?? (await db.hostApps.get([app.profile.id, app.origin]))?.clockOffsetMs ?? 0;
}
/** The offset this worker heard last, if it heard one. */
export const heardClockOffset = (app: App) => clockOffsets.get(appKey(app));

/** The open tabs of an app (its profile's pages on its origin), newest first. */
export async function tabsOf(app: App): Promise<number[]> {
  const tabs = await browser.tabs.query({ url: app.profile.matches }).catch(() => []);
  return tabs
    .filter((t) => t.id !== undefined && t.url && new URL(t.url).origin === app.origin && app.profile.matches.some((m) => matchesUrl(m, t.url!)))
    .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))
    .map((t) => t.id!);
}

/** From an open tab of the app, through its content script. */
function tabTransport(tabId: number): Transport {
  return {
    via: 'tab',
    async send(req) {
      const answer = await askTab(tabId, 'hosts.fetch', req);
      if (!answer) throw new HostError('NoTab', 'The app\'s page closed or did not answer.');
      if ('error' in answer) throw new HostError('Refused', answer.error);
      return answer;
    },
  };
}

/** How each app takes the extension's requests, as learned (a worker request refused for its Origin: tab). */
async function rememberedVia(app: App): Promise<Via | undefined> {
  return (await readSetting(SETTINGS.hostTransports))[appKey(app)];
}
async function remember(app: App, via: Via) {
  const all = await readSetting(SETTINGS.hostTransports);
  if (all[appKey(app)] !== via) await writeSetting(SETTINGS.hostTransports, { ...all, [appKey(app)]: via });
}

/** Whether the app can be written to now: from the worker, or through an open tab. */
export async function canWrite(app: App): Promise<boolean> {
  return (await rememberedVia(app)) !== 'tab' || (await tabsOf(app)).length > 0;
}

const looksLikeOriginCheck = (f: TabFetched) => f.status === 403 && /origin|cross.?site|xsrf|csrf/i.test(f.text);
const refusedToken = (f: TabFetched) => f.status === 419 || f.status === 422 || (f.status === 403 && /csrf|xsrf|token/i.test(f.text));
const isJson = (f: TabFetched) => /json/i.test(f.contentType) || /^\s*[[{]/.test(f.text);

export interface ListPage {
  records: ApiRecord[];
  /** The listing reached its end (a short or empty page, or no next cursor). */
  done: boolean;
}

/** The app's API for one app: list, read, create, update, through the worker or a tab. */
/** Pages of a listing asked for at once when where they start is known. */
const PAGES_AHEAD = 6;

export class AppClient {
  private transport?: Transport;
  requests = 0;

  constructor(
    readonly app: App,
    private readonly opts: { forWrite?: boolean; transport?: Transport; platform?: WorkerPlatform } = {},
  ) {
    this.transport = opts.transport;
  }

  private kind(kind: string): KindApi {
    const k = this.app.profile.api?.kinds[kind];
    if (!k) throw new HostError('NoApi', `${this.app.profile.name} has no API for ${kind} records in its site profile.`);
    return k;
  }

  private async pick(write: boolean): Promise<Transport> {
    if (this.transport) return this.transport;
    const via = write ? await rememberedVia(this.app) : undefined;
    if (via === 'tab') {
      const [tab] = await tabsOf(this.app);
      if (tab === undefined) throw new HostError('NoTab', `Open ${this.app.profile.name} to finish.`);
      return (this.transport = tabTransport(tab));
    }
    return (this.transport = workerTransport(this.app, this.opts.platform));
  }

  /** One request: the CSRF token read again once when refused; a worker write refused for its Origin goes through a tab. */
  async send(method: TabFetch['method'], path: string, body?: unknown): Promise<unknown> {
    const write = method !== 'GET';
    const req: TabFetch = { method, url: `${apiOrigin(this.app)}${path}`, body: body === undefined ? undefined : JSON.stringify(body), csrf: write ? this.app.profile.api?.csrf : undefined };
    let transport = await this.pick(write);
    let answer = await this.fetch(transport, req);
    if (write && refusedToken(answer) && req.csrf) answer = await this.fetch(transport, { ...req, fresh: true });
    if (write && transport.via === 'worker' && looksLikeOriginCheck(answer)) {
      // The app checks where writes come from: they go through its own page from now on.
      await remember(this.app, 'tab');
      this.transport = undefined;
      transport = await this.pick(true);
      answer = await this.fetch(transport, req);
      if (refusedToken(answer) && req.csrf) answer = await this.fetch(transport, { ...req, fresh: true });
    } else if (write && transport.via === 'worker' && answer.status < 400) await remember(this.app, 'worker');
    return this.json(answer, path);
  }

  private async fetch(transport: Transport, req: TabFetch): Promise<TabFetched> {
    this.requests++;
    try {
      const answer = await transport.send(req);
      const date = answer.date ? Date.parse(answer.date) : NaN;
      // The app's clock against this computer's (to a second: a Date header's precision).
      if (!Number.isNaN(date)) clockOffsets.set(appKey(this.app), date + 500 - Date.now());
      return answer;
    } catch (e) {
      if (e instanceof HostError) throw e;
      throw new HostError('Transient', `${this.app.profile.name} could not be reached (${(e as Error).message}). The extension tries again.`);
    }
  }

  private json(f: TabFetched, path: string): unknown {
    const name = this.app.profile.name;
    if (f.status === 401 || (f.status < 400 && !isJson(f) && /<html|<form|sign in|log ?in/i.test(f.text)))
      throw new HostError('SignedOut', `You are signed out of ${name}. Sign in to it in this browser; the extension goes on by itself.`, f.status);
    if (f.status === 404) throw new HostError('NotFound', `${name} has no such record (${path}).`, 404);
    if (f.status === 429 || f.status >= 500) throw new HostError('Transient', `${name} answered ${f.status}. The extension tries again.`, f.status);
    if (f.status >= 400) {
      let why = f.text.slice(0, 300);
      try {
        const j = JSON.parse(f.text) as Record<string, unknown>;
        why = String(j.error ?? j.message ?? j.response_message ?? why);
      } catch {
        /* not JSON */
      }
      throw new HostError('Refused', `${name} refused it: ${why}`, f.status);
    }
    try {
      return JSON.parse(f.text);
    } catch {
      throw new HostError('Drift', `${name} answered ${path} with something that is not JSON: its API may have changed. Check its site profile.`, f.status);
    }
  }

  /**
   * Every record of a kind, a page at a time (or only those changed since `since`). A page that is
   * not the list the profile describes is drift, not an empty list.
   */
  async *list(kind: string, since?: string): AsyncGenerator<ListPage> {
    const k = this.kind(kind);
    const { paging } = k.list;
    let n = paging?.type === 'page' ? paging.first : 0;
    let cursor: string | undefined;
    let read = 0;
    const urlOf = (where: number | string | undefined) => {
      const q = new URLSearchParams();
      if (since && k.list.updatedSince) q.set(k.list.updatedSince, since);
      if (paging) {
        if (paging.sizeParam) q.set(paging.sizeParam, String(paging.size));
        if (where !== undefined) q.set(paging.param, String(where));
      }
      return `${k.list.url}${k.list.url.includes('?') ? '&' : '?'}${q}`.replace(/[?&]$/, '');
    };
    const pageOf = async (url: string) => {
      const json = await this.send('GET', url);
      const records = readItems(json, k);
      if (!records) throw new HostError('Drift', `${this.app.profile.name} answered its ${kind} list without the list the site profile expects at "${k.list.items ?? '(the whole answer)'}". Check its site profile.`);
      return { json, records };
    };
    // Pages asked for ahead, by where they start; handed on in order.
    const ahead = new Map<number, Promise<{ json: unknown; records: ApiRecord[] }>>();
    for (let pageNo = 0; pageNo < 10_000; pageNo++) {
      const where = paging?.type === 'cursor' ? cursor : paging ? n : undefined;
      const asked = typeof where === 'number' ? ahead.get(where) : undefined;
      if (asked) ahead.delete(where as number);
      const { json, records } = await (asked ?? pageOf(urlOf(where)));
      read += records.length;
      const total = k.list.total ? Number(at(json, k.list.total)) : NaN;
      const next = paging?.type === 'cursor' ? at(json, paging.next) : undefined;
      // The end: no paging; an empty page; the total reached (an app may serve fewer than asked);
      // without a total, a short page; for a cursor, no next one.
      const done =
        !paging ||
        records.length === 0 ||
        (paging.type === 'cursor' ? typeof next !== 'string' || !next : Number.isFinite(total) ? read >= total : records.length < paging.size);
      if (done) {
        for (const p of ahead.values()) p.catch(() => undefined);
        yield { records, done };
        return;
      }
      if (paging.type === 'cursor') cursor = next as string;
      else {
        n += paging.type === 'page' ? 1 : records.length;
        // With a total, and pages served at the size asked, where the next pages start is known:
        // a few are asked for at once (each a request the app's own pages could make).
        if (Number.isFinite(total) && records.length === paging.size) {
          const step = paging.type === 'page' ? 1 : paging.size;
          const left = Math.ceil((total - read) / paging.size);
          for (let i = 0, start = n; i < Math.min(PAGES_AHEAD, left); i++, start += step) {
            if (ahead.has(start)) continue;
            const p = pageOf(urlOf(start));
            p.catch(() => undefined); // heard when its turn comes
            ahead.set(start, p);
          }
        }
      }
      yield { records, done };
    }
  }

  /** One record, or undefined when the app says it does not exist (404). */
  async read(kind: string, hostId: string): Promise<ApiRecord | undefined> {
    const k = this.kind(kind);
    if (!k.read) throw new HostError('NoApi', `${this.app.profile.name}'s site profile says nothing of reading one ${kind}.`);
    try {
      const rec = readItem(at(await this.send('GET', fill(k.read.url, hostId)), k.read.item), k);
      if (!rec) throw new HostError('Drift', `${this.app.profile.name}'s ${kind} ${hostId} came back without an id where the site profile says. Check its site profile.`);
      return rec;
    } catch (e) {
      if (e instanceof HostError && e.kind === 'NotFound') return undefined;
      throw e;
    }
  }

  /** The body of a write: each field put at its path in the app's JSON (and the lines at theirs). */
  private body(k: KindApi, fields: Record<string, unknown>, lines: Record<string, unknown>[] | undefined, wrap?: string): unknown {
    const out: Record<string, unknown> = {};
    const put = (obj: Record<string, unknown>, p: string, v: unknown) => {
      const keys = p.split('.');
      let o = obj;
      for (const key of keys.slice(0, -1)) o = (o[key] ??= {}) as Record<string, unknown>;
      o[keys[keys.length - 1]] = v;
    };
    // Fields kept as JSON text ("@json") are read only.
    const writable = (p: string | undefined) => !!p && !p.endsWith('@json');
    for (const [name, v] of Object.entries(fields)) if (name !== 'hostId' && writable(k.fields[name]) && v !== undefined) put(out, k.fields[name], v);
    if (lines && k.lines)
      put(out, k.lines.path, lines.map((l) => {
        const line: Record<string, unknown> = {};
        for (const [name, v] of Object.entries(l)) if (writable(k.lines!.fields[name])) put(line, k.lines!.fields[name], v);
        return line;
      }));
    return wrap ? { [wrap]: out } : out;
  }

  async create(kind: string, fields: Record<string, unknown>, lines?: Record<string, unknown>[]): Promise<ApiRecord> {
    const k = this.kind(kind);
    if (!k.create) throw new HostError('NoApi', `${this.app.profile.name}'s site profile says nothing of creating a ${kind}.`);
    const answer = await this.send(k.create.method, k.create.url, this.body(k, fields, lines, k.create.wrap));
    const rec = readItem(at(answer, k.create.item), k);
    if (!rec) throw new HostError('Drift', `${this.app.profile.name} created the ${kind} but its answer has no id where the site profile says.`);
    return rec;
  }

  async update(kind: string, hostId: string, fields: Record<string, unknown>, lines?: Record<string, unknown>[]): Promise<ApiRecord> {
    const k = this.kind(kind);
    if (!k.update) throw new HostError('NoApi', `${this.app.profile.name}'s site profile says nothing of changing a ${kind}.`);
    const answer = await this.send(k.update.method, fill(k.update.url, hostId), this.body(k, fields, lines, k.update.wrap));
    return readItem(at(answer, k.update.item), k) ?? { hostId, fields: {} };
  }
}
