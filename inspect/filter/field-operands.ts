// Checks whose operands are not plain values: transformers on the field
// (`tolower(proc.name) = bash`, `len(fd.name) > 20`, `concat(proc.name,
// "x")`, `getopt(...)`) and fields on the right (`proc.pid =
// val(thread.tid)`, `fd.name startswith val(proc.cwd)`), as libsinsp 48dfd53
// has them (userspace/libsinsp/sinsp_filter_transformers/,
// sinsp_filtercheck.cpp): a transformer takes a string field and gives a
// string (len: a number); both sides of a field comparison must be of the
// same kind, and both lists or neither; a field with several values
// (proc.aname without [N]) takes neither.

import type { FieldDef } from '../fields/field.js';
import type { EventFilter } from './compile.js';
import { FilterError } from './errors.js';
import { globMatcher } from './glob.js';
import { NO_OPERAND_FIELDS } from '../format/transformers.js';
import { compileOperandExpr, type OperandValue } from '../format/transformer-calls.js';
import { OperandError } from '../format/operand-syntax.js';
import type { FieldRef, FilterOp } from './parser.js';

/** A side of a check: its value per event (undefined: none), what kind of value it is, whether a list. */
export interface Operand extends OperandValue {
  readonly name: string;
}

type Resolve = (name: string, bracketArg: string | undefined, column: number) => { def: FieldDef; arg: string | undefined };

/** The operand `ref` names: a field, with its transformers (format/transformer-calls.ts). */
export function compileOperand(ref: FieldRef, resolve: Resolve): Operand {
  let expr = ref.expr;
  if (expr === undefined) {
    if (ref.transforms.length === 0) {
      // A field alone beside another field: not one of those libsinsp keeps off either side.
      const { def, arg } = resolve(ref.field, ref.bracketArg, ref.column);
      if (def.compileValues?.(arg) !== undefined || NO_OPERAND_FIELDS.has(def.name)) {
        throw new FilterError(`filter: ${def.name} takes no transformer and no field on either side of its check (column ${ref.column})`, ref.column);
      }
    }
    expr = { kind: 'field', field: ref.field, bracketArg: ref.bracketArg, column: ref.column };
    for (const name of ref.transforms) expr = { kind: 'call', name, args: [expr], bracketArg: undefined, column: ref.column };
  }
  const name = ref.expr?.kind === 'call' ? `${ref.expr.name}()` : ref.bracketArg === undefined ? ref.field : `${ref.field}[${ref.bracketArg}]`;
  try {
    return { name, ...compileOperandExpr(expr, resolve) };
  } catch (e) {
    if (e instanceof OperandError) throw new FilterError(`filter: ${e.message}`, e.column);
    throw e;
  }
}

const ORDER_OPS = new Set<FilterOp>(['=', '!=', '<', '<=', '>', '>=']);

/** `lhs OP rhs` with a field on both sides. */
export function fieldComparison(lhs: Operand, op: FilterOp, rhs: Operand, column: number): EventFilter {
  if (lhs.kind !== rhs.kind || lhs.list !== rhs.list) {
    const what = (o: Operand): string => `a ${o.kind}${o.list ? ' list' : ''}`;
    throw new FilterError(`filter: ${lhs.name} is ${what(lhs)} and the right-hand side ${rhs.name} ${what(rhs)}: they cannot be compared (column ${column})`, column);
  }
  if (op === 'in' || op === 'intersects') {
    // Membership in the right side's values: every value of the left (in) or one (intersects).
    const every = op === 'in';
    return (ev, ctx) => {
      const as = lhs.readAll(ev, ctx);
      if (as === undefined) return false;
      const bs = rhs.readAll(ev, ctx);
      if (bs === undefined) return false;
      return every ? as.every((a) => bs.includes(a)) : as.some((a) => bs.includes(a));
    };
  }
  if (lhs.list) throw new FilterError(listOperatorError(op, column), column);
  // libsinsp takes a field on the right of any operator but pmatch and regex
  // (sinsp_filtercheck.cpp add_filter_value): glob's pattern is then the
  // right field's value on each event.
  const textOps = lhs.kind === 'string'
    && (op === 'contains' || op === 'icontains' || op === 'startswith' || op === 'endswith' || op === 'glob' || op === 'iglob');
  if (!ORDER_OPS.has(op) && !textOps) {
    throw new FilterError(`filter: operator '${op}' does not take a field on its right (column ${column})`, column);
  }
  if (lhs.kind === 'number') {
    const cmp = ordered<number>(op);
    return (ev, ctx) => {
      const a = lhs.read(ev, ctx);
      if (a === undefined) return false;
      const b = rhs.read(ev, ctx);
      return b !== undefined && cmp(Number(a), Number(b));
    };
  }
  const cmp = textOps ? textMatch(op) : ordered<string>(op);
  return (ev, ctx) => {
    const a = lhs.read(ev, ctx);
    if (a === undefined) return false;
    const b = rhs.read(ev, ctx);
    return b !== undefined && cmp(a, b);
  };
}

/** libsinsp's refusal of an operator on a list operand. */
export const listOperatorError = (op: FilterOp, column: number): string =>
  `filter: '${op}' operator not supported list filters; a list takes exists, in and intersects (column ${column})`;

function ordered<T extends number | string>(op: FilterOp): (a: T, b: T) => boolean {
  switch (op) {
    case '=': return (a, b) => a === b;
    case '!=': return (a, b) => a !== b;
    case '<': return (a, b) => a < b;
    case '<=': return (a, b) => a <= b;
    case '>': return (a, b) => a > b;
    default: return (a, b) => a >= b;
  }
}

function textMatch(op: FilterOp): (a: string, b: string) => boolean {
  switch (op) {
    case 'contains': return (a, b) => a.includes(b);
    case 'icontains': return (a, b) => a.toLowerCase().includes(b.toLowerCase());
    case 'startswith': return (a, b) => a.startsWith(b);
    case 'glob': case 'iglob': {
      // The pattern changes with the event; the last one's matcher is kept.
      const fold = op === 'iglob';
      let pattern: string | undefined;
      let matches: (v: string) => boolean = () => false;
      return (a, b) => {
        if (b !== pattern) { pattern = b; matches = globMatcher(b, fold); }
        return matches(a);
      };
    }
    default: return (a, b) => a.endsWith(b);
  }
}
