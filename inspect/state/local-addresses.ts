// Whether an address belongs to this machine, as the fd.lip/fd.rip/
// fd.lport/fd.rport/fd.is_server fields decide it (falcosecurity/libs
// 48dfd53: userspace/libsinsp/ifinfo.cpp is_ipv4addr_in_local_machine —
// an interface with exactly that address; is_ipv6addr_in_local_machine —
// an interface in the same /64, tuples.cpp ipv6addr::in_subnet).
// Container addresses are not known offline without the container plugin.

import { InterfaceType, type InterfaceAddress } from '../../scapfile/state-blocks/index.js';
import { parseIpv4, parseIpv6, sameBytes } from './sock-info.js';

/** The capture's interface addresses, for locality tests. */
export class LocalAddresses {
  private readonly v4: Uint8Array[] = [];
  private readonly v6: Uint8Array[] = [];

  constructor(list: readonly InterfaceAddress[] = []) {
    for (const a of list) {
      if (a.type === InterfaceType.IPV4 || a.type === InterfaceType.IPV4_NOLINKSPEED) {
        const addr = new Uint8Array(4);
        if (parseIpv4(a.addr, addr, 0)) this.v4.push(addr);
      } else if (a.type === InterfaceType.IPV6 || a.type === InterfaceType.IPV6_NOLINKSPEED) {
        const addr = new Uint8Array(16);
        if (parseIpv6(a.addr, addr, 0)) this.v6.push(addr);
      }
    }
  }

  /** The 4 bytes at `at` are an interface's address. */
  isLocalV4(b: Uint8Array, at: number): boolean {
    for (const a of this.v4) if (sameBytes(a, 0, b, at, 4)) return true;
    return false;
  }

  /** The 16 bytes at `at` share their first 64 bits with an interface's address. */
  isLocalV6(b: Uint8Array, at: number): boolean {
    for (const a of this.v6) if (sameBytes(a, 0, b, at, 8)) return true;
    return false;
  }
}
