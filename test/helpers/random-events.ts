// Pseudo-random parameter values of every scap parameter type, from a seed
// (the fuzzer's generator, test/fuzz/mutate.ts),
// for synthetic captures that are compared with the reference (golden
// outputs of sinsp-example): the same seed gives the same bytes on every
// machine. Values are shaped like the ones drivers write (flags from their
// tables, sockaddrs and tuples of each family, small fds), with some of
// each kind that only a damaged capture has.

import { FLAG_TABLES } from '../../scapfile/schema/flags.js';
import { ParamType as PT, type ParamInfo } from '../../scapfile/schema/types.js';
import { Rng } from '../fuzz/mutate.js';

export { Rng };

/** Bytes of the fixed-size types (a size old drivers never left empty: sinsp refuses that). */
const FIXED: Partial<Record<number, number>> = {
  [PT.INT8]: 1, [PT.INT16]: 2, [PT.INT32]: 4, [PT.INT64]: 8, [PT.UINT8]: 1, [PT.UINT16]: 2, [PT.UINT32]: 4,
  [PT.UINT64]: 8, [PT.ERRNO]: 8, [PT.FD]: 8, [PT.PID]: 8, [PT.SIGTYPE]: 1, [PT.RELTIME]: 8, [PT.ABSTIME]: 8,
  [PT.PORT]: 2, [PT.L4PROTO]: 1, [PT.SOCKFAMILY]: 1, [PT.BOOL]: 4, [PT.IPV4ADDR]: 4, [PT.FLAGS8]: 1,
  [PT.FLAGS16]: 2, [PT.FLAGS32]: 4, [PT.UID]: 4, [PT.GID]: 4, [PT.DOUBLE]: 8, [PT.SIGSET]: 4, [PT.MODE]: 4,
  [PT.ENUMFLAGS8]: 1, [PT.ENUMFLAGS16]: 2, [PT.ENUMFLAGS32]: 4, [PT.FD32]: 4, [PT.PID32]: 4, [PT.IPV6ADDR]: 16,
  [PT.SYSCALLID]: 2,
};
const FLAG_TYPES = new Set<number>([PT.FLAGS8, PT.FLAGS16, PT.FLAGS32, PT.ENUMFLAGS8, PT.ENUMFLAGS16, PT.ENUMFLAGS32, PT.MODE]);

const PATHS = ['/etc/passwd', 'x', '/tmp/a b', 'rel/p', '/', '/usr/bin/curl', '../up', './dot', '', 'ümlaut'];
const COMMS = ['curl', 'bash', 'sh', 'python3', 'nginx'];
const SOCKADDRS = [
  Buffer.from([2, 127, 0, 0, 1, 0x1f, 0x90]), Buffer.from([2, 10, 0, 0, 2, 0, 80]),
  Buffer.from('\x01/run/s\0', 'latin1'), Buffer.from('\x01\0abstract\0', 'latin1'),
  Buffer.concat([Buffer.from([10]), Buffer.alloc(15), Buffer.from([1, 0, 0x50])]),
];
const TUPLES = [
  Buffer.from([2, 10, 0, 0, 1, 0x30, 0x39, 10, 0, 0, 2, 0, 80]), Buffer.from([2, 10, 0, 0, 2, 0, 80, 10, 0, 0, 1, 0x30, 0x39]),
  Buffer.from([2, 127, 0, 0, 1, 0x1f, 0x90, 127, 0, 0, 1, 0xa0, 0x00]),
  Buffer.concat([Buffer.from([10]), Buffer.alloc(15), Buffer.from([1, 0x30, 0x39]), Buffer.alloc(15), Buffer.from([1, 0, 80])]),
  Buffer.concat([Buffer.from([1]), Buffer.from('0100000000000000', 'hex'), Buffer.from('0200000000000000', 'hex'), Buffer.from('/run/x\0')]),
];

function int(size: number, v: number): Buffer {
  const b = Buffer.alloc(size);
  if (size === 1) b.writeUInt8(v & 0xff);
  else if (size === 2) b.writeUInt16LE(v & 0xffff);
  else if (size === 4) b.writeInt32LE(v | 0);
  else b.writeBigInt64LE(BigInt(Math.trunc(v)));
  return b;
}

/** Where the caller wants values of its own: fds and thread ids that make sense together. */
export interface ParamHints {
  /** An fd number (parameters named like fds, and fd types). */
  readonly fd?: () => number;
  /** A thread or process id (pid types, and tid/pid/ptid parameters). */
  readonly tid?: () => number;
  /**
   * 8-byte integers within 2^53 (limits, sizes, times): the state keeps
   * those as numbers, and values past that come only from damaged captures.
   */
  readonly within53Bits?: boolean;
}

const FD_NAMES = /^(fd|res|oldfd|newfd|dirfd|fd1|fd2|newdirfd|olddirfd|linkdirfd|olddir|newdir|mountfd|out_fd|in_fd|fd_in|fd_out|pid_fd|target_fd)$/;
const TID_NAMES = /^(tid|pid|ptid|vtid|vpid|pgid|vpgid|sid)$/;

/** A value for parameter `p`: mostly the kind a driver writes, now and then one no kernel gives. */
export function randomParam(rng: Rng, p: ParamInfo, hints: ParamHints = {}): Buffer {
  const t = p.type;
  const wide = t === PT.FD || t === PT.ERRNO || t === PT.INT64 || t === PT.PID;
  if (hints.fd && wide && FD_NAMES.test(p.name)) {
    return int(8, rng.chance(0.1) ? -rng.pick([2, 9, 13, 22]) : rng.chance(0.05) ? -100 : hints.fd());
  }
  if (hints.tid && (t === PT.PID || t === PT.INT64) && TID_NAMES.test(p.name)) return int(8, rng.chance(0.8) ? hints.tid() : rng.below(3));
  if (hints.fd && (t === PT.FD || t === PT.FD32)) return int(FIXED[t]!, hints.fd());
  if (hints.tid && (t === PT.PID || t === PT.PID32)) return int(FIXED[t]!, hints.tid());
  // A syscall id within the table, else sinsp indexes past it.
  if (t === PT.SYSCALLID) return int(2, rng.below(380));
  if (t === PT.UID || t === PT.GID) return int(4, rng.chance(0.8) ? rng.pick([0, 1, 33, 1000, 65534]) : rng.below(1 << 30));
  if (FLAG_TYPES.has(t)) {
    const entries = p.flagsTable === undefined ? undefined : FLAG_TABLES[p.flagsTable];
    let v = rng.below(1 << 30);
    if (entries !== undefined && entries.length > 0 && rng.chance(0.85)) {
      v = 0;
      for (let i = rng.below(3); i >= 0; i--) v |= entries[rng.below(entries.length)]!.value;
      if (rng.chance(0.3)) v = entries[rng.below(entries.length)]!.value;
    }
    return int(FIXED[t]!, v);
  }
  const size = FIXED[t];
  if (size !== undefined) {
    if (t === PT.DOUBLE) { const b = Buffer.alloc(8); b.writeDoubleLE(rng.below(1e6) / 1e4); return b; }
    if (size >= 4 && rng.chance(0.6)) return int(size, rng.below(70000) - 5);
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = rng.chance(0.5) ? rng.below(4) : rng.below(256);
    if (size === 8 && hints.within53Bits) { b[6]! &= 0x0f; b[7] = 0; }
    return b;
  }
  if (rng.chance(0.06)) return Buffer.alloc(0);
  switch (t) {
    case PT.CHARBUF: return Buffer.from((p.name === 'comm' ? rng.pick(COMMS) : rng.pick(PATHS)) + '\0');
    case PT.FSPATH: case PT.FSRELPATH: return Buffer.from(rng.pick(PATHS) + '\0');
    case PT.CHARBUFARRAY: return Buffer.from(rng.pick(['a\0b\0', '-c\0ls\0', 'x\0', '']));
    case PT.CHARBUF_PAIR_ARRAY: return Buffer.from(rng.pick(['a\0b\0', 'k\0v\0k2\0v2\0', '']));
    case PT.SOCKADDR: return rng.pick(SOCKADDRS);
    case PT.SOCKTUPLE: return rng.pick(TUPLES);
    case PT.FDLIST: return Buffer.from([2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 4, 0]);
    case PT.DYN: return Buffer.from([0, 5, 0, 0, 0, 0, 0, 0, 0]);
    case PT.IPADDR: case PT.IPNET: return Buffer.from([127, 0, 0, 1]);
    default: {
      const b = Buffer.alloc(rng.below(20));
      for (let i = 0; i < b.length; i++) b[i] = rng.below(256);
      return b;
    }
  }
}
