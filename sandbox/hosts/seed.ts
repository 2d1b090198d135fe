// What the demo host apps' seeds have in common: a seeded random source (same records on every
// start), dates counted from today, the people who work at the agency and its clients, and the
// `?rows=N` lists that benchmarks ask for.

import { DAY_MS } from '../qbo/clock';
import { idParam, MAX_ROWS } from './app';

/** A small seeded generator (mulberry32): the same seed gives the same host records every run. */
export { seededRandom, type Random } from '../random';

/**
 * An ISO day `offset` days from today (UTC). Like the QBO sandbox, host data is dated relative to
 * today, so bills fall due and orders are in flight whenever the demo runs.
 */
export function dayFromToday(offset: number): string {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return new Date(today + offset * DAY_MS).toISOString().slice(0, 10);
}

/** An ISO timestamp `offsetDays` from today at a given minute of the day (UTC). */
export function timeFromToday(offsetDays: number, minuteOfDay: number): string {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return new Date(today + offsetDays * DAY_MS + minuteOfDay * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const roundCents = (n: number) => Math.round(n * 100) / 100;

/** People at Larkspur Media & Supply, the agency whose staff use the host apps. */
export const STAFF = ['Dana Whitfield', 'Marcus Lee', 'Sofia Alvarez', 'Jamal Carter', 'Hannah Becker'];

const FIRST_NAMES = ['Jordan', 'Avery', 'Priya', 'Miguel', 'Grace', 'Tomás', 'Keiko', 'Liam', 'Fatima', 'Noah', 'Chloé', 'Darnell', 'Ingrid', 'Raj', 'Mei', 'Ethan', 'Olivia', 'Samir', 'Lucía', 'Owen', 'Zoe', 'Kwame', 'Hana', 'Mateo', 'Aisha'];
const LAST_NAMES = ['Blake', 'Nguyen', 'Okafor', 'Schmidt', 'Rossi', 'Kowalski', 'Tanaka', 'Hughes', 'Haddad', 'Brennan', 'Moreau', 'Washington', 'Lindqvist', 'Kapoor', 'Chen', 'Delgado', 'Park', 'Abara', 'Fernández', 'Murphy', 'Sato', 'Mensah', 'Novak', 'Reyes', 'Quinn'];

/** A plausible contact person for the n-th organisation (deterministic, no two alike in a row). */
export function personName(n: number): { first: string; last: string } {
  return { first: FIRST_NAMES[n % FIRST_NAMES.length], last: LAST_NAMES[(n * 7 + 3) % LAST_NAMES.length] };
}

/**
 * The records a list shows: the seeded ones, or with `?rows=N` exactly N, the seeded ones first and
 * then synthetic ones made by `make(i)` (which must depend on `i` alone, so a synthetic record's
 * detail page can be rebuilt from its id).
 */
export function listWithRows<T>(seeded: readonly T[], rows: number | null, make: (i: number) => T): T[] {
  if (rows === null) return [...seeded];
  const out: T[] = seeded.slice(0, rows);
  for (let i = out.length; i < rows; i++) out.push(make(i));
  return out;
}

/**
 * One record of a `?rows=` list by id: the seeded record with that id, or past the seeded ones the
 * synthetic record at list position `i`; undefined when there is neither.
 */
export function recordWithRows<T extends { id: unknown }>(seeded: readonly T[], id: T['id'], i: number, make: (i: number) => T): T | undefined {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_ROWS) return undefined;
  return seeded.find((r) => r.id === id) ?? (i >= seeded.length ? make(i) : undefined);
}

/**
 * One record of a `?rows=` list by its numeric id as the URL spells it (see idParam): the seeded
 * record, or the synthetic one at position id - baseId.
 */
export function recordWithIdParam<T extends { id: number }>(seeded: readonly T[], id: string, baseId: number, make: (i: number) => T): T | undefined {
  const n = idParam(id);
  return n === undefined ? undefined : recordWithRows(seeded, n, n - baseId, make);
}

/** The copy number a synthetic record carries in its name ("… 2", "… 3"). */
export const copyNumber = (i: number, seededCount: number) => Math.floor(i / Math.max(1, seededCount)) + 1;
