// fdlist.* fields: the fds a poll or ppoll exit lists, each looked up in
// the thread's table, joined by commas (falcosecurity/libs 48dfd53,
// userspace/libsinsp/sinsp_filtercheck_fdlist.cpp):
// - nums every fd; names every fd's name (`<NA>` for an unknown fd or an
//   empty name); the address and port fields only the fds that have one
//   (client ip/port of connected IP sockets; server ip/port of connected
//   sockets, and the address of listening ones for sips);
// - no value when the list gives nothing (one trailing comma is dropped).
// libsinsp prints a listening IPv6 socket's address with inet_ntop(AF_INET)
// (the first 4 bytes as IPv4); scapkit prints it as IPv6.

import { EventType } from '../../scapfile/schema/events.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import { pidx } from '../state/event-params.js';
import type { FdDetail } from '../state/lookup.js';
import {
  V4_DIP, V4_DPORT, V4_SIP, V4_SPORT, V4S_IP, V6_DIP, V6_DPORT, V6_SIP, V6_SPORT, V6S_IP, ipv4Text, ipv6Text, u16,
} from '../state/sock-info.js';
import { field } from './field.js';
import type { FieldDef } from './field.js';

const FDS = new Map<number, number>([
  [EventType.SYSCALL_POLL_X, pidx('SYSCALL_POLL_X', 'fds')],
  [EventType.SYSCALL_PPOLL_X, pidx('SYSCALL_PPOLL_X', 'fds')],
]);

/** One fd's text in the list, or undefined to leave it out. */
type Item = (fd: number, f: FdDetail | undefined) => string | undefined;

function fdlistField(name: string, description: string, item: Item): FieldDef {
  return field(name, description, (ev, ctx) => {
    const k = FDS.get(ev.type);
    if (k === undefined || ctx.state.thread(ev.tid) === undefined) return undefined;
    // The list: u16 count, then (i64 fd, i16 events) per entry.
    const b = ev.bytes;
    const at = ev.paramStart(k);
    const len = ev.paramLen(k);
    if (len < 2) return undefined;
    const n = u16(b, at);
    let out = '';
    for (let j = 0, pos = at + 2; j < n && pos + 8 <= at + len; j++, pos += 10) {
      const fd = Number(b.readBigInt64LE(pos));
      const text = item(fd, ctx.state.fd(ev.tid, fd) as FdDetail | undefined);
      if (text !== undefined) out += text + ',';
    }
    if (out === '') return undefined;
    return out.slice(0, -1);
  });
}

const sockOf = (f: FdDetail | undefined, type: number): Uint8Array | undefined =>
  (f !== undefined && f.type === type && f.sock !== null ? f.sock : undefined);

type Read = (sock: Uint8Array, at: number) => string;
const port: Read = (s, at) => String(u16(s, at));

/** A value of connected IP sockets only: `read4` at `v4` of an IPv4 one's layout, `read6` at `v6` of an IPv6 one's. */
function connected(v4: number, read4: Read, v6: number, read6: Read): Item {
  return (_fd, f) => {
    const s4 = sockOf(f, FdType.IPV4_SOCK);
    if (s4 !== undefined) return read4(s4, v4);
    const s6 = sockOf(f, FdType.IPV6_SOCK);
    return s6 === undefined ? undefined : read6(s6, v6);
  };
}

export const FDLIST_FIELDS: readonly FieldDef[] = [
  fdlistField('fdlist.nums', 'the fd numbers of a poll event, comma-separated', (fd) => String(fd)),
  fdlistField('fdlist.names', 'the fd names of a poll event, comma-separated', (_fd, f) => (f === undefined || f.name === '' ? '<NA>' : f.name)),
  fdlistField('fdlist.cips', 'client IPs of the connected IP sockets of a poll event', connected(V4_SIP, ipv4Text, V6_SIP, ipv6Text)),
  fdlistField('fdlist.sips', 'server IPs of the IP sockets of a poll event', (_fd, f) => {
    const s4 = sockOf(f, FdType.IPV4_SOCK) ?? sockOf(f, FdType.IPV4_SERVSOCK);
    if (s4 !== undefined) return ipv4Text(s4, f!.type === FdType.IPV4_SOCK ? V4_DIP : V4S_IP);
    const s6 = sockOf(f, FdType.IPV6_SOCK) ?? sockOf(f, FdType.IPV6_SERVSOCK);
    return s6 === undefined ? undefined : ipv6Text(s6, f!.type === FdType.IPV6_SOCK ? V6_DIP : V6S_IP);
  }),
  fdlistField('fdlist.cports', 'client ports of the connected IP sockets of a poll event', connected(V4_SPORT, port, V6_SPORT, port)),
  fdlistField('fdlist.sports', 'server ports of the connected IP sockets of a poll event', connected(V4_DPORT, port, V6_DPORT, port)),
];
