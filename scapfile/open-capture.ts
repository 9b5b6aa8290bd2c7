import type { Readable } from 'node:stream';
import { BlockReader } from './block-reader.js';
import type { BlockReaderOptions, ReaderStats, ReadWarning, SectionHeader } from './block-reader.js';
import { openByteSource } from './byte-source.js';
import type { Compression } from './byte-source.js';
import type { EventBatch } from './event-batch.js';
import { collectState } from './state-blocks/index.js';
import type { CaptureState, StateBlock } from './state-blocks/index.js';

/** What a capture says about itself before its first event. */
export interface CaptureInfo extends CaptureState {
  /** The path given, `stdin`, or `stream`. */
  readonly inputName: string;
  readonly compression: Compression;
  /** Size of the input file, when it is a regular file. */
  readonly fileBytes: number | undefined;
  readonly header: SectionHeader;
  /** Every state block before the first event, in file order. */
  readonly stateBlocks: readonly StateBlock[];
}

/**
 * Where event batches come from: a capture file here, the live driver later.
 * Everything downstream (state, filters, formats, converters) reads a Source.
 */
export interface Source extends AsyncIterable<EventBatch> {
  /** Machine info and the initial state. */
  readonly info: CaptureInfo;
  /** Stops reading and releases the input; batches already handed out stay valid. */
  close(): Promise<void>;
  /**
   * The state of a capture joined after the one being read (a section
   * header after events), once, if one begins before the batch handed out
   * last: libsinsp drops its state there and loads this one.
   */
  takeRestart?(): CaptureInfo | undefined;
}

/** A capture file opened for reading. */
export interface Capture extends Source {
  /** Block and byte counts so far (complete once iteration has ended). */
  readonly stats: ReaderStats;
  /** Problems that did not stop reading, such as a truncated last block. */
  readonly warnings: readonly ReadWarning[];
  /** State blocks met after the first event block. */
  readonly lateStateBlocks: readonly StateBlock[];
  takeRestart(): CaptureInfo | undefined;
}

/** Options of `openCapture`. */
export type OpenCaptureOptions = BlockReaderOptions;

/**
 * Opens a scap capture — plain, gzip or zstd, told by its first bytes — from a
 * path, `-` (stdin) or a readable stream, reads its header and state blocks,
 * and returns it ready to iterate event batches. Batches are raw: events keep
 * the layout they were recorded with (see `scapfile/upgrade` for libscap's
 * conversion of old layouts).
 *
 * ```ts
 * const cap = await openCapture('trace.scap.gz');
 * const ev = new EventCursor();
 * for await (const batch of cap) {
 *   for (let i = 0; i < batch.count; i++) ev.moveTo(batch, i);
 * }
 * ```
 *
 * Throws `NotACaptureError` for other files and `ScapFormatError` (with the
 * byte offset) for corrupt ones.
 */
export async function openCapture(input: string | Readable, options: OpenCaptureOptions = {}): Promise<Capture> {
  const source = await openByteSource(input);
  const reader = new BlockReader(source, options);
  const preamble = await closingOnError(reader, reader.readPreamble());
  const infoOf = (header: SectionHeader, stateBlocks: StateBlock[]): CaptureInfo => ({
    inputName: source.name,
    compression: source.compression,
    fileBytes: source.fileBytes,
    header,
    stateBlocks,
    ...collectState(stateBlocks),
  });
  const info = infoOf(preamble.header, preamble.stateBlocks);
  let iterating = false;
  return {
    info,
    stats: reader.stats,
    warnings: reader.warnings,
    lateStateBlocks: reader.lateStateBlocks,
    async close() { await reader.close(); },
    takeRestart() {
      const r = reader.takeRestart();
      return r === undefined ? undefined : infoOf(r.header, r.stateBlocks);
    },
    [Symbol.asyncIterator](): AsyncIterator<EventBatch> {
      if (iterating) throw new Error('a capture can be iterated once');
      iterating = true;
      return {
        async next(): Promise<IteratorResult<EventBatch>> {
          const batch = await closingOnError(reader, reader.nextBatch());
          return batch ? { done: false, value: batch } : { done: true, value: undefined };
        },
        async return(): Promise<IteratorResult<EventBatch>> {
          reader.close();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * What `work` gives, or, when it fails, its error after the input is
 * released: the read cannot go on, and the file should not wait for its
 * handle to be collected.
 */
async function closingOnError<T>(reader: BlockReader, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    reader.close();
    throw err;
  }
}
