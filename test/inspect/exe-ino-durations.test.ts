// proc.exe_ino.ctime_duration_proc_start is not in the golden groups: for
// threads of the capture's process list, sinsp-example prints whatever its
// savefile reader left in an uninitialized field (a different stack address
// on every run), since process list blocks do not carry that duration. We
// have no value for them, and compute it as libsinsp does for threads whose
// execve reports the executable's inode times: none of the libs fixtures
// do; our driver's scapkit_sysmix and libs' modern driver's libs_sysmix do, and there the reference's values
// are stable and ours equal them.

import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

const FORMAT = '*%evt.num|%proc.exe_ino.ctime_duration_proc_start|%proc.exe_ino.ctime';
const WITH_EXE_TIMES: readonly FixtureName[] = ['scapkit_sysmix', 'libs_sysmix', 'libs_nsmix'];

async function lines(name: FixtureName): Promise<string[]> {
  const fmt = compileFormat(FORMAT, FIELDS);
  const insp = await Inspector.open(capturePath(name));
  const out: string[] = [];
  await insp.run((ev) => { out.push(fmt(ev, insp.fieldContext)!); });
  return out;
}

describe.each(FIXTURES.filter((n) => !WITH_EXE_TIMES.includes(n)))('proc.exe_ino.ctime_duration_proc_start on %s', (name) => {
  it('has no value where the capture never gave the exe inode times', async () => {
    expect(new Set((await lines(name)).map((l) => l.slice(l.indexOf('|') + 1)))).toEqual(new Set(['<NA>|<NA>']));
  });
});

describe.each(WITH_EXE_TIMES)('proc.exe_ino.ctime_duration_proc_start on %s', (name) => {
  it.skipIf(!HAVE_SINSP)('equals the reference wherever it has a value', async () => {
    const ours = await lines(name);
    const ref = sinspEventLines(capturePath(name), FORMAT);
    expect(ours.length).toBe(ref.length);
    const valued = ours.map((l, i) => [l, ref[i]!]).filter(([l]) => l!.split('|')[1] !== '<NA>');
    expect(valued.length).toBeGreaterThan(500);
    expect(valued.filter(([a, b]) => a !== b).slice(0, 3)).toEqual([]);
  });
});
