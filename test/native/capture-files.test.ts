// What scap-capture does to the files around it: --overwrite on a device
// or when the driver cannot load, leftover rotated names, a file that fails
// before its first event, the event count after a full disk, and option
// values it must refuse before touching anything.
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { eventsLine, prepareCaptureTest, readCaptureFile, runCaptureUntil, SCAP_CAPTURE, startLoad, startSteadyLoad } from './capture-run.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { SINSP_EXAMPLE, sinspRun } from './sinsp-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-files.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

/** Mounts a tmpfs of `size` on `mnt`, runs `fn`, unmounts; false when no tmpfs can be mounted. */
async function withTmpfs(mnt: string, size: string, fn: () => Promise<void>): Promise<boolean> {
  mkdirSync(mnt, { recursive: true });
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt]);
  if (mount.status !== 0) {
    console.warn(`capture-files.test: cannot mount a tmpfs (${mount.stderr.toString().trim()}); case not run`);
    return false;
  }
  try {
    await fn();
  } finally {
    spawnSync('umount', [mnt]);
  }
  return true;
}

describe.skipIf(NO_BPF)('scap-capture and the files around it', () => {
  let dir: string;
  beforeAll(() => {
    dir = prepareCaptureTest('capture-files.test');
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('--overwrite onto a device writes to it but leaves its mode and type alone (/dev/null stayed 0600)', async () => {
    const dev = join(dir, 'mynull');
    expect(spawnSync('mknod', [dev, 'c', '1', '3']).status).toBe(0);
    chmodSync(dev, 0o666);
    const r = await runCaptureUntil(['-w', dev, '--overwrite', '-n', '5', '-M', '60'], { onReady: () => startLoad(1000) });
    expect(r.code, r.stderr).toBe(0);
    const st = statSync(dev);
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.mode & 0o777).toBe(0o666);
  });

  it('--overwrite replaces an existing regular file, which becomes private', async () => {
    const file = join(dir, 'old-public.scap');
    writeFileSync(file, 'x'.repeat(100_000));
    chmodSync(file, 0o644);
    const r = await runCaptureUntil(['-w', file, '--overwrite', '-n', '20', '-M', '60'], { onReady: () => startLoad(1000) });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await readCaptureFile(file)).events).toBe(20);
  });

  it('--overwrite keeps the old file when the driver cannot load; a new file is not left behind', async () => {
    // As nobody the driver cannot load (no CAP_BPF); the directory is nobody's, so it can create files.
    const sub = mkdtempSync(join(tmpdir(), 'scapkit-capture-files-nobody-'));
    chownSync(sub, 65534, 65534);
    try {
      const old = join(sub, 'old.scap');
      writeFileSync(old, 'previous capture');
      chownSync(old, 65534, 65534);
      const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', SCAP_CAPTURE];
      const r = await runCaptureUntil(['-w', old, '--overwrite', '-n', '10'], { command: asNobody });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot load the driver/);
      expect(readFileSync(old, 'utf8')).toBe('previous capture');
      const fresh = join(sub, 'new.scap');
      const r2 = await runCaptureUntil(['-w', fresh, '--overwrite', '-n', '10'], { command: asNobody });
      expect(r2.code).toBe(1);
      expect(existsSync(fresh)).toBe(false);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it('a leftover file with a later rotated name is replaced at that rotation, not a fatal error', async () => {
    const sub = join(dir, 'leftover');
    mkdirSync(sub);
    const base = join(sub, 'c.scap');
    writeFileSync(`${base}1`, 'left over from another run');
    // -C 0.02: every file is its state (more than 0.02 MB) and 10 KB of
    // events (half of -C), ~140 of dd's, so 1,000 events make several files
    // in the ring of two names: c.scap0, c.scap1 (the leftover), c.scap0...
    const r = await runCaptureUntil(['-w', base, '-C', '0.02', '-W', '2', '-n', '1000'], {
      command: ['env', 'SCAP_CAPTURE_HOLD_BYTES=0', SCAP_CAPTURE], onReady: () => startLoad(20_000),
    });
    expect(r.code, r.stderr).toBe(0);
    const files = Number(/1000 events, \d+ drops, \d+ bytes written in (\d+) files/.exec(r.stderr)?.[1]);
    expect(files, r.stderr).toBeGreaterThanOrEqual(3);
    expect(readdirSync(sub).sort()).toEqual(['c.scap0', 'c.scap1']);
    for (const f of ['c.scap0', 'c.scap1']) {
      const got = await readCaptureFile(join(sub, f));
      expect(got.warnings, f).toBe(0);
      expect(got.events, f).toBeGreaterThan(0);
      expect(statSync(join(sub, f)).mode & 0o777, f).toBe(0o600);
    }
  });

  it('a file whose initial state does not fit on the disk is removed, not left without events', async () => {
    // 64 KiB hold the section header but not the state of a whole machine.
    await withTmpfs(join(dir, 'tiny-fs'), '64k', async () => {
      const file = join(dir, 'tiny-fs', 'state.scap');
      const r = await runCaptureUntil(['-w', file, '-M', '60']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot write the initial state to .*No space left on device/);
      expect(r.stderr).toMatch(/removed .*state\.scap/);
      expect(existsSync(file)).toBe(false);
    });
  });

  it('a rotated file whose state does not fit is removed; the files before it stay whole', async () => {
    // Room for the first file and half of the next one's state. The first
    // file is its state S and -C's worth less S, but at least half of -C
    // (100,000 bytes) in events. The room is sized from a probe of the state,
    // which other processes on the machine (vitest's workers) change: when
    // it moved by more than half between the probe and the run, the disk
    // fills somewhere else, and the case is probed and run again.
    const attempts: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const probe = join(dir, 'probe.scap');
      const p = await runCaptureUntil(['-w', probe, '-n', '1'], { onReady: () => startLoad(1000) });
      expect(p.code, p.stderr).toBe(0);
      const state = statSync(probe).size;
      const size = Math.ceil((Math.max(state + 50_000, 100_000) + state / 2) / 4096) * 4096;
      let done = false;
      const mounted = await withTmpfs(join(dir, 'rot-fs'), String(size), async () => {
        const base = join(dir, 'rot-fs', 'r.scap');
        // No hold: the events of the first file's scan (from test files running
        // beside this one) would all join its first event, past -C, and fill
        // the disk before the rotation this is about.
        const r = await runCaptureUntil(['-w', base, '-C', '0.1', '-M', '60'], {
          command: ['env', 'SCAP_CAPTURE_HOLD_BYTES=0', SCAP_CAPTURE], onReady: () => startLoad(20_000),
        });
        expect(r.code).toBe(1);
        if (!/cannot write the initial state to .*r\.scap1: No space left on device/.test(r.stderr) && attempt < 2) {
          attempts.push(`probe ${state} B, room ${size} B: ${r.stderr}`);
          return;
        }
        expect(r.stderr, [...attempts, r.stderr].join('\n')).toMatch(/cannot write the initial state to .*r\.scap1: No space left on device/);
        expect(readdirSync(join(dir, 'rot-fs'))).toEqual(['r.scap0']);
        const got = await readCaptureFile(`${base}0`);
        expect(got.warnings).toBe(0);
        expect(got.events).toBeGreaterThan(0);
        expect(eventsLine(r.stderr)).toBe(got.events);
        if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(`${base}0`).retrieved).toBe(got.events);
        done = true;
      });
      if (done || !mounted) return;
    }
  });

  it('after a full disk the summary counts the events in the file, and says how many did not reach it', async () => {
    await withTmpfs(join(dir, 'small-fs'), '2m', async () => {
      const file = join(dir, 'small-fs', 'full.scap');
      const r = await runCaptureUntil(['-w', file, '-M', '60'], { onReady: () => startLoad(1_000_000) });
      expect(r.code).toBe(1);
      const got = await readCaptureFile(file);
      expect(got.warnings).toBe(0);
      expect(got.events).toBeGreaterThan(0);
      expect(eventsLine(r.stderr)).toBe(got.events);
      const lost = /(\d+) events were read from the rings, (\d+) of them did not reach the file/.exec(r.stderr);
      if (lost) expect(Number(lost[1]) - Number(lost[2])).toBe(got.events);
      if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(file).retrieved).toBe(got.events);
    });
  });

  it('a capture of nothing says its file holds no events (libscap refuses such a file)', () => {
    const file = join(dir, 'nothing.scap');
    const r = spawnSync(SCAP_CAPTURE, ['-w', file, '--comm', 'scapkit-nobody', '-M', '1'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${file} holds no events (nothing was captured); libscap (sysdig, Falco) will not open such a file`);
  });

  it('a stop whose last pass runs out of time says how many events stayed in the rings', async () => {
    // Records are held in the rings (a merge grace of a minute) while a dd
    // makes them; at the stop the last pass writes them into 10 KB files,
    // a /proc scan each, waited for (no events held during the scans), and
    // runs out of its 2 s: what it did not write is counted, not lost
    // without a word.
    const base = join(dir, 'slow-drain', 'd.scap');
    mkdirSync(join(dir, 'slow-drain'));
    let loaded = false;
    const run = await runCaptureUntil(['-w', base, '--comm', 'dd', '-C', '0.01', '-W', '3'], {
      command: ['env', 'SCAP_MERGE_GRACE_MS=60000', 'SCAP_CAPTURE_HOLD_BYTES=0', SCAP_CAPTURE],
      signal: 'SIGINT',
      when: () => loaded,
      onReady: () => { const dd = startLoad(20_000); dd.once('exit', () => { loaded = true; }); },
    });
    expect(run.code, run.stderr).toBe(0);
    const m = /stopped writing after 2 s of the last pass: (\d+) events still in the rings are not in the file/.exec(run.stderr);
    expect(m, run.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
  }, 60_000);

  it('-M is kept when tiny -C files rotate on nearly every record (each a /proc scan)', async () => {
    // The clock was looked at every 256 records only: 256 rotations, each
    // scanning /proc, made a 2 s capture run some 20 s.
    const base = join(dir, 'tiny-c', 't.scap');
    mkdirSync(join(dir, 'tiny-c'));
    const load = startLoad(5_000_000);
    const started = Date.now();
    const r = spawnSync(SCAP_CAPTURE, ['-w', base, '-C', '0.01', '-W', '3', '-M', '2'], { encoding: 'utf8', timeout: 60_000 });
    const took = (Date.now() - started) / 1000;
    load.kill();
    expect(r.status, r.stderr).toBe(0);
    expect(took, r.stderr).toBeLessThan(12);
  }, 90_000);

  it('-C under twice the initial state: each file still gets half of -C in events, not a file per scan', async () => {
    // The size counts the state, as libsinsp's cycle dumper does: once the
    // state alone passed the limit, each file was its state and the few
    // events held during its scan (66 KB of state and ~100 bytes of events
    // by hand), a file per scan.
    const sub = join(dir, 'big-state');
    mkdirSync(sub);
    /** Where the first event of a capture file starts: the bytes of its header and state. */
    const stateBytes = async (path: string): Promise<number> => {
      for await (const b of await openCapture(path)) if (b.count > 0) return b.blockOffsets[0]!;
      return -1;
    };
    // Only the load's events (--pid): the test runner's would fill the files.
    const load = startSteadyLoad();
    const capture = (path: string, args: string[]) => spawnSync(SCAP_CAPTURE, ['-w', path, '--pid', String(load.pid), ...args], { encoding: 'utf8', timeout: 60_000 });
    try {
      // The limit is this machine's state size: over half of it, and far more than a scan's held events.
      const probe = capture(join(sub, 'probe'), ['-M', '0.5']);
      expect(probe.status, probe.stderr).toBe(0);
      const limit = await stateBytes(join(sub, 'probe'));
      rmSync(join(sub, 'probe'));
      expect(limit).toBeGreaterThan(10_000);
      const r = capture(join(sub, 's.scap'), ['-C', String(limit / 1e6), '-M', '3']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/over half of -C: each file gets at least half of -C in events/);
      const files = readdirSync(sub).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
      expect(files.length, r.stderr).toBeGreaterThan(1);
      for (const f of files.slice(0, -1)) {
        // Every file but the last (cut by -M) holds at least half the limit in event blocks.
        const path = join(sub, f);
        expect(statSync(path).size - (await stateBytes(path)), f).toBeGreaterThanOrEqual(limit / 2);
      }
    } finally {
      load.kill();
    }
  }, 60_000);

  it('--version names the package version, the libs event layouts and libbpf', async () => {
    const { SCHEMA_ORIGIN } = await import('../../scapfile/schema/origin.js');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(SCAP_CAPTURE, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const [head, libbpf] = r.stdout.split('; libbpf ');
    expect(head).toBe(`scap-capture ${version} (scapkit; event layouts of falcosecurity/libs ${SCHEMA_ORIGIN}`);
    expect(libbpf).toMatch(/^\d+\.\d+\)\n$/);
  });

  it('refuses option values that used to mean something else, with exit 2 and no file', () => {
    const file = join(dir, 'bad-value.scap');
    for (const [flag, v] of [
      ['-M', 'nan'], ['-M', 'inf'], ['-M', '0x2'], ['-M', '-1'], ['-M', '0'],
      ['-n', '-5'], ['-n', '0'], ['-n', '0x10'], ['-n', ' 5'], ['-n', '18446744073709551616'],
      ['-C', '1e-7'], ['-C', '0x1'], ['-C', 'nan'], ['-G', 'nan'], ['-G', '0x1'],
      ['-s', '-1'], ['--pid', '+3'], ['-W', '-1'],
    ] as const) {
      const r = spawnSync(SCAP_CAPTURE, ['-w', file, flag, v], { encoding: 'utf8', timeout: 10_000 });
      expect(r.status, `${flag} ${v}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`bad value for ${flag}: '${v}'`);
      expect(existsSync(file), `${flag} ${v}`).toBe(false);
    }
    // Still accepted: decimals and exponents where sysdig takes whole numbers.
    for (const [flag, v] of [['-M', '0.5'], ['-C', '0.5'], ['-C', '1e1'], ['-G', '1.5']] as const) {
      const r = spawnSync(SCAP_CAPTURE, ['-w', file, flag, v, '-h'], { encoding: 'utf8', timeout: 10_000 });
      expect(r.status, `${flag} ${v}: ${r.stderr}`).toBe(0);
    }
  });
});
