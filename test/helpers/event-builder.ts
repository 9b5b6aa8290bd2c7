// Builds EventBatch objects from plain descriptions, for tests of anything
// that reads events through EventCursor. The bytes follow the scap event
// layout (see scapfile/event-batch.ts): header, then u16 parameter lengths
// (u32 for EF_LARGE_PAYLOAD event types), then the parameter bytes.

import { EVENT_HEADER_LEN, EventBatchBuilder, type EventBatch } from '../../scapfile/event-batch.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EventType, type EventCode } from '../../scapfile/schema/events.js';
import { EventFlag, ParamType } from '../../scapfile/schema/types.js';

/** One event to build. `params` are the raw bytes of each parameter. */
export interface EventSpec {
  readonly type: number;
  readonly tid?: number;
  /** Timestamp in ns. */
  readonly ts?: bigint;
  readonly params: readonly Buffer[];
  readonly cpu?: number;
  readonly num?: number;
}

/** The bytes of one event. */
export function encodeEvent(spec: EventSpec): Buffer {
  const large = ((EVENTS[spec.type]?.flags ?? 0) & EventFlag.LARGE_PAYLOAD) !== 0;
  const lenSize = large ? 4 : 2;
  const n = spec.params.length;
  const dataLen = spec.params.reduce((a, p) => a + p.length, 0);
  const total = EVENT_HEADER_LEN + n * lenSize + dataLen;
  const b = Buffer.alloc(total);
  b.writeBigUInt64LE(spec.ts ?? 1_000_000_000n, 0);
  b.writeBigInt64LE(BigInt(spec.tid ?? 1), 8);
  b.writeUInt32LE(total, 16);
  b.writeUInt16LE(spec.type, 20);
  b.writeUInt32LE(n, 22);
  let at = EVENT_HEADER_LEN;
  for (const p of spec.params) {
    if (large) b.writeUInt32LE(p.length, at); else b.writeUInt16LE(p.length, at);
    at += lenSize;
  }
  for (const p of spec.params) { p.copy(b, at); at += p.length; }
  return b;
}

/** A batch holding the given events back to back, numbered from 1 unless `num` says otherwise. */
export function buildBatch(specs: readonly EventSpec[]): EventBatch {
  const parts = specs.map(encodeEvent);
  const builder = new EventBatchBuilder(Math.max(1, specs.length));
  let offset = 0;
  specs.forEach((s, i) => {
    builder.push(offset, s.cpu ?? 0, 0, s.num ?? i + 1, 0);
    offset += parts[i]!.length;
  });
  return builder.finish(Buffer.concat(parts));
}

/** A cursor on a one-event batch. */
export function cursorFor(spec: EventSpec): EventCursor {
  return new EventCursor().moveTo(buildBatch([spec]), 0);
}

// ---- parameter encoders ----

export const u8 = (v: number): Buffer => Buffer.from([v & 0xff]);
export const i8 = (v: number): Buffer => { const b = Buffer.alloc(1); b.writeInt8(v); return b; };
export const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
export const i16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeInt16LE(v); return b; };
export const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
export const i32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; };
export const u64 = (v: bigint | number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v))); return b; };
export const i64 = (v: bigint | number): Buffer => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
export const f64 = (v: number): Buffer => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; };
/** A NUL-terminated string (latin1 bytes). */
export const str = (s: string): Buffer => Buffer.from(s + '\0', 'latin1');
export const bytes = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));
export const empty = (): Buffer => Buffer.alloc(0);

/** IPv4 sockaddr: family 2, address bytes, port (host order). */
export function sockaddr4(ip: string, port: number): Buffer {
  return Buffer.concat([u8(2), Buffer.from(ip.split('.').map(Number)), u16(port)]);
}

/** IPv6 sockaddr: family 10, 16 address bytes, port. */
export function sockaddr6(ip: Buffer, port: number): Buffer {
  return Buffer.concat([u8(10), ip, u16(port)]);
}

/** Unix sockaddr: family 1, path, NUL. */
export function sockaddrUnix(path: string): Buffer {
  return Buffer.concat([u8(1), str(path)]);
}

/** IPv4 socket tuple. */
export function tuple4(sip: string, sport: number, dip: string, dport: number): Buffer {
  const ip = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
  return Buffer.concat([u8(2), ip(sip), u16(sport), ip(dip), u16(dport)]);
}

/** IPv6 socket tuple. */
export function tuple6(sip: Buffer, sport: number, dip: Buffer, dport: number): Buffer {
  return Buffer.concat([u8(10), sip, u16(sport), dip, u16(dport)]);
}

/** Unix socket tuple: family 1, source and dest pointers, path, NUL. */
export function tupleUnix(src: bigint, dst: bigint, path: string): Buffer {
  return Buffer.concat([u8(1), u64(src), u64(dst), str(path)]);
}

/** An IPv6 address from its 8 groups. */
export function ip6(...groups: number[]): Buffer {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
}

/** PT_FDLIST: u16 count, then (i64 fd, i16 flags) per entry. */
export function fdlist(entries: readonly (readonly [number, number])[]): Buffer {
  return Buffer.concat([u16(entries.length), ...entries.map(([fd, fl]) => Buffer.concat([i64(fd), i16(fl)]))]);
}

/** Size of each fixed-size parameter type, for default values. */
const DEFAULT_SIZES: Readonly<Record<number, number>> = (() => {
  const t: Record<number, number> = {};
  const set = (n: number, ks: readonly (keyof typeof ParamType)[]): void => { for (const k of ks) t[ParamType[k]] = n; };
  set(1, ['INT8', 'UINT8', 'FLAGS8', 'SIGTYPE', 'L4PROTO', 'SOCKFAMILY', 'ENUMFLAGS8']);
  set(2, ['INT16', 'UINT16', 'SYSCALLID', 'PORT', 'FLAGS16', 'ENUMFLAGS16']);
  set(4, ['INT32', 'UINT32', 'BOOL', 'IPV4ADDR', 'UID', 'GID', 'FLAGS32', 'SIGSET', 'MODE', 'ENUMFLAGS32', 'FD32', 'PID32']);
  set(8, ['INT64', 'UINT64', 'ERRNO', 'FD', 'PID', 'RELTIME', 'ABSTIME', 'DOUBLE']);
  return t;
})();

/**
 * An event of type `code` with every parameter of its layout: those named in
 * `params` as given, fixed-size ones zero, an FDLIST with no entries, and
 * the rest empty.
 *
 * ```ts
 * const spec = eventOf('SYSCALL_KILL_X', { res: i64(-3), sig: u8(9) }, 100);
 * ```
 */
export function eventOf(code: EventCode, params: Readonly<Record<string, Buffer>> = {}, tid = 100): EventSpec {
  const info = EVENTS[EventType[code]]!;
  for (const name of Object.keys(params)) {
    if (!info.params.some((p) => p.name === name)) throw new Error(`${code} has no parameter ${name}`);
  }
  const bufs = info.params.map((p) => params[p.name] ??
    (DEFAULT_SIZES[p.type] !== undefined ? Buffer.alloc(DEFAULT_SIZES[p.type]!) : p.type === ParamType.FDLIST ? u16(0) : Buffer.alloc(0)));
  return { type: info.id, tid, params: bufs };
}
