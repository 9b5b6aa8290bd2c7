// Fd list blocks (FDL 0x203 / 0x8001ABCD, FDL_V2 0x218): the open fds of one
// thread. Layout facts from falcosecurity/libs 48dfd53:
// userspace/libscap/engine/savefile/scap_savefile.c (scap_read_fdlist,
// scap_fd_read_from_disk, scap_fd_read_fname_from_disk) and the writer side
// userspace/libscap/scap_savefile.c (scap_fd_info_len, scap_fd_write_to_disk).
//
// Body: i64 tid, then entries until fewer than 4 bytes are left. Entry:
// [V2: u32 length, counting itself] i64 fd, u64 ino, u8 type, then a payload
// chosen by the type. V2 entries may carry fields after the payload (FILE_V2
// has `dev` there); a longer entry's extra bytes are skipped.

import { BlockType } from '../block-types.js';
import { entryTooShort, unknownTag } from '../errors.js';
import { BodyReader } from './body-reader.js';
import { MAX_NAME_LEN } from './limits.js';
import { FdType } from './types.js';
import type { FdDetails, FdInfo, FdList, StateBlockContext } from './types.js';

/** libscap rejects names of SCAP_MAX_PATH_SIZE (1024) bytes or more. */
const MAX_FD_NAME_LEN = MAX_NAME_LEN;

/** Bytes of an entry before its payload: fd 8, ino 8, type 1. */
const FD_ENTRY_HEAD_LEN = 17;

/** Fd types whose payload is a name only. */
const NAME_ONLY_TYPES: ReadonlySet<number> = new Set([
  FdType.FIFO, FdType.FILE, FdType.DIRECTORY, FdType.UNSUPPORTED, FdType.EVENT, FdType.SIGNALFD,
  FdType.EVENTPOLL, FdType.INOTIFY, FdType.TIMERFD, FdType.NETLINK, FdType.BPF, FdType.USERFAULTFD,
  FdType.IOURING, FdType.MEMFD, FdType.PIDFD,
]);

/** The layout version of an fd list block id, or undefined for other ids. */
export function fdListVersion(blockType: number): 1 | 2 | undefined {
  switch (blockType >>> 0) {
    case BlockType.FD_LIST:
    case BlockType.FD_LIST_INT:
      return 1;
    case BlockType.FD_LIST_V2:
      return 2;
    default:
      return undefined;
  }
}

/** Parses an fd list block body `buf[start, end)`; `end` may include the block padding. */
export function parseFdList(buf: Buffer, start: number, end: number, ctx: StateBlockContext): FdList {
  const version = fdListVersion(ctx.blockType);
  if (version === undefined) throw new RangeError(`block type 0x${ctx.blockType.toString(16)} is not an fd list`);
  const r = new BodyReader(buf, start, end, ctx);
  const tid = r.i64('fd list tid');
  const fds: FdInfo[] = [];
  while (r.leftInBody >= 4) {
    fds.push(version === 2 ? readSizedEntry(r, tid) : readEntry(r, tid, 0));
  }
  return { version, tid, fds };
}

function readSizedEntry(r: BodyReader, tid: number): FdInfo {
  const entryStart = r.pos;
  const len = r.u32('fd list entry length');
  // Zero means "length unknown": libscap then reads the entry like a V1 one.
  if (len === 0) return readEntry(r, tid, 0);
  if (len < 4 + FD_ENTRY_HEAD_LEN) r.fail(entryTooShort('fd list entry', len, 4 + FD_ENTRY_HEAD_LEN), entryStart);
  r.enterEntry('fd list entry', entryStart, len, entryStart);
  const fd = readEntry(r, tid, entryStart + len);
  r.leaveEntry();
  return fd;
}

/** One entry; `entryEnd` is 0 when the entry has no declared length. */
function readEntry(r: BodyReader, tid: number, entryEnd: number): FdInfo {
  const fd = r.i64('fd');
  const ino = r.u64('ino');
  const typeAt = r.pos;
  const rawType = r.u8('fd type');
  let type = rawType;
  let info: FdDetails;
  if (NAME_ONLY_TYPES.has(rawType)) {
    info = { kind: 'name', name: r.string('fd name', MAX_FD_NAME_LEN) };
  } else {
    switch (rawType) {
      case FdType.IPV4_SOCK:
        info = {
          kind: 'ipv4', sip: r.ipv4('sip'), dip: r.ipv4('dip'),
          sport: r.u16('sport'), dport: r.u16('dport'), l4proto: r.u8('l4proto'),
        };
        break;
      case FdType.IPV6_SOCK:
        info = {
          kind: 'ipv6', sip: r.ipv6('sip'), dip: r.ipv6('dip'),
          sport: r.u16('sport'), dport: r.u16('dport'), l4proto: r.u8('l4proto'),
        };
        break;
      case FdType.IPV4_SERVSOCK:
        info = { kind: 'ipv4-server', ip: r.ipv4('ip'), port: r.u16('port'), l4proto: r.u8('l4proto') };
        break;
      case FdType.IPV6_SERVSOCK:
        info = { kind: 'ipv6-server', ip: r.ipv6('ip'), port: r.u16('port'), l4proto: r.u8('l4proto') };
        break;
      case FdType.UNIX_SOCK:
        info = {
          kind: 'unix', source: r.u64('unix source'), destination: r.u64('unix destination'),
          path: r.string('unix socket path', MAX_FD_NAME_LEN),
        };
        break;
      case FdType.FILE_V2: {
        const openFlags = r.u32('open flags');
        const name = r.string('file name', MAX_FD_NAME_LEN);
        // `dev` follows only in entries whose declared length has room for it.
        const dev = entryEnd !== 0 && entryEnd - r.pos >= 4 ? r.u32('dev') : 0;
        info = { kind: 'file', openFlags, name, mountId: 0, dev };
        break;
      }
      case FdType.UNKNOWN:
        // libscap stores no payload for it (and writers skip such fds).
        info = { kind: 'none' };
        break;
      default:
        // A type from a newer writer: only a declared entry length tells
        // where the next entry starts. libscap marks it unsupported.
        if (entryEnd === 0) r.fail(unknownTag('fd type', rawType), typeAt);
        type = FdType.UNSUPPORTED;
        info = { kind: 'name', name: `unknown-type:[${rawType}]` };
    }
  }
  return { tid, fd, ino, type, rawType, info };
}
