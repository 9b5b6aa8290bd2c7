// The capture's network interfaces, used the one way the state needs them:
// filling in the missing local (or remote) address of a socket tuple
// (falcosecurity/libs 48dfd53, userspace/libsinsp/ifinfo.cpp,
// sinsp_network_interfaces::update_fd, infer_ipv4_address and
// infer_ipv6_address).

import { FdType, InterfaceType, type InterfaceAddress } from '../../scapfile/state-blocks/index.js';
import type { FdEntry } from './fd-table.js';
import {
  V4_DIP, V4_DPORT, V4_SIP, V4_SPORT, V6_DIP, V6_DPORT, V6_SIP, V6_SPORT, isZero, parseIpv4, parseIpv6,
  sameBytes, u16,
} from './sock-info.js';

const LOOPBACK4 = Uint8Array.of(127, 0, 0, 1);
const LOOPBACK6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
const ZERO16 = new Uint8Array(16);

/** IPv4 and IPv6 interface addresses, in the order of the capture's interface list. */
export class NetworkInterfaces {
  private readonly v4: { addr: Uint8Array; mask: Uint8Array }[] = [];
  private readonly v6: Uint8Array[] = [];

  constructor(list: readonly InterfaceAddress[] = []) {
    for (const a of list) {
      if (a.type === InterfaceType.IPV4 || a.type === InterfaceType.IPV4_NOLINKSPEED) {
        const addr = new Uint8Array(4);
        const mask = new Uint8Array(4);
        if (parseIpv4(a.addr, addr, 0) && parseIpv4(a.netmask, mask, 0)) this.v4.push({ addr, mask });
      } else if (a.type === InterfaceType.IPV6 || a.type === InterfaceType.IPV6_NOLINKSPEED) {
        // sinsp keeps only the address of an IPv6 interface (import_ipv6_ifaddr_list).
        const addr = new Uint8Array(16);
        if (parseIpv6(a.addr, addr, 0)) this.v6.push(addr);
      }
    }
  }

  /** infer_ipv4_address: the exact address, else one on the same subnet, else the first non-loopback one, else 0. */
  private inferV4(dest: Uint8Array, at: number): Uint8Array {
    for (const i of this.v4) if (sameBytes(i.addr, 0, dest, at, 4)) return i.addr;
    for (const i of this.v4) {
      let same = true;
      for (let k = 0; k < 4; k++) if ((i.addr[k]! & i.mask[k]!) !== (dest[at + k]! & i.mask[k]!)) same = false;
      if (same) return i.addr;
    }
    for (const i of this.v4) if (!sameBytes(i.addr, 0, LOOPBACK4, 0, 4)) return i.addr;
    return ZERO16.subarray(0, 4);
  }

  /** infer_ipv6_address: exact, else same /64, else the first non-loopback, else all zero. */
  private inferV6(dest: Uint8Array, at: number): Uint8Array {
    for (const a of this.v6) if (sameBytes(a, 0, dest, at, 16)) return a;
    for (const a of this.v6) if (sameBytes(a, 0, dest, at, 8)) return a;
    for (const a of this.v6) if (!sameBytes(a, 0, LOOPBACK6, 0, 16)) return a;
    return ZERO16;
  }

  /**
   * update_fd: an IP socket with a zero source (or destination) address gets
   * the interface address that would have carried the traffic, unless that
   * changes nothing.
   */
  updateFd(e: FdEntry): void {
    if (e.type !== FdType.IPV4_SOCK && e.type !== FdType.IPV6_SOCK) return;
    const s = e.sockBytes();
    if (e.type === FdType.IPV4_SOCK) {
      const sipZero = isZero(s, V4_SIP, 4);
      if (!sipZero && !isZero(s, V4_DIP, 4)) return;
      const from = sipZero ? V4_DIP : V4_SIP;
      const addr = this.inferV4(s, from);
      if (sameBytes(addr, 0, s, from, 4) && u16(s, V4_SPORT) === u16(s, V4_DPORT)) return;
      s.set(addr, sipZero ? V4_SIP : V4_DIP);
      return;
    }
    const sipZero = isZero(s, V6_SIP, 16);
    if (!sipZero && !isZero(s, V6_DIP, 16)) return;
    const from = sipZero ? V6_DIP : V6_SIP;
    const addr = this.inferV6(s, from);
    if (sameBytes(addr, 0, s, from, 16) && u16(s, V6_SPORT) === u16(s, V6_DPORT)) return;
    s.set(addr, sipZero ? V6_SIP : V6_DIP);
  }
}
