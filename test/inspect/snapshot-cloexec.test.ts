// cloexecRanges (inspect/state/snapshot.ts): the close-on-exec fds a cut or
// rotated piece must restore with close_range(CLOSE_RANGE_CLOEXEC), since its
// fd lists keep open flags for files only. A memfd keeps its close-on-exec
// as MFD_CLOEXEC and was left out: on a cut of a sysmix capture the memfd
// then survived the next exec (proc.fdopencount one too many).
import { describe, expect, it } from 'vitest';
import { StateReplay } from '../../inspect/state/index.js';
import { cloexecRanges } from '../../inspect/state/snapshot.js';
import { defaultThreadInfo } from '../../scapfile/state-blocks/index.js';
import { evn, i64, replay, u32, u64 } from '../helpers/synthetic-events.js';

const MFD_CLOEXEC = 1;
const EPOLL_CLOEXEC = 1;
const O_CLOEXEC = 1 << 12;

const str = (s: string): Buffer => Buffer.from(s + '\0', 'latin1');

describe('cloexecRanges', () => {
  it('lists every fd the exec will close that fd lists cannot mark: memfd, epoll, pipe; not files, not the others', () => {
    const s = new StateReplay({ threads: [{ ...defaultThreadInfo(), tid: 100, pid: 100, vtid: 100, vpid: 100, comm: 'sh' }], fds: [] });
    replay([
      evn('SYSCALL_MEMFD_CREATE_X', 100, { fd: i64(3), name: str('cloexec'), flags: u32(MFD_CLOEXEC) }),
      evn('SYSCALL_MEMFD_CREATE_X', 100, { fd: i64(4), name: str('kept'), flags: u32(0) }),
      evn('SYSCALL_EPOLL_CREATE1_X', 100, { res: i64(5), flags: u32(EPOLL_CLOEXEC) }),
      evn('SYSCALL_PIPE2_X', 100, { res: i64(0), fd1: i64(6), fd2: i64(7), ino: u64(1), flags: u32(O_CLOEXEC) }),
      // A file carries its open flags in the fd list itself.
      evn('SYSCALL_OPEN_X', 100, { fd: i64(8), name: str('/etc/hosts'), flags: u32(O_CLOEXEC | 1), mode: u32(0) }),
      evn('SYSCALL_NANOSLEEP_X', 100, { res: i64(0), interval: u64(0) }),
    ], (ev) => s.apply(ev));
    const fds = s.threads.find(100)!.fdTable()!;
    expect([3, 4, 5, 6, 7, 8].map((fd) => fds.find(fd)?.isCloseOnExec())).toEqual([true, false, true, true, true, true]);
    expect(cloexecRanges(s)).toEqual([{ tid: 100, first: 3, last: 3 }, { tid: 100, first: 5, last: 7 }]);
  });
});
