// `scap ptree`, run as a user would (the built dist/cli/main.js).
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';

describe('scap ptree', () => {
  it('reads stdin (-), refuses a --pid that is no pid and says when no process has it', () => {
    const fromStdin = scap(['ptree', '-', '--pid', '19117'], readFileSync(capturePath('test_ipv6_client')));
    expect(fromStdin.status, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toContain('bash(19117)');
    const bad = scap(['ptree', capturePath('test_ipv6_client'), '--pid', 'abc']);
    expect(bad.status).toBe(2); // a usage error
    expect(bad.stderr).toContain('--pid: give a process id');
    const none = scap(['ptree', capturePath('test_ipv6_client'), '--pid', '99999']);
    expect(none.status).toBe(0);
    expect(none.stderr).toContain('no process with pid 99999 in the capture');
  });

  it('draws one process with its ancestors and descendants', () => {
    const r = scap(['ptree', capturePath('test_ipv6_client'), '--pid', '19117']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, -1).map((l) => l.replace(/  \[.*$/, ''))).toEqual([
      'systemd(1)',
      '`- sshd(1397) -D',
      '   `- sshd(18895)',
      '      `- sshd(18957)  ',
      '         `- bash(18958)',
      '            `- emacs(19105) -nw',
      '               `- bash(19117) --noediting -i',
      '                  `- test_ipv6_clien(19747)',
    ]);
    expect(r.stdout).toContain('test_ipv6_clien(19747)  [uid=4294967295 exit=2018-08-18 00:17:31.399230657 code=');
  });

  it('writes the tree as JSON, and only what was alive at --at', () => {
    const r = scap(['ptree', capturePath('test_ipv6_client'), '--pid', '19747', '--json']);
    const [root] = JSON.parse(r.stdout) as { pid: number; children: unknown[] }[];
    expect(root?.pid).toBe(1);
    expect(r.stdout).toContain('"pid": 19747');
    const after = scap(['ptree', capturePath('test_ipv6_client'), '--pid', '19117', '--at', '2018-08-18 00:17:32Z']);
    expect(after.stdout).toContain('bash(19117)');
    expect(after.stdout).not.toContain('19747');
    expect(scap(['ptree', capturePath('test_ipv6_client'), '--at', 'later']).stderr).toMatch(/^scap: --at: cannot read the time "later": give ns since the epoch/);
    // An offset from the first event (2018-08-18 00:17:28.69 UTC here), as cut and lsof take it.
    expect(scap(['ptree', capturePath('test_ipv6_client'), '--pid', '19117', '--at', '+4s']).stdout).toBe(after.stdout);
  });

  // Found by review: names that are not UTF-8 went out as their bytes, so
  // the output was no JSON (Python's json.load failed on it).
  it('writes JSON that is JSON whatever bytes process names hold', () => {
    // Names patched in place, same lengths: sshd as UTF-8 "séd", systemd as Latin-1 bytes.
    const raw = gunzipSync(readFileSync(capturePath('test_ipv6_client'))).toString('latin1')
      .replaceAll('sshd', 's\xc3\xa9d').replaceAll('systemd', 'syst\xe9m\xff');
    const r = scap(['ptree', '-', '--pid', '18957', '--json'], Buffer.from(raw, 'latin1'));
    expect(r.status, r.stderr).toBe(0);
    const bytes = Buffer.from(r.stdout, 'latin1');
    expect(isUtf8(bytes)).toBe(true);
    type Node = { comm: string; children: Node[] };
    const [root] = JSON.parse(bytes.toString('utf8')) as Node[];
    expect(root!.comm).toBe('syst\u00e9m\u00ff');
    expect(root!.children[0]!.comm).toBe('s\u00e9d');
  });
});
