// Addresses as libsinsp prints them in PT_SOCKADDR / PT_SOCKTUPLE parameters
// (userspace/libsinsp/event.cpp, write_sockaddr_param_to_storage and
// write_socktuple_param_to_storage; userspace/libsinsp/utils.cpp,
// ipv4serveraddr_to_string, ipv4tuple_to_string, port_to_string).
//
// - IPv4 `a.b.c.d:port`; IPv6 `addr:port` with no brackets (so the last
//   colon-separated group is the port: `2001:db8::4:54405`).
// - Ports print in decimal; with hostname/port resolution on (sysdig -R;
//   off by default, sinsp.cpp) as their service names for the protocol of
//   the event's fd (`namesFor`).
// - A tuple whose two IPv6 addresses are both IPv4-mapped (or all zero)
//   prints as an IPv4 tuple (sinsp_utils::is_ipv4_mapped_ipv6); a single
//   sockaddr never does.
// - Unix tuples print `srcptr->dstptr path` with the pointers in lower-case hex.

import type { SockAddr, SockTuple } from '../../scapfile/params/sockaddr.js';
import { formatIpv6 } from '../../scapfile/state-blocks/index.js';
import { paramPortText as port } from '../state/sock-info.js';

/** Dotted quad of 4 bytes in network order. */
export function ipv4ToString(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** Text form of a 16-byte IPv6 address exactly as glibc's inet_ntop writes it (see formatIpv6). */
export function ipv6ToString(b: Uint8Array, at = 0): string {
  return formatIpv6(b, at);
}

/** sinsp_utils::is_ipv4_mapped_ipv6: ten zero bytes then ffff, or all sixteen zero. */
export function isIpv4MappedIpv6(b: Uint8Array, at = 0): boolean {
  for (let i = 0; i < 10; i++) if (b[at + i] !== 0) return false;
  if (b[at + 10] === 0xff && b[at + 11] === 0xff) return true;
  for (let i = 10; i < 16; i++) if (b[at + i] !== 0) return false;
  return true;
}

/** A decoded PT_SOCKADDR as libsinsp prints it; ports named for protocol `namesFor` when given. */
export function sockAddrToString(a: SockAddr, namesFor?: number): string {
  switch (a.family) {
    case 'inet': return `${ipv4ToString(a.ip)}:${port(a.port, namesFor)}`;
    case 'inet6': return `${ipv6ToString(a.ip)}:${port(a.port, namesFor)}`;
    case 'unix': return a.path.toString('latin1', 0, a.path.length);
    case 'other': return `family ${a.code}`;
  }
}

/** A decoded PT_SOCKTUPLE as libsinsp prints it; ports named for protocol `namesFor` when given. */
export function sockTupleToString(t: SockTuple, namesFor?: number): string {
  switch (t.family) {
    case 'inet':
      return `${ipv4ToString(t.sip)}:${port(t.sport, namesFor)}->${ipv4ToString(t.dip)}:${port(t.dport, namesFor)}`;
    case 'inet6':
      if (isIpv4MappedIpv6(t.sip) && isIpv4MappedIpv6(t.dip)) {
        return `${ipv4ToString(t.sip, 12)}:${port(t.sport, namesFor)}->${ipv4ToString(t.dip, 12)}:${port(t.dport, namesFor)}`;
      }
      return `${ipv6ToString(t.sip)}:${port(t.sport, namesFor)}->${ipv6ToString(t.dip)}:${port(t.dport, namesFor)}`;
    case 'unix':
      return `${t.source.toString(16)}->${t.dest.toString(16)} ${t.path.toString('latin1', 0, t.path.length)}`;
    case 'other': return `family ${t.code}`;
  }
}

/** What libsinsp prints for a sockaddr/socktuple too short for its family (event.cpp). */
export function invalidAddressText(family: number, tuple: boolean): string {
  switch (family) {
    case 1: return 'INVALID PATH';
    case 2: return 'INVALID IPv4';
    case 10: return 'INVALID IPv6';
    default: return tuple ? 'INVALID SOCKTUPLE' : 'INVALID SOCKADDR';
  }
}
