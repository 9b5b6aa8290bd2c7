// State blocks: the snapshot a capture starts with (machine, processes, fds,
// interfaces, users). Pure parsers over a block body; the block reader finds
// the bodies and hands them here.
//
// ```ts
// if (isStateBlockType(type)) {
//   const block = parseStateBlock(type, buf, bodyStart, bodyEnd, { blockType: type, blockOffset });
//   if (block.kind === 'process-list') for (const t of block.processList.threads) use(t);
// }
// ```

import { parseFdList, fdListVersion } from './fd-list.js';
import { parseInterfaceList, interfaceListVersion } from './interface-list.js';
import { isMachineInfoType, parseMachineInfo } from './machine-info.js';
import { parseProcessList, processListVersion } from './process-list.js';
import { parseUserList, userListVersion } from './user-list.js';
import type {
  FdInfo, FdList, GroupInfo, InterfaceAddress, InterfaceList, MachineInfo, ProcessList, StateBlockContext, ThreadInfo,
  UserInfo, UserList,
} from './types.js';

export { FdType, InterfaceType, L4Proto } from './types.js';
export type {
  FdDetails, FdInfo, FdList, FdTypeName, GroupInfo, InterfaceAddress, InterfaceList, L4ProtoName, MachineInfo,
  NamedFdInfo, NoFdInfo, ProcessList, RegularFileInfo, ServerSocketInfo, SocketTupleInfo, StateBlockContext,
  ThreadInfo, UnixSocketInfo, UserInfo, UserList,
} from './types.js';
export { MACHINE_INFO_LEN, isMachineInfoType, parseMachineInfo } from './machine-info.js';
export { defaultThreadInfo, parseProcessList, processListVersion } from './process-list.js';
export { fdListVersion, parseFdList } from './fd-list.js';
export { interfaceListVersion, parseInterfaceList } from './interface-list.js';
export { parseUserList, userListVersion } from './user-list.js';
export { formatIpv6 } from './body-reader.js';

/** A parsed state block, tagged by family. */
export type StateBlock =
  | { kind: 'machine-info'; machineInfo: MachineInfo }
  | { kind: 'process-list'; processList: ProcessList }
  | { kind: 'fd-list'; fdList: FdList }
  | { kind: 'interface-list'; interfaceList: InterfaceList }
  | { kind: 'user-list'; userList: UserList };

export type StateBlockKind = StateBlock['kind'];

/** The state block family of a block id, or undefined for events, the section header and unknown ids. */
export function stateBlockKind(type: number): StateBlockKind | undefined {
  if (isMachineInfoType(type)) return 'machine-info';
  if (processListVersion(type) !== undefined) return 'process-list';
  if (fdListVersion(type) !== undefined) return 'fd-list';
  if (interfaceListVersion(type) !== undefined) return 'interface-list';
  if (userListVersion(type) !== undefined) return 'user-list';
  return undefined;
}

/** Whether `parseStateBlock` understands this block id (every MI, PL, FDL, IL and UL version). */
export function isStateBlockType(type: number): boolean {
  return stateBlockKind(type) !== undefined;
}

/**
 * Parses the body `buf[start, end)` of a state block of id `type`. `end` may
 * include the block's padding. Throws ScapFormatError for malformed bodies
 * and RangeError if `type` is not a state block id (check `isStateBlockType`).
 */
export function parseStateBlock(
  type: number,
  buf: Buffer,
  start: number,
  end: number,
  ctx: StateBlockContext,
): StateBlock {
  const c: StateBlockContext = ctx.blockType === type ? ctx : { blockType: type, blockOffset: ctx.blockOffset };
  switch (stateBlockKind(type)) {
    case 'machine-info':
      return { kind: 'machine-info', machineInfo: parseMachineInfo(buf, start, end, c) };
    case 'process-list':
      return { kind: 'process-list', processList: parseProcessList(buf, start, end, c) };
    case 'fd-list':
      return { kind: 'fd-list', fdList: parseFdList(buf, start, end, c) };
    case 'interface-list':
      return { kind: 'interface-list', interfaceList: parseInterfaceList(buf, start, end, c) };
    case 'user-list':
      return { kind: 'user-list', userList: parseUserList(buf, start, end, c) };
    default:
      throw new RangeError(`block type 0x${(type >>> 0).toString(16)} is not a state block`);
  }
}

/**
 * The initial state a capture's state blocks describe, gathered the way
 * libscap loads them (engine/savefile/scap_savefile.c _scap_read_init):
 * a later machine info block overwrites an earlier one; interface and user
 * list blocks replace the previous list; process and fd list entries
 * accumulate in file order. Nothing is de-duplicated here: libscap's table
 * keeps the last thread of a tid and the last fd of a (tid, fd), and drops
 * fds of tids no entry read before them had, so the order between blocks
 * matters; that is the thread table's job (inspect/state, from the capture's
 * `stateBlocks`).
 */
export interface CaptureState {
  readonly machine: MachineInfo | undefined;
  readonly threads: readonly ThreadInfo[];
  /** Every fd of every fd list block; each carries its `tid`. */
  readonly fds: readonly FdInfo[];
  readonly users: readonly UserInfo[];
  readonly groups: readonly GroupInfo[];
  /** IPv4 addresses, then IPv6 addresses, of the last interface list block. */
  readonly interfaces: readonly InterfaceAddress[];
}

/** Folds parsed state blocks, in file order, into a CaptureState. */
export function collectState(blocks: readonly StateBlock[]): CaptureState {
  let machine: MachineInfo | undefined;
  const threads: ThreadInfo[] = [];
  const fds: FdInfo[] = [];
  let users: readonly UserInfo[] = [];
  let groups: readonly GroupInfo[] = [];
  let interfaces: readonly InterfaceAddress[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'machine-info':
        machine = b.machineInfo;
        break;
      case 'process-list':
        for (const t of b.processList.threads) threads.push(t);
        break;
      case 'fd-list':
        for (const f of b.fdList.fds) fds.push(f);
        break;
      case 'interface-list':
        interfaces = [...b.interfaceList.ipv4, ...b.interfaceList.ipv6];
        break;
      case 'user-list':
        users = b.userList.users;
        groups = b.userList.groups;
        break;
    }
  }
  return { machine, threads, fds, users, groups, interfaces };
}
