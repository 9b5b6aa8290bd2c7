// Times as users give them to --at, --from and --to: one reading for every
// command, so a time copied from one works in the others.

/** A point in time: ns since the epoch, or ns after a capture's first event (see parseTimeSpec). */
export type TimeSpec = { readonly kind: 'abs'; readonly ns: bigint } | { readonly kind: 'rel'; readonly ns: bigint };

const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** `digits` of a fraction of `unit`, truncated to whole ns. */
const fractionNs = (digits: string, unit: bigint): bigint => (digits === '' ? 0n : (BigInt(digits) * unit) / 10n ** BigInt(digits.length));

/**
 * Reads a time: ns since the epoch (13 digits or more, as %evt.rawtime
 * prints it), seconds since the epoch with a fraction (`1534527345.5`), a
 * date and time (`2018-08-17 17:35:45.123456789` as %evt.datetime prints
 * it, in local time unless it ends in `Z` or an offset such as `+02:00`;
 * `T` between them accepted), or an offset from the capture's first event
 * (`+5s`, `+250ms`, `+1.5m`; units ns, us, ms, s, m, h; seconds without
 * one), which callers take as sinsp does for evt.reltime: the first event
 * that is no meta event (state-replay.ts startsCaptureTime). Throws an
 * Error saying what it takes.
 */
export function parseTimeSpec(text: string): TimeSpec {
  const t = text.trim();
  if (/^\d{13,}$/.test(t)) return { kind: 'abs', ns: BigInt(t) };
  let m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(t);
  if (m) return { kind: 'abs', ns: BigInt(m[1]!) * DURATION_UNITS.s! + fractionNs(m[2] ?? '', DURATION_UNITS.s!) };
  m = /^\+(\d+)(?:\.(\d+))?(ns|us|ms|s|m|h)?$/.exec(t);
  if (m) {
    const unit = DURATION_UNITS[m[3] ?? 's']!;
    return { kind: 'rel', ns: BigInt(m[1]!) * unit + fractionNs(m[2] ?? '', unit) };
  }
  m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/.exec(t);
  // Without a zone, Date.parse reads a date and time as local time.
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${m[4] ?? ''}`) : NaN;
  if (m && !Number.isNaN(ms) && isCalendarTime(m[1]!, m[2]!)) {
    return { kind: 'abs', ns: BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0')) };
  }
  throw new Error(`cannot read the time ${JSON.stringify(text)}: give ns since the epoch, seconds.fraction, `
    + 'a date and time (2018-08-17 17:35:45.5, local unless it ends in Z or an offset) or an offset from the first event such as +5s');
}

/**
 * Whether a date and time name a real day and time of day: Date.parse
 * rolls 2018-02-30 over to 2 March and takes 24:00:00 for midnight after.
 */
function isCalendarTime(date: string, time: string): boolean {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, sec] = time.split(':').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && sec < 60;
}

/** The absolute time of `spec` in a capture whose first event is at `firstNs`. */
export function timeOf(spec: TimeSpec, firstNs: bigint): bigint {
  return spec.kind === 'abs' ? spec.ns : firstNs + spec.ns;
}
