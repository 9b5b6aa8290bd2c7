import type { RecordBatch } from 'apache-arrow';
import type { DictionaryMode } from './columns.js';

/**
 * Where record batches go. The order is `write`* (with `ready` awaited
 * between batches for backpressure), then `close` — or `abort` on error,
 * which leaves no half-written file behind.
 */
export interface TableSink {
  /** How this sink wants dictionary columns flushed. */
  readonly dictionaryMode: DictionaryMode;
  /** Takes one batch; the sink may keep it until `ready` resolves. */
  write(batch: RecordBatch): void;
  /** Resolves when the sink can take more batches. */
  ready(): Promise<void>;
  /** Writes the footer (Arrow file, Parquet) and closes the output. */
  close(): Promise<void>;
  /** Stops and removes a file output; for stdout just stops. */
  abort(): Promise<void>;
}
