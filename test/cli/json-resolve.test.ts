// `-j` resolves format fields with the same parser as text output
// (inspect/format/format-parse.ts): a field whose argument is optional
// (`proc.aname`, `proc.args`, …) may be named without one in both.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { eventJson } from '../../inspect/format/json.js';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

const OPTIONAL_ARG = [...FIELDS.values()].filter((f) => f.argOptional).map((f) => f.name);

describe('-j field resolution', () => {
  it('accepts every field without its optional argument, as text output does', () => {
    expect(OPTIONAL_ARG).toEqual(expect.arrayContaining(['proc.aname', 'proc.args', 'proc.env', 'proc.apid', 'proc.acmdline']));
    for (const name of OPTIONAL_ARG) {
      const format = `*%evt.num %${name}`;
      expect(() => compileFormat(format, FIELDS)).not.toThrow();
      expect(() => eventJson(format, FIELDS), name).not.toThrow();
    }
  });

  it('keys fields as written: with [N], .NAME, and a trailing dot left to the text', () => {
    const r = scap(['read', capturePath('test_ipv6_client'), '-n', '1', '-j', '-p', '*%evt.num. %proc.aname[1] %evt.arg.fd %proc.args']);
    expect(r.status).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(['evt.arg.fd', 'evt.num', 'proc.aname[1]', 'proc.args']);
  });

  // sinsp-example prints `null` for every event of `-j -p '*x y'`: its JSON
  // value never became an object. We printed {}.
  it('writes null for a format without fields, as jsoncpp writes sinsp\'s unset value', () => {
    const r = scap(['read', capturePath('test_ipv6_client'), '-n', '2', '-j', '-p', '*x y']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'null\nnull\n', '']);
    if (HAVE_SINSP) expect(sinspEventLines(capturePath('test_ipv6_client'), '*x y', ['-j']).slice(0, 2)).toEqual(['null', 'null']);
  });

  it.skipIf(!HAVE_SINSP)('prints optional-argument fields as the reference does', () => {
    const format = '*%evt.num ' + OPTIONAL_ARG.map((n) => `%${n}`).join(' ');
    for (const name of ['single_ipv6_conn', 'test_ipv6_client'] as const) {
      const r = scap(['read', capturePath(name), '-j', '-p', format]);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n').slice(0, -1)).toEqual(sinspEventLines(capturePath(name), format, ['-j']));
    }
  });
});
