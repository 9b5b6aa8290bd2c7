// The clone exits a piece of a capture must repeat: those whose child has
// not returned from its own clone yet where the piece starts (scap cut, and
// each file of a rotation).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import type { StartEvent } from '../../scapfile/writer/index.js';
import { DUMP_FLAG_STATE_ONLY } from '../sinsp-selection.js';
import { retval } from './event-params.js';
import { CLONE_EXIT_TYPES, CLONE_STALE_NS } from './proc-parsers.js';
import type { StateReplay } from './state-replay.js';

/** What `note` looks at, by event type: 1 a clone exit, 2 procexit; everything else is passed over at once. */
const NOTED = new Uint8Array(65536);
for (const t of CLONE_EXIT_TYPES) NOTED[t] = 1;
NOTED[EventType.PROCEXIT_1_E] = 2;
/** Children remembered before stale ones are let go (a child whose own exit was never recorded stays until then). */
const PURGE_AT = 4096;

/**
 * Clone exits in the caller whose child has not returned from its own clone
 * yet, by child tid. libsinsp makes the child's entry at the caller's exit
 * and keeps it at the child's own exit only while the entry's clone time is
 * recent (parse_clone_exit_child); a process list carries no clone time
 * (libscap's savefile reader leaves it 0), so a piece starting between the
 * two exits would rebuild the child from the parent its event names: after
 * a double fork that is init, whose session, group, cwd and exe path it
 * took, and the stale entry stayed counted as a second thread. Written
 * again, state-only, after the piece's state blocks, the caller's exit
 * makes the entry anew with a clone time, so the child's exit keeps it.
 * It carries the piece's start time, as the close-on-exec events do: with
 * its own, older one it became the piece's first event, and evt.reltime of
 * every event counted from it (58 us off in dfork.scap, up to 2 s). The
 * cost: the child's proc.duration counts from the piece's start.
 */
export class UnreturnedClones {
  private readonly byChild = new Map<number, { readonly event: Buffer; readonly tsNs: bigint }>();

  /** Updates the set with an event just applied to `state`. */
  note(ev: EventCursor, state: StateReplay): void {
    const what = NOTED[ev.type];
    if (what === 0) return;
    if (what === 2) {
      this.byChild.delete(ev.tid);
      return;
    }
    if (ev.nparams === 0) return;
    const res = retval(ev);
    if (res === 0) this.byChild.delete(ev.tid);
    else if (res > 0 && state.thread(res)?.cloneTsNs === ev.tsNs) {
      const ts = ev.tsNs;
      if (this.byChild.size >= PURGE_AT) for (const [tid, c] of this.byChild) if (ts - c.tsNs >= CLONE_STALE_NS) this.byChild.delete(tid);
      this.byChild.set(res, { event: Buffer.from(ev.bytes.subarray(ev.offset, ev.offset + ev.lenBytes)), tsNs: ts });
    }
  }

  /** The caller exits to write after the state blocks of a piece starting at `tsNs`. */
  events(state: StateReplay, tsNs: bigint): StartEvent[] {
    const out: StartEvent[] = [];
    for (const [child, c] of this.byChild) {
      const caller = Number(c.event.readBigInt64LE(8));
      if (tsNs - c.tsNs < CLONE_STALE_NS && state.thread(child) !== undefined && state.thread(caller) !== undefined) {
        const event = Buffer.from(c.event);
        event.writeBigUInt64LE(tsNs, 0);
        out.push({ event, flags: DUMP_FLAG_STATE_ONLY });
      }
    }
    return out;
  }
}
