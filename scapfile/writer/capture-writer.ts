// The streaming capture writer: blocks are appended to a chunk buffer,
// whole chunks are compressed (up to a few at once, on libuv's thread pool
// for gzip) and written in order. Memory stays bounded by
// chunkBytes × (maxInFlight + 1); a slow disk or stream slows the caller
// down through the promises it awaits.

import type { Writable } from 'node:stream';
import type { Compression } from '../byte-source.js';
import type { EventBatch } from '../event-batch.js';
import type { CaptureState } from '../state-blocks/index.js';
import { BlockBuilder } from './block-builder.js';
import { chunkEncoder, FileSink, StreamSink } from './byte-sinks.js';
import type { ByteSink, ChunkEncoder } from './byte-sinks.js';
import { blockAsWritten, eventBlockLen, writeEventBlock } from './event-blocks.js';
import { encodeSectionHeader, encodeState } from './state-encoders.js';
import { u32, viewOf } from '../bytes.js';

/** An event (its bytes from offset 0) and the block flags to write it with. */
export interface StartEvent {
  readonly event: Buffer;
  readonly flags: number;
}
import { ScapFormatError } from '../errors.js';

/** The input is damaged mid-way; the output was closed with the events read before the damage. */
export class PartialOutputError extends Error {
  constructor(override readonly cause: ScapFormatError, readonly output: string, readonly events: number,
    /** Rotation: how many files `output` names, each a complete capture; `events` counts events, not blocks. */
    readonly files?: number) {
    super(cause.message);
    this.name = 'PartialOutputError';
  }
}

/** Options of `CaptureWriter.open`. */
export interface CaptureWriterOptions {
  /** Output compression; for a path, by default told by its extension (.gz, .zst), else none. */
  readonly compression?: Compression;
  /** Compression level (gzip 1..9, default 6; zstd 1..22, default 3). */
  readonly level?: number;
  /** Replace an existing output file. */
  readonly force?: boolean;
  /** Size of the chunks that are compressed and written at once. Default 1 MiB. */
  readonly chunkBytes?: number;
  /** Chunks being compressed or written at the same time. Default 4. */
  readonly maxInFlight?: number;
  /** fsync a file output on close (default true). */
  readonly sync?: boolean;
  /** For a stream output: end it on close (default true). */
  readonly endStream?: boolean;
  /** The files read into this output: `force` never replaces one of them (OutputIsInputError). */
  readonly inputs?: readonly string[];
  /**
   * Chunk buffers done with, shared by writers of one stream (the files of
   * a rotation): each takes its chunks from it and gives them back once
   * written. Buffers of another `chunkBytes` are not taken. Default: the
   * writer's own.
   */
  readonly chunkPool?: Buffer[];
}

/** What a writer wrote. */
export interface WriteSummary {
  readonly events: number;
  /** Bytes of blocks, before compression. */
  readonly blockBytes: number;
  /** Bytes given to the file or stream. */
  readonly outputBytes: number;
}

/** The compression a path's extension asks for. */
export function compressionForPath(path: string): Compression {
  if (/\.gz$/i.test(path)) return 'gzip';
  if (/\.zst$/i.test(path)) return 'zstd';
  return 'none';
}

/** The levels each compression takes (gzip's and zstd's own ranges). */
const COMPRESSION_LEVELS: Readonly<Record<Compression, readonly [number, number] | undefined>> = {
  gzip: [1, 9], zstd: [1, 22], none: undefined,
};

/**
 * What is wrong with compression `level` for `compression`, or undefined:
 * a level for an uncompressed output, or out of its range, was ignored or
 * failed in zlib's words (`"options.level" is out of range`).
 */
export function compressionLevelProblem(compression: Compression, level: number | undefined): string | undefined {
  if (level === undefined) return undefined;
  const range = COMPRESSION_LEVELS[compression];
  if (range === undefined) return 'a compression level is for gzip or zstd output (a name ending in .gz or .zst, or --compression)';
  if (!Number.isInteger(level) || level < range[0] || level > range[1]) return `the ${compression} level is a whole number from ${range[0]} to ${range[1]}, not ${level}`;
  return undefined;
}

const DEFAULT_CHUNK_BYTES = 1 << 20;

/** A chunk on its way out. */
interface InFlightChunk {
  readonly encoded: Promise<Buffer>;
  readonly own: Buffer | undefined;
}
/** The source view before the first event. */
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
/** The chunk buffer of a writer whose last chunk has gone. */
const EMPTY_CHUNK = Buffer.alloc(0);

/** The state blocks of `state` (machine info, interfaces, users, processes, fds), framed. */
export function stateBlocks(state: CaptureState): Buffer {
  const b = new BlockBuilder(64 * 1024);
  encodeState(b, state);
  return b.finish();
}

/**
 * Writes a scap capture that libscap reads: section header, state blocks,
 * then event blocks. Events are written as they are in the batch (the
 * 26-byte-header layout the reader hands out), with the cpu and flags of the
 * batch.
 *
 * ```ts
 * const w = await CaptureWriter.open('out.scap.gz', { force: true });
 * await w.writeState(capture.info);   // optional, before the first event
 * for await (const batch of capture) await w.writeBatch(batch);
 * const { events, outputBytes } = await w.close();
 * ```
 *
 * A failed write (full disk…) rejects with CaptureWriteError; the file then
 * holds every complete chunk written before, which reads as whole blocks.
 */
export class CaptureWriter {
  private buf: Buffer;
  private pos = 0;
  private events = 0;
  private blockBytes = 0;
  /** A view of `buf`, and of the last source buffer an event came from (most come from the same batch). */
  private bufView: DataView;
  private srcBuf: Buffer | undefined = undefined;
  private srcView: DataView = EMPTY_VIEW;
  /** Chunks being encoded or written, oldest first, each with the chunk buffer it came from (if ours). */
  private readonly inFlight: InFlightChunk[] = [];
  /**
   * Chunk buffers done with, for the next chunks (`chunkPool`): a fresh
   * megabyte per chunk was freed only by a garbage collection, which came
   * late (a 215 MB copy held ~40 MB of spent chunks at times).
   */
  private readonly freeChunks: Buffer[];
  private failure: unknown;
  private closed = false;

  private constructor(
    private readonly sink: ByteSink,
    private readonly encoder: ChunkEncoder,
    private readonly chunkBytes: number,
    private readonly maxInFlight: number,
    chunkPool: Buffer[] | undefined,
  ) {
    this.freeChunks = chunkPool ?? [];
    this.buf = this.newChunk();
    this.bufView = viewOf(this.buf);
    const b = new BlockBuilder(64);
    encodeSectionHeader(b);
    this.append(b.finish());
  }

  /** Opens a path (created 0600; existing only with `force`) or a writable stream. */
  static async open(target: string | Writable, options: CaptureWriterOptions = {}): Promise<CaptureWriter> {
    const compression = options.compression ?? (typeof target === 'string' ? compressionForPath(target) : 'none');
    const problem = compressionLevelProblem(compression, options.level);
    if (problem !== undefined) throw new Error(problem);
    const sink = typeof target === 'string'
      ? await FileSink.create(target, { force: options.force, sync: options.sync, inputs: options.inputs })
      : new StreamSink(target, 'stream', options.endStream ?? true);
    const chunkBytes = Math.max(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, 4096);
    return new CaptureWriter(sink, chunkEncoder(compression, options.level), chunkBytes, Math.max(options.maxInFlight ?? 4, 1), options.chunkPool);
  }

  /** Name of the output for messages. */
  get name(): string { return this.sink.name; }

  /** Bytes of blocks written so far (before compression), including those still buffered. */
  get bytesBuffered(): number { return this.blockBytes; }

  /** Events written so far. */
  get eventCount(): number { return this.events; }

  /**
   * Writes the state blocks (machine info, interfaces, users, processes,
   * fds), or blocks `stateBlocks` made of them. Call it before the first
   * event: libscap loads state only from the blocks in front of the events.
   */
  async writeState(state: CaptureState | Buffer): Promise<void> {
    this.check();
    if (this.events > 0) throw new Error('CaptureWriter: state blocks must come before the first event');
    await this.appendBlocks(Buffer.isBuffer(state) ? state : stateBlocks(state));
  }

  /**
   * Starts a capture joined after the one written so far: a section header
   * and `state`'s blocks, then the events that follow. libscap and libsinsp
   * read such a file as two captures, the state reloaded at the header;
   * so does scapkit (a joined input keeps its joins when copied or cut).
   */
  async writeJoined(state: CaptureState): Promise<void> {
    this.check();
    const b = new BlockBuilder(64 * 1024);
    encodeSectionHeader(b);
    encodeState(b, state);
    await this.appendBlocks(b.finish());
  }

  /** Appends already framed blocks (whole blocks only). */
  async appendBlocks(blocks: Buffer): Promise<void> {
    this.check();
    if (this.pos + blocks.length > this.buf.length) await this.flushChunk();
    if (blocks.length > this.buf.length) {
      this.blockBytes += blocks.length;
      await this.enqueue(Buffer.from(blocks));
      return;
    }
    this.append(blocks);
  }

  /**
   * Writes every event of the batch, each as its own event block. Events
   * still in the blocks they were read from, framed as this writer frames
   * them, go out as runs of whole blocks, one copy a run (a capture copied
   * or recorded live); others block by block.
   */
  async writeBatch(batch: EventBatch): Promise<void> {
    await this.writeRange(batch, 0, batch.count);
  }

  /** `writeBatch` of events `from` to `to` (excluded) of the batch. */
  async writeRange(batch: EventBatch, from: number, to: number): Promise<void> {
    this.check();
    const src = batch.buf;
    const sv = this.viewOfSource(src);
    const { offsets, cpus, flags } = batch;
    // The run of verified blocks not yet copied: src[runStart, runEnd), runEvents events.
    let runStart = 0;
    let runEnd = -1;
    let runEvents = 0;
    for (let i = from; i < to; i++) {
      const at = offsets[i]!;
      const f = flags[i]!;
      const total = blockAsWritten(sv, at, cpus[i]!, f);
      if (total > 0) {
        const start = at - (f !== 0 ? 14 : 10);
        if (start === runEnd && this.pos + (runEnd - runStart) + total <= this.buf.length) {
          runEnd += total;
          runEvents++;
          continue;
        }
        if (runEvents > 0) this.appendRun(src, runStart, runEnd, runEvents);
        runEvents = 0;
        if (this.pos + total <= this.buf.length && this.failure === undefined && !this.closed) {
          runStart = start;
          runEnd = start + total;
          runEvents = 1;
          continue;
        }
      } else if (runEvents > 0) {
        this.appendRun(src, runStart, runEnd, runEvents);
        runEvents = 0;
      }
      const pending = this.writeEvent(src, at, cpus[i]!, f);
      if (pending !== undefined) await pending;
    }
    if (runEvents > 0) this.appendRun(src, runStart, runEnd, runEvents);
  }

  /** Appends `events` whole event blocks, `src[start, end)`, which fit in the chunk. */
  private appendRun(src: Buffer, start: number, end: number, events: number): void {
    src.copy(this.buf, this.pos, start, end);
    this.pos += end - start;
    this.blockBytes += end - start;
    this.events += events;
  }

  /** Writes whole events (each from offset 0 of its buffer) with their block flags, on CPU 0. */
  async writeEvents(events: readonly StartEvent[]): Promise<void> {
    for (const e of events) {
      const p = this.writeEvent(e.event, 0, 0, e.flags);
      if (p !== undefined) await p;
    }
  }

  /**
   * Appends the event at `src[at]` as an event block. Returns undefined when
   * it was buffered at once, or a promise to await when a chunk had to be
   * written first: a merge can feed events from many buffers without an
   * await per event.
   *
   * ```ts
   * const p = w.writeEvent(batch.buf, batch.offsets[i], batch.cpus[i], batch.flags[i]);
   * if (p) await p;
   * ```
   */
  writeEvent(src: Buffer, at: number, cpu: number, flags: number): Promise<void> | undefined {
    const len = eventBlockLen(u32(src, at + 16), flags);
    if (this.pos + len > this.buf.length || this.failure !== undefined || this.closed) {
      return this.writeEventAfterFlush(src, at, cpu, flags, len);
    }
    this.pos = writeEventBlock(this.viewOfSource(src), at, cpu, flags, this.bufView, this.pos);
    this.blockBytes += len;
    this.events++;
    return undefined;
  }

  private viewOfSource(src: Buffer): DataView {
    if (src !== this.srcBuf) {
      this.srcBuf = src;
      this.srcView = viewOf(src);
    }
    return this.srcView;
  }

  private async writeEventAfterFlush(src: Buffer, at: number, cpu: number, flags: number, len: number): Promise<void> {
    this.check();
    await this.flushChunk();
    if (len > this.buf.length) {
      // An event larger than a chunk travels as a chunk of its own.
      const big = Buffer.allocUnsafe(len);
      writeEventBlock(this.viewOfSource(src), at, cpu, flags, viewOf(big), 0);
      this.blockBytes += len;
      this.events++;
      await this.enqueue(big);
      return;
    }
    this.pos = writeEventBlock(this.viewOfSource(src), at, cpu, flags, this.bufView, this.pos);
    this.blockBytes += len;
    this.events++;
  }

  /** Writes everything buffered so far (whole blocks), e.g. before a pause in a live stream. */
  async flush(): Promise<void> {
    this.check();
    await this.writeAll(false);
  }

  /** Flushes, ends the compressed stream and closes the output. */
  async close(): Promise<WriteSummary> {
    this.check();
    try {
      await this.writeAll(true);
      const tail = this.encoder.finish();
      if (tail.length > 0) await this.sink.write(tail);
      this.closed = true;
      await this.sink.close();
    } catch (err) {
      await this.abort();
      throw err;
    }
    return { events: this.events, blockBytes: this.blockBytes, outputBytes: this.sink.bytesWritten };
  }

  /** Releases the output without writing what is still buffered. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sink.abort();
  }

  /**
   * Ends a copy that failed. When the input is damaged (ScapFormatError)
   * and events came before the damage, the output is closed with them, a
   * complete capture (PartialOutputError says so); an output that would
   * hold no event, or that nothing reached, is removed rather than left as
   * a file that is not a capture (libscap refuses one without events).
   * Other failures keep what a full disk or a closed reader left (see
   * CaptureWriteError). Always throws.
   */
  async failWith(err: unknown): Promise<never> {
    if (err instanceof ScapFormatError && !this.closed && this.failure === undefined && this.events > 0) {
      const summary = await this.close();
      throw new PartialOutputError(err, this.sink.name, summary.events);
    }
    await this.abort();
    if (this.sink instanceof FileSink && (this.events === 0 || this.sink.bytesWritten === 0)) await this.sink.remove();
    throw err;
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new Error('CaptureWriter: the writer is closed');
  }

  private append(bytes: Buffer): void {
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
    this.blockBytes += bytes.length;
  }

  /** Writes out what is buffered and waits for every chunk in flight; `last` when nothing follows. */
  private async writeAll(last: boolean): Promise<void> {
    await this.flushChunk(last);
    while (this.inFlight.length > 0) await this.writeOldest();
  }

  /**
   * Queues the buffered blocks as a chunk. The `last` one takes no buffer
   * for what would follow: rotation's next file, opened while this one is
   * finished, then finds it in the shared pool (each file took a fresh
   * megabyte that the one before dropped unused).
   */
  private async flushChunk(last = false): Promise<void> {
    if (this.pos === 0) {
      if (last && this.buf !== EMPTY_CHUNK) {
        this.freeChunks.push(this.buf);
        this.buf = EMPTY_CHUNK;
        this.bufView = EMPTY_VIEW;
      }
      return;
    }
    const full = this.buf;
    const chunk = full.subarray(0, this.pos);
    this.buf = last ? EMPTY_CHUNK : this.newChunk();
    this.bufView = viewOf(this.buf);
    this.pos = 0;
    await this.enqueue(chunk, full);
  }

  /** A chunk buffer: one done with, if one of this size is, else a new one. */
  private newChunk(): Buffer {
    const free = this.freeChunks;
    while (free.length > 0) {
      const b = free.pop()!;
      if (b.length === this.chunkBytes) return b;
    }
    return Buffer.allocUnsafe(this.chunkBytes);
  }

  /** Encodes `chunk` (its bytes in `own`, a chunk buffer of ours to reuse once done, if given) and queues its writing. */
  private async enqueue(chunk: Buffer, own?: Buffer): Promise<void> {
    const encoded = this.encoder.encode(chunk);
    // Awaited later, in order; marked handled now so an early failure is not
    // reported as an unhandled rejection before its turn comes.
    encoded.catch(() => undefined);
    this.inFlight.push({ encoded, own });
    while (this.inFlight.length > this.maxInFlight) await this.writeOldest();
  }

  private async writeOldest(): Promise<void> {
    const { encoded, own } = this.inFlight.shift()!;
    try {
      const out = await encoded;
      // Compressed, the chunk is done with once encoded; written as it is,
      // once the sink no longer reads it.
      const reusable = own !== undefined && (out.buffer !== own.buffer || !this.sink.keepsChunks);
      await this.sink.write(out);
      if (reusable) this.freeChunks.push(own);
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

}
