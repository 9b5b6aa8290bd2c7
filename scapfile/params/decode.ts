// Lazy, typed decoding of one event parameter, straight from the batch buffer.
//
// Widths and layouts per parameter type are facts of the scap format
// (driver/ppm_events_public.h, enum ppm_param_type; the encoder in
// userspace/libscap/scap_event.c, scap_event_encode_params_v, shows the size
// written for each type). Fixed-size types must have exactly that size, as
// libsinsp demands (userspace/libsinsp/event.h, get_event_param_as<T> throws
// on any other length); here a wrong size decodes to an `invalid` value that
// says what was expected, so one bad parameter never stops a whole render.
//
// Two entry points:
// - `decodeParam(ev, k, info)` → a `ParamValue` (discriminated by `kind`);
//   64-bit integers are bigint, buffers are views into the batch (no copy).
// - `paramInt`/`paramUint`/`paramBytes`/`paramLatin1` for hot paths (filters,
//   columns): plain numbers and views, no allocation beyond the result.
//
// Strings are bytes in the format; `string` values carry the raw bytes and a
// latin1 decoding (one char per byte) so any byte sequence round-trips when
// written back with the latin1 encoding.

import { u16, u32, i32 } from '../bytes.js';
import type { EventCursor } from '../event-cursor.js';
import { ParamType, type ParamInfo } from '../schema/types.js';
import { decodeSockAddr, decodeSockTuple, sockAddrMinLen, sockTupleMinLen } from './sockaddr.js';
import type { SockAddr, SockTuple } from './sockaddr.js';

export { SockFamily, decodeSockAddr, decodeSockTuple } from './sockaddr.js';
export type { SockAddr, SockTuple } from './sockaddr.js';

/** One (fd, poll flags) entry of a PT_FDLIST. */
export interface FdListEntry {
  readonly fd: number;
  readonly flags: number;
}

/**
 * A decoded parameter. `type` is the `ParamType` the bytes were read as (for
 * DYN, the outer value has type DYN and `value` holds the selected variant).
 */
export type ParamValue =
  /** Zero-length parameter (libsinsp prints `<NA>`, or `NULL` for buffer-like types). */
  | { readonly kind: 'empty'; readonly type: number }
  /** Length does not fit the type; `bytes` are the parameter's bytes. */
  | { readonly kind: 'invalid'; readonly type: number; readonly reason: string; readonly bytes: Buffer }
  /** Integers up to 32 bits, flags, enums, modes, signals, ports, sigsets, FD32/PID32, syscall ids. */
  | { readonly kind: 'int'; readonly type: number; readonly value: number }
  /** 64-bit integers: INT64/UINT64/ERRNO/FD/PID, RELTIME/ABSTIME (ns). Unsigned types are read unsigned. */
  | { readonly kind: 'int64'; readonly type: number; readonly value: bigint }
  /** UID/GID; `value` is null for 0xffffffff ("no user"). */
  | { readonly kind: 'id'; readonly type: number; readonly value: number | null }
  | { readonly kind: 'bool'; readonly type: number; readonly value: boolean }
  | { readonly kind: 'double'; readonly type: number; readonly value: number }
  /** CHARBUF/FSPATH/FSRELPATH: bytes before the terminating NUL, and their latin1 text. */
  | { readonly kind: 'string'; readonly type: number; readonly bytes: Buffer; readonly value: string }
  /** BYTEBUF and PT_NONE: the raw bytes. */
  | { readonly kind: 'bytes'; readonly type: number; readonly value: Buffer }
  | { readonly kind: 'sockaddr'; readonly type: number; readonly value: SockAddr }
  | { readonly kind: 'socktuple'; readonly type: number; readonly value: SockTuple }
  | { readonly kind: 'fdlist'; readonly type: number; readonly value: readonly FdListEntry[] }
  /** CHARBUFARRAY: NUL-separated strings. */
  | { readonly kind: 'strings'; readonly type: number; readonly value: readonly Buffer[] }
  /** CHARBUF_PAIR_ARRAY: NUL-separated strings taken two by two. */
  | { readonly kind: 'pairs'; readonly type: number; readonly value: readonly (readonly [Buffer, Buffer])[] }
  /** IPV4ADDR/IPV6ADDR/IPADDR: 4 or 16 bytes, network order. */
  | { readonly kind: 'ipaddr'; readonly type: number; readonly value: Buffer }
  /** IPV4NET/IPV6NET/IPNET: the address and the mask bytes that follow it. */
  | { readonly kind: 'ipnet'; readonly type: number; readonly addr: Buffer; readonly mask: Buffer }
  /** DYN: the u8 variant index, its layout (undefined when out of range) and the decoded variant. */
  | { readonly kind: 'dyn'; readonly type: number; readonly index: number; readonly info: ParamInfo | undefined; readonly value: ParamValue };

/** The kinds of `ParamValue`. */
export type ParamKind = ParamValue['kind'];

/**
 * Exact byte size of each fixed-size type (0 = variable), indexed by
 * ParamType. Source: scap_event_encode_params_v in userspace/libscap/scap_event.c.
 */
export const FIXED_PARAM_SIZE: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(64);
  for (const k of ['INT8', 'UINT8', 'FLAGS8', 'SIGTYPE', 'L4PROTO', 'SOCKFAMILY', 'ENUMFLAGS8'] as const) t[ParamType[k]] = 1;
  for (const k of ['INT16', 'UINT16', 'SYSCALLID', 'PORT', 'FLAGS16', 'ENUMFLAGS16'] as const) t[ParamType[k]] = 2;
  for (const k of ['INT32', 'UINT32', 'BOOL', 'IPV4ADDR', 'UID', 'GID', 'FLAGS32', 'SIGSET', 'MODE',
    'ENUMFLAGS32', 'FD32', 'PID32'] as const) t[ParamType[k]] = 4;
  for (const k of ['INT64', 'UINT64', 'ERRNO', 'FD', 'PID', 'RELTIME', 'ABSTIME', 'DOUBLE'] as const) t[ParamType[k]] = 8;
  return t;
})();

const wrongSize = (expected: number, found: number): string =>
  `expected ${expected} bytes, found ${found}`;
const tooShort = (what: string, min: number, found: number): string =>
  `${what} needs at least ${min} bytes, found ${found}`;
const pastEventEnd = (len: number, left: number): string =>
  `length ${len} runs past the ${left} bytes left in the event`;
const pastEnd = (len: number, left: number): string =>
  `length ${len} runs past the ${left} bytes left in the buffer`;

/**
 * Decodes parameter `k` of the event under `ev` as `info` describes it.
 * Never reads outside the parameter's bytes.
 *
 * ```ts
 * const info = EVENTS[ev.type]!.params[0]!;
 * const v = decodeParam(ev, 0, info);
 * if (v.kind === 'int64' && v.value < 0n) console.log('failed', v.value);
 * ```
 */
export function decodeParam(ev: EventCursor, k: number, info: ParamInfo): ParamValue {
  const len = ev.paramLen(k);
  if (len === 0) return { kind: 'empty', type: info.type };
  const start = ev.paramStart(k);
  // Lengths come from the file: a parameter must also end inside its event.
  const eventEnd = ev.offset + ev.lenBytes;
  if (start + len > eventEnd) {
    const bytes = ev.bytes.subarray(start, Math.min(eventEnd, ev.bytes.length));
    return { kind: 'invalid', type: info.type, reason: pastEventEnd(len, Math.max(0, eventEnd - start)), bytes };
  }
  return decodeBytes(ev.bytes, start, len, info);
}

/** Decodes `len` bytes at `start` of `buf` as a parameter of layout `info`. */
export function decodeBytes(buf: Buffer, start: number, len: number, info: ParamInfo): ParamValue {
  return decodeAt(buf, start, len, info, true);
}

/**
 * `legacyNull`: whether a `(NULL)` string means "no value". libsinsp applies
 * that rule by the event's declared type, so it does not hold inside DYN
 * parameters (event.h, used_legacy_null_encoding looks at the outer type).
 */
function decodeAt(buf: Buffer, start: number, len: number, info: ParamInfo, legacyNull: boolean): ParamValue {
  const type = info.type;
  if (len === 0) return { kind: 'empty', type };
  if (start + len > buf.length) {
    return { kind: 'invalid', type, reason: pastEnd(len, buf.length - start), bytes: buf.subarray(start) };
  }
  const fixed = FIXED_PARAM_SIZE[type] ?? 0;
  if (fixed !== 0 && len !== fixed) {
    return { kind: 'invalid', type, reason: wrongSize(fixed, len), bytes: buf.subarray(start, start + len) };
  }
  const end = start + len;
  switch (type) {
    case ParamType.INT8: return { kind: 'int', type, value: buf.readInt8(start) };
    case ParamType.INT16: return { kind: 'int', type, value: buf.readInt16LE(start) };
    case ParamType.INT32: case ParamType.FD32: case ParamType.PID32:
      return { kind: 'int', type, value: i32(buf, start) };
    case ParamType.UINT8: case ParamType.FLAGS8: case ParamType.ENUMFLAGS8: case ParamType.SIGTYPE:
    case ParamType.L4PROTO: case ParamType.SOCKFAMILY:
      return { kind: 'int', type, value: buf[start]! };
    case ParamType.UINT16: case ParamType.FLAGS16: case ParamType.ENUMFLAGS16: case ParamType.PORT:
    case ParamType.SYSCALLID:
      return { kind: 'int', type, value: u16(buf, start) };
    case ParamType.UINT32: case ParamType.FLAGS32: case ParamType.ENUMFLAGS32: case ParamType.MODE:
    case ParamType.SIGSET:
      return { kind: 'int', type, value: u32(buf, start) };
    case ParamType.INT64: case ParamType.ERRNO: case ParamType.FD: case ParamType.PID:
      return { kind: 'int64', type, value: buf.readBigInt64LE(start) };
    case ParamType.UINT64: case ParamType.RELTIME: case ParamType.ABSTIME:
      return { kind: 'int64', type, value: buf.readBigUInt64LE(start) };
    case ParamType.UID: case ParamType.GID: {
      const v = u32(buf, start);
      return { kind: 'id', type, value: v === 0xffffffff ? null : v };
    }
    case ParamType.BOOL: return { kind: 'bool', type, value: u32(buf, start) !== 0 };
    case ParamType.DOUBLE: return { kind: 'double', type, value: buf.readDoubleLE(start) };
    case ParamType.IPV4ADDR: return { kind: 'ipaddr', type, value: buf.subarray(start, end) };
    case ParamType.CHARBUF: case ParamType.FSPATH: case ParamType.FSRELPATH:
      return decodeString(buf, start, end, type, legacyNull);
    case ParamType.BYTEBUF: case ParamType.NONE:
      return { kind: 'bytes', type, value: buf.subarray(start, end) };
    case ParamType.SOCKADDR: {
      const value = decodeSockAddr(buf, start, len);
      if (value === undefined) return invalid(type, tooShort('sockaddr', sockAddrMinLen(buf[start]!), len), buf, start, end);
      return { kind: 'sockaddr', type, value };
    }
    case ParamType.SOCKTUPLE: {
      const value = decodeSockTuple(buf, start, len);
      if (value === undefined) return invalid(type, tooShort('socktuple', sockTupleMinLen(buf[start]!), len), buf, start, end);
      return { kind: 'socktuple', type, value };
    }
    case ParamType.FDLIST: return decodeFdList(buf, start, len, type);
    case ParamType.CHARBUFARRAY: return { kind: 'strings', type, value: splitNul(buf, start, end) };
    case ParamType.CHARBUF_PAIR_ARRAY: {
      const parts = splitNul(buf, start, end);
      const pairs: (readonly [Buffer, Buffer])[] = [];
      for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i]!, parts[i + 1]!]);
      return { kind: 'pairs', type, value: pairs };
    }
    case ParamType.IPV6ADDR:
      if (len !== 16) return invalid(type, wrongSize(16, len), buf, start, end);
      return { kind: 'ipaddr', type, value: buf.subarray(start, end) };
    case ParamType.IPADDR:
      if (len !== 4 && len !== 16) return invalid(type, `expected 4 or 16 bytes, found ${len}`, buf, start, end);
      return { kind: 'ipaddr', type, value: buf.subarray(start, end) };
    // Networks never occur in capture files (libsinsp uses them for filter
    // values: userspace/libsinsp/tuples.h, ipv4net = ip + netmask); we read
    // the address (4 bytes when the whole is 8 bytes long, else 16) and keep
    // what follows as the mask.
    case ParamType.IPV4NET: case ParamType.IPV6NET: case ParamType.IPNET: {
      const alen = type === ParamType.IPV4NET || (type === ParamType.IPNET && len === 8) ? 4 : 16;
      if (len < alen) return invalid(type, tooShort('ip network', alen, len), buf, start, end);
      return { kind: 'ipnet', type, addr: buf.subarray(start, start + alen), mask: buf.subarray(start + alen, end) };
    }
    case ParamType.DYN: {
      const index = buf[start]!;
      const variant = info.dynVariants?.[index];
      if (variant === undefined) {
        return { kind: 'dyn', type, index, info: undefined, value: { kind: 'bytes', type: ParamType.NONE, value: buf.subarray(start + 1, end) } };
      }
      return { kind: 'dyn', type, index, info: variant, value: decodeAt(buf, start + 1, len - 1, variant, false) };
    }
    default:
      return invalid(type, `unknown parameter type ${type}`, buf, start, end);
  }
}

function invalid(type: number, reason: string, buf: Buffer, start: number, end: number): ParamValue {
  return { kind: 'invalid', type, reason, bytes: buf.subarray(start, end) };
}

/**
 * A string parameter. Old captures spell "no value" as the 7 bytes
 * `(NULL)\0`; libsinsp treats that exactly like an empty parameter
 * (userspace/libsinsp/event.h, used_legacy_null_encoding), so do we.
 */
function decodeString(buf: Buffer, start: number, end: number, type: number, legacyNull: boolean): ParamValue {
  const nul = stringEnd(buf, start, end);
  if (legacyNull && isLegacyNull(buf, start, end, nul)) return { kind: 'empty', type };
  const bytes = buf.subarray(start, nul);
  return { kind: 'string', type, bytes, value: buf.toString('latin1', start, nul) };
}

/** Where a string parameter in `buf[start, end)` ends: its first NUL, or `end`. */
function stringEnd(buf: Buffer, start: number, end: number): number {
  const nul = buf.indexOf(0, start);
  return nul >= 0 && nul < end ? nul : end;
}

/** The legacy encoding of "no value": the 7 bytes `(NULL)\0`. */
function isLegacyNull(buf: Buffer, start: number, end: number, nul: number): boolean {
  return end - start === 7 && nul === start + 6 && buf.toString('latin1', start, nul) === '(NULL)';
}

/**
 * The text of a CHARBUF/FSPATH/FSRELPATH parameter whose bytes are
 * `buf[start, end)` (inside its event), as `decodeParam` reads it: latin1
 * up to the first NUL; undefined for the legacy `(NULL)`, which decodes as
 * empty. For callers that want the text alone, without the value object
 * and byte view `decodeParam` makes.
 */
export function stringParamText(buf: Buffer, start: number, end: number): string | undefined {
  const nul = stringEnd(buf, start, end);
  return isLegacyNull(buf, start, end, nul) ? undefined : buf.toString('latin1', start, nul);
}

/** PT_FDLIST: u16 count, then count × (i64 fd, i16 flags). */
function decodeFdList(buf: Buffer, start: number, len: number, type: number): ParamValue {
  if (len < 2) return invalid(type, tooShort('fd list', 2, len), buf, start, start + len);
  const count = u16(buf, start);
  const need = 2 + count * 10;
  if (len < need) return invalid(type, tooShort(`fd list of ${count} entries`, need, len), buf, start, start + len);
  const fds: FdListEntry[] = new Array<FdListEntry>(count);
  for (let i = 0, pos = start + 2; i < count; i++, pos += 10) {
    fds[i] = { fd: readI64AsNumber(buf, pos), flags: buf.readInt16LE(pos + 8) };
  }
  return { kind: 'fdlist', type, value: fds };
}

/** NUL-separated strings; a final NUL terminates the last one rather than starting an empty one. */
function splitNul(buf: Buffer, start: number, end: number): Buffer[] {
  const out: Buffer[] = [];
  if (end > start && buf[end - 1] === 0) end--;
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i === end || buf[i] === 0) {
      out.push(buf.subarray(from, i));
      from = i + 1;
    }
  }
  return out;
}

/** A signed little-endian i64 as a number (exact within ±2^53). */
function readI64AsNumber(buf: Buffer, pos: number): number {
  return i32(buf, pos + 4) * 4294967296 + u32(buf, pos);
}

// ---- fast accessors for hot paths ----

/**
 * Parameter `k` as a signed integer of its stored width (1, 2, 4 or 8 bytes);
 * NaN when it is empty or another size. 8-byte values are exact within ±2^53.
 */
export function paramInt(ev: EventCursor, k: number): number {
  const len = ev.paramLen(k);
  if (len === 0) return NaN;
  const buf = ev.bytes;
  const at = ev.paramStart(k);
  if (at + len > buf.length) return NaN;
  switch (len) {
    case 8: return readI64AsNumber(buf, at);
    case 4: return i32(buf, at);
    case 2: return buf.readInt16LE(at);
    case 1: return buf.readInt8(at);
    default: return NaN;
  }
}

/** Like `paramInt`, unsigned (8-byte values exact below 2^53). */
export function paramUint(ev: EventCursor, k: number): number {
  const len = ev.paramLen(k);
  if (len === 0) return NaN;
  const buf = ev.bytes;
  const at = ev.paramStart(k);
  if (at + len > buf.length) return NaN;
  switch (len) {
    case 8: return u32(buf, at + 4) * 4294967296 + u32(buf, at);
    case 4: return u32(buf, at);
    case 2: return u16(buf, at);
    case 1: return buf[at]!;
    default: return NaN;
  }
}

/** Parameter `k`'s bytes as a view into the batch (empty when absent). */
export function paramBytes(ev: EventCursor, k: number): Buffer {
  const len = ev.paramLen(k);
  const buf = ev.bytes;
  if (len === 0) return buf.subarray(0, 0);
  const at = ev.paramStart(k);
  return buf.subarray(at, Math.min(buf.length, at + len));
}

/**
 * Parameter `k` read as a string parameter by `stringParamText`'s rule
 * (latin1 up to its first NUL), or undefined when it holds no string: an
 * empty parameter, or the legacy `(NULL)`, both a driver's null pointer.
 */
export function paramText(ev: EventCursor, k: number): string | undefined {
  const len = ev.paramLen(k);
  if (len === 0) return undefined;
  const at = ev.paramStart(k);
  return stringParamText(ev.bytes, at, Math.min(ev.bytes.length, at + len));
}

/** Parameter `k` as a latin1 string up to its first NUL ('' when empty). */
export function paramLatin1(ev: EventCursor, k: number): string {
  const len = ev.paramLen(k);
  if (len === 0) return '';
  const at = ev.paramStart(k);
  const buf = ev.bytes;
  const end = Math.min(buf.length, at + len);
  let nul = at;
  while (nul < end && buf[nul] !== 0) nul++;
  return buf.toString('latin1', at, nul);
}
