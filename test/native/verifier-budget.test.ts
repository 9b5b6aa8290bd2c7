// The kernel's verifier work per driver program, kept under a budget. A
// change that makes the verifier follow the same code twice (two paths whose
// states it cannot merge) multiplies it long before a program hits the
// kernel's limit: the ia32 argument reading did, and loading the driver took
// 3.7 s instead of 0.9 (sendmsg 691,019 instructions, sendmmsg 727,130, all
// programs 3.66 M; 42,350 / 133,748 / 0.91 M once mended).

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCaptureTest, SCAP_CAPTURE } from './capture-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
/** Per program and for the whole driver: about twice today's largest, and today's total. */
const PROGRAM_BUDGET = 300_000;
const TOTAL_BUDGET = 1_800_000;

describe.skipIf(NO_BPF)('the driver\'s programs', () => {
  let dir: string;
  const counts = new Map<string, number>();
  beforeAll(() => {
    dir = prepareCaptureTest('verifier-budget.test');
    // Every program loaded, the optional kernel events included.
    const r = spawnSync(SCAP_CAPTURE, ['-w', join(dir, 'x.scap'), '-M', '0.1', '--sched-switch', '--page-faults', '--signals', '--pid', String(process.pid)], {
      env: { ...process.env, SCAP_CAPTURE_VERIFIER_STATS: '1' }, encoding: 'utf8', timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`scap-capture failed (exit ${r.status}): ${r.stderr}`);
    for (const m of r.stderr.matchAll(/^verifier: (\S+) (\d+)$/gm)) counts.set(m[1]!, Number(m[2]));
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('each take the verifier a bounded number of instructions', () => {
    expect(counts.size).toBeGreaterThan(150);
    const over = [...counts].filter(([, n]) => n > PROGRAM_BUDGET);
    expect(over).toEqual([]);
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    expect(total).toBeLessThan(TOTAL_BUDGET);
  });
});
