/**
 * `npm run bench:export`: `scap export` end to end on bench/out/bench.scap
 * (made by make-capture.ts, ~2M sinsp events from curl_google), to Parquet
 * and to an Arrow IPC file.
 *
 * Prints events/s, events per CPU-second, output size against the gzip'd
 * capture (bench.scap.gz, made once with zlib level 6), and peak RSS of each
 * run (GNU time); then
 * opens the Parquet output in DuckDB and checks its row count. For scale it
 * also times `scap read --count` on the same file: there is no reference
 * tool that writes tables, so the ratio shows what the table costs on top
 * of reading and state replay.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeCapture } from './make-capture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'bench', 'out');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const REPS = Number(process.env.BENCH_REPS ?? 2200);

interface Run { seconds: number; cpuSeconds: number; maxRssKb: number; stdout: string; stderr: string }

/**
 * One whole process under GNU time: wall time, CPU time (user + sys, all
 * threads: the export encodes Parquet on a worker) and peak RSS. On a shared
 * machine wall time swings with other load; events per CPU-second is the
 * steadier figure.
 */
function timed(args: string[]): Run {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'node', CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.status !== 0) throw new Error(`scap ${args.join(' ')} failed: ${res.stderr}`);
  const lines = res.stderr.trim().split('\n');
  const [user, sys, rss] = lines.pop()!.split(' ').map(Number);
  return { seconds, cpuSeconds: user! + sys!, maxRssKb: rss!, stdout: res.stdout, stderr: lines.join('\n') };
}

const rate = (events: number, run: Run): string =>
  `${run.seconds.toFixed(2)} s (${(events / run.seconds / 1e6).toFixed(3)} M events/s), CPU ${run.cpuSeconds.toFixed(2)} s (${(events / run.cpuSeconds / 1e3).toFixed(0)} K events/CPU-s)`;

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // BENCH_SCAP: an existing capture (e.g. another checkout's bench/out/bench.scap) instead of making one here.
  const scap = process.env.BENCH_SCAP ?? join(OUT, 'bench.scap');
  if (!existsSync(scap)) {
    const made = makeCapture(join(ROOT, 'fixtures', 'captures', 'curl_google.scap'), scap, REPS);
    console.log(`made ${scap}: ${made.eventBlocks} event blocks, ${made.bytes} bytes`);
  }
  const gz = `${scap}.gz`;
  if (!existsSync(gz) || statSync(gz).mtimeMs < statSync(scap).mtimeMs) {
    await pipeline(createReadStream(scap), createGzip({ level: 6 }), createWriteStream(gz));
  }
  const scapBytes = statSync(scap).size;
  const gzBytes = statSync(gz).size;
  console.log(`${scap}: ${mib(scapBytes)}, gzip'd ${mib(gzBytes)}`);

  const read = timed(['read', '--count', scap]);
  const events = Number(read.stdout.trim());
  console.log(`scap read --count         ${events} events  ${rate(events, read)}  peak RSS ${(read.maxRssKb / 1024).toFixed(0)} MiB`);

  const db = await (await DuckDBInstance.create(':memory:')).connect();
  for (const ext of ['parquet', 'arrow']) {
    const out = join(OUT, `bench.${ext}`);
    rmSync(out, { force: true });
    const run = timed(['export', scap, '-o', out]);
    const rows = Number(/^(\d+) events written/m.exec(run.stderr)?.[1] ?? NaN);
    const size = statSync(out).size;
    console.log(`scap export -o .${ext.padEnd(8)} ${rows} events  ${rate(rows, run)}  ` +
      `peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MiB  output ${mib(size)} = ${(size / gzBytes).toFixed(2)}x the gzip'd scap`);
    console.log(`  ratio wall time, scap read --count / scap export: ${(read.seconds / run.seconds).toFixed(2)}x`);
    if (ext === 'parquet') {
      const n = (await db.runAndReadAll(`select count(*) from '${out}'`)).getRows()[0]![0];
      console.log(`  DuckDB reads ${String(n)} rows from ${out} (${Number(n) === events ? 'same as scap read --count' : 'DIFFERENT from scap read --count'})`);
    }
    rmSync(out, { force: true }); // the .arrow output is ~15x the gzip'd capture
  }
  db.closeSync();
}

await main();
