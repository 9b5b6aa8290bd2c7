// Merging captures by timestamp (per-host captures of one incident, rotated
// pieces): a k-way merge of the event streams, stable (events of one input
// keep their order; ties go to the earlier input), and one set of state
// blocks combined from all inputs. Events are written as stored; each input
// keeps its own layouts.

import type { Writable } from 'node:stream';
import type { ReadWarning } from '../block-reader.js';
import type { EventBatch } from '../event-batch.js';
import { openCapture } from '../open-capture.js';
import type { Capture } from '../open-capture.js';
import type { CaptureState } from '../state-blocks/index.js';
import { u32 } from '../bytes.js';
import { CaptureWriter } from './capture-writer.js';
import type { CaptureWriterOptions, WriteSummary } from './capture-writer.js';

/**
 * The state of several captures as one: the first machine info; threads and
 * fds of every input in input order (libscap keeps the last entry of a tid,
 * so a later input's view of a shared tid wins, as for rotated pieces);
 * users, groups and interfaces of every input without duplicates.
 */
export function combineStates(states: readonly CaptureState[]): CaptureState {
  const unique = <T>(lists: (readonly T[])[]): T[] => {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const l of lists) {
      for (const v of l) {
        const key = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
        if (!seen.has(key)) { seen.add(key); out.push(v); }
      }
    }
    return out;
  };
  return {
    machine: states.find((s) => s.machine !== undefined)?.machine,
    threads: states.flatMap((s) => s.threads),
    fds: states.flatMap((s) => s.fds),
    users: unique(states.map((s) => s.users)),
    groups: unique(states.map((s) => s.groups)),
    interfaces: unique(states.map((s) => s.interfaces)),
  };
}

/** One input of the merge and its current event. */
class Head {
  batch: EventBatch | null = null;
  i = -1;
  /** Timestamp of the current event as (hi, lo) u32 halves. */
  hi = 0;
  lo = 0;
  private readonly it: AsyncIterator<EventBatch>;

  constructor(readonly cap: Capture, readonly index: number) {
    this.it = cap[Symbol.asyncIterator]();
  }

  /** Moves to the next event; false at the end of the input. */
  async advance(): Promise<boolean> {
    for (;;) {
      if (this.batch !== null && ++this.i < this.batch.count) {
        const at = this.batch.offsets[this.i]!;
        this.lo = u32(this.batch.buf, at);
        this.hi = u32(this.batch.buf, at + 4);
        return true;
      }
      const r = await this.it.next();
      if (r.done) { this.batch = null; return false; }
      this.batch = r.value;
      this.i = -1;
    }
  }

  /** Within the current batch, the next event: avoids an await per event. */
  advanceInBatch(): boolean {
    const b = this.batch;
    if (b === null || this.i + 1 >= b.count) return false;
    const at = b.offsets[++this.i]!;
    this.lo = u32(b.buf, at);
    this.hi = u32(b.buf, at + 4);
    return true;
  }
}

/** What a merge wrote. */
export interface MergeSummary extends WriteSummary {
  /** Reader warnings of each input, by input path. */
  readonly warnings: ReadonlyMap<string, readonly ReadWarning[]>;
}

/**
 * Merges `inputs` into `output` by event timestamp.
 *
 * ```ts
 * await mergeCaptures(['host-a.scap', 'host-b.scap.gz'], 'both.scap.zst', { force: true });
 * ```
 */
export async function mergeCaptures(
  inputs: readonly string[], output: string | Writable, options: CaptureWriterOptions = {},
): Promise<MergeSummary> {
  const caps: Capture[] = [];
  let writer: CaptureWriter | undefined;
  try {
    for (const path of inputs) caps.push(await openCapture(path));
    writer = await CaptureWriter.open(output, options);
    await writer.writeState(combineStates(caps.map((c) => c.info)));
    const heads: Head[] = [];
    for (const [k, cap] of caps.entries()) {
      const h = new Head(cap, k);
      if (await h.advance()) heads.push(h);
    }
    while (heads.length > 0) {
      // Few inputs: a linear scan beats a heap. Ties go to the earlier input.
      let best = 0;
      for (let k = 1; k < heads.length; k++) {
        const h = heads[k]!;
        const b = heads[best]!;
        if (h.hi < b.hi || (h.hi === b.hi && (h.lo < b.lo || (h.lo === b.lo && h.index < b.index)))) best = k;
      }
      const h = heads[best]!;
      const batch = h.batch!;
      const pending = writer.writeEvent(batch.buf, batch.offsets[h.i]!, batch.cpus[h.i]!, batch.flags[h.i]!);
      if (pending !== undefined) await pending;
      if (!h.advanceInBatch() && !(await h.advance())) heads.splice(best, 1);
    }
    const summary = await writer.close();
    const warnings = new Map<string, readonly ReadWarning[]>();
    inputs.forEach((p, k) => warnings.set(p, caps[k]!.warnings));
    return { ...summary, warnings };
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    for (const c of caps) await c.close();
  }
}
