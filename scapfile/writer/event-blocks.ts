// Event blocks, as libscap's dumper frames each event (falcosecurity/libs
// 48dfd53 userspace/libscap/scap_savefile.c scap_dump): u32 block type, u32
// total length, u16 cpu id, [u32 flags], the event bytes (26-byte header and
// parameters, exactly as in memory), zero padding, u32 total length. The
// block type says whether flags follow the cpu id (EVF_*) and whether the
// event may exceed libscap's 64 KiB read buffer (*_LARGE: events of
// EF_LARGE_PAYLOAD types, whose parameter lengths are u32).

import { BlockType } from '../block-types.js';
import { copyView } from '../bytes.js';
import { EVENT_HEADER_LEN } from '../event-batch.js';
import { LARGE_PAYLOAD_TYPES } from '../schema/events.js';
import { padded4 } from './block-builder.js';


/** The block type libscap's dumper uses for an event of `eventType` with these block flags. */
export function eventBlockTypeFor(eventType: number, flags: number): number {
  const large = LARGE_PAYLOAD_TYPES[eventType] === 1;
  if (flags !== 0) return large ? BlockType.EVENT_FLAGS_V2_LARGE : BlockType.EVENT_FLAGS_V2;
  return large ? BlockType.EVENT_V2_LARGE : BlockType.EVENT_V2;
}

/** Bytes of the event block that holds an event of `eventLen` bytes. */
export function eventBlockLen(eventLen: number, flags: number): number {
  return 8 + (flags !== 0 ? 4 : 0) + padded4(2 + eventLen) + 4;
}

/**
 * Longer events are copied natively: making two typed-array views costs
 * about 65 ns whatever the length, as much as copying ~110 unaligned bytes
 * through DataViews (~0.55 ns a byte on this machine kind).
 */
const NATIVE_COPY_BYTES = 112;

/**
 * Writes the event block of the event at `at` of `src` (its length read from
 * its header) at `to` of `dst`, which must have room for `eventBlockLen`.
 * Returns the offset after the block. Views rather than Buffers: every
 * copied, cut, merged, converted or live-written event passes here, and
 * copying its bytes four at a time through DataViews took a quarter of the
 * time of a byte loop (and of Buffer#copy's native call) for events of tens
 * of bytes.
 */
export function writeEventBlock(src: DataView, at: number, cpu: number, flags: number, dst: DataView, to: number): number {
  const len = src.getUint32(at + 16, true);
  const type = eventBlockTypeFor(src.getUint16(at + 20, true), flags);
  const total = eventBlockLen(len, flags);
  dst.setUint32(to, type, true);
  dst.setUint32(to + 4, total, true);
  dst.setUint16(to + 8, cpu, true);
  let p = to + 10;
  if (flags !== 0) { dst.setUint32(p, flags, true); p += 4; }
  if (len <= NATIVE_COPY_BYTES) copyView(src, at, at + len, dst, p);
  else new Uint8Array(dst.buffer, dst.byteOffset + p, len).set(new Uint8Array(src.buffer, src.byteOffset + at, len));
  p += len;
  const end = to + total - 4;
  while (p < end) dst.setUint8(p++, 0);
  dst.setUint32(end, total, true);
  return to + total;
}

/**
 * The length of the event block around the event at `at` of `src` when
 * those bytes are exactly what `writeEventBlock` would write for it (block
 * type, length, cpu, flags, zero padding, trailing length), else 0. Events
 * read from a capture sit in their blocks: a run of such blocks is copied
 * whole instead of event by event. Whatever the bytes before `at` are, a
 * match means the copy equals the written block, byte for byte.
 */
export function blockAsWritten(src: DataView, at: number, cpu: number, flags: number): number {
  const start = at - (flags !== 0 ? 14 : 10);
  if (start < 0 || at + EVENT_HEADER_LEN > src.byteLength) return 0;
  const len = src.getUint32(at + 16, true);
  const total = eventBlockLen(len, flags);
  const end = start + total;
  if (end > src.byteLength
    || src.getUint32(start, true) !== eventBlockTypeFor(src.getUint16(at + 20, true), flags)
    || src.getUint32(start + 4, true) !== total
    || src.getUint16(start + 8, true) !== cpu
    || (flags !== 0 && src.getUint32(start + 10, true) !== flags)
    || src.getUint32(end - 4, true) !== total) return 0;
  for (let p = at + len; p < end - 4; p++) if (src.getUint8(p) !== 0) return 0;
  return total;
}
