// fd.types of a thread sharing its process's files when libsinsp finds no
// main thread for it: get_fd_table gives no table, loop_fds walks nothing,
// and the field still has a value, the empty list `()`
// (sinsp_filter_check_fd::extract_nocache ignores what loop_fds returns).
// We printed <NA>. single_ipv6_conn's process list has such a case: thread
// 25886 has pid -1, so a thread of "process 25886" has no main thread.
// A synthetic capture against what sinsp-example printed for it (EXPECTED,
// libs 48dfd53); when the reference is built, it is run again.
import { empty, eventOf, i64, str, u32 } from '../helpers/event-builder.js';
import { itPrintsAsReference, syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const FORMAT = '*%evt.num %evt.type %thread.tid %proc.pid %fd.num %fd.types';
const NGINX = 1310;
// PPM_CL_CLONE_FILES | PPM_CL_CLONE_THREAD | PPM_CL_CLONE_VM | PPM_CL_CLONE_SIGHAND
const THREAD_FLAGS = 0x1 | 0x2000 | 0x8000 | 0x800;

/** The new thread's side of a clone of `exe` that makes `tid` a thread of `pid`. */
function threadOf(type: 'SYSCALL_CLONE_20_X' | 'SYSCALL_VFORK_20_X', tid: number, pid: number, flags: number, exe: string) {
  return eventOf(type, {
    res: i64(0), exe: str(exe), args: str(''), tid: i64(tid), pid: i64(pid), ptid: i64(NGINX),
    cwd: str('/'), comm: str(exe.slice(exe.lastIndexOf('/') + 1)), flags: u32(flags), vtid: i64(tid), vpid: i64(pid),
  }, tid);
}
const readOn = (tid: number) => eventOf('SYSCALL_READ_X', { res: i64(0), data: empty(), fd: i64(3), size: u32(0) }, tid);

const EVENTS = [
  threadOf('SYSCALL_CLONE_20_X', 7001, NGINX, THREAD_FLAGS, '/usr/sbin/nginx'),
  readOn(7001),
  eventOf('PROCEXIT_1_E', { status: i64(0), ret: i64(0), reaper_tid: i64(0) }, NGINX),
  readOn(7001),
  threadOf('SYSCALL_CLONE_20_X', 7002, 7000, THREAD_FLAGS, '/bin/x'),
  readOn(7002),
  threadOf('SYSCALL_VFORK_20_X', 7003, 25886, 0x1, '/bin/y'),
  readOn(7003),
].map(({ type, tid, params }) => ({ type, tid, params }));

const EXPECTED = [
  '1 clone 7001 1310 <NA> <NA>',
  '2 read 7001 1310 3 (unix,ipv6,ipv4,file,event,eventpoll)',
  // A main thread that exits before its threads keeps its table for them.
  '3 procexit 1310 1310 <NA> <NA>',
  '4 read 7001 1310 3 (unix,ipv6,ipv4,file,event,eventpoll)',
  // A process the capture never showed: sinsp makes up its main thread, with no fds.
  '5 clone 7002 7000 <NA> <NA>',
  '6 read 7002 7000 3 ()',
  // Thread 25886 is no main thread (pid -1): no table at all.
  '7 vfork 7003 25886 <NA> <NA>',
  '8 read 7003 25886 3 ()',
];

const file = syntheticCaptureFile('fd-types-orphan', EVENTS);

itPrintsAsReference('lists no fd types, rather than none, for a thread without a main thread', file, FORMAT, EXPECTED);
