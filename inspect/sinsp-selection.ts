// Which of the events libscap returns libsinsp hands on to its user. sinsp
// parses every event libscap returns (and counts it: `evt.num` keeps libscap's
// numbering), but `sinsp::next` reports some of them as SCAP_FILTERED_EVENT
// and others are consumed before the user's first `next` call. This stage
// removes exactly those, keeping each event's `num`; it belongs after state
// replay, which must still see every event (falcosecurity/libs 48dfd53,
// userspace/libsinsp/sinsp.cpp).
//
// The rules, in the order sinsp applies them:
// 1. Initial state events (sinsp::is_initialstate_event: CONTAINER_JSON_2_E,
//    USER_ADDED_E, USER_DELETED_E, GROUP_ADDED_E, GROUP_DELETED_E,
//    ASYNCEVENT_E) at the very start of a capture are parsed while the capture
//    is opened (sinsp::consume_initialstate_events) and never returned. That
//    phase ends at the first other event, or as soon as scap_next answers
//    anything but SCAP_SUCCESS, i.e. the first event libscap filters or fails.
// 2. Enter events sinsp needs only as a companion of their exit event are
//    always filtered after parsing (the destructor of sinsp_evt_filter):
//    SYSCALL_OPEN_E, SYSCALL_OPENAT_2_E, SYSCALL_OPENAT2_E, SYSCALL_CREAT_E,
//    SOCKET_CONNECT_E (TOCTOU mitigation), SYSCALL_EXECVE_19_E and
//    SYSCALL_EXECVEAT_E (fallback values for their exit). These are the enter
//    events libscap's converter lets through (PASS or STORE_AND_PASS entries).
// 3. In a capture file, events whose block flags carry SCAP_DF_STATE_ONLY are
//    filtered after parsing (same destructor).
// 4. A filtered event is still returned when internal events are enabled
//    (sinsp::set_internal_events_mode) and its category has EC_INTERNAL
//    (end of sinsp::next). Off by default, as in sinsp-example.
// The user's own filter is Inspector.setFilter's (it decides whether an
// event is parsed at all). Not modelled: the live-only rule that hides
// sinsp's own process.

import { u16 } from '../scapfile/bytes.js';
import type { EventBatch } from '../scapfile/event-batch.js';
import { EVENTS, EventType, PPM_EVENT_MAX } from '../scapfile/schema/events.js';
import { EventCategory } from '../scapfile/schema/types.js';

/** `SCAP_DF_STATE_ONLY`, bit 0 of an event block's flags (userspace/libscap/scap.h). */
export const DUMP_FLAG_STATE_ONLY = 1;

const INITIAL_STATE = new Uint8Array(65536);
for (const t of [EventType.CONTAINER_JSON_2_E, EventType.USER_ADDED_E, EventType.USER_DELETED_E,
  EventType.GROUP_ADDED_E, EventType.GROUP_DELETED_E, EventType.ASYNCEVENT_E]) INITIAL_STATE[t] = 1;

const ALWAYS_FILTERED = new Uint8Array(65536);
for (const t of [EventType.SYSCALL_OPEN_E, EventType.SYSCALL_OPENAT_2_E, EventType.SYSCALL_OPENAT2_E,
  EventType.SYSCALL_CREAT_E, EventType.SOCKET_CONNECT_E, EventType.SYSCALL_EXECVE_19_E,
  EventType.SYSCALL_EXECVEAT_E]) ALWAYS_FILTERED[t] = 1;

const INTERNAL = new Uint8Array(65536);
for (let id = 0; id < PPM_EVENT_MAX; id++) {
  if (EVENTS[id]!.category & EventCategory.INTERNAL) INTERNAL[id] = 1;
}

/** Options of `SinspSelection`. */
export interface SinspSelectionOptions {
  /** Return filtered events of the INTERNAL category anyway (sinsp's internal events mode). */
  readonly internalEvents?: boolean;
  /**
   * The converter upstream (`LayoutConverter`), so that the initial state
   * phase also ends where libscap first filtered an event. Without it the
   * phase ends only at the first event of another type.
   */
  readonly converter?: { readonly returnedBeforeFirstFilter: number };
}

/**
 * Filters batches of libscap events (as `LayoutConverter` returns them) down
 * to the events libsinsp returns from `next`. Keeps state across batches:
 * use one per capture.
 *
 * ```ts
 * const conv = new LayoutConverter();
 * const sel = new SinspSelection({ converter: conv });
 * for await (const raw of capture) {
 *   const events = conv.convert(raw);
 *   state.applyAll(events);              // sinsp parses every event first
 *   const returned = sel.select(events); // then returns only these
 * }
 * ```
 */
export class SinspSelection {
  private initialPhase = true;
  private readonly internalEvents: boolean;
  private readonly converter: { readonly returnedBeforeFirstFilter: number } | undefined;
  private mask = new Uint8Array(1024);
  private consumed = 0;

  constructor(options: SinspSelectionOptions = {}) {
    this.internalEvents = options.internalEvents ?? false;
    this.converter = options.converter;
  }

  /**
   * The events of `batch` that sinsp returns. When it returns all of them the
   * batch itself comes back; otherwise a batch over the same buffer.
   */
  select(batch: EventBatch): EventBatch {
    const n = batch.count;
    const mask = this.decide(batch);
    let kept = 0;
    for (let i = 0; i < n; i++) kept += mask[i]!;
    if (kept === n) return batch;
    const offsets = new Int32Array(kept);
    const cpus = new Uint16Array(kept);
    const flags = new Uint32Array(kept);
    const nums = new Float64Array(kept);
    const blockOffsets = new Float64Array(kept);
    for (let i = 0, k = 0; i < n; i++) {
      if (!mask[i]) continue;
      offsets[k] = batch.offsets[i]!;
      cpus[k] = batch.cpus[i]!;
      flags[k] = batch.flags[i]!;
      nums[k] = batch.nums[i]!;
      blockOffsets[k] = batch.blockOffsets[i]!;
      k++;
    }
    return { buf: batch.buf, count: kept, offsets, cpus, flags, nums, blockOffsets };
  }

  /**
   * One byte per event of `batch`: 1 if sinsp returns it, 0 if not. The array
   * is reused by the next call. Advances the selection's state like `select`,
   * so call one of the two per batch.
   */
  decide(batch: EventBatch): Uint8Array {
    const n = batch.count;
    this.consumed = 0;
    if (this.mask.length < n) this.mask = new Uint8Array(Math.max(n, this.mask.length * 2));
    const mask = this.mask;
    const buf = batch.buf;
    const limit = this.converter?.returnedBeforeFirstFilter ?? Infinity;
    for (let i = 0; i < n; i++) {
      const type = u16(buf, batch.offsets[i]! + 20);
      if (this.initialPhase) {
        if (INITIAL_STATE[type] && batch.nums[i]! <= limit) {
          mask[i] = 0;
          this.consumed = i + 1;
          continue;
        }
        this.initialPhase = false;
      }
      const filtered = ALWAYS_FILTERED[type] === 1 || (batch.flags[i]! & DUMP_FLAG_STATE_ONLY) !== 0;
      mask[i] = filtered && !(this.internalEvents && INTERNAL[type] === 1) ? 0 : 1;
    }
    return mask;
  }

  /**
   * How many events at the start of the last batch `decide` saw sinsp
   * consumed while opening the capture (rule 1). The batch's other events
   * it does not return, sinsp's `next` reports as SCAP_FILTERED_EVENT, which
   * sysdig still shows its chisels' interval callbacks.
   */
  get consumedAtStart(): number { return this.consumed; }
}
