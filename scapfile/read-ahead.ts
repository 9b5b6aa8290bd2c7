// A capture file read by a worker thread. Reading, decompressing and
// splitting blocks into batches is a fifth to a third of a `scap read`; on a
// machine with a second core it runs there, ahead of the main thread, which
// spends its time converting layouts, replaying state and rendering. The
// batches, warnings and stats are the ones `openCapture` gives, in the same
// order; the worker stays at most `IN_FLIGHT` batches ahead, so memory stays
// bounded when the main thread is the slower one.

import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReaderStats, ReadWarning } from './block-reader.js';
import { PacketCaptureError, ScapFormatError } from './errors.js';
import type { EventBatch } from './event-batch.js';
import { openCapture } from './open-capture.js';
import type { Capture, CaptureInfo, OpenCaptureOptions } from './open-capture.js';
import type { StateBlock } from './state-blocks/index.js';
import type { EnterEventLosses, LayoutConverterOptions } from './upgrade/index.js';

/** Batches the worker may have posted and the main thread not yet taken (about 1 MiB each). */
const IN_FLIGHT = 4;
/** Indices into `ReadAheadStart.taken`. */
export const TAKEN = 0;
export const SLEEPING = 1;

/** What the worker is given: its first message. */
export interface ReadAheadStart {
  readonly kind: 'start';
  readonly path: string;
  readonly options: Pick<OpenCaptureOptions, 'maxBlockBytes' | 'recover' | 'firstOffset'>;
  readonly inFlight: number;
  /**
   * Two Int32s: [TAKEN] the batches the main thread has taken, [SLEEPING] 1
   * while the worker waits for it to take more (Atomics: no message per
   * batch back, and a wake-up only when the worker sleeps).
   */
  readonly taken: SharedArrayBuffer;
  /** When set, the worker also upgrades old layouts, with these limits (see `ReadAheadOptions.convert`). */
  readonly convert?: ConversionLimits;
}

/** The limits of the worker's `LayoutConverter`. */
export type ConversionLimits = Pick<LayoutConverterOptions, 'maxStoredTids' | 'maxStoredBytes'>;

/** Options of `openCaptureReadAhead`. */
export interface ReadAheadOptions extends OpenCaptureOptions {
  /**
   * Upgrade old layouts in the worker too (a `LayoutConverter` set up as the
   * Inspector's, events libscap cannot convert skipped with a warning when
   * `recover` is set): batches then hold the events libscap returns, and
   * `conversion` says what the converter did.
   */
  readonly convert?: ConversionLimits;
}

/** What the worker's converter did so far (complete once iteration has ended). */
export interface ConversionProgress {
  /** Events read before conversion. */
  rawEvents: number;
  /** `LayoutConverter.returnedBeforeFirstFilter`. */
  returnedBeforeFirstFilter: number;
  /** What the converter's store forgot, and what that cost (`LayoutConverter.losses`). */
  losses: EnterEventLosses;
  /** Events skipped because libscap cannot convert them (with `recover`). */
  readonly warnings: ReadWarning[];
}

/** A capture read ahead, with its layouts upgraded by the worker. */
export interface ConvertedCapture extends Capture {
  readonly conversion: ConversionProgress;
  /**
   * Hands a batch this capture gave out back to the reader thread, for a
   * caller done with every byte and array of it: later batches are copied
   * into its memory instead of new memory. Others are ignored.
   */
  release(batch: EventBatch): void;
}

/** Reader progress sent with every message: stats so far, new warnings and late state blocks. */
interface Progress {
  readonly stats: ReaderStats | undefined;
  readonly warnings: readonly ReadWarning[];
  readonly late: readonly StateBlock[];
  readonly conversion: (Omit<ConversionProgress, 'warnings'> & { warnings: readonly ReadWarning[] }) | undefined;
}

/** An error of the worker's reader, sent as plain data. */
interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly offset?: number;
  readonly blockType?: number;
  readonly blockOffset?: number;
}

/** The memory of one batch, as it moves between the threads. */
export interface BatchMemory {
  readonly kind: 'recycle';
  readonly buf: ArrayBuffer;
  readonly offsets: ArrayBuffer;
  readonly cpus: ArrayBuffer;
  readonly flags: ArrayBuffer;
  readonly nums: ArrayBuffer;
  readonly blockOffsets: ArrayBuffer;
}

/** Main → worker: a batch's memory handed back for the next batches (`ConvertedCapture.release`). */
export type ReadAheadReturn = BatchMemory;

/** Worker → main. The arrays may be longer than `count`, the buffer than `bufLength`. */
export type ReadAheadMessage =
  | ({ kind: 'batch'; count: number; bufLength: number; buf: ArrayBuffer; offsets: ArrayBuffer; cpus: ArrayBuffer; flags: ArrayBuffer;
    nums: ArrayBuffer; blockOffsets: ArrayBuffer; restart?: CaptureInfo } & Progress)
  | ({ kind: 'end' } & Progress)
  | ({ kind: 'error'; error: ErrorData } & Progress);

const WORKER = new URL('./read-ahead-worker.js', import.meta.url);

/**
 * Files smaller than this are read in one thread: starting the worker (a
 * few tens of milliseconds) costs more than it saves on them.
 */
const READ_AHEAD_MIN_BYTES = 8 << 20;

/**
 * Whether `openCaptureReadAhead` can run here: the worker compiled beside
 * this module (tests that run the TypeScript sources have none).
 */
export function readAheadAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/**
 * Whether reading `path` in a worker should pay: a second core, and a file
 * large enough. False for anything that is not a regular file.
 */
export function readAheadPays(path: string): boolean {
  let size = 0;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false; // openCapture will say what is wrong with it
  }
  return size >= READ_AHEAD_MIN_BYTES && availableParallelism() > 1 && readAheadAvailable();
}

function rebuildError(e: ErrorData): Error {
  if (e.name === 'PacketCaptureError' && e.offset !== undefined && e.blockType !== undefined) return new PacketCaptureError(e.offset, e.blockType);
  if (e.name === 'ScapFormatError' && e.offset !== undefined) {
    return new ScapFormatError(e.message, {
      offset: e.offset,
      ...(e.blockType !== undefined ? { blockType: e.blockType } : {}),
      ...(e.blockOffset !== undefined ? { blockOffset: e.blockOffset } : {}),
    });
  }
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  return err;
}

/**
 * A worker started by `startReadAheadEarly`, until `openCaptureReadAhead`
 * takes it; `failed` once it stopped or failed while waiting.
 */
let early: { worker: Worker; failed: boolean } | undefined;
/** Set by the first `openCaptureReadAhead`: a worker started after it would never be used. */
let opened = false;

/**
 * Starts a worker for the next `openCaptureReadAhead` now, for a program
 * that knows it will read a large capture but has modules of its own to load
 * first: the worker's own start-up (a new isolate and the reader's modules,
 * about a tenth of a second) then overlaps theirs instead of following them.
 * It waits for its capture, and never keeps the process alive.
 */
export function startReadAheadEarly(): void {
  if (early !== undefined || opened || !readAheadAvailable()) return;
  const worker = new Worker(WORKER);
  const waiting = { worker, failed: false };
  // Until it is taken, an error or exit only means it cannot be used.
  const fail = (): void => { waiting.failed = true; };
  worker.on('error', fail);
  worker.on('exit', fail);
  worker.unref();
  early = waiting;
}

/** The worker started early, if there is one that still runs, else a new one. */
function takeWorker(): Worker {
  opened = true;
  const taken = early;
  early = undefined;
  if (taken === undefined) return new Worker(WORKER);
  taken.worker.removeAllListeners('error');
  taken.worker.removeAllListeners('exit');
  if (!taken.failed) return taken.worker;
  void taken.worker.terminate();
  return new Worker(WORKER);
}

/**
 * `openCapture` for a file path, with the reading done by a worker thread.
 * The header and initial state are read here (they are small, and errors such
 * as a file that is not a capture come out as from `openCapture`); the worker
 * reads the file again from its start and sends every event batch.
 */
export async function openCaptureReadAhead(path: string, options: ReadAheadOptions & { convert: ConversionLimits }): Promise<ConvertedCapture>;
export async function openCaptureReadAhead(path: string, options?: ReadAheadOptions): Promise<Capture>;
export async function openCaptureReadAhead(path: string, options: ReadAheadOptions = {}): Promise<Capture | ConvertedCapture> {
  const start: ReadAheadStart = {
    kind: 'start',
    path,
    options: { maxBlockBytes: options.maxBlockBytes, recover: options.recover, firstOffset: options.firstOffset },
    inFlight: IN_FLIGHT,
    taken: new SharedArrayBuffer(8),
    ...(options.convert !== undefined
      ? { convert: { maxStoredTids: options.convert.maxStoredTids, maxStoredBytes: options.convert.maxStoredBytes } }
      : {}),
  };
  const takenCount = new Int32Array(start.taken);
  // Messages arrive in order; the iterator takes them one at a time.
  const queue: ReadAheadMessage[] = [];
  let waiting: (() => void) | undefined;
  let failure: Error | undefined;
  let closed = false;
  const worker = takeWorker();
  // Listened to from the start: a Worker drops the messages that come while
  // nobody listens, and the worker may post its first batches while the
  // head is read below (a caller busy meanwhile lost them all, and both
  // threads then waited for each other for ever).
  worker.on('message', (m: ReadAheadMessage) => { queue.push(m); waiting?.(); });
  worker.on('error', (err) => { failure ??= err; waiting?.(); });
  worker.on('exit', (code) => {
    if (!closed) failure ??= new Error(`the capture reader thread stopped (exit code ${code})`);
    waiting?.();
  });
  worker.postMessage(start);
  // Only a reader that is waited on keeps the process alive: a capture left
  // unfinished must not stop the program from ending.
  worker.unref();
  let head: Capture;
  try {
    head = await openCapture(path, options);
  } catch (err) {
    closed = true;
    await worker.terminate();
    throw err;
  }
  await head.close();

  const stats: ReaderStats = { ...head.stats, blockCounts: new Map(head.stats.blockCounts) };
  const warnings: ReadWarning[] = [...head.warnings];
  const lateStateBlocks: StateBlock[] = [];
  const conversion: ConversionProgress = { rawEvents: 0, returnedBeforeFirstFilter: Infinity, losses: { evictions: 0, defaultedExits: 0, unfollowed: 0 }, warnings: [] };

  const absorb = (p: Progress): void => {
    if (p.stats !== undefined) {
      const { blockCounts, ...rest } = p.stats;
      Object.assign(stats, rest);
      stats.blockCounts.clear();
      for (const [k, v] of blockCounts) stats.blockCounts.set(k, v);
    }
    for (const w of p.warnings) warnings.push(w);
    for (const b of p.late) lateStateBlocks.push(b);
    if (p.conversion !== undefined) {
      conversion.rawEvents = p.conversion.rawEvents;
      conversion.returnedBeforeFirstFilter = p.conversion.returnedBeforeFirstFilter;
      conversion.losses = p.conversion.losses;
      for (const w of p.conversion.warnings) conversion.warnings.push(w);
    }
  };
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };
  // The batches handed out whose memory the worker may have back.
  const ours = new WeakSet<EventBatch>();
  const release = (batch: EventBatch): void => {
    if (closed || !ours.delete(batch)) return;
    const m: ReadAheadReturn = {
      kind: 'recycle', buf: batch.buf.buffer as ArrayBuffer, offsets: batch.offsets.buffer as ArrayBuffer,
      cpus: batch.cpus.buffer as ArrayBuffer, flags: batch.flags.buffer as ArrayBuffer,
      nums: batch.nums.buffer as ArrayBuffer, blockOffsets: batch.blockOffsets.buffer as ArrayBuffer,
    };
    worker.postMessage(m, [m.buf, m.offsets, m.cpus, m.flags, m.nums, m.blockOffsets]);
  };
  let iterating = false;
  // The state of a joined capture that came with the batch handed out last.
  let restart: CaptureInfo | undefined;
  return {
    info: head.info,
    stats,
    warnings,
    lateStateBlocks,
    ...(options.convert !== undefined ? { conversion, release } : {}),
    close,
    takeRestart() {
      const r = restart;
      restart = undefined;
      return r;
    },
    [Symbol.asyncIterator](): AsyncIterator<EventBatch> {
      if (iterating) throw new Error('a capture can be iterated once');
      iterating = true;
      let done = false;
      return {
        async next(): Promise<IteratorResult<EventBatch>> {
          if (done) return { done: true, value: undefined };
          while (queue.length === 0 && failure === undefined) {
            worker.ref();
            await new Promise<void>((resolve) => { waiting = resolve; });
            waiting = undefined;
            worker.unref();
          }
          const m = queue.shift();
          if (m === undefined) {
            done = true;
            await close();
            throw failure!;
          }
          absorb(m);
          if (m.kind === 'batch') {
            Atomics.add(takenCount, TAKEN, 1);
            // Wake a sleeping worker only once half of what it read ahead is
            // used: each wake-up then yields a few batches. Waking it at
            // every batch cost up to a millisecond each on a busy machine
            // (the woken thread took this one's core).
            if (Atomics.load(takenCount, SLEEPING) === 1 && queue.length < IN_FLIGHT / 2) Atomics.notify(takenCount, TAKEN);
            if (m.restart !== undefined) restart = m.restart;
            const batch: EventBatch = {
              buf: Buffer.from(m.buf, 0, m.bufLength), count: m.count,
              offsets: new Int32Array(m.offsets), cpus: new Uint16Array(m.cpus), flags: new Uint32Array(m.flags),
              nums: new Float64Array(m.nums), blockOffsets: new Float64Array(m.blockOffsets),
            };
            ours.add(batch);
            return { done: false, value: batch };
          }
          done = true;
          await close();
          if (m.kind === 'error') throw rebuildError(m.error);
          return { done: true, value: undefined };
        },
        async return(): Promise<IteratorResult<EventBatch>> {
          done = true;
          await close();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
