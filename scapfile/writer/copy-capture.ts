// Reading one capture into a writer: the whole of `scap convert`, and the
// round trip the writer's tests are built on.

import type { Writable } from 'node:stream';
import type { ReadWarning } from '../block-reader.js';
import type { EventBatch } from '../event-batch.js';
import { openCapture } from '../open-capture.js';
import type { Capture } from '../open-capture.js';
import { readingConverter } from '../upgrade/index.js';
import { CaptureWriter } from './capture-writer.js';
import type { CaptureWriterOptions, WriteSummary } from './capture-writer.js';

/** Options of `copyCapture`. */
export interface CopyCaptureOptions extends CaptureWriterOptions {
  /**
   * Write the events as libscap returns them (layout-converted: old
   * enter/exit layouts become the current ones, events libscap drops are
   * dropped) instead of as stored.
   */
  readonly upgrade?: boolean;
  /**
   * Stops the copy between batches (SIGINT): what was read so far is
   * written and the output closed, so it ends with whole blocks.
   */
  readonly signal?: AbortSignal;
  /**
   * Skip damaged blocks of the input (and, with `upgrade`, events libscap
   * cannot convert) with a warning instead of failing: salvages what a
   * damaged capture still holds into a clean one.
   */
  readonly recover?: boolean;
}

/** What a copy read and wrote. */
export interface CopySummary extends WriteSummary {
  /** Events read from the input (before any upgrade). */
  readonly eventsRead: number;
  /** Warnings of the reader (e.g. a truncated input). */
  readonly warnings: readonly ReadWarning[];
  /** The signal stopped the copy before the end of the input. */
  readonly interrupted: boolean;
}

/**
 * Copies `input` to `output`: its state blocks, then every event, with the
 * output's compression. Returns what was read and written. On failure see
 * CaptureWriter.failWith: a damaged input leaves the events before the
 * damage in a complete output.
 */
export async function copyCapture(input: string | Capture, output: string | Writable, options: CopyCaptureOptions = {}): Promise<CopySummary> {
  const recover = options.recover ?? false;
  // Each batch is copied into the output's chunks before the next is read,
  // so the reader may read into the memory of the one before.
  const cap = typeof input === 'string' ? await openCapture(input, { recover, recycleBatches: true }) : input;
  let writer: CaptureWriter;
  try {
    writer = await CaptureWriter.open(output, { ...options, inputs: typeof input === 'string' ? [input] : options.inputs });
  } catch (err) {
    await cap.close();
    throw err;
  }
  const conversionWarnings: ReadWarning[] = [];
  const converter = options.upgrade ? readingConverter({}, recover, conversionWarnings) : undefined;
  let eventsRead = 0;
  try {
    await writer.writeState(cap.info);
    for await (const raw of cap) {
      // A joined capture begins with this batch: the output keeps the join.
      const joined = cap.takeRestart?.();
      if (joined !== undefined) await writer.writeJoined(joined);
      eventsRead += raw.count;
      const batch: EventBatch = converter ? converter.convert(raw) : raw;
      await writer.writeBatch(batch);
      converter?.recycle(batch);
      converter?.throwIfFailed();
      if (options.signal?.aborted) break;
    }
  } catch (err) {
    await cap.close();
    return writer.failWith(err);
  }
  const summary = await writer.close();
  await cap.close();
  return { ...summary, eventsRead, warnings: [...cap.warnings, ...conversionWarnings], interrupted: options.signal?.aborted ?? false };
}
