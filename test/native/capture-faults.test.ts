// scap-capture under faults: a full disk (plain, gzip, zstd), SIGKILL at
// several points under load, SIGTERM under load, the output directory
// removed mid-capture, a read-only output, rotation under load. Every file
// left behind reads in scapkit (`scap read --count`, exit 0) and, when
// built, in the reference sinsp-example with the same count; after every
// exit the driver's BPF programs and maps are gone from the kernel.
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { eventsLine, prepareCaptureTest, readCaptureFile, runCaptureUntil, SCAP_CAPTURE, startLoad } from './capture-run.js';
import { SINSP_EXAMPLE, sinspRun } from './sinsp-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-faults.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

const SCAP_MAGIC = Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]);

/** The BPF program and map ids a process holds (links hold their program), from /proc/PID/fdinfo. */
function heldBpfIds(pid: number): { progs: Set<number>; maps: Set<number> } {
  const progs = new Set<number>();
  const maps = new Set<number>();
  const dir = `/proc/${pid}/fdinfo`;
  for (const fd of readdirSync(dir)) {
    let target = '';
    try { target = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
    if (!target.startsWith('anon_inode:bpf')) continue;
    let info = '';
    try { info = readFileSync(join(dir, fd), 'utf8'); } catch { continue; }
    const prog = /^prog_id:\s+(\d+)/m.exec(info);
    const map = /^map_id:\s+(\d+)/m.exec(info);
    if (prog) progs.add(Number(prog[1]));
    if (map) maps.add(Number(map[1]));
  }
  return { progs, maps };
}

/** The ids of every BPF program or map loaded now (bpftool). */
function loadedIds(kind: 'prog' | 'map'): Set<number> {
  const out = execFileSync('bpftool', ['-j', kind, 'show'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return new Set((JSON.parse(out) as Array<{ id: number }>).map((e) => e.id));
}

/** Waits (up to 5 s: release after SIGKILL is asynchronous) until none of `held` is loaded. */
async function expectReleased(held: { progs: Set<number>; maps: Set<number> }): Promise<void> {
  // The driver has dozens of programs and a handful of maps: an empty set means we looked wrongly.
  expect(held.progs.size).toBeGreaterThan(10);
  expect(held.maps.size).toBeGreaterThanOrEqual(4);
  let left: number[] = [];
  for (let i = 0; i < 50; i++) {
    const progs = loadedIds('prog');
    const maps = loadedIds('map');
    left = [...[...held.progs].filter((id) => progs.has(id)).map((id) => `prog ${id}`),
      ...[...held.maps].filter((id) => maps.has(id)).map((id) => `map ${id}`)] as unknown as number[];
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(left, 'BPF objects of the stopped capture still loaded').toEqual([]);
}

/** `scap read --count` exits 0 (a warning about a cut tail is allowed) and sinsp-example agrees. */
function expectReadable(file: string, compressed: 'none' | 'gzip' | 'zstd'): number {
  const r = scap(['read', '--count', file]);
  expect(r.status, `scap read --count ${file}: ${r.stderr}`).toBe(0);
  const count = Number(r.stdout.trim());
  expect(Number.isInteger(count)).toBe(true);
  if (compressed !== 'zstd' && existsSync(SINSP_EXAMPLE)) expect(sinspRun(file).retrieved, file).toBe(count);
  return count;
}

describe.skipIf(NO_BPF)('scap-capture under faults', () => {
  let dir: string;
  const loads: ChildProcess[] = [];
  const load = (n: number): void => { loads.push(startLoad(n)); };
  const stopLoads = (): void => { for (const l of loads.splice(0)) if (l.exitCode === null) l.kill('SIGKILL'); };
  beforeAll(() => {
    dir = prepareCaptureTest('capture-faults.test');
  });
  afterAll(() => {
    stopLoads();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Mounts a tmpfs of `size` with `opts` on a new directory; undefined (and a warning) when mounting is not allowed. */
  function mountTmpfs(name: string, opts: string): string | undefined {
    const mnt = join(dir, name);
    mkdirSync(mnt);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', mnt]);
    if (m.status !== 0) {
      console.warn(`capture-faults.test: cannot mount a tmpfs (${m.stderr.toString().trim()}); case not run`);
      return undefined;
    }
    return mnt;
  }

  for (const kind of ['none', 'gzip', 'zstd'] as const) {
    it(`a full disk with --compress ${kind} ends with a clear message, exit 1 and a whole ${kind} file`, async () => {
      const mnt = mountTmpfs(`full-${kind}`, 'size=2m');
      if (!mnt) return;
      try {
        const file = join(mnt, 'full.scap');
        let held = { progs: new Set<number>(), maps: new Set<number>() };
        // No hold: in a full run, the events of other test files during the
        // scan filled the 2 MB disk as they were written after the state,
        // before the ready line (and its look at the BPF objects) came.
        const r = await runCaptureUntil(['-w', file, '--compress', kind, '-M', '60'], {
          command: ['env', 'SCAP_CAPTURE_HOLD_BYTES=0', SCAP_CAPTURE],
          onReady: (pid) => { held = heldBpfIds(pid); load(3_000_000); },
        });
        stopLoads();
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/No space left on device; the file ends at the last whole block/);
        // gunzip throws unless the stream ends with a whole member.
        if (kind === 'gzip') expect(gunzipSync(readFileSync(file)).subarray(0, 4)).toEqual(SCAP_MAGIC);
        const got = await readCaptureFile(file);
        expect(got.warnings).toBe(0);
        expect(got.events).toBeGreaterThan(0);
        expect(expectReadable(file, kind)).toBe(got.events);
        await expectReleased(held);
      } finally {
        spawnSync('umount', [mnt]);
      }
    });
  }

  // Fixed points rather than Math.random, so a failure can be rerun as it was.
  for (const [afterMs, kind] of [[150, 'none'], [450, 'gzip'], [700, 'zstd'], [1000, 'none'], [1400, 'gzip']] as const) {
    it(`SIGKILL ${afterMs} ms into a ${kind} capture under load leaves a file that reads, and no BPF objects`, async () => {
      const file = join(dir, `kill-${afterMs}.scap`);
      let held = { progs: new Set<number>(), maps: new Set<number>() };
      const r = await runCaptureUntil(['-w', file, '--compress', kind, '-M', '60'], {
        signal: 'SIGKILL', afterMs, onReady: (pid) => { held = heldBpfIds(pid); load(5_000_000); },
      });
      stopLoads();
      expect(r.signal).toBe('SIGKILL');
      const head = readFileSync(file).subarray(0, 4);
      if (kind === 'none') expect(head).toEqual(SCAP_MAGIC);
      // A frame or block cut by the kill is a warning; everything before it reads.
      expectReadable(file, kind);
      await expectReleased(held);
    });
  }

  it('SIGKILL loses at most about a second of events, even when they fill little of the write buffer', async () => {
    const file = join(dir, 'kill-quiet.scap');
    let held = { progs: new Set<number>(), maps: new Set<number>() };
    // 2000 one-byte reads and writes of a dd under a name of its own (other dd's on the
    // machine stay out): some 300 KB, far below the writer's 4 MiB buffer.
    const dd = join(dir, 'capquietdd');
    copyFileSync('/bin/dd', dd);
    const r = await runCaptureUntil(['-w', file, '--comm', 'capquietdd', '-M', '60'], {
      signal: 'SIGKILL', afterMs: 2500, onReady: (pid) => {
        held = heldBpfIds(pid);
        loads.push(spawn(dd, ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=2000'], { stdio: 'ignore' }));
      },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(expectReadable(file, 'none')).toBeGreaterThanOrEqual(4000);
    await expectReleased(held);
  });

  it('SIGTERM under load: exit 0, a whole file, every event counted', async () => {
    const file = join(dir, 'term.scap');
    let held = { progs: new Set<number>(), maps: new Set<number>() };
    const r = await runCaptureUntil(['-w', file, '-M', '60'], {
      signal: 'SIGTERM', afterMs: 800, onReady: (pid) => { held = heldBpfIds(pid); load(5_000_000); },
    });
    stopLoads();
    expect(r.code, r.stderr).toBe(0);
    const got = await readCaptureFile(file);
    expect(got.warnings).toBe(0);
    expect(got.events).toBe(eventsLine(r.stderr));
    expect(got.events).toBeGreaterThan(10_000);
    expect(expectReadable(file, 'none')).toBe(got.events);
    await expectReleased(held);
  });

  it('the output directory removed mid-capture stops it with a clear message and exit 1', async () => {
    const sub = join(dir, 'vanishing');
    mkdirSync(sub);
    let held = { progs: new Set<number>(), maps: new Set<number>() };
    const t0 = Date.now();
    const r = await runCaptureUntil(['-w', join(sub, 'x.scap'), '-M', '60'], {
      onReady: (pid) => { held = heldBpfIds(pid); setTimeout(() => rmSync(sub, { recursive: true, force: true }), 300); },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/x\.scap was removed while capturing/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    await expectReleased(held);
  });

  it('a read-only output fails at once with a clear message and exit 1, before loading the driver', async () => {
    const mnt = mountTmpfs('read-only', 'ro,size=1m');
    if (!mnt) return;
    try {
      const r = await runCaptureUntil(['-w', join(mnt, 'x.scap'), '-M', '60']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot create .*x\.scap: Read-only file system/);
      expect(r.stderr).not.toContain('capturing to');
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('rotation under load (-C 1 -z): every file is a whole gzip capture that reads alone', async () => {
    const base = join(dir, 'rot-load.scap');
    let held = { progs: new Set<number>(), maps: new Set<number>() };
    const r = await runCaptureUntil(['-w', base, '-C', '1', '-z', '-M', '60'], {
      signal: 'SIGINT', when: () => readdirSync(dir).filter((f) => f.startsWith('rot-load.scap')).length >= 4,
      onReady: (pid) => { held = heldBpfIds(pid); load(5_000_000); },
    });
    stopLoads();
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(dir).filter((f) => f.startsWith('rot-load.scap'));
    const files = Number(/in (\d+) files/.exec(r.stderr)?.[1]);
    expect(names.length).toBe(files);
    expect(files).toBeGreaterThan(2);
    let total = 0;
    for (let i = 0; i < files; i++) {
      const f = join(dir, `rot-load.scap${i}`);
      expect(gunzipSync(readFileSync(f)).subarray(0, 4), f).toEqual(SCAP_MAGIC);
      const got = await readCaptureFile(f);
      expect(got.warnings, f).toBe(0);
      expect(got.threads, f).toBeGreaterThan(1);
      expect(expectReadable(f, 'gzip'), f).toBe(got.events);
      total += got.events;
    }
    expect(total).toBe(eventsLine(r.stderr));
    await expectReleased(held);
  });
});
