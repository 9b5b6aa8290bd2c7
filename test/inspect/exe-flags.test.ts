// proc.is_exe_writable, is_exe_upper_layer, is_exe_lower_layer and
// is_exe_from_memfd: from the process list, execve's flags, and inherited by
// clone (falcosecurity/libs 48dfd53 parsers.cpp parse_clone_exit_caller,
// parse_clone_exit_child and parse_execve_exit; threadinfo.cpp init).
import { describe, expect, it } from 'vitest';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { StateReplay } from '../../inspect/state/index.js';
import { snapshotState } from '../../inspect/state/snapshot.js';
import { defaultThreadInfo, type ThreadInfo } from '../../scapfile/state-blocks/index.js';
import { empty, evn, i64, replay, str, u32, u64, type SyntheticEvent } from '../helpers/synthetic-events.js';

function thread(fields: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
  return { ...defaultThreadInfo(), pid: fields.tid, vtid: fields.tid, vpid: fields.tid, ...fields };
}

const tick = (tid: number): SyntheticEvent => evn('SYSCALL_NANOSLEEP_X', tid, { res: i64(0), interval: u64(0) });
const clone = (tid: number, res: number, pid: number, ptid: number): SyntheticEvent => evn('SYSCALL_CLONE_20_X', tid, {
  res: i64(res), exe: str('sh'), args: empty(), tid: i64(tid), pid: i64(pid), ptid: i64(ptid), cwd: str(''),
  fdlimit: i64(1024), comm: str('sh'), flags: u32(0), uid: u32(0), gid: u32(0), vtid: i64(tid), vpid: i64(pid),
});
const execve = (tid: number, flags: Buffer): SyntheticEvent => evn('SYSCALL_EXECVE_19_X', tid, {
  res: i64(0), exe: str('/tmp/x'), args: empty(), tid: i64(tid), pid: i64(tid), ptid: i64(500), cwd: str('/'),
  fdlimit: i64(1024), comm: str('x'), flags,
});
/** PPM_EXE_WRITABLE, PPM_EXE_UPPER_LAYER, PPM_EXE_FROM_MEMFD, PPM_EXE_LOWER_LAYER (driver/ppm_events_public.h). */
const WRITABLE = 1, UPPER = 2, MEMFD = 4, LOWER = 8;

describe('proc.is_exe_*', () => {
  it('come from the process list, are inherited by clone, and set by execve flags when present', () => {
    const s = new StateReplay({
      threads: [
        thread({ tid: 1, ptid: 0, comm: 'init' }),
        thread({ tid: 500, ptid: 1, comm: 'sh', exeWritable: true, exeLowerLayer: true }),
      ],
      fds: [],
    });
    const fmt = compileFormat('*%thread.tid %proc.is_exe_writable %proc.is_exe_upper_layer %proc.is_exe_lower_layer %proc.is_exe_from_memfd', FIELDS);
    const lines: string[] = [];
    replay([
      tick(1),
      tick(500),
      clone(500, 700, 500, 1), // the caller's side: the child inherits
      tick(700),
      execve(700, u32(MEMFD | UPPER | 0x100)), // bits beyond the four are not kept
      tick(700),
      execve(700, empty()), // no flags: the thread keeps what it had
      tick(700),
      execve(700, u32(0)),
      tick(700),
    ], (ev) => s.apply(ev), (ev) => lines.push(fmt(ev, { state: s })!));
    expect(lines).toEqual([
      '1 false false false false',
      '500 true false true false',
      '500 true false true false',
      '700 true false true false',
      '700 false true false true',
      '700 false true false true',
      '700 false true false true',
      '700 false true false true',
      '700 false false false false',
      '700 false false false false',
    ]);
  });

  it('a rotated or cut file carries them in its process list', () => {
    const s = new StateReplay({ threads: [thread({ tid: 1, ptid: 0 })], fds: [] });
    replay([execve(1, u32(WRITABLE | MEMFD | LOWER))], (ev) => s.apply(ev), () => undefined);
    const t = snapshotState(s, { threads: [], fds: [] } as never).threads.find((x) => x.tid === 1)!;
    expect([t.exeWritable, t.exeUpperLayer, t.exeLowerLayer, t.exeFromMemfd]).toEqual([true, false, true, true]);
  });
});
