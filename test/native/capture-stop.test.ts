// scap-capture stops cleanly: SIGINT, SIGTERM and SIGHUP, and a full disk,
// each leave a file that scapkit reads to its end without a warning and that
// the reference sinsp-example (when built) reads with the same event count.
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCaptureTest, readCaptureFile, SCAP_CAPTURE } from './capture-run.js';
import { SINSP_EXAMPLE, sinspRun } from './sinsp-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-stop.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

/**
 * Runs scap-capture with `args`; once it prints that it captures, calls
 * `onReady` and sends `signal` (if any) `afterMs` later.
 */
function runCapture(args: string[], signal?: NodeJS.Signals, afterMs = 300, onReady?: () => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(SCAP_CAPTURE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (!sent && stderr.includes('capturing to ')) {
        sent = true;
        onReady?.();
        if (signal) setTimeout(() => p.kill(signal), afterMs);
      }
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(NO_BPF)('scap-capture leaves a readable file however it stops', () => {
  let dir: string;
  beforeAll(() => {
    dir = prepareCaptureTest('capture-stop.test');
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`stops on ${signal} with exit code 0 and a whole file`, async () => {
      const file = join(dir, `${signal}.scap`);
      const r = await runCapture(['-w', file, '-M', '60'], signal);
      expect(r.code, r.stderr).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const got = await readCaptureFile(file);
      expect(got.warnings).toBe(0);
      expect(got.events).toBeGreaterThan(0);
      expect(r.stderr).toContain(`${got.events} events`);
      if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(file).retrieved).toBe(got.events);
    });
  }

  it('stops after -n events as soon as they are written, even when the ring holds little', async () => {
    const file = join(dir, 'count.scap');
    // A quiet machine may make fewer than 50 syscalls in a minute: make some.
    const load = (): void => { spawn('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=2000'], { stdio: 'ignore' }); };
    const t0 = Date.now();
    const r = await runCapture(['-w', file, '-n', '50', '-M', '60'], undefined, 0, load);
    // Records are submitted without a wakeup until a megabyte waits: the
    // consumer must drain on its poll timeout, not wait for that megabyte.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code, r.stderr).toBe(0);
    expect((await readCaptureFile(file)).events).toBe(50);
  });

  it('stops on a full disk with a clear message, exit code 1 and the whole blocks written so far', async () => {
    const mnt = join(dir, 'small-fs');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
    if (mount.status !== 0) {
      console.warn(`capture-stop.test: cannot mount a small tmpfs (${mount.stderr.toString().trim()}); disk-full case not run`);
      return;
    }
    try {
      const file = join(mnt, 'full.scap');
      // 2 MiB fill in a moment with a dd doing a million one-byte reads and writes.
      const load = (): void => { spawn('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=1000000'], { stdio: 'ignore' }); };
      const r = await runCapture(['-w', file, '-M', '60'], undefined, 0, load);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/No space left on device; the file ends at the last whole block/);
      const got = await readCaptureFile(file);
      expect(got.warnings).toBe(0);
      expect(got.events).toBeGreaterThan(0);
      if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(file).retrieved).toBe(got.events);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
