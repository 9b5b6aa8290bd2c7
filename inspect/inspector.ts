import type { Readable } from 'node:stream';
import { EventCursor } from '../scapfile/event-cursor.js';
import type { EventBatch } from '../scapfile/event-batch.js';
import type { Capture, OpenCaptureOptions, Source } from '../scapfile/open-capture.js';
import type { ReadWarning } from '../scapfile/block-reader.js';
import type { FieldContext } from './fields/field.js';
import { SinspEvents, type EventTotals, type InspectHooks, type SinspEventsOptions } from './sinsp-events.js';
import { StateReplay } from './state/index.js';
import { EVENT_FLAGS } from '../scapfile/schema/events.js';
import { EventFlag } from '../scapfile/schema/types.js';
import type { StateReplayOptions } from './state/state-replay.js';

export type { EventTotals, InspectHooks } from './sinsp-events.js';

/** One batch of `for await (const batch of inspector)`: iterate it for its events. */
export interface InspectedBatch extends Iterable<EventCursor> {
  /** How many events libsinsp returns from this batch (what iterating it yields). */
  readonly count: number;
}

/**
 * Opens a capture for inspection: an async iterable of event batches with the
 * state replayed as they are read, and the state's queries (`state`,
 * `fieldContext`, `warnings`) beside it.
 *
 * ```ts
 * const capture = await inspect('trace.scap');
 * for await (const batch of capture) {
 *   for (const ev of batch) console.log(ev.num, capture.state.thread(ev.tid)?.comm);
 * }
 * ```
 */
export function inspect(input: string | Readable, options: InspectorOptions = {}): Promise<Inspector> {
  return Inspector.open(input, options);
}

/** Options of `Inspector.open`: the reader's, and the limits of state and conversion (docs/limits.md). */
export type InspectorOptions = SinspEventsOptions & StateReplayOptions;

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
  readonly state: StateReplay;
  readonly fieldContext: FieldContext;
  private filter: ((ev: EventCursor) => boolean) | undefined;
  /** The filter is a display filter (sysdig -d): every event parsed, then tested. */
  private displayFilter = false;
  private readonly cursor = new EventCursor();

  private constructor(readonly events: SinspEvents<S>, options: StateReplayOptions) {
    this.state = new StateReplay(events.capture.info, options);
    this.fieldContext = { state: this.state };
    events.onRestart = (info) => { this.state.reload(info); };
  }

  /**
   * Opens a capture (path, `-` or stream) for inspection. With
   * `options.recover`, damaged blocks and events that cannot be converted are
   * skipped with a warning instead of ending the read.
   */
  static async open(input: string | Readable, options: InspectorOptions = {}, hooks: InspectHooks = {}): Promise<Inspector> {
    return new Inspector(await SinspEvents.open(input, options, hooks), options);
  }

  /** Inspects a source already open: a live capture, or a capture opened with options of its own. */
  static of<S extends Source>(source: S, hooks: InspectHooks = {}, options: Omit<InspectorOptions, keyof OpenCaptureOptions | 'readAhead'> & { recover?: boolean } = {}): Inspector<S> {
    return new Inspector(SinspEvents.of(source, hooks, options), options);
  }

  /** The source being inspected. */
  get capture(): S { return this.events.capture; }

  /** Events counted so far at each level. */
  get totals(): EventTotals { return this.events.totals; }

  /**
   * The reader's and the converter's warnings (see `SinspEvents.warnings`),
   * and the state's limits reached (docs/limits.md): a full table changes
   * answers, so it is never silent. Limit warnings have no byte offset (-1).
   */
  get warnings(): readonly ReadWarning[] {
    const out = this.events.warnings;
    const threads = this.state.threads;
    const { threads: t, fds } = threads.refused;
    if (t > 0) {
      out.push({ offset: -1, message: `the thread table was full (${threads.maxThreads} threads, maxThreads): ${t} new threads were not tracked; their process fields read <NA>` });
    }
    if (fds > 0) {
      out.push({ offset: -1, message: `fd tables were full (${threads.maxFds} fds each, maxFdsPerTable): ${fds} new fds were not tracked; their fd fields read <NA>` });
    }
    return out;
  }

  /** Batches of the events libsinsp would return, without state replay. */
  batches(): AsyncGenerator<EventBatch> { return this.events.batches(); }

  /** Counts events up to `limit` without replaying state or rendering anything. */
  count(limit = Infinity): Promise<number> { return this.events.count(limit); }

  /**
   * The events libsinsp returns, batch by batch: iterating a batch replays
   * the state event by event and yields the cursor at each returned event,
   * so `state` and the fields answer as they do after it (as in `run`). The
   * cursor is the same object every time (no allocation per event): read it
   * before the next step. A batch left before its end is replayed to its end
   * when the next one is asked for, so the state never skips an event.
   * (`run` says the same as a plain loop: it is `scap read`'s hot path, where
   * a generator step per event would cost.)
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<InspectedBatch> {
    // A batch's count is what iterating it yields; with sinsp's filter that is
    // known only once every event of it was tested, in order, with the state.
    if (this.filter !== undefined) throw new Error('Inspector.setFilter applies to run(); iterate an inspector without a filter, and test events in the loop');
    const ev = this.cursor;
    const state = this.state;
    const totals = this.events.totals;
    for await (const { batch, returned } of this.events.decidedBatches()) {
      let count = 0;
      for (let i = 0; i < batch.count; i++) count += returned[i]!;
      let next = 0;
      const step = (): boolean => {
        ev.moveTo(batch, next);
        state.apply(ev);
        return returned[next++] !== 0;
      };
      yield {
        count,
        *[Symbol.iterator](): Iterator<EventCursor> {
          while (next < batch.count) {
            if (!step()) continue;
            totals.sinsp++;
            yield ev;
          }
        },
      };
      while (next < batch.count) if (step()) totals.sinsp++;
    }
  }

  /**
   * Calls `visit` for every event in order, after the state has been updated
   * by it (libsinsp formats an event after parsing it). `visit` returns false
   * to stop. `afterBatch` runs between batches, e.g. to wait for output to drain.
   * Opened with `recycleBatches`, the next batch reuses the memory of the one
   * before: `visit` must keep no view of an event's bytes past its call.
   * `visitFiltered` sees, in their place, the events sinsp parses but reports
   * as filtered (state-only ones, enter events it keeps to itself), and
   * with `byFilter` those the filter of `setFilter` dropped: what sysdig's
   * chisel engine still sees for its interval callbacks.
   */
  async run(visit: (ev: EventCursor) => boolean | void, afterBatch?: () => Promise<void>, visitFiltered?: (ev: EventCursor, byFilter: boolean) => void): Promise<void> {
    const ev = this.cursor;
    const state = this.state;
    const totals = this.events.totals;
    const filter = this.filter;
    const display = this.displayFilter;
    // sinsp parses every libscap event, including the enter events it then
    // keeps to itself (their parameters feed state, e.g. connect's address),
    // unless its filter dropped the event first (see `setFilter`).
    for await (const { batch, returned, consumedAtStart } of this.events.decidedBatches()) {
      for (let i = 0; i < batch.count; i++) {
        ev.moveTo(batch, i);
        let kept = true;
        if (filter === undefined || i < consumedAtStart) {
          state.apply(ev);
        } else if (display) {
          state.apply(ev);
          if (returned[i] !== 0) kept = filter(ev);
        } else {
          state.prepare(ev);
          if ((EVENT_FLAGS[ev.type]! & EventFlag.MODIFIES_STATE) === 0) {
            kept = filter(ev);
            if (kept) state.parse(ev);
            else state.skipParse(ev);
          } else {
            state.parse(ev);
            if (returned[i] !== 0) kept = filter(ev);
          }
        }
        if (returned[i] === 0) {
          if (visitFiltered !== undefined && i >= consumedAtStart) visitFiltered(ev, false);
          continue;
        }
        totals.sinsp++;
        if (!kept) {
          visitFiltered?.(ev, true);
          continue;
        }
        if (visit(ev) === false) { await this.capture.close(); return; }
      }
      if (afterBatch) await afterBatch();
    }
  }

  /**
   * sinsp::set_filter, for `run`: it visits only the events `test` keeps,
   * and shows the others to its `visitFiltered`. As sinsp does (sysdig and
   * sinsp-example -f), an event that modifies no state (no EF_MODIFIES_STATE:
   * reads, writes, prlimit, ...) is tested before it is parsed, on the state
   * before it, and one the test drops is not parsed at all: a filter can
   * change what the state says later (an fd's tuple from a recvfrom it
   * dropped, a limit from a prlimit). Events that modify state are parsed,
   * then tested. With `display` it is sysdig's -d instead: every event is
   * parsed, then the returned ones tested. Undefined removes the filter.
   * Iterating the inspector (`for await`) with a filter set throws.
   */
  setFilter(test: ((ev: EventCursor) => boolean) | undefined, display = false): void {
    this.filter = test;
    this.displayFilter = display;
  }
}
