import { splitNs } from '../../scapfile/timestamp.js';

/**
 * Seconds to add to UTC for local time. sinsp takes the zone offset once, at
 * start-up (gmt2local in libsinsp/utils.cpp), not per event; so do we.
 */
const LOCAL_OFFSET_SEC = -new Date().getTimezoneOffset() * 60;

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
  const { sec } = splitNs(tsHi, tsLo);
  const day = new Date((sec + LOCAL_OFFSET_SEC) * 1000);
  const date = `${day.getUTCFullYear()}-${pad2(day.getUTCMonth() + 1)}-${pad2(day.getUTCDate())}`;
  return `${date} ${formatTime(tsHi, tsLo)}`;
}
