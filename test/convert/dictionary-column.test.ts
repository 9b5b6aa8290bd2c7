// Dictionary columns across batches. The Arrow IPC file writer gets delta
// dictionaries, so one dictionary lives for the whole export; the stream
// writer gets deltas until a dictionary holds DICTIONARY_RESTART_LIMIT values,
// then a replacement. The Parquet
// sinks get each batch with its whole dictionary: kept for the whole export,
// that made every batch cost more than the one before (2M distinct command
// lines over 120 batches: 22 s and 6.9 GB of IPC for the column), so there a
// dictionary starts afresh once it reaches DICTIONARY_RESTART_LIMIT values.

import { Field, RecordBatch, RecordBatchReader, RecordBatchStreamWriter, Schema, Struct, Vector, makeData } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DictionaryColumn, DICTIONARY_RESTART_LIMIT } from '../../convert/columns.js';
import { EventsTableBuilder } from '../../convert/events-table.js';
import type { FieldContext } from '../../inspect/fields/index.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { buildBatch, ev, i64 } from '../helpers/synthetic-events.js';

const LIMIT = DICTIONARY_RESTART_LIMIT;
const read = (d: unknown): Array<string | null> => [...new Vector([d as never])] as Array<string | null>;
const dictionaryLength = (d: unknown): number => (d as { dictionary: Vector }).dictionary.length;

describe('DictionaryColumn', () => {
  it("'whole': starts afresh after the batch that reached the limit, and every batch reads back as pushed", () => {
    const col = new DictionaryColumn(LIMIT, 0);
    const batches = [
      Array.from({ length: LIMIT }, (_, i) => `first-${i}`), // reaches the limit
      ['first-7', 'again', null, 'again'], // values of the batch before, in a new dictionary
      ['third'],
    ];
    const generations: number[] = [];
    const out = batches.map((rows) => {
      col.reserve(rows.length);
      for (const r of rows) col.push(r ?? undefined);
      const d = col.flush('whole');
      generations.push(col.generation);
      return d;
    });
    out.forEach((d, k) => expect(read(d)).toEqual(batches[k]));
    expect(generations).toEqual([1, 1, 1]);
    // The batch after the restart carries its own two values, not 65,538.
    expect(dictionaryLength(out[1])).toBe(2);
    expect(dictionaryLength(out[2])).toBe(3);
  });

  it("'delta': keeps one dictionary for the whole export, whatever its size", () => {
    const col = new DictionaryColumn(LIMIT, 0);
    for (const n of [LIMIT, 3]) {
      col.reserve(n);
      for (let i = 0; i < n; i++) col.push(`v-${n}-${i}`);
      const d = col.flush('delta');
      expect(read(d)).toEqual(Array.from({ length: n }, (_, i) => `v-${n}-${i}`));
    }
    expect(col.generation).toBe(0);
    expect(col.size).toBe(LIMIT + 3);
  });
});

describe("DictionaryColumn 'replace' (the IPC stream)", () => {
  it('sends deltas, then a replacement past the limit, and a stream reader reads every batch back as pushed', () => {
    const col = new DictionaryColumn(LIMIT, 0);
    const schema = new Schema([new Field('v', col.type, true)]);
    const pushed = [
      Array.from({ length: LIMIT - 2 }, (_, i) => `a-${i}`),
      ['a-1', 'b-0', 'b-1', null], // reaches the limit: a delta, then the dictionary starts afresh
      ['a-1', 'c-0'], // a replacement dictionary: a-1 again, at a new index
      ['c-0', 'c-1'],
    ];
    const batches = pushed.map((rows) => {
      col.reserve(rows.length);
      for (const r of rows) col.push(r ?? undefined);
      const data = col.flush('replace');
      return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children: [data] }));
    });
    expect(col.generation).toBe(1);
    // After the restart the dictionary holds only the values since: 2, then 3.
    expect(batches.map((b) => b.getChild('v')!.data[0]!.dictionary!.length)).toEqual([LIMIT - 2, LIMIT, 2, 3]);
    const bytes = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
    const back = RecordBatchReader.from(bytes).readAll().map((b) => [...b.getChild('v')!]);
    expect(back).toEqual(pushed);
  });
});

describe('EventsTableBuilder', () => {
  it('does not reuse a cached command-line index across a restart of its dictionary', () => {
    // Every row is one event; the thread it reads is set before each append.
    const batch = buildBatch([ev('SYSCALL_CLOSE_X', 100, [i64(0), i64(3)])]);
    const cursor = new EventCursor();
    cursor.moveTo(batch, 0);
    let thread = { comm: 'x', args: [] as string[] };
    const ctx = { state: { threadDetail: () => thread } } as unknown as FieldContext;
    const table = new EventsTableBuilder(LIMIT, ['cmdline']);
    for (let i = 0; i < LIMIT; i++) {
      thread = { comm: 'tool', args: [`--n=${i}`] };
      table.append(cursor, ctx);
    }
    const first = table.flush('whole');
    // The same thread (same comm and args) goes on in the next batch.
    table.append(cursor, ctx);
    const second = table.flush('whole');
    expect(first.getChild('cmdline')!.get(LIMIT - 1)).toBe(`tool --n=${LIMIT - 1}`);
    // The index cached for it pointed past the new dictionary (null, or another value).
    expect([...second.getChild('cmdline')!]).toEqual([`tool --n=${LIMIT - 1}`]);
  });
});
