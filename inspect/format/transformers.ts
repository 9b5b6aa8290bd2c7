// Field transformers, the functions libsinsp applies to a field's value in
// filters and output formats (falcosecurity/libs 48dfd53
// userspace/libsinsp/sinsp_filter_transformers/): `tolower(proc.name)`.

import type { FieldDef, FieldExtractor } from '../fields/field.js';

/** The transformers of one argument. */
export const TRANSFORMER_NAMES = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const;
export type Transformer = (typeof TRANSFORMER_NAMES)[number];

/** A transformer's name and its '(' where a field or a transformer may start (sticky: set lastIndex). */
export const TRANSFORMER_CALL = new RegExp(`(${TRANSFORMER_NAMES.join('|')})\\(`, 'y');

/**
 * Values are capture text (one char per byte), so lengths are byte counts
 * and case changes are C's: ASCII letters only.
 */
export const TRANSFORMERS: Record<Transformer, (v: string) => string | undefined> = {
  tolower: (v) => v.replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  toupper: (v) => v.replace(/[a-z]+/g, (m) => m.toUpperCase()),
  basename: (v) => v.slice(v.lastIndexOf('/') + 1),
  len: (v) => String(v.length),
  b64: decodeBase64,
};

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64 = /^[A-Za-z0-9+/]*$/;

/**
 * Standard base64 as libsinsp decodes it (base64.h decodeWithoutPadding):
 * up to two '=' at the end, the rest from the alphabet, no lone last char,
 * and the bits the last char has beyond the data must be zero. No value
 * for anything else.
 */
function decodeBase64(v: string): string | undefined {
  let n = v.length;
  if (n > 0 && v[n - 1] === '=') {
    n--;
    if (n > 0 && v[n - 1] === '=') n--;
  }
  const body = v.slice(0, n);
  if (!B64.test(body) || n % 4 === 1) return undefined;
  const last = n > 0 ? B64_ALPHABET.indexOf(body[n - 1]!) : 0;
  if ((n % 4 === 2 && (last & 0xf) !== 0) || (n % 4 === 3 && (last & 0x3) !== 0)) return undefined;
  return Buffer.from(body, 'base64').toString('latin1');
}

/**
 * Fields libsinsp flags EPF_NO_RHS | EPF_NO_TRANSFORMER (the ancestor
 * fields even with [N], evt.rawarg, the either-end address fields) and
 * fd.types (EPF_NO_RHS).
 */
export const NO_OPERAND_FIELDS = new Set([
  'proc.aname', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.aenv', 'proc.apid', 'evt.rawarg',
  'fd.ip', 'fd.port', 'fd.proto', 'fd.net', 'fd.cnet', 'fd.snet', 'fd.lnet', 'fd.rnet',
  'fd.cip.name', 'fd.sip.name', 'fd.lip.name', 'fd.rip.name', 'fd.types',
]);


/**
 * What a value is for comparisons: libsinsp's parameter types, as far as
 * checks tell them apart ('raw': addresses and byte buffers, which compare
 * as text but no string transformer takes).
 */
export type ValueKind = 'number' | 'string' | 'bool' | 'raw';

/** The kind of a field's values, from how -j writes them. */
export function valueKindOf(def: FieldDef): ValueKind {
  return def.json === 'number' || def.filterNumber === true ? 'number' : def.json === 'bool' ? 'bool' : 'string';
}

/** Fields libsinsp types as addresses or networks (PT_IPADDR, PT_IPNET), not strings. */
const ADDRESS_FIELDS = new Set(['fd.cip', 'fd.sip', 'fd.lip', 'fd.rip', 'fd.ip', 'fd.net', 'fd.cnet', 'fd.snet', 'fd.lnet', 'fd.rnet']);

/**
 * The kind of a field's values as a transformer sees them: 'raw' for the
 * values that are no strings to libsinsp (addresses, byte buffers, raw
 * parameters), which its string transformers refuse, valueKindOf otherwise.
 */
export function operandKindOf(def: FieldDef): ValueKind {
  return ADDRESS_FIELDS.has(def.name) || def.name === 'evt.buffer' || def.name === 'evt.rawarg' || def.name.endsWith('ip.name')
    ? 'raw' : valueKindOf(def);
}

/** Why a transformer refuses a value of `kind` that `what` gives. */
export function notAStringMessage(transformer: string, what: string, kind: ValueKind): string {
  const gives = kind === 'bool' ? 'a boolean' : kind === 'number' ? 'a number' : 'an address or raw bytes';
  return `${transformer}() takes a string, and ${what} gives ${gives}`;
}

/**
 * The extractor of `def` (with `arg`) seen through `wraps`, applied in
 * order, and the kind of its values: a transformer takes a string and gives
 * one, len() a number. Throws an Error saying what libsinsp refuses: a
 * number, boolean or address field, a field with several values or flagged
 * EPF_NO_TRANSFORMER, evt.buffer (a byte buffer its filters see otherwise
 * than its output), or a transformer after len().
 */
export function applyTransformers(def: FieldDef, arg: string | undefined, wraps: readonly Transformer[]): { read: FieldExtractor; kind: ValueKind } {
  const base = operandKindOf(def);
  if (NO_OPERAND_FIELDS.has(def.name) || def.name === 'evt.buffer' || def.compileValues?.(arg) !== undefined) {
    throw new Error(`${def.name} takes no transformer`);
  }
  let kind = base;
  let from = def.name;
  for (const w of wraps) {
    if (kind !== 'string') throw new Error(notAStringMessage(w, from, kind));
    if (w === 'len') kind = 'number';
    from = `${w}()`;
  }
  const inner = def.compile(arg);
  const fns = wraps.map((w) => TRANSFORMERS[w]);
  const read: FieldExtractor = (ev, ctx) => {
    let v = inner(ev, ctx);
    for (let k = 0; k < fns.length && v !== undefined; k++) v = fns[k]!(v);
    return v;
  };
  return { read, kind };
}
