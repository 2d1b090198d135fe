// Checks a request body against the entity's schema (schema.ts) before anything is stored: every
// property known, every value of its type, within its length, range and characters, as QBO's own
// deserializer refuses them. Business rules (required fields, references, totals) come after, in
// company.ts; a body that passes here can still be refused there.
import { fault } from './faults';
import { type Chars, SCHEMAS, type Spec } from './schema';

type Json = unknown;

const describe = (v: Json) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `${typeof v} ${String(v)}`;

const wrongType = (path: string, expected: string, v: Json) => fault.invalidValue(path, `must be ${expected}, not ${describe(v)}`);

/** Checks a create, update, delete or void body of `entity`; throws the fault QBO would answer. */
export function validateBody(entity: string, body: Record<string, Json>) {
  const fields = SCHEMAS[entity];
  for (const [k, v] of Object.entries(body)) {
    const spec = fields[k];
    if (!spec) throw fault.unknownProperty(entity, k);
    if (v === null || v === undefined) continue;
    if (k === 'Id') {
      if (typeof v !== 'string' || !/^\d{1,19}$/.test(v)) throw fault.invalidId(typeof v === 'string' ? v : JSON.stringify(v));
      continue;
    }
    check(spec, v, k, entity);
  }
}

function check(spec: Spec, v: Json, path: string, entity: string) {
  switch (spec.kind) {
    case 'string': {
      if (typeof v !== 'string') throw wrongType(path, 'a string', v);
      if (v.length > spec.max) throw fault.stringLength(path, spec.max, v.length);
      checkChars(v, spec.chars, path);
      if (spec.pattern && !spec.pattern.test(v)) throw fault.invalidValue(path, `must be ${spec.what ?? `text matching ${spec.pattern}`}, not ${describe(v)}`);
      if (spec.email && v !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v))
        throw fault.businessValidation(`Email Address does not conform to the syntax rules of RFC 822: ${path}`);
      return;
    }
    case 'bool':
      if (typeof v !== 'boolean') throw wrongType(path, 'true or false', v);
      return;
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(path, 'a number', v);
      if (v < spec.min || v > spec.max) throw fault.invalidValue(path, `must be between ${spec.min} and ${spec.max}, not ${v}`);
      if (spec.integer ? !Number.isInteger(v) : decimalPlaces(v) > spec.scale)
        throw fault.invalidValue(path, spec.integer || spec.scale === 0 ? `must be a whole number, not ${v}` : `has more than ${spec.scale} decimal places: ${v}`);
      return;
    }
    case 'date':
      if (typeof v !== 'string') throw wrongType(path, 'a date (yyyy-MM-dd)', v);
      if (!isDate(v)) throw fault.invalidValue(path, `must be a date that exists, written yyyy-MM-dd, not ${describe(v)}`);
      return;
    case 'datetime':
      if (typeof v !== 'string') throw wrongType(path, 'a date-time', v);
      if (!isDateTime(v)) throw fault.invalidValue(path, `must be a date-time such as 2026-01-31T09:30:00-08:00, not ${describe(v)}`);
      return;
    case 'enum':
      if (typeof v !== 'string') throw wrongType(path, `one of ${spec.values.join(', ')}`, v);
      if (!spec.values.includes(v)) throw fault.invalidEnumeration(path, v);
      return;
    case 'id':
      if (typeof v !== 'string' || !/^\d{1,19}$/.test(v)) throw fault.invalidId(typeof v === 'string' ? v : JSON.stringify(v), path);
      return;
    case 'ref': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw wrongType(path, 'a reference such as {"value":"42"}', v);
      for (const [k, x] of Object.entries(v)) {
        if (k !== 'value' && k !== 'name' && k !== 'type') throw fault.unknownProperty('ReferenceType', `${path}.${k}`);
        if (x === null || x === undefined) continue;
        if (typeof x !== 'string') throw wrongType(`${path}.${k}`, 'a string', x);
        const max = k === 'name' ? 2600 : 100;
        if (x.length > max) throw fault.stringLength(`${path}.${k}`, max, x.length);
        checkChars(x, 'line', `${path}.${k}`);
      }
      return;
    }
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw wrongType(path, 'an object', v);
      for (const [k, x] of Object.entries(v)) {
        const field = spec.fields[k];
        if (!field) throw fault.unknownProperty(entity, `${path}.${k}`);
        if (x === null || x === undefined) continue;
        check(field, x, `${path}.${k}`, entity);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(v)) throw wrongType(path, 'an array', v);
      if (v.length > spec.max) throw fault.invalidValue(path, `has ${v.length} entries; at most ${spec.max} are accepted`);
      for (let i = 0; i < v.length; i++) {
        if (v[i] === null || v[i] === undefined) throw wrongType(`${path}[${i}]`, 'a value', null);
        check(spec.of, v[i], `${path}[${i}]`, entity);
      }
      return;
    }
    case 'json':
      if (spec.object && (typeof v !== 'object' || v === null || Array.isArray(v))) throw wrongType(path, 'an object', v);
      checkJson(v, path);
      return;
  }
}

/** Free-form JSON still carries no control characters, and no array past 1,000 entries. */
function checkJson(v: Json, path: string) {
  if (typeof v === 'string') {
    if (v.length > 4000) throw fault.stringLength(path, 4000, v.length);
    return checkChars(v, 'text', path);
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw wrongType(path, 'a finite number', v);
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    if (v.length > 1000) throw fault.invalidValue(path, `has ${v.length} entries; at most 1000 are accepted`);
    v.forEach((x, i) => checkJson(x, `${path}[${i}]`));
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    checkChars(k, 'line', `${path}.${k}`);
    checkJson(x, `${path}.${k}`);
  }
}

/**
 * How many decimal places a number has as JSON writes it (its shortest round-trip form): 1.005
 * has three, 0.1 + 0.2 has seventeen. A client that sends more than money allows gets a fault
 * instead of a silent rounding.
 */
export function decimalPlaces(n: number): number {
  const s = String(Math.abs(n));
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exponent = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  return Math.max(0, (dot < 0 ? 0 : mantissa.length - dot - 1) - exponent);
}

/** Characters QBO cannot store (controls, lone surrogates) or that a name may not hold. */
export function checkChars(s: string, chars: Chars, path: string) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      if (chars === 'text' && (c === 9 || c === 10 || c === 13)) continue;
      if (chars === 'name' && (c === 9 || c === 10 || c === 13))
        throw fault.businessValidation(`${path} cannot contain a colon (:), a tab or a line break.`);
      throw fault.invalidValue(path, `contains the control character U+${c.toString(16).padStart(4, '0').toUpperCase()} at position ${i + 1}`);
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (!pair) throw fault.invalidValue(path, `contains an unpaired surrogate (U+${c.toString(16).toUpperCase()}) at position ${i + 1}`);
      i++;
      continue;
    }
    if (c === 0x3a && (chars === 'name' || chars === 'account'))
      throw fault.businessValidation(`${path} cannot contain a colon (:)${chars === 'name' ? ', a tab or a line break' : ' or a double quote (")'}.`);
    if (c === 0x22 && chars === 'account') throw fault.businessValidation(`${path} cannot contain a colon (:) or a double quote (").`);
  }
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A calendar date, yyyy-MM-dd, that exists, from 1900 to 2199 (the sandbox's range). */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > DAYS[mo - 1]) return false;
  return !(mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
}

/** An ISO 8601 date-time with an offset (or Z), or a plain date: what QBO writes and accepts. */
export function isDateTime(s: string): boolean {
  if (isDate(s)) return true;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?$/.exec(s);
  if (!m || !isDate(m[1])) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60 && (m[5] === undefined || m[5] === 'Z' || (Number(m[6]) < 15 && Number(m[7]) < 60));
}
