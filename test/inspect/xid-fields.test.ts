// thread.tid and proc.pid have no value for ids outside [-1, 2^32 - 1], as in
// libsinsp (should_extract_xid): no kernel hands such ids out, and sinsp keeps
// them in its tables without showing them. Found on the bench capture built by
// repeating a fixture with thread ids shifted 2^22 per copy: from the 1024th
// copy on we printed the 33-bit ids where sinsp-example prints <NA>.

import { afterAll, describe, expect, it } from 'vitest';
import { BlockType } from '../../scapfile/block-types.js';
import { EventType } from '../../scapfile/schema/index.js';
import { CaptureBuilder, tempDir } from '../helpers/capture-builder.js';
import { i64 } from '../helpers/event-builder.js';
import { scap } from '../helpers/cli.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

const FORMAT = '*%evt.num %thread.tid %proc.pid %evt.type';
const TIDS = [77, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 77, 2 ** 40];

describe('thread and process ids past 32 bits', () => {
  const tmp = tempDir('scapkit-xid-');
  afterAll(() => tmp.cleanup());
  const cap = new CaptureBuilder().sectionHeader();
  TIDS.forEach((tid, i) => {
    cap.event(BlockType.EVENT_V2, { type: EventType.SYSCALL_CLOSE_X, tid, ts: 1_000_000_000n + BigInt(i), params: [i64(0), i64(3)] });
  });
  const file = tmp.file('xid.scap', cap.build());

  it('print <NA> in text and null in JSON', () => {
    const text = scap(['read', file, '-p', FORMAT]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.trim().split('\n')).toEqual([
      // Threads known from no process list or clone: pid -1, as sinsp.
      '1 77 -1 close', `2 ${2 ** 32 - 1} -1 close`, '3 <NA> -1 close', '4 <NA> -1 close', '5 <NA> -1 close',
    ]);
    const json = scap(['read', file, '-j', '-p', FORMAT]);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout.trim().split('\n')[2]!)).toMatchObject({ 'thread.tid': null });
  });

  it('match no value in filters', () => {
    const r = scap(['read', file, '-f', `thread.tid in (${2 ** 32}, ${2 ** 32 + 77}, ${2 ** 40})`, '-p', FORMAT]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const exists = scap(['read', file, '-f', 'thread.tid exists', '-p', FORMAT]);
    expect(exists.stdout.trim().split('\n').length).toBe(2);
  });

  it.skipIf(!HAVE_SINSP)('agree with sinsp-example', () => {
    const ours = scap(['read', file, '-p', FORMAT]).stdout.trim().split('\n');
    expect(ours).toEqual(sinspEventLines(file, FORMAT));
  });
});
