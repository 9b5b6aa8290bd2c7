// Compiles a parsed filter once into closures over the event (no tree walk
// per event). Comparison rules follow libsinsp (falcosecurity/libs 48dfd53:
// userspace/libsinsp/filter_compare.cpp flt_compare and
// sinsp_filtercheck.cpp compare): a field without a value matches nothing
// (not even `!=`); numeric fields compare as numbers; `glob` is fnmatch
// without flags (`*` crosses '/'); `pmatch` matches a path equal to or under
// one of the listed directories; `bcontains`/`bstartswith` take hex bytes.
// The children of and/or are reordered so cheap checks (event type,
// direction, thread id...) run first; the result is the same, as checks
// have no side effects.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EventType, PPM_EVENT_MAX } from '../../scapfile/schema/events.js';
import { PPM_SC_NAMES } from '../../scapfile/schema/syscalls.js';
import { bracketNumber } from '../fields/field.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { FilterError, didYouMean, nearestNames, unknownField } from './errors.js';
import { fdAddressCheck } from './fd-address-checks.js';
import { compileOperand, fieldComparison, listOperatorError } from './field-operands.js';
import { valueKindOf } from '../format/transformers.js';
import { IP_ADDRESS_FIELDS, booleanValue, exactIntegerValue, integerValue, ipAddressValue, rawArgIsString, rawArgValueKind } from './filter-values.js';
import { regexMatcher } from './posix-regex.js';
import { globMatcher } from './glob.js';
import { pathPrefixMatcher } from './path-prefix.js';
import { FD_NETWORK_FIELDS, fdNetworkCheck } from './fd-network-checks.js';
import { parseFilter, type FilterNode, type FilterOp } from './parser.js';

/** A compiled filter: true when the event under the cursor matches. */
export type EventFilter = (ev: EventCursor, ctx: FieldContext) => boolean;

/** Fields that read the event header only: tested first. */
const CHEAP_FIELDS = new Set(['evt.type', 'evt.dir', 'evt.num', 'evt.cpu', 'thread.tid', 'evt.rawtime']);

interface Compiled { readonly test: EventFilter; readonly cost: number }

/**
 * Parses and compiles a sinsp filter against `fields`.
 *
 * ```ts
 * const match = compileFilter('proc.name = curl and evt.type in (connect, sendto)', FIELDS);
 * await insp.run((ev) => { if (match(ev, insp.fieldContext)) print(ev); });
 * ```
 */
export function compileFilter(text: string, fields: ReadonlyMap<string, FieldDef>): EventFilter {
  let tree: FilterNode;
  try {
    tree = parseFilter(text);
  } catch (err) {
    throw err instanceof FilterError && err.word !== undefined ? withFieldSuggestions(err, err.word, fields) : err;
  }
  return compileNode(tree, fields).test;
}

/**
 * `err`, saying which fields a word found where a field was expected may
 * have meant: the nearest names (`fdl4proto`: fd.l4proto), or for a field
 * class alone (`thread`), its first fields.
 */
function withFieldSuggestions(err: FilterError, word: string, fields: ReadonlyMap<string, FieldDef>): FilterError {
  let names = nearestNames(word, fields.keys());
  if (names.length === 0) names = [...fields.keys()].filter((n) => n.startsWith(`${word}.`)).slice(0, 3);
  return names.length === 0 ? err : new FilterError(err.message + didYouMean(names), err.column, word);
}

function compileNode(node: FilterNode, fields: ReadonlyMap<string, FieldDef>): Compiled {
  switch (node.kind) {
    case 'not': {
      const inner = compileNode(node.item, fields);
      const t = inner.test;
      return { test: (ev, ctx) => !t(ev, ctx), cost: inner.cost };
    }
    case 'and':
    case 'or': {
      const parts = node.items.map((n) => compileNode(n, fields)).sort((a, b) => a.cost - b.cost);
      const cost = Math.max(...parts.map((p) => p.cost));
      return { test: node.kind === 'and' ? allOf(parts.map((p) => p.test)) : anyOf(parts.map((p) => p.test)), cost };
    }
    case 'check':
      return compileCheck(node, fields);
  }
}

function allOf(tests: EventFilter[]): EventFilter {
  if (tests.length === 2) { const [a, b] = tests as [EventFilter, EventFilter]; return (ev, ctx) => a(ev, ctx) && b(ev, ctx); }
  return (ev, ctx) => {
    for (const t of tests) if (!t(ev, ctx)) return false;
    return true;
  };
}

function anyOf(tests: EventFilter[]): EventFilter {
  if (tests.length === 2) { const [a, b] = tests as [EventFilter, EventFilter]; return (ev, ctx) => a(ev, ctx) || b(ev, ctx); }
  return (ev, ctx) => {
    for (const t of tests) if (t(ev, ctx)) return true;
    return false;
  };
}

/** Finds the field: the longest known prefix, the rest (`.NAME` or `[N]`) being its argument. */
function resolveField(
  name: string, bracketArg: string | undefined, fields: ReadonlyMap<string, FieldDef>, column: number,
): { def: FieldDef; arg: string | undefined } {
  let candidate = name;
  for (;;) {
    const def = fields.get(candidate);
    if (def !== undefined) {
      const rest = name.slice(candidate.length);
      if (rest === '' && bracketArg === undefined) {
        if (def.takesArg && !def.argOptional) {
          throw new FilterError(`filter: field ${candidate} needs an argument (${candidate}.NAME or ${candidate}[N]) at column ${column}`, column);
        }
        return { def, arg: undefined };
      }
      if (!def.takesArg) break;
      if (rest !== '' && bracketArg !== undefined) break;
      // A filter's argument is the whole rest: it must be a name the field knows.
      if (rest !== '' && def.argNameLength !== undefined && def.argNameLength(rest.slice(1)) !== rest.length - 1) {
        throw new FilterError(`filter: unknown event argument '${rest.slice(1)}' of ${candidate} (column ${column})`, column);
      }
      if (rest === '' && bracketArg !== undefined && def.dotArgOnly) {
        throw new FilterError(`filter: ${candidate} takes its argument as ${candidate}.NAME, not [${bracketArg}] (column ${column})`, column);
      }
      if (rest === '' && bracketArg !== undefined && def.bracketIsNumber) {
        try {
          return { def, arg: bracketNumber(bracketArg) };
        } catch (e) {
          throw new FilterError(`filter: ${(e as Error).message} in ${candidate}[] at column ${column}`, column);
        }
      }
      return { def, arg: rest !== '' ? rest.slice(1) : bracketArg };
    }
    const dot = candidate.lastIndexOf('.');
    if (dot <= 0) break;
    candidate = candidate.slice(0, dot);
  }
  throw new FilterError(unknownField(name, column, nearestNames(name, fields.keys())), column);
}

/** What evt.type can be: an event name or a syscall name (of generic events). */
const EVENT_TYPE_NAMES = new Set<string>([...EVENTS.map((e) => e.name), ...PPM_SC_NAMES]);
const SUGGESTED_EVENT_TYPE_NAMES = new Set([...EVENT_TYPE_NAMES].filter((n) => n !== '' && n !== 'NA'));

/**
 * libsinsp refuses an evt.type value that names no event or syscall,
 * whatever the operator (sinsp_filtercheck_event.cpp validate_filter_value):
 * a typo would otherwise match nothing, silently.
 */
function checkEventTypeName(value: string, column: number): void {
  if (EVENT_TYPE_NAMES.has(value)) return;
  // libsinsp takes '' (retired syscall codes) and NA (placeholders) too; they suggest nothing.
  const near = nearestNames(value, SUGGESTED_EVENT_TYPE_NAMES);
  throw new FilterError(`filter: unknown event type '${value}' (column ${column})${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`, column);
}

/** Fields libsinsp matches by resolving the filter's domain name when it runs (compare_domain). */
const DNS_NAME_FIELDS = new Set(['fd.cip.name', 'fd.sip.name', 'fd.lip.name', 'fd.rip.name']);
const NUMERIC_OPS = new Set<FilterOp>(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists']);
const IP_OPS = new Set<FilterOp>(['=', '!=', 'in', 'intersects']);

function compileCheck(node: Extract<FilterNode, { kind: 'check' }>, fields: ReadonlyMap<string, FieldDef>): Compiled {
  // libsinsp checks evt.type's values as event names whatever the operator,
  // modifier or transformer (sinsp_filter_check_event::parse_filter_value
  // calls validate_filter_value for the field): `evt.type = anyof (open, x)`,
  // `toupper(evt.type) = OPENAT` and `len(evt.type) = 6` are refused there.
  if (node.field === 'evt.type' && node.bracketArg === undefined && node.expr === undefined) {
    for (const v of node.values) checkEventTypeName(v, node.column);
  }
  // libsinsp parses every value but byte strings as a C string
  // (value_parser.cpp string_to_rawval), refusing one with a NUL in it: a
  // quoted "cu\x00rl" would otherwise be compared whole here.
  if (node.field !== 'evt.buffer' && node.op !== 'bcontains' && node.op !== 'bstartswith' && node.values.some((v) => v.includes('\0'))) {
    throw new FilterError(`filter: a value cannot contain a NUL byte (\\x00) (column ${node.column})`, node.column);
  }
  if (node.modifier !== undefined) return compileModified(node, fields);
  if (node.transforms.length > 0 || node.rhs !== undefined || node.expr !== undefined) return compileOperandCheck(node, fields);
  const { def, arg } = resolveField(node.field, node.bracketArg, fields, node.column);
  let extract: FieldExtractor;
  try {
    extract = (def.compileFilterText ?? def.compile)(arg);
  } catch (e) {
    throw new FilterError(`filter: ${(e as Error).message} at column ${node.column}`, node.column);
  }
  const cost = CHEAP_FIELDS.has(def.name) ? 0 : 1;
  const op = node.op;
  if (DNS_NAME_FIELDS.has(def.name)) {
    // `exists` holds for any event with an fd entry, as for fd.ip (compare_domain).
    if (op === 'exists') return { test: fdAddressCheck('fd.ip', 'exists', [], node.column), cost };
    throw new FilterError(`filter: ${def.name} would compare with addresses a DNS lookup gives now, which scapkit does not do; compare ${def.name.slice(0, -5)} (column ${node.column})`, node.column);
  }
  if (def.name === 'evt.around') return { test: aroundCheck(arg, op, node.values, node.column), cost: 0 };
  if (def.name === 'fd.ip' || def.name === 'fd.port' || def.name === 'fd.proto') {
    return { test: fdAddressCheck(def.name, op, node.values, node.column), cost };
  }
  if (FD_NETWORK_FIELDS.has(def.name)) return { test: fdNetworkCheck(def.name, op, node.values, node.column), cost };
  // A list field: checked as a list operand (exists, in, intersects), as libsinsp's compare_rhs for lists.
  if (LIST_FIELDS.has(def.name)) return compileOperandCheck({ ...node, expr: { kind: 'field', field: node.field, bracketArg: node.bracketArg, column: node.column } }, fields);
  if (op === 'exists') {
    // A field with several values (proc.apid, proc.aexepath without [N]) exists when it has one, even an empty one.
    const many = multiValues(def, arg);
    if (many !== undefined) return { test: (ev, ctx) => (many(ev, ctx)?.length ?? 0) > 0, cost };
    return { test: (ev, ctx) => extract(ev, ctx) !== undefined, cost };
  }
  if (IP_ADDRESS_FIELDS.has(def.name)) {
    // Addresses compare as addresses (flt_is_comparable_ip_or_net): the values are written as the field prints them.
    if (!IP_OPS.has(op)) throw new FilterError(`filter: '${op}' operator not supported for ip address and network filters (column ${node.column})`, node.column);
    const pred = stringPredicate(op, node.values.map((v) => ipAddressValue(v, def.name, node.column)), node.column);
    return { test: (ev, ctx) => { const v = extract(ev, ctx); return v !== undefined && pred(v); }, cost };
  }
  // evt.rawarg's values read by its parameter's type (filter-values.ts).
  const numeric = valueKindOf(def) === 'number' || (def.name === 'evt.rawarg' && arg !== undefined && rawArgValueKind(arg, node.column) === 'number');
  if (numeric) {
    if (!NUMERIC_OPS.has(op)) {
      throw new FilterError(`filter: operator '${op}' does not apply to the numeric field ${def.name} (column ${node.column})`, node.column);
    }
    const exact = node.values.map((v) => exactIntegerValue(v, def.name, node.column, arg));
    // Timestamps and other 64-bit values beyond doubles' integers: compared exactly, from the field's digits.
    if (exact.some((n) => n > MAX_SAFE || n < -MAX_SAFE)) return { test: exactNumericTest(extract, op, exact), cost };
    const nums = exact.map(Number);
    const anyOfNums = multiValues(def, arg);
    if (anyOfNums !== undefined) {
      const np = numericPredicate(op, nums);
      return { test: anyValue(anyOfNums, (v) => np(Number(v))), cost };
    }
    const asNumber = def.compileNumber?.(arg);
    return { test: numericTest(asNumber ?? textAsNumber(extract), op, nums), cost };
  }
  if (def.json === 'bool') for (const v of node.values) booleanValue(v, def.name, node.column);
  // evt.rawarg's text stands for parameters of every type: its operators are
  // checked only where that type is a string (`evt.rawarg.comm bcontains 6C`
  // is refused, as libsinsp types the field by the parameter).
  if (def.name !== 'evt.rawarg' || rawArgIsString(arg!)) checkOperator(op, def.name === 'evt.buffer' ? 'buffer' : def.json === 'bool' ? 'bool' : 'string', node.column);
  const pred = stringPredicate(op, node.values, node.column);
  const anyOfStrings = multiValues(def, arg);
  if (anyOfStrings !== undefined) return { test: anyValue(anyOfStrings, pred), cost };
  const byType = TYPE_ONLY_FIELDS.get(def.name);
  const test: EventFilter = (ev, ctx) => {
    const v = extract(ev, ctx);
    return v !== undefined && pred(v);
  };
  return { test: byType === undefined ? test : perTypeTable(test, pred, byType), cost };
}

/**
 * `fd.name startswith anyof (/etc, /usr)`: the operator against each value
 * of the list; `anyof` holds when one or more do, `allof` when all do,
 * `oneof` when exactly one does, and an empty list matches nothing
 * (sinsp_filtercheck.cpp compare_rhs_with_mod). A field with several
 * values matches when one of its values does.
 */
function compileModified(node: Extract<FilterNode, { kind: 'check' }>, fields: ReadonlyMap<string, FieldDef>): Compiled {
  const { op, column, values } = node;
  const mod = node.modifier!;
  const resolve = (name: string, bracketArg: string | undefined, col: number) => resolveField(name, bracketArg, fields, col);
  const operand = node.transforms.length > 0 || node.expr !== undefined ? compileOperand(node, resolve) : undefined;
  // Without a transformer: the field itself, which must be one a modifier applies to.
  const plain = operand === undefined ? resolve(node.field, node.bracketArg, column) : undefined;
  const name = operand?.name ?? plain!.def.name;
  if (operand?.list === true || (plain !== undefined && MODIFIER_REFUSED.has(plain.def.name))) {
    throw new FilterError(`filter: ${mod} does not apply to ${name} (column ${column})`, column);
  }
  if (values.length === 0) return { test: () => false, cost: 0 };
  const read = operand?.read ?? (plain!.def.compileFilterText ?? plain!.def.compile)(plain!.arg);
  const rawArg = plain !== undefined && plain.def.name === 'evt.rawarg' && plain.arg !== undefined;
  // The checks compileCheck makes without a modifier hold with one (libsinsp
  // parses each value of the list as it parses one): evt.rawarg's values by
  // its parameter's type, addresses as addresses.
  const kind = operand?.kind ?? (rawArg ? (rawArgValueKind(plain!.arg!, column) === 'number' ? 'number' : 'string') : valueKindOf(plain!.def));
  const combine = <T>(preds: ((v: T) => boolean)[]): ((v: T) => boolean) => {
    if (mod === 'anyof') return (v) => preds.some((p) => p(v));
    if (mod === 'allof') return (v) => preds.every((p) => p(v));
    return (v) => { let n = 0; for (const p of preds) if (p(v) && ++n > 1) return false; return n === 1; };
  };
  const many = plain === undefined ? undefined : multiValues(plain.def, plain.arg);
  if (kind === 'number') {
    if (!NUMERIC_OPS.has(op)) throw new FilterError(`filter: operator '${op}' does not apply to the numeric field ${name} (column ${column})`, column);
    const exact = values.map((v) => exactIntegerValue(v, name, column, plain?.arg));
    if (exact.some((n) => n > MAX_SAFE || n < -MAX_SAFE) && many === undefined && plain !== undefined && plain.def.compileNumber === undefined) {
      // Timestamps beyond doubles' integers, compared exactly from the field's
      // digits: as doubles, `evt.rawtime = allof (T, T+1)` held for T.
      const holdsExact = combine(exact.map((n) => numericPredicate(op, [n])));
      return { test: (ev, ctx) => { const v = read(ev, ctx); return v !== undefined && INTEGER_TEXT.test(v) && holdsExact(BigInt(v)); }, cost: 1 };
    }
    const holds = combine(exact.map((n) => numericPredicate(op, [Number(n)])));
    if (many !== undefined) return { test: anyValue(many, (v) => holds(Number(v))), cost: 1 };
    const asNumber = plain?.def.compileNumber?.(plain.arg);
    const num = asNumber ?? ((ev: EventCursor, ctx: FieldContext) => { const v = read(ev, ctx); return v === undefined ? undefined : Number(v); });
    return { test: (ev, ctx) => { const x = num(ev, ctx); return x !== undefined && holds(x); }, cost: 1 };
  }
  if (plain !== undefined && IP_ADDRESS_FIELDS.has(plain.def.name)) {
    if (!IP_OPS.has(op)) throw new FilterError(`filter: '${op}' with a modifier is not supported for ip address and network filters (column ${column})`, column);
    const holdsIp = combine(values.map((v) => stringPredicate(op, [ipAddressValue(v, name, column)], column)));
    return { test: (ev, ctx) => { const v = read(ev, ctx); return v !== undefined && holdsIp(v); }, cost: 1 };
  }
  if (kind === 'bool') for (const v of values) booleanValue(v, name, column);
  // evt.rawarg's operators are checked only where its parameter is a string, as without a modifier.
  if ((kind === 'string' && (!rawArg || rawArgIsString(plain!.arg!))) || kind === 'bool') checkOperator(op, plain?.def.name === 'evt.buffer' ? 'buffer' : kind, column);
  const holds = combine(values.map((v) => stringPredicate(op, [v], column)));
  if (many !== undefined) return { test: anyValue(many, holds), cost: 1 };
  return { test: (ev, ctx) => { const v = read(ev, ctx); return v !== undefined && holds(v); }, cost: 1 };
}

/**
 * evt.around[T] = D (sinsp_filtercheck_event.cpp TYPE_AROUND): the events
 * whose timestamp is within D milliseconds of T, in ns; only `=`, and
 * `exists`, which libsinsp answers as `= 0` (the event at T exactly).
 */
function aroundCheck(arg: string | undefined, op: FilterOp, values: readonly string[], column: number): EventFilter {
  if (op !== '=' && op !== 'exists') throw new FilterError(`filter: evt.around supports only '=' comparison operator (column ${column})`, column);
  if (arg === undefined || !/^[0-9]+$/.test(arg)) throw new FilterError(`filter: evt.around needs a timestamp in ns: evt.around[T] = MS (column ${column})`, column);
  const t = BigInt(arg);
  const delta = op === 'exists' ? 0n : exactIntegerValue(values[0] ?? '', 'evt.around', column) * 1_000_000n;
  return (ev) => {
    const ts = ev.tsNs;
    return t >= ts - delta && t <= ts + delta;
  };
}

/** Fields whose value is a list (EPF_IS_LIST), printed `(a,b)`. */
const LIST_FIELDS = new Set(['fd.types']);

/** Fields compared otherwise than by their text, which take no modifier. */
const MODIFIER_REFUSED = new Set(['fd.ip', 'fd.port', 'fd.proto', ...FD_NETWORK_FIELDS, ...LIST_FIELDS]);

/** A check with a transformer on its field or a field on its right (field-operands.ts). */
function compileOperandCheck(node: Extract<FilterNode, { kind: 'check' }>, fields: ReadonlyMap<string, FieldDef>): Compiled {
  const resolve = (name: string, bracketArg: string | undefined, column: number) => resolveField(name, bracketArg, fields, column);
  const lhs = compileOperand(node, resolve);
  const { op, column } = node;
  if (op === 'exists') return { test: (ev, ctx) => lhs.readAll(ev, ctx) !== undefined, cost: 1 };
  if (node.rhs !== undefined) return { test: fieldComparison(lhs, op, compileOperand(node.rhs, resolve), column), cost: 1 };
  if (lhs.list) {
    // libsinsp's compare_rhs for lists: every value among the list (in), or one (intersects).
    if (op !== 'in' && op !== 'intersects') throw new FilterError(listOperatorError(op, column), column);
    checkValueSizes(node.values, column);
    const set = new Set(node.values);
    const every = op === 'in';
    return { test: (ev, ctx) => { const vs = lhs.readAll(ev, ctx); return vs !== undefined && (every ? vs.every((v) => set.has(v)) : vs.some((v) => set.has(v))); }, cost: 1 };
  }
  if (lhs.kind === 'number') {
    if (!NUMERIC_OPS.has(op)) throw new FilterError(`filter: operator '${op}' does not apply to the number ${lhs.name} (column ${column})`, column);
    // A number here is len()'s, a PT_UINT64: a negative value wraps as libsinsp
    // reads it (-1 is 2^64-1), so len(x) > -1 holds for nothing.
    const np = numericPredicate(op, node.values.map((v) => { const n = integerValue(v, lhs.name, column); return n < 0 ? 2 ** 64 + n : n; }));
    return { test: (ev, ctx) => { const v = lhs.read(ev, ctx); return v !== undefined && np(Number(v)); }, cost: 1 };
  }
  if (lhs.kind === 'bool') for (const v of node.values) booleanValue(v, lhs.name, column);
  if (lhs.kind === 'string' || lhs.kind === 'bool') checkOperator(op, lhs.kind, column);
  const pred = stringPredicate(op, node.values, column);
  return { test: (ev, ctx) => { const v = lhs.read(ev, ctx); return v !== undefined && pred(v); }, cost: 1 };
}

/**
 * The operators libsinsp compares each kind of value with
 * (filter_compare.cpp flt_is_comparable_*): no byte operators on strings,
 * no text-pattern ones on byte buffers, equality and lists on booleans.
 * It refuses the others when the filter is compiled; so does this.
 */
const OPERATORS_OF: Readonly<Record<'string' | 'buffer' | 'bool', ReadonlySet<FilterOp>>> = {
  string: new Set<FilterOp>(['=', '!=', '<', '<=', '>', '>=', 'contains', 'in', 'exists', 'icontains', 'startswith', 'glob', 'pmatch', 'endswith', 'intersects', 'iglob', 'regex']),
  buffer: new Set<FilterOp>(['=', '!=', 'contains', 'in', 'exists', 'startswith', 'endswith', 'intersects', 'bcontains', 'bstartswith']),
  bool: new Set<FilterOp>(['=', '!=', 'in', 'intersects', 'exists']),
};

function checkOperator(op: FilterOp, kind: 'string' | 'buffer' | 'bool', column: number): void {
  if (OPERATORS_OF[kind].has(op)) return;
  // libsinsp's words, "numeric" for booleans included.
  throw new FilterError(`filter: '${op}' operator not supported for ${kind === 'bool' ? 'numeric' : kind} filters (column ${column})`, column);
}

/**
 * Fields whose value follows from the event type alone (except for generic
 * syscall exits and async events, named from their parameters): the check
 * is answered once per type at compile time, a table lookup per event.
 */
const TYPE_ONLY_FIELDS = new Map<string, (id: number) => string>([
  ['evt.type', (id) => EVENTS[id]!.name],
  ['evt.dir', (id) => (EVENTS[id]!.dir === 'enter' ? '>' : '<')],
]);
const NAMED_BY_PARAMS = new Set<number>([EventType.GENERIC_X, EventType.ASYNCEVENT_E]);

function perTypeTable(test: EventFilter, pred: (v: string) => boolean, value: (id: number) => string): EventFilter {
  // -1: ask the event; 0/1: the answer for every event of that type.
  const table = new Int8Array(65536).fill(-1);
  for (let id = 0; id < PPM_EVENT_MAX; id++) if (!NAMED_BY_PARAMS.has(id)) table[id] = pred(value(id)) ? 1 : 0;
  return (ev, ctx) => {
    const r = table[ev.type]!;
    return r === -1 ? test(ev, ctx) : r === 1;
  };
}

/** The field's list of values for filters (proc.aname without [N]: every ancestor's), if it has one. */
function multiValues(def: FieldDef, arg: string | undefined): ((ev: EventCursor, ctx: FieldContext) => readonly string[] | undefined) | undefined {
  return def.compileValues?.(arg);
}

/** True when some value satisfies `pred` (sinsp's compare_full_aname and kin). */
function anyValue(values: (ev: EventCursor, ctx: FieldContext) => readonly string[] | undefined, pred: (v: string) => boolean): EventFilter {
  return (ev, ctx) => {
    const vs = values(ev, ctx);
    if (vs === undefined) return false;
    for (const v of vs) if (pred(v)) return true;
    return false;
  };
}

function numericPredicate<T extends number | bigint>(op: FilterOp, nums: readonly T[]): (v: T) => boolean {
  // No value: NaN, which nothing equals (a list operator always has one).
  const n = (nums[0] ?? NaN) as T;
  switch (op) {
    case '=': return (v) => v === n;
    case '!=': return (v) => v !== n;
    case '<': return (v) => v < n;
    case '<=': return (v) => v <= n;
    case '>': return (v) => v > n;
    case '>=': return (v) => v >= n;
    default: { const set = new Set(nums); return (v) => set.has(v); }
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INTEGER_TEXT = /^-?[0-9]+$/;

/** `numericTest` with exact 64-bit values: the field's decimal text read as a bigint. */
function exactNumericTest(extract: FieldExtractor, op: FilterOp, nums: readonly bigint[]): EventFilter {
  const holds = numericPredicate(op, nums);
  return (ev, ctx) => {
    const v = extract(ev, ctx);
    return v !== undefined && INTEGER_TEXT.test(v) && holds(BigInt(v));
  };
}

/** A field's value read from its decimal text. */
function textAsNumber(extract: FieldExtractor): (ev: EventCursor, ctx: FieldContext) => number | undefined {
  return (ev, ctx) => {
    const v = extract(ev, ctx);
    return v === undefined ? undefined : Number(v);
  };
}

function numericTest(num: (ev: EventCursor, ctx: FieldContext) => number | undefined, op: FilterOp, nums: readonly number[]): EventFilter {
  const n = nums[0] ?? NaN;
  switch (op) {
    case '=': return (ev, ctx) => num(ev, ctx) === n;
    case '!=': return (ev, ctx) => { const v = num(ev, ctx); return v !== undefined && v !== n; };
    case '<': return (ev, ctx) => { const v = num(ev, ctx); return v !== undefined && v < n; };
    case '<=': return (ev, ctx) => { const v = num(ev, ctx); return v !== undefined && v <= n; };
    case '>': return (ev, ctx) => { const v = num(ev, ctx); return v !== undefined && v > n; };
    case '>=': return (ev, ctx) => { const v = num(ev, ctx); return v !== undefined && v >= n; };
    default: {
      const set = new Set(nums);
      return (ev, ctx) => { const v = num(ev, ctx); return v !== undefined && set.has(v); };
    }
  }
}

/**
 * libsinsp keeps each value of a check in a buffer of at most 256 bytes
 * (sinsp_filtercheck.h s_max_filter_value_buf_size; add_filter_value grows
 * it up to that): a text value and its NUL, or a byte string (bcontains'
 * bytes, evt.buffer's values) of 256 bytes or more, is refused
 * (value_parser.cpp check_storage_size, sinsp_filter_check::parse_filter_value).
 * Our values hold bytes as latin1, one char per byte.
 */
const MAX_VALUE_BYTES = 255;

function checkValueSizes(values: readonly string[], column: number): void {
  for (const v of values) {
    if (v.length > MAX_VALUE_BYTES) {
      throw new FilterError(`filter: value too long (${v.length} bytes; libsinsp takes at most ${MAX_VALUE_BYTES}) at column ${column}`, column);
    }
  }
}

/** The test of a string value against the operator's values. */
function stringPredicate(op: FilterOp, values: readonly string[], column: number): (v: string) => boolean {
  if (op !== 'bcontains' && op !== 'bstartswith') checkValueSizes(values, column);
  const s = values[0] ?? '';
  switch (op) {
    case '=': return (v) => v === s;
    case '!=': return (v) => v !== s;
    case 'contains': return (v) => v.includes(s);
    case 'icontains': { const low = s.toLowerCase(); return (v) => v.toLowerCase().includes(low); }
    case 'startswith': return (v) => v.startsWith(s);
    case 'endswith': return (v) => v.endsWith(s);
    case 'glob': return globMatcher(s, false);
    case 'iglob': return globMatcher(s, true);
    case 'regex': return wholeMatch(s, column);
    case 'bcontains':
    case 'bstartswith': {
      const needle = hexBytes(s, column);
      checkValueSizes([needle], column);
      return op === 'bcontains' ? (v) => v.includes(needle) : (v) => v.startsWith(needle);
    }
    // A string field against the number the parser demands after these
    // operators: libsinsp compares the two texts with strcmp, so
    // `evt.arg.fd > 3` holds for fd 4 but not for fd 10 ('1' < '3'); use
    // evt.rawarg for numbers. The literal is ASCII, where JavaScript's
    // code-unit order agrees with strcmp's byte order.
    case '<': return (v) => v < s;
    case '<=': return (v) => v <= s;
    case '>': return (v) => v > s;
    case '>=': return (v) => v >= s;
    case 'in':
    case 'intersects': { const set = new Set(values); return (v) => set.has(v); }
    case 'pmatch': return pathPrefixMatcher(values);
    default:
      throw new FilterError(`filter: operator '${op}' is not supported here (column ${column})`, column);
  }
}

/**
 * `regex`: libsinsp matches the whole value with RE2 in its POSIX syntax,
 * so `proc.name regex 'ba.h'` is bash but not bashful; posix-regex.ts reads
 * RE2's syntax (and refuses what RE2 refuses) into a JavaScript RegExp and
 * reads the value as UTF-8, as RE2 sees it.
 */
function wholeMatch(pattern: string, column: number): (v: string) => boolean {
  try {
    return regexMatcher(pattern, column);
  } catch (e) {
    if (e instanceof FilterError) throw e;
    throw new FilterError(`filter: invalid regex pattern '${pattern}': ${(e as Error).message} (column ${column})`, column);
  }
}

/** Hex digits to a latin1 string of those bytes (our string fields hold bytes as latin1). */
function hexBytes(hex: string, column: number): string {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new FilterError(`filter: expected hex bytes (such as 6f70656e), found '${hex}' (column ${column})`, column);
  }
  return Buffer.from(hex, 'hex').toString('latin1');
}
