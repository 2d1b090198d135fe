// The QBO API client every feature uses, from the service worker or an extension page (fetch
// only). It goes through the company's limiter, rides out 429s, backs off on 5xx and network
// errors, refreshes the access token once on 401, gives every write a requestid that survives
// its retries (and can look a record up before re-sending a write whose outcome is unknown),
// pages queries to the end, and reports every exchange to a log sink with secrets redacted.
import { endpointsFor, type Environment } from './environments';
import { errorFromResponse, QboError } from './errors';
import { limiterFor, type LimitSettings, type RealmLimiter } from './limiter';
import { query, type QueryBuilder } from './query';
import { MAX_LOGGED_CHARS, MAX_LOGGED_READ_CHARS, redactText, redactUrl } from './redact';
import {
  BatchEnvelope,
  CdcEnvelope,
  DeletedStub,
  describeIssues,
  type Entity,
  type EntityName,
  NAME_LIST_ENTITIES,
  QueryEnvelope,
  rowChecker,
  schemas,
} from './schemas';
import type { z } from 'zod';

/** Supplies access tokens; the connection (lib/auth) implements it. */
export interface TokenProvider {
  /** A current access token (refreshed first if it is about to expire). */
  accessToken(): Promise<string>;
  /** After a 401: a fresh token, given the one QuickBooks refused. Throws if the connection is gone. */
  refresh(rejected: string): Promise<string>;
}

/** One HTTP exchange with QuickBooks, as the log records it. Bodies are redacted. */
export interface Exchange {
  realmId: string;
  method: string;
  url: string;
  entity?: string;
  operation: string;
  status?: number;
  durationMs: number;
  intuitTid?: string;
  requestId?: string;
  attempt: number;
  objectId?: string;
  objectName?: string;
  request?: string;
  response?: string;
  error?: { kind: string; code?: string; message: string; detail?: string };
}

export interface RetryPolicy {
  /** Attempts after the first for 5xx and network errors. */
  transientRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** First wait after a 429; doubles up to throttleMaxMs. */
  throttleBaseMs: number;
  throttleMaxMs: number;
  /** Give up on 429s after this long (the call then fails as Throttled). */
  throttleGiveUpMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  transientRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  throttleBaseMs: 2_000,
  throttleMaxMs: 60_000,
  throttleGiveUpMs: 10 * 60_000,
};

export interface QboClientOptions {
  realmId: string;
  environment: Environment;
  /** The local sandbox's origin when environment is local-sandbox. */
  localOrigin?: string;
  tokens: TokenProvider;
  log?: (e: Exchange) => void;
  fetch?: typeof fetch;
  limits?: Partial<LimitSettings>;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  minorVersion?: number;
}

export interface WriteOptions<T> {
  /** Stable id of this write; reuse it when the same write is sent again later (outbox). */
  requestId?: string;
  /**
   * Looks for the record this write would have made, after a failure that leaves it unknown
   * whether QuickBooks applied the write (network error, timeout, 5xx). If found, it is the
   * result and nothing is sent again.
   */
  lookup?: () => Promise<T | undefined>;
}

export type BatchItem =
  | { bId?: string; operation: 'create' | 'update' | 'delete' | 'void'; entity: EntityName; body: Record<string, unknown> }
  | { bId?: string; query: string };

export type BatchResult =
  | { bId: string; ok: true; entity?: EntityName; data: unknown }
  | { bId: string; ok: false; error: QboError };

export interface CdcResult {
  changed: Partial<Record<EntityName, unknown[]>>;
  deleted: Partial<Record<EntityName, string[]>>;
  /** QBO returns at most 1,000 objects; when this is true some changes were left out. */
  truncated: boolean;
  /** The server's time of the answer, for the next changedSince. */
  time?: string;
}

interface RequestSpec {
  /** 0 for requests whose answers unlock more work (first pages, counts); see RealmLimiter. */
  priority?: number;
  /** Answer the body's text instead of parsing it (bulk pages stored as they came). */
  raw?: boolean;
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string>;
  body?: string;
  contentType?: string;
  entity?: string;
  operation: string;
  write?: boolean;
  batch?: boolean;
  requestId?: string;
  /** A write whose outcome is unknown is not sent again without a lookup: the caller looks (lib/sync/push). */
  noBlindRetry?: boolean;
}

/** Rows per query page: QBO's maximum. */
export const PAGE = 1000;
const BATCH_SIZE = 30;
const checkers: Partial<Record<EntityName, (row: unknown) => string | undefined>> = {};

/** Rows of a query or CDC answer, checked in place against the entity's schema (rowChecker). */
function checkRows<E extends EntityName>(entity: E, rows: unknown): Entity<E>[] {
  if (rows === undefined) return [];
  if (!Array.isArray(rows)) throw new QboError({ kind: 'Unknown', message: `QuickBooks returned ${entity} rows in an unexpected shape.` });
  const check = (checkers[entity] ??= rowChecker(schemas[entity] as unknown as z.ZodObject));
  for (const r of rows) {
    const problem = check(r);
    if (problem) throw new QboError({ kind: 'Unknown', message: `QuickBooks returned a ${entity} this version does not understand.`, detail: problem });
  }
  return rows as Entity<E>[];
}

/**
 * The query a full read of an entity pages through: inactive records too for name lists (they
 * matter for matching and for QBO's unique-name rule), and ordered by Id unless `build` orders
 * it, so pages stay stable while records are added.
 */
export function fullReadQuery<E extends EntityName>(entity: E, build: (q: QueryBuilder) => QueryBuilder = (q) => q): QueryBuilder {
  const q = build(query(entity));
  if (NAME_LIST_ENTITIES.includes(entity)) q.includeInactive();
  if (!q.hasOrder) q.orderBy('Id');
  return q;
}

/** The rows of a stored query page (queryPageText), parsed and checked. */
export function parseQueryPage<E extends EntityName>(entity: E, text: string): Entity<E>[] {
  const env = QueryEnvelope.safeParse(JSON.parse(text));
  if (!env.success) throw new QboError({ kind: 'Unknown', message: 'A stored QuickBooks query page is not understood.' });
  return checkRows(entity, (env.data.QueryResponse as Record<string, unknown>)[entity]);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms: number) => Math.round(ms * (0.5 + Math.random() * 0.5));

function describeObject(data: unknown): { objectId?: string; objectName?: string } {
  if (!data || typeof data !== 'object') return {};
  const rec = data as Record<string, unknown>;
  const name = rec.DisplayName ?? rec.Name ?? rec.DocNumber ?? rec.CompanyName;
  return { objectId: typeof rec.Id === 'string' ? rec.Id : undefined, objectName: typeof name === 'string' ? name : undefined };
}

export class QboClient {
  readonly realmId: string;
  readonly limiter: RealmLimiter;
  private readonly base: string;
  private readonly retry: RetryPolicy;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: QboClientOptions) {
    this.realmId = opts.realmId;
    this.base = `${endpointsFor(opts.environment, opts.localOrigin).api}/v3/company/${encodeURIComponent(opts.realmId)}`;
    this.limiter = limiterFor(this.base, opts.limits);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  // ---- reads -----------------------------------------------------------------------------------

  async read<E extends EntityName>(entity: E, id: string): Promise<Entity<E>> {
    const path = entity === 'CompanyInfo' ? `companyinfo/${this.realmId}` : entity === 'Preferences' ? 'preferences' : `${entity.toLowerCase()}/${encodeURIComponent(id)}`;
    const json = await this.send({ method: 'GET', path, entity, operation: 'read' });
    return this.parseEntity(entity, json);
  }

  /** One page of a query. */
  async queryPage<E extends EntityName>(q: QueryBuilder, startPosition: number, maxResults = PAGE): Promise<Entity<E>[]> {
    const json = await this.runQuery(q.page(startPosition, maxResults), q.entity, 'query', startPosition === 1 ? 0 : 1);
    const rows = (json.QueryResponse as Record<string, unknown>)[q.entity];
    return checkRows(q.entity as E, rows);
  }

  /**
   * One page of a query as QuickBooks sent it, not parsed, with its row count read from the
   * answer's own "maxResults". For loads that store pages as they came (lib/sync/pull.ts):
   * parsing 1,000 records only to store them again costs the worker most of a load's time.
   * The text is parsed and checked when it is read (parseQueryPage).
   */
  async queryPageText(q: QueryBuilder, startPosition: number, maxResults = PAGE): Promise<{ text: string; count: number }> {
    const text: string = await this.send({ method: 'GET', path: 'query', params: { query: q.page(startPosition, maxResults) }, entity: q.entity, operation: 'query', priority: startPosition === 1 ? 0 : 1, raw: true });
    if (!text.startsWith('{"QueryResponse":{')) throw new QboError({ kind: 'Unknown', message: 'QuickBooks returned a query response this version does not understand.', detail: text.slice(0, 200) });
    const m = /"maxResults":(\d+)[^"]*"time"/.exec(text.slice(-300));
    return { text, count: m ? Number(m[1]) : 0 };
  }

  async count(q: QueryBuilder): Promise<number> {
    const json = await this.runQuery(q.count(), q.entity, 'count', 0);
    return json.QueryResponse.totalCount ?? 0;
  }

  /**
   * Every row of a query. Reads the first page; if it is full, counts the rows and fetches the
   * other pages in parallel (the limiter keeps it within QBO's limits). If the last page holds
   * more rows than the count promised, rows were added meanwhile and it keeps reading until a
   * short page. Rows are ordered by Id so pages stay stable while records are added. (Rows
   * added exactly filling the last page, or shifted by deletes during the read, are caught by
   * the change data capture that follows a load and by the daily reconcile.)
   */
  async queryAll<E extends EntityName>(
    entity: E,
    build: (q: QueryBuilder) => QueryBuilder = (q) => q,
    onPage?: (rows: Entity<E>[], loaded: number, total: number | undefined) => void,
  ): Promise<Entity<E>[]> {
    const q = fullReadQuery(entity, build);
    const byId = new Map<string, Entity<E>>();
    const take = (rows: Entity<E>[], total?: number) => {
      for (const r of rows) byId.set((r as { Id: string }).Id, r);
      onPage?.(rows, byId.size, total);
    };
    const first = await this.queryPage<E>(q, 1);
    if (first.length < PAGE) {
      take(first, first.length);
      return [...byId.values()];
    }
    const total = await this.count(q);
    take(first, total);
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const sizes = await Promise.all(
      Array.from({ length: pages - 1 }, (_, i) =>
        this.queryPage<E>(q, (i + 1) * PAGE + 1).then((rows) => {
          take(rows, total);
          return rows.length;
        }),
      ),
    );
    const expectedLast = total - (pages - 1) * PAGE;
    let last = pages > 1 ? sizes[sizes.length - 1] : first.length;
    let next = pages * PAGE + 1;
    if (last > expectedLast || (total < PAGE && last === PAGE)) {
      while (last === PAGE) {
        const rows = await this.queryPage<E>(q, next);
        take(rows, undefined);
        last = rows.length;
        next += PAGE;
      }
    }
    return [...byId.values()];
  }

  /** Changes since a time (within the last 30 days). Deleted objects come back as ids. */
  async cdc(entities: EntityName[], changedSince: string): Promise<CdcResult> {
    const json = await this.send({ method: 'GET', path: 'cdc', params: { entities: entities.join(','), changedSince }, entity: entities.join(','), operation: 'cdc' });
    const env = this.parse(CdcEnvelope, json, 'change data capture');
    const result: CdcResult = { changed: {}, deleted: {}, truncated: false, time: env.time };
    let objects = 0;
    for (const group of env.CDCResponse[0].QueryResponse) {
      for (const entity of entities) {
        const rows = (group as Record<string, unknown>)[entity];
        if (!Array.isArray(rows)) continue;
        objects += rows.length;
        const deleted: string[] = [];
        const changed: unknown[] = [];
        for (const r of rows) {
          const stub = DeletedStub.safeParse(r);
          if (stub.success) deleted.push(stub.data.Id);
          else changed.push(r);
        }
        if (deleted.length) result.deleted[entity] = deleted;
        if (changed.length) result.changed[entity] = checkRows(entity, changed);
      }
    }
    result.truncated = objects >= PAGE;
    return result;
  }

  // ---- writes ----------------------------------------------------------------------------------

  async create<E extends EntityName>(entity: E, body: Record<string, unknown>, opts: WriteOptions<Entity<E>> = {}): Promise<Entity<E>> {
    return this.write(entity, 'create', body, {}, opts);
  }

  /** A sparse update (only the fields given change). Body needs Id and SyncToken. */
  async update<E extends EntityName>(entity: E, body: Record<string, unknown>, opts: WriteOptions<Entity<E>> & { full?: boolean } = {}): Promise<Entity<E>> {
    return this.write(entity, 'update', opts.full ? body : { ...body, sparse: true }, {}, opts);
  }

  /**
   * Reads the record, applies a change to its current version, and writes it. When QuickBooks
   * says the record changed meanwhile (5010), it reads again and re-applies the change to the
   * new version: never a blind retry of the old body. `change` returns null when nothing needs
   * to change any more.
   */
  async updateFresh<E extends EntityName>(
    entity: E,
    id: string,
    change: (current: Entity<E>) => Record<string, unknown> | null | Promise<Record<string, unknown> | null>,
    attempts = 3,
  ): Promise<Entity<E>> {
    for (let i = 1; ; i++) {
      const current = await this.read(entity, id);
      const patch = await change(current);
      if (patch === null) return current;
      try {
        return await this.update(entity, { ...patch, Id: id, SyncToken: (current as { SyncToken?: string }).SyncToken });
      } catch (e) {
        if (!(e instanceof QboError) || e.kind !== 'StaleObject' || i >= attempts) throw e;
      }
    }
  }

  /** Deletes a transaction. (Name-list records are made inactive instead: update Active=false.) */
  async delete(entity: EntityName, ref: { Id: string; SyncToken: string }, opts: WriteOptions<unknown> = {}) {
    const json = await this.send({
      method: 'POST', path: entity.toLowerCase(), params: { operation: 'delete', requestid: opts.requestId ?? crypto.randomUUID() },
      body: JSON.stringify({ Id: ref.Id, SyncToken: ref.SyncToken }), contentType: 'application/json', entity, operation: 'delete', write: true,
    });
    return this.parse(DeletedStub, (json as Record<string, unknown>)[entity], `${entity} delete`);
  }

  /**
   * Voids a transaction: QuickBooks keeps it with every amount set to zero. QBO voids an Invoice
   * with operation=void and the other voidable transactions with an update that includes void
   * (reference/qbo-api.md section 3.4); a batch item voids every one of them, Invoice too, with
   * update and optionsData=void (batch() below).
   */
  async void<E extends EntityName>(entity: E, ref: { Id: string; SyncToken: string }, opts: WriteOptions<Entity<E>> = {}): Promise<Entity<E>> {
    if (entity === 'Invoice') return this.write(entity, 'void', { Id: ref.Id, SyncToken: ref.SyncToken }, { operation: 'void' }, opts);
    return this.write(entity, 'void', { Id: ref.Id, SyncToken: ref.SyncToken, sparse: true }, { operation: 'update', include: 'void' }, opts);
  }

  /**
   * Runs items in batches of 30 (QBO's maximum), in parallel within the batch limit, and answers
   * per item in the order given. A fault in one item does not fail the others.
   */
  async batch(items: BatchItem[], opts: { requestIdPrefix?: string; requestId?: (body: string, chunk: number) => string | Promise<string>; noBlindRetry?: boolean } = {}): Promise<BatchResult[]> {
    const withIds = items.map((item, i) => ({ ...item, bId: item.bId ?? String(i + 1) }));
    const chunks: (typeof withIds)[] = [];
    for (let i = 0; i < withIds.length; i += BATCH_SIZE) chunks.push(withIds.slice(i, i + BATCH_SIZE));
    const results = await Promise.all(
      chunks.map(async (chunk, n) => {
        const body = {
          // A void is an update with optionsData=void here, for every entity (see void()).
          BatchItemRequest: chunk.map((item) =>
            'query' in item
              ? { bId: item.bId, Query: item.query }
              : item.operation === 'void'
                ? { bId: item.bId, operation: 'update', optionsData: 'void', [item.entity]: { ...item.body, sparse: true } }
                : { bId: item.bId, operation: item.operation, [item.entity]: item.body },
          ),
        };
        const text = JSON.stringify(body);
        // QuickBooks replays a requestid only for the same body, and holds a batch's to 36 characters.
        const requestid = opts.requestId ? await opts.requestId(text, n) : opts.requestIdPrefix ? `${opts.requestIdPrefix}-${n}` : crypto.randomUUID();
        const json = await this.send({
          method: 'POST', path: 'batch', params: { requestid }, body: text, contentType: 'application/json', entity: 'batch', operation: 'batch',
          write: true, batch: true, requestId: requestid, noBlindRetry: opts.noBlindRetry,
        });
        const env = this.parse(BatchEnvelope, json, 'batch');
        const byBid = new Map(env.BatchItemResponse.map((r) => [r.bId, r]));
        return chunk.map((item): BatchResult => {
          const r = byBid.get(item.bId);
          if (!r) return { bId: item.bId, ok: false, error: new QboError({ kind: 'Unknown', message: 'QuickBooks did not answer this batch item.' }) };
          if (r.Fault) {
            const e = errorFromResponse(400, JSON.stringify({ Fault: r.Fault }));
            return { bId: item.bId, ok: false, error: e };
          }
          if ('query' in item) return { bId: item.bId, ok: true, data: r.QueryResponse };
          const data = (r as Record<string, unknown>)[item.entity];
          return { bId: item.bId, ok: true, entity: item.entity, data: item.operation === 'delete' ? data : this.parseEntity(item.entity, { [item.entity]: data }) };
        });
      }),
    );
    return results.flat();
  }

  // ---- internals -------------------------------------------------------------------------------

  private async write<E extends EntityName>(
    entity: E,
    operation: string,
    body: Record<string, unknown>,
    params: Record<string, string>,
    opts: WriteOptions<Entity<E>>,
  ): Promise<Entity<E>> {
    const requestId = opts.requestId ?? crypto.randomUUID();
    const json = await this.send({
      method: 'POST', path: entity.toLowerCase(), params: { ...params, requestid: requestId }, body: JSON.stringify(body),
      contentType: 'application/json', entity, operation, write: true, requestId,
    }, opts.lookup);
    if (json && typeof json === 'object' && 'recovered' in json) return (json as { recovered: Entity<E> }).recovered;
    return this.parseEntity(entity, json);
  }

  private runQuery(statement: string, entity: string, operation: string, priority: number) {
    return this.send({ method: 'GET', path: 'query', params: { query: statement }, entity, operation, priority }).then((json) =>
      this.parse(QueryEnvelope, json, 'query'),
    );
  }

  private parse<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
    const r = schema.safeParse(json);
    if (r.success) return r.data;
    throw new QboError({ kind: 'Unknown', message: `QuickBooks returned a ${what} response this version does not understand.`, detail: describeIssues(r.error, 3) });
  }

  private parseEntity<E extends EntityName>(entity: E, json: unknown): Entity<E> {
    const rec = json && typeof json === 'object' ? (json as Record<string, unknown>)[entity] : undefined;
    return this.parse(schemas[entity], rec, entity) as Entity<E>;
  }

  /**
   * Sends one request with the limiter, token refresh, throttling and retry rules. Returns the
   * parsed JSON body of a 2xx answer, or `{recovered}` when a write's lookup found its record.
   */
  private async send(spec: RequestSpec, lookup?: () => Promise<unknown>): Promise<any> {
    const url = new URL(`${this.base}/${spec.path}`);
    for (const [k, v] of Object.entries(spec.params ?? {})) url.searchParams.set(k, v);
    url.searchParams.set('minorversion', String(this.opts.minorVersion ?? 75));
    let refreshed = false;
    let transientFailures = 0;
    let throttled = 0;
    const throttleStart = Date.now();
    let ambiguous = false;
    for (let attempt = 1; ; attempt++) {
      if (ambiguous && lookup) {
        // The last attempt may have been applied: look before writing again.
        const found = await lookup();
        if (found !== undefined) return { recovered: found };
      }
      const release = await this.limiter.acquire(spec.batch, spec.priority);
      const token = await this.opts.tokens.accessToken();
      const started = Date.now();
      let status: number | undefined;
      let text = '';
      let tid: string | undefined;
      let error: QboError | undefined;
      try {
        const res = await this.fetchFn(url, {
          method: spec.method,
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(spec.contentType ? { 'Content-Type': spec.contentType } : {}) },
          body: spec.body,
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
        });
        status = res.status;
        tid = res.headers.get('intuit_tid') ?? res.headers.get('intuit-tid') ?? undefined;
        // QuickBooks has finished with the request once it answers: the next one may go while
        // this body is still arriving.
        release();
        text = await res.text();
      } catch (e) {
        const timedOut = (e as Error).name === 'TimeoutError';
        error = new QboError({ kind: 'Transient', message: timedOut ? 'QuickBooks did not answer in time.' : 'QuickBooks could not be reached.', detail: (e as Error).message });
      } finally {
        release();
      }
      let json: unknown;
      if (!error && status !== undefined && status >= 200 && status < 300) {
        try {
          json = spec.raw ? undefined : JSON.parse(text);
        } catch {
          error = new QboError({ kind: 'Unknown', status, message: 'QuickBooks answered with something that is not JSON.', detail: text.slice(0, 200), intuitTid: tid });
        }
      } else if (!error && status !== undefined) error = errorFromResponse(status, text, tid);

      this.opts.log?.({
        realmId: this.realmId,
        method: spec.method,
        url: redactUrl(url.toString()),
        entity: spec.entity,
        operation: spec.operation,
        status,
        durationMs: Date.now() - started,
        intuitTid: tid,
        requestId: spec.requestId,
        attempt,
        ...(json ? describeObject((json as Record<string, unknown>)[spec.entity ?? '']) : {}),
        request: redactText(spec.body),
        response: redactText(text, spec.write ? MAX_LOGGED_CHARS : MAX_LOGGED_READ_CHARS),
        error: error ? { kind: error.kind, code: error.code, message: error.message, detail: error.detail } : undefined,
      });

      if (!error) return spec.raw ? text : json;
      if (status === 401 && !refreshed) {
        refreshed = true;
        await this.opts.tokens.refresh(token);
        continue;
      }
      if (error.kind === 'Throttled') {
        if (Date.now() - throttleStart > this.retry.throttleGiveUpMs) throw error;
        this.limiter.pause(jitter(Math.min(this.retry.throttleMaxMs, this.retry.throttleBaseMs * 2 ** throttled++)));
        continue;
      }
      if (error.kind === 'Transient' && spec.write && spec.noBlindRetry && !lookup) throw error;
      if (error.kind === 'Transient' && transientFailures < this.retry.transientRetries) {
        transientFailures++;
        // A write that failed this way may or may not have been applied.
        ambiguous = !!spec.write;
        await sleep(jitter(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (transientFailures - 1))));
        continue;
      }
      throw error;
    }
  }
}
