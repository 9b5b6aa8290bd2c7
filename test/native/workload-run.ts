// Running a test workload that prints "ready PID" and waits for a line on
// stdin, under a capture started once its pid is known: scap-capture, or
// libs' modern_bpf through sinsp-example. The protocol of the workloads of
// syscalls.test.ts, ia32.test.ts and more-syscalls.test.ts
// (test/native/*-workload.c), and what their comparisons with modern_bpf
// share.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exitOf, SCAP_CAPTURE, waitForLine } from './capture-run.js';
import { SINSP_EXAMPLE, sinspEnv } from './sinsp-run.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { paramUint } from '../../scapfile/params/index.js';
import { EventType, PPM_SC_NAMES } from '../../scapfile/schema/index.js';

/** libs' modern_bpf build (MODERN_BPF=1 ../shared/tools/reference/build.sh) and the shim it needs to load. */
export const MODERN_DIR = join(dirname(dirname(dirname(SINSP_EXAMPLE))), '..', 'build-modern');
export const MODERN_SINSP = join(MODERN_DIR, 'libsinsp', 'examples', 'sinsp-example');
export const MEMLOCK_SHIM = join(MODERN_DIR, '..', 'compat', 'memlock_shim.so');

/** A workload to run: `command args`, which prints "ready PID" and waits for a line on stdin. */
export interface Workload {
  command: string;
  args: readonly string[];
  /** Its working directory (the test's own when not given). */
  cwd?: string;
  /** Its ready line, the pid in the first group; /ready (\d+)\n/ when not given. */
  readyLine?: RegExp;
  /** A line it prints once let go, waited for until it exits (WorkloadRun.line). */
  runLine?: RegExp;
}

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
  /** The workload's ready line, and its `runLine` where it has one, as matched. */
  ready: RegExpExecArray;
  line?: RegExpExecArray;
}

/**
 * Starts the workload; once it prints its ready line, starts
 * `startCapture(pid)`; once the capture is `ready`, lets the workload run
 * and waits for it to exit. The capture is left running (stop it, then wait).
 */
export async function runWorkload(workload: Workload, startCapture: (pid: number) => ChildProcess, ready: Ready): Promise<WorkloadRun> {
  const { command, args, cwd } = workload;
  const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], cwd });
  let capture: ChildProcess | undefined;
  try {
    const m = await waitForLine(proc, 'stdout', workload.readyLine ?? /ready (\d+)\n/, command);
    const pid = Number(m[1]);
    capture = startCapture(pid);
    await waitForLine(capture, ready.stream, ready.re, 'the capture');
    if (ready.settleMs) await new Promise((r) => setTimeout(r, ready.settleMs));
    const runLine = workload.runLine && waitForLine(proc, 'stdout', workload.runLine, command);
    proc.stdin!.end('go\n');
    const exit = await exitOf(proc);
    const line = await runLine;
    // The last events (procexit) are still in the rings: give the consumer a poll round.
    await new Promise((r) => setTimeout(r, 500));
    return { pid, exit, capture, ready: m, line };
  } catch (err) {
    if (capture && capture.exitCode === null) capture.kill('SIGKILL');
    throw err;
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
}

/**
 * The workload under scap-capture, by pid, writing `file` (with `extra`
 * options); throws when scap-capture fails. The run and scap-capture's stderr.
 */
export async function runUnderScapCapture(workload: Workload, file: string, extra: readonly string[] = []): Promise<{ run: WorkloadRun; stderr: string }> {
  let stderr = '';
  const run = await runWorkload(workload, (pid) => {
    const p = spawn(SCAP_CAPTURE, ['-w', file, '--pid', String(pid), '-M', '60', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr!.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    return p;
  }, { stream: 'stderr', re: /capturing to / });
  run.capture.kill('SIGINT');
  const code = await exitOf(run.capture);
  if (code !== 0) throw new Error(`scap-capture failed (exit ${code}); set SCAPKIT_NO_BPF=1 where the driver cannot load:\n${stderr}`);
  return { run, stderr };
}

/** The workload's process and its children, as a sinsp filter. */
export const processFilter = (pid: number): string => `proc.pid=${pid} or proc.ppid=${pid}`;
/** The workload's process, its children and its threads, as a sinsp filter. */
export const workloadFilter = (pid: number): string => `${processFilter(pid)} or thread.tid=${pid}`;

/**
 * libs' modern_bpf, live, on the events `filter(pid)` selects (the
 * workload's process and its children unless told otherwise): the run and
 * sinsp-example's output in `format`.
 */
export async function runUnderModernBpf(workload: Workload, format: string,
  filter: (pid: number) => string = processFilter): Promise<{ run: WorkloadRun; out: string }> {
  let out = '';
  const run = await runWorkload(workload, (pid) => {
    const p = spawn(MODERN_SINSP, ['-m', '-a', '-f', filter(pid), '-o', format], {
      stdio: ['ignore', 'pipe', 'ignore'], env: { ...sinspEnv(), LD_PRELOAD: MEMLOCK_SHIM },
    });
    p.stdout!.on('data', (c: Buffer) => { out += c.toString('latin1'); });
    return p;
    // It says it starts before its programs are attached: events of the
    // next moment can be missed (0 events in 3 of 4 runs without a pause).
  }, { stream: 'stdout', re: /-- Start capture/, settleMs: 1500 });
  // 'close', not 'exit': its last lines may still be in the pipe when it exits.
  const closed = new Promise((r) => run.capture.once('close', r));
  run.capture.kill('SIGINT');
  await closed;
  return { run, out };
}

/**
 * The event types in the capture at `path`, and the syscalls (by their
 * ppm_sc name) that came out as the generic event.
 */
export async function eventTypesIn(path: string): Promise<{ types: Set<number>; generic: Set<string> }> {
  const cap = await openCapture(path);
  const cur = new EventCursor();
  const types = new Set<number>();
  const generic = new Set<string>();
  for await (const batch of cap) {
    for (let i = 0; i < batch.count; i++) {
      cur.moveTo(batch, i);
      types.add(cur.type);
      if (cur.type === EventType.GENERIC_X) generic.add(PPM_SC_NAMES[paramUint(cur, 0)] ?? `ppm_sc ${paramUint(cur, 0)}`);
    }
  }
  return { types, generic };
}

/**
 * What differs between two runs of a workload by nature, in a line of
 * sinsp-example: inode numbers, the numbers of pipe:[N] and the like, and
 * kernel and user addresses, replaced by a placeholder.
 */
export function maskRunDependent(line: string): string {
  return line
    .replace(/ino=\d+/g, 'ino=N')
    .replace(/:\[\d+\]/g, ':[N]')
    .replace(/\b[0-9A-Fa-f]{10,16}\b/g, 'ADDR');
}

/** Where the environment variable `envVar` names a directory: both sides of a comparison written there, for a diff by hand. */
export function keepForDiff(envVar: string, expected: readonly string[], actual: readonly string[]): void {
  const keep = process.env[envVar];
  if (!keep) return;
  writeFileSync(join(keep, 'modern.txt'), `${expected.join('\n')}\n`);
  writeFileSync(join(keep, 'ours.txt'), `${actual.join('\n')}\n`);
}
