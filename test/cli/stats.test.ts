// scap stats: sysdig's top* chisel tables and --by tables, against the
// reference's per-event values summed by table_generator's rule
// (fixtures/golden/regen-stats.sh), plus the chisels' value formats and
// the command's errors.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { FIXTURES, ROOT, capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { TOP_VIEWS, extendString, formatBytes, formatDuration, formatValue, sharedFilters, splitFieldList, topTableLines } from '../../inspect/stats/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';

interface GoldenTable { name: string; keys: string[]; value: string; filter: string; rows: string[] }

/** The sections of golden/NAME/stats.txt, rows as `TOTAL\tKEY1\tKEY2…` (latin1, as the capture's bytes). */
function goldenTables(name: FixtureName): GoldenTable[] {
  const out: GoldenTable[] = [];
  for (const line of readFileSync(join(ROOT, 'fixtures', 'golden', name, 'stats.txt'), 'latin1').split('\n')) {
    if (line.startsWith('## ')) {
      const [tname, keys, value, filter] = line.slice(3).split('\t');
      out.push({ name: tname!, keys: keys!.split(','), value: value!, filter: filter ?? '', rows: [] });
    } else if (line !== '' && !line.startsWith('#')) {
      out.at(-1)!.rows.push(line);
    }
  }
  return out;
}

/** The chisels made by table_generator, which the golden's rule sums (topprocs_cpu is checked below). */
const TABLE_GENERATOR_VIEWS = TOP_VIEWS.filter((v) => v.scale === undefined);

interface JsonTable { name: string; filter: string | null; keys: string[]; value: string; units: string; rows: Record<string, string | number>[] }

/** The command's JSON output; strings back to the capture's bytes (ASCII here). */
function statsJson(args: string[]): JsonTable[] {
  const r = scap(['stats', ...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonTable[];
}

const rowLines = (t: JsonTable): string[] => t.rows.map((r) => [r.value, ...t.keys.map((k) => r[k])].join('\t'));
const totals = (t: JsonTable): number[] => t.rows.map((r) => r.value as number);

describe('scap stats against the reference (golden stats.txt)', () => {
  for (const name of FIXTURES) {
    it(`${name}: every chisel table and --by table has the reference's rows`, () => {
      const golden = goldenTables(name);
      const views = golden.filter((g) => g.name !== 'by');
      expect(views.map((g) => g.name)).toEqual(TABLE_GENERATOR_VIEWS.map((v) => v.name));
      // The views are the chisels the golden asked the reference for.
      for (const g of views) {
        const v = TABLE_GENERATOR_VIEWS.find((x) => x.name === g.name)!;
        expect([v.keys.map((k) => k.field), v.value.field, v.filter ?? ''], g.name).toEqual([g.keys, g.value, g.filter]);
      }
      const tables = statsJson([capturePath(name), ...views.map((g) => g.name), '--top', '0']);
      for (const g of golden.filter((x) => x.name === 'by')) {
        const args = [capturePath(name), '--by', g.keys.join(','), '--value', g.value, '--top', '0'];
        tables.push(...statsJson(g.filter === '' ? args : [...args, '-f', g.filter]));
      }
      expect(tables).toHaveLength(golden.length);
      golden.forEach((g, i) => {
        const t = tables[i]!;
        expect(t.keys).toEqual(g.keys);
        // Ties may order differently (the golden sorts keys joined by tabs): compare sorted.
        expect([...rowLines(t)].sort(), `${name} ${g.name} ${g.keys.join(',')}`).toEqual([...g.rows].sort());
        expect(totals(t)).toEqual([...totals(t)].sort((a, b) => b - a));
      });
      // Not all empty: the fixtures exercise the tables.
      expect(golden.reduce((n, g) => n + g.rows.length, 0)).toBeGreaterThan(10);
    });
  }

  it('the user filter narrows every table', () => {
    const all = statsJson([capturePath('scapkit_sysmix'), 'topscalls', '--top', '0']);
    const sh = statsJson([capturePath('scapkit_sysmix'), 'topscalls', '--top', '0', '-f', 'proc.name = sh']);
    const calls = (t: JsonTable[]): number => totals(t[0]!).reduce((a, b) => a + b, 0);
    expect(calls(sh)).toBeGreaterThan(0);
    expect(calls(sh)).toBeLessThan(calls(all));
    const bySh = statsJson([capturePath('scapkit_sysmix'), '--by', 'evt.type', '--top', '0', '-f', 'proc.name = sh and evt.type != switch']);
    expect(rowLines(bySh[0]!).sort()).toEqual(rowLines(sh[0]!).sort());
  });
});

describe('scap stats text', () => {
  it('prints the summary tables with a title each, 10 rows at most', () => {
    const r = scap(['stats', capturePath('curl_google')]);
    expect(r.status, r.stderr).toBe(0);
    const titles = r.stdout.split('\n').filter((l) => /^top\w+: /.test(l)).map((l) => l.split(':')[0]);
    expect(titles).toEqual(['topscalls', 'topprocs_errors', 'topprocs_file', 'topfiles_bytes', 'topprocs_net', 'topconns']);
    const files = r.stdout.split('\n\n').find((s) => s.startsWith('topfiles_bytes'))!.split('\n');
    expect(files.slice(1, 3)).toEqual([`${'Bytes'.padEnd(20)}${'Filename'.padEnd(20)}`, '-'.repeat(80)]);
    expect(files.slice(3).filter((l) => l !== '')).toHaveLength(10);
  });

  it('a named table prints alone, with its chisel row count, as the chisel lays it out', () => {
    const r = scap(['stats', capturePath('curl_google'), 'topconns']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${'Bytes'.padEnd(20)}${'Proto'.padEnd(20)}${'Conn'.padEnd(20)}`);
    // The last key is whole; the one before it in a 20-column cell.
    expect(lines.slice(2)).toEqual([
      `${'11.31KB'.padEnd(20)}${'tcp'.padEnd(20)}2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80`,
      `${'92B'.padEnd(20)}${'udp'.padEnd(20)}2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53`,
    ]);
    const calls = scap(['stats', capturePath('scapkit_sysmix'), 'topscalls']).stdout.trimEnd().split('\n');
    expect(calls).toHaveLength(2 + 30);
  });

  it('topports_server and topprocs_cpu, as their chisels make them', () => {
    const r = scap(['stats', capturePath('curl_google'), 'topports_server', 'topprocs_cpu', '--top', '3']);
    expect(r.status, r.stderr).toBe(0);
    const [ports, cpu] = r.stdout.trimEnd().split('\n\n').map((t) => t.split('\n'));
    expect(ports!.slice(1)).toEqual([`${'Bytes'.padEnd(20)}${'Srv Port'.padEnd(20)}`, '-'.repeat(80), `${'11.31KB'.padEnd(20)}80`, `${'92B'.padEnd(20)}53`]);
    // thread.cpu of sysdig's procinfo events adds up to 2 (percent points of
    // a CPU, each worth 10^7 ns to the chisel). The span is the chisel
    // engine's: the last event (a procinfo at …50.999999999) less sinsp's
    // first event time, that of the first event that is no meta event (the
    // execve at …48.514632619, evt.reltime 0), not of the 210 procinfo
    // events before it: 2.48536738 s, so 0.80 %. Processes at 0 keep their
    // rows, as the chisel's table does.
    expect(cpu!.slice(1)).toEqual([
      `${'CPU%'.padEnd(20)}${'Process'.padEnd(20)}${'PID'.padEnd(20)}`, '-'.repeat(80),
      `${'0.80%'.padEnd(20)}${'sysdig'.padEnd(20)}17496`, `${'0.00%'.padEnd(20)}${'agetty'.padEnd(20)}1495`, `${'0.00%'.padEnd(20)}${'agetty'.padEnd(20)}1496`,
    ]);
    const j = JSON.parse(scap(['stats', capturePath('curl_google'), 'topprocs_cpu', '--top', '1', '--json']).stdout) as { span_ns: number; rows: unknown[] }[];
    expect([j[0]!.span_ns, j[0]!.rows]).toEqual([2485367380, [{ 'proc.name': 'sysdig', 'proc.pid': 17496, value: 2e7 }]]);
  });

  // fdcount_by.lua: per key, the distinct (fd.num, fd.name) of its events
  // with an fd above 0 and a name; computed here from the events' own fields.
  it('--distinct counts each row\'s distinct values, as fdcount_by counts fds', () => {
    const filter = "fd.num > 0 and fd.name != ''";
    for (const [name, key] of [['curl_google', 'evt.type'], ['scapkit_sysmix', 'proc.name']] as const) {
      const want = new Map<string, Set<string>>();
      const format = `%${key}\t%fd.num\t%fd.name`;
      const lines = (HAVE_SINSP ? sinspEventLines(capturePath(name), format, ['-f', filter])
        : scap(['read', capturePath(name), '-f', filter, '-p', format]).stdout.split('\n'));
      for (const line of lines) {
        const [k, num, fdName] = line.split('\t');
        if (fdName === undefined) continue;
        if (!want.has(k!)) want.set(k!, new Set());
        want.get(k!)!.add(`${num}\t${fdName}`);
      }
      const [t] = statsJson([capturePath(name), '--by', key, '--distinct', 'fd.num,fd.name', '-f', filter, '--top', '0']);
      expect(t!.value).toBe('distinct(fd.num,fd.name)');
      expect(t!.rows.length, name).toBeGreaterThan(2);
      expect(new Map(t!.rows.map((r) => [r[key], r.value])), name).toEqual(new Map([...want].map(([k, v]) => [k, v.size])));
    }
    expect(scap(['stats', capturePath('curl_google'), '--distinct', 'fd.num']).stderr).toContain('--value, --distinct and --units go with --by');
    expect(scap(['stats', capturePath('curl_google'), '--by', 'proc.name', '--distinct', 'fd.num', '--value', 'evt.count']).stderr).toContain('give one');
    expect(scap(['read', capturePath('curl_google'), '-c', 'fdcount_by', 'proc.name']).stderr)
      .toContain("sysdig's fdcount_by is a --by table of scap stats: scap stats FILE --by proc.name --distinct fd.num,fd.name -f \"fd.num > 0 and fd.name != ''\" --units none --top 0");
  });

  it.skipIf(!HAVE_SINSP)('topprocs_cpu sums the thread.cpu sinsp-example gives each procinfo event', () => {
    for (const name of ['curl_google', 'single_ipv6_conn'] as const) {
      const sums = new Map<string, number>();
      for (const line of sinspEventLines(capturePath(name), '%proc.name\t%proc.pid\t%thread.cpu', ['-f', 'evt.type=procinfo'])) {
        const [proc, pid, cpu] = line.split('\t');
        if (cpu === undefined) continue;
        sums.set(`${proc}\t${pid}`, (sums.get(`${proc}\t${pid}`) ?? 0) + Number(cpu) * 1e7);
      }
      const t = statsJson([capturePath(name), 'topprocs_cpu', '--top', '0'])[0]!;
      expect(t.rows.length, name).toBeGreaterThan(5);
      expect(new Map(t.rows.map((r) => [`${r['proc.name']}\t${r['proc.pid']}`, r.value]))).toEqual(sums);
    }
  });

  it('cuts a key cell to 19 characters and a space; totals print in the table units', () => {
    const lines = topTableLines({ value: 'Bytes', keys: ['Process', 'File'] },
      [{ keys: ['a-very-long-process-name', '/x'], value: 2048 }, { keys: ['sh', '/y'], value: 7 }], 'bytes');
    expect(lines[2]).toBe(`${'2.00KB'.padEnd(20)}a-very-long-process /x`);
    expect(lines[3]).toBe(`${'7B'.padEnd(20)}${'sh'.padEnd(20)}/y`);
  });
});

describe('--by field lists', () => {
  it('split at the commas between fields, not those inside brackets, calls or quotes', () => {
    expect(splitFieldList('proc.name, fd.name')).toEqual(['proc.name', 'fd.name']);
    expect(splitFieldList('join(",", (proc.name, fd.name)),proc.env["A,B"],proc.aname[2]'))
      .toEqual(['join(",", (proc.name, fd.name))', 'proc.env["A,B"]', 'proc.aname[2]']);
    expect(splitFieldList("concat(proc.name, ',\\'', fd.name), evt.type,")).toEqual(["concat(proc.name, ',\\'', fd.name)", 'evt.type']);
    expect(splitFieldList(' , ')).toEqual([]);
  });

  it('group by a transformer and an argument field', () => {
    const [t] = statsJson([capturePath('curl_google'), '--by', 'join(",", (proc.name, fd.typechar)),proc.env["HOME"]', '--top', '0']);
    expect(t!.keys).toEqual(['join(",", (proc.name, fd.typechar))', 'proc.env[HOME]']);
    expect(t!.rows[0]).toEqual({ 'join(",", (proc.name, fd.typechar))': 'curl,f', 'proc.env[HOME]': '/home/ubuntu', value: 272 });
  });
});

describe("common.lua's extend_string", () => {
  it('pads to the width by at most the 167 spaces it has, or cuts to one char less and a space', () => {
    expect(extendString('ab', 5)).toBe('ab   ');
    expect(extendString('abcdef', 5)).toBe('abcd ');
    expect(extendString('abc', 0)).toBe('');
    // spy_users indents by 3 or 4 spaces a level: past 167 spaces the chisel pads no further.
    expect(extendString('', 200)).toBe(' '.repeat(167));
    expect(extendString('x', 200)).toBe('x' + ' '.repeat(167));
  });
});

describe("the chisels' value formats (common.lua format_bytes, format_time_interval)", () => {
  it('bytes: whole bytes up to 1024, then two decimals with KB, M, G, T, P', () => {
    expect([0, 1, 1024, 1025, 1536, 1048576, 1048577, 5 * 1024 ** 3, 3 * 1024 ** 4 + 1, 1024 ** 5 * 2]
      .map(formatBytes)).toEqual(['0B', '1B', '1024B', '1.00KB', '1.50KB', '1024.00KB', '1.00M', '5.00G', '3.00T', '2.00P']);
    // LuaJIT's %.2f rounds an exact tie away from zero: 1152 B is 1.125 KB, which
    // sysdig prints 1.13KB (C's printf would print 1.12KB; so did scap for a while).
    expect([1152, 1408, 11141120, 1125 * 1024 * 1024].map(formatBytes)).toEqual(['1.13KB', '1.38KB', '10.63M', '1.10G']);
    // timepct is the same %.2f: 9 ns of 800 is 1.125 %, which sysdig prints 1.13%.
    expect([formatValue(9, 'timepct', 800), formatValue(11, 'timepct', 800), formatValue(9, 'timepct', 0)]).toEqual(['1.13%', '1.38%', '0.00%']);
  });

  it('time: s with two decimals, ms whole from 10 ms, ms with two decimals, us likewise, ns', () => {
    expect([1_100_000_000, 12_345_678_901, 250_000_000, 10_000_000, 3_250_000, 1_000_000, 12_000, 1_500, 1_000, 800, 0]
      .map(formatDuration)).toEqual(['1.10s', '12.34s', '250ms', '10ms', '3.25ms', '1.00ms', '12us', '1.50us', '1.00us', '800ns', '0ns']);
  });
});

describe('scap stats errors', () => {
  const file = capturePath('curl_google');
  it('names the tables when one is unknown', () => {
    const r = scap(['stats', file, 'topconn']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown table 'topconn'; the tables are topscalls,");
  });

  it('suggests the nearest field for an unknown --by field, and refuses a --value that is not a number', () => {
    const by = scap(['stats', file, '--by', 'proc.nme']);
    expect(by.status).toBe(2);
    expect(by.stderr).toContain("--by: unknown field 'proc.nme' (did you mean 'proc.name'");
    const value = scap(['stats', file, '--by', 'proc.name', '--value', 'proc.exe']);
    expect(value.status).toBe(2);
    expect(value.stderr).toContain('--value: proc.exe is not a number');
    const arg = scap(['stats', file, '--by', 'proc.aname[x]']);
    expect(arg.status).toBe(2);
    expect(arg.stderr).toContain('--by: proc.aname');
  });

  it('keeps at most --max-keys rows a table, says how many events it left out, and fails with --strict', () => {
    const r = scap(['stats', file, '--by', 'fd.name', '--max-keys', '3', '--top', '0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2 + 3);
    const m = /table by: (\d+) events of rows beyond its 3 distinct rows \(--max-keys\) were not counted/.exec(r.stderr);
    expect(m).not.toBeNull();
    const all = statsJson([file, '--by', 'fd.name', '--top', '0'])[0]!;
    const kept = statsJson([file, '--by', 'fd.name', '--top', '0', '--max-keys', '3'])[0]!;
    const total = (t: JsonTable): number => totals(t).reduce((a, b) => a + b, 0);
    expect(total(kept) + Number(m![1])).toBe(total(all));
    expect(scap(['stats', file, '--by', 'fd.name', '--max-keys', '3', '--strict']).status).toBe(1);
    expect(scap(['stats', file, '--max-keys', '0']).status).toBe(2);
  });

  it("points sysdig's -c CHISEL at scap stats", () => {
    for (const args of [['-c', 'topconns'], ['-ctopconns'], ['--chisel=topconns']]) {
      const r = scap(['read', file, ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("sysdig's top* chisels are tables of scap stats: scap stats FILE topconns");
    }
  });

  it("gives sysdig's keyed chisels as --by tables, with their key, and names what covers the other chisels", () => {
    // These said "scap stats FILE fdbytes_by", which is no table, and took fd.name for a filter.
    for (const args of [['-c', 'fdbytes_by', 'fd.name'], ['-c', 'fdbytes_by fd.name'], ['--chisel=fdbytes_by', 'fd.name']]) {
      const r = scap(['read', file, ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("sysdig's fdbytes_by is a --by table of scap stats: scap stats FILE --by fd.name --value evt.rawarg.res -f 'evt.is_io=true and evt.failed=false' --units bytes --top 30");
      expect(r.stderr).not.toContain('A filter goes after -f');
    }
    expect(scap(['read', file, '-c', 'fdtime_by']).stderr).toContain('scap stats FILE --by KEY --value evt.latency -f \'evt.is_io=true\' --units time --top 10');
    expect(scap(['read', file, '-c', 'spy_users']).stderr).toContain("sysdig's spy_users chisel is scap spy-users: scap spy-users FILE");
    const other = scap(['read', file, '-c', 'fileslower']);
    expect(other.stderr).toContain('scap has no fileslower chisel. scap stats FILE NAME has sysdig\'s top* tables (topscalls, ');
    expect(other.stderr).toContain('commands stand for others (lsof, netstat, ps, spy-users, spy-file, spy-logs, echo-fds, stdin, stdout, stderr, iobytes, httplog, httptop, proc-exec-time)');
    expect(other.stderr).not.toContain('scap stats FILE fileslower');
    expect(scap(['read', file, '-c', 'spy_port']).stderr).toContain("scap echo-fds FILE -f 'fd.port=PORT'");
    expect(scap(['read', file, '-c', 'iobytes_net']).stderr).toContain("sysdig's iobytes_net chisel is scap iobytes --only net");
    // -c without a name: what there is, not "scap has no NAME chisel".
    expect(scap(['read', file, '-c']).stderr).toContain("For sysdig's chisels: scap stats FILE NAME has sysdig's top* tables");
    const named = scap(['stats', file, 'fdtime_by']);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain("unknown table 'fdtime_by'");
    expect(named.stderr).toContain("sysdig's fdtime_by is a --by table of scap stats");
    // The spelling given is one scap takes: the chisel's table.
    const byTable = scap(['stats', file, '--by', 'fd.name', '--value', 'evt.rawarg.res', '-f', 'evt.is_io=true and evt.failed=false', '--units', 'bytes', '--top', '30']);
    expect(byTable.status, byTable.stderr).toBe(0);
  });

  it('refuses --value without --by, a negative --top and a bad filter, before reading', () => {
    expect(scap(['stats', file, '--value', 'evt.latency']).status).toBe(2);
    expect(scap(['stats', file, '--top', '-1']).status).toBe(2);
    const f = scap(['stats', '/nonexistent.scap', '-f', 'proc.nam = x']);
    expect(f.status).toBe(1);
    expect(f.stderr).toContain("unknown field 'proc.nam'");
  });
});

describe('sharedFilters', () => {
  // The summary's tables share their filters: a filter text is compiled once
  // and answered once per event (by evt.num; batches are reused, so a batch
  // and an index could name a later event).
  it('gives one filter per text, answering as the filter itself on every event', async () => {
    const compile = sharedFilters(FIELDS);
    const text = 'fd.type=file and evt.is_io=true';
    const shared = compile(text);
    expect(compile(text)).toBe(shared);
    expect(compile('evt.failed=true')).not.toBe(shared);
    const plain = compileFilter(text, FIELDS);
    const insp = await Inspector.open(capturePath('curl_google'));
    let checked = 0;
    let matched = 0;
    await insp.run((ev) => {
      // Every third event skipped, as a user's -f would; the rest asked twice.
      if (ev.num % 3 === 0) return;
      const want = plain(ev, insp.fieldContext);
      expect(shared(ev, insp.fieldContext)).toBe(want);
      expect(shared(ev, insp.fieldContext)).toBe(want);
      checked++;
      if (want) matched++;
    });
    expect(checked).toBeGreaterThan(500);
    expect(matched).toBeGreaterThan(0);
  });
});
