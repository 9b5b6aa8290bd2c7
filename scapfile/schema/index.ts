// The scap event schema: event layouts, flag tables, syscall codes, errno and
// signal names, all facts of falcosecurity/libs 48dfd53 kept as data. This
// module re-exports every part and adds a few lookups.

import { EVENTS } from './events.js';
import { ParamType, PrintFormat, type EventInfo, type ParamTypeName } from './types.js';

export {
  ParamType,
  PARAM_TYPE_COUNT,
  PrintFormat,
  EventFlag,
  EventCategory,
  type ParamTypeName,
  type PrintFormatName,
  type EventFlagName,
  type EventCategoryName,
  type Direction,
  type ParamInfo,
  type EventInfo,
} from './types.js';
export { EVENTS, EVENT_FLAGS, EventType, LARGE_PAYLOAD_TYPES, PPM_EVENT_MAX, eventTypeTable, type EventCode } from './events.js';
export { FLAG_TABLES, FLAG_TABLE_COUNT, type FlagEntry, type FlagTableName } from './flags.js';
export {
  PPM_SC_MAX,
  PPM_SC_UNKNOWN,
  PPM_SC_NAMES,
  SYSCALL_TABLE_SIZE,
  NATIVE_TO_PPM_SC_X86_64,
  ppmScName,
  ppmScFromName,
  nativeToPpmSc,
  genericSyscallName,
} from './syscalls.js';
export { IA32_NR_SOCKETCALL, IA32_TO_X86_64, SOCKETCALL_TO_X86_64 } from './syscalls-ia32.js';
export { ERRNO_NAMES, errnoName, errnoResultName } from './errno.js';
export { SIGNAL_NAMES, signalName } from './signals.js';
export { SCHEMA_ORIGIN } from './origin.js';

/** The event type with this id, or undefined for an id outside the table. */
export function eventInfo(id: number): EventInfo | undefined {
  return Number.isInteger(id) ? EVENTS[id] : undefined;
}

/** Event names indexed by type id: `EVENT_NAMES_BY_TYPE[EventType.SYSCALL_OPEN_X]` = 'open'. */
export const EVENT_NAMES_BY_TYPE: readonly string[] = Object.freeze(EVENTS.map((e) => e.name));

let paramIndexes: Map<string, Map<string, number>> | undefined;

/**
 * The position of a parameter in an event layout, by event code and
 * parameter name: `paramIndex('SYSCALL_CLOSE_X', 'fd')` = 1. Throws when the
 * event or the parameter does not exist, so a typo fails at the first call.
 */
export function paramIndex(code: string, paramName: string): number {
  if (paramIndexes === undefined) {
    paramIndexes = new Map();
    for (const e of EVENTS) {
      const byName = new Map<string, number>();
      // First occurrence wins if a layout ever repeats a name.
      e.params.forEach((p, i) => {
        if (!byName.has(p.name)) byName.set(p.name, i);
      });
      paramIndexes.set(e.code, byName);
    }
  }
  const byName = paramIndexes.get(code);
  if (byName === undefined) throw new Error(`schema: unknown event code '${code}'`);
  const index = byName.get(paramName);
  if (index === undefined) throw new Error(`schema: event ${code} has no parameter '${paramName}'`);
  return index;
}

const PARAM_TYPE_NAMES: readonly ParamTypeName[] = (() => {
  const names: ParamTypeName[] = [];
  for (const [name, id] of Object.entries(ParamType)) names[id] = name as ParamTypeName;
  return names;
})();

/** Our name of a parameter type id (the `ParamType` key, e.g. 14 -> 'FD'), or undefined. */
export function paramTypeName(id: number): ParamTypeName | undefined {
  return PARAM_TYPE_NAMES[id];
}

const LIBSINSP_UNNAMED_TYPES: ReadonlySet<ParamTypeName> = new Set<ParamTypeName>([
  'IPV6ADDR', 'IPV6NET', 'FD32', 'PID32',
]);

/**
 * A parameter type as libsinsp lists it (`param_type_to_string`): the same as
 * `paramTypeName` except DYN -> 'DYNAMIC', and '<NA>' for the types libsinsp
 * has no name for (IPV6ADDR, IPV6NET, FD32, PID32) and for unknown ids.
 */
export function paramTypeDisplayName(id: number): string {
  const name = PARAM_TYPE_NAMES[id];
  if (name === 'DYN') return 'DYNAMIC';
  if (name === undefined || LIBSINSP_UNNAMED_TYPES.has(name)) return '<NA>';
  return name;
}

/**
 * A print format as libsinsp lists it (`print_format_to_string`):
 * PADDED_DEC -> '10_PADDED_DEC', unknown ids -> 'NA'.
 */
export function printFormatDisplayName(id: number): string {
  if (id === PrintFormat.PADDED_DEC) return '10_PADDED_DEC';
  for (const [name, value] of Object.entries(PrintFormat)) if (value === id) return name;
  return 'NA';
}
