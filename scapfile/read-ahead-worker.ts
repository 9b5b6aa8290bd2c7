// The worker thread of `openCaptureReadAhead`: reads, decompresses and splits
// a capture into event batches while the main thread converts and inspects
// the previous ones. Messages are described in read-ahead.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { openCapture } from './open-capture.js';
import type { Capture, OpenCaptureOptions } from './open-capture.js';
import type { EventBatch } from './event-batch.js';
import { ScapFormatError } from './errors.js';
import type { ReadAheadMessage, ReadAheadStart } from './read-ahead.js';

const port = parentPort!;
const { path, options, inFlight, taken } = workerData as ReadAheadStart;
const takenCount = new Int32Array(taken);

/** A typed array's bytes as an ArrayBuffer of their own, to transfer. */
function own(a: Uint8Array | Int32Array | Uint16Array | Uint32Array | Float64Array, count: number): ArrayBuffer {
  const bytes = count * a.BYTES_PER_ELEMENT;
  const out = new ArrayBuffer(bytes);
  new Uint8Array(out).set(new Uint8Array(a.buffer, a.byteOffset, bytes));
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
  const progress = () => {
    if (cap === undefined) return { stats: undefined, warnings: [], late: [] };
    const m = {
      stats: cap.stats,
      warnings: cap.warnings.slice(warningsSent),
      late: cap.lateStateBlocks.slice(lateSent),
    };
    warningsSent = cap.warnings.length;
    lateSent = cap.lateStateBlocks.length;
    return m;
  };
  try {
    cap = await openCapture(path, options as OpenCaptureOptions);
    // The main thread read the header and initial state itself, with their warnings.
    warningsSent = cap.warnings.length;
    for await (const b of cap as AsyncIterable<EventBatch>) {
      // The reader keeps using the chunk a batch points into (a block split
      // across chunks is joined from its tail), so the bytes are copied —
      // a memcpy per megabyte, on this thread — and the copy transferred.
      const n = b.count;
      const buf = own(b.buf, b.buf.length);
      const offsets = own(b.offsets, n);
      const cpus = own(b.cpus, n);
      const flags = own(b.flags, n);
      const nums = own(b.nums, n);
      const blockOffsets = own(b.blockOffsets, n);
      posted++;
      post({ kind: 'batch', count: n, buf, offsets, cpus, flags, nums, blockOffsets, ...progress() },
        [buf, offsets, cpus, flags, nums, blockOffsets]);
      // Far enough ahead: sleep until the main thread takes a batch (this
      // thread has nothing else to do meanwhile).
      for (let t = Atomics.load(takenCount, 0); posted - t >= inFlight; t = Atomics.load(takenCount, 0)) {
        Atomics.wait(takenCount, 0, t);
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
