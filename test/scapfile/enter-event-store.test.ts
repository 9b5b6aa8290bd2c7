// EnterEventStore against a model: the Map-based store it replaced (one slot
// per thread in first-seen order, evicting the earliest past either bound),
// which also remembers every forgotten thread, to count the exit events that
// asked for an enter event the store had forgotten.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../scapfile/bytes.js';
import { EnterEventStore, MAX_FOLLOWED, forgottenEnterWarning } from '../../scapfile/upgrade/index.js';

class ModelStore {
  private readonly slots = new Map<number, { cap: number; bytes: Buffer | undefined }>();
  private size = 0;
  private readonly forgotten = new Set<number>();
  evictions = 0;
  defaultedExits = 0;
  constructor(private readonly maxTids: number, private readonly maxBytes: number) {}
  get(tid: number): Buffer | undefined { return this.slots.get(tid)?.bytes; }
  put(tid: number, bytes: Buffer): void {
    let slot = this.slots.get(tid);
    if (slot === undefined) {
      this.forgotten.delete(tid);
      if (this.slots.size >= this.maxTids) this.evict();
      slot = { cap: Math.max(bytes.length, 128), bytes: undefined };
      this.size += slot.cap;
      this.slots.set(tid, slot);
    }
    if (slot.cap < bytes.length) { this.size += bytes.length - slot.cap; slot.cap = bytes.length; }
    slot.bytes = Buffer.from(bytes);
    while (this.size > this.maxBytes && this.slots.size > 1) this.evict();
  }
  clear(tid: number): void { const s = this.slots.get(tid); if (s) s.bytes = undefined; }
  /** An exit event of `tid` that found no enter event. */
  missing(tid: number): void { if (this.forgotten.delete(tid)) this.defaultedExits++; }
  get stats() {
    return {
      tids: [...this.slots.values()].filter((s) => s.bytes !== undefined).length, bytes: this.size,
      evictions: this.evictions, defaultedExits: this.defaultedExits, unfollowed: 0,
    };
  }
  private evict(): void {
    for (const [tid, s] of this.slots) {
      this.slots.delete(tid);
      this.size -= s.cap;
      if (s.bytes) { this.evictions++; this.forgotten.add(tid); }
      return;
    }
  }
}

// Ids that collide in a small table, ids beyond 2^53 that round together, negative ids.
const TIDS = [0, 1, 2, 1024, 2048, 3072, -1, -4294967296, 2 ** 40 + 3, 2 ** 62, 2 ** 62 + 1024, 4294967295, 4294967296];

describe('EnterEventStore', () => {
  it('stores (by copy or by reference), finds, clears and evicts as the Map-based store did', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('put' as const), tid: fc.oneof(fc.constantFrom(...TIDS), fc.integer({ min: 0, max: 5000 })), len: fc.integer({ min: 26, max: 300 }) }),
      fc.record({ op: fc.constant('putRef' as const), tid: fc.oneof(fc.constantFrom(...TIDS), fc.integer({ min: 0, max: 5000 })), len: fc.integer({ min: 26, max: 300 }) }),
      fc.record({ op: fc.constant('settle' as const) }),
      fc.record({ op: fc.constant('clear' as const), tid: fc.constantFrom(...TIDS) }),
      fc.record({ op: fc.constant('get' as const), tid: fc.constantFrom(...TIDS) }),
      fc.record({ op: fc.constant('exit' as const), tid: fc.oneof(fc.constantFrom(...TIDS), fc.integer({ min: 0, max: 5000 })) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 128, max: 8000 }),
      (ops, maxTids, maxBytes) => {
        const store = new EnterEventStore(maxTids, maxBytes);
        const model = new ModelStore(maxTids, maxBytes);
        let seq = 0;
        // Bytes stored by reference live here until `settle`, then are overwritten.
        const shared = Buffer.alloc(64 * 1024);
        let sharedAt = 0;
        const putTids = new Set<number>();
        for (const o of ops) {
          if (o.op === 'put' || o.op === 'putRef') putTids.add(o.tid);
          if (o.op === 'put') {
            const bytes = Buffer.alloc(o.len, seq++ & 0xff);
            store.put(o.tid, viewOf(bytes), 0, o.len);
            model.put(o.tid, bytes);
          } else if (o.op === 'putRef') {
            shared.fill(seq++ & 0xff, sharedAt, sharedAt + o.len);
            store.putRef(o.tid, viewOf(shared), sharedAt, o.len);
            model.put(o.tid, shared.subarray(sharedAt, sharedAt + o.len));
            sharedAt += o.len;
          } else if (o.op === 'settle') {
            store.settle();
            shared.fill(0xee);
            sharedAt = 0;
            for (const tid of [...TIDS, ...putTids]) {
              const want = model.get(tid);
              const got = store.get(tid);
              expect(got === undefined ? undefined : Buffer.from(got.subarray(0, want?.length ?? 0))).toEqual(want);
            }
          } else if (o.op === 'clear') {
            store.clear(o.tid);
            model.clear(o.tid);
          } else if (o.op === 'exit') {
            // What the upgrader does for an exit event that reads its enter event.
            const slot = store.find(o.tid);
            if (slot >= 0) store.consume(slot);
            else store.missing(o.tid);
            if (model.get(o.tid) !== undefined) model.clear(o.tid);
            else model.missing(o.tid);
          } else {
            const want = model.get(o.tid);
            const got = store.get(o.tid); // copies an event stored by reference
            expect(got === undefined ? undefined : Buffer.from(got.subarray(0, want?.length ?? 0))).toEqual(want);
            expect(store.find(o.tid) >= 0).toBe(want !== undefined);
          }
          expect(store.stats).toEqual(model.stats);
        }
      }), { numRuns: 300 });
  });

  it(`follows the last ${MAX_FOLLOWED} forgotten threads, counting the rest as not followed`, () => {
    const store = new EnterEventStore(1, 1 << 20);
    const ev = viewOf(Buffer.alloc(30));
    // With room for one thread, each put forgets the thread before it: MAX_FOLLOWED + 1 forgotten.
    for (let tid = 0; tid <= MAX_FOLLOWED + 1; tid++) store.put(tid, ev, 0, 30);
    store.missing(0); // the earliest: no longer followed
    store.missing(MAX_FOLLOWED); // the last forgotten
    store.missing(MAX_FOLLOWED); // its enter event serves one exit event only
    expect(store.losses).toEqual({ evictions: MAX_FOLLOWED + 1, defaultedExits: 1, unfollowed: 1 });
    expect(forgottenEnterWarning(store.losses)).toMatch(/: 1 exit events came after .*; 1 more forgotten enter events were not followed/);
  });

  it('says nothing when no exit event asked for a forgotten enter event', () => {
    const store = new EnterEventStore(1, 1 << 20);
    const ev = viewOf(Buffer.alloc(30));
    store.put(1, ev, 0, 30);
    store.put(2, ev, 0, 30); // forgets 1
    store.missing(3); // an exit event whose enter event came before the capture
    store.put(1, ev, 0, 30); // 1 enters again (forgetting 2): its next exit event reads this one
    store.consume(store.find(1)); // its exit event
    store.missing(1); // one more exit event of 1: libscap has nothing stored for it either
    expect(store.losses).toEqual({ evictions: 2, defaultedExits: 0, unfollowed: 0 });
    expect(forgottenEnterWarning(store.losses)).toBeUndefined();
  });

  it('keeps an event stored by reference once settled, whatever happens to the bytes it came from', () => {
    const store = new EnterEventStore(10, 1 << 20);
    const bytes = Buffer.alloc(100, 7);
    store.putRef(1, viewOf(bytes), 10, 30);
    store.settle();
    bytes.fill(0xee);
    expect(store.get(1)!.subarray(0, 30)).toEqual(Buffer.alloc(30, 7));
  });
});
