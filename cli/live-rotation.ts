// `scap live -w` with rotation (-C, -G, -W): rotated files of a live
// capture, each starting with the state at its first event.

import type { LiveCapture } from '../live/index.js';
import type { EventBatch } from '../scapfile/event-batch.js';
import { EventBatchBuilder } from '../scapfile/event-batch.js';
import { EventCursor } from '../scapfile/event-cursor.js';
import { EventType } from '../scapfile/schema/index.js';
import type { CaptureState } from '../scapfile/state-blocks/index.js';
import { RotatingWriter } from '../scapfile/writer/index.js';
import type { RotationOptions, StartEvent } from '../scapfile/writer/index.js';
import { StateReplay } from '../inspect/state/index.js';
import { CHANGES_STATE } from '../inspect/state/state-replay.js';
import { rotationState, snapshotState, startEvents } from '../inspect/state/snapshot.js';
import { UnreturnedClones } from '../inspect/state/unreturned-clones.js';

/**
 * How old a /proc scan may be when a rotated file starts with it. Scans
 * run in the background while files fill, and a file takes the newest one
 * done: at high rates (a file every few tens of ms under `dd bs=1` with
 * -C 5, a scan of 90 threads ~25-50 ms there) the writer never waits for
 * one. A file starting after a longer quiet spell waits for a new scan, so
 * what only a scan tells (threads the replay never saw, users,
 * interfaces) is never older than this.
 */
const SCAN_MAX_AGE_MS = 1000;
/**
 * The least time between the starts of two scans. Scanning back to back
 * took a CPU's share from the writer at high rates (a scan costs as much
 * CPU as it takes time); files then share a scan.
 */
const SCAN_EVERY_MS = 250;

/** A /proc scan of a live capture, and the threads seen exiting since it started. */
interface Scan {
  readonly startedMs: number;
  readonly exited: Set<number>;
  state: CaptureState | undefined;
  readonly done: Promise<void>;
}

/**
 * -w with -C/-G/-W: each file after the first starts with the threads and
 * fds replayed from every event but plain reads and writes (CHANGES_STATE:
 * opens, closes, sockets, clones, execs, exits…), completed by a recent
 * /proc scan (rotationState: the threads the replay never saw, users,
 * interfaces), where `scap convert -C` replays every event. That full
 * replay, in JavaScript beside the writer, lost half of the events of a
 * `dd bs=1` running beside it (2.19 M drops of 4.2 M in 2 s), where
 * writing alone lost none.
 */
export async function writeLiveRotated(src: LiveCapture, path: string, options: RotationOptions,
  onScanError: (err: unknown) => void = () => {}): Promise<string[]> {
  let state: CaptureState = src.info;
  const replay = new StateReplay(state);
  const ev = new EventCursor();
  /** The newest scan done, and the one running (one at a time). */
  let ready: Scan | undefined;
  let running: Scan | undefined;
  /** Whether a scan failed already: the caller hears of the first only. */
  let scanFailed = false;
  const startScan = (): Scan => {
    const scan: Scan = {
      startedMs: Date.now(), exited: new Set(), state: undefined,
      // A capture that ends first leaves the last one unread. A failed scan
      // leaves the next files without the threads the replay never saw and
      // with the last users and interfaces: said once, not hidden.
      done: src.rescan().then((s) => { scan.state = s; ready = scan; }, (err) => {
        if (!scanFailed) onScanError(err);
        scanFailed = true;
      }).finally(() => { running = undefined; }),
    };
    running = scan;
    return scan;
  };
  const fresh = (scan: Scan | undefined): boolean => scan !== undefined && Date.now() - scan.startedMs <= SCAN_MAX_AGE_MS;
  /** The scan the last state was made from, and whether the replay changed state since. */
  let used: Scan | undefined;
  let stateChanged = false;
  const clones = new UnreturnedClones();
  /** Time of the last event written: the state-only events of the next file take it. */
  let lastTsNs = 0n;
  /** What the file being started writes after its state blocks (startEvents). */
  let after: StartEvent[] = [];
  let first = true;
  const stateNow = async (): Promise<CaptureState> => {
    if (!first) {
      if (!fresh(ready)) {
        if (!fresh(running)) {
          await running?.done;
          startScan();
        }
        await running?.done;
      }
      // The same scan, no event that changes state since and no state-only
      // event to write again: the same state (under plain I/O, most files).
      if (ready !== used || stateChanged || used === undefined || after.length > 0) {
        // Should scanning fail (onScanError), the replay's own state serves.
        state = fresh(ready) ? rotationState(ready!.state!, replay, state, ready!.exited) : snapshotState(replay, state);
        // What state blocks cannot say (dead threads, close-on-exec of
        // non-file fds, clones in flight), taken from the replay before the
        // reload forgets it, as `scap convert -C` takes it.
        after = startEvents(replay, lastTsNs, clones);
        replay.reload(state);
        // The replay goes on from what a reader of the new file builds.
        applyEvents(replay, after);
        used = ready;
        stateChanged = false;
      }
    }
    first = false;
    if (running === undefined && (ready === undefined || Date.now() - ready.startedMs >= SCAN_EVERY_MS)) startScan();
    return state;
  };
  const rw = await RotatingWriter.open(path, options, stateNow, () => after);
  const applyStateEvents = (batch: EventBatch, from: number, to: number): void => {
    const { buf, offsets } = batch;
    if (to > from) lastTsNs = buf.readBigUInt64LE(offsets[to - 1]!);
    for (let i = from; i < to; i++) {
      const type = buf.readUInt16LE(offsets[i]! + 20);
      if (CHANGES_STATE[type] !== 1) continue;
      replay.apply(ev.moveTo(batch, i));
      stateChanged = true;
      clones.note(ev, replay);
      if (type === EventType.PROCEXIT_1_E) {
        ready?.exited.add(ev.tid);
        running?.exited.add(ev.tid);
      }
    }
  };
  try {
    for await (const batch of src) {
      // Events are written before they are applied: a file starting at an
      // event holds the state as it was before it.
      let i = 0;
      while (i < batch.count) {
        const until = await rw.writeUntilRotation(batch, i);
        applyStateEvents(batch, i, until);
        if (until === batch.count) break;
        const p = rw.writeEvent(batch, until);
        if (p !== undefined) await p;
        applyStateEvents(batch, until, until + 1);
        i = until + 1;
      }
    }
    return await rw.close();
  } catch (err) {
    await rw.abort();
    throw err;
  } finally {
    await running?.done;
  }
}

/**
 * Applies the state-only events written after a file's state blocks to
 * `replay`, reloaded from those blocks, as a reader of the file does.
 */
function applyEvents(replay: StateReplay, events: readonly StartEvent[]): void {
  if (events.length === 0) return;
  const b = new EventBatchBuilder(events.length);
  let at = 0;
  for (const e of events) {
    b.push(at, 0, e.flags, 0, 0);
    at += e.event.length;
  }
  const batch = b.finish(Buffer.concat(events.map((e) => e.event)));
  const ev = new EventCursor();
  for (let i = 0; i < batch.count; i++) replay.apply(ev.moveTo(batch, i));
}
