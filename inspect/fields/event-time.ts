import { execFileSync } from 'node:child_process';
import { splitNs } from '../../scapfile/timestamp.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext } from './field.js';

/** ns since the first event that is not a meta event (sinsp's m_firstevent_ts; the whole timestamp before one). */
export const sinceFirstEvent = (ev: EventCursor, ctx: FieldContext): bigint => ev.tsNs - (ctx.state.firstEventTsNs?.() ?? 0n);

/** TZ values that mean UTC: no need to ask the C library. */
const UTC_NAMES = /^:?(UTC|UCT|GMT|Etc\/UTC|Etc\/UCT|Etc\/GMT|Universal|Zulu|UTC0|GMT0)?$/i;

/**
 * Seconds to add to UTC for local time. sinsp takes the zone offset once, at
 * start-up (gmt2local in libsinsp/utils.cpp), not per event; so do we.
 */
const LOCAL_OFFSET_SEC = localOffsetSec();

/**
 * The zone offset now. Node (ICU) reads zone names and simple POSIX values
 * (EST5EDT, XYZ3), but takes a POSIX TZ with rules or a quoted name
 * ('EST5EDT,M3.2.0,M11.1.0', '<+0530>-5:30') for UTC, where sinsp's
 * localtime (glibc) follows it: then glibc says, through date(1).
 */
function localOffsetSec(): number {
  const node = -new Date().getTimezoneOffset() * 60;
  const tz = process.env.TZ;
  if (node !== 0 || tz === undefined || UTC_NAMES.test(tz)) return node;
  try {
    const z = /^([+-])(\d\d)(\d\d)$/.exec(execFileSync('date', ['+%z'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return z === null ? node : (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60);
  } catch {
    return node;
  }
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

// `HH:MM:SS.` of the second `formatTime` printed last: consecutive events
// mostly fall in the same second, so only the nanoseconds change.
let prefixSec = NaN;
let prefix = '';

/** `HH:MM:SS.nnnnnnnnn` in local time, as sinsp prints `%evt.time`. */
export function formatTime(tsHi: number, tsLo: number): string {
  const { sec, nsec } = splitNs(tsHi, tsLo);
  if (sec !== prefixSec) {
    const s = (sec + LOCAL_OFFSET_SEC) % 86400;
    prefix = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}.`;
    prefixSec = sec;
  }
  return prefix + String(nsec).padStart(9, '0');
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` in local time, as sinsp prints `%evt.datetime`. */
export function formatDateTime(tsHi: number, tsLo: number): string {
  return `${localDate(tsHi, tsLo)} ${formatTime(tsHi, tsLo)}`;
}

/** `HH:MM:SS` in local time, as sinsp prints `%evt.time.s`. */
export function formatTimeS(tsHi: number, tsLo: number): string {
  const t = formatTime(tsHi, tsLo);
  return t.slice(0, t.length - 10);
}

/** `YYYY-MM-DD HH:MM:SS` in local time, as sinsp prints `%evt.datetime.s`. */
export function formatDateTimeS(tsHi: number, tsLo: number): string {
  return `${localDate(tsHi, tsLo)} ${formatTimeS(tsHi, tsLo)}`;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000`, as sinsp prints `%evt.time.iso8601`
 * (ts_to_iso_8601: strftime of gmtime, so always UTC).
 */
export function formatIso8601(tsHi: number, tsLo: number): string {
  const { sec, nsec } = splitNs(tsHi, tsLo);
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(nsec).padStart(9, '0')}+0000`;
}

/** The local date of a timestamp, `YYYY-MM-DD`. */
function localDate(tsHi: number, tsLo: number): string {
  const { sec } = splitNs(tsHi, tsLo);
  const day = new Date((sec + LOCAL_OFFSET_SEC) * 1000);
  return `${day.getUTCFullYear()}-${pad2(day.getUTCMonth() + 1)}-${pad2(day.getUTCDate())}`;
}
