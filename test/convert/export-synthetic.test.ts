// scap export of the synthetic captures (test/helpers/random-events.ts):
// every event type with values of each parameter's type, empty ones,
// 64-bit ones past 2^53 and bytes that are no UTF-8, and random state
// sequences. Every parameter must come back from its Parquet row, byte for
// byte, and the process and fd columns must hold what `scap read` prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvents } from '../../convert/index.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { paramBytes } from '../../scapfile/params/decode.js';
import { everyTypeEvents, stateSequenceEvents } from '../helpers/random-events.js';
import { syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-synthetic-'));
let db: DuckDBConnection;
beforeAll(async () => { db = await (await DuckDBInstance.create(':memory:')).connect(); });
afterAll(() => { db?.closeSync(); rmSync(dir, { recursive: true, force: true }); });

const CASES = [
  { name: 'every-type', events: everyTypeEvents },
  { name: 'state-sequence', events: () => stateSequenceEvents(2, 1500) },
];

describe.each(CASES)('scap export of the $name capture', ({ name, events }) => {
  const file = syntheticCaptureFile(`export-${name}`, events());
  const pq = join(dir, `${name}.parquet`);
  beforeAll(async () => {
    await exportEvents(await Inspector.open(file), { format: 'parquet', out: pq, batchRows: 100, rowGroupRows: 250 });
  });

  it('keeps every parameter of every event, byte for byte', async () => {
    const got = (await db.runAndReadAll(`select num, type_id, params from '${pq}' order by num`)).getRows();
    const insp = await Inspector.open(file);
    let i = 0;
    const bad: string[] = [];
    await insp.run((ev) => {
      const [num, typeId, params] = got[i++]!;
      const items = (params as { items: { bytes: Uint8Array }[] }).items;
      if (Number(num) !== ev.num || Number(typeId) !== ev.type || items.length !== ev.nparams) { bad.push(`event ${ev.num}: header`); return; }
      for (let k = 0; k < ev.nparams; k++) {
        if (!Buffer.from(items[k]!.bytes).equals(paramBytes(ev, k))) bad.push(`event ${ev.num} parameter ${k}`);
      }
    });
    expect(bad.slice(0, 5)).toEqual([]);
    expect(i).toBe(got.length);
  });

  it('holds in its process and fd columns what scap read prints', async () => {
    const rows = (await db.runAndReadAll(`select num, proc_name, fd_num, fd_name, res from '${pq}' order by num`)).getRows();
    const got = rows.map((r) => r.map((v) => (v === null ? '<NA>' : String(v))).join('\t'));
    // One line per event, as rendered (formattedLines splits at line ends inside names).
    const render = compileFormat('*%evt.num\t%proc.name\t%fd.num\t%fd.name\t%evt.rawres', FIELDS);
    const insp = await Inspector.open(file);
    const want: string[] = [];
    // Names are the capture's bytes, which the Utf8 columns hold and DuckDB reads as UTF-8.
    await insp.run((ev) => { want.push(Buffer.from(render(ev, insp.fieldContext)!, 'latin1').toString('utf8')); });
    const differing = got.flatMap((line, i) => (line === want[i] ? [] : [`ours ${line}\n  read ${want[i]}`]));
    expect(differing.slice(0, 5)).toEqual([]);
    expect(got.length).toBe(want.length);
  });
});
