// scap read -t (sysdig's time types): how %evt.outputtime prints, by
// libsinsp's TYPE_RUNTIME_TIME_OUTPUT_FORMAT; each mode checked against the
// raw timestamps of the same events.

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';

const NS = 1_000_000_000n;
const FILE = capturePath('curl_google');

/** evt.rawtime, evt.reltime, evt.time and evt.outputtime of the events `-f` keeps, under `-t mode`. */
function rows(mode: string, filter = 'evt.num > 0', file = FILE): { raw: bigint; rel: bigint; time: string; out: string }[] {
  const r = scap(['read', file, '-t', mode, '-f', filter, '-p', '*%evt.rawtime %evt.reltime %evt.time %evt.outputtime']);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((l) => {
    const [raw, rel, time, out] = l.split(' ');
    return { raw: BigInt(raw!), rel: BigInt(rel!), time: time!, out: out! };
  });
}

const dot9 = (d: bigint): string => `${d / NS}.${String(d % NS).padStart(9, '0')}`;

describe('scap read -t', () => {
  it('h is the time of day, as evt.time', () => {
    for (const e of rows('h')) expect(e.out).toBe(e.time);
  });

  it('a is seconds since the epoch, the nanoseconds unpadded as libsinsp prints them', () => {
    // single_ipv6_conn has events less than 0.1 s into their second: the unpadded case.
    const all = [...rows('a'), ...rows('a', 'evt.num > 0', capturePath('single_ipv6_conn'))];
    for (const e of all) expect(e.out).toBe(`${e.raw / NS}.${e.raw % NS}`);
    expect(all.some((e) => String(e.raw % NS).length < 9)).toBe(true);
  });

  it('r is evt.reltime as seconds, d is 0, D the time since the previous printed event', () => {
    for (const e of rows('r')) expect(e.out).toBe(dot9(e.rel));
    for (const e of rows('d')) expect(e.out).toBe('0.000000000');
    const printed = rows('D', 'evt.type = read');
    printed.forEach((e, i) => expect(e.out).toBe(dot9(i === 0 ? 0n : e.raw - printed[i - 1]!.raw)));
  });

  it('changes the time of the default line (sysdig prints evt.outputtime there)', () => {
    const line = scap(['read', FILE, '-t', 'r', '-f', 'evt.num = 952']).stdout.trim();
    expect(line.startsWith('952 1.485367380 ')).toBe(true);
    expect(scap(['read', FILE, '-t', 'x']).status).not.toBe(0);
  });
});
