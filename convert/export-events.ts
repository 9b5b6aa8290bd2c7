import type { Writable } from 'node:stream';
import type { Schema } from 'apache-arrow';
import type { EventCursor } from '../scapfile/event-cursor.js';
import type { Inspector } from '../inspect/inspector.js';
import type { FieldContext } from '../inspect/fields/index.js';
import type { Source } from '../scapfile/open-capture.js';
import { ArrowSink } from './arrow-sink.js';
import { DEFAULT_BATCH_ROWS, EventsTableBuilder, type EventColumn } from './events-table.js';
import { ParquetWorkerSink } from './parquet-worker-sink.js';
import { PROCESSES_SCHEMA, processesBatch } from './processes-table.js';
import { CONNECTIONS_TABLE } from './connections-table.js';
import { FILES_TABLE } from './files-table.js';
import type { FdSpan, SpanTable } from './fd-spans.js';
import { ProcessForest } from '../inspect/ptree/index.js';
import type { TableSink } from './table-sink.js';
import { outputTarget, partialPath, RenamedOnCloseSink } from './partial-output.js';

/** Output formats of `exportEvents`. */
export type ExportFormat = 'parquet' | 'arrow' | 'arrow-stream';

export interface ExportOptions {
  readonly format: ExportFormat;
  /** A path, or for 'arrow-stream' also an open writable such as stdout. */
  readonly out: string | Writable;
  readonly batchRows?: number;
  readonly rowGroupRows?: number;
  /** Only the events this accepts (a compiled sinsp filter); state still sees every event. */
  readonly filter?: (ev: EventCursor, ctx: FieldContext) => boolean;
  /** Only these columns of the events table (default: all). */
  readonly columns?: readonly EventColumn[];
  /** Called between reader batches with the rows written so far (a progress display). */
  readonly onProgress?: (rows: number) => void;
  /**
   * Stops reading when aborted (SIGINT in `scap export`): the output is
   * closed with the rows so far, a complete file, and `interrupted` is set.
   */
  readonly signal?: AbortSignal;
}

export interface ExportResult {
  readonly rows: number;
  readonly batches: number;
  /** `signal` stopped the export before the end of the capture. */
  readonly interrupted: boolean;
}

/** What to use instead for the text formats people ask an export for. */
const TEXT_FORMATS: readonly [RegExp, (out: string) => string][] = [
  [/\.(json|jsonl|ndjson)$/i, () => "; JSON lines come from 'scap read FILE -j' (with -p for the fields)"],
  [/\.csv$/i, (out) => {
    const parquet = out.replace(/\.csv$/i, '.parquet');
    return `; for CSV, export to ${parquet} and let DuckDB write it: COPY (SELECT * FROM '${parquet}') TO '${out}'`;
  }],
];

const unknownOutputFormat = (out: string): string =>
  `cannot tell the output format of '${out}': expected a name ending in .parquet or .arrow, or - for an Arrow stream on stdout` +
  (TEXT_FORMATS.find(([re]) => re.test(out))?.[1](out) ?? '');

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
  const table = new EventsTableBuilder(options.batchRows, options.columns);
  const sink = openSink(table.schema, options);
  const mode = sink.dictionaryMode;
  const filter = options.filter;
  const progress = options.onProgress;
  let rows = 0;
  let batches = 0;
  const signal = options.signal;
  let stopped = false;
  await fillSink(sink, async () => {
    const ctx = insp.fieldContext;
    await insp.run((ev) => {
      if (signal?.aborted === true) { stopped = true; return false; }
      if (filter !== undefined && !filter(ev, ctx)) return;
      table.append(ev, ctx);
      if (table.full) { rows += table.length; batches++; sink.write(table.flush(mode)); }
    }, () => { progress?.(rows + table.length); return sink.ready(); });
    if (table.length > 0 || batches === 0) { rows += table.length; batches++; sink.write(table.flush(mode)); }
  });
  return { rows, batches, interrupted: stopped };
}

/**
 * Runs `fill` (which writes batches into `sink`), then closes the sink; on
 * any error the sink is aborted, so its file is removed rather than left
 * half-valid, and the error rethrown.
 */
async function fillSink(sink: TableSink, fill: () => Promise<void>): Promise<void> {
  try {
    await fill();
    await sink.close();
  } catch (err) {
    await sink.abort().catch(() => undefined);
    throw err;
  }
}

/**
 * The sink of a format: a Parquet file, an Arrow IPC file, or an Arrow IPC
 * stream. A file is written under a temporary name (partial-output.ts) and
 * takes its own when closed.
 */
export function openSink(schema: Schema, options: Pick<ExportOptions, 'format' | 'out' | 'rowGroupRows'>): TableSink {
  const { format, out } = options;
  if (format === 'parquet' && typeof out !== 'string') throw new Error('Parquet output needs a file path (its footer is written last)');
  if (typeof out !== 'string') return new ArrowSink(schema, format === 'arrow' ? 'file' : 'stream', out);
  const target = outputTarget(out);
  const partial = partialPath(target);
  const inner = format === 'parquet'
    ? new ParquetWorkerSink(partial, { rowGroupRows: options.rowGroupRows })
    : new ArrowSink(schema, format === 'arrow' ? 'file' : 'stream', partial);
  return new RenamedOnCloseSink(inner, partial, target);
}

/** The options of the tables built from rows (processes, connections, files). */
type RowTableExportOptions = Pick<ExportOptions, 'format' | 'out' | 'rowGroupRows' | 'batchRows' | 'onProgress' | 'signal'>;

/**
 * Writes the processes table (convert/processes-table.ts) of a capture: the
 * whole capture is replayed first, since a process's exit and children are
 * known only at its end. Same formats and error handling as `exportEvents`.
 */
export async function exportProcesses(insp: Inspector, options: RowTableExportOptions): Promise<ExportResult> {
  const forest = new ProcessForest(insp.state);
  const signal = options.signal;
  let stopped = false;
  let seen = 0;
  await insp.run((ev) => {
    if (signal?.aborted === true) { stopped = true; return false; }
    seen++;
    forest.observe(ev, insp.state);
  }, async () => { options.onProgress?.(seen); });
  const sink = openSink(PROCESSES_SCHEMA, options);
  const nodes = forest.nodes;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  let batches = 0;
  // In batches, as the other tables: one batch of every process (its column
  // arrays, Arrow builders and IPC bytes at once) took 590 MiB for 70,085.
  await fillSink(sink, async () => {
    for (let i = 0; i < nodes.length || batches === 0; i += batchRows) {
      sink.write(processesBatch(nodes.slice(i, i + batchRows)));
      batches++;
      await sink.ready();
    }
  });
  return { rows: nodes.length, batches, interrupted: stopped };
}

/**
 * Writes the connections or files table of a capture: rows go out in
 * batches as their fds close, so memory follows the open fds; the ones
 * still open at the end come last. Same formats and error handling as
 * `exportEvents`.
 */
export function exportFdSpans(insp: Inspector, table: 'connections' | 'files', options: RowTableExportOptions): Promise<ExportResult> {
  return table === 'connections' ? exportSpans(insp, CONNECTIONS_TABLE, options) : exportSpans(insp, FILES_TABLE, options);
}

async function exportSpans<R extends FdSpan>(insp: Inspector, table: SpanTable<R>, options: RowTableExportOptions): Promise<ExportResult> {
  const tracker = table.tracker();
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const sink = openSink(table.schema, options);
  const ctx = insp.fieldContext;
  let rows = 0;
  let batches = 0;
  const write = (part: readonly R[]): void => {
    rows += part.length;
    batches++;
    sink.write(table.batch(part));
  };
  let seen = 0;
  const signal = options.signal;
  let stopped = false;
  await fillSink(sink, async () => {
    await insp.run((ev) => {
      if (signal?.aborted === true) { stopped = true; return false; }
      seen++;
      tracker.observe(ev, ctx);
    }, () => {
      if (tracker.endedCount >= batchRows) write(tracker.takeEnded());
      options.onProgress?.(seen);
      return sink.ready();
    });
    const rest = tracker.endAll();
    if (rest.length > 0 || batches === 0) write(rest);
  });
  return { rows, batches, interrupted: stopped };
}
