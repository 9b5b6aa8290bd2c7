import type { EventCursor } from '../../scapfile/event-cursor.js';
import { formatRawNs } from '../../scapfile/timestamp.js';
import { EVENTS } from '../../scapfile/schema/index.js';
import { argsFormatter } from './args-formatter.js';
import { eventTypeName } from '../format/event-name.js';
import type { FieldDef, FieldExtractor } from './field.js';
import { formatDateTime, formatTime } from './event-time.js';

const DIR_CHARS = EVENTS.map((e) => (e.dir === 'enter' ? '>' : '<'));

function field(name: string, description: string, extract: FieldExtractor, json: 'number' | 'string' = 'string'): FieldDef {
  return { name, description, json, compile: () => extract };
}

/** The `evt.*` fields that need no state beyond the fd names in arguments. */
export const EVENT_FIELDS: readonly FieldDef[] = [
  field('evt.num', 'event number (libscap counter; has gaps where libsinsp consumed events)',
    (ev) => String(ev.num), 'number'),
  field('evt.rawtime', 'event timestamp, ns since the epoch', (ev) => formatRawNs(ev.tsHi, ev.tsLo), 'number'),
  field('evt.time', 'event time of day, local time, ns precision', (ev) => formatTime(ev.tsHi, ev.tsLo)),
  field('evt.datetime', 'event date and time, local time, ns precision', (ev) => formatDateTime(ev.tsHi, ev.tsLo)),
  field('evt.cpu', 'CPU that produced the event', (ev: EventCursor) => String(ev.cpu), 'number'),
  field('evt.type', 'event name (the syscall name for generic syscall events)', (ev) => eventTypeName(ev)),
  field('evt.dir', "direction: '>' enter, '<' exit", (ev) => DIR_CHARS[ev.type]),
  field('evt.args', 'all arguments, rendered as libsinsp does', (ev, ctx) => argsFormatter(ctx).args(ev)),
  field('evt.res', 'result: SUCCESS or the errno name (exit events with a res parameter)', (ev, ctx) => argsFormatter(ctx).res(ev)),
];
