import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { exportEvents } from '../../convert/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { paramBytes } from '../../scapfile/params/decode.js';
import { FIXTURES, capturePath, goldenCounts, goldenLines, goldenTypes } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-'));
let db: DuckDBConnection;
beforeAll(async () => { db = await (await DuckDBInstance.create(':memory:')).connect(); });
afterAll(() => { db?.closeSync(); rmSync(dir, { recursive: true, force: true }); });


const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const na = (v: unknown): string => (v === null || v === undefined ? '<NA>' : String(v));

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.runAndReadAll(sql)).getRows() as unknown[][];
}

describe.each(FIXTURES)('scap export %s', (name) => {
  const pq = join(dir, `${name}.parquet`);
  const arrow = join(dir, `${name}.arrow`);
  const stream = join(dir, `${name}.arrows`);
  const expectedRows = goldenCounts(name).sinsp_example_all_threads_retrieved!;

  beforeAll(async () => {
    // Small batches and row groups, so several of each (and dictionary deltas) are exercised.
    await exportEvents(await Inspector.open(capturePath(name)), { format: 'parquet', out: pq, batchRows: 100, rowGroupRows: 250 });
    await exportEvents(await Inspector.open(capturePath(name)), { format: 'arrow', out: arrow, batchRows: 100 });
    await exportEvents(await Inspector.open(capturePath(name)), { format: 'arrow-stream', out: stream, batchRows: 100 });
  });

  it('gives DuckDB the reference event count, per-type counts and processes from Parquet', async () => {
    expect(await rows(`select count(*) from '${pq}'`)).toEqual([[BigInt(expectedRows)]]);
    const types = await rows(`select type || ' ' || dir, count(*) from '${pq}' group by all`);
    expect(new Map(types.map(([k, n]) => [k as string, Number(n)]))).toEqual(goldenTypes(name));
    const procs = await rows(`select distinct pid, ppid, proc_name, exepath, cmdline, user_name, vpid from '${pq}'`);
    expect(sortedUnique(procs.map((r) => r.map(na).join(' ')))).toEqual(sortedUnique(goldenLines(name, 'procs.txt')));
  });

  it('writes an Arrow IPC file with the same rows, types and processes', () => {
    const t = tableFromIPC(readFileSync(arrow));
    expect(t.numRows).toBe(expectedRows);
    const types = new Map<string, number>();
    const procs: string[] = [];
    const cols = ['pid', 'ppid', 'proc_name', 'exepath', 'cmdline', 'user_name', 'vpid'].map((c) => t.getChild(c)!);
    const type = t.getChild('type')!;
    const dirCol = t.getChild('dir')!;
    for (let i = 0; i < t.numRows; i++) {
      const k = `${type.get(i)} ${dirCol.get(i)}`;
      types.set(k, (types.get(k) ?? 0) + 1);
      procs.push(cols.map((c) => na(c.get(i))).join(' '));
    }
    expect(types).toEqual(goldenTypes(name));
    expect(sortedUnique(procs)).toEqual(sortedUnique(goldenLines(name, 'procs.txt')));
  });

  it('writes an Arrow IPC stream that arrow-rs (parquet-wasm) reads, dictionary deltas included', () => {
    const t = parquet.Table.fromIPCStream(readFileSync(stream));
    try {
      let n = 0;
      for (const b of t.recordBatches()) { n += b.numRows; b.free(); }
      expect(n).toBe(expectedRows);
    } finally { t.free(); }
  });

  it('keeps every parameter of every event recoverable from its Parquet row', async () => {
    const got = await rows(`select num, type_id, params from '${pq}' order by num`);
    const insp = await Inspector.open(capturePath(name));
    let i = 0;
    let mismatches = 0;
    await insp.run((ev) => {
      const [num, typeId, params] = got[i++]!;
      const items = (params as { items: { bytes: Uint8Array }[] }).items;
      if (Number(num) !== ev.num || Number(typeId) !== ev.type || items.length !== ev.nparams) { mismatches++; return; }
      for (let k = 0; k < ev.nparams; k++) {
        if (!Buffer.from(items[k]!.bytes).equals(paramBytes(ev, k))) mismatches++;
      }
    });
    expect(i).toBe(expectedRows);
    expect(mismatches).toBe(0);
  });
});
