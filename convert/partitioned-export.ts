// A Hive-partitioned Parquet dataset of the events table: one directory level
// per partition key (`hour=2018-08-17T17/type=connect/part-00003.parquet`),
// which DuckDB (`read_parquet('DIR/**/*.parquet', hive_partitioning = true)`)
// and Spark read as one table with the keys as columns.
//
// Memory: one table builder and one Parquet writer per open partition, at
// most `maxOpen` of them; the least recently written partition is closed
// (its file complete) when another is needed, and a later row of it starts
// a new part file. Builders are small (`batchRows` rows) for that reason.

import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EventCursor } from '../scapfile/event-cursor.js';
import { splitNs } from '../scapfile/timestamp.js';
import type { Inspector } from '../inspect/inspector.js';
import type { FieldContext } from '../inspect/fields/index.js';
import { eventTypeName } from '../inspect/format/event-name.js';
import { utf8ColumnBytes } from './columns.js';
import { EVENT_COLUMNS, EventsTableBuilder, type EventColumn } from './events-table.js';
import { ParquetSink } from './parquet-sink.js';
import { commitPartial, discardPartial, outputTarget, partialPath } from './partial-output.js';

/** Rows per batch of each open partition unless asked otherwise: many are open, each with few rows. */
export const DEFAULT_PARTITION_BATCH_ROWS = 8192;

/** What a dataset can be partitioned by. */
export const PARTITION_KEYS = ['date', 'hour', 'type', 'proc_name', 'cpu'] as const;
export type PartitionKey = (typeof PARTITION_KEYS)[number];

/** Checks a `--partition-by` list; throws naming the unknown keys. */
export function partitionKeys(names: readonly string[]): PartitionKey[] {
  const unknown = names.filter((n) => !(PARTITION_KEYS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`cannot partition by ${unknown.join(', ')}; keys are ${PARTITION_KEYS.join(', ')}`);
  if (names.length === 0) throw new Error('--partition-by needs at least one key');
  return [...new Set(names)] as PartitionKey[];
}

export interface PartitionedExportOptions {
  /** The dataset directory: created if missing, must hold no files. */
  readonly dir: string;
  readonly by: readonly PartitionKey[];
  readonly filter?: (ev: EventCursor, ctx: FieldContext) => boolean;
  readonly columns?: readonly EventColumn[];
  /** Rows per batch of each partition (default DEFAULT_PARTITION_BATCH_ROWS). */
  readonly batchRows?: number;
  /** Rows per Parquet row group of each part file (ParquetSink's default). */
  readonly rowGroupRows?: number;
  /** Partitions open at once (default 32). */
  readonly maxOpen?: number;
  readonly onProgress?: (rows: number) => void;
  /** Stops reading when aborted: the dataset is completed with the rows so far (`interrupted` set). */
  readonly signal?: AbortSignal;
}

export interface PartitionedExportResult {
  readonly rows: number;
  /** Part files written, relative to the directory. */
  readonly files: readonly string[];
  /** `signal` stopped the export before the end of the capture. */
  readonly interrupted: boolean;
}

interface OpenPartition { readonly table: EventsTableBuilder; readonly sink: ParquetSink; readonly file: string }

/** Hive's escaping of a partition value: bytes outside [A-Za-z0-9._-] as %XX; empty as Hive's default partition. */
export function hiveValue(v: string | undefined): string {
  if (v === undefined || v === '') return '__HIVE_DEFAULT_PARTITION__';
  let out = '';
  for (const byte of utf8ColumnBytes(v)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Writes the events of `insp` as a partitioned Parquet dataset. Partition
 * columns that are table columns (type, proc_name, cpu) live in the path
 * only, as Hive and Spark expect. On error everything written is removed
 * and `dir` is left as it was: part of a dataset reads as a whole one,
 * silently short.
 */
export async function exportPartitioned(insp: Inspector, options: PartitionedExportOptions): Promise<PartitionedExportResult> {
  const dir = outputTarget(options.dir);
  const by = options.by;
  const columns = (options.columns ?? EVENT_COLUMNS).filter((c) => !(by as readonly string[]).includes(c));
  if (columns.length === 0) throw new Error('every column asked for is a partition key; a dataset needs at least one other column');
  const existed = await stat(dir).then((st) => {
    if (!st.isDirectory()) throw new Error(`${dir} exists and is not a directory; a dataset goes into a new or empty directory`);
    return true;
  }, (e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return false; throw e; });
  if (existed && (await readdir(dir)).length > 0) throw new Error(`${dir} is not empty; a dataset goes into a new or empty directory`);
  // Built in a directory of its own beside `dir` and renamed to it when
  // complete (over it, when it is an empty one): a dataset stopped by a
  // kill or a crash is never found under its name, part of it unreadable.
  await mkdir(dirname(dir), { recursive: true });
  const work = partialPath(dir);
  await mkdir(work);
  const signal = options.signal;
  let stopped = false;
  const batchRows = options.batchRows ?? DEFAULT_PARTITION_BATCH_ROWS;
  const maxOpen = Math.max(1, options.maxOpen ?? 32);
  const open = new Map<string, OpenPartition>();
  const files: string[] = [];
  const filter = options.filter;
  let rows = 0;
  let lastHour = -1;
  let hourText = '';

  const valueOf = (key: PartitionKey, ev: EventCursor, ctx: FieldContext): string => {
    switch (key) {
      case 'date':
      case 'hour': {
        const { sec } = splitNs(ev.tsHi, ev.tsLo);
        const hour = Math.floor(sec / 3600);
        if (hour !== lastHour) { lastHour = hour; hourText = new Date(hour * 3600_000).toISOString().slice(0, 13); }
        return key === 'hour' ? hourText : hourText.slice(0, 10);
      }
      case 'type': return eventTypeName(ev);
      case 'cpu': return String(ev.cpu);
      case 'proc_name': return ctx.state.thread(ev.tid)?.comm ?? '';
    }
  };
  const close = async (key: string, p: OpenPartition): Promise<void> => {
    open.delete(key);
    if (p.table.length > 0) p.sink.write(p.table.flush(p.sink.dictionaryMode));
    await p.sink.close();
  };
  const partitionFor = async (key: string): Promise<OpenPartition> => {
    let p = open.get(key);
    if (p !== undefined) {
      // Most recently used last: Map order is the eviction order.
      open.delete(key);
      open.set(key, p);
      return p;
    }
    if (open.size >= maxOpen) {
      const [oldKey, oldest] = open.entries().next().value!;
      await close(oldKey, oldest);
    }
    const sub = join(work, key);
    await mkdir(sub, { recursive: true });
    const file = join(key, `part-${String(files.length).padStart(5, '0')}.parquet`);
    files.push(file);
    p = { table: new EventsTableBuilder(batchRows, columns), sink: new ParquetSink(join(work, file), { rowGroupRows: options.rowGroupRows }), file };
    open.set(key, p);
    return p;
  };

  // Rows are routed synchronously inside the replay; opening and closing
  // partitions is asynchronous, so rows whose partition is not open wait in
  // builders of their own (one reader batch at most) until the batch ends,
  // then go to their partition as whole batches.
  const pending = new Map<string, EventsTableBuilder[]>();
  const drainPending = async (): Promise<void> => {
    for (const [key, builders] of pending) {
      const p = await partitionFor(key);
      for (const b of builders) p.sink.write(b.flush(p.sink.dictionaryMode));
    }
    pending.clear();
  };
  try {
    const ctx = insp.fieldContext;
    await insp.run((ev) => {
      if (signal?.aborted === true) { stopped = true; return false; }
      if (filter !== undefined && !filter(ev, ctx)) return;
      let key = '';
      for (const k of by) key += `${key === '' ? '' : '/'}${k}=${hiveValue(valueOf(k, ev, ctx))}`;
      const p = open.get(key);
      if (p !== undefined) {
        p.table.append(ev, ctx);
        if (p.table.full) p.sink.write(p.table.flush(p.sink.dictionaryMode));
      } else {
        let builders = pending.get(key);
        if (builders === undefined) pending.set(key, (builders = []));
        let b = builders[builders.length - 1];
        if (b === undefined || b.full) builders.push((b = new EventsTableBuilder(batchRows, columns)));
        b.append(ev, ctx);
      }
      rows++;
    }, async () => {
      await drainPending();
      for (const p of open.values()) await p.sink.ready();
      options.onProgress?.(rows);
    });
    await drainPending();
    for (const [key, p] of [...open]) await close(key, p);
    // Nothing matched: one empty part under the default partition of every
    // key, so the dataset still reads (as no rows) rather than as no files.
    if (files.length === 0) {
      const key = by.map((k) => `${k}=${hiveValue(undefined)}`).join('/');
      const p = await partitionFor(key);
      p.sink.write(p.table.flush(p.sink.dictionaryMode));
      await close(key, p);
    }
    await commitPartial(work, dir);
  } catch (err) {
    for (const p of open.values()) await p.sink.abort().catch(() => undefined);
    await discardPartial(work);
    throw err;
  }
  return { rows, files, interrupted: stopped };
}
