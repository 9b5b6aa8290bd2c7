// Pseudo-random parameter values of every scap parameter type, from a seed
// (the fuzzer's generator, test/fuzz/mutate.ts),
// for synthetic captures that are compared with the reference (golden
// outputs of sinsp-example): the same seed gives the same bytes on every
// machine. Values are shaped like the ones drivers write (flags from their
// tables, sockaddrs and tuples of each family, small fds), with some of
// each kind that only a damaged capture has.

import { EVENTS, EventType as T } from '../../scapfile/schema/events.js';
import { FLAG_TABLES } from '../../scapfile/schema/flags.js';
import { EventFlag, ParamType as PT, type ParamInfo } from '../../scapfile/schema/types.js';
import type { SyntheticEvent } from './sinsp-raw.js';
import { Rng } from '../fuzz/mutate.js';

export { Rng };

/** Bytes of the fixed-size types (a size old drivers never left empty: sinsp refuses that). */
const FIXED: Partial<Record<number, number>> = {
  [PT.INT8]: 1, [PT.INT16]: 2, [PT.INT32]: 4, [PT.INT64]: 8, [PT.UINT8]: 1, [PT.UINT16]: 2, [PT.UINT32]: 4,
  [PT.UINT64]: 8, [PT.ERRNO]: 8, [PT.FD]: 8, [PT.PID]: 8, [PT.SIGTYPE]: 1, [PT.RELTIME]: 8, [PT.ABSTIME]: 8,
  [PT.PORT]: 2, [PT.L4PROTO]: 1, [PT.SOCKFAMILY]: 1, [PT.BOOL]: 4, [PT.IPV4ADDR]: 4, [PT.FLAGS8]: 1,
  [PT.FLAGS16]: 2, [PT.FLAGS32]: 4, [PT.UID]: 4, [PT.GID]: 4, [PT.DOUBLE]: 8, [PT.SIGSET]: 4, [PT.MODE]: 4,
  [PT.ENUMFLAGS8]: 1, [PT.ENUMFLAGS16]: 2, [PT.ENUMFLAGS32]: 4, [PT.FD32]: 4, [PT.PID32]: 4, [PT.IPV6ADDR]: 16,
  [PT.SYSCALLID]: 2,
};
const FLAG_TYPES = new Set<number>([PT.FLAGS8, PT.FLAGS16, PT.FLAGS32, PT.ENUMFLAGS8, PT.ENUMFLAGS16, PT.ENUMFLAGS32, PT.MODE]);

const PATHS = ['/etc/passwd', 'x', '/tmp/a b', 'rel/p', '/', '/usr/bin/curl', '../up', './dot', '', 'ümlaut'];
const COMMS = ['curl', 'bash', 'sh', 'python3', 'nginx'];
/** NUL-separated lists, with empty entries and without the last NUL too. */
const STRING_LISTS = ['a\0b\0', '-c\0ls\0', 'x\0', '', 'a\0\0b\0', 'a', 'a\0b', '\0', '\0\0', 'k=v\0j=\0', '=x\0',
  'cpu=/a\0memory=/b\0', 'cpu=/a\0junk\0'].map((l) => Buffer.from(l, 'latin1'));
const STRING_LIST_NAMES = /^(args|env|cgroups)$/;
const SOCKADDRS = [
  Buffer.from([2, 127, 0, 0, 1, 0x1f, 0x90]), Buffer.from([2, 10, 0, 0, 2, 0, 80]),
  Buffer.from('\x01/run/s\0', 'latin1'), Buffer.from('\x01\0abstract\0', 'latin1'),
  Buffer.concat([Buffer.from([10]), Buffer.alloc(15), Buffer.from([1, 0, 0x50])]),
];
const TUPLES = [
  Buffer.from([2, 10, 0, 0, 1, 0x30, 0x39, 10, 0, 0, 2, 0, 80]), Buffer.from([2, 10, 0, 0, 2, 0, 80, 10, 0, 0, 1, 0x30, 0x39]),
  Buffer.from([2, 127, 0, 0, 1, 0x1f, 0x90, 127, 0, 0, 1, 0xa0, 0x00]),
  Buffer.concat([Buffer.from([10]), Buffer.alloc(15), Buffer.from([1, 0x30, 0x39]), Buffer.alloc(15), Buffer.from([1, 0, 80])]),
  Buffer.concat([Buffer.from([1]), Buffer.from('0100000000000000', 'hex'), Buffer.from('0200000000000000', 'hex'), Buffer.from('/run/x\0')]),
];

function int(size: number, v: number): Buffer {
  const b = Buffer.alloc(size);
  if (size === 1) b.writeUInt8(v & 0xff);
  else if (size === 2) b.writeUInt16LE(v & 0xffff);
  else if (size === 4) b.writeInt32LE(v | 0);
  else b.writeBigInt64LE(BigInt(Math.trunc(v)));
  return b;
}

/** Where the caller wants values of its own: fds and thread ids that make sense together. */
export interface ParamHints {
  /** An fd number (parameters named like fds, and fd types). */
  readonly fd?: () => number;
  /** A thread or process id (pid types, and tid/pid/ptid parameters). */
  readonly tid?: () => number;
  /**
   * 8-byte integers within 2^53 (limits, sizes, times): the state keeps
   * those as numbers, and values past that come only from damaged captures.
   */
  readonly within53Bits?: boolean;
}

const FD_NAMES = /^(fd|res|oldfd|newfd|dirfd|fd1|fd2|newdirfd|olddirfd|linkdirfd|olddir|newdir|mountfd|out_fd|in_fd|fd_in|fd_out|pid_fd|target_fd)$/;
const TID_NAMES = /^(tid|pid|ptid|vtid|vpid|pgid|vpgid|sid)$/;

/** A value for parameter `p`: mostly the kind a driver writes, now and then one no kernel gives. */
export function randomParam(rng: Rng, p: ParamInfo, hints: ParamHints = {}): Buffer {
  const t = p.type;
  const wide = t === PT.FD || t === PT.ERRNO || t === PT.INT64 || t === PT.PID;
  if (hints.fd && wide && FD_NAMES.test(p.name)) {
    return int(8, rng.chance(0.1) ? -rng.pick([2, 9, 13, 22]) : rng.chance(0.05) ? -100 : hints.fd());
  }
  if (hints.tid && (t === PT.PID || t === PT.INT64) && TID_NAMES.test(p.name)) return int(8, rng.chance(0.8) ? hints.tid() : rng.below(3));
  if (hints.fd && (t === PT.FD || t === PT.FD32)) return int(FIXED[t]!, hints.fd());
  if (hints.tid && (t === PT.PID || t === PT.PID32)) return int(FIXED[t]!, hints.tid());
  // A syscall id within the table, else sinsp indexes past it.
  if (t === PT.SYSCALLID) return int(2, rng.below(380));
  if (t === PT.UID || t === PT.GID) return int(4, rng.chance(0.8) ? rng.pick([0, 1, 33, 1000, 65534]) : rng.below(1 << 30));
  if (FLAG_TYPES.has(t)) {
    const entries = p.flagsTable === undefined ? undefined : FLAG_TABLES[p.flagsTable];
    let v = rng.below(1 << 30);
    if (entries !== undefined && entries.length > 0 && rng.chance(0.85)) {
      v = 0;
      for (let i = rng.below(3); i >= 0; i--) v |= entries[rng.below(entries.length)]!.value;
      if (rng.chance(0.3)) v = entries[rng.below(entries.length)]!.value;
    }
    return int(FIXED[t]!, v);
  }
  const size = FIXED[t];
  if (size !== undefined) {
    if (t === PT.DOUBLE) { const b = Buffer.alloc(8); b.writeDoubleLE(rng.below(1e6) / 1e4); return b; }
    if (size >= 4 && rng.chance(0.6)) return int(size, rng.below(70000) - 5);
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = rng.chance(0.5) ? rng.below(4) : rng.below(256);
    if (size === 8 && hints.within53Bits) { b[6]! &= 0x0f; b[7] = 0; }
    return b;
  }
  if (rng.chance(0.06)) return Buffer.alloc(0);
  switch (t) {
    case PT.CHARBUF: return Buffer.from((p.name === 'comm' ? rng.pick(COMMS) : rng.pick(PATHS)) + '\0');
    case PT.FSPATH: case PT.FSRELPATH: return Buffer.from(rng.pick(PATHS) + '\0');
    case PT.CHARBUFARRAY: return rng.pick(STRING_LISTS);
    case PT.CHARBUF_PAIR_ARRAY: return Buffer.from(rng.pick(['a\0b\0', 'k\0v\0k2\0v2\0', '']));
    case PT.SOCKADDR: return rng.pick(SOCKADDRS);
    case PT.SOCKTUPLE: return rng.pick(TUPLES);
    case PT.FDLIST: return Buffer.from([2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 4, 0]);
    case PT.DYN: return Buffer.from([0, 5, 0, 0, 0, 0, 0, 0, 0]);
    case PT.IPADDR: case PT.IPNET: return Buffer.from([127, 0, 0, 1]);
    default: {
      // Argument, environment and cgroup lists are byte buffers in the layouts.
      if (STRING_LIST_NAMES.test(p.name) && rng.chance(0.8)) return rng.pick(STRING_LISTS);
      const b = Buffer.alloc(rng.below(20));
      for (let i = 0; i < b.length; i++) b[i] = rng.below(256);
      return b;
    }
  }
}

/**
 * Left out of the every-type capture: meta events whose parsing needs a
 * plugin or replaces the user tables, and the task iterator event, whose
 * random values make sinsp-example die.
 */
const NOT_RANDOMISED = /^(CONTAINER|PLUGIN|ASYNC|USER_ADDED|USER_DEL|GROUP_)|^ITER_TASK_E$/;

/** Every event type of today's layouts but the few above, four times each, on new threads (seed 7). */
export function everyTypeEvents(): SyntheticEvent[] {
  const rng = new Rng(7, 1);
  const events: SyntheticEvent[] = [];
  let tid = 2000;
  for (const info of EVENTS) {
    if (info === undefined || info.flags & (EventFlag.UNUSED | EventFlag.OLD_VERSION)) continue;
    // libscap's converter drops these enter events before sinsp sees them.
    if (info.dir === 'enter' && info.flags & EventFlag.CONVERTER_MANAGED) continue;
    if (NOT_RANDOMISED.test(info.code)) continue;
    for (let r = 0; r < 4; r++) events.push({ type: info.id, tid: tid++, params: info.params.map((p) => randomParam(rng, p)) });
  }
  return events;
}

/** Threads of single_ipv6_conn's process list, and tids it does not know. */
const KNOWN_TIDS = [1017, 1239, 1240, 1310, 25886, 25888];
const NEW_TIDS = [5001, 5002, 5003, 5004, 5005];
const CLONES = new Set<number>([T.SYSCALL_CLONE_20_X, T.SYSCALL_CLONE3_X, T.SYSCALL_FORK_20_X, T.SYSCALL_VFORK_20_X]);
const STATE_TYPES = [
  T.SYSCALL_OPEN_X, T.SYSCALL_OPENAT_2_X, T.SYSCALL_OPENAT2_X, T.SYSCALL_CREAT_X, T.SYSCALL_CLOSE_X, T.SYSCALL_DUP_1_X,
  T.SYSCALL_DUP2_X, T.SYSCALL_DUP3_X, T.SYSCALL_FCNTL_X, T.SOCKET_SOCKET_X, T.SOCKET_CONNECT_X, T.SOCKET_BIND_X,
  T.SOCKET_LISTEN_X, T.SOCKET_ACCEPT4_6_X, T.SOCKET_ACCEPT_5_X, T.SYSCALL_PIPE2_X, T.SYSCALL_PIPE_X, T.SYSCALL_EVENTFD2_X,
  ...CLONES, T.SYSCALL_EXECVE_19_X, T.SYSCALL_EXECVEAT_X, T.PROCEXIT_1_E, T.SYSCALL_CHDIR_X, T.SYSCALL_FCHDIR_X,
  T.SYSCALL_SETUID_X, T.SYSCALL_SETGID_X, T.SYSCALL_SETRESUID_X, T.SYSCALL_SETRESGID_X, T.SYSCALL_SETSID_X,
  T.SYSCALL_PRCTL_X, T.SYSCALL_CHROOT_X, T.SYSCALL_READ_X, T.SYSCALL_WRITE_X, T.SOCKET_SENDTO_X, T.SOCKET_RECVFROM_X,
  T.SOCKET_RECVMSG_X, T.SOCKET_SENDMSG_X, T.SOCKET_SOCKETPAIR_X, T.SYSCALL_MEMFD_CREATE_X, T.SYSCALL_PIDFD_OPEN_X,
  T.SYSCALL_PIDFD_GETFD_X, T.SYSCALL_CLOSE_RANGE_X, T.SYSCALL_SIGNALFD4_X, T.SYSCALL_TIMERFD_CREATE_X,
  T.SYSCALL_INOTIFY_INIT1_X, T.SYSCALL_EPOLL_CREATE1_X, T.SYSCALL_GETCWD_X, T.SYSCALL_SETRLIMIT_X, T.SYSCALL_PRLIMIT_X,
  T.SYSCALL_MMAP_X, T.SYSCALL_BRK_4_X, T.SOCKET_SHUTDOWN_X, T.SYSCALL_UNSHARE_X, T.SYSCALL_SETNS_X, T.SYSCALL_CAPSET_X,
];

/**
 * `count` random state-changing calls (STATE_TYPES) with small fds, on
 * threads of single_ipv6_conn's process list and new ones; half the clones
 * are the child's side.
 */
export function stateSequenceEvents(seed: number, count: number): SyntheticEvent[] {
  const rng = new Rng(seed, 2);
  const tid = (): number => (rng.chance(0.6) ? rng.pick(KNOWN_TIDS) : rng.pick(NEW_TIDS));
  const hints = { fd: () => rng.below(12), tid, within53Bits: true };
  const events: SyntheticEvent[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.pick(STATE_TYPES);
    let on = tid();
    const params = EVENTS[type]!.params.map((p) => randomParam(rng, p, hints));
    // Half the clones are the child's side: 0 on the new thread.
    if (CLONES.has(type) && rng.chance(0.5)) {
      params[0] = Buffer.alloc(8);
      on = rng.pick(NEW_TIDS);
    }
    events.push({ type, tid: on, params });
  }
  return events;
}
