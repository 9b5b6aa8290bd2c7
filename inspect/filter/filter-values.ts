// The right-hand values of a check, read as libsinsp's value parser reads
// them for the field's type (falcosecurity/libs 48dfd53:
// userspace/libsinsp/value_parser.cpp string_to_rawval, utils.cpp
// sinsp_numparser): a number is a decimal integer (sscanf "%ld" that must
// use the whole text: no hex, fraction or exponent, though the grammar
// lexes them), a boolean is `true` or `false`, and a port may be a service
// name from /etc/services (getservbyname).

import { FIRST_PARAM_TYPES, isStringType } from '../fields/event-extra-fields.js';
import { ParamType } from '../../scapfile/schema/types.js';
import { FilterError } from './errors.js';
import { parseIpv6 } from '../state/sock-info.js';
import { servicePort } from '../state/services.js';
import { ipv6ToString } from '../format/net.js';

/** The PT_PORT fields: their values may name a service. */
export const PORT_FIELDS = new Set(['fd.port', 'fd.proto', 'fd.cport', 'fd.sport', 'fd.lport', 'fd.rport']);

const DECIMAL = /^\s*[+-]?[0-9]+$/;

/** A numeric field's value, or a FilterError naming the field and the column. */
export function integerValue(value: string, field: string, column: number): number {
  return Number(exactIntegerValue(value, field, column));
}

/**
 * The unsigned fields (PT_UINT32, PT_UINT64, PT_RELTIME, PT_ABSTIME in
 * libsinsp's field tables) and their widths: a negative value wraps there,
 * as sscanf's %lu reads one (`evt.num > -1` is `> 2^64 - 1`: no event).
 */
const UNSIGNED_BITS = new Map<string, bigint>([
  ...['evt.buflen', 'evt.num', 'proc.cmdlenargs', 'proc.cmdnargs', 'proc.fdopencount', 'proc.nchilds', 'proc.nthreads',
    'proc.pidns_init_start_ts', 'proc.vmrss', 'proc.vmsize', 'proc.vmswap', 'thread.pfmajor', 'thread.pfminor', 'thread.vmrss',
    'thread.vmrss.b', 'thread.vmsize', 'thread.vmsize.b', 'evt.deltatime', 'evt.deltatime.s', 'evt.latency', 'evt.wait_latency',
    'proc.duration', 'thread.exectime', 'thread.totexectime', 'evt.rawtime', 'proc.exe_ino.ctime',
    'proc.exe_ino.ctime_duration_pidns_start', 'proc.exe_ino.ctime_duration_proc_start', 'proc.exe_ino.mtime',
    'evt.buflen.file', 'evt.buflen.file.in', 'evt.buflen.file.out', 'evt.buflen.in', 'evt.buflen.net', 'evt.buflen.net.in',
    'evt.buflen.net.out', 'evt.buflen.out', 'evt.deltatime.ns', 'evt.latency.ns', 'evt.latency.quantized', 'evt.latency.s',
    'evt.rawtime.ns', 'evt.rawtime.s', 'evt.reltime', 'evt.reltime.ns', 'evt.reltime.s', 'proc.pid.ts', 'proc.ppid.duration',
    'proc.ppid.ts', 'util.cnt',
  ].map((f) => [f, 64n] as const),
  ...['evt.count', 'evt.count.error', 'evt.count.error.file', 'evt.count.error.memory', 'evt.count.error.net',
    'evt.count.error.other', 'evt.count.exit', 'evt.count.procinfo', 'evt.count.threadinfo', 'evt.type.is', 'group.gid', 'proc.tty', 'user.uid',
  ].map((f) => [f, 32n] as const),
]);

/**
 * A numeric field's value exactly (64-bit values are beyond doubles),
 * unsigned fields' negative values wrapped: evt.rawarg's (field argument
 * `arg`) at its parameter's width.
 */
export function exactIntegerValue(value: string, field: string, column: number, arg?: string): bigint {
  if (PORT_FIELDS.has(field)) return BigInt(portValue(value, field, column));
  if (!DECIMAL.test(value)) throw new FilterError(`filter: expected a number for ${field}, found '${value}' (column ${column})`, column);
  const n = BigInt(value.trim().replace(/^\+/, ''));
  const bits = field === 'evt.rawarg' && arg !== undefined ? rawArgUnsignedBits(arg) : UNSIGNED_BITS.get(field);
  return bits !== undefined && n < 0n ? n + (1n << bits) : n;
}

/**
 * A PT_PORT value as string_to_rawval reads one: digits only (none is 0;
 * stoi, then kept in 16 bits), else a service name; not even a blank
 * around it.
 */
function portValue(value: string, field: string, column: number): number {
  const digits = /^[0-9]*$/.test(value);
  if (digits && Number(value) <= 0x7fffffff) return Number(value) & 0xffff;
  const port = digits ? undefined : servicePort(value);
  if (port !== undefined) return port;
  throw new FilterError(`filter: expected a port number or service name for ${field}, found '${value}' (column ${column})`, column);
}

/** The PT_IPADDR fields (fd.ip, either end, has checks of its own). */
export const IP_ADDRESS_FIELDS = new Set(['fd.cip', 'fd.sip', 'fd.lip', 'fd.rip']);
const DOTTED_QUAD = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/**
 * The bytes of an address value (PT_IPADDR), read as libsinsp reads one:
 * with a dot anywhere, IPv4 only, as inet_pton reads it (a strict dotted
 * quad: no leading zeros, hex, blanks or IPv4-mapped IPv6); else IPv6 in
 * any form. Undefined when it is neither.
 */
export function ipAddressBytes(value: string): Uint8Array | undefined {
  if (value.includes('.')) {
    const m = DOTTED_QUAD.exec(value);
    if (m === null) return undefined;
    const octets = m.slice(1).map(Number);
    return octets.every((o) => o <= 255) ? Uint8Array.from(octets) : undefined;
  }
  const b = new Uint8Array(16);
  return parseIpv6(value, b, 0) ? b : undefined;
}

/**
 * A PT_IPADDR value, written as the field prints that address: an IPv4
 * address as given, IPv6 in its short form (`0:0:0:0:0:0:0:1` is `::1`).
 */
export function ipAddressValue(value: string, field: string, column: number): string {
  const b = ipAddressBytes(value);
  if (b === undefined) throw new FilterError(`filter: expected an IP address for ${field}, found '${value}' (column ${column})`, column);
  return b.length === 4 ? value : ipv6ToString(b);
}

/**
 * A network prefix length as libsinsp reads it (sinsp_numparser::parseu8:
 * sscanf "%u" that must use the whole text, then cut to 8 bits): blanks
 * before it, a sign, leading zeros and a wrap past 255 are taken (`/264` is
 * /8), anything after it is not. Undefined when it is no number.
 */
export function prefixLengthValue(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(text);
  if (m === null) return undefined;
  const MAX = (1n << 64n) - 1n;
  let v = BigInt(m[2]!);
  // strtoul: out of range is ULONG_MAX, a minus sign negates in unsigned arithmetic.
  if (v > MAX) v = MAX;
  else if (m[1] === '-') v = (MAX + 1n - v) & MAX;
  return Number(v & 0xffn);
}

/** A boolean field's value: sinsp takes only these two words. */
export function booleanValue(value: string, field: string, column: number): string {
  if (value === 'true' || value === 'false') return value;
  throw new FilterError(`filter: expected true or false for ${field}, found '${value}' (column ${column})`, column);
}

const T = ParamType;
/**
 * Parameter types whose values libsinsp both reads as integers
 * (string_to_rawval) and compares as numbers (flt_is_comparable).
 */
const INTEGER_TYPES = new Set<number>([T.INT8, T.INT16, T.INT32, T.INT64, T.FD, T.ERRNO, T.PID, T.FLAGS8, T.UINT8,
  T.ENUMFLAGS8, T.PORT, T.FLAGS16, T.UINT16, T.ENUMFLAGS16, T.FLAGS32, T.UINT32, T.MODE, T.ENUMFLAGS32,
  T.UINT64, T.RELTIME, T.ABSTIME]);
/**
 * Types compared as text, or (addresses, booleans, doubles) by rules of
 * their own that scapkit approximates with the printed text.
 */
const TEXT_TYPES = new Set<number>([T.CHARBUF, T.FSPATH, T.FSRELPATH, T.BOOL, T.DOUBLE, T.IPV4ADDR, T.IPV4NET,
  T.IPV6ADDR, T.IPV6NET, T.IPADDR, T.IPNET]);

/**
 * The width of evt.rawarg.NAME's parameter when it is unsigned (by the
 * first parameter of that name, as rawArgValueKind): string_to_rawval
 * reads its values with sscanf's %u forms, so `evt.rawarg.mode > -1` is
 * `> 2^32 - 1`.
 */
function rawArgUnsignedBits(name: string): bigint | undefined {
  const type = FIRST_PARAM_TYPES.get(name);
  return type === undefined ? undefined : RAW_UNSIGNED_BITS.get(type);
}
const RAW_UNSIGNED_BITS = new Map<number, bigint>([
  ...[T.UINT8, T.FLAGS8, T.ENUMFLAGS8].map((t) => [t, 8n] as const),
  ...[T.UINT16, T.FLAGS16, T.ENUMFLAGS16].map((t) => [t, 16n] as const),
  ...[T.UINT32, T.FLAGS32, T.ENUMFLAGS32, T.MODE, T.UID, T.GID].map((t) => [t, 32n] as const),
  ...[T.UINT64, T.RELTIME, T.ABSTIME].map((t) => [t, 64n] as const),
]);

/** Whether evt.rawarg.NAME's parameter is a string (CHARBUF, FSPATH, FSRELPATH), which takes a string field's operators. */
export function rawArgIsString(name: string): boolean {
  const type = FIRST_PARAM_TYPES.get(name);
  return type !== undefined && isStringType(type);
}

/**
 * How the values of a check on evt.rawarg.NAME read: libsinsp takes the
 * type of the first parameter of that name in the event table, whatever
 * the event, to parse them (so `evt.rawarg.fd = ' 3'` is the number 3 and
 * `evt.rawarg.fd = 0x3` an error) and to choose the operators; it has
 * neither a reading nor an operator for the other types (byte buffers,
 * sockaddrs and tuples, uids, signal numbers, lists): a FilterError.
 */
export function rawArgValueKind(name: string, column: number): 'number' | 'text' {
  const type = FIRST_PARAM_TYPES.get(name);
  if (type === undefined || TEXT_TYPES.has(type)) return 'text';
  if (INTEGER_TYPES.has(type)) return 'number';
  const typeName = Object.keys(ParamType).find((k) => ParamType[k as keyof typeof ParamType] === type) ?? String(type);
  throw new FilterError(`filter: evt.rawarg.${name} (a ${typeName} parameter) takes no value to compare with, as in libsinsp; use exists, or evt.arg.${name} (column ${column})`, column);
}
