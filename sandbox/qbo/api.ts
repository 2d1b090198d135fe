// The v3 Accounting API under /v3/company/{realmId}/: reads, writes, query, batch and change
// data capture, answering with QBO's envelopes ({"<Entity>":{...},"time":...}).
import { DAY_MS, qboTime } from './clock';
import type { Company, Rec } from './company';
import { entities, entityByName, entityByPath } from './entities';
import { fault, faultBody, QboFault } from './faults';
import { runQuery } from './query';

export interface ApiRequest {
  method: string;
  /** Path segments after /v3/company/{realmId}/ */
  segments: string[];
  url: URL;
  body: string;
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

function parseBody(text: string): Rec {
  if (!text.trim()) throw fault.unparsableBody('the request body is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw fault.unparsableBody((e as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw fault.unparsableBody('the request body must be a JSON object');
  return parsed as Rec;
}

export function handleApi(company: Company, req: ApiRequest): ApiResponse {
  const time = qboTime(company.clock.now());
  const ok = (body: Rec, wrote = false): ApiResponse => ({ status: 200, body: { ...body, time }, wrote });
  const [first, second, ...rest] = req.segments;
  const relative = `/v3/company/${company.realmId}/${req.segments.join('/')}`;

  if (first === 'query' && req.segments.length === 1) {
    const q = req.method === 'POST' ? req.body : req.url.searchParams.get('query');
    if (!q) throw fault.requiredParam('query');
    const { response, json } = runQuery(company, q);
    return { status: 200, body: { QueryResponse: response, time }, text: `{"QueryResponse":${json},"time":"${time}"}`, wrote: false };
  }
  if (first === 'batch' && req.segments.length === 1 && req.method === 'POST') {
    const items = parseBody(req.body).BatchItemRequest;
    if (!Array.isArray(items) || items.length === 0) throw fault.requiredParam('BatchItemRequest');
    if (items.length > BATCH_MAX) throw fault.batchSize(items.length);
    let wrote = false;
    const results = items.map((item: unknown) => {
      const r = runBatchItem(company, item);
      wrote ||= r.wrote;
      return r.body;
    });
    return ok({ BatchItemResponse: results }, wrote);
  }
  if (first === 'cdc' && req.segments.length === 1 && req.method === 'GET') return ok({ CDCResponse: [changeDataCapture(company, req.url)] });
  if (first === 'companyinfo' && req.method === 'GET' && req.segments.length === 2) {
    if (second !== company.realmId && second !== '1') throw fault.objectNotFound('Object Not Found : CompanyInfo ' + second);
    return ok({ CompanyInfo: company.get('CompanyInfo', '1')! });
  }
  if (first === 'preferences' && req.segments.length === 1) {
    if (req.method === 'GET') return ok({ Preferences: company.get('Preferences', '1')! });
    const body = parseBody(req.body);
    return ok({ Preferences: company.update('Preferences', { ...body, Id: body.Id ?? '1' }, body.sparse === true) }, true);
  }

  const def = first ? entityByPath(first) : undefined;
  if (!def || def.kind === 'singleton' && first !== 'companyinfo') throw fault.unsupportedOperation(relative);

  if (req.method === 'GET' && req.segments.length === 2) {
    if (!/^\d+$/.test(second)) throw fault.invalidId(second);
    const rec = company.get(def.name, second);
    if (!rec)
      throw fault.objectNotFound(
        def.kind === 'txn' ? 'Object Not Found : Another user has deleted this transaction.' : `Object Not Found : ${def.name} ${second} was not found.`,
      );
    return ok({ [def.name]: rec });
  }
  if (req.method === 'POST' && req.segments.length === 1 && rest.length === 0) {
    const body = parseBody(req.body);
    const operation = req.url.searchParams.get('operation');
    const include = (req.url.searchParams.get('include') ?? '').split(',').map((s) => s.trim().toLowerCase());
    const opts = { allowDuplicateDocNumber: include.includes('allowduplicatedocnum') };
    return ok({ [def.name]: write(company, def.name, body, operation, include.includes('void'), opts) }, true);
  }
  throw fault.unsupportedOperation(relative);
}

function write(
  company: Company,
  entity: string,
  body: Rec,
  operation: string | null,
  voidIt: boolean,
  opts: { allowDuplicateDocNumber: boolean },
): Rec {
  if (operation === 'delete') return company.remove(entity, body, opts);
  if (operation === 'void' || (operation === 'update' && voidIt)) return company.void(entity, body, opts);
  if (operation === 'update' || (operation === null && body.Id !== undefined)) return company.update(entity, body, body.sparse === true, opts);
  if (operation === null || operation === 'create') return company.create(entity, body, opts);
  throw fault.unsupportedOperationFor(operation, entity, 'Use create, update, delete or void.');
}

function runBatchItem(company: Company, raw: unknown): { body: Rec; wrote: boolean } {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Rec;
  const bId = item.bId;
  try {
    if (typeof item.Query === 'string') return { body: { QueryResponse: runQuery(company, item.Query).response, bId }, wrote: false };
    const entityKey = Object.keys(item).find((k) => entities.has(k));
    if (!entityKey) throw fault.requiredParam('BatchItemRequest.<Entity>');
    const operation = String(item.operation ?? 'create');
    const voidIt = item.optionsData === 'void' || operation === 'void';
    const body = item[entityKey];
    if (typeof body !== 'object' || body === null) throw fault.unparsableBody(`${entityKey} must be an object`);
    const rec = write(company, entityKey, body, voidIt ? 'void' : operation, voidIt, { allowDuplicateDocNumber: false });
    return { body: { [entityKey]: rec, bId }, wrote: true };
  } catch (e) {
    if (!(e instanceof QboFault)) throw e;
    const { Fault } = faultBody(e, '');
    return { body: { Fault, bId }, wrote: false };
  }
}

function changeDataCapture(company: Company, url: URL): Rec {
  const names = url.searchParams.get('entities');
  const since = url.searchParams.get('changedSince');
  if (!names) throw fault.requiredParam('entities');
  if (!since) throw fault.requiredParam('changedSince');
  const sinceMs = Date.parse(since);
  if (Number.isNaN(sinceMs)) throw fault.queryValidation(`changedSince "${since}" is not a valid date or date-time`);
  if (company.clock.now() - sinceMs > CDC_WINDOW_MS)
    throw fault.queryValidation('changedSince must be within the last 30 days; query the entities instead');
  const defs = names.split(',').map((n) => {
    const def = entityByName(n.trim());
    if (!def) throw fault.queryValidation(`invalid context declaration: ${n.trim()}`);
    if (!def.cdc) throw fault.queryValidation(`change data capture is not supported for ${def.name}`);
    return def;
  });
  let budget = CDC_MAX_OBJECTS;
  const groups = defs.map((def) => {
    const changed = [...company.table(def.name).values()]
      .filter((row) => row.updatedMs >= sinceMs)
      .sort((a, b) => a.updatedMs - b.updatedMs)
      .map((row) => row.data);
    const deleted = company.tombstones
      .filter((t) => t.entity === def.name && t.ms >= sinceMs)
      .map((t) => ({ domain: 'QBO', status: 'Deleted', Id: t.id, MetaData: { LastUpdatedTime: qboTime(t.ms).replace(/\.\d{3}/, '') } }));
    const objects = [...changed, ...deleted].slice(0, Math.max(0, budget));
    budget -= objects.length;
    return objects.length ? { [def.name]: objects, startPosition: 1, maxResults: objects.length } : {};
  });
  return { QueryResponse: groups };
}
