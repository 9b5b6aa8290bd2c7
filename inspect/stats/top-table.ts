// Top-N tables over the events of a capture: the aggregation of sysdig's
// table_generator chisel, which its top* chisels (topconns, topfiles_bytes,
// topprocs_net, topscalls…) are made of. An event counts when it passes
// the table's filter and every key field has a value; its value field is
// then added to its key's total when it is a number above zero (so failed
// reads, whose res is negative, add nothing). Rows are ordered by total,
// largest first.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { FormatError, parseFormat } from '../format/format-parse.js';
import type { FormatField } from '../format/format-parse.js';
import { compileFilter, type EventFilter } from '../filter/index.js';

/** What a table groups by, what it sums, and which events it looks at. */
export interface TopSpec {
  /** Fields whose values together make a row's key, as `-p` names them (`proc.name`, `proc.aname[2]`). */
  readonly keys: readonly string[];
  /** The numeric field summed per key; `evt.count` (always 1) counts events. */
  readonly value: string;
  /** Only events matching these sinsp filters (all of them) count. */
  readonly filters?: readonly string[];
  /**
   * Distinct keys kept (default DEFAULT_MAX_KEYS): the table grows with
   * them (`--by evt.num` would keep one per event); an event of a new key
   * beyond it is not counted, only counted as refused.
   */
  readonly maxKeys?: number;
  /**
   * Instead of summing the value field: a row's total is how many distinct
   * combinations of these fields' values its events had (fdcount_by's
   * count of fd number and name pairs). An event counts when they all have
   * a value.
   */
  readonly distinct?: readonly string[];
  /** What one unit of the value field adds to a total (default 1). */
  readonly scale?: number;
  /** Count values of 0 too, so keys seen only with 0 get a row (default: only values above 0). */
  readonly keepZero?: boolean;
  /** How errors name the keys and the value (a command's options); default `key field`, `value field`. */
  readonly labels?: { readonly keys: string; readonly value: string };
  /**
   * Compiles the filters (default compileFilter): tables observing the same
   * events pass one `sharedFilters()` so a filter they have in common is
   * checked once per event.
   */
  readonly compile?: (filter: string) => EventFilter;
}

/**
 * A filter compiler for tables that observe the same events in turn: each
 * filter text is compiled once, and its answer kept for the event under
 * the cursor, so the second table asking about that event gets it without
 * a second evaluation (the state does not change between tables).
 */
export function sharedFilters(fields: ReadonlyMap<string, FieldDef>): (filter: string) => EventFilter {
  const compiled = new Map<string, EventFilter>();
  return (text) => {
    let f = compiled.get(text);
    if (f === undefined) {
      const test = compileFilter(text, fields);
      // By evt.num, which no two events share (batches are reused, so a
      // batch and an index could name a later event).
      let num = -1;
      let answer = false;
      f = (ev, ctx) => {
        const n = ev.num;
        if (n !== num) {
          answer = test(ev, ctx);
          num = n;
        }
        return answer;
      };
      compiled.set(text, f);
    }
    return f;
  };
}

/** Distinct keys a table keeps unless told otherwise: some 100-200 MiB of short keys. */
export const DEFAULT_MAX_KEYS = 1 << 20;

/** One row of a table: the key fields' values (as sinsp prints them) and their total. */
export interface TopRow {
  readonly keys: readonly string[];
  readonly value: number;
}

/**
 * Joins a row's key values into one map key. Capture strings are one char
 * per byte (latin1), so U+0100 cannot occur in any of them; a separator
 * made of bytes (table_generator's "\1\1") could.
 */
const KEY_SEPARATOR = '\u0100';

/** A field of a table as resolved: its name as `-p` writes it, and whether JSON shows its values as numbers. */
export interface TableField {
  readonly name: string;
  readonly isNumber: boolean;
}

/** Resolves one field name (with its argument) as `-p` would, refusing anything else in the text. */
function resolveOne(name: string, fields: ReadonlyMap<string, FieldDef>, what: string): FormatField {
  let parsed;
  try {
    parsed = parseFormat(`%${name.trim()}`, fields);
  } catch (err) {
    // The column is that of the text made here, not of anything the user wrote.
    if (err instanceof FormatError) throw new FormatError(`${what}: ${err.message.replace(/^format: /, '').replace(/ at column \d+/, '')}`, 0);
    throw err;
  }
  if (parsed.fields.length !== 1 || parsed.literals.some((l) => l !== '')) {
    throw new FormatError(`${what}: '${name}' is not one field name`, 0);
  }
  return parsed.fields[0]!;
}

/**
 * A comma-separated list of fields (`--by proc.name,fd.name`) split into
 * the fields; commas inside brackets, parentheses or quotes belong to their
 * field (`proc.env["A,B"]`, `join(",", (proc.name, fd.name))`).
 */
export function splitFieldList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '(' || c === '[') {
      depth++;
    } else if (c === ')' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((f) => f.trim()).filter((f) => f !== '');
}

/** The field's extractor; an argument it refuses (`proc.aname[x]`) is reported as `what`'s. */
function compileOne(f: FormatField, what: string): FieldExtractor {
  try {
    return f.def.compile(f.arg);
  } catch (err) {
    throw new FormatError(`${what}: ${err instanceof Error ? err.message : String(err)}`, 0);
  }
}

/**
 * Sums a numeric field per key over the events it is shown.
 *
 * ```ts
 * const t = new TopTable({ keys: ['fd.name'], value: 'evt.rawarg.res', filters: ['fd.type=file and evt.is_io=true'] }, FIELDS);
 * await insp.run((ev) => t.observe(ev, insp.fieldContext));
 * for (const row of t.rows(10)) console.log(row.value, row.keys[0]);
 * ```
 */
export class TopTable {
  readonly keyFields: readonly TableField[];
  readonly valueField: TableField;
  private readonly keyOf: readonly FieldExtractor[];
  private readonly valueOf: (ev: EventCursor, ctx: FieldContext) => number | undefined;
  private readonly filter: EventFilter | undefined;
  private readonly totals = new Map<string, number>();
  private readonly maxKeys: number;
  private readonly scale: number;
  private readonly keepZero: boolean;
  /** The fields `distinct` names, compiled, and each row's combinations seen. */
  private readonly distinctOf: readonly FieldExtractor[] | undefined;
  private readonly seen = new Map<string, Set<string>>();
  /** The fields `distinct` names, as resolved (empty without it). */
  readonly distinctFields: readonly TableField[];
  /** Events not counted because their key was new and the table full (see TopSpec.maxKeys). */
  refused = 0;

  constructor(spec: TopSpec, fields: ReadonlyMap<string, FieldDef>) {
    this.maxKeys = spec.maxKeys ?? DEFAULT_MAX_KEYS;
    this.scale = spec.scale ?? 1;
    this.keepZero = spec.keepZero ?? false;
    const labels = spec.labels ?? { keys: 'key field', value: 'value field' };
    if (spec.keys.length === 0) throw new FormatError(`${labels.keys}: a table needs at least one key field`, 0);
    const keys = spec.keys.map((k) => resolveOne(k, fields, labels.keys));
    this.keyFields = keys.map((f) => ({ name: f.text, isNumber: f.def.json === 'number' }));
    this.keyOf = keys.map((f) => compileOne(f, labels.keys));
    const distinct = (spec.distinct ?? []).map((k) => resolveOne(k, fields, labels.value));
    this.distinctFields = distinct.map((f) => ({ name: f.text, isNumber: f.def.json === 'number' }));
    this.distinctOf = distinct.length === 0 ? undefined : distinct.map((f) => compileOne(f, labels.value));
    const value = resolveOne(spec.value, fields, labels.value);
    const def = value.def;
    if (def.compileNumber === undefined && def.json !== 'number') {
      throw new FormatError(`${labels.value}: ${value.text} is not a number; give a numeric field such as evt.rawarg.res, evt.latency or evt.count`, 0);
    }
    this.valueField = { name: value.text, isNumber: true };
    if (def.compileNumber !== undefined) {
      this.valueOf = def.compileNumber(value.arg);
    } else {
      const text = compileOne(value, labels.value);
      this.valueOf = (ev, ctx) => {
        const t = text(ev, ctx);
        return t === undefined ? undefined : Number(t);
      };
    }
    const compile = spec.compile ?? ((f: string) => compileFilter(f, fields));
    const filters = (spec.filters ?? []).map(compile);
    this.filter = filters.length === 0 ? undefined
      : filters.length === 1 ? filters[0]
        : (ev, ctx) => filters.every((f) => f(ev, ctx));
  }

  /** Counts the event under the cursor, as the state is now. */
  observe(ev: EventCursor, ctx: FieldContext): void {
    if (this.filter !== undefined && !this.filter(ev, ctx)) return;
    const keyOf = this.keyOf;
    let key = keyOf[0]!(ev, ctx);
    if (key === undefined) return;
    for (let k = 1; k < keyOf.length; k++) {
      const v = keyOf[k]!(ev, ctx);
      if (v === undefined) return;
      key += KEY_SEPARATOR + v;
    }
    if (this.distinctOf !== undefined) {
      this.observeDistinct(key, ev, ctx, this.distinctOf);
      return;
    }
    const read = this.valueOf(ev, ctx);
    // `> 0` is also false for NaN (a value that is not a number) and undefined.
    if (read === undefined || !(read > 0 || (read === 0 && this.keepZero))) return;
    const value = read * this.scale;
    const total = this.totals.get(key);
    if (total !== undefined) this.totals.set(key, total + value);
    else if (this.totals.size < this.maxKeys) this.totals.set(key, value);
    else this.refused++;
  }

  private observeDistinct(key: string, ev: EventCursor, ctx: FieldContext, of: readonly FieldExtractor[]): void {
    let combo = '';
    for (let k = 0; k < of.length; k++) {
      const v = of[k]!(ev, ctx);
      if (v === undefined) return;
      combo += k === 0 ? v : KEY_SEPARATOR + v;
    }
    let set = this.seen.get(key);
    if (set === undefined) {
      if (this.totals.size >= this.maxKeys) { this.refused++; return; }
      set = new Set();
      this.seen.set(key, set);
    }
    set.add(combo);
    this.totals.set(key, set.size);
  }

  /** Keys seen with a total. */
  get size(): number { return this.totals.size; }

  /**
   * The `limit` rows with the largest totals (all of them for 0), largest
   * first; equal totals in key order, so the output does not depend on the
   * order events came in.
   */
  rows(limit = 0): TopRow[] {
    return rankRows([...this.totals].map(([key, value]) => ({ keys: key.split(KEY_SEPARATOR), value })), limit);
  }
}

/**
 * The `limit` rows with the largest totals (all of them for 0), largest
 * first; equal totals in key order (the keys joined as a table joins them).
 */
export function rankRows(rows: readonly TopRow[], limit = 0): TopRow[] {
  const ranked = rows.map((row) => ({ row, key: row.keys.join(KEY_SEPARATOR) }))
    .sort((a, b) => b.row.value - a.row.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.row);
  return limit > 0 ? ranked.slice(0, limit) : ranked;
}
