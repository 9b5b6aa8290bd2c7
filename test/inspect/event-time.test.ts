import { describe, expect, it } from 'vitest';
import { formatTime } from '../../inspect/fields/event-time.js';

// formatTime keeps the `HH:MM:SS.` of the last second it printed: moving
// forward, back and across days must still give each timestamp's own text.
describe('formatTime', () => {
  const offset = -new Date().getTimezoneOffset() * 60;
  const want = (ns: bigint): string => {
    const sec = Number(ns / 1_000_000_000n);
    const s = (sec + offset) % 86400;
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
  };
  it.each([
    [1_700_000_000_000_000_001n, 1_700_000_000_999_999_999n, 1_700_000_001_000_000_000n, 1_699_999_999_500_000_000n],
    [1_700_000_000_000_000_001n, 1_700_086_400_000_000_001n, 1_700_000_000_000_000_002n, 5_000_000_123n],
  ])('prints each of a sequence of timestamps as its own', (...seq) => {
    for (const ns of seq) {
      const hi = Number(ns >> 32n);
      const lo = Number(ns & 0xffffffffn);
      expect(formatTime(hi, lo), String(ns)).toBe(want(ns));
    }
  });
});
