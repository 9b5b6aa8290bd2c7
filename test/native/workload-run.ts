// Running a test workload that prints "ready PID" and waits for a line on
// stdin, under a capture started once its pid is known (scap-capture, or
// libs' modern_bpf through sinsp-example), and reading sinsp-example's
// output. The protocol of test/native/more-syscalls-workload.c (and of
// syscalls-workload.c, whose test has its own copy of this from before).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { exitOf, waitForLine } from './capture-run.js';
import { SINSP_EXAMPLE } from './sinsp-run.js';

/** libs' modern_bpf build (MODERN_BPF=1 ../shared/tools/reference/build.sh) and the shim it needs to load. */
export const MODERN_DIR = join(dirname(dirname(dirname(SINSP_EXAMPLE))), '..', 'build-modern');
export const MODERN_SINSP = join(MODERN_DIR, 'libsinsp', 'examples', 'sinsp-example');
export const MEMLOCK_SHIM = join(MODERN_DIR, '..', 'compat', 'memlock_shim.so');

/** What to wait for in the capture's output before letting the workload go. */
export interface Ready {
  stream: 'stdout' | 'stderr';
  re: RegExp;
  /** A pause after it (sinsp-example -m says it starts before its programs are attached). */
  settleMs?: number;
}

/** One run of a workload under a capture. */
export interface WorkloadRun {
  pid: number;
  exit: number | null;
  capture: ChildProcess;
}

/**
 * Starts `command args` in `cwd`; once it prints "ready PID", starts
 * `startCapture(pid)`; once the capture is `ready`, lets the workload run
 * and waits for it to exit. The capture is left running (stop it, then wait).
 */
export async function runWorkload(command: string, args: readonly string[], cwd: string,
  startCapture: (pid: number) => ChildProcess, ready: Ready): Promise<WorkloadRun> {
  const workload = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], cwd });
  let capture: ChildProcess | undefined;
  try {
    const m = await waitForLine(workload, 'stdout', /ready (\d+)\n/, command);
    const pid = Number(m[1]);
    capture = startCapture(pid);
    await waitForLine(capture, ready.stream, ready.re, 'the capture');
    if (ready.settleMs) await new Promise((r) => setTimeout(r, ready.settleMs));
    workload.stdin!.end('go\n');
    const exit = await exitOf(workload);
    // The last events (procexit) are still in the rings: give the consumer a poll round.
    await new Promise((r) => setTimeout(r, 500));
    return { pid, exit, capture };
  } catch (err) {
    if (capture && capture.exitCode === null) capture.kill('SIGKILL');
    throw err;
  } finally {
    if (workload.exitCode === null) workload.kill('SIGKILL');
  }
}

/**
 * libs' modern_bpf, live, on the workload's process and its children:
 * sinsp-example's output in `format`.
 */
export async function runUnderModernBpf(command: string, args: readonly string[], cwd: string, format: string): Promise<string> {
  let out = '';
  const run = await runWorkload(command, args, cwd, (pid) => {
    const p = spawn(MODERN_SINSP, ['-m', '-a', '-f', `proc.pid=${pid} or proc.ppid=${pid}`, '-o', format], {
      stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', LD_PRELOAD: MEMLOCK_SHIM },
    });
    p.stdout!.on('data', (c: Buffer) => { out += c.toString('latin1'); });
    return p;
  }, { stream: 'stdout', re: /-- Start capture/, settleMs: 1500 });
  // 'close', not 'exit': its last lines may still be in the pipe when it exits.
  const closed = new Promise((r) => run.capture.once('close', r));
  run.capture.kill('SIGINT');
  await closed;
  return out;
}

/** sinsp-example's event lines between its start and end markers. */
export function sinspLines(out: string): string[] {
  const all = out.split('\n');
  const start = all.indexOf('-- Start capture');
  const end = all.indexOf('-- EOF');
  return all.slice(start + 1, end === -1 ? undefined : end).filter((l) => l !== '' && !l.startsWith('-- '));
}
