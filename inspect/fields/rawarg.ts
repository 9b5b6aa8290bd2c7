// `evt.rawarg.NAME`: one parameter as its raw value, with libsinsp's rules
// (falcosecurity/libs 48dfd53: sinsp_filtercheck_event.cpp extract_argraw,
// which types the field per event with the parameter's type and print
// format; sinsp_filtercheck.cpp rawval_to_string for text and rawval_to_json
// for -j; event.h data_and_len_with_legacy_null_encoding):
// - integers print by the parameter's print format: PF_DEC/PF_ID decimal,
//   PF_HEX upper-case hex and PF_OCT octal without prefix (the two's
//   complement for negative values), PF_10_PADDED_DEC zero-padded to 9
//   digits (64-bit types only). An empty parameter prints 0;
// - a print format the type has no case for gives no value (<NA>), except
//   for 64-bit signed types, which fall back to decimal;
// - in JSON, integers in decimal are numbers and every other rendering a
//   string; booleans are true/false;
// - strings up to their NUL; an empty one or "(NULL)" is "<NA>"; an empty
//   byte buffer is empty, others render as in evt.args.
// Types libsinsp cannot print at all (socket tuples, fd lists, modes, …: it
// throws "wrong param type") print as evt.args shows them.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { ParamType, PrintFormat } from '../../scapfile/schema/types.js';
import type { ParamInfo } from '../../scapfile/schema/types.js';
import { ipv4ToString, ipv6ToString } from '../format/net.js';

/** How -j writes a raw parameter's text; FALLBACK: libsinsp has no rule, use the evt.args text. */
export const RawKind = { NONE: 0, STRING: 1, NUMBER: 2, BOOL: 3, FALLBACK: 4 } as const;
export type RawKind = (typeof RawKind)[keyof typeof RawKind];

const T = ParamType;
const F = PrintFormat;

/** Byte widths of the fixed-size integer types libsinsp prints, by signedness. */
function intWidth(type: number): { bytes: number; signed: boolean } | undefined {
  switch (type) {
    case T.INT8: return { bytes: 1, signed: true };
    case T.INT16: return { bytes: 2, signed: true };
    case T.INT32: return { bytes: 4, signed: true };
    case T.INT64: case T.PID: case T.FD: case T.ERRNO: return { bytes: 8, signed: true };
    case T.UINT8: case T.FLAGS8: case T.ENUMFLAGS8: case T.L4PROTO: return { bytes: 1, signed: false };
    case T.UINT16: case T.FLAGS16: case T.ENUMFLAGS16: case T.PORT: return { bytes: 2, signed: false };
    case T.UINT32: case T.FLAGS32: case T.ENUMFLAGS32: case T.UID: case T.GID: return { bytes: 4, signed: false };
    case T.UINT64: case T.RELTIME: case T.ABSTIME: return { bytes: 8, signed: false };
    default: return undefined;
  }
}

/**
 * Per (type, format) pair, computed once: how to render, or undefined when
 * libsinsp has no rule and we fall back to the evt.args text.
 */
interface IntRule { readonly bytes: number; readonly signed: boolean; readonly radix: 10 | 16 | 8; readonly pad: boolean; readonly json: boolean }

function intRule(type: number, format: number): IntRule | null | undefined {
  const w = intWidth(type);
  if (w === undefined) return undefined;
  const wide = w.bytes === 8;
  const dec = format === F.DEC || format === F.ID;
  const base = { bytes: w.bytes, signed: w.signed };
  if (dec) return { ...base, radix: 10, pad: false, json: true };
  if (format === F.HEX) return { ...base, radix: 16, pad: false, json: false };
  if (format === F.OCT) return { ...base, radix: 8, pad: false, json: false };
  if (format === F.PADDED_DEC && wide) return { ...base, radix: 10, pad: true, json: false };
  // 64-bit signed types print anything else in decimal, and as a string in JSON.
  if (wide && w.signed) return { ...base, radix: 10, pad: false, json: false };
  return null;
}

const RULES = new Map<number, IntRule | null | undefined>();
function ruleFor(p: ParamInfo): IntRule | null | undefined {
  const key = p.type * 256 + p.format;
  if (!RULES.has(key)) RULES.set(key, intRule(p.type, p.format));
  return RULES.get(key);
}

function readInt(b: Buffer, at: number, len: number, r: IntRule): string {
  const n = Math.min(len, r.bytes);
  if (r.bytes === 8 && n === 8) {
    const v = r.signed && r.radix === 10 ? b.readBigInt64LE(at) : b.readBigUInt64LE(at);
    const s = v.toString(r.radix);
    const t = r.radix === 16 ? s.toUpperCase() : s;
    return r.pad ? (t.startsWith('-') ? '-' + t.slice(1).padStart(8, '0') : t.padStart(9, '0')) : t;
  }
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i]!;
  if (r.signed && n > 0 && v >= 2 ** (8 * n - 1)) v -= 2 ** (8 * n);
  if (r.radix === 10) return r.pad ? String(v).padStart(9, '0') : String(v);
  // C promotes narrow types to int: negative values print as 32-bit two's complement.
  const s = (v >>> 0).toString(r.radix);
  return r.radix === 16 ? s.toUpperCase() : s;
}

/**
 * Renders parameter `k` of the event (its layout `p`). Returns the text and
 * writes the JSON kind to `kind[0]` (a caller-owned slot, so no object per
 * event); undefined for no value.
 */
export function rawArg(ev: EventCursor, k: number, p: ParamInfo, kind: RawKind[]): string | undefined {
  const b = ev.bytes;
  const at = ev.paramStart(k);
  const len = ev.paramLen(k);
  const rule = ruleFor(p);
  if (rule !== undefined) {
    if (rule === null) { kind[0] = RawKind.NONE; return undefined; }
    kind[0] = rule.json ? RawKind.NUMBER : RawKind.STRING;
    // An empty parameter is 0. (sinsp's JSON reads the bytes where the value
    // would be, whatever follows in its buffers: not reproducible, not copied.)
    return len === 0 ? '0' : readInt(b, at, len, rule);
  }
  switch (p.type) {
    case T.CHARBUF: case T.FSPATH: case T.FSRELPATH: {
      kind[0] = RawKind.STRING;
      const end = b.indexOf(0, at);
      const stop = end < 0 || end > at + len ? at + len : end;
      if (len === 0 || (len === 7 && b.toString('latin1', at, at + 6) === '(NULL)')) return '<NA>';
      return b.toString('latin1', at, stop);
    }
    case T.BOOL:
      kind[0] = RawKind.BOOL;
      return len >= 4 && b.readUInt32LE(at) !== 0 ? 'true' : 'false';
    case T.IPV4ADDR:
      kind[0] = RawKind.STRING;
      return len >= 4 ? ipv4ToString(b, at) : undefined;
    case T.IPV6ADDR:
      kind[0] = RawKind.STRING;
      return len >= 16 ? ipv6ToString(b, at) : undefined;
    case T.IPADDR:
      kind[0] = RawKind.STRING;
      return len === 4 ? ipv4ToString(b, at) : len === 16 ? ipv6ToString(b, at) : undefined;
    case T.BYTEBUF:
      // Empty prints empty (not evt.args' NULL); otherwise as evt.args renders the buffer.
      kind[0] = len === 0 ? RawKind.STRING : RawKind.FALLBACK;
      return len === 0 ? '' : undefined;
    case T.SOCKADDR: case T.SOCKFAMILY:
      kind[0] = RawKind.NONE;
      return undefined;
    default:
      kind[0] = RawKind.FALLBACK;
      return undefined;
  }
}

/**
 * Parameter `k` as the number libsinsp's filters compare (the raw integer,
 * whatever its print format); undefined for a parameter that is not an
 * integer. An empty parameter is 0, as in its text. 64-bit values beyond
 * 2^53 lose their low bits, as every number here does.
 */
export function rawArgNumber(ev: EventCursor, k: number, p: ParamInfo): number | undefined {
  const w = intWidth(p.type);
  if (w === undefined) return undefined;
  const b = ev.bytes;
  const at = ev.paramStart(k);
  const n = Math.min(ev.paramLen(k), w.bytes);
  if (n === 8) return Number(w.signed ? b.readBigInt64LE(at) : b.readBigUInt64LE(at));
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i]!;
  if (w.signed && n > 0 && v >= 2 ** (8 * n - 1)) v -= 2 ** (8 * n);
  return v;
}
