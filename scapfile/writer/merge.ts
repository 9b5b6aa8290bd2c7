// Merging captures by timestamp (per-host captures of one incident, rotated
// pieces): a k-way merge of the event streams, stable (events of one input
// keep their order; ties go to the earlier input), and one set of state
// blocks combined from all inputs. Events are written as stored; each input
// keeps its own layouts.

import type { Writable } from 'node:stream';
import type { ReadWarning } from '../block-reader.js';
import type { EventBatch } from '../event-batch.js';
import { inInput } from '../errors.js';
import { openCapture } from '../open-capture.js';
import type { Capture } from '../open-capture.js';
import type { CaptureState } from '../state-blocks/index.js';
import { u32 } from '../bytes.js';
import { sameFile } from './byte-sinks.js';
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

/**
 * What merging captures of different machines (by hostname) mixes up: one
 * file describes one machine, so where two inputs' process lists name the
 * same tid with another process, or their user lists the same uid with
 * another user, libsinsp shows the later input's for both. A message per
 * kind, none for pieces of one machine (rotated files, cuts).
 */
export function stateConflicts(states: readonly CaptureState[]): string[] {
  const hosts = [...new Set(states.map((s) => s.machine?.hostname).filter((h): h is string => !!h))];
  if (hosts.length < 2) return [];
  const clashes = <T>(lists: (readonly T[])[], id: (v: T) => number, same: (a: T, b: T) => boolean): number[] => {
    const first = new Map<number, T>();
    const out = new Set<number>();
    for (const l of lists) {
      for (const v of l) {
        const seen = first.get(id(v));
        if (seen === undefined) first.set(id(v), v);
        else if (!same(seen, v)) out.add(id(v));
      }
    }
    return [...out].sort((a, b) => a - b);
  };
  const list = (ids: number[]): string => `${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}`;
  const machines = `the inputs come from different machines (${hosts.join(', ')})`;
  const out: string[] = [];
  const tids = clashes(states.map((s) => s.threads), (t) => t.tid, (a, b) => a.pid === b.pid && a.comm === b.comm && a.exepath === b.exepath);
  if (tids.length > 0) out.push(`${machines}: ${tids.length} thread ids name other processes in different inputs (${list(tids)}); libsinsp shows the last input's process for the events of all of them`);
  const uids = clashes(states.map((s) => s.users), (u) => u.uid, (a, b) => a.name === b.name);
  if (uids.length > 0) out.push(`${machines}: ${uids.length} user ids name other users in different inputs (${list(uids)}); one user list holds one name per id`);
  return out;
}

/** One input of the merge and its current event. */
class Head {
  batch: EventBatch | null = null;
  i = -1;
  /** Timestamp of the current event as (hi, lo) u32 halves. */
  hi = 0;
  lo = 0;
  private readonly it: AsyncIterator<EventBatch>;
  /** Captures joined after this input's first (see Capture.takeRestart). */
  joins = 0;

  constructor(readonly cap: Capture, readonly index: number, private readonly path: string) {
    this.it = cap[Symbol.asyncIterator]();
  }

  /** Moves to the next event; false at the end of the input. An error names the input. */
  async advance(): Promise<boolean> {
    try {
      return await this.step();
    } catch (err) {
      throw inInput(err, this.path);
    }
  }

  private async step(): Promise<boolean> {
    for (;;) {
      if (this.batch !== null && ++this.i < this.batch.count) {
        const at = this.batch.offsets[this.i]!;
        this.lo = u32(this.batch.buf, at);
        this.hi = u32(this.batch.buf, at + 4);
        return true;
      }
      const r = await this.it.next();
      if (r.done) { this.batch = null; return false; }
      if (this.cap.takeRestart() !== undefined) this.joins++;
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
  /** What the combined state mixes up (stateConflicts). */
  readonly conflicts: readonly string[];
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
    await refuseRepeatedInputs(inputs);
    for (const path of inputs) caps.push(await openCapture(path).catch((err: unknown) => { throw inInput(err, path); }));
    writer = await CaptureWriter.open(output, { ...options, inputs });
    const states = caps.map((c) => c.info);
    await writer.writeState(combineStates(states));
    // One head per input (its join count is read at the end); those with events left take part.
    const all = caps.map((cap, k) => new Head(cap, k, inputs[k]!));
    const heads: Head[] = [];
    for (const h of all) if (await h.advance()) heads.push(h);
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
    inputs.forEach((p, k) => {
      // Merged events carry one state, the inputs' first: a join's own state is not written.
      const joins = all[k]!.joins;
      const more = joins === 0 ? [] : [{ offset: -1, message: `it joins ${joins + 1} captures end to end; the merge carries the state of the first only, so events after a join may lack their process and fd state (scap convert keeps the joins)` }];
      warnings.set(p, [...caps[k]!.warnings, ...more]);
    });
    return { ...summary, warnings, conflicts: stateConflicts(states) };
  } catch (err) {
    if (writer === undefined) throw err;
    return await writer.failWith(err);
  } finally {
    for (const c of caps) await c.close();
  }
}

/** A file named twice would have every event twice, the second copies without their threads' state. */
async function refuseRepeatedInputs(inputs: readonly string[]): Promise<void> {
  for (let i = 0; i < inputs.length; i++) {
    for (let j = i + 1; j < inputs.length; j++) {
      const [a, b] = [inputs[i]!, inputs[j]!];
      if ((a === '-' && b === '-') || await sameFile(a, b)) {
        throw new Error(a === b ? `${a} is given twice; name each capture once` : `${a} and ${b} are the same file; name each capture once`);
      }
    }
  }
}
