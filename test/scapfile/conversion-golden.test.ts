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
import { ParamType as PT } from '../../scapfile/schema/types.js';
import { CONVERSIONS } from '../../scapfile/upgrade/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { SINSP_EXAMPLE } from '../helpers/sinsp.js';
import { captureBytes, rawDump, type SyntheticEvent } from '../helpers/sinsp-raw.js';

const GOLDEN = join(ROOT, 'fixtures', 'golden', 'conversions', 'raw.txt.gz');
/** Each pairing is written this many times, with other values. */
const REPEATS = 2;

/** Bytes of the fixed-size parameter types (a size old drivers never left empty: sinsp refuses that). */
const FIXED: Partial<Record<number, number>> = {
  [PT.INT8]: 1, [PT.INT16]: 2, [PT.INT32]: 4, [PT.INT64]: 8, [PT.UINT8]: 1, [PT.UINT16]: 2, [PT.UINT32]: 4,
  [PT.UINT64]: 8, [PT.ERRNO]: 8, [PT.FD]: 8, [PT.PID]: 8, [PT.SIGTYPE]: 1, [PT.RELTIME]: 8, [PT.ABSTIME]: 8,
  [PT.PORT]: 2, [PT.L4PROTO]: 1, [PT.SOCKFAMILY]: 1, [PT.BOOL]: 4, [PT.IPV4ADDR]: 4, [PT.FLAGS8]: 1,
  [PT.FLAGS16]: 2, [PT.FLAGS32]: 4, [PT.UID]: 4, [PT.GID]: 4, [PT.DOUBLE]: 8, [PT.SIGSET]: 4, [PT.MODE]: 4,
  [PT.ENUMFLAGS8]: 1, [PT.ENUMFLAGS16]: 2, [PT.ENUMFLAGS32]: 4, [PT.FD32]: 4, [PT.PID32]: 4, [PT.IPV6ADDR]: 16,
};
const PATHS = ['/etc/passwd', 'x', '/tmp/a b', 'curl', 'relative/p', '', '/'];

/** The synthetic events, from a fixed seed. */
function conversionEvents(): SyntheticEvent[] {
  let seed = 20261129;
  const random = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
  const below = (n: number): number => Math.floor(random() * n);
  const bytes = (n: number, small: boolean): Buffer => Buffer.from(Array.from({ length: n }, () => (small && random() < 0.5 ? below(4) : below(256))));
  const value = (type: number): Buffer => {
    // A syscall id within the table, else sinsp indexes past it.
    if (type === PT.SYSCALLID) { const b = Buffer.alloc(2); b.writeUInt16LE(below(380)); return b; }
    const size = FIXED[type];
    if (size !== undefined) {
      // fds, pids and results mostly small and positive, as recorded.
      if ((type === PT.FD || type === PT.ERRNO || type === PT.INT64 || type === PT.PID) && random() < 0.7) { const b = Buffer.alloc(8); b[0] = below(20); return b; }
      return bytes(size, true);
    }
    if (random() < 0.08) return Buffer.alloc(0);
    switch (type) {
      case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH: return Buffer.from(PATHS[below(PATHS.length)]! + '\0');
      case PT.CHARBUFARRAY: return Buffer.from(['a\0b\0', 'x\0', ''][below(3)]!);
      case PT.SOCKADDR: return [Buffer.from([2, 127, 0, 0, 1, 0x1f, 0x90]), Buffer.from('\x01/run/s\0', 'latin1'),
        Buffer.concat([Buffer.from([10]), Buffer.alloc(15), Buffer.from([1, 0, 0x50])])][below(3)]!;
      case PT.SOCKTUPLE: return below(2) === 0 ? Buffer.from([2, 10, 0, 0, 1, 0x30, 0x39, 10, 0, 0, 2, 0, 80])
        : Buffer.concat([Buffer.from([1]), Buffer.alloc(16, 1), Buffer.from('/run/x\0')]);
      case PT.FDLIST: return Buffer.from([1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
      case PT.DYN: return Buffer.from([0, 5, 0, 0, 0, 0, 0, 0, 0]);
      default: return bytes(below(12), false);
    }
  };
  // An event of `type` as an old driver wrote it: the first `nparams` parameters of its layout.
  const event = (type: number, nparams: number, tid: number): SyntheticEvent =>
    ({ type, tid, params: Array.from({ length: nparams }, (_, k) => value(EVENTS[type]!.params[k]?.type ?? PT.BYTEBUF)) });

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
