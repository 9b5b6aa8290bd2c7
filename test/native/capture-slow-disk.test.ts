// scap-capture on a slow disk: fsync and write(2) are made to wait
// (test/native/slow-io.c, preloaded), as a busy or slow disk makes them.
// The thread that drains the rings must not wait with them: each file's
// buffers are compressed and written by a thread of their own, a rotated
// file is finished by its thread while the next one fills, and fsynced and
// closed by another. Before, a 300 ms fsync at each rotation dropped 362,609
// of 508,568 events of the load below on 256 KiB rings, and a 100 ms write
// 82,210 of 475,650 without rotation (146,617 of 498,000 with -C 1 once
// only the rotation waited for the writes of the file it closed).
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import type { ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { captureSummary, prepareCaptureTest, readCaptureFile, runCaptureUntil, SCAP_CAPTURE, startReadLoad } from './capture-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-slow-disk.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

const SLOW_IO = join(ROOT, 'build', 'capture-slow-io.so');
/** 256 KiB rings: about 40 ms of the steady read load, far less than one delayed call. */
const RING_ARGS = ['--ring-bytes', String(256 << 10)];

describe.skipIf(NO_BPF)('scap-capture on a slow disk', () => {
  let dir: string;
  let load: ChildProcess | undefined;
  beforeAll(() => { dir = prepareCaptureTest('capture-slow-disk.test'); });
  afterEach(() => { load?.kill('SIGKILL'); load = undefined; });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  /** Captures the steady read load for `ms` under the delays in `env`; every file must read whole. */
  async function captureSlowly(name: string, env: Record<string, string>, args: string[], ms: number) {
    load = await startReadLoad();
    const base = join(dir, name);
    const vars = Object.entries({ LD_PRELOAD: SLOW_IO, ...env }).map(([k, v]) => `${k}=${v}`);
    const r = await runCaptureUntil(['-w', base, ...RING_ARGS, '--pid', String(load.pid), '-M', '60', ...args], {
      command: ['env', ...vars, SCAP_CAPTURE], signal: 'SIGINT', afterMs: ms,
    });
    expect(r.code, r.stderr).toBe(0);
    const s = captureSummary(r.stderr);
    const names = readdirSync(dir).filter((f) => f.startsWith(name)).sort();
    expect(names.length).toBe(s.files);
    let events = 0;
    for (const f of names) {
      const got = await readCaptureFile(join(dir, f));
      expect(got.warnings, f).toBe(0);
      expect(got.threads, f).toBeGreaterThan(1);
      events += got.events;
    }
    expect(events).toBe(s.events);
    return s;
  }

  // About 7 MB of events with -C 1: several rotations, each delay longer than the rings last.
  for (const [what, env] of [['fsync (300 ms each)', { SLOW_IO_FSYNC_MS: '300' }], ['writes (100 ms a write)', { SLOW_IO_WRITE_MS: '100' }]] as const) {
    it(`a rotation does not wait for the ${what} of the file it closes: no drops`, async () => {
      const s = await captureSlowly(`rot-${Object.keys(env)[0]}.scap`, env, ['-C', '1'], 3000);
      expect(s.files).toBeGreaterThan(3);
      expect(s.drops).toBe(0);
      expect(s.events).toBeGreaterThan(100_000);
    }, 60_000);
  }

  for (const compress of [[], ['-z']]) {
    it(`writes${compress.length ? ' and compression' : ''} do not hold up the draining (100 ms a write): no drops`, async () => {
      const s = await captureSlowly(`write${compress.join('')}.scap`, { SLOW_IO_WRITE_MS: '100' }, compress, 3000);
      expect(s.files).toBe(1);
      expect(s.drops).toBe(0);
      expect(s.events).toBeGreaterThan(100_000);
    }, 60_000);
  }
});
