// A host app's own API, as its site profile declares it: per record kind, how to list every record
// (and only those changed since), read one, create and update one, where each field is in the
// app's JSON, and the CSRF token its writes need. The extension calls it with the user's own
// session, the way the app's pages do (lib/hosts/worker/executor.ts). Every URL is a path on the
// app's own site, or on an API origin the profile names and the user grants with the site.
import { z } from 'zod';
import { clean } from './read';

/** A path in the app's JSON: "data", "meta.total", "vendor.id". */
const dotted = z.string().regex(/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$0-9][\w$-]*)*$/, 'must be a dotted path into the JSON, like "data" or "vendor.id"');
/** A field's path; "@json" after it keeps a list or object there as JSON text ("fees@json": a PO's fees, each with its name). */
const fieldPath = z.string().regex(/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$0-9][\w$-]*)*(@json)?$/, 'must be a dotted path into the JSON, like "vendor.id" (or "fees@json" for a list kept whole)');

/** The most JSON text a field keeps. */
const MAX_JSON_FIELD = 4000;

/** A same-site path, with `{id}` (the record's id in the app) where it goes. */
const path = z
  .string()
  .max(500)
  .regex(/^\/(?!\/)[^\s\\]*$/, 'must be a path on the host app, starting with a single /, like "/api/vendors/{id}"');

const paging = z.discriminatedUnion('type', [
  /** ?page=1,2,3… (with the page size in `sizeParam`, when the app takes one). */
  z.object({ type: z.literal('page'), param: z.string().min(1), first: z.number().int().min(0).default(1), sizeParam: z.string().min(1).optional(), size: z.number().int().min(1).max(1000).default(100) }).strict(),
  /** ?offset=0,100,200… */
  z.object({ type: z.literal('offset'), param: z.string().min(1), sizeParam: z.string().min(1).optional(), size: z.number().int().min(1).max(1000).default(100) }).strict(),
  /** ?cursor=<the previous answer's `next`>, until it has none. */
  z.object({ type: z.literal('cursor'), param: z.string().min(1), next: dotted, sizeParam: z.string().min(1).optional(), size: z.number().int().min(1).max(1000).default(100) }).strict(),
]);
export type Paging = z.infer<typeof paging>;

const method = z.enum(['POST', 'PUT', 'PATCH']);

/** How one kind of record is read and written. */
const kindApi = z
  .object({
    list: z
      .object({
        url: path,
        /** Where the array of records is (omit when the JSON is the array). */
        items: dotted.optional(),
        /** Where the total count is, when the app says it (a short listing is then noticed). */
        total: dotted.optional(),
        paging: paging.optional(),
        /** The parameter that asks only for records changed since a time (ISO 8601). */
        updatedSince: z.string().min(1).optional(),
      })
      .strict(),
    read: z.object({ url: path, item: dotted.optional() }).strict().optional(),
    create: z.object({ method: method.default('POST'), url: path, wrap: dotted.optional(), item: dotted.optional() }).strict().optional(),
    update: z.object({ method: method.default('PATCH'), url: path, wrap: dotted.optional(), item: dotted.optional() }).strict().optional(),
    /** Where each field of a record is; `hostId` is required. Names beyond the page fields are the workflows'. */
    fields: z.object({ hostId: dotted }).catchall(fieldPath),
    /** Line items (bills, purchase orders, invoices): where they are in a record, and each line's fields. */
    lines: z.object({ path: dotted, fields: z.record(z.string().regex(/^\w+$/), fieldPath) }).strict().optional(),
    /**
     * Where the app keeps the QuickBooks id of a record synced with QuickBooks (Ledgerly's
     * "QuickBooks CustomerID"): one of `fields`, written through `update` after a create or a link.
     */
    writeBack: z.object({ qbId: z.string().regex(/^\w+$/, 'must name one of this kind\'s fields, like "quickbooksId"') }).strict().optional(),
    /**
     * The field that marks a deleted record, where the app keeps them (soft deletes) and lists them
     * among the changes: a record with a value there is deleted (Ledgerly's "deletedAt").
     */
    deleted: z.string().regex(/^\w+$/, 'must name one of this kind\'s fields, like "deletedAt"').optional(),
  })
  .strict()
  .superRefine((k, ctx) => {
    if (k.deleted && (!Object.hasOwn(k.fields, k.deleted) || k.deleted === 'hostId'))
      ctx.addIssue({ code: 'custom', path: ['deleted'], message: `is "${k.deleted}", which is not one of this kind's fields (${Object.keys(k.fields).join(', ')}); add it to fields with its path in the app's JSON, like "${k.deleted}": "deleted_at"` });
    if (!k.writeBack) return;
    if (!Object.hasOwn(k.fields, k.writeBack.qbId) || k.writeBack.qbId === 'hostId')
      ctx.addIssue({ code: 'custom', path: ['writeBack', 'qbId'], message: `is "${k.writeBack.qbId}", which is not one of this kind's fields (${Object.keys(k.fields).join(', ')}); add it to fields with its path in the app's JSON, like "${k.writeBack.qbId}": "quickbooks_id"` });
    if (!k.update) ctx.addIssue({ code: 'custom', path: ['writeBack'], message: 'needs update (how a record is changed in the app) to write the QuickBooks id back' });
  });
export type KindApi = z.infer<typeof kindApi>;

const csrf = z.discriminatedUnion('from', [
  /** A <meta> tag in the app's pages (Rails: csrf-token), read from the page, or from `page` by the worker. */
  z.object({ from: z.literal('meta'), name: z.string().min(1), header: z.string().min(1), page: path.default('/') }).strict(),
  /** A cookie the app's script can read (Angular, Django: XSRF-TOKEN, csrftoken), echoed in a header. */
  z.object({ from: z.literal('cookie'), name: z.string().min(1), header: z.string().min(1) }).strict(),
  /** A JSON endpoint that hands out the token. */
  z.object({ from: z.literal('endpoint'), url: path, path: dotted, header: z.string().min(1) }).strict(),
]);
export type CsrfRecipe = z.infer<typeof csrf>;

export const HostApi = z
  .object({
    /** Where the API is, when not on the page's own origin (e.g. https://api.example.com); granted with the site. */
    origin: z
      .string()
      .regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$|^http:\/\/(localhost|127\.0\.0\.1|[a-z0-9.-]+\.localhost)(:\d+)?$/, 'must be an https origin like https://api.example.com (http only on this computer)')
      .optional(),
    csrf: csrf.optional(),
    kinds: z.record(z.string().regex(/^[a-z][A-Za-z]{1,30}$/), kindApi),
  })
  .strict();
export type HostApi = z.infer<typeof HostApi>;

/** The value at a dotted path. */
export function at(obj: unknown, dottedPath: string | undefined): unknown {
  if (!dottedPath) return obj;
  return dottedPath.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** A path with the record's id put in. */
export const fill = (template: string, id?: string) => template.replace(/\{id\}/g, encodeURIComponent(id ?? ''));

/** A record as an app's API answered it: its id, its fields as text, and its lines. */
export interface ApiRecord {
  hostId: string;
  fields: Record<string, string>;
  lines?: Record<string, string>[];
}

/** A field's value as text: a scalar cleaned, a list or object kept as JSON where the path says "@json". */
function fieldText(obj: unknown, p: string): string | undefined {
  const json = p.endsWith('@json');
  const v = at(obj, json ? p.slice(0, -5) : p);
  if (v === undefined) return undefined;
  // A field the app says is empty (null) is empty, not unknown: a sync may fill it or clear the other side's.
  if (v === null) return json ? undefined : '';
  if (json) {
    const text = JSON.stringify(v);
    return text.length <= MAX_JSON_FIELD ? text : undefined;
  }
  return typeof v === 'object' ? undefined : clean(String(v));
}

/** One record from the app's JSON, by the kind's field paths; undefined without an id. */
export function readItem(item: unknown, kind: KindApi): ApiRecord | undefined {
  const fields: Record<string, string> = {};
  for (const [name, p] of Object.entries(kind.fields)) {
    const v = fieldText(item, p);
    if (v !== undefined) fields[name] = v;
  }
  if (!fields.hostId) return undefined;
  const record: ApiRecord = { hostId: fields.hostId, fields };
  if (kind.lines) {
    const lines = at(item, kind.lines.path);
    if (Array.isArray(lines))
      record.lines = lines.map((line) => {
        const out: Record<string, string> = {};
        for (const [name, p] of Object.entries(kind.lines!.fields)) {
          const v = fieldText(line, p);
          if (v !== undefined) out[name] = v;
        }
        return out;
      });
  }
  return record;
}

/** The records in one answer of a kind's listing (none when the answer is not a list where the profile says). */
export function readItems(json: unknown, kind: KindApi): ApiRecord[] | undefined {
  const items = at(json, kind.list.items);
  if (!Array.isArray(items)) return undefined;
  return items.map((i) => readItem(i, kind)).filter((r): r is ApiRecord => !!r);
}
