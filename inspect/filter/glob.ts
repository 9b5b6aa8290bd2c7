// `glob` and `iglob`: libsinsp calls glibc's fnmatch(pattern, value, 0) or
// fnmatch(pattern, value, FNM_CASEFOLD) (utils.cpp glob_match), in the C
// locale, byte by byte. This is an interpreter of the same rules (our string
// values hold one byte per char):
// - No FNM_PATHNAME, no FNM_PERIOD: `*` and `?` match '/' and a leading '.'.
//   No FNM_NOESCAPE: '\' makes the next character literal; a trailing '\'
//   matches nothing.
// - FNM_CASEFOLD folds (ASCII tolower) the pattern's literal characters,
//   range ends and the value's character before they are compared; but a
//   class ([[:upper:]]), a collating symbol ([[.u.]]) and an equivalence
//   class ([[=u=]]) are tested against the value's character as it is, so
//   under iglob `[[:upper:]]` matches 'C' and `[[:lower:]]` does not.
// - A bracket expression: `!` or `^` first negates; ']' first is a member;
//   a range lo-hi compares byte values (the C locale's collation order) and
//   a reversed range is empty; '-' first or last is a member.
//   [:name:] is one of the C locale's classes, and any other name of
//   letters a-y makes the whole pattern fail; a name with another character
//   is no class ('[' is a member). [.c.] and [=c=] stand for the one
//   character c; a longer [.xy.] or an unterminated [. fails the pattern.
// - A '[' that never closes is a literal '[' (and the rest is pattern
//   again), unless a member matched before the end: then the pattern fails.

import { inRanges, POSIX_CLASSES } from './char-classes.js';

/** fnmatch(3), as a test of a whole value; `caseFold` is FNM_CASEFOLD (iglob). */
export function globMatcher(glob: string, caseFold: boolean): (value: string) => boolean {
  const p = Array.from(glob, (ch) => ch.charCodeAt(0));
  return (v) => {
    const s = new Array<number>(v.length);
    for (let k = 0; k < v.length; k++) s[k] = v.charCodeAt(k);
    return match(p, s, 0, 0, caseFold, false) === true;
  };
}

const END = -1;
/** Where a call made for a '*' stopped at the next '*' (glibc's `ends`). */
interface Star { p: number; n: number }

const at = (a: readonly number[], i: number): number => (i < a.length ? a[i]! : END);
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/** glibc's CHAR_CLASS_MAX_LENGTH (CHARCLASS_NAME_MAX). */
const CLASS_NAME_MAX = 2048;

/**
 * Matches p from pi against s from ni. true: a match; false: none; a Star:
 * (only when `stopAtStar`) the pattern reached a '*' there, and the caller's
 * '*' takes it from that point.
 */
function match(p: readonly number[], s: readonly number[], pi: number, ni: number, fold: boolean, stopAtStar: boolean): boolean | Star {
  const F = fold ? lower : (c: number) => c;
  while (pi < p.length) {
    const c = F(p[pi++]!);
    switch (c) {
      case 0x3f /* ? */:
        if (ni >= s.length) return false;
        ni++;
        break;
      case 0x5c /* \ */: {
        if (pi >= p.length) return false;
        const lit = F(p[pi++]!);
        if (ni >= s.length || F(s[ni]!) !== lit) return false;
        ni++;
        break;
      }
      case 0x2a /* * */: {
        if (stopAtStar) return { p: pi - 1, n: ni };
        let next = at(p, pi++);
        for (; next === 0x3f || next === 0x2a; next = at(p, pi++)) {
          if (next === 0x3f) {
            if (ni >= s.length) return false;
            ni++;
          }
        }
        if (next === END) return true;
        pi--;
        let found: boolean | Star = false;
        if (next === 0x5b) {
          for (let n = ni; n < s.length && found === false; n++) found = match(p, s, pi, n, fold, true);
        } else {
          const lit = F(next === 0x5c ? at(p, pi + 1) : next);
          for (let n = ni; n < s.length && found === false; n++) {
            if (F(s[n]!) === lit) found = match(p, s, pi, n, fold, true);
          }
        }
        if (found === false) return false;
        if (found === true) return true;
        pi = found.p;
        ni = found.n;
        break;
      }
      case 0x5b /* [ */: {
        if (ni >= s.length) return false;
        const r = bracket(p, pi, s[ni]!, F);
        if (r === false) return false;
        if (r === 'literal') {
          if (F(s[ni]!) !== 0x5b) return false;
        } else {
          pi = r;
        }
        ni++;
        break;
      }
      default:
        if (ni >= s.length || F(s[ni]!) !== c) return false;
        ni++;
    }
  }
  return ni === s.length;
}

/**
 * The bracket expression whose '[' is just before `start`, against the
 * value's character `ch`: the pattern index after its ']' when it matches,
 * false when it does not (or the pattern is ill-formed), 'literal' when the
 * '[' never closes and is an ordinary character.
 */
function bracket(p: readonly number[], start: number, ch: number, F: (c: number) => number): number | false | 'literal' {
  let i = start;
  const negated = at(p, i) === 0x21 || at(p, i) === 0x5e;
  if (negated) i++;
  const fn = F(ch);
  let c = at(p, i++);
  let matched = false;
  for (;;) {
    /** The character of a plain member (folded), or undefined when this turn handled a class or [= =]. */
    let member: number | undefined;
    if (c === 0x5c) {
      if (at(p, i) === END) return false;
      member = F(p[i++]!);
    } else if (c === 0x5b && at(p, i) === 0x3a) {
      const colon = i;
      let name = '';
      let isClass = false;
      for (;;) {
        if (name.length === CLASS_NAME_MAX) return false;
        const d = at(p, ++i);
        if (d === 0x3a && at(p, i + 1) === 0x5d) { i += 2; isClass = true; break; }
        if (d < 0x61 || d >= 0x7a) break;
        name += String.fromCharCode(d);
      }
      if (isClass) {
        const ranges = POSIX_CLASSES.get(name);
        if (ranges === undefined) return false;
        if (inRanges(ranges, ch)) { matched = true; break; }
        c = at(p, i++);
        if (c === 0x5d) break;
        continue;
      }
      i = colon;
      member = 0x5b;
    } else if (c === 0x5b && at(p, i) === 0x3d) {
      const eq = i;
      const sym = at(p, i + 1);
      if (sym !== END && at(p, i + 2) === 0x3d && at(p, i + 3) === 0x5d) {
        i += 4;
        if (ch === sym) { matched = true; break; }
        c = at(p, i++);
        if (c === 0x5d) break;
        continue;
      }
      i = eq;
      member = 0x5b;
    } else if (c === END) {
      return 'literal';
    }

    let lo: number;
    if (member === undefined && c === 0x5b && at(p, i) === 0x2e) {
      // A collating symbol: one character, compared unfolded.
      const sym = collatingSymbol(p, i);
      if (sym === undefined) return false;
      i = sym.next;
      const isRange = at(p, i) === 0x2d && at(p, i + 1) !== END;
      lo = sym.ch;
      if (!isRange && ch === lo) { matched = true; break; }
    } else {
      lo = member ?? F(c);
      const isRange = at(p, i) === 0x2d && at(p, i + 1) !== END && at(p, i + 1) !== 0x5d;
      if (!isRange && lo === fn) { matched = true; break; }
    }
    c = at(p, i++);
    if (c === 0x2d && at(p, i) !== 0x5d) {
      let hi = at(p, i++);
      if (hi === 0x5b && at(p, i) === 0x2e) {
        const sym = collatingSymbol(p, i);
        if (sym === undefined) return false;
        hi = sym.ch;
        i = sym.next;
      } else {
        if (hi === 0x5c) hi = at(p, i++);
        if (hi === END) return false;
        hi = F(hi);
      }
      if (lo <= fn && fn <= hi) { matched = true; break; }
      c = at(p, i++);
    }
    if (c === 0x5d) break;
  }
  if (!matched) return negated ? i : false;
  // Skip the rest of the expression, as glibc does once a member matched.
  for (let d = at(p, i++); d !== 0x5d; d = at(p, i++)) {
    if (d === END) return false;
    if (d === 0x5c) {
      if (at(p, i) === END) return false;
      i++;
    } else if (d === 0x5b && at(p, i) === 0x3a) {
      const colon = i;
      for (let len = 1; ; len++) {
        const e = at(p, ++i);
        if (len === CLASS_NAME_MAX) return false;
        if (at(p, i) === 0x3a && at(p, i + 1) === 0x5d) break;
        if (e < 0x61 || e >= 0x7a) { i = colon - 2; break; }
      }
      i += 2;
    } else if (d === 0x5b && at(p, i) === 0x3d) {
      if (at(p, ++i) === END) return false;
      if (at(p, ++i) !== 0x3d || at(p, i + 1) !== 0x5d) return false;
      i += 2;
    } else if (d === 0x5b && at(p, i) === 0x2e) {
      for (;;) {
        const e = at(p, ++i);
        if (e === END) return false;
        if (e === 0x2e && at(p, i + 1) === 0x5d) break;
      }
      i += 2;
    }
  }
  return negated ? false : i;
}

/**
 * The collating symbol `[.c.]` whose '.' is at p[dot]: its one character
 * and the index after its `.]`; undefined when it is unterminated or names
 * more or less than one character (the pattern then matches nothing).
 */
function collatingSymbol(p: readonly number[], dot: number): { ch: number; next: number } | undefined {
  let k = dot + 1;
  for (; ; k++) {
    if (at(p, k) === END) return undefined;
    if (at(p, k) === 0x2e && at(p, k + 1) === 0x5d) break;
  }
  return k - dot - 1 === 1 ? { ch: p[dot + 1]!, next: k + 2 } : undefined;
}
