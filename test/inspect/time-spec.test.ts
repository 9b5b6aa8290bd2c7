// The one reading of --at, --from and --to (inspect/time-spec.ts). cut and
// ptree had a parser each: cut read '2018-08-17T17:35:45' as UTC and ptree
// as local time, cut took 10 digits for ns and ptree for seconds, and only
// cut took an offset from the first event.
import { describe, expect, it } from 'vitest';
import { parseTimeSpec, timeOf } from '../../inspect/time-spec.js';

describe('parseTimeSpec', () => {
  it('reads ns, seconds with a fraction, and offsets from the first event', () => {
    expect(parseTimeSpec('1700000000123456789')).toEqual({ kind: 'abs', ns: 1700000000123456789n });
    expect(parseTimeSpec('1534527345.5')).toEqual({ kind: 'abs', ns: 1534527345500000000n });
    expect(parseTimeSpec('0')).toEqual({ kind: 'abs', ns: 0n });
    expect(parseTimeSpec('+5s')).toEqual({ kind: 'rel', ns: 5_000_000_000n });
    expect(parseTimeSpec('+1.5ms')).toEqual({ kind: 'rel', ns: 1_500_000n });
    expect(parseTimeSpec('+2')).toEqual({ kind: 'rel', ns: 2_000_000_000n });
    expect(parseTimeSpec(' +1.25m ')).toEqual({ kind: 'rel', ns: 75_000_000_000n });
  });

  it('reads a date and time in its zone, or in local time as %evt.datetime prints it', () => {
    expect(parseTimeSpec('2023-11-14T22:13:20.123456789Z')).toEqual({ kind: 'abs', ns: 1700000000123456789n });
    expect(parseTimeSpec('2023-11-14 22:13:20Z')).toEqual({ kind: 'abs', ns: 1700000000000000000n });
    expect(parseTimeSpec('2023-11-15 00:13:20.5+02:00')).toEqual({ kind: 'abs', ns: 1700000000500000000n });
    const local = BigInt(new Date(2018, 7, 17, 17, 35, 45).getTime()) * 1_000_000n + 250_000_000n;
    expect(parseTimeSpec('2018-08-17 17:35:45.25')).toEqual({ kind: 'abs', ns: local });
    expect(parseTimeSpec('2020-02-29 23:59:59Z')).toEqual({ kind: 'abs', ns: 1583020799000000000n });
  });

  it('refuses anything else, saying what it takes', () => {
    // Date.parse alone took 2018-02-30 for 2 March and 24:00:00 for the next midnight.
    for (const bad of ['yesterday', '', '2018-08-17', '17:35:45', '-5s', '+5d', '2018-13-45 99:00:00', '2018-02-30 10:00:00', '2018-08-17 24:00:00', '2018-08-17 10:60:00Z']) {
      expect(() => parseTimeSpec(bad), bad).toThrow(/cannot read the time .*: give ns since the epoch, seconds.fraction, a date and time .* or an offset from the first event such as \+5s/);
    }
  });

  it('places an offset after the first event', () => {
    expect(timeOf({ kind: 'rel', ns: 5n }, 100n)).toBe(105n);
    expect(timeOf({ kind: 'abs', ns: 5n }, 100n)).toBe(5n);
  });
});
