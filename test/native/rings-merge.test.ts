// The k-way merge of native/capture/rings.c, run by a C program over rings
// in plain memory (test/native/rings-merge.c): no driver, so it runs
// everywhere, SCAPKIT_NO_BPF or not. The merge keeps the rings with a next
// record in a heap (many CPUs, most idle, cost ~300 ns per record when
// every ring was looked at per record); the program checks order, ties,
// wrap-around, passes cut short, and the waiting rule with its grace.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNativeBuild } from './capture-run.js';
import { ROOT } from '../helpers/fixtures.js';

describe('the merge of the per-CPU rings', () => {
  it('hands out every record once, in timestamp order, waiting only where a ring may still get an older one', () => {
    ensureNativeBuild();
    const run = spawnSync(join(ROOT, 'build', 'capture-rings-merge'), ['check'], { encoding: 'utf8' });
    expect({ status: run.status, out: run.stdout.trim(), err: run.stderr }).toEqual({ status: 0, out: 'ok', err: '' });
  });
});
