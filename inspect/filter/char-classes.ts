// The POSIX character classes in the C locale, as ranges of byte values
// (code points): glibc's C ctype, which fnmatch tests (glob.ts), and RE2's
// POSIX classes (re2/parse.cc), which add ascii and word (posix-regex.ts).
// A Map, not an object: a class name such as `constructor` must name none.

export type Range = readonly [number, number];

const DIGIT: Range = [0x30, 0x39], UPPER: Range = [0x41, 0x5a], LOWER: Range = [0x61, 0x7a];

/** The twelve classes POSIX defines. */
export const POSIX_CLASSES: ReadonlyMap<string, readonly Range[]> = new Map<string, readonly Range[]>([
  ['alnum', [DIGIT, UPPER, LOWER]], ['alpha', [UPPER, LOWER]], ['blank', [[9, 9], [0x20, 0x20]]],
  ['cntrl', [[0, 0x1f], [0x7f, 0x7f]]], ['digit', [DIGIT]], ['graph', [[0x21, 0x7e]]], ['lower', [LOWER]],
  ['print', [[0x20, 0x7e]]], ['punct', [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]]],
  ['space', [[9, 13], [0x20, 0x20]]], ['upper', [UPPER]], ['xdigit', [DIGIT, [0x41, 0x46], [0x61, 0x66]]],
]);

/** Whether `c` is in one of `ranges`. */
export function inRanges(ranges: readonly Range[], c: number): boolean {
  for (const [lo, hi] of ranges) if (c >= lo && c <= hi) return true;
  return false;
}
