// The v3 Accounting API under /v3/company/{realmId}/: reads, writes, query, batch and change
// data capture, answering with QBO's envelopes ({"<Entity>":{...},"time":...}). Bodies are
// checked before they are parsed (JSON.parse of a hostile body can hold the process for
// seconds) and against the entity's schema before anything is stored.
import { DAY_MS, qboTime } from './clock';
import { type Company, type Rec, recordJson } from './company';
import { type EntityDef, entities, entityByName, entityByPath } from './entities';
import { fault, faultBody, QboFault } from './faults';
import { mediaType } from './oauth';
import { runQuery, Slicer, sortSliced } from './query';
import { isDateTime } from './validate';

export interface ApiRequest {
  method: string;
  /** Path segments after /v3/company/{realmId}/ */
  segments: string[];
  url: URL;
  body: string;
  /** The request's Content-Type header, if any. */
  contentType?: string;
  /** The request's requestid, if any (batch ids are held to a shorter length with one). */
  requestId?: string | null;
}

export interface ApiResponse {
  status: number;
  body: Rec;
  /** The body already serialized, when building it as text is much cheaper (large query pages). */
  text?: string;
  /** A write changed the company (the dropped-response fault applies only to these). */
  wrote: boolean;
}

const CDC_WINDOW_MS = 30 * DAY_MS;
const CDC_MAX_OBJECTS = 1000;
const BATCH_MAX = 30;
/** A batch returns at most 1,000 objects in all (Intuit's Batch reference); its queries share them. */
const BATCH_MAX_OBJECTS = 1000;
/** JSON bodies nest at most this deep (QBO's deepest, a batch of invoices with line details, is 9). */
export const MAX_DEPTH = 20;
/** A body holds at most this many JSON values: parsing more would hold the event loop too long. */
export const MAX_VALUES = 50_000;

/**
 * Reads a JSON body after checking, in one pass over the text, that it nests at most MAX_DEPTH
 * deep and holds at most MAX_VALUES values: JSON.parse itself takes seconds on a few megabytes
 * of brackets, so those are refused before it runs.
 */
export function parseJson(text: string): unknown {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      values++;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) throw fault.unparsableBody(`the body nests objects and arrays more than ${MAX_DEPTH} levels deep`);
      values++;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44) values++;
    if (values > MAX_VALUES) throw fault.unparsableBody(`the body holds more than ${MAX_VALUES} values`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fault.unparsableBody((e as Error).message);
  }
}

function parseBody(text: string): Rec {
  if (!text.trim()) throw fault.unparsableBody('the request body is empty');
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw fault.unparsableBody('the request body must be a JSON object');
  return parsed as Rec;
}

/** JSON endpoints read only JSON; QBO answers anything else with its "Cannot consume content type" fault. */
function expectJson(req: ApiRequest) {
  if (mediaType(req.contentType) !== 'application/json') throw fault.unsupportedMediaType(req.contentType ?? '(none)', 'application/json');
}

export async function handleApi(company: Company, req: ApiRequest): Promise<ApiResponse> {
  const time = qboTime(company.clock.now());
  const ok = (body: Rec, wrote = false): ApiResponse => ({ status: 200, body: { ...body, time }, wrote });
  const [first, second] = req.segments;
  const relative = `/v3/company/${company.realmId}/${req.segments.join('/')}`;

  if (first === 'query' && req.segments.length === 1 && (req.method === 'GET' || req.method === 'POST')) {
    // A query is sent in the URL, or as the body with Content-Type application/text (Intuit's data-queries page).
    if (req.method === 'POST' && mediaType(req.contentType) !== 'application/text')
      throw fault.unsupportedMediaType(req.contentType ?? '(none)', 'application/text');
    const q = req.method === 'POST' ? req.body : req.url.searchParams.get('query');
    if (!q) throw fault.requiredParam('query');
    const { response, json } = await runQuery(company, q);
    return { status: 200, body: { QueryResponse: response, time }, text: `{"QueryResponse":${json},"time":"${time}"}`, wrote: false };
  }
  if (first === 'batch' && req.segments.length === 1 && req.method === 'POST') {
    expectJson(req);
    const items = checkBatch(parseBody(req.body), req.requestId);
    const slicer = new Slicer();
    const budget = { objects: BATCH_MAX_OBJECTS };
    let wrote = false;
    const results: string[] = [];
    for (const item of items) {
      const pause = slicer.breathe();
      if (pause) await pause;
      const r = await runBatchItem(company, item, budget);
      wrote ||= r.wrote;
      results.push(r.json);
    }
    // Built as text from each record's cached JSON: a batch of large query pages is never re-serialized whole.
    return { status: 200, body: {}, text: `{"BatchItemResponse":[${results.join(',')}],"time":"${time}"}`, wrote };
  }
  if (first === 'cdc' && req.segments.length === 1 && req.method === 'GET')
    return { status: 200, body: {}, text: `{"CDCResponse":[${await changeDataCapture(company, req.url)}],"time":"${time}"}`, wrote: false };
  if (first === 'companyinfo' && req.method === 'GET' && req.segments.length === 2) {
    if (second !== company.realmId && second !== '1') throw fault.objectNotFound('Object Not Found : CompanyInfo ' + second);
    return ok({ CompanyInfo: company.get('CompanyInfo', '1')! });
  }
  if (first === 'preferences' && req.segments.length === 1) {
    if (req.method === 'GET') return ok({ Preferences: company.get('Preferences', '1')! });
    if (req.method !== 'POST') throw fault.unsupportedOperation(relative);
    expectJson(req);
    const body = parseBody(req.body);
    return ok({ Preferences: company.update('Preferences', { ...body, Id: body.Id ?? '1' }, body.sparse === true) }, true);
  }

  const def = first ? entityByPath(first) : undefined;
  if (!def || (def.kind === 'singleton' && first !== 'companyinfo')) throw fault.unsupportedOperation(relative);

  if (req.method === 'GET' && req.segments.length === 2) {
    if (!/^\d{1,19}$/.test(second)) throw fault.invalidId(second);
    const rec = company.get(def.name, second);
    if (!rec)
      throw fault.objectNotFound(
        def.kind === 'txn' ? 'Object Not Found : Another user has deleted this transaction.' : `Object Not Found : ${def.name} ${second} was not found.`,
      );
    return ok({ [def.name]: rec });
  }
  if (req.method === 'POST' && req.segments.length === 1) {
    expectJson(req);
    const body = parseBody(req.body);
    const operation = req.url.searchParams.get('operation');
    const include = (req.url.searchParams.get('include') ?? '').split(',').map((s) => s.trim().toLowerCase());
    const opts = { allowDuplicateDocNumber: include.includes('allowduplicatedocnum') };
    return ok({ [def.name]: write(company, def, body, restOperation(def, operation, include.includes('void')), opts) }, true);
  }
  throw fault.unsupportedOperation(relative);
}

type Operation = 'create' | 'update' | 'delete' | 'void';

/**
 * What a REST write asks for. Voids take the form Intuit documents for each entity: an invoice
 * with operation=void, a sales receipt or bill payment with operation=update&include=void, a
 * payment either way (docs/sandbox.md).
 */
function restOperation(def: EntityDef, operation: string | null, includeVoid: boolean): Operation | null {
  if (operation === 'void' || (operation === 'update' && includeVoid)) {
    if (!def.void) throw fault.unsupportedOperationFor('void', def.name, def.kind === 'txn' ? 'Delete it instead.' : 'Make it inactive instead.');
    const form = operation === 'void' ? 'operation' : 'include';
    if (def.void !== 'either' && def.void !== form)
      throw fault.unsupportedOperationFor(
        operation === 'void' ? 'void' : 'update&include=void',
        def.name,
        def.void === 'operation' ? `Void it with operation=void.` : `Void it with operation=update&include=void.`,
      );
    return 'void';
  }
  if (operation === 'delete' || operation === 'update' || operation === 'create') return operation;
  if (operation === null) return null;
  throw fault.unsupportedOperationFor(operation, def.name, 'Use create, update, delete or void.');
}

function write(company: Company, def: EntityDef, body: Rec, operation: Operation | null, opts: { allowDuplicateDocNumber: boolean }): Rec {
  if (operation === 'delete') return company.remove(def.name, body, opts);
  if (operation === 'void') return company.void(def.name, body, opts);
  if (operation === 'update' || (operation === null && body.Id !== undefined && body.Id !== null))
    return company.update(def.name, body, body.sparse === true, opts);
  return company.create(def.name, body, opts);
}

/** The batch's items, after the checks that concern the batch as a whole. */
function checkBatch(body: Rec, requestId: string | null | undefined): Rec[] {
  for (const k of Object.keys(body)) if (k !== 'BatchItemRequest') throw fault.unknownProperty('IntuitBatchRequest', k);
  const items = body.BatchItemRequest;
  if (!Array.isArray(items) || items.length === 0) throw fault.requiredParam('BatchItemRequest');
  if (items.length > BATCH_MAX) throw fault.batchSize(items.length);
  // With a requestid, each bId is at most 10 characters (Intuit blog, 2015-04-06).
  const maxBid = requestId ? 10 : 50;
  const seen = new Set<string>();
  items.forEach((item: unknown, i: number) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw fault.invalidValue(`BatchItemRequest[${i}]`, 'must be an object');
    const bId = (item as Rec).bId;
    if (bId === undefined || bId === null || bId === '') throw fault.requiredParam(`BatchItemRequest[${i}].bId`);
    if (typeof bId !== 'string') throw fault.invalidValue(`BatchItemRequest[${i}].bId`, 'must be a string');
    if (bId.length > maxBid) throw fault.stringLength(`BatchItemRequest[${i}].bId`, maxBid, bId.length);
    if (seen.has(bId)) throw fault.invalidValue(`BatchItemRequest[${i}].bId`, `repeats "${bId}"; every item needs its own`);
    seen.add(bId);
  });
  return items;
}

const BATCH_KEYS = new Set(['bId', 'operation', 'optionsData', 'Query']);

/** One batch item: its own write, its own fault. Nothing one item does can fail another. Answers the item's JSON. */
async function runBatchItem(company: Company, item: Rec, budget: { objects: number }): Promise<{ json: string; wrote: boolean }> {
  const bId = item.bId;
  const tail = `,"bId":${JSON.stringify(bId)}}`;
  try {
    for (const k of Object.keys(item)) if (!BATCH_KEYS.has(k) && !entities.has(k)) throw fault.unknownProperty('BatchItemRequest', k);
    const entityKeys = Object.keys(item).filter((k) => entities.has(k));
    if (item.Query !== undefined) {
      if (typeof item.Query !== 'string') throw fault.invalidValue('Query', 'must be a string');
      if (entityKeys.length || item.operation !== undefined) throw fault.invalidValue('Query', 'cannot share a batch item with an entity or an operation');
      if (budget.objects <= 0) throw fault.queryValidation(`a batch returns at most ${BATCH_MAX_OBJECTS} objects; earlier items used them all`);
      const r = await runQuery(company, item.Query, new Slicer(), budget.objects);
      budget.objects -= r.objects;
      return { json: `{"QueryResponse":${r.json}${tail}`, wrote: false };
    }
    if (entityKeys.length !== 1) throw fault.requiredParam('BatchItemRequest.<Entity>');
    const def = entities.get(entityKeys[0])!;
    const operation = item.operation ?? 'create';
    if (!['create', 'update', 'delete', 'void'].includes(operation))
      throw fault.unsupportedOperationFor(String(operation), def.name, 'Use create, update, delete or void.');
    if (item.optionsData !== undefined && item.optionsData !== 'void') throw fault.invalidEnumeration('optionsData', item.optionsData);
    const voidIt = operation === 'void' || (operation === 'update' && item.optionsData === 'void');
    const body = item[def.name];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fault.invalidValue(def.name, 'must be an object');
    if (def.kind === 'singleton' && def.name !== 'Preferences') throw fault.unsupportedOperationFor(operation, def.name, '');
    const rec = write(company, def, body, voidIt ? 'void' : operation, { allowDuplicateDocNumber: false });
    return { json: `{${JSON.stringify(def.name)}:${recordJson(rec)}${tail}`, wrote: true };
  } catch (e) {
    // A bug in one item is that item's system fault; what it changed was already undone.
    const f = e instanceof QboFault ? e : fault.systemFault();
    if (!(e instanceof QboFault)) console.error('sandbox: unexpected error in a batch item', e);
    const { Fault } = faultBody(f, '');
    return { json: `{"Fault":${JSON.stringify(Fault)}${tail}`, wrote: false };
  }
}

/** Change data capture's answer, as the JSON text of its one QueryResponse element. */
async function changeDataCapture(company: Company, url: URL): Promise<string> {
  const names = url.searchParams.get('entities');
  const since = url.searchParams.get('changedSince');
  if (!names) throw fault.requiredParam('entities');
  if (!since) throw fault.requiredParam('changedSince');
  if (!isDateTime(since)) throw fault.queryValidation(`changedSince "${since}" is not a valid date or date-time`);
  const sinceMs = Date.parse(since);
  if (company.clock.now() - sinceMs > CDC_WINDOW_MS)
    throw fault.queryValidation('changedSince must be within the last 30 days; query the entities instead');
  const defs = names.split(',').map((n) => {
    const def = entityByName(n.trim());
    if (!def) throw fault.queryValidation(`invalid context declaration: ${n.trim()}`);
    if (!def.cdc) throw fault.queryValidation(`change data capture is not supported for ${def.name}`);
    return def;
  });
  const slicer = new Slicer();
  let budget = CDC_MAX_OBJECTS;
  const groups: string[] = [];
  for (const def of defs) {
    const changed: { ms: number; data: Rec }[] = [];
    for (const row of [...company.table(def.name).values()]) {
      const pause = slicer.tick();
      if (pause) await pause;
      if (row.updatedMs >= sinceMs) changed.push({ ms: row.updatedMs, data: row.data });
    }
    const inOrder = await sortSliced(changed, (a, b) => a.ms - b.ms, slicer);
    const deleted = company.tombstones
      .filter((t) => t.entity === def.name && t.ms >= sinceMs)
      .map((t) => ({ domain: 'QBO', status: 'Deleted', Id: t.id, MetaData: { LastUpdatedTime: qboTime(t.ms).replace(/\.\d{3}/, '') } }));
    const room = Math.max(0, budget);
    const kept = inOrder.slice(0, room).map((c) => recordJson(c.data));
    const objects = [...kept, ...deleted.slice(0, room - kept.length).map((d) => JSON.stringify(d))];
    budget -= objects.length;
    groups.push(objects.length ? `{${JSON.stringify(def.name)}:[${objects.join(',')}],"startPosition":1,"maxResults":${objects.length}}` : '{}');
  }
  return `{"QueryResponse":[${groups.join(',')}]}`;
}
