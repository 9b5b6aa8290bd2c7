// `evt.category` as libsinsp computes it (falcosecurity/libs 48dfd53:
// sinsp_filtercheck_event.cpp TYPE_CATEGORY, event.cpp get_category, and
// event.h's get_category, which keeps the syscall-category bits below
// EC_SYSCALL, WAIT, SCHEDULER and INTERNAL included): a name per category,
// except for I/O events, named after the kind of fd they use (file, net,
// ipc, or unknown when the fd is not known).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { eventTypeTable } from '../../scapfile/schema/index.js';
import { FdType } from '../../scapfile/state-blocks/types.js';
import { EventCategory } from '../../scapfile/schema/types.js';
import type { FieldContext, FieldDef } from './field.js';

const C = EventCategory;

/** Names of the categories whose name does not depend on the fd. libsinsp spells EC_IPC upper case. */
const CATEGORY_NAME = new Map<number, string>([
  [C.UNKNOWN, 'unknown'], [C.OTHER, 'other'], [C.FILE, 'file'], [C.NET, 'net'], [C.IPC, 'IPC'],
  [C.MEMORY, 'memory'], [C.PROCESS, 'process'], [C.SLEEP, 'sleep'], [C.SYSTEM, 'system'], [C.SIGNAL, 'signal'],
  [C.USER, 'user'], [C.TIME, 'time'], [C.PROCESSING, 'processing'], [C.WAIT, 'wait'], [C.SCHEDULER, 'scheduler'],
  [C.INTERNAL, 'internal'],
]);

/** The event table's category without its source bits (syscall, tracepoint, plugin, meta), by type. */
const BASE_CATEGORY = eventTypeTable(Int32Array, (e) => e.category & (C.SYSCALL - 1));

const IO_CATEGORIES = new Set<number>([C.IO_READ, C.IO_WRITE, C.IO_OTHER]);

/** The fd types of each I/O subcategory (event.cpp get_category); any other known type is "other", printed unknown. */
const FD_SUBCATEGORY = new Map<number, string>([
  [FdType.FILE, 'file'], [FdType.FILE_V2, 'file'], [FdType.DIRECTORY, 'file'],
  [FdType.IPV4_SOCK, 'net'], [FdType.IPV6_SOCK, 'net'], [FdType.IPV4_SERVSOCK, 'net'], [FdType.IPV6_SERVSOCK, 'net'],
  [FdType.FIFO, 'ipc'], [FdType.UNIX_SOCK, 'ipc'], [FdType.EVENT, 'ipc'], [FdType.SIGNALFD, 'ipc'],
  [FdType.INOTIFY, 'ipc'], [FdType.USERFAULTFD, 'ipc'],
]);

/** `evt.category` of the event under the cursor, with the state after it. */
export function eventCategory(ev: EventCursor, ctx: FieldContext): string {
  const c = BASE_CATEGORY[ev.type]!;
  if (IO_CATEGORIES.has(c)) {
    const fd = ctx.state.eventFdDetail?.(ev);
    return fd === undefined ? 'unknown' : FD_SUBCATEGORY.get(fd.type) ?? 'unknown';
  }
  return CATEGORY_NAME.get(c) ?? 'unknown';
}

export const CATEGORY_FIELDS: readonly FieldDef[] = [{
  name: 'evt.category',
  description: "the event's category: file, net, IPC, memory, process, wait, scheduler…; for I/O events the kind of fd (file, net, ipc)",
  compile: () => eventCategory,
}];
