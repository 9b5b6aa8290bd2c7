// The syscall return value as libsinsp reads it (falcosecurity/libs 48dfd53:
// userspace/libsinsp/event.h has_return_value, get_syscall_return_value).

import { i32, u32 } from '../../scapfile/bytes.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { intParamText } from '../state/event-params.js';
import { EVENTS, EventType } from '../../scapfile/schema/events.js';
import { EventCategory } from '../../scapfile/schema/types.js';

/** A syscall exit event (odd id) with parameters, other than GENERIC_X. */
export function hasReturnValue(ev: EventCursor): boolean {
  const type = ev.type;
  const info = EVENTS[type];
  return info !== undefined && type !== EventType.GENERIC_X && (info.category & EventCategory.SYSCALL) !== 0 &&
    (type & 1) === 1 && ev.nparams > 0;
}

/** The first parameter as i32 or i64 by its size, else 0 (call after `hasReturnValue`). */
export function returnValue(ev: EventCursor): number {
  const len = ev.paramLen(0);
  const at = ev.paramStart(0);
  const buf = ev.bytes;
  if (at + len > buf.length) return 0;
  if (len === 4) return i32(buf, at);
  if (len === 8) return i32(buf, at + 4) * 4294967296 + u32(buf, at);
  return 0;
}

/** `returnValue` as decimal text, every digit kept past 2^53 (sinsp prints every digit of evt.rawres). */
export function returnValueText(ev: EventCursor): string {
  return intParamText(ev, 0, returnValue(ev));
}

/** The return value cut to a C int, as sinsp reads an fd from it (`int fd = get_syscall_return_value()`). */
export function returnValueInt32(ev: EventCursor): number {
  const at = ev.paramStart(0);
  const len = ev.paramLen(0);
  return (len === 4 || len === 8) && at + 4 <= ev.bytes.length ? i32(ev.bytes, at) : 0;
}
