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
import { columnText } from '../../convert/columns.js';
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

/** Columns of the events table and the field each holds (convert/README.md). */
const EVENT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['num', 'evt.num'], ['type', 'evt.type'], ['dir', 'evt.dir'], ['category', 'evt.category'], ['proc_name', 'proc.name'],
  ['fd_num', 'fd.num'], ['fd_type', 'fd.type'], ['fd_name', 'fd.name'], ['res', 'evt.rawres'], ['cip', 'fd.cip'], ['sip', 'fd.sip'],
  ['cport', 'fd.cport'], ['sport', 'fd.sport'], ['l4proto', 'fd.l4proto'], ['args', 'evt.args'],
];
/**
 * Process columns, checked on the state sequences: the every-type capture's
 * clone events give threads ids past 2^53, which no kernel hands out and
 * the state keeps as numbers.
 */
const PROCESS_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['tid', 'thread.tid'], ['pid', 'proc.pid'], ['ppid', 'proc.ppid'], ['vpid', 'proc.vpid'], ['exepath', 'proc.exepath'],
  ['cmdline', 'proc.cmdline'], ['user_name', 'user.name'],
];

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

  it('holds in its columns what scap read prints for their fields', async () => {
    const columns = name === 'every-type' ? EVENT_COLUMNS : [...EVENT_COLUMNS, ...PROCESS_COLUMNS];
    const rows = (await db.runAndReadAll(`select ${columns.map(([c]) => c).join(', ')} from '${pq}' order by num`)).getRows();
    const got = rows.map((r) => r.map((v) => (v === null ? '<NA>' : String(v))).join('\t'));
    // Each field as `scap read -p '*%field'` renders it, in the bytes its
    // column holds (the capture's, as UTF-8 text where they are UTF-8).
    const renders = columns.map(([, f]) => compileFormat(`*%${f}`, FIELDS));
    const insp = await Inspector.open(file);
    const want: string[] = [];
    await insp.run((ev) => { want.push(renders.map((r) => columnText(r(ev, insp.fieldContext)!)).join('\t')); });
    const differing = got.flatMap((line, i) => (line === want[i] ? [] : [`ours ${line}\n  read ${want[i]}`]));
    expect(differing.slice(0, 5)).toEqual([]);
    expect(got.length).toBe(want.length);
  });
});
