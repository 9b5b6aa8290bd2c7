import { bracketNumber } from '../fields/field.js';
import type { FieldDef } from '../fields/field.js';
import { didYouMean, nearestNames } from '../fields/nearest-names.js';
import { TRANSFORMER_NAMES, applyTransformers, type Transformer, type ValueKind } from './transformers.js';
import { ANY_CALL, FIELD_ARG_BARE, OperandError, scanCall, scanQuoted, transformChain, type OperandExpr } from './operand-syntax.js';
import { compileOperandExpr } from './transformer-calls.js';

/** A format string that names a field nobody knows, or is malformed. */
export class FormatError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
    this.name = 'FormatError';
  }
}

/** One `%field` of a format string, resolved against the field table. */
export interface FormatField {
  /** The field as written (`proc.aname[1]`, `evt.rawarg.fd`): sinsp's JSON key. */
  readonly text: string;
  readonly def: FieldDef;
  readonly arg: string | undefined;
  /** `%20proc.name`: the value is padded with spaces or cut to this many chars; 0 for none. */
  readonly width: number;
}

/**
 * A format string split into its parts: `literals[k]` comes before
 * `fields[k]`, and the last literal after the last field, so there is always
 * one more literal than fields. Literals are as the user wrote them.
 */
export interface ParsedFormat {
  /** The `*` prefix: fields without a value print `<NA>` rather than drop the event. */
  readonly printAll: boolean;
  readonly literals: readonly string[];
  readonly fields: readonly FormatField[];
}

/** Characters of a field name, as sinsp's formatter scans them. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*/;
const WIDTH = /^[0-9]+/;
const CALL = new RegExp(`^(${TRANSFORMER_NAMES.join('|')})\\(\\s*`);

/**
 * Splits a sinsp format string (`*%evt.num %20proc.name`) into literals and
 * fields. This is the one place field references are resolved, so text and
 * `-j` output accept exactly the same formats.
 *
 * Field names are matched longest-first against `fields`, so `%evt.arg.fd`
 * finds `evt.arg` with the argument `fd`; `%evt.arg[1]` passes `1`. Digits
 * right after `%` are a width (sinsp's eventformatter reads them with
 * sscanf("%d") before the field name).
 */
export function parseFormat(format: string, fields: ReadonlyMap<string, FieldDef>): ParsedFormat {
  let text = format;
  let base = 0;
  const printAll = text.startsWith('*');
  if (printAll) { text = text.slice(1); base = 1; }

  const literals: string[] = [];
  const out: FormatField[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') { lit += c; continue; }
    let start = i + 1;
    const w = WIDTH.exec(text.slice(start));
    const width = w ? Number(w[0]) : 0;
    if (w) start += w[0].length;
    // `%concat(proc.name, "-x")`: a call that is more than transformers around a field.
    const call = callAt(text, start, fields, base);
    if (call !== undefined) {
      literals.push(lit);
      lit = '';
      out.push({ text: text.slice(start, call.end), def: call.def, arg: undefined, width });
      i = call.end - 1;
      continue;
    }
    // `%tolower(basename(proc.exe))`: transformers around the field.
    const wraps: Transformer[] = [];
    let at = start;
    for (let t = CALL.exec(text.slice(at)); t !== null; t = CALL.exec(text.slice(at))) {
      wraps.push(t[1] as Transformer);
      at += t[0].length;
    }
    const m = FIELD_NAME.exec(text.slice(at));
    if (!m) throw new FormatError(`format: expected a field name after '%' at column ${base + at}`, base + at);
    const resolved = resolveField(m[0], text.slice(at + m[0].length), fields, base + at);
    let end = at + resolved.consumed;
    for (let k = 0; k < wraps.length; k++) {
      const close = /^\s*\)/.exec(text.slice(end));
      if (!close) throw new FormatError(`format: expected ')' closing the transformer at column ${base + end}`, base + end);
      end += close[0].length;
    }
    if (wraps.length === 0) {
      // A field refuses an argument when it compiles (proc.aname[x]): say where.
      try {
        resolved.def.compile(resolved.arg);
      } catch (e) {
        throw new FormatError(`format: ${(e as Error).message} (column ${base + at})`, base + at);
      }
    }
    const def = wraps.length === 0 ? resolved.def : transformed(resolved.def, resolved.arg, wraps.reverse(), base + start);
    literals.push(lit);
    lit = '';
    // sinsp's JSON key names a quoted argument by its value (proc.env[HOME]).
    const written = resolved.key === undefined ? text.slice(start, end)
      : text.slice(start, at) + resolved.key + text.slice(at + resolved.consumed, end);
    out.push({ text: written, def, arg: resolved.arg, width });
    i = end - 1;
  }
  literals.push(lit);
  return { printAll, literals, fields: out };
}

/**
 * The field a `%` reference names: the longest prefix of `name` that is a
 * field, the rest being text, as sinsp's formatter reads it (it retries the
 * field parse one character shorter until one compiles): `%evt.num.` is
 * evt.num and a dot, `%proc.name_%thread.tid` proc.name, `_` and thread.tid.
 * A field that needs an argument it was not given is reported only when no
 * shorter name is a field.
 */
function resolveField(
  name: string, rest: string, fields: ReadonlyMap<string, FieldDef>, column: number,
): { def: FieldDef; arg: string | undefined; consumed: number; key?: string } {
  let missingArg: string | undefined;
  for (let candidate = name; candidate.length > 0; candidate = candidate.slice(0, -1)) {
    const def = fields.get(candidate);
    if (def === undefined) continue;
    const found = resolveArg(candidate, def, name.slice(candidate.length), rest, column);
    if (typeof found !== 'string') return found;
    missingArg ??= found;
  }
  if (missingArg !== undefined) throw new FormatError(missingArg, column);
  const near = nearestNames(name.replace(/\.+$/, ''), fields.keys());
  throw new FormatError(`format: unknown field '${name}' at column ${column}${didYouMean(near)}`, column);
}

/**
 * Field `candidate` of a reference, with the argument that follows it
 * (`after` in the name, then `rest`) if it takes one; what is wrong when it
 * needs one it was not given. A bracket argument it refuses is an error.
 */
function resolveArg(
  candidate: string, def: FieldDef, after: string, rest: string, column: number,
): { def: FieldDef; arg: string | undefined; consumed: number; key?: string } | string {
  if (!def.takesArg) {
    return { def, arg: undefined, consumed: candidate.length };
  }
  // Only fields with named arguments (evt.arg.NAME, evt.rawarg.NAME,
  // evt.type.is.TYPE, thread.cgroup.SUBSYS) read a `.NAME`: after the
  // others it is text, as in sinsp (`%proc.aname.2` is the names, then `.2`).
  const named = def.argNameLength !== undefined || def.dotArgOnly === true;
  if (after.startsWith('.') && after.length > 1 && named) {
    // Event arguments: the longest parameter name the text starts with (the rest is text).
    const text = after.slice(1);
    const n = def.argNameLength ? def.argNameLength(text) : text.length;
    if (n === 0) return `format: unknown event argument '${text}' of ${candidate} at column ${column}`;
    return { def, arg: text.slice(0, n), consumed: candidate.length + 1 + n };
  }
  if (after === '' && rest.startsWith('[')) {
    // A quoted argument, as filters take it (libsinsp reads format fields
    // with the filter grammar): `%proc.env["HOME"]` is the variable HOME.
    let quoted: { value: string; end: number } | undefined;
    try {
      quoted = scanQuoted(rest, 1);
    } catch {
      quoted = undefined;
    }
    if (quoted !== undefined && rest[quoted.end] === ']') {
      return { def, arg: quoted.value, consumed: candidate.length + quoted.end + 1, key: `${candidate}[${quoted.value}]` };
    }
    // A bare argument as the filter grammar reads one: libsinsp cannot read
    // `[]` or `[ 1]`, and prints the field without argument followed by the
    // brackets as text; we refuse such formats (inspect/README.md).
    FIELD_ARG_BARE.lastIndex = 1;
    const bare = FIELD_ARG_BARE.exec(rest)?.[0];
    if (bare === undefined || rest[1 + bare.length] !== ']') {
      if (!rest.includes(']')) throw new FormatError(`format: missing ']' after %${candidate}[ at column ${column}`, column);
      throw new FormatError(`format: the argument of %${candidate}[] is a quoted string or text without spaces, quotes or brackets (column ${column})`, column);
    }
    const close = 1 + bare.length;
    let arg = bare;
    if (def.dotArgOnly) throw new FormatError(`format: %${candidate} takes its argument as %${candidate}.NAME, not [${arg}] (column ${column})`, column);
    if (def.bracketIsNumber) {
      try {
        arg = bracketNumber(arg);
      } catch (e) {
        throw new FormatError(`format: ${(e as Error).message} in %${candidate}[] at column ${column}`, column);
      }
    }
    return { def, arg, consumed: candidate.length + close + 1 };
  }
  if (def.argOptional) return { def, arg: undefined, consumed: candidate.length };
  const forms = def.dotArgOnly === true ? `${candidate}.NAME` : named ? `${candidate}.NAME or ${candidate}[N]` : `${candidate}[N]`;
  return `format: field ${candidate} needs an argument (${forms}) at column ${column}`;
}

/**
 * A field seen through transformers (applyTransformers): its value is the
 * transformed text in text and JSON output alike. (sinsp-example at 48dfd53
 * prints len() as <NA> and writes the untransformed field under its own
 * name in -j: its formatter skips the transformer there.)
 */
function transformed(def: FieldDef, arg: string | undefined, wraps: readonly Transformer[], column: number): FieldDef {
  if (def.name === 'fd.types') return transformedList(def, arg, wraps, column);
  let kind: ValueKind;
  try {
    kind = applyTransformers(def, arg, wraps).kind;
  } catch (e) {
    throw new FormatError(`format: ${(e as Error).message} (column ${column})`, column);
  }
  return {
    name: def.name,
    description: def.description,
    json: kind === 'number' ? 'number' : 'string',
    compile: (a) => applyTransformers(def, a, wraps).read,
  };
}

/**
 * fd.types (a list field, EPF_IS_LIST) seen through transformers: each
 * transformer takes every type, len() counts them, and the list prints as
 * the field does (sinsp-example: `%toupper(fd.types)` is `(FILE,PIPE)`,
 * `%len(fd.types)` 2), as filters read it (transformer-calls.ts).
 */
function transformedList(def: FieldDef, arg: string | undefined, wraps: readonly Transformer[], column: number): FieldDef {
  let expr: OperandExpr = { kind: 'field', field: def.name, bracketArg: arg, column };
  for (const name of wraps) expr = { kind: 'call', name, args: [expr], bracketArg: undefined, column };
  let value: ReturnType<typeof compileOperandExpr>;
  try {
    value = compileOperandExpr(expr, () => ({ def, arg }));
  } catch (e) {
    if (!(e instanceof OperandError)) throw e;
    throw new FormatError(`format: ${e.message}`, e.column);
  }
  return { name: def.name, description: def.description, json: value.kind === 'number' ? 'number' : 'string', compile: () => value.read };
}

/**
 * The call at `text[at]` when it is more than transformers of one argument
 * around a field (those keep the path above, with its field-name rules):
 * join, concat, getopt, or literal arguments. Undefined otherwise.
 */
function callAt(text: string, at: number, fields: ReadonlyMap<string, FieldDef>, base: number): { def: FieldDef; end: number } | undefined {
  ANY_CALL.lastIndex = at;
  if (!ANY_CALL.test(text)) return undefined;
  let scanned: { expr: OperandExpr; end: number };
  try {
    scanned = scanCall(text, at);
  } catch (e) {
    if (!(e instanceof OperandError)) throw e;
    // Not a call this path reads: the transformer loop says what is wrong.
    return undefined;
  }
  if (transformChain(scanned.expr) !== undefined) return undefined;
  const resolve = (name: string, bracketArg: string | undefined, column: number) =>
    resolveField(name, bracketArg === undefined ? '' : `[${bracketArg}]`, fields, base + column - 1);
  try {
    const value = compileOperandExpr(scanned.expr, resolve);
    const written = text.slice(at, scanned.end);
    return {
      def: { name: written, description: written, json: value.kind === 'number' ? 'number' : 'string', compile: () => value.read },
      end: scanned.end,
    };
  } catch (err) {
    if (err instanceof OperandError) throw new FormatError(`format: ${err.message}`, base + err.column - 1);
    throw err;
  }
}
