/**
 * `npm run bench`: read throughput of `scap read` against the reference on
 * the same file, in the same run.
 *
 * 1. Builds bench/out/bench.scap (plain) from a fixture, replicated to over
 *    2M sinsp events (see make-capture.ts), and a 10x larger file for the
 *    memory check, unless they exist.
 * 2. Times whole processes in interleaved rounds (one run of each command per
 *    round, so that a noisy moment hits all of them), keeping each command's
 *    best wall time of N rounds: `scap read --count`, and when the reference
 *    is built (REFS_DIR, default ~/.cache/scapkit-reference)
 *    `sinsp-example -s F -t` (libsinsp, perftest mode) and
 *    `scap-open --scap_file F` (bare libscap). On the legacy capture and
 *    the driver's, also a filter that matches nothing (`-f`), the default
 *    text output and JSON output (`-j`), each against sinsp-example doing
 *    the same (BENCH_FILTER=0 skips them).
 * 3. Prints events, bytes, seconds, CPU seconds (user + system: scap reads
 *    large files in two threads, the reference in one), events/s, MB/s and
 *    the ratios, and the peak RSS of `scap read --count` on both files.
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
 * Three captures: a legacy one (2018 sysdig, enter/exit pairs that libscap
 * converts on read: 939 sinsp events per repetition of curl_google, 2200
 * repetitions give 2.07M), a modern one (1.2 event blocks, exit-only
 * layouts: 1714 per repetition of single_ipv6_conn, 1750 give 3.0M, nearly
 * all procinfo), and one of our driver's (exit-only layouts of today's
 * drivers and a real syscall mix, with execs, forks and their long
 * environments: 2452 sinsp events, and 2630 state-only ones, per repetition
 * of scapkit_sysmix; 400 give 0.98M). `outputs`: the filter, text and JSON
 * runs are timed on it too.
 */
const CAPTURES = [
  { name: 'bench.scap', fixture: 'curl_google', reps: Number(process.env.BENCH_REPS ?? 2200), label: 'legacy (curl_google)', outputs: true },
  { name: 'modern.scap', fixture: 'single_ipv6_conn', reps: Number(process.env.BENCH_MODERN_REPS ?? 1750), label: 'modern (single_ipv6_conn)', outputs: false },
  { name: 'driver.scap', fixture: 'scapkit_sysmix', reps: Number(process.env.BENCH_DRIVER_REPS ?? 400), label: 'our driver (scapkit_sysmix)', outputs: true },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REFS_DIR = process.env.REFS_DIR ?? join(homedir(), '.cache', 'scapkit-reference');
const SINSP = join(REFS_DIR, 'libs', 'build', 'libsinsp', 'examples', 'sinsp-example');
const SCAP_OPEN = join(REFS_DIR, 'libs', 'build', 'libscap', 'examples', '01-open', 'scap-open');

interface Timing { seconds: number; cpuSeconds: number; events: number; maxRssKb: number }

/** A command to time; `count` reads the event count from its stdout (NaN when it prints events instead). */
interface Command {
  readonly label: string;
  readonly cmd: string;
  readonly args: string[];
  readonly count: (stdout: string) => number;
  /** Its stdout goes to /dev/null (it prints every event). */
  readonly discard?: boolean;
}

function runOnce(c: Command): Timing {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', c.cmd, ...c.args], {
    encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    stdio: ['ignore', c.discard ? 'ignore' : 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.status !== 0) throw new Error(`${c.cmd} failed: ${res.stderr}`);
  const [rss, user, sys] = res.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, cpuSeconds: user! + sys!, events: c.discard ? NaN : c.count(res.stdout), maxRssKb: rss! };
}

/** Runs every command once per round for `RUNS` rounds; the best wall time of each. */
function timeInterleaved(commands: readonly Command[]): Timing[] {
  const best: Array<Timing | undefined> = commands.map(() => undefined);
  for (let r = 0; r < RUNS; r++) {
    commands.forEach((c, i) => {
      const t = runOnce(c);
      if (!best[i] || t.seconds < best[i]!.seconds) best[i] = t;
    });
  }
  return best as Timing[];
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

function report(label: string, t: Timing, bytes: number, events = t.events): void {
  const eps = events / t.seconds;
  console.log(`${label.padEnd(34)} ${String(events).padStart(9)} events  ${t.seconds.toFixed(3)} s (CPU ${t.cpuSeconds.toFixed(2)} s)  ${(eps / 1e6).toFixed(3)} M events/s  ${(bytes / t.seconds / 1e6).toFixed(1)} MB/s  peak RSS ${(t.maxRssKb / 1024).toFixed(1)} MiB`);
}

const haveReference = existsSync(SCAP_OPEN) && existsSync(SINSP);
if (!haveReference) {
  console.log(`reference not built (looked in ${REFS_DIR}); build it with shared/tools/reference/build.sh to get ratios`);
}
const countOf = (out: string): number => Number(out.trim());
const sinspRetrieved = (out: string): number => Number(/Retrieved events: (\d+)/.exec(out)?.[1] ?? NaN);
/** A filter no event matches: every event is read, state replayed and the filter run, nothing printed. */
const NO_MATCH = 'proc.name = nonexistent';

let oursLegacy: Timing | undefined;
for (const c of CAPTURES) {
  const file = ensureCapture(c.name, c.fixture, c.reps);
  const bytes = statSync(file).size;
  console.log(`\n${c.label}: ${file}, ${bytes} bytes, ${c.fixture} x${c.reps}; best of ${RUNS} interleaved rounds, whole-process wall time`);
  const commands: Command[] = [{ label: 'scap read --count', cmd: 'node', args: [CLI, 'read', '--count', file], count: countOf }];
  if (haveReference) {
    commands.push(
      { label: 'scap-open (libscap)', cmd: SCAP_OPEN, args: ['--scap_file', file], count: (out) => Number(/events correctly captured\): (\d+)/.exec(out)?.[1] ?? NaN) },
      { label: 'sinsp-example -t (libsinsp)', cmd: SINSP, args: ['-s', file, '-t'], count: sinspRetrieved },
    );
  }
  const [ours, scapOpen, sinsp] = timeInterleaved(commands);
  if (c.name === 'bench.scap') oursLegacy = ours;
  report('scap read --count', ours!, bytes);
  if (!haveReference) continue;
  report('scap-open (libscap)', scapOpen!, bytes);
  report('sinsp-example -t (libsinsp)', sinsp!, bytes);
  const oursEps = ours!.events / ours!.seconds;
  console.log(`ratio events/s, scap read --count / sinsp-example -t: ${(oursEps / (sinsp!.events / sinsp!.seconds)).toFixed(2)}x (same events: ${ours!.events === sinsp!.events})`);
  console.log(`ratio events/s, scap read --count / scap-open:        ${(oursEps / (scapOpen!.events / scapOpen!.seconds)).toFixed(2)}x (scap-open counts libscap events: ${scapOpen!.events})`);
  console.log(`ratio wall time, reference's fastest / scap read --count: ${(Math.min(scapOpen!.seconds, sinsp!.seconds) / ours!.seconds).toFixed(2)}x`);

  if (!c.outputs || process.env.BENCH_FILTER === '0') continue;
  console.log(`\nfilter '${NO_MATCH}', text and JSON output on ${c.name}`);
  const [oursF, sinspF, oursT, sinspT, oursJ, sinspJ] = timeInterleaved([
    { label: 'scap read -f', cmd: 'node', args: [CLI, 'read', '-f', NO_MATCH, file], count: countOf, discard: true },
    { label: 'sinsp-example -f', cmd: SINSP, args: ['-s', file, '-f', NO_MATCH], count: sinspRetrieved, discard: true },
    { label: 'scap read (text)', cmd: 'node', args: [CLI, 'read', file], count: countOf, discard: true },
    { label: 'sinsp-example -a (text)', cmd: SINSP, args: ['-s', file, '-a'], count: sinspRetrieved, discard: true },
    { label: 'scap read -j', cmd: 'node', args: [CLI, 'read', '-j', file], count: countOf, discard: true },
    { label: 'sinsp-example -a -j', cmd: SINSP, args: ['-s', file, '-a', '-j'], count: sinspRetrieved, discard: true },
  ]);
  const n = ours!.events;
  report(`scap read -f '${NO_MATCH}'`, oursF!, bytes, n);
  report(`sinsp-example -f '${NO_MATCH}'`, sinspF!, bytes, n);
  console.log(`ratio events/s, filter: ${(sinspF!.seconds / oursF!.seconds).toFixed(2)}x`);
  report('scap read (text to /dev/null)', oursT!, bytes, n);
  report('sinsp-example -a (text)', sinspT!, bytes, n);
  console.log(`ratio events/s, text: ${(sinspT!.seconds / oursT!.seconds).toFixed(2)}x`);
  report('scap read -j (to /dev/null)', oursJ!, bytes, n);
  report('sinsp-example -a -j', sinspJ!, bytes, n);
  console.log(`ratio events/s, JSON: ${(sinspJ!.seconds / oursJ!.seconds).toFixed(2)}x`);
}

if (process.env.BENCH_RSS !== '0' && oursLegacy) {
  const big = ensureCapture('bench-10x.scap', 'curl_google', CAPTURES[0]!.reps * 10);
  const [bigT] = timeInterleaved([{ label: 'scap read --count (10x)', cmd: 'node', args: [CLI, 'read', '--count', big], count: countOf }]);
  console.log('');
  report('scap read --count (10x file)', bigT!, statSync(big).size);
  console.log(`peak RSS 10x file / 1x file: ${(bigT!.maxRssKb / oursLegacy.maxRssKb).toFixed(2)}`);
}
