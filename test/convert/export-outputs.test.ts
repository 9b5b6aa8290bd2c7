// What `scap export` does with its outputs (found by review): a Parquet
// output that cannot be opened hung for ever (the worker's failure reached
// a close that waited for an answer the worker never sent); an existing
// file, the input itself included, was overwritten without --force; option
// values that are no row counts got through; a partitioned export that
// failed left part of a dataset (which reads as a whole one, short); every
// column being a partition key failed only after creating the directory.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { Inspector } from '../../inspect/inspector.js';
import { exportEvents } from '../../convert/index.js';
import { capturePath, ROOT } from '../helpers/fixtures.js';
import { writeWithBadBlockLength } from '../helpers/damaged-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A plain copy of scapkit_sysmix with block 3000 given a length no block can have. */
function damagedCapture(): string {
  const plain = join(dir, 'plain.scap');
  if (!existsSync(plain)) expect(scap(['convert', capturePath('scapkit_sysmix'), '-o', plain, '--compression', 'none', '-q']).status).toBe(0);
  const out = join(dir, 'damaged.scap');
  writeWithBadBlockLength(plain, 3000, out);
  return out;
}

describe('scap export and its output', () => {
  it('fails, and does not hang, when the Parquet file cannot be created', async () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'export', capturePath('curl_google'), '-o', join(dir, 'no', 'such', 'x.parquet')], {
      encoding: 'utf8', timeout: 60_000,
    });
    expect(r.signal, 'killed by the timeout: the export hung').toBeNull();
    expect(r.status).toBe(1);
    // The command says so before reading; the writer thread's own failure is the API's.
    expect(r.stderr).toBe(`scap: cannot create ${join(dir, 'no', 'such', 'x.parquet')}: ${join(dir, 'no', 'such')} is not an existing directory\n`);
    const insp = await Inspector.open(capturePath('curl_google'));
    await expect(exportEvents(insp, { format: 'parquet', out: join(dir, 'no', 'such', 'x.parquet') })).rejects.toThrow(/ENOENT/);
  });

  it('the same capture exported twice in one process gives the same Arrow file', async () => {
    // Dictionary ids came from apache-arrow's process-wide counter: the
    // second file's schema differed (936,090 vs 936,098 bytes here).
    const files: Buffer[] = [];
    for (const k of [1, 2]) {
      const out = join(dir, `again-${k}.arrow`);
      await exportEvents(await Inspector.open(capturePath('scapkit_sysmix')), { format: 'arrow', out });
      files.push(readFileSync(out));
    }
    expect(files[1]!.equals(files[0]!)).toBe(true);
  });

  it('refuses an existing output without --force, and its own input even with it', () => {
    const out = join(dir, 'twice.parquet');
    expect(scap(['export', capturePath('curl_google'), '-o', out]).status).toBe(0);
    const again = scap(['export', capturePath('curl_google'), '-o', out]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${out} exists; pass --force`);
    expect(scap(['export', capturePath('curl_google'), '-o', out, '--force']).status).toBe(0);
    // A capture named like an output: exporting it onto itself truncated it while reading it.
    const self = join(dir, 'self.arrow');
    copyFileSync(capturePath('curl_google'), self);
    const before = readFileSync(self);
    const r = scap(['export', self, '-o', self, '--force']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is the input');
    expect(readFileSync(self).equals(before)).toBe(true);
    const d = join(dir, 'adir.parquet');
    mkdirSync(d);
    expect(scap(['export', capturePath('curl_google'), '-o', d, '--force']).stderr).toContain('is a directory');
  });

  it('refuses --batch-rows and --row-group-rows that are no positive whole number', () => {
    for (const [flag, v] of [['--batch-rows', 'abc'], ['--batch-rows', '0'], ['--batch-rows', '1.5'], ['--row-group-rows', '-5'], ['--row-group-rows', 'x']]) {
      const out = join(dir, `rows-${flag}-${v}.parquet`);
      const r = scap(['export', capturePath('curl_google'), '-o', out, flag!, v!]);
      expect(r.status, `${flag} ${v}`).toBe(2); // a usage error, as yargs' own
      expect(r.stderr).toContain(`${flag} takes a positive whole number of rows`);
      expect(existsSync(out)).toBe(false);
    }
    // A batch is built whole in memory: 1e9 rows took 3.7 GB before the first event.
    const huge = scap(['export', capturePath('curl_google'), '-o', join(dir, 'huge.parquet'), '--batch-rows', '1e9']);
    expect([huge.status, huge.stderr]).toEqual([2, "scap: --batch-rows takes at most 1048576 rows\nTry 'scap --help'.\n"]);
  });

  // Outputs are made under a temporary name and renamed into place: a
  // rename onto a symlink would replace the link, where writing through it
  // (as before) replaced what it names.
  it('writes through a symlink named as the output, file or dataset directory', async () => {
    const real = join(dir, 'real.parquet');
    const link = join(dir, 'link.parquet');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    expect(scap(['export', capturePath('curl_google'), '-o', link, '--force', '--columns', 'num']).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const realDir = join(dir, 'real-ds');
    const linkDir = join(dir, 'link-ds');
    mkdirSync(realDir);
    symlinkSync(realDir, linkDir);
    expect(scap(['export', capturePath('curl_google'), '-o', linkDir, '--partition-by', 'cpu', '--columns', 'num']).status).toBe(0);
    expect(lstatSync(linkDir).isSymbolicLink()).toBe(true);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      expect((await db.runAndReadAll(`select count(*) from read_parquet('${real}')`)).getRows()).toEqual([[939n]]);
      expect((await db.runAndReadAll(`select count(*) from read_parquet('${realDir}/**/*.parquet')`)).getRows()).toEqual([[939n]]);
    } finally {
      db.closeSync();
    }
  });

  it('a partitioned export that fails leaves no part of a dataset', () => {
    const damaged = damagedCapture();
    const fresh = join(dir, 'ds-new');
    expect(scap(['export', damaged, '-o', fresh, '--partition-by', 'type']).status).toBe(1);
    expect(existsSync(fresh)).toBe(false);
    const empty = join(dir, 'ds-empty');
    mkdirSync(empty);
    expect(scap(['export', damaged, '-o', empty, '--partition-by', 'type']).status).toBe(1);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('a partitioned export whose columns are all partition keys is refused before any directory exists', () => {
    const out = join(dir, 'ds-keys');
    const r = scap(['export', capturePath('curl_google'), '-o', out, '--partition-by', 'type', '--columns', 'type']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a dataset needs at least one other column');
    expect(existsSync(out)).toBe(false);
  });

  // A filter that matched nothing wrote no file at all: DuckDB then fails
  // ("No files found") where a single-file export reads as 0 rows.
  it('a partitioned export of nothing still reads, as no rows', async () => {
    const out = join(dir, 'ds-nothing');
    const r = scap(['export', capturePath('curl_google'), '-o', out, '--partition-by', 'hour,type', '-f', 'proc.name = nonexistent']);
    expect(r.status, r.stderr).toBe(0);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const rows = (await db.runAndReadAll(`select count(*), count(type) from read_parquet('${out}/**/*.parquet', hive_partitioning = true)`)).getRows();
      expect(rows).toEqual([[0n, 0n]]);
    } finally {
      db.closeSync();
    }
  });
});
