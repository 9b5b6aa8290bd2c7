// Replays a capture's thread and fd state the way libsinsp does, one event
// at a time (falcosecurity/libs 48dfd53: userspace/libsinsp/sinsp.cpp
// sinsp::next for the order of things, parsers.cpp sinsp_parser::reset and
// process_event for what each event does, sinsp.cpp on_new_entry_from_proc
// and thread_manager.cpp for the initial load). Per event:
//   1. removals the previous event deferred (procexit's thread, close's fd);
//   2. `reset`: find the event's thread (making a fake entry for an unknown
//      tid), keep sinsp's per-thread "last event" bookkeeping, find the fd;
//   3. the event's parser, from a table built once from the schema;
//   4. drop the enter event a syscall exit has now consumed.
// The event is then formatted against this state, as sinsp formats after
// parsing. Events no parser handles cost a table lookup and the thread
// lookup sinsp also does; nothing is allocated for them.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EVENT_FLAGS, EventType, PPM_EVENT_MAX, type EventCode } from '../../scapfile/schema/events.js';
import { EventCategory, EventFlag } from '../../scapfile/schema/types.js';
import { FdType, type CaptureState, type FdInfo, type StateBlock, type ThreadInfo } from '../../scapfile/state-blocks/index.js';
import {
  EXIT_FD_LOCATION, NA, enterFdLocation, paramCopy, paramEmpty, paramInt, paramString, paramUint, pidx,
} from './event-params.js';
import {
  dirForPath, parseClose, parseCloseRange, parseDup, parseFcntl, parseMemfd, parseOpen, parsePidfdGetfd,
  parsePidfdOpen, parsePipe, parseSingleFd,
} from './fd-parsers.js';
import { DEFAULT_MAX_FDS, fdFromCapture, fixSocketFromCapture, serverPort, type FdEntry } from './fd-table.js';
import { NetworkInterfaces } from './interfaces.js';
import { LocalAddresses } from './local-addresses.js';
import type { EventFdFields, GroupView, StateLookup, UserView } from './lookup.js';
import {
  parseAccept, parseBind, parseConnect, parseRead, parseSocket, parseSocketpair, parseWrite,
} from './net-parsers.js';
import { concatenatePaths } from './paths.js';
import {
  parseChdir, parseChroot, parseClone, parseExecve, parseFchdir, parseGetcwd, parsePrctl, parsePrlimit,
  parseProcexit, parseRlimit, parseSetId, parseSetsid,
} from './proc-parsers.js';
import type { ReplayContext } from './replay-context.js';
import { parseCapset, parseContextSwitch, parseMemoryExit, parseUnshareSetns } from './resource-parsers.js';
import { L4_UNKNOWN, socktupleText } from './sock-info.js';
import { DEFAULT_MAX_THREADS, ThreadFlag, ThreadTable, threadFromCapture, type ThreadEntry } from './thread-table.js';
import { UserTable } from './users.js';
import { parseUserEvent } from './user-parsers.js';


/**
 * What the replay starts from: a capture's state blocks (`Capture.info` fits).
 * With `stateBlocks`, threads and fds load in their order (see `load`);
 * without, every thread before every fd, the order writers use.
 */
export type InitialState = Pick<CaptureState, 'threads' | 'fds'> &
  Partial<Pick<CaptureState, 'interfaces' | 'users' | 'groups' | 'machine'>> & { readonly stateBlocks?: readonly StateBlock[] };

/** Bounds of the replayed state; the defaults are sinsp's. */
export interface StateReplayOptions {
  /** Threads kept at most (262144); events of further new tids get no thread. */
  readonly maxThreads?: number;
  /** Fds per table at most (4096); further new fds are not tracked. */
  readonly maxFdsPerTable?: number;
  /**
   * Name ports by their services in fd names and socket parameters
   * (/etc/services), as sinsp does with hostname and port resolution on
   * (sysdig -R); off by default, as in sinsp.
   */
  readonly resolvePorts?: boolean;
}

/** `fd.num`, `fd.type` and `fd.name` of an event; undefined prints as `<NA>`. */

// Parser ids of the dispatch table.
const enum P {
  NONE, STORE_ENTER, READ, WRITE, OPEN, MEMFD, CLONE, PIDFD_OPEN, PIDFD_GETFD, EXECVE, PROCEXIT, PIPE, SOCKET,
  BIND, CONNECT, ACCEPT, CLOSE, CLOSE_RANGE, FCNTL, SINGLE_FD, CHDIR, FCHDIR, GETCWD, DUP, RLIMIT, PRLIMIT,
  SOCKETPAIR, SETUID, SETGID, PRCTL, CHROOT, SETSID, CONTEXT_SWITCH, MEMORY, CAPSET, UNSHARE_SETNS, USERS,
}

// How `reset` finds an event's thread.
const enum R { QUERY, LOOKUP, NO_THREAD, SKIP }

const PARSER = new Uint8Array(65536);
/** Per type: the fd type a SINGLE_FD parser creates, or the id parameter of SETUID/SETGID. */
const AUX = new Int16Array(65536);
const RESET = new Uint8Array(65536);
for (let id = 0; id < PPM_EVENT_MAX; id++) {
  if (EVENT_FLAGS[id]! & EventFlag.SKIPPARSERESET) RESET[id] = R.SKIP;
}
const FD_EVENT_FLAGS = EventFlag.CREATES_FD | EventFlag.USES_FD | EventFlag.DESTROYS_FD;
/** Types that are meta events (EC_METAEVENT), which do not start sinsp's relative time (sinsp.cpp next). */
const META = new Uint8Array(65536);
for (let id = 0; id < PPM_EVENT_MAX; id++) META[id] = EVENTS[id]!.category & EventCategory.METAEVENT ? 1 : 0;

/**
 * Whether an event of `type` can be the one sinsp dates the capture from
 * (m_firstevent_ts: the first event that is no meta event), the origin of
 * evt.reltime, `-t r` and offsets such as `--from +5s`.
 */
export function startsCaptureTime(type: number): boolean {
  return META[type] === 0;
}

function on(parser: P, codes: readonly EventCode[], aux = 0): void {
  for (const c of codes) {
    PARSER[EventType[c]] = parser;
    AUX[EventType[c]] = aux;
  }
}
// The routing of sinsp_parser::process_event.
on(P.STORE_ENTER, ['SYSCALL_OPEN_E', 'SYSCALL_CREAT_E', 'SYSCALL_OPENAT_2_E', 'SYSCALL_OPENAT2_E',
  'SYSCALL_EXECVE_19_E', 'SYSCALL_EXECVEAT_E', 'SOCKET_CONNECT_E']);
on(P.READ, ['SYSCALL_READ_X', 'SYSCALL_READV_X', 'SYSCALL_PREAD_X', 'SYSCALL_PREADV_X', 'SOCKET_RECV_X',
  'SOCKET_RECVFROM_X', 'SOCKET_RECVMSG_X', 'SOCKET_RECVMMSG_X']);
on(P.WRITE, ['SYSCALL_WRITE_X', 'SYSCALL_WRITEV_X', 'SYSCALL_PWRITE_X', 'SYSCALL_PWRITEV_X', 'SOCKET_SEND_X',
  'SOCKET_SENDTO_X', 'SOCKET_SENDMSG_X', 'SOCKET_SENDMMSG_X']);
on(P.OPEN, ['SYSCALL_OPEN_X', 'SYSCALL_CREAT_X', 'SYSCALL_OPENAT_2_X', 'SYSCALL_OPENAT2_X',
  'SYSCALL_OPEN_BY_HANDLE_AT_X']);
on(P.MEMFD, ['SYSCALL_MEMFD_CREATE_X']);
on(P.CLONE, ['SYSCALL_CLONE_20_X', 'SYSCALL_FORK_20_X', 'SYSCALL_VFORK_20_X', 'SYSCALL_CLONE3_X']);
on(P.PIDFD_OPEN, ['SYSCALL_PIDFD_OPEN_X']);
on(P.PIDFD_GETFD, ['SYSCALL_PIDFD_GETFD_X']);
on(P.EXECVE, ['SYSCALL_EXECVE_19_X', 'SYSCALL_EXECVEAT_X']);
on(P.PROCEXIT, ['PROCEXIT_1_E']);
on(P.PIPE, ['SYSCALL_PIPE_X', 'SYSCALL_PIPE2_X']);
on(P.SOCKET, ['SOCKET_SOCKET_X']);
on(P.BIND, ['SOCKET_BIND_X']);
on(P.CONNECT, ['SOCKET_CONNECT_X']);
on(P.ACCEPT, ['SOCKET_ACCEPT_5_X', 'SOCKET_ACCEPT4_6_X']);
on(P.CLOSE, ['SYSCALL_CLOSE_X']);
on(P.CLOSE_RANGE, ['SYSCALL_CLOSE_RANGE_X']);
on(P.FCNTL, ['SYSCALL_FCNTL_X']);
on(P.SINGLE_FD, ['SYSCALL_EVENTFD_X', 'SYSCALL_EVENTFD2_X'], FdType.EVENT);
on(P.SINGLE_FD, ['SYSCALL_SIGNALFD_X', 'SYSCALL_SIGNALFD4_X'], FdType.SIGNALFD);
on(P.SINGLE_FD, ['SYSCALL_TIMERFD_CREATE_X'], FdType.TIMERFD);
on(P.SINGLE_FD, ['SYSCALL_INOTIFY_INIT_X', 'SYSCALL_INOTIFY_INIT1_X'], FdType.INOTIFY);
on(P.SINGLE_FD, ['SYSCALL_BPF_2_X'], FdType.BPF);
on(P.SINGLE_FD, ['SYSCALL_USERFAULTFD_X'], FdType.USERFAULTFD);
on(P.SINGLE_FD, ['SYSCALL_IO_URING_SETUP_X'], FdType.IOURING);
on(P.SINGLE_FD, ['SYSCALL_EPOLL_CREATE_X', 'SYSCALL_EPOLL_CREATE1_X'], FdType.EVENTPOLL);
on(P.CHDIR, ['SYSCALL_CHDIR_X']);
on(P.FCHDIR, ['SYSCALL_FCHDIR_X']);
on(P.GETCWD, ['SYSCALL_GETCWD_X']);
on(P.DUP, ['SYSCALL_DUP_1_X', 'SYSCALL_DUP2_X', 'SYSCALL_DUP3_X']);
on(P.RLIMIT, ['SYSCALL_GETRLIMIT_X', 'SYSCALL_SETRLIMIT_X']);
on(P.PRLIMIT, ['SYSCALL_PRLIMIT_X']);
on(P.SOCKETPAIR, ['SOCKET_SOCKETPAIR_X']);
on(P.CONTEXT_SWITCH, ['SCHEDSWITCH_6_E']);
on(P.MEMORY, ['SYSCALL_BRK_4_X', 'SYSCALL_MMAP_X', 'SYSCALL_MMAP2_X', 'SYSCALL_MUNMAP_X']);
on(P.CAPSET, ['SYSCALL_CAPSET_X']);
on(P.UNSHARE_SETNS, ['SYSCALL_UNSHARE_X', 'SYSCALL_SETNS_X']);
on(P.SETUID, ['SYSCALL_SETRESUID_X'], pidx('SYSCALL_SETRESUID_X', 'euid'));
on(P.SETUID, ['SYSCALL_SETREUID_X'], pidx('SYSCALL_SETREUID_X', 'euid'));
on(P.SETUID, ['SYSCALL_SETUID_X'], pidx('SYSCALL_SETUID_X', 'uid'));
on(P.SETGID, ['SYSCALL_SETRESGID_X'], pidx('SYSCALL_SETRESGID_X', 'egid'));
on(P.SETGID, ['SYSCALL_SETREGID_X'], pidx('SYSCALL_SETREGID_X', 'egid'));
on(P.SETGID, ['SYSCALL_SETGID_X'], pidx('SYSCALL_SETGID_X', 'gid'));
on(P.PRCTL, ['SYSCALL_PRCTL_X']);
on(P.CHROOT, ['SYSCALL_CHROOT_X']);
on(P.SETSID, ['SYSCALL_SETSID_X']);
on(P.USERS, ['USER_ADDED_E', 'USER_DELETED_E', 'GROUP_ADDED_E', 'GROUP_DELETED_E']);

/**
 * Types whose parser changes what a file's state blocks say: every parser
 * but those of plain read and write calls (read, readv, pread, preadv,
 * write, writev, pwrite, pwritev: they only mark a socket connected, which
 * no state block carries; send and recv calls may set a datagram tuple and
 * stay) and scheduler switches. The rest (opens, closes, sockets, clones,
 * execs, exits, memory sizes…) are few next to plain I/O: replaying only
 * them keeps the threads and fds a rotated file starts with exact at a
 * fraction of the cost of every event (live rotation, where `dd bs=1`
 * comes as 100 % plain I/O).
 */
const SKIPPED_PARSERS = new Set<P>([P.NONE, P.CONTEXT_SWITCH]);
const PLAIN_IO = new Set<EventCode>(['SYSCALL_READ_X', 'SYSCALL_READV_X', 'SYSCALL_PREAD_X', 'SYSCALL_PREADV_X',
  'SYSCALL_WRITE_X', 'SYSCALL_WRITEV_X', 'SYSCALL_PWRITE_X', 'SYSCALL_PWRITEV_X']);
export const CHANGES_STATE = Uint8Array.from(PARSER, (p) => (SKIPPED_PARSERS.has(p as P) ? 0 : 1));
for (const c of PLAIN_IO) CHANGES_STATE[EventType[c]] = 0;

// Events whose thread sinsp looks up without creating it (can_query_os_for_thread_info):
// the clone family (the child may not exist yet), scheduler switches and procexit.
for (const c of ['SYSCALL_CLONE_20_X', 'SYSCALL_FORK_20_X', 'SYSCALL_VFORK_20_X', 'SYSCALL_CLONE3_X',
  'SCHEDSWITCH_6_E', 'PROCEXIT_1_E'] as const) RESET[EventType[c]] = R.LOOKUP;
// Meta events that belong to no thread (sinsp_parser::reset).
for (const c of ['CONTAINER_JSON_2_E', 'USER_ADDED_E', 'USER_DELETED_E', 'GROUP_ADDED_E', 'GROUP_DELETED_E',
  'PLUGINEVENT_E', 'ASYNCEVENT_E'] as const) RESET[EventType[c]] = R.NO_THREAD;

const EXECVE_19_X = EventType.SYSCALL_EXECVE_19_X;
const EXECVEAT_E = EventType.SYSCALL_EXECVEAT_E;
const SCHEDSWITCH_6_E = EventType.SCHEDSWITCH_6_E;
const PROCINFO_E = EventType.PROCINFO_E;
const OPENAT_X_NAME = pidx('SYSCALL_OPENAT_2_X', 'name');
const OPENAT_X_DIRFD = pidx('SYSCALL_OPENAT_2_X', 'dirfd');
const BY_HANDLE_PATH = pidx('SYSCALL_OPEN_BY_HANDLE_AT_X', 'path');
const OPEN_X_NAME = pidx('SYSCALL_OPEN_X', 'name');
const CREAT_X_NAME = pidx('SYSCALL_CREAT_X', 'name');
const ACCEPT_X_TUPLE = pidx('SOCKET_ACCEPT_5_X', 'tuple');
const ACCEPT4_X_TUPLE = pidx('SOCKET_ACCEPT4_6_X', 'tuple');
const CONNECT_X_TUPLE = pidx('SOCKET_CONNECT_X', 'tuple');
/** The path of the enter events that carry just a path (and open's flags). */
const ENTER_PATH = new Map<number, number>([
  [EventType.SYSCALL_OPEN_E, pidx('SYSCALL_OPEN_E', 'name')],
  [EventType.SYSCALL_CREAT_E, pidx('SYSCALL_CREAT_E', 'name')],
  [EventType.SYSCALL_EXECVE_19_E, pidx('SYSCALL_EXECVE_19_E', 'filename')],
]);

/**
 * The replayed state, consulted by formatters and filters through
 * `StateLookup`. Call `apply` for every event libscap returns, in order —
 * including the enter events sinsp consumes without returning them — and
 * format each event right after its `apply`.
 *
 * ```ts
 * const state = new StateReplay(capture.info);
 * for (const ev of events) {
 *   state.apply(ev);
 *   print(ev.tid, state.thread(ev.tid)?.comm, state.eventFd(ev).name);
 * }
 * ```
 */
export class StateReplay implements StateLookup, ReplayContext {
  // Made by `reload` (from the constructor too), and replaced, not changed,
  // when a joined capture restarts the state.
  threads!: ThreadTable;
  interfaces!: NetworkInterfaces;
  users!: UserTable;
  private localAddresses!: LocalAddresses;
  evThread: ThreadEntry | undefined = undefined;
  evFd: FdEntry | undefined = undefined;
  /** Time of the first event that is not a meta event (`evt.reltime` counts from it). */
  private firstTsNs: bigint | undefined = undefined;
  private pendingTid: number | undefined = undefined;
  private pendingFdTid = -1;
  private readonly pendingFds: number[] = [];
  private readonly fdFields: EventFdFields = { num: undefined, type: undefined, name: undefined };
  /** The capture's hostname (machine info block), '' when it has none. */
  private machineHostname = '';

  readonly portNames: boolean;

  constructor(initial: InitialState, private readonly options: StateReplayOptions = {}) {
    this.portNames = options.resolvePorts ?? false;
    this.reload(initial);
  }

  /**
   * Drops every thread, fd, user and interface and loads `initial` instead,
   * as libsinsp does at a section header after events (captures joined end
   * to end: sinsp::restart_capture, deinit_state then init). What counts
   * events and times (evt.num, evt.reltime) goes on.
   */
  reload(initial: InitialState): void {
    const maxFds = this.options.maxFdsPerTable ?? DEFAULT_MAX_FDS;
    // What the tables refused so far is still reported (none at construction).
    const refused = (this.threads as ThreadTable | undefined)?.refused;
    this.threads = new ThreadTable(this.options.maxThreads ?? DEFAULT_MAX_THREADS, maxFds);
    if (refused !== undefined) Object.assign(this.threads.refused, refused);
    this.interfaces = new NetworkInterfaces(initial.interfaces ?? []);
    this.users = new UserTable(initial.users, initial.groups);
    this.localAddresses = new LocalAddresses(initial.interfaces);
    this.machineHostname = initial.machine?.hostname ?? '';
    this.evThread = undefined;
    this.evFd = undefined;
    this.pendingTid = undefined;
    this.pendingFds.length = 0;
    this.load(initial, maxFds);
  }

  /**
   * The initial load (sinsp.cpp on_new_entry_from_proc during the savefile's
   * table read, then create_thread_dependencies_after_proc_scan and
   * fix_sockets_coming_from_proc): threads and fds in file order, entry by
   * entry as libscap's reader hands them over (scap_read_proclist and
   * scap_read_fdlist call the entry callback per entry): a thread entry
   * replaces an earlier one of its tid, fds and all (add_thread); an fd goes
   * into its thread's own table, and is dropped when no thread of its tid
   * was read before it ("an fd but no associated tinfo, skip it"). Groups
   * and parents are linked once all threads are in.
   */
  private load(initial: InitialState, maxFds: number): void {
    const threads = this.threads;
    threads.bootTsEpochNs = initial.machine?.bootTsEpochNs ?? 0n;
    const serverPorts = new Set<number>();
    const addThread = (info: ThreadInfo): void => { threads.add(threadFromCapture(info, maxFds, threads.refused), false); };
    const addFd = (info: FdInfo): void => {
      const t = threads.find(info.tid);
      const e = t === undefined ? undefined : fdFromCapture(info, this.portNames);
      if (t === undefined || e === undefined) return;
      if (t.ownFds.add(info.fd, e) === undefined) return;
      const port = serverPort(e);
      if (port !== undefined) serverPorts.add(port);
    };
    if (initial.stateBlocks === undefined) {
      for (const info of initial.threads) addThread(info);
      for (const info of initial.fds) addFd(info);
    } else {
      for (const b of initial.stateBlocks) {
        if (b.kind === 'process-list') for (const info of b.processList.threads) addThread(info);
        else if (b.kind === 'fd-list') for (const info of b.fdList.fds) addFd(info);
      }
    }
    for (const t of [...threads.values()]) threads.createDependencies(t);
    for (const t of threads.values()) for (const [, e] of t.ownFds.entries()) fixSocketFromCapture(e, serverPorts, this.portNames);
  }

  /** Updates the state with one event; call before formatting it. */
  apply(ev: EventCursor): void {
    this.prepare(ev);
    this.parse(ev);
  }

  /**
   * The first half of `apply`: what sinsp does with every event before it
   * decides whether to parse it (sinsp::next: the deferred removals of the
   * event before, then sinsp_parser::reset). With a filter that is no
   * display filter, sinsp runs the filter here on events that do not
   * modify state, and parses only those it keeps (`parse`), or not
   * (`skipParse`).
   */
  prepare(ev: EventCursor): void {
    if (this.firstTsNs === undefined && startsCaptureTime(ev.type)) this.firstTsNs = ev.tsNs;
    if (this.pendingTid !== undefined) this.flushThreadRemoval(ev);
    if (this.pendingFds.length !== 0) this.flushFdRemovals();
    this.reset(ev);
  }

  /**
   * An event `prepare` saw that sinsp's filter then dropped unparsed
   * (sinsp_evt_filter): the thread forgets its last enter event, unless the
   * event keeps it (EF_SKIPPARSERESET, scheduler switches). sinsp sets the
   * type to PPM_EVENT_MAX; -1, the table's "none", matches no exit event
   * either, where PPM_EVENT_MAX + 1 is one of the legacy layouts' codes here.
   */
  skipParse(ev: EventCursor): void {
    const t = this.evThread;
    const type = ev.type;
    if (t !== undefined && !(EVENT_FLAGS[type]! & EventFlag.SKIPPARSERESET) && type !== SCHEDSWITCH_6_E) t.lastEventType = -1;
  }

  /** The second half of `apply`: the event's parser (sinsp_parser::process_event), after `prepare`. */
  parse(ev: EventCursor): void {
    const type = ev.type;
    switch (PARSER[type] as P) {
      case P.NONE: break;
      case P.STORE_ENTER: this.storeEnter(ev); break;
      case P.READ: parseRead(this, ev); break;
      case P.WRITE: parseWrite(this, ev); break;
      case P.OPEN: parseOpen(this, ev); break;
      case P.MEMFD: parseMemfd(this, ev); break;
      case P.CLONE: parseClone(this, ev); break;
      case P.PIDFD_OPEN: parsePidfdOpen(this, ev); break;
      case P.PIDFD_GETFD: parsePidfdGetfd(this, ev); break;
      case P.EXECVE: parseExecve(this, ev); break;
      case P.PROCEXIT: parseProcexit(this, ev); break;
      case P.PIPE: parsePipe(this, ev); break;
      case P.SOCKET: parseSocket(this, ev); break;
      case P.BIND: parseBind(this, ev); break;
      case P.CONNECT: parseConnect(this, ev); break;
      case P.ACCEPT: parseAccept(this, ev); break;
      case P.CLOSE: parseClose(this, ev); break;
      case P.CLOSE_RANGE: parseCloseRange(this, ev); break;
      case P.FCNTL: parseFcntl(this, ev); break;
      case P.SINGLE_FD: parseSingleFd(this, ev, AUX[type]!); break;
      case P.CHDIR: parseChdir(this, ev); break;
      case P.FCHDIR: parseFchdir(this, ev); break;
      case P.GETCWD: parseGetcwd(this, ev); break;
      case P.DUP: parseDup(this, ev); break;
      case P.RLIMIT: parseRlimit(this, ev); break;
      case P.PRLIMIT: parsePrlimit(this, ev); break;
      case P.SOCKETPAIR: parseSocketpair(this, ev); break;
      case P.SETUID: parseSetId(this, ev, AUX[type]!, true); break;
      case P.SETGID: parseSetId(this, ev, AUX[type]!, false); break;
      case P.PRCTL: parsePrctl(this, ev); break;
      case P.CHROOT: parseChroot(this, ev); break;
      case P.SETSID: parseSetsid(this, ev); break;
      case P.CONTEXT_SWITCH: parseContextSwitch(this, ev); break;
      case P.MEMORY: parseMemoryExit(this, ev); break;
      case P.CAPSET: parseCapset(this, ev); break;
      case P.UNSHARE_SETNS: parseUnshareSetns(this, ev); break;
      case P.USERS: parseUserEvent(this.users, ev); break;
    }
    // sinsp_parser::event_cleanup: an exit event uses up the stored enter event.
    const t = this.evThread;
    if ((type & 1) === 1 && t !== undefined && t.enter !== null) {
      t.enter = null;
      t.enterValid = false;
    }
  }

  /**
   * Removes the fds the last event closed, which sinsp removes when the next
   * event comes (`apply` does it first thing). A snapshot for a piece that
   * starts at the next event makes them first (snapshot.ts): an fd closed
   * just before a cut was listed in the piece, and counted in
   * proc.fdopencount, where the capture had it gone. (A thread's deferred
   * removal is not made here: the piece says it with a state-only procexit,
   * `startEvents`, whose replay also remembers the exit for the clone races
   * that follow.)
   */
  settleFdRemovals(): void {
    if (this.pendingFds.length !== 0) this.flushFdRemovals();
  }

  /** The deferred thread removal, with the (ptid, tid) pair remembered for clone races. */
  private flushThreadRemoval(ev: EventCursor): void {
    const tid = this.pendingTid!;
    this.pendingTid = undefined;
    const t = this.threads.find(tid);
    this.threads.recordExited(tid, t === undefined ? -1 : t.ptid, ev.tsNs);
    this.threads.remove(tid);
  }

  private flushFdRemovals(): void {
    const table = this.threads.find(this.pendingFdTid)?.fdTable();
    if (table !== undefined) for (const fd of this.pendingFds) table.erase(fd);
    this.pendingFds.length = 0;
  }

  /** sinsp_parser::reset: the event's thread, sinsp's last-event bookkeeping, the event's fd. */
  private reset(ev: EventCursor): void {
    this.evFd = undefined;
    this.evThread = undefined;
    const type = ev.type;
    const how = RESET[type] as R;
    if (how === R.SKIP) {
      if (type === PROCINFO_E) this.evThread = this.threads.find(ev.tid);
      return;
    }
    if (how === R.NO_THREAD) return;
    const t = how === R.LOOKUP ? this.threads.find(ev.tid) : this.threads.getOrCreate(ev.tid);
    this.evThread = t;
    if (t === undefined || type === SCHEDSWITCH_6_E) return;
    if (how === R.QUERY) t.flags |= ThreadFlag.ACTIVE;
    const usesFd = (EVENT_FLAGS[type]! & EventFlag.USES_FD) !== 0;
    if ((type & 1) === 0) {
      t.lastEventFd = -1;
      t.lastEventType = type;
      if (usesFd) {
        t.lastEventFd = paramInt(ev, enterFdLocation(type));
        this.evFd = t.fdTable()?.find(t.lastEventFd);
        if (this.evFd !== undefined) this.evFd.oldName = this.evFd.name;
      }
      return;
    }
    // The fd of the matching enter event stays the event's fd; otherwise sinsp trusts nothing it kept.
    if ((type === EXECVE_19_X && t.lastEventType === EXECVEAT_E) || type === t.lastEventType + 1) {
      t.enterValid = true;
    } else {
      t.enterValid = false;
      t.lastEventFd = -1;
    }
    if (!usesFd) return;
    if (t.lastEventFd === -1) {
      const at = EXIT_FD_LOCATION[type] ?? -1;
      if (at !== -1 && at < ev.nparams && !paramEmpty(ev, at)) t.lastEventFd = paramInt(ev, at);
    }
    this.evFd = t.fdTable()?.find(t.lastEventFd);
    if (this.evFd !== undefined) this.evFd.oldName = this.evFd.name;
  }

  /** sinsp_parser::store_event: keeps what the exit event will want from this enter event. */
  private storeEnter(ev: EventCursor): void {
    const t = this.evThread;
    const type = ev.type;
    if (t === undefined) return;
    const openat = type === EventType.SYSCALL_OPENAT_2_E || type === EventType.SYSCALL_OPENAT2_E;
    const withDirfd = openat || type === EXECVEAT_E;
    // An empty first parameter means the whole event is empty (converted from an old
    // layout), so sinsp does not keep it (process_event checks parameter 0).
    if (type !== EXECVEAT_E && type !== EventType.SOCKET_CONNECT_E && paramEmpty(ev, 0)) return;
    if (type === EventType.SOCKET_CONNECT_E) {
      t.enter = { type, path: NA, flags: 0, dirfd: 0, dirfdEmpty: true, addr: paramCopy(ev, pidx('SOCKET_CONNECT_E', 'addr')) };
    } else if (withDirfd) {
      const code = type === EXECVEAT_E ? 'SYSCALL_EXECVEAT_E' : 'SYSCALL_OPENAT_2_E';
      const dirfd = pidx(code, 'dirfd');
      t.enter = {
        type, path: paramString(ev, pidx(code, type === EXECVEAT_E ? 'pathname' : 'name')),
        flags: paramUint(ev, pidx(code, 'flags')), dirfd: paramInt(ev, dirfd), dirfdEmpty: paramEmpty(ev, dirfd),
        addr: null,
      };
    } else {
      const flags = type === EventType.SYSCALL_OPEN_E ? paramUint(ev, pidx('SYSCALL_OPEN_E', 'flags')) : 0;
      t.enter = { type, path: paramString(ev, ENTER_PATH.get(type) ?? 0), flags, dirfd: 0, dirfdEmpty: true, addr: null };
    }
    t.enterValid = true;
  }

  removeFdLater(tid: number, fd: number): void {
    this.pendingFdTid = tid;
    this.pendingFds.push(fd);
  }

  removeThreadLater(tid: number): void {
    this.pendingTid = tid;
  }

  resetAgain(ev: EventCursor): void {
    this.reset(ev);
  }

  /** The thread sinsp shows for `tid` now (the event's thread first, as sinsp_evt::get_thread_info). */
  thread(tid: number): ThreadEntry | undefined {
    const t = this.evThread;
    return t !== undefined && t.tid === tid ? t : this.threads.find(tid);
  }

  firstEventTsNs(): bigint | undefined {
    return this.firstTsNs;
  }

  /**
   * Answers `ask` as if the event just applied had been one on thread `t`
   * whose fd is `f`: the made-up event of the chisel API's get_thread_table
   * filters (the thread's last event fd and the event's fd entry set for
   * the call, then put back).
   */
  asEventOn<T>(t: ThreadEntry, f: FdEntry, ask: () => T): T {
    const thread = this.evThread;
    const fd = this.evFd;
    const last = t.lastEventFd;
    this.evThread = t;
    this.evFd = f;
    t.lastEventFd = f.fd;
    try {
      return ask();
    } finally {
      this.evThread = thread;
      this.evFd = fd;
      t.lastEventFd = last;
    }
  }

  /** `thread` with the details the proc.* fields read. */
  threadDetail(tid: number): ThreadEntry | undefined {
    return this.thread(tid);
  }

  /** The table's entry for `tid`, if any. */
  findThread(tid: number): ThreadEntry | undefined {
    return this.threads.find(tid);
  }

  user(uid: number): UserView | undefined {
    return this.users.user(uid);
  }

  group(gid: number): GroupView | undefined {
    return this.users.group(gid);
  }

  /** User names for UID parameters (format/param-render.ts UserLookup). */
  userName(uid: number): string | undefined {
    return this.users.user(uid)?.name;
  }

  groupName(gid: number): string | undefined {
    return this.users.group(gid)?.name;
  }

  isLocalAddress(b: Uint8Array, at: number, v6: boolean): boolean {
    return v6 ? this.localAddresses.isLocalV6(b, at) : this.localAddresses.isLocalV4(b, at);
  }

  /** The fd entry `eventFd` reads (sinsp_filtercheck_fd.cpp extract_fd), undefined when none. */
  eventFdDetail(ev: EventCursor): FdEntry | undefined {
    if (!(EVENT_FLAGS[ev.type]! & FD_EVENT_FLAGS)) return undefined;
    const t = this.thread(ev.tid);
    if (t === undefined) return undefined;
    return this.evFd ?? (t.lastEventFd !== -1 ? t.fdTable()?.find(t.lastEventFd) : undefined);
  }

  /** Descriptor `fd` as thread `tid` sees it (its process's table). */
  fd(tid: number, fd: number): FdEntry | undefined {
    return this.thread(tid)?.fdTable()?.find(fd);
  }

  /**
   * `proc.ppid`: the pid of the parent process's main thread (sinsp's
   * get_ancestor_process), which is not always the thread's ptid: threads
   * report their process's parent, fake entries none.
   */
  parentPid(tid: number): number | undefined {
    const t = this.thread(tid);
    const pid = t === undefined ? undefined : this.threads.parentProcess(t)?.pid;
    // sinsp hides ids outside [-1, 2^32 - 1] (should_extract_xid).
    return pid === undefined || pid < -1 || pid > 0xffffffff ? undefined : pid;
  }

  /**
   * `fd.num`, `fd.type`, `fd.name` of the event just applied, extracted as
   * sinsp's fd filterchecks do (sinsp_filtercheck_fd.cpp extract_fd,
   * extract_fdname_from_event): only for events that create, use or destroy
   * an fd; the number is the thread's last event fd; without an fd entry the
   * name comes from the event (the path of a failed open, ...). The returned
   * object is reused by the next call.
   */
  eventFd(ev: EventCursor): EventFdFields {
    const out = this.fdFields;
    out.num = undefined;
    out.type = undefined;
    out.name = undefined;
    if (!(EVENT_FLAGS[ev.type]! & FD_EVENT_FLAGS)) return out;
    const t = this.thread(ev.tid);
    if (t === undefined) return out;
    out.num = t.lastEventFd;
    const f = this.evFd ?? (t.lastEventFd !== -1 ? t.fdTable()?.find(t.lastEventFd) : undefined);
    if (f !== undefined) {
      out.type = f.typeName;
      out.name = f.name;
    } else {
      out.name = this.fdNameFromEvent(ev, t);
    }
    return out;
  }

  /**
   * What sinsp's get_machine_info reports for a capture file: nothing (0).
   * The savefile platform keeps num_cpus at -1, which scap_get_machine_info
   * takes for "no machine info", whatever the file's machine block says.
   */
  numCpus(): number {
    return 0;
  }

  /**
   * The file's hostname. (sinsp-example prints '' for a capture file: the
   * machine info it keeps for one is all zeros, as for numCpus; a live
   * libsinsp prints the machine's, which is what the file recorded.)
   */
  hostname(): string {
    return this.machineHostname;
  }

  parsedEventFd(_ev: EventCursor): FdEntry | undefined {
    return this.evFd;
  }

  /** Whether parsing the event renamed its fd (sinsp's process_event compares the name before and after). */
  eventFdNameChanged(): boolean {
    const f = this.evFd;
    return f !== undefined && f.name !== f.oldName;
  }

  forEachFd(tid: number, visit: (fd: FdEntry) => void): boolean {
    const t = this.thread(tid);
    if (t === undefined) return false;
    // sinsp's loop_fds walks nothing then, and fd.types still has a value: ().
    t.fdTable()?.forEach(visit);
    return true;
  }

  /** fd.nameraw of an event whose fd has no entry (extract_fdname_from_event with fd_nameraw). */
  eventFdRawName(ev: EventCursor): string | undefined {
    if (!(EVENT_FLAGS[ev.type]! & FD_EVENT_FLAGS)) return undefined;
    const t = this.thread(ev.tid);
    if (t === undefined) return undefined;
    if (ev.type === EventType.SYSCALL_OPENAT_2_X || ev.type === EventType.SYSCALL_OPENAT2_X) {
      return paramEmpty(ev, OPENAT_X_NAME) ? undefined : paramString(ev, OPENAT_X_NAME);
    }
    return this.fdNameFromEvent(ev, t);
  }

  private fdNameFromEvent(ev: EventCursor, t: ThreadEntry): string | undefined {
    const type = ev.type;
    if ((type & 1) === 0) return undefined;
    switch (type) {
      case EventType.SYSCALL_OPEN_X:
      case EventType.SYSCALL_CREAT_X: {
        // An FSPATH argument: relative paths resolve against the cwd.
        const path = paramString(ev, type === EventType.SYSCALL_OPEN_X ? OPEN_X_NAME : CREAT_X_NAME);
        if (path === NA || path === '' || path.startsWith('/')) return path;
        return concatenatePaths(t.cwd, path) || path;
      }
      case EventType.SOCKET_ACCEPT_5_X:
      case EventType.SOCKET_ACCEPT4_6_X:
      case EventType.SOCKET_CONNECT_X: {
        const k = type === EventType.SOCKET_CONNECT_X ? CONNECT_X_TUPLE
          : type === EventType.SOCKET_ACCEPT_5_X ? ACCEPT_X_TUPLE : ACCEPT4_X_TUPLE;
        // No fd entry: sinsp renders the tuple with no fd, so its ports are named for no protocol.
        return socktupleText(ev.bytes, ev.paramStart(k), ev.paramLen(k), this.portNames ? L4_UNKNOWN : undefined);
      }
      case EventType.SYSCALL_OPENAT_2_X:
      case EventType.SYSCALL_OPENAT2_X: {
        if (paramEmpty(ev, OPENAT_X_NAME) || paramEmpty(ev, OPENAT_X_DIRFD)) return undefined;
        const name = paramString(ev, OPENAT_X_NAME);
        return concatenatePaths(dirForPath(this.evThread, name, paramInt(ev, OPENAT_X_DIRFD)), name);
      }
      case EventType.SYSCALL_OPEN_BY_HANDLE_AT_X:
        return paramString(ev, BY_HANDLE_PATH);
      default:
        return '';
    }
  }
}
