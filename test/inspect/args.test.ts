// %evt.args / %evt.res / %evt.arg rendering, parameter type by type.
//
// The table "matches sinsp-example" holds events built here, written into a
// synthetic capture and rendered by the reference (falcosecurity/libs
// 48dfd53 sinsp-example -a -o '*%evt.num %evt.type %evt.args', TZ=UTC); the
// expected strings are its output, verbatim. The state below mirrors what
// libsinsp knew at each of those events (thread comms, fds created by
// earlier events of that capture, the user/group names it found).
// Further cases (print formats no current event uses, types libsinsp cannot
// render from a file) follow libsinsp's code (event.cpp get_param_as_str)
// and say so.

import { describe, expect, it } from 'vitest';
import { ArgsFormatter } from '../../inspect/format/args.js';
import { ParamRenderer } from '../../inspect/format/param-render.js';
import { EVENTS, EventType } from '../../scapfile/schema/events.js';
import { ParamType, PrintFormat, type EventInfo, type ParamInfo } from '../../scapfile/schema/types.js';
import {
  bytes, cursorFor, empty, eventOf, fdlist, i16, i32, i64, i8, ip6, str, u16, u32, u64, u8,
  type EventSpec,
} from '../helpers/event-builder.js';
import { FakeState } from './fake-state.js';

/** The state libsinsp had while rendering the synthetic capture. */
function probeState(): FakeState {
  return new FakeState()
    .addThread(100, 'probe', '')
    .addThread(200).addThread(201)
    .addFd(100, 3, 'f', '/tmp/x')
    .addFd(100, 5, 't', '')
    .addFd(200, 6, 'u', '').addFd(200, 7, 'u', '')
    .addFd(200, 8, 'p', '').addFd(200, 10, 'p', '')
    .addUser(0, 'root')
    .addGroup(1000, 'cloudsdk');
}

const argsOf = (spec: EventSpec, state = probeState()): string => new ArgsFormatter(state).args(cursorFor(spec));

const CONFIRMED: readonly (readonly [EventSpec, string])[] = [
  [eventOf('SYSCALL_KILL_X', { res: i64(-3), pid: i64(100), sig: u8(9) }),
   'res=-3(ESRCH) pid=100(probe) sig=9(SIGKILL)'],
  [eventOf('SYSCALL_KILL_X', { res: i64(0), pid: i64(100), sig: u8(64) }),
   'res=0 pid=100(probe) sig=64'],
  [eventOf('SYSCALL_KILL_X', { res: i64(-4294967298), pid: i64(555), sig: u8(0) }),
   'res=-4294967298(ENOENT) pid=555 sig=0'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(-4), interval: u64(1500000000) }),
   'res=-4(EINTR) interval=1500000000(1.5s)'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(0), interval: u64(1234565000000000n) }),
   'res=0 interval=1234565000000000(1.23456e+06s)'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(0), interval: u64(-1) }),
   'res=0 interval=none'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(0), interval: u64(100) }),
   'res=0 interval=100(1e-07s)'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(0), interval: u64(12345678901234) }),
   'res=0 interval=12345678901234(12345.7s)'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(0), interval: u64(0) }),
   'res=0 interval=0(0s)'],
  [eventOf('SYSCALL_NANOSLEEP_X', { res: i64(0), interval: u64(2500000) }),
   'res=0 interval=2500000(0.0025s)'],
  [eventOf('SYSCALL_PPOLL_X', { res: i64(2), fds: Buffer.concat([u16(3), i64(0), i16(1), i64(-1), i16(-1), i64(7), i16(0x204)]), timeout: u64(1000), sigmask: u32((1 << 8) | (1 << 1) | (1 << 31) | (1 << 30)) }),
   'res=2 fds=0:?1 18446744073709551615:?ffffffff 7:?204 timeout=1000(1e-06s) sigmask=SIGINT SIGKILL SIGSYS'],
  [eventOf('SYSCALL_OPEN_X', { fd: i64(3), name: str('/tmp/x'), flags: u32(0x1001), mode: u32(0o644), dev: u32(0xfd01), ino: u64(-2) }),
   'fd=3(<f>/tmp/x) name=/tmp/x flags=4097(O_RDONLY|O_CLOEXEC) mode=0644 dev=FD01 ino=-2'],
  [eventOf('SYSCALL_OPEN_X', { fd: i64(-2), name: str('rel/./a/../b/'), flags: u32(0), mode: u32(0), dev: u32(0), ino: u64(0) }),
   'fd=-2(ENOENT) name=rel/./a/../b/(rel/b) flags=0(O_NONE) mode=0 dev=0 ino=0'],
  [eventOf('SYSCALL_OPEN_X', { fd: i64(-100), name: str('..'), flags: u32(0x80000003), mode: u32(0xffffffff), dev: u32(0x80000000), ino: u64(9223372036854775808n) }),
   'fd=-100(AT_FDCWD) name=.. flags=2147483651(O_RDWR) mode=037777777777 dev=80000000 ino=-9223372036854775808'],
  [eventOf('SYSCALL_READ_X', { res: i64(5), data: bytes([0x68, 0x09, 0x0a, 0xff, 0x7e, 0x7f, 0x20]), fd: i64(3), size: u32(0xffffffff) }),
   'res=5 data=h...~.  fd=3(<f>/tmp/x) size=-1'],
  [eventOf('SYSCALL_READ_X', { res: i64(0), data: empty(), fd: i64(4), size: u32(0) }),
   'res=0 data=NULL fd=4 size=0'],
  [eventOf('SYSCALL_FCHMOD_X', { res: i64(0), fd: i64(3), mode: u32(0o755) }),
   'res=0 fd=3(<f>/tmp/x) mode=0755(S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR)'],
  [eventOf('SYSCALL_FCHMOD_X', { res: i64(0), fd: i64(3), mode: u32(0) }),
   'res=0 fd=3(<f>/tmp/x) mode=0'],
  [eventOf('SYSCALL_FCHMOD_X', { res: i64(0), fd: i64(3), mode: u32(0o4777) }),
   'res=0 fd=3(<f>/tmp/x) mode=04777(S_IXOTH|S_IWOTH|S_IROTH|S_IXGRP|S_IWGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID)'],
  [eventOf('SYSCALL_CHMOD_X', { res: i64(-13), filename: str('f'), mode: u32(0o100) }),
   'res=-13(EACCES) filename=f(f) mode=0100(S_IXUSR)'],
  [eventOf('SYSCALL_SETUID_X', { res: i64(0), uid: u32(0) }),
   'res=0 uid=0(root)'],
  [eventOf('SYSCALL_SETUID_X', { res: i64(0), uid: u32(0xffffffff) }),
   'res=0 uid=-1(<NONE>)'],
  [eventOf('SYSCALL_SETUID_X', { res: i64(0), uid: u32(0x80000000) }),
   'res=0 uid=-2147483648(<NA>)'],
  [eventOf('SYSCALL_SETRESGID_X', { res: i64(0), rgid: u32(5), egid: u32(0xffffffff), sgid: u32(0xfffffffe) }),
   'res=0 rgid=5(<NA>) egid=-1(<NONE>) sgid=-2(<NA>)'],
  [eventOf('SYSCALL_MMAP_X', { res: i64(-12), vm_size: u32(1), vm_rss: u32(2), vm_swap: u32(3), addr: u64(0x7fa69752c000n), length: u64(4096), prot: u32(0), flags: u32(0x12), fd: i64(-1), offset: u64(0) }),
   'res=-12(ENOMEM) vm_size=1 vm_rss=2 vm_swap=3 addr=7FA69752C000 length=4096 prot=0(PROT_NONE) flags=18(MAP_PRIVATE|MAP_32BIT) fd=-1(EPERM) offset=0'],
  [eventOf('SYSCALL_FUTEX_X', { res: i64(0), addr: u64(-1), op: u16(0x81), val: u64(1) }),
   'res=0 addr=FFFFFFFFFFFFFFFF op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=1'],
  [eventOf('SYSCALL_SEMGET_X', { res: i64(0), key: i32(-1), nsems: i32(-5), semflg: u32(0x200) }),
   'res=0 key=FFFFFFFF nsems=-5 semflg=512'],
  [eventOf('SYSCALL_SEMOP_X', { res: i64(0), nsops: u32(2), sem_num_0: u16(65535), sem_op_0: i16(-1), sem_flg_0: u16(0x1800), sem_num_1: u16(1), sem_op_1: i16(32767), sem_flg_1: u16(0), semid: i32(-7) }),
   'res=0 nsops=2 sem_num_0=65535 sem_op_0=-1 sem_flg_0=6144 sem_num_1=1 sem_op_1=32767 sem_flg_1=0 semid=-7'],
  [eventOf('SOCKET_BIND_X', { res: i64(0), addr: Buffer.concat([u8(2), Buffer.from([1, 2, 3, 4]), u16(80)]), fd: i64(9) }),
   'res=0 addr=1.2.3.4:80 fd=9'],
  [eventOf('SOCKET_CONNECT_X', { res: i64(-111), tuple: Buffer.concat([u8(2), Buffer.from([10, 0, 0, 1]), u16(40000), Buffer.from([93, 184, 216, 34]), u16(443)]), fd: i64(9), addr: Buffer.concat([u8(1), str('/run/x.sock')]) }),
   'res=-111(ECONNREFUSED) tuple=10.0.0.1:40000->93.184.216.34:443 fd=9 addr=/run/x.sock'],
  [eventOf('SOCKET_CONNECT_X', { res: i64(0), tuple: Buffer.concat([u8(10), ip6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001), u16(1), ip6(0, 0, 0, 0, 0, 0, 0, 0), u16(2)]), fd: i64(9), addr: Buffer.concat([u8(10), ip6(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304), u16(8080)]) }),
   'res=0 tuple=10.0.0.1:1->0.0.0.0:2 fd=9 addr=::ffff:1.2.3.4:8080'],
  [eventOf('SOCKET_CONNECT_X', { res: i64(0), tuple: Buffer.concat([u8(10), ip6(0, 0, 0, 0, 0, 0, 0, 1), u16(1), ip6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), u16(2)]), fd: i64(9), addr: Buffer.concat([u8(10), ip6(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), u16(0)]) }),
   'res=0 tuple=::1:1->2001:db8::1:0:0:1:2 fd=9 addr=::1.2.3.4:0'],
  [eventOf('SOCKET_CONNECT_X', { res: i64(0), tuple: Buffer.concat([u8(1), u64(0), u64(0xffff88003c420800n), str('/var/run/nscd/socket')]), fd: i64(9), addr: Buffer.concat([u8(1), Buffer.from([0]), bytes('abstract'), Buffer.from([0])]) }),
   'res=0 tuple=0->ffff88003c420800 /var/run/nscd/socket fd=9 addr='],
  [eventOf('SOCKET_CONNECT_X', { res: i64(0), tuple: Buffer.concat([u8(2), Buffer.from([1, 2, 3])]), fd: i64(9), addr: Buffer.concat([u8(17), Buffer.from([1, 2])]) }),
   'res=0 tuple=INVALID IPv4 fd=9 addr=family 17'],
  [eventOf('SOCKET_CONNECT_X', { res: i64(0), tuple: Buffer.concat([u8(10), ip6(0xfe80, 0, 0, 0, 0, 0, 0, 0), u16(1), ip6(1, 0, 0, 2, 0, 0, 3, 0), u16(2)]), fd: i64(9), addr: Buffer.concat([u8(2), Buffer.from([1, 2])]) }),
   'res=0 tuple=fe80:::1->1::2:0:0:3:0:2 fd=9 addr=INVALID IPv4'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(1), optname: u8(2), val: Buffer.concat([u8(0), bytes('ab\x01')]), optlen: u32(3) }),
   'res=0 fd=9 level=1(SOL_SOCKET) optname=2(SO_REUSEADDR) val=ab. optlen=3'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(99), optname: u8(200), val: Buffer.concat([u8(1), i64(-2)]), optlen: u32(8) }),
   'res=0 fd=9 level=99 optname=200 val=-2(ENOENT) optlen=8'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(0), optname: u8(0), val: Buffer.concat([u8(2), u32(0xffffffff)]), optlen: u32(4) }),
   'res=0 fd=9 level=0(UNKNOWN) optname=0(UNKNOWN) val=-1 optlen=4'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(0), optname: u8(0), val: Buffer.concat([u8(3), u64(-1)]), optlen: u32(8) }),
   'res=0 fd=9 level=0(UNKNOWN) optname=0(UNKNOWN) val=-1 optlen=8'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(0), optname: u8(0), val: Buffer.concat([u8(4), u64(3000000000)]), optlen: u32(8) }),
   'res=0 fd=9 level=0(UNKNOWN) optname=0(UNKNOWN) val=3000000000(3s) optlen=8'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(0), optname: u8(0), val: Buffer.concat([u8(9), u64(1)]), optlen: u32(8) }),
   'res=0 fd=9 level=0(UNKNOWN) optname=0(UNKNOWN) val=INVALID DYNAMIC PARAMETER optlen=8'],
  [eventOf('SOCKET_SETSOCKOPT_X', { res: i64(0), fd: i64(9), level: u8(0), optname: u8(0), val: u8(0), optlen: u32(0) }),
   'res=0 fd=9 level=0(UNKNOWN) optname=0(UNKNOWN) val= optlen=0'],
  [eventOf('SYSCALL_PTRACE_X', { res: i64(0), addr: Buffer.concat([u8(0), u64(0x7fffdeadbeefn)]), data: Buffer.concat([u8(1), u8(11)]), request: u16(16), pid: i64(100) }),
   'res=0 addr=7FFFDEADBEEF data=11(SIGSEGV) request=16(PTRACE_GETSIGINFO) pid=100(probe)'],
  [eventOf('SYSCALL_KEYCTL_X', { res: i64(0), operation: u32(0), arg2: Buffer.concat([u8(1), str('keyname')]), arg3: Buffer.concat([u8(0), i64(-5)]), arg4: Buffer.concat([u8(1)]), arg5: empty() }),
   'res=0 operation=0(KEYCTL_GET_KEYRING_ID) arg2=keyname arg3=-5 arg4=(null) arg5=NULL'],
  [eventOf('SOCKET_SHUTDOWN_X', { res: i64(0), fd: i64(9), how: u8(2) }),
   'res=0 fd=9 how=2(SHUT_RDWR)'],
  [eventOf('SOCKET_SOCKET_X', { fd: i64(-24), domain: u32(99), type: u32(1), proto: u32(0), flags: u32(0) }),
   'fd=-24(EMFILE) domain=99 type=1 proto=0 flags=0(O_NONE)'],
  [eventOf('SYSCALL_TIMERFD_CREATE_X', { res: i64(5), clockid: u8(255), flags: u8(0xab) }),
   'res=5(<t>) clockid=255 flags=AB'],
  [eventOf('SYSCALL_RENAMEAT_X', { res: i64(0), olddirfd: i64(-100), oldpath: str('a/b'), newdirfd: i64(3), newpath: str('../c') }),
   'res=0 olddirfd=-100(AT_FDCWD) oldpath=a/b(a/b) newdirfd=3(<f>/tmp/x) newpath=../c(/tmp/c)'],
  [eventOf('SYSCALL_RENAMEAT_X', { res: i64(0), olddirfd: i64(77), oldpath: str('./x/'), newdirfd: i64(-100), newpath: str('/abs/./y') }),
   'res=0 olddirfd=77 oldpath=./x/(x) newdirfd=-100(AT_FDCWD) newpath=/abs/./y'],
  [eventOf('SYSCALL_GETCWD_X', { res: i64(0), path: bytes('(NULL)\0') }),
   'res=0 path=<NA>'],
  [eventOf('SYSCALL_GETCWD_X', { res: i64(0), path: bytes('caf\xe9\0') }),
   'res=0 path=caf\xe9'],
  [eventOf('SYSCALL_GETCWD_X', { res: i64(0), path: str('') }),
   'res=0 path='],
  [eventOf('SYSCALL_QUOTACTL_X', { res: i64(0), dqi_flags: u8(0), quota_fmt_out: u8(2), cmd: u16(0x8002), type: u8(1), quota_fmt: u8(0) }),
   'res=0 special=<NA> quotafilepath=<NA> dqb_bhardlimit=0 dqb_bsoftlimit=0 dqb_curspace=0 dqb_ihardlimit=0 dqb_isoftlimit=0 dqb_btime=0(0s) dqb_itime=0(0s) dqi_bgrace=0(0s) dqi_igrace=0(0s) dqi_flags=0 quota_fmt_out=2(QFMT_VFS_OLD) cmd=32770(Q_QUOTAOFF) type=1(USRQUOTA) id=0 quota_fmt=0'],
  [eventOf('SOCKET_SENDTO_X', { res: i64(3), data: bytes('\r\nab\tc\n\r\n'), fd: i64(9), size: u32(3), tuple: empty() }),
   'res=3 data=..ab.c... fd=9 size=3 tuple=NULL'],
  [eventOf('SYSCALL_KILL_X', { res: i64(0), pid: i64(200), sig: u8(15) }, 200),
   'res=0 pid=200(<NA>) sig=15(SIGTERM)'],
  [eventOf('GENERIC_X', { ID: u16(5), nativeID: u16(39) }, 200),
   ''],
  [eventOf('PROCEXIT_1_E', { status: i64(256), ret: i64(1), sig: u8(0), core: u8(1), reaper_tid: i64(200) }, 201),
   'status=256 ret=1 sig=0 core=1 reaper_tid=200(<NA>)'],
  [eventOf('SOCKET_SOCKETPAIR_X', { res: i64(0), fd1: i64(6), fd2: i64(7), source: u64(0xffff1234n), peer: u64(0), domain: u32(1), type: u32(1), proto: u32(0) }, 200),
   'res=0 fd1=6(<u>) fd2=7(<u>) source=FFFF1234 peer=0 domain=1(AF_LOCAL|AF_UNIX) type=1 proto=0'],
  [eventOf('SYSCALL_PIPE_X', { res: i64(0), fd1: i64(8), fd2: i64(10), ino: u64(1234) }, 200),
   'res=0 fd1=8(<p>) fd2=10(<p>) ino=1234'],
  [eventOf('SYSCALL_READ_X', { res: i64(-11), data: empty(), fd: i64(6), size: u32(10) }, 200),
   'res=-11(EAGAIN) data=NULL fd=6(<u>) size=10'],
  [eventOf('SYSCALL_READ_X', { res: i64(-11), data: empty(), fd: i64(10), size: u32(10) }, 200),
   'res=-11(EAGAIN) data=NULL fd=10(<p>) size=10'],
  [eventOf('ITER_TASK_FILE_SOCKET_INET_E', { fd: i32(4), sk_type: u16(1), sk_proto: u16(6), local_ip: Buffer.from([1,2,3,4]), local_port: u16(80), remote_ip: Buffer.from([5,6,7,8]), remote_port: u16(9), ino_num: u64(1) }, 200),
   'fd=(n.a.) sk_type=1 sk_proto=6 local_ip=(n.a.) local_port=(n.a.) remote_ip=(n.a.) remote_port=(n.a.) ino_num=1'],
  [eventOf('ITER_TASK_FILE_SOCKET_INET6_E', { fd: i32(4), sk_type: u16(1), sk_proto: u16(6), local_ip: ip6(1), local_port: u16(80), remote_ip: Buffer.from([1]), remote_port: u16(9), ino_num: u64(1) }, 200),
   'fd=(n.a.) sk_type=1 sk_proto=6 local_ip=(n.a.) local_port=(n.a.) remote_ip=(n.a.) remote_port=(n.a.) ino_num=1'],
  [eventOf('INFRASTRUCTURE_EVENT_E', { source: str('src'), name: str('nm'), description: empty(), scope: bytes('(NULL)\0') }, 200),
   'source=src name=nm description=<NA> scope=<NA>'],
];

describe('evt.args matches sinsp-example', () => {
  it.each(CONFIRMED.map(([spec, want], i) => [i, EVENTS[spec.type]!.code, spec, want] as const))(
    '#%i %s', (_i, _code, spec, want) => {
      expect(argsOf(spec)).toBe(want);
    });

  it('renders a whole execve exit: buffers of NUL-separated strings, ABSTIME, UID/GID, empty params', () => {
    const spec = eventOf('SYSCALL_EXECVE_19_X', {
      res: i64(0), exe: str('/bin/probe'), args: bytes('a\0b\0'), tid: i64(100), pid: i64(100), ptid: i64(1),
      cwd: str('/home/u'), comm: str('probe'), exe_ino_ctime: u64(1534527348514682170n), exe_ino_mtime: u64(0),
      uid: u32(0xffffffff), gid: u32(1000), loginuid: u32(0x80000000),
    });
    expect(argsOf(spec)).toBe('res=0 exe=/bin/probe args=a.b. tid=100(probe) pid=100(probe) ptid=1 cwd=/home/u ' +
      'fdlimit=0 pgft_maj=0 pgft_min=0 vm_size=0 vm_rss=0 vm_swap=0 comm=probe cgroups=NULL env=NULL tty=0 ' +
      'vpgid=0 loginuid=-2147483648(<NA>) flags=0 cap_inheritable=0 cap_permitted=0 cap_effective=0 exe_ino=0 ' +
      'exe_ino_ctime=2018-08-17 17:35:48.514682170 exe_ino_mtime=1970-01-01 00:00:00.000000000 uid=-1(<NONE>) ' +
      'trusted_exepath=<NA> pgid=0 gid=1000(cloudsdk) filename=<NA>');
  });

  it('prints a long buffer whole (no length limit by default)', () => {
    const data = Buffer.alloc(3000);
    for (let i = 0; i < data.length; i++) data[i] = 32 + (i % 95);
    const got = argsOf(eventOf('SYSCALL_WRITE_X', { res: i64(3000), data, fd: i64(1), size: u32(3000) }, 200));
    expect(got).toBe(`res=3000 data=${data.toString('latin1')} fd=1 size=3000`);
  });

  it('resolves an fd number that a result parameter of type FD names (fcntl res)', () => {
    const state = probeState().addFd(100, 0, 'f', '/tmp/x');
    expect(argsOf(eventOf('SYSCALL_FCNTL_X', { res: i64(0), fd: i64(3), cmd: u8(1), arg: u64(0xdeadbeefn) }), state))
      .toBe('res=0(<f>/tmp/x) fd=3(<f>/tmp/x) cmd=1(F_DUPFD) arg=DEADBEEF');
  });
});

describe('evt.res', () => {
  const fmt = new ArgsFormatter(probeState());
  it('is SUCCESS for a result >= 0 and the errno name below 0', () => {
    expect(fmt.res(cursorFor(eventOf('SYSCALL_KILL_X', { res: i64(0) })))).toBe('SUCCESS');
    expect(fmt.res(cursorFor(eventOf('SYSCALL_KILL_X', { res: i64(5) })))).toBe('SUCCESS');
    expect(fmt.res(cursorFor(eventOf('SYSCALL_KILL_X', { res: i64(-3) })))).toBe('ESRCH');
  });
  it('shows the raw number when a negative result has no name', () => {
    expect(fmt.res(cursorFor(eventOf('SYSCALL_KILL_X', { res: i64(-4000) })))).toBe('-4000');
  });
  it('resolves an FD-typed result like the parameter (open fd=-2)', () => {
    expect(fmt.res(cursorFor(eventOf('SYSCALL_OPEN_X', { fd: i64(-2) })))).toBe('ENOENT');
    expect(fmt.res(cursorFor(eventOf('SYSCALL_OPEN_X', { fd: i64(-2) }, 999)))).toBe('-2');
  });
  it('is absent for enter events, non-syscall events, generic events and events without parameters', () => {
    expect(fmt.res(cursorFor(eventOf('SYSCALL_OPEN_E')))).toBeUndefined();
    expect(fmt.res(cursorFor(eventOf('PROCEXIT_1_E', {}, 201)))).toBeUndefined();
    expect(fmt.res(cursorFor(eventOf('GENERIC_X', { ID: u16(5) })))).toBeUndefined();
    expect(fmt.res(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [] }))).toBeUndefined();
  });
  it('reads a 4-byte first parameter as i32, and any other size as 0', () => {
    expect(fmt.res(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [i32(-13)] }))).toBe('<INVALID: expected 8 bytes, found 4>');
    expect(fmt.res(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [u16(0xffff)] }))).toBe('SUCCESS');
  });
});

describe('evt.arg', () => {
  const fmt = new ArgsFormatter(probeState());
  const ev = cursorFor(eventOf('SYSCALL_READ_X', { res: i64(-11), fd: i64(3), size: u32(10) }));
  it('prints the resolved text when there is one, else the raw text', () => {
    expect(fmt.arg(ev, 'fd')).toBe('<f>/tmp/x');
    expect(fmt.arg(ev, 'res')).toBe('EAGAIN');
    expect(fmt.arg(ev, 'size')).toBe('10');
    expect(fmt.arg(ev, 'data')).toBe('NULL');
    expect(fmt.arg(ev, 2)).toBe('<f>/tmp/x');
  });
  it('is undefined for a name or index the event does not carry', () => {
    expect(fmt.arg(ev, 'sig')).toBeUndefined();
    expect(fmt.arg(ev, 4)).toBeUndefined();
    expect(fmt.arg(cursorFor({ type: EventType.SYSCALL_READ_X, params: [i64(1)] }), 'fd')).toBeUndefined();
  });
  it('resolves a syscall id to its name; generic exit events print no args', () => {
    const g = cursorFor(eventOf('GENERIC_X', { ID: u16(5), nativeID: u16(39) }));
    expect(fmt.arg(g, 'ID')).toBe('open');
    expect(fmt.arg(g, 'nativeID')).toBe('39');
    expect(fmt.args(g)).toBe('');
    expect(fmt.param(g, 0)).toEqual({ raw: '5', resolved: 'open' });
  });
});

describe('fd and thread resolution', () => {
  it('appends the l4 protocol letter to IP socket type chars', () => {
    const state = probeState().addFd(100, 4, '6', '::1:1->::1:2', 2).addFd(100, 9, '4', '1.2.3.4:5', 3).addFd(100, 8, 'u', 'x', 2);
    expect(argsOf(eventOf('SYSCALL_CLOSE_X', { res: i64(0), fd: i64(4) }), state)).toBe('res=0 fd=4(<6t>::1:1->::1:2)');
    expect(argsOf(eventOf('SYSCALL_CLOSE_X', { res: i64(0), fd: i64(9) }), state)).toBe('res=0 fd=9(<4u>1.2.3.4:5)');
    expect(argsOf(eventOf('SYSCALL_CLOSE_X', { res: i64(0), fd: i64(8) }), state)).toBe('res=0 fd=8(<u>x)');
  });
  it('without thread info prints bare numbers: no fd names, AT_FDCWD or errno names (event.cpp render_fd)', () => {
    const spec = eventOf('SYSCALL_RENAMEAT_X', { res: i64(-2), olddirfd: i64(-100), oldpath: str('a'), newdirfd: i64(-9), newpath: str('b') }, 999);
    expect(argsOf(spec)).toBe('res=-2(ENOENT) olddirfd=-100 oldpath=a newdirfd=-9 newpath=b');
  });
  it('resolves relative paths against the cwd and FSRELPATH against its dirfd', () => {
    const state = new FakeState().addThread(7, 'sh', '/home/u/').addFd(7, 4, 'd', '/etc');
    const spec = eventOf('SYSCALL_RENAMEAT_X', { olddirfd: i64(-100), oldpath: str('../x//y/.'), newdirfd: i64(4), newpath: str('./z') }, 7);
    expect(argsOf(spec, state)).toBe('res=0 olddirfd=-100(AT_FDCWD) oldpath=../x//y/.(/home/x/y) newdirfd=4(<d>/etc) newpath=./z(/etc/z)');
  });
  it('repeats the previous text for an fd list when there is no thread info (libsinsp leaves its buffer as is)', () => {
    const spec = eventOf('SYSCALL_PPOLL_X', { res: i64(1), fds: fdlist([[3, 1]]) }, 999);
    expect(argsOf(spec)).toBe('res=1 fds=1 timeout=0(0s) sigmask=');
  });
  it('lists fds with their type char, ? when unknown', () => {
    const spec = eventOf('SYSCALL_POLL_X', { res: i64(1), fds: fdlist([[3, 4], [12, -32768]]), timeout: i64(-1) });
    expect(argsOf(spec)).toBe('res=1 fds=3:f4 12:?ffff8000 timeout=-1');
  });
  it('resolves a uid to <NA> when the user is unknown, even without thread info', () => {
    expect(argsOf(eventOf('SYSCALL_SETUID_X', { uid: u32(7) }, 999))).toBe('res=0 uid=7(<NA>)');
  });
});

/** Renders `value` as a one-parameter event of a made-up layout (libsinsp's rules, event.cpp). */
function renderAs(param: ParamInfo, value: Buffer, state = probeState(), tid = 100): { raw: string; resolved: string } {
  const info: EventInfo = { ...EVENTS[EventType.SYSCALL_KILL_X]!, params: [param] };
  const r = new ParamRenderer(state);
  r.beginEvent(cursorFor({ type: EventType.SYSCALL_KILL_X, tid, params: [value] }), info);
  r.renderParam(0);
  return { raw: r.raw, resolved: r.resolved };
}
const P = (type: number, format: number = PrintFormat.DEC, extra: Partial<ParamInfo> = {}): ParamInfo =>
  ({ name: 'p', type, format, ...extra });
const raw = (param: ParamInfo, value: Buffer): string => renderAs(param, value).raw;

describe('integers by print format (SET_NUMERIC_FORMAT: %d, %X, %#o, %09d; narrow types promoted to int)', () => {
  const { DEC, HEX, OCT, PADDED_DEC, ID, DIR, NA } = PrintFormat;
  it.each([
    [ParamType.INT8, DEC, i8(-1), '-1'], [ParamType.INT8, HEX, i8(-1), 'FFFFFFFF'], [ParamType.INT8, OCT, i8(-1), '037777777777'],
    [ParamType.INT8, PADDED_DEC, i8(-5), '-00000005'], [ParamType.INT8, ID, i8(7), '7'], [ParamType.INT8, DIR, i8(7), '7'],
    [ParamType.INT16, HEX, i16(-2), 'FFFFFFFE'], [ParamType.INT16, OCT, i16(8), '010'], [ParamType.INT16, NA, i16(-300), '-300'],
    [ParamType.INT32, PADDED_DEC, i32(42), '000000042'], [ParamType.INT32, OCT, i32(0), '0'], [ParamType.INT32, HEX, i32(255), 'FF'],
    [ParamType.INT64, HEX, i64(-1), 'FFFFFFFFFFFFFFFF'], [ParamType.INT64, OCT, i64(-1), '01777777777777777777777'],
    [ParamType.INT64, PADDED_DEC, i64(-12), '-00000012'], [ParamType.INT64, DEC, i64(-9007199254740993n), '-9007199254740993'],
    [ParamType.UINT8, DEC, u8(255), '255'], [ParamType.UINT8, HEX, u8(171), 'AB'], [ParamType.UINT8, OCT, u8(8), '010'],
    [ParamType.UINT16, DEC, u16(65535), '65535'], [ParamType.UINT16, PADDED_DEC, u16(7), '000000007'],
    [ParamType.UINT32, DEC, u32(0xffffffff), '-1'], [ParamType.UINT32, HEX, u32(0xfd01), 'FD01'],
    [ParamType.UINT32, OCT, u32(0o644), '0644'], [ParamType.UINT32, PADDED_DEC, u32(0xfffffffe), '-00000002'],
    [ParamType.UINT64, DEC, u64(2n ** 63n), '-9223372036854775808'], [ParamType.UINT64, HEX, u64(0xdeadbeefn), 'DEADBEEF'],
    [ParamType.UINT64, OCT, u64(64), '0100'], [ParamType.UINT64, ID, u64(12345678901234567890n), '-6101065172474983726'],
  ] as const)('type %i format %i: %s', (type, format, value, want) => {
    expect(raw(P(type, format), value)).toBe(want);
  });
});

describe('8-byte signed values on both sides of 32 bits (numbers inside, BigInts outside)', () => {
  const { DEC, HEX, OCT, PADDED_DEC } = PrintFormat;
  it.each([
    [ParamType.INT64, DEC, 2147483647n, '2147483647', ''], [ParamType.INT64, DEC, 2147483648n, '2147483648', ''],
    [ParamType.INT64, DEC, -2147483648n, '-2147483648', ''], [ParamType.INT64, DEC, -2147483649n, '-2147483649', ''],
    [ParamType.INT64, HEX, -2n, 'FFFFFFFFFFFFFFFE', ''], [ParamType.INT64, OCT, -8n, '01777777777777777777770', ''],
    [ParamType.INT64, HEX, 255n, 'FF', ''], [ParamType.INT64, PADDED_DEC, -2147483648n, '-2147483648', ''],
    [ParamType.INT64, PADDED_DEC, 7n, '000000007', ''],
    [ParamType.ERRNO, DEC, -2n, '-2', 'ENOENT'], [ParamType.ERRNO, DEC, 0n, '0', ''], [ParamType.ERRNO, DEC, 5n, '5', ''],
    [ParamType.ERRNO, DEC, -4294967298n, '-4294967298', 'ENOENT'], [ParamType.ERRNO, DEC, 4294967296n, '4294967296', ''],
    [ParamType.FD, DEC, 3n, '3', '<f>/tmp/x'], [ParamType.FD, DEC, 4n, '4', ''], [ParamType.FD, DEC, -100n, '-100', 'AT_FDCWD'],
    [ParamType.FD, DEC, -9n, '-9', 'EBADF'], [ParamType.FD, DEC, 4294967299n, '4294967299', ''],
    [ParamType.FD, DEC, -1n, '-1', 'EPERM'],
    [ParamType.PID, DEC, 100n, '100', 'probe'], [ParamType.PID, DEC, 101n, '101', ''],
    [ParamType.PID, DEC, 4294967396n, '4294967396', ''], [ParamType.PID, DEC, -1n, '-1', ''],
    [ParamType.UINT64, DEC, 4294967295n, '4294967295', ''], [ParamType.UINT64, DEC, 4294967296n, '4294967296', ''],
    [ParamType.UINT64, HEX, 0x7fffffffn, '7FFFFFFF', ''], [ParamType.UINT64, HEX, 0x80000000n, '80000000', ''],
    [ParamType.UINT64, HEX, 0x7f12345678n, '7F12345678', ''], [ParamType.UINT64, OCT, 0n, '0', ''],
    [ParamType.UINT64, OCT, 4294967295n, '037777777777', ''], [ParamType.UINT64, PADDED_DEC, 12n, '000000012', ''],
    [ParamType.UINT64, DEC, -1n, '-1', ''],
    [ParamType.ERRNO, HEX, 0x7f0012345000n, '139638282145792', ''], [ParamType.ERRNO, DEC, 2n ** 53n - 1n, '9007199254740991', ''],
    [ParamType.ERRNO, DEC, 2n ** 53n, '9007199254740992', ''], [ParamType.ERRNO, DEC, -(2n ** 53n), '-9007199254740992', ''],
    [ParamType.ERRNO, DEC, -(2n ** 53n) - 1n, '-9007199254740993', 'EPERM'], [ParamType.ERRNO, DEC, -(2n ** 40n) - 13n, '-1099511627789', 'EACCES'],
  ] as const)('type %i format %i: %s', (type, format, value, wantRaw, wantResolved) => {
    expect(renderAs(P(type, format), i64(value))).toEqual({ raw: wantRaw, resolved: wantResolved });
  });
  it('resolves nothing for an fd without thread info', () => {
    expect(renderAs(P(ParamType.FD), i64(3), probeState(), 999)).toEqual({ raw: '3', resolved: '' });
  });
});

describe('numbers whose bytes run past the end of their event', () => {
  // The event's length says it ends inside its last parameter (a damaged
  // capture read with recovery): the number is not read, whatever its size.
  it.each([
    [ParamType.UINT32, u32(7)], [ParamType.INT16, i16(7)], [ParamType.FD, i64(3)], [ParamType.UINT64, u64(5)],
  ] as const)('type %i', (type, value) => {
    const info: EventInfo = { ...EVENTS[EventType.SYSCALL_KILL_X]!, params: [P(type)] };
    const ev = cursorFor({ type: EventType.SYSCALL_KILL_X, tid: 100, params: [value] });
    ev.bytes.writeUInt32LE(ev.lenBytes - 1, ev.offset + 16);
    const r = new ParamRenderer(probeState());
    r.beginEvent(ev, info);
    r.renderParam(0);
    expect(r.raw).toBe(`<INVALID: length ${value.length} runs past the ${value.length - 1} bytes left in the event>`);
  });
});

describe('every parameter type', () => {
  it('prints <NA> for an empty parameter, NULL for buffer-like types (event.cpp legacy encoding note)', () => {
    for (let t = 0; t < 49; t++) {
      const want = [ParamType.BYTEBUF, ParamType.SOCKTUPLE, ParamType.FDLIST, ParamType.CHARBUFARRAY,
        ParamType.CHARBUF_PAIR_ARRAY, ParamType.DYN].includes(t as never) ? 'NULL' : '<NA>';
      expect(raw(P(t), empty()), `type ${t}`).toBe(want);
    }
  });
  it('prints (n.a.) for the types libsinsp has no text for, whatever their bytes', () => {
    for (const t of [ParamType.NONE, ParamType.PORT, ParamType.L4PROTO, ParamType.SOCKFAMILY, ParamType.BOOL,
      ParamType.IPV4ADDR, ParamType.DOUBLE, ParamType.IPV4NET, ParamType.IPV6ADDR, ParamType.IPV6NET, ParamType.IPADDR,
      ParamType.IPNET, ParamType.FD32, ParamType.PID32]) {
      expect(raw(P(t), u32(1)), `type ${t}`).toBe('(n.a.)');
    }
  });
  it('marks a fixed-size value of the wrong size instead of failing the whole event', () => {
    expect(raw(P(ParamType.FD), u32(3))).toBe('<INVALID: expected 8 bytes, found 4>');
    expect(raw(P(ParamType.FLAGS16, PrintFormat.HEX, { flagsTable: 'futex_operations' }), u8(1))).toBe('<INVALID: expected 2 bytes, found 1>');
    expect(raw(P(ParamType.FDLIST), Buffer.concat([u16(2), i64(1), i16(0)]))).toBe('<INVALID: fd list of 2 entries needs at least 22 bytes, found 12>');
  });
  it('flags: bits of the table in table order, the zero entry only for 0, leftover bits dropped', () => {
    const flags = P(ParamType.FLAGS32, PrintFormat.HEX, { flagsTable: 'file_flags' });
    expect(renderAs(flags, u32(0x1001))).toEqual({ raw: '4097', resolved: 'O_RDONLY|O_CLOEXEC' });
    expect(renderAs(flags, u32(0))).toEqual({ raw: '0', resolved: 'O_NONE' });
    expect(renderAs(flags, u32(0x80000000))).toEqual({ raw: '2147483648', resolved: '' });
    const f8 = P(ParamType.FLAGS8, PrintFormat.DEC, { flagsTable: 'quotactl_dqi_flags' });
    expect(renderAs(f8, u8(0)).raw).toBe('0');
  });
  it('enum flags: every entry equal to the value', () => {
    const e = P(ParamType.ENUMFLAGS32, PrintFormat.DEC, { flagsTable: 'socket_families' });
    expect(renderAs(e, u32(1))).toEqual({ raw: '1', resolved: 'AF_LOCAL|AF_UNIX' });
    expect(renderAs(e, u32(16))).toEqual({ raw: '16', resolved: 'AF_ROUTE|AF_NETLINK' });
    const e16 = P(ParamType.ENUMFLAGS16, PrintFormat.DEC, { flagsTable: 'ptrace_requests' });
    expect(renderAs(e16, u16(16)).resolved).toBe('PTRACE_GETSIGINFO');
  });
  it('mode: the raw number in the parameter format, names up to the entry equal to the value', () => {
    const m = P(ParamType.MODE, PrintFormat.OCT, { flagsTable: 'chmod_mode' });
    expect(renderAs(m, u32(0o100))).toEqual({ raw: '0100', resolved: 'S_IXUSR' });
    expect(renderAs(P(ParamType.MODE, PrintFormat.HEX, { flagsTable: 'chmod_mode' }), u32(0o600)).raw).toBe('180');
    expect(renderAs(P(ParamType.MODE, PrintFormat.DEC, { flagsTable: 'chmod_mode' }), u32(0xffffffff)).raw).toBe('-1');
  });
  it('signals, signal sets and syscall ids', () => {
    expect(renderAs(P(ParamType.SIGTYPE), u8(9))).toEqual({ raw: '9', resolved: 'SIGKILL' });
    expect(renderAs(P(ParamType.SIGTYPE), u8(0))).toEqual({ raw: '0', resolved: '' });
    expect(raw(P(ParamType.SIGSET), u32(0xffffffff)).split(' ')).toHaveLength(31);
    expect(renderAs(P(ParamType.SYSCALLID), u16(5))).toEqual({ raw: '5', resolved: 'open' });
    expect(renderAs(P(ParamType.SYSCALLID), u16(60000))).toEqual({ raw: '<unknown syscall>', resolved: '' });
  });
  it('times: relative as ns with %lg seconds, none for all ones; absolute as a UTC date with ns', () => {
    expect(renderAs(P(ParamType.RELTIME), u64(1500000000))).toEqual({ raw: '1500000000', resolved: '1.5s' });
    expect(renderAs(P(ParamType.RELTIME), u64(-1))).toEqual({ raw: 'none', resolved: '' });
    expect(raw(P(ParamType.ABSTIME), u64(1534527348514682170n))).toBe('2018-08-17 17:35:48.514682170');
  });
  it('pids resolve to the comm of a known thread', () => {
    expect(renderAs(P(ParamType.PID), i64(100))).toEqual({ raw: '100', resolved: 'probe' });
    expect(renderAs(P(ParamType.PID), i64(-1))).toEqual({ raw: '-1', resolved: '' });
  });
  it('strings keep their bytes (latin1), stop at the first NUL, and (NULL) means no value', () => {
    expect(raw(P(ParamType.CHARBUF), bytes('a\xff\x01b\0c\0'))).toBe('a\xff\x01b');
    expect(raw(P(ParamType.CHARBUF), bytes('(NULL)\0'))).toBe('<NA>');
    expect(raw(P(ParamType.CHARBUF), bytes('no nul'))).toBe('no nul');
  });
  it('string arrays (only in in-memory events for libsinsp, which crashes on them from a file) join with . and pairs with :/,', () => {
    expect(raw(P(ParamType.CHARBUFARRAY), bytes('a\0bb\0'))).toBe('a.bb');
    expect(raw(P(ParamType.CHARBUF_PAIR_ARRAY), bytes('k\0v\0k2\0v2\0'))).toBe('k:v,k2:v2');
  });
  it('DYN: the index picks the layout, the outer print format applies, strings lose the legacy null rule', () => {
    const ptrace = EVENTS[EventType.SYSCALL_PTRACE_X]!.params[1]!;
    expect(raw(ptrace, Buffer.concat([u8(0), u64(255)]))).toBe('FF');
    expect(raw(ptrace, Buffer.concat([u8(2), u64(255)]))).toBe('INVALID DYNAMIC PARAMETER');
    const keyctl = EVENTS[EventType.SYSCALL_KEYCTL_X]!.params[2]!;
    expect(raw(keyctl, Buffer.concat([u8(1), bytes('(NULL)\0')]))).toBe('(NULL)');
    expect(raw(keyctl, u8(1))).toBe('(null)');
    expect(raw(keyctl, u8(0))).toBe('<INVALID: expected a value, found 0 bytes>');
  });
  it('buffers follow the buffer format option', () => {
    const data = P(ParamType.BYTEBUF);
    const render = (format: 'hex' | 'base64' | 'eols', b: Buffer): string => {
      const r = new ParamRenderer(probeState(), { bufferFormat: format });
      r.beginEvent(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [b] }), { ...EVENTS[EventType.SYSCALL_KILL_X]!, params: [data] });
      r.renderParam(0);
      return r.raw;
    };
    expect(render('hex', bytes('abc'))).toBe('\n\t0x0000: 6162 63\n');
    expect(render('base64', bytes('abcd'))).toBe('YWJjZA==');
    expect(render('eols', bytes('a\r\nb\tc'))).toBe('\na\nbc');
    const cut = new ParamRenderer(probeState(), { maxBufferLen: 5 });
    cut.beginEvent(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [bytes('abcdefgh')] }), { ...EVENTS[EventType.SYSCALL_KILL_X]!, params: [data] });
    cut.renderParam(0);
    expect(cut.raw).toBe('ab...');
  });
});

describe('flag names are kept per parameter and value', () => {
  // The renderer keeps the names of the values it has seen (param-render.ts
  // flagText); a kept value must print as a fresh renderer prints it, for
  // more values than it keeps, and per parameter (open's flags and chmod's
  // mode name the same bits differently).
  it('prints a value seen before as a fresh formatter does, past the bound too', () => {
    const shared = new ArgsFormatter(probeState());
    let seed = 7;
    const next = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
    const values = Array.from({ length: 1500 }, (_, i) => (i < 300 ? i : next()));
    for (const round of [0, 1]) {
      for (const v of values) {
        for (const spec of [
          eventOf('SYSCALL_OPEN_X', { fd: i64(3), name: str('/x'), flags: u32(v), mode: u32(0), dev: u32(0), ino: u64(0) }),
          eventOf('SYSCALL_CHMOD_X', { res: i64(0), filename: str('/x'), mode: u32(v) }),
        ]) {
          expect(shared.args(cursorFor(spec)), `round ${round} value ${v}`).toBe(argsOf(spec));
        }
      }
    }
    expect(shared.args(cursorFor(eventOf('SYSCALL_OPEN_X', { fd: i64(3), name: str('/x'), flags: u32(1), mode: u32(0), dev: u32(0), ino: u64(0) }))))
      .toContain('flags=1(O_RDONLY)');
  });
});

