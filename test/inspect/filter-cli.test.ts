// `scap read -f FILTER`, run as a user would (the built dist/cli/main.js).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { ROOT, capturePath } from '../helpers/fixtures.js';

/** The reference's evt.num list for `filter` on test_ipv6_client (fixtures/golden/filters). */
function referenceNums(filter: string): string[] {
  const text = readFileSync(join(ROOT, 'fixtures', 'golden', 'filters', 'expected', 'test_ipv6_client.txt'), 'latin1');
  const line = text.split('\n').find((l) => l.startsWith(filter + '\t'))!;
  const nums = line.slice(filter.length + 1);
  return nums === '' ? [] : nums.split(' ');
}

describe('scap read -f', () => {
  it('prints only the events the filter selects, as sinsp-example -f', () => {
    const filter = 'proc.name=curl and evt.type=connect';
    const other = 'fd.type in (ipv4, ipv6)';
    for (const f of [filter, other]) {
      const r = scap(['read', capturePath('test_ipv6_client'), '-f', f, '-p', '*%evt.num']);
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').slice(0, -1)).toEqual(referenceNums(f));
    }
  });

  it('counts matching events with --count and stops after -n of them', () => {
    const all = referenceNums('fd.type in (ipv4, ipv6)');
    expect(scap(['read', '--count', '-f', 'fd.type in (ipv4, ipv6)', capturePath('test_ipv6_client')]).stdout).toBe(`${all.length}\n`);
    const r = scap(['read', '-n', '2', '-f', 'fd.type in (ipv4, ipv6)', '-p', '%evt.num', capturePath('test_ipv6_client')]);
    expect(r.stdout).toBe(all.slice(0, 2).join('\n') + '\n');
  });

  it("an empty -f selects every event, as sysdig's and sinsp-example's; -f without a value is refused", () => {
    const file = capturePath('test_ipv6_client');
    const all = scap(['read', '--count', file]).stdout;
    for (const command of [['read', file, '--count'], ['read', file, '-p', '%evt.num'], ['stats', file, 'topscalls']]) {
      const r = scap([...command, '-f', '']);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(scap(command).stdout);
    }
    expect(scap(['read', '--count', '-f', '', file]).stdout).toBe(all);
    const bare = scap(['read', '--count', file, '-f']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/^scap: Not enough arguments following: f\n/);
  });

  it('rejects a bad filter with one line naming the column and the nearest field', () => {
    const r = scap(['read', '-f', 'proc.nmae = curl', capturePath('test_ipv6_client')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("scap: filter: unknown field 'proc.nmae' at column 1 (did you mean 'proc.name'?)\n");
    const e = scap(['read', '-f', 'evt.type in (open', capturePath('test_ipv6_client')]);
    expect(e.stderr).toBe("scap: filter: expected ',' or ')' in the list at column 18, found end of input\n");
  });
});
