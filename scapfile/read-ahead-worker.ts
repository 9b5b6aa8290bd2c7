// The worker thread of `openCaptureReadAhead`: reads, decompresses and splits
// a capture into event batches (and, when asked, upgrades their layouts as
// libscap does) while the main thread works on the previous ones. Messages
// are described in read-ahead.ts.

import { parentPort } from 'node:worker_threads';
import { openCapture } from './open-capture.js';
import type { Capture, CaptureInfo, OpenCaptureOptions } from './open-capture.js';
import type { EventBatch } from './event-batch.js';
import { ScapFormatError } from './errors.js';
import { SLEEPING, TAKEN, type BatchMemory, type ReadAheadMessage, type ReadAheadReturn, type ReadAheadStart } from './read-ahead.js';
import type { ReadWarning } from './block-reader.js';
import { MAX_CONVERTED_EVENT_BYTES, readingConverter, type BatchArrays } from './upgrade/index.js';

const port = parentPort!;
/** Batches this thread may post ahead of the main thread (from the start message). */
let inFlight = 0;

/**
 * The memory of posted batches that the main thread handed back
 * (`ConvertedCapture.release`): each batch is copied into one of these
 * before it is transferred, so a reader that releases its batches makes
 * no allocation per batch on either side. Without it, every batch took a
 * fresh megabyte that only a garbage collection freed, and the collections
 * came late (the main thread held up to 75 MB of batches so waiting).
 */
const spare: BatchMemory[] = [];
// The thread may be started before the capture is known (`startReadAheadEarly`):
// it loads its modules, then waits for the start message.
port.on('message', (m: ReadAheadStart | ReadAheadReturn) => {
  if (m.kind === 'start') {
    inFlight = m.inFlight;
    void main(m);
  } else if (spare.length < inFlight + 2) {
    spare.push(m);
  }
});

/** Memory for a batch of `n` events in `len` bytes: a handed-back set that fits, or a new one with room to spare. */
function memoryFor(len: number, n: number): BatchMemory {
  for (let k = 0; k < spare.length; k++) {
    const m = spare[k]!;
    if (m.buf.byteLength >= len && m.offsets.byteLength >= n * 4) {
      spare[k] = spare[spare.length - 1]!;
      spare.pop();
      return m;
    }
  }
  const bytes = len + (len >> 3);
  const events = n + (n >> 3);
  return {
    kind: 'recycle', buf: new ArrayBuffer(bytes), offsets: new ArrayBuffer(events * 4), cpus: new ArrayBuffer(events * 2),
    flags: new ArrayBuffer(events * 4), nums: new ArrayBuffer(events * 8), blockOffsets: new ArrayBuffer(events * 8),
  };
}

/**
 * Bytes beyond a raw batch's that the converter needs to build its output
 * in offered memory (`LayoutConverter.ensureOwned` asks for room for two
 * converted events, of at most 64 KiB each), with a little to spare.
 */
const CONVERSION_ROOM = 2 * MAX_CONVERTED_EVENT_BYTES + 4096;

/** The converter's view of a batch's memory. */
function arraysOf(m: BatchMemory): BatchArrays {
  return {
    offsets: new Int32Array(m.offsets), nums: new Float64Array(m.nums), cpus: new Uint16Array(m.cpus),
    flags: new Uint32Array(m.flags), blockOffsets: new Float64Array(m.blockOffsets),
  };
}

/** Copies `from` to the start of `to` as a `Kind` array, unless the converter already built it there. */
function copyUnlessIn(
  from: Uint8Array | Int32Array | Uint16Array | Uint32Array | Float64Array, to: ArrayBuffer,
  Kind: new (buffer: ArrayBuffer, offset: number, length: number) => { set(from: ArrayLike<number>): void },
): void {
  if (from.buffer === to && from.byteOffset === 0) return;
  new Kind(to, 0, from.length).set(from);
}

function post(message: ReadAheadMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function main(start: ReadAheadStart): Promise<void> {
  const { path, options, taken, convert } = start;
  const takenCount = new Int32Array(taken);
  const conversionWarnings: ReadWarning[] = [];
  // Set up as SinspEvents sets up its own (inspect/sinsp-events.ts).
  const converter = convert === undefined ? undefined : readingConverter({
    inputValidated: true, maxStoredTids: convert.maxStoredTids, maxStoredBytes: convert.maxStoredBytes,
  }, options.recover ?? false, conversionWarnings);
  let rawEvents = 0;
  let cap: Capture | undefined;
  let posted = 0;
  let warningsSent = 0;
  let lateSent = 0;
  let conversionWarningsSent = 0;
  const progress = () => {
    const conversion = converter === undefined ? undefined : {
      rawEvents,
      returnedBeforeFirstFilter: converter.returnedBeforeFirstFilter,
      losses: converter.losses,
      warnings: conversionWarnings.slice(conversionWarningsSent),
    };
    conversionWarningsSent = conversionWarnings.length;
    if (cap === undefined) return { stats: undefined, warnings: [], late: [], conversion };
    const m = {
      stats: cap.stats,
      warnings: cap.warnings.slice(warningsSent),
      late: cap.lateStateBlocks.slice(lateSent),
      conversion,
    };
    warningsSent = cap.warnings.length;
    lateSent = cap.lateStateBlocks.length;
    return m;
  };
  try {
    // Every batch is copied before it is posted, so the reader may read
    // into the chunks and arrays of earlier batches: a chunk allocated per
    // megabyte read piled up in this thread, whose small heap is rarely
    // collected (over 100 MB of a 215 MB file waited for a collection).
    cap = await openCapture(path, { ...(options as OpenCaptureOptions), recycleBatches: true });
    // The main thread read the header and initial state itself, with their warnings.
    warningsSent = cap.warnings.length;
    // A joined capture's state goes with the first batch posted after it.
    let restart: CaptureInfo | undefined;
    for await (const raw of cap as AsyncIterable<EventBatch>) {
      restart = cap.takeRestart() ?? restart;
      rawEvents += raw.count;
      // An old capture's batch is rewritten event by event: offered the
      // memory that moves to the main thread, the converter builds it there.
      let m = converter === undefined ? undefined : memoryFor(raw.buf.length + CONVERSION_ROOM, raw.count);
      if (m !== undefined) converter!.offerMemory(Buffer.from(m.buf), arraysOf(m));
      const b = converter === undefined ? raw : converter.convert(raw);
      if (b.count === 0) {
        if (m !== undefined) spare.push(m);
        converter?.recycle(b);
        converter?.throwIfFailed();
        continue;
      }
      // Whatever is not yet in that memory is copied there (the reader and
      // the converter reuse their own for the next batch).
      const n = b.count;
      const len = b.buf.length;
      if (m === undefined || (b.buf.buffer !== m.buf && m.buf.byteLength < len)) {
        if (m !== undefined) spare.push(m);
        m = memoryFor(len, n);
      }
      copyUnlessIn(b.buf, m.buf, Uint8Array);
      copyUnlessIn(b.offsets.subarray(0, n), m.offsets, Int32Array);
      copyUnlessIn(b.cpus.subarray(0, n), m.cpus, Uint16Array);
      copyUnlessIn(b.flags.subarray(0, n), m.flags, Uint32Array);
      copyUnlessIn(b.nums.subarray(0, n), m.nums, Float64Array);
      copyUnlessIn(b.blockOffsets.subarray(0, n), m.blockOffsets, Float64Array);
      // Memory the converter built in is not its own to reuse: it leaves with the batch.
      converter?.recycle(b);
      const { buf, offsets, cpus, flags, nums, blockOffsets } = m;
      posted++;
      post({ kind: 'batch', count: n, bufLength: len, buf, offsets, cpus, flags, nums, blockOffsets, ...(restart ? { restart } : {}), ...progress() },
        [buf, offsets, cpus, flags, nums, blockOffsets]);
      restart = undefined;
      // Far enough ahead: sleep until the main thread takes a batch (this
      // thread has nothing else to do meanwhile).
      // (SLEEPING is set before the last look at TAKEN: a batch taken after
      // that look either changes TAKEN before the wait, which then returns
      // at once, or sees SLEEPING and wakes this thread.)
      while (posted - Atomics.load(takenCount, TAKEN) >= inFlight) {
        Atomics.store(takenCount, SLEEPING, 1);
        const t = Atomics.load(takenCount, TAKEN);
        if (posted - t >= inFlight) Atomics.wait(takenCount, TAKEN, t);
        Atomics.store(takenCount, SLEEPING, 0);
      }
      // The events before one libscap fails on are posted; then its error.
      converter?.throwIfFailed();
    }
    post({ kind: 'end', ...progress() });
  } catch (err) {
    const e = err as Error & { code?: string };
    post({
      kind: 'error', ...progress(),
      error: {
        name: e.name, message: e.message, code: e.code,
        ...(err instanceof ScapFormatError
          ? { offset: err.offset, blockType: err.blockType, blockOffset: err.blockOffset }
          : {}),
      },
    });
  } finally {
    await cap?.close();
  }
}

