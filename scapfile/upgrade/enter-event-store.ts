// The enter events kept for the exit events that follow them: libscap's
// converter storage (evt_storage in converter/converter.cpp, falcosecurity/libs
// 48dfd53), one event per thread id, a newer one replacing the older, with a
// bound on memory that libscap does not have.

import { copyView } from '../bytes.js';

/** Counters of an `EnterEventStore`. */
export interface EnterEventStoreStats {
  /** Threads that currently have a stored enter event. */
  readonly tids: number;
  /** Bytes held by the store's buffers. */
  readonly bytes: number;
  /** Stored enter events forgotten (before their exit event came) to respect the bounds. */
  readonly evictions: number;
  /**
   * Exit events that asked for their thread's enter event after it was
   * forgotten: they got libscap's default values where libscap, whose
   * store has no bound, copies the enter event's. Only these differ from
   * libscap; an enter event forgotten whose exit never comes changes nothing.
   */
  readonly defaultedExits: number;
  /** Forgotten enter events not followed (past `MAX_FOLLOWED`): their exit events may have been defaulted too. */
  readonly unfollowed: number;
}

/** What the store's bounds cost so far (`EnterEventStore.losses`). */
export type EnterEventLosses = Pick<EnterEventStoreStats, 'evictions' | 'defaultedExits' | 'unfollowed'>;

/**
 * The warning a reader gives for `losses`, or undefined when no event came
 * out other than libscap makes it (forgotten enter events whose exit events
 * never came change nothing).
 */
export function forgottenEnterWarning(losses: EnterEventLosses): string | undefined {
  const { defaultedExits, unfollowed } = losses;
  if (defaultedExits === 0 && unfollowed === 0) return undefined;
  return `the store of enter events for old-layout conversion was full (maxStoredTids / maxStoredBytes): `
    + `${defaultedExits} exit events came after their enter event was forgotten and got default values`
    + (unfollowed > 0 ? `; ${unfollowed} more forgotten enter events were not followed, and their exit events, if any came, got default values too` : '');
}

/**
 * Threads whose forgotten enter event is remembered by id, to count the
 * exit events it would have served; beyond this many the earliest is no
 * longer followed (8 bytes of id each, in a Set, on the rare path only).
 */
export const MAX_FOLLOWED = 1 << 20;

/** Capacity of the hash table before its first growth (a power of two). */
const INITIAL_TABLE = 1024;

/**
 * One stored enter event per thread. At most `maxTids` threads keep a buffer
 * and their buffers hold at most `maxBytes` together (one event always fits);
 * beyond either bound the thread seen first is forgotten. Buffers
 * are reused, so storing allocates only for a new thread or a bigger event.
 *
 * Thread ids are the header's i32 * 2^32 + u32 as a double, as a JS Map
 * keyed them before (two ids that round to the same double are one thread).
 * They are kept in an open-addressing table of doubles rather than a Map: a
 * Map boxes every id beyond the small-integer range, which most ids of
 * large captures are, and looking one up was a tenth of reading an old
 * capture. A thread is found as a slot number; `find` / `bytesOf` /
 * `viewOf` / `consume` serve the converter's hot path.
 */
export class EnterEventStore {
  /** Open addressing with linear probing: slot + 1, or 0 for an empty bucket. */
  private table = new Int32Array(INITIAL_TABLE);
  private mask = INITIAL_TABLE - 1;
  /** Threads in the table. */
  private size = 0;
  // Per slot: thread id, stored length (0: consumed or none), the size of
  // its buffer as accounted (the buffer itself may not exist yet, see
  // `putRef`), the buffer and a view of it.
  private tidOf = new Float64Array(64);
  private lens = new Int32Array(64);
  private caps = new Int32Array(64);
  private bufs: Array<Buffer | undefined> = [];
  private views: Array<DataView | undefined> = [];
  // Per slot: an event stored by reference, in the caller's bytes, until `settle`.
  private refViews: Array<DataView | undefined> = [];
  private refAt = new Int32Array(64);
  /** Slots given a reference since the last `settle` (may repeat). */
  private pending = new Int32Array(64);
  private pendingCount = 0;
  private readonly freeSlots: number[] = [];
  /**
   * Slots in the order their threads were first seen, a ring: eviction takes
   * the earliest. A thread keeps its place while it is stored again (as a
   * Map keeps insertion order), and only eviction and `reset` remove threads.
   */
  private order = new Int32Array(64);
  private orderHead = 0;
  private bytes = 0;
  private evictions = 0;
  /** Threads whose stored enter event was evicted and not yet asked for or replaced. */
  private readonly forgotten = new Set<number>();
  private defaultedExits = 0;
  private unfollowed = 0;
  /** The slot `slotOf` found or `insert` made last (a live slot), or -1. */
  private lastSlot = -1;

  constructor(private readonly maxTids: number, private readonly maxBytes: number) {}

  /** The stored enter event of `tid` (event at offset 0), or undefined. Valid until the next `put`/`clear`. */
  get(tid: number): Buffer | undefined {
    const slot = this.find(tid);
    if (slot < 0) return undefined;
    this.own(slot);
    return this.bufs[slot];
  }

  /** The slot of `tid`'s stored enter event, or -1 when there is none. */
  find(tid: number): number {
    const s = this.slotOf(tid);
    return s >= 0 && this.lens[s]! > 0 ? s : -1;
  }

  /**
   * Tells the store that an exit event of `tid` needed its enter event and
   * found none (`find` gave -1, `get` undefined): counted when the store had
   * forgotten it, once (libscap would have consumed it).
   */
  missing(tid: number): void {
    if (this.forgotten.size > 0 && this.forgotten.delete(tid)) this.defaultedExits++;
  }

  /** A view holding the event of a slot found by `find`, at `baseOf(slot)`. */
  viewOf(slot: number): DataView { return this.refViews[slot] ?? this.views[slot]!; }

  /** Where the event of a slot starts in `viewOf(slot)`. */
  baseOf(slot: number): number { return this.refViews[slot] === undefined ? 0 : this.refAt[slot]!; }

  /** Marks a slot's event as consumed; its buffer stays for reuse (clear_evt). */
  consume(slot: number): void {
    this.lens[slot] = 0;
    this.refViews[slot] = undefined;
  }

  /**
   * Stores a copy of the `len` bytes at `at` of `view` as the enter event of
   * `tid`, replacing any previous one (store_evt).
   */
  put(tid: number, view: DataView, at: number, len: number): void {
    const slot = this.account(tid, len);
    this.refViews[slot] = undefined;
    this.ensureBuffer(slot);
    copyView(view, at, at + len, this.views[slot]!, 0);
    this.lens[slot] = len;
    this.evictPastBytes();
  }

  /**
   * `put` without the copy: the event stays in the caller's bytes, which must
   * not change until `settle` is called. The converter stores most enter
   * events this way within a batch, as their exit event usually follows in
   * the same batch and consumes them; `settle` copies the others at its end.
   * Sizes are accounted as if copied, so evictions happen exactly as for `put`.
   */
  putRef(tid: number, view: DataView, at: number, len: number): void {
    const slot = this.account(tid, len);
    this.refViews[slot] = view;
    this.refAt[slot] = at;
    this.lens[slot] = len;
    if (this.pendingCount === this.pending.length) {
      const p = new Int32Array(this.pending.length * 2); p.set(this.pending); this.pending = p;
    }
    this.pending[this.pendingCount++] = slot;
    this.evictPastBytes();
  }

  /** Copies every event still stored by reference (`putRef`) into the store's own buffers. */
  settle(): void {
    for (let k = 0; k < this.pendingCount; k++) this.own(this.pending[k]!);
    this.pendingCount = 0;
  }

  /** Marks the enter event of `tid` as consumed; its buffer stays for reuse (clear_evt). */
  clear(tid: number): void {
    const slot = this.slotOf(tid);
    if (slot >= 0) this.consume(slot);
  }

  /** Forgets everything. */
  reset(): void {
    this.table = new Int32Array(INITIAL_TABLE);
    this.mask = INITIAL_TABLE - 1;
    this.size = 0;
    this.bufs = [];
    this.views = [];
    this.refViews = [];
    this.pendingCount = 0;
    this.lastSlot = -1;
    this.freeSlots.length = 0;
    this.lens.fill(0);
    this.orderHead = 0;
    this.bytes = 0;
    // A joined capture starts afresh in libscap too: nothing is owed to it.
    this.forgotten.clear();
  }

  get stats(): EnterEventStoreStats {
    let tids = 0;
    for (let k = 0; k < this.size; k++) if (this.lens[this.orderAt(k)]! > 0) tids++;
    return { tids, bytes: this.bytes, ...this.losses };
  }

  /** What the bounds cost, without `stats`' walk over every thread (read once per batch). */
  get losses(): EnterEventLosses {
    return { evictions: this.evictions, defaultedExits: this.defaultedExits, unfollowed: this.unfollowed };
  }

  /**
   * The slot of `tid`, added (evicting the earliest thread past `maxTids`)
   * if new, with its accounted buffer size raised to hold `len` bytes: a new
   * slot gets max(len, 128), a smaller one grows to `len`.
   */
  private account(tid: number, len: number): number {
    let slot = this.slotOf(tid);
    if (slot < 0) {
      // A new enter event replaces a forgotten one, as it would have in libscap.
      if (this.forgotten.size > 0) this.forgotten.delete(tid);
      if (this.size >= this.maxTids) this.evictOldest();
      slot = this.insert(tid);
      this.caps[slot] = Math.max(len, 128);
      this.bytes += this.caps[slot]!;
    } else if (this.caps[slot]! < len) {
      this.bytes += len - this.caps[slot]!;
      this.caps[slot] = len;
    }
    return slot;
  }

  private evictPastBytes(): void {
    while (this.bytes > this.maxBytes && this.size > 1) this.evictOldest();
  }

  /** Gives a slot a buffer of its accounted size, unless it has one. */
  private ensureBuffer(slot: number): void {
    const buf = this.bufs[slot];
    if (buf === undefined || buf.length < this.caps[slot]!) {
      const fresh = Buffer.allocUnsafe(this.caps[slot]!);
      this.bufs[slot] = fresh;
      this.views[slot] = new DataView(fresh.buffer, fresh.byteOffset, fresh.byteLength);
    }
  }

  /** Copies a slot's event stored by reference into its own buffer. */
  private own(slot: number): void {
    const ref = this.refViews[slot];
    if (ref === undefined) return;
    this.ensureBuffer(slot);
    const at = this.refAt[slot]!;
    copyView(ref, at, at + this.lens[slot]!, this.views[slot]!, 0);
    this.refViews[slot] = undefined;
  }

  /** The slot of `tid` whether or not its event is consumed, or -1. */
  private slotOf(tid: number): number {
    // An exit event usually looks up the thread whose enter event was
    // stored just before it.
    const last = this.lastSlot;
    if (last >= 0 && this.tidOf[last] === tid) return last;
    const table = this.table;
    const mask = this.mask;
    for (let b = hashOf(tid) & mask; ; b = (b + 1) & mask) {
      const s = table[b]! - 1;
      if (s < 0) return -1;
      if (this.tidOf[s] === tid) {
        this.lastSlot = s;
        return s;
      }
    }
  }

  private orderAt(k: number): number {
    return this.order[(this.orderHead + k) % this.order.length]!;
  }

  /** Adds `tid` (not present) with a new slot, last in the eviction order. */
  private insert(tid: number): number {
    if ((this.size + 1) * 2 > this.table.length) this.growTable();
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.bufs.length;
      this.bufs.push(undefined);
      this.views.push(undefined);
      this.refViews.push(undefined);
      if (slot >= this.tidOf.length) {
        const tids = new Float64Array(this.tidOf.length * 2); tids.set(this.tidOf); this.tidOf = tids;
        const lens = new Int32Array(this.lens.length * 2); lens.set(this.lens); this.lens = lens;
        const caps = new Int32Array(this.caps.length * 2); caps.set(this.caps); this.caps = caps;
        const refAt = new Int32Array(this.refAt.length * 2); refAt.set(this.refAt); this.refAt = refAt;
      }
    }
    this.tidOf[slot] = tid;
    this.lens[slot] = 0;
    const mask = this.mask;
    let b = hashOf(tid) & mask;
    while (this.table[b] !== 0) b = (b + 1) & mask;
    this.table[b] = slot + 1;
    this.lastSlot = slot;
    if (this.size === this.order.length) {
      const order = new Int32Array(this.order.length * 2);
      for (let k = 0; k < this.size; k++) order[k] = this.orderAt(k);
      this.order = order;
      this.orderHead = 0;
    }
    this.order[(this.orderHead + this.size) % this.order.length] = slot;
    this.size++;
    return slot;
  }

  private growTable(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = this.table.length - 1;
    for (let b = 0; b < old.length; b++) {
      const entry = old[b]!;
      if (entry === 0) continue;
      let nb = hashOf(this.tidOf[entry - 1]!) & this.mask;
      while (this.table[nb] !== 0) nb = (nb + 1) & this.mask;
      this.table[nb] = entry;
    }
  }

  private evictOldest(): void {
    if (this.size === 0) return;
    const slot = this.order[this.orderHead]!;
    this.orderHead = (this.orderHead + 1) % this.order.length;
    this.size--;
    this.removeFromTable(slot);
    if (slot === this.lastSlot) this.lastSlot = -1;
    this.bytes -= this.caps[slot]!;
    if (this.lens[slot]! > 0) this.forget(this.tidOf[slot]!);
    this.lens[slot] = 0;
    this.caps[slot] = 0;
    this.bufs[slot] = undefined;
    this.views[slot] = undefined;
    this.refViews[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private forget(tid: number): void {
    this.evictions++;
    if (this.forgotten.size >= MAX_FOLLOWED) {
      // The earliest forgotten (a Set iterates in insertion order).
      this.forgotten.delete(this.forgotten.values().next().value!);
      this.unfollowed++;
    }
    this.forgotten.add(tid);
  }

  /** Deletes a slot's bucket, shifting later buckets of the probe run back (no tombstones). */
  private removeFromTable(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let b = hashOf(this.tidOf[slot]!) & mask;
    while (table[b] !== slot + 1) b = (b + 1) & mask;
    let hole = b;
    for (let next = (hole + 1) & mask; table[next] !== 0; next = (next + 1) & mask) {
      const home = hashOf(this.tidOf[table[next]! - 1]!) & mask;
      // Move the entry back when its home bucket is not inside (hole, next].
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        table[hole] = table[next]!;
        hole = next;
      }
    }
    table[hole] = 0;
  }
}

/**
 * A 32-bit hash of a thread id (a double holding an integer), mixed so that
 * every bit of the id reaches the low bits the table uses: ids of large
 * captures often differ only in high bits (bench/make-capture.ts shifts
 * them by 2^22 per repetition), which a multiply alone leaves out of the
 * low bits, giving long probe runs. The finalizer is MurmurHash3's fmix32.
 */
function hashOf(tid: number): number {
  const hi = Math.floor(tid / 4294967296);
  // Exact: tid - hi * 2^32 is the part of tid below 2^32.
  const lo = tid - hi * 4294967296;
  let h = (lo | 0) ^ Math.imul(hi | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
