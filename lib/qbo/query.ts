// Builds QBO query statements with every value escaped, so a name like "Amy's" or a hostile
// string from a host page can never change the query.
import type { EntityName } from './schemas';

export type Operator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';
export type Value = string | number | boolean;

export interface Condition {
  field: string;
  op: Operator;
  value: Value | Value[];
}

const FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;

/** A value as QBO's query language writes it: strings quoted with \\ and \' escaped. */
export function literal(v: Value): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Not a number QuickBooks can compare: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export class QueryBuilder {
  private readonly conditions: Condition[] = [];
  private order: { field: string; desc: boolean }[] = [];

  constructor(readonly entity: EntityName) {}

  where(field: string, op: Operator, value: Value | Value[]): this {
    if (!FIELD.test(field)) throw new Error(`Not a QuickBooks field name: ${field}`);
    if (op === 'IN' ? !Array.isArray(value) || value.length === 0 : Array.isArray(value))
      throw new Error(op === 'IN' ? 'IN needs a non-empty list of values.' : `${op} takes a single value.`);
    this.conditions.push({ field, op, value });
    return this;
  }

  /** Name lists hide inactive records unless the query mentions Active. */
  includeInactive(): this {
    if (!this.conditions.some((c) => c.field === 'Active')) this.where('Active', 'IN', [true, false]);
    return this;
  }

  orderBy(field: string, desc = false): this {
    if (!FIELD.test(field)) throw new Error(`Not a QuickBooks field name: ${field}`);
    this.order.push({ field, desc });
    return this;
  }

  get hasOrder() {
    return this.order.length > 0;
  }

  private whereClause(): string {
    if (this.conditions.length === 0) return '';
    const parts = this.conditions.map((c) =>
      c.op === 'IN' ? `${c.field} IN (${(c.value as Value[]).map(literal).join(', ')})` : `${c.field} ${c.op} ${literal(c.value as Value)}`,
    );
    return ` WHERE ${parts.join(' AND ')}`;
  }

  count(): string {
    return `SELECT COUNT(*) FROM ${this.entity}${this.whereClause()}`;
  }

  page(startPosition: number, maxResults: number): string {
    const order = this.order.length ? ` ORDERBY ${this.order.map((o) => `${o.field}${o.desc ? ' DESC' : ''}`).join(', ')}` : '';
    return `SELECT * FROM ${this.entity}${this.whereClause()}${order} STARTPOSITION ${startPosition} MAXRESULTS ${maxResults}`;
  }
}

export const query = (entity: EntityName) => new QueryBuilder(entity);
