// scap-capture's sysdig-like options: compression (-z, --compress), rotation
// (-C, -G, -W), the --comm and --syscalls filters, --stats, and the
// `scap capture` command that runs it. Each output is read back by scapkit
// and, when built, by the reference sinsp-example (which reads gzip but not
// zstd: libscap opens captures with zlib's gzopen only).
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureArgs } from '../../cli/commands/capture.js';
import { scap } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';
import { eventsLine, exitOf, prepareCaptureTest, readCaptureFile, runCaptureUntil, SCAP_CAPTURE, startLoad, startSteadyLoad } from './capture-run.js';
import { SINSP_EXAMPLE, sinspRun } from './sinsp-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-options.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const SCAP_MAGIC = Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]);

/** `%evt.type %proc.name` of every event, through the scap CLI. */
function typesAndNames(file: string): Array<[string, string]> {
  const r = scap(['read', file, '-p', '%evt.type %proc.name']);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l).map((l) => l.split(' ', 2) as [string, string]);
}

describe.skipIf(NO_BPF)('scap-capture options', () => {
  let dir: string;
  beforeAll(() => {
    dir = prepareCaptureTest('capture-options.test');
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  for (const [flags, magic, name] of [
    [['-z'], GZIP_MAGIC, 'gzip'],
    [['--compress', 'gzip'], GZIP_MAGIC, 'gzip'],
    [['--compress', 'zstd'], ZSTD_MAGIC, 'zstd'],
    [['--compress', 'none'], SCAP_MAGIC, 'none'],
  ] as const) {
    it(`${flags.join(' ')} writes a whole ${name} stream that reads to its end`, async () => {
      const file = join(dir, `compress-${flags.join('')}.scap`);
      const r = await runCaptureUntil(['-w', file, ...flags, '-M', '60'], { signal: 'SIGINT', afterMs: 500, onReady: () => startLoad(20_000) });
      expect(r.code, r.stderr).toBe(0);
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, magic.length)).toEqual(magic);
      // gunzip throws on a stream that does not end with a whole member.
      if (name === 'gzip') expect(gunzipSync(bytes).subarray(0, 4)).toEqual(SCAP_MAGIC);
      const got = await readCaptureFile(file);
      expect(got.warnings).toBe(0);
      expect(got.events).toBeGreaterThan(1000);
      expect(got.events).toBe(eventsLine(r.stderr));
      if (name !== 'zstd' && existsSync(SINSP_EXAMPLE)) expect(sinspRun(file).retrieved).toBe(got.events);
    });
  }

  it('-z keeps up with incompressible I/O buffers at full speed: no event lost', async () => {
    // dd reads random bytes 100 at a time as fast as it can: every event
    // carries an 80-byte buffer nothing compresses (about 150 MB/s of
    // events). zlib's deflate compressed ~140 MB/s here, on the thread that
    // drains the rings, and lost a fifth to a quarter of the events;
    // libdeflate makes the same gzip members ~2.5x as fast.
    const data = join(dir, 'random.bin');
    const reads = 1_000_000;
    writeFileSync(data, randomFillSync(Buffer.alloc(reads * 100)));
    // dd under a name of its own: test files running beside this one run dd too.
    const dd = join(dir, 'ddrandom');
    copyFileSync(spawnSync('sh', ['-c', 'command -v dd'], { encoding: 'utf8' }).stdout.trim(), dd);
    chmodSync(dd, 0o755);
    const file = join(dir, 'random.scap.gz');
    let ddDone = false;
    const r = await runCaptureUntil(['-w', file, '-z', '--comm', 'ddrandom', '-M', '60'], {
      signal: 'SIGINT', when: () => ddDone,
      onReady: () => {
        spawn(dd, [`if=${data}`, 'of=/dev/null', 'bs=100', `count=${reads}`], { stdio: 'ignore' })
          .on('close', () => setTimeout(() => { ddDone = true; }, 300));
      },
    });
    rmSync(data, { force: true });
    expect(r.code, r.stderr).toBe(0);
    const m = /(\d+) events, (\d+) drops/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [events, drops] = [Number(m![1]), Number(m![2])];
    // Each read and write, and dd's own start-up and exit.
    expect(events + drops).toBeGreaterThanOrEqual(2 * reads);
    expect(drops, r.stderr).toBeLessThanOrEqual(events / 1000);
    expect((await readCaptureFile(file)).events).toBe(events);
  });

  it('-C MB -W N rotates into FILE0..FILE(N-1), each a whole capture with its own initial state', async () => {
    const base = join(dir, 'rot.scap');
    // The initial state alone is a few hundred KB on a busy machine: 1 MB files hold events too.
    const r = await runCaptureUntil(['-w', base, '-C', '1', '-W', '3', '-M', '60'], {
      signal: 'SIGINT', afterMs: 3000, onReady: () => startLoad(300_000),
    });
    expect(r.code, r.stderr).toBe(0);
    const files = Number(/in (\d+) files/.exec(r.stderr)?.[1]);
    // 300k one-byte reads and writes are far more than 3 x 1 MB: the names wrapped.
    expect(files).toBeGreaterThan(3);
    expect(readdirSync(dir).filter((f) => f.startsWith('rot.scap')).sort()).toEqual(['rot.scap0', 'rot.scap1', 'rot.scap2']);
    for (const f of ['rot.scap0', 'rot.scap1', 'rot.scap2']) {
      const path = join(dir, f);
      const got = await readCaptureFile(path);
      expect(got.warnings, f).toBe(0);
      expect(got.events, f).toBeGreaterThan(0);
      expect(got.fullState, f).toBe(true);
      if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(path).retrieved, f).toBe(got.events);
    }
  });

  it('-G SECONDS starts a new file every N seconds, -z compressing each one whole', async () => {
    const base = join(dir, 'time.scap');
    // A load for the whole capture: a period without events makes no file.
    let load: ChildProcess | undefined;
    const r = await runCaptureUntil(['-w', base, '-G', '1', '-z', '-M', '3.5'], {
      onReady: () => { load = startSteadyLoad(); },
    });
    load?.kill();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('in 4 files');
    const names = readdirSync(dir).filter((f) => f.startsWith('time.scap')).sort();
    expect(names).toEqual(['time.scap0', 'time.scap1', 'time.scap2', 'time.scap3']);
    let total = 0;
    for (const f of names) {
      const bytes = readFileSync(join(dir, f));
      expect(gunzipSync(bytes).subarray(0, 4), f).toEqual(SCAP_MAGIC);
      const got = await readCaptureFile(join(dir, f));
      expect(got.warnings, f).toBe(0);
      expect(got.fullState, f).toBe(true);
      if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(join(dir, f)).retrieved, f).toBe(got.events);
      total += got.events;
    }
    expect(total).toBe(eventsLine(r.stderr));
  });

  it('-G with a strftime name names each file by its start time, -W removing the oldest (as sysdig)', async () => {
    const sub = join(dir, 'timed');
    mkdirSync(sub);
    let load: ChildProcess | undefined;
    const r = await runCaptureUntil(['-w', join(sub, 't-%Y%m%d-%H%M%S.scap'), '-G', '1', '-W', '2', '-M', '3.5'], {
      onReady: () => { load = startSteadyLoad(); },
    });
    load?.kill();
    expect(r.code, r.stderr).toBe(0);
    // Rotations at about 1, 2 and 3 s of a 3.5 s run; on a loaded host the
    // consumer may reach the last one after the deadline (seen once: 3 files).
    expect(r.stderr).toMatch(/in [34] files/);
    const names = readdirSync(sub).sort();
    expect(names).toHaveLength(2);
    for (const f of names) {
      expect(f).toMatch(/^t-\d{8}-\d{6}\.scap$/);
      const got = await readCaptureFile(join(sub, f));
      expect(got.warnings, f).toBe(0);
      expect(got.fullState, f).toBe(true);
    }
  });

  it('-W without -C or -G is refused', async () => {
    const r = await runCaptureUntil(['-w', join(dir, 'w-alone.scap'), '-W', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-W needs -C or -G');
  });

  it('--comm NAME keeps the threads of that name and their descendants only', async () => {
    // A shell under a name of its own: its `cat` child is a descendant, the dd beside it is not.
    const shell = join(dir, 'capcommtest');
    copyFileSync('/bin/sh', shell);
    const file = join(dir, 'comm.scap');
    const r = await runCaptureUntil(['-w', file, '--comm', 'capcommtest', '-M', '60'], {
      signal: 'SIGINT', afterMs: 1500, onReady: () => {
        startLoad(5000);
        spawnSync(shell, ['-c', 'cat /etc/hostname > /dev/null; cat /etc/hostname > /dev/null'], { stdio: 'ignore' });
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const events = typesAndNames(file);
    const names = new Set(events.map(([, n]) => n));
    expect(names.has('capcommtest')).toBe(true);
    expect(names.has('cat')).toBe(true);
    expect([...names].filter((n) => n !== 'capcommtest' && n !== 'cat')).toEqual([]);
  });

  it('--pid PID keeps a descendant that was re-parented when its parent exited', async () => {
    // `( (cmd) & )`: the middle shell exits at once, so the grandchild that
    // runs cmd has init (or a subreaper) as its parent, not the target; the
    // real_parent walk alone lost it. A `cat` under a name of its own is the
    // grandchild, a dd beside the target is not a descendant at all.
    const cat = join(dir, 'capreparented');
    copyFileSync('/bin/cat', cat);
    const target = spawn('sh', ['-c', `read go; ( (sleep 0.3; exec ${cat} /etc/hostname > /dev/null) & ); sleep 1`],
      { stdio: ['pipe', 'ignore', 'ignore'] });
    const targetExit = exitOf(target);
    const file = join(dir, 'pid-reparented.scap');
    let readyAt = Infinity;
    const r = await runCaptureUntil(['-w', file, '--pid', String(target.pid), '-M', '60'], {
      signal: 'SIGINT', when: () => target.exitCode !== null && Date.now() > readyAt + 1800,
      onReady: () => { readyAt = Date.now(); startLoad(5000); target.stdin!.end('go\n'); },
    });
    await targetExit;
    expect(r.code, r.stderr).toBe(0);
    const rows = scap(['read', file, '-p', '*%proc.name %proc.pid %evt.type %fd.name']);
    expect(rows.status, rows.stderr).toBe(0);
    const lines = rows.stdout.split('\n').filter((l) => l);
    expect(lines.some((l) => /^capreparented \d+ openat \/etc\/hostname$/.test(l))).toBe(true);
    expect(lines.some((l) => /^capreparented \d+ procexit /.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('dd '))).toBe(false);
    // The target itself, from the read that waited for "go" on.
    expect(lines.some((l) => l.startsWith(`sh ${target.pid} `))).toBe(true);
  });

  it('-M keeps what the rings hold at the deadline: those events were recorded in time', async () => {
    // A dd under a name of its own, the only thing captured, exits at once. The
    // merge holds each ring's newest records until a stop drains the rings (a
    // grace of a minute here, not 2 ms, so none are written before the
    // deadline): stopping on -M without draining lost them.
    const dd = join(dir, 'capdeadlinedd');
    copyFileSync('/bin/dd', dd);
    const file = join(dir, 'deadline.scap');
    const r = await runCaptureUntil(['-w', file, '--comm', 'capdeadlinedd', '-M', '2'], {
      command: ['env', 'SCAP_MERGE_GRACE_MS=60000', SCAP_CAPTURE],
      onReady: () => { spawnSync(dd, ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=100'], { stdio: 'ignore' }); },
    });
    expect(r.code, r.stderr).toBe(0);
    const events = typesAndNames(file);
    expect(events.filter(([t]) => t === 'read').length).toBeGreaterThanOrEqual(100);
    expect(events.filter(([t]) => t === 'write').length).toBeGreaterThanOrEqual(100);
    expect(events.at(-1)).toEqual(['procexit', 'capdeadlinedd']);
  });

  it('--syscalls LIST emits only those syscalls (and procexit)', async () => {
    const file = join(dir, 'syscalls.scap');
    const r = await runCaptureUntil(['-w', file, '--syscalls', 'read,close', '-M', '60'], {
      signal: 'SIGINT', afterMs: 800, onReady: () => startLoad(5000),
    });
    expect(r.code, r.stderr).toBe(0);
    const types = new Set(typesAndNames(file).map(([t]) => t));
    expect(types.has('read')).toBe(true);
    expect([...types].filter((t) => t !== 'read' && t !== 'close' && t !== 'procexit')).toEqual([]);
  });

  it('--ring-bytes takes only a power of two from 64 KiB to 1 GiB', async () => {
    for (const v of ['1000', '32768', '100000', String(2 ** 31)]) {
      const r = await runCaptureUntil(['-w', join(dir, 'bad-ring.scap'), '--ring-bytes', v]);
      expect(r.code, v).toBe(2);
      expect(r.stderr).toContain(`bad value for --ring-bytes: '${v}'`);
    }
  });

  it('--syscalls refuses a name it does not know', async () => {
    const r = await runCaptureUntil(['-w', join(dir, 'bad-sc.scap'), '--syscalls', 'read,nosuchcall']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown syscall 'nosuchcall'");
    expect(existsSync(join(dir, 'bad-sc.scap'))).toBe(false);
  });

  it('--stats prints events, events/s, drops (in all and per CPU) and bytes once a second', async () => {
    const r = await runCaptureUntil(['-w', join(dir, 'stats.scap'), '--stats', '-M', '3.5'], { onReady: () => startLoad(20_000) });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('stats:'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(4);
    for (const l of lines) expect(l).toMatch(/stats: \d+ events, \d+ events\/s, \d+ drops, \d+ bytes written, \d+ files \(drops per CPU:( \d+)+\)$/);
    const counts = lines.map((l) => Number(/(\d+) events,/.exec(l)![1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  describe('scap capture', () => {
    const CLI = [process.execPath, join(ROOT, 'dist', 'cli', 'main.js'), 'capture'];

    it('maps its options onto scap-capture flags', () => {
      expect(captureArgs({
        write: 'f', count: 5, duration: 2, snaplen: 100, pid: 7, comm: 'nginx', syscalls: 'read,write',
        'sched-switch': true, 'page-faults': true, signals: true, z: true, compress: 'zstd', 'rotate-mb': 10, 'rotate-secs': 60, 'max-files': 4, 'ring-bytes': 1 << 20, stats: true, overwrite: true,
      })).toEqual(['-w', 'f', '-n', '5', '-M', '2', '-s', '100', '--pid', '7', '--comm', 'nginx', '--syscalls', 'read,write',
        '--sched-switch', '--page-faults', '--signals', '-z', '--compress', 'zstd', '-C', '10', '-G', '60', '-W', '4', '--ring-bytes', '1048576', '--stats', '--overwrite']);
    });

    it('runs scap-capture, passes SIGINT on and exits with its code', async () => {
      const file = join(dir, 'cli.scap');
      const r = await runCaptureUntil(['-w', file, '-z', '-M', '60'], { command: CLI, signal: 'SIGINT', afterMs: 500 });
      expect(r.code, r.stderr).toBe(0);
      const got = await readCaptureFile(file);
      expect(got.warnings).toBe(0);
      expect(got.events).toBe(eventsLine(r.stderr));
    });

    it('a SIGKILL of the wrapper stops scap-capture with a complete file (it recorded on, orphaned)', async () => {
      const file = join(dir, 'orphan.scap');
      const wrapper = spawn(CLI[0]!, [...CLI.slice(1), '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      wrapper.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
      try {
        for (let i = 0; i < 100 && !/capturing to/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
        expect(err).toMatch(/capturing to/);
        const child = Number(readFileSync('/proc/' + wrapper.pid + '/task/' + wrapper.pid + '/children', 'utf8').trim().split(' ')[0]);
        expect(child).toBeGreaterThan(0);
        wrapper.kill('SIGKILL');
        await exitOf(wrapper);
        let gone = false;
        for (let i = 0; i < 100 && !gone; i++) {
          gone = !existsSync(`/proc/${child}`) || /^State:\s+Z/m.test(readFileSync(`/proc/${child}/status`, 'utf8'));
          if (!gone) await new Promise((r) => setTimeout(r, 100));
        }
        expect(gone).toBe(true);
        const got = await readCaptureFile(file);
        expect(got.warnings).toBe(0);
        expect(got.events).toBeGreaterThan(0);
      } finally {
        if (wrapper.exitCode === null && wrapper.signalCode === null) wrapper.kill('SIGKILL');
      }
    }, 30_000);

    it('passes numbers on as written, for scap-capture to judge (yargs made -n abc NaN, took -n 0x10)', () => {
      for (const v of ['abc', '0x10']) {
        const r = scap(['capture', '-w', join(dir, 'n.scap'), '-n', v]);
        expect(r.status, v).toBe(2);
        expect(r.stderr, v).toContain(`scap-capture: bad value for -n: '${v}'`);
      }
    });

    it('exits with scap-capture\'s failure code', async () => {
      const r = await runCaptureUntil(['-w', join(dir, 'no-such-dir', 'x.scap')], { command: CLI });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot create .*No such file or directory/);
    });

    it('says how to build scap-capture when it is missing', () => {
      const r = scapWithEnv(['capture', '-w', join(dir, 'x.scap')], { SCAP_CAPTURE_BIN: join(dir, 'not-built') });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('npm run build:native');
    });
  });
});

function scapWithEnv(args: string[], env: Record<string, string>): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}
