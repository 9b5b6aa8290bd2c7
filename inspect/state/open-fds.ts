// What `scap lsof` lists: every thread's open fds at the point the replay
// has reached, as sysdig's lsof chisel lists them (userspace/sysdig/chisels/
// lsof.lua over the chisel API's thread table, libs' chisel_api.cpp
// get_thread_table before chisels left libs).

import { EVENT_HEADER_LEN, type EventBatch } from '../../scapfile/event-batch.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import type { StateReplay } from './state-replay.js';
import type { ThreadEntry } from './thread-table.js';
import { userNameOf } from './users.js';

/** One line of lsof: a thread and one fd of the table it uses. */
export interface OpenFd {
  /** The thread's comm (proc.name). */
  readonly command: string;
  readonly pid: number;
  readonly tid: number;
  /** The name of the thread's uid, as user.name gives it. */
  readonly user: string;
  readonly fd: number;
  /** sinsp's type name: file, directory, ipv4, unix, pipe… (fd.type). */
  readonly type: string;
  /** The fd's name: a path, a socket tuple… (fd.name). */
  readonly name: string;
}

export interface OpenFdsOptions {
  /** Only these threads (default all). */
  readonly keepThread?: (t: ThreadEntry) => boolean;
  /**
   * Only the fds for which this answers true, asked about a made-up event
   * (see fdEvent) with the state set as if it were that fd's: a sinsp
   * filter run on it sees the thread's proc.* and the fd's fd.* fields.
   */
  readonly keepFd?: (ev: EventCursor) => boolean;
  /** The made-up event's time (get_thread_table takes the last event's). */
  readonly tsNs?: bigint;
}

/**
 * The open fds of the threads kept, threads in tid order as the chisel
 * sorts them. A thread sharing its process's files lists the process's
 * table under its own tid, as get_thread_table gives each thread
 * get_fd_table(); one without a table lists nothing. Fds come in number
 * order (the chisel walks a Lua table, in no set order).
 */
export function openFds(state: StateReplay, options: OpenFdsOptions = {}): OpenFd[] {
  const { keepThread, keepFd } = options;
  const threads = [...state.threads.values()].filter((t) => keepThread === undefined || keepThread(t)).sort((a, b) => a.tid - b.tid);
  const made = keepFd === undefined ? undefined : fdEvent(options.tsNs ?? 0n);
  const out: OpenFd[] = [];
  for (const t of threads) {
    const table = t.fdTable();
    if (table === undefined) continue;
    const user = userNameOf(state.user(t.uid), t.uid);
    const rows: OpenFd[] = [];
    table.forEach((f) => {
      if (made !== undefined) {
        made.setTid(t.tid);
        if (!state.asEventOn(t, f, () => keepFd!(made.cursor))) return;
      }
      rows.push({ command: t.comm, pid: t.pid, tid: t.tid, user, fd: f.fd, type: f.typeName, name: f.name });
    });
    rows.sort((a, b) => a.fd - b.fd);
    out.push(...rows);
  }
  return out;
}

/**
 * The event get_thread_table runs its filter on: a read exit without
 * parameters, event number 0 on CPU 0, at `tsNs`, on the thread asked about.
 */
function fdEvent(tsNs: bigint): { cursor: EventCursor; setTid(tid: number): void } {
  const buf = Buffer.alloc(EVENT_HEADER_LEN);
  buf.writeBigUInt64LE(tsNs, 0);
  buf.writeUInt32LE(EVENT_HEADER_LEN, 16);
  buf.writeUInt16LE(EventType.SYSCALL_READ_X, 20);
  buf.writeUInt32LE(0, 22);
  const batch: EventBatch = {
    buf, count: 1, offsets: new Int32Array(1), cpus: new Uint16Array(1), flags: new Uint32Array(1), nums: new Float64Array(1), blockOffsets: new Float64Array(1),
  };
  const cursor = new EventCursor().moveTo(batch, 0);
  return { cursor, setTid: (tid) => { buf.writeBigInt64LE(BigInt(tid), 8); cursor.moveTo(batch, 0); } };
}
