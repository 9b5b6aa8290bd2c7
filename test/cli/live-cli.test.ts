// `scap live` flags that cannot work together are refused before the driver
// is loaded (no root needed), with one line and exit 2 like other usage
// errors; the capture itself is tested in test/live/.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';

describe('scap live refuses flags that cannot work together', () => {
  it('-w with a filter or a format: filters apply to printed events only', () => {
    const r = scap(['live', '-w', '/nonexistent/x.scap', '-f', 'proc.name=curl']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/-w records every event the driver captures; -f, -p, -j and --count apply to printed events/);
  });

  it('--convert to a name whose format it cannot tell, or with -n', () => {
    const bad = scap(['live', '--convert', 'x.csv']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/cannot tell the output format of 'x\.csv'/);
    const n = scap(['live', '--convert', 'x.parquet', '-n', '5']);
    expect(n.status).toBe(2);
    expect(n.stderr).toMatch(/-n is not supported with it/);
  });

  it('a non-positive -M', () => {
    const r = scap(['live', '-M', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/-M takes a positive number of seconds/);
  });

  // Found by review: -C 0, -G 0 and -G -1 wrote a file per event (hundreds a
  // second), -W alone was ignored, -W 0 failed only after the driver loaded,
  // -w - made a file named '-', and -n 0/-3/abc printed one event.
  it('rotation values that are not positive, -W without -C/-G, -w - and a -n that is no count', () => {
    for (const [args, want] of [
      [['-w', 'x.scap', '-C', '0'], /-C takes a positive number/],
      [['-w', 'x.scap', '-C', '-1'], /-C takes a positive number/],
      [['-w', 'x.scap', '-G', '0'], /-G takes a positive number/],
      [['-w', 'x.scap', '-C', '1', '-W', '0'], /-W takes a whole number of files/],
      [['-w', 'x.scap', '-W', '2'], /-W limits the files of -C or -G rotation/],
      [['-w', '-'], /-w writes a file/],
      [['-n', '0'], /-n takes a positive whole number/],
      [['-n', 'abc'], /-n takes a positive whole number/],
    ] as const) {
      const r = scap(['live', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(want);
    }
  });

  it('--pid 0 (the driver\'s "every process") and an existing -w file, before the driver loads', () => {
    const r = scap(['live', '--pid', '0', '-n', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/pid must be an integer in 1\.\./);
    // The old file stays as it was, and no empty one is left (it was removed first, even without the driver).
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-live-cli-'));
    try {
      const old = join(dir, 'old.scap');
      writeFileSync(old, 'old capture');
      const e = scap(['live', '-w', old, '-n', '1']);
      expect(e.status).toBe(1);
      expect(e.stderr).toMatch(/exists; pass --force/);
      expect(e.stderr).not.toMatch(/capturing/);
      expect(readFileSync(old, 'utf8')).toBe('old capture');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Found by review: --convert replaced an existing file without --force
  // (scap export refuses), and a directory or a missing one as -w or
  // --convert failed only after the driver had loaded, with a bare EISDIR/ENOENT.
  it('a --convert file that exists, and -w/--convert in a directory that is not there, before the driver loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-live-cli-'));
    try {
      const old = join(dir, 'old.arrow');
      writeFileSync(old, 'old table');
      const e = scap(['live', '--convert', old, '-M', '1']);
      expect([e.status, e.stderr]).toEqual([1, `scap: ${old} exists; pass --force to overwrite it\n`]);
      expect(readFileSync(old, 'utf8')).toBe('old table');
      for (const [flag, out, want] of [
        ['--convert', join(dir, 'no', 'x.parquet'), `scap: cannot create ${join(dir, 'no', 'x.parquet')}: ${join(dir, 'no')} is not an existing directory\n`],
        ['-w', join(dir, 'no', 'x.scap'), `scap: cannot create ${join(dir, 'no', 'x.scap')}: ${join(dir, 'no')} is not an existing directory\n`],
        ['--convert', `${dir}/d.parquet`, `scap: ${dir}/d.parquet is a directory; give a file name ending in .parquet or .arrow\n`],
      ] as const) {
        if (out.endsWith('d.parquet')) mkdirSync(out);
        const r = scap(['live', flag, out, '-M', '1']);
        expect([r.status, r.stderr], `${flag} ${out}`).toEqual([1, want]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A -p with an unknown field was refused only after the driver had loaded
  // (or, without root, after failing to load it); -f was checked first.
  it('a -p format with an unknown field, before the driver', () => {
    const r = scap(['live', '-p', '%evt.num %nosuch.field']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown field 'nosuch.field'/);
    expect(r.stderr).not.toMatch(/capturing|driver|root|BPF|bpf/);
  });
});
