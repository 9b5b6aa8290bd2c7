import type { Writable } from 'node:stream';
import type { Inspector } from '../inspect/inspector.js';
import type { Source } from '../scapfile/open-capture.js';
import { ArrowSink } from './arrow-sink.js';
import { EventsTableBuilder } from './events-table.js';
import { ParquetSink } from './parquet-sink.js';
import type { TableSink } from './table-sink.js';

/** Output formats of `exportEvents`. */
export type ExportFormat = 'parquet' | 'arrow' | 'arrow-stream';

export interface ExportOptions {
  readonly format: ExportFormat;
  /** A path, or for 'arrow-stream' also an open writable such as stdout. */
  readonly out: string | Writable;
  readonly batchRows?: number;
  readonly rowGroupRows?: number;
}

export interface ExportResult {
  readonly rows: number;
  readonly batches: number;
}

const unknownOutputFormat = (out: string): string =>
  `cannot tell the output format of '${out}': expected a name ending in .parquet or .arrow, or - for an Arrow stream on stdout`;

/** The format an output name asks for: `.parquet`, `.arrow` (or `.feather`), `-` for an Arrow stream. */
export function formatFromPath(out: string): ExportFormat {
  if (out === '-') return 'arrow-stream';
  if (/\.parquet$/i.test(out)) return 'parquet';
  if (/\.(arrow|feather)$/i.test(out)) return 'arrow';
  throw new Error(unknownOutputFormat(out));
}

/**
 * Writes the events table of a capture to Parquet or Arrow IPC, batch by
 * batch as the inspector replays it. On any error the output file is
 * removed (never left half-valid) and the error rethrown.
 *
 * ```ts
 * const insp = await Inspector.open('trace.scap');
 * const { rows } = await exportEvents(insp, { format: 'parquet', out: 'trace.parquet' });
 * ```
 */
export async function exportEvents(insp: Inspector<Source>, options: ExportOptions): Promise<ExportResult> {
  const table = new EventsTableBuilder(options.batchRows);
  const sink = openSink(table, options);
  const mode = sink.dictionaryMode;
  let rows = 0;
  let batches = 0;
  try {
    const ctx = insp.fieldContext;
    await insp.run((ev) => {
      table.append(ev, ctx);
      if (table.full) { rows += table.length; batches++; sink.write(table.flush(mode)); }
    }, () => sink.ready());
    if (table.length > 0 || batches === 0) { rows += table.length; batches++; sink.write(table.flush(mode)); }
    await sink.close();
  } catch (err) {
    await sink.abort().catch(() => undefined);
    throw err;
  }
  return { rows, batches };
}

function openSink(table: EventsTableBuilder, options: ExportOptions): TableSink {
  const { format, out } = options;
  if (format === 'parquet') {
    if (typeof out !== 'string') throw new Error('Parquet output needs a file path (its footer is written last)');
    return new ParquetSink(out, { rowGroupRows: options.rowGroupRows });
  }
  return new ArrowSink(table.schema, format === 'arrow' ? 'file' : 'stream', out);
}
