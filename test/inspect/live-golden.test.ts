// Fields against the reference on live captures of our driver
// (fixtures/live/README.md), where the libs fixtures do not exercise them:
// each fixtures/live/<capture>.<what>.txt is what sinsp-example prints for
// the format its header names, on every event.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { ROOT } from '../helpers/fixtures.js';

const LIVE = join(ROOT, 'fixtures', 'live');

/** Our lines for the golden `file`'s format, with its expected lines. */
async function linesOf(capture: string, file: string): Promise<{ ours: string[]; expected: string[] }> {
  const text = readFileSync(join(LIVE, file), 'latin1').split('\n');
  const format = text.find((l) => l.startsWith('# format: '))!.slice('# format: '.length);
  const expected = text.filter((l) => l !== '' && !l.startsWith('#'));
  const render = compileFormat(format, FIELDS);
  const insp = await Inspector.open(join(LIVE, capture));
  const ours: string[] = [];
  await insp.run((ev) => { ours.push(render(ev, insp.fieldContext)!); });
  return { ours, expected };
}

function differing(ours: string[], expected: string[]): string[][] {
  return ours.map((l, i) => [l, expected[i]!]).filter(([a, b]) => a !== b).slice(0, 5);
}

describe('fs_workload (path calls of every kind)', () => {
  // Relative paths, *at calls with a directory fd, failed calls, renameat's
  // cwd quirk and symlinkat's `<UNKNOWN>` target included.
  it('fs.path.* prints what sinsp-example prints, on every event', async () => {
    const { ours, expected } = await linesOf('fs_workload.scap.gz', 'fs_workload.fspath.txt');
    expect(ours.length).toBe(expected.length);
    expect(differing(ours, expected)).toEqual([]);
    // The workload's calls are all there.
    const withPath = ours.filter((l) => l.includes('|/tmp/fsw'));
    for (const t of ['mkdir', 'rename', 'link', 'symlink', 'unlink', 'renameat', 'mkdirat', 'fchmodat', 'fchownat', 'symlinkat', 'linkat', 'unlinkat', 'fchmod', 'fchown', 'rmdir', 'mount', 'umount2', 'renameat2']) {
      expect(withPath.some((l) => l.split('|')[1] === t), t).toBe(true);
    }
  });

  // fd.types lists types in the order sinsp walks the fd table
  // (fd-walk-order.test.ts): forked tables, exec's close-on-exec and fds
  // reused after close all move types around.
  it('fd.types lists the types in the reference order, on every event', async () => {
    const { ours, expected } = await linesOf('fs_workload.scap.gz', 'fs_workload.fdtypes.txt');
    expect(ours.length).toBe(expected.length);
    expect(differing(ours, expected)).toEqual([]);
    expect(new Set(expected.map((l) => l.split('|')[2])).size).toBeGreaterThan(20);
  });
});
