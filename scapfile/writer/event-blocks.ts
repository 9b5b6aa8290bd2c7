// Event blocks, as libscap's dumper frames each event (falcosecurity/libs
// 48dfd53 userspace/libscap/scap_savefile.c scap_dump): u32 block type, u32
// total length, u16 cpu id, [u32 flags], the event bytes (26-byte header and
// parameters, exactly as in memory), zero padding, u32 total length. The
// block type says whether flags follow the cpu id (EVF_*) and whether the
// event may exceed libscap's 64 KiB read buffer (*_LARGE: events of
// EF_LARGE_PAYLOAD types, whose parameter lengths are u32).

import { BlockType } from '../block-types.js';
import { copyBytes, u16, u32, w16, w32 } from '../bytes.js';
import { EVENTS } from '../schema/events.js';
import { EventFlag } from '../schema/types.js';
import { padded4 } from './block-builder.js';

const LARGE_PAYLOAD = new Uint8Array(65536);
for (const e of EVENTS) if (e.flags & EventFlag.LARGE_PAYLOAD) LARGE_PAYLOAD[e.id] = 1;

/** The block type libscap's dumper uses for an event of `eventType` with these block flags. */
export function eventBlockTypeFor(eventType: number, flags: number): number {
  const large = LARGE_PAYLOAD[eventType] === 1;
  if (flags !== 0) return large ? BlockType.EVENT_FLAGS_V2_LARGE : BlockType.EVENT_FLAGS_V2;
  return large ? BlockType.EVENT_V2_LARGE : BlockType.EVENT_V2;
}

/** Bytes of the event block that holds an event of `eventLen` bytes. */
export function eventBlockLen(eventLen: number, flags: number): number {
  return 8 + (flags !== 0 ? 4 : 0) + padded4(2 + eventLen) + 4;
}

/**
 * Writes the event block of the event at `src[at]` (its length read from its
 * header) into `dst[to]`, which must have room for `eventBlockLen`. Returns
 * the offset after the block.
 */
export function writeEventBlock(src: Buffer, at: number, cpu: number, flags: number, dst: Buffer, to: number): number {
  const len = u32(src, at + 16);
  const type = eventBlockTypeFor(u16(src, at + 20), flags);
  const total = eventBlockLen(len, flags);
  w32(dst, to, type);
  w32(dst, to + 4, total);
  w16(dst, to + 8, cpu);
  let p = to + 10;
  if (flags !== 0) { w32(dst, p, flags); p += 4; }
  copyBytes(src, at, at + len, dst, p);
  p += len;
  const end = to + total - 4;
  while (p < end) dst[p++] = 0;
  w32(dst, end, total);
  return to + total;
}
