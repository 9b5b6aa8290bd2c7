import { describe, expect, it } from 'vitest';
import { concatenatePaths, normalizingJoin } from '../../inspect/state/paths.js';

// The shortcut for paths that need no normalising must give what the
// char-by-char join gives for every input: random short paths over the
// characters that matter are compared against it.
function slowJoin(dir: string, path: string): string {
  const nul = path.indexOf('\0');
  if (nul !== -1) path = path.slice(0, nul);
  if (dir.length + path.length + 1 > 1024) return '/DIR_TOO_LONG/FILENAME_TOO_LONG';
  const relative = path.length !== 0 && path.charCodeAt(0) !== 0x2f;
  return normalizingJoin(relative ? dir : '', path);
}

describe('concatenatePaths shortcut', () => {
  it('agrees with the char-by-char join on random paths', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const chars = ['/', '.', 'a', 'é', '\0', '/', '.'];
    const word = (): string => {
      let s = '';
      for (let n = rand(7); n > 0; n--) s += chars[rand(chars.length)];
      return s;
    };
    const differ: string[][] = [];
    for (let i = 0; i < 200_000; i++) {
      const dir = word();
      const path = word();
      if (concatenatePaths(dir, path) !== slowJoin(dir, path)) differ.push([dir, path]);
    }
    expect(differ.slice(0, 5)).toEqual([]);
  });
  it.each([
    ['/home/u/', 'a/b.c'], ['/home/u', 'a'], ['', '/'], ['', '/.a'], ['/x/', '..a/b'], ['/x/', 'a/.'], ['/x/', '/a/..'],
  ])('%j + %j', (dir, path) => expect(concatenatePaths(dir, path)).toBe(slowJoin(dir, path)));
});
