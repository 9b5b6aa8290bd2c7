import { field } from './field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { formatRawNs } from '../../scapfile/timestamp.js';
import { EVENTS } from '../../scapfile/schema/index.js';
import { argsFormatter } from './args-formatter.js';
import { eventTypeName } from '../format/event-name.js';
import type { FieldDef, FieldExtractor } from './field.js';
import { formatDateTime, formatDateTimeS, formatIso8601, formatTime, formatTimeS } from './event-time.js';
import { splitNs } from '../../scapfile/timestamp.js';

const DIR_CHARS = EVENTS.map((e) => (e.dir === 'enter' ? '>' : '<'));

/** The timestamp as libsinsp's JSON writes it: a signed 64-bit number of ns. */
/** -j of the time fields: libsinsp's extract_as_js writes the timestamp in ns. */
export const jsonNs: FieldExtractor = (ev) => (ev.tsHi < 0x80000000 ? formatRawNs(ev.tsHi, ev.tsLo) : String(BigInt.asIntN(64, ev.tsNs)));

/** The `evt.*` fields that need no state beyond the fd names in arguments. */
export const EVENT_FIELDS: readonly FieldDef[] = [
  field('evt.num', 'event number (libscap counter; has gaps where libsinsp consumed events)',
    (ev) => String(ev.num), 'number'),
  field('evt.rawtime', 'event timestamp, ns since the epoch', (ev) => formatRawNs(ev.tsHi, ev.tsLo), 'number'),
  // In JSON both are the timestamp in ns (sinsp_filtercheck_gen_event.cpp extract_as_js).
  { ...field('evt.time', 'event time of day, local time, ns precision', (ev) => formatTime(ev.tsHi, ev.tsLo)), compileJson: () => jsonNs },
  { ...field('evt.datetime', 'event date and time, local time, ns precision', (ev) => formatDateTime(ev.tsHi, ev.tsLo)), compileJson: () => jsonNs },
  { ...field('evt.time.s', 'event time of day, local time, no nanoseconds', (ev) => formatTimeS(ev.tsHi, ev.tsLo)), compileJson: () => jsonNs },
  { ...field('evt.datetime.s', 'event date and time, local time, no nanoseconds', (ev) => formatDateTimeS(ev.tsHi, ev.tsLo)), compileJson: () => jsonNs },
  { ...field('evt.time.iso8601', 'event time in ISO 8601, UTC, ns precision', (ev) => formatIso8601(ev.tsHi, ev.tsLo)), compileJson: () => jsonNs },
  field('evt.rawtime.s', 'seconds part of the timestamp (seconds since the epoch)', (ev) => String(splitNs(ev.tsHi, ev.tsLo).sec), 'number'),
  // PF_10_PADDED_DEC: "%09" in text, a plain number in JSON.
  { ...field('evt.rawtime.ns', 'nanoseconds part of the timestamp', (ev) => String(splitNs(ev.tsHi, ev.tsLo).nsec).padStart(9, '0'), 'number'),
    compileJson: () => (ev) => String(splitNs(ev.tsHi, ev.tsLo).nsec) },
  field('evt.cpu', 'CPU that produced the event', (ev: EventCursor) => String(ev.cpu), 'number'),
  field('evt.type', 'event name (the syscall name for generic syscall events)', (ev) => eventTypeName(ev)),
  field('evt.dir', "direction: '>' enter, '<' exit", (ev) => DIR_CHARS[ev.type]),
  field('evt.args', 'all arguments, rendered as libsinsp does', (ev, ctx) => argsFormatter(ctx).args(ev)),
  field('evt.res', 'result: SUCCESS or the errno name (exit events with a res parameter)', (ev, ctx) => argsFormatter(ctx).res(ev)),
];
