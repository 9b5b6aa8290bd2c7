// More `evt.*` fields, with libsinsp's rules (falcosecurity/libs 48dfd53:
// userspace/libsinsp/sinsp_filtercheck_event.cpp extract_single):
// - evt.latency is hard-wired to 0 at this commit;
// - evt.failed / evt.rawres exist only for events with a return value;
// - evt.is_io* read the event's EF_READS_FROM_FD / EF_WRITES_TO_FD flags;
// - evt.is_open_read/write test PPM_O_RDONLY / PPM_O_WRONLY in the flags of
//   open, openat, openat2 and open_by_handle_at exits;
// - evt.buflen is the non-negative return value of I/O events with an fd;
// - evt.arg.NAME / evt.arg[N] print the resolved text when there is one,
//   evt.rawarg.NAME the raw value by the parameter's type (rawarg.ts).

import { field, bool } from './field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EVENT_FLAGS, EventType } from '../../scapfile/schema/events.js';
import { EventCategory, EventFlag, ParamType } from '../../scapfile/schema/types.js';
import { FdType } from '../../scapfile/state-blocks/types.js';
import { eventTypeName } from '../format/event-name.js';
import { sinceFirstEvent } from './event-time.js';
import { paramBytes } from '../../scapfile/params/index.js';
import { renderFieldBuffer } from '../format/buffers.js';
import { argsFormatter } from './args-formatter.js';
import { hasReturnValue, returnValue, returnValueText } from '../format/return-value.js';
import { intParamText } from '../state/event-params.js';
import type { FieldContext, FieldDef } from './field.js';
import { RawKind, rawArg, rawArgNumber } from './rawarg.js';
import { jsonString } from '../format/json.js';

/** `PPM_O_RDONLY` and `PPM_O_WRONLY` (driver/ppm_events_public.h). */
const PPM_O_RDONLY = 1 << 0, PPM_O_WRONLY = 1 << 1;
/** Where the open flags are, per open exit event (parameter index). */
const OPEN_FLAGS = new Map<number, number>([
  [EventType.SYSCALL_OPEN_X, 2], [EventType.SYSCALL_OPEN_BY_HANDLE_AT_X, 2],
  [EventType.SYSCALL_OPENAT_2_X, 3], [EventType.SYSCALL_OPENAT2_X, 3],
]);
const IO_BASE = 32;

function openFlags(ev: EventCursor): number | undefined {
  const k = OPEN_FLAGS.get(ev.type);
  if (k === undefined) return undefined;
  if (k >= ev.nparams || ev.paramLen(k) < 4) return 0;
  return ev.bytes.readUInt32LE(ev.paramStart(k));
}

/**
 * The parameter evt.rawarg reads: by name as libsinsp does (the event's
 * first parameter of that name); `[N]` by position.
 */
function rawArgIndex(ev: EventCursor, which: string | number): number {
  if (typeof which === 'string') return argIndex(ev, which);
  const info = EVENTS[ev.type];
  return info !== undefined && which < Math.min(ev.nparams, info.params.length) ? which : -1;
}

function argIndex(ev: EventCursor, name: string): number {
  const info = EVENTS[ev.type];
  if (info === undefined) return -1;
  const n = Math.min(ev.nparams, info.params.length);
  for (let j = 0; j < n; j++) if (info.params[j]!.name === name) return j;
  return -1;
}

/**
 * The bytes of an event's `data` parameter, one char per byte (undefined
 * when it has none): what filters compare evt.buffer by, and what a chisel
 * gets as evt.rawarg.data.
 */
export function dataBytes(ev: EventCursor): string | undefined {
  const k = argIndex(ev, 'data');
  if (k < 0) return undefined;
  const at = ev.paramStart(k);
  return ev.bytes.toString('latin1', at, at + ev.paramLen(k));
}

/**
 * Every parameter name of the event table with the type of its first
 * parameter of that name, in table order: the names evt.arg.NAME and
 * evt.rawarg.NAME accept, and the type libsinsp reads evt.rawarg's filter
 * values by (find_longest_matching_evt_param; filter-values.ts).
 */
export const FIRST_PARAM_TYPES = new Map<string, number>();
for (const e of EVENTS) for (const p of e?.params ?? []) if (!FIRST_PARAM_TYPES.has(p.name)) FIRST_PARAM_TYPES.set(p.name, p.type);

/** The length of the longest of `names` that `text` starts with, or 0. */
function longestNameLength(names: ReadonlyMap<string, unknown>, text: string): number {
  for (let n = text.length; n > 0; n--) if (names.has(text.slice(0, n))) return n;
  return 0;
}

/** The longest parameter name `text` starts with, as libsinsp's find_longest_matching_evt_param. */
const paramNameLength = (text: string): number => longestNameLength(FIRST_PARAM_TYPES, text);

/** Parses a field argument: `[N]` gives a number, `.NAME` a name. */
function argSelector(arg: string | undefined, field: string): string | number {
  if (arg === undefined || arg === '') throw new Error(`${field} needs an argument: ${field}.NAME or ${field}[N]`);
  return /^\d+$/.test(arg) ? Number(arg) : arg;
}

/**
 * evt.rawarg's text, its JSON kind left in kind[0]; for types libsinsp has
 * no raw rule for, the evt.args text.
 */
function rawArgValue(ev: EventCursor, ctx: FieldContext, which: string | number, kind: RawKind[]): string | undefined {
  const k = rawArgIndex(ev, which);
  if (k < 0) return undefined;
  const p = EVENTS[ev.type]!.params[k]!;
  const v = rawArg(ev, k, p, kind);
  if (kind[0] !== RawKind.FALLBACK) return v;
  return p.type === ParamType.BYTEBUF ? fieldBuffer(ev, ctx, k) : argsFormatter(ctx).param(ev, k)?.raw;
}

/** Whether a parameter type is a string (CHARBUF, FSPATH, FSRELPATH): empty, libsinsp gives it the text <NA>. */
export function isStringType(type: number): boolean {
  return type === ParamType.CHARBUF || type === ParamType.FSPATH || type === ParamType.FSRELPATH;
}

/**
 * A byte buffer as a field's value: as evt.args renders it, except that a
 * long one is cut where libsinsp's field rendering runs out of room
 * (renderFieldBuffer). An empty one is as evt.args has it.
 */
function fieldBuffer(ev: EventCursor, ctx: FieldContext, k: number): string | undefined {
  // libsinsp renders `data` as evt.args does (get_param_value_str): an
  // empty buffer as NULL, and ptrace's data, a number (PT_DYN), as that
  // number, not as the bytes that encode it.
  if (ev.paramLen(k) === 0 || EVENTS[ev.type]!.params[k]!.type !== ParamType.BYTEBUF) return argsFormatter(ctx).param(ev, k)?.raw;
  return renderFieldBuffer(paramBytes(ev, k), ctx.bufferFormat);
}

const NS_PER_SEC = 1_000_000_000n;

/** Each event name's first id in the table. */
const EVENT_IDS = new Map<string, number>();
EVENTS.forEach((e, id) => { if (e !== undefined && !EVENT_IDS.has(e.name)) EVENT_IDS.set(e.name, id); });

/** The non-negative return value of an exit event (extract_buflen). */
function buflen(ev: EventCursor): string | undefined {
  if ((ev.type & 1) === 0 || !hasReturnValue(ev)) return undefined;
  const r = returnValue(ev);
  return r >= 0 ? intParamText(ev, 0, r) : undefined;
}

const IO_READ = EventCategory.IO_READ, IO_WRITE = EventCategory.IO_WRITE, IO_ANY = -1;
const ANY_FD = (_t: number): boolean => true;
const FILE_FD = (t: number): boolean => t === FdType.FILE || t === FdType.FILE_V2;
const NET_FD = (t: number): boolean => t >= FdType.IPV4_SOCK && t <= FdType.IPV6_SERVSOCK;

/**
 * evt.buflen.in and kin: evt.buflen where the event's syscall category (the
 * low bits of its table category) is the one asked (IO_ANY: any I/O one)
 * and its fd of the kind asked.
 */
function buflenField(name: string, description: string, category: number, fdKind: (type: number) => boolean): FieldDef {
  return field(name, description, (ev, ctx) => {
    const c = EVENTS[ev.type]!.category & (EventCategory.SYSCALL - 1);
    if (category === IO_ANY ? (c & IO_BASE) === 0 : c !== category) return undefined;
    const fd = ctx.state.eventFdDetail?.(ev);
    return fd === undefined || !fdKind(fd.type) ? undefined : buflen(ev);
  }, 'number');
}

export const EVENT_EXTRA_FIELDS: readonly FieldDef[] = [
  field('evt.latency', 'delta between an exit event and its enter event, ns (always 0 in libsinsp at this version)', () => '0', 'number'),
  // Printed with PF_10_PADDED_DEC, i.e. "%09" (sinsp_filtercheck.cpp rawval_to_string for PT_RELTIME);
  // in JSON the same u64 read as a signed number, unpadded (sinsp_filtercheck_gen_event.cpp extract_as_js).
  {
    ...field('evt.reltime', 'ns since the first event that is not a meta event (sinsp_filtercheck_gen_event.cpp TYPE_RELTS)',
      (ev, ctx) => String(BigInt.asUintN(64, sinceFirstEvent(ev, ctx))).padStart(9, '0'), 'number'),
    compileJson: () => (ev, ctx) => String(BigInt.asIntN(64, sinceFirstEvent(ev, ctx))),
  },
  field('evt.reltime.s', 'whole seconds since the first event that is not a meta event',
    (ev, ctx) => String((sinceFirstEvent(ev, ctx)) / NS_PER_SEC), 'number'),
  {
    ...field('evt.reltime.ns', 'nanoseconds part of the time since the first event that is not a meta event',
      (ev, ctx) => String((sinceFirstEvent(ev, ctx)) % NS_PER_SEC).padStart(9, '0'), 'number'),
    compileJson: () => (ev, ctx) => String((sinceFirstEvent(ev, ctx)) % NS_PER_SEC),
  },
  // The other latency fields are hard-wired like evt.latency at this commit (deprecated there).
  field('evt.latency.s', 'seconds part of evt.latency (always 0 in libsinsp at this version)', () => '0', 'number'),
  { ...field('evt.latency.ns', 'nanoseconds part of evt.latency (always 0 in libsinsp at this version)', () => '000000000', 'number'),
    compileJson: () => () => '0' },
  field('evt.latency.quantized', 'evt.latency on a log scale (always 0 in libsinsp at this version)', () => '0', 'number'),
  field('evt.latency.human', 'evt.latency as text (always 0ns in libsinsp at this version)', () => '0ns'),
  field('evt.source', 'the event source: syscall for every event of a capture file (plugin events need their plugin)',
    (ev) => (ev.type === EventType.PLUGINEVENT_E ? undefined : 'syscall')),
  field('evt.is_async', 'true for meta events (procinfo, container, async events...)',
    (ev) => bool((EVENTS[ev.type]!.category & EventCategory.METAEVENT) !== 0), 'bool'),
  field('evt.asynctype', 'the name of a meta event (an async event\'s own name)',
    (ev) => ((EVENTS[ev.type]!.category & EventCategory.METAEVENT) === 0 ? undefined : eventTypeName(ev))),
  field('evt.hostname', 'the hostname in the capture\'s machine info', (_ev, ctx) => ctx.state.hostname?.()),
  field('syscall.type', 'the syscall of a syscall event (for generic events, from its ids)',
    (ev) => ((EVENTS[ev.type]!.category & EventCategory.SYSCALL) === 0 ? undefined : eventTypeName(ev))),
  {
    // evt.type.is.NAME: NAME's first event id in the table and the next one (its exit).
    name: 'evt.type.is', description: '1 for events of the type named (evt.type.is.open), else 0', takesArg: true, json: 'number',
    argNameLength: (text) => longestNameLength(EVENT_IDS, text),
    compile: (arg) => {
      const id = arg === undefined ? undefined : EVENT_IDS.get(arg);
      if (id === undefined) throw new Error(`evt.type.is needs an event type: evt.type.is.NAME, not '${arg ?? ''}'`);
      return (ev) => (ev.type === id || ev.type === id + 1 ? '1' : '0');
    },
  },
  {
    // Filter-only in libsinsp (EPF_FILTER_ONLY): no value in output; filters compile it (inspect/filter/compile.ts).
    name: 'evt.around', description: 'in filters, evt.around[T] = D: events within D ms of the timestamp T (ns); no value in output',
    takesArg: true, json: 'number',
    compile: () => () => undefined,
  },
  field('evt.info', 'libsinsp prints the arguments here (no info lines at this version)', (ev, ctx) => argsFormatter(ctx).args(ev)),
  {
    ...field('evt.buffer', 'the data buffer of I/O events, rendered as in evt.args (cut after 1,021 bytes, as libsinsp does for fields); filters compare its bytes', (ev, ctx) => {
      const k = argIndex(ev, 'data');
      return k < 0 ? undefined : fieldBuffer(ev, ctx, k);
    }),
    // Filters compare the bytes themselves (a PT_BYTEBUF, extract_argraw when
    // comparing), one char per byte as filter values are, not the rendering:
    // `evt.buffer contains "\n"`, `evt.buffer bstartswith 7f454c46`, `= ''` for an empty one.
    compileFilterText: () => dataBytes,
  },
  field('evt.failed', 'true for syscalls that returned an error', (ev) => (hasReturnValue(ev) ? bool(returnValue(ev) < 0) : undefined), 'bool'),
  field('evt.rawres', 'the return value as a number', (ev) => (hasReturnValue(ev) ? returnValueText(ev) : undefined), 'number'),
  field('evt.is_io', 'true for events that read or write an fd',
    (ev) => bool((EVENT_FLAGS[ev.type]! & (EventFlag.READS_FROM_FD | EventFlag.WRITES_TO_FD)) !== 0), 'bool'),
  field('evt.is_io_read', 'true for events that read from an fd', (ev) => bool((EVENT_FLAGS[ev.type]! & EventFlag.READS_FROM_FD) !== 0), 'bool'),
  field('evt.is_io_write', 'true for events that write to an fd', (ev) => bool((EVENT_FLAGS[ev.type]! & EventFlag.WRITES_TO_FD) !== 0), 'bool'),
  field('evt.is_open_read', 'true for opens with read access', (ev) => bool(((openFlags(ev) ?? 0) & PPM_O_RDONLY) !== 0), 'bool'),
  field('evt.is_open_write', 'true for opens with write access', (ev) => bool(((openFlags(ev) ?? 0) & PPM_O_WRONLY) !== 0), 'bool'),
  field('evt.buflen', 'bytes read or written by an I/O event', (ev, ctx) => {
    if ((ev.type & 1) === 0 || (EVENTS[ev.type]!.category & IO_BASE) === 0) return undefined;
    if (ctx.state.eventFdDetail?.(ev) === undefined) return undefined;
    return buflen(ev);
  }, 'number'),
  buflenField('evt.buflen.in', 'evt.buflen of reads', IO_READ, ANY_FD),
  buflenField('evt.buflen.out', 'evt.buflen of writes', IO_WRITE, ANY_FD),
  buflenField('evt.buflen.file', 'evt.buflen of I/O on files', IO_ANY, FILE_FD),
  buflenField('evt.buflen.file.in', 'evt.buflen of reads from files', IO_READ, FILE_FD),
  buflenField('evt.buflen.file.out', 'evt.buflen of writes to files', IO_WRITE, FILE_FD),
  buflenField('evt.buflen.net', 'evt.buflen of I/O on IP sockets', IO_ANY, NET_FD),
  buflenField('evt.buflen.net.in', 'evt.buflen of reads from IP sockets', IO_READ, NET_FD),
  buflenField('evt.buflen.net.out', 'evt.buflen of writes to IP sockets', IO_WRITE, NET_FD),
  {
    name: 'evt.arg', description: 'one argument, resolved when possible: evt.arg.NAME or evt.arg[N]', takesArg: true, bracketIsNumber: true, json: 'string',
    argNameLength: paramNameLength,
    compile: (arg) => {
      const which = argSelector(arg, 'evt.arg');
      return (ev, ctx) => argsFormatter(ctx).arg(ev, which);
    },
  },
  {
    name: 'evt.rawarg', description: 'one argument as its raw value, by its print format: evt.rawarg.NAME', takesArg: true, json: 'string',
    argNameLength: paramNameLength,
    compile: (arg) => {
      const which = argSelector(arg, 'evt.rawarg');
      const kind: RawKind[] = [RawKind.NONE];
      return (ev, ctx) => rawArgValue(ev, ctx, which, kind);
    },
    compileJson: (arg) => {
      const which = argSelector(arg, 'evt.rawarg');
      const kind: RawKind[] = [RawKind.NONE];
      return (ev, ctx) => {
        const v = rawArgValue(ev, ctx, which, kind);
        if (v === undefined) return undefined;
        return kind[0] === RawKind.NUMBER || kind[0] === RawKind.BOOL ? v : jsonString(v);
      };
    },
    // Filters see no value in an empty parameter (extract_argraw gives
    // length 0 and compare_nocache answers false), where output prints 0 or <NA>.
    compileNumber: (arg) => {
      const which = argSelector(arg, 'evt.rawarg');
      return (ev) => {
        const k = rawArgIndex(ev, which);
        return k < 0 || ev.paramLen(k) === 0 ? undefined : rawArgNumber(ev, k, EVENTS[ev.type]!.params[k]!);
      };
    },
    compileFilterText: (arg) => {
      const which = argSelector(arg, 'evt.rawarg');
      const kind: RawKind[] = [RawKind.NONE];
      return (ev, ctx) => {
        const k = rawArgIndex(ev, which);
        // A parameter libsinsp cannot print (a sockaddr) still has a value
        // to a filter: extract_argraw hands over its bytes, so `exists` holds
        // (`evt.rawarg.addr exists`: bind and connect exits with an address).
        // An empty string parameter is the text <NA> to it (the legacy null
        // encoding of sinsp_evt_param), so it exists; an empty number is not.
        if (k < 0) return undefined;
        if (ev.paramLen(k) === 0) return isStringType(EVENTS[ev.type]!.params[k]!.type) ? '<NA>' : undefined;
        return rawArgValue(ev, ctx, which, kind) ?? '';
      };
    },
  },
];
