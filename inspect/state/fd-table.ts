// File descriptors and fd tables as libsinsp keeps them (falcosecurity/libs
// 48dfd53: userspace/libsinsp/fdinfo.h/.cpp, fdtable.cpp, and
// threadinfo.cpp add_fd_from_scap for the fds a capture starts with).

import type { FdView } from './lookup.js';
import { UnorderedMapOrder } from './unordered-map-order.js';
import { FdType, type FdInfo } from '../../scapfile/state-blocks/index.js';
import {
  SOCKINFO_LEN, L4_NA, L4_RAW, L4_TCP, V4_DIP, V4_DPORT, V4_L4, V4_SIP, V4_SPORT, V4S_IP, V4S_L4, V4S_PORT,
  V6_DIP, V6_DPORT, V6_L4, V6_SIP, V6_SPORT, V6S_IP, V6S_L4, V6S_PORT, UNIX_DEST, UNIX_SOURCE,
  ipv4TupleName, ipv6TupleName, portText, ipv4Text, ipv6Text, isIpv4Mapped, parseIpv4, parseIpv6, putU16, u16,
} from './sock-info.js';

/** `SCAP_FD_UNINITIALIZED`: the type of an fd object nobody set a type on. */
export const FD_UNINITIALIZED = -1;

/** sinsp_fdinfo flag bits (fdinfo.h `enum flags`). */
export const FdFlag = {
  FROM_PROC: 1 << 0,
  ROLE_CLIENT: 1 << 2,
  ROLE_SERVER: 1 << 3,
  SOCKET_CONNECTED: 1 << 13,
  IS_CLONED: 1 << 14,
  CONNECTION_PENDING: 1 << 15,
  CONNECTION_FAILED: 1 << 16,
  OVERLAY_UPPER: 1 << 17,
  OVERLAY_LOWER: 1 << 18,
} as const;

/** Open flags the state looks at (`PPM_O_*`, driver/ppm_events_public.h). */
export const O_DIRECTORY = 1 << 10, O_CLOEXEC = 1 << 12, O_F_CREATED = 1 << 14;
export const FD_UPPER_LAYER = 1 << 15, FD_LOWER_LAYER = 1 << 16;
/** `PPM_EPOLL_CLOEXEC` and `PPM_MFD_CLOEXEC`: both bit 0 of their own flag sets. */
export const EPOLL_CLOEXEC = 1 << 0, MFD_CLOEXEC = 1 << 0;

// sinsp_fdinfo::get_typechar and get_typestring, by FdType value.
const TYPE_CHARS: readonly string[] = [
  'o', 'f', 'd', '4', '6', '4', '6', 'p', 'u', 'e', 'X', 's', 'l', 'i', 't', 'n', 'f', 'b', 'u', 'r', 'm', 'P',
];
const TYPE_NAMES: readonly string[] = [
  '<NA>', 'file', 'directory', 'ipv4', 'ipv6', 'ipv4', 'ipv6', 'pipe', 'unix', 'event', '<NA>', 'signalfd',
  'eventpoll', 'inotify', 'timerfd', 'netlink', 'file', 'bpf', 'userfaultfd', 'io_uring', 'memfd', 'pidfd',
];

/** The name sinsp gives fds of type `type` (get_typestring: fd.type, fd.types, proc.stdin.type). */
export const fdTypeName = (type: number): string => TYPE_NAMES[type] ?? '<NA>';

/** One open file descriptor (sinsp_fdinfo). */
export class FdEntry implements FdView {
  fd = -1;
  /** An `FdType` value, or FD_UNINITIALIZED. */
  type = FD_UNINITIALIZED;
  /** sinsp's fd name: a path, a socket tuple, a unix path... */
  name = '';
  /** The path as the syscall gave it, before joining with the cwd (files only). */
  nameRaw = '';
  /** The name when an event last looked the fd up (sinsp's m_oldname), to tell whether parsing renamed it. */
  oldName = '';
  openFlags = 0;
  /** FdFlag bits. */
  flags = 0;
  dev = 0;
  ino = 0n;
  /** pidfd only: the process it refers to. */
  pid = 0;
  /** Where the table's walk visits it (unordered-map-order.ts). */
  orderStamp = 0;
  /** The socket union image (sock-info.ts); allocated on first write, zero until then. */
  sock: Uint8Array | null = null;

  /** sinsp's one-letter type (`fd.typechar`, the `<f>` in arguments). */
  get typeChar(): string {
    return TYPE_CHARS[this.type] ?? '?';
  }

  /** sinsp's type name (`fd.type`): file, ipv4, unix... `<NA>` for unknown types. */
  get typeName(): string {
    return fdTypeName(this.type);
  }

  /**
   * The layer-4 protocol as sinsp reports it (sinsp_fdinfo::get_l4proto):
   * a `SCAP_L4_*` value; NA for sockets with no role yet, unless raw.
   */
  get l4proto(): number {
    const s = this.sock;
    switch (this.type) {
      case FdType.IPV4_SOCK: {
        const l4 = s ? s[V4_L4]! : 0;
        if (l4 === L4_RAW) return L4_RAW;
        return this.isRoleNone() ? L4_NA : l4;
      }
      case FdType.IPV6_SOCK: {
        const l4 = s ? s[V6_L4]! : 0;
        if (l4 === L4_RAW) return L4_RAW;
        return this.isRoleNone() ? L4_NA : l4;
      }
      case FdType.IPV4_SERVSOCK: return s ? s[V4S_L4]! : 0;
      case FdType.IPV6_SERVSOCK: return s ? s[V6S_L4]! : 0;
      default: return L4_NA;
    }
  }

  /** The union image, allocated zeroed on first use. */
  sockBytes(): Uint8Array {
    return this.sock ?? (this.sock = new Uint8Array(SOCKINFO_LEN));
  }

  isRoleNone(): boolean { return (this.flags & (FdFlag.ROLE_CLIENT | FdFlag.ROLE_SERVER)) === 0; }
  isRoleClient(): boolean { return (this.flags & FdFlag.ROLE_CLIENT) !== 0; }
  isRoleServer(): boolean { return (this.flags & FdFlag.ROLE_SERVER) !== 0; }
  isSocket(): boolean { return this.type === FdType.IPV4_SOCK || this.type === FdType.IPV6_SOCK; }
  /** fdinfo.h is_tcp_socket / is_udp_socket: true for IPv4 sockets only, as in sinsp. */
  isTcpSocket(): boolean { return this.type === FdType.IPV4_SOCK && (this.sock ? this.sock[V4_L4] : 0) === L4_TCP; }
  isUdpSocket(): boolean { return this.type === FdType.IPV4_SOCK && (this.sock ? this.sock[V4_L4] : 0) === 3; }

  setSocketConnected(): void {
    this.flags = (this.flags & ~(FdFlag.CONNECTION_PENDING | FdFlag.CONNECTION_FAILED)) | FdFlag.SOCKET_CONNECTED;
  }

  /** fdinfo.h is_close_on_exec. */
  isCloseOnExec(): boolean {
    if (this.openFlags & O_CLOEXEC) return true;
    if (this.type === FdType.EVENTPOLL && this.openFlags & EPOLL_CLOEXEC) return true;
    return this.type === FdType.MEMFD && (this.openFlags & MFD_CLOEXEC) !== 0;
  }

  clearCloseOnExec(): void {
    this.openFlags &= ~(O_CLOEXEC | EPOLL_CLOEXEC | MFD_CLOEXEC);
  }

  /** A copy (sinsp_fdinfo::clone), socket bytes included. */
  clone(): FdEntry {
    const c = new FdEntry();
    c.fd = this.fd;
    c.type = this.type;
    c.name = this.name;
    c.nameRaw = this.nameRaw;
    c.oldName = this.oldName;
    c.openFlags = this.openFlags;
    c.flags = this.flags;
    c.dev = this.dev;
    c.ino = this.ino;
    c.pid = this.pid;
    c.sock = this.sock ? this.sock.slice() : null;
    return c;
  }
}

/** `MAX_FD_TABLE_SIZE` (userspace/libsinsp/settings.h): fds a table holds at most. */
export const DEFAULT_MAX_FDS = 4096;

/**
 * What full tables refused during one replay (shared by all its tables), so
 * that hitting a limit is reported instead of silently changing answers.
 */
export interface RefusedCounts {
  /** New threads not stored because the thread table was full. */
  threads: number;
  /** New fds not stored because their fd table was full. */
  fds: number;
}

/**
 * The fd table of one thread (sinsp_fdtable). Threads that share their
 * process's table reach it through the main thread (thread-table.ts).
 */
export class FdTable {
  private readonly map = new Map<number, FdEntry>();
  /** The order libsinsp's walk of this table visits the fds in. */
  private readonly order = new UnorderedMapOrder();
  /** The entries in walk order, until the next insert or erase. */
  private walk: FdEntry[] | undefined;
  private readonly current = (): FdEntry[] => [...this.map.values()];

  constructor(
    private readonly maxSize: number = DEFAULT_MAX_FDS,
    private readonly refused: RefusedCounts = { threads: 0, fds: 0 },
  ) {}

  get size(): number { return this.map.size; }

  /** The entry of `fd`, or undefined; negative fds are never found (threadinfo.h get_fd). */
  find(fd: number): FdEntry | undefined {
    return fd < 0 ? undefined : this.map.get(fd);
  }

  /**
   * Adds or replaces `fd` (fdtable.cpp add_ref): a new fd is dropped when the
   * table is full; an existing one is replaced in its place. Returns the stored entry.
   */
  add(fd: number, entry: FdEntry): FdEntry | undefined {
    entry.fd = fd;
    const old = this.map.get(fd);
    if (old !== undefined) {
      entry.orderStamp = old.orderStamp;
    } else {
      if (this.map.size >= this.maxSize) {
        this.refused.fds++;
        return undefined;
      }
      this.order.insert(entry, this.current, this.map.size);
    }
    this.map.set(fd, entry);
    this.walk = undefined;
    return entry;
  }

  erase(fd: number): boolean {
    const e = this.map.get(fd);
    if (e === undefined) return false;
    this.order.erase(e);
    this.map.delete(fd);
    this.walk = undefined;
    return true;
  }

  clear(): void {
    this.map.clear();
    this.order.clear();
    this.walk = undefined;
  }

  /** Keeps only the entries `keep` accepts (fdtable retain). */
  retain(keep: (fd: number, entry: FdEntry) => boolean): void {
    for (const [fd, e] of this.map) if (!keep(fd, e)) this.erase(fd);
  }

  /** The entries in no particular order (for questions the order does not change). */
  entries(): IterableIterator<[number, FdEntry]> {
    return this.map.entries();
  }

  /** Visits the entries in the order libsinsp's walk of its table does (fd.types lists types in it). */
  forEach(visit: (e: FdEntry) => void): void {
    const walk = this.walk ??= this.order.sort(this.current());
    for (const e of walk) visit(e);
  }

  /** Copies every entry into `to`, marked as cloned, in walk order (a forked process's table, parsers.cpp parse_clone_exit_*). */
  copyInto(to: FdTable): void {
    to.clear();
    this.forEach((e) => {
      const c = e.clone();
      c.flags |= FdFlag.IS_CLONED;
      to.add(e.fd, c);
    });
  }
}

/**
 * An fd of the capture's fd list as sinsp loads it (threadinfo.cpp
 * add_fd_from_scap), or undefined for types sinsp does not load (UNKNOWN).
 * Addresses come as text from the state blocks and go back to bytes here.
 */
export function fdFromCapture(info: FdInfo, portNames = false): FdEntry | undefined {
  const e = new FdEntry();
  e.type = info.type;
  e.flags = FdFlag.FROM_PROC;
  e.ino = info.ino;
  e.fd = info.fd;
  const d = info.info;
  switch (info.type) {
    case FdType.IPV4_SOCK:
    case FdType.IPV6_SOCK: {
      if (d.kind !== 'ipv4' && d.kind !== 'ipv6') return undefined;
      const s = e.sockBytes();
      if (d.kind === 'ipv4') {
        parseIpv4(d.sip, s, V4_SIP);
        parseIpv4(d.dip, s, V4_DIP);
      } else {
        const sip = new Uint8Array(16);
        const dip = new Uint8Array(16);
        parseIpv6(d.sip, sip, 0);
        parseIpv6(d.dip, dip, 0);
        if (isIpv4Mapped(sip, 0) && isIpv4Mapped(dip, 0)) {
          // Both ends IPv4-mapped: sinsp keeps it as an IPv4 socket.
          e.type = FdType.IPV4_SOCK;
          s.set(sip.subarray(12, 16), V4_SIP);
          s.set(dip.subarray(12, 16), V4_DIP);
        } else {
          s.set(sip, V6_SIP);
          s.set(dip, V6_DIP);
          putU16(s, V6_SPORT, d.sport);
          putU16(s, V6_DPORT, d.dport);
          s[V6_L4] = d.l4proto;
          if (d.l4proto === L4_TCP) e.flags |= FdFlag.SOCKET_CONNECTED;
          e.name = ipv6TupleName(s, portNames);
          return e;
        }
      }
      putU16(s, V4_SPORT, d.sport);
      putU16(s, V4_DPORT, d.dport);
      s[V4_L4] = d.l4proto;
      if (d.l4proto === L4_TCP) e.flags |= FdFlag.SOCKET_CONNECTED;
      // The interface patching sinsp applies here is a no-op: interfaces are
      // imported after the fd list (sinsp.cpp open_common, then init).
      e.name = ipv4TupleName(s, portNames);
      return e;
    }
    case FdType.IPV4_SERVSOCK:
    case FdType.IPV6_SERVSOCK: {
      if (d.kind !== 'ipv4-server' && d.kind !== 'ipv6-server') return undefined;
      const s = e.sockBytes();
      if (info.type === FdType.IPV4_SERVSOCK) {
        parseIpv4(d.ip, s, V4S_IP);
        putU16(s, V4S_PORT, d.port);
        s[V4S_L4] = d.l4proto;
        e.name = `${ipv4Text(s, V4S_IP)}:${portText(d.port, d.l4proto, portNames)}`;
      } else {
        parseIpv6(d.ip, s, V6S_IP);
        putU16(s, V6S_PORT, d.port);
        s[V6S_L4] = d.l4proto;
        e.name = `${ipv6Text(s, V6S_IP)}:${portText(u16(s, V6S_PORT), d.l4proto, portNames)}`;
      }
      return e;
    }
    case FdType.UNIX_SOCK: {
      if (d.kind !== 'unix') return undefined;
      const s = Buffer.from(e.sockBytes().buffer);
      s.writeBigUInt64LE(BigInt.asUintN(64, d.source), UNIX_SOURCE);
      s.writeBigUInt64LE(BigInt.asUintN(64, d.destination), UNIX_DEST);
      e.name = d.path;
      e.flags |= d.path === '' ? FdFlag.ROLE_CLIENT : FdFlag.ROLE_SERVER;
      return e;
    }
    case FdType.FILE_V2:
      if (d.kind === 'file') {
        e.openFlags = d.openFlags;
        e.name = d.name;
        e.dev = d.dev;
      } else if (d.kind === 'name') {
        e.name = d.name;
      }
      return e;
    case FdType.UNKNOWN:
      return undefined;
    default:
      if (info.type < 0 || info.type >= TYPE_CHARS.length) return undefined;
      e.name = d.kind === 'name' ? d.name : d.kind === 'file' ? d.name : '';
      return e;
  }
}

/**
 * sinsp_threadinfo::fix_sockets_coming_from_proc, run once after loading:
 * an IPv4 socket whose local port is a listening port of the capture is the
 * server end, so its tuple is swapped; any other IPv4 socket is a client.
 */
export function fixSocketFromCapture(e: FdEntry, serverPorts: ReadonlySet<number>, portNames = false): void {
  if (e.type !== FdType.IPV4_SOCK) return;
  const s = e.sockBytes();
  if (!serverPorts.has(u16(s, V4_SPORT))) {
    e.flags |= FdFlag.ROLE_CLIENT;
    return;
  }
  const sip = s.slice(V4_SIP, V4_SIP + 4);
  const sport = u16(s, V4_SPORT);
  s.copyWithin(V4_SIP, V4_DIP, V4_DIP + 4);
  s.set(sip, V4_DIP);
  putU16(s, V4_SPORT, u16(s, V4_DPORT));
  putU16(s, V4_DPORT, sport);
  e.name = ipv4TupleName(s, portNames);
  e.flags |= FdFlag.ROLE_SERVER;
}

/** The listening port of a server socket, for fixSocketFromCapture. */
export function serverPort(e: FdEntry): number | undefined {
  if (e.type === FdType.IPV4_SERVSOCK) return u16(e.sockBytes(), V4S_PORT);
  if (e.type === FdType.IPV6_SERVSOCK) return u16(e.sockBytes(), V6S_PORT);
  return undefined;
}
