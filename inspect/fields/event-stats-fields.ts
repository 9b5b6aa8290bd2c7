// evt.* fields about timing between events, I/O direction, open modes,
// absolute paths of *at syscalls, and the evt.count* counters chisels sum
// (falcosecurity/libs 48dfd53: userspace/libsinsp/sinsp_filtercheck_event.cpp
// extract_single, extract_error_count, extract_abspath; fdinfo.h is_syslog).

import { field, bool } from './field.js';
import type { FieldExtractor } from './field.js';
import { jsonNs } from './event-fields.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { EVENT_FLAGS, eventTypeTable } from '../../scapfile/schema/index.js';
import { EventCategory, EventFlag } from '../../scapfile/schema/types.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import { hasReturnValue, returnValue, returnValueInt32 } from '../format/return-value.js';
import { paramEmpty, paramInt, paramString, paramUint, pidx } from '../state/event-params.js';
import { AT_FDCWD, concatenatePaths } from '../state/paths.js';
import type { FdDetail } from '../state/lookup.js';
import { formatTime, sinceFirstEvent } from './event-time.js';
import type { FieldContext, FieldDef } from './field.js';

const ONE_SECOND = 1_000_000_000n;

/** 1 for the types whose base category is memory (evt.category). */
const IS_MEMORY = eventTypeTable(Uint8Array, (e) =>
  ((e.category & (EventCategory.SYSCALL - 1)) === EventCategory.MEMORY ? 1 : 0));

/**
 * evt.deltatime and its .s/.ns parts: time since the previous event this
 * field was evaluated on (0 for the first); each field instance keeps its
 * own previous timestamp, as each sinsp filtercheck does.
 */
function deltaField(name: string, description: string, part: 'all' | 's' | 'ns'): FieldDef {
  /** The text pads the nanoseconds to 9 digits (PF_10_PADDED_DEC); -j writes the number (extract_as_js). */
  const compile = (padded: boolean) => (): FieldExtractor => {
    let prev = 0n;
    return (ev) => {
      const ts = ev.tsNs;
      let d = 0n;
      if (prev !== 0n) d = BigInt.asUintN(64, ts - prev);
      prev = ts;
      if (part === 'all') return String(d);
      if (part === 's') return String(d / ONE_SECOND);
      return padded ? String(d % ONE_SECOND).padStart(9, '0') : String(d % ONE_SECOND);
    };
  };
  return { name, description, json: 'number', compile: compile(true), compileJson: compile(false) };
}

/** extract_error_count: 1 for a failed syscall, 0 otherwise; no value without a return value. */
const errorCount = (ev: EventCursor): string | undefined => (hasReturnValue(ev) ? (returnValue(ev) < 0 ? '1' : '0') : undefined);

const isFileFd = (f: FdDetail): boolean => f.type === FdType.FILE || f.type === FdType.FILE_V2 || f.type === FdType.DIRECTORY;
const isNetFd = (f: FdDetail): boolean => f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK ||
  f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK || f.type === FdType.UNIX_SOCK;

const OPEN_TYPES = new Set<number>([EventType.SYSCALL_OPEN_X, EventType.SYSCALL_CREAT_X, EventType.SYSCALL_OPENAT_2_X,
  EventType.SYSCALL_OPENAT2_X, EventType.SYSCALL_OPEN_BY_HANDLE_AT_X]);
const CONNECT_ACCEPT_TYPES = new Set<number>([EventType.SOCKET_ACCEPT_5_X, EventType.SOCKET_ACCEPT4_6_X, EventType.SOCKET_CONNECT_X]);

const parsedFd = (ev: EventCursor, ctx: FieldContext): FdDetail | undefined => ctx.state.parsedEventFd?.(ev);

// PPM open flags and mode bits (driver/ppm_events_public.h).
const O_CREAT = 1 << 2, O_TMPFILE = 1 << 13, O_F_CREATED = 1 << 14;
const S_IXANY = 0o111;

/** Where open-like exits keep their flags and mode (open_by_handle_at has no mode). */
const OPEN_PARAMS = new Map<number, { flags: number; mode: number }>([
  [EventType.SYSCALL_OPEN_X, { flags: pidx('SYSCALL_OPEN_X', 'flags'), mode: pidx('SYSCALL_OPEN_X', 'mode') }],
  [EventType.SYSCALL_OPENAT_2_X, { flags: pidx('SYSCALL_OPENAT_2_X', 'flags'), mode: pidx('SYSCALL_OPENAT_2_X', 'mode') }],
  [EventType.SYSCALL_OPENAT2_X, { flags: pidx('SYSCALL_OPENAT2_X', 'flags'), mode: pidx('SYSCALL_OPENAT2_X', 'mode') }],
  [EventType.SYSCALL_OPEN_BY_HANDLE_AT_X, { flags: pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'flags'), mode: -1 }],
]);
const CREAT_MODE = pidx('SYSCALL_CREAT_X', 'mode');

function isOpenCreate(ev: EventCursor): boolean {
  const at = OPEN_PARAMS.get(ev.type);
  if (at === undefined) return false;
  const flags = paramEmpty(ev, at.flags) ? 0 : paramUint(ev, at.flags);
  if (flags & O_F_CREATED) return true;
  return (flags & O_TMPFILE) !== 0 && hasReturnValue(ev) && returnValue(ev) >= 0;
}

function isOpenExec(ev: EventCursor): boolean {
  if (ev.type === EventType.SYSCALL_CREAT_X) return (paramUint(ev, CREAT_MODE) & S_IXANY) !== 0;
  const at = OPEN_PARAMS.get(ev.type);
  if (at === undefined || at.mode < 0) return false;
  const flags = paramEmpty(ev, at.flags) ? 0 : paramUint(ev, at.flags);
  if (!(flags & (O_TMPFILE | O_CREAT)) || paramEmpty(ev, at.mode)) return false;
  return (paramUint(ev, at.mode) & S_IXANY) !== 0;
}

/** The (dirfd, path) parameters evt.abspath resolves, by event type and which path (0/1 source, 2 destination). */
interface PathParams { dirfd: number; path: number }
function pathParams(which: number): Map<number, PathParams> {
  const m = new Map<number, PathParams>();
  const add = (code: Parameters<typeof pidx>[0], dirfd: string, path: string): void => {
    m.set(EventType[code], { dirfd: pidx(code, dirfd), path: pidx(code, path) });
  };
  if (which <= 1) {
    add('SYSCALL_RENAMEAT_X', 'olddirfd', 'oldpath');
    add('SYSCALL_RENAMEAT2_X', 'olddirfd', 'oldpath');
    add('SYSCALL_LINKAT_2_X', 'olddir', 'oldpath');
  } else {
    add('SYSCALL_RENAMEAT_X', 'newdirfd', 'newpath');
    add('SYSCALL_RENAMEAT2_X', 'newdirfd', 'newpath');
    add('SYSCALL_LINKAT_2_X', 'newdir', 'newpath');
  }
  add('SYSCALL_SYMLINKAT_X', 'linkdirfd', 'linkpath');
  add('SYSCALL_OPENAT_2_X', 'dirfd', 'name');
  add('SYSCALL_OPENAT2_X', 'dirfd', 'name');
  add('SYSCALL_UNLINKAT_2_X', 'dirfd', 'name');
  add('SYSCALL_MKDIRAT_X', 'dirfd', 'path');
  add('SYSCALL_FCHMODAT_X', 'dirfd', 'filename');
  add('SYSCALL_FCHOWNAT_X', 'dirfd', 'pathname');
  return m;
}

const BY_HANDLE_PATH = pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'path');

/**
 * evt.abspath (.src, .dst): the path of an *at syscall joined to its
 * directory: '.' for absolute paths, the cwd for AT_FDCWD, else the dirfd's
 * name plus '/' (`<UNKNOWN>/` when the fd is unknown). sinsp also makes the
 * dirfd the event's fd as a side effect; we leave the event's fd alone.
 */
function abspathField(name: string, description: string, which: number): FieldDef {
  return {
    name, description, json: 'string',
    compile: () => {
      const params = pathParams(which);
      return (ev, ctx) => {
        const t = ctx.state.thread(ev.tid);
        if (t === undefined) return undefined;
        if (ev.type === EventType.SYSCALL_OPEN_BY_HANDLE_AT_X) {
          // Only for an opened file; sinsp reads the fd as a C int.
          return hasReturnValue(ev) && returnValueInt32(ev) > 0 ? concatenatePaths('', paramString(ev, BY_HANDLE_PATH)) : undefined;
        }
        const at = params.get(ev.type);
        if (at === undefined || paramEmpty(ev, at.dirfd) || paramEmpty(ev, at.path)) return undefined;
        const path = paramString(ev, at.path);
        const dirfd = paramInt(ev, at.dirfd);
        let dir: string;
        if (path.startsWith('/')) dir = '.';
        else if (dirfd === AT_FDCWD) dir = t.cwd;
        else {
          const f = ctx.state.fd(ev.tid, dirfd);
          dir = f === undefined ? '<UNKNOWN>/' : f.name + '/';
        }
        return concatenatePaths(dir, path);
      };
    },
  };
}

/**
 * evt.outputtime by the context's time mode (sinsp_filtercheck_event.cpp
 * TYPE_RUNTIME_TIME_OUTPUT_FORMAT). `a` prints the nanoseconds without zero
 * padding, as libsinsp does (1.05 s after the epoch is "1.50000000"); `r`
 * and `D` pad them to 9 digits. `D` keeps its previous timestamp per field,
 * as deltatime does.
 */
function outputTime(): FieldExtractor {
  let prev = 0n;
  const secondsDot9 = (d: bigint): string => `${d / ONE_SECOND}.${String(d % ONE_SECOND).padStart(9, '0')}`;
  return (ev, ctx) => {
    switch (ctx.timeMode) {
      case undefined: case 'h': return formatTime(ev.tsHi, ev.tsLo);
      case 'a': return `${ev.tsNs / ONE_SECOND}.${ev.tsNs % ONE_SECOND}`;
      case 'r': return secondsDot9(BigInt.asUintN(64, sinceFirstEvent(ev, ctx)));
      case 'd': return '0.000000000';
      case 'D': {
        const ts = ev.tsNs;
        if (prev === 0n) prev = ts;
        const d = BigInt.asUintN(64, ts - prev);
        prev = ts;
        return secondsDot9(d);
      }
    }
  };
}

/**
 * util.cnt (sinsp_filtercheck_utils.cpp): each use of the field counts the
 * times it was evaluated, from 1. In a format that is the events printed.
 * sinsp-example prints it per formatter, as it does evt.deltatime (one
 * formatter per event category: inspect/README.md), its -j evaluates every
 * field twice (2, 4, 6...), and its filters count evaluations made before
 * the first event too (past 330 at test_ipv6_client's first), so there
 * `util.cnt < 5` matches nothing; ours counts the events the filter is
 * asked about.
 */
const utilCnt: FieldDef = {
  name: 'util.cnt', description: 'a counter: 1 for the first event this use of the field sees, then 2, 3...', json: 'number',
  compile: () => {
    let n = 0;
    return () => String(++n);
  },
};

export const EVENT_STATS_FIELDS: readonly FieldDef[] = [
  utilCnt,
  deltaField('evt.deltatime', 'ns since the previous event', 'all'),
  deltaField('evt.deltatime.s', 'whole seconds of evt.deltatime', 's'),
  deltaField('evt.deltatime.ns', 'nanoseconds part of evt.deltatime, 9 digits', 'ns'),
  {
    name: 'evt.outputtime', json: 'string', compileJson: () => jsonNs,
    description: "event time as the time mode (sysdig's -t) shows it: time of day by default",
    compile: outputTime,
  },
  abspathField('evt.abspath', 'absolute path of the path an *at syscall names (the source for rename/link)', 0),
  abspathField('evt.abspath.src', 'absolute source path of renameat/linkat (the path for other *at syscalls)', 1),
  abspathField('evt.abspath.dst', 'absolute destination path of renameat/linkat (the path for other *at syscalls)', 2),
  field('evt.io_dir', "'read' or 'write' for events that read from or write to an fd", (ev) => {
    const f = EVENT_FLAGS[ev.type]!;
    if (f & EventFlag.WRITES_TO_FD) return 'write';
    return f & EventFlag.READS_FROM_FD ? 'read' : undefined;
  }),
  field('evt.is_open_create', 'true for opens that created the file', (ev) => bool(isOpenCreate(ev)), 'bool'),
  field('evt.is_open_exec', 'true for opens that create an executable file', (ev) => bool(isOpenExec(ev)), 'bool'),
  field('evt.is_wait', 'true for events that make the thread wait (sleep, select, poll, …)', (ev) =>
    bool((EVENT_FLAGS[ev.type]! & EventFlag.WAITS) !== 0), 'bool'),
  field('evt.is_syslog', 'true for writes to syslog (/dev/log)', (ev, ctx) => {
    if (!(EVENT_FLAGS[ev.type]! & EventFlag.WRITES_TO_FD)) return 'false';
    const f = parsedFd(ev, ctx);
    return bool(f !== undefined && f.name.includes('/dev/log'));
  }, 'bool'),
  // Deprecated in libsinsp, which now always returns 0.
  field('evt.wait_latency', 'deprecated: always 0', () => '0', 'number'),
  field('evt.count', 'always 1, for summing events', () => '1', 'number'),
  field('evt.count.error', '1 for syscalls that failed, 0 for others that return a value', errorCount, 'number'),
  field('evt.count.error.file', 'evt.count.error for file operations', (ev, ctx) => {
    const f = parsedFd(ev, ctx);
    if (f !== undefined) return isFileFd(f) ? errorCount(ev) : undefined;
    return OPEN_TYPES.has(ev.type) ? errorCount(ev) : undefined;
  }, 'number'),
  field('evt.count.error.net', 'evt.count.error for network operations', (ev, ctx) => {
    const f = parsedFd(ev, ctx);
    if (f !== undefined) return isNetFd(f) ? errorCount(ev) : undefined;
    return CONNECT_ACCEPT_TYPES.has(ev.type) ? errorCount(ev) : undefined;
  }, 'number'),
  field('evt.count.error.memory', 'evt.count.error for memory events', (ev) => (IS_MEMORY[ev.type] ? errorCount(ev) : undefined), 'number'),
  field('evt.count.error.other', 'evt.count.error for events neither file, network nor memory', (ev, ctx) => {
    const f = parsedFd(ev, ctx);
    if (f !== undefined) return isFileFd(f) || isNetFd(f) ? undefined : errorCount(ev);
    return OPEN_TYPES.has(ev.type) || CONNECT_ACCEPT_TYPES.has(ev.type) || IS_MEMORY[ev.type] ? undefined : errorCount(ev);
  }, 'number'),
  field('evt.count.exit', '1 for exit events', (ev) => ((ev.type & 1) === 1 ? '1' : undefined), 'number'),
  field('evt.count.procinfo', '1 for procinfo events of a main thread, else 0', (ev, ctx) => {
    if (ev.type !== EventType.PROCINFO_E) return '0';
    return ctx.state.threadDetail?.(ev.tid)?.isMainThread() ? '1' : '0';
  }, 'number'),
  field('evt.count.threadinfo', '1 for procinfo events, else 0', (ev) => (ev.type === EventType.PROCINFO_E ? '1' : '0'), 'number'),
];
