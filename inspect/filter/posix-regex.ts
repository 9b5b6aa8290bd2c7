// `regex` patterns as libsinsp compiles them: RE2 with its POSIX options
// (falcosecurity/libs 48dfd53 filter_compare.cpp: re2::RE2::POSIX, matched
// whole), rewritten for JavaScript's engine. The syntaxes differ in a few
// places that change answers rather than fail:
// - POSIX classes inside brackets ([[:alpha:]], [^[:digit:]]): JavaScript
//   reads `[[:alpha:]` as a set of the characters [ : a l p h and then a
//   literal ']'; they become the ranges they name.
// - A ']' first in a bracket expression is a literal in POSIX (`[]c]`, `[^]x]`);
//   JavaScript reads `[]` as the empty set.
// - RE2's POSIX mode has no Perl classes, word boundaries, Unicode classes,
//   back-references or look-arounds (\d \w \s \b \pL \1 (?=...)): libsinsp
//   refuses the filter, where JavaScript would take them.

import { FilterError } from './errors.js';

/** RE2's POSIX classes (re2/parse.cc), as JavaScript class contents. */
export const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/** Escapes RE2's POSIX syntax does not have (a letter or digit after '\'). */
const NOT_IN_POSIX = /[dDwWsSbBpP1-9AzCQE]/;

/** The JavaScript source of an RE2 (POSIX syntax) pattern; a FilterError for what RE2 refuses. */
export function posixToJs(pattern: string, column: number): string {
  const refuse = (why: string): never => {
    throw new FilterError(`filter: invalid regex pattern '${pattern}': ${why} (column ${column})`, column);
  };
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (NOT_IN_POSIX.test(e)) refuse(`invalid escape sequence: \\${e}`);
      out += c + e;
      i += 2;
    } else if (c === '(' && pattern[i + 1] === '?') {
      refuse('missing argument to repetition operator: ?');
    } else if (c === '[') {
      i = bracket(pattern, i, (s) => { out += s; }, refuse);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Copies the bracket expression at `at` as JavaScript; returns where it ends. */
function bracket(pattern: string, at: number, emit: (s: string) => void, refuse: (why: string) => never): number {
  let i = at + 1;
  let out = '[';
  if (pattern[i] === '^') { out += '^'; i++; }
  // A ']' right after '[' or '[^' belongs to the set.
  if (pattern[i] === ']') { out += '\\]'; i++; }
  for (;;) {
    if (i >= pattern.length) refuse('missing closing ]');
    const c = pattern[i]!;
    if (c === ']') break;
    if (c === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      const name = end < 0 ? undefined : pattern.slice(i + 2, end);
      const negated = name?.startsWith('^');
      const cls = name === undefined ? undefined : POSIX_CLASSES[negated ? name.slice(1) : name];
      if (cls === undefined) refuse(`invalid character class range: ${pattern.slice(i, end < 0 ? undefined : end + 2)}`);
      if (negated) refuse('negated POSIX classes inside brackets are not supported here');
      out += cls;
      i = end + 2;
      continue;
    }
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (NOT_IN_POSIX.test(e)) refuse(`invalid escape sequence: \\${e}`);
      out += c + e;
      i += 2;
      continue;
    }
    // '[' alone is a literal inside a set, which JavaScript also reads so; escape it to be plain.
    out += c === '[' ? '\\[' : c;
    i++;
  }
  emit(out + ']');
  return i + 1;
}
