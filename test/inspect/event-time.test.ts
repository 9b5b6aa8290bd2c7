import { describe, expect, it } from 'vitest';
import { formatTime } from '../../inspect/fields/event-time.js';

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

// evt.deltatime.ns prints its nanoseconds padded to 9 digits
// (PF_10_PADDED_DEC), but -j writes the number (extract_as_js returns the
// u64): a padded string there was neither the reference's type nor JSON's.
describe('evt.deltatime in -j', () => {
  it('writes numbers, the nanoseconds part unpadded', async () => {
    const { Inspector } = await import('../../inspect/inspector.js');
    const { eventJson } = await import('../../inspect/format/json.js');
    const { compileFormat } = await import('../../inspect/format/format-string.js');
    const { FIELDS } = await import('../../inspect/fields/index.js');
    const { capturePath } = await import('../helpers/fixtures.js');
    const json = eventJson('*%evt.num %evt.deltatime %evt.deltatime.s %evt.deltatime.ns', FIELDS);
    const text = compileFormat('*%evt.deltatime.ns', FIELDS);
    const insp = await Inspector.open(capturePath('curl_google'));
    const lines: string[] = [];
    const texts: string[] = [];
    await insp.run((ev) => { lines.push(json(ev, insp.fieldContext)!); texts.push(text(ev, insp.fieldContext)!); });
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
    const { Inspector } = await import('../../inspect/inspector.js');
    const { compileFormat } = await import('../../inspect/format/format-string.js');
    const { compileFilter } = await import('../../inspect/filter/index.js');
    const { FIELDS } = await import('../../inspect/fields/index.js');
    const { capturePath } = await import('../helpers/fixtures.js');
    const fmt = compileFormat('*%util.cnt %util.cnt', FIELDS);
    const first3 = compileFilter('util.cnt <= 3', FIELDS);
    const insp = await Inspector.open(capturePath('test_ipv6_client'));
    const lines: string[] = [];
    const matched: number[] = [];
    await insp.run((ev) => {
      if (first3(ev, insp.fieldContext)) matched.push(ev.num);
      lines.push(fmt(ev, insp.fieldContext)!);
    });
    expect(lines.every((l, i) => l === `${i + 1} ${i + 1}`)).toBe(true);
    expect(matched.length).toBe(3);
  });
});
