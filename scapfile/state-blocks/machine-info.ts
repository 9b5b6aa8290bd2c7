// Machine info blocks (MI 0x201 / 0x8002ABCD). The body is the packed
// scap_machine_info struct (userspace/libscap/scap_machine_info.h at 48dfd53):
// u32 num_cpus, u64 memory_size_bytes, u64 max_pid, char hostname[128], then
// four u64 words. Their names changed over time but the size never did in a
// release: reserved1 became boot_ts_epoch (libs 0.10.0, commit 051019283),
// reserved2 became flags (0.11.0, db7c74d54); the longer layouts with
// uname_r tried in between (da8ff4b93) were reverted before 0.11.0
// (5616602e8). libscap reads exactly sizeof(scap_machine_info) bytes
// (engine/savefile/scap_savefile.c scap_read_machine_info); we require them
// and ignore anything after, so a future writer appending fields still reads.

import { BlockType } from '../block-types.js';
import { entryTooShort } from '../errors.js';
import { BodyReader } from './body-reader.js';
import type { MachineInfo, StateBlockContext } from './types.js';

/** sizeof(scap_machine_info): 4 + 8 + 8 + 128 + 4 * 8. */
export const MACHINE_INFO_LEN = 180;
const HOSTNAME_LEN = 128;

/** Whether a block id is a machine info block. */
export function isMachineInfoType(blockType: number): boolean {
  const t = blockType >>> 0;
  return t === BlockType.MACHINE_INFO || t === BlockType.MACHINE_INFO_INT;
}

/** Parses a machine info block body `buf[start, end)`. */
export function parseMachineInfo(buf: Buffer, start: number, end: number, ctx: StateBlockContext): MachineInfo {
  if (!isMachineInfoType(ctx.blockType)) throw new RangeError(`block type 0x${ctx.blockType.toString(16)} is not a machine info block`);
  const r = new BodyReader(buf, start, end, ctx);
  if (r.left < MACHINE_INFO_LEN) r.fail(entryTooShort('machine info body', r.left, MACHINE_INFO_LEN));
  return {
    numCpus: r.u32('num_cpus'),
    memorySizeBytes: r.u64n('memory_size_bytes'),
    maxPid: r.u64n('max_pid'),
    hostname: r.fixedString(HOSTNAME_LEN, 'hostname'),
    bootTsEpochNs: r.u64('boot_ts_epoch'),
    flags: r.u64('flags'),
    reserved3: r.u64('reserved3'),
    reserved4: r.u64('reserved4'),
  };
}
