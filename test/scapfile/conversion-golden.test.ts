// Every entry of libscap's conversion table, against the reference. The
// fixtures reach only the old layouts sysdig wrote in 2018; this capture
// holds, for each (old exit type, parameter count) the table knows, that
// exit event alone and after each enter event layout of its type, and the
// enter layouts converted on their own (procexit, switch, container),
// with deterministic pseudo-random values of each parameter's type. What
// LayoutConverter and SinspSelection make of it must equal, byte for byte,
// what `sinsp-example -a -r` of libs 48dfd53 printed
// (fixtures/golden/conversions/raw.txt.gz, timestamps and categories
// left out). The table or the schema changing means regenerating it:
//   SCAPKIT_REGEN_CONVERSIONS=1 npx vitest run test/scapfile/conversion-golden.test.ts
// (needs the reference built, shared/tools/reference/build.sh).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { EVENTS } from '../../scapfile/schema/events.js';
import { ParamType } from '../../scapfile/schema/types.js';
import { CONVERSIONS } from '../../scapfile/upgrade/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { SINSP_EXAMPLE } from '../helpers/sinsp.js';
import { Rng, randomParam } from '../helpers/random-events.js';
import { captureBytes, rawDump, type SyntheticEvent } from '../helpers/sinsp-raw.js';

const GOLDEN = join(ROOT, 'fixtures', 'golden', 'conversions', 'raw.txt.gz');
/** Each pairing is written this many times, with other values. */
const REPEATS = 2;
/** A parameter past the end of a layout (an old event with more than its table entry names). */
const BYTES = { name: 'extra', type: ParamType.BYTEBUF, format: 0 };

/** The synthetic events, from a fixed seed. */
function conversionEvents(): SyntheticEvent[] {
  const rng = new Rng(20261129, 4);
  // An event of `type` as an old driver wrote it: the first `nparams` parameters of its layout.
  const event = (type: number, nparams: number, tid: number): SyntheticEvent =>
    ({ type, tid, params: Array.from({ length: nparams }, (_, k) => randomParam(rng, EVENTS[type]!.params[k] ?? BYTES)) });

  const enters = CONVERSIONS.filter((c) => (c.type & 1) === 0);
  const exitTypes = new Set(CONVERSIONS.filter((c) => (c.type & 1) === 1).map((c) => c.type));
  const events: SyntheticEvent[] = [];
  let tid = 1000;
  for (let rep = 0; rep < REPEATS; rep++) {
    for (const exit of CONVERSIONS) {
      if ((exit.type & 1) === 0) continue;
      events.push(event(exit.type, exit.nparams, tid++));
      for (const enter of enters.filter((e) => e.type === exit.type - 1)) {
        events.push(event(enter.type, enter.nparams, tid), event(exit.type, exit.nparams, tid));
        tid++;
      }
    }
    // Enter layouts whose exit the table does not know: converted alone.
    for (const enter of enters.filter((e) => !exitTypes.has(e.type + 1))) events.push(event(enter.type, enter.nparams, tid++));
  }
  return events;
}

it('converts every entry of libscap\'s table as sinsp-example does, byte for byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-conversions-'));
  try {
    const file = join(dir, 'conversions.scap');
    const events = conversionEvents();
    writeFileSync(file, captureBytes(events));
    if (process.env.SCAPKIT_REGEN_CONVERSIONS === '1') {
      const out = execFileSync(SINSP_EXAMPLE, ['-s', file, '-a', '-r'], { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, encoding: 'latin1', maxBuffer: 1 << 28 });
      const body = out.split('-- Start capture\n')[1]!.split('-- EOF')[0]!;
      const lines = body.split('\n').filter((l) => l.startsWith('ts=')).map((l) => l.replace(/^ts=\S+ /, '').replace(/ category=\S+/, ''));
      writeFileSync(GOLDEN, gzipSync(Buffer.from(lines.join('\n') + '\n', 'latin1'), { level: 9 }));
    }
    const expected = gunzipSync(readFileSync(GOLDEN)).toString('latin1').trimEnd().split('\n');
    const failures: string[] = [];
    const ours = await rawDump(file, (e) => failures.push(e.message));
    // libscap converted every event too: none is missing from its output.
    expect(failures).toEqual([]);
    expect(ours.length).toBeGreaterThan(500);
    const differing = ours.flatMap((line, i) => (line === expected[i] ? [] : [`line ${i + 1}:\n  ours      ${line}\n  reference ${expected[i]}`]));
    expect(differing.slice(0, 5)).toEqual([]);
    expect(ours.length).toBe(expected.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
