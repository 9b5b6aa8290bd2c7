// scap-capture and live() on a host with thousands of processes: the /proc
// scan of each file's initial state takes a while (about 0.3 ms a thread),
// and the rings must keep being drained meanwhile. Drained on the same
// thread, a host with 4,000 processes under load dropped 2.6 M events at the
// start and 4.1 M of 6 M with -C 50 (scap live: 3 M in a 2 s capture); the
// scan now runs beside the draining, whose events are held and come after
// the state. The tests fail without that (tens of thousands of drops here).
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { live } from '../../live/index.js';
import { ensureAddonBuild } from '../live/live-run.js';
import { captureSummary, prepareCaptureTest, readCaptureFile, runCaptureUntil, startReadLoad } from './capture-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-scan.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

// Few enough not to weigh much on the captures of test files running beside
// this one (each scans them too), enough for a scan far longer than what
// the rings below hold of the load.
const SLEEPERS = 600;
/** 256 KiB rings: about 40 ms of the steady read load (startReadLoad), a fifth of the scan of 600 processes. */
const RING_BYTES = 256 << 10;
const RING_ARGS = ['--ring-bytes', String(RING_BYTES)];
// Each capture keeps the load's events only (--pid, filtered in the kernel):
// other test files run beside this one, and a machine-wide capture with small
// rings also took their dd's bursts (2,117 drops in a full run).

/** Processes whose parent is `ppid`. */
function childrenOf(ppid: number): number {
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) n++;
    } catch { /* gone meanwhile */ }
  }
  return n;
}

/** `n` sleeping processes under one shell (its own process group, killed as one). */
async function startSleepers(n: number): Promise<ChildProcess> {
  const sh = spawn('bash', ['-c', `for i in $(seq ${n}); do sleep 300 & done; wait`], { stdio: 'ignore', detached: true });
  const t0 = Date.now();
  while (childrenOf(sh.pid!) < n) {
    if (Date.now() - t0 > 60_000) throw new Error('the sleepers did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return sh;
}

describe.skipIf(NO_BPF)('scap-capture on a host with thousands of processes', () => {
  let dir: string;
  let sleepers: ChildProcess | undefined;
  let load: ChildProcess | undefined;
  beforeAll(async () => {
    dir = prepareCaptureTest('capture-scan.test');
    sleepers = await startSleepers(SLEEPERS);
  }, 90_000);
  afterEach(() => { load?.kill('SIGKILL'); load = undefined; });
  afterAll(() => {
    if (sleepers?.pid) try { process.kill(-sleepers.pid, 'SIGKILL'); } catch { /* gone */ }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const startLoad = async (): Promise<void> => { load = await startReadLoad(); };

  it('drains the rings while the initial state is scanned: no drops', async () => {
    await startLoad();
    const file = join(dir, 'start.scap');
    const r = await runCaptureUntil(['-w', file, ...RING_ARGS, '--pid', String(load!.pid), '-M', '60'], { signal: 'SIGINT', afterMs: 500 });
    expect(r.code, r.stderr).toBe(0);
    const s = captureSummary(r.stderr);
    expect(s.threads).toBeGreaterThan(SLEEPERS);
    expect(s.drops, r.stderr).toBe(0);
    const got = await readCaptureFile(file);
    expect(got.warnings).toBe(0);
    expect(got.threads).toBe(s.threads);
    expect(got.events).toBe(s.events);
    // What came during the scan is in the file: the load's rate over more than the scan.
    expect(s.events).toBeGreaterThan(20_000);
  }, 120_000);

  it('live(): the consumer drains the rings while the state is scanned: no drops', async () => {
    ensureAddonBuild();
    await startLoad();
    const src = live({ ringBytes: RING_BYTES, pid: load!.pid!, stopOnSignals: false });
    try {
      const info = await src.open();
      expect(info.threads.length).toBeGreaterThan(SLEEPERS);
      let events = 0;
      const t0 = Date.now();
      let s = src.stats();
      for await (const batch of src) {
        events += batch.count;
        // Read before the break, which stops the capture (what it had not
        // handed out yet then counts as discarded).
        s = src.stats();
        if (Date.now() - t0 > 500) break;
      }
      // Without the hold a third or more of them dropped. With
      // it, 0 on a quiet machine; beside a full-speed dd (other test files)
      // the JS consumer, the load and the scan share one core, and a few
      // thousand could drop after the scan, as for any slow consumer.
      expect(s.drops).toBeLessThanOrEqual(events / 100);
      expect(s.discarded).toBe(0);
      // The load's rate over the scan and the half second after it.
      expect(events).toBeGreaterThan(20_000);
    } finally {
      await src.close();
    }
  }, 120_000);

  it('drains the rings while each rotated file\'s state is scanned: no drops, every file whole', async () => {
    await startLoad();
    const base = join(dir, 'rot.scap');
    const r = await runCaptureUntil(['-w', base, ...RING_ARGS, '--pid', String(load!.pid), '-C', '1', '-M', '60'], { signal: 'SIGINT', afterMs: 3000 });
    expect(r.code, r.stderr).toBe(0);
    const s = captureSummary(r.stderr);
    expect(s.drops, r.stderr).toBe(0);
    const files = readdirSync(dir).filter((f) => f.startsWith('rot.scap')).sort();
    expect(files.length).toBeGreaterThan(2);
    let events = 0;
    for (const f of files) {
      const got = await readCaptureFile(join(dir, f));
      expect(got.warnings, f).toBe(0);
      expect(got.threads, f).toBeGreaterThan(SLEEPERS);
      events += got.events;
    }
    expect(events).toBe(s.events);
  }, 120_000);
});
