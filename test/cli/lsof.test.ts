// scap lsof: every thread's open fds at a point of a capture, as sysdig's
// lsof chisel lists them. A synthetic capture on nginx's worker 1310 of
// single_ipv6_conn opens and closes a file and starts a thread that shares
// the worker's files; the listing follows them, and at the start agrees
// with proc.fdopencount (checked against sinsp-example in the field goldens).
import { describe, expect, it } from 'vitest';
import { empty, eventOf, i64, str, u32 } from '../helpers/event-builder.js';
import { syntheticCaptureFile } from '../helpers/sinsp-raw.js';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { threadTable } from '../../inspect/state/index.js';

const NGINX = 1310;
const T0 = 1534527343000000000n; // captureBytes: event i at T0 + i µs
const read = (tid: number) => eventOf('SYSCALL_READ_X', { res: i64(0), data: empty(), fd: i64(3), size: u32(0) }, tid);
const EVENTS = [
  read(NGINX),
  eventOf('SYSCALL_OPENAT_2_X', { fd: i64(20), dirfd: i64(-100), name: str('/tmp/lsof-test'), flags: u32(1), mode: u32(0) }, NGINX),
  // A thread of the worker: CLONE_FILES | CLONE_THREAD | CLONE_VM | CLONE_SIGHAND.
  eventOf('SYSCALL_CLONE_20_X', {
    res: i64(0), exe: str('/usr/sbin/nginx'), args: str(''), tid: i64(7001), pid: i64(NGINX), ptid: i64(NGINX),
    cwd: str('/'), comm: str('nginx'), flags: u32(0x1 | 0x2000 | 0x8000 | 0x800), vtid: i64(7001), vpid: i64(NGINX),
  }, 7001),
  eventOf('SYSCALL_CLOSE_X', { res: i64(0), fd: i64(20) }, NGINX),
  read(NGINX),
].map(({ type, tid, params }) => ({ type, tid, params }));

const file = syntheticCaptureFile('lsof', EVENTS);

interface Row { command: string; pid: number; tid: number; user: string; fd: number; type: string; name: string }
function lsof(...args: string[]): Row[] {
  const r = scap(['lsof', file, '--pid', String(NGINX), '--json', ...args]);
  expect([r.status, r.stderr]).toEqual([0, '']);
  return JSON.parse(r.stdout) as Row[];
}
const at = (i: number): string => String(T0 + BigInt(i) * 1000n);
const fd20 = (rows: Row[]): number[] => rows.filter((r) => r.fd === 20).map((r) => r.tid);

describe('scap lsof', () => {
  it('lists the fds a thread has at the start, as many as proc.fdopencount counts', () => {
    const rows = lsof();
    const count = scap(['read', file, '-n', '1', '-p', '%proc.fdopencount']).stdout.trim();
    expect(rows.filter((r) => r.tid === NGINX)).toHaveLength(Number(count));
    expect(rows.every((r) => r.command === 'nginx' && r.pid === NGINX && r.user === 'www-data')).toBe(true);
    expect(fd20(rows)).toEqual([]);
    // Threads in tid order, fds in number order.
    const keys = rows.map((r) => [r.tid, r.fd]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  });

  it('follows opens, closes and a thread sharing the process\'s files, by time', () => {
    expect(lsof('--at', at(1)).find((r) => r.fd === 20)).toEqual({ command: 'nginx', pid: NGINX, tid: NGINX, user: 'www-data', fd: 20, type: 'file', name: '/tmp/lsof-test' });
    // The new thread lists the worker's table under its own tid.
    const shared = lsof('--at', at(2));
    expect(fd20(shared)).toEqual([NGINX, 7001]);
    expect(shared.filter((r) => r.tid === 7001).map((r) => r.fd)).toEqual(shared.filter((r) => r.tid === NGINX).map((r) => r.fd));
    expect(fd20(lsof('--at', 'end'))).toEqual([]);
    // An offset counts from the first event, as for cut and ptree.
    expect(lsof('--at', '+2us')).toEqual(shared);
  });

  // The chisel's argument is a sinsp filter run per fd on a made-up read
  // event whose thread and fd are that row's (chisel_api.cpp get_thread_table).
  it('keeps the fds a sinsp filter keeps, seeing each fd as the event\'s', () => {
    expect(lsof('--at', at(1), '-f', 'fd.name contains lsof-test').map((r) => [r.tid, r.fd])).toEqual([[NGINX, 20]]);
    const conn = capturePath('single_ipv6_conn');
    const all = JSON.parse(scap(['lsof', conn, '--json']).stdout) as Row[];
    const rows = (filter: string): Row[] => JSON.parse(scap(['lsof', conn, '--json', '-f', filter]).stdout) as Row[];
    for (const type of ['ipv4', 'ipv6', 'unix', 'file']) {
      const kept = rows(`fd.type=${type}`);
      expect(kept.length, type).toBeGreaterThan(0);
      expect(kept, type).toEqual(all.filter((r) => r.type === type));
    }
    expect(rows('proc.name=nginx and fd.num < 3')).toEqual(all.filter((r) => r.command === 'nginx' && r.fd < 3));
    // nginx's master and two workers listen on port 80, IPv4 and IPv6.
    expect(rows('fd.sport=80 and fd.is_server=true').map((r) => `${r.pid} ${r.fd} ${r.name}`))
      .toEqual(['1289 8 0.0.0.0:80', '1289 9 :::80', '1300 8 0.0.0.0:80', '1300 9 :::80', '1310 8 0.0.0.0:80', '1310 9 :::80']);
    expect(rows('thread.tid > 0')).toEqual(all);
  });

  it('leaves the state as it was after a filter ran on each fd', async () => {
    const insp = await Inspector.open(capturePath('single_ipv6_conn'));
    await insp.run(() => false);
    const state = insp.state;
    const before = { thread: state.evThread, fd: state.evFd, last: [...state.threads.values()].map((t) => t.lastEventFd) };
    const filter = compileFilter('fd.type=ipv4 and proc.name=nginx', FIELDS);
    let asked = 0;
    const kept = threadTable(state, { keepFd: (ev) => { asked++; return filter(ev, insp.fieldContext); } });
    expect(asked).toBeGreaterThan(500);
    expect(kept.map((t) => t.thread.tid)).toEqual([1289, 1300, 1310]);
    expect({ thread: state.evThread, fd: state.evFd, last: [...state.threads.values()].map((t) => t.lastEventFd) }).toEqual(before);
  });

  it('prints the chisel\'s columns, and refuses a time it cannot read', () => {
    const r = scap(['lsof', file, '--at', at(1), '--name', 'nginx', '--pid', String(NGINX)]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('COMMAND             PID     TID     USER    FD      TYPE        NAME');
    // extend_string cuts a cell as wide as its column to one char less and a space.
    expect(lines).toContain('nginx               1310    1310    www-dat 20      file        /tmp/lsof-test');
    const bad = scap(['lsof', file, '--at', 'noon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^scap: --at \(start, end or a time\): cannot read the time "noon": give ns since the epoch/);
    expect(scap(['read', file, '-c', 'lsof']).stderr).toContain("sysdig's lsof chisel is scap lsof: scap lsof FILE");
    // The chisel API names fds with tostring_clean: no control bytes. curl_google's
    // process list has systemd's socket as '/run/systemd/private\n'; -j keeps it whole.
    const sd = scap(['lsof', capturePath('curl_google'), '--pid', '1']);
    expect(sd.stdout.split('\n')).toContain('systemd             1       1       root    14      unix        /run/systemd/private');
    const sdJson = JSON.parse(scap(['lsof', capturePath('curl_google'), '--pid', '1', '--json']).stdout) as Row[];
    expect(sdJson.find((x) => x.fd === 14)!.name).toBe('/run/systemd/private\n');
    // No event at the point: the chisel's line, and on stderr why.
    const late = scap(['lsof', file, '--at', at(99)]);
    expect([late.status, late.stdout]).toEqual([0, 'empty capture or no event matching the filter\n']);
    expect(late.stderr).toMatch(/^scap: no event at or past \d+; --at end gives the state at the last one/);
    expect(scap(['lsof', file, '--at', at(99), '--json']).stdout).toBe('[]\n');
  });

  it('scap netstat: the IP sockets, a listening one as LISTEN with no client, as netstat.lua prints them', () => {
    const curl = capturePath('curl_google');
    const r = scap(['netstat', curl, '--at', '1534527348550000000', '-f', 'proc.name=curl']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    // extend_string cuts a long address to its column less one, and a space.
    expect(r.stdout).toBe('Proto Server Address           Client Address           State          TID/PID/Program Name\n'
      + 'tcp   2607:f8b0:4004:802::2004 2600:1f18:262c:6542:9aa6 ESTABLISHED    17497/17497/curl\n');
    const end = scap(['netstat', curl, '--at', 'end']).stdout.split('\n');
    expect(end).toContain('tcp   0.0.0.0:22               0.0.0.0:*                LISTEN         1397/1397/sshd');
    expect(end).toContain('tcp   10.0.0.79:22             50.207.137.246:63740     ESTABLISHED    3111/3111/sshd');
    // The same sockets as lsof's IP rows, in the same order.
    const conn = capturePath('single_ipv6_conn');
    const ip = JSON.parse(scap(['lsof', conn, '--json', '-f', 'fd.type in (ipv4, ipv6)']).stdout) as Row[];
    const net = JSON.parse(scap(['netstat', conn, '--json']).stdout) as { tid: number; fd: number; sip: string; sport: number; cip?: string }[];
    expect(net.map((n) => [n.tid, n.fd])).toEqual(ip.map((x) => [x.tid, x.fd]));
    const listening = ip.filter((x) => !x.name.includes('->')).length;
    expect(listening).toBeGreaterThan(5);
    expect(net.filter((n) => n.cip === undefined)).toHaveLength(listening);
  });

  it('scap ps: the threads lsof lists, with user, memory and fd limit as ps.lua prints them', () => {
    const conn = capturePath('single_ipv6_conn');
    const r = scap(['ps', conn, '-f', 'fd.name contains /var/log']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('TID     PID     USER        VIRT       RES        FDLIMIT   CMD                 ');
    expect(lines).toContain('1310    1310    www-data    122.50M    3.03M      1024      nginx');
    // A thread is listed when one of its fds passes the filter: lsof's threads.
    const fds = JSON.parse(scap(['lsof', conn, '--json', '-f', 'fd.name contains /var/log']).stdout) as Row[];
    const ps = JSON.parse(scap(['ps', conn, '--json', '-f', 'fd.name contains /var/log']).stdout) as { tid: number; vmsize_kb: number }[];
    expect(ps.map((p) => p.tid)).toEqual([...new Set(fds.map((x) => x.tid))]);
    expect(ps.find((p) => p.tid === 1310)!.vmsize_kb).toBe(Number(scap(['read', file, '-n', '1', '-p', '%proc.vmsize']).stdout.trim()));
  });
});
