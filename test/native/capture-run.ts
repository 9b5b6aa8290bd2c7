// Running scap-capture and the test workload (test/native/workload.c) for
// the native capture tests. The binaries are built by native/capture/Makefile
// into build/ (npm run build:native); `ensureNativeBuild` builds them when
// they are missing.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';
import { openCapture } from '../../scapfile/open-capture.js';

export const SCAP_CAPTURE = join(ROOT, 'build', 'scap-capture');
export const WORKLOAD = join(ROOT, 'build', 'capture-workload');
/** What the workload writes to its file (KNOWN_BYTES in workload.c). */
export const KNOWN_BYTES = 'scapkit known bytes\n';

/**
 * The set-up of a test file that loads the driver: it must run as root (the
 * tests fail, not skip, unless SCAPKIT_NO_BPF=1 is set on purpose), with the
 * native build up to date; returns a fresh directory for its files.
 */
export function prepareCaptureTest(name: string): string {
  if (process.getuid?.() !== 0) throw new Error(`${name}: needs root to load the eBPF driver (or set SCAPKIT_NO_BPF=1 to skip)`);
  ensureNativeBuild();
  return mkdtempSync(join(tmpdir(), `scapkit-${name.replace(/\.test$/, '')}-`));
}

/** Brings the driver, scap-capture and the workload up to date (make); throws with make's output. */
export function ensureNativeBuild(): void {
  try {
    execFileSync('make', ['-C', join(ROOT, 'native', 'capture')], { stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`building native/capture failed (npm run build:native):\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
  if (!existsSync(SCAP_CAPTURE) || !existsSync(WORKLOAD)) throw new Error(`make did not produce ${SCAP_CAPTURE} and ${WORKLOAD}`);
}

/** Resolves with the first stderr/stdout line matching `re`, or rejects when the process exits first. */
export function waitForLine(proc: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const m = re.exec(text);
      if (m) {
        proc[stream]!.off('data', onData);
        resolve(m);
      }
    };
    proc[stream]!.on('data', onData);
    proc[stream]!.once('close', () => reject(new Error(`${what} closed its ${stream} (exit ${proc.exitCode}) before printing ${re}: ${text}`)));
  });
}

export function exitOf(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

/** What one run of the workload under scap-capture produced. */
export interface WorkloadRun {
  capturePath: string;
  filePath: string;
  port: number;
  /** The client port of the workload's connection, as the server saw it. */
  clientPort: number;
  workloadPid: number;
  childPid: number;
  /** The child that ran /bin/true from a memfd, and the one that ran it as nobody. */
  memfdPid: number;
  nobodyPid: number;
  workloadExit: number | null;
  captureExit: number | null;
  captureStderr: string;
}

/**
 * Starts the workload (it waits), captures it by pid with scap-capture,
 * lets it run, then stops the capture with SIGINT.
 */
export async function captureWorkload(dir: string): Promise<WorkloadRun> {
  const capturePath = join(dir, 'workload.scap');
  const filePath = join(dir, 'known-file.txt');
  let clientPort = -1;
  const server: Server = createServer((s: Socket) => { clientPort = s.remotePort ?? -1; s.end(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const workload = spawn(WORKLOAD, [filePath, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let capture: ChildProcess | undefined;
  try {
    const ready = await waitForLine(workload, 'stdout', /ready (\d+)\n/, 'capture-workload');
    const workloadPid = Number(ready[1]);
    capture = spawn(SCAP_CAPTURE, ['-w', capturePath, '--pid', String(workloadPid), '-M', '60'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let captureStderr = '';
    capture.stderr!.on('data', (c: Buffer) => { captureStderr += c.toString('utf8'); });
    await waitForLine(capture, 'stderr', /capturing to /, 'scap-capture');
    const childLine = waitForLine(workload, 'stdout', /child (\d+) memfd (\d+) nobody (\d+)\n/, 'capture-workload');
    workload.stdin!.end('go\n');
    const workloadExit = await exitOf(workload);
    const [, childPid, memfdPid, nobodyPid] = (await childLine).map(Number) as [number, number, number, number];
    // The last events (procexit) are in the ring: give the consumer a poll round.
    await new Promise((r) => setTimeout(r, 300));
    capture.kill('SIGINT');
    const captureExit = await exitOf(capture);
    return { capturePath, filePath, port, clientPort, workloadPid, childPid, memfdPid, nobodyPid, workloadExit, captureExit, captureStderr };
  } finally {
    if (workload.exitCode === null) workload.kill('SIGKILL');
    if (capture && capture.exitCode === null) capture.kill('SIGKILL');
    server.close();
  }
}

/** How a scap-capture run ended. */
export interface CaptureExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  pid: number;
}

/**
 * Runs `command args` (scap-capture unless told otherwise); once it prints
 * that it captures, calls `onReady` and sends `signal` (if any) `afterMs`
 * later, or, with `when`, as soon as `when()` holds (polled every 50 ms):
 * a loaded machine may need longer than any fixed delay.
 */
export function runCaptureUntil(
  args: string[],
  opts: { signal?: NodeJS.Signals; afterMs?: number; when?: () => boolean; onReady?: (pid: number) => void; command?: string[] } = {},
): Promise<CaptureExit> {
  return new Promise((resolve, reject) => {
    const [cmd, ...pre] = opts.command ?? [SCAP_CAPTURE];
    const p = spawn(cmd!, [...pre, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    p.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (!sent && stderr.includes('capturing to ')) {
        sent = true;
        opts.onReady?.(p.pid!);
        if (opts.signal && opts.when) {
          const poll = setInterval(() => { if (opts.when!()) { clearInterval(poll); p.kill(opts.signal); } }, 50);
          p.once('close', () => clearInterval(poll));
        } else if (opts.signal) setTimeout(() => p.kill(opts.signal), opts.afterMs ?? 300);
      }
    });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stderr, pid: p.pid! }));
  });
}

/**
 * A light load that lasts until killed: a shell starting `sleep` twenty times
 * a second. For tests that need events in every second: CI machines can be
 * idle enough that a period passes with no event at all.
 */
export function startSteadyLoad(): ChildProcess {
  return spawn('sh', ['-c', 'while :; do sleep 0.05; done'], { stdio: 'ignore' });
}

/** Starts `dd` doing `count` one-byte reads and writes: a steady stream of syscalls. */
export function startLoad(count: number): ChildProcess {
  return spawn('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${count}`], { stdio: 'ignore' });
}

/**
 * A steady load of about 100k read syscalls a second (6 MB/s of events):
 * bursts of 300 one-byte reads of /dev/zero, 2 ms apart, until killed. Far
 * below what a drain keeps up with, far above what small rings hold over a
 * stall of a tenth of a second. Capture it by its pid (--pid), so that the
 * events of test files running beside it do not count.
 */
const READ_LOAD = `const fs = require('fs'); const fd = fs.openSync('/dev/zero', 'r'); const b = Buffer.alloc(1);
const w = new Int32Array(new SharedArrayBuffer(4));
for (;;) { for (let i = 0; i < 300; i++) fs.readSync(fd, b, 0, 1, null); Atomics.wait(w, 0, 0, 2); }`;

/** Starts the steady read load and gives it 300 ms to get going. */
export async function startReadLoad(): Promise<ChildProcess> {
  const load = spawn(process.execPath, ['-e', READ_LOAD], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return load;
}

/** The figures of scap-capture's summary line and ready line. */
export function captureSummary(stderr: string): { events: number; drops: number; files: number; threads: number } {
  const m = /(\d+) events, (\d+) drops, \d+ bytes written in (\d+) files?/.exec(stderr);
  const t = /\((\d+) threads, \d+ fds in the initial state/.exec(stderr);
  if (!m || !t) throw new Error(`no summary or ready line in scap-capture's output:\n${stderr}`);
  return { events: Number(m[1]), drops: Number(m[2]), files: Number(m[3]), threads: Number(t[1]) };
}

/**
 * Reads a capture through: its events, warnings, initial-state threads, and
 * whether that state is whole (machine info, threads, fds, users, interfaces).
 */
export async function readCaptureFile(file: string): Promise<{ events: number; warnings: number; threads: number; fullState: boolean }> {
  const cap = await openCapture(file);
  let events = 0;
  for await (const b of cap) events += b.count;
  const { machine, threads, fds, users, interfaces } = cap.info;
  const fullState = machine !== undefined && threads.length > 1 && fds.length > 0 && users.length > 0 && interfaces.length > 0;
  return { events, warnings: cap.warnings.length, threads: threads.length, fullState };
}

/** The events count of scap-capture's summary line (-1 when there is none); it needs no ready line. */
export const eventsLine = (stderr: string): number => Number(/(\d+) events, \d+ drops/.exec(stderr)?.[1] ?? -1);
