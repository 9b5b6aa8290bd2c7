// -R: ports as service names, as sinsp prints them with hostname and port
// resolution on (sysdig -R). The goldens of scap read come from
// sinsp-example with a one-option patch (fixtures/golden/
// regen-resolve-ports.sh), those of the chisel commands from sysdig 0.36
// -R (regen-sysdig.sh); names from Debian 12's /etc/services (netbase,
// which scripts/install.sh installs).

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { capturePath, goldenLines, type CaptureName } from '../helpers/fixtures.js';

const TEXT_FMT = '*%evt.num %evt.type %fd.name %fd.sproto %fd.cproto %fd.lproto %fd.rproto %evt.args';
const JSON_FMT = '*%evt.num %fd.num %fd.name %fd.sproto %evt.arg.tuple %evt.arg.addr %evt.args';
const CAPTURES: readonly CaptureName[] = ['curl_google', 'test_ipv6_client', 'http_exchanges', 'port_names'];

const lines = (out: string): string[] => out.split('\n').slice(0, -1);

describe('scap read -R', () => {
  for (const name of CAPTURES) {
    it(`names ports in fd names, addresses and fd.*proto as the reference does: ${name}`, () => {
      const text = scap(['read', capturePath(name), '-R', '-p', TEXT_FMT]);
      expect(text.status, text.stderr).toBe(0);
      expect(lines(text.stdout)).toEqual(goldenLines(name, 'sinsp-R.txt'));
      const json = scap(['read', capturePath(name), '--resolve-ports', '-j', '-p', JSON_FMT]);
      expect(lines(json.stdout)).toEqual(goldenLines(name, 'sinsp-R.json'));
    });
  }

  it('names each port for its socket: tcp 514 is shell, udp 514 syslog; no protocol takes any line; unnamed stay numbers', () => {
    const byNum = new Map(goldenLines('port_names', 'sinsp-R.txt').map((l) => [l.split(' ')[0]!, l]));
    // Names of the state's listening sockets (from /proc) and of connected ones.
    expect(byNum.get('48')).toContain(' close 127.0.0.1:http ');
    expect(byNum.get('49')).toContain(' close :::shell ');
    expect(byNum.get('31')).toContain('tuple=0.0.0.0:43006->127.0.0.1:syslog');
    // A TCP connect to 67 refused: the socket has no protocol yet, so bootps (udp) names it; an ICMP socket's port 1 is tcpmux.
    expect(byNum.get('27')).toContain('addr=127.0.0.1:bootps');
    expect(byNum.get('38')).toContain('tuple=0.0.0.0:tcpmux->127.0.0.1:0');
    const ours = lines(scap(['read', capturePath('port_names'), '-R', '-p', TEXT_FMT]).stdout);
    expect(ours).toEqual([...byNum.values()]);
  });

  it('leaves ports as numbers without -R, and filters compare fd.name as printed', () => {
    const plain = scap(['read', capturePath('port_names'), '-p', '%fd.name', '-f', 'fd.num = 3']).stdout;
    expect(plain).toBe('127.0.0.1:80\n');
    const named = (filter: string): string[] => lines(scap(['read', capturePath('port_names'), '-R', '-p', '%evt.num', '-f', filter]).stdout);
    const want = goldenLines('port_names', 'sinsp-R.txt').filter((l) => l.split(' ')[2]!.endsWith(':shell')).map((l) => l.split(' ')[0]);
    expect(want.length).toBeGreaterThan(5);
    expect(named('fd.name endswith ":shell"')).toEqual(want);
    // fd.port stays a number, and a service name still reads as its port in filters.
    expect(named('fd.sport = shell')).toEqual(named('fd.sport = 514'));
  });

  it("the chisel commands take it as sysdig's chisels do: lsof (user column aside), echo-fds, stats topconns", () => {
    const blankUser = (ls: readonly string[]): string[] => ls.map((l) => l.slice(0, 36) + l.slice(44)).sort();
    for (const name of ['curl_google', 'single_ipv6_conn', 'test_ipv6_client'] as const) {
      expect(blankUser(lines(scap(['lsof', capturePath(name), '-R']).stdout)), name).toEqual(blankUser(goldenLines(name, 'sysdig-lsof-R.txt')));
    }
    for (const name of ['curl_google', 'http_exchanges'] as const) {
      expect(lines(scap(['echo-fds', capturePath(name), '-R', '--color', 'always']).stdout), name).toEqual(goldenLines(name, 'sysdig-echo_fds-R.txt'));
      expect(lines(scap(['stats', capturePath(name), 'topconns', '--resolve-ports']).stdout), name).toEqual(goldenLines(name, 'sysdig-topconns-R.txt'));
    }
  });
});
