/**
 * A batch of events: one buffer and the positions of the events inside it.
 * Readers, converters and live sources hand these out; nothing downstream
 * copies an event to look at it (see `EventCursor`).
 *
 * Layout of each event at `buf[offsets[i]]` (little-endian, libscap's
 * `scap_evt`): u64 ts, u64 tid, u32 len, u16 type, u32 nparams, then nparams
 * lengths (u16, or u32 for LARGE_PAYLOAD types), then the parameter bytes.
 */
export interface EventBatch {
  /** Bytes that hold the events (and possibly other data between them). */
  readonly buf: Buffer;
  /** Number of events in the batch. Arrays below may be longer. */
  readonly count: number;
  /** Start of each event header within `buf`. */
  readonly offsets: Int32Array;
  /** CPU that produced each event (from the event block). */
  readonly cpus: Uint16Array;
  /** Per-event flags of EVF blocks; 0 for plain event blocks. */
  readonly flags: Uint32Array;
  /**
   * Event number, 1-based: the reader numbers event blocks in file order; the
   * layout converter renumbers the events it lets through, as libscap does.
   */
  readonly nums: Float64Array;
  /** Absolute offset (in the decompressed stream) of the block holding each event. */
  readonly blockOffsets: Float64Array;
}

/** Size of the fixed event header (`sizeof(scap_evt)`). */
export const EVENT_HEADER_LEN = 26;

/** A growable set of per-event arrays, used to build batches without per-event allocation. */
export class EventBatchBuilder {
  count = 0;
  offsets: Int32Array;
  cpus: Uint16Array;
  flags: Uint32Array;
  nums: Float64Array;
  blockOffsets: Float64Array;

  private capacity: number;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.offsets = new Int32Array(capacity);
    this.cpus = new Uint16Array(capacity);
    this.flags = new Uint32Array(capacity);
    this.nums = new Float64Array(capacity);
    this.blockOffsets = new Float64Array(capacity);
  }

  /** Appends one event's position and block facts. */
  push(offset: number, cpu: number, flags: number, num: number, blockOffset: number): void {
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.offsets[i] = offset;
    this.cpus[i] = cpu;
    this.flags[i] = flags;
    this.nums[i] = num;
    this.blockOffsets[i] = blockOffset;
  }

  /**
   * Hands out the batch over `buf` and starts an empty set of arrays. A
   * small batch gets exact copies and the arrays are kept for the next one:
   * reading a file alternates a chunk's worth of events with the single
   * block joined across two chunks, and fresh arrays of full capacity for
   * that one event were a third of the reader's allocations. With `reuse`
   * the caller is done with the previous batch: its arrays are the next
   * one's.
   */
  finish(buf: Buffer, reuse = false): EventBatch {
    const n = this.count;
    this.count = 0;
    if (reuse) {
      return {
        buf, count: n, offsets: this.offsets, cpus: this.cpus, flags: this.flags, nums: this.nums, blockOffsets: this.blockOffsets,
      };
    }
    if (n * 8 < this.capacity) {
      return {
        buf, count: n,
        offsets: this.offsets.slice(0, n), cpus: this.cpus.slice(0, n), flags: this.flags.slice(0, n),
        nums: this.nums.slice(0, n), blockOffsets: this.blockOffsets.slice(0, n),
      };
    }
    const batch: EventBatch = {
      buf,
      count: n,
      offsets: this.offsets,
      cpus: this.cpus,
      flags: this.flags,
      nums: this.nums,
      blockOffsets: this.blockOffsets,
    };
    // Sized for the largest batch so far, with room for batches a little
    // larger (chunks hold a varying number of events): growing doubles and
    // copies every array.
    this.capacity = Math.max(this.capacity, n + (n >> 3));
    const capacity = this.capacity;
    this.offsets = new Int32Array(capacity);
    this.cpus = new Uint16Array(capacity);
    this.flags = new Uint32Array(capacity);
    this.nums = new Float64Array(capacity);
    this.blockOffsets = new Float64Array(capacity);
    return batch;
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    const offsets = new Int32Array(n); offsets.set(this.offsets); this.offsets = offsets;
    const cpus = new Uint16Array(n); cpus.set(this.cpus); this.cpus = cpus;
    const flags = new Uint32Array(n); flags.set(this.flags); this.flags = flags;
    const nums = new Float64Array(n); nums.set(this.nums); this.nums = nums;
    const blockOffsets = new Float64Array(n); blockOffsets.set(this.blockOffsets); this.blockOffsets = blockOffsets;
  }
}
