// `scap export` stopped by a signal ends as at the end of its input: the
// output is completed with the rows so far and the exit status says it was
// interrupted. Before, a Parquet file was left empty (0 bytes), an Arrow file
// without its footer, a dataset with part files that could not be read
// beside complete ones. Outputs are written under a hidden temporary name
// and take their own when complete: a killed export leaves nothing under
// the name asked for, and a failed --force export keeps the old file.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';
import { writeNoisyCapture } from '../helpers/noisy-capture.js';
import { writeWithBadBlockLength } from '../helpers/damaged-capture.js';

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const EVENTS = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-interrupt-'));
const input = join(dir, 'noisy.scap');
beforeAll(() => writeNoisyCapture(input, EVENTS), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function count(query: string): Promise<number> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    return Number((await db.runAndReadAll(query)).getRows()[0]![0]);
  } finally {
    db.closeSync();
  }
}

/** The hidden temporary name under which the export of `name` is made, while it exists. */
const partialOf = (name: string): string | undefined => readdirSync(dir).find((f) => f.startsWith(`.${name}.partial-`));

/**
 * Runs `scap export` (with --progress) until its progress line says it has
 * made `rows` rows, then sends `signal`; its exit code and stderr, progress
 * lines left out. (The line is redrawn 5 times a second: the first one
 * comes with most of the capture still to read.)
 */
async function interrupt(args: string[], signal: NodeJS.Signals, rows = 1): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'export', ...args, '--progress'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  let exited = false;
  const exit = new Promise<number | null>((r) => child.once('exit', (code, sig) => { exited = true; r(code ?? (sig === 'SIGKILL' ? 137 : null)); }));
  const made = (): number => Math.max(0, ...[...stderr.matchAll(/ (\d+) rows,/g)].map((m) => Number(m[1])));
  while (!exited && made() < rows) await new Promise((r) => setTimeout(r, 5));
  expect(exited, `the export ended before it could be interrupted: ${stderr}`).toBe(false);
  child.kill(signal);
  const code = await exit;
  return { code, stderr: stderr.split(/\r\x1b\[K/).filter((l) => !l.startsWith('scap: ') || !/ rows\/s$/.test(l)).join('') };
}

describe('scap export stopped by a signal', () => {
  it('SIGINT: the Parquet file holds the rows so far, complete, under its name', async () => {
    const out = join(dir, 'int.parquet');
    const r = await interrupt([input, '-o', out, '--row-group-rows', '2000', '--columns', 'num,ts,data'], 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^scap: interrupted \(SIGINT\); .*int\.parquet holds the \d+ rows of the events table made before it, and is complete\n$/);
    const rows = await count(`select count(*) from read_parquet('${out}')`);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(EVENTS);
    expect(r.stderr).toContain(` ${rows} rows`);
    expect(partialOf('int.parquet')).toBeUndefined();
  }, 60_000);

  it('SIGTERM: the Arrow file has its footer', async () => {
    const out = join(dir, 'term.arrow');
    const r = await interrupt([input, '-o', out, '--batch-rows', '2000', '--columns', 'num,ts,data'], 'SIGTERM');
    expect(r.code, r.stderr).toBe(143);
    const rows = await count(`select count(*) from read_parquet('${out}')`).catch(() => -1);
    // DuckDB reads no Arrow files here: the IPC file's trailing magic says it is whole.
    expect(rows).toBe(-1);
    const bytes = readFileSync(out);
    expect(bytes.subarray(bytes.length - 6).toString('latin1')).toBe('ARROW1');
    expect(partialOf('term.arrow')).toBeUndefined();
  }, 60_000);

  it('SIGINT: a partitioned dataset reads whole, every part file complete', async () => {
    const out = join(dir, 'ds');
    const r = await interrupt([input, '-o', out, '--partition-by', 'cpu', '--batch-rows', '1000', '--row-group-rows', '1000', '--columns', 'num,data'], 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    const rows = await count(`select count(*) from read_parquet('${out}/**/*.parquet', hive_partitioning = true)`);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(EVENTS);
    expect(partialOf('ds')).toBeUndefined();
  }, 60_000);

  it('SIGKILL: nothing is found under the name asked for', async () => {
    const out = join(dir, 'kill.parquet');
    const r = await interrupt([input, '-o', out, '--batch-rows', '1000', '--row-group-rows', '2000', '--columns', 'num,data'], 'SIGKILL', 30_000);
    expect(r.code).toBe(137);
    expect(existsSync(out)).toBe(false);
    expect(partialOf('kill.parquet')).toBeDefined();
  }, 60_000);
});

describe('scap export --force over an existing file', () => {
  it('keeps the old file when the new export fails', async () => {
    const out = join(dir, 'keep.parquet');
    expect(scap(['export', input, '-o', out, '--columns', 'num', '--force']).status).toBe(0);
    const before = readFileSync(out);
    // The same capture with its 100th block given a length no block can have.
    const damaged = join(dir, 'damaged.scap');
    writeWithBadBlockLength(input, 100, damaged);
    const r = scap(['export', damaged, '-o', out, '--columns', 'num', '--force']);
    expect(r.status).toBe(1);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(partialOf('keep.parquet')).toBeUndefined();
  }, 60_000);
});
