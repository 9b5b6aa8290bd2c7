// 32-bit (ia32) syscalls, end to end: build/capture-ia32
// (test/native/ia32-workload.c) makes `int $0x80` calls from a 64-bit
// process with known arguments, then runs a 32-bit binary
// (test/native/ia32-exec.S). The driver must record each as the x86_64
// syscall it stands for, with the arguments the kernel used; where libs'
// modern_bpf reference is built, the calls it records right must come out
// the same from both drivers, rendered by the same sinsp-example.
//
// Needs root (SCAPKIT_NO_BPF=1 skips, as in capture.test.ts).

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../scapfile/open-capture.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { paramUint } from '../../scapfile/params/index.js';
import { EventType, ppmScFromName } from '../../scapfile/schema/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { scap } from '../helpers/cli.js';
import { ensureNativeBuild, prepareCaptureTest } from './capture-run.js';
import { SINSP_EXAMPLE, sinspFileLines, sinspLines } from './sinsp-run.js';
import type { Workload, WorkloadRun } from './workload-run.js';
import { MODERN_SINSP, runUnderModernBpf, runUnderScapCapture, workloadFilter } from './workload-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
const WORKLOAD = join(ROOT, 'build', 'capture-ia32');
const EXEC32 = join(ROOT, 'build', 'capture-ia32-exec');

/** x86_64 numbers the checks name (unistd_64.h). */
const X86_64_GETPID = 39;
const X86_64_POLL = 7;

/** A run of the workload: its pid, the port it listened on, its 32-bit child's pid, its exit code. */
interface Run { pid: number; port: number; childPid: number; exit: number | null }

/**
 * The workload, working in `work` (made here; it listens and waits). `mode`
 * "libs" leaves out what libs cannot record.
 */
function ia32Workload(work: string, mode?: 'libs'): Workload {
  mkdirSync(work, { recursive: true });
  return {
    command: WORKLOAD, args: [work, EXEC32, ...(mode ? [mode] : [])],
    readyLine: /ready (\d+) (\d+)\n/, runLine: /child (\d+) exit (\d+)\n/,
  };
}

/** What the workload's ready line and child line said. */
function ia32Run(run: WorkloadRun): Run {
  return { pid: run.pid, port: Number(run.ready[2]), childPid: Number(run.line![1]), exit: run.exit };
}

/** Runs the workload under scap-capture with `extra` options; the capture's path and the run. */
async function captureRun(dir: string, name: string, extra: string[] = []): Promise<{ file: string; run: Run; stderr: string }> {
  const file = join(dir, `${name}.scap`);
  const { run, stderr } = await runUnderScapCapture(ia32Workload(join(dir, name)), file, extra);
  return { file, run: ia32Run(run), stderr };
}

/** `%evt.type %evt.args` of a thread's exit events (and procexit). */
function eventLines(file: string, tid: number): string[] {
  const r = scap(['read', file, '-f', `thread.tid=${tid} and (evt.dir=< or evt.type=procexit)`, '-p', '%evt.type %evt.args']);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(NO_BPF)('32-bit (ia32) syscalls, recorded as their x86_64 counterparts', () => {
  let dir: string;
  let file: string;
  let run: Run;
  let stderr: string;
  let work: string;

  beforeAll(async () => {
    dir = prepareCaptureTest('ia32.test');
    ({ file, run, stderr } = await captureRun(dir, 'all'));
    work = join(dir, 'all');
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the workload and its 32-bit child ran to their ends', () => {
    expect(run.exit).toBe(3);
    expect(stderr).toMatch(/ 0 drops/);
  });

  it('records int $0x80 file calls with the arguments the kernel used', () => {
    const lines = eventLines(file, run.pid);
    const path = esc(join(work, 'ia32-file'));
    const fd = `\\d+\\(<f>${path}\\)`;
    const expected = [
      // The path pointer has 0xdead in its upper half: the kernel, and the driver, use the low half.
      new RegExp(`^open fd=${fd} name=${path} flags=16646\\(O_TRUNC\\|O_CREAT\\|O_WRONLY\\|O_F_CREATED\\) mode=0640 dev=\\w+ ino=\\d+$`),
      new RegExp(`^write res=17 data=ia32 known bytes\\. fd=${fd} size=17$`),
      new RegExp(`^writev res=12 data=ia32 vector\\. fd=${fd} size=12$`),
      new RegExp(`^close res=0 fd=${fd}$`),
      new RegExp(`^openat fd=${fd} dirfd=-100\\(AT_FDCWD\\) name=${path} flags=1\\(O_RDONLY\\) mode=0 dev=\\w+ ino=\\d+$`),
      new RegExp(`^read res=17 data=ia32 known bytes\\. fd=${fd} size=17$`),
      new RegExp(`^readv res=12 size=12 data=ia32 vector\\. fd=${fd}$`),
      // The fd had garbage in its upper half.
      new RegExp(`^close res=0 fd=${fd}$`),
      /^open fd=-2\(ENOENT\) name=\/nonexistent-scapkit-ia32\/file flags=1\(O_RDONLY\) mode=0 dev=0 ino=0$/,
    ];
    const start = lines.findIndex((l) => l.startsWith('open '));
    expect(start, lines.join('\n')).toBeGreaterThanOrEqual(0);
    lines.slice(start, start + expected.length).forEach((l, i) => expect(l).toMatch(expected[i]!));
  });

  it('records each socketcall as the socket call it makes, its arguments read from the user array', () => {
    const lines = eventLines(file, run.pid);
    const tuple = `127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${run.port}`;
    const fd = `\\d+\\(<4t>${tuple}\\)`;
    const has = (re: RegExp): void => expect(lines.filter((l) => re.test(l)), String(re)).toHaveLength(1);
    has(/^socket fd=\d+\(<4>\) domain=2\(AF_INET\) type=1 proto=0 flags=0\(O_NONE\)$/);
    has(new RegExp(`^connect res=0 tuple=${tuple} fd=${fd} addr=127\\.0\\.0\\.1:${run.port}$`));
    // A compat msghdr and its compat iovec.
    has(new RegExp(`^sendmsg res=12 data=ia32 message fd=${fd} size=12 tuple=${tuple}$`));
  });

  it('keeps ia32 numbers apart from the x86_64 ones they equal: timerfd_create (322) is no execveat', () => {
    const lines = [...eventLines(file, run.pid), ...eventLines(file, run.childPid)];
    expect(lines.filter((l) => l.startsWith('timerfd_create '))).toEqual([
      expect.stringMatching(/^timerfd_create res=\d+\(<t>\) clockid=1 flags=0$/),
      expect.stringMatching(/^timerfd_create res=\d+\(<t>\) clockid=1 flags=0$/),
    ]);
    expect(lines.filter((l) => l.startsWith('execveat '))).toEqual([]);
  });

  it('gives a generic ia32 call its x86_64 number and ppm_sc; one without an x86_64 counterpart is not recorded', async () => {
    const cap = await openCapture(file);
    const cur = new EventCursor();
    const natives: number[] = [];
    for await (const batch of cap) {
      for (let i = 0; i < batch.count; i++) {
        cur.moveTo(batch, i);
        if (cur.type !== EventType.GENERIC_X || cur.tid !== run.pid) continue;
        natives.push(paramUint(cur, 1));
        if (paramUint(cur, 1) === X86_64_GETPID) expect(paramUint(cur, 0)).toBe(ppmScFromName('getpid'));
      }
    }
    expect(natives).toContain(X86_64_GETPID);
    // ia32 waitpid (7) has no x86_64 syscall; x86_64's 7 is poll.
    expect(natives).not.toContain(X86_64_POLL);
  });

  it('records a 32-bit binary: its exec, its calls and its exit', () => {
    expect(eventLines(file, run.childPid).filter((l) => !l.startsWith('clone ') && !l.startsWith('set_robust_list '))).toEqual([
      expect.stringMatching(new RegExp(`^execve res=0 exe=${esc(EXEC32)} args=NULL `)),
      expect.stringMatching(/^write res=10 data=ia32 exec\. fd=1\(<[pu]>[^)]*\) size=10$/),
      expect.stringMatching(/^timerfd_create res=\d+\(<t>\) clockid=1 flags=0$/),
      expect.stringMatching(/^procexit status=1280 ret=5 sig=0 core=0 reaper_tid=0$/),
    ]);
  });

  it('--syscalls selects ia32 calls by their x86_64 names, socketcall\'s by the call made', async () => {
    const sel = await captureRun(dir, 'selected', ['--syscalls', 'open,connect']);
    const types = eventLines(sel.file, sel.run.pid).map((l) => l.split(' ')[0]);
    expect(types).toEqual(['open', 'open', 'connect', 'procexit']);
  }, 60_000);
});

/** What sinsp prints for each event compared: its type, thread, fd and arguments. */
const DIFF_FORMAT = '*%evt.type %evt.dir tid=%thread.tid %proc.name fd=%fd.num %fd.type %fd.name | %evt.args';
/** The event types compared (timerfd_create is not: libs records it as execveat, see the test). */
const COMPARED = new Set(['open', 'openat', 'read', 'write', 'readv', 'writev', 'close', 'getpid', 'execve', 'procexit']);

/** sinsp-example's lines of the compared types, made comparable across runs. */
function comparable(lines: readonly string[], work: string, pids: readonly number[]): string[] {
  const ids = new Map(pids.map((p, i) => [String(p), `T${i}`]));
  return lines
    .filter((l) => COMPARED.has(l.split(' ')[0]!) && / tid=\d+ capture-ia32/.test(l))
    // The exec fields after ptid (times, cgroups, memory) are syscalls.test.ts's business.
    .map((l) => (l.startsWith('execve ') ? l.replace(/ cwd=.*$/, '') : l))
    .map((l) => l.split(work).join('WORK')
      .replace(/\b(tid|pid|ptid)=(\d+)/g, (m, k: string, v: string) => (ids.has(v) ? `${k}=${ids.get(v)}` : m))
      .replace(/ino=\d+/g, 'ino=N')
      .replace(/pipe:\[\d+\]/g, 'pipe:[N]')
      .replace(/data=child \d+ exit/, 'data=child N exit'));
}

describe.skipIf(NO_BPF || !existsSync(MODERN_SINSP) || !existsSync(SINSP_EXAMPLE))('ia32 calls under libs\' modern_bpf and under scapkit\'s driver', () => {
  it('give the same events, parameter for parameter, rendered by the same sinsp-example', async () => {
    ensureNativeBuild();
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-ia32-diff-'));
    try {
      const modernRun = await runUnderModernBpf(ia32Workload(join(dir, 'modern'), 'libs'), DIFF_FORMAT, workloadFilter);
      const modern = ia32Run(modernRun.run);
      const file = join(dir, 'ours.scap');
      const ours = ia32Run((await runUnderScapCapture(ia32Workload(join(dir, 'ours'), 'libs'), file)).run);
      const expected = comparable(sinspLines(modernRun.out), join(dir, 'modern'), [modern.pid, modern.childPid]);
      const actual = comparable(sinspFileLines(file, DIFF_FORMAT, workloadFilter(ours.pid)), join(dir, 'ours'), [ours.pid, ours.childPid]);
      expect(expected.filter((l) => l.startsWith('open')).length).toBeGreaterThanOrEqual(3);
      expect(actual.join('\n')).toBe(expected.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
