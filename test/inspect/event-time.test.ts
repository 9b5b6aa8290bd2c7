import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../inspect/fields/event-time.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { eventJson } from '../../inspect/format/json.js';
import { Inspector } from '../../inspect/inspector.js';
import type { FieldContext } from '../../inspect/fields/field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { capturePath, ROOT, type FixtureName } from '../helpers/fixtures.js';

// formatTime keeps the `HH:MM:SS.` of the last second it printed: moving
// forward, back and across days must still give each timestamp's own text.
describe('formatTime', () => {
  const offset = -new Date().getTimezoneOffset() * 60;
  const want = (ns: bigint): string => {
    const sec = Number(ns / 1_000_000_000n);
    const s = (sec + offset) % 86400;
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
  };
  it.each([
    [1_700_000_000_000_000_001n, 1_700_000_000_999_999_999n, 1_700_000_001_000_000_000n, 1_699_999_999_500_000_000n],
    [1_700_000_000_000_000_001n, 1_700_086_400_000_000_001n, 1_700_000_000_000_000_002n, 5_000_000_123n],
  ])('prints each of a sequence of timestamps as its own', (...seq) => {
    for (const ns of seq) {
      const hi = Number(ns >> 32n);
      const lo = Number(ns & 0xffffffffn);
      expect(formatTime(hi, lo), String(ns)).toBe(want(ns));
    }
  });
});

/** Calls `visit` with every event of the fixture and the field context. */
async function eachEvent(name: FixtureName, visit: (ev: EventCursor, ctx: FieldContext) => void): Promise<void> {
  const insp = await Inspector.open(capturePath(name));
  await insp.run((ev) => { visit(ev, insp.fieldContext); });
}

// evt.deltatime.ns prints its nanoseconds padded to 9 digits
// (PF_10_PADDED_DEC), but -j writes the number (extract_as_js returns the
// u64): a padded string there was neither the reference's type nor JSON's.
describe('evt.deltatime in -j', () => {
  it('writes numbers, the nanoseconds part unpadded', async () => {
    const json = eventJson('*%evt.num %evt.deltatime %evt.deltatime.s %evt.deltatime.ns', FIELDS);
    const text = compileFormat('*%evt.deltatime.ns', FIELDS);
    const lines: string[] = [];
    const texts: string[] = [];
    await eachEvent('curl_google', (ev, ctx) => { lines.push(json(ev, ctx)!); texts.push(text(ev, ctx)!); });
    expect(lines.filter((l) => /"evt\.deltatime\.ns":[1-9]\d*[,}]/.test(l)).length).toBeGreaterThan(500);
    expect(texts.every((t) => /^\d{9}$/.test(t))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.every((o) => typeof o['evt.deltatime.ns'] === 'number' && typeof o['evt.deltatime'] === 'number')).toBe(true);
    expect(parsed.every((o, i) => String(o['evt.deltatime.ns']).padStart(9, '0') === texts[i])).toBe(true);
  });
});

// util.cnt counts the events each use of it sees (libsinsp's per-filtercheck
// counter); the reference's sinsp-example prints it per event category, so
// no golden holds it (inspect/README.md).
describe('util.cnt', () => {
  it('counts from 1 per use, in formats and filters', async () => {
    const fmt = compileFormat('*%util.cnt %util.cnt', FIELDS);
    const first3 = compileFilter('util.cnt <= 3', FIELDS);
    const lines: string[] = [];
    const matched: number[] = [];
    await eachEvent('test_ipv6_client', (ev, ctx) => {
      if (first3(ev, ctx)) matched.push(ev.num);
      lines.push(fmt(ev, ctx)!);
    });
    expect(lines.every((l, i) => l === `${i + 1} ${i + 1}`)).toBe(true);
    expect(matched.length).toBe(3);
  });
});

describe('local time under a POSIX TZ with rules', () => {
  // Node reads such TZ values as UTC; sinsp (glibc's localtime) follows them.
  const datetime = (tz: string): string => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'read', capturePath('curl_google'), '-n', '1', '-p', '%evt.datetime.s'], {
      encoding: 'latin1', env: { ...process.env, TZ: tz },
    });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  it('takes the offset glibc takes: <+0530>-5:30 is 5 h 30 min ahead of UTC', () => {
    const utc = Date.parse(`${datetime('UTC').replace(' ', 'T')}Z`);
    const local = Date.parse(`${datetime('<+0530>-5:30').replace(' ', 'T')}Z`);
    expect((local - utc) / 60_000).toBe(330);
    // A rule without DST in it now or then: the standard offset, 3 h behind.
    expect((Date.parse(`${datetime('<-03>3<-02>,M3.5.0/-2,M10.5.0/-1').replace(' ', 'T')}Z`) - utc) / 60_000).toBe(expectedOffsetMin('<-03>3<-02>,M3.5.0/-2,M10.5.0/-1'));
  });
});

/** The offset glibc gives a TZ value now, in minutes (date +%z). */
function expectedOffsetMin(tz: string): number {
  const z = /^([+-])(\d\d)(\d\d)$/.exec(spawnSync('date', ['+%z'], { encoding: 'latin1', env: { ...process.env, TZ: tz } }).stdout.trim())!;
  return (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
}
