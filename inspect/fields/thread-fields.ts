import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS } from '../../scapfile/schema/events.js';
import { ParamType } from '../../scapfile/schema/types.js';
import { field, xid } from './field.js';
import type { FieldDef } from './field.js';

/**
 * An fd number past 2^53 (only a damaged or made-up capture has one: the
 * state keeps fds as numbers) printed with every digit, as sinsp prints
 * its int64: the event's 8-byte fd or result parameter it was read from.
 */
export function exactFdText(ev: EventCursor, n: number): string {
  const params = EVENTS[ev.type]?.params ?? [];
  for (let k = 0; k < ev.nparams && k < params.length; k++) {
    const type = params[k]!.type;
    if ((type !== ParamType.FD && type !== ParamType.ERRNO) || ev.paramLen(k) !== 8) continue;
    const v = ev.bytes.readBigInt64LE(ev.paramStart(k));
    if (Number(v) === n) return v.toString();
  }
  return String(n);
}

/** Thread and process fields read from the replayed state. */
export const THREAD_FIELDS: readonly FieldDef[] = [
  field('thread.tid', 'thread id', (ev) => xid(ev.tid), 'number'),
  field('proc.pid', 'process id (thread group id)', (ev, ctx) => {
    const t = ctx.state.thread(ev.tid);
    return t ? xid(t.pid) : undefined;
  }, 'number'),
  field('proc.ppid', 'parent process id', (ev, ctx) => {
    const ppid = ctx.state.parentPid(ev.tid);
    return ppid === undefined ? undefined : String(ppid);
  }, 'number'),
  field('proc.name', 'process name (comm)', (ev, ctx) => ctx.state.thread(ev.tid)?.comm),
  field('proc.exepath', 'full executable path', (ev, ctx) => ctx.state.thread(ev.tid)?.exepath),
];

/** The fd the event is about, by sinsp's rules (`fd.*`). */
export const FD_FIELDS: readonly FieldDef[] = [
  field('fd.num', 'number of the fd the event is about', (ev, ctx) => {
    const n = ctx.state.eventFd(ev).num;
    return n === undefined ? undefined : Number.isSafeInteger(n) ? String(n) : exactFdText(ev, n);
  }, 'number'),
  field('fd.type', 'type of that fd: file, ipv4, ipv6, unix, pipe, event, …', (ev, ctx) => ctx.state.eventFd(ev).type),
  field('fd.name', 'name of that fd: a path, a socket tuple, …', (ev, ctx) => ctx.state.eventFd(ev).name),
];
