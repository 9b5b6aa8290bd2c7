import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { EventBatch } from '../scapfile/event-batch.js';
import { EventCursor } from '../scapfile/event-cursor.js';
import { openCapture } from '../scapfile/open-capture.js';
import { EVENTS } from '../scapfile/schema/events.js';
import { EventFlag } from '../scapfile/schema/types.js';
import { LayoutConverter } from '../scapfile/upgrade/index.js';
import { CaptureWriter } from '../scapfile/writer/index.js';
import type { CaptureWriterOptions } from '../scapfile/writer/index.js';
import { FIELDS } from './fields/index.js';
import { compileFilter } from './filter/index.js';
import type { EventFilter } from './filter/index.js';
import { DUMP_FLAG_STATE_ONLY, SinspSelection } from './sinsp-selection.js';
import { StateReplay, startsCaptureTime } from './state/index.js';
import { snapshotState, startEvents } from './state/snapshot.js';
import { UnreturnedClones } from './state/unreturned-clones.js';
import { timeOf, type TimeSpec } from './time-spec.js';

// `scap cut`: keep a slice of a capture, consistently. The events are those
// libscap returns (old layouts upgraded, as `scap convert --upgrade`), so an
// exit event never loses the enter event it was merged with. The output
// starts with state blocks describing every thread and fd alive just before
// the first kept event (inspect/state/snapshot.ts), and, unless
// --no-state-events, dropped events that change state after it are kept
// with the SCAP_DF_STATE_ONLY block flag: libsinsp parses them and returns
// them to nobody (sinsp.cpp), so names keep resolving as in the original.


/** What `cutCapture` keeps. Criteria combine with "and". */
export interface CutSelection {
  /** Keep events with ts ≥ from. */
  readonly from?: TimeSpec;
  /** Keep events with ts < to. */
  readonly to?: TimeSpec;
  /** Event type ids to keep. */
  readonly types?: ReadonlySet<number>;
  readonly tids?: ReadonlySet<number>;
  readonly pids?: ReadonlySet<number>;
  /** A sinsp filter, evaluated after the event updated the state (as libsinsp does). */
  readonly filter?: string;
  /** Matching events to pass over before keeping any. */
  readonly skip?: number;
  /** Matching events to keep at most. */
  readonly limit?: number;
  /** Keep dropped state-changing events as state-only events (default true). */
  readonly stateEvents?: boolean;
}

/** What a cut read and wrote. */
export interface CutSummary {
  /** Events libscap returns from the input. */
  readonly eventsRead: number;
  readonly kept: number;
  /** Dropped events written as state-only. */
  readonly stateOnly: number;
  readonly outputBytes: number;
}

const STATE_FLAGS = EventFlag.CREATES_FD | EventFlag.DESTROYS_FD | EventFlag.MODIFIES_STATE;
/**
 * Types a dropped event is kept as state-only for: those the schema flags as
 * changing state, and every enter event (the exit after it reads what it
 * stored): what libsinsp reading the piece must see. Not the replay's
 * CHANGES_STATE, which picks what live rotation's own replay applies.
 */
const KEEP_AS_STATE_ONLY = new Uint8Array(65536);
for (const e of EVENTS) {
  if (e.flags & STATE_FLAGS || e.id % 2 === 0) KEEP_AS_STATE_ONLY[e.id] = 1;
}

/** Per-pass decision state: time bounds resolved at the first event, matches counted. */
class Selector {
  private fromNs: bigint | undefined;
  private toNs: bigint | undefined;
  private resolved = false;
  private matched = 0;
  readonly filter: EventFilter | undefined;
  private readonly skip: number;
  private readonly limit: number;

  constructor(private readonly sel: CutSelection) {
    this.filter = sel.filter ? compileFilter(sel.filter, FIELDS) : undefined;
    this.skip = sel.skip ?? 0;
    this.limit = sel.limit ?? Infinity;
  }

  /** All matching events are kept or passed over. */
  get done(): boolean { return this.matched >= this.skip + this.limit; }

  /** After the `to` bound. */
  pastEnd(ts: bigint): boolean { return this.toNs !== undefined && ts >= this.toNs; }

  /** The checks that need no post-event state. */
  pre(ev: EventCursor, state: StateReplay): boolean {
    const { sel } = this;
    if (sel.from !== undefined || sel.to !== undefined) {
      const ts = ev.tsNs;
      if (!this.resolved) {
        // Offsets count from the capture's first event that is no meta event
        // (evt.reltime's origin); state is applied after this check.
        const first = state.firstEventTsNs() ?? (startsCaptureTime(ev.type) ? ts : undefined);
        if (first !== undefined || (sel.from?.kind !== 'rel' && sel.to?.kind !== 'rel')) {
          this.resolved = true;
          const at = (b: TimeSpec | undefined): bigint | undefined => (b === undefined ? undefined : timeOf(b, first ?? 0n));
          this.fromNs = at(sel.from);
          this.toNs = at(sel.to);
        } else if (sel.from?.kind === 'rel' || (sel.from !== undefined && ts < sel.from.ns)) {
          // Before that origin (the procinfo events old captures start with): a relative --from has not begun.
          return false;
        }
      }
      if (this.fromNs !== undefined && ts < this.fromNs) return false;
      if (this.toNs !== undefined && ts >= this.toNs) return false;
    }
    if (sel.types && !sel.types.has(ev.type)) return false;
    if (sel.tids && !sel.tids.has(ev.tid)) return false;
    if (sel.pids && !sel.pids.has(state.thread(ev.tid)?.pid ?? ev.tid)) return false;
    return true;
  }

  /** Counts a matching event against --skip and -n: true when it is kept. */
  count(): boolean {
    const n = this.matched++;
    return n >= this.skip && n < this.skip + this.limit;
  }
}

/**
 * One pass over the input. Without a filter the decision is made before the
 * event is applied, so the snapshot is taken at the first kept event; with
 * a filter (decided after the event, as sinsp does) a first pass finds that
 * event's ordinal and a second pass takes the snapshot just before it.
 */
async function pass(
  input: string, sel: CutSelection, writer: CaptureWriter | undefined, snapshotAt: number | undefined,
): Promise<{ firstKept: number | undefined; summary: CutSummary; warnings: Awaited<ReturnType<typeof openCapture>>['warnings'] }> {
  const cap = await openCapture(input);
  const conv = new LayoutConverter();
  // What libsinsp returns of what libscap reads: only those are selected and counted.
  const returned = new SinspSelection({ converter: conv });
  const state = new StateReplay(cap.info);
  const ctx = { state };
  const selector = new Selector(sel);
  const ev = new EventCursor();
  const stateEvents = sel.stateEvents ?? true;
  const unreturned = new UnreturnedClones();
  let ordinal = 0;
  let firstKept: number | undefined;
  let started = false;
  let eventsRead = 0;
  let kept = 0;
  let stateOnly = 0;
  // The capture being read: the first, or the last one joined after it.
  let info = cap.info;
  const start = async (): Promise<void> => {
    started = true;
    await writer?.writeState(snapshotState(state, info));
    // What the state blocks cannot say: close-on-exec of non-file fds, dead threads, clones in flight.
    await writer?.writeEvents(startEvents(state, ev.tsNs, unreturned));
  };
  try {
    for await (const raw of cap) {
      // A joined capture begins with this batch: libsinsp reloads its state
      // there, and a piece already begun carries the join.
      const joined = cap.takeRestart();
      if (joined !== undefined) {
        info = joined;
        state.reload(joined);
        if (started) await writer?.writeJoined(joined);
      }
      const batch = conv.convert(raw);
      const shown = returned.decide(batch);
      const keepIdx: number[] = [];
      const keepFlags: number[] = [];
      for (let i = 0; i < batch.count; i++, ordinal++) {
        eventsRead++;
        ev.moveTo(batch, i);
        // An event libsinsp parses but does not show (one the input already
        // flags state-only, a user table entry at the start of a capture
        // written by libs, an enter event it keeps for its exit) is never
        // selected nor counted by --skip and -n: only kept as state, like
        // any other dropped event.
        const pre = selector.pre(ev, state) && shown[i] === 1;
        let keep = false;
        if (selector.filter === undefined) {
          keep = pre && selector.count();
          if (keep && !started) await start();
        } else if (ordinal === snapshotAt && !started) {
          await start();
        }
        state.apply(ev);
        if (!started) unreturned.note(ev, state);
        if (selector.filter !== undefined) keep = pre && selector.filter(ev, ctx) && selector.count();
        if (keep) {
          kept++;
          firstKept ??= ordinal;
          keepIdx.push(i);
          keepFlags.push(batch.flags[i]!);
        } else if (stateEvents && started && !selector.done && KEEP_AS_STATE_ONLY[ev.type] === 1 && !selector.pastEnd(ev.tsNs)) {
          stateOnly++;
          keepIdx.push(i);
          keepFlags.push(batch.flags[i]! | DUMP_FLAG_STATE_ONLY);
        }
      }
      if (writer && keepIdx.length > 0) await writer.writeBatch(subBatch(batch, keepIdx, keepFlags));
      conv.throwIfFailed();
      if (selector.done && (!stateEvents || selector.filter === undefined)) break;
    }
    if (writer && !started) await start();
  } finally {
    await cap.close();
  }
  return {
    firstKept,
    summary: { eventsRead, kept, stateOnly, outputBytes: 0 },
    warnings: cap.warnings,
  };
}

/** The events `idx` of `batch`, with new block flags. */
function subBatch(batch: EventBatch, idx: readonly number[], flags: readonly number[]): EventBatch {
  const n = idx.length;
  const offsets = new Int32Array(n);
  const cpus = new Uint16Array(n);
  const fl = new Uint32Array(n);
  const nums = new Float64Array(n);
  const blockOffsets = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    offsets[k] = batch.offsets[i]!;
    cpus[k] = batch.cpus[i]!;
    fl[k] = flags[k]!;
    nums[k] = batch.nums[i]!;
    blockOffsets[k] = batch.blockOffsets[i]!;
  }
  return { buf: batch.buf, count: n, offsets, cpus, flags: fl, nums, blockOffsets };
}

/** Why a filtered cut refuses stdin: the first pass finds the first kept event, the second writes. */
export const CUT_FILTER_NEEDS_FILE = 'cut with a filter reads its input twice; give a file, not stdin';

/** Writes the slice of `input` that `sel` selects to `output`. */
export async function cutCapture(
  input: string, output: string | Writable, sel: CutSelection, options: CaptureWriterOptions = {},
): Promise<CutSummary & { warnings: Awaited<ReturnType<typeof openCapture>>['warnings'] }> {
  // Compiled first, and the input looked at: a bad filter or a missing
  // input fails before any output exists.
  if (sel.filter) compileFilter(sel.filter, FIELDS);
  if (sel.filter && input === '-') throw new Error(CUT_FILTER_NEEDS_FILE);
  if (input !== '-') await stat(input);
  const writer = await CaptureWriter.open(output, { ...options, inputs: [input] });
  try {
    let snapshotAt: number | undefined;
    if (sel.filter) {
      snapshotAt = (await pass(input, sel, undefined, undefined)).firstKept ?? -1;
    }
    const { summary, warnings } = await pass(input, sel, writer, snapshotAt);
    const written = await writer.close();
    return { ...summary, outputBytes: written.outputBytes, warnings };
  } catch (err) {
    return writer.failWith(err);
  }
}

/** Event type ids of the names in `list` (comma-separated; every version and direction of each name). */
export function eventTypesNamed(list: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const name of list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    const ids = EVENTS.filter((e) => e.name === name).map((e) => e.id);
    if (ids.length === 0) throw new Error(`no event type is named ${JSON.stringify(name)}`);
    for (const id of ids) out.add(id);
  }
  return out;
}

