// The events table builder gives its columns room as rows arrive instead of
// a whole batch up front: a partitioned export keeps dozens of table
// builders, most holding a few rows, and each took 26 MiB at the CLI's
// 65,536-row batches (a 5.5 MB capture partitioned by type,cpu,proc_name
// peaked at 8.7 GB). Columns keep every row once given room (`reserve`;
// variable-width ones and null bitmaps grow by themselves).

import { Binary, Field, Int64, Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BinaryColumn, BinaryListColumn, DictionaryColumn, Int64Column, Uint16Column, Utf8Column } from '../../convert/columns.js';
import { EventsTableBuilder } from '../../convert/events-table.js';

const ROWS = 5000;

describe('column builders', () => {
  it('take more rows than their first room once reserved, nulls included, and read them back', () => {
    const ints = new Int64Column(new Int64(), 4);
    const u16 = new Uint16Column(4);
    const dict = new DictionaryColumn(4, 0);
    const utf8 = new Utf8Column(4);
    const bin = new BinaryColumn(4);
    const list = new BinaryListColumn(new Field('item', new Binary(), false), 4);
    for (const c of [ints, u16, dict, utf8, bin, list]) c.reserve(ROWS);
    for (let i = 0; i < ROWS; i++) {
      if (i % 7 === 3) ints.pushNull(); else ints.push(i * 1000);
      u16.push(i & 0xffff);
      dict.push(i % 11 === 0 ? undefined : `v${i % 5}`);
      utf8.push(i % 13 === 0 ? undefined : `s${i}`);
      bin.push(Buffer.from([i & 0xff]));
      list.pushItem(Buffer.from([1])); list.pushItem(Buffer.from([i & 0xff])); list.endRow();
    }
    const read = <T>(d: unknown): T[] => [...new Vector([d as never])] as T[];
    const want = (f: (i: number) => unknown): unknown[] => Array.from({ length: ROWS }, (_, i) => f(i));
    expect(read<bigint | null>(ints.flush()).map((v) => (v === null ? null : Number(v)))).toEqual(want((i) => (i % 7 === 3 ? null : i * 1000)));
    expect([...read<number>(u16.flush())]).toEqual(want((i) => i & 0xffff));
    expect(read<string | null>(dict.flush('whole'))).toEqual(want((i) => (i % 11 === 0 ? null : `v${i % 5}`)));
    expect(read<string | null>(utf8.flush())).toEqual(want((i) => (i % 13 === 0 ? null : `s${i}`)));
    expect(read<Uint8Array>(bin.flush()).map((b) => b[0])).toEqual(want((i) => i & 0xff));
    expect(read<Vector>(list.flush()).map((row) => [...row.toArray()].map((b: Uint8Array) => b[0]))).toEqual(want((i) => [1, i & 0xff]));
  });

  it('take no room for a batch before rows come, nor for columns not chosen', () => {
    const before = process.memoryUsage().arrayBuffers;
    const builders = Array.from({ length: 20 }, () => new EventsTableBuilder(65536, ['num', 'proc_name', 'args']));
    const perBuilder = (process.memoryUsage().arrayBuffers - before) / builders.length;
    expect(perBuilder).toBeLessThan(256 * 1024);
  });
});
