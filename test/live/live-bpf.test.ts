// `scap live` and live() with the real eBPF driver: a workload with known
// syscalls (test/native/workload.c) is printed with its exact parameters,
// `-w` records what `scap read` prints back identically, `--convert` makes
// the table `scap export` makes of that recording, and every BPF
// program and map is gone from the kernel after a SIGKILL of `scap live`
// and after a `break` out of for-await.
//
// Needs root and a kernel that loads the driver. Where that is impossible,
// set SCAPKIT_NO_BPF=1 to skip; otherwise a driver that does not load fails.

import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { live } from '../../live/index.js';
import { scap } from '../helpers/cli.js';
import { exitOf, waitForLine, WORKLOAD } from '../native/capture-run.js';
import { bpfObjectsHeldBy, bpfObjectsLoaded, ensureAddonBuild, startLive, stillLoaded } from './live-run.js';
import type { LiveProc } from './live-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('live-bpf.test: SCAPKIT_NO_BPF=1: skipping the live tests that load the eBPF driver.');

const FORMAT = '%evt.dir %evt.type %thread.tid %proc.name %evt.args';

function needRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('live-bpf.test: needs root to load the eBPF driver (or set SCAPKIT_NO_BPF=1 to skip)');
}

describe.skipIf(NO_BPF)('scap live prints and records a workload with the eBPF driver', () => {
  let dir: string;
  /** The workload's process name: a copy of the binary under a name no other test uses. */
  let comm: string;
  let exe: string;
  let filePath: string;
  let port: number;
  let clientPort = -1;
  let workloadPid: number;
  let childPid: number;
  /** The children that run /bin/true from a memfd and as nobody. */
  let otherChildren: number[] = [];
  let workloadExit: number | null;
  let printer: LiveProc;
  let recorder: LiveProc;
  let converter: LiveProc;
  let converterExit: number | null;
  let rotator: LiveProc;
  let rotatorExit: number | null;
  let arrowPath: string;
  let printerExit: number | null;
  let recorderExit: number | null;
  let recordPath: string;

  beforeAll(async () => {
    needRoot();
    ensureAddonBuild();
    dir = mkdtempSync(join(tmpdir(), 'scapkit-live-'));
    comm = `lwl-${process.pid}`;
    exe = join(dir, comm);
    copyFileSync(WORKLOAD, exe);
    filePath = join(dir, 'known-file.txt');
    recordPath = join(dir, 'recorded.scap');
    arrowPath = join(dir, 'live.arrow');
    const server = createServer((s: Socket) => { clientPort = s.remotePort ?? -1; s.end(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const workload = spawn(exe, [filePath, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      workloadPid = Number((await waitForLine(workload, 'stdout', /ready (\d+)\n/, comm))[1]);
      // One prints the whole system filtered by name, one records the workload's pid.
      [printer, recorder, converter, rotator] = await Promise.all([
        startLive(['-f', `proc.name=${comm}`, '-p', FORMAT]),
        startLive(['--pid', String(workloadPid), '-w', recordPath]),
        startLive(['--pid', String(workloadPid), '--convert', arrowPath]),
        startLive(['--pid', String(workloadPid), '-w', join(dir, 'rot.scap'), '-C', '0.004', '-W', '3']),
      ]);
      const childLine = waitForLine(workload, 'stdout', /child (\d+) memfd (\d+) nobody (\d+)\n/, comm);
      workload.stdin!.end('go\n');
      workloadExit = await exitOf(workload);
      [childPid, ...otherChildren] = (await childLine).slice(1).map(Number) as [number, number, number];
      // The last events (procexit) wait in the ring for the next poll round.
      await new Promise((r) => setTimeout(r, 500));
      printer.proc.kill('SIGINT');
      recorder.proc.kill('SIGINT');
      converter.proc.kill('SIGTERM');
      rotator.proc.kill('SIGINT');
      [printerExit, recorderExit, converterExit, rotatorExit] = await Promise.all(
        [exitOf(printer.proc), exitOf(recorder.proc), exitOf(converter.proc), exitOf(rotator.proc)]);
    } finally {
      if (workload.exitCode === null) workload.kill('SIGKILL');
      for (const p of [printer, recorder, converter, rotator]) if (p && p.proc.exitCode === null) p.proc.kill('SIGKILL');
      server.close();
    }
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('stops cleanly on SIGINT and reports no drops', () => {
    expect(workloadExit).toBe(3);
    expect(printerExit).toBe(0);
    expect(recorderExit).toBe(0);
    for (const p of [printer, recorder]) expect(p.stderr()).toMatch(/scap live: \d+ events, 0 drops, \d+ bytes.*\(stopped by SIGINT\)\n$/);
  });

  it('prints the workload syscalls with exact parameters (-f proc.name=…)', () => {
    const st = statSync(filePath);
    const dev = st.dev.toString(16).toUpperCase();
    const W = `${workloadPid} ${comm}`;
    const lines = printer.stdout().split('\n');
    const F = filePath;
    const tuple = `127.0.0.1:${clientPort}->127.0.0.1:${port}`;
    expect(lines).toContain(`< openat ${W} fd=3(<f>${F}) dirfd=-100(AT_FDCWD) name=${F} flags=16646(O_TRUNC|O_CREAT|O_WRONLY|O_F_CREATED) mode=0640 dev=${dev} ino=${st.ino}`);
    expect(lines).toContain(`< write ${W} res=20 data=scapkit known bytes. fd=3(<f>${F}) size=20`);
    expect(lines).toContain(`< open ${W} fd=3(<f>${F}) name=${F} flags=1(O_RDONLY) mode=0 dev=${dev} ino=${st.ino}`);
    expect(lines).toContain(`< read ${W} res=20 data=scapkit known bytes. fd=3(<f>${F}) size=64`);
    expect(lines).toContain(`< connect ${W} res=0 tuple=${tuple} fd=3(<4t>${tuple}) addr=127.0.0.1:${port}`);
    expect(lines.filter((l) => l.startsWith(`< clone ${W} res=${childPid}(${comm}) exe=${exe} args=${F}.${port}. `))).toHaveLength(1);
    expect(lines).toContain(`> procexit ${W} status=768 ret=3 sig=0 core=0 reaper_tid=0`);
    // Only the workload and its children before they exec: the filter ran on every event.
    const ours = [workloadPid, childPid, ...otherChildren].map((pid) => ` ${pid} ${comm} `);
    expect(lines.filter((l) => l !== '' && !ours.some((o) => l.includes(o)))).toEqual([]);
  });

  it('-w writes a capture that scap read prints with the same events', () => {
    const r = scap(['read', recordPath, '-f', `proc.name=${comm}`, '-p', FORMAT, '--strict']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(12);
    expect(r.stdout).toBe(printer.stdout());
    // The recording has the state of the workload from before it started.
    const info = scap(['info', recordPath]);
    expect(info.status).toBe(0);
    expect(recorder.stderr()).toMatch(/(\d+) events written to /);
  });

  it('-w with -C and -W rotates files that each read on their own', () => {
    expect(rotatorExit).toBe(0);
    const m = /written to (\d+) files: (.*) \(stopped by SIGINT\)\n$/.exec(rotator.stderr());
    expect(m, rotator.stderr()).not.toBeNull();
    const files = m![2]!.split(', ');
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.length).toBeLessThanOrEqual(3);
    let last = '';
    for (const f of files) {
      const r = scap(['read', f, '-p', FORMAT, '--strict']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      last = r.stdout;
    }
    // The newest file ends with the workload's exit, named from its own state blocks.
    expect(last).toContain(`> procexit ${workloadPid} ${comm} status=768 ret=3`);
  });

  it('--convert writes the table scap export makes of the same events', () => {
    expect(converterExit).toBe(0);
    expect(converter.stderr()).toMatch(/\d+ events written to .*\(stopped by SIGTERM\)\n$/);
    const exported = join(dir, 'exported.arrow');
    expect(scap(['export', recordPath, '-o', exported]).status).toBe(0);
    const live = tableFromIPC(readFileSync(arrowPath));
    const file = tableFromIPC(readFileSync(exported));
    expect(live.numRows).toBeGreaterThan(12);
    const rows = (t: typeof live): string[] => t.toArray().map((r: Record<string, unknown>) =>
      `${String(r.type)} ${String(r.dir)} ${String(r.tid)} ${String(r.proc_name)} ${String(r.fd_name)} ${String(r.res)}`);
    expect(rows(live)).toEqual(rows(file));
  });
});

describe.skipIf(NO_BPF)('a live capture leaves nothing in the kernel when it ends early', () => {
  beforeAll(() => { needRoot(); ensureAddonBuild(); });

  it('SIGKILL of scap live mid-stream: every program and map it held is gone', async () => {
    const p = await startLive(['-f', 'proc.name=nothing-is-called-this', '--stats']);
    try {
      await waitForLine(p.proc, 'stderr', /scap live: \d+ events/, 'scap live --stats');
      const held = bpfObjectsHeldBy(p.proc.pid!);
      expect(held.progs.size).toBeGreaterThanOrEqual(10);
      expect(held.maps.size).toBeGreaterThanOrEqual(3);
      const loaded = bpfObjectsLoaded();
      expect([...held.progs].every((id) => loaded.progs.has(id))).toBe(true);
      p.proc.kill('SIGKILL');
      expect(await exitOf(p.proc)).toBe(null);
      expect(await stillLoaded(held)).toEqual({ progs: [], maps: [] });
    } finally {
      if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
    }
  });

  it('-w: SIGHUP closes a complete file, and a SIGKILL keeps what was flushed each second', async () => {
    // SIGHUP (a closed terminal) killed it with the file empty; nothing was
    // flushed before the end, so a SIGKILL lost everything buffered (1-5 MiB).
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-live-sig-'));
    try {
      // A quiet process (a few syscalls a second): without the flush its events stayed in the buffer.
      const quiet = spawn('sh', ['-c', 'while :; do sleep 0.1; done'], { stdio: 'ignore' });
      for (const sig of ['SIGHUP', 'SIGKILL'] as const) {
        const file = join(dir, `${sig}.scap`);
        const p = await startLive(['-w', file, '--pid', String(quiet.pid)]);
        try {
          await new Promise((r) => setTimeout(r, 2500));
          p.proc.kill(sig);
          const code = await exitOf(p.proc);
          if (sig === 'SIGHUP') expect([code, p.stderr()]).toEqual([0, expect.stringMatching(/events written to .*\(stopped by SIGHUP\)/)]);
          const r = scap(['read', '--count', file]);
          expect(Number(r.stdout.trim()), `${sig}: ${r.stderr}`).toBeGreaterThan(0);
        } finally {
          if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
        }
      }
      quiet.kill('SIGKILL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('--stats with its output piped to a reader that goes away: exits with its summary, driver unloaded', async () => {
    // After EPIPE the output waited for a drain that never came: it ran on, driver loaded.
    const p = await startLive(['--stats']);
    try {
      await waitForLine(p.proc, 'stderr', /scap live: \d+ events/, 'scap live --stats');
      const held = bpfObjectsHeldBy(p.proc.pid!);
      p.proc.stdout!.destroy();
      const code = await Promise.race([exitOf(p.proc), new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code).toBe(0);
      expect(p.stderr()).toMatch(/scap live: \d+ events, \d+ drops, \d+ bytes(, \d+ discarded at stop)?\n$/);
      expect(await stillLoaded(held)).toEqual({ progs: [], maps: [] });
    } finally {
      if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
    }
  }, 30_000);

  it('break out of for-await: the driver is destroyed, its programs and maps unloaded', async () => {
    const before = bpfObjectsHeldBy(process.pid);
    const src = live({ stopOnSignals: false });
    // Loading the driver and scanning /proc run on the thread pool: timers keep firing.
    let ticks = 0;
    const ticker = setInterval(() => { ticks++; }, 5);
    const t0 = Date.now();
    await src.open();
    const openMs = Date.now() - t0;
    clearInterval(ticker);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(openMs / 5 / 4));
    const now = bpfObjectsHeldBy(process.pid);
    const held = { progs: new Set([...now.progs].filter((id) => !before.progs.has(id))), maps: new Set([...now.maps].filter((id) => !before.maps.has(id))) };
    expect(held.progs.size).toBeGreaterThanOrEqual(10);
    expect(held.maps.size).toBeGreaterThanOrEqual(3);
    // Something to capture: dd, one byte per read and write.
    const dd = spawn('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=200000'], { stdio: 'ignore' });
    let batches = 0;
    let events = 0;
    for await (const batch of src) {
      events += batch.count;
      if (++batches === 3) break;
    }
    await exitOf(dd);
    expect(events).toBeGreaterThan(0);
    expect(src.stats().events).toBeGreaterThanOrEqual(events);
    expect(await stillLoaded(held)).toEqual({ progs: [], maps: [] });
    const after = bpfObjectsHeldBy(process.pid);
    expect([...held.progs].filter((id) => after.progs.has(id))).toEqual([]);
  });
});

describe.skipIf(NO_BPF)('a consumer slower than the kernel', () => {
  beforeAll(() => { needRoot(); ensureAddonBuild(); });

  it('loses events as counted drops, and memory stays flat', async () => {
    // dd by pid, a small ring and three slots, JS sleeping 100 ms per batch.
    const dd = spawn('sh', ['-c', 'read go; exec dd if=/dev/zero of=/dev/null bs=1 count=3000000 2>/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const src = live({ pid: dd.pid!, ringBytes: 256 << 10, slots: 3, slotBytes: 128 << 10, stopOnSignals: false });
    try {
      await src.open();
      dd.stdin!.end('go\n');
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      let events = 0;
      for await (const batch of src) {
        events += batch.count;
        peak = Math.max(peak, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 100));
        if (src.stats().drops > 100_000) break;
      }
      const s = src.stats();
      expect(s.drops).toBeGreaterThan(100_000);
      expect(s.stalls).toBeGreaterThan(0);
      expect(s.events).toBeGreaterThanOrEqual(events);
      // Slots and ring are under 1 MiB; allow for V8's own growth.
      expect(peak - rss0).toBeLessThan(64 << 20);
    } finally {
      dd.kill('SIGKILL');
      await src.close();
    }
  });

  it('close() ends the iteration soon though the producer runs on (scap live -M, Ctrl-C)', async () => {
    // The consumer thread only looked for the stop between passes over the
    // rings, and a pass runs on while they hold records older than "now":
    // behind a busy producer, the stop waited for the producer to end.
    const dd = spawn('sh', ['-c', 'read go; exec dd if=/dev/zero of=/dev/null bs=1 count=1000000000 2>/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const src = live({ pid: dd.pid!, slots: 3, slotBytes: 128 << 10, stopOnSignals: false });
    try {
      await src.open();
      dd.stdin!.end('go\n');
      let closedAt = 0;
      const stop = setTimeout(() => { closedAt = Date.now(); void src.close(); }, 1000);
      for await (const batch of src) {
        expect(batch.count).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, 20));
      }
      clearTimeout(stop);
      expect(closedAt).toBeGreaterThan(0);
      // dd still runs (1e9 bytes take minutes); what the rings held still came.
      expect(dd.exitCode).toBeNull();
      expect(Date.now() - closedAt).toBeLessThan(5000);
    } finally {
      dd.kill('SIGKILL');
      await src.close();
    }
  }, 60_000);
});
