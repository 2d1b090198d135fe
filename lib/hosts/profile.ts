// Site profiles: host apps as data. A profile says which URLs it covers, how to find records on
// each page (CSS selectors for the record and its fields), where our UI goes, and optionally
// the host's JSON endpoints that list all records of a kind. The format is documented in
// docs/site-profiles.md; every profile, built-in or the user's, passes this schema.
import { z } from 'zod';
import { HostApi } from './api';
import { globMatch, patternProblem } from './pattern';

/** The kinds of host record, and the QuickBooks entity each one corresponds to. */
export const RECORD_KINDS = {
  customer: 'Customer',
  vendor: 'Vendor',
  item: 'Item',
  bill: 'Bill',
  billPayment: 'BillPayment',
  invoice: 'Invoice',
  payment: 'Payment',
  purchaseOrder: 'PurchaseOrder',
  creditMemo: 'CreditMemo',
  vendorCredit: 'VendorCredit',
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;
export const NAME_KINDS: RecordKind[] = ['customer', 'vendor', 'item'];

/** An app's name without its note: "Ledgerly" for "Ledgerly (accounting portal)". */
export const shortName = (profile: { name: string }) => profile.name.replace(/\s*\(.*\)$/, '');

/** A kind as users read it: "purchase order", "bill payment" (an API's own kind too: "order"). */
export const kindLabel = (kind: string) => (Object.hasOwn(RECORD_KINDS, kind) ? RECORD_KINDS[kind as RecordKind] : kind).replace(/\B([A-Z])/g, ' $1').toLowerCase();

const kind = z.enum(Object.keys(RECORD_KINDS) as [RecordKind, ...RecordKind[]], {
  error: `must be one of ${Object.keys(RECORD_KINDS).join(', ')}`,
});

/** A regular expression of the profile: one RE2 runs (lib/hosts/pattern.ts). */
const regex = z.string().min(1).superRefine((source, ctx) => {
  const problem = patternProblem(source);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Chrome match patterns: scheme://host/path, with * wildcards (host may start with "*."). */
export const MATCH_PATTERN = /^(https?|\*):\/\/(\*|\*\.[^/*:]+|[^/*:]+)(:\d+)?(\/.*)$/;

/** Hosts on this computer, where plain http stays on the machine. */
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|(\*\.)?([^/*:]+\.)?localhost)$/;

/**
 * Why a match pattern may not be used, or undefined: it must name sites (no pattern for every
 * site, or every site under a top-level domain), and send nothing over plain http except on this
 * computer, unless the profile says the user accepts that (allowHttp).
 */
export function matchPatternProblem(pattern: string, allowHttp = false): string | undefined {
  const m = MATCH_PATTERN.exec(pattern);
  if (!m) return 'must be a match pattern like https://app.example.com/*';
  const [, scheme, host] = m;
  if (host === '*') return 'matches every site; name the host app\'s site, like https://app.example.com/*';
  if (host.startsWith('*.') && host !== '*.localhost' && host.slice(2).split('.').length < 2)
    return `matches every site under .${host.slice(2)}; name the host app's site, like https://*.example.${host.slice(2)}/*`;
  if (scheme !== 'https' && !LOCAL_HOST.test(host) && !allowHttp)
    return 'uses plain http, which sends your session with the host app unencrypted; use https://, or add "allowHttp": true to the profile to accept that';
  return undefined;
}

/**
 * How to read one field. A string is a CSS selector whose text is the value. The object form
 * reads an attribute, takes the first group of a regular expression, reads the page's path, or
 * fills a template whose {{selector}} parts are texts ("{{.part}} Rev {{.rev}}").
 */
const field = z.union([
  z.string().min(1),
  z
    .object({
      selector: z.string().min(1).optional(),
      attribute: z.string().min(1).optional(),
      pattern: regex.optional(),
      fromUrl: regex.optional(),
      template: z.string().regex(/\{\{[^}]+\}\}/, 'needs at least one {{selector}}').optional(),
    })
    .strict()
    .refine((f) => f.selector || f.attribute || f.fromUrl || f.template, 'needs a selector, an attribute, fromUrl or a template'),
]);
export type FieldRule = z.infer<typeof field>;

const anchor = z
  .object({
    selector: z.string().min(1),
    position: z.enum(['append', 'prepend', 'before', 'after']).default('append'),
  })
  .strict();
export type Anchor = z.infer<typeof anchor>;

export const FIELD_NAMES = ['hostId', 'name', 'email', 'phone', 'company', 'number', 'party', 'amount', 'balance', 'date', 'dueDate', 'status'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

const page = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1-40 lower-case letters, digits or hyphens'),
    /** Regular expression on the page's path; pages whose path does not match are left alone. */
    path: regex.optional(),
    kind,
    /** list: many records, each a `record` element; detail: one record, the page. */
    layout: z.enum(['list', 'detail']),
    /** CSS selector of each record (list) or of the element that shows the record (detail). */
    record: z.string().min(1),
    fields: z
      .object({
        hostId: field,
        name: field.optional(),
        email: field.optional(),
        phone: field.optional(),
        company: field.optional(),
        number: field.optional(),
        party: field.optional(),
        amount: field.optional(),
        balance: field.optional(),
        date: field.optional(),
        dueDate: field.optional(),
        status: field.optional(),
      })
      .strict(),
    /** Where the UI goes: relative to each record on list pages, to the document on detail pages. */
    anchors: z
      .object({
        badge: anchor,
        /** List pages: where each row's "Sync with QB" control goes (link to a QuickBooks record or create one). */
        sync: anchor.optional(),
        summary: anchor.optional(),
        transactions: anchor.optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (NAME_KINDS.includes(p.kind) && !p.fields.name)
      ctx.addIssue({ code: 'custom', path: ['fields', 'name'], message: `is required for ${p.kind} records (the name that is matched with QuickBooks)` });
    if (!NAME_KINDS.includes(p.kind) && !p.fields.number)
      ctx.addIssue({ code: 'custom', path: ['fields', 'number'], message: `is required for ${p.kind} records (the number that is matched with QuickBooks)` });
    if ((p.anchors.summary || p.anchors.transactions) && !(p.kind === 'customer' && p.layout === 'detail'))
      ctx.addIssue({ code: 'custom', path: ['anchors'], message: 'summary and transactions go only on customer detail pages' });
    if (p.anchors.sync && !(p.layout === 'list' && NAME_KINDS.includes(p.kind)))
      ctx.addIssue({ code: 'custom', path: ['anchors', 'sync'], message: 'goes only on list pages of customers, vendors or items (each row gets "Sync with QB"); remove it from this page' });
    // The worker shows a customer's QuickBooks details only for the record whose page is open,
    // which it can check only when the id comes from the page's address.
    if ((p.anchors.summary || p.anchors.transactions) && (typeof p.fields.hostId === 'string' || !p.fields.hostId.fromUrl))
      ctx.addIssue({ code: 'custom', path: ['fields', 'hostId'], message: 'must be read from the page\'s address ({"fromUrl": "^/customers/(\\d+)"}) on a page with a summary or transactions' });
  });
export type PageRule = z.infer<typeof page>;

/**
 * Profiles written before `api` existed listed JSON endpoints (`endpoints: [{kind, url, items,
 * fields}]`): each becomes a kind's listing in `api`.
 */
function foldEndpoints(input: unknown): unknown {
  if (!input || typeof input !== 'object' || !('endpoints' in input)) return input;
  const { endpoints, ...rest } = input as { endpoints?: unknown; api?: { kinds?: Record<string, unknown> } };
  if (!Array.isArray(endpoints)) return input;
  if (!endpoints.length) return rest;
  const kinds: Record<string, unknown> = { ...(rest.api?.kinds ?? {}) };
  for (const e of endpoints as { kind?: string; url?: string; items?: string; fields?: unknown }[])
    if (typeof e?.kind === 'string' && !(e.kind in kinds)) kinds[e.kind] = { list: { url: e.url, ...(e.items ? { items: e.items } : {}) }, fields: e.fields };
  return { ...rest, api: { ...(rest.api ?? {}), kinds } };
}

/** The registrable part of a host, roughly: its last two labels (app.example.com -> example.com). */
const siteOf = (host: string) => host.split('.').slice(-2).join('.');

export const SiteProfile = z.preprocess(
  foldEndpoints,
  z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be 2-40 lower-case letters, digits or hyphens'),
    name: z.string().min(1).max(80),
    matches: z.array(z.string()).min(1, 'needs at least one URL pattern'),
    /** The user accepts plain http for this profile's sites (see matchPatternProblem). */
    allowHttp: z.boolean().optional(),
    pages: z.array(page).min(1, 'needs at least one page'),
    /** The app's own API (lib/hosts/api.ts), for reading every record and writing. */
    api: HostApi.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    p.matches.forEach((m, i) => {
      const problem = matchPatternProblem(m, p.allowHttp);
      if (problem) ctx.addIssue({ code: 'custom', path: ['matches', i], message: problem });
    });
    const seen = new Set<string>();
    p.pages.forEach((pg, i) => {
      if (seen.has(pg.id)) ctx.addIssue({ code: 'custom', path: ['pages', i, 'id'], message: `repeats the page id "${pg.id}"` });
      seen.add(pg.id);
    });
    // An API elsewhere must be on the app's own site (api.example.com for app.example.com).
    if (p.api?.origin) {
      const apiHost = new URL(p.api.origin).hostname;
      const sites = p.matches.map((m) => MATCH_PATTERN.exec(m)?.[2]?.replace(/^\*\./, '') ?? '');
      if (!sites.some((h) => h && siteOf(h) === siteOf(apiHost)))
        ctx.addIssue({ code: 'custom', path: ['api', 'origin'], message: `is not on the site the profile covers (${sites.join(', ')}); the API must be on the app's own site` });
    }
  }),
);
export type SiteProfile = z.infer<typeof SiteProfile>;

/** What each part of a profile is, for error messages that say what to put there. */
const HINTS: Record<string, string> = {
  id: 'a short id for the profile, like "acme-crm"',
  name: 'the host app\'s name as users know it',
  matches: 'the URLs the profile covers, like ["https://app.example.com/*"]',
  pages: 'the pages to decorate',
  path: 'a regular expression on the page path, like "^/vendors/?$"',
  kind: 'what the records are',
  layout: '"list" or "detail"',
  record: 'the CSS selector that finds each record',
  hostId: 'how to read the record\'s id in the host app',
  badge: 'where the QuickBooks badge goes: {"selector": "…"}',
  sync: 'where each row\'s "Sync with QB" control goes: {"selector": "td.actions"}',
  selector: 'a CSS selector',
};

export interface ProfileProblem {
  path: string;
  message: string;
}

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}

/** Checks a profile; problems name the field and say what is wrong. `checkSelector` adds CSS checks where a DOM exists. */
export function validateProfile(
  input: unknown,
  checkSelector?: (selector: string) => boolean,
): { ok: true; profile: SiteProfile } | { ok: false; problems: ProfileProblem[] } {
  const parsed = SiteProfile.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const last = [...i.path].reverse().find((p) => typeof p === 'string') as string | undefined;
        const hint = last && HINTS[last];
        const missing = i.code === 'invalid_type' && i.input === undefined;
        return { path: pathOf(i.path) || '(profile)', message: missing ? `is missing${hint ? `: ${hint}` : ''}` : i.message };
      }),
    };
  }
  if (checkSelector) {
    const problems: ProfileProblem[] = [];
    parsed.data.pages.forEach((p, i) => {
      const check = (path: string, sel: string | undefined) => {
        if (sel !== undefined && !checkSelector(sel)) problems.push({ path: `pages[${i}].${path}`, message: `"${sel}" is not a valid CSS selector` });
      };
      check('record', p.record);
      for (const [name, rule] of Object.entries(p.fields)) check(`fields.${name}`, typeof rule === 'string' ? rule : rule?.selector);
      for (const [name, a] of Object.entries(p.anchors)) check(`anchors.${name}.selector`, a?.selector);
    });
    if (problems.length) return { ok: false, problems };
  }
  return { ok: true, profile: parsed.data };
}

/**
 * Whether a URL fits a match pattern, as Chrome decides it (a pattern without a port matches any
 * port; the path part matches the path and query). No regular expression: the host is compared
 * as text and the path by globMatch, so a long URL costs time in proportion, never more.
 */
export function matchesUrl(pattern: string, url: string): boolean {
  const m = MATCH_PATTERN.exec(pattern);
  if (!m) return false;
  const [, scheme, host, port, path] = m;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const protocol = u.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : protocol !== scheme) return false;
  if (host !== '*') {
    const suffix = host.startsWith('*.') ? host.slice(2) : undefined;
    if (suffix ? u.hostname !== suffix && !u.hostname.endsWith(`.${suffix}`) : u.hostname !== host) return false;
  }
  if (port && u.port !== port.slice(1)) return false;
  return globMatch(path, `${u.pathname}${u.search}`);
}

export function profileMatchesUrl(profile: SiteProfile, url: string): boolean {
  return profile.matches.some((m) => matchesUrl(m, url));
}

/** The origins a profile needs permission for (what chrome.permissions.request asks): its sites and its API's. */
export function originsOf(profile: SiteProfile): string[] {
  const sites = profile.matches.map((m) => {
    const u = /^([^:]+):\/\/([^/]+)\//.exec(m)!;
    return `${u[1]}://${u[2].replace(/:\d+$/, '')}/*`;
  });
  const api = profile.api?.origin ? [`${new URL(profile.api.origin).protocol}//${new URL(profile.api.origin).hostname}/*`] : [];
  return [...new Set([...sites, ...api])];
}
