// Small builders that keep the event table (events-*.ts) short and readable.
// They only assemble plain EventInfo / ParamInfo objects; all facts live in
// the data files. Misuse (a flags parameter without a table, a FSRELPATH
// parameter without its dirfd index, ...) throws when the module loads.

import type { FlagTableName } from './flags.js';
import { EventType, type EventCode } from './event-types.js';
import {
  EventCategory,
  EventFlag,
  ParamType,
  PrintFormat,
  type EventInfo,
  type ParamInfo,
  type ParamTypeName,
  type PrintFormatName,
} from './types.js';

/** Short aliases used by the data files: `C.FILE | C.SYSCALL`, `F.USES_FD`. */
export const C = EventCategory;
export const F = EventFlag;

const TABLE_TYPES: ReadonlySet<ParamTypeName> = new Set<ParamTypeName>([
  'FLAGS8', 'FLAGS16', 'FLAGS32', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32', 'MODE',
]);

/**
 * One parameter. `extra` is, depending on the type: the flag table name
 * (FLAGS*, ENUMFLAGS*, MODE), the index of the dirfd parameter (FSRELPATH),
 * or the possible layouts (DYN). Other types take no extra.
 */
export function p(
  name: string,
  type: ParamTypeName,
  format: PrintFormatName = 'NA',
  extra?: FlagTableName | number | readonly ParamInfo[],
): ParamInfo {
  const base = { name, type: ParamType[type], format: PrintFormat[format] };
  if (TABLE_TYPES.has(type)) {
    if (typeof extra !== 'string') throw new Error(`schema: ${type} '${name}' needs a flag table`);
    return { ...base, flagsTable: extra };
  }
  if (type === 'FSRELPATH') {
    if (typeof extra !== 'number') throw new Error(`schema: FSRELPATH '${name}' needs its dirfd`);
    return { ...base, dirfdParam: extra };
  }
  if (type === 'DYN') {
    if (!Array.isArray(extra)) throw new Error(`schema: DYN param '${name}' needs its variants`);
    return { ...base, dynVariants: extra };
  }
  if (extra !== undefined) throw new Error(`schema: ${type} param '${name}' takes no extra info`);
  return base;
}

/** One layout of a DYN parameter (libs leaves these unnamed). */
function v(type: ParamTypeName, format: PrintFormatName): ParamInfo {
  return { name: '', type: ParamType[type], format: PrintFormat[format] };
}

// The layouts of DYN parameters (driver/dynamic_params_table.c). The u8 index
// stored before a DYN value selects the entry at that position.

/** setsockopt/getsockopt `val`: unknown, errno, u32, u64, timeval. */
export const DYN_SOCKOPT: readonly ParamInfo[] = [
  v('BYTEBUF', 'HEX'), v('ERRNO', 'DEC'), v('UINT32', 'DEC'), v('UINT64', 'DEC'),
  v('RELTIME', 'DEC'),
];
/** ptrace `addr`/`data`: u64, signal. */
export const DYN_PTRACE: readonly ParamInfo[] = [v('UINT64', 'HEX'), v('SIGTYPE', 'DEC')];
/** bpf `res_or_fd`: fd, errno. */
export const DYN_BPF: readonly ParamInfo[] = [v('FD', 'DEC'), v('ERRNO', 'DEC')];
/** keyctl `arg2`..`arg5`: i64, string. */
export const DYN_KEYCTL: readonly ParamInfo[] = [v('INT64', 'DEC'), v('CHARBUF', 'NA')];

/** One event type; its id comes from `EventType`, its direction from the id's parity. */
export function ev(
  code: EventCode,
  name: string,
  category: number,
  flags: number,
  params: readonly ParamInfo[] = [],
): EventInfo {
  const id = EventType[code];
  return { id, code, name, dir: id & 1 ? 'exit' : 'enter', category, flags, params };
}

/** A placeholder pairing an event with no counterpart: name `NA`, `EC_UNKNOWN`, `EF_UNUSED`. */
export function unused(code: EventCode): EventInfo {
  return ev(code, 'NA', C.UNKNOWN, F.UNUSED);
}
