// scap-capture on a machine whose CPUs all make events: the driver writes
// each CPU's events into that CPU's ring, and the capture merges the rings
// by timestamp, as libsinsp expects of a file (it replays state in file
// order). Two dd processes pinned to CPU 0 and CPU 1 run at full speed
// during the capture; the file must hold events of both CPUs in
// non-decreasing timestamp order, and --stats counts drops per CPU.
// With one ring shared by all CPUs, records came out in reserve order,
// which is not timestamp order when two CPUs race (#5).
// Skipped with SCAPKIT_NO_BPF=1 or on a machine with one CPU.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { exitOf, prepareCaptureTest, runCaptureUntil, type CaptureExit } from './capture-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
const ONE_CPU = availableParallelism() < 2;
if (NO_BPF) console.warn('capture-percpu.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');
if (ONE_CPU) console.warn('capture-percpu.test: one CPU: skipping (needs two CPUs making events at once).');

/** CPU numbers the kernel may ever use, from /sys (e.g. "0-3" or "0,2-5"): one ring each. */
function possibleCpus(): number {
  let n = 0;
  for (const part of readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    n += (b ?? a!) - a! + 1;
  }
  return n;
}

/** `dd bs=1` pinned to one CPU: two syscalls per byte, all on that CPU. */
function pinnedDd(cpu: number, count: number): ChildProcess {
  return spawn('taskset', ['-c', String(cpu), 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${count}`], { stdio: 'ignore' });
}

describe.skipIf(NO_BPF || ONE_CPU)('scap-capture merges the per-CPU rings by timestamp', () => {
  let dir: string;
  let run: CaptureExit;
  let file: string;
  const ddPids: number[] = [];
  let events = 0;
  let outOfOrder = 0;
  let firstOutOfOrder = '';
  const ddEventsByCpu = new Map<number, number>();

  beforeAll(async () => {
    dir = prepareCaptureTest('capture-percpu.test');
    file = join(dir, 'percpu.scap');
    const dds: ChildProcess[] = [];
    let ddDone = false;
    run = await runCaptureUntil(['-w', file, '--stats', '-M', '60'], {
      signal: 'SIGINT',
      when: () => ddDone,
      onReady: () => {
        for (const cpu of [0, 1]) dds.push(pinnedDd(cpu, 150_000));
        ddPids.push(...dds.map((d) => d.pid!));
        // One more stats second after the load, then stop.
        void Promise.all(dds.map(exitOf)).then(() => setTimeout(() => { ddDone = true; }, 1200));
      },
    });
    const cap = await openCapture(file);
    const cur = new EventCursor();
    let prev = 0n;
    for await (const batch of cap) {
      for (let i = 0; i < batch.count; i++) {
        cur.moveTo(batch, i);
        const ts = cur.tsNs;
        events++;
        if (ts < prev) {
          if (!outOfOrder) firstOutOfOrder = `event ${events - 1} (cpu ${cur.cpu}, tid ${cur.tid}) at ${ts} after ${prev}`;
          outOfOrder++;
        } else prev = ts;
        if (ddPids.includes(cur.tid)) ddEventsByCpu.set(cur.cpu, (ddEventsByCpu.get(cur.cpu) ?? 0) + 1);
      }
    }
  }, 120_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('holds the events of both CPUs in non-decreasing timestamp order', () => {
    expect(run.code, run.stderr).toBe(0);
    // Each dd makes 300,000 syscalls on its CPU. Both CPUs are saturated and
    // the consumer competes with them, so a slow machine may drop some
    // (counted, see below): ordering is what this test is about.
    expect(ddEventsByCpu.get(0) ?? 0).toBeGreaterThanOrEqual(100_000);
    expect(ddEventsByCpu.get(1) ?? 0).toBeGreaterThanOrEqual(100_000);
    expect({ outOfOrder, firstOutOfOrder }).toEqual({ outOfOrder: 0, firstOutOfOrder: '' });
  });

  it('--stats reports the drops of each possible CPU, adding up to the total', () => {
    const lines = run.stderr.split('\n').filter((l) => l.includes('stats:'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const l of lines) {
      const m = /(\d+) drops, .* \(drops per CPU:((?: \d+)+)\)$/.exec(l);
      expect(m, l).not.toBeNull();
      const perCpu = m![2]!.trim().split(' ').map(Number);
      expect(perCpu).toHaveLength(possibleCpus());
      expect(perCpu.reduce((a, b) => a + b, 0)).toBe(Number(m![1]));
    }
  });

  it('ends with a summary that gives the drops of each possible CPU too', () => {
    const m = /(\d+) drops, \d+ bytes written in \d+ files?, peak RSS \d+ KiB \(drops per CPU:((?: \d+)+)\)$/m.exec(run.stderr);
    expect(m, run.stderr).not.toBeNull();
    const perCpu = m![2]!.trim().split(' ').map(Number);
    expect(perCpu).toHaveLength(possibleCpus());
    expect(perCpu.reduce((a, b) => a + b, 0)).toBe(Number(m![1]));
  });
});
