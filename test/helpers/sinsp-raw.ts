// Synthetic captures of hand-made events, and our reading of a capture in
// the raw form sinsp-example -a -r prints (every parameter hexdumped after
// libscap's conversion of old layouts, userspace/libsinsp/examples/test.cpp),
// so that the converter can be checked against the reference byte by byte.

import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { SinspSelection } from '../../inspect/sinsp-selection.js';
import type { ScapFormatError } from '../../scapfile/errors.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { EVENTS, EventType } from '../../scapfile/schema/events.js';
import { genericSyscallName } from '../../scapfile/schema/syscalls.js';
import { EventFlag, ParamType } from '../../scapfile/schema/types.js';
import { LayoutConverter } from '../../scapfile/upgrade/index.js';
import { capturePath } from './fixtures.js';

/** An event to encode: params as bytes, a string (NUL-terminated) or a number (u64). */
export interface SyntheticEvent { type: number; tid?: number; ts?: number; params?: (Buffer | string | number)[]; flags?: number }

function paramBytes(v: Buffer | string | number): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v + '\0');
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(v));
  return b;
}

/** The bytes of one event: header, parameter lengths (u32 for large-payload types), values. */
export function encodeEvent(e: SyntheticEvent): Buffer {
  const params = (e.params ?? []).map(paramBytes);
  const lenSize = EVENTS[e.type]!.flags & EventFlag.LARGE_PAYLOAD ? 4 : 2;
  const len = 26 + params.length * lenSize + params.reduce((s, p) => s + p.length, 0);
  const b = Buffer.alloc(len);
  b.writeBigUInt64LE(BigInt(e.ts ?? 1000), 0);
  b.writeBigInt64LE(BigInt(e.tid ?? 42), 8);
  b.writeUInt32LE(len, 16);
  b.writeUInt16LE(e.type, 20);
  b.writeUInt32LE(params.length, 22);
  let at = 26;
  for (const p of params) { if (lenSize === 2) b.writeUInt16LE(p.length, at); else b.writeUInt32LE(p.length, at); at += lenSize; }
  Buffer.concat(params).copy(b, at);
  return b;
}

/**
 * A capture made of a real preamble (single_ipv6_conn's state blocks) and the
 * given events in V2 blocks (flagged ones in EVF blocks), a microsecond
 * apart, on thread 100 unless they name another.
 */
export function captureBytes(events: readonly SyntheticEvent[]): Buffer {
  const src = gunzipSync(readFileSync(capturePath('single_ipv6_conn')));
  let at = 0;
  while (src.readUInt32LE(at) !== 0x216) at += src.readUInt32LE(at + 4);
  const blocks = events.map((e, i) => {
    const flagged = e.flags !== undefined;
    const head = Buffer.alloc(flagged ? 6 : 2);
    if (flagged) head.writeUInt32LE(e.flags!, 2);
    const body = Buffer.concat([head, encodeEvent({ ts: 1534527343000000000 + i * 1000, tid: 100, ...e })]);
    const total = 8 + body.length + ((4 - (body.length % 4)) % 4) + 4;
    const block = Buffer.alloc(total);
    block.writeUInt32LE(flagged ? 0x217 : 0x216, 0);
    block.writeUInt32LE(total, 4);
    body.copy(block, 8);
    block.writeUInt32LE(total, total - 4);
    return block;
  });
  return Buffer.concat([src.subarray(0, at), ...blocks]);
}

/** `captureBytes` as a stream. */
export function captureOf(events: readonly SyntheticEvent[]): Readable {
  return Readable.from([captureBytes(events)]);
}

/** sinsp-example's hexdump (libsinsp/examples/test.cpp): printable runs quoted, other bytes in hex. */
export function formatHexdump(bytes: Buffer): string {
  let s = '';
  let inText = false;
  bytes.forEach((c, i) => {
    if (c >= 0x20 && c < 0x7f) {
      if (!inText) { inText = true; s += (i > 0 ? ' ' : '') + '"'; }
      s += String.fromCharCode(c);
    } else {
      s += inText ? '" ' : i > 0 ? ' ' : '';
      inText = false;
      s += c.toString(16).padStart(2, '0');
    }
  });
  return s + (inText ? '"' : '');
}

/** What sinsp shows for an empty or "(NULL)" string parameter (sinsp_evt_param::data_and_len_with_legacy_null_encoding). */
export function asSinspShows(type: number, bytes: Buffer): Buffer {
  const stringLike = type === ParamType.CHARBUF || type === ParamType.FSPATH || type === ParamType.FSRELPATH;
  if (stringLike && (bytes.length === 0 || bytes.equals(Buffer.from('(NULL)\0')))) return Buffer.from('<NA>\0');
  return bytes;
}

/** The name sinsp gives an event: generic ones are named after their syscall (ID, or nativeID when ID is 0). */
export function sinspEventName(ev: EventCursor): string {
  if (ev.type !== EventType.GENERIC_E && ev.type !== EventType.GENERIC_X) return EVENTS[ev.type]!.name;
  const id = ev.bytes.readUInt16LE(ev.paramStart(0));
  return genericSyscallName(id, ev.nparams > 1 ? ev.bytes.readUInt16LE(ev.paramStart(1)) : undefined) ?? 'syscall';
}

/** Our events in sinsp-example's raw format, without the timestamp and category. */
export async function rawDump(input: Readable | string, onError?: (e: ScapFormatError) => void): Promise<string[]> {
  const conv = new LayoutConverter(onError ? { onError } : {});
  const sel = new SinspSelection({ converter: conv });
  const ev = new EventCursor();
  const lines: string[] = [];
  for await (const raw of await openCapture(input)) {
    const batch = sel.select(conv.convert(raw));
    for (let i = 0; i < batch.count; i++) {
      ev.moveTo(batch, i);
      const info = EVENTS[ev.type]!;
      let line = `tid=${ev.tid} type=${info.dir === 'enter' ? '>' : '<'}${sinspEventName(ev)} nparams=${ev.nparams}`;
      for (let k = 0; k < ev.nparams; k++) {
        const bytes = asSinspShows(info.params[k]!.type, ev.bytes.subarray(ev.paramStart(k), ev.paramStart(k) + ev.paramLen(k)));
        line += ` ${k}:${info.params[k]!.name}=[${formatHexdump(bytes)}]`;
      }
      lines.push(line);
    }
  }
  return lines;
}
