// Every filter of fixtures/golden/filters/filters.txt selects the same
// events (evt.num lists) as the reference `sinsp-example -f` on every
// fixture, or is refused as the reference refuses it; expected lists made by
// fixtures/golden/filters/regen.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter, FilterError } from '../../inspect/filter/index.js';
import { FIXTURES, ROOT, capturePath } from '../helpers/fixtures.js';

function expected(name: string): { filter: string; nums: string }[] {
  const text = readFileSync(join(ROOT, 'fixtures', 'golden', 'filters', 'expected', `${name}.txt`), 'latin1');
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => {
    const tab = l.lastIndexOf('\t');
    return { filter: l.slice(0, tab), nums: l.slice(tab + 1) };
  });
}

describe.each(FIXTURES)('filters on %s', (name) => {
  it('select the same events as sinsp-example -f for every filter', async () => {
    const all = expected(name);
    // Filters the reference refuses (ERROR): ours must refuse them too, with a FilterError.
    for (const c of all.filter((c) => c.nums === 'ERROR')) {
      expect(() => compileFilter(c.filter, FIELDS), c.filter).toThrow(FilterError);
    }
    const cases = all.filter((c) => c.nums !== 'ERROR');
    expect(cases.length).toBeGreaterThanOrEqual(40);
    // A pass per filter, set as sinsp sets it: events that modify no state
    // are tested before they are parsed, and one it drops is not parsed, so
    // what the state says later depends on the filter (Inspector.setFilter).
    const got: number[][] = [];
    for (const c of cases) {
      const filter = compileFilter(c.filter, FIELDS);
      const insp = await Inspector.open(capturePath(name));
      insp.setFilter((ev) => filter(ev, insp.fieldContext));
      const nums: number[] = [];
      await insp.run((ev) => { nums.push(ev.num); });
      got.push(nums);
    }
    const failing = cases.filter((c, k) => got[k]!.join(' ') !== c.nums)
      .map((c) => `${c.filter}: ours ${cases.indexOf(c) >= 0 ? got[cases.indexOf(c)]!.length : 0} events, reference ${c.nums === '' ? 0 : c.nums.split(' ').length}`);
    console.log(`${name}: ${cases.length - failing.length}/${cases.length} filters agree`);
    expect(failing).toEqual([]);
  });
});
