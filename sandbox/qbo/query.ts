// QBO's query language: SELECT * | COUNT(*) FROM <Entity> [WHERE a op v [AND ...]]
// [ORDERBY f [ASC|DESC], ...] [STARTPOSITION n] [MAXRESULTS n]. No OR, no projections, no joins.
// Parse errors are fault 4000, well-formed but invalid queries fault 4001, as QBO answers them.
// Everything here runs in time linear in its input (LIKE included: no regular expression, no
// backtracking), and a long scan yields to other requests every few milliseconds (Slicer).
import { recordJson, type Company, type Rec, type Row } from './company';
import { type EntityDef, entityByName } from './entities';
import { fault } from './faults';
import { fieldSpec, type Spec } from './schema';
import { isDate, isDateTime } from './validate';

type Op = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
type Value = string | number | boolean;

/** How a field's values compare: as numbers, dates and times, booleans or (case-insensitive) text. */
type Kind = 'number' | 'time' | 'bool' | 'text';

interface Condition {
  field: string;
  /** The field's path, split once. */
  path: string[];
  op: Op;
  values: Value[];
  kind: Kind;
  /** The first value as the key it compares by. */
  key?: string | number | boolean;
  /** For LIKE: the pattern split at its % signs, lower-cased. */
  like?: LikePattern;
  /** For IN: the values as comparison keys. */
  set?: Set<string | number | boolean>;
}

export interface Query {
  count: boolean;
  entity: EntityDef;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  startPosition: number;
  maxResults: number;
}

/** Limits the sandbox sets where QBO documents none (docs/sandbox.md). */
export const QUERY_LIMITS = { maxLength: 100_000, maxConditions: 50, maxInValues: 1000 };

interface Token {
  kind: 'word' | 'string' | 'number' | 'punct';
  text: string;
  col: number;
}

const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_.]*/y;
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (c === "'") {
      const parts: string[] = [];
      let from = ++i;
      for (;;) {
        if (i >= src.length) throw fault.queryParse(`Lexical error at line 1, column ${col}. Unterminated string.`);
        if (src[i] === '\\' && i + 1 < src.length) {
          parts.push(src.slice(from, i), src[i + 1]);
          i += 2;
          from = i;
        } else if (src[i] === "'") {
          parts.push(src.slice(from, i));
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'string', text: parts.join(''), col });
      continue;
    }
    NUMBER.lastIndex = i;
    WORD.lastIndex = i;
    const number = (c === '-' || (c >= '0' && c <= '9')) && NUMBER.exec(src);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], col });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(src);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], col });
      i += word[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
      tokens.push({ kind: 'punct', text: two, col });
      i += 2;
    } else if ('*(),=<>'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, col });
      i++;
    } else throw fault.queryParse(`Lexical error at line 1, column ${col}.  Encountered: "${c}"`);
  }
  return tokens;
}

function kindOf(spec: Spec | undefined, field: string): Kind {
  if (/^MetaData\./i.test(field) || spec?.kind === 'datetime') return 'time';
  if (field.toLowerCase() === 'id' || spec?.kind === 'number' || spec?.kind === 'id') return 'number';
  if (spec?.kind === 'bool') return 'bool';
  return 'text';
}

/** Checks a value a query compares a field with can mean something for that field (else 4001). */
function checkLiteral(entity: EntityDef, field: string, spec: Spec | undefined, kind: Kind, v: Value) {
  const bad = (what: string) => fault.queryValidation(`value ${JSON.stringify(v)} is not ${what} for property '${field}'`);
  if (v === ' ') return; // QBO's way of asking for an empty value
  if (spec?.kind === 'date' && !(typeof v === 'string' && isDate(v))) throw bad('a date (yyyy-MM-dd)');
  if (kind === 'time' && !(typeof v === 'string' && isDateTime(v))) throw bad('a date or date-time');
  if (kind === 'number' && !(typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(String(v)))) throw bad('a number');
  if (kind === 'bool' && !(typeof v === 'boolean' || v === 'true' || v === 'false')) throw bad('true or false');
  if (spec?.kind === 'ref' && typeof v === 'boolean') throw bad('an id');
  void entity;
}

function parseQuery(src: string): Query {
  if (src.length > QUERY_LIMITS.maxLength)
    throw fault.queryValidation(`the query is ${src.length} characters long; at most ${QUERY_LIMITS.maxLength} are accepted`);
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const encountered = (t: Token | undefined) =>
    fault.queryParse(t ? `Encountered " "${t.text}" "${t.text} "" at line 1, column ${t.col}.` : 'Encountered "<EOF>" at end of query.');
  const isWord = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toUpperCase() === w;
  const expectWord = (w: string) => {
    const t = tokens[pos];
    if (!isWord(t, w)) throw encountered(t);
    pos++;
  };
  const expectPunct = (p: string) => {
    const t = tokens[pos];
    if (t?.kind !== 'punct' || t.text !== p) throw encountered(t);
    pos++;
  };

  expectWord('SELECT');
  let count = false;
  if (peek()?.kind === 'punct' && peek().text === '*') pos++;
  else if (isWord(peek(), 'COUNT')) {
    pos++;
    expectPunct('(');
    expectPunct('*');
    expectPunct(')');
    count = true;
  } else if (peek()?.kind === 'word') {
    // QBO ignores projections and returns whole objects; it accepts the field list.
    while (peek()?.kind === 'word' && !isWord(peek(), 'FROM')) {
      pos++;
      if (peek()?.kind === 'punct' && peek().text === ',') pos++;
    }
  } else throw encountered(peek());
  expectWord('FROM');
  const entTok = tokens[pos++];
  if (entTok?.kind !== 'word') throw encountered(entTok);
  const entity = entityByName(entTok.text);
  if (!entity) throw fault.queryValidation(`invalid context declaration: ${entTok.text}`);

  const where: Condition[] = [];
  if (isWord(peek(), 'WHERE')) {
    pos++;
    for (;;) {
      const f = tokens[pos++];
      if (f?.kind !== 'word') throw encountered(f);
      const opTok = tokens[pos++];
      let op: Op;
      if (opTok?.kind === 'punct' && ['=', '<', '>', '<=', '>='].includes(opTok.text)) op = opTok.text as Op;
      else if (isWord(opTok, 'IN')) op = 'IN';
      else if (isWord(opTok, 'LIKE')) op = 'LIKE';
      else throw encountered(opTok);
      const values: Value[] = [];
      const readValue = (): Value => {
        const t = tokens[pos++];
        if (t?.kind === 'string') return t.text;
        if (t?.kind === 'number') return Number(t.text);
        if (isWord(t, 'TRUE')) return true;
        if (isWord(t, 'FALSE')) return false;
        throw encountered(t);
      };
      if (op === 'IN') {
        expectPunct('(');
        values.push(readValue());
        while (peek()?.kind === 'punct' && peek().text === ',') {
          pos++;
          values.push(readValue());
          if (values.length > QUERY_LIMITS.maxInValues)
            throw fault.queryValidation(`IN lists at most ${QUERY_LIMITS.maxInValues} values`);
        }
        expectPunct(')');
      } else values.push(readValue());
      where.push({ field: f.text, path: f.text.split('.'), op, values, kind: 'text' });
      if (where.length > QUERY_LIMITS.maxConditions)
        throw fault.queryValidation(`a query has at most ${QUERY_LIMITS.maxConditions} conditions`);
      if (isWord(peek(), 'AND')) {
        pos++;
        continue;
      }
      break;
    }
  }

  const orderBy: Query['orderBy'] = [];
  let startPosition = 1;
  let maxResults = 100;
  while (pos < tokens.length) {
    const t = peek();
    if (isWord(t, 'ORDERBY') || isWord(t, 'ORDER')) {
      pos++;
      if (isWord(t, 'ORDER')) expectWord('BY');
      for (;;) {
        const f = tokens[pos++];
        if (f?.kind !== 'word') throw encountered(f);
        let desc = false;
        if (isWord(peek(), 'DESC')) {
          desc = true;
          pos++;
        } else if (isWord(peek(), 'ASC')) pos++;
        orderBy.push({ field: f.text, desc });
        if (peek()?.kind === 'punct' && peek().text === ',') {
          pos++;
          continue;
        }
        break;
      }
    } else if (isWord(t, 'STARTPOSITION') || isWord(t, 'MAXRESULTS')) {
      pos++;
      const n = tokens[pos++];
      if (n?.kind !== 'number' || !/^\d+$/.test(n.text)) throw encountered(n);
      const v = Number(n.text);
      if (isWord(t, 'STARTPOSITION')) {
        if (v < 1) throw fault.queryValidation(`value ${v} is too small. Min allowed value is 1`);
        if (!Number.isSafeInteger(v)) throw fault.queryValidation(`value ${n.text} is too large`);
        startPosition = v;
      } else {
        if (v > 1000) throw fault.queryValidation(`value ${v} is too large. Max allowed value is 1000`);
        if (v < 1) throw fault.queryValidation(`value ${v} is too small. Min allowed value is 1`);
        maxResults = v;
      }
    } else throw encountered(t);
  }

  const known = (field: string) => {
    const top = field.split('.')[0];
    if (field === 'MetaData.CreateTime' || field === 'MetaData.LastUpdatedTime') return true;
    if (top === 'MetaData') return false;
    return entity.fields.some((f) => f.toLowerCase() === top.toLowerCase());
  };
  for (const c of where) {
    if (!known(c.field)) throw fault.queryValidation(`property '${c.field}' is not queryable`);
    if (c.field.toLowerCase() === 'id' && c.op !== '=' && c.op !== 'IN')
      throw fault.queryValidation(`Id supports only the = and IN operators`);
    const spec = fieldSpec(entity.name, c.field);
    c.kind = kindOf(spec, c.field);
    if (c.op === 'LIKE') {
      if (c.kind !== 'text' || typeof c.values[0] !== 'string')
        throw fault.queryValidation(`LIKE compares text; property '${c.field}' is not text`);
      c.like = likePattern(c.values[0]);
    } else for (const v of c.values) checkLiteral(entity, c.field, spec, c.kind, v);
    if (c.op === 'IN') c.set = new Set(c.values.map((v) => keyOf(v, c.kind)));
    c.key = keyOf(c.values[0], c.kind);
  }
  for (const o of orderBy) if (!known(o.field)) throw fault.queryValidation(`property '${o.field}' is not sortable`);
  return { count, entity, where, orderBy, startPosition, maxResults };
}

/** Reads a field by its path; references compare by their value, as in QBO. */
function fieldValue(rec: Rec, path: readonly string[]): unknown {
  let cur: unknown = rec;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const obj = cur as Rec;
    const k = part in obj ? part : Object.keys(obj).find((x) => x.toLowerCase() === part.toLowerCase());
    cur = k === undefined ? undefined : obj[k];
  }
  if (cur && typeof cur === 'object' && 'value' in (cur as Rec)) return (cur as Rec).value;
  if (cur && typeof cur === 'object' && 'Address' in (cur as Rec)) return (cur as Rec).Address;
  return cur;
}

/** A value as the key it compares by, for the field's kind. */
function keyOf(v: unknown, kind: Kind): string | number | boolean {
  switch (kind) {
    case 'number':
      return Number(v);
    case 'time':
      return Date.parse(String(v));
    case 'bool':
      return v === true || v === 'true';
    default:
      return String(v ?? '').toLowerCase();
  }
}

/** Compares a field's value with a condition's value, already turned into its key. */
function compare(a: unknown, y: string | number | boolean, kind: Kind): number {
  const x = keyOf(a, kind);
  if (kind === 'bool') return x === y ? 0 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- LIKE ---------------------------------------------------------------------------------------

/** A LIKE pattern: % is QBO's only wildcard, so it is a prefix, a suffix and pieces between them in order. */
interface LikePattern {
  /** The whole pattern, when it has no %: LIKE then compares like =. */
  exact?: string;
  prefix: string;
  suffix: string;
  middle: { text: string; failure: Int32Array }[];
}

function likePattern(pattern: string): LikePattern {
  const raw = pattern.toLowerCase().split('%');
  if (raw.length === 1) return { exact: raw[0], prefix: '', suffix: '', middle: [] };
  const middle = raw.slice(1, -1).filter((s) => s !== '').map((text) => ({ text, failure: failureTable(text) }));
  return { prefix: raw[0], suffix: raw[raw.length - 1], middle };
}

/** Knuth-Morris-Pratt failure table: searching never steps back in the text. */
function failureTable(s: string): Int32Array {
  const f = new Int32Array(s.length);
  for (let i = 1, k = 0; i < s.length; i++) {
    while (k > 0 && s[i] !== s[k]) k = f[k - 1];
    if (s[i] === s[k]) k++;
    f[i] = k;
  }
  return f;
}

/** Where `piece` first occurs wholly within text[from, end), or -1; linear in the text searched. */
function find(text: string, from: number, end: number, piece: { text: string; failure: Int32Array }): number {
  const p = piece.text;
  for (let i = from, k = 0; i < end; i++) {
    while (k > 0 && text[i] !== p[k]) k = piece.failure[k - 1];
    if (text[i] === p[k]) k++;
    if (k === p.length) return i - p.length + 1;
  }
  return -1;
}

/**
 * Whether `value` matches, case-insensitively: the prefix and suffix in place, then each middle
 * piece found left to right after the previous one. Taking the leftmost occurrence is always
 * safe with % as the only wildcard, so no choice is ever revisited and the text is read once
 * per piece: linear time, however many % signs the pattern has.
 */
export function likeMatches(value: string, pattern: string | LikePattern): boolean {
  const like = typeof pattern === 'string' ? likePattern(pattern) : pattern;
  const text = value.toLowerCase();
  if (like.exact !== undefined) return text === like.exact;
  if (text.length < like.prefix.length + like.suffix.length) return false;
  if (!text.startsWith(like.prefix) || !text.endsWith(like.suffix)) return false;
  const end = text.length - like.suffix.length;
  let at = like.prefix.length;
  for (const piece of like.middle) {
    const found = find(text, at, end, piece);
    if (found < 0) return false;
    at = found + piece.text.length;
  }
  return true;
}

function matches(rec: Rec, c: Condition): boolean {
  const v = fieldValue(rec, c.path);
  switch (c.op) {
    case '=':
      if (c.values[0] === ' ') return v === undefined || v === null || v === '';
      if (v === undefined || v === null || typeof v === 'object') return false;
      return compare(v, c.key!, c.kind) === 0;
    case 'IN':
      return v !== undefined && v !== null && typeof v !== 'object' && c.set!.has(keyOf(v, c.kind));
    case 'LIKE':
      return typeof v === 'string' && likeMatches(v, c.like!);
    default: {
      if (v === undefined || v === null || typeof v === 'object') return false;
      const d = compare(v, c.key!, c.kind);
      return c.op === '<' ? d < 0 : c.op === '>' ? d > 0 : c.op === '<=' ? d <= 0 : d >= 0;
    }
  }
}

// ---- running without holding the event loop ------------------------------------------------------

/**
 * Hands the event loop back every few milliseconds of work, so one long query never stalls the
 * requests around it (the sandbox, the broker and the demo apps share one process). `run` answers
 * to the bound in docs/sandbox.md: a health check is answered within 100 ms during any query.
 */
export class Slicer {
  private last = performance.now();
  private n = 0;
  constructor(private readonly sliceMs = 5) {}
  /**
   * Call once per unit of work (a row): now and then it returns a promise to await, which
   * settles after pending I/O has been served. Usually it returns nothing, so a scan costs no
   * promise per row.
   */
  tick(): Promise<void> | undefined {
    if (++this.n % 128 !== 0) return undefined;
    return this.breathe();
  }
  /** Yields if this slice is used up (between larger steps). */
  breathe(): Promise<void> | undefined {
    if (performance.now() - this.last < this.sliceMs) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.last = performance.now();
    });
  }
}

/**
 * Sorts as Array.prototype.sort does (stably), in a way that can yield: runs of 1,024 sorted
 * natively, then merged pairwise, with a pause whenever a slice of time is used up.
 */
export async function sortSliced<T>(items: T[], cmp: (a: T, b: T) => number, slicer?: Slicer): Promise<T[]> {
  const RUN = 1024;
  if (!slicer || items.length <= RUN) return items.sort(cmp);
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += RUN) {
    runs.push(items.slice(i, i + RUN).sort(cmp));
    const pause = slicer.breathe();
    if (pause) await pause;
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      if (i + 1 === runs.length) {
        next.push(runs[i]);
        continue;
      }
      const [a, b] = [runs[i], runs[i + 1]];
      const out: T[] = new Array(a.length + b.length);
      let x = 0;
      let y = 0;
      let k = 0;
      while (x < a.length && y < b.length) {
        out[k++] = cmp(a[x], b[y]) <= 0 ? a[x++] : b[y++];
        if ((k & 1023) === 0) {
          const pause = slicer.breathe();
          if (pause) await pause;
        }
      }
      while (x < a.length) out[k++] = a[x++];
      while (y < b.length) out[k++] = b[y++];
      next.push(out);
    }
    runs = next;
  }
  return runs[0];
}

/** The order QBO returns rows in without ORDERBY: name lists by name, the rest by Id. */
function defaultOrder(entity: EntityDef) {
  return entity.nameField ? [{ field: entity.nameField, desc: false }] : [{ field: 'Id', desc: false }];
}

// Sorting a 50,000-row table on every page is wasteful: the sorted order is cached per table
// version and order spec, so paging through a large entity costs one sort.
const sortCache = new WeakMap<Company, Map<string, { version: number; rows: Row[] }>>();

async function sortedRows(company: Company, entity: EntityDef, order: Query['orderBy'], slicer?: Slicer): Promise<Row[]> {
  const spec = `${entity.name}|${order.map((o) => `${o.field}:${o.desc}`).join(',')}`;
  let perCompany = sortCache.get(company);
  if (!perCompany) sortCache.set(company, (perCompany = new Map()));
  const version = company.tableVersion.get(entity.name) ?? 0;
  const hit = perCompany.get(spec);
  if (hit && hit.version === version) return hit.rows;
  const kinds = order.map((o) => kindOf(fieldSpec(entity.name, o.field), o.field));
  const paths = order.map((o) => o.field.split('.'));
  // Keys in one flat array (row i's k-th key at i * width + k) and the rows' indexes to sort:
  // no object per row, so a large sort leaves little for the garbage collector.
  const all = [...company.table(entity.name).values()];
  const width = order.length + 1;
  const keys: (string | number | boolean)[] = new Array(all.length * width);
  for (let i = 0; i < all.length; i++) {
    const pause = slicer?.tick();
    if (pause) await pause;
    for (let k = 0; k < order.length; k++) {
      const v = fieldValue(all[i].data, paths[k]);
      const key = keyOf(typeof v === 'object' && v !== null ? '' : v, kinds[k]);
      keys[i * width + k] = typeof key === 'number' && Number.isNaN(key) ? -Infinity : key;
    }
    keys[i * width + order.length] = Number(all[i].data.Id);
  }
  const indexes = Array.from({ length: all.length }, (_, i) => i);
  const sorted = await sortSliced(indexes, (a, b) => {
    for (let k = 0; k < width; k++) {
      const x = keys[a * width + k];
      const y = keys[b * width + k];
      if (x !== y) return (x < y ? -1 : 1) * (k < order.length && order[k].desc ? -1 : 1);
    }
    return 0;
  }, slicer);
  const rows = sorted.map((i) => all[i]);
  perCompany.set(spec, { version, rows });
  return rows;
}

/** Sorts every table in the orders clients page by (Id, and name for name lists) ahead of time. */
export async function warmSortOrders(company: Company) {
  for (const name of company.tables.keys()) {
    const entity = entityByName(name)!;
    await sortedRows(company, entity, [{ field: 'Id', desc: false }]);
    await sortedRows(company, entity, defaultOrder(entity));
  }
}

/**
 * Runs a query and returns QBO's QueryResponse, as an object and as JSON text, with the number
 * of records in it. `cap` lowers MAXRESULTS (a batch returns at most 1,000 objects in all).
 */
export async function runQuery(company: Company, src: string, slicer = new Slicer(), cap = Infinity): Promise<{ response: Rec; json: string; objects: number }> {
  const q = parseQuery(src);
  q.maxResults = Math.min(q.maxResults, cap);
  const where = [...q.where];
  // Inactive names and list entries are hidden unless the query asks about Active.
  if ((q.entity.kind === 'name' || q.entity.kind === 'list') && !where.some((c) => c.field.toLowerCase() === 'active'))
    where.push({ field: 'Active', path: ['Active'], op: '=', values: [true], kind: 'bool', key: true });
  const rows = await sortedRows(company, q.entity, q.orderBy.length ? q.orderBy : defaultOrder(q.entity), slicer);
  if (q.count) {
    let n = 0;
    for (const row of rows) {
      const pause = slicer.tick();
      if (pause) await pause;
      if (where.every((c) => matches(row.data, c))) n++;
    }
    const response = { totalCount: n };
    return { response, json: JSON.stringify(response), objects: 0 };
  }
  const out: Rec[] = [];
  let seen = 0;
  for (const row of rows) {
    const pause = slicer.tick();
    if (pause) await pause;
    if (!where.every((c) => matches(row.data, c))) continue;
    seen++;
    if (seen < q.startPosition) continue;
    out.push(row.data);
    if (out.length >= q.maxResults) break;
  }
  if (out.length === 0) return { response: {}, json: '{}', objects: 0 };
  const parts: string[] = [];
  for (const rec of out) {
    const pause = slicer.tick();
    if (pause) await pause;
    parts.push(recordJson(rec));
  }
  return {
    response: { [q.entity.name]: out, startPosition: q.startPosition, maxResults: out.length },
    json: `{"${q.entity.name}":[${parts.join(',')}],"startPosition":${q.startPosition},"maxResults":${out.length}}`,
    objects: out.length,
  };
}
