// A hand-filled StateLookup for renderer tests.

import type { EventFdFields, FdView, StateLookup, ThreadView } from '../../inspect/state/lookup.js';
import type { UserLookup } from '../../inspect/format/param-render.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';

export class FakeState implements StateLookup, UserLookup {
  private readonly threads = new Map<number, ThreadView>();
  private readonly fds = new Map<string, FdView & { l4proto?: number }>();
  private readonly users = new Map<number, string>();
  private readonly groups = new Map<number, string>();

  /** Adds a thread (its own process) with a comm and cwd. */
  addThread(tid: number, comm = '<NA>', cwd = ''): this {
    this.threads.set(tid, { tid, pid: tid, ptid: 1, comm, exe: comm, exepath: '', args: [], cwd, uid: 0, gid: 0, vtid: tid, vpid: tid });
    return this;
  }

  /** Adds an fd to thread `tid`'s table; `l4proto` is SCAP_L4_* (2 tcp, 3 udp). */
  addFd(tid: number, fd: number, typeChar: string, name: string, l4proto?: number): this {
    this.fds.set(`${tid}:${fd}`, l4proto === undefined ? { fd, typeChar, name } : { fd, typeChar, name, l4proto });
    return this;
  }

  addUser(uid: number, name: string): this { this.users.set(uid, name); return this; }
  addGroup(gid: number, name: string): this { this.groups.set(gid, name); return this; }

  thread(tid: number): ThreadView | undefined { return this.threads.get(tid); }
  fd(tid: number, fd: number): FdView | undefined { return this.fds.get(`${tid}:${fd}`); }

  /** The parent process's pid when the parent thread was added (each thread here is its own process). */
  parentPid(tid: number): number | undefined {
    const t = this.threads.get(tid);
    return t === undefined ? undefined : this.threads.get(t.ptid)?.pid;
  }

  /** No event is about an fd here (the fake keeps no event's fd): every field undefined, as for an event without one. */
  eventFd(_ev: EventCursor): EventFdFields {
    return { num: undefined, type: undefined, name: undefined };
  }

  userName(uid: number): string | undefined { return this.users.get(uid); }
  groupName(gid: number): string | undefined { return this.groups.get(gid); }
}
