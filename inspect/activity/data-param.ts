// The `data` parameter of an I/O event as sysdig's chisels get it through
// evt.field: the field's value itself, never cut to the room sinsp's -p
// formatter renders a field into.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS } from '../../scapfile/schema/events.js';
import { paramBytes } from '../../scapfile/params/decode.js';
import { argsFormatter } from '../fields/args-formatter.js';
import type { FieldContext } from '../fields/field.js';

/** Each event type's `data` parameter (-1: none), as evt.rawarg.data and evt.buffer find it. */
const DATA_PARAM = Int16Array.from(EVENTS, (e) => e.params.findIndex((p) => p.name === 'data'));

/** The parameter's position in this event, or -1 when it has none. */
function dataParam(ev: EventCursor): number {
  const k = DATA_PARAM[ev.type] ?? -1;
  return k < ev.nparams ? k : -1;
}

/** evt.rawarg.data: the bytes, one char per byte; undefined without the parameter. */
export function rawData(ev: EventCursor): string | undefined {
  const k = dataParam(ev);
  return k < 0 ? undefined : paramBytes(ev, k).toString('latin1');
}

/**
 * evt.buffer as a chisel gets it: the data rendered in the context's
 * buffer format, whole, as evt.args renders it (NULL when empty).
 * libsinsp hands an empty buffer's NULL with the length of the previous
 * event's text, so sysdig's chisels see NULL, a NUL and stale bytes after
 * it; this is NULL alone.
 */
export function renderedData(ev: EventCursor, ctx: FieldContext): string | undefined {
  const k = dataParam(ev);
  return k < 0 ? undefined : argsFormatter(ctx).param(ev, k)?.raw;
}
