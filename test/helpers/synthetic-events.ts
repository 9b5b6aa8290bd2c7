// Builds event batches by hand for unit tests: an event is its code, tid and
// parameter bytes, encoded in the scap event layout (header, parameter
// lengths — u32 for LARGE_PAYLOAD types — then the bytes). Parameters are
// given in schema order; helpers below encode the common types.
//
// ```ts
// const batch = buildBatch([
//   ev('SYSCALL_OPEN_X', 100, [i64(3), str('/etc/passwd'), u32(0), u32(0), u32(0), u64(0n)]),
// ]);
// ```

import type { EventBatch } from '../../scapfile/event-batch.js';
import { EVENT_HEADER_LEN } from '../../scapfile/event-batch.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EventType, type EventCode } from '../../scapfile/schema/events.js';
import { EventFlag } from '../../scapfile/schema/types.js';

/** One event to encode. `ts` defaults to a counter that grows by 1 µs per event. */
export interface SyntheticEvent {
  readonly type: number;
  readonly tid: number;
  readonly params: readonly Buffer[];
  readonly ts?: bigint;
}

export function ev(code: EventCode, tid: number, params: readonly Buffer[], ts?: bigint): SyntheticEvent {
  return ts === undefined ? { type: EventType[code], tid, params } : { type: EventType[code], tid, params, ts };
}

export const empty = (): Buffer => Buffer.alloc(0);
export const u8 = (v: number): Buffer => Buffer.of(v & 0xff);
export function u16(v: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; }
export function u32(v: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; }
export function i64(v: number | bigint): Buffer { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; }
export function u64(v: number | bigint): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }
/** A NUL-terminated string (CHARBUF, FSPATH). */
export const str = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.of(0)]);
/** NUL-separated list with a trailing NUL (args, env). */
export const strList = (items: readonly string[]): Buffer =>
  Buffer.concat(items.map((s) => str(s)));

function ip4(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

/** 16 bytes of an IPv6 address written as eight hex groups or with one `::`. */
export function ip6(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), 2 * i));
  return b;
}

/** PT_SOCKADDR values. */
export const sockaddr4 = (ip: string, port: number): Buffer => Buffer.concat([u8(2), ip4(ip), u16(port)]);
export const sockaddr6 = (ip: string, port: number): Buffer => Buffer.concat([u8(10), ip6(ip), u16(port)]);
export const sockaddrUnix = (path: string): Buffer => Buffer.concat([u8(1), str(path)]);

/** PT_SOCKTUPLE values. */
export const tuple4 = (sip: string, sport: number, dip: string, dport: number): Buffer =>
  Buffer.concat([u8(2), ip4(sip), u16(sport), ip4(dip), u16(dport)]);
export const tuple6 = (sip: string, sport: number, dip: string, dport: number): Buffer =>
  Buffer.concat([u8(10), ip6(sip), u16(sport), ip6(dip), u16(dport)]);
export const tupleUnix = (source: bigint, dest: bigint, path: string): Buffer =>
  Buffer.concat([u8(1), u64(source), u64(dest), str(path)]);

/** Encodes `events` into one batch, numbered 1, 2, 3... */
export function buildBatch(events: readonly SyntheticEvent[], firstTs = 1_000_000_000_000_000_000n): EventBatch {
  const parts: Buffer[] = [];
  const offsets = new Int32Array(Math.max(1, events.length));
  let at = 0;
  let ts = firstTs;
  events.forEach((e, i) => {
    const large = (EVENTS[e.type]!.flags & EventFlag.LARGE_PAYLOAD) !== 0;
    const lenSize = large ? 4 : 2;
    const dataLen = e.params.reduce((n, p) => n + p.length, 0);
    const total = EVENT_HEADER_LEN + lenSize * e.params.length + dataLen;
    const b = Buffer.alloc(total);
    b.writeBigUInt64LE(e.ts ?? ts, 0);
    b.writeBigInt64LE(BigInt(e.tid), 8);
    b.writeUInt32LE(total, 16);
    b.writeUInt16LE(e.type, 20);
    b.writeUInt32LE(e.params.length, 22);
    let p = EVENT_HEADER_LEN;
    for (const prm of e.params) {
      if (large) b.writeUInt32LE(prm.length, p); else b.writeUInt16LE(prm.length, p);
      p += lenSize;
    }
    for (const prm of e.params) { prm.copy(b, p); p += prm.length; }
    parts.push(b);
    offsets[i] = at;
    at += total;
    ts += 1000n;
  });
  const n = events.length;
  return {
    buf: Buffer.concat(parts),
    count: n,
    offsets,
    cpus: new Uint16Array(Math.max(1, n)),
    flags: new Uint32Array(Math.max(1, n)),
    nums: Float64Array.from({ length: Math.max(1, n) }, (_, i) => i + 1),
    blockOffsets: new Float64Array(Math.max(1, n)),
  };
}

/**
 * Feeds events one at a time to `apply` and calls `after` right after each,
 * with a cursor on that event: the order in which sinsp parses then formats.
 */
export function replay(
  events: readonly SyntheticEvent[],
  apply: (ev: EventCursor) => void,
  after?: (ev: EventCursor, index: number) => void,
): void {
  const batch = buildBatch(events);
  const cur = new EventCursor();
  for (let i = 0; i < batch.count; i++) {
    cur.moveTo(batch, i);
    apply(cur);
    after?.(cur, i);
  }
}

/**
 * An event with parameters given by name; parameters not given are empty,
 * as in events converted from older layouts.
 */
export function evn(code: EventCode, tid: number, params: Readonly<Record<string, Buffer>>, ts?: bigint): SyntheticEvent {
  const layout = EVENTS[EventType[code]]!.params;
  for (const name of Object.keys(params)) {
    if (!layout.some((p) => p.name === name)) throw new Error(`${code} has no parameter '${name}'`);
  }
  return ev(code, tid, layout.map((p) => params[p.name] ?? empty()), ts);
}
