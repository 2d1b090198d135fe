// What the demo apps' create and update endpoints share: checking a JSON body against the fields
// a record takes (a field the record does not have is refused, a read-only one ignored, every
// problem named by its field, never a 500), and a clock whose stamps only go forward, so a
// record's updatedAt changes on every change and an updated-since listing misses none.

/** One thing wrong with a body: the field (a path like "lines[2].amount") and what is wrong. */
export interface Problem {
  field: string;
  message: string;
}

/** Problems in words: "billDate must be a day like 2026-05-01; lines[0].amount can't be blank". */
export const problemText = (problems: Problem[]) => problems.map((p) => `${p.field} ${p.message}`).join('; ');

/** Checks one value and returns it cleaned, or records a problem and returns undefined. */
export type Rule<T> = (value: unknown, field: string, problems: Problem[]) => T | undefined;

const fail = (problems: Problem[], field: string, message: string): undefined => {
  problems.push({ field, message });
  return undefined;
};

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const MONEY = /^-?\d{1,10}(\.\d{1,2})?$/;

export const rule = {
  /** Text of at most `max` characters; blank only when allowed. */
  text:
    (max: number, opts: { blank?: boolean } = {}): Rule<string> =>
    (v, f, p) => {
      if (typeof v !== 'string') return fail(p, f, 'must be text');
      if (!opts.blank && !v.trim()) return fail(p, f, "can't be blank");
      if (v.length > max) return fail(p, f, `is longer than ${max} characters`);
      return opts.blank ? v : v.trim();
    },
  /** Text or nothing: null and "" are stored as null. */
  optionalText:
    (max: number): Rule<string | null> =>
    (v, f, p) => {
      if (v === null || v === '') return null;
      return rule.text(max)(v, f, p);
    },
  oneOf:
    <T extends string>(values: readonly T[]): Rule<T> =>
    (v, f, p) =>
      typeof v === 'string' && values.includes(v as T) ? (v as T) : fail(p, f, `must be one of ${values.join(', ')}`),
  /** A calendar day, "2026-05-01". */
  day: ((v, f, p) => {
    const m = typeof v === 'string' ? DAY.exec(v) : null;
    if (!m) return fail(p, f, 'must be a day like 2026-05-01');
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return fail(p, f, `is not a day of the calendar ("${v}")`);
    return v as string;
  }) as Rule<string>,
  /** An ISO 8601 time with its zone, stored as UTC ("2026-05-01T09:30:00.000Z"). */
  time: ((v, f, p) => {
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
      return fail(p, f, 'must be an ISO 8601 time like 2026-05-01T09:30:00Z');
    return new Date(v).toISOString();
  }) as Rule<string>,
  /** An amount in cents precision, as a number or a decimal string ("1250.5"), as form-minded APIs take. */
  money:
    (opts: { min?: number; above?: number } = {}): Rule<number> =>
    (v, f, p) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && MONEY.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) >= 1e10) return fail(p, f, 'must be an amount like 1250.50');
      if (Math.round(n * 100) / 100 !== n) return fail(p, f, `has more than two decimals (${n})`);
      if (opts.min !== undefined && n < opts.min) return fail(p, f, `must be at least ${opts.min}`);
      if (opts.above !== undefined && n <= opts.above) return fail(p, f, `must be more than ${opts.above}`);
      return n;
    },
  /** A positive quantity, up to four decimals. */
  quantity: ((v, f, p) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,9}(\.\d{1,4})?$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n <= 0 || n >= 1e9 || Math.round(n * 1e4) / 1e4 !== n) return fail(p, f, 'must be a quantity more than 0, up to four decimals');
    return n;
  }) as Rule<number>,
  /** A whole number id, as a number or a string of digits. */
  id: ((v, f, p) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^[1-9]\d{0,14}$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : fail(p, f, 'must be a record id (a whole number)');
  }) as Rule<number>,
  /** An email address, or nothing (null or ""). */
  email: ((v, f, p) => {
    if (v === null || v === '') return null;
    if (typeof v !== 'string' || v.length > 254 || !EMAIL.test(v.trim())) return fail(p, f, 'must be an email address like ap@example.com');
    return v.trim();
  }) as Rule<string | null>,
  /** A list, each item checked by `item` (problems name "field[i]…"). */
  list:
    <T>(item: Rule<T>, opts: { min?: number; max?: number } = {}): Rule<T[]> =>
    (v, f, p) => {
      if (!Array.isArray(v)) return fail(p, f, 'must be a list');
      const min = opts.min ?? 0;
      const max = opts.max ?? 500;
      if (v.length < min) return fail(p, f, min === 1 ? 'must have at least one item' : `must have at least ${min} items`);
      if (v.length > max) return fail(p, f, `has more than ${max} items`);
      const before = p.length;
      const out = v.map((x, i) => item(x, `${f}[${i}]`, p));
      return p.length === before ? (out as T[]) : undefined;
    },
  /** An object with its own fields (see `checkFields`). */
  object:
    (shape: Shape, opts: FieldOptions = {}): Rule<Record<string, unknown>> =>
    (v, f, p) => {
      const before = p.length;
      const out = checkFields(v, shape, { ...opts, prefix: f }, p);
      return p.length === before ? out : undefined;
    },
  /** Text in a given form (`hint` says which, as "must be …"). */
  pattern:
    (re: RegExp, hint: string): Rule<string> =>
    (v, f, p) =>
      typeof v === 'string' && re.test(v) ? v : fail(p, f, `must be ${hint}`),
  /** An object of short texts by name (custom fields), at most `max` of them. */
  textsByName:
    (max: number): Rule<Record<string, string>> =>
    (v, f, p) => {
      if (!isRecord(v)) return fail(p, f, 'must be an object of names and texts');
      const entries = Object.entries(v);
      if (entries.length > max) return fail(p, f, `has more than ${max} names`);
      const before = p.length;
      for (const [k, x] of entries) {
        if (!/^[\w .-]{1,40}$/.test(k)) fail(p, `${f}.${k}`, 'is not a name (letters, digits, spaces, . _ -; up to 40)');
        else if (typeof x !== 'string' || x.length > 255) fail(p, `${f}.${k}`, 'must be text of up to 255 characters');
      }
      return p.length === before ? (v as Record<string, string>) : undefined;
    },
  /** Null, or what `inner` takes. */
  nullable:
    <T>(inner: Rule<T>): Rule<T | null> =>
    (v, f, p) =>
      v === null ? null : inner(v, f, p),
};

/** The fields a record takes in a write, each with its rule. */
export type Shape = Record<string, Rule<unknown>>;

export interface FieldOptions {
  /** Fields a create must have. */
  required?: readonly string[];
  /** Fields the app fills in itself (id, updatedAt, totals): accepted in a body and ignored. */
  readOnly?: readonly string[];
  /** An update: only the fields given change, and none is required. */
  partial?: boolean;
  /** The path of this object in the body, for problems in nested objects. */
  prefix?: string;
}

/**
 * The fields of `body` that `shape` takes, cleaned. Problems go to `problems`: a body that is not
 * an object, a field the record does not have, a missing required field, a value a rule refuses.
 */
export function checkFields(body: unknown, shape: Shape, opts: FieldOptions, problems: Problem[]): Record<string, unknown> {
  const at = (name: string) => (opts.prefix ? `${opts.prefix}.${name}` : name);
  if (!isRecord(body)) {
    problems.push({ field: opts.prefix ?? 'body', message: 'must be a JSON object' });
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const check = Object.prototype.hasOwnProperty.call(shape, name) ? shape[name] : undefined;
    if (check) {
      if (value === undefined) continue;
      const cleaned = check(value, at(name), problems);
      if (cleaned !== undefined) out[name] = cleaned;
    } else if (!opts.readOnly?.includes(name)) problems.push({ field: at(name), message: 'is not a field this record has' });
  }
  for (const name of opts.required ?? [])
    if (opts.partial ? body[name] === null && !(name in out) : body[name] === undefined || body[name] === null)
      if (!problems.some((p) => p.field === at(name))) problems.push({ field: at(name), message: "can't be blank" });
  return out;
}

/**
 * A write's body checked as a whole: the record's fields (`wrap`: inside the body's field of
 * that name, as Rails-style apps want), or every problem found.
 */
export function checkBody(body: unknown, shape: Shape, opts: FieldOptions & { wrap?: string }): { ok: true; value: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  let inner = body;
  if (opts.wrap) {
    if (!isRecord(body) || !isRecord(body[opts.wrap])) return { ok: false, problems: [{ field: opts.wrap, message: `is missing: send the record as {"${opts.wrap}": {…}}` }] };
    const extra = Object.keys(body).filter((k) => k !== opts.wrap);
    if (extra.length) return { ok: false, problems: extra.map((k) => ({ field: k, message: `is not expected beside "${opts.wrap}"` })) };
    inner = body[opts.wrap];
  }
  const value = checkFields(inner, shape, opts, problems);
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

/** A problem found after the fields were read (a vendor that does not exist, totals that differ). */
export const problem = (field: string, message: string): Problem => ({ field, message });

/**
 * Stamps for updatedAt: now, but always later than the app's previous stamp and than the
 * record's own (seeded stamps may lie later today), so each change gives a new, larger value.
 */
export function createClock() {
  let last = 0;
  return (previous?: string | null): string => {
    const prev = previous ? Date.parse(previous) : NaN;
    const next = Math.max(Date.now(), last + 1, Number.isNaN(prev) ? 0 : prev + 1);
    last = next;
    return new Date(next).toISOString();
  };
}
export type Clock = ReturnType<typeof createClock>;

/**
 * Applies `changes` to a record and stamps it (`field`) only when something changed, so an update
 * that changes nothing keeps its updatedAt (and an updated-since listing does not show it).
 */
export function applyChanges<T extends object>(record: T, changes: Partial<T>, field: keyof T & string, clock: Clock): T {
  const rest = (r: T) => JSON.stringify({ ...r, [field]: undefined });
  const before = rest(record);
  const previous = record[field] as unknown as string | undefined;
  Object.assign(record, changes);
  if (!previous || rest(record) !== before) (record as Record<string, unknown>)[field] = clock(previous);
  else (record as Record<string, unknown>)[field] = previous;
  return record;
}
