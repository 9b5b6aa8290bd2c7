/**
 * `npm run bench:capture`: what live capture costs and keeps up with. For
 * each output compression, scap-capture records the whole machine while
 * `dd if=/dev/zero of=/dev/null bs=1 count=N` makes 2N syscalls as fast as
 * it can; dd also runs once without a capture for its baseline time.
 *
 * Prints dd's time (and slowdown), events captured, events/s over dd's run,
 * drops, file bytes and bytes per event, scap-capture's peak RSS. When libs'
 * modern eBPF reference is built (MODERN_BPF=1 shared/tools/reference/build.sh,
 * under REFS_DIR), dd also runs under `scap-open --modern_bpf` (bare libscap
 * with libs' own driver, counting events) in the same rounds, for the ratio.
 * Rounds interleave the captures (BENCH_RUNS, default 3; best dd time kept).
 * Needs root and build/scap-capture (npm run build:native). BENCH_DD_COUNT
 * (default 2000000) and BENCH_COMPRESS (default "none,gzip,zstd") adjust it.
 *
 * A second workload stresses the compressors: dd reads a file of random
 * bytes 100 at a time (BENCH_DD_COUNT / 2 reads), so every event carries
 * an incompressible 80-byte buffer (148 bytes an event at over a million
 * events/s). The consumer compresses on the thread that drains the rings:
 * a compressor slower than that loses events (zlib's gzip lost a quarter).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readlinkSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withoutBpfStats } from './bpf-stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'build', 'scap-capture');
const DD_COUNT = Number(process.env.BENCH_DD_COUNT ?? 2_000_000);
const KINDS = (process.env.BENCH_COMPRESS ?? 'none,gzip,zstd').split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REFS_DIR = process.env.REFS_DIR ?? join(homedir(), '.cache', 'scapkit-reference');
const REF_SCAP_OPEN = join(REFS_DIR, 'libs', 'build-modern', 'libscap', 'examples', '01-open', 'scap-open');
/** build.sh's preload for kernels that count BPF memory against RLIMIT_MEMLOCK (see its README). */
const REF_SHIM = join(REFS_DIR, 'libs', 'compat', 'memlock_shim.so');

/** dd's arguments: the syscall-bound workload, and the one of incompressible buffers. */
const ZERO_DD = ['if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${DD_COUNT}`];
const RANDOM_FILE = join(OUT, 'capture-bench.random');
const RANDOM_READS = Math.ceil(DD_COUNT / 2);
const RANDOM_DD = [`if=${RANDOM_FILE}`, 'of=/dev/null', 'bs=100', `count=${RANDOM_READS}`];

/** The random input of RANDOM_DD, made once (kept in bench/out). */
function makeRandomFile(): void {
  const size = RANDOM_READS * 100;
  if (existsSync(RANDOM_FILE) && statSync(RANDOM_FILE).size === size) return;
  const fd = openSync(RANDOM_FILE, 'w');
  const chunk = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= chunk.length) writeSync(fd, randomFillSync(chunk), 0, Math.min(left, chunk.length));
  closeSync(fd);
}

/** Runs dd to its end; resolves with its wall time in seconds. */
function runDd(args = ZERO_DD): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const dd = spawn('dd', args, { stdio: 'ignore' });
    dd.on('error', rej);
    dd.on('exit', (code) => code === 0 ? res(Number(process.hrtime.bigint() - t0) / 1e9) : rej(new Error(`dd exited ${code}`)));
  });
}

interface CaptureResult { ddSeconds: number; events: number; drops: number; bytes: number; files: number; rssKib: number }

/** Starts scap-capture, runs dd once it captures, stops it with SIGINT and parses its summary line. */
function captureDuringDd(file: string, kind: string, ddArgs = ZERO_DD): Promise<CaptureResult> {
  return new Promise((res, rej) => {
    const p = spawn(BIN, ['-w', file, '--compress', kind, '--overwrite'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let ddSeconds = -1;
    let started = false;
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (!started && stderr.includes('capturing to ')) {
        started = true;
        runDd(ddArgs).then((s) => { ddSeconds = s; setTimeout(() => p.kill('SIGINT'), 300); }, (err) => { p.kill('SIGINT'); rej(err); });
      }
    });
    p.on('error', rej);
    p.on('close', (code) => {
      const m = /(\d+) events, (\d+) drops, (\d+) bytes written in (\d+) files?, peak RSS (\d+) KiB/.exec(stderr);
      if (code !== 0 || !m) return rej(new Error(`scap-capture exited ${code}: ${stderr}`));
      res({ ddSeconds, events: Number(m[1]), drops: Number(m[2]), bytes: Number(m[3]), files: Number(m[4]), rssKib: Number(m[5]) });
    });
  });
}

/** Whether `pid` holds a BPF link: its probe is attached. */
function attached(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try { return /bpf[-_]link/.test(readlinkSync(`/proc/${pid}/fd/${fd}`)); } catch { return false; }
    });
  } catch { return false; }
}

/**
 * dd under libs' reference: scap-open --modern_bpf, started, waited for until
 * attached (+1 s as live-anchor.sh does), stopped with SIGINT after dd; its
 * summary gives the events it received and the kernel's drops.
 */
function referenceDuringDd(): Promise<{ ddSeconds: number; events: number; drops: number }> {
  return new Promise((res, rej) => {
    const env = existsSync(REF_SHIM) ? { ...process.env, LD_PRELOAD: REF_SHIM } : process.env;
    const p = spawn(REF_SCAP_OPEN, ['--modern_bpf'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let ddSeconds = -1;
    p.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    p.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const t0 = Date.now();
    const poll = setInterval(() => {
      if (!attached(p.pid!)) {
        if (Date.now() - t0 > 60_000) { clearInterval(poll); p.kill('SIGKILL'); rej(new Error(`scap-open did not attach: ${out}`)); }
        return;
      }
      clearInterval(poll);
      setTimeout(() => {
        runDd().then((s) => { ddSeconds = s; setTimeout(() => p.kill('SIGINT'), 300); }, (err) => { p.kill('SIGINT'); rej(err); });
      }, 1000);
    }, 100);
    p.on('error', rej);
    p.on('close', () => {
      clearInterval(poll);
      const got = /events correctly captured\): (\d+)/.exec(out);
      const drops = [...out.matchAll(/n_drops: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      if (!got || ddSeconds < 0) return rej(new Error(`scap-open --modern_bpf gave no summary: ${out.slice(-2000)}`));
      res({ ddSeconds, events: Number(got[1]), drops });
    });
  });
}

if (process.getuid?.() !== 0) throw new Error('bench:capture needs root (it loads the eBPF driver)');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build:native first`);
mkdirSync(OUT, { recursive: true });
makeRandomFile();
const haveReference = existsSync(REF_SCAP_OPEN);
if (!haveReference) console.log(`libs' modern eBPF reference not built (looked for ${REF_SCAP_OPEN}): no ratio`);

interface Row { ddSeconds: number; events: number; drops: number; bytes: number; rssKib: number }
let base = Infinity;
let randomBase = Infinity;
const best = new Map<string, Row>();
const keep = (label: string, r: Row): void => {
  const b = best.get(label);
  if (!b || r.ddSeconds < b.ddSeconds) best.set(label, r);
};
await withoutBpfStats(async () => {
  for (let round = 0; round < RUNS; round++) {
    base = Math.min(base, await runDd());
    for (const kind of KINDS) {
      const file = join(OUT, `capture-bench.${kind}.scap`);
      const r = await captureDuringDd(file, kind);
      keep(kind, { ...r, bytes: statSync(file).size });
      rmSync(file, { force: true });
    }
    if (haveReference) keep('reference', { ...(await referenceDuringDd()), bytes: 0, rssKib: 0 });
    randomBase = Math.min(randomBase, await runDd(RANDOM_DD));
    for (const kind of KINDS) {
      const file = join(OUT, `capture-bench.random.${kind}.scap`);
      const r = await captureDuringDd(file, kind, RANDOM_DD);
      keep(`${kind}, random data`, { ...r, bytes: statSync(file).size });
      rmSync(file, { force: true });
    }
  }
});

console.log(`dd bs=1 count=${DD_COUNT} (${2 * DD_COUNT} read/write syscalls): ${base.toFixed(2)} s without capture; best of ${RUNS} interleaved rounds`);
console.log(`random data: dd bs=100 count=${RANDOM_READS} from a file of random bytes: ${randomBase.toFixed(2)} s without capture`);
const rate = (r: Row): number => r.events / r.ddSeconds;
for (const [label, r] of best) {
  const ddBase = label.endsWith('random data') ? randomBase : base;
  const total = r.events + r.drops;
  const name = label === 'reference' ? 'libs modern_bpf (scap-open)' : `scap-capture ${label}`;
  console.log(
    `${name.padEnd(34)} dd ${r.ddSeconds.toFixed(2)} s (x${(r.ddSeconds / ddBase).toFixed(2)})  ` +
    `${r.events} events  ${(rate(r) / 1e6).toFixed(2)} M events/s  ` +
    `${r.drops} drops (${(total ? (r.drops / total) * 100 : 0).toFixed(2)}%)` +
    (label === 'reference' ? '' : `  ${(r.bytes / 1e6).toFixed(1)} MB (${(r.bytes / Math.max(r.events, 1)).toFixed(1)} B/event)  peak RSS ${(r.rssKib / 1024).toFixed(1)} MiB`),
  );
}
const ref = best.get('reference');
const none = best.get('none');
if (ref && none) {
  console.log(`ratio events/s, scap-capture (none) / libs modern_bpf: ${(rate(none) / rate(ref)).toFixed(2)}x; dd slowdown x${(none.ddSeconds / base).toFixed(2)} vs x${(ref.ddSeconds / base).toFixed(2)}`);
}
