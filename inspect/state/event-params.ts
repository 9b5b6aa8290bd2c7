// Reading event parameters the way libsinsp's parsers read them
// (falcosecurity/libs 48dfd53, userspace/libsinsp/event.h sinsp_evt_param
// and get_event_param_as): straight from the batch buffer, no decoding of
// parameters the state does not need. Parameters past the end of an event
// read as empty, which is how the converted layouts mark missing values.

import { u16, u32, i32, splitNulList } from '../../scapfile/bytes.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { paramText } from '../../scapfile/params/decode.js';
import { EventType, PPM_EVENT_MAX, type EventCode } from '../../scapfile/schema/events.js';
import { paramIndex } from '../../scapfile/schema/index.js';

/** What an empty or `(NULL)` string parameter reads as (event.h, used_legacy_null_encoding). */
export const NA = '<NA>';

const TWO_POW_32 = 4294967296;

/** Whether parameter `k` is missing or has no bytes. */
export function paramEmpty(ev: EventCursor, k: number): boolean {
  return ev.paramLen(k) === 0;
}

/**
 * A signed integer parameter, sign-extended from its stored width (1, 2, 4
 * or 8 bytes); 0 when empty. 64-bit values are exact up to 2^53, which
 * covers every fd, tid and errno.
 */
export function paramInt(ev: EventCursor, k: number): number {
  const len = ev.paramLen(k);
  if (len === 0) return 0;
  const b = ev.bytes;
  const s = ev.paramStart(k);
  switch (len) {
    case 1: return b.readInt8(s);
    case 2: return b.readInt16LE(s);
    case 4: return i32(b, s);
    default: return len >= 8 ? i32(b, s + 4) * TWO_POW_32 + u32(b, s) : 0;
  }
}

/**
 * `value`, parameter `k` read as a number, as decimal text: past 2^53 a
 * number keeps only some of an 8-byte value's digits, so there they come
 * from the bytes (an lseek far out, a damaged capture's pid).
 */
export function intParamText(ev: EventCursor, k: number, value: number): string {
  return Number.isSafeInteger(value) || ev.paramLen(k) !== 8 ? String(value) : ev.bytes.readBigInt64LE(ev.paramStart(k)).toString();
}

/** An unsigned integer parameter read at its stored width (at most 32 bits are meaningful here). */
export function paramUint(ev: EventCursor, k: number): number {
  const len = ev.paramLen(k);
  if (len === 0) return 0;
  const b = ev.bytes;
  const s = ev.paramStart(k);
  switch (len) {
    case 1: return b.readUInt8(s);
    case 2: return u16(b, s);
    case 4: return u32(b, s);
    default: return len >= 8 ? u32(b, s + 4) * TWO_POW_32 + u32(b, s) : 0;
  }
}

/** A 64-bit unsigned parameter as a BigInt (kernel pointers, inode numbers); 0n when empty. */
export function paramU64(ev: EventCursor, k: number): bigint {
  return ev.paramLen(k) >= 8 ? ev.bytes.readBigUInt64LE(ev.paramStart(k)) : 0n;
}

/**
 * The return value of a syscall exit event: parameter 0, 32 or 64 bits wide
 * (sinsp_evt::get_syscall_return_value); 0 when absent.
 */
export function retval(ev: EventCursor): number {
  return paramInt(ev, 0);
}

/**
 * A string parameter (CHARBUF, FSPATH, FSRELPATH): its bytes up to the
 * first NUL, one char per byte (latin1) like every capture string here, so
 * that it prints back as the bytes recorded. Empty and `(NULL)` values read as `<NA>`, as sinsp's legacy null
 * encoding makes them.
 */
export function paramString(ev: EventCursor, k: number): string {
  return paramText(ev, k) ?? NA;
}

/** A NUL-separated list parameter (args, env, cgroups), split as sinsp splits it (`splitNulList`). */
export function paramStringList(ev: EventCursor, k: number): string[] {
  const len = ev.paramLen(k);
  if (len === 0) return [];
  const s = ev.paramStart(k);
  return splitNulList(ev.bytes, s, s + len);
}

/** Copies parameter `k`'s bytes (for enter events kept until their exit). */
export function paramCopy(ev: EventCursor, k: number): Buffer {
  const len = ev.paramLen(k);
  const copy = Buffer.allocUnsafe(len);
  if (len > 0) ev.bytes.copy(copy, 0, ev.paramStart(k), ev.paramStart(k) + len);
  return copy;
}

/** Index of a parameter by event code and name; the schema is the only source of positions. */
export function pidx(code: EventCode, name: string): number {
  return paramIndex(code, name);
}

/**
 * Where the fd of an exit event sits (userspace/libscap/scap_event.c,
 * get_exit_event_fd_location): -1 where libscap has no answer. Only read for
 * events flagged USES_FD.
 */
export const EXIT_FD_LOCATION: Int8Array = (() => {
  const loc = new Int8Array(PPM_EVENT_MAX).fill(-1);
  const at = (codes: EventCode[], name: string): void => {
    // pidx throws for a layout without that parameter: the table names facts of libscap.
    for (const c of codes) loc[EventType[c]] = pidx(c, name);
  };
  at(['SYSCALL_SETNS_X', 'SOCKET_LISTEN_X', 'SOCKET_SHUTDOWN_X', 'SYSCALL_FCHDIR_X', 'SYSCALL_LSEEK_X',
    'SYSCALL_LLSEEK_X', 'SYSCALL_IOCTL_3_X', 'SYSCALL_FSTAT_X', 'SYSCALL_CLOSE_X', 'SYSCALL_GETDENTS_X',
    'SYSCALL_GETDENTS64_X', 'SYSCALL_FLOCK_X', 'SYSCALL_FCNTL_X', 'SOCKET_SENDMMSG_X', 'SOCKET_RECVMMSG_X',
    'SOCKET_SETSOCKOPT_X', 'SOCKET_GETSOCKOPT_X', 'SYSCALL_FCHMOD_X', 'SYSCALL_FCHOWN_X'], 'fd');
  at(['SYSCALL_DUP_1_X', 'SYSCALL_DUP2_X', 'SYSCALL_DUP3_X'], 'oldfd');
  at(['SYSCALL_COPY_FILE_RANGE_X'], 'fdout');
  at(['SYSCALL_NEWFSTATAT_X', 'SYSCALL_FCHOWNAT_X', 'SYSCALL_FCHMODAT_X', 'SYSCALL_MKDIRAT_X',
    'SYSCALL_UNLINKAT_2_X', 'SYSCALL_MKNODAT_X'], 'dirfd');
  at(['SYSCALL_IO_URING_REGISTER_X', 'SYSCALL_IO_URING_ENTER_X'], 'fd');
  at(['SYSCALL_FSCONFIG_X', 'SYSCALL_FINIT_MODULE_X'], 'fd');
  at(['SYSCALL_READ_X', 'SYSCALL_PREAD_X', 'SOCKET_BIND_X', 'SYSCALL_WRITE_X', 'SYSCALL_PWRITE_X',
    'SOCKET_RECV_X', 'SOCKET_SEND_X', 'SOCKET_SENDTO_X', 'SOCKET_SENDMSG_X', 'SYSCALL_WRITEV_X',
    'SYSCALL_PWRITEV_X', 'SOCKET_CONNECT_X', 'SOCKET_RECVFROM_X', 'SYSCALL_READV_X', 'SYSCALL_PREADV_X',
    'SOCKET_RECVMSG_X'], 'fd');
  at(['SYSCALL_SENDFILE_X'], 'out_fd');
  at(['SYSCALL_SPLICE_X'], 'fd_out');
  at(['SYSCALL_SYMLINKAT_X'], 'linkdirfd');
  at(['SYSCALL_MMAP_X', 'SYSCALL_MMAP2_X'], 'fd');
  return loc;
})();

/**
 * Where the fd of an enter event sits (scap_event.c,
 * get_enter_event_fd_location): first parameter, except mmap and splice.
 */
export function enterFdLocation(type: number): number {
  if (type === EventType.SYSCALL_MMAP_E || type === EventType.SYSCALL_MMAP2_E) return pidx('SYSCALL_MMAP_E', 'fd');
  if (type === EventType.SYSCALL_SPLICE_E) return pidx('SYSCALL_SPLICE_E', 'fd_out');
  return 0;
}
