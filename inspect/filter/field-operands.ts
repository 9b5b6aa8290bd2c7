// Checks whose operands are not plain values: transformers on the field
// (`tolower(proc.name) = bash`, `len(fd.name) > 20`) and fields on the right
// (`proc.pid = val(thread.tid)`, `fd.name startswith val(proc.cwd)`), as
// libsinsp 48dfd53 has them (userspace/libsinsp/sinsp_filter_transformers/,
// sinsp_filtercheck.cpp): a transformer takes a string field and gives a
// string (len: a number); both sides of a field comparison must be of the
// same kind; a field with several values (proc.aname without [N]) takes
// neither.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef } from '../fields/field.js';
import type { EventFilter } from './compile.js';
import { FilterError } from './errors.js';
import { NO_OPERAND_FIELDS, applyTransformers, type ValueKind } from '../format/transformers.js';
import type { FieldRef, FilterOp } from './parser.js';

/** A side of a check: its value per event (undefined: none) and what kind of value it is. */
export interface Operand {
  readonly name: string;
  readonly kind: ValueKind;
  readonly read: (ev: EventCursor, ctx: FieldContext) => string | undefined;
}

type Resolve = (name: string, bracketArg: string | undefined, column: number) => { def: FieldDef; arg: string | undefined };

/** The operand `ref` names, its transformers applied (applyTransformers). */
export function compileOperand(ref: FieldRef, resolve: Resolve): Operand {
  const { def, arg } = resolve(ref.field, ref.bracketArg, ref.column);
  const name = ref.bracketArg === undefined ? ref.field : `${ref.field}[${ref.bracketArg}]`;
  if (def.compileValues?.(arg) !== undefined || NO_OPERAND_FIELDS.has(def.name)) {
    throw new FilterError(`filter: ${def.name} takes no transformer and no field on either side of its check (column ${ref.column})`, ref.column);
  }
  try {
    return { name, ...applyTransformers(def, arg, ref.transforms) };
  } catch (e) {
    throw new FilterError(`filter: ${(e as Error).message} (column ${ref.column})`, ref.column);
  }
}

const ORDER_OPS = new Set<FilterOp>(['=', '!=', '<', '<=', '>', '>=']);

/** `lhs OP rhs` with a field on both sides. */
export function fieldComparison(lhs: Operand, op: FilterOp, rhs: Operand, column: number): EventFilter {
  if (lhs.kind !== rhs.kind) {
    throw new FilterError(`filter: ${lhs.name} is a ${lhs.kind} and the right-hand side ${rhs.name} a ${rhs.kind}: they cannot be compared (column ${column})`, column);
  }
  const textOps = lhs.kind === 'string' && (op === 'contains' || op === 'icontains' || op === 'startswith' || op === 'endswith');
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
    default: return (a, b) => a.endsWith(b);
  }
}
