// The events table's `path` column is null where the event holds no path,
// as `%evt.arg.name` prints `<NA>` there: an empty parameter (the modern
// drivers' null pointer) and the legacy `(NULL)` string. A path of one NUL
// byte is an empty path the program passed, and stays ''. The column once
// read the parameter's bytes without that rule and exported `(NULL)` as text.

import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { BlockType } from '../../scapfile/block-types.js';
import { EventType } from '../../scapfile/schema/index.js';
import { CaptureBuilder, tempDir } from '../helpers/capture-builder.js';
import { i64, str, u32, u64 } from '../helpers/event-builder.js';
import { scap } from '../helpers/cli.js';

const tmp = tempDir('scapkit-path-');
afterAll(() => { if (process.env.KEEP === undefined) tmp.cleanup(); });

describe('path column', () => {
  const T0 = 1_700_000_000_000_000_000n;
  const cap = new CaptureBuilder().sectionHeader();
  const paths: Buffer[] = [str('/etc/hosts'), Buffer.from([0]), Buffer.alloc(0), Buffer.from('(NULL)\0', 'latin1'), Buffer.from('(NULL)x\0', 'latin1')];
  paths.forEach((path, i) => {
    cap.event(BlockType.EVENT_V2, { type: EventType.SYSCALL_OPENAT_2_X, tid: 100, ts: T0 + BigInt(i), params: [i64(-2), i64(-100), path, u32(0), u32(0), u32(0), u64(0)] });
  });
  const file = tmp.file('paths.scap', cap.build());

  it('is null where %evt.arg.name is <NA>, and the bytes up to the NUL elsewhere', async () => {
    const out = join(tmp.dir, 'paths.parquet');
    const r = scap(['export', file, '-o', out, '--columns', 'num,path']);
    expect(r.status, r.stderr).toBe(0);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const got = (await db.runAndReadAll(`select path from '${out}' order by num`)).getRows().map((x) => x[0]);
      expect(got).toEqual(['/etc/hosts', '', null, null, '(NULL)x']);
    } finally {
      db.closeSync();
    }
    const printed = scap(['read', file, '-p', '%evt.arg.name']);
    expect(printed.stdout.split('\n').slice(0, 5).map((l) => l === '<NA>')).toEqual([false, false, true, true, false]);
  });
});
