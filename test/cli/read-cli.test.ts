import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { pcapngCapture } from '../helpers/pcapng.js';
import { capturePath, goldenLines, ROOT } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-cli-'));
const raw = gunzipSync(readFileSync(capturePath('curl_google')));

/** Offset where the n-th block (0-based) starts. */
function blockStart(n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) pos += raw.readUInt32LE(pos + 4);
  return pos;
}

/** `scap` run in `cwd`. */
function spawnIn(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], { cwd, encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scap read', () => {
  it('refuses a -n that is no positive count (-n 0 printed one event)', () => {
    for (const n of ['0', '-3', 'abc', '1.5']) {
      const r = scap(['read', capturePath('curl_google'), '-n', n]);
      expect(r.status, n).toBe(2); // a usage error
      expect(r.stderr).toMatch(/-n takes a positive whole number of events/);
    }
  });

  it('refuses an empty -p (it printed a blank line per event) and -n given twice', () => {
    for (const args of [['-p', ''], ['-p'], ['-p', '  '], ['-n', '5', '-n', '2']]) {
      const r = scap(['read', capturePath('curl_google'), ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/-p takes a format|--number \(-n\) is given 2 times; give it once/);
    }
  });

  it('refuses an option that takes one value given twice (list options take several), and cut counts that are no counts', () => {
    // yargs made a list of them: -o twice said 'The "path" argument must be of
    // type string' (export) or 'stream.on is not a function' (cut), -t twice
    // printed <NA> for every time.
    const f = capturePath('curl_google');
    for (const [args, said] of [
      [['read', f, '-t', 'a', '-t', 'r'], '--timetype (-t) is given 2 times; give it once'],
      [['read', f, '-p', '%evt.num', '--print', '%evt.type'], '--print (-p) is given 2 times; give it once'],
      [['export', f, '-o', join(dir, 'a.parquet'), '-o', join(dir, 'b.parquet')], '--output (-o) is given 2 times; give it once'],
      [['cut', f, '-o', join(dir, 'a.scap'), '-o', join(dir, 'b.scap')], '--output (-o) is given 2 times; give it once'],
      [['ptree', f, '--pid', '1', '--pid', '2'], '--pid is given 2 times; give it once'],
      [['read', f, '-f', 'evt.type=open', '-f', 'proc.name=curl'], "-f is given 2 times; join the filters with 'and': -f '(evt.type=open) and (proc.name=curl)'"],
    ] as const) {
      const r = scap([...args]);
      expect([r.status, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr, args.join(' ')).toContain(said);
    }
    // cut's counts: -n abc and -n 0 kept nothing, --skip -5 skipped nothing, all silently.
    for (const [args, said] of [[['-n', 'abc'], '-n takes a positive whole number of events'], [['-n', '0'], '-n takes a positive'],
      [['--skip', '-5'], '--skip takes a whole number of events (0 or more)'], [['--skip', 'x'], '--skip takes a whole number']] as const) {
      const r = scap(['cut', f, '-o', join(dir, 'counts.scap'), ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`scap: ${said}`);
    }
    expect(existsSync(join(dir, 'counts.scap'))).toBe(false);
    // A filtered cut reads its input twice: stdin is refused as a usage error, before any output.
    const piped = scap(['cut', '-', '-o', join(dir, 'piped.scap'), '-f', 'proc.name=curl'], readFileSync(f));
    expect([piped.status, piped.stderr.split('\n')[0]]).toEqual([2, 'scap: cut with a filter reads its input twice; give a file, not stdin']);
    expect(existsSync(join(dir, 'piped.scap'))).toBe(false);
    const cut = scap(['cut', f, '--tid', '1', '--tid', '17497', '-o', join(dir, 'tids.scap')]);
    expect(cut.status).toBe(0);
    // The events of those threads libsinsp shows (scap read -f 'thread.tid in (1, 17497)' -d prints 553);
    // the enter events it keeps for their exits go along as state-only.
    expect(cut.stderr).toMatch(/^scap: kept 553 of 991 events \(\+390 state-only\)/);
  });

  it('takes -- as the end of options: a file named -x.scap, and names a directory it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-dashdash-'));
    const file = join(dir, '-dash.scap');
    writeFileSync(file, readFileSync(capturePath('curl_google')));
    const r = spawnIn(dir, ['read', '-n', '1', '-p', '%evt.num', '--', '-dash.scap']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '1\n', '']);
    const d = scap(['read', dir]);
    expect(d.status).toBe(1);
    expect(d.stderr).toBe(`scap: cannot open ${dir}: is a directory\n`);
  });

  // getopt gives an option that needs a value the next word, whatever it
  // starts with; yargs read `-p '-- %evt.num'` as more options.
  it('takes a format or filter that starts with a dash as the value of -p or -f', () => {
    const f = capturePath('curl_google');
    const r = scap(['read', f, '-n', '2', '-p', '-- %evt.num', '-f', '-1 < evt.num']);
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', "scap: filter: expected a field name (such as proc.name), 'not' or '(' at column 1, found '-1'\n"]);
    const p = scap(['read', f, '-n', '2', '--print', '-%evt.num-', '--filter', 'evt.num > 11']);
    expect([p.status, p.stdout, p.stderr]).toEqual([0, '-12-\n-13-\n', '']);
    expect(scap(['read', f, '-n', '1', '-p', '-']).stdout).toBe('-\n');
    // Not after a `--` that ends the options: there -p and -f are file names.
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-dashed-'));
    for (const name of ['-f', '-g.scap']) writeFileSync(join(dir, name), readFileSync(f));
    const merged = spawnIn(dir, ['merge', '-o', join(dir, 'out.scap'), '--', '-f', '-g.scap']);
    expect([merged.status, merged.stderr]).toEqual([0, expect.stringMatching(/^scap: merged \d+ events of 2 captures/)]);
  });

  it('shows a filter written as sysdig takes it (trailing words) the -f spelling', () => {
    const f = capturePath('curl_google');
    const r = scap(['read', f, 'proc.name=curl', 'and', 'evt.type=connect']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe("scap: Unknown arguments: proc.name=curl, and, evt.type=connect\nA filter goes after -f, in quotes: -f 'proc.name=curl and evt.type=connect'\nTry 'scap --help'.\n");
    // Not for other words, nor for commands without -f.
    expect(scap(['read', f, 'extra']).stderr).toBe("scap: Unknown argument: extra\nTry 'scap --help'.\n");
    expect(scap(['info', f, 'proc.name=curl']).stderr).toBe("scap: Unknown argument: proc.name=curl\nTry 'scap --help'.\n");
  });

  it("shows a capture named with sysdig's -r the spelling scap wants", () => {
    const f = capturePath('curl_google');
    for (const [cmd, args] of [['read', ['-r', f]], ['stats', ['-r', f, 'topconns']], ['info', [`-r=${f}`]]] as const) {
      const r = scap([cmd, ...args]);
      expect([r.status, r.stdout], cmd).toEqual([2, '']);
      expect(r.stderr, cmd).toContain(`scap takes the capture as a word, not with sysdig's -r: scap ${cmd} ${f}\n`);
    }
    // sysdig's -w (write what is read) is scap cut.
    const w = scap(['read', f, '-w', '/tmp/out.scap', '-f', 'proc.name=curl']);
    expect([w.status, w.stdout]).toEqual([2, '']);
    expect(w.stderr).toContain("sysdig's -w is scap cut here: scap cut FILE -o /tmp/out.scap [-f FILTER]\n");
    // sysdig's -S (--summary) is scap info or scap stats.
    for (const args of [[f, '-S'], ['--summary', f]]) {
      const s = scap(['read', ...args]);
      expect([s.status, s.stdout]).toEqual([2, '']);
      expect(s.stderr).toContain(`sysdig's -S summary is, in scap, scap info ${f} (events by type) or scap stats ${f} topscalls`);
    }
    // sysdig's -l and -L list fields and events: scap fields and scap events.
    for (const [args, said] of [[['-l'], "sysdig's -l is scap fields [MATCH] here"], [['read', '-l'], "sysdig's -l is scap fields"],
      [['--list-events'], "sysdig's -L is scap events [MATCH] here"]] as const) {
      const l = scap([...args]);
      expect([l.status, l.stdout]).toEqual([2, '']);
      expect(l.stderr).toContain(said);
    }
    // sysdig's -s and -M: what scap does instead.
    for (const [args, said] of [
      [[f, '-s', '256'], "sysdig's -s sets how much of each I/O buffer a capture records: scap capture -s 256; scap read prints what the file holds"],
      [[f, '-M', '5'], "sysdig's -M stops after some seconds; for a file, keep the first ones with scap cut FILE --to +5s -o OUT.scap"],
    ] as const) {
      const r = scap(['read', ...args]);
      expect([r.status, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr, args.join(' ')).toContain(`${said}\n`);
    }
    // -d (sysdig's display filter) is an option of the commands whose -f tests events; elsewhere the hint says so.
    for (const args of [['lsof', f, '-d', '-f', 'proc.name=curl'], ['ptree', f, '--displayflt']]) {
      const d = scap(args);
      expect([d.status, d.stdout], args.join(' ')).toEqual([2, '']);
      expect(d.stderr).toContain("sysdig's -d (a display filter: every event parsed, the filter after) is an option of read, live, stats and the event chisel commands (echo-fds, spy-file, ...)\n");
    }
    // -R (sysdig's port names) is an option of the commands printing events, fds or connections; elsewhere the hint says so.
    const r = scap(['ptree', f, '-R']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain("sysdig's -R (ports as service names) is an option of the commands that print events, fds or connections: read, live, stats and the chisel commands (lsof, netstat, echo-fds and others)\n");
    // Not for a missing file alone, nor for -t r (a value, not the option).
    expect(scap(['read']).stderr).not.toContain('-r');
    expect(scap(['read']).stderr).not.toContain('-S');
    expect(scap(['read', '-t', 'r']).stderr).not.toContain("sysdig's -r");
  });

  // `scap --help` listed the commands after loading every command's modules
  // (0.8 s); it now reads their names and descriptions from one table.
  it('lists every command in the top-level help, and names the nearest to a mistyped one', async () => {
    const { COMMAND_USAGE } = await import('../../cli/command-usage.js');
    const help = scap(['--help']);
    expect(help.status, help.stderr).toBe(0);
    for (const { command, describe } of Object.values(COMMAND_USAGE)) {
      expect(help.stdout).toContain(`scap ${command}`);
      expect(help.stdout.replace(/\s+/g, ' ')).toContain(describe.replace(/\s+/g, ' ').slice(0, 40));
    }
    const typo = scap(['raed', capturePath('curl_google')]);
    expect([typo.status, typo.stdout]).toEqual([2, '']);
    expect(typo.stderr).toContain("'raed' is no scap command; did you mean 'read'?");
    expect(scap(['xyz']).stderr).toContain("'xyz' is no scap command; the commands are info, read,");
    // A name of Object's prototype is no command either (`in` said it was).
    const proto = scap(['toString', 'x']);
    expect([proto.status, proto.stderr]).toEqual([2, expect.stringContaining("'toString' is no scap command")]);
    // A command's own help still has its options.
    expect(scap(['stats', '--help']).stdout).toContain('--max-keys');
  });

  // yargs' --version was turned off with the skeleton, and `scap --version`
  // said "Name a command": a user reporting a bug could not say which scap.
  it('--version names the package version and the libs event table it reads', async () => {
    const { SCHEMA_ORIGIN } = await import('../../scapfile/schema/origin.js');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const want = `scap ${version} (scapkit; event table of falcosecurity/libs ${SCHEMA_ORIGIN})\n`;
    for (const args of [['--version'], ['read', '--version']]) {
      const r = scap(args);
      expect([r.status, r.stdout, r.stderr], args.join(' ')).toEqual([0, want, '']);
    }
    expect(scap(['--help']).stdout).toContain('--version');
  });

  it('refuses a switch given a value other than true or false (yargs took --count=yes as false)', () => {
    const f = capturePath('curl_google');
    for (const bad of ['--count=yes', '--count=1', '-j=1', '--strict=no']) {
      const r = scap(['read', bad, '-n', '1', f]);
      expect([r.status, r.stdout], bad).toEqual([2, '']);
      expect(r.stderr, bad).toMatch(/is a switch: give it alone, or =true \/ =false/);
    }
    expect(scap(['read', '--count=true', f]).stdout).toMatch(/^\d+\n$/);
    expect(scap(['read', '--count=false', '-n', '1', '-p', '%evt.num', f]).stdout).toBe('1\n');
  });

  it('says when a capture holds no event (libscap refuses it), an error with --strict', () => {
    // The curl_google capture cut just before its first event block: header and state only.
    const bytes = gunzipSync(readFileSync(capturePath('curl_google')));
    let at = 0;
    while (![0x204, 0x208, 0x216, 0x217, 0x221, 0x222].includes(bytes.readUInt32LE(at))) at += bytes.readUInt32LE(at + 4);
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-noevents-'));
    const file = join(dir, 'state-only.scap');
    writeFileSync(file, bytes.subarray(0, at));
    for (const args of [['--count'], []]) {
      const r = scap(['read', file, ...args]);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/state-only\.scap holds no events; libscap .* will not open it/);
      expect(scap(['read', file, '--strict', ...args]).status).toBe(1);
    }
  });

  it('prints sysdig\'s default line for each event', () => {
    const r = scap(['read', capturePath('curl_google'), '-n', '3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      '1 17:35:42.999999999 0 systemd (1) > procinfo cpu_usr=96 cpu_sys=215',
      '2 17:35:42.999999999 0 <NA> (3) > procinfo cpu_usr=10 cpu_sys=0',
      '3 17:35:42.999999999 0 <NA> (6) > procinfo cpu_usr=2 cpu_sys=0',
      '',
    ].join('\n'));
  });

  it("takes sysdig's -pc (-p c, -p container) for its container line, and refuses its -pk, -pm and -pp", () => {
    // yargs had read -pc as the flags p and c; `-p c` printed 'c' for every event.
    const lines = [
      '1 17:35:42.999999999 0 host systemd (1:1) > procinfo cpu_usr=96 cpu_sys=215',
      '2 17:35:42.999999999 0 <NA> <NA> (3:<NA>) > procinfo cpu_usr=10 cpu_sys=0',
      '',
    ].join('\n');
    for (const spelling of [['-pc'], ['-p', 'c'], ['-pcontainer'], ['--print', 'container']]) {
      const r = scap(['read', capturePath('curl_google'), ...spelling, '-n', '2']);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(lines);
    }
    // Its time follows -t, as the default line's does.
    expect(scap(['read', capturePath('curl_google'), '-pc', '-t', 'a', '-n', '1']).stdout).toMatch(/^1 1534527342\.999999999 0 host systemd \(1:1\) /);
    for (const [spelling, said] of [['-pk', /-p k: sysdig's Kubernetes line needs pod metadata/], ['-pmesos', /-p mesos: sysdig's Mesos line/], ['-pp', /-p p: sysdig's -pp prints its default format; scap's is -p '\*%evt\.num %evt\.outputtime %evt\.cpu %proc\.name \(%thread\.tid\) %evt\.dir %evt\.type %evt\.info'/]] as const) {
      const r = scap(['read', capturePath('curl_google'), spelling]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(said);
    }
  });

  it('prints -p formats and -j lines as the reference does', () => {
    const p = scap(['read', capturePath('test_ipv6_client'), '-p', '*%evt.num %evt.type %evt.args']);
    expect(p.stdout.split('\n').slice(0, -1)).toEqual(goldenLines('test_ipv6_client', 'args.txt'));
    const j = scap(['read', capturePath('test_ipv6_client'), '-j', '-p',
      '*%evt.num %evt.rawtime %evt.cpu %evt.type %evt.dir %thread.tid %proc.pid %proc.ppid %proc.name %fd.num %fd.type %fd.name %evt.res']);
    expect(j.stdout.split('\n').slice(0, -1)).toEqual(goldenLines('test_ipv6_client', 'events.json'));
  });

  it("-j without -p has sysdig's keys: the fields of its default line, evt.outputtime and evt.info", () => {
    // It had evt.time and evt.args, names sysdig's -j does not use, so a jq
    // script written for sysdig's JSON found nothing. The values are the
    // reference's: evt.outputtime is evt.rawtime in JSON, evt.info evt.args' text.
    const events = goldenLines('curl_google', 'events.json').map((l) => JSON.parse(l) as Record<string, unknown>);
    const args = goldenLines('curl_google', 'args.txt');
    const want = events.map((o, i) => ({
      'evt.cpu': o['evt.cpu'], 'evt.dir': o['evt.dir'], 'evt.info': args[i]!.split(' ').slice(2).join(' '), 'evt.num': o['evt.num'],
      'evt.outputtime': o['evt.rawtime'], 'evt.type': o['evt.type'], 'proc.name': o['proc.name'], 'thread.tid': o['thread.tid'],
    }));
    const j = scap(['read', capturePath('curl_google'), '-j']);
    expect(j.status).toBe(0);
    expect(j.stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l))).toEqual(want);
    expect(Object.keys(JSON.parse(j.stdout.split('\n')[0]!) as object)).toEqual(
      ['evt.cpu', 'evt.dir', 'evt.info', 'evt.num', 'evt.outputtime', 'evt.type', 'proc.name', 'thread.tid']);
  });

  it('prints only the events that have every field of a format without the * prefix, as sysdig does', () => {
    // The reference's events.json (with `*`) has null where an event has no fd.
    const golden = goldenLines('test_ipv6_client', 'events.json').map((l) => JSON.parse(l) as Record<string, unknown>);
    const withFd = golden.filter((o) => o['fd.num'] !== null);
    expect(withFd.length).toBeGreaterThan(0);
    expect(withFd.length).toBeLessThan(golden.length);
    const text = scap(['read', capturePath('test_ipv6_client'), '-p', '%evt.num %fd.num']);
    expect(text.stdout.split('\n').slice(0, -1)).toEqual(withFd.map((o) => `${o['evt.num']} ${o['fd.num']}`));
    const json = scap(['read', capturePath('test_ipv6_client'), '-j', '-p', '%evt.num %fd.num']);
    expect(json.stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l))).toEqual(
      withFd.map((o) => ({ 'evt.num': o['evt.num'], 'fd.num': o['fd.num'] })));
    // -n counts printed events.
    const two = scap(['read', capturePath('test_ipv6_client'), '-n', '2', '-p', '%evt.num %fd.num']);
    expect(two.stdout.split('\n').slice(0, -1)).toEqual(withFd.slice(0, 2).map((o) => `${o['evt.num']} ${o['fd.num']}`));
  });

  it("prints sysdig's terminal line with --color always (auto: on a terminal), the pid before the tid", () => {
    // What sysdig 0.36 prints on a terminal (under script(1)) for this event, up to its arguments.
    const r = scap(['read', capturePath('curl_google'), '-f', 'evt.num=779', '--color', 'always']);
    expect(r.stdout.startsWith('779 17:35:48.531188756 0 \x1b[01;32mcurl\x1b[00m (\x1b[01;36m17497\x1b[00m.17498) < \x1b[01;34mrecvfrom\x1b[00m res=60 data=')).toBe(true);
    expect(r.stdout.endsWith('\n\x1b[00m')).toBe(true);
    // Not on a pipe (auto), nor with -p or -j.
    expect(scap(['read', capturePath('curl_google'), '-f', 'evt.num=779']).stdout).toMatch(/^779 17:35:48\.531188756 0 curl \(17498\) < recvfrom res=60 /);
    expect(scap(['read', capturePath('curl_google'), '-f', 'evt.num=779', '--color', 'always', '-p', '%proc.name']).stdout).toBe('curl\n');
    expect(scap(['read', capturePath('curl_google'), '-f', 'evt.num=779', '--color', 'always', '-j']).stdout).not.toContain('\x1b');
  });

  it("reads sysdig's escapes in -p: \\n, \\t, \\e and \\\\, and resets colours at the end after \\e", () => {
    // What sysdig 0.36 prints for the same format and event (escape_output_format, handle_end_of_file).
    const r = scap(['read', capturePath('curl_google'), '-f', 'evt.type=execve', '-p', '%proc.name\\t%evt.type\\n\\\\n\\x\\e[1m\\\\\\\\']);
    expect(r.stdout).toBe('curl\texecve\n\\n\\x\x1b[1m\\\\\n\x1b[00m');
    // Without ESC in the format, no reset.
    expect(scap(['read', capturePath('curl_google'), '-f', 'evt.type=execve', '-p', '%proc.name\\t%evt.type']).stdout).toBe('curl\texecve\n');
  });

  it('prints data buffers as sysdig -A, -x, -X and -b do', () => {
    const write = (flag: string) => scap(['read', capturePath('test_ipv6_client'), '-f', 'evt.type=write', '-n', '1', '-p', '%evt.args', flag]);
    // The client's stderr message, 23 bytes.
    expect(write('-A').stdout).toBe('res=23 data=\nERR=Connection refused\n fd=2 size=23\n');
    expect(write('-X').stdout).toBe('res=23 data=\n\t0x0000: 4552 523d 436f 6e6e 6563 7469 6f6e 2072  ERR=Connection r\n'
      + '\t0x0010: 6566 7573 6564 0a                      efused.\n fd=2 size=23\n');
    expect(write('-x').stdout).toBe('res=23 data=\n\t0x0000: 4552 523d 436f 6e6e 6563 7469 6f6e 2072\n'
      + '\t0x0010: 6566 7573 6564 0a\n fd=2 size=23\n');
    expect(write('-b').stdout).toBe(`res=23 data=${Buffer.from('ERR=Connection refused\n').toString('base64')} fd=2 size=23\n`);
    const both = scap(['read', capturePath('test_ipv6_client'), '-A', '-X']);
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/choose one buffer format: -A, -X/);
  });

  it('counts events as libsinsp returns them with --count, from stdin too', () => {
    expect(scap(['read', '--count', capturePath('curl_google')]).stdout).toBe('939\n');
    expect(scap(['read', '--count', '-'], readFileSync(capturePath('single_ipv6_conn'))).stdout).toBe('1714\n');
  });

  it('yields every complete event of a truncated file, warns with the offset, exits 0 (1 with --strict)', () => {
    const cut = blockStart(400) + 20; // inside the 400th block
    const file = join(dir, 'truncated.scap');
    writeFileSync(file, raw.subarray(0, cut));
    const r = scap(['read', '--count', file]);
    expect(r.status).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThan(0);
    expect(r.stderr).toMatch(new RegExp(`warning: .*offset ${blockStart(400)}`));
    expect(scap(['read', '--count', '--strict', file]).status).toBe(1);
  });

  it('stops at a corrupt block length with the offset and block named, exit 1', () => {
    const bad = Buffer.from(raw);
    const at = blockStart(300);
    bad.writeUInt32LE(5, at + 4);
    const file = join(dir, 'corrupt.scap');
    writeFileSync(file, bad);
    const r = scap(['read', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`block length 5 .*at offset ${at + 4}.*block 0x204 starting at ${at}`));
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack without --verbose
  });

  it('names a file that is not a capture as such', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'hello, this is text\n');
    const r = scap(['read', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/notes\.txt: not a scap capture/);
  });

  it('names a pcapng packet capture, which starts with the same section header', () => {
    const file = join(dir, 'dump.pcapng');
    writeFileSync(file, pcapngCapture().bytes);
    for (const command of ['read', 'info']) {
      const r = scap([command, file]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^scap: this is a pcapng packet capture .* not syscalls: it holds a packet block, at offset 48 /);
      expect(r.stderr).toMatch(/\nhint: Open packet captures with Wireshark or tshark/);
    }
  });

  it('reports an unknown field with its column', () => {
    const r = scap(['read', capturePath('curl_google'), '-p', '%evt.num %evt.nosuch']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown field 'evt\.nosuch' at column 10/);
  });

  it('suggests the nearest field names in formats too, as in filters', () => {
    const r = scap(['read', capturePath('curl_google'), '-p', '%evt.num %fd.nmae']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^scap: format: unknown field 'fd\.nmae' at column 10 \(did you mean 'fd\.name'\?\)\n/);
  });
});

describe('scap info', () => {
  it('says the machine and the time span in words', () => {
    const r = scap(['info', capturePath('curl_google')]);
    expect(r.status).toBe(0);
    // Not the machine block's JSON: no reserved words, no max pid or boot time where the capture has 0.
    expect(r.stdout).toMatch(/^machine {7}ip-10-0-0-79, 1 CPU, 1\.0 GiB memory \(1038864384 bytes\)$/m);
    expect(r.stdout).toMatch(/^span {10}8\.000000000 s$/m);
    const sysmix = scap(['info', capturePath('scapkit_sysmix')]).stdout;
    expect(sysmix).toMatch(/^machine {7}vm, 2 CPUs, 23\.5 GiB memory \(25276510208 bytes\), pid max 32768, booted 2026-11-27T00:20:23\.354773856Z$/m);
    expect(sysmix).toMatch(/^span {10}2\.863626856 s$/m);
  });

  it('calls a block type it has no name for unknown, not its number twice', () => {
    // curl_google with a 16-byte block of type 0x7777 before its first event (block 59).
    const unknown = Buffer.alloc(16);
    unknown.writeUInt32LE(0x7777, 0);
    unknown.writeUInt32LE(16, 4);
    unknown.writeUInt32LE(16, 12);
    const at = blockStart(59);
    const f = join(dir, 'unknown-block.scap');
    writeFileSync(f, Buffer.concat([raw.subarray(0, at), unknown, raw.subarray(at)]));
    const r = scap(['info', f]);
    expect(r.status, r.stderr).toBe(0);
    // It read "1  0x7777 (0x7777)".
    expect(r.stdout).toMatch(/^ {11}1  unknown \(0x7777\)$/m);
    expect(r.stdout).toMatch(/^ {11}1  unknown blocks skipped$/m);
    expect(JSON.parse(scap(['info', '--json', f]).stdout).blocks).toContainEqual({ type: '0x7777', id: '0x7777', count: 1 });
  });

  it('shows format, blocks, both event counts, time span and state', () => {
    const r = scap(['info', '--json', capturePath('single_ipv6_conn')]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.formatVersion).toBe('1.2');
    expect(s.compression).toBe('gzip');
    expect(s.events).toEqual({ rawBlocks: 1728, libscap: 1717, sinsp: 1714, unknownTypesSkipped: 0 });
    expect(s.firstEvent.rawtime).toBe('1533943844999999999');
    expect(s.state).toMatchObject({ threads: 154, fds: 564, users: 42, groups: 72 });
    expect(s.blocks).toContainEqual({ type: 'event', id: '0x216', count: 1728 });
    const counts = new Map<string, number>(s.eventTypes.map((t: { type: string; dir: string; count: number }) => [`${t.type} ${t.dir}`, t.count]));
    for (const line of goldenLines('single_ipv6_conn', 'types.txt')) {
      const [, n, type, dir] = /^\s*(\d+) (\S+) (\S+)$/.exec(line)!;
      expect(counts.get(`${type} ${dir}`)).toBe(Number(n));
    }
  });
});
