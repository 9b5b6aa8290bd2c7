// The scap event table: for every event type id, its name, category, flags and
// parameter layout. Everything in scapkit that needs to know what an event
// looks like (reader, renderers, converters, writers) reads it from here.
//
// Origin: falcosecurity/libs at commit 48dfd53, driver/event_table.c (layouts),
// driver/ppm_events_public.h (ids, types, formats) and
// driver/dynamic_params_table.c (DYN layouts). The facts were extracted by a
// script kept outside this repository; the representation is our own.
//
// Rules for changing the table (they are the rules of the format itself):
// - An id is written into every event header of every capture: ids never
//   change and are never reused. Enter events have even ids, exit events odd.
// - The only change allowed to an existing event is appending parameters at
//   the end (older captures then simply carry fewer parameters).
// - Changing or removing a parameter means a new event version with new ids
//   appended at PPM_EVENT_MAX (execve went through SYSCALL_EXECVE_8 ... _19 this
//   way); the old versions stay, marked OLD_VERSION, so old captures still read.
// - All versions of one event carry the same name (libs itself breaks this
//   once: the older accept4 versions are named `accept`).
// - Placeholders pairing an event with no counterpart are named `NA`, with
//   category UNKNOWN and flag UNUSED.
//
// The data is split by id range over events-a.ts, events-b.ts and
// events-c.ts; this module puts them together and checks that every id from
// 0 to PPM_EVENT_MAX - 1 is present exactly once.

import { EVENTS_A } from './events-a.js';
import { EVENTS_B } from './events-b.js';
import { EVENTS_C } from './events-c.js';
import { PPM_EVENT_MAX } from './event-types.js';
import { EventFlag, type EventInfo } from './types.js';

export { EventType, PPM_EVENT_MAX, type EventCode } from './event-types.js';

function assemble(parts: readonly (readonly EventInfo[])[]): readonly EventInfo[] {
  const table: (EventInfo | undefined)[] = new Array<EventInfo | undefined>(PPM_EVENT_MAX);
  for (const part of parts) {
    for (const e of part) {
      if (table[e.id] !== undefined) throw new Error(`schema: event id ${e.id} defined twice`);
      table[e.id] = e;
    }
  }
  for (let id = 0; id < PPM_EVENT_MAX; id++) {
    if (table[id] === undefined) throw new Error(`schema: event id ${id} missing`);
  }
  return Object.freeze(table as EventInfo[]);
}

/** All event types, indexed by id (`EVENTS[EventType.SYSCALL_OPEN_X]`). */
export const EVENTS: readonly EventInfo[] = assemble([EVENTS_A, EVENTS_B, EVENTS_C]);

/** The typed arrays a table by event type can be. */
type TypeTableArray = Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array;

/**
 * A table by event type id over the whole u16 type space (65536 entries,
 * so any id read from a file indexes it): `value` of each known type,
 * `fill` for the others. It walks the known types only; mapping all 65536
 * ids through a function cost some 6 ms of start-up per table.
 */
export function eventTypeTable<A extends TypeTableArray>(make: new (length: number) => A, value: (e: EventInfo) => number, fill = 0): A {
  const table = new make(65536);
  if (fill !== 0) table.fill(fill);
  for (const e of EVENTS) table[e.id] = value(e);
  return table;
}

/** The EF_* flags of each type (`EVENT_FLAGS[type] & EventFlag.USES_FD`), 0 for unknown ids. */
export const EVENT_FLAGS = eventTypeTable(Uint32Array, (e) => e.flags);

/** 1 for the types whose parameter lengths are u32 rather than u16 (EF_LARGE_PAYLOAD). */
export const LARGE_PAYLOAD_TYPES = eventTypeTable(Uint8Array, (e) => ((e.flags & EventFlag.LARGE_PAYLOAD) !== 0 ? 1 : 0));
