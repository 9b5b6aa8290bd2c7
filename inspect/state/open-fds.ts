// What `scap lsof`, `netstat` and `ps` list: the threads and their open fds
// at the point the replay has reached, as the chisel API's get_thread_table
// hands them to sysdig's lsof, netstat and ps chisels (libs' chisel_api.cpp
// before chisels left libs; userspace/sysdig/chisels/).

import { EVENT_HEADER_LEN, type EventBatch } from '../../scapfile/event-batch.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import type { FdEntry } from './fd-table.js';
import {
  SOCKINFO_LEN, V4_DIP, V4_DPORT, V4_SIP, V4_SPORT, V4S_IP, V4S_PORT,
  V6_DIP, V6_DPORT, V6_SIP, V6_SPORT, V6S_IP, V6S_PORT, ipv4Text, ipv6Text, l4protoName, u16,
} from './sock-info.js';
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
  /** An IP socket's ends, as the chisel API gives them (netstat's columns). */
  readonly socket?: SocketEnds;
}

/**
 * An IP socket as get_thread_table describes it: a connected socket's
 * tuple source is the client and its destination the server, whatever its
 * role; a listening socket has only the server end.
 */
export interface SocketEnds {
  /** tcp, udp, icmp, raw or <NA> (sinsp_fdinfo::get_l4proto). */
  readonly l4proto: string;
  readonly sip: string;
  readonly sport: number;
  /** Absent for a listening socket. */
  readonly cip?: string;
  readonly cport?: number;
  readonly isServer: boolean;
}

export interface ThreadTableOptions {
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

/** A thread of the chisel API's thread table and the fds it lists. */
export interface ThreadRow {
  readonly thread: ThreadEntry;
  /** The name of its uid, as user.name gives it. */
  readonly user: string;
  /** Its fds (those keepFd keeps), in number order. */
  readonly fds: readonly OpenFd[];
}

/**
 * The thread table as get_thread_table gives it to the lsof, netstat and ps
 * chisels: the threads kept, in tid order as the chisels sort them, each
 * with the table it uses. A thread sharing its process's files lists the
 * process's table under its own tid (get_fd_table); one without a table is
 * left out, and with keepFd so is one none of whose fds it keeps. Fds come
 * in number order (the chisels walk a Lua table, in no set order).
 */
export function threadTable(state: StateReplay, options: ThreadTableOptions = {}): ThreadRow[] {
  const { keepThread, keepFd } = options;
  const threads = [...state.threads.values()].filter((t) => keepThread === undefined || keepThread(t)).sort((a, b) => a.tid - b.tid);
  const made = keepFd === undefined ? undefined : fdEvent(options.tsNs ?? 0n);
  const out: ThreadRow[] = [];
  for (const t of threads) {
    const table = t.fdTable();
    if (table === undefined) continue;
    const user = userNameOf(state.user(t.uid), t.uid);
    const fds: OpenFd[] = [];
    table.forEach((f) => {
      if (made !== undefined) {
        made.setTid(t.tid);
        if (!state.asEventOn(t, f, () => keepFd!(made.cursor))) return;
      }
      const socket = socketEnds(f);
      fds.push({ command: t.comm, pid: t.pid, tid: t.tid, user, fd: f.fd, type: f.typeName, name: f.name, ...(socket && { socket }) });
    });
    if (made !== undefined && fds.length === 0) continue;
    fds.sort((a, b) => a.fd - b.fd);
    out.push({ thread: t, user, fds });
  }
  return out;
}

/** The ends of an IP socket, undefined for other fds. */
function socketEnds(f: FdEntry): SocketEnds | undefined {
  const s = f.sock ?? ZERO;
  const l4proto = l4protoName(f.l4proto);
  switch (f.type) {
    case FdType.IPV4_SOCK:
      return { l4proto, sip: ipv4Text(s, V4_DIP), sport: u16(s, V4_DPORT), cip: ipv4Text(s, V4_SIP), cport: u16(s, V4_SPORT), isServer: f.isRoleServer() };
    case FdType.IPV6_SOCK:
      return { l4proto, sip: ipv6Text(s, V6_DIP), sport: u16(s, V6_DPORT), cip: ipv6Text(s, V6_SIP), cport: u16(s, V6_SPORT), isServer: f.isRoleServer() };
    case FdType.IPV4_SERVSOCK: return { l4proto, sip: ipv4Text(s, V4S_IP), sport: u16(s, V4S_PORT), isServer: true };
    case FdType.IPV6_SERVSOCK: return { l4proto, sip: ipv6Text(s, V6S_IP), sport: u16(s, V6S_PORT), isServer: true };
    default: return undefined;
  }
}

const ZERO = new Uint8Array(SOCKINFO_LEN);

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
