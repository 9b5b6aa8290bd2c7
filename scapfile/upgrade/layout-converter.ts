// The stage that turns raw event batches into the events libscap's savefile
// engine returns: old layouts upgraded (event-upgrader.ts), dropped events
// left out, and every event numbered with libscap's event counter, which
// becomes `evt.num` (`scap_next` in userspace/libscap/scap.c counts only the
// events returned with SCAP_SUCCESS; falcosecurity/libs 48dfd53).

import { copyView, viewOf } from '../bytes.js';
import type { ReadWarning } from '../block-reader.js';
import type { EventBatch } from '../event-batch.js';
import { ScapFormatError } from '../errors.js';
import { EnterEventStore, type EnterEventLosses, type EnterEventStoreStats } from './enter-event-store.js';
import {
  EXPECTED_NPARAMS, EventUpgrader, MAX_CONVERTED_EVENT_BYTES, NO_PLAN, Outcome, VERDICT, Verdict,
} from './event-upgrader.js';

/** The warning of an event skipped through `onError` (as a recovering reader reports it). */
export function skippedEventWarning(err: ScapFormatError): ReadWarning {
  return { offset: err.offset, message: `skipped an event libscap cannot convert: ${err.message}` };
}

/** An event libscap fails on (SCAP_FAILURE): skipped with `onError`. */
const FAILED = -1;
/** An event of a type libscap does not know: left out without a word (and without ending sinsp's initial phase). */
const UNKNOWN_TYPE = -2;
/** An event libscap fails on, without `onError`: the batch ends before it and `throwIfFailed` throws. */
const STOP = -3;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * The per-event arrays of an output batch. cpus, flags and block offsets
 * are made only for a batch that leaves events out (empty until then).
 */
export interface BatchArrays {
  offsets: Int32Array;
  nums: Float64Array;
  cpus: Uint16Array;
  flags: Uint32Array;
  blockOffsets: Float64Array;
}

/** Options of `LayoutConverter`. */
export interface LayoutConverterOptions {
  /** Most threads with a stored enter event (default 65536); beyond it the thread seen first is forgotten. */
  readonly maxStoredTids?: number;
  /** Most bytes held by stored enter events (default 64 MiB); beyond it the threads seen first are forgotten. */
  readonly maxStoredBytes?: number;
  /**
   * Called with the error of an event libscap fails to convert; that event is
   * then skipped and not counted, as libscap's `scap_next` returns
   * SCAP_FAILURE for it and readers such as sinsp-example go on. Without it
   * the error is thrown.
   */
  readonly onError?: (error: ScapFormatError) => void;
  /**
   * The batches come from the block reader, which checks every event's
   * length, parameter count and parameter lengths before handing it out;
   * the converter then does not check them again. Leave false for batches
   * built elsewhere.
   */
  readonly inputValidated?: boolean;
}

/** Bytes a new output buffer gets beyond what its batch needs (see ensureOwned). */
const RECYCLE_SLACK = 64 * 1024;

/**
 * The stage between the reader and everything else: event batches in, the
 * events libscap would return out, old layouts upgraded, numbered 1, 2, 3…
 * as libscap's event counter (`evt.num`).
 *
 * ```ts
 * const conv = new LayoutConverter();
 * for await (const raw of await openCapture('old.scap.gz')) {
 *   const batch = conv.convert(raw); // valid until the next convert()
 *   // ...
 * }
 * ```
 *
 * Memory: like libscap, one stored enter event per thread (the last one not
 * yet consumed by its exit); unlike libscap, at most `maxStoredTids` threads
 * and `maxStoredBytes` bytes, forgetting the threads seen first. An
 * exit event whose enter event was forgotten gets the fallback values, as if
 * the enter event had been lost in the capture. Each stored event is at most
 * 64 KiB (larger events cannot be converted), so the bound holds whatever the input.
 */
export class LayoutConverter {
  /** Events returned so far: libscap's event counter. */
  private returned = 0;
  /** Events returned before libscap first filtered or failed one; Infinity until then. */
  private beforeFirstFilter = Infinity;
  private readonly stored: EnterEventStore;
  private readonly upgrader: EventUpgrader;
  private readonly onError: ((error: ScapFormatError) => void) | undefined;
  private readonly inputValidated: boolean;
  // The output of the batch being rewritten: its buffer, a view of it, and
  // where the next event goes.
  private out: Buffer = EMPTY;
  private outView: DataView = viewOf(EMPTY);
  private pos = 0;
  /** The last output buffer of our own handed out, and one handed back by `recycle` for reuse. */
  private lastOwn: Buffer | undefined = undefined;
  private spare: Buffer | undefined = undefined;
  /** The per-event arrays of the last output made here, and those handed back by `recycle`. */
  private lastArrays: BatchArrays | undefined = undefined;
  private spareArrays: BatchArrays | undefined = undefined;
  /** The error of an event libscap fails on, without `onError`: the events before it went out first. */
  private failure: ScapFormatError | undefined = undefined;

  constructor(options: LayoutConverterOptions = {}) {
    this.stored = new EnterEventStore(
      Math.max(1, options.maxStoredTids ?? 65536),
      Math.max(MAX_CONVERTED_EVENT_BYTES, options.maxStoredBytes ?? 64 * 1024 * 1024),
    );
    this.inputValidated = options.inputValidated ?? false;
    this.upgrader = new EventUpgrader(this.stored, this.inputValidated);
    this.onError = options.onError;
  }

  /** Events returned so far (the last `evt.num`). */
  get eventCount(): number { return this.returned; }

  /**
   * How many events were returned before the first one libscap filtered
   * (dropped) or failed; Infinity while none was. sinsp stops consuming its
   * initial state events there (see inspect/sinsp-selection.ts).
   */
  get returnedBeforeFirstFilter(): number { return this.beforeFirstFilter; }

  /** The stored enter events: how many threads, bytes, and how many were forgotten to respect the bounds. */
  get storage(): EnterEventStoreStats { return this.stored.stats; }

  /** What the store's bounds cost so far; cheap, unlike `storage`. */
  get losses(): EnterEventLosses { return this.stored.losses; }

  /**
   * Hands back the last batch `convert` returned, for a caller that is done
   * with every byte of it (counting reads a batch once): the next batch
   * rewritten reuses its buffer and per-event arrays instead of allocating
   * them. Reading an old capture otherwise allocates an output buffer per
   * batch, and those allocations drove most of the full garbage collections.
   */
  recycle(batch: EventBatch): void {
    if (batch.buf === this.lastOwn) this.spare = batch.buf;
    if (this.lastArrays !== undefined && batch.offsets === this.lastArrays.offsets) this.spareArrays = this.lastArrays;
    this.lastOwn = undefined;
    this.lastArrays = undefined;
  }

  /**
   * Memory for the next rewritten batch, in place of what `recycle` kept:
   * its output is built there when it fits (a batch that is not rewritten,
   * or does not fit, leaves it unused). The read-ahead worker offers the
   * memory it transfers to the main thread, so that a converted batch moves
   * there without a copy.
   */
  offerMemory(buf: Buffer, arrays: BatchArrays): void {
    this.spare = buf;
    this.spareArrays = arrays;
  }

  /** Forgets every stored enter event and restarts the count (libscap reopening a capture). */
  reset(): void {
    this.stored.reset();
    this.returned = 0;
    this.beforeFirstFilter = Infinity;
  }

  /**
   * Throws the error of an event libscap failed to convert (without
   * `onError`), once the batch of the events before it has been handed out:
   * call it after using each converted batch. libscap returns every event
   * before the one it fails on, so nothing before the damage is lost.
   */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * The events of `batch` as libscap returns them. A batch that needs nothing
   * comes back as is; one with only dropped events or new numbers shares its
   * buffer; one with rewritten events gets a new buffer (see `rewrite`).
   * Batches stay valid after later calls. An event libscap fails on ends
   * the batch (see `throwIfFailed`).
   */
  convert(batch: EventBatch): EventBatch {
    this.throwIfFailed();
    const n = batch.count;
    const buf = batch.buf;
    const view = viewOf(buf);
    const offsets = batch.offsets;
    const nums = batch.nums;
    const base = this.returned;
    let sameNums = true;
    let i = 0;
    for (; i < n; i++) {
      if (!this.passesUnchanged(view, offsets[i]!)) break;
      if (nums[i] !== base + i + 1) sameNums = false;
    }
    if (i === n) {
      this.returned += n;
      if (sameNums) return batch;
      const renumbered = new Float64Array(n);
      for (let k = 0; k < n; k++) renumbered[k] = base + k + 1;
      return { ...batch, nums: renumbered };
    }
    // Enter events are stored by reference into this batch while it is
    // rewritten (most are consumed by an exit event of the same batch), and
    // the rest copied before the batch is handed back.
    this.upgrader.storeByReference = true;
    try {
      return this.rewrite(batch, i);
    } finally {
      this.stored.settle();
      this.upgrader.storeByReference = false;
    }
  }

  /**
   * Builds the output of a batch in which some event needs conversion, in a
   * buffer of its own (a new one, or the one handed back by `recycle`), with
   * per-event arrays of its own likewise. Old captures rewrite or drop most
   * events: the output is built event by event, unchanged events copied one
   * at a time. Modern ones
   * rewrite a few per batch: the whole input is copied once (unchanged events
   * keep their offsets) and rewritten events are appended after it. Either
   * way, converted events are written straight into the output.
   */
  private rewrite(batch: EventBatch, firstToCheck: number): EventBatch {
    const n = batch.count;
    const buf = batch.buf;
    const view = viewOf(buf);
    const offsets = batch.offsets;
    // Events that need more than a look at their type, among the next 64:
    // they decide the mode (the threshold only matters for speed). Old
    // captures are old throughout, and a pass over the whole batch cost more
    // than the choice saves.
    const sampleEnd = Math.min(n, firstToCheck + 64);
    let toConvert = 0;
    for (let i = firstToCheck; i < sampleEnd; i++) {
      const at = offsets[i]!;
      const type = view.getUint16(at + 20, true);
      const v = VERDICT[type]!;
      if (v === Verdict.CONVERT || v === Verdict.TABLE_BUG
        || (v === Verdict.CHECK_COUNT && view.getUint32(at + 22, true) !== EXPECTED_NPARAMS[type])) toConvert++;
    }
    const copyEach = toConvert * 8 > sampleEnd - firstToCheck + Math.min(firstToCheck, 64);
    // Unchanged events keep their offsets unless events are copied one by one.
    const arrays = this.arraysFor(n);
    const outOffsets = arrays.offsets;
    if (!copyEach) outOffsets.set(offsets.subarray(0, n));
    const base = this.returned;
    // The output shares the input's buffer until an event is converted (a
    // batch may only drop events); in copy-each mode it has its own at once.
    this.out = buf;
    this.outView = view;
    this.pos = 0;
    if (copyEach) this.ensureOwned(buf, false);
    // Until the first event left out, event i is output event i: only
    // converted events write anything. From there on every kept event moves
    // down (`compact`).
    let i = copyEach ? 0 : firstToCheck;
    if (!copyEach) {
      for (; i < n; i++) {
        const outcome = this.outcomeOf(batch, view, i);
        if (outcome === Outcome.SAME) continue;
        if (outcome === STOP) return this.finish(batch, arrays, i, base, false);
        if (outcome !== Outcome.NEW) break;
        outOffsets[i] = this.pos;
        this.pos += this.outView.getUint32(this.pos + 16, true);
      }
      if (i === n) return this.finish(batch, arrays, n, base, false);
      // Event i was left out (or is unknown): the events before it stay where they are.
      if (this.beforeFirstFilter === Infinity && VERDICT[view.getUint16(offsets[i]! + 20, true)] !== Verdict.UNKNOWN) {
        this.beforeFirstFilter = base + i;
      }
      i++;
    }
    return this.compact(batch, view, arrays, copyEach, i, copyEach ? 0 : i - 1, firstToCheck, base);
  }

  /**
   * The rest of a rewrite from event `from` on, with `kept` events already
   * in place: each kept event is either copied (copy-each mode) or keeps its
   * offset, and its per-event facts move down to its output index.
   */
  private compact(batch: EventBatch, view: DataView, arrays: BatchArrays, copyEach: boolean,
    from: number, kept: number, firstToCheck: number, base: number): EventBatch {
    const n = batch.count;
    const offsets = batch.offsets;
    const cpus = batch.cpus;
    const flags = batch.flags;
    const blocks = batch.blockOffsets;
    if (arrays.cpus.length < n) {
      const size = arrays.offsets.length;
      arrays.cpus = new Uint16Array(size);
      arrays.flags = new Uint32Array(size);
      arrays.blockOffsets = new Float64Array(size);
    }
    const outOffsets = arrays.offsets;
    const outCpus = arrays.cpus;
    const outFlags = arrays.flags;
    const outBlocks = arrays.blockOffsets;
    outCpus.set(cpus.subarray(0, kept));
    outFlags.set(flags.subarray(0, kept));
    outBlocks.set(blocks.subarray(0, kept));
    for (let i = from; i < n; i++) {
      if (!copyEach) {
        // A run of events that pass unchanged moves down in bulk.
        let j = i;
        while (j < n && this.passesUnchanged(view, offsets[j]!)) j++;
        if (j > i) {
          outOffsets.set(offsets.subarray(i, j), kept);
          outCpus.set(cpus.subarray(i, j), kept);
          outFlags.set(flags.subarray(i, j), kept);
          outBlocks.set(blocks.subarray(i, j), kept);
          kept += j - i;
          if (j === n) break;
          i = j;
        }
      }
      const at = offsets[i]!;
      let outcome: number = Outcome.SAME;
      if (i >= firstToCheck) {
        outcome = this.outcomeOf(batch, view, i);
        if (outcome === STOP) break;
        if (outcome === UNKNOWN_TYPE) continue;
        if (outcome === Outcome.DROP || outcome === FAILED) {
          if (this.beforeFirstFilter === Infinity) this.beforeFirstFilter = base + kept;
          continue;
        }
      }
      if (outcome === Outcome.NEW) {
        outOffsets[kept] = this.pos;
        this.pos += this.outView.getUint32(this.pos + 16, true);
      } else if (copyEach) {
        const len = view.getUint32(at + 16, true);
        if (this.pos + len > this.out.length) this.grow(len);
        copyView(view, at, at + len, this.outView, this.pos);
        outOffsets[kept] = this.pos;
        this.pos += len;
      } else {
        outOffsets[kept] = at;
      }
      outCpus[kept] = cpus[i]!;
      outFlags[kept] = flags[i]!;
      outBlocks[kept] = blocks[i]!;
      kept++;
    }
    return this.finish(batch, arrays, kept, base, kept < n);
  }

  /**
   * The output batch of `kept` events, numbered on from `base`; counts them
   * as returned. Its cpus, flags and block offsets are the input's when no
   * event was left out (`compacted` false), else those of `arrays`.
   */
  private finish(batch: EventBatch, arrays: BatchArrays, kept: number, base: number, compacted: boolean): EventBatch {
    const nums = arrays.nums;
    for (let k = 0; k < kept; k++) nums[k] = base + k + 1;
    this.returned = base + kept;
    const out = this.out;
    this.out = EMPTY;
    this.lastOwn = out === batch.buf ? undefined : out;
    this.lastArrays = arrays;
    return {
      buf: out, count: kept, offsets: arrays.offsets,
      cpus: compacted ? arrays.cpus : batch.cpus, flags: compacted ? arrays.flags : batch.flags,
      nums, blockOffsets: compacted ? arrays.blockOffsets : batch.blockOffsets,
    };
  }

  /** Per-event arrays for an output of up to `n` events: those handed back, when large enough, else new ones. */
  private arraysFor(n: number): BatchArrays {
    const spare = this.spareArrays;
    this.spareArrays = undefined;
    if (spare !== undefined && spare.offsets.length >= n) return spare;
    // Sized with room to spare, so that the next, slightly larger batch can reuse them.
    const size = n + (n >> 3);
    return {
      offsets: new Int32Array(size), nums: new Float64Array(size),
      cpus: new Uint16Array(0), flags: new Uint32Array(0), blockOffsets: new Float64Array(0),
    };
  }

  /** Whether the event at `at` is returned as it is, by its type (and parameter count) alone. */
  private passesUnchanged(view: DataView, at: number): boolean {
    const type = view.getUint16(at + 20, true);
    const v = VERDICT[type]!;
    return v === Verdict.PASS || (v === Verdict.CHECK_COUNT && view.getUint32(at + 22, true) === EXPECTED_NPARAMS[type]);
  }

  /**
   * What becomes of event `i` (at or after the first one to check): SAME,
   * NEW (written at `this.pos` of the output), DROP, FAILED or UNKNOWN_TYPE.
   */
  private outcomeOf(batch: EventBatch, view: DataView, i: number): number {
    const at = batch.offsets[i]!;
    const type = view.getUint16(at + 20, true);
    const v = VERDICT[type]!;
    if (v === Verdict.PASS) return Outcome.SAME;
    if (v === Verdict.UNKNOWN) return UNKNOWN_TYPE;
    if (v === Verdict.DROP) return Outcome.DROP;
    const nparams = view.getUint32(at + 22, true);
    if (v === Verdict.CHECK_COUNT && nparams === EXPECTED_NPARAMS[type]) return Outcome.SAME;
    this.ensureOwned(batch.buf, true);
    // Room for the largest converted event.
    if (this.pos + MAX_CONVERTED_EVENT_BYTES > this.out.length) this.grow(MAX_CONVERTED_EVENT_BYTES);
    // Validated input with a verdict that needs the conversion loop goes to
    // the plan directly; anything else, and any event the plan does not
    // describe, takes the full path.
    const outcome = this.inputValidated
      && (v === Verdict.CONVERT || (v === Verdict.CHECK_COUNT && nparams < EXPECTED_NPARAMS[type]!))
      ? this.upgrader.tryPlan(type, nparams, view, at, this.outView, this.pos)
      : NO_PLAN;
    return outcome === NO_PLAN
      ? this.convertEvent(batch.buf, at, batch.nums[i]!, batch.blockOffsets[i]!, this.out, this.pos)
      : outcome;
  }

  /**
   * Gives the output a buffer of its own, if it still shares the input's:
   * in copy-each mode an empty one; otherwise one copy of the whole input,
   * so that unchanged events keep their offsets and converted ones go after.
   */
  private ensureOwned(buf: Buffer, copyInput: boolean): void {
    if (this.out !== buf) return;
    const size = (copyInput ? 2 : 1) * buf.length + 2 * MAX_CONVERTED_EVENT_BYTES;
    const spare = this.spare;
    this.spare = undefined;
    // A new one with a little room to spare: batches read from 1 MiB chunks
    // differ by a few bytes, and a buffer handed back must fit the next one.
    this.out = spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafe(size + RECYCLE_SLACK);
    if (copyInput) {
      buf.copy(this.out, 0, 0, buf.length);
      this.pos = buf.length;
    } else {
      this.pos = 0;
    }
    this.outView = viewOf(this.out);
  }

  /** Grows the output so that `need` more bytes fit at `pos`. */
  private grow(need: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.pos + need + MAX_CONVERTED_EVENT_BYTES, this.out.length * 2));
    this.out.copy(grown, 0, 0, this.pos);
    this.out = grown;
    this.outView = viewOf(grown);
  }

  /** The upgrader's outcome for one event; FAILED when `onError` took its error, else STOP. */
  private convertEvent(buf: Buffer, at: number, num: number, blockOffset: number, out: Buffer, outAt: number): number {
    try {
      return this.upgrader.upgradeInto(buf, at, num, blockOffset, out, outAt);
    } catch (err) {
      if (!(err instanceof ScapFormatError)) throw err;
      if (this.onError === undefined) {
        this.failure = err;
        return STOP;
      }
      this.onError(err);
      return FAILED;
    }
  }
}

/**
 * The converter of a capture read with or without `recover`: libscap returns
 * SCAP_FAILURE for an event it cannot convert and sinsp-example goes on; with
 * `recover` such an event is skipped and its warning pushed to `warnings`,
 * without it the error stops the read, as damage does.
 */
export function readingConverter(
  options: Omit<LayoutConverterOptions, 'onError'>, recover: boolean, warnings: ReadWarning[],
): LayoutConverter {
  return new LayoutConverter({
    ...options,
    onError: recover ? (err) => { warnings.push(skippedEventWarning(err)); } : undefined,
  });
}
