// Process list blocks (PL V1..V9 and the pre-release *_INT ids). Layout facts
// from falcosecurity/libs 48dfd53: userspace/libscap/engine/savefile/
// scap_savefile.c scap_read_proclist (what each version stores, field order,
// string limits, the V9 entry-length rules) and userspace/libscap/
// scap_savefile.c scap_write_proclist_entry_bufs (what current writers emit).
//
// Each entry is a sequence of fields; versions only ever add fields at fixed
// places, so one reader walks the full field order and skips what the
// version lacks. V9 (format 1.2) prefixes each entry with its length, which
// counts the length field itself, and decides from it which trailing fields
// are present.

import { BlockType } from '../block-types.js';
import { entryTooShort } from '../errors.js';
import { BodyReader } from './body-reader.js';
import type { ProcessList, StateBlockContext, ThreadInfo } from './types.js';

import {
  SCAP_MAX_ARGS_SIZE as MAX_ARGS_SIZE, SCAP_MAX_CGROUPS_SIZE as MAX_CGROUPS_SIZE, SCAP_MAX_ENV_SIZE as MAX_ENV_SIZE,
  SCAP_MAX_PATH_SIZE as MAX_PATH_SIZE,
} from './limits.js';

/**
 * Bytes of the trailing fields that existed before libs 0.10.0 (loginuid 4,
 * exe_writable 1, three capability masks 8 each). libs 0.10.0 inserted
 * pidns_init_start_ts and tty before them; libscap takes an entry whose
 * remainder is at most this long for a pre-0.10.0 one and skips the two
 * (scap_read_proclist, "pre-0.10.x hack").
 */
const PRE_0_10_TRAILER_LEN = 29;

const UINT32_MAX = 4294967295;

/** Process list block id → layout version. */
const PL_VERSIONS = new Map<number, number>([
  [BlockType.PROCESS_LIST_V1, 1],
  [BlockType.PROCESS_LIST_V1_INT, 1],
  [BlockType.PROCESS_LIST_V2, 2],
  [BlockType.PROCESS_LIST_V2_INT, 2],
  [BlockType.PROCESS_LIST_V3, 3],
  [BlockType.PROCESS_LIST_V3_INT, 3],
  [BlockType.PROCESS_LIST_V4, 4],
  [BlockType.PROCESS_LIST_V5, 5],
  [BlockType.PROCESS_LIST_V6, 6],
  [BlockType.PROCESS_LIST_V7, 7],
  [BlockType.PROCESS_LIST_V8, 8],
  [BlockType.PROCESS_LIST_V9, 9],
]);

/** The layout version (1..9) of a process list block id, or undefined for other ids. */
export function processListVersion(blockType: number): number | undefined {
  return PL_VERSIONS.get(blockType >>> 0);
}

/** A thread with every field at libscap's default (see ThreadInfo). */
export function defaultThreadInfo(): ThreadInfo {
  return {
    tid: 0, pid: 0, ptid: 0, sid: -1, vpgid: -1, pgid: -1,
    comm: '', exe: '', exepath: '', args: [], env: [], cwd: '',
    fdlimit: 0, flags: 0, uid: 0, gid: 0, loginuid: UINT32_MAX,
    vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0, pfminor: 0,
    vtid: -1, vpid: -1, cgroups: [], root: '', tty: 0,
    pidnsInitStartTsNs: 0n, cloneTsNs: 0n,
    exeWritable: false, exeUpperLayer: false, exeLowerLayer: false, exeFromMemfd: false,
    capInheritable: 0n, capPermitted: 0n, capEffective: 0n,
    exeIno: 0n, exeInoCtimeNs: 0n, exeInoMtimeNs: 0n,
  };
}

/**
 * Parses a process list block body `buf[start, end)`. Entries follow each
 * other until fewer than 4 bytes are left (the block padding), as libscap
 * does, so `end` may include the padding.
 */
export function parseProcessList(buf: Buffer, start: number, end: number, ctx: StateBlockContext): ProcessList {
  const version = processListVersion(ctx.blockType);
  if (version === undefined) throw new RangeError(`block type 0x${ctx.blockType.toString(16)} is not a process list`);
  const r = new BodyReader(buf, start, end, ctx);
  const threads: ThreadInfo[] = [];
  while (r.leftInBody >= 4) {
    threads.push(version >= 9 ? readSizedEntry(r) : readEntry(r, version));
  }
  return { version, threads };
}

/** A V9 entry: the u32 length (counting itself) bounds every read of the entry. */
function readSizedEntry(r: BodyReader): ThreadInfo {
  const entryStart = r.pos;
  const len = r.u32('process list entry length');
  // A zero length means "unknown": libscap then reads only the fields every
  // V9 entry has and no trailing ones, and does not skip anything.
  if (len === 0) return readEntry(r, 9);
  if (len < 4) r.fail(entryTooShort('process list entry', len, 4), entryStart);
  r.enterEntry('process list entry', entryStart, len, entryStart);
  const t = readEntry(r, 9);
  readTrailingFields(r, t, entryStart + len);
  // Fields appended by writers newer than this code are skipped.
  r.leaveEntry();
  return t;
}

/** The fields whose presence depends only on the block version. */
function readEntry(r: BodyReader, v: number): ThreadInfo {
  const t = defaultThreadInfo();
  t.tid = r.i64('tid');
  t.pid = r.i64('pid');
  t.ptid = r.i64('ptid');
  if (v >= 6) t.sid = r.i64('sid');
  if (v >= 8) t.vpgid = r.i64('vpgid');
  t.comm = r.string('comm', MAX_PATH_SIZE);
  t.exe = r.string('exe', MAX_PATH_SIZE);
  if (v >= 7) t.exepath = r.string('exepath', MAX_PATH_SIZE);
  t.args = r.stringList('args', MAX_ARGS_SIZE);
  t.cwd = r.string('cwd', MAX_PATH_SIZE);
  t.fdlimit = r.i64('fdlimit');
  t.flags = r.u32('flags');
  t.uid = r.u32('uid');
  t.gid = r.u32('gid');
  if (v >= 2) {
    t.vmsizeKb = r.u32('vmsize_kb');
    t.vmrssKb = r.u32('vmrss_kb');
    t.vmswapKb = r.u32('vmswap_kb');
    t.pfmajor = r.u64n('pfmajor');
    t.pfminor = r.u64n('pfminor');
  }
  if (v >= 3) t.env = r.stringList('env', MAX_ENV_SIZE);
  if (v >= 4) {
    t.vtid = r.i64('vtid');
    t.vpid = r.i64('vpid');
    t.cgroups = r.stringList('cgroups', MAX_CGROUPS_SIZE);
  }
  if (v >= 5) t.root = r.string('root', MAX_PATH_SIZE);
  return t;
}

/**
 * The V9 fields appended since format 1.2, each read only if the entry
 * still has room for all of it (libscap's `subreadsize + size <= sub_len`).
 */
function readTrailingFields(r: BodyReader, t: ThreadInfo, entryEnd: number): void {
  const fits = (n: number): boolean => entryEnd - r.pos >= n;
  if (entryEnd - r.pos > PRE_0_10_TRAILER_LEN) {
    if (fits(8)) t.pidnsInitStartTsNs = r.u64('pidns_init_start_ts');
    if (fits(4)) t.tty = r.u32('tty');
  }
  if (fits(4)) t.loginuid = r.u32('loginuid');
  if (fits(1)) t.exeWritable = r.u8('exe_writable') !== 0;
  if (fits(8)) t.capInheritable = r.u64('cap_inheritable');
  if (fits(8)) t.capPermitted = r.u64('cap_permitted');
  if (fits(8)) t.capEffective = r.u64('cap_effective');
  if (fits(1)) t.exeUpperLayer = r.u8('exe_upper_layer') !== 0;
  if (fits(8)) t.exeIno = r.u64('exe_ino');
  if (fits(8)) t.exeInoCtimeNs = r.u64('exe_ino_ctime');
  if (fits(8)) t.exeInoMtimeNs = r.u64('exe_ino_mtime');
  if (fits(1)) t.exeFromMemfd = r.u8('exe_from_memfd') !== 0;
  if (fits(1)) t.exeLowerLayer = r.u8('exe_lower_layer') !== 0;
  if (fits(8)) t.pgid = r.i64('pgid');
}
