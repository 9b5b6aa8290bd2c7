// `scap live` flags that cannot work together are refused before the driver
// is loaded (no root needed), with one line and exit 1 like other usage
// errors of the checks; the capture itself is tested in test/live/.

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';

describe('scap live refuses flags that cannot work together', () => {
  it('-w with a filter or a format: filters apply to printed events only', () => {
    const r = scap(['live', '-w', '/nonexistent/x.scap', '-f', 'proc.name=curl']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/-w records every event the driver captures; -f, -p, -j and --count apply to printed events/);
  });

  it('--convert to a name whose format it cannot tell, or with -n', () => {
    const bad = scap(['live', '--convert', 'x.csv']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/cannot tell the output format of 'x\.csv'/);
    const n = scap(['live', '--convert', 'x.parquet', '-n', '5']);
    expect(n.status).toBe(1);
    expect(n.stderr).toMatch(/-n is not supported with it/);
  });

  it('a non-positive -M', () => {
    const r = scap(['live', '-M', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/-M takes a positive number of seconds/);
  });
});
