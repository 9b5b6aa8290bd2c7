// The worker thread of ParquetWorkerSink: a ParquetSink fed with the IPC
// streams the main thread posts, in order. Each batch is answered 'taken'
// once the wasm writer has room again, which is the main thread's
// backpressure; the first error is posted as 'failed'.

import { parentPort, workerData } from 'node:worker_threads';
import { ParquetSink } from './parquet-sink.js';
import type { FromParquetWorker, ParquetWorkerData, ToParquetWorker } from './parquet-worker-sink.js';

const port = parentPort!;
const { path, rowGroupRows } = workerData as ParquetWorkerData;
const sink = new ParquetSink(path, { rowGroupRows });
const post = (m: FromParquetWorker): void => port.postMessage(m);
let failed = false;
let queue = Promise.resolve();

async function handle(m: ToParquetWorker): Promise<void> {
  if (m.kind === 'abort') {
    await sink.abort();
    post({ kind: 'aborted' });
    return;
  }
  if (failed) return;
  try {
    if (m.kind === 'batch') {
      sink.writeIpc(m.ipc);
      await sink.ready();
      post({ kind: 'taken' });
    } else {
      await sink.close();
      post({ kind: 'closed' });
    }
  } catch (error) {
    failed = true;
    post({ kind: 'failed', error });
  }
}

port.on('message', (m: ToParquetWorker) => { queue = queue.then(() => handle(m)); });
