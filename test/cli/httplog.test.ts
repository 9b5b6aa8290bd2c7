// scap httplog against sysdig's httplog chisel (sysdig 0.36.0,
// fixtures/golden/regen-sysdig.sh) on curl_google's one exchange and on
// fixtures/captures/http_exchanges.scap, built by
// test/helpers/http-exchanges.ts (SCAPKIT_REGEN_SYNTHETIC=1 writes it again).
import { describe, expect, it } from 'vitest';
import { scapLines } from '../helpers/cli.js';
import { capturePath, goldenLines } from '../helpers/fixtures.js';
import { itMatchesItsGenerator } from '../helpers/sinsp-raw.js';
import { HTTP_EXCHANGES_EVENTS } from '../helpers/http-exchanges.js';

const lines = scapLines;

describe('scap httplog', () => {
  itMatchesItsGenerator('http_exchanges', HTTP_EXCHANGES_EVENTS);

  // The goldens keep the chisel's reading of Host: "Host: localhost\r\n\r\n"
  // prints as "Host: localhost....", and %g+ takes as much as it can before
  // "..", so the URL is "localhost../sock".
  it.each(['curl_google', 'http_exchanges'] as const)('prints sysdig\'s lines on %s', (name) => {
    expect(lines(['httplog', capturePath(name)])).toEqual(goldenLines(name, 'sysdig-httplog.txt'));
  });

  it('keeps only the calls a filter keeps', () => {
    const fd8 = lines(['httplog', capturePath('http_exchanges'), '-f', 'fd.num=8']);
    expect(fd8).toHaveLength(2);
    expect(fd8).toEqual(goldenLines('http_exchanges', 'sysdig-httplog.txt').filter((l) => / url=(example\.com\/index\.html|h:8080\.\.\/a) /.test(l)));

  });
});

describe('scap httptop', () => {
  // Rows of equal value come in LuaJIT's hash order, which changes from run
  // to run; scap orders them by key. They are compared as a set.
  it.each(['curl_google', 'http_exchanges'] as const)('ranks as sysdig does on %s, by calls, mean latency and bytes', (name) => {
    for (const by of ['ncalls', 'time', 'bytes']) {
      const ours = lines(['httptop', capturePath(name), '--by', by]);
      const theirs = goldenLines(name, `sysdig-httptop-${by}.txt`);
      expect(ours.slice(0, 2)).toEqual(theirs.slice(0, 2));
      expect([...ours.slice(2)].sort()).toEqual([...theirs.slice(2)].sort());
      // Largest first.
      const values = ours.slice(2).map((l) => l.slice(0, 20).trim());
      if (by === 'time') expect(values).toEqual(theirs.slice(2).map((l) => l.slice(0, 20).trim()));
    }
  });
});
