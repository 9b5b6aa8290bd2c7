// The `processes` table: one row per process of the capture's process forest
// (inspect/ptree), the rows `scap ptree` draws, so lineage questions ("what
// started this", "what did it exec") are a join away from the events table
// (events.pid = processes.pid, within start/exit).

import {
  Bool, Field, Int32, Int64, List, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Utf8, makeData, vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import type { ProcessNode } from '../inspect/ptree/index.js';

// Naive (UTC) nanosecond timestamps, as the events table's `ts`.
const ts = new Timestamp(TimeUnit.NANOSECOND);

/** Columns of the processes table: name, type, nullable, value of a node. */
const COLUMNS: ReadonlyArray<readonly [string, DataType, boolean, (n: ProcessNode) => unknown]> = [
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

function int64Data(type: Int64 | Timestamp, values: ReadonlyArray<bigint | null>): Data {
  const data = new BigInt64Array(values.length);
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) { nullCount++; return; }
    data[i] = v;
    nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return makeData({ type, length: values.length, nullCount, nullBitmap: nullCount > 0 ? nullBitmap : null, data } as never);
}

function opt(v: number | undefined): bigint | null {
  return v === undefined ? null : BigInt(v);
}

/** The schema of the processes table. */
export const PROCESSES_SCHEMA = new Schema(
  COLUMNS.map(([name, type, nullable]) => new Field(name, type, nullable)),
  new Map([['scapkit.table', 'processes'], ['scapkit.version', '1']]),
);

/** The processes as one record batch, in the forest's creation order. */
export function processesBatch(nodes: readonly ProcessNode[]): RecordBatch {
  const children: Data[] = COLUMNS.map(([, type, , get]) => {
    const values = nodes.map(get);
    // 64-bit columns are built by hand: apache-arrow's builders take
    // timestamps as milliseconds, which would lose the nanoseconds.
    return type instanceof Int64 || type instanceof Timestamp
      ? int64Data(type, values as Array<bigint | null>)
      : vectorFromArray(values as never, type).data[0]!;
  });
  const data = makeData({ type: new Struct(PROCESSES_SCHEMA.fields), length: nodes.length, nullCount: 0, children });
  return new RecordBatch(PROCESSES_SCHEMA, data);
}
