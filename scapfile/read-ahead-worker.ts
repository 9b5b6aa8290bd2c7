// The worker thread of `openCaptureReadAhead`: reads, decompresses and splits
// a capture into event batches (and, when asked, upgrades their layouts as
// libscap does) while the main thread works on the previous ones. Messages
// are described in read-ahead.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { openCapture } from './open-capture.js';
import type { Capture, CaptureInfo, OpenCaptureOptions } from './open-capture.js';
import type { EventBatch } from './event-batch.js';
import { ScapFormatError } from './errors.js';
import { SLEEPING, TAKEN, type BatchMemory, type ReadAheadMessage, type ReadAheadReturn, type ReadAheadStart } from './read-ahead.js';
import type { ReadWarning } from './block-reader.js';
import { readingConverter } from './upgrade/index.js';

const port = parentPort!;
const { path, options, inFlight, taken, convert } = workerData as ReadAheadStart;
const takenCount = new Int32Array(taken);
const conversionWarnings: ReadWarning[] = [];
// Set up as SinspEvents sets up its own (inspect/sinsp-events.ts).
const converter = convert === undefined ? undefined : readingConverter({
  inputValidated: true, maxStoredTids: convert.maxStoredTids, maxStoredBytes: convert.maxStoredBytes,
}, options.recover ?? false, conversionWarnings);
let rawEvents = 0;

/**
 * The memory of posted batches that the main thread handed back
 * (`ConvertedCapture.release`): each batch is copied into one of these
 * before it is transferred, so a reader that releases its batches makes
 * no allocation per batch on either side. Without it, every batch took a
 * fresh megabyte that only a garbage collection freed, and the collections
 * came late (the main thread held up to 75 MB of batches so waiting).
 */
const spare: BatchMemory[] = [];
port.on('message', (m: ReadAheadReturn) => {
  if (m.kind === 'recycle' && spare.length < inFlight + 2) spare.push(m);
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

function post(message: ReadAheadMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function main(): Promise<void> {
  let cap: Capture | undefined;
  let posted = 0;
  let warningsSent = 0;
  let lateSent = 0;
  let conversionWarningsSent = 0;
  const progress = () => {
    const conversion = converter === undefined ? undefined : {
      rawEvents,
      returnedBeforeFirstFilter: converter.returnedBeforeFirstFilter,
      evictions: converter.storage.evictions,
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
      const b = converter === undefined ? raw : converter.convert(raw);
      if (b.count === 0) {
        converter?.recycle(b);
        converter?.throwIfFailed();
        continue;
      }
      // The batch is copied whole (the reader and the converter reuse their
      // memory for the next one) into memory that moves to the main thread.
      const n = b.count;
      const len = b.buf.length;
      const m = memoryFor(len, n);
      new Uint8Array(m.buf, 0, len).set(b.buf);
      new Int32Array(m.offsets, 0, n).set(b.offsets.subarray(0, n));
      new Uint16Array(m.cpus, 0, n).set(b.cpus.subarray(0, n));
      new Uint32Array(m.flags, 0, n).set(b.flags.subarray(0, n));
      new Float64Array(m.nums, 0, n).set(b.nums.subarray(0, n));
      new Float64Array(m.blockOffsets, 0, n).set(b.blockOffsets.subarray(0, n));
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

void main();
