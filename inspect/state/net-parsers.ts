// Parsers of socket events and of the socket tuples carried by send/recv
// (falcosecurity/libs 48dfd53, userspace/libsinsp/parsers.cpp: add_socket,
// parse_socket_exit, parse_bind_exit, parse_connect_exit and
// fill_client_socket_info*, parse_accept_exit, parse_socketpair_exit,
// parse_read_exit, parse_write_exit, infer_send_sendto_sendmsg_fdinfo,
// update_fd, set_*_addresses_and_ports, swap_addresses; fdinfo.cpp
// set_net_role_by_guessing). Every write goes through the socket union
// bytes (sock-info.ts), so sinsp's cross-layout reads come out the same.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import { paramEmpty, paramInt, paramU64, paramUint, pidx, retval } from './event-params.js';
import { FdEntry, FdFlag, O_CLOEXEC } from './fd-table.js';
import type { ReplayContext } from './replay-context.js';
import {
  AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, L4_ICMP, L4_RAW, L4_TCP, L4_UDP, L4_UNKNOWN, SA4_PORT, SA6_PORT, SA_IP,
  SA_PATH, ST4_DIP, ST4_DPORT, ST4_SIP, ST4_SPORT, ST6_DIP, ST6_DPORT, ST6_SIP, ST6_SPORT, STU_DEST, STU_PATH,
  STU_SOURCE, UNIX_DEST, UNIX_SOURCE, V4_DIP, V4_DPORT, V4_L4, V4_SIP, V4_SPORT, V4S_IP, V4S_L4, V4S_PORT, V6_DIP,
  V6_DPORT, V6_L4, V6_SIP, V6_SPORT, V6S_IP, V6S_L4, V6S_PORT, isIpv4Mapped, isZero, putU16, sameBytes,
  sockaddrText, sockaddrValid, sockinfoText, socktupleText, socktupleValid, u16, unixTupleName,
} from './sock-info.js';
import type { ThreadEntry } from './thread-table.js';

const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3;
const IPPROTO_IP = 0, IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_RAW = 255;
/** `SE_EINPROGRESS`: a non-blocking connect still counts as connected (parse_connect_exit). */
const EINPROGRESS = 115;

const SOCKET = {
  domain: pidx('SOCKET_SOCKET_X', 'domain'), type: pidx('SOCKET_SOCKET_X', 'type'),
  proto: pidx('SOCKET_SOCKET_X', 'proto'), flags: pidx('SOCKET_SOCKET_X', 'flags'),
};
const BIND_ADDR = pidx('SOCKET_BIND_X', 'addr');
const CONNECT = { tuple: pidx('SOCKET_CONNECT_X', 'tuple'), addr: pidx('SOCKET_CONNECT_X', 'addr') };
const ACCEPT_TUPLE = pidx('SOCKET_ACCEPT_5_X', 'tuple');
const ACCEPT4_FLAGS = pidx('SOCKET_ACCEPT4_6_X', 'flags');
const PAIR = {
  fd1: pidx('SOCKET_SOCKETPAIR_X', 'fd1'), fd2: pidx('SOCKET_SOCKETPAIR_X', 'fd2'),
  source: pidx('SOCKET_SOCKETPAIR_X', 'source'), peer: pidx('SOCKET_SOCKETPAIR_X', 'peer'),
};
const SEND_FD = pidx('SOCKET_SENDTO_X', 'fd');
const SEND_TUPLE = pidx('SOCKET_SENDTO_X', 'tuple');

/**
 * What a parameter's ports are named for when sinsp renders it into an fd
 * name (get_param_as_str): the protocol of the event's fd at that moment;
 * undefined when ports print as numbers.
 */
const namesFor = (ctx: ReplayContext, fd: FdEntry | undefined): number | undefined =>
  (ctx.portNames ? fd?.l4proto ?? L4_UNKNOWN : undefined);

/** Copies `n` bytes without allocating. */
function put(to: Uint8Array, at: number, from: Uint8Array, fromAt: number, n: number): void {
  for (let i = 0; i < n; i++) to[at + i] = from[fromAt + i]!;
}

/**
 * update_ipv4_addresses_and_ports: no change for the same tuple in either
 * direction; otherwise the source, and the destination when empty or
 * `overwrite`. True when anything changed.
 */
function setIpv4(e: FdEntry, b: Uint8Array, sip: number, sport: number, dip: number, dport: number): boolean {
  const s = e.sockBytes();
  const sp = u16(b, sport);
  const dp = u16(b, dport);
  if (e.type === FdType.IPV4_SOCK) {
    const same = sameBytes(b, sip, s, V4_SIP, 4) && sp === u16(s, V4_SPORT) && sameBytes(b, dip, s, V4_DIP, 4) &&
      dp === u16(s, V4_DPORT);
    const reversed = sameBytes(b, dip, s, V4_SIP, 4) && dp === u16(s, V4_SPORT) && sameBytes(b, sip, s, V4_DIP, 4) &&
      sp === u16(s, V4_DPORT);
    if (same || reversed) return false;
  }
  let changed = false;
  if (!sameBytes(s, V4_SIP, b, sip, 4)) { put(s, V4_SIP, b, sip, 4); changed = true; }
  if (u16(s, V4_SPORT) !== sp) { putU16(s, V4_SPORT, sp); changed = true; }
  if (isZero(s, V4_DIP, 4) || !sameBytes(s, V4_DIP, b, dip, 4)) { put(s, V4_DIP, b, dip, 4); changed = true; }
  if (u16(s, V4_DPORT) === 0 || u16(s, V4_DPORT) !== dp) { putU16(s, V4_DPORT, dp); changed = true; }
  return changed;
}

/** set_ipv6_addresses_and_ports, the IPv6 twin of setIpv4. */
function setIpv6(e: FdEntry, b: Uint8Array, sip: number, sport: number, dip: number, dport: number): boolean {
  const s = e.sockBytes();
  const sp = u16(b, sport);
  const dp = u16(b, dport);
  if (e.type === FdType.IPV6_SOCK) {
    const same = sameBytes(b, sip, s, V6_SIP, 16) && sp === u16(s, V6_SPORT) && sameBytes(b, dip, s, V6_DIP, 16) &&
      dp === u16(s, V6_DPORT);
    const reversed = sameBytes(b, dip, s, V6_SIP, 16) && dp === u16(s, V6_SPORT) &&
      sameBytes(b, sip, s, V6_DIP, 16) && sp === u16(s, V6_DPORT);
    if (same || reversed) return false;
  }
  let changed = false;
  if (!sameBytes(s, V6_SIP, b, sip, 16)) { put(s, V6_SIP, b, sip, 16); changed = true; }
  if (u16(s, V6_SPORT) !== sp) { putU16(s, V6_SPORT, sp); changed = true; }
  if (isZero(s, V6_DIP, 16) || !sameBytes(s, V6_DIP, b, dip, 16)) { put(s, V6_DIP, b, dip, 16); changed = true; }
  if (u16(s, V6_DPORT) === 0 || u16(s, V6_DPORT) !== dp) { putU16(s, V6_DPORT, dp); changed = true; }
  return changed;
}

/** swap_addresses: source and destination trade places (any non-IPv4 socket is swapped as IPv6). */
function swapAddresses(e: FdEntry): void {
  const s = e.sockBytes();
  const [ip, ipLen, sport, dport, dip] = e.type === FdType.IPV4_SOCK
    ? [V4_SIP, 4, V4_SPORT, V4_DPORT, V4_DIP] : [V6_SIP, 16, V6_SPORT, V6_DPORT, V6_DIP];
  for (let i = 0; i < ipLen; i++) {
    const t = s[ip + i]!;
    s[ip + i] = s[dip + i]!;
    s[dip + i] = t;
  }
  const p = u16(s, sport);
  putU16(s, sport, u16(s, dport));
  putU16(s, dport, p);
}

/** is_bound_to_port / uses_client_port over the thread's table, then set_net_role_by_guessing. */
function guessRole(e: FdEntry, t: ThreadEntry, incoming: boolean): void {
  // sinsp reads the ports through the IPv4 view whatever the socket family.
  const s = e.sockBytes();
  const dport = u16(s, V4_DPORT);
  const sport = u16(s, V4_SPORT);
  let bound = false;
  let client = false;
  const table = t.fdTable();
  if (table !== undefined) {
    for (const [, f] of table.entries()) {
      // An fd with no union image reads as all zero, like sinsp's zeroed union.
      const fs = f.sock;
      if (f.type === FdType.IPV4_SOCK) {
        if ((fs ? u16(fs, V4_DPORT) : 0) === dport) bound = true;
        if ((fs ? u16(fs, V4_SPORT) : 0) === sport) client = true;
      } else if (f.type === FdType.IPV4_SERVSOCK && (fs ? u16(fs, V4S_PORT) : 0) === dport) {
        bound = true;
      }
    }
  }
  if (!bound) e.flags |= FdFlag.ROLE_CLIENT;
  else if (!client) e.flags |= FdFlag.ROLE_SERVER;
  else if (e.isRoleNone()) e.flags |= incoming ? FdFlag.ROLE_SERVER : FdFlag.ROLE_CLIENT;
}

/** update_fd: applies the tuple parameter `k` to the event's fd; false when nothing applied. */
function updateFromTuple(ctx: ReplayContext, ev: EventCursor, e: FdEntry, k: number): boolean {
  const len = ev.paramLen(k);
  const b = ev.bytes;
  const at = ev.paramStart(k);
  if (!socktupleValid(b, at, len)) return false;
  const family = b[at];
  if (family === AF_INET) {
    const s = e.sockBytes();
    // A server socket keeps its protocol when it becomes a tuple.
    if (e.type === FdType.IPV4_SERVSOCK) s[V4_L4] = s[V4S_L4]!;
    e.type = FdType.IPV4_SOCK;
    if (!setIpv4(e, b, at + ST4_SIP, at + ST4_SPORT, at + ST4_DIP, at + ST4_DPORT)) return false;
  } else if (family === AF_INET6) {
    if (isIpv4Mapped(b, at + ST6_SIP) && isIpv4Mapped(b, at + ST6_DIP)) {
      e.type = FdType.IPV4_SOCK;
      if (!setIpv4(e, b, at + ST6_SIP + 12, at + ST6_SPORT, at + ST6_DIP + 12, at + ST6_DPORT)) return false;
    } else if (!setIpv6(e, b, at + ST6_SIP, at + ST6_SPORT, at + ST6_DIP, at + ST6_DPORT)) {
      return false;
    }
  } else if (family === AF_UNIX) {
    e.type = FdType.UNIX_SOCK;
    const s = e.sockBytes();
    put(s, UNIX_SOURCE, b, at + STU_SOURCE, 8);
    put(s, UNIX_DEST, b, at + STU_DEST, 8);
    return true;
  }
  // A tuple that changes mid-way cannot be TCP: an unknown protocol becomes UDP.
  const s = e.sockBytes();
  if (e.type === FdType.IPV4_SOCK && s[V4_L4] === L4_UNKNOWN) s[V4_L4] = L4_UDP;
  else if (e.type === FdType.IPV6_SOCK && s[V6_L4] === L4_UNKNOWN) s[V6_L4] = L4_UDP;
  ctx.interfaces.updateFd(e);
  return true;
}

/**
 * The tuple of a send/recv event, when the fd has no name yet or is not an
 * IPv4 TCP socket: names the fd after it, oriented by the fd's role.
 */
function tupleFromIo(ctx: ReplayContext, ev: EventCursor, e: FdEntry, k: number, incoming: boolean): void {
  if (e.name.length !== 0 && e.isTcpSocket()) return;
  if (!updateFromTuple(ctx, ev, e, k)) return;
  if (e.type === FdType.IPV4_SOCK || e.type === FdType.IPV6_SOCK) {
    if (e.isRoleNone() && ctx.evThread !== undefined) guessRole(e, ctx.evThread, incoming);
    // Names read client->server: a reading client and a writing server see the tuple reversed.
    if (incoming ? e.isRoleClient() : e.isRoleServer()) swapAddresses(e);
    e.name = sockinfoText(e.sockBytes(), e.type === FdType.IPV6_SOCK, ctx.portNames);
  } else {
    e.name = socktupleText(ev.bytes, ev.paramStart(k), ev.paramLen(k), namesFor(ctx, e));
  }
}

const RECV_TUPLE = new Int8Array(512).fill(-1);
RECV_TUPLE[EventType.SOCKET_RECVFROM_X] = pidx('SOCKET_RECVFROM_X', 'tuple');
RECV_TUPLE[EventType.SOCKET_RECVMSG_X] = pidx('SOCKET_RECVMSG_X', 'tuple');
RECV_TUPLE[EventType.SOCKET_RECVMMSG_X] = pidx('SOCKET_RECVMMSG_X', 'tuple');
RECV_TUPLE[EventType.SOCKET_RECV_X] = pidx('SOCKET_RECV_X', 'tuple');

/** read/readv/pread/preadv/recv*: a successful read marks a socket connected and may name it. */
export function parseRead(ctx: ReplayContext, ev: EventCursor): void {
  // Old recvmmsg events come with every parameter empty.
  if (ev.type === EventType.SOCKET_RECVMMSG_X && paramEmpty(ev, 0)) return;
  const e = ctx.evFd;
  if (e === undefined || retval(ev) < 0) return;
  if (e.isSocket()) e.setSocketConnected();
  const k = RECV_TUPLE[ev.type]!;
  if (k >= 0) tupleFromIo(ctx, ev, e, k, true);
}

/** write/writev/pwrite/pwritev/send*: as parseRead, and a send on an unknown fd creates a UDP socket. */
export function parseWrite(ctx: ReplayContext, ev: EventCursor): void {
  const type = ev.type;
  if (type === EventType.SOCKET_SENDMMSG_X && paramEmpty(ev, 0)) return;
  const sendLike = type === EventType.SOCKET_SEND_X || type === EventType.SOCKET_SENDTO_X ||
    type === EventType.SOCKET_SENDMSG_X;
  if (sendLike && ctx.evFd === undefined && ctx.evThread !== undefined && retval(ev) >= 0) {
    // We missed the socket() call: guess a datagram socket of the tuple's family.
    const family = ev.paramLen(SEND_TUPLE) > 0 ? ev.bytes[ev.paramStart(SEND_TUPLE)] : -1;
    if (family === AF_INET || family === AF_INET6) {
      addSocket(ctx, paramInt(ev, SEND_FD), family, SOCK_DGRAM, IPPROTO_UDP, 0);
    }
  }
  const e = ctx.evFd;
  if (e === undefined || retval(ev) < 0) return;
  if (e.isSocket()) e.setSocketConnected();
  if (sendLike || type === EventType.SOCKET_SENDMMSG_X) tupleFromIo(ctx, ev, e, SEND_TUPLE, false);
}

/** add_socket: a new socket fd of the given domain, protocol from type and proto. */
function addSocket(ctx: ReplayContext, fd: number, domain: number, type: number, proto: number, flags: number): void {
  const t = ctx.evThread!;
  const e = new FdEntry();
  e.type = FdType.UNKNOWN;
  e.openFlags = flags;
  if (domain === AF_UNIX) {
    e.type = FdType.UNIX_SOCK;
  } else if (domain === AF_INET || domain === AF_INET6) {
    e.type = domain === AF_INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    let l4 = L4_UNKNOWN;
    if (proto === IPPROTO_TCP) l4 = type === SOCK_RAW ? L4_RAW : L4_TCP;
    else if (proto === IPPROTO_UDP) l4 = type === SOCK_RAW ? L4_RAW : L4_UDP;
    else if (proto === IPPROTO_IP) {
      // The type may carry SOCK_NONBLOCK / SOCK_CLOEXEC above its low byte.
      if ((type & 0xff) === SOCK_STREAM) l4 = L4_TCP;
      else if ((type & 0xff) === SOCK_DGRAM) l4 = L4_UDP;
    } else if (proto === IPPROTO_ICMP) l4 = type === SOCK_RAW ? L4_RAW : L4_ICMP;
    else if (proto === IPPROTO_RAW) l4 = L4_RAW;
    e.sockBytes()[domain === AF_INET ? V4_L4 : V6_L4] = l4;
  } else if (domain === AF_NETLINK) {
    e.type = FdType.NETLINK;
  }
  ctx.evFd = t.addFd(fd, e);
}

export function parseSocket(ctx: ReplayContext, ev: EventCursor): void {
  const fd = retval(ev);
  if (fd < 0 || ctx.evThread === undefined) return;
  addSocket(ctx, fd, paramUint(ev, SOCKET.domain), paramUint(ev, SOCKET.type), paramUint(ev, SOCKET.proto),
    paramUint(ev, SOCKET.flags));
}

/** bind: a non-zero port makes a listening socket; the name becomes the bound address. */
export function parseBind(ctx: ReplayContext, ev: EventCursor): void {
  const e = ctx.evFd;
  if (e === undefined || retval(ev) < 0) return;
  const b = ev.bytes;
  const at = ev.paramStart(BIND_ADDR);
  const len = ev.paramLen(BIND_ADDR);
  if (!sockaddrValid(b, at, len)) return;
  const s = e.sockBytes();
  if (b[at] === AF_INET) {
    const port = u16(b, at + SA4_PORT);
    if (port > 0) {
      e.type = FdType.IPV4_SERVSOCK;
      put(s, V4S_IP, b, at + SA_IP, 4);
      putU16(s, V4S_PORT, port);
      s[V4S_L4] = s[V4_L4]!;
      e.flags |= FdFlag.ROLE_SERVER;
    }
  } else if (b[at] === AF_INET6) {
    const port = u16(b, at + SA6_PORT);
    if (port > 0) {
      if (isIpv4Mapped(b, at + SA_IP)) {
        e.type = FdType.IPV4_SERVSOCK;
        s[V4S_L4] = s[V6_L4]!;
        put(s, V4S_IP, b, at + SA_IP + 12, 4);
        putU16(s, V4S_PORT, port);
      } else {
        e.type = FdType.IPV6_SERVSOCK;
        putU16(s, V6S_PORT, port);
        put(s, V6S_IP, b, at + SA_IP, 16);
        s[V6S_L4] = s[V6_L4]!;
      }
      e.flags |= FdFlag.ROLE_SERVER;
    }
  }
  e.name = sockaddrText(b, at, len, namesFor(ctx, e));
}

/**
 * connect: the socket becomes a client of the tuple's destination (the
 * enter event's address wins unless the kernel reported a different one,
 * the TOCTOU rule of resolve_connect_*_destination).
 */
export function parseConnect(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  const e = ctx.evFd;
  if (t === undefined || e === undefined) return;
  const res = retval(ev);
  if (res < 0 && res !== -EINPROGRESS) return;
  e.setSocketConnected();
  const enter = t.retrieveEnter(ev.type);
  const enterAddr = enter !== null && enter.addr !== null && sockaddrValid(enter.addr, 0, enter.addr.length)
    ? enter.addr : null;
  const b = ev.bytes;
  const tlen = ev.paramLen(CONNECT.tuple);
  const tat = ev.paramStart(CONNECT.tuple);
  if (tlen === 0) {
    if (enterAddr !== null) clientFromAddr(ev, e, enterAddr);
    return;
  }
  const alen = ev.paramLen(CONNECT.addr);
  const aat = ev.paramStart(CONNECT.addr);
  const exitAddr = sockaddrValid(b, aat, alen) ? aat : -1;
  if (!socktupleValid(b, tat, tlen)) return;
  const family = b[tat];
  if (family === AF_INET || family === AF_INET6) {
    const v6 = family === AF_INET6;
    const [sip, sport, tdip, tdport, addrPort, ipLen] = v6
      ? [ST6_SIP, ST6_SPORT, ST6_DIP, ST6_DPORT, SA6_PORT, 16] : [ST4_SIP, ST4_SPORT, ST4_DIP, ST4_DPORT, SA4_PORT, 4];
    // Destination: the tuple's, unless the exit address repeats it and an enter address exists.
    let db: Uint8Array = b;
    let dip = tat + tdip;
    let dport = tat + tdport;
    if (exitAddr >= 0 && enterAddr !== null && sameBytes(b, dport, b, exitAddr + addrPort, 2) &&
      sameBytes(b, dip, b, exitAddr + SA_IP, ipLen)) {
      db = enterAddr;
      dip = SA_IP;
      dport = addrPort;
    }
    let changed: boolean;
    if (v6 && !(isIpv4Mapped(b, tat + sip) && isIpv4Mapped(db, dip))) {
      e.type = FdType.IPV6_SOCK;
      changed = setIpv6Split(e, b, tat + sip, tat + sport, db, dip, dport);
    } else {
      e.type = FdType.IPV4_SOCK;
      const off = v6 ? 12 : 0;
      changed = setIpv4Split(e, b, tat + sip + off, tat + sport, db, dip + off, dport);
    }
    // A UDP server that connects sees its tuple the other way round.
    if (changed && e.isRoleServer() && e.isUdpSocket()) swapAddresses(e);
    e.name = sockinfoText(e.sockBytes(), e.type === FdType.IPV6_SOCK, ctx.portNames);
  } else {
    if (e.type !== FdType.UNIX_SOCK) return;
    let path = cstring(b, tat + STU_PATH, tat + tlen);
    if (exitAddr >= 0 && enterAddr !== null && path === cstring(b, exitAddr + SA_PATH, exitAddr + alen)) {
      path = cstring(enterAddr, SA_PATH, enterAddr.length);
    }
    const s = e.sockBytes();
    put(s, UNIX_SOURCE, b, tat + STU_SOURCE, 8);
    put(s, UNIX_DEST, b, tat + STU_DEST, 8);
    e.name = unixTupleName(s, path);
  }
  if (e.isRoleNone()) e.flags |= FdFlag.ROLE_CLIENT;
}

/** setIpv4 with the destination in another buffer (the stored enter address). */
function setIpv4Split(e: FdEntry, b: Uint8Array, sip: number, sport: number, db: Uint8Array, dip: number, dport: number): boolean {
  if (db === b) return setIpv4(e, b, sip, sport, dip, dport);
  const tmp = new Uint8Array(12);
  put(tmp, 0, b, sip, 4); put(tmp, 4, b, sport, 2); put(tmp, 6, db, dip, 4); put(tmp, 10, db, dport, 2);
  return setIpv4(e, tmp, 0, 4, 6, 10);
}

function setIpv6Split(e: FdEntry, b: Uint8Array, sip: number, sport: number, db: Uint8Array, dip: number, dport: number): boolean {
  if (db === b) return setIpv6(e, b, sip, sport, dip, dport);
  const tmp = new Uint8Array(36);
  put(tmp, 0, b, sip, 16); put(tmp, 16, b, sport, 2); put(tmp, 18, db, dip, 16); put(tmp, 34, db, dport, 2);
  return setIpv6(e, tmp, 0, 16, 18, 34);
}

function cstring(b: Uint8Array, at: number, end: number): string {
  let e = at;
  while (e < end && b[e] !== 0) e++;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', at, e);
}

/** fill_client_socket_info_from_addr: a connect without tuple takes the enter event's address as destination. */
function clientFromAddr(ev: EventCursor, e: FdEntry, a: Uint8Array): void {
  const s = e.sockBytes();
  if (a[0] === AF_INET) {
    e.type = FdType.IPV4_SOCK;
    put(s, V4_DIP, a, SA_IP, 4);
    put(s, V4_DPORT, a, SA4_PORT, 2);
  } else if (a[0] === AF_INET6) {
    if (isIpv4Mapped(a, SA_IP)) {
      e.type = FdType.IPV4_SOCK;
      put(s, V4_DIP, a, SA_IP + 12, 4);
      put(s, V4_DPORT, a, SA6_PORT, 2);
    } else {
      e.type = FdType.IPV6_SOCK;
      put(s, V6_DPORT, a, SA6_PORT, 2);
      put(s, V6_DIP, a, SA_IP, 16);
    }
  } else {
    // sinsp names it after the exit event's (empty) tuple parameter.
    e.name = socktupleText(ev.bytes, ev.paramStart(CONNECT.tuple), ev.paramLen(CONNECT.tuple));
  }
}

/** accept/accept4: a new connected server-side socket named after the tuple. */
export function parseAccept(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  const fd = retval(ev);
  if (fd < 0) return;
  t.lastEventFd = fd;
  const b = ev.bytes;
  const at = ev.paramStart(ACCEPT_TUPLE);
  const len = ev.paramLen(ACCEPT_TUPLE);
  if (!socktupleValid(b, at, len)) return;
  const e = new FdEntry();
  const family = b[at];
  if (family === AF_INET) {
    setIpv4(e, b, at + ST4_SIP, at + ST4_SPORT, at + ST4_DIP, at + ST4_DPORT);
    e.type = FdType.IPV4_SOCK;
    e.sockBytes()[V4_L4] = L4_TCP;
  } else if (family === AF_INET6) {
    if (isIpv4Mapped(b, at + ST6_SIP) && isIpv4Mapped(b, at + ST6_DIP)) {
      setIpv4(e, b, at + ST6_SIP + 12, at + ST6_SPORT, at + ST6_DIP + 12, at + ST6_DPORT);
      e.type = FdType.IPV4_SOCK;
      e.sockBytes()[V4_L4] = L4_TCP;
    } else {
      setIpv6(e, b, at + ST6_SIP, at + ST6_SPORT, at + ST6_DIP, at + ST6_DPORT);
      e.type = FdType.IPV6_SOCK;
      e.sockBytes()[V6_L4] = L4_TCP;
    }
  } else if (family === AF_UNIX) {
    e.type = FdType.UNIX_SOCK;
    const s = e.sockBytes();
    put(s, UNIX_SOURCE, b, at + STU_SOURCE, 8);
    put(s, UNIX_DEST, b, at + STU_DEST, 8);
  } else {
    return;
  }
  // sinsp renders the tuple before the new fd is the event's: the ports are named for the listening socket's protocol.
  e.name = socktupleText(b, at, len, namesFor(ctx, ctx.evFd));
  e.openFlags = ev.type === EventType.SOCKET_ACCEPT4_6_X ? paramInt(ev, ACCEPT4_FLAGS) & O_CLOEXEC : 0;
  e.flags = FdFlag.ROLE_SERVER | FdFlag.SOCKET_CONNECTED;
  ctx.evFd = t.addFd(fd, e);
}

/** socketpair: two unix sockets sharing the pair's kernel addresses. */
export function parseSocketpair(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (retval(ev) < 0 || t === undefined) return;
  const fd1 = paramInt(ev, PAIR.fd1);
  const fd2 = paramInt(ev, PAIR.fd2);
  if (fd1 === fd2) {
    ctx.evFd = undefined;
    return;
  }
  const e1 = new FdEntry();
  e1.type = FdType.UNIX_SOCK;
  const s = Buffer.from(e1.sockBytes().buffer);
  s.writeBigUInt64LE(paramU64(ev, PAIR.source), UNIX_SOURCE);
  s.writeBigUInt64LE(paramU64(ev, PAIR.peer), UNIX_DEST);
  const e2 = e1.clone();
  ctx.evFd = t.addFd(fd1, e1);
  t.addFd(fd2, e2);
}
