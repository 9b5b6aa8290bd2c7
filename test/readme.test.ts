import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { ensureAddonBuild } from './live/live-run.js';
import { startSteadyLoad } from './native/capture-run.js';

/** The README's ```ts examples, with the package imports pointed at the sources. */
function readmeExamples(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!
    .replaceAll("from 'scapkit/inspect'", `from '${join(ROOT, 'inspect', 'index.js')}'`)
    .replaceAll("from 'scapkit/live'", `from '${join(ROOT, 'live', 'index.js')}'`)
    .replaceAll("from 'scapkit'", `from '${join(ROOT, 'scapfile', 'index.js')}'`));
}

/** Runs one example as a module from the repository root; returns its console.log calls. */
async function runExample(example: string, name: string): Promise<unknown[][]> {
  const dir = join(ROOT, 'test', 'tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, example);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    await import(file);
    return [...log.mock.calls];
  } finally {
    process.chdir(cwd);
    log.mockRestore();
  }
}

describe('README', () => {
  it.skipIf(process.env.SCAPKIT_NO_BPF === '1')('runs its live-mode example: a second of the running system, stats and processes', async () => {
    if (process.getuid?.() !== 0) throw new Error('readme.test: the live example needs root (or set SCAPKIT_NO_BPF=1 to skip)');
    ensureAddonBuild();
    const example = readmeExamples()[1];
    expect(example).toContain(`from '${join(ROOT, 'live', 'index.js')}'`);
    // Something must run during that second: a CI machine can be idle for it.
    const load = startSteadyLoad();
    let calls: unknown[][];
    try {
      calls = await runExample(example!, 'readme-live-example.ts');
    } finally {
      load.kill();
    }
    const [stats, processes] = calls[0] as [{ events: number; drops: number; bytes: number }, number];
    expect(stats.events).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(stats.events * 26);
    expect(typeof stats.drops).toBe('number');
    expect(processes).toBeGreaterThan(0);
  });

  it('runs its library example and it prints what it promises', async () => {
    const [example] = readmeExamples();
    expect(example).toBeDefined();
    const calls = await runExample(example!, 'readme-example.ts');
    expect(calls[0]).toEqual(['ip-10-0-0-79', 54]);
    const [execs, totals, lines] = calls[1] as [number, { raw: number; libscap: number; sinsp: number }, string[]];
    expect(execs).toBe(1);
    expect(totals).toEqual({ raw: 1536, libscap: 991, sinsp: 939 });
    // The line, then the state's answer beside it: systemd's exe from the capture's process list.
    expect(lines[0]).toBe('1 systemd procinfo cpu_usr=96 cpu_sys=215 /sbin/init');
  });
});
