import type { EventCursor } from '../../scapfile/event-cursor.js';

/**
 * What formatters and filters may ask of replayed state. The state replay
 * (inspect/state) implements it; renderers (inspect/format) only read through
 * it, so they never depend on how state is kept.
 */

/** An open file descriptor as sinsp shows it. */
export interface FdView {
  readonly fd: number;
  /** sinsp's one-letter fd type: f file, 4 ipv4 socket, 6 ipv6 socket, u unix, p pipe, e eventfd, … */
  readonly typeChar: string;
  /** sinsp's fd name: a path, a socket tuple such as `127.0.0.1:40000->10.0.0.1:80`, … */
  readonly name: string;
}

/** A thread as sinsp shows it. */
export interface ThreadView {
  readonly tid: number;
  /** Thread group id (the process id). */
  readonly pid: number;
  readonly ptid: number;
  /** Process name (`proc.name`, the comm). */
  readonly comm: string;
  readonly exe: string;
  readonly exepath: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly vtid: number;
  readonly vpid: number;
}

/** The fd an event is about (`fd.num`, `fd.type`, `fd.name`); a reused object. */
export interface EventFdFields {
  num: number | undefined;
  type: string | undefined;
  name: string | undefined;
}

/** A user of the capture's user list (`user.*`). */
export interface UserView {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  readonly homedir: string;
  readonly shell: string;
}

/** A group of the capture's user list (`group.*`). */
export interface GroupView {
  readonly gid: number;
  readonly name: string;
}

/** What the proc.*, thread.* and user.* fields read of a thread beyond `ThreadView`. */
export interface ThreadDetail extends ThreadView {
  readonly sid: number;
  /** Process group id as seen from the thread's pid namespace. */
  readonly vpgid: number;
  /** `PPM_CL_*` flags (driver/ppm_events_public.h). */
  readonly flags: number;
  readonly tty: number;
  readonly loginuid: number;
  /** `ExeFlag` bits: what is known of the executable (writable by its user, overlayfs layer, memfd). */
  readonly exeFlags: number;
  /** This thread's own environment; `mainThread()`'s is the process's. */
  readonly env: readonly string[];
  /** `subsystem=/path` per cgroup hierarchy. */
  readonly cgroups: readonly string[];
  /** Process group id as seen from the host (-1 when the capture does not say). */
  readonly pgid: number;
  readonly fdlimit: number;
  /** When the thread was created, ns since the epoch (0 when unknown). */
  readonly cloneTsNs: bigint;
  readonly vmsizeKb: number;
  readonly vmrssKb: number;
  readonly vmswapKb: number;
  readonly pfmajor: number;
  readonly pfminor: number;
  readonly capInheritable: bigint;
  readonly capPermitted: bigint;
  readonly capEffective: bigint;
  readonly exeIno: bigint;
  readonly exeInoCtimeNs: bigint;
  readonly exeInoMtimeNs: bigint;
  readonly exeInoCtimeSincePidnsNs: bigint;
  readonly exeInoCtimeToCloneNs: bigint;
  readonly pidnsInitStartTsNs: bigint;
  /** The thread's group: how many of its threads are alive; null for threads without one. */
  readonly group: { readonly alive: number } | null;
  /** The thread's own fd table (the process's is its main thread's). */
  readonly ownFds: { readonly size: number };
  isDead(): boolean;
  isMainThread(): boolean;
  /** threadinfo.h is_in_pid_namespace: cloned into a pid namespace, or its ids differ there. */
  isInPidNamespace(): boolean;
  /** sinsp's get_main_thread: itself, or its group's main thread; undefined when gone. */
  mainThread(): ThreadDetail | undefined;
}

/** What the fd.* fields read of the event's fd beyond `FdView`. */
export interface FdDetail extends FdView {
  /** An `FdType` value (scapfile/state-blocks), or -1 when never set. */
  readonly type: number;
  /** sinsp's socket union image (inspect/state/sock-info.ts offsets), or null. */
  readonly sock: Uint8Array | null;
  /** A `SCAP_L4_*` value as sinsp_fdinfo::get_l4proto reports it. */
  readonly l4proto: number;
  /** sinsp_fdinfo flag bits (`FdFlag` in fd-table.ts): connected, overlay layer, … */
  readonly flags: number;
  /** Device number of a file, as the kernel encodes it (new_encode_dev). */
  readonly dev: number;
  readonly ino: bigint;
  /** The path as the syscall gave it (files only; empty otherwise). */
  readonly nameRaw: string;
  isRoleNone(): boolean;
}

/**
 * Optional extras a state offers the fields beyond `StateLookup`
 * (`StateReplay` has them all; renderer test fakes need none).
 */
export interface StateDetails {
  /** The thread as `thread(tid)` finds it, with its details. */
  threadDetail?(tid: number): ThreadDetail | undefined;
  /** find_thread(tid, lookup only): the table's entry, never the event's stale one. */
  findThread?(tid: number): ThreadDetail | undefined;
  user?(uid: number): UserView | undefined;
  group?(gid: number): GroupView | undefined;
  /** The fd entry the event is about (sinsp's extract_fd), undefined when none. */
  eventFdDetail?(ev: EventCursor): FdDetail | undefined;
  /** The fd the parsers attached to the event just applied (sinsp_evt::get_fd_info), without fd.*'s fallbacks. */
  parsedEventFd?(ev: EventCursor): FdDetail | undefined;
  /** fd.nameraw without an fd entry: the path the event names (sinsp's extract_fdname_from_event, raw). */
  eventFdRawName?(ev: EventCursor): string | undefined;
  /** Whether parsing the event just applied changed the name of its fd (sinsp_evt::fdinfo_name_changed). */
  eventFdNameChanged?(): boolean;
  /**
   * Visits the fds of thread `tid`'s table in the order libsinsp walks it
   * (fd-table.ts); false when the thread is unknown. A known thread without a
   * table (its process's main thread is gone) visits nothing.
   */
  forEachFd?(tid: number, visit: (fd: FdDetail) => void): boolean;
  /** CPUs of the capturing machine (machine info block), 0 when unknown. */
  numCpus?(): number;
  /** The capturing machine's hostname (machine info block), '' when unknown. */
  hostname?(): string;
  /** Time of the first non-meta event so far (sinsp's m_firstevent_ts), for `evt.reltime`. */
  firstEventTsNs?(): bigint | undefined;
  /** Whether an address (4 or 16 bytes at `at`) belongs to this machine (ifinfo.cpp). */
  isLocalAddress?(b: Uint8Array, at: number, v6: boolean): boolean;
  /** Whether ports print as service names (hostname and port resolution, sysdig -R). */
  readonly portNames?: boolean;
}

/** Read access to the state at the event being processed. */
export interface StateLookup extends StateDetails {
  /** The thread `tid`, or undefined when sinsp would have no thread info. */
  thread(tid: number): ThreadView | undefined;
  /**
   * `proc.ppid`: the pid of the parent process of `tid`'s process (sinsp walks
   * to the parent's main thread), or undefined when unknown.
   */
  parentPid(tid: number): number | undefined;
  /** Descriptor `fd` in the fd table of thread `tid`'s process. */
  fd(tid: number, fd: number): FdView | undefined;
  /** The fd the event under the cursor is about, by sinsp's rules; fields are undefined when none. */
  eventFd(ev: EventCursor): EventFdFields;
}
