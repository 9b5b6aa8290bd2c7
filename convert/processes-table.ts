// The `processes` table: one row per process of the capture's process forest
// (inspect/ptree), the rows `scap ptree` draws, so lineage questions ("what
// started this", "what did it exec") are a join away from the events table
// (events.pid = processes.pid, within start/exit).

import { Bool, Field, Int32, Int64, List, TimeUnit, Timestamp, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { ProcessNode } from '../inspect/ptree/index.js';
import { rowTableBatch, rowTableSchema } from './row-table.js';
import type { RowColumn } from './row-table.js';

// Naive (UTC) nanosecond timestamps, as the events table's `ts`.
const ts = new Timestamp(TimeUnit.NANOSECOND);

/** Columns of the processes table: name, type, nullable, value of a node. */
const COLUMNS: ReadonlyArray<RowColumn<ProcessNode>> = [
  ['pid', new Int64(), false, (n) => BigInt(n.pid)],
  ['ppid', new Int64(), true, (n) => opt(n.ppid)],
  ['vpid', new Int64(), true, (n) => opt(n.vpid)],
  ['comm', new Utf8(), false, (n) => n.comm],
  ['exe', new Utf8(), false, (n) => n.exe],
  ['exepath', new Utf8(), false, (n) => n.exepath],
  ['cmdline', new Utf8(), false, (n) => n.cmdline],
  ['names', new List(new Field('item', new Utf8(), false)), false, (n) => n.names],
  ['uid', new Int64(), false, (n) => BigInt(n.uid)],
  ['user_name', new Utf8(), true, (n) => n.user ?? null],
  ['container_id', new Utf8(), false, (n) => n.container],
  ['start', ts, true, (n) => n.startTsNs ?? null],
  ['first_seen', ts, true, (n) => n.firstSeenTsNs ?? null],
  ['exit', ts, true, (n) => n.exitTsNs ?? null],
  ['exit_code', new Int32(), true, (n) => n.exitCode ?? null],
  ['exit_signal', new Int32(), true, (n) => n.exitSignal ?? null],
  ['reparented_to', new Int64(), true, (n) => opt(n.reparentedTo)],
  ['threads', new Int32(), false, (n) => n.threads.length + 1],
  ['execs', new Int32(), false, (n) => n.execs.length],
  ['from_process_list', new Bool(), false, (n) => n.fromProcessList],
];

function opt(v: number | undefined): bigint | null {
  return v === undefined ? null : BigInt(v);
}

/** The schema of the processes table. */
export const PROCESSES_SCHEMA = rowTableSchema('processes', COLUMNS);

/** The processes as one record batch, in the forest's creation order. */
export function processesBatch(nodes: readonly ProcessNode[]): RecordBatch {
  return rowTableBatch(PROCESSES_SCHEMA, COLUMNS, nodes);
}
