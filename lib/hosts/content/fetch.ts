// Requests to the host app's API made from its own page, for the worker: same-origin, with the
// user's session and the page's CSRF token, exactly as the app's own script makes them (apps that
// check a write's Origin accept these, and refuse the worker's own). Only the extension can ask
// (the worker messages this tab); the page's script cannot.
import type { CsrfRecipe } from '../api';
import type { TabFetch, TabFetched } from '../../messages';
import { onTabRequest } from '../../messages/send';

/** The most of an answer passed back to the worker (a listing page of the app's). */
const MAX_ANSWER = 8 * 1024 * 1024;

function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const metaIn = (doc: Document | DocumentFragment, name: string) =>
  doc.querySelector(`meta[name="${CSS.escape(name)}"]`)?.getAttribute('content') ?? undefined;

/** The CSRF token as this page has it now; `fresh` reads it again from the app (it rotates). */
async function tokenHere(recipe: CsrfRecipe, fresh: boolean): Promise<string | undefined> {
  if (recipe.from === 'cookie') return cookie(recipe.name);
  if (recipe.from === 'meta') {
    if (!fresh) return metaIn(document, recipe.name);
    const html = await (await fetch(recipe.page, { credentials: 'include' })).text();
    return metaIn(new DOMParser().parseFromString(html, 'text/html'), recipe.name);
  }
  const json = await (await fetch(recipe.url, { credentials: 'include', headers: { Accept: 'application/json' } })).json();
  const value = recipe.path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), json);
  return typeof value === 'string' ? value : undefined;
}

async function serve(req: TabFetch, allowed: () => string[]): Promise<TabFetched | { error: string }> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { error: 'Not a URL.' };
  }
  if (!allowed().includes(url.origin)) return { error: `${url.origin} is not this app's site.` };
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = req.token ?? (req.csrf && req.method !== 'GET' ? await tokenHere(req.csrf, !!req.fresh) : undefined);
  if (token && req.csrf) headers[req.csrf.header] = token;
  const res = await fetch(url, { method: req.method, headers, body: req.body, credentials: 'include', redirect: 'follow' });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: text.slice(0, MAX_ANSWER), token, date: res.headers.get('date') ?? undefined };
}

/** Serves the worker's API requests for the sites this page's profiles allow; returns the function that stops. */
export function serveFetches(allowed: () => string[]): () => void {
  return onTabRequest('hosts.fetch', (req) => serve(req, allowed));
}
