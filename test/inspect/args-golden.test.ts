// %evt.args and %evt.res against the reference outputs of libsinsp
// (shared/fixtures/golden/<capture>/args.txt and events.json).
//
// Part 1 needs nothing but the renderers: it rebuilds every event from
// raw.txt (parameters as libsinsp saw them) and renders it with a state
// oracle made from the goldens (see golden-oracle.ts). Lines that need state
// the oracle cannot give are counted and listed, the rest must match exactly.
//
// Part 2 runs the whole pipeline (reader → layout converter → state replay
// → renderer) through `Inspector` and compares every line; it reports what
// is missing when those modules are not there yet.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { ArgsFormatter } from '../../inspect/format/args.js';
import { buildBatch } from '../helpers/event-builder.js';
import { GoldenOracle, readEventsJson } from './golden-oracle.js';
import { parseRawLine, rawToSpec } from './raw-dump.js';

const GOLDEN = process.env.SCAPKIT_GOLDEN ?? join(ROOT, 'fixtures', 'golden');
const CAPTURES = process.env.SCAPKIT_CAPTURES ?? join(ROOT, 'fixtures', 'captures');
const NAMES = ['curl_google', 'curl_google_comments', 'single_ipv6_conn', 'test_ipv6_client'];

const lines = (path: string): string[] => readFileSync(path, 'latin1').split('\n').filter((l) => l !== '');

/** Why a line may legitimately differ under the oracle: it names state the oracle lacks. */
function needsMoreState(expected: string, fdNum: number | null): boolean {
  // An fd resolution other than the event's own fd, or an fd list.
  const fds = [...expected.matchAll(/=(\d+)\(<[^>]*>/g)].map((m) => Number(m[1]));
  if (fds.some((fd) => fd !== fdNum)) return true;
  return / fds=/.test(expected);
}

describe.skipIf(!existsSync(GOLDEN))('evt.args on raw.txt events with a golden state oracle', () => {
  for (const name of NAMES) {
    const dir = join(GOLDEN, name);
    it(`${name}: every line that needs no extra state matches args.txt, and evt.res matches events.json`, () => {
      const raw = lines(join(dir, 'raw.txt'));
      const args = lines(join(dir, 'args.txt'));
      const rows = readEventsJson(join(dir, 'events.json'));
      expect(raw.length).toBe(args.length);
      const oracle = new GoldenOracle(rows, readFileSync(join(dir, 'procs.txt'), 'latin1'));
      const fmt = new ArgsFormatter(oracle);
      const ev = new EventCursor();
      const mismatches: string[] = [];
      const excused: string[] = [];
      let resChecked = 0;
      for (let i = 0; i < raw.length; i++) {
        const row = rows[i]!;
        const num = row['evt.num'];
        const rawEv = parseRawLine(raw[i]!);
        const spec = rawToSpec(rawEv, num);
        ev.moveTo(buildBatch([spec]), 0);
        const expected = args[i]!;
        oracle.at(row, expected);
        const got = `${num} ${rawEv.name} ${fmt.args(ev)}`;
        const gotRes = fmt.res(ev) ?? null;
        if (gotRes !== row['evt.res']) mismatches.push(`res ${num}: got ${gotRes} want ${row['evt.res']}`);
        resChecked++;
        if (got === expected) continue;
        if (needsMoreState(expected, row['fd.num'])) excused.push(`${num}`);
        else mismatches.push(`got:  ${got.slice(0, 300)}\nwant: ${expected.slice(0, 300)}`);
      }
      if (excused.length > 0) console.log(`${name}: ${excused.length} lines need state beyond the oracle: ${excused.slice(0, 20).join(' ')}`);
      expect(mismatches.slice(0, 20)).toEqual([]);
      expect(resChecked).toBe(raw.length);
    });
  }
});

/** Loads the full pipeline, or says what is missing. */
async function loadPipeline(): Promise<{ open: (path: string) => Promise<unknown> } | string> {
  try {
    const mod = await import('../../inspect/inspector.js') as { Inspector?: { open(path: string): Promise<unknown> } };
    if (mod.Inspector === undefined) return 'inspect/inspector.ts does not export Inspector';
    return { open: (p) => mod.Inspector!.open(p) };
  } catch (err) {
    return `the pipeline is not available yet (${(err as Error).message.split('\n')[0]})`;
  }
}

interface InspectorLike {
  readonly state: ConstructorParameters<typeof ArgsFormatter>[0];
  run(cb: (ev: EventCursor) => void): Promise<unknown>;
}

describe.skipIf(!existsSync(CAPTURES))('evt.args through the whole pipeline', () => {
  for (const name of NAMES) {
    it(`${name}: every line matches args.txt`, async () => {
      const pipeline = await loadPipeline();
      if (typeof pipeline === 'string') {
        console.warn(`args-golden: skipped ${name}: ${pipeline}`);
        return;
      }
      const insp = await pipeline.open(join(CAPTURES, `${name}.scap`)) as InspectorLike;
      const fmt = new ArgsFormatter(insp.state);
      const got: string[] = [];
      // The type column is evt.type's business (generic events show the
      // syscall name); compare the event number and the args.
      await insp.run((ev) => { got.push(`${ev.num} ${fmt.args(ev)}`); });
      const want = lines(join(GOLDEN, name, 'args.txt')).map((l) => l.replace(/^(\d+) \S+ /, '$1 '));
      const diffs: string[] = [];
      for (let i = 0; i < Math.max(got.length, want.length); i++) {
        if (got[i] !== want[i]) diffs.push(`line ${i + 1}\n got:  ${got[i]?.slice(0, 300)}\n want: ${want[i]?.slice(0, 300)}`);
      }
      const rate = ((want.length - diffs.length) / want.length * 100).toFixed(2);
      console.log(`${name}: ${want.length - diffs.length}/${want.length} lines match (${rate}%)`);
      expect(diffs.slice(0, 10)).toEqual([]);
    });
  }
});
