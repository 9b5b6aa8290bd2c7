import { u16, u32, i32 } from './bytes.js';
import type { EventBatch } from './event-batch.js';
import { EVENT_HEADER_LEN } from './event-batch.js';
import { LARGE_PAYLOAD_TYPES } from './schema/events.js';
import { splitNs } from './timestamp.js';


/** Upper bound of parameters per event in the format (`PPM_MAX_EVENT_PARAMS`). */
export const MAX_EVENT_PARAMS = 32;

/**
 * A flyweight view of one event in a batch. Move it with `moveTo`; every
 * accessor reads the batch buffer directly, and parameter positions are
 * computed once per event, on first use. Reuse one cursor for a whole stream:
 *
 * ```ts
 * const ev = new EventCursor();
 * for (let i = 0; i < batch.count; i++) {
 *   ev.moveTo(batch, i);
 *   if (ev.type === wanted) use(decodeParam(ev, 1, eventInfo(ev.type)!.params[1]!));
 * }
 * ```
 *
 * `bytes` is the whole batch buffer; one event's bytes are
 * `ev.bytes.subarray(ev.offset, ev.offset + ev.lenBytes)`.
 */
export class EventCursor {
  batch!: EventBatch;
  index = -1;
  /** Offset of the event header in `batch.buf`. */
  offset = 0;
  private buf!: Buffer;
  /** Start of each parameter's bytes, and (at [nparams]) the end of the last one. */
  private readonly paramStarts = new Int32Array(MAX_EVENT_PARAMS + 1);
  private paramsReady = false;
  private nparamsCache = 0;

  moveTo(batch: EventBatch, index: number): this {
    this.batch = batch;
    this.buf = batch.buf;
    this.index = index;
    this.offset = batch.offsets[index]!;
    this.paramsReady = false;
    return this;
  }

  get type(): number { return u16(this.buf, this.offset + 20); }
  get lenBytes(): number { return u32(this.buf, this.offset + 16); }
  get nparams(): number { return u32(this.buf, this.offset + 22); }
  get cpu(): number { return this.batch.cpus[this.index]!; }
  get num(): number { return this.batch.nums[this.index]!; }
  get eventFlags(): number { return this.batch.flags[this.index]!; }
  get blockOffset(): number { return this.batch.blockOffsets[this.index]!; }
  /** Low and high 32 bits of the timestamp (ns since the epoch). */
  get tsLo(): number { return u32(this.buf, this.offset); }
  get tsHi(): number { return u32(this.buf, this.offset + 4); }
  /** Thread id; exact for every tid a kernel hands out (and -1). */
  get tid(): number {
    const lo = i32(this.buf, this.offset + 8);
    const hi = i32(this.buf, this.offset + 12);
    // Every real tid (and -1) is a sign-extended 32-bit value: returning the
    // int32 itself keeps it a small integer for the Map lookups it keys,
    // where the general formula makes a double.
    return hi === lo >> 31 ? lo : hi * 4294967296 + (lo >>> 0);
  }
  /** Timestamp as a BigInt; allocates, so keep it off hot paths. */
  get tsNs(): bigint { return this.buf.readBigUInt64LE(this.offset); }
  /** Seconds since the epoch of the timestamp. */
  get tsSec(): number { return splitNs(this.tsHi, this.tsLo).sec; }

  /** Number of bytes of parameter `k` (0 when the event has fewer parameters). */
  paramLen(k: number): number {
    if (!this.paramsReady) this.locateParams();
    if (k >= this.nparamsCache) return 0;
    return this.paramStarts[k + 1]! - this.paramStarts[k]!;
  }

  /** Offset in `buf` of parameter `k`'s bytes. */
  paramStart(k: number): number {
    if (!this.paramsReady) this.locateParams();
    return this.paramStarts[k]!;
  }

  /** The batch buffer, for decoders that read parameter bytes in place. */
  get bytes(): Buffer { return this.buf; }

  private locateParams(): void {
    const buf = this.buf;
    const off = this.offset;
    const n = Math.min(u32(buf, off + 22), MAX_EVENT_PARAMS);
    const large = LARGE_PAYLOAD_TYPES[u16(buf, off + 20)] === 1;
    const lenSize = large ? 4 : 2;
    let pos = off + EVENT_HEADER_LEN + n * lenSize;
    let lenAt = off + EVENT_HEADER_LEN;
    const starts = this.paramStarts;
    for (let k = 0; k < n; k++) {
      starts[k] = pos;
      pos += large ? u32(buf, lenAt) : u16(buf, lenAt);
      lenAt += lenSize;
    }
    starts[n] = pos;
    this.nparamsCache = n;
    this.paramsReady = true;
  }
}
