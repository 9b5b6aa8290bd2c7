// More `fd.*` fields of the fd an event is about, with libsinsp's rules
// (falcosecurity/libs 48dfd53: userspace/libsinsp/sinsp_filtercheck_fd.cpp
// extract_single; fdinfo.h get_l4proto; event.h extract_typechar). Socket
// fields read sinsp's socket union image (inspect/state/sock-info.ts);
// "client" is the source side of a connected socket, "server" the
// destination (or the listening address), "local"/"remote" depend on which
// side is one of this machine's addresses.

import { field } from './field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import type { FdDetail } from '../state/lookup.js';
import {
  V4_DIP, V4_DPORT, V4_SIP, V4_SPORT, V4S_IP, V4S_PORT, V6_DIP, V6_DPORT, V6_SIP, V6_SPORT, V6S_IP, V6S_PORT,
  ipv4Text, ipv6Text, l4protoName, u16,
} from '../state/sock-info.js';
import type { FieldContext, FieldDef } from './field.js';

const ZERO = new Uint8Array(40);
const sockOf = (f: FdDetail): Uint8Array => f.sock ?? ZERO;

/** event.h extract_typechar: a guess from the event type when the fd is unknown. */
const TYPECHAR_BY_EVENT = new Map<number, string>([
  [EventType.SYSCALL_OPENAT_2_X, 'f'], [EventType.SYSCALL_OPENAT2_X, 'f'], [EventType.SYSCALL_CREAT_X, 'f'],
  [EventType.SOCKET_SOCKET_X, '4'], [EventType.SOCKET_ACCEPT_5_X, '4'], [EventType.SOCKET_ACCEPT4_6_X, '4'],
  [EventType.SYSCALL_PIPE_X, 'p'], [EventType.SYSCALL_PIPE2_X, 'p'],
  [EventType.SYSCALL_EVENTFD_X, 'e'], [EventType.SYSCALL_EVENTFD2_X, 'e'],
  [EventType.SYSCALL_SIGNALFD_X, 's'], [EventType.SYSCALL_SIGNALFD4_X, 's'],
  [EventType.SYSCALL_TIMERFD_CREATE_X, 't'],
  [EventType.SYSCALL_INOTIFY_INIT_X, 'i'], [EventType.SYSCALL_INOTIFY_INIT1_X, 'i'],
]);

const isFile = (f: FdDetail): boolean => f.type === FdType.FILE || f.type === FdType.FILE_V2;
const isConnected = (f: FdDetail): boolean => f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK;

/** The event's fd entry, or undefined; `hasFd` tells whether the event is about an fd at all. */
function fdOf(ev: EventCursor, ctx: FieldContext): FdDetail | undefined {
  return ctx.state.eventFdDetail?.(ev);
}

/** One end of a socket as the fd.*ip and fd.*net fields name it. */
export type SocketSide = 'client' | 'server' | 'local' | 'remote';

/**
 * Where the address of one side is in the socket image, as fd.cip, fd.sip,
 * fd.lip and fd.rip find it; undefined when that side has none. "client"
 * is the source of a connected socket with a role, "server" its
 * destination or a listening socket's address; libsinsp gives neither to
 * a socket without a role (a listening one from the file's fd list has
 * none: only bind gives it one). "local"/"remote": the source is local
 * when it is one of this machine's addresses.
 */
export function sideAddress(f: FdDetail, side: SocketSide, ctx: FieldContext): { at: number; len: number } | undefined {
  if (f.isRoleNone()) return undefined;
  if (side === 'server') {
    if (f.type === FdType.IPV4_SERVSOCK) return { at: V4S_IP, len: 4 };
    if (f.type === FdType.IPV6_SERVSOCK) return { at: V6S_IP, len: 16 };
  }
  if (!isConnected(f)) return undefined;
  const v4 = f.type === FdType.IPV4_SOCK;
  const len = v4 ? 4 : 16;
  const sip = v4 ? V4_SIP : V6_SIP, dip = v4 ? V4_DIP : V6_DIP;
  if (side === 'client') return { at: sip, len };
  if (side === 'server') return { at: dip, len };
  const srcLocal = ctx.state.isLocalAddress?.(sockOf(f), sip, !v4) ?? false;
  return { at: srcLocal === (side === 'local') ? sip : dip, len };
}

/** The address text of one side (fd.cip, fd.sip, fd.lip, fd.rip). */
function sideIp(ev: EventCursor, ctx: FieldContext, side: SocketSide): string | undefined {
  const f = fdOf(ev, ctx);
  const a = f === undefined ? undefined : sideAddress(f, side, ctx);
  if (a === undefined) return undefined;
  return a.len === 4 ? ipv4Text(sockOf(f!), a.at) : ipv6Text(sockOf(f!), a.at);
}

/**
 * The port of one side (fd.cport, fd.sport, fd.lport, fd.rport): as the
 * address, except that a listening socket's port has a value whatever its
 * role (sinsp_filtercheck_fd.cpp TYPE_SERVERPORT).
 */
function sidePort(ev: EventCursor, ctx: FieldContext, side: SocketSide): string | undefined {
  const f = fdOf(ev, ctx);
  if (f === undefined) return undefined;
  const s = sockOf(f);
  if (side === 'server') {
    if (f.type === FdType.IPV4_SERVSOCK) return String(u16(s, V4S_PORT));
    if (f.type === FdType.IPV6_SERVSOCK) return String(u16(s, V6S_PORT));
  }
  const a = sideAddress(f, side, ctx);
  if (a === undefined || !isConnected(f)) return undefined;
  const v4 = a.len === 4;
  // The port goes with the address found: source with source, destination with destination.
  const source = a.at === (v4 ? V4_SIP : V6_SIP);
  return String(u16(s, v4 ? (source ? V4_SPORT : V4_DPORT) : (source ? V6_SPORT : V6_DPORT)));
}

/** fd.* fields beyond fd.num, fd.type and fd.name. */
export const FD_EXTRA_FIELDS: readonly FieldDef[] = [
  // Filter-only (inspect/filter/fd-address-checks.ts): either end of the socket; sinsp prints nothing for them.
  field('fd.ip', 'in filters: an IP address of either end of the socket (no value in output)', () => undefined),
  field('fd.port', 'in filters: a port of either end of the socket (no value in output)', () => undefined, 'number'),
  field('fd.typechar', 'one-letter fd type: f file, 4 ipv4, 6 ipv6, u unix, p pipe, e eventfd, …', (ev, ctx) => {
    if (ctx.state.eventFd(ev).num === undefined) return undefined;
    const f = fdOf(ev, ctx);
    return f !== undefined ? f.typeChar : (TYPECHAR_BY_EVENT.get(ev.type) ?? 'o');
  }),
  field('fd.directory', 'directory of a file fd (the fd name itself for directories)', (ev, ctx) => {
    const f = fdOf(ev, ctx);
    let name: string | undefined;
    if (f === undefined) {
      name = ctx.state.eventFd(ev).name;
      if (name === undefined) return undefined;
    } else if (!isFile(f) && f.type !== FdType.DIRECTORY) {
      return undefined;
    } else {
      name = f.name;
    }
    if (f === undefined || isFile(f)) {
      const pos = name.lastIndexOf('/');
      if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name;
      return '/';
    }
    return name;
  }),
  field('fd.filename', 'base name of a file fd', (ev, ctx) => {
    const f = fdOf(ev, ctx);
    if (f === undefined || !isFile(f)) return undefined;
    const pos = f.name.lastIndexOf('/');
    if (pos < 0) return '/';
    return pos < f.name.length - 1 ? f.name.slice(pos + 1) : f.name;
  }),
  field('fd.cip', 'client IP address', (ev, ctx) => sideIp(ev, ctx, 'client')),
  field('fd.sip', 'server IP address', (ev, ctx) => sideIp(ev, ctx, 'server')),
  field('fd.cport', 'client port', (ev, ctx) => sidePort(ev, ctx, 'client'), 'number'),
  field('fd.sport', 'server port', (ev, ctx) => sidePort(ev, ctx, 'server'), 'number'),
  field('fd.lip', 'local IP address', (ev, ctx) => sideIp(ev, ctx, 'local')),
  field('fd.rip', 'remote IP address', (ev, ctx) => sideIp(ev, ctx, 'remote')),
  field('fd.lport', 'local port', (ev, ctx) => sidePort(ev, ctx, 'local'), 'number'),
  field('fd.rport', 'remote port', (ev, ctx) => sidePort(ev, ctx, 'remote'), 'number'),
  field('fd.l4proto', 'layer-4 protocol: tcp, udp, icmp, raw', (ev, ctx) => {
    const f = fdOf(ev, ctx);
    return f === undefined ? undefined : l4protoName(f.l4proto);
  }),
  field('fd.sockfamily', 'socket family: ip or unix', (ev, ctx) => {
    const f = fdOf(ev, ctx);
    if (f === undefined) return undefined;
    if (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK || f.type === FdType.IPV4_SERVSOCK ||
      f.type === FdType.IPV6_SERVSOCK) return 'ip';
    return f.type === FdType.UNIX_SOCK ? 'unix' : undefined;
  }),
  field('fd.is_server', 'true when this side is the server', (ev, ctx) => {
    const f = fdOf(ev, ctx);
    if (f === undefined) return undefined;
    if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) return 'true';
    if (f.type === FdType.IPV4_SOCK) return String(ctx.state.isLocalAddress?.(sockOf(f), V4_DIP, false) ?? false);
    if (f.type === FdType.IPV6_SOCK) return String(ctx.state.isLocalAddress?.(sockOf(f), V6_DIP, true) ?? false);
    return 'false';
  }, 'bool'),
];
