// Socket state as libsinsp keeps it, byte for byte. sinsp stores a socket's
// addresses in one C union (`sinsp_sockinfo`, userspace/libsinsp/fdinfo.h and
// tuples.h at falcosecurity/libs 48dfd53) and several code paths read it
// through a member other than the one last written: the role guess reads
// IPv4 ports out of IPv6 sockets, bind copies the protocol across layouts,
// and so on. Keeping the union as 40 raw bytes reproduces all of that for
// free. Layout (natural alignment, little-endian ports as the driver stores
// them, addresses in network order):
//   ipv4 tuple:  sip 0, dip 4, sport 8, dport 10, l4proto 12
//   ipv6 tuple:  sip 0, dip 16, sport 32, dport 34, l4proto 36
//   ipv4 server: ip 0, port 4, l4proto 6
//   ipv6 server: ip 0, port 16, l4proto 18
//   unix:        source 0 (u64), dest 8 (u64)

import { formatIpv6 } from '../../scapfile/state-blocks/index.js';
import { serviceName } from './services.js';

/** Size of the union image. */
export const SOCKINFO_LEN = 40;

export const V4_SIP = 0, V4_DIP = 4, V4_SPORT = 8, V4_DPORT = 10, V4_L4 = 12;
export const V6_SIP = 0, V6_DIP = 16, V6_SPORT = 32, V6_DPORT = 34, V6_L4 = 36;
export const V4S_IP = 0, V4S_PORT = 4, V4S_L4 = 6;
export const V6S_IP = 0, V6S_PORT = 16, V6S_L4 = 18;
export const UNIX_SOURCE = 0, UNIX_DEST = 8;

/** Address families as events carry them (`PPM_AF_*`, driver/ppm_events_public.h). */
export const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;

/** `scap_l4_proto` (userspace/libscap/scap.h). */
export const L4_UNKNOWN = 0, L4_NA = 1, L4_TCP = 2, L4_UDP = 3, L4_ICMP = 4, L4_RAW = 5;

const L4_NAMES: Readonly<Record<number, string>> = { [L4_TCP]: 'tcp', [L4_UDP]: 'udp', [L4_ICMP]: 'icmp', [L4_RAW]: 'raw' };

/** sinsp_fdinfo::get_l4proto's name: tcp, udp, icmp, raw, or <NA> (fd.l4proto, netstat's Proto). */
export const l4protoName = (l4: number): string => L4_NAMES[l4] ?? '<NA>';

/**
 * A port as libsinsp's port_to_string prints it: the number, or, with port
 * resolution on (`names`: sysdig -R), the service name /etc/services gives
 * it for the socket's protocol (tcp or udp; for any other, any line with
 * the port), the number when none does.
 */
export function portText(port: number, l4: number, names: boolean): string {
  if (!names) return String(port);
  return serviceName(port, l4 === L4_TCP ? 'tcp' : l4 === L4_UDP ? 'udp' : undefined) ?? String(port);
}

/** A port of a parameter: named for protocol `namesFor` when given (port resolution on), else the number. */
export const paramPortText = (p: number, namesFor: number | undefined): string =>
  (namesFor === undefined ? String(p) : portText(p, namesFor, true));

// Packed layouts of PT_SOCKADDR and PT_SOCKTUPLE parameters (userspace/libsinsp/packed_data.h).
export const SA_IP = 1, SA4_PORT = 5, SA6_PORT = 17, SA_PATH = 1;
export const ST4_SIP = 1, ST4_SPORT = 5, ST4_DIP = 7, ST4_DPORT = 11;
export const ST6_SIP = 1, ST6_SPORT = 17, ST6_DIP = 19, ST6_DPORT = 35;
export const STU_SOURCE = 1, STU_DEST = 9, STU_PATH = 17;

export function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

export function putU16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}

/** Whether `n` bytes at `a[ai]` and `b[bi]` are equal. */
export function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ai + i] !== b[bi + i]) return false;
  return true;
}

export function isZero(b: Uint8Array, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[at + i] !== 0) return false;
  return true;
}

/**
 * sinsp_utils::is_ipv4_mapped_ipv6: `::ffff:a.b.c.d`, or the all-zero
 * address, which sinsp also takes for IPv4.
 */
export function isIpv4Mapped(b: Uint8Array, at: number): boolean {
  if (!isZero(b, at, 10)) return false;
  if (b[at + 10] === 0xff && b[at + 11] === 0xff) return true;
  return isZero(b, at + 10, 6);
}

export function ipv4Text(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** inet_ntop(AF_INET6) text of 16 bytes. */
export function ipv6Text(b: Uint8Array, at: number): string {
  return formatIpv6(b, at);
}

/** Lower-case hex of a little-endian u64 (`%lx`). */
function hex64(b: Uint8Array, at: number): string {
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return view.readBigUInt64LE(at).toString(16);
}

/** A C string at `at`, up to NUL or `end`. */
function cstr(b: Uint8Array, at: number, end: number): string {
  let e = at;
  while (e < end && b[e] !== 0) e++;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', at, e);
}

/** sinsp_utils::is_sockaddr_valid over `len` bytes at `b[at]`. */
export function sockaddrValid(b: Uint8Array, at: number, len: number): boolean {
  if (len === 0) return false;
  switch (b[at]) {
    case AF_INET: return len >= 7;
    case AF_INET6: return len >= 19;
    case AF_UNIX: return len >= 2 && b[at + len - 1] === 0;
    default: return true;
  }
}

/** sinsp_utils::is_socktuple_valid over `len` bytes at `b[at]`. */
export function socktupleValid(b: Uint8Array, at: number, len: number): boolean {
  if (len === 0) return false;
  switch (b[at]) {
    case AF_INET: return len >= 13;
    case AF_INET6: return len >= 37;
    case AF_UNIX: return len >= 18 && b[at + len - 1] === 0;
    default: return true;
  }
}

/**
 * A PT_SOCKADDR parameter as text (event.cpp write_sockaddr_param_to_storage):
 * `ip:port`, a unix path, `family N`; `<NA>` when empty. With `namesFor`
 * (port resolution on) ports are named for that protocol: sinsp takes the
 * event's fd's.
 */
export function sockaddrText(b: Uint8Array, at: number, len: number, namesFor?: number): string {
  if (!sockaddrValid(b, at, len)) {
    if (len === 0) return '<NA>';
    switch (b[at]) {
      case AF_UNIX: return 'INVALID PATH';
      case AF_INET: return 'INVALID IPv4';
      case AF_INET6: return 'INVALID IPv6';
      default: return 'INVALID SOCKADDR';
    }
  }
  switch (b[at]) {
    case AF_UNIX: return cstr(b, at + SA_PATH, at + len);
    case AF_INET: return `${ipv4Text(b, at + SA_IP)}:${paramPortText(u16(b, at + SA4_PORT), namesFor)}`;
    case AF_INET6: return `${ipv6Text(b, at + SA_IP)}:${paramPortText(u16(b, at + SA6_PORT), namesFor)}`;
    default: return `family ${b[at]}`;
  }
}

/**
 * A PT_SOCKTUPLE parameter as text (event.cpp write_socktuple_param_to_storage):
 * `sip:sport->dip:dport` (an IPv6 tuple of two IPv4-mapped addresses prints
 * as IPv4), `src->dst path` for unix sockets; `NULL` when empty. Ports
 * are named for protocol `namesFor` when given, as in sockaddrText.
 */
export function socktupleText(b: Uint8Array, at: number, len: number, namesFor?: number): string {
  if (!socktupleValid(b, at, len)) {
    if (len === 0) return 'NULL';
    switch (b[at]) {
      case AF_UNIX: return 'INVALID PATH';
      case AF_INET: return 'INVALID IPv4';
      case AF_INET6: return 'INVALID IPv6';
      default: return 'INVALID SOCKTUPLE';
    }
  }
  switch (b[at]) {
    case AF_UNIX:
      return `${hex64(b, at + STU_SOURCE)}->${hex64(b, at + STU_DEST)} ${cstr(b, at + STU_PATH, at + len)}`;
    case AF_INET:
      return `${ipv4Text(b, at + ST4_SIP)}:${paramPortText(u16(b, at + ST4_SPORT), namesFor)}->` +
        `${ipv4Text(b, at + ST4_DIP)}:${paramPortText(u16(b, at + ST4_DPORT), namesFor)}`;
    case AF_INET6:
      if (isIpv4Mapped(b, at + ST6_SIP) && isIpv4Mapped(b, at + ST6_DIP)) {
        return `${ipv4Text(b, at + ST6_SIP + 12)}:${paramPortText(u16(b, at + ST6_SPORT), namesFor)}->` +
          `${ipv4Text(b, at + ST6_DIP + 12)}:${paramPortText(u16(b, at + ST6_DPORT), namesFor)}`;
      }
      return `${ipv6Text(b, at + ST6_SIP)}:${paramPortText(u16(b, at + ST6_SPORT), namesFor)}->` +
        `${ipv6Text(b, at + ST6_DIP)}:${paramPortText(u16(b, at + ST6_DPORT), namesFor)}`;
    default:
      return `family ${b[at]}`;
  }
}

/** Unix tuple fd name (parsers.cpp encode_unix_tuple_fd_name): `src->dst path`. */
export function unixTupleName(s: Uint8Array, path: string): string {
  return `${hex64(s, UNIX_SOURCE)}->${hex64(s, UNIX_DEST)} ${path}`;
}

/** ipv4tuple_to_string over the union's IPv4 view; `names`: ports named for the tuple's protocol. */
export function ipv4TupleName(s: Uint8Array, names = false): string {
  const l4 = s[V4_L4]!;
  return `${ipv4Text(s, V4_SIP)}:${portText(u16(s, V4_SPORT), l4, names)}->${ipv4Text(s, V4_DIP)}:${portText(u16(s, V4_DPORT), l4, names)}`;
}

/** ipv6tuple_to_string over the union's IPv6 view; `names` as for ipv4TupleName. */
export function ipv6TupleName(s: Uint8Array, names = false): string {
  const l4 = s[V6_L4]!;
  return `${ipv6Text(s, V6_SIP)}:${portText(u16(s, V6_SPORT), l4, names)}->${ipv6Text(s, V6_DIP)}:${portText(u16(s, V6_DPORT), l4, names)}`;
}

/**
 * sinsp_utils::sockinfo_to_str for an IPv4 (`ipv6 = false`) or IPv6 socket;
 * `names`: ports named for the socket's protocol (port resolution on).
 * Reads the protocol and, for IPv4-mapped IPv6 tuples, the ports through
 * the IPv4 view, as sinsp does.
 */
export function sockinfoText(s: Uint8Array, ipv6: boolean, names = false): string {
  if (!ipv6) {
    const l4 = s[V4_L4];
    if (l4 === L4_TCP || l4 === L4_UDP) return ipv4TupleName(s, names);
    if (l4 === L4_ICMP || l4 === L4_RAW) return `${ipv4Text(s, V4_SIP)}->${ipv4Text(s, V4_DIP)}`;
    return '<unknown>';
  }
  const l4 = s[V6_L4];
  const mapped = isIpv4Mapped(s, V6_SIP) && isIpv4Mapped(s, V6_DIP);
  if (l4 === L4_TCP || l4 === L4_UDP) {
    if (mapped) {
      // sinsp builds an IPv4 tuple with the IPv4 view's protocol byte (offset 12, inside the source address).
      const v4 = s[V4_L4]!;
      return `${ipv4Text(s, V6_SIP + 12)}:${portText(u16(s, V4_SPORT), v4, names)}->` +
        `${ipv4Text(s, V6_DIP + 12)}:${portText(u16(s, V4_DPORT), v4, names)}`;
    }
    return ipv6TupleName(s, names);
  }
  if (l4 === L4_ICMP) {
    if (mapped) return `${ipv4Text(s, V6_SIP + 12)}->${ipv4Text(s, V6_DIP + 12)}`;
    return `${ipv6Text(s, V6_SIP)}->${ipv6Text(s, V6_DIP)}`;
  }
  return '<unknown>';
}

/** Bytes of a dotted-quad IPv4 address (state blocks give addresses as text). */
export function parseIpv4(text: string, out: Uint8Array, at: number): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const v = Number(parts[i]);
    if (!Number.isInteger(v) || v < 0 || v > 255) return false;
    out[at + i] = v;
  }
  return true;
}

/** Bytes of an IPv6 address in any RFC 4291 text form, embedded IPv4 included. */
export function parseIpv6(text: string, out: Uint8Array, at: number): boolean {
  const words: number[] = [];
  let tail = text;
  let v4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon !== -1 && text.indexOf('.', lastColon) !== -1) {
    v4 = new Uint8Array(4);
    if (!parseIpv4(text.slice(lastColon + 1), v4, 0)) return false;
    // Keep a "::" that sits right before the dotted part.
    tail = text.slice(0, lastColon);
    if (tail.endsWith(':')) tail += ':';
  }
  const halves = tail.split('::');
  if (halves.length > 2) return false;
  const group = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out2: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out2.push(parseInt(g, 16));
    }
    return out2;
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (head === undefined || rest === undefined) return false;
  const want = v4 ? 6 : 8;
  const fill = want - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return false;
  words.push(...head);
  for (let i = 0; i < fill; i++) words.push(0);
  words.push(...rest);
  for (let i = 0; i < words.length; i++) {
    out[at + 2 * i] = words[i]! >>> 8;
    out[at + 2 * i + 1] = words[i]! & 0xff;
  }
  if (v4) out.set(v4, at + 12);
  return true;
}
