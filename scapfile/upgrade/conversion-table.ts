// libscap's conversion table for old event layouts, as data (falcosecurity/libs
// 48dfd53, userspace/libscap/engine/savefile/converter/table.cpp; the rules
// below restate converter/README.md and test_event_convertibility in
// converter/converter.cpp). `EventUpgrader` (event-upgrader.ts) runs it.
//
// Which events are looked up here — checked again after every conversion step,
// for at most MAX_CONVERSION_STEPS steps:
// 1. A type flagged UNUSED is dropped.
// 2. A type not flagged CONVERTER_MANAGED is never converted: a current
//    version passes, an OLD_VERSION enter event is dropped, and an
//    OLD_VERSION exit event is a bug of the event table (an error).
// 3. A managed enter event is always looked up.
// 4. A managed exit event is looked up when its type is an OLD_VERSION or its
//    parameter count differs from the schema's; more parameters than the
//    schema has is an error.
// 5. Anything else passes unchanged.
// A looked-up (type, parameter count) with no entry here is an error. libscap
// truncates the count to 8 bits for the lookup (conversion_key::param_num is a
// uint8_t); `conversionFor` does the same.
//
// Table rules:
// - Keys are (event type, parameter count as found); each key appears once.
// - An entry either stores/passes the event as is, or builds a new event:
//   ADD_PARAMS keeps the type and every present parameter and appends one
//   parameter per instruction; CHANGE_TYPE switches to `targetType` and builds
//   all parameters from the instructions, in order.
// - Instructions fill the next parameter: copied from the event being
//   converted (`old`), from the enter event stored for the same thread
//   (`enter`, `enterOrEmpty`), empty (length 0), the default of the
//   parameter's type, or computed by a callback. A copied value longer than
//   the new parameter's type allows is truncated to that maximum.
// - `enter` with no stored event falls back to the type's default value;
//   `enterOrEmpty` falls back to an empty parameter. A stored event of another
//   type than (exit type - 1) is an error.
// - STORE and STORE_AND_PASS replace the thread's previous enter event; an
//   entry that took anything from it consumes it once all its instructions ran.
// - An entry's result goes back through the rules above, so one old event may
//   walk several entries (open exit: 4 -> 5 -> 6 parameters).
// - Only event codes (`EventType.X`) appear here, never numeric ids.

import { EventType as T, PPM_EVENT_MAX } from '../schema/events.js';

/** What an entry does with a matching event (`conversion_action`). */
export const ConversionAction = {
  /** Keep a copy as the thread's enter event; the event itself is dropped. */
  STORE: 1,
  /** Let the event through unchanged. */
  PASS: 2,
  /** Keep a copy as the thread's enter event and let it through unchanged. */
  STORE_AND_PASS: 3,
  /** Same type; keep every parameter and append one per instruction. */
  ADD_PARAMS: 4,
  /** New type `targetType`; every parameter comes from an instruction. */
  CHANGE_TYPE: 5,
} as const;
export type ConversionActionValue = (typeof ConversionAction)[keyof typeof ConversionAction];

/** Where one new parameter comes from (`conversion_instruction_code`). */
export const InstructionKind = {
  /** Parameter `param` of the event being converted. */
  FROM_OLD: 1,
  /** Parameter `param` of the enter event stored for the thread. */
  FROM_ENTER: 2,
  /** The default value of the new parameter's type (`defaultParamBytes`). */
  FROM_DEFAULT: 3,
  /** A zero-length parameter. */
  FROM_EMPTY: 4,
  /** Bytes computed by `callback` from the event being converted. */
  FROM_CALLBACK: 5,
} as const;
export type InstructionKindValue = (typeof InstructionKind)[keyof typeof InstructionKind];

/** Read access to the parameters of the event being converted, for callbacks. */
export interface OldParamReader {
  /**
   * The bytes of parameter `k` (a view, valid during the callback). Throws
   * when the event has no parameter `k` or it is longer than `maxLen`, like
   * libscap's `scap_evt_param_reader::read_into` with a buffer of `maxLen`.
   */
  read(k: number, maxLen: number): Buffer;
}

/**
 * Computes a parameter from the old event. `minLen`/`maxLen` bound the result
 * (the new parameter type's limits); a result outside them is an error, a
 * thrown exception means "could not compute" and triggers the fallback.
 */
export type ParamCallback = (old: OldParamReader, minLen: number, maxLen: number) => Buffer;

export interface ConversionInstruction {
  readonly kind: InstructionKindValue;
  /** Source parameter of FROM_OLD / FROM_ENTER; 0 otherwise. */
  readonly param: number;
  /** FROM_ENTER / FROM_CALLBACK: fall back to an empty parameter instead of the type's default. */
  readonly fallbackToEmpty: boolean;
  readonly callback?: ParamCallback;
}

export interface Conversion {
  /** Event type of the key. */
  readonly type: number;
  /** Parameter count of the key. */
  readonly nparams: number;
  readonly action: ConversionActionValue;
  /** CHANGE_TYPE: the new type; -1 for other actions. */
  readonly targetType: number;
  readonly instrs: readonly ConversionInstruction[];
}

/** libscap gives up after this many conversions of one event (`MAX_CONVERSION_BOUNDARY`, converter.h). */
export const MAX_CONVERSION_STEPS = 50;

// ---- instruction and entry builders (keep the table one line per key) ----

const I = InstructionKind;
const old = (param: number): ConversionInstruction => ({ kind: I.FROM_OLD, param, fallbackToEmpty: false });
/** Parameters `from`..`to` of the old event, in order. */
const olds = (from: number, to: number): ConversionInstruction[] => {
  const out: ConversionInstruction[] = [];
  for (let k = from; k <= to; k++) out.push(old(k));
  return out;
};
const enter = (param: number): ConversionInstruction => ({ kind: I.FROM_ENTER, param, fallbackToEmpty: false });
const enterOrEmpty = (param: number): ConversionInstruction => ({ kind: I.FROM_ENTER, param, fallbackToEmpty: true });
const EMPTY: ConversionInstruction = { kind: I.FROM_EMPTY, param: 0, fallbackToEmpty: false };
const DEFAULT: ConversionInstruction = { kind: I.FROM_DEFAULT, param: 0, fallbackToEmpty: false };

const A = ConversionAction;
const entry = (type: number, nparams: number, action: ConversionActionValue, targetType: number,
  instrs: readonly ConversionInstruction[]): Conversion => ({ type, nparams, action, targetType, instrs });
const store = (type: number, n: number) => entry(type, n, A.STORE, -1, []);
const pass = (type: number, n: number) => entry(type, n, A.PASS, -1, []);
const storeAndPass = (type: number, n: number) => entry(type, n, A.STORE_AND_PASS, -1, []);
const add = (type: number, n: number, instrs: ConversionInstruction[]) => entry(type, n, A.ADD_PARAMS, -1, instrs);
const retype = (type: number, n: number, target: number, instrs: ConversionInstruction[]) =>
  entry(type, n, A.CHANGE_TYPE, target, instrs);

/**
 * The old `container` event (id, type, name, image) becomes the JSON text of
 * its successor: `{"id":"…","type":N,"name":"…","image":"…"}` plus a NUL, the
 * strings copied byte for byte without escaping, as libscap writes it
 * (extract_ppme_container_json_e_json_param in converter/table.cpp). A string
 * parameter of length 0 cannot lose its NUL: libscap's std::string then
 * throws, which sends the instruction to its fallback; so do we.
 */
function containerJson(oldEvent: OldParamReader, _minLen: number, maxLen: number): Buffer {
  const text = (k: number): Buffer => {
    const bytes = oldEvent.read(k, maxLen);
    if (bytes.length === 0) throw new RangeError('empty string parameter has no terminator');
    return bytes.subarray(0, bytes.length - 1);
  };
  const id = text(0);
  // A shorter `type` fills only the low bytes of libscap's uninitialised
  // u32; we start from zero.
  const typeBytes = Buffer.alloc(4);
  oldEvent.read(1, 4).copy(typeBytes);
  const name = text(2);
  const image = text(3);
  return Buffer.concat([
    Buffer.from('{"id":"'), id, Buffer.from(`","type":${typeBytes.readUInt32LE(0)},"name":"`), name,
    Buffer.from('","image":"'), image, Buffer.from('"}\0'),
  ]);
}
const containerJsonFromOldFields: ConversionInstruction = {
  kind: I.FROM_CALLBACK, param: 0, fallbackToEmpty: true, callback: containerJson,
};

/** Every entry, in the order of libs' table.cpp. */
export const CONVERSIONS: readonly Conversion[] = [
  store(T.GENERIC_E, 2),
  add(T.GENERIC_X, 1, [enterOrEmpty(1)]),
  add(T.SYSCALL_OPEN_E, 0, [EMPTY, EMPTY, EMPTY]),
  pass(T.SYSCALL_OPEN_E, 3),
  add(T.SYSCALL_OPEN_X, 4, [EMPTY]),
  add(T.SYSCALL_OPEN_X, 5, [EMPTY]),
  store(T.SYSCALL_CLOSE_E, 1),
  add(T.SYSCALL_CLOSE_X, 1, [enter(0)]),
  store(T.SYSCALL_READ_E, 2),
  add(T.SYSCALL_READ_X, 2, [enter(0), enter(1)]),
  store(T.SYSCALL_LINK_E, 2),
  retype(T.SYSCALL_LINK_X, 1, T.SYSCALL_LINK_2_X, [old(0), enterOrEmpty(0), enterOrEmpty(1)]),
  store(T.SYSCALL_LINKAT_E, 4),
  retype(T.SYSCALL_LINKAT_X, 1, T.SYSCALL_LINKAT_2_X, [old(0), enterOrEmpty(0), enterOrEmpty(1), enterOrEmpty(2), enterOrEmpty(3), EMPTY]),
  store(T.SYSCALL_UNLINK_E, 1),
  retype(T.SYSCALL_UNLINK_X, 1, T.SYSCALL_UNLINK_2_X, [old(0), enterOrEmpty(0)]),
  store(T.SYSCALL_UNLINKAT_E, 2),
  retype(T.SYSCALL_UNLINKAT_X, 1, T.SYSCALL_UNLINKAT_2_X, [old(0), enterOrEmpty(0), enterOrEmpty(1), EMPTY]),
  store(T.SYSCALL_PREAD_E, 3),
  add(T.SYSCALL_PREAD_X, 2, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_DUP_E, 1),
  retype(T.SYSCALL_DUP_X, 1, T.SYSCALL_DUP_1_X, [old(0), enterOrEmpty(0)]),
  store(T.SYSCALL_SIGNALFD_E, 3),
  add(T.SYSCALL_SIGNALFD_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_KILL_E, 2),
  add(T.SYSCALL_KILL_X, 1, [enter(0), enter(1)]),
  store(T.SYSCALL_TKILL_E, 2),
  add(T.SYSCALL_TKILL_X, 1, [enter(0), enter(1)]),
  store(T.SYSCALL_TGKILL_E, 3),
  add(T.SYSCALL_TGKILL_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_NANOSLEEP_E, 1),
  add(T.SYSCALL_NANOSLEEP_X, 1, [enter(0)]),
  store(T.SYSCALL_TIMERFD_CREATE_E, 2),
  add(T.SYSCALL_TIMERFD_CREATE_X, 1, [enter(0), enter(1)]),
  store(T.SYSCALL_INOTIFY_INIT_E, 1),
  add(T.SYSCALL_INOTIFY_INIT_X, 1, [enter(0)]),
  store(T.SYSCALL_GETRLIMIT_E, 1),
  add(T.SYSCALL_GETRLIMIT_X, 3, [enter(0)]),
  store(T.SYSCALL_SETRLIMIT_E, 1),
  add(T.SYSCALL_SETRLIMIT_X, 3, [enter(0)]),
  store(T.SYSCALL_PRLIMIT_E, 2),
  add(T.SYSCALL_PRLIMIT_X, 5, [enterOrEmpty(0), enterOrEmpty(1)]),
  retype(T.SCHEDSWITCH_1_E, 1, T.SCHEDSWITCH_6_E, [old(0), EMPTY, EMPTY, EMPTY, EMPTY, EMPTY]),
  store(T.SYSCALL_FCNTL_E, 2),
  add(T.SYSCALL_FCNTL_X, 1, [enter(0), enter(1)]),
  add(T.SYSCALL_FCNTL_X, 3, [DEFAULT]),
  store(T.SYSCALL_BRK_1_E, 1),
  retype(T.SYSCALL_BRK_1_X, 1, T.SYSCALL_BRK_4_X, [old(0), enterOrEmpty(0), EMPTY, EMPTY, EMPTY]),
  store(T.SYSCALL_BRK_4_E, 1),
  add(T.SYSCALL_BRK_4_X, 4, [enterOrEmpty(0)]),
  retype(T.SYSCALL_EXECVE_8_E, 0, T.SYSCALL_EXECVE_13_E, []),
  retype(T.SYSCALL_EXECVE_8_X, 8, T.SYSCALL_EXECVE_13_X, [...olds(0, 7), EMPTY, EMPTY, EMPTY, EMPTY, EMPTY]),
  retype(T.SYSCALL_EXECVE_13_E, 0, T.SYSCALL_EXECVE_14_E, []),
  retype(T.SYSCALL_EXECVE_13_X, 13, T.SYSCALL_EXECVE_14_X, [...olds(0, 12), EMPTY]),
  retype(T.SYSCALL_EXECVE_14_E, 0, T.SYSCALL_EXECVE_15_E, []),
  retype(T.SYSCALL_EXECVE_14_X, 14, T.SYSCALL_EXECVE_15_X, [...olds(0, 12), EMPTY, old(13)]),
  retype(T.SYSCALL_EXECVE_15_E, 0, T.SYSCALL_EXECVE_16_E, []),
  retype(T.SYSCALL_EXECVE_15_X, 15, T.SYSCALL_EXECVE_16_X, [...olds(0, 13), EMPTY, old(14)]),
  retype(T.SYSCALL_EXECVE_16_E, 0, T.SYSCALL_EXECVE_17_E, []),
  retype(T.SYSCALL_EXECVE_16_X, 16, T.SYSCALL_EXECVE_17_X, [...olds(0, 15), EMPTY]),
  retype(T.SYSCALL_EXECVE_17_E, 0, T.SYSCALL_EXECVE_18_E, [EMPTY]),
  retype(T.SYSCALL_EXECVE_17_X, 17, T.SYSCALL_EXECVE_18_X, [...olds(0, 16)]),
  retype(T.SYSCALL_EXECVE_18_E, 1, T.SYSCALL_EXECVE_19_E, [old(0)]),
  retype(T.SYSCALL_EXECVE_18_X, 17, T.SYSCALL_EXECVE_19_X, [...olds(0, 16), EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 18, [EMPTY]),
  storeAndPass(T.SYSCALL_EXECVE_19_E, 1),
  add(T.SYSCALL_EXECVE_19_X, 19, [EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 20, [EMPTY, EMPTY, EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 23, [EMPTY, EMPTY, EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 26, [EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 27, [EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 28, [EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 29, [EMPTY]),
  add(T.SYSCALL_EXECVE_19_X, 30, [enterOrEmpty(0)]),
  retype(T.SYSCALL_CLONE_11_X, 11, T.SYSCALL_CLONE_16_X, [...olds(0, 7), EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, ...olds(8, 10)]),
  retype(T.SYSCALL_CLONE_16_X, 16, T.SYSCALL_CLONE_17_X, [...olds(0, 12), EMPTY, ...olds(13, 15)]),
  retype(T.SYSCALL_CLONE_17_X, 17, T.SYSCALL_CLONE_20_X, [...olds(0, 13), EMPTY, ...olds(14, 16), EMPTY, EMPTY]),
  add(T.SYSCALL_CLONE_20_X, 20, [EMPTY]),
  store(T.SOCKET_BIND_E, 1),
  add(T.SOCKET_BIND_X, 2, [enter(0)]),
  add(T.SOCKET_CONNECT_E, 1, [DEFAULT]),
  storeAndPass(T.SOCKET_CONNECT_E, 2),
  add(T.SOCKET_CONNECT_X, 2, [enter(0)]),
  add(T.SOCKET_CONNECT_X, 3, [enter(1)]),
  retype(T.PROCEXIT_E, 0, T.PROCEXIT_1_E, [EMPTY, EMPTY, EMPTY, EMPTY, EMPTY]),
  store(T.SOCKET_SOCKET_E, 3),
  add(T.SOCKET_SOCKET_X, 1, [enter(0), enter(1), enter(2)]),
  add(T.SOCKET_SOCKET_X, 4, [DEFAULT]),
  store(T.SOCKET_LISTEN_E, 2),
  add(T.SOCKET_LISTEN_X, 1, [enter(0), enter(1)]),
  retype(T.SOCKET_ACCEPT_X, 3, T.SOCKET_ACCEPT_5_X, [...olds(0, 2), DEFAULT, DEFAULT]),
  store(T.SYSCALL_WRITE_E, 2),
  add(T.SYSCALL_WRITE_X, 2, [enter(0), enter(1)]),
  store(T.SYSCALL_PWRITE_E, 3),
  add(T.SYSCALL_PWRITE_X, 2, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_READV_E, 1),
  add(T.SYSCALL_READV_X, 3, [enter(0)]),
  store(T.SYSCALL_WRITEV_E, 2),
  add(T.SYSCALL_WRITEV_X, 2, [enter(0), enter(1)]),
  store(T.SYSCALL_PREADV_E, 2),
  add(T.SYSCALL_PREADV_X, 3, [enter(0), enter(1)]),
  store(T.SYSCALL_PWRITEV_E, 3),
  add(T.SYSCALL_PWRITEV_X, 2, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_SETRESUID_E, 3),
  add(T.SYSCALL_SETRESUID_X, 1, [enterOrEmpty(0), enterOrEmpty(1), enterOrEmpty(2)]),
  store(T.SYSCALL_SETUID_E, 1),
  add(T.SYSCALL_SETUID_X, 1, [enterOrEmpty(0)]),
  store(T.SOCKET_RECV_E, 2),
  add(T.SOCKET_RECV_X, 2, [enter(0), enter(1), DEFAULT]),
  store(T.SOCKET_RECVFROM_E, 2),
  add(T.SOCKET_RECVFROM_X, 3, [enter(0), enter(1)]),
  store(T.SOCKET_SEND_E, 2),
  add(T.SOCKET_SEND_X, 2, [enter(0), enter(1), DEFAULT]),
  store(T.SOCKET_SENDTO_E, 3),
  add(T.SOCKET_SENDTO_X, 2, [enter(0), enter(1), enter(2)]),
  store(T.SOCKET_SHUTDOWN_E, 2),
  add(T.SOCKET_SHUTDOWN_X, 1, [enter(0), enter(1)]),
  store(T.SOCKET_SOCKETPAIR_E, 3),
  add(T.SOCKET_SOCKETPAIR_X, 5, [enter(0), enter(1), enter(2)]),
  store(T.SOCKET_SENDMSG_E, 3),
  add(T.SOCKET_SENDMSG_X, 2, [enter(0), enter(1), enter(2)]),
  add(T.SOCKET_SENDMMSG_X, 0, [DEFAULT, EMPTY, EMPTY, EMPTY, EMPTY]),
  store(T.SOCKET_RECVMSG_E, 1),
  add(T.SOCKET_RECVMSG_X, 4, [DEFAULT]),
  add(T.SOCKET_RECVMSG_X, 5, [enter(0)]),
  add(T.SOCKET_RECVMMSG_X, 0, [DEFAULT, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY]),
  add(T.SYSCALL_CREAT_E, 0, [EMPTY, EMPTY]),
  pass(T.SYSCALL_CREAT_E, 2),
  add(T.SYSCALL_CREAT_X, 3, [EMPTY]),
  add(T.SYSCALL_CREAT_X, 4, [EMPTY]),
  add(T.SYSCALL_CREAT_X, 5, [EMPTY]),
  store(T.SYSCALL_EVENTFD_E, 2),
  add(T.SYSCALL_EVENTFD_X, 1, [enter(0), enter(1)]),
  store(T.SYSCALL_MKDIR_2_E, 1),
  add(T.SYSCALL_MKDIR_2_X, 2, [enterOrEmpty(0)]),
  store(T.SYSCALL_MKDIR_E, 2),
  retype(T.SYSCALL_MKDIR_X, 1, T.SYSCALL_MKDIR_2_X, [old(0), enterOrEmpty(0), enterOrEmpty(1)]),
  store(T.SYSCALL_RMDIR_E, 1),
  retype(T.SYSCALL_RMDIR_X, 1, T.SYSCALL_RMDIR_2_X, [old(0), enterOrEmpty(0)]),
  store(T.SYSCALL_OPENAT_E, 4),
  retype(T.SYSCALL_OPENAT_X, 1, T.SYSCALL_OPENAT_2_X, [old(0), enterOrEmpty(0), enterOrEmpty(1), enterOrEmpty(2), enterOrEmpty(3), EMPTY, EMPTY]),
  add(T.SYSCALL_OPENAT_2_E, 0, [EMPTY, EMPTY, EMPTY, EMPTY]),
  pass(T.SYSCALL_OPENAT_2_E, 4),
  add(T.SYSCALL_OPENAT_2_X, 5, [EMPTY]),
  add(T.SYSCALL_OPENAT_2_X, 6, [EMPTY]),
  store(T.SYSCALL_UNSHARE_E, 1),
  add(T.SYSCALL_UNSHARE_X, 1, [enter(0)]),
  store(T.SYSCALL_FUTEX_E, 3),
  add(T.SYSCALL_FUTEX_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_FSTAT_E, 1),
  add(T.SYSCALL_FSTAT_X, 1, [enter(0)]),
  store(T.SYSCALL_EPOLLWAIT_E, 1),
  add(T.SYSCALL_EPOLLWAIT_X, 1, [enter(0)]),
  store(T.SYSCALL_POLL_E, 2),
  add(T.SYSCALL_POLL_X, 2, [enter(1)]),
  retype(T.SYSCALL_NEWSELECT_X, 1, T.SYSCALL_SELECT_X, [old(0)]),
  store(T.SYSCALL_LSEEK_E, 3),
  add(T.SYSCALL_LSEEK_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_LLSEEK_E, 3),
  add(T.SYSCALL_LLSEEK_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_IOCTL_2_E, 2),
  retype(T.SYSCALL_IOCTL_2_X, 1, T.SYSCALL_IOCTL_3_X, [old(0), enterOrEmpty(0), enterOrEmpty(1), EMPTY]),
  store(T.SYSCALL_IOCTL_3_E, 3),
  add(T.SYSCALL_IOCTL_3_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_MMAP_E, 6),
  add(T.SYSCALL_MMAP_X, 4, [enter(0), enter(1), enter(2), enter(3), enter(4), enter(5)]),
  store(T.SYSCALL_MMAP2_E, 6),
  add(T.SYSCALL_MMAP2_X, 4, [enter(0), enter(1), enter(2), enter(3), enter(4), enter(5)]),
  store(T.SYSCALL_MUNMAP_E, 2),
  add(T.SYSCALL_MUNMAP_X, 4, [enter(0), enter(1)]),
  store(T.SYSCALL_SPLICE_E, 4),
  add(T.SYSCALL_SPLICE_X, 1, [enter(0), enter(1), enter(2), enter(3)]),
  store(T.SYSCALL_PTRACE_E, 2),
  add(T.SYSCALL_PTRACE_X, 0, [EMPTY, EMPTY, EMPTY]),
  add(T.SYSCALL_PTRACE_X, 3, [enterOrEmpty(0), enterOrEmpty(1)]),
  retype(T.SYSCALL_FORK_X, 16, T.SYSCALL_FORK_17_X, [...olds(0, 12), EMPTY, ...olds(13, 15)]),
  retype(T.SYSCALL_FORK_17_X, 17, T.SYSCALL_FORK_20_X, [...olds(0, 13), EMPTY, ...olds(14, 16), EMPTY, EMPTY]),
  add(T.SYSCALL_FORK_20_X, 20, [EMPTY]),
  retype(T.SYSCALL_VFORK_X, 16, T.SYSCALL_VFORK_17_X, [...olds(0, 12), EMPTY, ...olds(13, 15)]),
  retype(T.SYSCALL_VFORK_17_X, 17, T.SYSCALL_VFORK_20_X, [...olds(0, 13), EMPTY, ...olds(14, 16), EMPTY, EMPTY]),
  add(T.SYSCALL_VFORK_20_X, 20, [EMPTY]),
  store(T.SYSCALL_SENDFILE_E, 4),
  add(T.SYSCALL_SENDFILE_X, 2, [enter(0), enter(1), enter(3)]),
  store(T.SYSCALL_QUOTACTL_E, 4),
  add(T.SYSCALL_QUOTACTL_X, 14, [enter(0), enter(1), enter(2), enter(3)]),
  store(T.SYSCALL_FCHDIR_E, 1),
  add(T.SYSCALL_FCHDIR_X, 1, [enterOrEmpty(0)]),
  store(T.SYSCALL_GETDENTS_E, 1),
  add(T.SYSCALL_GETDENTS_X, 1, [enter(0)]),
  store(T.SYSCALL_GETDENTS64_E, 1),
  add(T.SYSCALL_GETDENTS64_X, 1, [enter(0)]),
  store(T.SYSCALL_SETNS_E, 2),
  add(T.SYSCALL_SETNS_X, 1, [enterOrEmpty(0), enterOrEmpty(1)]),
  store(T.SYSCALL_FLOCK_E, 2),
  add(T.SYSCALL_FLOCK_X, 1, [enter(0), enter(1)]),
  store(T.SYSCALL_SEMOP_E, 1),
  add(T.SYSCALL_SEMOP_X, 8, [enter(0)]),
  store(T.SYSCALL_SEMCTL_E, 4),
  add(T.SYSCALL_SEMCTL_X, 1, [enter(0), enter(1), enter(2), enter(3)]),
  store(T.SYSCALL_PPOLL_E, 3),
  add(T.SYSCALL_PPOLL_X, 2, [enter(1), enter(2)]),
  store(T.SYSCALL_MOUNT_E, 1),
  add(T.SYSCALL_MOUNT_X, 4, [enter(0)]),
  retype(T.SYSCALL_UMOUNT_X, 2, T.SYSCALL_UMOUNT_1_X, [old(0), old(1)]),
  store(T.SYSCALL_SEMGET_E, 3),
  add(T.SYSCALL_SEMGET_X, 1, [enter(0), enter(1), enter(2)]),
  store(T.SYSCALL_ACCESS_E, 1),
  add(T.SYSCALL_ACCESS_X, 2, [enter(0)]),
  retype(T.CONTAINER_E, 4, T.CONTAINER_JSON_E, [containerJsonFromOldFields]),
  retype(T.CONTAINER_JSON_E, 1, T.CONTAINER_JSON_2_E, [old(0)]),
  store(T.SYSCALL_SETGID_E, 1),
  add(T.SYSCALL_SETGID_X, 1, [enterOrEmpty(0)]),
  store(T.SYSCALL_SETPGID_E, 2),
  add(T.SYSCALL_SETPGID_X, 1, [enterOrEmpty(0), enterOrEmpty(1)]),
  store(T.SYSCALL_BPF_E, 1),
  retype(T.SYSCALL_BPF_X, 1, T.SYSCALL_BPF_2_X, [old(0), enterOrEmpty(0)]),
  add(T.SYSCALL_SECCOMP_E, 1, [DEFAULT]),
  store(T.SYSCALL_SECCOMP_E, 2),
  add(T.SYSCALL_SECCOMP_X, 1, [enter(0), enter(1)]),
  add(T.SYSCALL_OPENAT2_E, 0, [EMPTY, EMPTY, EMPTY, EMPTY, EMPTY]),
  pass(T.SYSCALL_OPENAT2_E, 5),
  add(T.SYSCALL_OPENAT2_X, 6, [EMPTY, EMPTY]),
  store(T.SYSCALL_MPROTECT_E, 3),
  add(T.SYSCALL_MPROTECT_X, 1, [enter(0), enter(1), enter(2)]),
  pass(T.SYSCALL_EXECVEAT_E, 3),
  add(T.SYSCALL_EXECVEAT_X, 19, [EMPTY]),
  add(T.SYSCALL_EXECVEAT_X, 20, [EMPTY, EMPTY, EMPTY]),
  add(T.SYSCALL_EXECVEAT_X, 23, [EMPTY, EMPTY, EMPTY]),
  add(T.SYSCALL_EXECVEAT_X, 26, [EMPTY]),
  add(T.SYSCALL_EXECVEAT_X, 27, [EMPTY]),
  add(T.SYSCALL_EXECVEAT_X, 28, [EMPTY]),
  add(T.SYSCALL_EXECVEAT_X, 29, [EMPTY]),
  store(T.SYSCALL_COPY_FILE_RANGE_E, 3),
  add(T.SYSCALL_COPY_FILE_RANGE_X, 3, [enter(0), enter(1), enter(2)]),
  add(T.SYSCALL_CLONE3_X, 20, [EMPTY]),
  store(T.SYSCALL_EPOLL_CREATE_E, 1),
  add(T.SYSCALL_EPOLL_CREATE_X, 1, [enter(0)]),
  store(T.SYSCALL_EPOLL_CREATE1_E, 1),
  add(T.SYSCALL_EPOLL_CREATE1_X, 1, [enter(0)]),
  store(T.SYSCALL_SETRESGID_E, 3),
  add(T.SYSCALL_SETRESGID_X, 1, [enterOrEmpty(0), enterOrEmpty(1), enterOrEmpty(2)]),
  store(T.SOCKET_ACCEPT4_E, 1),
  retype(T.SOCKET_ACCEPT4_X, 3, T.SOCKET_ACCEPT4_6_X, [...olds(0, 2), DEFAULT, DEFAULT, enter(0)]),
  store(T.SOCKET_ACCEPT4_5_E, 1),
  retype(T.SOCKET_ACCEPT4_5_X, 5, T.SOCKET_ACCEPT4_6_X, [...olds(0, 4), enter(0)]),
  store(T.SOCKET_ACCEPT4_6_E, 1),
  add(T.SOCKET_ACCEPT4_6_X, 5, [enter(0)]),
  store(T.SYSCALL_UMOUNT2_E, 1),
  add(T.SYSCALL_UMOUNT2_X, 2, [enter(0)]),
  store(T.SYSCALL_EVENTFD2_E, 1),
  add(T.SYSCALL_EVENTFD2_X, 2, [enter(0)]),
  store(T.SYSCALL_SIGNALFD4_E, 2),
  add(T.SYSCALL_SIGNALFD4_X, 2, [enter(0), enter(1)]),
];

/**
 * Entries by `type * 256 + nparams`: a flat array (PPM_EVENT_MAX * 256 slots)
 * rather than a Map, because the lookup runs for nearly every event of an old
 * capture.
 */
const BY_KEY: Array<Conversion | undefined> = new Array<Conversion | undefined>(PPM_EVENT_MAX * 256).fill(undefined);
for (const c of CONVERSIONS) {
  const key = c.type * 256 + c.nparams;
  if (BY_KEY[key] !== undefined) throw new Error(`conversion table: key (${c.type}, ${c.nparams}) appears twice`);
  BY_KEY[key] = c;
}

/** The entry for an event of `type` with `nparams` parameters (count truncated to 8 bits, as libscap does). */
export function conversionFor(type: number, nparams: number): Conversion | undefined {
  return BY_KEY[type * 256 + (nparams & 0xff)];
}
