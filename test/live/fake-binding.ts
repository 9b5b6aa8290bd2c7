// A stand-in for the live addon (live/binding.ts LiveBinding): it hands out
// prepared chunks of event blocks through the slot Buffers it was given,
// writing a chunk only into a slot that was given back, as the consumer
// thread of native/addon/live_ring.c does, and records what JS asked of it.

import type { LiveBinding, Ring, RingOptions, RingStats } from '../../live/binding.js';
import { BlockType } from '../../scapfile/block-types.js';
import { eventBlock, sectionHeaderBlock } from '../helpers/capture-builder.js';
import type { EventSpec } from '../helpers/capture-builder.js';

/** A chunk the ring hands out: events, or whole event blocks as they are. */
export type Chunk = EventSpec[] | Buffer;
/** The section header and state blocks of the start (`preamble`) and of later scans (`rescan`). */
export interface FakeState { readonly preamble?: Buffer; readonly rescan?: Buffer }

export class FakeRing implements Ring {
  readonly released: number[] = [];
  readonly stops: boolean[] = [];
  /** Slot of each chunk handed out, in order. */
  readonly handedOut: number[] = [];
  private readonly out = new Set<number>();
  private next_ = 0;
  private events = 0;
  private bytes = 0;
  private stopped = false;
  /** Resolves a next() that waits for a chunk (when `chunks` ran out and the ring is not stopped). */
  private waiting: (() => void) | undefined;

  /** Times rescan() was called. */
  rescans = 0;

  constructor(readonly options: RingOptions, private readonly slots: Buffer[], private readonly chunks: Chunk[], private readonly endless: boolean,
    private readonly startMs = 0, private readonly state: FakeState = {}) {}

  started = false;
  /** Loading the driver takes about a second; `startMs` stands for it. */
  async start(): Promise<void> {
    if (this.startMs > 0) await new Promise((r) => setTimeout(r, this.startMs));
    this.started = true;
  }

  preamble(): Buffer { return this.state.preamble ?? sectionHeaderBlock(); }

  /** What a /proc scan would give: `state.rescan`, else the preamble again. */
  async rescan(): Promise<Buffer> {
    this.rescans++;
    await new Promise((r) => setTimeout(r, 1));
    return this.state.rescan ?? this.preamble();
  }

  async next(): Promise<{ slot: number; length: number } | null> {
    while (this.next_ >= this.chunks.length && this.endless && !this.stopped) {
      await new Promise<void>((r) => { this.waiting = r; });
    }
    if (this.next_ >= this.chunks.length) return null;
    if (this.destroyed) return null;
    const slot = [...this.slots.keys()].find((i) => !this.out.has(i));
    if (slot === undefined) throw new Error('FakeRing: JS holds every slot; the consumer thread would wait forever');
    const chunk = this.chunks[this.next_++]!;
    const blocks = Buffer.isBuffer(chunk) ? chunk : Buffer.concat(chunk.map((e) => eventBlock(BlockType.EVENT_V2, e)));
    blocks.copy(this.slots[slot]!);
    this.out.add(slot);
    this.handedOut.push(slot);
    this.events += Buffer.isBuffer(chunk) ? 0 : chunk.length;
    this.bytes += blocks.length;
    return { slot, length: blocks.length };
  }

  release(slot: number): void {
    if (!this.out.delete(slot)) throw new Error(`FakeRing: slot ${slot} released but not handed out`);
    this.released.push(slot);
  }

  stats(): RingStats {
    return { events: this.events, bytes: this.bytes, drops: 7, discarded: 0, stalls: 0, error: 0 };
  }

  private destroyed = false;
  /** stop(true) ends the endless wait, the prepared chunks still come; stop(false) ends everything. */
  stop(drain: boolean): void {
    this.stops.push(drain);
    this.stopped = true;
    if (!drain) this.destroyed = true;
    this.waiting?.();
  }

  /** Slots JS holds now. */
  get held(): number[] { return [...this.out]; }
}

/** A binding whose rings serve `chunks`; `endless` rings wait for a stop after the last one. */
export function fakeBinding(chunks: Chunk[], endless = false, startMs = 0, state: FakeState = {}): { binding: LiveBinding; rings: FakeRing[] } {
  const rings: FakeRing[] = [];
  const binding: LiveBinding = {
    LiveRing: class {
      constructor(options: RingOptions, slots: Buffer[]) {
        const r = new FakeRing(options, slots, chunks, endless, startMs, state);
        rings.push(r);
        return r;
      }
    } as unknown as LiveBinding['LiveRing'],
  };
  return { binding, rings };
}
