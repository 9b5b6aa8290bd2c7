/**
 * `npm run bench:live`: how fast live mode delivers events to JavaScript.
 *
 * `dd if=/dev/zero of=/dev/null bs=1 count=N` makes two syscalls per byte.
 * P of them run at once, children of one shell captured by its pid
 * (filtered in the kernel), while the JS side iterates the batches of
 * `live()`, in four modes:
 *   - batches: count the events of each EventBatch (the reader's cost only);
 *   - cursor:  also move an EventCursor over every event and read its type;
 *   - write:   write them to a file, as `scap live -w` (CaptureWriter);
 *   - rotate:  write them to rotated files of BENCH_LIVE_ROTATE_MB (default
 *              5), as `scap live -w -C` (a file every few tens of ms here).
 * For each it prints events delivered, events/s over dd's run, drops in
 * the kernel, consumer stalls and peak RSS. Goal: >= 1M events/s, 0 drops.
 * On a small machine dd and the probes take the CPUs and the wall rate
 * measures them, so it also prints the consumer's capacity: events per
 * CPU-second of this process (the addon's thread and JS together), the
 * rate it would sustain with a core of its own.
 * BENCH_LIVE_COUNT (bytes per dd, default 2000000: ~4M events each),
 * BENCH_LIVE_PROCS (P, default 4) and BENCH_LIVE_RUNS (default 3) adjust
 * it. Needs root and the built addon.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLiveRotated } from '../cli/live-rotation.js';
import { live } from '../live/index.js';
import { EventCursor } from '../scapfile/event-cursor.js';
import { CaptureWriter } from '../scapfile/writer/index.js';
import { withoutBpfStats } from './bpf-stats.js';

const COUNT = Number(process.env.BENCH_LIVE_COUNT ?? 2_000_000);
const RUNS = Number(process.env.BENCH_LIVE_RUNS ?? 3);
const PROCS = Number(process.env.BENCH_LIVE_PROCS ?? Math.max(1, availableParallelism() - 1));
const ROTATE_MB = Number(process.env.BENCH_LIVE_ROTATE_MB ?? 5);
const MODES = ['batches', 'cursor', 'write', 'rotate'] as const;
type Mode = (typeof MODES)[number];

interface Result { events: number; seconds: number; cpuSeconds: number; drops: number; stalls: number; peakRssMiB: number }

async function run(mode: Mode): Promise<Result> {
  // A shell that waits for a line, then runs the dds: its pid is known before they start.
  const dds = Array.from({ length: PROCS }, () => `dd if=/dev/zero of=/dev/null bs=1 count=${COUNT} 2>/dev/null &`).join(' ');
  const dd = spawn('sh', ['-c', `read go; ${dds} wait`], { stdio: ['pipe', 'ignore', 'ignore'] });
  const src = live({ pid: dd.pid!, stopOnSignals: false });
  await src.open();
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let end = start;
  dd.on('exit', () => { end = process.hrtime.bigint(); void src.close(); });
  dd.stdin!.end('go\n');
  const cur = new EventCursor();
  let events = 0;
  let types = 0;
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-live-bench-'));
  try {
    if (mode === 'rotate') {
      await writeLiveRotated(src, join(dir, 'x.scap'), { maxBytes: ROTATE_MB * 1e6 });
      events = src.stats().events;
    } else if (mode === 'write') {
      const w = await CaptureWriter.open(join(dir, 'x.scap'));
      await w.writeState(src.info);
      for await (const batch of src) await w.writeBatch(batch);
      events = (await w.close()).events;
    } else {
      for await (const batch of src) {
        events += batch.count;
        if (mode === 'cursor') {
          for (let i = 0; i < batch.count; i++) types += cur.moveTo(batch, i).type;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cpu = process.cpuUsage(cpu0);
  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (mode === 'cursor' && types === 0) throw new Error('no event types read');
  const s = src.stats();
  return { events, seconds: Number(end - start) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6, drops: s.drops, stalls: s.stalls, peakRssMiB: peakRss / 2 ** 20 };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('live-bench: needs root to load the eBPF driver');
  console.log(`live-bench: ${availableParallelism()} CPUs, ${PROCS} x dd bs=1 count=${COUNT} captured by pid, ${RUNS} runs per mode, rotate at ${ROTATE_MB} MB`);
  for (const mode of MODES) {
    for (let r = 0; r < RUNS; r++) {
      const x = await run(mode);
      console.log(
        `${mode.padEnd(8)} ${String(x.events).padStart(9)} events in ${x.seconds.toFixed(2)} s = ` +
        `${(x.events / x.seconds / 1e6).toFixed(2)} M events/s (capacity ${(x.events / x.cpuSeconds / 1e6).toFixed(2)} M per CPU-s), ${x.drops} drops, ${x.stalls} stalls, peak RSS ${x.peakRssMiB.toFixed(0)} MiB`,
      );
    }
  }
}

withoutBpfStats(main).catch((err: unknown) => { console.error(err); process.exitCode = 1; });
