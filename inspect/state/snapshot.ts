// The replayed state at one point of a capture, exported in the form of the
// capture's state blocks (scapfile/state-blocks/types.ts), so that a writer
// can start a new capture there — `scap cut`, rotation — and libsinsp, or
// our own replay, loads the same threads and fds from it (sysdig#745: a
// filtered capture that drops the state blocks loses every name).
//
// What sinsp loads back from a process list entry and an fd list entry is
// what threadFromCapture and fdFromCapture read (thread-table.ts,
// fd-table.ts, after libs' threadinfo.cpp init and add_fd_from_scap); the
// fields our tables do not keep (the exe inode's ctime distances, …) are
// taken from the capture's own entry for the tid when it has one.

import { EventType } from '../../scapfile/schema/events.js';
import type { CaptureState, FdDetails, FdInfo, ThreadInfo } from '../../scapfile/state-blocks/index.js';
import type { StartEvent } from '../../scapfile/writer/index.js';
import { DUMP_FLAG_STATE_ONLY } from '../sinsp-selection.js';
import { defaultThreadInfo, FdType } from '../../scapfile/state-blocks/index.js';
import { FD_UNINITIALIZED, FdFlag } from './fd-table.js';
import type { FdEntry } from './fd-table.js';
import {
  ipv4Text, ipv6Text, u16, UNIX_DEST, UNIX_SOURCE, V4_DIP, V4_DPORT, V4_L4, V4_SIP, V4_SPORT, V4S_IP, V4S_L4,
  V4S_PORT, V6_DIP, V6_DPORT, V6_L4, V6_SIP, V6_SPORT, V6S_IP, V6S_L4, V6S_PORT,
} from './sock-info.js';
import type { StateReplay } from './state-replay.js';
import type { UnreturnedClones } from './unreturned-clones.js';
import { ExeFlag, ThreadFlag, type ThreadEntry } from './thread-table.js';

/** Highest fd type value a state block can carry (FdType.PIDFD). */
const MAX_FD_TYPE = FdType.PIDFD;

/**
 * The state `replay` holds now, as state blocks would describe it: every
 * thread of the table (dead ones included: sinsp still resolves them until
 * it purges them) and every fd of each thread's own table. Machine info and
 * interfaces come from `base` (the capture's initial state), which also
 * fills the thread fields the replay does not track; so do users and
 * groups, unless events added or removed some since.
 * The fds the last event closed are removed from `replay` first
 * (`settleFdRemovals`): sinsp removes them when the next event comes, and
 * a piece starts at that event.
 *
 * ```ts
 * const state = snapshotState(replay, capture.info);   // before applying the first kept event
 * await writer.writeState(state);
 * ```
 */
export function snapshotState(replay: StateReplay, base: CaptureState): CaptureState {
  replay.settleFdRemovals();
  const original = new Map<number, ThreadInfo>();
  for (const t of base.threads) original.set(t.tid, t);
  const threads: ThreadInfo[] = [];
  const fds: FdInfo[] = [];
  const entries = [...replay.threads.values()];
  // Listening ports decide how sinsp orients an IPv4 tuple on load
  // (fixSocketFromCapture); see ipv4Socket.
  const serverPorts = new Set<number>();
  for (const t of entries) {
    for (const [, e] of t.ownFds.entries()) {
      if (e.type === FdType.IPV4_SERVSOCK && e.sock) serverPorts.add(u16(e.sock, V4S_PORT));
      if (e.type === FdType.IPV6_SERVSOCK && e.sock) serverPorts.add(u16(e.sock, V6S_PORT));
    }
  }
  for (const t of entries) {
    threads.push(threadInfoOf(t, original.get(t.tid)));
    for (const [fd, e] of t.ownFds.entries()) {
      const info = fdDetailsOf(e, serverPorts);
      if (info === undefined) continue;
      const type = info.kind === 'ipv4' ? FdType.IPV4_SOCK : e.type;
      fds.push({ tid: t.tid, fd, ino: e.ino, type, rawType: type, info });
    }
  }
  // The capture's user list, unless its useradded/deleted events changed what it says.
  const lists = replay.users.changedLists();
  return {
    machine: base.machine, threads, fds, users: lists?.users ?? base.users, groups: lists?.groups ?? base.groups,
    interfaces: base.interfaces,
  };
}

/**
 * The state of a live capture at the event a rotated file starts at, from
 * `replay`, which followed the capture's events up to it (all but plain
 * reads and writes: CHANGES_STATE), and a /proc scan taken around then
 * (`scan`, while the events before it were still being written, a little
 * before or after). The replay's threads and fds are exact at this event:
 * a process that exited since the scan is not written alive, one started
 * since is not missing, one that exited before the scan while its last
 * events are still to be written keeps its name, an fd opened or closed
 * around the scan is as the events say. The scan adds the threads the
 * replay never saw start (lost events, processes outside a --pid capture)
 * with their fds, unless the replay saw them exit since it began
 * (`exitedSinceScan`), and gives users, groups and interfaces as they are
 * now. Machine info stays `base`'s (the boot time of a scan moves by a few
 * ns).
 */
export function rotationState(scan: CaptureState, replay: StateReplay, base: CaptureState,
  exitedSinceScan: ReadonlySet<number>): CaptureState {
  const replayed = snapshotState(replay, base);
  const known = new Set<number>();
  for (const t of replayed.threads) known.add(t.tid);
  const threads = [...replayed.threads];
  for (const t of scan.threads) if (!known.has(t.tid) && !exitedSinceScan.has(t.tid)) threads.push(t);
  const listed = new Set<number>();
  for (const t of threads) listed.add(t.tid);
  const fds = [...replayed.fds, ...scan.fds.filter((f) => listed.has(f.tid) && !known.has(f.tid))];
  return { machine: base.machine, threads, fds, users: scan.users, groups: scan.groups, interfaces: scan.interfaces };
}

/**
 * The close-on-exec fds a snapshot cannot carry: fd lists keep open flags
 * for files only, so a pipe, eventfd, epoll fd or memfd made close-on-exec
 * would survive the next exec of a piece that starts from the snapshot. As
 * ranges per thread that owns them, for close_range(CLOSE_RANGE_CLOEXEC)
 * events (which set the flag in sinsp, parse_close_range) right after it.
 */
export function cloexecRanges(replay: StateReplay): { tid: number; first: number; last: number }[] {
  const out: { tid: number; first: number; last: number }[] = [];
  for (const t of replay.threads.values()) {
    const fds = [...t.ownFds.entries()]
      // isCloseOnExec, as the exec will ask: a memfd or epoll fd keeps its
      // own CLOEXEC bit (MFD_/EPOLL_CLOEXEC), not O_CLOEXEC.
      .filter(([, e]) => e.isCloseOnExec() && e.type !== FdType.FILE_V2 && fdDetailsOf(e, EMPTY_PORTS) !== undefined)
      .map(([fd]) => fd)
      // close_range names fds as u32: a negative or huge one (a damaged
      // capture's socketpair or pipe gave it) cannot be named, nor exec'd.
      .filter((fd) => fd >= 0 && fd <= 0xffffffff)
      .sort((a, b) => a - b);
    for (let i = 0; i < fds.length;) {
      let j = i;
      while (j + 1 < fds.length && fds[j + 1] === fds[j]! + 1) j++;
      out.push({ tid: t.tid, first: fds[i]!, last: fds[j]! });
      i = j + 1;
    }
  }
  return out;
}
const EMPTY_PORTS: ReadonlySet<number> = new Set();

/** PPM_CLOSE_RANGE_CLOEXEC (driver/ppm_events_public.h). */
const CLOSE_RANGE_CLOEXEC = 1 << 2;

/**
 * A zeroed event of `type` by thread `tid` at `tsNs`, with parameters of
 * these lengths (16-bit length table): the caller writes the values, which
 * start at byte 26 + 2 * lens.length.
 */
function eventOf(type: number, tsNs: bigint, tid: number, lens: readonly number[]): Buffer {
  const at = 26 + 2 * lens.length;
  const b = Buffer.alloc(lens.reduce((n, l) => n + l, at));
  b.writeBigUInt64LE(tsNs, 0);
  b.writeBigInt64LE(BigInt(tid), 8);
  b.writeUInt32LE(b.length, 16);
  b.writeUInt16LE(type, 20);
  b.writeUInt32LE(lens.length, 22);
  lens.forEach((len, k) => b.writeUInt16LE(len, 26 + 2 * k));
  return b;
}

/**
 * The events a piece starting from `snapshotState(replay)` needs right
 * after its state blocks, at `tsNs` and flagged state-only, for what they
 * cannot carry: close-on-exec of non-file fds (cloexecEvents), the threads
 * that are dead but still in the table (deadThreadExits), and the clone
 * exits whose child has not returned yet (`clones`, kept over the events
 * before the piece).
 */
export function startEvents(replay: StateReplay, tsNs: bigint, clones: UnreturnedClones): StartEvent[] {
  // Clone exits before the dead threads' procexits: a repeated clone exit
  // first removes the child's entry it finds (parse_clone_exit_caller), and
  // had its group's dead leader been marked dead already, that removal left
  // the group no live thread and took the leader with it (mainexit: the
  // worker's events lost proc.ppid, proc.cwd and the ancestors).
  return [...untypedFdEvents(replay, tsNs), ...cloexecEvents(replay, tsNs), ...clones.events(replay, tsNs), ...deadThreadExits(replay, tsNs)];
}

/**
 * Events that give a piece the fds its fd lists cannot carry, since
 * libsinsp loads no fd list entry of their type (threadinfo.cpp
 * add_fd_from_scap); a later event on one lost its `<o>`, and
 * proc.fdopencount counted fewer fds:
 * - fds of unknown type (a packet socket, a domain sinsp does not type):
 *   a socket() exit of domain 17 (AF_PACKET), which sinsp types unknown
 *   keeping the open flags (parsers.cpp add_socket);
 * - the entry a failed memfd_create leaves under its negative result
 *   (parse_memfd_create_exit adds one whatever the result): that failure
 *   again.
 */
function untypedFdEvents(replay: StateReplay, tsNs: bigint): StartEvent[] {
  const out: StartEvent[] = [];
  for (const t of replay.threads.values()) {
    for (const [fd, e] of t.ownFds.entries()) {
      if (e.type === FdType.UNKNOWN && fd >= 0 && fd <= 0x7fffffff) {
        // fd, domain, type, proto, flags.
        const b = eventOf(EventType.SOCKET_SOCKET_X, tsNs, t.tid, [8, 4, 4, 4, 4]);
        b.writeBigInt64LE(BigInt(fd), 36);
        b.writeUInt32LE(AF_PACKET, 44);
        b.writeUInt32LE(e.openFlags >>> 0, 56);
        out.push({ event: b, flags: DUMP_FLAG_STATE_ONLY });
      } else if (e.type === FD_UNINITIALIZED && fd < 0) {
        // fd, name (empty), flags.
        const b = eventOf(EventType.SYSCALL_MEMFD_CREATE_X, tsNs, t.tid, [8, 1, 4]);
        b.writeBigInt64LE(BigInt(fd), 32);
        out.push({ event: b, flags: DUMP_FLAG_STATE_ONLY });
      }
    }
  }
  return out;
}
/** PPM_AF_PACKET: a socket domain libsinsp gives the unknown fd type. */
const AF_PACKET = 17;

/**
 * A procexit for each dead thread of the table: a main thread that exited
 * (pthread_exit) while others of its group run on stays, dead, as the
 * group's leader; written alive (a process list cannot say dead), it was
 * counted among the group's threads (proc.nthreads 2 for 1). Its procexit
 * marks it dead and takes it off the count, as the original one did
 * (parse_thread_exit); status, signal and reaper are left 0, for no event
 * shows them and it has no children left.
 */
function deadThreadExits(replay: StateReplay, tsNs: bigint): StartEvent[] {
  const out: StartEvent[] = [];
  for (const t of replay.threads.values()) {
    // status, ret, sig, core, reaper_tid: all 0.
    if (t.isDead()) out.push({ event: eventOf(EventType.PROCEXIT_1_E, tsNs, t.tid, [8, 8, 1, 1, 8]), flags: DUMP_FLAG_STATE_ONLY });
  }
  return out;
}

/**
 * Successful close_range(first, last, CLOSE_RANGE_CLOEXEC) exits that give
 * a piece the close-on-exec its fd lists cannot carry (see cloexecRanges).
 */
function cloexecEvents(replay: StateReplay, tsNs: bigint): StartEvent[] {
  return cloexecRanges(replay).map(({ tid, first, last }) => {
    const b = eventOf(EventType.SYSCALL_CLOSE_RANGE_X, tsNs, tid, [8, 4, 4, 4]);
    // res 0, then first, last and flags.
    b.writeUInt32LE(first, 42);
    b.writeUInt32LE(last, 46);
    b.writeUInt32LE(CLOSE_RANGE_CLOEXEC, 50);
    return { event: b, flags: DUMP_FLAG_STATE_ONLY };
  });
}

function threadInfoOf(t: ThreadEntry, original: ThreadInfo | undefined): ThreadInfo {
  const out: ThreadInfo = { ...(original ?? defaultThreadInfo()) };
  out.tid = t.tid;
  out.pid = t.pid;
  out.ptid = t.ptid;
  out.sid = t.sid;
  out.vpgid = t.vpgid;
  out.pgid = t.pgid;
  out.comm = t.comm;
  out.exe = t.exe;
  out.exepath = t.exepath;
  out.args = t.args.slice();
  out.env = t.env.slice();
  out.cgroups = t.cgroups.slice();
  // sinsp loads the cwd of main threads only and shows the main thread's to all.
  out.cwd = t.isMainThread() ? t.ownCwd : t.cwd;
  out.fdlimit = t.fdlimit;
  // A dead thread still in the table (a main thread whose group lives on)
  // is written alive and ended by a procexit after the state (startEvents):
  // sinsp counts every loaded thread in its group, dead or not.
  out.flags = t.flags & ~ThreadFlag.CLOSED;
  out.uid = t.uid;
  out.gid = t.gid;
  out.loginuid = t.loginuid;
  out.exeWritable = (t.exeFlags & ExeFlag.WRITABLE) !== 0;
  out.exeUpperLayer = (t.exeFlags & ExeFlag.UPPER_LAYER) !== 0;
  out.exeLowerLayer = (t.exeFlags & ExeFlag.LOWER_LAYER) !== 0;
  out.exeFromMemfd = (t.exeFlags & ExeFlag.FROM_MEMFD) !== 0;
  out.vtid = t.vtid;
  out.vpid = t.vpid;
  out.root = t.root;
  out.tty = t.tty;
  out.cloneTsNs = t.cloneTsNs;
  out.vmsizeKb = t.vmsizeKb;
  out.vmrssKb = t.vmrssKb;
  out.vmswapKb = t.vmswapKb;
  out.pfmajor = t.pfmajor;
  out.pfminor = t.pfminor;
  out.capInheritable = t.capInheritable;
  out.capPermitted = t.capPermitted;
  out.capEffective = t.capEffective;
  out.exeIno = t.exeIno;
  out.exeInoCtimeNs = t.exeInoCtimeNs;
  out.exeInoMtimeNs = t.exeInoMtimeNs;
  out.pidnsInitStartTsNs = t.pidnsInitStartTsNs;
  return out;
}

/** The fd list payload that loads back as `e`, or undefined for fds a block cannot carry. */
function fdDetailsOf(e: FdEntry, serverPorts: ReadonlySet<number>): FdDetails | undefined {
  if (e.type <= FdType.UNKNOWN || e.type > MAX_FD_TYPE) return undefined;
  const s = e.sock ?? new Uint8Array(40);
  switch (e.type) {
    case FdType.IPV4_SOCK:
      return ipv4Socket(e, s, serverPorts);
    case FdType.IPV6_SOCK:
      return {
        kind: 'ipv6', sip: ipv6Text(s, V6_SIP), dip: ipv6Text(s, V6_DIP),
        sport: u16(s, V6_SPORT), dport: u16(s, V6_DPORT), l4proto: s[V6_L4]!,
      };
    case FdType.IPV4_SERVSOCK:
      return { kind: 'ipv4-server', ip: ipv4Text(s, V4S_IP), port: u16(s, V4S_PORT), l4proto: s[V4S_L4]! };
    case FdType.IPV6_SERVSOCK:
      return { kind: 'ipv6-server', ip: ipv6Text(s, V6S_IP), port: u16(s, V6S_PORT), l4proto: s[V6S_L4]! };
    case FdType.UNIX_SOCK: {
      const b = Buffer.from(s.buffer, s.byteOffset, s.byteLength);
      return {
        kind: 'unix', source: b.readBigUInt64LE(UNIX_SOURCE), destination: b.readBigUInt64LE(UNIX_DEST), path: e.name,
      };
    }
    case FdType.FILE_V2:
      return { kind: 'file', openFlags: e.openFlags, name: e.name, mountId: 0, dev: e.dev };
    default:
      return { kind: 'name', name: e.name };
  }
}

/**
 * An IPv4 socket as /proc would list it. sinsp orients a loaded tuple by the
 * listening ports (fixSocketFromCapture): a tuple whose source port is one of
 * them is the server end and gets swapped. A server-side socket is therefore
 * written local end first, so that it is swapped back into the tuple it has
 * now; a client socket is written as it is.
 */
function ipv4Socket(e: FdEntry, s: Uint8Array, serverPorts: ReadonlySet<number>): FdDetails {
  const sip = ipv4Text(s, V4_SIP);
  const dip = ipv4Text(s, V4_DIP);
  const sport = u16(s, V4_SPORT);
  const dport = u16(s, V4_DPORT);
  const l4proto = s[V4_L4]!;
  if ((e.flags & FdFlag.ROLE_SERVER) !== 0 && serverPorts.has(dport)) {
    return { kind: 'ipv4', sip: dip, dip: sip, sport: dport, dport: sport, l4proto };
  }
  return { kind: 'ipv4', sip, dip, sport, dport, l4proto };
}
