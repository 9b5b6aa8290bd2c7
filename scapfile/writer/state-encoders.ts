// Encoders of the blocks a capture starts with, in the newest layouts that
// libscap writes today. Layout facts from falcosecurity/libs 48dfd53,
// userspace/libscap/scap_savefile.c: scap_setup_dump (section header; block
// order MI, IL, UL, PL, FDL), scap_write_machine_info,
// scap_write_proclist_entry_bufs (PL V9 entry, its length counting itself),
// scap_fd_info_len / scap_fd_write_to_disk (FDL V2 entry, length counting
// itself), scap_write_iflist (IL V2 entry, length NOT counting itself),
// scap_write_userlist (UL V2 entry, length counting itself).
//
// Strings are written as their latin1 bytes (state-blocks/types.ts keeps one
// char per byte) and cut to the longest length libscap's reader accepts for
// the field (engine/savefile/scap_savefile.c), as libscap's writer cuts with
// strnlen: a longer value would make the whole file unreadable.

import { BlockType, SECTION_MAGIC } from '../block-types.js';
import type { CaptureState } from '../state-blocks/index.js';
import {
  MAX_NAME_LEN, SCAP_MAX_ARGS_SIZE, SCAP_MAX_CGROUPS_SIZE, SCAP_MAX_ENV_SIZE, SCAP_MAX_PATH_SIZE,
} from '../state-blocks/limits.js';
import { FdType, InterfaceType } from '../state-blocks/types.js';
import type { FdInfo, GroupInfo, InterfaceAddress, MachineInfo, ThreadInfo, UserInfo } from '../state-blocks/types.js';
import { BlockBuilder } from './block-builder.js';
import { ipv4Bytes, ipv6Bytes } from './ip-text.js';

// Longest stored lengths libscap reads back (state-blocks/limits.ts;
// credentials must stay below 256).
const MAX_PATH = SCAP_MAX_PATH_SIZE;
const MAX_ARGS = SCAP_MAX_ARGS_SIZE;
const MAX_FD_NAME = MAX_NAME_LEN;
const MAX_IFNAME = MAX_NAME_LEN;
const MAX_CREDENTIAL = 255;
const HOSTNAME_LEN = 128;

/** Current format version written in the section header (CURRENT_MAJOR/MINOR_VERSION). */
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 2;

const latin1 = (s: string, max: number): Buffer => {
  const b = Buffer.from(s, 'latin1');
  return b.length > max ? b.subarray(0, max) : b;
};

/**
 * A NUL-separated list as /proc and libscap store it: every item followed by
 * a NUL. The reader drops one trailing NUL and splits (splitNulList), so this
 * gives back the same items, except that a list of one empty item reads back
 * as no items, as it does in sinsp.
 */
const nulList = (items: readonly string[], max: number): Buffer =>
  latin1(items.length === 0 ? '' : items.join('\0') + '\0', max);

/** u16 length + bytes. */
function str16(b: BlockBuilder, bytes: Buffer): void {
  b.u16(bytes.length).bytes(bytes);
}

/** Section header block, format 1.2, section length -1 (unknown), as scap_setup_dump writes it. */
export function encodeSectionHeader(b: BlockBuilder): void {
  b.beginBlock(BlockType.SECTION_HEADER);
  b.u32(SECTION_MAGIC).u16(FORMAT_MAJOR).u16(FORMAT_MINOR).i64(-1);
  b.endBlock();
}

/** Machine info block (MI 0x201): the packed 180-byte scap_machine_info. */
export function encodeMachineInfo(b: BlockBuilder, mi: MachineInfo): void {
  b.beginBlock(BlockType.MACHINE_INFO);
  b.u32(mi.numCpus).u64(mi.memorySizeBytes).u64(mi.maxPid);
  const host = latin1(mi.hostname, HOSTNAME_LEN);
  b.bytes(host).zeros(HOSTNAME_LEN - host.length);
  b.u64(mi.bootTsEpochNs).u64(mi.flags).u64(mi.reserved3).u64(mi.reserved4);
  b.endBlock();
}

/** Process list block V9 (0x215): every thread, each entry prefixed by its length. */
export function encodeProcessList(b: BlockBuilder, threads: readonly ThreadInfo[]): void {
  b.beginBlock(BlockType.PROCESS_LIST_V9);
  for (const t of threads) {
    const lenAt = b.length;
    b.u32(0);
    b.i64(t.tid).i64(t.pid).i64(t.ptid).i64(t.sid).i64(t.vpgid);
    str16(b, latin1(t.comm, MAX_PATH));
    str16(b, latin1(t.exe, MAX_PATH));
    str16(b, latin1(t.exepath, MAX_PATH));
    str16(b, nulList(t.args, MAX_ARGS));
    str16(b, latin1(t.cwd, MAX_PATH));
    b.i64(t.fdlimit).u32(t.flags).u32(t.uid).u32(t.gid);
    b.u32(t.vmsizeKb).u32(t.vmrssKb).u32(t.vmswapKb).u64(t.pfmajor).u64(t.pfminor);
    str16(b, nulList(t.env, SCAP_MAX_ENV_SIZE));
    b.i64(t.vtid).i64(t.vpid);
    str16(b, nulList(t.cgroups, SCAP_MAX_CGROUPS_SIZE));
    str16(b, latin1(t.root, MAX_PATH));
    b.u64(t.pidnsInitStartTsNs).u32(t.tty).u32(t.loginuid).u8(t.exeWritable ? 1 : 0);
    b.u64(t.capInheritable).u64(t.capPermitted).u64(t.capEffective);
    b.u8(t.exeUpperLayer ? 1 : 0).u64(t.exeIno).u64(t.exeInoCtimeNs).u64(t.exeInoMtimeNs);
    b.u8(t.exeFromMemfd ? 1 : 0).u8(t.exeLowerLayer ? 1 : 0).i64(t.pgid);
    b.patchU32(lenAt, b.length - lenAt);
  }
  b.endBlock();
}

/**
 * Fd list block V2 (0x218) of thread `tid`. Fds of type UNKNOWN carry no
 * payload and libscap's writer leaves them out (scap_write_proc_fds); so do we.
 */
export function encodeFdList(b: BlockBuilder, tid: number, fds: readonly FdInfo[]): void {
  b.beginBlock(BlockType.FD_LIST_V2);
  b.i64(tid);
  for (const f of fds) {
    if (f.info.kind === 'none' || f.type === FdType.UNKNOWN) continue;
    const lenAt = b.length;
    b.u32(0).i64(f.fd).u64(f.ino).u8(f.type);
    const info = f.info;
    switch (info.kind) {
      case 'ipv4':
        b.bytes(ipv4Bytes(info.sip)).bytes(ipv4Bytes(info.dip)).u16(info.sport).u16(info.dport).u8(info.l4proto);
        break;
      case 'ipv6':
        b.bytes(ipv6Bytes(info.sip)).bytes(ipv6Bytes(info.dip)).u16(info.sport).u16(info.dport).u8(info.l4proto);
        break;
      case 'ipv4-server':
        b.bytes(ipv4Bytes(info.ip)).u16(info.port).u8(info.l4proto);
        break;
      case 'ipv6-server':
        b.bytes(ipv6Bytes(info.ip)).u16(info.port).u8(info.l4proto);
        break;
      case 'unix':
        b.u64(info.source).u64(info.destination);
        str16(b, latin1(info.path, MAX_FD_NAME));
        break;
      case 'file':
        b.u32(info.openFlags);
        str16(b, latin1(info.name, MAX_FD_NAME));
        b.u32(info.dev);
        break;
      case 'name':
        str16(b, latin1(info.name, MAX_FD_NAME));
        break;
    }
    b.patchU32(lenAt, b.length - lenAt);
  }
  b.endBlock();
}

/** Interface list block V2 (0x219): IPv4 entries, then IPv6 entries. */
export function encodeInterfaceList(b: BlockBuilder, interfaces: readonly InterfaceAddress[]): void {
  const isV4 = (a: InterfaceAddress): boolean => a.type === InterfaceType.IPV4 || a.type === InterfaceType.IPV4_NOLINKSPEED;
  const ordered = [...interfaces.filter(isV4), ...interfaces.filter((a) => !isV4(a))];
  b.beginBlock(BlockType.INTERFACE_LIST_V2);
  for (const a of ordered) {
    const v4 = isV4(a);
    const addr = v4 ? ipv4Bytes : ipv6Bytes;
    const name = latin1(a.name, MAX_IFNAME);
    const lenAt = b.length;
    b.u32(0).u16(a.type).u16(name.length);
    b.bytes(addr(a.addr)).bytes(addr(a.netmask)).bytes(addr(a.bcast));
    // The NOLINKSPEED layouts (written by old libscap) have no linkspeed;
    // the type is kept, so the entry keeps its layout.
    if (a.type === InterfaceType.IPV4 || a.type === InterfaceType.IPV6) b.u64(a.linkspeed);
    b.bytes(name);
    b.patchU32(lenAt, b.length - lenAt - 4);
  }
  b.endBlock();
}

/** USERBLOCK_TYPE_USER / USERBLOCK_TYPE_GROUP (userspace/libscap/scap.h). */
const USER_ENTRY = 0;
const GROUP_ENTRY = 1;

/** User list block V2 (0x220): users, then groups. */
export function encodeUserList(b: BlockBuilder, users: readonly UserInfo[], groups: readonly GroupInfo[]): void {
  b.beginBlock(BlockType.USER_LIST_V2);
  for (const u of users) {
    const lenAt = b.length;
    b.u32(0).u8(USER_ENTRY).u32(u.uid).u32(u.gid);
    str16(b, latin1(u.name, MAX_CREDENTIAL));
    str16(b, latin1(u.homedir, MAX_CREDENTIAL));
    str16(b, latin1(u.shell, MAX_CREDENTIAL));
    b.patchU32(lenAt, b.length - lenAt);
  }
  for (const g of groups) {
    const lenAt = b.length;
    b.u32(0).u8(GROUP_ENTRY).u32(g.gid);
    str16(b, latin1(g.name, MAX_CREDENTIAL));
    b.patchU32(lenAt, b.length - lenAt);
  }
  b.endBlock();
}

/**
 * Every state block of `state`, in the order libscap writes them (MI, IL,
 * UL, PL, FDL). Empty lists are left out. Fds get one block per run of the
 * same tid, so the fd order of the input is kept.
 */
export function encodeState(b: BlockBuilder, state: CaptureState): void {
  if (state.machine) encodeMachineInfo(b, state.machine);
  if (state.interfaces.length > 0) encodeInterfaceList(b, state.interfaces);
  if (state.users.length > 0 || state.groups.length > 0) encodeUserList(b, state.users, state.groups);
  if (state.threads.length > 0) encodeProcessList(b, state.threads);
  let runStart = 0;
  const fds = state.fds;
  for (let i = 1; i <= fds.length; i++) {
    if (i === fds.length || fds[i]!.tid !== fds[runStart]!.tid) {
      encodeFdList(b, fds[runStart]!.tid, fds.slice(runStart, i));
      runStart = i;
    }
  }
}
