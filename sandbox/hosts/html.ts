// Markup for the demo host apps: templates that escape every interpolated value, the page frame
// all five apps share (each restyles it with its own stylesheet), and the money and date formats.
import { escapeHtml } from '../qbo/html';
import { reply, type HostReply, type HostRequest } from './app';

export { escapeHtml };

/** Markup that is already safe; anything else interpolated into `html` is escaped as text. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) {
    let out = '';
    for (const v of value as readonly HtmlValue[]) out += render(v);
    return out;
  }
  // `cond && html`…`` leaves false behind; it means "nothing".
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(value);
}

/** Tagged template: literal parts are trusted, interpolations are escaped unless already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

export interface NavLink {
  href: string;
  label: string;
}

/** What makes one app recognizable: its name, mark, navigation and who is signed in. */
export interface AppFrame {
  /** Class on <body>, so each app's stylesheet can scope itself. */
  bodyClass: string;
  product: string;
  /** One character, shown in the header and the tab's icon. */
  logo: string;
  brandColor: string;
  nav: NavLink[];
  workspace: string;
  user: string;
}

export interface PageOptions {
  title: string;
  /** The request path, to highlight the nav entry it falls under. */
  path: string;
  body: SafeHtml;
  scripts?: string[];
  /** The signed-in session's CSRF token, in a <meta> of this name, for the page's scripts and forms. */
  csrf?: { meta: string; token: string };
}

function isActive(link: NavLink, path: string) {
  return link.href === '/' ? path === '/' : path === link.href || path.startsWith(`${link.href}/`);
}

export function initials(name: string) {
  const words = name.replace(/[^\p{L}\p{N} ]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase() || '?';
}

/** The tab icon, inline so the browser never asks the app for /favicon.ico. */
function favicon(frame: AppFrame) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${frame.brandColor}"/><text x="16" y="22" font-family="sans-serif" font-size="18" font-weight="700" text-anchor="middle" fill="#fff">${escapeHtml(frame.logo)}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** A whole HTML document in the app's frame: header with brand and navigation, then the page. */
export function page(frame: AppFrame, opts: PageOptions): string {
  const nav = frame.nav.map((link) =>
    isActive(link, opts.path)
      ? html`<a class="app-nav-link is-active" aria-current="page" href="${link.href}">${link.label}</a>`
      : html`<a class="app-nav-link" href="${link.href}">${link.label}</a>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${opts.csrf ? html`<meta name="${opts.csrf.meta}" content="${opts.csrf.token}">` : ''}
<title>${opts.title} · ${frame.product}</title>
<link rel="icon" href="${favicon(frame)}">
<link rel="stylesheet" href="/assets/app.css">
${(opts.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</head><body class="${frame.bodyClass}">
<div class="app-shell">
<header class="app-header">
<a class="app-brand" href="/"><span class="app-logo" aria-hidden="true">${frame.logo}</span><span class="app-product">${frame.product}</span></a>
<nav class="app-nav" aria-label="Main">${nav}</nav>
<div class="app-account"><span class="app-workspace">${frame.workspace}</span><span class="app-avatar" title="${frame.user}">${initials(frame.user)}</span></div>
</header>
<main class="app-main" id="main">
${opts.body}
</main>
</div>
</body></html>`.value;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "$1,234.50" for USD, "CA$1,234.50" for other currencies, as en-US browsers show them. */
export function formatMoney(amount: number, currency = 'USD'): string {
  let f = moneyFormats.get(currency);
  if (!f) moneyFormats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency })));
  return f.format(amount);
}

const plainAmount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "1,234.50": for apps that show the currency in its own column. */
export function formatAmount(amount: number): string {
  return plainAmount.format(amount);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Dates are stored as ISO days ("2026-03-14"); each app shows them its own way. */
export function formatDate(isoDay: string | null | undefined, style: 'us' | 'medium' | 'iso' | 'short'): string {
  if (!isoDay) return '';
  const [y, m, d] = isoDay.slice(0, 10).split('-');
  switch (style) {
    case 'us':
      return `${m}/${d}/${y}`;
    case 'short':
      return `${m}/${d}/${y.slice(2)}`;
    case 'medium':
      return `${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`;
    default:
      return isoDay.slice(0, 10);
  }
}

/** The "not found" body every app shows in its own frame. */
export function notFoundBody(path: string, home = '/'): SafeHtml {
  return html`<section class="empty-state"><h1>Page not found</h1><p>Nothing lives at <code>${path}</code>.</p><p><a href="${home}">Back to the start page</a></p></section>`;
}

/** The body of the page that says why a request was refused. */
export function errorBody(message: string, home = '/'): SafeHtml {
  return html`<section class="empty-state"><h1>Request not accepted</h1><p class="error-message">${message}</p><p><a href="${home}">Back to the start page</a></p></section>`;
}

/** The meta tag a page carries for the signed-in session's CSRF token (none when no one is signed in). */
export const csrfMeta = (req: HostRequest, meta: string) => (req.session ? { meta, token: req.session.csrfToken } : undefined);

/**
 * An app's kinds of page reply in its own frame: a screen, its 404 page, and a refused request;
 * each carries the session's CSRF token in the <meta name="`meta`">.
 */
export function frameReplies(frame: AppFrame, meta: string) {
  const framed = (req: HostRequest, title: string, body: SafeHtml, status = 200): HostReply =>
    reply.html(page(frame, { title, path: req.path, body, csrf: csrfMeta(req, meta) }), status);
  return {
    show: (req: HostRequest, title: string, body: SafeHtml): HostReply => framed(req, title, body),
    notFound: (req: HostRequest): HostReply => framed(req, 'Not found', notFoundBody(req.path), 404),
    errorPage: (req: HostRequest, status: number, message: string): HostReply => framed(req, 'Request not accepted', errorBody(message), status),
  };
}
