// The worker thread of `openCaptureReadAhead`: reads, decompresses and splits
// a capture into event batches (and, when asked, upgrades their layouts as
// libscap does) while the main thread works on the previous ones. Messages
// are described in read-ahead.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { openCapture } from './open-capture.js';
import type { Capture, CaptureInfo, OpenCaptureOptions } from './open-capture.js';
import type { EventBatch } from './event-batch.js';
import { ScapFormatError } from './errors.js';
import { SLEEPING, TAKEN, type ReadAheadMessage, type ReadAheadStart } from './read-ahead.js';
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
 * A batch array's ArrayBuffer, to transfer. The reader's batch builder gives
 * its arrays away with each batch (they are never written again), so they
 * move as they are; anything sharing its memory is copied.
 */
function movable(a: Int32Array | Uint16Array | Uint32Array | Float64Array): ArrayBuffer {
  if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer) return a.buffer;
  return a.slice().buffer as ArrayBuffer;
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
    cap = await openCapture(path, options as OpenCaptureOptions);
    // The main thread read the header and initial state itself, with their warnings.
    warningsSent = cap.warnings.length;
    // A joined capture's state goes with the first batch posted after it.
    let restart: CaptureInfo | undefined;
    for await (const raw of cap as AsyncIterable<EventBatch>) {
      restart = cap.takeRestart() ?? restart;
      rawEvents += raw.count;
      const b = converter === undefined ? raw : converter.convert(raw);
      if (b.count === 0) {
        converter?.throwIfFailed();
        continue;
      }
      // The reader keeps using the chunk a raw batch points into (a block
      // split across chunks is joined from its tail), so those bytes are
      // copied and the copy transferred. A buffer the converter built for
      // this batch alone moves as it is.
      const n = b.count;
      let buf: ArrayBuffer;
      if (b.buf !== raw.buf && b.buf.byteOffset === 0 && b.buf.buffer.byteLength === b.buf.length && b.buf.buffer instanceof ArrayBuffer) {
        buf = b.buf.buffer;
      } else {
        const copy = Buffer.allocUnsafeSlow(b.buf.length); // its own ArrayBuffer, not zero-filled
        b.buf.copy(copy);
        buf = copy.buffer as ArrayBuffer;
      }
      const offsets = movable(b.offsets);
      const cpus = movable(b.cpus);
      const flags = movable(b.flags);
      const nums = movable(b.nums);
      const blockOffsets = movable(b.blockOffsets);
      posted++;
      post({ kind: 'batch', count: n, buf, offsets, cpus, flags, nums, blockOffsets, ...(restart ? { restart } : {}), ...progress() },
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
