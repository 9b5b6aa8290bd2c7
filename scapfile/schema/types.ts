// The vocabulary of the event schema. Numeric values are facts of the scap
// format (falcosecurity/libs driver/ppm_events_public.h at 48dfd53): they are
// written into capture files, so they never change.

/** Parameter types (`PT_*`). The id is what the format stores. */
export const ParamType = {
  NONE: 0, INT8: 1, INT16: 2, INT32: 3, INT64: 4, UINT8: 5, UINT16: 6, UINT32: 7, UINT64: 8,
  CHARBUF: 9, BYTEBUF: 10, ERRNO: 11, SOCKADDR: 12, SOCKTUPLE: 13, FD: 14, PID: 15, FDLIST: 16,
  FSPATH: 17, SYSCALLID: 18, SIGTYPE: 19, RELTIME: 20, ABSTIME: 21, PORT: 22, L4PROTO: 23,
  SOCKFAMILY: 24, BOOL: 25, IPV4ADDR: 26, DYN: 27, FLAGS8: 28, FLAGS16: 29, FLAGS32: 30, UID: 31,
  GID: 32, DOUBLE: 33, SIGSET: 34, CHARBUFARRAY: 35, CHARBUF_PAIR_ARRAY: 36, IPV4NET: 37,
  IPV6ADDR: 38, IPV6NET: 39, IPADDR: 40, IPNET: 41, MODE: 42, FSRELPATH: 43, ENUMFLAGS8: 44,
  ENUMFLAGS16: 45, ENUMFLAGS32: 46, FD32: 47, PID32: 48,
} as const;
export type ParamTypeName = keyof typeof ParamType;
/** Number of parameter types (`PT_MAX`). */
export const PARAM_TYPE_COUNT = 49;

/** How a numeric parameter is printed (`PF_*`). */
export const PrintFormat = { NA: 0, DEC: 1, HEX: 2, PADDED_DEC: 3, ID: 4, DIR: 5, OCT: 6 } as const;
export type PrintFormatName = keyof typeof PrintFormat;

/** Event flags (`EF_*`), a bit set. */
export const EventFlag = {
  NONE: 0,
  CREATES_FD: 1 << 0,
  DESTROYS_FD: 1 << 1,
  USES_FD: 1 << 2,
  READS_FROM_FD: 1 << 3,
  WRITES_TO_FD: 1 << 4,
  MODIFIES_STATE: 1 << 5,
  UNUSED: 1 << 6,
  WAITS: 1 << 7,
  SKIPPARSERESET: 1 << 8,
  OLD_VERSION: 1 << 9,
  LARGE_PAYLOAD: 1 << 11,
  CONVERTER_MANAGED: 1 << 12,
} as const;
export type EventFlagName = keyof typeof EventFlag;

/**
 * Event categories (`EC_*`). A category value is one syscall category (low
 * bits) or-ed with one source category (the high bits from WAIT upwards).
 */
export const EventCategory = {
  UNKNOWN: 0, OTHER: 1, FILE: 2, NET: 3, IPC: 4, MEMORY: 5, PROCESS: 6, SLEEP: 7, SYSTEM: 8,
  SIGNAL: 9, USER: 10, TIME: 11, PROCESSING: 12, IO_READ: 32, IO_WRITE: 33, IO_OTHER: 34,
  WAIT: 1 << 6, SCHEDULER: 1 << 7, INTERNAL: 1 << 8, SYSCALL: 1 << 9, TRACEPOINT: 1 << 10,
  PLUGIN: 1 << 11, METAEVENT: 1 << 12, ITER: 1 << 13,
} as const;
export type EventCategoryName = keyof typeof EventCategory;

/** Direction of an event: enter events have even ids, exit events odd ids. */
export type Direction = 'enter' | 'exit';

/** One parameter of an event layout (`struct ppm_param_info`). */
export interface ParamInfo {
  readonly name: string;
  /** A `ParamType` value. */
  readonly type: number;
  /** A `PrintFormat` value. */
  readonly format: number;
  /** FLAGS and ENUMFLAGS and MODE parameters: the name of their table in `flags.ts`. */
  readonly flagsTable?: string;
  /** FSRELPATH parameters: index of the parameter holding the directory fd. */
  readonly dirfdParam?: number;
  /** DYN parameters: the possible layouts, selected by a u8 index before the value. */
  readonly dynVariants?: readonly ParamInfo[];
}

/** One event type (`struct ppm_event_info`), indexed by its id. */
export interface EventInfo {
  /** The event type id stored in each event header. */
  readonly id: number;
  /** The libs enum name without its `PPME_` prefix, e.g. `SYSCALL_OPEN_X`. */
  readonly code: string;
  /** The name users see, e.g. `open`; `NA` for unknown placeholders. */
  readonly name: string;
  readonly dir: Direction;
  /** An `EventCategory` combination. */
  readonly category: number;
  /** An `EventFlag` bit set. */
  readonly flags: number;
  readonly params: readonly ParamInfo[];
}
