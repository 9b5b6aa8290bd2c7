// The enter events kept for the exit events that follow them: libscap's
// converter storage (evt_storage in converter/converter.cpp, falcosecurity/libs
// 48dfd53), one event per thread id, a newer one replacing the older, with a
// bound on memory that libscap does not have.

/** A stored copy; `len` 0 means "none" (libscap keeps a null pointer for a consumed event). */
import { copyBytes } from '../bytes.js';

interface Slot { buf: Buffer; len: number }

/** Counters of an `EnterEventStore`. */
export interface EnterEventStoreStats {
  /** Threads that currently have a stored enter event. */
  readonly tids: number;
  /** Bytes held by the store's buffers. */
  readonly bytes: number;
  /** Stored enter events forgotten (before their exit event came) to respect the bounds. */
  readonly evictions: number;
}

/**
 * One stored enter event per thread. At most `maxTids` threads keep a buffer
 * and their buffers hold at most `maxBytes` together (one event always fits);
 * beyond either bound the thread seen first is forgotten. Buffers
 * are reused, so storing allocates only for a new thread or a bigger event.
 */
export class EnterEventStore {
  /** Map order is the order threads were first seen: eviction takes the earliest. */
  private readonly slots = new Map<number, Slot>();
  private bytes = 0;
  private evictions = 0;

  constructor(private readonly maxTids: number, private readonly maxBytes: number) {}

  /** The stored enter event of `tid` (event at offset 0), or undefined. Valid until the next `put`/`clear`. */
  get(tid: number): Buffer | undefined {
    const slot = this.slots.get(tid);
    return slot === undefined || slot.len === 0 ? undefined : slot.buf;
  }

  /** Stores a copy of `src[at, at + len)` as the enter event of `tid`, replacing any previous one (store_evt). */
  put(tid: number, src: Buffer, at: number, len: number): void {
    // A thread keeps its slot (and its place in the eviction order, which is
    // the order threads were first seen): re-inserting on every enter event
    // would cost two Map operations per event for an order that only matters
    // past the bound.
    let slot = this.slots.get(tid);
    if (slot === undefined) {
      if (this.slots.size >= this.maxTids) this.evictOldest();
      slot = { buf: Buffer.allocUnsafe(Math.max(len, 128)), len: 0 };
      this.bytes += slot.buf.length;
      this.slots.set(tid, slot);
    }
    if (slot.buf.length < len) {
      this.bytes += len - slot.buf.length;
      slot.buf = Buffer.allocUnsafe(len);
    }
    copyBytes(src, at, at + len, slot.buf, 0);
    slot.len = len;
    while (this.bytes > this.maxBytes && this.slots.size > 1) this.evictOldest();
  }

  /** Marks the enter event of `tid` as consumed; its buffer stays for reuse (clear_evt). */
  clear(tid: number): void {
    const slot = this.slots.get(tid);
    if (slot !== undefined) slot.len = 0;
  }

  /** Forgets everything. */
  reset(): void {
    this.slots.clear();
    this.bytes = 0;
  }

  get stats(): EnterEventStoreStats {
    let tids = 0;
    for (const s of this.slots.values()) if (s.len > 0) tids++;
    return { tids, bytes: this.bytes, evictions: this.evictions };
  }

  private evictOldest(): void {
    for (const [tid, slot] of this.slots) {
      this.slots.delete(tid);
      this.bytes -= slot.buf.length;
      if (slot.len > 0) this.evictions++;
      return;
    }
  }
}
