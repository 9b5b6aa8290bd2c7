// EnterEventStore against a model: the Map-based store it replaced (one slot
// per thread in first-seen order, evicting the earliest past either bound).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../scapfile/bytes.js';
import { EnterEventStore } from '../../scapfile/upgrade/index.js';

class ModelStore {
  private readonly slots = new Map<number, { cap: number; bytes: Buffer | undefined }>();
  private size = 0;
  evictions = 0;
  constructor(private readonly maxTids: number, private readonly maxBytes: number) {}
  get(tid: number): Buffer | undefined { return this.slots.get(tid)?.bytes; }
  put(tid: number, bytes: Buffer): void {
    let slot = this.slots.get(tid);
    if (slot === undefined) {
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
  get stats() {
    return { tids: [...this.slots.values()].filter((s) => s.bytes !== undefined).length, bytes: this.size, evictions: this.evictions };
  }
  private evict(): void {
    for (const [tid, s] of this.slots) { this.slots.delete(tid); this.size -= s.cap; if (s.bytes) this.evictions++; return; }
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

  it('keeps an event stored by reference once settled, whatever happens to the bytes it came from', () => {
    const store = new EnterEventStore(10, 1 << 20);
    const bytes = Buffer.alloc(100, 7);
    store.putRef(1, viewOf(bytes), 10, 30);
    store.settle();
    bytes.fill(0xee);
    expect(store.get(1)!.subarray(0, 30)).toEqual(Buffer.alloc(30, 7));
  });
});
