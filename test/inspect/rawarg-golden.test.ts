// evt.rawarg.NAME against the reference on every event of every fixture:
// the parameter's raw value printed by its type and print format (hex
// flags, hex addresses, 0 for an empty parameter; inspect/fields/rawarg.ts).

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, RAWARG_RENDERABLE, sinspEventLines } from '../helpers/sinsp.js';

const NAMES = ['fd', 'res', 'flags', 'size', 'mode', 'addr', 'name', 'data', 'dirfd', 'pid', 'len', 'prot', 'offset',
  'path', 'uid', 'gid', 'ino', 'dev', 'whence', 'backlog', 'args', 'exe', 'cwd', 'vm_size', 'fdlimit', 'next', 'type', 'proto'];
const TEXT_FORMAT = '*%evt.num\t%evt.type\t' + NAMES.map((n) => `%evt.rawarg.${n}`).join('\t');
// sinsp's JSON aborts on res (PT_ERRNO has no case in rawval_to_json).
const JSON_NAMES = NAMES.filter((n) => n !== 'res');
const JSON_FORMAT = '*%evt.num ' + JSON_NAMES.map((n) => `%evt.rawarg.${n}`).join(' ');

/** key → value text of a -j line, numbers kept as their digits. */
function values(line: string): Record<string, string> {
  const o = JSON.parse(line.replace(/(":)(-?\d+)(?=[,}])/g, '$1"#N#$2"')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k,
    typeof v === 'string' && v.startsWith('#N#') ? v.slice(3) : JSON.stringify(v)]));
}

describe('evt.rawarg', () => {
  it('prints flags and addresses in hex and an empty parameter as 0 (curl_google)', () => {
    const r = scap(['read', capturePath('curl_google'), '-p', '*%evt.num %evt.type %evt.rawarg.flags %evt.rawarg.res']);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('211 execve 0 0');
    expect(lines.find((l) => l.startsWith('216 '))).toBe('216 open 1001 <NA>');
    expect(lines).toContain('218 mmap 2 7FA69774E000');
  });

  it('prints a PT_MODE mode in octal and a PT_DYN value as its number (libs_nsmix; the reference aborts on both)', () => {
    const r = scap(['read', capturePath('libs_nsmix'), '-f', 'evt.type in (chmod, fchmodat, ptrace)', '-p', '*%evt.num %evt.type %evt.rawarg.mode %evt.rawarg.data']);
    expect(r.stdout).toBe('2503 chmod 0755 <NA>\n2981 fchmodat 0600 <NA>\n3009 ptrace <NA> 0\n3014 ptrace <NA> 0\n');
    const j = scap(['read', capturePath('libs_nsmix'), '-f', 'evt.type = fchmodat', '-j', '-p', '*%evt.rawarg.mode']);
    expect(j.stdout).toBe('{"evt.rawarg.mode":"0600"}\n');
  });

  const NO_MODE = ['-f', RAWARG_RENDERABLE];

  it.skipIf(!HAVE_SINSP).each(FIXTURES)('%s: text as the reference prints it', (name) => {
    const r = scap(['read', capturePath(name), ...NO_MODE, '-p', TEXT_FORMAT]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(sinspEventLines(capturePath(name), TEXT_FORMAT, NO_MODE));
  });

  /**
   * For an empty integer parameter sinsp's JSON reads the bytes where the
   * value would be (whatever follows in its buffers) where its text says 0;
   * we write 0 there. Those values are compared with the reference's text.
   */
  it.skipIf(!HAVE_SINSP).each(FIXTURES)('%s: -j values as the reference writes them', (name) => {
    const want = sinspEventLines(capturePath(name), JSON_FORMAT, ['-j', ...NO_MODE]);
    const text = sinspEventLines(capturePath(name), TEXT_FORMAT, NO_MODE).map((l) => l.split('\t'));
    const r = scap(['read', capturePath(name), ...NO_MODE, '-j', '-p', JSON_FORMAT]);
    expect(r.stderr).toBe('');
    const got = r.stdout.split('\n').slice(0, -1);
    expect(got.length).toBe(want.length);
    const diffs: string[] = [];
    for (let i = 0; i < want.length; i++) {
      const w = values(want[i]!);
      const g = values(got[i]!);
      for (const n of JSON_NAMES) {
        const k = `evt.rawarg.${n}`;
        if (g[k] === w[k]) continue;
        const asText = text[i]![2 + NAMES.indexOf(n)];
        if (g[k] === '0' && asText === '0') continue;
        diffs.push(`evt.num ${w['evt.num']} ${k}: ours ${g[k]} reference ${w[k]}`);
      }
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});
