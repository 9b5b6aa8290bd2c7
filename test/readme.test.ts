import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

/** The README's ```ts examples, with the package imports pointed at the sources. */
function readmeExamples(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!
    .replaceAll("from 'scapkit/inspect'", `from '${join(ROOT, 'inspect', 'index.js')}'`)
    .replaceAll("from 'scapkit'", `from '${join(ROOT, 'scapfile', 'index.js')}'`));
}

describe('README', () => {
  it('runs its library example and it prints what it promises', async () => {
    const [example] = readmeExamples();
    expect(example).toBeDefined();
    const dir = join(ROOT, 'test', 'tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.ts');
    writeFileSync(file, example!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const cwd = process.cwd();
    process.chdir(ROOT);
    let calls: unknown[][];
    try {
      await import(file);
    } finally {
      calls = [...log.mock.calls];
      process.chdir(cwd);
      log.mockRestore();
    }
    expect(calls[0]).toEqual(['ip-10-0-0-79', 54]);
    const [execs, totals, lines] = calls[1] as [number, { raw: number; libscap: number; sinsp: number }, string[]];
    expect(execs).toBe(1);
    expect(totals).toEqual({ raw: 1536, libscap: 991, sinsp: 939 });
    expect(lines[0]).toBe('1 systemd procinfo cpu_usr=96 cpu_sys=215');
  });
});
