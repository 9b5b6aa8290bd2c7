// Issue 5's first wave of syscalls, end to end: build/capture-syscalls
// (test/native/syscalls-workload.c) calls each of them with known arguments
// under scap-capture. Each must come out as its own full-parameter event,
// never as the generic one, with the values libs' modern_bpf driver records
// for the same call. Where libs' modern_bpf reference is built
// (MODERN_BPF=1 ../shared/tools/reference/build.sh), the workload also runs
// under it and both captures, rendered by the same sinsp-example, must agree
// line for line on these syscalls.
//
// Needs root (SCAPKIT_NO_BPF=1 skips, as in capture.test.ts).

import { existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../scapfile/open-capture.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { paramBytes, paramInt } from '../../scapfile/params/index.js';
import { EventType, paramIndex } from '../../scapfile/schema/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { scap } from '../helpers/cli.js';
import { ensureNativeBuild, prepareCaptureTest } from './capture-run.js';
import { SINSP_EXAMPLE, sinspFileLines, sinspLines } from './sinsp-run.js';
import type { Workload, WorkloadRun } from './workload-run.js';
import { eventTypesIn, keepForDiff, maskRunDependent, MODERN_SINSP, runUnderModernBpf, runUnderScapCapture, workloadFilter } from './workload-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
const WORKLOAD = join(ROOT, 'build', 'capture-syscalls');

/**
 * The syscalls of issue 5's first wave that the workload calls, by the name
 * their ppm_sc code has. exit/exit_group end in procexit, which capture.test.ts
 * checks; fork is glibc's clone here. truncate and ftruncate, also in the
 * issue's list, have no event in libs (driver/event_table.c at 48dfd53): the
 * generic event is all any driver records for them, so they are not here.
 */
const FIRST_WAVE = [
  'clone', 'clone3', 'vfork', 'execve', 'execveat', 'setuid', 'setgid', 'setresuid', 'setresgid', 'setreuid', 'setregid', 'setsid',
  'setpgid', 'prctl', 'ptrace', 'kill', 'tkill', 'tgkill', 'chdir', 'fchdir', 'chroot', 'capset', 'unshare', 'setns',
  'open', 'openat', 'openat2', 'creat', 'close', 'dup', 'dup2', 'dup3', 'read', 'write', 'pread64', 'pwrite64',
  'readv', 'writev', 'preadv', 'pwritev', 'sendfile', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2',
  'mkdir', 'mkdirat', 'rmdir', 'link', 'linkat', 'symlink', 'symlinkat', 'chmod', 'fchmod', 'fchmodat', 'chown',
  'fchown', 'fchownat', 'lchown', 'mount', 'umount2', 'fcntl', 'ioctl', 'mmap', 'munmap', 'mprotect',
  'memfd_create', 'fsconfig', 'pidfd_open', 'pidfd_getfd',
  'socket', 'socketpair', 'bind', 'connect', 'listen', 'accept', 'accept4', 'sendto', 'recvfrom', 'sendmsg',
  'recvmsg', 'sendmmsg', 'recvmmsg', 'shutdown', 'getsockopt', 'setsockopt',
  'pipe', 'pipe2', 'eventfd', 'eventfd2', 'signalfd', 'signalfd4', 'timerfd_create', 'inotify_init',
  'inotify_init1', 'epoll_create', 'epoll_create1', 'bpf', 'init_module', 'finit_module', 'delete_module',
  'userfaultfd', 'io_uring_setup', 'io_uring_enter', 'process_vm_readv', 'process_vm_writev', 'seccomp', 'quotactl',
];

/** A TCP port nothing listens on now (the workload binds it and port + 1). */
function freePortPair(): number {
  return 20000 + Math.floor(Math.random() * 20000) * 2;
}

/** The workload, in `dir` (it works in `dir`/work), with the port pair it uses. */
const syscallsWorkload = (dir: string, port: number): Workload => ({ command: WORKLOAD, args: [join(dir, 'work'), String(port)], cwd: dir });

describe.skipIf(NO_BPF)('the first wave of syscalls, each with its own event', () => {
  let dir: string;
  let run: WorkloadRun;
  let capturePath: string;
  let captureStderr = '';
  const port = freePortPair();

  beforeAll(async () => {
    dir = prepareCaptureTest('syscalls.test');
    capturePath = join(dir, 'syscalls.scap');
    ({ run, stderr: captureStderr } = await runUnderScapCapture(syscallsWorkload(dir, port), capturePath));
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the workload ran to its end', () => {
    expect(run.exit).toBe(3);
    expect(captureStderr).toMatch(/ 0 drops/);
  });

  it('none of them comes out as the generic event', async () => {
    const { types: seen, generic } = await eventTypesIn(capturePath);
    expect(seen.has(EventType.SYSCALL_OPENAT_2_X)).toBe(true);
    expect(FIRST_WAVE.filter((s) => generic.has(s))).toEqual([]);
  });

  it('an exec\'d process has the path of the file the kernel ran as proc.exepath (trusted_exepath)', () => {
    // The workload runs /bin/true; the kernel maps the file behind any
    // symlink (/bin -> usr/bin on Debian). Without trusted_exepath, the
    // reader would keep the parent's exepath (the workload's).
    const r = scap(['read', capturePath, '-f', 'proc.name=true', '-p', '%proc.exepath']);
    expect(r.status, r.stderr).toBe(0);
    const paths = new Set(r.stdout.split('\n').filter((l) => l !== ''));
    expect([...paths]).toEqual([realpathSync('/bin/true')]);
  });

  it('procexit names the subreaper that adopts an orphan (reaper_tid), 0 where nothing is orphaned', async () => {
    const cap = await openCapture(capturePath);
    const cur = new EventCursor();
    const byRet = new Map<number, number>();
    for await (const batch of cap) {
      for (let i = 0; i < batch.count; i++) {
        cur.moveTo(batch, i);
        if (cur.type !== EventType.PROCEXIT_1_E) continue;
        byRet.set(paramInt(cur, paramIndex('PROCEXIT_1_E', 'ret')), paramInt(cur, paramIndex('PROCEXIT_1_E', 'reaper_tid')));
      }
    }
    // The child that leaves a grandchild exits with 2: the workload (a subreaper) adopts it.
    expect(byRet.get(2)).toBe(run.pid);
    // The grandchild (4) and the workload itself (3) leave no children.
    expect([byRet.get(4), byRet.get(3)]).toEqual([0, 0]);
  });

  it('keeps what failed and over-long calls asked for, as libs\' modern_bpf does', async () => {
    const r = scap(['read', capturePath, '-f', 'evt.dir=<', '-p', '%evt.type %evt.args']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const has = (re: RegExp): void => expect(lines.filter((l) => re.test(l)), String(re)).toHaveLength(1);
    // A 2,100-byte path whole (cut at 1,023 bytes before).
    let longPath = '/nonexistent-scapkit';
    while (longPath.length + 10 <= 2100) longPath += '/ddddddddd';
    has(new RegExp(`^openat fd=-2\\(ENOENT\\) dirfd=-100\\(AT_FDCWD\\) name=${longPath} flags=1\\(O_RDONLY\\)`));
    // A failed write keeps the caller's bytes (data=NULL before).
    has(/^write res=-9\(EBADF\) data=edge-write fd=-1\(EPERM\) size=10$/);
    // O_DSYNC alone, and O_SYNC with the O_DSYNC bit it includes.
    has(/^openat fd=\d+\(<f>[^)]*\/dsync-file\) .* flags=\d+\(O_DSYNC\|O_CREAT\|O_WRONLY(\|O_F_CREATED)?\)/);
    has(/^openat fd=\d+\(<f>[^)]*\/sync-file\) .* flags=\d+\(O_SYNC\|O_DSYNC\|O_CREAT\|O_WRONLY(\|O_F_CREATED)?\)/);
    // A failed exec: argv[0], the other arguments and the environment it asked for.
    has(/^execve res=-2\(ENOENT\) exe=edge-prog args=a1\.a2\. .* env=EDGE=1\.E2=x\. .* filename=\/nonexistent-scapkit\/prog$/);
    has(/^execve res=-2\(ENOENT\) exe= args=NULL .* env=NULL .* filename=\/nonexistent-scapkit\/prog2$/);
    // A refused connect has no tuple; a disconnect (AF_UNSPEC) zeros it.
    has(new RegExp(`^connect res=-111\\(ECONNREFUSED\\) tuple=NULL fd=\\d+\\(<4>\\) addr=127\\.0\\.0\\.1:${port + 1}$`));
    has(/^connect res=0 tuple=0\.0\.0\.0:0->0\.0\.0\.0:0 fd=\d+\(<4u>0\.0\.0\.0:0->0\.0\.0\.0:0\) addr=<NA>$/);
    // A unix name of all 108 bytes (107 before); netlink's address stored empty ("family 16" before).
    const full = (join(dir, 'work') + '/').padEnd(108, 'p');
    has(new RegExp(`^bind res=0 addr=${full} fd=\\d+\\(<u>${full}\\)$`));
    has(/^bind res=0 addr=<NA> fd=\d+\(<n>\)$/);
    // A refused clone3 made no task: no exe, no args.
    has(/^clone3 res=-22 exe=<NA> args=NULL /);
    // Arguments over 4,096 bytes: cut there, ended by a NUL.
    const cap = await openCapture(capturePath);
    const cur = new EventCursor();
    const argsAt = paramIndex('SYSCALL_EXECVE_19_X', 'args');
    const cut: Buffer[] = [];
    for await (const batch of cap) {
      for (let i = 0; i < batch.count; i++) {
        cur.moveTo(batch, i);
        if (cur.type !== EventType.SYSCALL_EXECVE_19_X) continue;
        const args = paramBytes(cur, argsAt);
        if (args.includes('edge-arg-000')) cut.push(Buffer.from(args));
      }
    }
    expect(cut).toHaveLength(1);
    expect(cut[0]!.length).toBe(4096 - 'true\0'.length);
    expect(cut[0]![cut[0]!.length - 1]).toBe(0);
  });

  it.skipIf(!existsSync(SINSP_EXAMPLE))('scap read prints every event of it as sinsp-example does, with process and fd fields', () => {
    // The new events exercise our own parsers too: state (fds from
    // socketpair, eventfd, memfd, io_uring...; threads from clone3 and
    // execveat) must give the same proc and fd fields as libsinsp.
    const format = '*%evt.num %evt.type %thread.tid %proc.pid %proc.ppid %proc.name %proc.exepath %fd.num %fd.type %fd.name %evt.args';
    const ref = sinspFileLines(capturePath, format);
    const r = scap(['read', capturePath, '-p', format]);
    expect(r.status, r.stderr).toBe(0);
    const ours = r.stdout.split('\n').filter((l) => l !== '');
    expect(ours.length).toBeGreaterThan(200);
    expect(ours).toEqual(ref);
  });
});

/** What sinsp prints for each event of the comparison: its type, thread, fd and arguments. */
const DIFF_FORMAT = '*%evt.type %evt.dir tid=%thread.tid %proc.name fd=%fd.num %fd.type %fd.name | %evt.args';
/** sinsp's evt.type for the syscalls whose event is named differently. */
const TYPE_NAME: Record<string, string> = { pread64: 'pread', pwrite64: 'pwrite' };
/** The event types compared: the first wave's, and procexit (its reaper_tid decides reparenting). */
const FIRST_WAVE_TYPES = new Set([...FIRST_WAVE.map((s) => TYPE_NAME[s] ?? s), 'procexit']);

/**
 * Lines of two runs made comparable: thread ids numbered by first
 * appearance, and what differs from run to run by nature (inodes, kernel
 * and user addresses, memory counters, ports other than the workload's, the
 * work directory)
 * replaced by a placeholder.
 */
function normalize(lines: readonly string[], workDir: string, port: number): string[] {
  const kept = lines.filter((l) => FIRST_WAVE_TYPES.has(l.split(' ')[0]!));
  // Thread ids only where sinsp prints one (a parameter named so, the
  // result of a clone, a result shown with a process name as setsid's, a
  // pidfd's /proc path): pids wrap, and a bare number
  // such as flags=1025 can equal a tid of one run and not the other.
  const CLONES = new Set(['clone', 'clone3', 'vfork', 'fork']);
  const idKeys = (l: string): RegExp => (CLONES.has(l.split(' ')[0]!)
    ? /\b(tid|pid|ptid|vtid|vpid|pgid|vpgid|reaper_tid|res)=(\d+)|(\/proc\/)(\d+)/g
    : /\b(tid|pid|ptid|vtid|vpid|pgid|vpgid|reaper_tid|res(?==\d+\((?!<)))=(\d+)|(\/proc\/)(\d+)/g);
  const ids = new Map<string, string>();
  for (const l of kept) {
    for (const m of l.matchAll(idKeys(l))) {
      const id = m[2] ?? m[4]!;
      if (id !== '0' && !ids.has(id)) ids.set(id, `T${ids.size}`);
    }
  }
  return kept.map((l) => {
    let s = l.split(workDir).join('WORK');
    s = s.replace(idKeys(l), (m, k1: string | undefined, v1: string | undefined, k2: string | undefined, v2: string | undefined) => {
      const id = ids.get(v1 ?? v2!);
      return id === undefined ? m : k1 !== undefined ? `${k1}=${id}` : `${k2}${id}`;
    });
    return maskRunDependent(s)
      .replace(/\b(vm_size|vm_rss|vm_swap|pgft_maj|pgft_min)=\d+/g, '$1=V')
      .replace(/(127\.0\.0\.1|::1):(\d+)/g, (m, host: string, p: string) => (Number(p) === port || Number(p) === port + 1 ? m : `${host}:P`))
      .replace(/res=\d{9,}/g, 'res=BIG');
  });
}

/**
 * Where libs' modern_bpf (48dfd53, kernel 6.18) records a wrong value, the
 * right one, so that the comparison checks ours exactly.
 */
function correctLibs(line: string): string {
  const type = line.split(' ')[0]!;
  let s = line;
  if (type === 'open' || type === 'openat' || type === 'openat2') {
    // libs tests `flags & O_TMPFILE`, and O_TMPFILE includes O_DIRECTORY: every
    // directory open gets O_TMPFILE (PPM 0x2000). The workload never asks for it.
    s = s.replace(/flags=(\d+)\(([^)]*)\|O_TMPFILE\)/, (_m, v: string, names: string) => `flags=${Number(v) - 0x2000}(${names})`);
    // Likewise `flags & O_SYNC` holds for O_DSYNC alone (O_SYNC includes its bit).
    if (/name=\S*\/dsync-file /.test(line)) s = s.replace(/flags=(\d+)\(O_SYNC\|/, (_m, v: string) => `flags=${Number(v) - 0x80}(`);
  }
  if (type === 'io_uring_setup') {
    // libs' conversion tests IORING_FEAT_ENTER_EXT_ARG, a name the kernel never
    // had (it is IORING_FEAT_EXT_ARG, 5.11+): the feature is always dropped.
    s = s.replace(/features=(\d+)\((.*)\|IORING_FEAT_NATIVE_WORKERS/, (m, v: string, names: string) => (Number(v) & 0x100
      ? m : `features=${Number(v) | 0x100}(${names}|IORING_FEAT_ENTER_EXT_ARG|IORING_FEAT_NATIVE_WORKERS`));
  }
  if (type === 'execve') {
    // libs reads the mtime of a 6.11+ inode at the old place, and keeps the
    // 6.13+ flag bit in the ctime's nanoseconds: both come from stat of the
    // executable instead (/bin/true's, or the workload's own after a failed exec).
    const exe = /trusted_exepath=(\S+)/.exec(s)?.[1];
    if (exe !== undefined) {
      const t = statTimes(exe);
      s = s.replace(/exe_ino_ctime=\S+ \S+ exe_ino_mtime=\S+ \S+/, `exe_ino_ctime=${t.ctime} exe_ino_mtime=${t.mtime}`);
    }
  }
  return s;
}

/** A file's ctime and mtime as sinsp prints them (UTC). */
function statTimes(path: string): { ctime: string; mtime: string } {
  const st = statSync(path, { bigint: true });
  const fmt = (ns: bigint): string => {
    const d = new Date(Number(ns / 1_000_000n));
    const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
  };
  return { ctime: fmt(st.ctimeNs), mtime: fmt(st.mtimeNs) };
}

/**
 * The lines grouped by thread, each thread's in their order: how a parent's
 * and a new child's events interleave is up to the scheduler (1 run in 14
 * put a child's first event after its parent's next two), not the driver.
 */
function byThread(lines: readonly string[]): string[] {
  const threadOf = (l: string): number => Number(/ tid=T(\d+) /.exec(l)?.[1] ?? -1);
  return lines.map((l, i) => ({ l, i, t: threadOf(l) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.l);
}

describe.skipIf(NO_BPF || !existsSync(MODERN_SINSP) || !existsSync(SINSP_EXAMPLE))('the first wave under libs\' modern_bpf and under scapkit\'s driver', () => {
  it('gives the same events, parameter for parameter, rendered by the same sinsp-example', async () => {
    ensureNativeBuild();
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-syscalls-diff-'));
    try {
      // libs' modern_bpf, live.
      const port = freePortPair();
      const modern = await runUnderModernBpf(syscallsWorkload(dir, port), DIFF_FORMAT, workloadFilter);
      // Ours, then the reference reads the file.
      const file = join(dir, 'ours.scap');
      const ours = await runUnderScapCapture(syscallsWorkload(dir, port), file);
      const work = join(dir, 'work');
      const expected = byThread(normalize(sinspLines(modern.out), work, port).map(correctLibs));
      const actual = byThread(normalize(sinspFileLines(file, DIFF_FORMAT, workloadFilter(ours.run.pid)), work, port));
      // SYSCALLS_DIFF_DIR=<dir>: both sides written there, for a diff by hand.
      keepForDiff('SYSCALLS_DIFF_DIR', expected, actual);
      expect(expected.length).toBeGreaterThan(100);
      expect(actual.join('\n')).toBe(expected.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
