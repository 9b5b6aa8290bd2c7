import { describe, expect, it } from 'vitest';
import { concatenatePaths } from '../../inspect/state/paths.js';

// The char-by-char join concatenatePaths used for every path before it got
// a shortcut for paths that need no normalising: the shortcut must give the
// same answer for every input, so random short paths over the characters
// that matter are compared against it.
function slowJoin(dir: string, path: string): string {
  const nul = path.indexOf('\0');
  if (nul !== -1) path = path.slice(0, nul);
  if (dir.length + path.length + 1 > 4096) return '/DIR_TOO_LONG/FILENAME_TOO_LONG';
  const relative = path.length !== 0 && path.charCodeAt(0) !== 0x2f;
  const base = relative ? dir : '';
  const out: number[] = [];
  for (let i = 0; i < base.length; i++) out.push(base.charCodeAt(i));
  let tc = out.length;
  const emptyBase = tc === 0;
  const at = (i: number): number => (i < path.length ? path.charCodeAt(i) : 0);
  const rewind = (): void => {
    if (tc <= 1) return;
    tc--;
    while (tc >= 1 && out[tc - 1] !== 0x2f) tc--;
  };
  let pc = 0;
  for (;;) {
    const c = at(pc);
    if (c === 0) {
      if (tc > 1 && out[tc - 1] === 0x2f) tc--;
      break;
    }
    if (c === 0x2e && (tc === 0 || out[tc - 1] === 0x2f)) {
      const c1 = at(pc + 1);
      const c2 = at(pc + 2);
      if (c1 === 0x2e && c2 === 0x2f) { rewind(); pc += 3; }
      else if (c1 === 0x2e && c2 === 0) { rewind(); pc += 2; }
      else if (c1 === 0x2f) pc += 2;
      else if (c1 === 0) pc++;
      else out[tc++] = c, pc++;
    } else if (c === 0x2f) {
      if ((tc > 0 && out[tc - 1] === 0x2f) || (tc === 0 && !emptyBase)) pc++;
      else out[tc++] = c, pc++;
    } else {
      out[tc++] = c;
      pc++;
    }
  }
  let joined = '';
  for (let i = 0; i < tc; i++) joined += String.fromCharCode(out[i]!);
  return joined;
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
