/**
 * `npm run fuzz`: the long fuzz run of issue 9.
 *
 *   npm run fuzz -- --inputs 1000000 [--seed 1] [--workers 2] [--timeout-ms 5000]
 *   npm run fuzz -- --id 12345 [--seed 1]      (rebuild one input, run it, save it)
 *
 * Inputs are mutated seeds (mutate.ts); each goes through the whole pipeline
 * (pipeline.ts) in a child process with a bounded heap. Failures are: an
 * error other than ScapFormatError/NotACaptureError, a child that dies (out
 * of memory, abort), an input that takes longer than the time bound (a hang
 * candidate), and a child that stops reporting (a hang: it is killed). Each
 * failing input is written to test/fuzz/found/ with its mutation steps; copy
 * it to fixtures/fuzz/ once fixed, where the regression test runs it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, buildSeeds } from './seeds.js';
import { loadZstd, mutate } from './mutate.js';
import { runPipeline } from './pipeline.js';

interface Args { inputs: number; seed: number; workers: number; timeoutMs: number; id?: number; child: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { inputs: 100_000, seed: 1, workers: 2, timeoutMs: 5000, child: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = Number(argv[i + 1]);
    if (k === '--child') { a.child = true; continue; }
    if (!['--inputs', '--seed', '--workers', '--timeout-ms', '--id'].includes(k) || !Number.isFinite(v)) {
      throw new Error(`fuzz: unknown or bad argument ${k} ${argv[i + 1] ?? ''}`);
    }
    i++;
    if (k === '--inputs') a.inputs = v;
    else if (k === '--seed') a.seed = v;
    else if (k === '--workers') a.workers = v;
    else if (k === '--timeout-ms') a.timeoutMs = v;
    else a.id = v;
  }
  return a;
}

/** Every other input reads with --recover; one in 64 also goes through the Arrow export (30 times the cost of the rest). */
const optionsFor = (id: number) => ({ recover: id % 2 === 1, convert: id % 64 === 0 });

type ToChild = { start: number; end: number; precise: boolean } | { stop: true };
type FromChild =
  | { kind: 'progress'; done: number; rssKb: number; outcomes: Record<string, number> }
  | { kind: 'begin'; id: number }
  | { kind: 'failure'; id: number; what: string }
  | { kind: 'chunk-done'; rssKb: number; outcomes: Record<string, number> };

async function child(args: Args): Promise<void> {
  await loadZstd();
  const seeds = buildSeeds();
  const send = (m: FromChild): void => { process.send!(m); };
  process.on('message', async (m: ToChild) => {
    if ('stop' in m) { process.exit(0); }
    const outcomes: Record<string, number> = {};
    for (let id = m.start; id < m.end; id++) {
      if (m.precise) send({ kind: 'begin', id });
      const input = mutate(seeds, args.seed, id);
      const t0 = performance.now();
      try {
        const r = await runPipeline(input.bytes, optionsFor(id));
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      } catch (err) {
        send({ kind: 'failure', id, what: `threw ${(err as Error)?.stack ?? String(err)}` });
      }
      const ms = performance.now() - t0;
      if (ms > args.timeoutMs) send({ kind: 'failure', id, what: `took ${ms.toFixed(0)} ms (bound ${args.timeoutMs} ms)` });
      if ((id - m.start) % 64 === 63) {
        send({ kind: 'progress', done: id, rssKb: process.resourceUsage().maxRSS, outcomes });
        for (const k of Object.keys(outcomes)) outcomes[k] = 0;
      }
    }
    send({ kind: 'chunk-done', rssKb: process.resourceUsage().maxRSS, outcomes });
  });
}

interface Failure { id: number; what: string }

async function parent(args: Args): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const foundDir = join(ROOT, 'test', 'fuzz', 'found');
  await loadZstd();
  const seeds = buildSeeds();
  const CHUNK = 256;
  const queue: Array<{ start: number; end: number; precise: boolean }> = [];
  for (let s = 0; s < args.inputs; s += CHUNK) queue.push({ start: s, end: Math.min(args.inputs, s + CHUNK), precise: false });
  const failures: Failure[] = [];
  const kinds = new Map<string, number>();
  const outcomes: Record<string, number> = {};
  let peakRssKb = 0;
  let done = 0;
  const t0 = Date.now();
  let lastReport = t0;

  const addOutcomes = (o: Record<string, number>): void => {
    for (const [k, v] of Object.entries(o)) { outcomes[k] = (outcomes[k] ?? 0) + v; done += v; }
  };
  const fail = (id: number, what: string): void => {
    failures.push({ id, what });
    const input = mutate(seeds, args.seed, id);
    mkdirSync(foundDir, { recursive: true });
    const base = join(foundDir, `seed${args.seed}-id${id}`);
    writeFileSync(`${base}.scap`, input.bytes);
    writeFileSync(`${base}.txt`, `seed ${input.seed}\nsteps ${input.steps.join(' ')}\noptions ${JSON.stringify(optionsFor(id))}\n${what}\n`);
    // The first failures in full; after that one line per new kind of failure.
    const kind = what.split('\n')[0]!;
    if (failures.length <= 10 || !kinds.has(kind)) {
      process.stderr.write(`fuzz: FAILURE id ${id} (${input.seed}: ${input.steps.join(' ')}): ${kind}\n  saved ${base}.scap\n`);
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };

  const runWorker = (): Promise<void> => new Promise((resolveWorker) => {
    let proc: ChildProcess | undefined;
    let current: { start: number; end: number; precise: boolean } | undefined;
    let lastBegin = -1;
    let lastDone = -1;
    let lastHeard = Date.now();
    // Ids the child reported as failures itself, so that a death right after is not blamed twice.
    const spawn = (): void => {
      proc = fork(self, ['--child', '--seed', String(args.seed), '--timeout-ms', String(args.timeoutMs)], {
        execArgv: ['--max-old-space-size=512'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      proc.stderr!.on('data', () => undefined);
      proc.on('message', (m: FromChild) => {
        lastHeard = Date.now();
        if (m.kind === 'begin') lastBegin = m.id;
        else if (m.kind === 'failure') fail(m.id, m.what);
        else if (m.kind === 'progress') { lastDone = m.done; peakRssKb = Math.max(peakRssKb, m.rssKb); addOutcomes(m.outcomes); }
        else { peakRssKb = Math.max(peakRssKb, m.rssKb); addOutcomes(m.outcomes); next(); }
      });
      proc.on('exit', (code, signal) => {
        if (current === undefined) return;
        // The child died on an input: find it (precise mode reports each id
        // before running it), record it, and go on after it.
        const c = current;
        current = undefined;
        clearInterval(watch);
        if (c.precise) {
          const bad = Math.max(lastBegin, c.start);
          fail(bad, `the child died (${signal ?? `exit ${code}`})`);
          if (bad + 1 < c.end) queue.unshift({ start: bad + 1, end: c.end, precise: true });
        } else {
          queue.unshift({ start: Math.max(lastDone + 1, c.start), end: c.end, precise: true });
        }
        watch = setInterval(watchdog, 1000);
        spawn();
        next();
      });
    };
    const next = (): void => {
      const c = queue.shift();
      if (c === undefined) {
        current = undefined;
        clearInterval(watch);
        proc!.send({ stop: true });
        resolveWorker();
        return;
      }
      current = c;
      lastBegin = c.start - 1;
      lastDone = c.start - 1;
      lastHeard = Date.now();
      proc!.send(c);
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        const s = (Date.now() - t0) / 1000;
        process.stderr.write(`fuzz: ${done} inputs in ${s.toFixed(0)} s (${(done / s).toFixed(0)}/s), ${failures.length} failures, peak child RSS ${(peakRssKb / 1024).toFixed(0)} MiB\n`);
      }
    };
    // A child silent for longer than a whole chunk could take is hung: kill it.
    const watchdog = (): void => {
      if (current !== undefined && Date.now() - lastHeard > args.timeoutMs * (current.precise ? 2 : 8)) {
        if (current.precise) process.stderr.write(`fuzz: input ${lastBegin} hangs; killing its child\n`);
        proc!.kill('SIGKILL');
      }
    };
    let watch = setInterval(watchdog, 1000);
    spawn();
    next();
  });

  await Promise.all(Array.from({ length: Math.max(1, args.workers) }, runWorker));
  const seconds = (Date.now() - t0) / 1000;
  const summary = {
    inputs: args.inputs, seed: args.seed, seconds: Math.round(seconds), inputsPerSecond: Math.round(args.inputs / seconds),
    outcomes, failures: failures.length, failureKinds: Object.fromEntries(kinds), peakChildRssMiB: Math.round(peakRssKb / 1024),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return failures.length === 0 ? 0 : 1;
}

/** --id: rebuilds one input, saves it and runs it in this process (for a debugger). */
async function single(args: Args): Promise<number> {
  await loadZstd();
  const input = mutate(buildSeeds(), args.seed, args.id!);
  const path = join(process.cwd(), `fuzz-seed${args.seed}-id${args.id}.scap`);
  writeFileSync(path, input.bytes);
  process.stdout.write(`${input.seed}: ${input.steps.join(' ')}\nwritten to ${path}\n`);
  const r = await runPipeline(input.bytes, optionsFor(args.id!));
  process.stdout.write(`${JSON.stringify(r)}\n`);
  return 0;
}

const args = parseArgs(process.argv.slice(2));
if (args.child) await child(args);
else process.exitCode = args.id !== undefined ? await single(args) : await parent(args);
