// -j writes a field of a number type unquoted only when its text is a JSON
// number; isJsonNumber tests that by hand and must say exactly what the
// regular expression it replaced says.
import { describe, expect, it } from 'vitest';
import { isJsonNumber } from '../../inspect/format/json.js';

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

describe('isJsonNumber', () => {
  it('agrees with the JSON number pattern on edge cases and random texts', () => {
    const edge = ['', '-', '0', '-0', '00', '01', '10', '-10', '1.', '1.5', '.5', '-.5', '1.5.2', '1e5', '0.0', '-0.25',
      '18446744073709551615', ' 1', '1 ', '+1', '1-', '0x10', '<NA>', 'NaN', '9'.repeat(40)];
    for (const s of edge) expect(isJsonNumber(s), JSON.stringify(s)).toBe(NUMBER.test(s));
    let seed = 11;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    const chars = '0123456789-.e+ a';
    for (let k = 0; k < 20000; k++) {
      let s = '';
      for (let j = rnd(7); j > 0; j--) s += chars[rnd(k % 2 === 0 ? 12 : chars.length)];
      expect(isJsonNumber(s), JSON.stringify(s)).toBe(NUMBER.test(s));
    }
  });
});
