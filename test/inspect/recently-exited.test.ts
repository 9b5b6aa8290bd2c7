// The recently-exited ring (thread_manager.cpp record_recently_exited /
// has_recently_exited): a clone exit naming a (ptid, tid) removed less than
// 2 s before is not taken for a new thread. The table answers from a ring of
// 8192 with a hash count in front of its scan; a plain model of sinsp's ring
// (every slot scanned, zero keys at time 0 where unwritten) must agree.

import { describe, expect, it } from 'vitest';
import { ThreadTable } from '../../inspect/state/thread-table.js';

const RING = 8192;
const WINDOW = 2_000_000_000n;

/** sinsp's ring as it is: a zero-filled array scanned whole. */
class ModelRing {
  private readonly keys = new Array<[number, number, bigint]>(RING).fill([0, 0, 0n]);
  private next = 0;
  record(tid: number, ptid: number, ts: bigint): void {
    this.keys[this.next] = [ptid >>> 0, tid >>> 0, ts];
    this.next = (this.next + 1) % RING;
  }
  has(tid: number, ptid: number, ts: bigint): boolean {
    return this.keys.some(([p, c, t]) => p === ptid >>> 0 && c === tid >>> 0 && ts >= t && ts - t < WINDOW);
  }
}

/** A small deterministic generator (tests must repeat). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('recently exited threads', () => {
  it('keeps the last 8192 exits for 2 s, and forgets the ones the ring overwrote', () => {
    const table = new ThreadTable();
    const t0 = 10_000_000_000n;
    for (let i = 0; i < RING + 100; i++) table.recordExited(1000 + i, 1, t0 + BigInt(i));
    const now = t0 + BigInt(RING + 100);
    expect(table.recentlyExited(1000, 1, now)).toBe(false);
    expect(table.recentlyExited(1099, 1, now)).toBe(false);
    expect(table.recentlyExited(1100, 1, now)).toBe(true);
    expect(table.recentlyExited(1000 + RING + 99, 1, now)).toBe(true);
    expect(table.recentlyExited(1000 + RING + 99, 2, now)).toBe(false);
    expect(table.recentlyExited(1100, 1, now + WINDOW)).toBe(false);
    // Before its exit, a pair is not yet exited.
    expect(table.recentlyExited(1000 + RING + 99, 1, t0)).toBe(false);
  });

  it('still finds a pair after the ring overwrites the slot of another (each slot uncounts its own key)', () => {
    const table = new ThreadTable();
    table.recordExited(7, 5, 1n); // slot 0: (ptid 5, tid 7)
    table.recordExited(5, 7, 2n); // slot 1: the same ids the other way round
    // One filler pair for the rest (many distinct ones could share a count with the pair above).
    for (let i = 2; i < RING; i++) table.recordExited(424_242, 1, 3n);
    table.recordExited(9, 9, 4n); // overwrites slot 0
    expect(table.recentlyExited(7, 5, 5n)).toBe(false);
    expect(table.recentlyExited(5, 7, 5n)).toBe(true);
  });

  it('answers (0, 0) from the unwritten slots early in a capture, as sinsp\'s zeroed ring does', () => {
    const table = new ThreadTable();
    expect(table.recentlyExited(0, 0, 1n)).toBe(true);
    table.recordExited(5, 4, 1n);
    expect(table.recentlyExited(0, 0, 2n)).toBe(true);
    expect(table.recentlyExited(0, 0, WINDOW)).toBe(false);
  });

  it('agrees with a plain scan of the ring on random exits and clones', () => {
    const table = new ThreadTable();
    const model = new ModelRing();
    const next = rng(7);
    let ts = 0n;
    let disagree = 0;
    for (let i = 0; i < 40_000; i++) {
      ts += BigInt(Math.floor(next() * 400_000));
      // Few distinct ids, so that pairs come back while still in the ring.
      const tid = Math.floor(next() * 3000) - 2;
      const ptid = Math.floor(next() * 4) - 1;
      if (next() < 0.5) {
        table.recordExited(tid, ptid, ts);
        model.record(tid, ptid, ts);
      } else if (table.recentlyExited(tid, ptid, ts) !== model.has(tid, ptid, ts)) {
        disagree++;
      }
    }
    expect(disagree).toBe(0);
  });
});
