import type { Readable } from 'node:stream';
import { EventCursor } from '../scapfile/event-cursor.js';
import type { EventBatch } from '../scapfile/event-batch.js';
import { openCapture } from '../scapfile/open-capture.js';
import { openCaptureReadAhead, readAheadPays } from '../scapfile/read-ahead.js';
import type { ConversionProgress, ConvertedCapture } from '../scapfile/read-ahead.js';
import type { Capture, OpenCaptureOptions, Source } from '../scapfile/open-capture.js';
import type { ReadWarning } from '../scapfile/block-reader.js';
import { readingConverter, type LayoutConverter } from '../scapfile/upgrade/index.js';
import type { FieldContext } from './fields/field.js';
import { SinspSelection } from './sinsp-selection.js';
import { StateReplay } from './state/index.js';
import type { StateReplayOptions } from './state/state-replay.js';
import type { LayoutConverterOptions } from '../scapfile/upgrade/index.js';

/** Options of `Inspector.open`: the reader's, and the limits of state and conversion (docs/limits.md). */
export type InspectorOptions = OpenCaptureOptions & StateReplayOptions &
  Pick<LayoutConverterOptions, 'maxStoredTids' | 'maxStoredBytes'> & {
    /**
     * Read a capture file in a worker thread (scapfile/read-ahead.ts):
     * `'convert'` also upgrades old layouts there, leaving state replay,
     * filters and formats to this thread; `'read'` only reads, for a caller
     * whose own work is little more than the conversion (counting events);
     * false reads in this thread. Default `'convert'` (false when
     * `onRawBatch` is hooked). Only files of 8 MiB or more on a machine with
     * a second core are read ahead. Events, warnings and errors are the same
     * either way. On bench.scap, `'convert'` made a filtered read 10–20 %
     * faster; `'read'` made counting no faster.
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
 * A capture seen as libsinsp sees it: old layouts upgraded, the state
 * replayed over every event libscap returns, and only the events libsinsp
 * returns handed to the caller, so that fields and formats read the state
 * as it is after each of them.
 *
 * ```ts
 * const insp = await Inspector.open('trace.scap');
 * await insp.run((ev) => { console.log(ev.num, insp.state.thread(ev.tid)?.comm); });
 * ```
 */
export class Inspector<S extends Source = Capture> {
  readonly totals: EventTotals = { raw: 0, libscap: 0, sinsp: 0 };
  readonly state: StateReplay;
  readonly fieldContext: FieldContext;
  private readonly converter: LayoutConverter;
  /** What the reader's worker converted, when it upgrades layouts itself (`readAhead: 'convert'`). */
  private readonly upstream: ConversionProgress | undefined;
  private readonly selection: SinspSelection;
  private readonly cursor = new EventCursor();
  /** Events libscap failed to convert, skipped when recovering. */
  private readonly conversionWarnings: ReadWarning[] = [];

  private constructor(readonly capture: S, private readonly hooks: InspectHooks, options: InspectorOptions) {
    this.state = new StateReplay(capture.info, options);
    const recover = options.recover ?? false;
    this.fieldContext = { state: this.state };
    this.converter = readingConverter({
      inputValidated: true, maxStoredTids: options.maxStoredTids, maxStoredBytes: options.maxStoredBytes,
    }, recover, this.conversionWarnings);
    this.upstream = (capture as Partial<ConvertedCapture>).conversion;
    this.selection = new SinspSelection({ converter: this.upstream ?? this.converter });
  }

  /**
   * Opens a capture (path, `-` or stream) for inspection. With
   * `options.recover`, damaged blocks and events that cannot be converted are
   * skipped with a warning instead of ending the read.
   */
  static async open(input: string | Readable, options: InspectorOptions = {}, hooks: InspectHooks = {}): Promise<Inspector> {
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
    return new Inspector(capture, hooks, options);
  }

  /**
   * The reader's warnings (truncation, skipped damage), the converter's, and
   * the limits reached (docs/limits.md): a full table changes answers, so it
   * is never silent. Limit warnings have no byte offset (-1).
   */
  get warnings(): readonly ReadWarning[] {
    // Capture files and live captures have warnings; a bare Source may not.
    const source = (this.capture as Partial<Pick<Capture, 'warnings'>>).warnings ?? [];
    const out = [...source, ...(this.upstream?.warnings ?? this.conversionWarnings)];
    const threads = this.state.threads;
    const { threads: t, fds } = threads.refused;
    if (t > 0) {
      out.push({ offset: -1, message: `the thread table was full (${threads.maxThreads} threads, maxThreads): ${t} new threads were not tracked; their process fields read <NA>` });
    }
    if (fds > 0) {
      out.push({ offset: -1, message: `fd tables were full (${threads.maxFds} fds each, maxFdsPerTable): ${fds} new fds were not tracked; their fd fields read <NA>` });
    }
    const evicted = this.upstream?.evictions ?? this.converter.storage.evictions;
    if (evicted > 0) {
      out.push({ offset: -1, message: `the store of enter events for old-layout conversion was full: ${evicted} enter events were forgotten before their exit events (maxStoredTids / maxStoredBytes); those exit events got default values` });
    }
    return out;
  }

  /** Inspects a source already open: a live capture, or a capture opened with options of its own. */
  static of<S extends Source>(source: S, hooks: InspectHooks = {}, options: Omit<InspectorOptions, keyof OpenCaptureOptions> & { recover?: boolean } = {}): Inspector<S> {
    return new Inspector(source, hooks, options);
  }

  /** Batches of the events libscap returns (old layouts upgraded), all of which sinsp parses. */
  private async *libscapBatches(): AsyncGenerator<EventBatch> {
    const upstream = this.upstream;
    if (upstream !== undefined) {
      for await (const converted of this.capture) {
        this.totals.raw = upstream.rawEvents;
        this.totals.libscap += converted.count;
        yield converted;
      }
      this.totals.raw = upstream.rawEvents;
      return;
    }
    for await (const raw of this.capture) {
      this.totals.raw += raw.count;
      this.hooks.onRawBatch?.(raw);
      const converted = this.converter.convert(raw);
      this.totals.libscap += converted.count;
      if (converted.count > 0) yield converted;
    }
  }

  /** Batches of the events libsinsp would return, without state replay. */
  async *batches(): AsyncGenerator<EventBatch> {
    for await (const converted of this.libscapBatches()) {
      const selected = this.selection.select(converted);
      this.totals.sinsp += selected.count;
      if (selected.count > 0) yield selected;
    }
  }

  /** Counts events up to `limit` without replaying state or rendering anything. */
  async count(limit = Infinity): Promise<number> {
    let n = 0;
    for await (const batch of this.libscapBatches()) {
      const returned = this.selection.decide(batch);
      let k = 0;
      for (let i = 0; i < batch.count; i++) k += returned[i]!;
      if (this.upstream === undefined) this.converter.recycle(batch);
      this.totals.sinsp += k;
      n += k;
      if (n >= limit) { await this.capture.close(); return limit; }
    }
    return n;
  }

  /**
   * Calls `visit` for every event in order, after the state has been updated
   * by it (libsinsp formats an event after parsing it). `visit` returns false
   * to stop. `afterBatch` runs between batches, e.g. to wait for output to drain.
   */
  async run(visit: (ev: EventCursor) => boolean | void, afterBatch?: () => Promise<void>): Promise<void> {
    const ev = this.cursor;
    const state = this.state;
    for await (const batch of this.libscapBatches()) {
      // sinsp parses every libscap event, including the enter events it then
      // keeps to itself (their parameters feed state, e.g. connect's address).
      const returned = this.selection.decide(batch);
      for (let i = 0; i < batch.count; i++) {
        ev.moveTo(batch, i);
        state.apply(ev);
        if (returned[i] === 0) continue;
        this.totals.sinsp++;
        if (visit(ev) === false) { await this.capture.close(); return; }
      }
      if (afterBatch) await afterBatch();
    }
  }
}
