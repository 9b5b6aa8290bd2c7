// The syscalls that got their full events after the first wave
// (syscalls.test.ts), end to end: build/capture-more-syscalls
// (test/native/more-syscalls-workload.c) calls each with known arguments,
// and a failing call where the failure changes what is stored, under
// scap-capture. Each must come out as its own event with the exact values
// below; the state they change (close_range's fds, open_by_handle_at's new
// fd, getcwd's directory) must show in `scap read` as in sinsp-example; and
// where libs' modern_bpf is built (MODERN_BPF=1 ../shared/tools/reference/build.sh)
// the workload also runs under it, and both captures, rendered by the same
// sinsp-example, must agree line for line on these syscalls.
//
// Needs root (SCAPKIT_NO_BPF=1 skips, as in capture.test.ts).

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { scap } from '../helpers/cli.js';
import { ensureNativeBuild, prepareCaptureTest } from './capture-run.js';
import { SINSP_EXAMPLE, sinspFileLines, sinspLines } from './sinsp-run.js';
import type { Workload } from './workload-run.js';
import { eventTypesIn, keepForDiff, maskRunDependent, MODERN_SINSP, runUnderModernBpf, runUnderScapCapture } from './workload-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
const WORKLOAD = join(ROOT, 'build', 'capture-more-syscalls');
/** The workload's exit code when it ran to its end. */
const WORKLOAD_EXIT = 5;

/** The syscalls of this wave, by the name their ppm_sc code has. */
const MORE = [
  'stat', 'lstat', 'fstat', 'newfstatat', 'access', 'lseek', 'getdents', 'getdents64', 'mknod', 'mknodat', 'flock',
  'getcwd', 'futex', 'poll', 'ppoll', 'select', 'epoll_wait', 'nanosleep', 'getuid', 'geteuid', 'getgid', 'getegid',
  'getresuid', 'getresgid', 'getrlimit', 'setrlimit', 'prlimit64', 'mlock', 'munlock', 'mlock2', 'mlockall',
  'munlockall', 'semget', 'semctl', 'semop', 'keyctl', 'io_uring_register', 'getsockname', 'getpeername',
  'close_range', 'open_by_handle_at', 'copy_file_range', 'splice',
];
/** sinsp's evt.type for the syscalls whose event is named differently. */
const TYPE_NAME: Record<string, string> = { prlimit64: 'prlimit' };
const MORE_TYPES = new Set(MORE.map((s) => TYPE_NAME[s] ?? s));

const typeOf = (line: string): string => line.split(' ')[0]!;

/**
 * A line of `scap read -p '%evt.type %evt.args'` as a pattern: DIR and
 * WORK are the test's directory and the workload's, DEV the device of
 * their file system as events store it, {N} a number, {X} a hex address,
 * {1S} what is left of a 1 s timeout as seconds: 0.99999... or, when the
 * call took under half a microsecond, 1 (flaked 4 runs in 10); the rest is
 * literal.
 */
function linePattern(line: string, dir: string, dev: string): RegExp {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const src = esc(line)
    .replaceAll('WORK', esc(join(dir, 'work')))
    .replaceAll('DIR', esc(dir))
    .replaceAll('DEV', dev)
    .replaceAll(esc('{N}'), '-?\\d+')
    .replaceAll(esc('{X}'), '[0-9A-F]+')
    .replaceAll(esc('{1S}'), '(?:0\\.99999\\d+|1)');
  return new RegExp(`^${src}$`);
}

/**
 * Every event of this wave the workload makes with native calls, in order,
 * with the values libs' modern_bpf stores for the same call (checked
 * against it below), except poll's timeout: -1, where libs stores 4294967295.
 */
const EXPECTED = [
  'lseek res=0 fd=3(<f>WORK/file) offset=0 whence=0(SEEK_SET)',
  'copy_file_range res=8 fdout=5(<f>WORK/copy) offout=0 fdin=3(<f>WORK/file) offin=0 len=8',
  'copy_file_range res=-9(EBADF) fdout=5(<f>WORK/copy) offout=0 fdin=-1(EPERM) offin=0 len=4',
  'stat res=0 path=WORK/file',
  'stat res=-2(ENOENT) path=WORK/missing',
  'lstat res=0 path=WORK/file',
  'fstat res=0 fd=3(<f>WORK/file)',
  'fstat res=-9(EBADF) fd=-1(EPERM)',
  'newfstatat res=0 dirfd=4(<d>WORK) path=file(WORK/file) flags=256(AT_SYMLINK_NOFOLLOW)',
  'newfstatat res=0 dirfd=3(<f>WORK/file) path= flags=4096(AT_EMPTY_PATH)',
  'newfstatat res=-2(ENOENT) dirfd=-100(AT_FDCWD) path=missing(DIR/missing) flags=0',
  'access res=0 name=WORK/file mode=6(R_OK|W_OK)',
  'access res=-13(EACCES) name=WORK/file mode=1(X_OK)',
  'access res=-2(ENOENT) name=WORK/missing mode=0(F_OK)',
  'lseek res=5 fd=3(<f>WORK/file) offset=5 whence=0(SEEK_SET)',
  'lseek res=16 fd=3(<f>WORK/file) offset=0 whence=2(SEEK_END)',
  'lseek res=0 fd=3(<f>WORK/file) offset=0 whence=0(SEEK_SET)',
  'lseek res=-9(EBADF) fd=-1(EPERM) offset=7 whence=1(SEEK_CUR)',
  'getdents64 res={N} fd=4(<d>WORK)',
  'getdents res=0 fd=4(<d>WORK)',
  'getdents64 res=-9(EBADF) fd=-1(EPERM)',
  'mknod res=0 path=WORK/fifo mode=010600(S_IWUSR|S_IRUSR|S_IFIFO) dev=0',
  'mknodat res=0 dirfd=4(<d>WORK) path=plain(WORK/plain) mode=0100640(S_IRGRP|S_IWUSR|S_IRUSR|S_IFREG) dev=0',
  // makedev(1, 3) is encoded once more, as libs does (driver/programs/fs.bpf.h).
  'mknodat res=0 dirfd=4(<d>WORK) path=null(WORK/null) mode=020666(S_IWOTH|S_IROTH|S_IWGRP|S_IRGRP|S_IWUSR|S_IRUSR|S_IFCHR) dev=1048579',
  'mknodat res=-17(EEXIST) dirfd=4(<d>WORK) path=plain(WORK/plain) mode=0100600(S_IWUSR|S_IRUSR|S_IFREG) dev=0',
  'flock res=0 fd=3(<f>WORK/file) operation=6(LOCK_EX|LOCK_NB)',
  'flock res=0 fd=3(<f>WORK/file) operation=8(LOCK_UN)',
  'flock res=-9(EBADF) fd=-1(EPERM) operation=1(LOCK_SH)',
  'getcwd res={N} path=DIR',
  'getcwd res=-34(ERANGE) path=<NA>',
  'futex res=0 addr={X} op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=1',
  'futex res=-11(EAGAIN) addr={X} op=0(FUTEX_WAIT) val=2',
  'futex res=-11(EAGAIN) addr={X} op=265(FUTEX_CLOCK_REALTIME|FUTEX_WAIT_BITSET) val=3',
  'poll res=2 fds=5:p1 6:p4 timeout=-1',
  'poll res=0 fds= timeout=0',
  // The kernel writes what remains of the timeout back before the exit reads it.
  'ppoll res=2 fds=5:p1 6:p4 timeout={N}({1S}s) sigmask=SIGUSR1',
  'ppoll res=1 fds=5:p1 timeout=0(0s) sigmask=',
  'select res=0',
  'epoll_wait res=0 maxevents=7',
  'epoll_wait res=-9(EBADF) maxevents=3',
  'nanosleep res=0 interval=1000(1e-06s)',
  'nanosleep res=-14(EFAULT) interval=0(0s)',
  'splice res=1 fd_in=5(<p>) fd_out=7(<f>WORK/spliced) size=1 flags=3(SPLICE_F_MOVE|SPLICE_F_NONBLOCK)',
  'splice res=-9(EBADF) fd_in=-1(EPERM) fd_out=7(<f>WORK/spliced) size=9 flags=4(SPLICE_F_MORE)',
  'getuid uid=0(root)',
  'geteuid euid=0(root)',
  'getgid gid=0(root)',
  'getegid egid=0(root)',
  'getresuid res=0 ruid=0(root) euid=0(root) suid=0(root)',
  'getresgid res=0 rgid=0(root) egid=0(root) sgid=0(root)',
  'getresuid res=-14(EFAULT) ruid=0(root) euid=0(root) suid=0(root)',
  'getrlimit res=0 cur={N} max={N} resource=7(RLIMIT_NOFILE)',
  'setrlimit res=0 cur=1000 max={N} resource=7(RLIMIT_NOFILE)',
  'prlimit res=0 newcur=1010 newmax={N} oldcur=1000 oldmax={N} pid=0 resource=7(RLIMIT_NOFILE)',
  'prlimit res=0 newcur=0 newmax=0 oldcur={N} oldmax={N} pid=0 resource=4(RLIMIT_CORE)',
  'prlimit res=-22(EINVAL) newcur=0 newmax=0 oldcur=-1 oldmax=-1 pid=0 resource=255(RLIMIT_UNKNOWN)',
  'getrlimit res=-22(EINVAL) cur=-1 max=-1 resource=255(RLIMIT_UNKNOWN)',
  'mlock res=0 addr={X} len=8192',
  'munlock res=0 addr={X} len=8192',
  'mlock2 res=0 addr={X} len=4096 flags=1(MLOCK_ONFAULT)',
  'munlock res=0 addr={X} len=4096',
  'mlockall res=0 flags=6(MCL_FUTURE|MCL_ONFAULT)',
  'munlockall res=0',
  'mlockall res=-22(EINVAL) flags=0',
  'semget res={N} key=0 nsems=2 semflg=8192(IPC_CREAT)',
  'semctl res=0 semid={N} semnum=0 cmd=4096(SETVAL) val=5',
  'semctl res=0 semid={N} semnum=1 cmd=512(GETVAL) val=0',
  'semop res=0 nsops=2 sem_num_0=0 sem_op_0=-1 sem_flg_0=1(IPC_NOWAIT) sem_num_1=1 sem_op_1=1 sem_flg_1=2(SEM_UNDO) semid={N}',
  'semop res=-11(EAGAIN) nsops=1 sem_num_0=0 sem_op_0=0 sem_flg_0=0 sem_num_1=0 sem_op_1=0 sem_flg_1=0 semid={N}',
  'semctl res=0 semid={N} semnum=0 cmd=4(IPC_RMID) val=0',
  'semget res={N} key=5CA9 nsems=1 semflg=24576(IPC_EXCL|IPC_CREAT)',
  'semget res=-17(EEXIST) key=5CA9 nsems=1 semflg=24576(IPC_EXCL|IPC_CREAT)',
  'semctl res=0 semid={N} semnum=0 cmd=4(IPC_RMID) val=0',
  // Key serials passed as ints are zero-extended in the register: -2 is 4294967294.
  'keyctl res=-126 operation=0(KEYCTL_GET_KEYRING_ID) arg2=4294967294 arg3=0 arg4=0 arg5=0',
  'keyctl res={N} operation=1(KEYCTL_JOIN_SESSION_KEYRING) arg2=scapkit-ring arg3=0 arg4=0 arg5=0',
  'keyctl res=-126 operation=10(KEYCTL_SEARCH) arg2=4294967293 arg3=user arg4=scapkit-none arg5=0',
  'keyctl res=-126 operation=3(KEYCTL_REVOKE) arg2=12345 arg3=0 arg4=0 arg5=0',
  'io_uring_register res=0 fd=5(<r>) opcode=4(IORING_REGISTER_EVENTFD) arg={X} nr_args=1',
  'io_uring_register res=-22(EINVAL) fd=-1(EPERM) opcode=1(IORING_UNREGISTER_BUFFERS) arg=0 nr_args=0',
  'getsockname ',
  'getpeername ',
  'close_range res=0 first=5 last=6 flags=0',
  'fstat res=-9(EBADF) fd=5',
  'close_range res=0 first=7 last=7 flags=4(CLOSE_RANGE_CLOEXEC)',
  'fstat res=0 fd=7(<f>WORK/range-c)',
  'close_range res=-22(EINVAL) first=10 last=5 flags=0',
  'open_by_handle_at fd=5(<f>WORK/file) mountfd=4(<d>WORK) flags=4099(O_RDWR|O_CLOEXEC) path=WORK/file dev=DEV ino={N}',
  'fstat res=0 fd=5(<f>WORK/file)',
  'open_by_handle_at fd=-9(EBADF) mountfd=-1(EPERM) flags=1(O_RDONLY) path=<NA> dev=0 ino=0',
  'getcwd res={N} path=WORK/sub',
];

/**
 * The workload's ia32 calls, last (not made with "libs"): their 32-bit
 * timespec and rlimit widened (libs' modern_bpf reads the 64-bit layouts),
 * COMPAT_RLIM_INFINITY as RLIM_INFINITY (-1).
 */
const EXPECTED_IA32 = [
  'nanosleep res=0 interval=2000(2e-06s)',
  'getrlimit res=0 cur=1010 max={N} resource=7(RLIMIT_NOFILE)',
  'setrlimit res=0 cur=0 max=-1 resource=4(RLIMIT_CORE)',
];

/** The workload (with `extra` arguments) in `dir`, working in `dir`/work. */
const moreWorkload = (dir: string, extra: readonly string[] = []): Workload => ({ command: WORKLOAD, args: [join(dir, 'work'), ...extra], cwd: dir });

/** Runs the workload (with `extra` arguments) in `dir` under scap-capture; the capture file and its stderr. */
async function captureWorkload(dir: string, extra: readonly string[] = []): Promise<{ path: string; exit: number | null; stderr: string }> {
  const path = join(dir, 'more.scap');
  const { run, stderr } = await runUnderScapCapture(moreWorkload(dir, extra), path);
  return { path, exit: run.exit, stderr };
}

describe.skipIf(NO_BPF)('the syscalls after the first wave, each with its own event', () => {
  let dir: string;
  let capture: { path: string; exit: number | null; stderr: string };

  beforeAll(async () => {
    dir = prepareCaptureTest('more-syscalls.test');
    capture = await captureWorkload(dir);
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the workload ran to its end', () => {
    expect(capture.exit).toBe(WORKLOAD_EXIT);
    expect(capture.stderr).toMatch(/ 0 drops/);
  });

  it('none of them comes out as the generic event', async () => {
    const { generic } = await eventTypesIn(capture.path);
    // name_to_handle_at has no event in libs: generic here too, which shows the check sees generic events.
    expect(generic.has('name_to_handle_at')).toBe(true);
    expect(MORE.filter((s) => generic.has(s))).toEqual([]);
  });

  it('stores each call\'s parameters as libs\' modern_bpf does', () => {
    const r = scap(['read', capture.path, '-f', 'evt.dir=<', '-p', '%evt.type %evt.args']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => MORE_TYPES.has(typeOf(l)));
    const dev = statSync(dir).dev.toString(16).toUpperCase();
    const expected = [...EXPECTED, ...EXPECTED_IA32];
    expect(lines).toHaveLength(expected.length);
    lines.forEach((l, i) => expect(l).toMatch(linePattern(expected[i]!, dir, dev)));
  });

  it.skipIf(!existsSync(SINSP_EXAMPLE))('changes the fd table and the cwd in scap read as in sinsp-example', () => {
    const format = '*%evt.num %evt.type %fd.num %fd.name %proc.cwd %evt.args';
    const ref = sinspFileLines(capture.path, format);
    const r = scap(['read', capture.path, '-p', format]);
    expect(r.status, r.stderr).toBe(0);
    const ours = r.stdout.split('\n').filter((l) => l !== '');
    expect(ours).toEqual(ref);
    const work = join(dir, 'work');
    const after = (type: string, re: RegExp): string[] => ours.filter((l, i) => l.split(' ')[1] === type && re.test(ours[i - 1] ?? ''));
    // close_range(5, 6) removed fd 5; close_range(7, 7, CLOEXEC) kept fd 7.
    expect(after('fstat', / close_range .* first=5 last=6 /)).toEqual([expect.stringMatching(/ fstat 5 {2}\S+ res=-9\(EBADF\) fd=5$/)]);
    expect(after('fstat', / close_range .* first=7 last=7 /)).toEqual([expect.stringContaining(` fstat 7 ${work}/range-c `)]);
    // open_by_handle_at's fd is named by the file's path.
    expect(after('fstat', / open_by_handle_at 5 /)).toEqual([expect.stringContaining(` fstat 5 ${work}/file `)]);
    // The chdir went through DIR/work/link; getcwd says DIR/work/sub.
    expect(ours.at(-1)).toContain(` procexit <NA> <NA> ${work}/sub/ `);
  });
});

/** The lines of this wave from sinsp-example in `DIFF_FORMAT`, with what differs from run to run by nature replaced. */
function normalize(lines: readonly string[], dir: string): string[] {
  // Kernel-chosen ids: semaphore sets, key serials (as results), numbered by first appearance.
  const ids = new Map<string, string>();
  const id = (v: string): string => { if (!ids.has(v)) ids.set(v, `K${ids.size}`); return ids.get(v)!; };
  return lines.filter((l) => MORE_TYPES.has(typeOf(l))).map((l) => {
    let s = l.split(dir).join('DIR');
    if (/^(semget|semctl|semop) /.test(s)) s = s.replace(/\b(res|semid)=(\d+)/g, (_m, k: string, v: string) => `${k}=${id(v)}`);
    if (s.startsWith('keyctl ')) s = s.replace(/\bres=(\d+)/, (_m, v: string) => `res=${id(v)}`);
    // The remaining timeout the kernel wrote back.
    if (s.startsWith('ppoll ')) s = s.replace(/timeout=\d+\([^)]*\)/, 'timeout=T');
    return maskRunDependent(s);
  });
}

/** Where libs' modern_bpf records a wrong value, the right one, so that the comparison checks ours exactly. */
function correctLibs(line: string): string {
  // poll's timeout is an int: libs stores it zero-extended, -1 as 4294967295.
  if (line.startsWith('poll ')) return line.replace(/timeout=4294967295$/, 'timeout=-1');
  return line;
}

const DIFF_FORMAT = '*%evt.type %evt.dir fd=%fd.num %fd.name | %evt.args';

describe.skipIf(NO_BPF || !existsSync(MODERN_SINSP) || !existsSync(SINSP_EXAMPLE))('the syscalls after the first wave under libs\' modern_bpf and under scapkit\'s driver', () => {
  it('give the same events, parameter for parameter, rendered by the same sinsp-example', async () => {
    ensureNativeBuild();
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-more-syscalls-diff-'));
    try {
      const modern = await runUnderModernBpf(moreWorkload(dir, ['libs']), DIFF_FORMAT);
      const ours = await captureWorkload(dir, ['libs']);
      const expected = normalize(sinspLines(modern.out).map(correctLibs), dir);
      const actual = normalize(sinspFileLines(ours.path, DIFF_FORMAT), dir);
      // MORE_SYSCALLS_DIFF_DIR=<dir>: both sides written there, for a diff by hand.
      keepForDiff('MORE_SYSCALLS_DIFF_DIR', expected, actual);
      expect(expected.length).toBe(EXPECTED.length);
      expect(actual.join('\n')).toBe(expected.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
