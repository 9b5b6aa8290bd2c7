// What the state blocks of a capture hold, in our own representation. Field
// facts (names, widths, defaults, which version carries what) come from
// falcosecurity/libs at 48dfd53: userspace/libscap/scap.h, scap_procs.h and
// scap_machine_info.h for the structs, engine/savefile/scap_savefile.c
// (scap_read_*) for what each block version stores.
//
// Number policy: ids, counts and sizes are `number` (tids and fds are signed
// 64-bit on disk and -1 is meaningful; every value a kernel hands out is exact
// below 2^53). Nanosecond timestamps, inode numbers, capability masks, kernel
// pointers and reserved words are `bigint`, because they use all 64 bits.
// Strings hold one char per byte (latin1) and end at the first NUL, as the C
// strings libscap builds from them do; writing them back as latin1 gives the
// capture's exact bytes (the CLI's output does), Buffer.from(s, 'latin1')
// gives the bytes to decode as UTF-8 where wanted. Addresses are text: IPv4 dotted quads, IPv6 in
// RFC 5952 form.

/** Machine info block (MI 0x201). One layout of 180 bytes in every release. */
export interface MachineInfo {
  numCpus: number;
  memorySizeBytes: number;
  maxPid: number;
  hostname: string;
  /**
   * Host boot time, ns since the epoch. Was `reserved1` before libs 0.10.0
   * (commit 051019283): 0 in older captures means "not recorded".
   */
  bootTsEpochNs: bigint;
  /** Was `reserved2` before libs 0.11.0 (commit db7c74d54). No flag bits are defined at 48dfd53. */
  flags: bigint;
  /** Reserved words, kept so a rewrite can carry them over unchanged. */
  reserved3: bigint;
  reserved4: bigint;
}

/**
 * One thread of a process list block. Fields a block version does not carry
 * keep libscap's defaults (scap_read_proclist): sid, vpgid, pgid, vtid and
 * vpid -1; loginuid 4294967295 (UINT32_MAX, "unset"); strings empty; lists
 * empty; numbers, timestamps and capability masks 0; booleans false.
 *
 * Which version carries what:
 * - every version: tid, pid, ptid, comm, exe, args, cwd, fdlimit, flags, uid, gid
 * - V2+: vmsizeKb, vmrssKb, vmswapKb, pfmajor, pfminor
 * - V3+: env
 * - V4+: vtid, vpid, cgroups
 * - V5+: root
 * - V6+: sid
 * - V7+: exepath
 * - V8+: vpgid
 * - V9 (format 1.2; present only when the entry length leaves room, in this
 *   order): pidnsInitStartTsNs, tty, loginuid, exeWritable, capInheritable,
 *   capPermitted, capEffective, exeUpperLayer, exeIno, exeInoCtimeNs,
 *   exeInoMtimeNs, exeFromMemfd, exeLowerLayer, pgid
 * - never stored in a file: cloneTsNs (always 0 when read back)
 */
export interface ThreadInfo {
  tid: number;
  pid: number;
  ptid: number;
  /** Session id. */
  sid: number;
  /** Process group id as seen from the thread's pid namespace. */
  vpgid: number;
  /** Process group id as seen from the host pid namespace. */
  pgid: number;
  comm: string;
  /** argv[0]. */
  exe: string;
  /** Full path of the executable. */
  exepath: string;
  /** Arguments after argv[0], split on NUL (one trailing NUL dropped first, as sinsp does). */
  args: string[];
  /** Environment entries, split like `args`. */
  env: string[];
  cwd: string;
  fdlimit: number;
  /** PPM_CL_* process flags. */
  flags: number;
  uid: number;
  gid: number;
  /** Audit login uid; 4294967295 when unset. */
  loginuid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfmajor: number;
  pfminor: number;
  vtid: number;
  vpid: number;
  /** `subsys=path` entries, split like `args`. */
  cgroups: string[];
  root: string;
  /** Controlling terminal number. */
  tty: number;
  pidnsInitStartTsNs: bigint;
  cloneTsNs: bigint;
  exeWritable: boolean;
  exeUpperLayer: boolean;
  exeLowerLayer: boolean;
  exeFromMemfd: boolean;
  capInheritable: bigint;
  capPermitted: bigint;
  capEffective: bigint;
  exeIno: bigint;
  exeInoCtimeNs: bigint;
  exeInoMtimeNs: bigint;
}

/** A process list block: version 1..9 (the `*_INT` ids are versions 1..3). */
export interface ProcessList {
  version: number;
  threads: ThreadInfo[];
}

/** File descriptor types (`scap_fd_type` in userspace/libscap/scap.h); the value is what files store. */
export const FdType = {
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21,
} as const;
export type FdTypeName = keyof typeof FdType;

/** Transport protocols (`scap_l4_proto`). */
export const L4Proto = { UNKNOWN: 0, NA: 1, TCP: 2, UDP: 3, ICMP: 4, RAW: 5 } as const;
export type L4ProtoName = keyof typeof L4Proto;

/** A connected (or connecting) IPv4 or IPv6 socket. */
export interface SocketTupleInfo {
  kind: 'ipv4' | 'ipv6';
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  l4proto: number;
}

/** A listening (bound) IPv4 or IPv6 socket. */
export interface ServerSocketInfo {
  kind: 'ipv4-server' | 'ipv6-server';
  ip: string;
  port: number;
  l4proto: number;
}

/** A unix socket: kernel addresses of both endpoints, and its path. */
export interface UnixSocketInfo {
  kind: 'unix';
  source: bigint;
  destination: bigint;
  path: string;
}

/**
 * A regular file in the FILE_V2 layout. `dev` is stored only in FDL_V2 entries
 * long enough to hold it (0 otherwise). `mountId` is never stored in a file:
 * libscap fills it only while scanning /proc, so it is always 0 here.
 */
export interface RegularFileInfo {
  kind: 'file';
  openFlags: number;
  name: string;
  mountId: number;
  dev: number;
}

/** Every other fd type: just a name (path, `anon_inode:[eventfd]`, ...). */
export interface NamedFdInfo {
  kind: 'name';
  name: string;
}

/** SCAP_FD_UNKNOWN: libscap stores no payload for it. */
export interface NoFdInfo {
  kind: 'none';
}

export type FdDetails = SocketTupleInfo | ServerSocketInfo | UnixSocketInfo | RegularFileInfo | NamedFdInfo | NoFdInfo;

/**
 * One file descriptor of an fd list block. An fd list stores only the tid it
 * belongs to, not the pid: libscap attaches it to the thread with that tid.
 * A type this library does not know (from a newer writer, FDL_V2 only)
 * becomes UNSUPPORTED with name `unknown-type:[N]`, as libscap does; `rawType`
 * keeps N.
 */
export interface FdInfo {
  tid: number;
  fd: number;
  ino: bigint;
  /** An `FdType` value. */
  type: number;
  /** The type byte as stored. */
  rawType: number;
  info: FdDetails;
}

/** An fd list block: the fds of one thread. */
export interface FdList {
  version: 1 | 2;
  tid: number;
  fds: FdInfo[];
}

/** Interface entry types (`scap_ifinfo_type`). The NOLINKSPEED layouts lack `linkspeed`. */
export const InterfaceType = { UNKNOWN: 0, IPV4: 1, IPV6: 2, IPV4_NOLINKSPEED: 3, IPV6_NOLINKSPEED: 4 } as const;

/** One address of a network interface. `linkspeed` is 0 for the NOLINKSPEED layouts, as in libscap. */
export interface InterfaceAddress {
  /** The `InterfaceType` value as stored. */
  type: number;
  name: string;
  addr: string;
  netmask: string;
  bcast: string;
  linkspeed: number;
}

/** An interface list block: IPv4 and IPv6 addresses, each in file order. */
export interface InterfaceList {
  version: 1 | 2;
  ipv4: InterfaceAddress[];
  ipv6: InterfaceAddress[];
}

/**
 * One user of a user list block. No version of the layout (UL or UL_V2 at
 * 48dfd53) carries a container id: users are the host's.
 */
export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

/** One group of a user list block. */
export interface GroupInfo {
  gid: number;
  name: string;
}

/** A user list block: users and groups, each in file order. */
export interface UserList {
  version: 1 | 2;
  users: UserInfo[];
  groups: GroupInfo[];
}

/** Where a parser's body lies in the file, for error messages. */
export interface StateBlockContext {
  blockType: number;
  /** Absolute file offset of the block header; the body starts 8 bytes later. */
  blockOffset: number;
}
