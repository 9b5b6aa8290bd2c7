// `glob`/`iglob` (glibc fnmatch, flags 0 or FNM_CASEFOLD, C locale) and
// `regex` (RE2 with re2::RE2::POSIX, matched whole) as libsinsp has them.
// The unit cases were checked against glibc's fnmatch (Python ctypes,
// LC_ALL=C) and against libre2 with RE2::POSIX; the capture cases against
// sinsp-example.

import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { FilterError, compileFilter, globMatcher } from '../../inspect/filter/index.js';
import { posixToJs, regexMatcher } from '../../inspect/filter/posix-regex.js';
import { capturePath } from '../helpers/fixtures.js';

describe('glob/iglob: glibc fnmatch', () => {
  it.each([
    // FNM_CASEFOLD folds literals and ranges, but classes see the value's character as it is.
    ['*LC_[[:upper:]]*', true, '/usr/lib/locale/C.utf8/LC_CTYPE', true],
    ['*lc_[[:upper:]]*', true, '/usr/lib/locale/C.utf8/LC_CTYPE', true],
    ['*LC_[[:lower:]]*', true, '/usr/lib/locale/C.utf8/LC_CTYPE', false],
    ['[[:upper:]]*', true, 'Curl', true], ['[[:upper:]]*', true, 'curl', false], ['[[:lower:]]url', true, 'Curl', false],
    ['[A-C]url', true, 'curl', true], ['[a-c]url', true, 'Curl', true], ['CURL', true, 'curl', true],
    // A class name is letters a-y: uppercase makes '[' a plain member; an unknown name fails the pattern.
    ['[[:LOWER:]]*', true, 'python3', false], ['[[:LOWER:]]*', true, 'l]', true], ['[[:foo:]]*', false, 'foo', false],
    ['[[:word:]]', false, 'a', false], ['[a[:foo:]]', false, 'a', true], ['[a[:foo:]]', false, 'b', false],
    // Names of an object's inherited properties are no classes either (a lookup in a plain object matched them).
    ['[[:constructor:]]x', false, 'ax', false], ['[[:valueof:]]', false, 'a', false],
    // Collating symbols and equivalence classes: the one character, compared unfolded.
    ['/tmp/wl/[[.u.]]s', false, '/tmp/wl/us', true], ['/tmp/wl/[[=u=]]s', false, '/tmp/wl/us', true],
    ['[[.u.]]', true, 'U', false], ['[[=U=]]', true, 'U', true], ['[[=U=]]', true, 'u', false],
    ['[[.ab.]]', false, 'a', false], ['[[.a', false, '[[.a', false], ['[[.p.]-z]x', false, 'qx', true],
    ['[[.a.]-]', false, 'a', false], ['[[.a.]-]', false, '-', true], ['[[=a]', false, '=', true],
    // Bracket basics: negation, ']' first, ranges by byte value, '-' at the ends, escapes.
    ['[!a]bc', false, 'abc', false], ['[^a]bc', false, 'xbc', true], ['/etc/[]r]*', false, '/etc/resolv.conf', true],
    ['[!]x]y', false, 'ay', true], ['[!]x]y', false, ']y', false], ['[z-a]*', false, 'zebra', false],
    ['[Z-a]', false, '_', true], ['[Z-a]', true, '_', false], ['[a-]', false, '-', true], ['[-a]', false, '-', true],
    ['[\\]]', false, ']', true], ['[a\\-z]', false, 'm', false], ['[a-\\z]', false, 'm', true],
    // An unterminated '[' is a literal, unless a member matched first; a bad range end fails.
    ['[x', false, '[x', true], ['[ab', false, '[ab', true], ['[ab', false, 'a', false], ['[*', false, '[xyz', true],
    ['[[', false, '[[', false], ['[a-', false, '[a-', false],
    // No FNM_PATHNAME / FNM_PERIOD: * and ? take '/' and a leading '.'.
    ['/lib/*.so*', false, '/lib/x86_64/libc.so.6', true], ['*', false, '.hidden', true], ['?etc', false, '/etc', true],
    ['a?c', false, 'a/c', true],
    // Backslash escapes the next character; a trailing backslash matches nothing.
    ['\\*', false, '*', true], ['\\*', false, 'x', false], ['a\\', false, 'a\\', false], ['a\\\\', false, 'a\\', true],
    ['*\\', false, 'a\\', false],
  ] as const)('%s (casefold %s) on %s: %s', (glob, fold, value, want) => {
    expect(globMatcher(glob, fold)(value)).toBe(want);
  });
});

describe('regex: RE2 with RE2::POSIX', () => {
  const full = (pattern: string, value: string): boolean => regexMatcher(pattern, 1)(value);
  const refusal = (pattern: string): string => {
    try {
      posixToJs(pattern, 17);
    } catch (e) {
      expect(e).toBeInstanceOf(FilterError);
      expect((e as FilterError).message).toMatch(/\(column 17\)$/);
      return (e as Error).message.replace(/^filter: invalid regex pattern '.*': /s, '').replace(/ \(column 17\)$/, '');
    }
    return 'accepted';
  };

  it('stacks repetition operators as RE2 without PerlX does', () => {
    expect(full('a**', 'aaa')).toBe(true);
    expect(full('a++', '')).toBe(false);
    expect(full('py*+', 'pyy')).toBe(true);
    expect(full('p?*ython3', 'python3')).toBe(true);
    expect(full('a+?', '')).toBe(true); // +? squashes to *
    expect(full('a*?', 'aaa')).toBe(true); // (a*)? here, not a lazy star
    expect(full('x{2}{3}', 'xxxxxx')).toBe(true);
    expect(full('^*a$+', 'a')).toBe(true);
  });

  it('knows the classes of RE2, and no other name (an inherited property name broke the translation)', () => {
    expect(full('[[:word:]]+', 'a_1')).toBe(true);
    expect(full('[[:^ascii:]]', '\xc3\xa9')).toBe(true);
    expect(refusal('[[:constructor:]]')).toBe('invalid character class range: [:constructor:]');
    expect(refusal('[[:hasownproperty:]]')).toBe('invalid character class range: [:hasownproperty:]');
  });

  it('limits repetition counts to 1000, nested counts multiplied', () => {
    expect(refusal('.{1001}')).toBe('invalid repetition size: {1001}');
    expect(refusal('a{3,2}')).toBe('invalid repetition size: {3,2}');
    expect(refusal('(a{10}){101}')).toBe('invalid repetition size: {101}');
    expect(refusal('(a|b{600}){2}')).toBe('invalid repetition size: {2}');
    expect(refusal('(a{2,}){501}')).toBe('invalid repetition size: {501}');
    expect(refusal('.{1000}')).toBe('accepted');
    expect(refusal('(a{10}){100}')).toBe('accepted');
    expect(refusal('(a*){1000}')).toBe('accepted');
    expect(full('a{,3}', 'a{,3}')).toBe(true); // not a repetition: literal '{'
  });

  it('has RE2 escapes: \\x{hex}, octal, and punctuation only', () => {
    expect(full('\\x{70}ython3', 'python3')).toBe(true);
    expect(full('\\x70\\x{000079}', 'py')).toBe(true);
    expect(full('\\12', '\n')).toBe(true);
    expect(full('\\0', '\0')).toBe(true);
    expect(full('\\_\\%\\ ', '_% ')).toBe(true);
    expect(full('\\x{e9}', '\xc3\xa9')).toBe(true); // the value holds UTF-8 bytes
    for (const [bad, why] of [
      ['\\d+', 'invalid escape sequence: \\d'], ['\\bx', 'invalid escape sequence: \\b'], ['(c)\\1', 'invalid escape sequence: \\1'],
      ['\\pL', 'invalid escape sequence: \\p'], ['\\Qa', 'invalid escape sequence: \\Q'], ['\\z', 'invalid escape sequence: \\z'],
      ['\\x{110000}', 'invalid escape sequence: \\x{110000'], ['\\xg1', 'invalid escape sequence: \\xg1'], ['\\8', 'invalid escape sequence: \\8'],
      ['a\\', 'trailing \\'], ['c(?=u)', 'no argument for repetition operator: ?'], ['(?i)x', 'no argument for repetition operator: ?'],
      ['*a', 'no argument for repetition operator: *'], ['a|{2}', 'no argument for repetition operator: {2}'],
      ['(a', 'missing ): (a'], ['a)', 'unexpected ): a)'],
    ] as const) {
      expect(refusal(bad), bad).toBe(why);
    }
  });

  it('reads bracket expressions as RE2 POSIX mode does', () => {
    expect(full('[]c]url', 'curl')).toBe(true);
    expect(full('[^]x]', 'a')).toBe(true);
    expect(full('[[:^alpha:]]', '1')).toBe(true);
    expect(full('[[:^alpha:]]', 'a')).toBe(false);
    expect(full('[[:word:]]+', 'a_1')).toBe(true);
    expect(full('[[.a.]]]', 'a]]')).toBe(true); // [. is no collating symbol in RE2: the set is [ . a
    expect(full('[^a]', '\n')).toBe(true);
    expect(full('[^a]', '\xc3\xa9')).toBe(true); // one character, two bytes
    expect(refusal('[a-')).not.toBe('accepted');
    for (const [bad, why] of [
      ['[[:foo:]]', 'invalid character class range: [:foo:]'], ['[[:a]b:]]', 'invalid character class range: [:a]b:]'],
      ['[a-b-c]', 'invalid character class range: -c'], ['[z-a]', 'invalid character class range: z-a'],
      ['[]', 'missing ]: []'], ['[\\d]', 'invalid escape sequence: \\d'],
    ] as const) {
      expect(refusal(bad), bad).toBe(why);
    }
  });

  it('matches ^ and $ at line boundaries and . on anything but a newline', () => {
    expect(full('a$\nb', 'a\nb')).toBe(true);
    expect(full('a\n^b', 'a\nb')).toBe(true);
    expect(full('a$', 'a\n')).toBe(false);
    expect(full('x^', 'x')).toBe(false);
    expect(full('.', '\n')).toBe(false);
    expect(full('..', '\xc3\xa9')).toBe(false);
  });
});

// Expected evt.num lists on fixtures/captures/scapkit_sysmix.scap, made with
//   TZ=UTC LC_ALL=C sinsp-example -s fixtures/captures/scapkit_sysmix.scap -a -f "$FILTER" -o '%evt.num'
// (libs 48dfd53, system libre2 20220601, glibc 2.36), written as ranges;
// ERROR: sinsp-example refuses the filter.
const REFERENCE: readonly (readonly [string, string])[] = [
  ["proc.name regex 'a**'", ''],
  ["proc.name regex 'a++'", ''],
  ["proc.name regex 'py*+'", ''],
  ["proc.name regex 'p?*ython3'", '9-122 2745-4302 4381-4519 4632-4755 4862-4863 4867-4897 4928-4972'],
  ["proc.name regex 'py*+thon3'", '9-122 2745-4302 4381-4519 4632-4755 4862-4863 4867-4897 4928-4972'],
  ["proc.name regex '.{1001}'", 'ERROR'],
  ["proc.name regex '\\\\x{70}ython3'", '9-122 2745-4302 4381-4519 4632-4755 4862-4863 4867-4897 4928-4972'],
  ["proc.name regex '(p{1,2}){2}|\\\\x{70}[y]+thon[[:digit:]]'", '9-122 2745-4302 4381-4519 4632-4755 4862-4863 4867-4897 4928-4972'],
  ["fd.name iglob '*LC_[[:lower:]]*'", ''],
  ["fd.name iglob '*LC_[[:upper:]]*'", LC_UPPER()],
  ["fd.name iglob '*lc_[[:upper:]]*'", LC_UPPER()],
  ["proc.name iglob '[[:LOWER:]]*'", ''],
  ["proc.name iglob 'PYTHON[[:digit:]]'", '9-122 2745-4302 4381-4519 4632-4755 4862-4863 4867-4897 4928-4972'],
  ["fd.name glob '/tmp/wl/[[.u.]]s'", '4249-4250 4956'],
  ["fd.name glob '/tmp/wl/[[=u=]]s'", '4249-4250 4956'],
  ["proc.name glob '[[.p.]-z]ython3'", '9-122 2745-4302 4381-4519 4632-4755 4862-4863 4867-4897 4928-4972'],
];

function LC_UPPER(): string {
  return '47-48 50-51 57-58 60-63 65-68 70-73 75-78 80-83 85-86 88-91 93-96 98-101 103-106 108-111 113-114 2822-2823 '
    + '2825-2826 4558-4559 4561-4562 4568-4569 4571-4574 4576-4579 4581-4584 4586-4589 4591-4594 4596-4597 4599-4602 '
    + '4604-4607 4609-4612 4614-4617 4619-4622 4624-4625 4794-4795 4797-4798 4804-4805 4807-4810 4812-4815 4817-4820 '
    + '4822-4825 4827-4830 4832-4833 4835-4838 4840-4843 4845-4848 4850-4853 4855-4858 4860-4861 5014-5015 5017-5018 '
    + '5024-5025 5027-5030 5032-5035 5037-5040 5042-5045 5047-5050 5052-5053 5055-5058 5060-5063 5065-5068 5070-5073 '
    + '5075-5078 5080-5081';
}

function expand(ranges: string): number[] {
  return ranges === '' ? [] : ranges.split(' ').flatMap((r) => {
    const [lo, hi = lo] = r.split('-').map(Number) as [number, number?];
    return Array.from({ length: hi! - lo + 1 }, (_, k) => lo + k);
  });
}

describe('glob/iglob/regex on scapkit_sysmix.scap: the events sinsp-example selects', () => {
  it('selects the same events, or refuses the same filters', async () => {
    for (const [filter] of REFERENCE.filter(([, w]) => w === 'ERROR')) {
      expect(() => compileFilter(filter, FIELDS), filter).toThrow(FilterError);
    }
    const cases = REFERENCE.filter(([, w]) => w !== 'ERROR');
    const filters = cases.map(([f]) => compileFilter(f, FIELDS));
    const got: number[][] = cases.map(() => []);
    const insp = await Inspector.open(capturePath('scapkit_sysmix'));
    await insp.run((ev) => {
      for (let k = 0; k < filters.length; k++) if (filters[k]!(ev, insp.fieldContext)) got[k]!.push(ev.num);
    });
    const wrong = cases.filter(([, want], k) => got[k]!.join(' ') !== expand(want).join(' ')).map(([f]) => f);
    expect(wrong).toEqual([]);
  }, 60_000);
});
