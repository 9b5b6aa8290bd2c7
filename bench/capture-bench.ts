/**
 * `npm run bench:capture`: what live capture costs and keeps up with. For
 * each output compression, scap-capture records the whole machine while
 * `dd if=/dev/zero of=/dev/null bs=1 count=N` makes 2N syscalls as fast as
 * it can; dd also runs once without a capture for its baseline time.
 *
 * Prints dd's time (and slowdown), events captured, events/s over dd's run,
 * drops, file bytes and bytes per event, scap-capture's peak RSS. Needs root
 * and build/scap-capture (npm run build:native). BENCH_DD_COUNT (default
 * 2000000) and BENCH_COMPRESS (default "none,gzip,zstd") adjust it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'build', 'scap-capture');
const DD_COUNT = Number(process.env.BENCH_DD_COUNT ?? 2_000_000);
const KINDS = (process.env.BENCH_COMPRESS ?? 'none,gzip,zstd').split(',');

/** Runs dd to its end; resolves with its wall time in seconds. */
function runDd(): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const dd = spawn('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${DD_COUNT}`], { stdio: 'ignore' });
    dd.on('error', rej);
    dd.on('exit', (code) => code === 0 ? res(Number(process.hrtime.bigint() - t0) / 1e9) : rej(new Error(`dd exited ${code}`)));
  });
}

interface CaptureResult { ddSeconds: number; events: number; drops: number; bytes: number; files: number; rssKib: number }

/** Starts scap-capture, runs dd once it captures, stops it with SIGINT and parses its summary line. */
function captureDuringDd(file: string, kind: string): Promise<CaptureResult> {
  return new Promise((res, rej) => {
    const p = spawn(BIN, ['-w', file, '--compress', kind, '--overwrite'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let ddSeconds = -1;
    let started = false;
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (!started && stderr.includes('capturing to ')) {
        started = true;
        runDd().then((s) => { ddSeconds = s; setTimeout(() => p.kill('SIGINT'), 300); }, (err) => { p.kill('SIGINT'); rej(err); });
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

if (process.getuid?.() !== 0) throw new Error('bench:capture needs root (it loads the eBPF driver)');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build:native first`);
mkdirSync(OUT, { recursive: true });

const base = await runDd();
console.log(`dd bs=1 count=${DD_COUNT} (${2 * DD_COUNT} read/write syscalls): ${base.toFixed(2)} s without capture`);
for (const kind of KINDS) {
  const file = join(OUT, `capture-bench.${kind}.scap`);
  const r = await captureDuringDd(file, kind);
  const size = statSync(file).size;
  const total = r.events + r.drops;
  console.log(
    `${kind.padEnd(5)} dd ${r.ddSeconds.toFixed(2)} s (x${(r.ddSeconds / base).toFixed(2)})  ` +
    `${r.events} events  ${(r.events / r.ddSeconds / 1e6).toFixed(2)} M events/s  ` +
    `${r.drops} drops (${(total ? (r.drops / total) * 100 : 0).toFixed(2)}%)  ` +
    `${(size / 1e6).toFixed(1)} MB (${(size / Math.max(r.events, 1)).toFixed(1)} B/event)  peak RSS ${(r.rssKib / 1024).toFixed(1)} MiB`,
  );
  rmSync(file, { force: true });
}
