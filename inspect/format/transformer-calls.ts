// Values of the operands operand-syntax.ts reads: transformer calls over
// fields, literal strings and lists, with the rules of falcosecurity/libs
// 48dfd53 (sinsp_filtercheck_multivalue_transformer.cpp,
// sinsp_filtercheck_rawstring.cpp, the extractor compiler in filter.cpp):
//
// - a literal argument is a string; a list `(a, b)` is every value of its
//   items in order, numbers as their text, and has no value when one item
//   has none; any field may be an argument or a list item;
// - join(sep, list) and concat(a, b, ...) give a string, each value cut at
//   its first NUL (they append C strings); getopt(list, optstring) is
//   getopt(3) over the list without long options: the options found, each
//   followed by its argument, '?' for one not in optstring; getopt(...)[c]
//   is the last argument of option c (or c itself when it takes none), no
//   value when c is absent;
// - a one-argument transformer on a list applies to each value, except
//   len(), which counts them.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { OperandError, type OperandExpr } from './operand-syntax.js';
import { NO_OPERAND_FIELDS, TRANSFORMERS, TRANSFORMER_NAMES, notAStringMessage, operandKindOf, type Transformer, type ValueKind } from './transformers.js';

type Values = (ev: EventCursor, ctx: FieldContext) => readonly string[] | undefined;

/** What an operand gives per event. */
export interface OperandValue {
  readonly kind: ValueKind;
  /** A list (getopt without [c], a list): checks take only exists, in and intersects. */
  readonly list: boolean;
  /** The value; a list as libsinsp prints one, `(a,b)`. */
  readonly read: FieldExtractor;
  /** Every value: one for a value that is not a list; undefined when there is none. */
  readonly readAll: Values;
}

/** Finds a field by name and [argument]; throws for an unknown one. */
export type ResolveField = (name: string, bracketArg: string | undefined, column: number) => { def: FieldDef; arg: string | undefined };

/** The value of `expr`; throws OperandError for what libsinsp refuses. */
export function compileOperandExpr(expr: OperandExpr, resolve: ResolveField): OperandValue {
  switch (expr.kind) {
    case 'text': {
      const value = expr.value;
      const all = [value];
      return { kind: 'string', list: false, read: () => value, readAll: () => all };
    }
    case 'field': return fieldValue(expr, resolve, false);
    case 'list': return listValue(expr.items.map((item) => argumentValue(item, resolve)));
    case 'call': return callValue(expr, resolve);
  }
}

/** An argument of join, concat or getopt, or a list item: any field may be one. */
function argumentValue(expr: OperandExpr, resolve: ResolveField): OperandValue {
  return expr.kind === 'field' ? fieldValue(expr, resolve, true) : compileOperandExpr(expr, resolve);
}

function scalar(kind: ValueKind, read: FieldExtractor): OperandValue {
  return {
    kind, list: false, read,
    readAll: (ev, ctx) => { const v = read(ev, ctx); return v === undefined ? undefined : [v]; },
  };
}

function list(readAll: Values): OperandValue {
  return {
    kind: 'string', list: true, readAll,
    read: (ev, ctx) => { const vs = readAll(ev, ctx); return vs === undefined ? undefined : `(${vs.join(',')})`; },
  };
}

/**
 * A field's value. Where a transformer of one argument takes it, libsinsp
 * refuses the fields flagged EPF_NO_TRANSFORMER and those with several
 * values; as an argument of join, concat or getopt or in a list, a field is
 * only extracted: any may be one, a field with several values (proc.aname)
 * gives them all in a list and its first elsewhere.
 */
function fieldValue(expr: Extract<OperandExpr, { kind: 'field' }>, resolve: ResolveField, argument: boolean): OperandValue {
  const { def, arg } = resolve(expr.field, expr.bracketArg, expr.column);
  // A number printed otherwise (fd.dev in hex) is its decimal value here, as any number is.
  const read = (def.filterNumber === true ? def.compileFilterText ?? def.compile : def.compile)(arg);
  // fd.types is a list field (EPF_IS_LIST), printed `(a,b)`.
  if (def.name === 'fd.types') {
    return list((ev, ctx) => {
      const v = read(ev, ctx);
      return v === undefined ? undefined : v.slice(1, -1).split(',').filter((x) => x !== '');
    });
  }
  const many = def.compileValues?.(arg);
  if (!argument && (NO_OPERAND_FIELDS.has(def.name) || def.name === 'evt.buffer' || many !== undefined)) {
    throw new OperandError(`${def.name} takes no transformer (column ${expr.column})`, expr.column);
  }
  const kind = operandKindOf(def);
  if (many === undefined) return scalar(kind, read);
  return { kind, list: false, read: (ev, ctx) => many(ev, ctx)?.[0], readAll: many };
}

function listValue(items: readonly OperandValue[]): OperandValue {
  const reads = items.map((i) => (i.kind === 'bool' ? boolBytes(i.readAll) : i.readAll));
  return list((ev, ctx) => {
    const out: string[] = [];
    for (const readAll of reads) {
      const vs = readAll(ev, ctx);
      if (vs === undefined) return undefined;
      for (const v of vs) out.push(v);
    }
    return out;
  });
}

/**
 * A boolean in a list is its bytes to libsinsp (a u32 that join appends as
 * a C string): "\x01" for true, nothing for false.
 */
function boolBytes(readAll: Values): Values {
  return (ev, ctx) => readAll(ev, ctx)?.map((v) => (v === 'true' ? '\x01' : ''));
}

/** A value as a C string: up to its first NUL. */
const cString = (v: string): string => { const nul = v.indexOf('\0'); return nul < 0 ? v : v.slice(0, nul); };

function callValue(expr: Extract<OperandExpr, { kind: 'call' }>, resolve: ResolveField): OperandValue {
  const { name, column } = expr;
  const fail = (what: string): never => { throw new OperandError(`${what} (column ${column})`, column); };
  if ((TRANSFORMER_NAMES as readonly string[]).includes(name)) {
    if (expr.args.length !== 1) fail(`${name}() takes one argument`);
    if (expr.bracketArg !== undefined) fail(`transformer '${name}' does not support field arguments`);
    const a = expr.args[0]!;
    const argName = a.kind === 'field' ? a.field : a.kind === 'call' ? `${a.name}()` : 'its argument';
    const bytes = a.kind === 'field' && (name === 'len' || name === 'b64') ? byteBuffer(a, resolve) : undefined;
    if (bytes !== undefined) {
      // len and b64 take a byte buffer (PT_BYTEBUF) too, on its bytes. b64's
      // result is bytes again, and libsinsp's string transformers (trailing
      // NULs dropped, then a NUL added where the result lacks one) give a
      // buffer that keeps that NUL: b64 of an empty buffer is "\0", not ''.
      if (name === 'len') return scalar('number', (ev, ctx) => { const v = bytes(ev, ctx); return v === undefined ? undefined : String(v.length); });
      return scalar('raw', (ev, ctx) => {
        const v = bytes(ev, ctx);
        if (v === undefined) return undefined;
        const out = TRANSFORMERS.b64(v.replace(/\0+$/, ''));
        return out === undefined ? undefined : out.endsWith('\0') ? out : `${out}\0`;
      });
    }
    return transformed(name as Transformer, compileOperandExpr(a, resolve), argName, fail);
  }
  const args = expr.args.map((a) => argumentValue(a, resolve));
  if (name === 'join') {
    if (args.length !== 2) fail('join() requires exactly 2 arguments: separator and list');
    const [sep, items] = args as [OperandValue, OperandValue];
    if (sep.list) fail('join() first argument (separator) must be a single value, not a list');
    if (!items.list) fail('join() second argument must be a list');
    if (sep.kind !== 'string') fail('join() separator must be a string');
    if (expr.bracketArg !== undefined) fail("transformer 'join' does not support field arguments");
    return scalar('string', (ev, ctx) => {
      const s = sep.read(ev, ctx);
      if (s === undefined) return undefined;
      const vs = items.readAll(ev, ctx);
      return vs === undefined ? undefined : vs.map(cString).join(s);
    });
  }
  if (name === 'concat') {
    if (args.length < 2) fail('concat() requires at least 2 arguments');
    if (args.some((a) => a.list || a.kind !== 'string')) fail('concat() arguments must be strings');
    if (expr.bracketArg !== undefined) fail("transformer 'concat' does not support field arguments");
    return scalar('string', (ev, ctx) => {
      let out = '';
      for (const a of args) {
        const v = a.read(ev, ctx);
        if (v === undefined) return undefined;
        out += cString(v);
      }
      return out;
    });
  }
  // getopt
  if (args.length !== 2) fail('getopt() requires exactly 2 arguments: args list and optstring');
  const [argv, optstring] = args as [OperandValue, OperandValue];
  if (!argv.list) fail('getopt() first argument must be a list');
  if (optstring.list) fail('getopt() second argument (optstring) must be a single value');
  if (argv.kind !== 'string' || optstring.kind !== 'string') fail('getopt() arguments must be strings');
  const selector = expr.bracketArg;
  if (selector !== undefined && selector.length !== 1) fail('getopt() field argument must be a single option character');
  const run = (ev: EventCursor, ctx: FieldContext): string[] | undefined => {
    const opts = optstring.read(ev, ctx);
    if (opts === undefined) return undefined;
    const vs = argv.readAll(ev, ctx);
    return vs === undefined ? undefined : getopt(vs, opts, selector);
  };
  return selector === undefined ? list(run) : scalar('string', (ev, ctx) => run(ev, ctx)?.[0]);
}

/**
 * evt.buffer's bytes (one char per byte, as filters compare them), when
 * `expr` names it: the byte buffer libsinsp's len and b64 transformers take.
 * Only filters reach here with it: formats give one-argument transformers
 * their own path (transformers.ts), which refuses evt.buffer.
 */
function byteBuffer(expr: Extract<OperandExpr, { kind: 'field' }>, resolve: ResolveField): FieldExtractor | undefined {
  const { def, arg } = resolve(expr.field, expr.bracketArg, expr.column);
  return def.name === 'evt.buffer' ? (def.compileFilterText ?? def.compile)(arg) : undefined;
}

/** A one-argument transformer on `arg` (transformers.ts), each value of a list but for len(). */
function transformed(name: Transformer, arg: OperandValue, argName: string, fail: (what: string) => never): OperandValue {
  if (arg.kind !== 'string') fail(notAStringMessage(name, argName, arg.kind));
  const fn = TRANSFORMERS[name];
  if (!arg.list) {
    const read = arg.read;
    return scalar(name === 'len' ? 'number' : 'string', (ev, ctx) => { const v = read(ev, ctx); return v === undefined ? undefined : fn(v); });
  }
  if (name === 'len') return scalar('number', (ev, ctx) => { const vs = arg.readAll(ev, ctx); return vs === undefined ? undefined : String(vs.length); });
  return list((ev, ctx) => {
    const vs = arg.readAll(ev, ctx);
    if (vs === undefined) return undefined;
    const out: string[] = [];
    for (const v of vs) {
      const t = fn(v);
      if (t === undefined) return undefined;
      out.push(t);
    }
    return out;
  });
}

/**
 * getopt(3) over `argv` with `optstring`, as libsinsp's getopt transformer:
 * stops at `--`, at the first word that is no option (or a lone `-`), skips
 * long options; a cluster `-nt` is its options in turn; an option taking an
 * argument takes the rest of its word or the next word (an empty value when
 * there is none). Without `selector`, the options and arguments in order
 * ('?' for an unknown option); with it, the last value of that option
 * alone (its argument, or itself), or undefined when it is absent.
 */
export function getopt(argv: readonly string[], optstring: string, selector: string | undefined): string[] | undefined {
  const valid = new Set<string>();
  const withArg = new Set<string>();
  for (let i = optstring.startsWith(':') ? 1 : 0; i < optstring.length; i++) {
    const c = optstring[i]!;
    if (c === ':') continue;
    valid.add(c);
    if (optstring[i + 1] === ':') { withArg.add(c); i++; }
  }
  const out: string[] = [];
  let selected: string | undefined;
  const emit = (option: string, value: string | undefined): void => {
    if (selector !== undefined) selected = value ?? option;
    else { out.push(option); if (value !== undefined) out.push(value); }
  };
  for (let k = 0; k < argv.length; k++) {
    const word = argv[k]!;
    if (word === '--') break;
    if (word.length > 2 && word.startsWith('--')) continue;
    if (word.length < 2 || word[0] !== '-') break;
    for (let i = 1; i < word.length; i++) {
      const opt = word[i]!;
      if (opt === ':' || !valid.has(opt)) {
        if (selector === undefined) out.push('?');
        continue;
      }
      const matches = selector === undefined || opt === selector;
      if (!withArg.has(opt)) {
        if (matches) emit(opt, undefined);
        continue;
      }
      let value: string | undefined;
      if (i + 1 < word.length) value = word.slice(i + 1);
      else if (k + 1 < argv.length) value = argv[++k]!;
      if (value === undefined) {
        if (matches) emit('', undefined);
      } else if (matches) emit(opt, value);
      break;
    }
  }
  if (selector === undefined) return out;
  return selected === undefined ? undefined : [selected];
}
