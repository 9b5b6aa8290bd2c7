// fs.path.* against the reference on a capture whose workload makes every
// kind of path call (fixtures/live/README.md): the libs fixtures only open
// files. Relative paths, *at calls with a directory fd, failed calls,
// renameat's cwd quirk and symlinkat's `<UNKNOWN>` target included.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { ROOT } from '../helpers/fixtures.js';

const FORMAT = '*%evt.num|%evt.type|%fs.path.name|%fs.path.nameraw|%fs.path.source|%fs.path.sourceraw|%fs.path.target|%fs.path.targetraw';

describe('fs.path.*', () => {
  it('prints what sinsp-example prints, on every event of fs_workload', async () => {
    const expected = readFileSync(join(ROOT, 'fixtures', 'live', 'fs_workload.fspath.txt'), 'latin1')
      .split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const render = compileFormat(FORMAT, FIELDS);
    const insp = await Inspector.open(join(ROOT, 'fixtures', 'live', 'fs_workload.scap.gz'));
    const ours: string[] = [];
    await insp.run((ev) => { ours.push(render(ev, insp.fieldContext)!); });
    expect(ours.length).toBe(expected.length);
    const differing = ours.map((l, i) => [l, expected[i]]).filter(([a, b]) => a !== b).slice(0, 5);
    expect(differing).toEqual([]);
    // The workload's calls are all there.
    const withPath = ours.filter((l) => l.includes('|/tmp/fsw'));
    for (const t of ['mkdir', 'rename', 'link', 'symlink', 'unlink', 'renameat', 'mkdirat', 'fchmodat', 'fchownat', 'symlinkat', 'linkat', 'unlinkat', 'fchmod', 'fchown', 'rmdir', 'mount', 'umount2', 'renameat2']) {
      expect(withPath.some((l) => l.split('|')[1] === t), t).toBe(true);
    }
  });
});
