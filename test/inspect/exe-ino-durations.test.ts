// proc.exe_ino.ctime_duration_proc_start is not in the golden groups: for
// threads of the capture's process list, sinsp-example prints whatever its
// savefile reader left in an uninitialized field (a different stack address
// on every run), since process list blocks do not carry that duration. We
// have no value for them, and compute it as libsinsp does for threads whose
// execve reports the executable's inode times (none of the fixtures do).

import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';

describe.each(FIXTURES)('proc.exe_ino.ctime_duration_proc_start on %s', (name) => {
  it('has no value where the capture never gave the exe inode times', async () => {
    const fmt = compileFormat('*%proc.exe_ino.ctime_duration_proc_start|%proc.exe_ino.ctime', FIELDS);
    const insp = await Inspector.open(capturePath(name));
    const seen = new Set<string>();
    await insp.run((ev) => { seen.add(fmt(ev, insp.fieldContext)); });
    expect([...seen]).toEqual(['<NA>|<NA>']);
  });
});
