// One event parameter as text, the way libsinsp renders it
// (userspace/libsinsp/event.cpp, sinsp_evt::get_param_as_str and render_fd).
// Every parameter renders to two strings:
// - `raw`: what libsinsp writes to m_paramstr_storage (a number, a path, ...);
// - `resolved`: what it writes to m_resolved_paramstr_storage (an errno name,
//   the fd's `<f>/path`, the flag names, a thread's comm, ...), or ''.
// `%evt.args` prints `name=raw` or `name=raw(resolved)`; `%evt.arg.NAME`
// prints `resolved` when it is not empty, else `raw` (see args.ts).
//
// Strings are latin1 (one char per byte of the capture): libsinsp copies
// bytes, never decodes them, so the CLI writes these strings back with the
// latin1 encoding and the reference output round-trips byte for byte.
//
// Where libsinsp would throw (a fixed-size parameter of another size: event.h,
// get_event_param_as) we print `<INVALID: expected N bytes, found M>` and go on.

import { FIXED_PARAM_SIZE, decodeParam, stringParamText, type ParamValue } from '../../scapfile/params/decode.js';
import { errnoResultName } from '../../scapfile/schema/errno.js';
import { FLAG_TABLES, type FlagEntry } from '../../scapfile/schema/flags.js';
import { signalName } from '../../scapfile/schema/signals.js';
import { PPM_SC_MAX, ppmScName } from '../../scapfile/schema/syscalls.js';
import { ParamType, PrintFormat, type EventInfo, type ParamInfo } from '../../scapfile/schema/types.js';
import { i32, u16, u32 } from '../../scapfile/bytes.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FdView, StateLookup, ThreadView } from '../state/lookup.js';
import { renderBuffer, type BufferFormat } from './buffers.js';
import { enumFlagsNames, flagsNames, modeNames } from './flag-names.js';
import { invalidAddressText, sockAddrToString, sockTupleToString } from './net.js';
import { AT_FDCWD, concatenatePaths } from '../state/paths.js';
import { L4_UNKNOWN } from '../state/sock-info.js';
import { formatAbsTime, formatG, formatInt32, formatInt64 } from './printf.js';

/** AT_FDCWD as the bigint a decoded fd parameter holds. */
const AT_FDCWD_BIG = BigInt(AT_FDCWD);
const U64_MAX = 0xffffffffffffffffn;

/**
 * Optional extras a state implementation may offer beyond `StateLookup`:
 * user and group names (libsinsp resolves UID/GID parameters through its
 * user/group tables, event.cpp PT_UID/PT_GID).
 */
export interface UserLookup {
  userName?(uid: number): string | undefined;
  groupName?(gid: number): string | undefined;
}

/**
 * An fd as the renderer reads it: `FdView`, plus the socket's layer-4
 * protocol when the state knows it (`SCAP_L4_*`: 2 tcp, 3 udp, 4 icmp,
 * 5 raw), which libsinsp appends to the type char of IP sockets (`<6t>`).
 */
type FdWithProto = FdView & { readonly l4proto?: number };

/** Options of parameter rendering. */
export interface ParamRenderOptions {
  /** How BYTEBUF parameters print (libsinsp's buffer format); default `normal`. */
  readonly bufferFormat?: BufferFormat;
  /** Cut rendered buffers longer than this (sinsp set_max_evt_output_len); 0 = no limit. */
  readonly maxBufferLen?: number;
}

const PROTO_CHAR: Readonly<Record<number, string>> = { 2: 't', 3: 'u', 4: 'i', 5: 'r' };

/** Types libsinsp has no text for: they print `(n.a.)` whatever their bytes (event.cpp, default case). */
const NO_TEXT = new Set<number>([
  ParamType.NONE, ParamType.PORT, ParamType.L4PROTO, ParamType.SOCKFAMILY, ParamType.BOOL,
  ParamType.IPV4ADDR, ParamType.DOUBLE, ParamType.IPV4NET, ParamType.IPV6ADDR, ParamType.IPV6NET,
  ParamType.IPADDR, ParamType.IPNET, ParamType.FD32, ParamType.PID32,
]);

/**
 * How to read the 1-, 2- and 4-byte integer types that have a text, by
 * ParamType (0: not one of them): 1 i8, 2 i16, 3 i32, 4 u8, 5 u16, 6 u32,
 * as `decodeParam` reads them.
 */
const INT_READ = new Uint8Array(256);
for (const [t, how] of [
  [ParamType.INT8, 1], [ParamType.INT16, 2], [ParamType.INT32, 3],
  [ParamType.UINT8, 4], [ParamType.FLAGS8, 4], [ParamType.ENUMFLAGS8, 4], [ParamType.SIGTYPE, 4],
  [ParamType.UINT16, 5], [ParamType.FLAGS16, 5], [ParamType.ENUMFLAGS16, 5], [ParamType.SYSCALLID, 5],
  [ParamType.UINT32, 6], [ParamType.FLAGS32, 6], [ParamType.ENUMFLAGS32, 6], [ParamType.MODE, 6], [ParamType.SIGSET, 6],
] as const) INT_READ[t] = how;

/** The 8-byte integer types `renderSmallInt64` takes, by ParamType. */
const SMALL_INT64_TYPES = new Uint8Array(256);
for (const t of [ParamType.INT64, ParamType.UINT64, ParamType.ERRNO, ParamType.FD, ParamType.PID]) SMALL_INT64_TYPES[t] = 1;
/** 2^21: a high word in [-2^21, 2^21) keeps the 64-bit value a safe integer. */
const SAFE_HI = 0x200000;

/** flagsNames, enumFlagsNames or modeNames. */
type FlagNamer = (value: number, table: readonly FlagEntry[] | undefined) => string;

/** The string types `renderString` takes, by ParamType. */
const STRING_TYPES = new Uint8Array(256);
for (const t of [ParamType.CHARBUF, ParamType.FSPATH, ParamType.FSRELPATH]) STRING_TYPES[t] = 1;

/** Values whose flag names a renderer keeps per parameter (a few hundred bytes each). */
const FLAG_MEMO_VALUES = 1024;

/** Types whose zero-length value prints `NULL` rather than `<NA>` (event.cpp, legacy encoding note). */
const EMPTY_IS_NULL = new Set<number>([
  ParamType.BYTEBUF, ParamType.SOCKTUPLE, ParamType.FDLIST, ParamType.CHARBUFARRAY,
  ParamType.CHARBUF_PAIR_ARRAY, ParamType.DYN,
]);

/**
 * Renders parameters of events against replayed state. One renderer per
 * output stream: it keeps the two result strings (and, like libsinsp's
 * reused storage, the last raw text) between calls.
 *
 * ```ts
 * const r = new ParamRenderer(state);
 * r.beginEvent(ev, EVENTS[ev.type]!);
 * r.renderParam(0);
 * console.log(r.raw, r.resolved);   // "-2" "ENOENT"
 * ```
 */
export class ParamRenderer {
  /** Raw text of the last rendered parameter. */
  raw = '';
  /** Resolved text of the last rendered parameter ('' when none). */
  resolved = '';
  private readonly bufferFormat: BufferFormat;
  private readonly maxBufferLen: number;
  // Per-event context, refreshed by `beginEvent`.
  private ev!: EventCursor;
  private info!: EventInfo;
  private thread: ThreadView | undefined;
  /** Flag names by namer, parameter and value (see `flagText`). */
  private readonly flagMemo = new Map<FlagNamer, Map<ParamInfo, Map<number, string>>>();

  constructor(private readonly state: StateLookup & UserLookup, options: ParamRenderOptions = {}) {
    this.bufferFormat = options.bufferFormat ?? 'normal';
    this.maxBufferLen = options.maxBufferLen ?? 0;
  }

  /** Sets the event to render parameters of, and looks up its thread once. */
  beginEvent(ev: EventCursor, info: EventInfo): void {
    this.ev = ev;
    this.info = info;
    this.thread = this.state.thread(ev.tid);
  }

  /**
   * With port resolution on, the protocol an address parameter's ports are
   * named for: that of the event's fd (event.cpp reads m_fdinfo), unknown
   * without one; undefined when ports print as numbers.
   */
  private portNamesFor(): number | undefined {
    if (this.state.portNames !== true) return undefined;
    return this.state.parsedEventFd?.(this.ev)?.l4proto ?? L4_UNKNOWN;
  }

  /** Renders parameter `k` of the current event (see `beginEvent`) into `raw` / `resolved`. */
  renderParam(k: number): void {
    const ev = this.ev;
    const outer = this.info.params[k];
    this.resolved = '';
    if (outer === undefined) { this.raw = '<NA>'; return; }
    const len = ev.paramLen(k);
    if (len === 0) {
      this.raw = EMPTY_IS_NULL.has(outer.type) ? 'NULL' : '<NA>';
      return;
    }
    if (len === 8 && SMALL_INT64_TYPES[outer.type] === 1 && this.renderSmallInt64(k, outer)) return;
    if (INT_READ[outer.type] !== 0 && len === FIXED_PARAM_SIZE[outer.type] && this.renderSmallInt(k, outer)) return;
    if (STRING_TYPES[outer.type] === 1 && this.renderString(k, outer, len)) return;
    const value = decodeParam(ev, k, outer);
    // A legacy `(NULL)` string decodes as empty and prints like one.
    if (value.kind === 'empty') { this.raw = '<NA>'; return; }
    if (value.kind === 'dyn') {
      if (value.info === undefined) { this.raw = 'INVALID DYNAMIC PARAMETER'; return; }
      this.renderValue(value.value, value.info, outer);
    } else {
      this.renderValue(value, outer, outer);
    }
  }

  /**
   * `info` is the layout the bytes were read with (a DYN variant or the
   * parameter itself); `outer` the event's parameter, whose print format and
   * flag table libsinsp uses even for DYN variants.
   */
  private renderValue(v: ParamValue, info: ParamInfo, outer: ParamInfo): void {
    const type = info.type;
    const fmt = outer.format;
    if (NO_TEXT.has(type)) { this.raw = '(n.a.)'; return; }
    switch (v.kind) {
      case 'empty':
        // Only reachable for a DYN variant with no bytes after its index.
        // The legacy-null rule does not apply inside DYN, so libsinsp passes
        // a null string to printf: glibc prints `(null)`. Buffers print
        // empty, numbers fail their size check.
        if (type === ParamType.CHARBUF || type === ParamType.FSPATH || type === ParamType.FSRELPATH) this.raw = '(null)';
        else if (type === ParamType.BYTEBUF) this.raw = '';
        else this.raw = invalidText(`expected a value, found 0 bytes`);
        return;
      case 'invalid':
        if (type === ParamType.SOCKADDR || type === ParamType.SOCKTUPLE) {
          this.raw = invalidAddressText(v.bytes[0] ?? 0, type === ParamType.SOCKTUPLE);
        } else {
          this.raw = invalidText(v.reason);
        }
        return;
      case 'int':
        this.renderInt(v.value, type, fmt, outer);
        return;
      case 'int64':
        this.renderInt64(v.value, type, fmt);
        return;
      case 'id': {
        const isUser = type === ParamType.UID;
        if (v.value === null) { this.raw = '-1'; this.resolved = '<NONE>'; return; }
        this.raw = String(v.value | 0);
        let name: string | undefined;
        if (this.thread !== undefined) name = isUser ? this.state.userName?.(v.value) : this.state.groupName?.(v.value);
        this.resolved = name !== undefined && name !== '' ? name : '<NA>';
        return;
      }
      case 'string':
        this.raw = v.value;
        if (type !== ParamType.CHARBUF) this.resolvePath(v.value, outer);
        return;
      case 'bytes':
        this.raw = renderBuffer(v.value, this.bufferFormat, this.maxBufferLen);
        return;
      case 'sockaddr':
        this.raw = sockAddrToString(v.value, this.portNamesFor());
        return;
      case 'socktuple':
        this.raw = sockTupleToString(v.value, this.portNamesFor());
        return;
      case 'fdlist':
        this.renderFdList(v.value);
        return;
      case 'strings':
        // libsinsp expects these only from in-memory events (a pointer to a
        // vector, event.cpp PT_CHARBUFARRAY) and joins the strings with '.';
        // from a file we join the NUL-separated strings the same way.
        this.raw = v.value.map((b) => b.toString('latin1', 0, b.length)).join('.');
        return;
      case 'pairs':
        this.raw = v.value.map(([a, b]) => `${a.toString('latin1', 0, a.length)}:${b.toString('latin1', 0, b.length)}`).join(',');
        return;
      default:
        this.raw = '(n.a.)';
    }
  }

  private renderInt(value: number, type: number, fmt: number, outer: ParamInfo): void {
    switch (type) {
      case ParamType.INT8: case ParamType.INT16: case ParamType.INT32:
      case ParamType.UINT8: case ParamType.UINT16:
        this.raw = formatInt32(value, fmt);
        return;
      case ParamType.UINT32:
        // Printed with %d: values from 2^31 up show negative (event.cpp PT_UINT32).
        this.raw = formatInt32(value | 0, fmt);
        return;
      case ParamType.FLAGS8: case ParamType.FLAGS16: case ParamType.FLAGS32:
        this.raw = String(value >>> 0);
        this.resolved = this.flagText(outer, value, flagsNames);
        return;
      case ParamType.ENUMFLAGS8: case ParamType.ENUMFLAGS16: case ParamType.ENUMFLAGS32:
        this.raw = String(value >>> 0);
        this.resolved = this.flagText(outer, value, enumFlagsNames);
        return;
      case ParamType.MODE:
        this.raw = formatInt32(value | 0, fmt);
        this.resolved = this.flagText(outer, value, modeNames);
        return;
      case ParamType.SIGTYPE:
        this.raw = String(value);
        this.resolved = signalName(value) ?? '';
        return;
      case ParamType.SIGSET: {
        // Names of the set bits, bit i = signal i + 1, space-separated; no resolved text.
        let s = '';
        for (let sig = 0; sig < 32; sig++) {
          if (((value >>> sig) & 1) === 0) continue;
          const name = signalName(sig + 1);
          if (name !== undefined) s += s === '' ? name : ' ' + name;
        }
        this.raw = s;
        return;
      }
      case ParamType.SYSCALLID:
        if (value >= PPM_SC_MAX) { this.raw = '<unknown syscall>'; return; }
        this.raw = String(value);
        this.resolved = ppmScName(value) ?? '';
        return;
      default:
        this.raw = '(n.a.)';
    }
  }

  /**
   * The names of a flags, enum or mode value of parameter `outer`, kept per
   * parameter and value: a capture repeats few values (open flags, modes,
   * socket families) millions of times, and naming one walks its table and
   * joins strings. At most FLAG_MEMO_VALUES values per parameter are kept.
   */
  private flagText(outer: ParamInfo, value: number, names: FlagNamer): string {
    // By namer too: a DYN parameter's variants could name one value two ways.
    let byParam = this.flagMemo.get(names);
    if (byParam === undefined) this.flagMemo.set(names, byParam = new Map());
    let memo = byParam.get(outer);
    if (memo === undefined) byParam.set(outer, memo = new Map());
    let text = memo.get(value);
    if (text === undefined) {
      text = names(value, tableOf(outer));
      if (memo.size < FLAG_MEMO_VALUES) memo.set(value, text);
    }
    return text;
  }

  /**
   * An 8-byte integer parameter (fd, errno, pid, int64, uint64) whose value
   * is small, which is nearly all of them, rendered from a number: decoding
   * it as a BigInt (an object, then its text) was a large part of
   * `%evt.args`. Below 2^31 (2^32 for uint64, 2^53 for errno's decimal
   * text) a number prints as the 64-bit value does in every format but the
   * octal and hex of negative int64s. False, with nothing rendered, when the
   * general path must take it (other values, those formats, bytes past the
   * event's end).
   */
  private renderSmallInt64(k: number, outer: ParamInfo): boolean {
    const ev = this.ev;
    const b = ev.bytes;
    const start = ev.paramStart(k);
    if (start + 8 > ev.offset + ev.lenBytes || start + 8 > b.length) return false;
    const lo = i32(b, start);
    const hi = i32(b, start + 4);
    switch (outer.type) {
      case ParamType.UINT64:
        // Printed as a signed 64-bit value; below 2^32 that is the unsigned low word.
        if (hi !== 0) return false;
        this.raw = formatInt32(lo >>> 0, outer.format);
        return true;
      case ParamType.ERRNO: {
        // Decimal whatever the format; the errno name comes from the low 32 bits of a negative value.
        if (hi < -SAFE_HI || hi >= SAFE_HI) return false;
        const v = hi * 4294967296 + (lo >>> 0);
        this.raw = String(v);
        this.resolved = errnoResultName(v) ?? '';
        return true;
      }
    }
    if (hi !== lo >> 31) return false;
    switch (outer.type) {
      case ParamType.INT64:
        if (lo < 0 && (outer.format === PrintFormat.OCT || outer.format === PrintFormat.HEX)) return false;
        this.raw = formatInt32(lo, outer.format);
        return true;
      case ParamType.FD:
        this.raw = String(lo);
        this.resolveFd(lo);
        return true;
      default: {
        // PID
        this.raw = String(lo);
        this.resolved = this.state.thread(lo)?.comm ?? '';
        return true;
      }
    }
  }

  /**
   * A 1-, 2- or 4-byte integer parameter read in place and handed to
   * `renderInt`, as `decodeParam` and `renderValue` would, without the
   * ParamValue object they make per parameter (a third of bench.scap's
   * parameters are such numbers). False when its bytes run past the event.
   */
  private renderSmallInt(k: number, outer: ParamInfo): boolean {
    const ev = this.ev;
    const b = ev.bytes;
    const start = ev.paramStart(k);
    const end = start + FIXED_PARAM_SIZE[outer.type]!;
    if (end > ev.offset + ev.lenBytes || end > b.length) return false;
    let v: number;
    switch (INT_READ[outer.type]) {
      case 1: v = (b[start]! << 24) >> 24; break;
      case 2: v = (u16(b, start) << 16) >> 16; break;
      case 3: v = i32(b, start); break;
      case 4: v = b[start]!; break;
      case 5: v = u16(b, start); break;
      default: v = u32(b, start);
    }
    this.renderInt(v, outer.type, outer.format, outer);
    return true;
  }

  /**
   * A string or path parameter read in place, as `decodeParam` and
   * `renderValue` would, without the value object and byte view they make
   * (paths are most of the text of %evt.args). False when its bytes run
   * past the event.
   */
  private renderString(k: number, outer: ParamInfo, len: number): boolean {
    const ev = this.ev;
    const b = ev.bytes;
    const start = ev.paramStart(k);
    const end = start + len;
    if (end > ev.offset + ev.lenBytes || end > b.length) return false;
    const text = stringParamText(b, start, end);
    if (text === undefined) { this.raw = '<NA>'; return true; }
    this.raw = text;
    if (outer.type !== ParamType.CHARBUF) this.resolvePath(text, outer);
    return true;
  }

  private renderInt64(value: bigint, type: number, fmt: number): void {
    switch (type) {
      case ParamType.INT64:
        this.raw = formatInt64(value, fmt);
        return;
      case ParamType.UINT64:
        // Read back as int64 and printed signed (event.cpp PT_UINT64).
        this.raw = formatInt64(BigInt.asIntN(64, value), fmt);
        return;
      case ParamType.ERRNO:
        this.raw = value.toString();
        this.resolved = errnoResultName(value) ?? '';
        return;
      case ParamType.FD:
        this.renderFd(value);
        return;
      case ParamType.PID: {
        this.raw = value.toString();
        const t = this.state.thread(Number(value));
        this.resolved = t?.comm ?? '';
        return;
      }
      case ParamType.RELTIME:
        if (value === U64_MAX) { this.raw = 'none'; return; }
        this.raw = value.toString();
        this.resolved = formatG(Number(value) / 1e9) + 's';
        return;
      case ParamType.ABSTIME:
        this.raw = formatAbsTime(value);
        return;
      default:
        this.raw = '(n.a.)';
    }
  }

  /**
   * render_fd: the number; with thread info, a known fd adds `<type>name`,
   * AT_FDCWD adds `AT_FDCWD`, other negative values their errno name.
   * Without thread info nothing is resolved.
   */
  private renderFd(fd: bigint): void {
    this.raw = fd.toString();
    this.resolveFd(Number(fd), fd);
  }

  /**
   * render_fd's resolved text for fd `fd` (see `renderFd`); a negative one
   * is named from `errno`, the exact value (errno names come from its low
   * 32 bits, which a number loses beyond 2^53).
   */
  private resolveFd(fd: number, errno: number | bigint = fd): void {
    if (this.thread === undefined) return;
    if (fd >= 0) {
      const f = this.state.fd(this.ev.tid, fd) as FdWithProto | undefined;
      if (f !== undefined) this.resolved = `<${f.typeChar}${protoChar(f)}>${f.name}`;
    } else if (fd === AT_FDCWD) {
      this.resolved = 'AT_FDCWD';
    } else {
      this.resolved = errnoResultName(errno) ?? '';
    }
  }

  /**
   * FSPATH/FSRELPATH with thread info: a relative path resolves against the
   * thread's cwd, or for FSRELPATH against its dirfd's path (event.cpp
   * get_base_dir); absolute and empty paths, and the literal `<NA>`, resolve
   * to nothing.
   */
  private resolvePath(path: string, outer: ParamInfo): void {
    if (this.thread === undefined || path === '<NA>') return;
    if (path === '' || path.charCodeAt(0) === 0x2f) return;
    this.resolved = concatenatePaths(this.baseDir(outer), path);
  }

  private baseDir(outer: ParamInfo): string {
    const cwd = this.thread!.cwd;
    const dirfdParam = outer.type === ParamType.FSRELPATH ? outer.dirfdParam : undefined;
    if (dirfdParam === undefined) return cwd;
    const dirInfo = this.info.params[dirfdParam];
    if (dirInfo === undefined || dirInfo.type !== ParamType.FD) return cwd;
    const v = decodeParam(this.ev, dirfdParam, dirInfo);
    if (v.kind !== 'int64') return cwd;
    if (v.value === AT_FDCWD_BIG) return cwd;
    // threadinfo.cpp get_path_for_dir_fd: the fd's name with a trailing '/';
    // for an unknown fd libsinsp asks /proc, which a capture file cannot
    // answer, and gets ''.
    const f = this.state.fd(this.ev.tid, Number(v.value));
    if (f === undefined || f.name === '') return '';
    return f.name.endsWith('/') ? f.name : f.name + '/';
  }

  /**
   * `fd:<typechar><flags hex>` per entry, space-separated; the fd prints as
   * u64 and the i16 flags sign-extended to 32 bits (event.cpp PT_FDLIST).
   * Without thread info libsinsp writes nothing and the previous parameter's
   * text is printed again; we do the same.
   */
  private renderFdList(fds: readonly { fd: number; flags: number }[]): void {
    if (this.thread === undefined) return;
    const parts: string[] = [];
    for (const { fd, flags } of fds) {
      const f = fd >= 0 ? this.state.fd(this.ev.tid, fd) : undefined;
      const fdText = fd >= 0 ? String(fd) : BigInt.asUintN(64, BigInt(fd)).toString();
      parts.push(`${fdText}:${f?.typeChar ?? '?'}${(flags >>> 0).toString(16)}`);
    }
    this.raw = parts.join(' ');
  }
}

function tableOf(info: ParamInfo) {
  return info.flagsTable === undefined ? undefined : FLAG_TABLES[info.flagsTable];
}

function protoChar(f: FdWithProto): string {
  if (f.typeChar !== '4' && f.typeChar !== '6') return '';
  return f.l4proto === undefined ? '' : PROTO_CHAR[f.l4proto] ?? '';
}

function invalidText(reason: string): string {
  return `<INVALID: ${reason}>`;
}
