/**
 * `npm run bench`: read throughput of `scap read --count` against the
 * reference on the same file, in the same run.
 *
 * 1. Builds bench/out/bench.scap (plain) from a fixture, replicated to over
 *    2M sinsp events (see make-capture.ts), and a 10x larger file for the
 *    memory check, unless they exist.
 * 2. Times whole processes, best of N runs: `scap read --count`, and when the
 *    reference is built (REFS_DIR, default ~/.cache/scapkit-reference):
 *    `sinsp-example -s F -t` (libsinsp, perftest mode) and
 *    `scap-open --scap_file F` (bare libscap, the fastest read mode).
 * 3. Prints events, bytes, seconds, events/s, MB/s and the ratios, and the
 *    peak RSS of `scap read --count` on both files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCapture } from './make-capture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'bench', 'out');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
/**
 * Two captures: a legacy one (2018 sysdig, enter/exit pairs that libscap
 * converts on read: 939 sinsp events per repetition of curl_google, 2200
 * repetitions give 2.07M) and a modern one (1.2 event blocks, exit-only
 * layouts: 1714 per repetition of single_ipv6_conn, 1750 give 3.0M).
 */
const CAPTURES = [
  { name: 'bench.scap', fixture: 'curl_google', reps: Number(process.env.BENCH_REPS ?? 2200), label: 'legacy (curl_google)' },
  { name: 'modern.scap', fixture: 'single_ipv6_conn', reps: Number(process.env.BENCH_MODERN_REPS ?? 1750), label: 'modern (single_ipv6_conn)' },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REFS_DIR = process.env.REFS_DIR ?? join(homedir(), '.cache', 'scapkit-reference');
const SINSP = join(REFS_DIR, 'libs', 'build', 'libsinsp', 'examples', 'sinsp-example');
const SCAP_OPEN = join(REFS_DIR, 'libs', 'build', 'libscap', 'examples', '01-open', 'scap-open');

interface Timing { seconds: number; events: number; maxRssKb: number }

/** Runs a command under GNU time, best wall time of `RUNS`; `count` reads the event count from stdout. */
function time(cmd: string, args: string[], count: (stdout: string) => number): Timing {
  let best: Timing | undefined;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
      encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (res.status !== 0) throw new Error(`${cmd} failed: ${res.stderr}`);
    const maxRssKb = Number(res.stderr.trim().split('\n').pop());
    const timing = { seconds, events: count(res.stdout), maxRssKb };
    if (!best || timing.seconds < best.seconds) best = timing;
  }
  return best!;
}

function ensureCapture(name: string, fixture: string, reps: number): string {
  const path = join(OUT, name);
  if (!existsSync(path)) {
    mkdirSync(OUT, { recursive: true });
    const made = makeCapture(join(ROOT, 'fixtures', 'captures', `${fixture}.scap`), path, reps);
    console.log(`made ${path}: ${made.eventBlocks} event blocks, ${made.bytes} bytes`);
  }
  return path;
}

function report(label: string, t: Timing, bytes: number): void {
  const eps = t.events / t.seconds;
  console.log(`${label.padEnd(28)} ${String(t.events).padStart(9)} events  ${t.seconds.toFixed(3)} s  ${(eps / 1e6).toFixed(3)} M events/s  ${(bytes / t.seconds / 1e6).toFixed(1)} MB/s  peak RSS ${(t.maxRssKb / 1024).toFixed(1)} MiB`);
}

const haveReference = existsSync(SCAP_OPEN) && existsSync(SINSP);
if (!haveReference) {
  console.log(`reference not built (looked in ${REFS_DIR}); build it with shared/tools/reference/build.sh to get ratios`);
}
let oursLegacy: Timing | undefined;
for (const c of CAPTURES) {
  const file = ensureCapture(c.name, c.fixture, c.reps);
  const bytes = statSync(file).size;
  console.log(`\n${c.label}: ${file}, ${bytes} bytes, ${c.fixture} x${c.reps}; best of ${RUNS} runs, whole-process wall time`);
  const ours = time('node', [CLI, 'read', '--count', file], (out) => Number(out.trim()));
  if (c.name === 'bench.scap') oursLegacy = ours;
  report('scap read --count', ours, bytes);
  if (!haveReference) continue;
  const scapOpen = time(SCAP_OPEN, ['--scap_file', file], (out) => Number(/events correctly captured\): (\d+)/.exec(out)?.[1] ?? NaN));
  report('scap-open (libscap)', scapOpen, bytes);
  const sinsp = time(SINSP, ['-s', file, '-t'], (out) => Number(/Retrieved events: (\d+)/.exec(out)?.[1] ?? NaN));
  report('sinsp-example -t (libsinsp)', sinsp, bytes);
  const oursEps = ours.events / ours.seconds;
  console.log(`ratio events/s, scap read --count / sinsp-example -t: ${(oursEps / (sinsp.events / sinsp.seconds)).toFixed(2)}x (same events: ${ours.events === sinsp.events})`);
  console.log(`ratio events/s, scap read --count / scap-open:        ${(oursEps / (scapOpen.events / scapOpen.seconds)).toFixed(2)}x (scap-open counts libscap events: ${scapOpen.events})`);
  console.log(`ratio wall time, reference's fastest / scap read --count: ${(Math.min(scapOpen.seconds, sinsp.seconds) / ours.seconds).toFixed(2)}x`);
}

if (process.env.BENCH_RSS !== '0' && oursLegacy) {
  const big = ensureCapture('bench-10x.scap', 'curl_google', CAPTURES[0]!.reps * 10);
  const bigT = time('node', [CLI, 'read', '--count', big], (out) => Number(out.trim()));
  console.log('');
  report('scap read --count (10x file)', bigT, statSync(big).size);
  console.log(`peak RSS 10x file / 1x file: ${(bigT.maxRssKb / oursLegacy.maxRssKb).toFixed(2)}`);
}
