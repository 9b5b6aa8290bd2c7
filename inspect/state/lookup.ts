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

/** Read access to the state at the event being processed. */
export interface StateLookup {
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
