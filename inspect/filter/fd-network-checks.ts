// fd.net, fd.cnet, fd.snet, fd.lnet, fd.rnet in filters: CIDR checks on
// the addresses of the event's socket (falcosecurity/libs 48dfd53:
// userspace/libsinsp/sinsp_filtercheck_fd.cpp compare_net and, for the
// side-specific ones, the generic compare of the extracted address;
// filter_compare.cpp flt_compare_ipv4net/ipv6net).
// - Values are networks `ADDR/PREFIX` (a bare address is refused, as is an
//   IPv6 prefix of 0); `=`/`in` hold when the address is inside, `!=` when
//   it is outside, and an address of the other family counts as outside.
// - fd.net looks at both ends of a connected socket (`=`: either inside,
//   `!=`: both outside) or at a listening socket's address. Like libsinsp,
//   fd.net `in (...)` compares with the FIRST network of the list only.
// - fd.cnet/snet/lnet/rnet take the address fd.cip/sip/lip/rip shows; without
//   one the check fails, whatever the operator.
// - `exists`: fd.net for any event with an fd entry; the others when the
//   address has a value.

import { FdType } from '../../scapfile/state-blocks/index.js';
import type { FdDetail } from '../state/lookup.js';
import { V4_DIP, V4_SIP, V4S_IP, V6_DIP, V6_SIP, V6S_IP } from '../state/sock-info.js';
import type { FieldContext } from '../fields/field.js';
import { sideAddress, type SocketSide } from '../fields/fd-fields.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { EventFilter } from './compile.js';
import { FilterError } from './errors.js';
import { ipAddressBytes, prefixLengthValue } from './filter-values.js';
import type { FilterOp } from './parser.js';

const ZERO = new Uint8Array(40);

/** A network: its address bytes (4 or 16) and prefix length. */
interface Net { readonly bytes: Uint8Array; readonly prefix: number }

/**
 * A network value as libsinsp reads one (value_parser.cpp PT_IPNET,
 * tuples.cpp ipv6net): with a dot anywhere, an IPv4 network, else IPv6;
 * the address before the first '/' read as `ipAddressBytes` reads one, the
 * prefix length after it as `prefixLengthValue` (IPv4 0-32, IPv6 1-128).
 */
function parseNet(value: string, field: string, column: number): Net {
  const slash = value.indexOf('/');
  const bad = (): never => {
    throw new FilterError(`filter: expected a network ADDRESS/PREFIX for ${field}, found '${value}' (column ${column})`, column);
  };
  if (slash < 0) return bad();
  const v4 = value.includes('.');
  const bytes = ipAddressBytes(value.slice(0, slash));
  const prefix = prefixLengthValue(value.slice(slash + 1));
  if (bytes === undefined || prefix === undefined || (bytes.length === 4) !== v4) return bad();
  return (v4 ? prefix <= 32 : prefix >= 1 && prefix <= 128) ? { bytes, prefix } : bad();
}

/** Whether the `len` address bytes at `at` are inside `net` (false for the other family). */
function inside(s: Uint8Array, at: number, len: number, net: Net): boolean {
  if (net.bytes.length !== len) return false;
  let left = net.prefix;
  for (let i = 0; i < len && left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((s[at + i]! & mask) !== (net.bytes[i]! & mask)) return false;
  }
  return true;
}

const SIDES: Readonly<Record<string, SocketSide>> = { 'fd.cnet': 'client', 'fd.snet': 'server', 'fd.lnet': 'local', 'fd.rnet': 'remote' };

export const FD_NETWORK_FIELDS: ReadonlySet<string> = new Set(['fd.net', ...Object.keys(SIDES)]);

/** The compiled test of `fd.net`/`fd.cnet`/… OP VALUES. */
export function fdNetworkCheck(field: string, op: FilterOp, values: readonly string[], column: number): EventFilter {
  const fdOf = (ev: EventCursor, ctx: FieldContext): FdDetail | undefined => ctx.state.eventFdDetail?.(ev);
  const side = SIDES[field];
  if (op === 'exists') {
    if (side === undefined) return (ev, ctx) => fdOf(ev, ctx) !== undefined;
    return (ev, ctx) => {
      const f = fdOf(ev, ctx);
      return f !== undefined && sideAddress(f, side, ctx) !== undefined;
    };
  }
  if (op !== '=' && op !== '!=' && op !== 'in') {
    throw new FilterError(`filter: ${field} supports only '=', '!=', 'in' and 'exists' (column ${column})`, column);
  }
  const nets = values.map((v) => parseNet(v, field, column));
  const ne = op === '!=';
  if (side !== undefined) {
    return (ev, ctx) => {
      const f = fdOf(ev, ctx);
      const a = f === undefined ? undefined : sideAddress(f, side, ctx);
      if (a === undefined) return false;
      const s = f!.sock ?? ZERO;
      const hit = nets.some((n) => inside(s, a.at, a.len, n));
      return ne ? !hit : hit;
    };
  }
  const net = nets[0]!;
  return (ev, ctx) => {
    const f = fdOf(ev, ctx);
    if (f === undefined) return false;
    const s = f.sock ?? ZERO;
    let one: number, two = -1, len: number;
    switch (f.type) {
      case FdType.IPV4_SERVSOCK: one = V4S_IP; len = 4; break;
      case FdType.IPV6_SERVSOCK: one = V6S_IP; len = 16; break;
      case FdType.IPV4_SOCK: one = V4_SIP; two = V4_DIP; len = 4; break;
      case FdType.IPV6_SOCK: one = V6_SIP; two = V6_DIP; len = 16; break;
      default: return false;
    }
    if (net.bytes.length !== len) return ne;
    const a = inside(s, one, len, net);
    if (two < 0) return ne ? !a : a;
    const b = inside(s, two, len, net);
    return ne ? !a && !b : a || b;
  };
}
