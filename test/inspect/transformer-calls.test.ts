// join, concat and getopt, literal and list arguments (format/transformer-calls.ts).
// Which events filters select is checked against sinsp-example by
// filter-golden.test.ts (the "Multi-argument transformers" part of
// filters.txt); here the values themselves, what the reference gets wrong
// (it aborts or matches nothing on transformers and comparisons over
// getopt's lists), -p output and the errors.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { FormatError, compileFormat } from '../../inspect/format/format-string.js';
import { getopt } from '../../inspect/format/transformer-calls.js';
import { Inspector } from '../../inspect/inspector.js';
import { capturePath } from '../helpers/fixtures.js';

describe('getopt', () => {
  // Expected values follow libs' multivalue_transformer_getopt unit tests.
  it.each([
    [['-n', ''], 'n', ['n']],
    [['-nt', 'hello'], 'nt:', ['n', 't', 'hello']],
    [['-thello'], 't:', ['t', 'hello']],
    [['-n', '--', '-t'], 'nt:', ['n']],
    [['-x', '-n'], 'n', ['?', 'n']],
    [['-lpe', '/bin/sh'], 'lpe:', ['l', 'p', 'e', '/bin/sh']],
    [['-lpe', '/bin/sh'], 'lp:e:', ['l', 'p', 'e']],
    [['--exec', '-n'], 'n', ['n']],
    [['arg1', '-n'], 'n', []],
    [['-', '-n'], 'n', []],
    [['-t'], 't:', ['']],
    [['-t'], ':t:', ['']],
    [['-n', '-t'], '', ['?', '?']],
    [['-a1b2c3'], 'a1b2c3', ['a', '1', 'b', '2', 'c', '3']],
  ])('getopt(%j, %j) is %j', (argv, optstring, expected) => {
    expect(getopt(argv, optstring, undefined)).toEqual(expected);
  });

  it('with [c], the last value of that option, or none', () => {
    expect(getopt(['-t', 'a', '-t', 'b'], 't:', 't')).toEqual(['b']);
    expect(getopt(['-n'], 'n', 'n')).toEqual(['n']);
    expect(getopt(['-t'], 't:', 't')).toEqual(['']);
    expect(getopt(['-n'], 'nt:', 't')).toBeUndefined();
  });
});

/** How many events of curl_google the filter selects. */
async function count(filter: string): Promise<number> {
  const test = compileFilter(filter, FIELDS);
  const insp = await Inspector.open(capturePath('curl_google'));
  let n = 0;
  await insp.run((ev) => { if (test(ev, insp.fieldContext)) n++; });
  return n;
}

describe('lists from getopt', () => {
  // sinsp-example (libs 48dfd53) aborts on the first two ("non-list filter
  // 'NA' expected to extract a single value, but 3 were found") or matches
  // nothing; libsinsp's transformers define len() of a list as its count and
  // the others as applying to each value, which is what scapkit does.
  it('len() counts the values, the others apply to each', async () => {
    expect(await count('len(getopt(("-n", "-t", "x"), "nt:")) = 3')).toBe(939);
    expect(await count('toupper(getopt(("-n"), "n")) intersects (N)')).toBe(939);
  });

  it('in and intersects with a list on the right compare the values', async () => {
    // sinsp-example matches nothing for either.
    expect(await count('getopt(("-c"), "c") in getopt(("-c", "-d"), "cd")')).toBe(939);
    expect(await count('getopt(("-c", "-x"), "cx") in getopt(("-c"), "c")')).toBe(0);
    expect(await count('getopt(("-c", "-x"), "cx") intersects getopt(("-c"), "c")')).toBe(939);
  });

  it('refuses comparing a list with a single value, and other operators on a list', () => {
    expect(() => compileFilter('proc.name in getopt(("-c"), "c")', FIELDS)).toThrow(/proc.name is a string and the right-hand side getopt\(\) a string list/);
    expect(() => compileFilter('getopt(("-n"), "n") = n', FIELDS)).toThrow(/'=' operator not supported list filters/);
    expect(() => compileFilter('getopt(("-n"), "n") startswith anyof (n)', FIELDS)).toThrow(/anyof does not apply to getopt\(\)/);
  });
});

describe('errors', () => {
  it.each([
    ['join("-") = x', /join\(\) requires exactly 2 arguments: separator and list \(column 1\)/],
    ['join(("a"), ("b")) = x', /join\(\) first argument \(separator\) must be a single value/],
    ['join("a", "b") = x', /join\(\) second argument must be a list/],
    ['concat("a") = x', /concat\(\) requires at least 2 arguments/],
    ['concat(proc.pid, "a") = x', /concat\(\) arguments must be strings/],
    ['concat(fd.cip, "a") = x', /concat\(\) arguments must be strings/],
    ['getopt("a", "n") exists', /getopt\(\) first argument must be a list/],
    ['getopt(("a"), ("n")) exists', /getopt\(\) second argument \(optstring\) must be a single value/],
    ['getopt(("a"), "n")[ab] exists', /getopt\(\) field argument must be a single option character/],
    ['concat("a", "b")[x] = ab', /transformer 'concat' does not support field arguments/],
    ['tolower("a", "b") = a', /tolower\(\) takes one argument/],
    ['tolower(fd.cip) exists', /tolower\(\) takes a string, and fd.cip gives an address or raw bytes/],
    ['concat(proc.name "x") = a', /expected ',' or '\)' in the arguments of concat\(\) at column 18/],
    ['join(",", (("a"))) = a', /expected a field, a transformer, a quoted string or a number at column 12/],
    ['concat(proc.nmae, "x") = a', /unknown field 'proc.nmae'/],
  ])('%s', (filter, message) => {
    expect(() => compileFilter(filter, FIELDS)).toThrow(message);
  });
});

describe('-p', () => {
  it('prints calls as sinsp-example does, lists as (a,b)', async () => {
    const render = compileFormat('*%evt.num %concat(proc.name, "-x") %getopt(("-a", "1", proc.name), "a:") %getopt(("-a", "1"), "a:")[a] %len(join("/", ("a", proc.name))) %join(",", (proc.name, fd.name))', FIELDS);
    const insp = await Inspector.open(capturePath('curl_google'));
    let line: string | undefined;
    await insp.run((ev) => { line = render(ev, insp.fieldContext); return false; });
    // Event 1 is systemd's, without an fd (fixtures/golden/curl_google/events.txt).
    expect(line).toBe('1 systemd-x (a,1) 1 9 <NA>');
  });

  it('refuses as filters do', () => {
    expect(() => compileFormat('%concat(proc.pid, "a")', FIELDS)).toThrow(FormatError);
    expect(() => compileFormat('%concat(proc.pid, "a")', FIELDS)).toThrow(/format: concat\(\) arguments must be strings/);
  });
});
