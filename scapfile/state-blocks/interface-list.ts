// Interface list blocks (IL 0x205 / 0x8011ABCD, IL_V2 0x219). Layout facts
// from falcosecurity/libs 48dfd53: userspace/libscap/engine/savefile/
// scap_savefile.c scap_read_iflist, the structs scap_ifinfo_ipv4/ipv6 in
// userspace/libscap/scap.h and their *_nolinkspeed forms in
// engine/savefile/savefile.h, and the writer scap_write_iflist.
//
// Entry: [V2: u32 length, NOT counting itself] u16 type, u16 name length,
// addr, netmask, bcast (4 bytes each for IPv4, 16 for IPv6), u64 linkspeed
// (absent in the NOLINKSPEED types), then the name bytes. V1 entries have no
// length, so their size comes from the type; V2 entries may be longer than
// their type needs (fields appended later) and the extra bytes are skipped.

import { BlockType } from '../block-types.js';
import { entryTooShort, stringTooLong, unknownTag } from '../errors.js';
import { BodyReader } from './body-reader.js';
import { InterfaceType } from './types.js';
import { MAX_NAME_LEN } from './limits.js';
import type { InterfaceAddress, InterfaceList, StateBlockContext } from './types.js';

/** libscap rejects interface names of SCAP_MAX_PATH_SIZE (1024) bytes or more. */
const MAX_IFNAME_LEN = MAX_NAME_LEN;

/** Bytes of each entry type before the name, type and name length included. */
const FIXED_LEN = new Map<number, number>([
  [InterfaceType.IPV4, 2 + 2 + 4 * 3 + 8],
  [InterfaceType.IPV4_NOLINKSPEED, 2 + 2 + 4 * 3],
  [InterfaceType.IPV6, 2 + 2 + 16 * 3 + 8],
  [InterfaceType.IPV6_NOLINKSPEED, 2 + 2 + 16 * 3],
]);

/** The layout version of an interface list block id, or undefined for other ids. */
export function interfaceListVersion(blockType: number): 1 | 2 | undefined {
  switch (blockType >>> 0) {
    case BlockType.INTERFACE_LIST:
    case BlockType.INTERFACE_LIST_INT:
      return 1;
    case BlockType.INTERFACE_LIST_V2:
      return 2;
    default:
      return undefined;
  }
}

/** Parses an interface list block body `buf[start, end)`; `end` may include the block padding. */
export function parseInterfaceList(buf: Buffer, start: number, end: number, ctx: StateBlockContext): InterfaceList {
  const version = interfaceListVersion(ctx.blockType);
  if (version === undefined) throw new RangeError(`block type 0x${ctx.blockType.toString(16)} is not an interface list`);
  const r = new BodyReader(buf, start, end, ctx);
  const list: InterfaceList = { version, ipv4: [], ipv6: [] };
  while (r.leftInBody >= 4) {
    if (version === 2) {
      const lenAt = r.pos;
      const len = r.u32('interface entry length');
      if (len < 4) r.fail(entryTooShort('interface entry', len, 4), lenAt);
      r.enterEntry('interface entry', r.pos, len, lenAt);
      readEntry(r, list, lenAt);
      r.leaveEntry();
    } else {
      readEntry(r, list, -1);
    }
  }
  return list;
}

/** One entry; `lenAt` is where a V2 entry's length field is, -1 for V1. */
function readEntry(r: BodyReader, list: InterfaceList, lenAt: number): void {
  const at = r.pos;
  const type = r.u16('interface type');
  const nameLen = r.u16('interface name length');
  if (nameLen > MAX_IFNAME_LEN) r.fail(stringTooLong('interface name', nameLen, MAX_IFNAME_LEN), at + 2);
  const fixed = FIXED_LEN.get(type);
  if (fixed === undefined) r.fail(unknownTag('interface type', type), at);
  if (lenAt >= 0 && r.limit - at < fixed + nameLen) {
    r.fail(entryTooShort('interface entry', r.limit - at, fixed + nameLen), lenAt);
  }
  r.need(fixed - 4 + nameLen, 'interface entry');
  const v4 = type === InterfaceType.IPV4 || type === InterfaceType.IPV4_NOLINKSPEED;
  const addr = v4 ? r.ipv4('interface address') : r.ipv6('interface address');
  const netmask = v4 ? r.ipv4('interface netmask') : r.ipv6('interface netmask');
  const bcast = v4 ? r.ipv4('interface broadcast') : r.ipv6('interface broadcast');
  const hasLinkspeed = type === InterfaceType.IPV4 || type === InterfaceType.IPV6;
  const linkspeed = hasLinkspeed ? r.u64n('linkspeed') : 0;
  const name = r.fixedString(nameLen, 'interface name');
  const entry: InterfaceAddress = { type, name, addr, netmask, bcast, linkspeed };
  (v4 ? list.ipv4 : list.ipv6).push(entry);
}
