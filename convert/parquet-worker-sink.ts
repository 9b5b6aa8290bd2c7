// Parquet output on a worker thread: the main thread builds record batches
// and serialises each as a small Arrow IPC stream; the worker
// (parquet-worker.ts) runs a ParquetSink on them — arrow-rs's encoding and
// ZSTD in wasm, about a fifth of an export's CPU time — so the two overlap
// on a machine with a second core. Used for single-file exports; the
// partitioned export keeps its many small sinks on the main thread (one
// wasm instance per open partition would cost more than it saves).

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordBatch } from 'apache-arrow';
import { batchToIpc } from './parquet-sink.js';
import type { ParquetSinkOptions } from './parquet-sink.js';
import type { TableSink } from './table-sink.js';

/** Messages to the worker. */
export type ToParquetWorker = { kind: 'batch'; ipc: Uint8Array } | { kind: 'close' } | { kind: 'abort' };
/** Messages from the worker: a batch taken (and room for more), the file complete, aborted, or failed. */
export type FromParquetWorker = { kind: 'taken' } | { kind: 'closed' } | { kind: 'aborted' } | { kind: 'failed'; error: unknown };
export interface ParquetWorkerData { readonly path: string; readonly rowGroupRows?: number }

/** Batches sent but not yet taken by the wasm writer before `ready` waits: one being encoded, one queued. */
const MAX_IN_FLIGHT = 2;

/**
 * The compiled worker script. From the TypeScript sources (vitest) there is
 * no .js beside this file; the test setup builds dist/, which has it.
 */
function workerScript(): URL {
  const here = new URL('./parquet-worker.js', import.meta.url);
  return existsSync(fileURLToPath(here)) ? here : new URL('../dist/convert/parquet-worker.js', import.meta.url);
}

/** A Parquet file written by a worker thread; same contract as ParquetSink. */
export class ParquetWorkerSink implements TableSink {
  readonly dictionaryMode = 'whole' as const;
  private readonly worker: Worker;
  private inFlight = 0;
  private failure: unknown;
  private wake: (() => void) | undefined;
  /** The worker said closed or aborted: its exit is expected. */
  private finished = false;
  /** Resolves when the worker said closed, aborted or failed, or exited. */
  private readonly ended: Promise<void>;

  constructor(private readonly path: string, options: ParquetSinkOptions = {}) {
    const workerData: ParquetWorkerData = { path, rowGroupRows: options.rowGroupRows };
    this.worker = new Worker(workerScript(), { workerData });
    this.ended = new Promise<void>((resolve) => {
      this.worker.on('message', (m: FromParquetWorker) => {
        if (m.kind === 'taken') this.inFlight--;
        // After a failure the worker answers nothing more (a close posted
        // before the failure arrived would wait for ever): it has ended too.
        else if (m.kind === 'failed') { this.failure ??= m.error; resolve(); }
        else { this.finished = true; resolve(); }
        this.wakeUp();
      });
      this.worker.on('error', (err) => { this.failure ??= err; this.wakeUp(); resolve(); });
      this.worker.on('exit', () => {
        if (!this.finished) this.failure ??= new Error('the Parquet writer thread exited before the file was complete');
        this.wakeUp();
        resolve();
      });
    });
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  write(batch: RecordBatch): void {
    if (this.failure !== undefined) throw this.failure;
    let ipc = batchToIpc(batch);
    // Moved, not copied, to the worker; only a buffer of its own can be.
    if (ipc.byteOffset !== 0 || ipc.byteLength !== ipc.buffer.byteLength) ipc = ipc.slice();
    this.inFlight++;
    this.worker.postMessage({ kind: 'batch', ipc } satisfies ToParquetWorker, [ipc.buffer as ArrayBuffer]);
  }

  async ready(): Promise<void> {
    while (this.inFlight > MAX_IN_FLIGHT && this.failure === undefined) {
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.failure === undefined) {
      this.worker.postMessage({ kind: 'close' } satisfies ToParquetWorker);
      await this.ended;
    }
    await this.worker.terminate();
    if (this.failure !== undefined) {
      await rm(this.path, { force: true });
      throw this.failure;
    }
  }

  async abort(): Promise<void> {
    this.failure ??= new Error('export aborted');
    this.worker.postMessage({ kind: 'abort' } satisfies ToParquetWorker);
    await this.ended;
    await this.worker.terminate();
    await rm(this.path, { force: true });
  }
}
