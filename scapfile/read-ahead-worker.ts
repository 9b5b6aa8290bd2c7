// The worker thread of `openCaptureReadAhead`: reads, decompresses and splits
// a capture into event batches (and, when asked, upgrades their layouts as
// libscap does) while the main thread works on the previous ones. Messages
// are described in read-ahead.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { openCapture } from './open-capture.js';
import type { Capture, OpenCaptureOptions } from './open-capture.js';
import type { EventBatch } from './event-batch.js';
import { ScapFormatError } from './errors.js';
import { SLEEPING, TAKEN, type ReadAheadMessage, type ReadAheadReturn, type ReadAheadStart } from './read-ahead.js';
import type { ReadWarning } from './block-reader.js';
import { readingConverter } from './upgrade/index.js';

const port = parentPort!;
const { path, options, inFlight, taken, convert } = workerData as ReadAheadStart;
const takenCount = new Int32Array(taken);
const conversionWarnings: ReadWarning[] = [];
// Set up as the Inspector sets up its own (inspect/inspector.ts).
const converter = convert === undefined ? undefined : readingConverter({
  inputValidated: true, maxStoredTids: convert.maxStoredTids, maxStoredBytes: convert.maxStoredBytes,
}, options.recover ?? false, conversionWarnings);
let rawEvents = 0;

/**
 * Memory the main thread handed back (batches it is done with, when it
 * reads with `recycleBatches`): batches are copied into it rather than into
 * new buffers, which as external memory drove the main thread's full
 * garbage collections.
 */
const spare: ArrayBuffer[] = [];
/** More than the batches that can be in flight need; beyond it returned memory is left to the GC. */
const MAX_SPARE = 64;
port.on('message', (m: ReadAheadReturn) => {
  for (const b of m.buffers) {
    // The converter's own output buffers come back too: the largest one
    // may take its next output, the rest serve copies.
    if (converter !== undefined && b.byteLength >= 1 << 20 && converter.offer(Buffer.from(b))) continue;
    if (spare.length < MAX_SPARE) spare.push(b);
  }
});
// Listening must not keep this thread alive once the capture is read.
port.unref();

/** An ArrayBuffer of at least `bytes`: a spare one if one is large enough, else a new one. */
function take(bytes: number): ArrayBuffer {
  for (let i = spare.length - 1; i >= 0; i--) {
    const b = spare[i]!;
    if (b.byteLength >= bytes) {
      spare[i] = spare[spare.length - 1]!;
      spare.pop();
      return b;
    }
  }
  // Own memory, not zero-filled: every byte the main thread reads is written first.
  return Buffer.allocUnsafeSlow(Math.max(bytes, 64)).buffer as ArrayBuffer;
}

/** The first `n` elements of a batch array, copied into memory that can be transferred. */
function copied(a: Int32Array | Uint16Array | Uint32Array | Float64Array, n: number): ArrayBuffer {
  const bytes = n * a.BYTES_PER_ELEMENT;
  const out = take(bytes);
  new Uint8Array(out, 0, bytes).set(new Uint8Array(a.buffer, a.byteOffset, bytes));
  return out;
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
    // Every batch is copied (or, when the converter built it, moved) before
    // the next is read: the reader may reuse its chunks and arrays.
    cap = await openCapture(path, { ...options, recycleBatches: true } as OpenCaptureOptions);
    // The main thread read the header and initial state itself, with their warnings.
    warningsSent = cap.warnings.length;
    for await (const raw of cap as AsyncIterable<EventBatch>) {
      rawEvents += raw.count;
      const b = converter === undefined ? raw : converter.convert(raw);
      if (b.count === 0) continue;
      // A buffer the converter built for this batch alone moves as it is;
      // the reader's chunk (which it reads into again) is copied.
      const n = b.count;
      let buf: ArrayBuffer;
      if (b.buf !== raw.buf && b.buf.byteOffset === 0 && b.buf.buffer.byteLength === b.buf.length && b.buf.buffer instanceof ArrayBuffer) {
        buf = b.buf.buffer;
      } else {
        buf = take(b.buf.length);
        b.buf.copy(new Uint8Array(buf, 0, b.buf.length));
      }
      const offsets = copied(b.offsets, n);
      const cpus = copied(b.cpus, n);
      const flags = copied(b.flags, n);
      const nums = copied(b.nums, n);
      const blockOffsets = copied(b.blockOffsets, n);
      posted++;
      post({ kind: 'batch', count: n, bytes: b.buf.length, buf, offsets, cpus, flags, nums, blockOffsets, ...progress() },
        [buf, offsets, cpus, flags, nums, blockOffsets]);
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
