// Small tables built from plain row objects (the processes and connections
// tables): a list of columns, each a name, an Arrow type, whether it may be
// null, and how to read its value from a row.

import { Field, Int64, RecordBatch, Schema, Struct, Timestamp, Uint64, makeData, vectorFromArray } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { columnText } from './columns.js';

/** A column of a row table: name, type, nullable, and its value in a row (null for none). */
export type RowColumn<R> = readonly [string, DataType, boolean, (row: R) => unknown];

/** The schema of a row table, tagged `scapkit.table=<table>` as the events table is. */
export function rowTableSchema<R>(table: string, columns: ReadonlyArray<RowColumn<R>>): Schema {
  return new Schema(
    columns.map(([name, type, nullable]) => new Field(name, type, nullable)),
    new Map([['scapkit.table', table], ['scapkit.version', '1']]),
  );
}

/** 64-bit columns from bigints (or null), built by hand: apache-arrow's builders take timestamps as milliseconds. */
function int64Data(type: DataType, values: ReadonlyArray<bigint | null>): Data {
  const data = type instanceof Uint64 ? new BigUint64Array(values.length) : new BigInt64Array(values.length);
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) { nullCount++; return; }
    data[i] = v;
    nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return makeData({ type, length: values.length, nullCount, nullBitmap: nullCount > 0 ? nullBitmap : null, data } as never);
}

/** The rows as one record batch of `schema` (made by rowTableSchema from the same columns). */
export function rowTableBatch<R>(schema: Schema, columns: ReadonlyArray<RowColumn<R>>, rows: readonly R[]): RecordBatch {
  const children: Data[] = columns.map(([, type, , get]) => {
    // Text is the capture's bytes, one char each: as the events table writes it.
    const values = rows.map((r) => { const v = get(r); return typeof v === 'string' ? columnText(v) : v; });
    return type instanceof Int64 || type instanceof Uint64 || type instanceof Timestamp
      ? int64Data(type, values as Array<bigint | null>)
      : vectorFromArray(values as never, type).data[0]!;
  });
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}
