import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { eventJson } from '../../inspect/format/json.js';
import { FIXTURES, capturePath, goldenCounts, goldenLines } from '../helpers/fixtures.js';
import type { FixtureName } from '../helpers/fixtures.js';

/** Renders every event of a fixture with a sinsp format, as `scap read -p` does. */
async function render(name: FixtureName, format: string, json = false): Promise<string[]> {
  const insp = await Inspector.open(capturePath(name));
  const fmt = json ? eventJson(format, FIELDS) : compileFormat(format, FIELDS);
  const lines: string[] = [];
  await insp.run((ev) => { lines.push(fmt(ev, insp.fieldContext)!); });
  return lines;
}

/** Share of equal lines, and the first difference for the failure message. */
function compare(ours: string[], golden: string[]): { rate: number; firstDiff?: string } {
  let same = 0;
  let firstDiff: string | undefined;
  for (let i = 0; i < Math.max(ours.length, golden.length); i++) {
    if (ours[i] === golden[i]) same++;
    else firstDiff ??= `line ${i + 1}:\n  ours:   ${ours[i]}\n  golden: ${golden[i]}`;
  }
  return { rate: same / Math.max(golden.length, 1), firstDiff };
}

describe.each(FIXTURES)('scap read on %s agrees with the reference', (name) => {
  it('returns as many events as libsinsp', async () => {
    const insp = await Inspector.open(capturePath(name));
    const counts = goldenCounts(name);
    expect(await insp.count()).toBe(counts.sinsp_example_all_threads_retrieved);
    expect(insp.totals.libscap).toBe(counts.scap_open_events);
  });

  it('numbers, times, cpus, types, directions and tids every event as the reference', async () => {
    const ours = await render(name, '*%evt.num %evt.rawtime %evt.cpu %evt.type %evt.dir %thread.tid');
    const golden = goldenLines(name, 'events.txt').map((l) => l.split(' ').slice(0, 6).join(' '));
    const { rate, firstDiff } = compare(ours, golden);
    expect(firstDiff ?? 'no difference').toBe('no difference');
    expect(rate).toBe(1);
  });

  it('renders %evt.args as the reference on at least 99 % of events', async () => {
    const ours = await render(name, '*%evt.num %evt.type %evt.args');
    const golden = goldenLines(name, 'args.txt');
    const { rate, firstDiff } = compare(ours, golden);
    console.log(`${name}: evt.args match ${(rate * 100).toFixed(2)} % of ${golden.length} lines${firstDiff ? `; first difference at ${firstDiff}` : ''}`);
    expect(rate).toBeGreaterThanOrEqual(0.99);
  });

  it('prints every column of events.txt (process, fd and result fields) as the reference', async () => {
    const format = goldenLines(name, 'fmt.txt').find((l) => l.startsWith('events.txt\t'))!.split('\t')[1]!;
    const { rate, firstDiff } = compare(await render(name, format), goldenLines(name, 'events.txt'));
    expect(firstDiff ?? 'no difference').toBe('no difference');
    expect(rate).toBe(1);
  });

  it('writes -j objects with the same keys, values and types as the reference', async () => {
    const format = goldenLines(name, 'fmt.txt').find((l) => l.startsWith('events.json\t'))!.split('\t')[1]!.replace(/^-j -o /, '');
    const { rate, firstDiff } = compare(await render(name, format, true), goldenLines(name, 'events.json'));
    expect(firstDiff ?? 'no difference').toBe('no difference');
    expect(rate).toBe(1);
  });
});
