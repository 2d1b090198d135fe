// QBO's query language: SELECT * | COUNT(*) FROM <Entity> [WHERE a op v [AND ...]]
// [ORDERBY f [ASC|DESC], ...] [STARTPOSITION n] [MAXRESULTS n]. No OR, no projections, no joins.
// Parse errors are fault 4000, well-formed but invalid queries fault 4001, as QBO answers them.
import { recordJson, type Company, type Rec, type Row } from './company';
import { type EntityDef, entityByName } from './entities';
import { fault } from './faults';

type Op = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
type Value = string | number | boolean;

interface Condition {
  field: string;
  op: Op;
  values: Value[];
  /** For LIKE: the pattern, compiled once when the query is parsed. */
  like?: RegExp;
}

export interface Query {
  count: boolean;
  entity: EntityDef;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  startPosition: number;
  maxResults: number;
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'punct';
  text: string;
  col: number;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= src.length) throw fault.queryParse(`Lexical error at line 1, column ${col}. Unterminated string.`);
        if (src[i] === '\\' && i + 1 < src.length) {
          text += src[i + 1];
          i += 2;
        } else if (src[i] === "'") {
          i++;
          break;
        } else text += src[i++];
      }
      tokens.push({ kind: 'string', text, col });
    } else if (/[0-9-]/.test(c) && /[0-9.]/.test(src[i + 1] ?? '') || /[0-9]/.test(c)) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], col });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], col });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
        tokens.push({ kind: 'punct', text: two, col });
        i += 2;
      } else if ('*(),=<>'.includes(c)) {
        tokens.push({ kind: 'punct', text: c, col });
        i++;
      } else throw fault.queryParse(`Lexical error at line 1, column ${col}.  Encountered: "${c}"`);
    }
  }
  return tokens;
}

function parseQuery(src: string): Query {
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
        }
        expectPunct(')');
      } else values.push(readValue());
      where.push({ field: f.text, op, values, like: op === 'LIKE' ? likeToRegExp(String(values[0])) : undefined });
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
      if (n?.kind !== 'number' || !Number.isInteger(Number(n.text))) throw encountered(n);
      const v = Number(n.text);
      if (isWord(t, 'STARTPOSITION')) {
        if (v < 1) throw fault.queryValidation(`value ${v} is too small. Min allowed value is 1`);
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
  }
  for (const o of orderBy) if (!known(o.field)) throw fault.queryValidation(`property '${o.field}' is not sortable`);
  return { count, entity, where, orderBy, startPosition, maxResults };
}

/** Reads a (possibly dotted) field; references compare by their value, as in QBO. */
function fieldValue(rec: Rec, field: string): unknown {
  let cur: unknown = rec;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const obj = cur as Rec;
    const k = part in obj ? part : Object.keys(obj).find((x) => x.toLowerCase() === part.toLowerCase());
    cur = k === undefined ? undefined : obj[k];
  }
  if (cur && typeof cur === 'object' && 'value' in (cur as Rec)) return (cur as Rec).value;
  if (cur && typeof cur === 'object' && 'Address' in (cur as Rec)) return (cur as Rec).Address;
  return cur;
}

const isTime = (field: string) => /^MetaData\./i.test(field);

function compare(a: unknown, b: Value, field: string): number {
  if (isTime(field)) return Date.parse(String(a)) - Date.parse(String(b));
  if (field.toLowerCase() === 'id') return Number(a) - Number(b);
  if (typeof b === 'number' || (typeof a === 'number' && !Number.isNaN(Number(b)))) return Number(a) - Number(b);
  if (typeof b === 'boolean') return a === b ? 0 : 1;
  const x = String(a ?? '').toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
  return new RegExp(`^${escaped}$`, 'is');
}

function matches(rec: Rec, c: Condition): boolean {
  const v = fieldValue(rec, c.field);
  switch (c.op) {
    case '=':
      if (c.values[0] === ' ') return v === undefined || v === null || v === '';
      if (v === undefined) return false;
      return compare(v, c.values[0], c.field) === 0;
    case 'IN':
      return v !== undefined && c.values.some((x) => compare(v, x, c.field) === 0);
    case 'LIKE':
      return v !== undefined && c.like!.test(String(v));
    default: {
      if (v === undefined || v === null) return false;
      const d = compare(v, c.values[0], c.field);
      return c.op === '<' ? d < 0 : c.op === '>' ? d > 0 : c.op === '<=' ? d <= 0 : d >= 0;
    }
  }
}

/** The order QBO returns rows in without ORDERBY: name lists by name, the rest by Id. */
function defaultOrder(entity: EntityDef) {
  return entity.nameField ? [{ field: entity.nameField, desc: false }] : [{ field: 'Id', desc: false }];
}

// Sorting a 50,000-row table on every page is wasteful: the sorted order is cached per table
// version and order spec, so paging through a large entity costs one sort.
const sortCache = new WeakMap<Company, Map<string, { version: number; rows: Row[] }>>();

function sortedRows(company: Company, entity: EntityDef, order: Query['orderBy']): Row[] {
  const spec = `${entity.name}|${order.map((o) => `${o.field}:${o.desc}`).join(',')}`;
  let perCompany = sortCache.get(company);
  if (!perCompany) sortCache.set(company, (perCompany = new Map()));
  const version = company.tableVersion.get(entity.name) ?? 0;
  const hit = perCompany.get(spec);
  if (hit && hit.version === version) return hit.rows;
  const keyed = [...company.table(entity.name).values()].map((row) => ({
    row,
    keys: order.map((o) => {
      const v = fieldValue(row.data, o.field);
      if (isTime(o.field)) return Date.parse(String(v));
      if (o.field.toLowerCase() === 'id' || typeof v === 'number') return Number(v);
      return String(v ?? '').toLowerCase();
    }),
    id: Number(row.data.Id),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x !== y) return (x < y ? -1 : 1) * (order[i].desc ? -1 : 1);
    }
    return a.id - b.id;
  });
  const rows = keyed.map((k) => k.row);
  perCompany.set(spec, { version, rows });
  return rows;
}

/** Sorts every table in the orders clients page by (Id, and name for name lists) ahead of time. */
export function warmSortOrders(company: Company) {
  for (const name of company.tables.keys()) {
    const entity = entityByName(name)!;
    sortedRows(company, entity, [{ field: 'Id', desc: false }]);
    sortedRows(company, entity, defaultOrder(entity));
  }
}

/** Runs a query and returns QBO's QueryResponse, as an object and as JSON text. */
export function runQuery(company: Company, src: string): { response: Rec; json: string } {
  const q = parseQuery(src);
  const where = [...q.where];
  // Inactive names and list entries are hidden unless the query asks about Active.
  if ((q.entity.kind === 'name' || q.entity.kind === 'list') && !where.some((c) => c.field.toLowerCase() === 'active'))
    where.push({ field: 'Active', op: '=', values: [true] });
  const rows = sortedRows(company, q.entity, q.orderBy.length ? q.orderBy : defaultOrder(q.entity));
  if (q.count) {
    let n = 0;
    for (const row of rows) if (where.every((c) => matches(row.data, c))) n++;
    const response = { totalCount: n };
    return { response, json: JSON.stringify(response) };
  }
  const out: Rec[] = [];
  let seen = 0;
  for (const row of rows) {
    if (!where.every((c) => matches(row.data, c))) continue;
    seen++;
    if (seen < q.startPosition) continue;
    out.push(row.data);
    if (out.length >= q.maxResults) break;
  }
  if (out.length === 0) return { response: {}, json: '{}' };
  return {
    response: { [q.entity.name]: out, startPosition: q.startPosition, maxResults: out.length },
    json: `{"${q.entity.name}":[${out.map(recordJson).join(',')}],"startPosition":${q.startPosition},"maxResults":${out.length}}`,
  };
}
