import { u16 } from '../../scapfile/bytes.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EventType } from '../../scapfile/schema/index.js';
import { NATIVE_TO_PPM_SC_X86_64, PPM_SC_UNKNOWN, ppmScName } from '../../scapfile/schema/syscalls.js';

const NAMES = EVENTS.map((e) => e.name);

/**
 * `evt.type` as libsinsp prints it: the schema name, except for generic
 * syscall exits, which print the syscall's name — from the stored ppm_sc
 * code, or, when that is unknown, from the native syscall number
 * (TYPE_TYPE in libsinsp/sinsp_filtercheck_event.cpp), and async events,
 * which carry their own name in parameter 1.
 */
export function eventTypeName(ev: EventCursor): string {
  const type = ev.type;
  if (type === EventType.GENERIC_X) {
    const buf = ev.bytes;
    let sc = ev.paramLen(0) >= 2 ? u16(buf, ev.paramStart(0)) : PPM_SC_UNKNOWN;
    if (sc === PPM_SC_UNKNOWN && ev.paramLen(1) >= 2) {
      sc = NATIVE_TO_PPM_SC_X86_64[u16(buf, ev.paramStart(1))] ?? PPM_SC_UNKNOWN;
    }
    return ppmScName(sc) ?? '';
  }
  if (type === EventType.ASYNCEVENT_E && ev.paramLen(1) > 0) {
    const start = ev.paramStart(1);
    let end = start + ev.paramLen(1);
    if (ev.bytes[end - 1] === 0) end--;
    return ev.bytes.toString('latin1', start, end);
  }
  return NAMES[type] ?? '';
}
