// Parsers of the events that create, copy and close descriptors other than
// sockets (falcosecurity/libs 48dfd53, userspace/libsinsp/parsers.cpp:
// parse_open_openat_creat_exit and parse_dirfd, parse_close_exit,
// parse_close_range_exit, parse_dup_exit, parse_fcntl_exit,
// parse_pipe_exit, parse_eventfd_eventfd2_exit, parse_single_param_fd_exit,
// parse_memfd_create_exit, parse_pidfd_open_exit, parse_pidfd_getfd_exit).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import { NA, intParamText, paramEmpty, paramInt, paramString, paramU64, paramUint, pidx, retval } from './event-params.js';
import {
  EPOLL_CLOEXEC, FD_LOWER_LAYER, FD_UPPER_LAYER, FdEntry, FdFlag, O_CLOEXEC, O_DIRECTORY, O_F_CREATED,
} from './fd-table.js';
import { AT_FDCWD, asDirectory, concatenatePaths } from './paths.js';
import type { ReplayContext } from './replay-context.js';
import { ThreadFlag, type ThreadEntry } from './thread-table.js';

/** The fcntl commands and the close_range flag we act on (driver/ppm_events_public.h). */
const F_DUPFD = 1, F_SETFD = 3, F_DUPFD_CLOEXEC = 26;
const FD_CLOEXEC = 1;
const CLOSE_RANGE_CLOEXEC = 1 << 2;
/** `PPM_FD_UPPER_LAYER_CREAT` / `PPM_FD_LOWER_LAYER_CREAT`: creat's own 16-bit copy of the layer bits. */
const UPPER_LAYER_CREAT = 1 << 0, LOWER_LAYER_CREAT = 1 << 1;

const OPEN = {
  name: pidx('SYSCALL_OPEN_X', 'name'), flags: pidx('SYSCALL_OPEN_X', 'flags'),
  dev: pidx('SYSCALL_OPEN_X', 'dev'), ino: pidx('SYSCALL_OPEN_X', 'ino'),
};
const CREAT = {
  name: pidx('SYSCALL_CREAT_X', 'name'), dev: pidx('SYSCALL_CREAT_X', 'dev'), ino: pidx('SYSCALL_CREAT_X', 'ino'),
  creatFlags: pidx('SYSCALL_CREAT_X', 'creat_flags'),
};
const OPENAT = {
  dirfd: pidx('SYSCALL_OPENAT_2_X', 'dirfd'), name: pidx('SYSCALL_OPENAT_2_X', 'name'),
  flags: pidx('SYSCALL_OPENAT_2_X', 'flags'),
};
const OPENAT_DEV = new Map<number, readonly [number, number]>([
  [EventType.SYSCALL_OPENAT_2_X, [pidx('SYSCALL_OPENAT_2_X', 'dev'), pidx('SYSCALL_OPENAT_2_X', 'ino')]],
  [EventType.SYSCALL_OPENAT2_X, [pidx('SYSCALL_OPENAT2_X', 'dev'), pidx('SYSCALL_OPENAT2_X', 'ino')]],
]);
const BY_HANDLE = {
  flags: pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'flags'), path: pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'path'),
  dev: pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'dev'), ino: pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'ino'),
};

/**
 * parse_dirfd: the directory a path is relative to. `.` for absolute paths,
 * the cwd for AT_FDCWD, the dirfd's name with a trailing '/', or
 * `<UNKNOWN>` when the thread or the dirfd is unknown.
 */
export function dirForPath(t: ThreadEntry | undefined, name: string, dirfd: number): string {
  if (name.startsWith('/')) return '.';
  if (t === undefined) return '<UNKNOWN>';
  if (dirfd === AT_FDCWD) return t.cwd;
  const f = t.fdTable()?.find(dirfd);
  return f === undefined ? '<UNKNOWN>' : asDirectory(f.name);
}

/** Flags that only the exit probe knows (created, overlay layers) survive an enter event's flags. */
const EXIT_ONLY_FLAGS = ~(O_F_CREATED - 1);

/** open/creat/openat/openat2/open_by_handle_at exit: a file or directory fd named by its full path. */
export function parseOpen(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const type = ev.type;
  const enter = type === EventType.SYSCALL_OPEN_BY_HANDLE_AT_X ? null : t.retrieveEnter(type);
  const fd = retval(ev);
  let name: string;
  let flags: number;
  let dir: string;
  let dev = 0;
  let ino = 0n;
  if (type === EventType.SYSCALL_OPEN_X) {
    name = paramString(ev, OPEN.name);
    flags = paramUint(ev, OPEN.flags);
    if (!paramEmpty(ev, OPEN.dev)) {
      dev = paramUint(ev, OPEN.dev);
      if (!paramEmpty(ev, OPEN.ino)) ino = paramU64(ev, OPEN.ino);
    }
    if (enter !== null && enter.path !== NA) {
      // The enter event's path is what the process asked for (TOCTOU-safe).
      name = enter.path;
      flags = enter.flags | (flags & EXIT_ONLY_FLAGS);
    }
    dir = t.cwd;
  } else if (type === EventType.SYSCALL_CREAT_X) {
    name = paramString(ev, CREAT.name);
    flags = 0;
    if (!paramEmpty(ev, CREAT.dev)) {
      dev = paramUint(ev, CREAT.dev);
      if (!paramEmpty(ev, CREAT.ino)) {
        ino = paramU64(ev, CREAT.ino);
        if (!paramEmpty(ev, CREAT.creatFlags)) {
          const cf = paramUint(ev, CREAT.creatFlags);
          if (cf & UPPER_LAYER_CREAT) flags |= FD_UPPER_LAYER;
          else if (cf & LOWER_LAYER_CREAT) flags |= FD_LOWER_LAYER;
        }
      }
    }
    if (enter !== null && enter.path !== NA) name = enter.path;
    dir = t.cwd;
  } else if (type === EventType.SYSCALL_OPENAT_2_X || type === EventType.SYSCALL_OPENAT2_X) {
    dir = '';
    name = paramEmpty(ev, OPENAT.name) ? NA : paramString(ev, OPENAT.name);
    flags = paramEmpty(ev, OPENAT.flags) ? 0 : paramUint(ev, OPENAT.flags);
    const [devK, inoK] = OPENAT_DEV.get(type)!;
    if (!paramEmpty(ev, inoK)) {
      dev = paramUint(ev, devK);
      ino = paramU64(ev, inoK);
    }
    let dirfdEmpty = paramEmpty(ev, OPENAT.dirfd);
    let dirfd = paramInt(ev, OPENAT.dirfd);
    if (enter !== null && enter.path !== NA) {
      name = enter.path;
      flags = enter.flags | (flags & EXIT_ONLY_FLAGS);
      dirfd = enter.dirfd;
      dirfdEmpty = enter.dirfdEmpty;
    }
    if (!dirfdEmpty) dir = dirForPath(t, name, dirfd);
  } else {
    flags = paramUint(ev, BY_HANDLE.flags);
    name = paramString(ev, BY_HANDLE.path);
    if (ev.nparams > BY_HANDLE.dev) {
      dev = paramUint(ev, BY_HANDLE.dev);
      if (ev.nparams > BY_HANDLE.ino) ino = paramU64(ev, BY_HANDLE.ino);
    }
    // The driver already resolves the full path.
    dir = '';
  }
  if (fd < 0) return;
  const e = new FdEntry();
  e.type = flags & O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE_V2;
  e.openFlags = flags;
  e.dev = dev;
  e.ino = ino;
  e.nameRaw = name;
  e.name = concatenatePaths(dir, name);
  if (flags & FD_UPPER_LAYER) e.flags |= FdFlag.OVERLAY_UPPER;
  if (flags & FD_LOWER_LAYER) e.flags |= FdFlag.OVERLAY_LOWER;
  ctx.evFd = t.addFd(fd, e);
}

/** close: the fd leaves the table before the next event, so the close itself still shows it. */
export function parseClose(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) < 0) return;
  const t = ctx.evThread;
  if (ctx.evFd === undefined || t === undefined) return;
  ctx.removeFdLater(t.tid, t.lastEventFd);
}

/** close_range: closes (at once) or marks close-on-exec every fd in [first, last]. */
export function parseCloseRange(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined || retval(ev) < 0) return;
  const table = t.fdTable();
  if (table === undefined) return;
  const first = paramUint(ev, pidx('SYSCALL_CLOSE_RANGE_X', 'first'));
  const last = paramUint(ev, pidx('SYSCALL_CLOSE_RANGE_X', 'last'));
  const inRange = (fd: number): boolean => fd >= 0 && fd >= first && fd <= last;
  if (paramUint(ev, pidx('SYSCALL_CLOSE_RANGE_X', 'flags')) & CLOSE_RANGE_CLOEXEC) {
    for (const [fd, e] of table.entries()) if (inRange(fd)) e.openFlags |= O_CLOEXEC;
  } else {
    table.retain((fd) => !inRange(fd));
  }
}

/** dup/dup2/dup3: the new fd is a copy of the old one (replacing whatever had its number). */
export function parseDup(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const res = retval(ev);
  const from = ctx.evFd;
  if (res < 0 || from === undefined) return;
  // sinsp's shell-pipe heuristic: a dup onto stdin or stdout.
  if (res === 0) t.flags |= ThreadFlag.PIPE_DST;
  if (res === 1) t.flags |= ThreadFlag.PIPE_SRC;
  const e = from.clone();
  e.clearCloseOnExec();
  if (ev.type === EventType.SYSCALL_DUP3_X && paramUint(ev, pidx('SYSCALL_DUP3_X', 'flags')) & O_CLOEXEC) {
    e.openFlags |= O_CLOEXEC;
  }
  ctx.evFd = t.addFd(res, e);
}

/** fcntl: F_SETFD toggles close-on-exec; F_DUPFD(_CLOEXEC) copies the fd. */
export function parseFcntl(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const cmd = paramUint(ev, pidx('SYSCALL_FCNTL_X', 'cmd'));
  if (cmd !== F_DUPFD && cmd !== F_DUPFD_CLOEXEC && cmd !== F_SETFD) return;
  const res = retval(ev);
  const from = ctx.evFd;
  if (res < 0 || from === undefined) return;
  if (cmd === F_SETFD) {
    from.clearCloseOnExec();
    if (paramUint(ev, pidx('SYSCALL_FCNTL_X', 'arg')) & FD_CLOEXEC) from.openFlags |= O_CLOEXEC;
    return;
  }
  const e = from.clone();
  e.clearCloseOnExec();
  if (cmd === F_DUPFD_CLOEXEC) e.openFlags |= O_CLOEXEC;
  ctx.evFd = t.addFd(res, e);
}

/** pipe/pipe2: two nameless FIFO fds sharing an inode. */
export function parsePipe(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (retval(ev) < 0 || t === undefined) return;
  const ino = paramU64(ev, pidx('SYSCALL_PIPE_X', 'ino'));
  const flags = ev.type === EventType.SYSCALL_PIPE2_X ? paramUint(ev, pidx('SYSCALL_PIPE2_X', 'flags')) : 0;
  for (const k of [pidx('SYSCALL_PIPE_X', 'fd1'), pidx('SYSCALL_PIPE_X', 'fd2')]) {
    const e = new FdEntry();
    e.type = FdType.FIFO;
    e.ino = ino;
    e.openFlags = flags;
    ctx.evFd = t.addFd(paramInt(ev, k), e);
  }
}

/**
 * Events that create one nameless fd of a fixed kind (eventfd, signalfd,
 * timerfd, inotify, bpf, userfaultfd, io_uring, epoll), with the flags some
 * of them carry.
 */
export function parseSingleFd(ctx: ReplayContext, ev: EventCursor, fdType: number): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const fd = retval(ev);
  if (fd < 0) return;
  const e = new FdEntry();
  e.type = fdType;
  switch (ev.type) {
    case EventType.SYSCALL_EVENTFD2_X:
      e.openFlags = paramUint(ev, pidx('SYSCALL_EVENTFD2_X', 'flags'));
      break;
    case EventType.SYSCALL_INOTIFY_INIT1_X:
      e.openFlags = paramUint(ev, pidx('SYSCALL_INOTIFY_INIT1_X', 'flags'));
      break;
    case EventType.SYSCALL_SIGNALFD4_X:
      e.openFlags = paramUint(ev, pidx('SYSCALL_SIGNALFD4_X', 'flags'));
      break;
    case EventType.SYSCALL_TIMERFD_CREATE_X:
      e.openFlags = paramUint(ev, pidx('SYSCALL_TIMERFD_CREATE_X', 'flags'));
      break;
    case EventType.SYSCALL_EPOLL_CREATE1_X:
      if (paramUint(ev, pidx('SYSCALL_EPOLL_CREATE1_X', 'flags')) & EPOLL_CLOEXEC) e.openFlags |= O_CLOEXEC;
      break;
    default:
      break;
  }
  ctx.evFd = t.addFd(fd, e);
}

/** memfd_create: an fd named after the memfd (sinsp stores the result even when it failed). */
export function parseMemfd(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const fd = retval(ev);
  const e = new FdEntry();
  if (fd >= 0) {
    e.type = FdType.MEMFD;
    e.name = paramString(ev, pidx('SYSCALL_MEMFD_CREATE_X', 'name'));
    e.openFlags = paramUint(ev, pidx('SYSCALL_MEMFD_CREATE_X', 'flags'));
  }
  ctx.evFd = t.addFd(fd, e);
}

/** pidfd_open: an fd naming `/proc/<pid>` (sinsp's approximation, host root empty offline). */
export function parsePidfdOpen(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const fd = retval(ev);
  if (fd < 0) return;
  const pidAt = pidx('SYSCALL_PIDFD_OPEN_X', 'pid');
  const pid = paramInt(ev, pidAt);
  const e = new FdEntry();
  e.type = FdType.PIDFD;
  e.name = `/proc/${intParamText(ev, pidAt, pid)}`;
  e.openFlags = paramUint(ev, pidx('SYSCALL_PIDFD_OPEN_X', 'flags'));
  e.pid = pid;
  ctx.evFd = t.addFd(fd, e);
}

/** pidfd_getfd: a close-on-exec copy of another process's fd, reached through a pidfd. */
export function parsePidfdGetfd(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const pidfd = t.fdTable()?.find(paramInt(ev, pidx('SYSCALL_PIDFD_GETFD_X', 'pid_fd')));
  if (pidfd === undefined || pidfd.type !== FdType.PIDFD) return;
  const owner = ctx.threads.find(pidfd.pid);
  const target = owner?.fdTable()?.find(paramInt(ev, pidx('SYSCALL_PIDFD_GETFD_X', 'target_fd')));
  if (target === undefined) return;
  // sinsp's lookup (threadinfo.h get_fd) makes a found fd's name its old
  // name; the copy takes both, so the new fd's name has not changed.
  target.oldName = target.name;
  const e = target.clone();
  e.clearCloseOnExec();
  e.openFlags |= O_CLOEXEC;
  ctx.evFd = t.addFd(retval(ev), e);
}
