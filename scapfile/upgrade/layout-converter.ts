// The stage that turns raw event batches into the events libscap's savefile
// engine returns: old layouts upgraded (event-upgrader.ts), dropped events
// left out, and every event numbered with libscap's event counter, which
// becomes `evt.num` (`scap_next` in userspace/libscap/scap.c counts only the
// events returned with SCAP_SUCCESS; falcosecurity/libs 48dfd53).

import { copyView, viewOf } from '../bytes.js';
import type { ReadWarning } from '../block-reader.js';
import type { EventBatch } from '../event-batch.js';
import { ScapFormatError } from '../errors.js';
import { EnterEventStore, type EnterEventStoreStats } from './enter-event-store.js';
import {
  EXPECTED_NPARAMS, EventUpgrader, MAX_CONVERTED_EVENT_BYTES, NO_PLAN, Outcome, VERDICT, Verdict,
} from './event-upgrader.js';

/** The warning of an event skipped through `onError` (as a recovering reader reports it). */
export function skippedEventWarning(err: ScapFormatError): ReadWarning {
  return { offset: err.offset, message: `skipped an event libscap cannot convert: ${err.message}` };
}

/** An event libscap fails on (SCAP_FAILURE): skipped with `onError`. */
const FAILED = -1;

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

  /** Forgets every stored enter event and restarts the count (libscap reopening a capture). */
  reset(): void {
    this.stored.reset();
    this.returned = 0;
    this.beforeFirstFilter = Infinity;
  }

  /**
   * The events of `batch` as libscap returns them. A batch that needs nothing
   * comes back as is; one with only dropped events or new numbers shares its
   * buffer; one with rewritten events gets a new buffer (see `rewrite`).
   * Batches stay valid after later calls.
   */
  convert(batch: EventBatch): EventBatch {
    const n = batch.count;
    const buf = batch.buf;
    const view = viewOf(buf);
    const offsets = batch.offsets;
    const nums = batch.nums;
    const base = this.returned;
    let sameNums = true;
    let i = 0;
    for (; i < n; i++) {
      const at = offsets[i]!;
      const type = view.getUint16(at + 20, true);
      const v = VERDICT[type]!;
      if (v !== Verdict.PASS && (v !== Verdict.CHECK_COUNT || view.getUint32(at + 22, true) !== EXPECTED_NPARAMS[type])) break;
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
   * new buffer. Old captures rewrite or drop most events: the output is built
   * event by event, unchanged events copied one at a time. Modern ones
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
    const outOffsets = new Int32Array(n);
    const outNums = new Float64Array(n);
    // Written for every event kept; when none was left out the input's
    // arrays serve as they are. (Filled as we go rather than from a closure
    // started at the first drop: captured variables slowed the whole loop.)
    const outCpus = new Uint16Array(n);
    const outFlags = new Uint32Array(n);
    const outBlocks = new Float64Array(n);
    // The output shares the input's buffer until an event is converted (a
    // batch may only drop events); in copy-each mode it has its own at once.
    let out: Buffer = buf;
    let outView = view;
    let owned = copyEach;
    let pos = 0;
    if (copyEach) {
      out = Buffer.allocUnsafe(buf.length + 2 * MAX_CONVERTED_EVENT_BYTES);
      outView = viewOf(out);
    }
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const at = offsets[i]!;
      // Room for the largest converted event, or for this event as it is.
      if (owned && pos + MAX_CONVERTED_EVENT_BYTES > out.length) {
        const grown = Buffer.allocUnsafe(Math.max(pos + MAX_CONVERTED_EVENT_BYTES, out.length * 2));
        out.copy(grown, 0, 0, pos);
        out = grown;
        outView = viewOf(out);
      }
      let outcome: number = Outcome.SAME;
      if (i >= firstToCheck) {
        const type = view.getUint16(at + 20, true);
        const v = VERDICT[type]!;
        if (v === Verdict.UNKNOWN) {
          continue;
        }
        if (v === Verdict.DROP) outcome = Outcome.DROP;
        else if (v !== Verdict.PASS && (v !== Verdict.CHECK_COUNT || view.getUint32(at + 22, true) !== EXPECTED_NPARAMS[type])) {
          if (!owned) {
            // One copy of the whole input: unchanged events keep their offsets.
            owned = true;
            out = Buffer.allocUnsafe(2 * buf.length + 2 * MAX_CONVERTED_EVENT_BYTES);
            outView = viewOf(out);
            buf.copy(out, 0, 0, buf.length);
            pos = buf.length;
          }
          // Validated input with a verdict that needs the conversion loop
          // goes to the plan directly; anything else, and any event the
          // plan does not describe, takes the full path.
          const nparams = view.getUint32(at + 22, true);
          outcome = this.inputValidated
            && (v === Verdict.CONVERT || (v === Verdict.CHECK_COUNT && nparams < EXPECTED_NPARAMS[type]!))
            ? this.upgrader.tryPlan(type, nparams, view, at, outView, pos)
            : NO_PLAN;
          if (outcome === NO_PLAN) outcome = this.convertEvent(buf, at, batch.nums[i]!, batch.blockOffsets[i]!, out, pos);
        }
      }
      if (outcome === Outcome.DROP || outcome === FAILED) {
        if (this.beforeFirstFilter === Infinity) this.beforeFirstFilter = this.returned;
        continue;
      }
      if (outcome === Outcome.NEW) {
        outOffsets[kept] = pos;
        pos += outView.getUint32(pos + 16, true);
      } else if (copyEach) {
        const len = view.getUint32(at + 16, true);
        if (pos + len > out.length) {
          const grown = Buffer.allocUnsafe(Math.max(pos + len + MAX_CONVERTED_EVENT_BYTES, out.length * 2));
          out.copy(grown, 0, 0, pos);
          out = grown;
          outView = viewOf(out);
        }
        copyView(view, at, at + len, outView, pos);
        outOffsets[kept] = pos;
        pos += len;
      } else {
        outOffsets[kept] = at;
      }
      outCpus[kept] = batch.cpus[i]!;
      outFlags[kept] = batch.flags[i]!;
      outBlocks[kept] = batch.blockOffsets[i]!;
      outNums[kept] = ++this.returned;
      kept++;
    }
    return {
      buf: out, count: kept, offsets: outOffsets,
      cpus: kept === n ? batch.cpus : outCpus, flags: kept === n ? batch.flags : outFlags,
      nums: outNums, blockOffsets: kept === n ? batch.blockOffsets : outBlocks,
    };
  }

  /** The upgrader's outcome for one event, or FAILED when `onError` took its error. */
  private convertEvent(buf: Buffer, at: number, num: number, blockOffset: number, out: Buffer, outAt: number): number {
    try {
      return this.upgrader.upgradeInto(buf, at, num, blockOffset, out, outAt);
    } catch (err) {
      if (!(err instanceof ScapFormatError) || this.onError === undefined) throw err;
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
