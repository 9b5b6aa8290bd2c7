// fd.ip and fd.port in filters: either end of a connected socket, or the
// address of a listening one (falcosecurity/libs 48dfd53:
// userspace/libsinsp/sinsp_filtercheck_fd.cpp compare_ip, compare_port):
// `=` and `in` match when either end matches, `!=` when neither does, and
// fd.port's `<`, `<=`, `>`, `>=` when either end's port compares so;
// `exists` holds for any event with an fd entry. Other fd types match nothing.
// In output both fields print nothing (<NA>), as sinsp's extract does.
// Known difference: sinsp-example at 48dfd53 never matches `fd.ip in (...)`
// with IPv6 addresses (while `fd.ip = ::1` matches); we match as `=` does.

import { FdType } from '../../scapfile/state-blocks/index.js';
import type { FdDetail } from '../state/lookup.js';
import {
  V4_DIP, V4_DPORT, V4_SIP, V4_SPORT, V4S_IP, V4S_PORT, V6_DIP, V6_DPORT, V6_SIP, V6_SPORT, V6S_IP, V6S_PORT,
  sameBytes, u16,
} from '../state/sock-info.js';
import type { EventFilter } from './compile.js';
import { FilterError } from './errors.js';
import { integerValue, ipAddressBytes } from './filter-values.js';
import type { FilterOp } from './parser.js';

const ZERO = new Uint8Array(40);

/** Where a kind of fd keeps its one or two addresses (or ports), and their length. */
function ends(f: FdDetail, port: boolean): { at: number[]; len: number } | undefined {
  switch (f.type) {
    case FdType.IPV4_SOCK: return port ? { at: [V4_SPORT, V4_DPORT], len: 2 } : { at: [V4_SIP, V4_DIP], len: 4 };
    case FdType.IPV6_SOCK: return port ? { at: [V6_SPORT, V6_DPORT], len: 2 } : { at: [V6_SIP, V6_DIP], len: 16 };
    case FdType.IPV4_SERVSOCK: return port ? { at: [V4S_PORT], len: 2 } : { at: [V4S_IP], len: 4 };
    case FdType.IPV6_SERVSOCK: return port ? { at: [V6S_PORT], len: 2 } : { at: [V6S_IP], len: 16 };
    default: return undefined;
  }
}

/** A value of the filter as bytes to compare: 4 (IPv4) or 16 (IPv6) address bytes, or a port. */
type Wanted = { v4: Uint8Array | undefined; v6: Uint8Array | undefined; port: number };

function parseWanted(value: string, port: boolean, field: string, column: number): Wanted {
  if (port) {
    const n = integerValue(value, field, column);
    if (n < 0 || n > 65535) throw new FilterError(`filter: expected a port number for ${field}, found '${value}' (column ${column})`, column);
    return { v4: undefined, v6: undefined, port: n };
  }
  const bytes = ipAddressBytes(value);
  if (bytes !== undefined) return bytes.length === 4 ? { v4: bytes, v6: undefined, port: 0 } : { v4: undefined, v6: bytes, port: 0 };
  throw new FilterError(`filter: expected an IP address for ${field}, found '${value}' (column ${column})`, column);
}

function endMatches(s: Uint8Array, at: number, len: number, w: Wanted, op: FilterOp): boolean {
  if (len === 2) {
    const p = u16(s, at);
    switch (op) {
      case '<': return p < w.port;
      case '<=': return p <= w.port;
      case '>': return p > w.port;
      case '>=': return p >= w.port;
      default: return p === w.port;
    }
  }
  const want = len === 4 ? w.v4 : w.v6;
  return want !== undefined && sameBytes(want, 0, s, at, len);
}

/** The compiled test of `fd.ip`/`fd.port` OP VALUES (fd.proto is compared as fd.port: sinsp's compare_port serves both). */
export function fdAddressCheck(field: 'fd.ip' | 'fd.port' | 'fd.proto', op: FilterOp, values: readonly string[], column: number): EventFilter {
  const port = field !== 'fd.ip';
  if (op === 'exists') return (ev, ctx) => ctx.state.eventFdDetail?.(ev) !== undefined;
  const ordered = op === '<' || op === '<=' || op === '>' || op === '>=';
  if (op !== '=' && op !== '!=' && op !== 'in' && !(port && ordered)) {
    throw new FilterError(`filter: ${field} supports only '=', '!=', 'in'${port ? ", '<', '<=', '>', '>='" : ''} and 'exists' (column ${column})`, column);
  }
  const wanted = values.map((v) => parseWanted(v, port, field, column));
  return (ev, ctx) => {
    const f = ctx.state.eventFdDetail?.(ev);
    if (f === undefined) return false;
    const e = ends(f, port);
    if (e === undefined) return false;
    const s = f.sock ?? ZERO;
    const hit = (at: number): boolean => wanted.some((w) => endMatches(s, at, e.len, w, op));
    if (e.at.length === 1) return op === '!=' ? !hit(e.at[0]!) : hit(e.at[0]!);
    if (op === '!=') return !hit(e.at[0]!) && !hit(e.at[1]!);
    return hit(e.at[0]!) || hit(e.at[1]!);
  };
}
