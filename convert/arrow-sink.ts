// Arrow IPC outputs: the file format (`.arrow`, random access, footer) and
// the stream format (stdout, `pyarrow.ipc.open_stream(sys.stdin.buffer)`).
// Dictionaries are sent once and extended with delta batches; the Arrow file
// format forbids replacing a dictionary, which is why the events table keeps
// one dictionary per column for the whole export of a file. A stream may
// replace one, so there a dictionary starts afresh past 65,536 values
// (columns.ts, 'replace'), and neither side holds every value of a long capture.

import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { RecordBatchFileWriter, RecordBatchStreamWriter } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { TableSink } from './table-sink.js';
import { writeErrorText } from '../scapfile/writer/index.js';

/** Arrow IPC file or stream written to a path or to an already open stream (stdout). */
export class ArrowSink implements TableSink {
  readonly dictionaryMode: 'delta' | 'replace';
  private readonly writer: RecordBatchFileWriter | RecordBatchStreamWriter;
  private readonly dest: Writable;
  private readonly done: Promise<void>;
  private failure: unknown;
  /** True while the pump waits for the writer's next bytes, i.e. everything written so far is in `dest`. */
  private caughtUp = true;
  private aborted = false;

  /**
   * `format` 'file' writes the IPC file format, 'stream' the IPC stream
   * format; `out` is a path (created 0600) or a writable that stays open.
   */
  constructor(schema: Schema, format: 'file' | 'stream', private readonly out: string | Writable) {
    this.writer = format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
    this.dictionaryMode = format === 'file' ? 'delta' : 'replace';
    this.writer.reset(undefined, schema);
    this.dest = typeof out === 'string' ? createWriteStream(out, { mode: 0o600 }) : out;
    // Write errors surface through `failure` (and then `ready`/`close`), never as an unhandled event,
    // in the words scap convert uses: `scap export -o - | head` said only "write EPIPE".
    const name = typeof out === 'string' ? out : 'the Arrow stream';
    this.dest.on('error', (err: NodeJS.ErrnoException) => {
      this.failure ??= new Error(`cannot write ${name}: ${writeErrorText(err)}`, { cause: err });
    });
    this.done = this.pump().catch((err: unknown) => { this.failure = err; });
  }

  /**
   * Moves the writer's bytes to `dest`, waiting for 'drain' when it is full.
   * The writer queues bytes without limit, so `ready` waits for this pump to
   * catch up: the queue holds at most one batch.
   */
  private async pump(): Promise<void> {
    const dest = this.dest;
    const bytes = this.writer[Symbol.asyncIterator]();
    for (;;) {
      this.caughtUp = true;
      const next = await bytes.next();
      this.caughtUp = false;
      if (next.done === true || this.aborted) break;
      if (!dest.write(next.value)) await drainOrClose(dest);
    }
    if (typeof this.out !== 'string') return;
    if (this.aborted) {
      dest.destroy();
      if (!dest.closed) await drainOrClose(dest);
    } else {
      await finished(dest.end());
    }
  }

  write(batch: RecordBatch): void {
    if (this.failure !== undefined) throw this.failure;
    this.caughtUp = false;
    this.writer.write(batch);
  }

  async ready(): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.caughtUp || this.failure !== undefined) break;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    this.writer.finish();
    this.writer.close();
    await this.done;
    if (this.failure !== undefined) throw this.failure;
  }

  async abort(): Promise<void> {
    this.aborted = true;
    this.writer.abort();
    await this.done;
    if (typeof this.out === 'string') await rm(this.out, { force: true });
  }
}

/** Resolves on 'drain', or on 'close' (a closed pipe never drains); leaves no listener behind. */
function drainOrClose(dest: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { dest.off('drain', done); dest.off('close', done); resolve(); };
    dest.on('drain', done);
    dest.on('close', done);
  });
}
