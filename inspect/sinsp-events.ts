// The events of a source as libsinsp returns them, before any state: the
// reader's batches, upgraded to libscap's layouts and numbered by the layout
// converter, then narrowed to what `sinsp::next` hands out. Counting and
// summaries stop here; the Inspector adds state replay on top. Kept apart
// from inspect/state so that those commands neither load nor seed it.

import type { Readable } from 'node:stream';
import type { EventBatch } from '../scapfile/event-batch.js';
import { openCapture } from '../scapfile/open-capture.js';
import { openCaptureReadAhead, readAheadPays } from '../scapfile/read-ahead.js';
import type { ConversionProgress, ConvertedCapture } from '../scapfile/read-ahead.js';
import type { Capture, CaptureInfo, OpenCaptureOptions, Source } from '../scapfile/open-capture.js';
import type { ReadWarning } from '../scapfile/block-reader.js';
import { forgottenEnterWarning, readingConverter, type LayoutConverter, type LayoutConverterOptions } from '../scapfile/upgrade/index.js';
import { SinspSelection } from './sinsp-selection.js';

/** The bounds of the old-layout conversion (docs/limits.md), and whether events libscap cannot convert are skipped. */
type ConversionOptions = Pick<LayoutConverterOptions, 'maxStoredTids' | 'maxStoredBytes'> & { recover?: boolean };

/** Options of `SinspEvents.open`: the reader's, and the bounds of the old-layout conversion (docs/limits.md). */
export type SinspEventsOptions = OpenCaptureOptions & ConversionOptions & {
  /**
   * Read a capture file in a worker thread (scapfile/read-ahead.ts):
   * `'convert'` also upgrades old layouts there, leaving the rest to this
   * thread; `'read'` only reads, for a caller whose own work is little more
   * than the conversion (counting events); false reads in this thread.
   * Default `'convert'` (false when `onRawBatch` is hooked). Only files of
   * 8 MiB or more on a machine with a second core are read ahead. Events,
   * warnings and errors are the same either way. On bench.scap, `'convert'`
   * made a filtered read 10–20 % faster; `'read'` made counting no faster.
   */
  readonly readAhead?: false | 'read' | 'convert';
};

/** Running totals of the three levels at which events can be counted. */
export interface EventTotals {
  /** Event blocks as stored in the file. */
  raw: number;
  /** Events libscap returns after upgrading old layouts (`scap-open`'s count). */
  libscap: number;
  /** Events libsinsp returns (what `scap read` prints). */
  sinsp: number;
}

/** Hooks into the stages, for tools that want to see events at an earlier level. */
export interface InspectHooks {
  /** Each batch as read from the file, before conversion. */
  readonly onRawBatch?: (batch: EventBatch) => void;
}

/**
 * A capture's events at the levels libscap and libsinsp return them.
 *
 * ```ts
 * const events = await SinspEvents.open('trace.scap.gz');
 * console.log(await events.count(), events.totals.raw, events.warnings);
 * ```
 */
export class SinspEvents<S extends Source = Capture> {
  readonly totals: EventTotals = { raw: 0, libscap: 0, sinsp: 0 };
  /** Which libscap events sinsp returns (the Inspector decides per batch after replaying state). */
  readonly selection: SinspSelection;
  private readonly converter: LayoutConverter;
  /** What the reader's worker converted, when it upgrades layouts itself (`readAhead: 'convert'`). */
  private readonly upstream: ConversionProgress | undefined;
  /** Events libscap failed to convert, skipped when recovering. */
  private readonly conversionWarnings: ReadWarning[] = [];

  /** Set by `recycleBatches`: a caller done with a batch hands it back (`release`). */
  private readonly recycling: boolean;
  /**
   * Called with the state of a capture joined after the one being read,
   * before the first of its events is handed out (the Inspector reloads
   * its state from it, as libsinsp does).
   */
  onRestart: ((info: CaptureInfo) => void) | undefined = undefined;

  private constructor(readonly capture: S, private readonly hooks: InspectHooks,
    options: ConversionOptions & Pick<OpenCaptureOptions, 'recycleBatches'>) {
    this.recycling = options.recycleBatches ?? false;
    this.converter = readingConverter({
      inputValidated: true, maxStoredTids: options.maxStoredTids, maxStoredBytes: options.maxStoredBytes,
    }, options.recover ?? false, this.conversionWarnings);
    this.upstream = (capture as Partial<ConvertedCapture>).conversion;
    this.selection = new SinspSelection({ converter: this.upstream ?? this.converter });
  }

  /**
   * Opens a capture (path, `-` or stream). With `options.recover`, damaged
   * blocks and events that cannot be converted are skipped with a warning
   * instead of ending the read.
   */
  static async open(input: string | Readable, options: SinspEventsOptions = {}, hooks: InspectHooks = {}): Promise<SinspEvents> {
    // A raw-batch hook wants the raw batches here, and with the conversion
    // left on this thread reading ahead saves nothing (see scap read --count).
    const mode = typeof input !== 'string' || input === '-' || !readAheadPays(input) ? false
      : options.readAhead ?? (hooks.onRawBatch === undefined ? 'convert' : false);
    const convert = mode === 'convert' && hooks.onRawBatch === undefined;
    const capture = typeof input !== 'string' || mode === false ? await openCapture(input, options)
      : await openCaptureReadAhead(input, {
        ...options,
        ...(convert ? { convert: { maxStoredTids: options.maxStoredTids, maxStoredBytes: options.maxStoredBytes } } : {}),
      });
    return new SinspEvents(capture, hooks, options);
  }

  /** The events of a source already open: a live capture, or a capture opened with options of its own. */
  static of<S extends Source>(source: S, hooks: InspectHooks = {},
    options: ConversionOptions = {}): SinspEvents<S> {
    return new SinspEvents(source, hooks, options);
  }

  /**
   * The reader's warnings (truncation, skipped damage), the converter's, and
   * the conversion's bound reached (docs/limits.md): an exit event whose
   * enter event was forgotten differs from libscap's, so that is never
   * silent. Limit warnings have no byte offset (-1).
   */
  get warnings(): ReadWarning[] {
    // Capture files and live captures have warnings; a bare Source may not.
    const source = (this.capture as Partial<Pick<Capture, 'warnings'>>).warnings ?? [];
    const out = [...source, ...(this.upstream?.warnings ?? this.conversionWarnings)];
    const forgotten = forgottenEnterWarning(this.upstream?.losses ?? this.converter.losses);
    if (forgotten !== undefined) out.push({ offset: -1, message: forgotten });
    return out;
  }

  /** A capture joined after the one read so far begins with this batch: its state replaces the state. */
  private restartIfJoined(): void {
    const info = this.capture.takeRestart?.();
    if (info !== undefined) this.onRestart?.(info);
  }

  /** Batches of the events libscap returns (old layouts upgraded), all of which sinsp parses. */
  async *libscapBatches(): AsyncGenerator<EventBatch> {
    const upstream = this.upstream;
    if (upstream !== undefined) {
      for await (const converted of this.capture) {
        this.restartIfJoined();
        this.totals.raw = upstream.rawEvents;
        this.totals.libscap += converted.count;
        yield converted;
      }
      this.totals.raw = upstream.rawEvents;
      return;
    }
    for await (const raw of this.capture) {
      this.restartIfJoined();
      this.totals.raw += raw.count;
      this.hooks.onRawBatch?.(raw);
      const converted = this.converter.convert(raw);
      this.totals.libscap += converted.count;
      // A batch left with no event (a block joined across two chunks whose
      // events are all stored enter events) is never handed out: its memory
      // goes back at once, or it would take the spare from the next one.
      if (converted.count > 0) yield converted;
      else this.converter.recycle(converted);
      this.converter.throwIfFailed();
    }
  }

  /**
   * The caller is done with every byte of `batch`, the last one
   * `libscapBatches` yielded: with `recycleBatches`, the converter builds the
   * next batch in its memory (read ahead, the worker copies the next batch
   * into it). Converting an old capture otherwise allocates
   * an output buffer and arrays per batch; with state replay beside it,
   * building in fresh memory made the conversion about twice as slow
   * (bench.scap, one thread: runPlan 852 -> 414 ms, compact 453 -> 257 ms).
   */
  release(batch: EventBatch): void {
    if (!this.recycling) return;
    // Read ahead and converted by a worker: the batch's memory goes back to it.
    if (this.upstream !== undefined) (this.capture as unknown as Partial<ConvertedCapture>).release?.(batch);
    else this.converter.recycle(batch);
  }

  /**
   * libscap's batches, each with libsinsp's choice of its events
   * (`returned[i]` 1: returned, 0: parsed for state only); a batch is
   * released (`release`) when the caller asks for the next one.
   */
  async *decidedBatches(): AsyncGenerator<{ batch: EventBatch; returned: Uint8Array; consumedAtStart: number }> {
    for await (const batch of this.libscapBatches()) {
      const returned = this.selection.decide(batch);
      yield { batch, returned, consumedAtStart: this.selection.consumedAtStart };
      this.release(batch);
    }
  }

  /** Batches of the events libsinsp would return. */
  async *batches(): AsyncGenerator<EventBatch> {
    for await (const converted of this.libscapBatches()) {
      const selected = this.selection.select(converted);
      this.totals.sinsp += selected.count;
      if (selected.count > 0) yield selected;
    }
  }

  /** Counts the events libsinsp returns, up to `limit`, looking at nothing but their types and flags. */
  async count(limit = Infinity): Promise<number> {
    let n = 0;
    for await (const batch of this.libscapBatches()) {
      const returned = this.selection.decide(batch);
      let k = 0;
      for (let i = 0; i < batch.count; i++) k += returned[i]!;
      // Nothing of the batch is needed any more: its buffer can take the next one.
      if (this.upstream === undefined) this.converter.recycle(batch);
      this.totals.sinsp += k;
      n += k;
      if (n >= limit) { await this.capture.close(); return limit; }
    }
    return n;
  }
}
