// scap read -f filters as sysdig and sinsp-example do: an event that
// modifies no state is tested before it is parsed, and one the filter drops
// is not parsed. -d makes it a display filter (sysdig -d): every event is
// parsed, the filter sees the state after it. libs_sysmix shows the
// difference: python's getrlimit is a prlimit whose new limit the modern
// driver records as 0, which sets the process's fd limit to 0 when sinsp
// parses it; a filter that drops the prlimit leaves the limit as it was.

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { capturePath, goldenLines } from '../helpers/fixtures.js';

const reference = (filter: string): string[] => {
  const line = goldenLines('libs_sysmix', '../filters/expected/libs_sysmix.txt').find((l) => l.startsWith(`${filter}\t`))!;
  return line.slice(filter.length + 1).split(' ');
};

describe('-f and -d (display filter)', () => {
  it('-f drops unparsed what it drops, as sinsp-example -f; -d parses every event first', () => {
    const cap = capturePath('libs_sysmix');
    const nums = (args: string[]): string[] => scap(['read', cap, '-p', '%evt.num', ...args]).stdout.split('\n').slice(0, -1);
    const filtered = nums(['-f', 'proc.fdusage = 0']);
    expect(filtered).toEqual(reference('proc.fdusage = 0'));
    expect(filtered).toHaveLength(1520);
    // As a display filter it also keeps the events after the prlimit parsed: the limit is 0 there.
    const display = nums(['-f', 'proc.fdusage = 0', '-d']);
    expect(display).toHaveLength(3868);
    const limits = scap(['read', cap, '-p', '%evt.num %evt.type %proc.fdlimit', '-f', 'evt.num in (5083, 5084)', '-d']).stdout;
    expect(limits).toBe('5083 prlimit 0\n5084 page_fault 0\n');
    expect(scap(['read', cap, '-p', '%evt.num %proc.fdlimit', '-f', 'evt.num = 5084']).stdout).toBe('5084 20000\n');
    // --count counts the same events.
    expect(scap(['read', cap, '--count', '-f', 'proc.fdusage = 0']).stdout).toBe('1520\n');
    expect(scap(['read', cap, '--count', '-f', 'proc.fdusage = 0', '--displayflt']).stdout).toBe('3868\n');
  });

  it('scap stats and the event chisels filter the same way, and take -d', () => {
    const cap = capturePath('libs_sysmix');
    const counted = (args: string[]): number => (JSON.parse(scap(['stats', cap, '--by', 'evt.type', '--top', '0', '--json', ...args]).stdout) as
      { rows: { value: number }[] }[])[0]!.rows.reduce((n, r) => n + r.value, 0);
    expect(counted(['-f', 'proc.fdusage = 0'])).toBe(1520);
    expect(counted(['-f', 'proc.fdusage = 0', '-d'])).toBe(3868);
    // echo_fds shows I/O that moved bytes: none of python's reaches it unless its prlimit is parsed.
    const headers = (args: string[]): string[] => scap(['echo-fds', cap, '--color', 'never', '-f', 'proc.fdusage = 0', ...args]).stdout
      .split('\n').filter((l) => l.startsWith('------'));
    expect(headers([])).toEqual([]);
    expect(headers(['--displayflt'])).toEqual([
      '------ Read 50B from   /etc/os-release (python3)', '------ Write 4B to    (python3)', '------ Write 1B to    (python3)']);
  });
});
