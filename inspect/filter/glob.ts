// `glob` and `iglob`: libsinsp calls fnmatch(3) with no flags (or
// FNM_CASEFOLD), written here as a RegExp once per filter. `*` and `?`
// match any character, '/' and a leading '.' included; '\' escapes the next
// character; a bracket expression is glibc's: `!` or `^` negates, a ']'
// first is a literal, POSIX classes ([[:digit:]]) and ranges; a range whose
// end sorts before its start matches nothing; a '[' with no closing ']' is
// a literal '['. FNM_CASEFOLD folds the pattern's characters and the
// value's to lower case before they meet (so `[[:upper:]]` matches nothing
// under iglob, as in glibc).

import { POSIX_CLASSES } from './posix-regex.js';

/** fnmatch(3), as a test of a whole value; `caseFold` is FNM_CASEFOLD (iglob). */
export function globMatcher(glob: string, caseFold: boolean): (value: string) => boolean {
  if (!caseFold) {
    const re = globToRegExp(glob);
    return (v) => re.test(v);
  }
  const re = globToRegExp(asciiLower(glob));
  return (v) => re.test(asciiLower(v));
}

/** C's tolower in the C locale: ASCII letters only. */
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** fnmatch(3) without flags, as a RegExp over the whole value. */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]!);
    else if (c === '[') {
      const set = bracket(glob, i);
      if (set === undefined) { re += '\\['; continue; }
      re += set.re;
      i = set.end;
    } else re += escapeRe(c);
  }
  return new RegExp(re + '$');
}

/** The bracket expression opening at `at`, as a RegExp piece and the index of its ']'; undefined if it never closes. */
function bracket(glob: string, at: number): { re: string; end: number } | undefined {
  let j = at + 1;
  const negated = glob[j] === '!' || glob[j] === '^';
  if (negated) j++;
  let items = '';
  for (let first = true; ; first = false) {
    if (j >= glob.length) return undefined;
    if (glob[j] === ']' && !first) break;
    if (glob[j] === '[' && glob[j + 1] === ':') {
      const close = glob.indexOf(':]', j + 2);
      const cls = close < 0 ? undefined : POSIX_CLASSES[glob.slice(j + 2, close)];
      // An unknown class name: glibc's fnmatch matches nothing with the whole pattern.
      if (close >= 0 && cls === undefined) return { re: '(?!)', end: glob.indexOf(']', close + 2) < 0 ? glob.length - 1 : glob.indexOf(']', close + 2) };
      if (cls !== undefined) { items += cls; j = close + 2; continue; }
    }
    const lo = charAt(glob, j);
    j = lo.next;
    if (glob[j] === '-' && j + 1 < glob.length && glob[j + 1] !== ']') {
      const hi = charAt(glob, j + 1);
      j = hi.next;
      if (lo.c <= hi.c) items += escapeClass(lo.c) + '-' + escapeClass(hi.c);
    } else {
      items += escapeClass(lo.c);
    }
  }
  const re = items === '' ? (negated ? '[\\s\\S]' : '(?!)') : `[${negated ? '^' : ''}${items}]`;
  return { re, end: j };
}

/** The character at `j` of a bracket expression, a backslash escaping the next. */
function charAt(glob: string, j: number): { c: string; next: number } {
  return glob[j] === '\\' && j + 1 < glob.length ? { c: glob[j + 1]!, next: j + 2 } : { c: glob[j]!, next: j + 1 };
}

function escapeClass(c: string): string {
  return /[\\\]\[^-]/.test(c) ? '\\' + c : c;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}
