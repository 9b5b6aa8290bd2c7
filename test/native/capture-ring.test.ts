// The driver's rings wrap: each CPU's ring is a fixed array that the driver
// writes records into at head & (size - 1), a record that starts near the
// end running on into a slack after it (driver/scap_driver.h), and
// scap-capture reads them in place (native/capture/rings.c). With a 64 KiB
// ring, a workload of 3000 writes of 1 to 300 known bytes each (about
// 0.6 MB of records) wraps it some ten times with records of every length;
// every write must come back whole and in order, its data byte for byte.
// Skipped with SCAPKIT_NO_BPF=1.

import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { paramBytes, paramInt } from '../../scapfile/params/index.js';
import { EventType, paramIndex } from '../../scapfile/schema/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { exitOf, prepareCaptureTest, runCaptureUntil, startLoad, waitForLine } from './capture-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-ring.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

const RING_WRITES = join(ROOT, 'build', 'capture-ring-writes');
const WRITES = 3000;
const RING_BYTES = 64 << 10;
/**
 * Milliseconds between a capture's first event and its ready line when the
 * rings are read from their start: at least the /proc scan (32-35 ms on
 * this machine kind; 0.8-0.9 ms when they were read from the driver's head).
 */
const SCAN_MS_AT_LEAST = 5;

/** What write i of ring-writes.c wrote. */
function expected(i: number): Buffer {
  const size = 1 + ((i * 37) % 300);
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (i + k) & 0xff;
  return b;
}

describe.skipIf(NO_BPF)('scap-capture reads records that wrap around a small ring', () => {
  let dir: string;
  let stderr = '';
  let code: number | null = null;
  const writes: { res: number; data: Buffer; size: number }[] = [];
  let recordBytes = 0;

  beforeAll(async () => {
    dir = prepareCaptureTest('capture-ring.test');
    const file = join(dir, 'ring.scap');
    const workload = spawn(RING_WRITES, [String(WRITES)], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const pid = Number((await waitForLine(workload, 'stdout', /ready (\d+)\n/, 'capture-ring-writes'))[1]);
      // Stopped a poll round after the workload ends: its last events are in the ring.
      let done = false;
      const workloadExit = exitOf(workload).then((c) => { setTimeout(() => { done = true; }, 300); return c; });
      const run = await runCaptureUntil(['-w', file, '--pid', String(pid), '--ring-bytes', String(RING_BYTES), '-s', '300', '-M', '60'], {
        signal: 'SIGINT', when: () => done, onReady: () => workload.stdin!.end('go\n'),
      });
      expect(await workloadExit).toBe(0);
      stderr = run.stderr;
      code = run.code;
    } finally {
      if (workload.exitCode === null) workload.kill('SIGKILL');
    }
    const cur = new EventCursor();
    const res = paramIndex('SYSCALL_WRITE_X', 'res');
    const data = paramIndex('SYSCALL_WRITE_X', 'data');
    const size = paramIndex('SYSCALL_WRITE_X', 'size');
    for await (const batch of await openCapture(file)) {
      for (let i = 0; i < batch.count; i++) {
        cur.moveTo(batch, i);
        recordBytes += 2 + cur.lenBytes;
        if (cur.type !== EventType.SYSCALL_WRITE_X) continue;
        writes.push({ res: paramInt(cur, res), data: Buffer.from(paramBytes(cur, data)), size: paramInt(cur, size) });
      }
    }
  }, 120_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('captures every write without a drop, after wrapping the ring many times', () => {
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/ 0 drops, /);
    expect(recordBytes).toBeGreaterThan(8 * RING_BYTES);
    expect(writes).toHaveLength(WRITES);
  });

  it('gives every write its result, size and data byte for byte, in order', () => {
    let bad = '';
    for (let i = 0; i < writes.length && !bad; i++) {
      const w = writes[i]!;
      const want = expected(i);
      if (w.res !== want.length || w.size !== want.length || !w.data.equals(want)) {
        bad = `write ${i}: res ${w.res} size ${w.size} data ${w.data.toString('hex')}, expected ${want.length} bytes ${want.toString('hex')}`;
      }
    }
    expect(bad).toBe('');
  });
});

// The driver is attached before the /proc scan that writes the initial state,
// so that nothing changes unseen in between; what it records meanwhile is in
// the rings before scap-capture maps them, and must be read from the start
// of each ring, not from where the driver had got to by then.
describe.skipIf(NO_BPF)('scap-capture keeps the events made while it scanned /proc', () => {
  let dir: string;

  beforeAll(() => { dir = prepareCaptureTest('capture-ring.test'); });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('holds events of a running dd from before it said it was capturing', async () => {
    const file = join(dir, 'scan.scap');
    const dd = startLoad(50_000_000);
    let readyAtNs = 0n;
    try {
      // dd runs before the driver is loaded, so it makes events all through the scan.
      await new Promise((r) => setTimeout(r, 200));
      const run = await runCaptureUntil(['-w', file, '--pid', String(dd.pid), '-M', '60'], {
        signal: 'SIGINT', afterMs: 300, onReady: () => { readyAtNs = BigInt(Date.now()) * 1_000_000n; },
      });
      expect(run.code, run.stderr).toBe(0);
    } finally {
      dd.kill('SIGKILL');
    }
    const cur = new EventCursor();
    let first: bigint | undefined;
    for await (const batch of await openCapture(file)) {
      for (let i = 0; i < batch.count && first === undefined; i++) {
        cur.moveTo(batch, i);
        if (cur.tid === dd.pid) first = cur.tsNs;
      }
      if (first !== undefined) break;
    }
    expect(first).toBeDefined();
    // Reading from where the driver had got to, the first event came after the
    // scan, less than a millisecond before the ready line; the scan itself takes
    // several (it reads every process's /proc files).
    expect(Number(readyAtNs - first!) / 1e6).toBeGreaterThan(SCAN_MS_AT_LEAST);
  });
});
