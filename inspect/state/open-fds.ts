// What `scap lsof` lists: every thread's open fds at the point the replay
// has reached, as sysdig's lsof chisel lists them (userspace/sysdig/chisels/
// lsof.lua over the chisel API's thread table, libs' chisel_api.cpp
// get_thread_table before chisels left libs).

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

/**
 * The open fds of the threads `keep` accepts (default all), threads in tid
 * order as the chisel sorts them. A thread sharing its process's files
 * lists the process's table under its own tid, as get_thread_table gives
 * each thread get_fd_table(); one without a table lists nothing. Fds come
 * in number order (the chisel walks a Lua table, in no set order).
 */
export function openFds(state: StateReplay, keep: (t: ThreadEntry) => boolean = () => true): OpenFd[] {
  const threads = [...state.threads.values()].filter(keep).sort((a, b) => a.tid - b.tid);
  const out: OpenFd[] = [];
  for (const t of threads) {
    const table = t.fdTable();
    if (table === undefined) continue;
    const user = userNameOf(state.user(t.uid), t.uid);
    const rows: OpenFd[] = [];
    table.forEach((f) => { rows.push({ command: t.comm, pid: t.pid, tid: t.tid, user, fd: f.fd, type: f.typeName, name: f.name }); });
    rows.sort((a, b) => a.fd - b.fd);
    out.push(...rows);
  }
  return out;
}
