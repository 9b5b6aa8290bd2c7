import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `scap` command with `args` (TZ=UTC, as the goldens were made). */
export function scap(args: readonly string[], input?: Buffer): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], {
    input, encoding: 'latin1', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, maxBuffer: 256 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines `scap args` prints, after checking it succeeded with nothing on stderr. */
export function scapLines(args: readonly string[]): string[] {
  const r = scap(args);
  expect([r.status, r.stderr]).toEqual([0, '']);
  const out = r.stdout.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}
