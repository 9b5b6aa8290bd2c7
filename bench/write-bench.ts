/**
 * `npm run bench:write`: read + rewrite throughput of the capture writer
 * (`copyCapture`, what `scap convert` runs) on the bench capture, for plain,
 * gzip and zstd output, next to a read-only pass over the same file so the
 * writer's own share shows. The reference has no capture writer to compare
 * with (sinsp-example cannot write; see shared/tools/reference/README.md).
 *
 * Prints events, input MB/s, output bytes, events/s, best of BENCH_RUNS.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCapture } from '../scapfile/open-capture.js';
import { copyCapture } from '../scapfile/writer/index.js';
import type { Compression } from '../scapfile/byte-source.js';
import { makeCapture } from './make-capture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'bench', 'out');
const INPUT = process.env.BENCH_INPUT ?? join(OUT, 'bench.scap');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

if (!existsSync(INPUT)) {
  mkdirSync(OUT, { recursive: true });
  const made = makeCapture(join(ROOT, 'fixtures', 'captures', 'curl_google.scap'), INPUT, Number(process.env.BENCH_REPS ?? 2200));
  console.log(`made ${INPUT}: ${made.eventBlocks} event blocks, ${made.bytes} bytes`);
}
const inputBytes = statSync(INPUT).size;

async function best<T extends { seconds: number }>(run: () => Promise<T>): Promise<T> {
  let b: T | undefined;
  for (let r = 0; r < RUNS; r++) {
    const t = await run();
    if (!b || t.seconds < b.seconds) b = t;
  }
  return b!;
}

function line(label: string, events: number, seconds: number, outBytes?: number): void {
  console.log(
    `${label.padEnd(22)} ${String(events).padStart(9)} events  ${seconds.toFixed(3)} s  ` +
    `${(events / seconds / 1e6).toFixed(3)} M events/s  ${(inputBytes / seconds / 1e6).toFixed(1)} MB/s in` +
    (outBytes === undefined ? '' : `  ${(outBytes / 1e6).toFixed(1)} MB out (${(outBytes / inputBytes * 100).toFixed(1)}%)`),
  );
}

console.log(`${INPUT}: ${inputBytes} bytes; best of ${RUNS} runs, in-process wall time`);
const read = await best(async () => {
  const t0 = process.hrtime.bigint();
  const cap = await openCapture(INPUT);
  let events = 0;
  for await (const b of cap) events += b.count;
  return { events, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
});
line('read only', read.events, read.seconds);
for (const compression of ['none', 'gzip', 'zstd'] as Compression[]) {
  const out = join(OUT, `write-bench.${compression}.scap`);
  const r = await best(async () => {
    const t0 = process.hrtime.bigint();
    const s = await copyCapture(INPUT, out, { compression, force: true, sync: false });
    return { ...s, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  });
  line(`read + write ${compression}`, r.events, r.seconds, r.outputBytes);
  rmSync(out, { force: true });
}
