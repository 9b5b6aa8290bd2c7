// Event types 0..155 of the scap event table (libs 48dfd53, driver/event_table.c).
// Pure data, in id order; see events.ts for the rules that govern changes.

import { C, DYN_SOCKOPT, F, ev, p, unused } from './event-build.js';
import type { EventInfo } from './types.js';

export const EVENTS_A: readonly EventInfo[] = [
  ev('GENERIC_E', 'syscall', C.OTHER | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('ID', 'SYSCALLID', 'DEC'), p('nativeID', 'UINT16', 'DEC'),
  ]),
  ev('GENERIC_X', 'syscall', C.OTHER | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('ID', 'SYSCALLID', 'DEC'), p('nativeID', 'UINT16', 'DEC'),
  ]),
  ev('SYSCALL_OPEN_E', 'open', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('name', 'FSPATH'), p('flags', 'FLAGS32', 'HEX', 'file_flags'), p('mode', 'UINT32', 'OCT'),
  ]),
  ev('SYSCALL_OPEN_X', 'open', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('name', 'FSPATH'), p('flags', 'FLAGS32', 'HEX', 'file_flags'),
    p('mode', 'UINT32', 'OCT'), p('dev', 'UINT32', 'HEX'), p('ino', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_CLOSE_E', 'close', C.IO_OTHER | C.SYSCALL,
    F.DESTROYS_FD | F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_CLOSE_X', 'close', C.IO_OTHER | C.SYSCALL,
    F.DESTROYS_FD | F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_READ_E', 'read', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_READ_X', 'read', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_WRITE_E', 'write', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_WRITE_X', 'write', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_BRK_1_E', 'brk', C.MEMORY | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_BRK_1_X', 'brk', C.MEMORY | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_EXECVE_8_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  ev('SYSCALL_EXECVE_8_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_CLONE_11_E', 'clone', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CLONE_11_X', 'clone', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'),
  ]),
  ev('PROCEXIT_E', 'procexit', C.PROCESS | C.TRACEPOINT,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  unused('PROCEXIT_X'),
  ev('SOCKET_SOCKET_E', 'socket', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('domain', 'ENUMFLAGS32', 'DEC', 'socket_families'), p('type', 'UINT32', 'DEC'),
    p('proto', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_SOCKET_X', 'socket', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('domain', 'ENUMFLAGS32', 'DEC', 'socket_families'),
    p('type', 'UINT32', 'DEC'), p('proto', 'UINT32', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'file_flags'),
  ]),
  ev('SOCKET_BIND_E', 'bind', C.NET | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SOCKET_BIND_X', 'bind', C.NET | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'SOCKADDR'), p('fd', 'FD', 'DEC'),
  ]),
  ev('SOCKET_CONNECT_E', 'connect', C.NET | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('addr', 'SOCKADDR'),
  ]),
  ev('SOCKET_CONNECT_X', 'connect', C.NET | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('tuple', 'SOCKTUPLE'), p('fd', 'FD', 'DEC'), p('addr', 'SOCKADDR'),
  ]),
  ev('SOCKET_LISTEN_E', 'listen', C.NET | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('backlog', 'INT32', 'DEC'),
  ]),
  ev('SOCKET_LISTEN_X', 'listen', C.NET | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('backlog', 'INT32', 'DEC'),
  ]),
  ev('SOCKET_ACCEPT_E', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SOCKET_ACCEPT_X', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('tuple', 'SOCKTUPLE'), p('queuepct', 'UINT8', 'DEC'),
  ]),
  ev('SOCKET_SEND_E', 'send', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_SEND_X', 'send', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_SENDTO_E', 'sendto', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_SENDTO_X', 'sendto', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_RECV_E', 'recv', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_RECV_X', 'recv', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_RECVFROM_E', 'recvfrom', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_RECVFROM_X', 'recvfrom', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('tuple', 'SOCKTUPLE'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_SHUTDOWN_E', 'shutdown', C.NET | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('how', 'ENUMFLAGS8', 'HEX', 'shutdown_how'),
  ]),
  ev('SOCKET_SHUTDOWN_X', 'shutdown', C.NET | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('how', 'ENUMFLAGS8', 'HEX', 'shutdown_how'),
  ]),
  ev('SOCKET_GETSOCKNAME_E', 'getsockname', C.NET | C.SYSCALL, F.OLD_VERSION),
  ev('SOCKET_GETSOCKNAME_X', 'getsockname', C.NET | C.SYSCALL, F.NONE),
  ev('SOCKET_GETPEERNAME_E', 'getpeername', C.NET | C.SYSCALL, F.OLD_VERSION),
  ev('SOCKET_GETPEERNAME_X', 'getpeername', C.NET | C.SYSCALL, F.NONE),
  ev('SOCKET_SOCKETPAIR_E', 'socketpair', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('domain', 'ENUMFLAGS32', 'DEC', 'socket_families'), p('type', 'UINT32', 'DEC'),
    p('proto', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_SOCKETPAIR_X', 'socketpair', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd1', 'FD', 'DEC'), p('fd2', 'FD', 'DEC'),
    p('source', 'UINT64', 'HEX'), p('peer', 'UINT64', 'HEX'),
    p('domain', 'ENUMFLAGS32', 'DEC', 'socket_families'), p('type', 'UINT32', 'DEC'),
    p('proto', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_SETSOCKOPT_E', 'setsockopt', C.NET | C.SYSCALL, F.OLD_VERSION),
  ev('SOCKET_SETSOCKOPT_X', 'setsockopt', C.NET | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'),
    p('level', 'ENUMFLAGS8', 'DEC', 'sockopt_levels'),
    p('optname', 'ENUMFLAGS8', 'DEC', 'sockopt_options'), p('val', 'DYN', 'DEC', DYN_SOCKOPT),
    p('optlen', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_GETSOCKOPT_E', 'getsockopt', C.NET | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SOCKET_GETSOCKOPT_X', 'getsockopt', C.NET | C.SYSCALL, F.USES_FD | F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'),
    p('level', 'ENUMFLAGS8', 'DEC', 'sockopt_levels'),
    p('optname', 'ENUMFLAGS8', 'DEC', 'sockopt_options'), p('val', 'DYN', 'DEC', DYN_SOCKOPT),
    p('optlen', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_SENDMSG_E', 'sendmsg', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_SENDMSG_X', 'sendmsg', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_SENDMMSG_E', 'sendmmsg', C.IO_WRITE | C.SYSCALL, F.OLD_VERSION),
  ev('SOCKET_SENDMMSG_X', 'sendmmsg', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
    p('data', 'BYTEBUF'), p('tuple', 'SOCKTUPLE'),
  ]),
  ev('SOCKET_RECVMSG_E', 'recvmsg', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SOCKET_RECVMSG_X', 'recvmsg', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('size', 'UINT32', 'DEC'), p('data', 'BYTEBUF'),
    p('tuple', 'SOCKTUPLE'), p('msgcontrol', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
  ]),
  ev('SOCKET_RECVMMSG_E', 'recvmmsg', C.IO_READ | C.SYSCALL, F.OLD_VERSION),
  ev('SOCKET_RECVMMSG_X', 'recvmmsg', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
    p('data', 'BYTEBUF'), p('tuple', 'SOCKTUPLE'), p('msgcontrol', 'BYTEBUF'),
  ]),
  ev('SOCKET_ACCEPT4_E', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'INT32', 'HEX'),
  ]),
  ev('SOCKET_ACCEPT4_X', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('tuple', 'SOCKTUPLE'), p('queuepct', 'UINT8', 'DEC'),
  ]),
  ev('SYSCALL_CREAT_E', 'creat', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('name', 'FSPATH'), p('mode', 'UINT32', 'OCT'),
  ]),
  ev('SYSCALL_CREAT_X', 'creat', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('name', 'FSPATH'), p('mode', 'UINT32', 'OCT'),
    p('dev', 'UINT32', 'HEX'), p('ino', 'UINT64', 'DEC'),
    p('creat_flags', 'FLAGS16', 'HEX', 'creat_flags'),
  ]),
  ev('SYSCALL_PIPE_E', 'pipe', C.IPC | C.SYSCALL, F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_PIPE_X', 'pipe', C.IPC | C.SYSCALL, F.CREATES_FD | F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('fd1', 'FD', 'DEC'), p('fd2', 'FD', 'DEC'),
    p('ino', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_EVENTFD_E', 'eventfd', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('initval', 'UINT64', 'DEC'), p('flags', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_EVENTFD_X', 'eventfd', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('initval', 'UINT64', 'DEC'), p('flags', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_FUTEX_E', 'futex', C.IPC | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('addr', 'UINT64', 'HEX'), p('op', 'FLAGS16', 'HEX', 'futex_operations'),
    p('val', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_FUTEX_X', 'futex', C.IPC | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'UINT64', 'HEX'),
    p('op', 'FLAGS16', 'HEX', 'futex_operations'), p('val', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_STAT_E', 'stat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_STAT_X', 'stat', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_LSTAT_E', 'lstat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_LSTAT_X', 'lstat', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_FSTAT_E', 'fstat', C.FILE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD'),
  ]),
  ev('SYSCALL_FSTAT_X', 'fstat', C.FILE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD'),
  ]),
  ev('SYSCALL_STAT64_E', 'stat64', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_STAT64_X', 'stat64', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_LSTAT64_E', 'lstat64', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_LSTAT64_X', 'lstat64', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_FSTAT64_E', 'fstat64', C.FILE | C.SYSCALL, F.USES_FD | F.OLD_VERSION, [
    p('fd', 'FD'),
  ]),
  ev('SYSCALL_FSTAT64_X', 'fstat64', C.FILE | C.SYSCALL, F.NONE, [p('res', 'ERRNO', 'DEC')]),
  ev('SYSCALL_EPOLLWAIT_E', 'epoll_wait', C.WAIT | C.SYSCALL,
    F.WAITS | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('maxevents', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_EPOLLWAIT_X', 'epoll_wait', C.WAIT | C.SYSCALL, F.WAITS | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('maxevents', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_POLL_E', 'poll', C.WAIT | C.SYSCALL, F.WAITS | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fds', 'FDLIST', 'DEC'), p('timeout', 'INT64', 'DEC'),
  ]),
  ev('SYSCALL_POLL_X', 'poll', C.WAIT | C.SYSCALL, F.WAITS | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fds', 'FDLIST', 'DEC'), p('timeout', 'INT64', 'DEC'),
  ]),
  ev('SYSCALL_SELECT_E', 'select', C.WAIT | C.SYSCALL, F.WAITS | F.OLD_VERSION),
  ev('SYSCALL_SELECT_X', 'select', C.WAIT | C.SYSCALL, F.WAITS, [p('res', 'ERRNO', 'DEC')]),
  ev('SYSCALL_NEWSELECT_E', 'select', C.WAIT | C.SYSCALL, F.WAITS | F.OLD_VERSION),
  ev('SYSCALL_NEWSELECT_X', 'select', C.WAIT | C.SYSCALL,
    F.WAITS | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_LSEEK_E', 'lseek', C.FILE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
    p('whence', 'ENUMFLAGS8', 'DEC', 'lseek_whence'),
  ]),
  ev('SYSCALL_LSEEK_X', 'lseek', C.FILE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
    p('whence', 'ENUMFLAGS8', 'DEC', 'lseek_whence'),
  ]),
  ev('SYSCALL_LLSEEK_E', 'llseek', C.FILE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
    p('whence', 'ENUMFLAGS8', 'DEC', 'lseek_whence'),
  ]),
  ev('SYSCALL_LLSEEK_X', 'llseek', C.FILE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
    p('whence', 'ENUMFLAGS8', 'DEC', 'lseek_whence'),
  ]),
  ev('SYSCALL_IOCTL_2_E', 'ioctl', C.IO_OTHER | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('request', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_IOCTL_2_X', 'ioctl', C.IO_OTHER | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_GETCWD_E', 'getcwd', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETCWD_X', 'getcwd', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'CHARBUF'),
  ]),
  ev('SYSCALL_CHDIR_E', 'chdir', C.FILE | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CHDIR_X', 'chdir', C.FILE | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'CHARBUF'),
  ]),
  ev('SYSCALL_FCHDIR_E', 'fchdir', C.FILE | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD'),
  ]),
  ev('SYSCALL_FCHDIR_X', 'fchdir', C.FILE | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD'),
  ]),
  ev('SYSCALL_MKDIR_E', 'mkdir', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('path', 'FSPATH'), p('mode', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_MKDIR_X', 'mkdir', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_RMDIR_E', 'rmdir', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_RMDIR_X', 'rmdir', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_OPENAT_E', 'openat', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('dirfd', 'FD', 'DEC'), p('name', 'CHARBUF'), p('flags', 'FLAGS32', 'HEX', 'file_flags'),
    p('mode', 'UINT32', 'OCT'),
  ]),
  ev('SYSCALL_OPENAT_X', 'openat', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_LINK_E', 'link', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('oldpath', 'FSPATH'), p('newpath', 'FSPATH'),
  ]),
  ev('SYSCALL_LINK_X', 'link', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_LINKAT_E', 'linkat', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('olddir', 'FD', 'DEC'), p('oldpath', 'CHARBUF'), p('newdir', 'FD', 'DEC'),
    p('newpath', 'CHARBUF'),
  ]),
  ev('SYSCALL_LINKAT_X', 'linkat', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_UNLINK_E', 'unlink', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_UNLINK_X', 'unlink', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_UNLINKAT_E', 'unlinkat', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('dirfd', 'FD', 'DEC'), p('name', 'CHARBUF'),
  ]),
  ev('SYSCALL_UNLINKAT_X', 'unlinkat', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_PREAD_E', 'pread', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_PREAD_X', 'pread', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_PWRITE_E', 'pwrite', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_PWRITE_X', 'pwrite', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_READV_E', 'readv', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_READV_X', 'readv', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('size', 'UINT32', 'DEC'), p('data', 'BYTEBUF'),
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_WRITEV_E', 'writev', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_WRITEV_X', 'writev', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_PREADV_E', 'preadv', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_PREADV_X', 'preadv', C.IO_READ | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('size', 'UINT32', 'DEC'), p('data', 'BYTEBUF'),
    p('fd', 'FD', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_PWRITEV_E', 'pwritev', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('size', 'UINT32', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_PWRITEV_X', 'pwritev', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.WRITES_TO_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('data', 'BYTEBUF'), p('fd', 'FD', 'DEC'),
    p('size', 'UINT32', 'DEC'), p('pos', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_DUP_E', 'dup', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_DUP_X', 'dup', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_SIGNALFD_E', 'signalfd', C.SIGNAL | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('mask', 'UINT32', 'HEX'), p('flags', 'UINT8', 'HEX'),
  ]),
  ev('SYSCALL_SIGNALFD_X', 'signalfd', C.SIGNAL | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('fd', 'FD', 'DEC'), p('mask', 'UINT32', 'HEX'),
    p('flags', 'UINT8', 'HEX'),
  ]),
  ev('SYSCALL_KILL_E', 'kill', C.SIGNAL | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('pid', 'PID', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
  ]),
  ev('SYSCALL_KILL_X', 'kill', C.SIGNAL | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('pid', 'PID', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
  ]),
  ev('SYSCALL_TKILL_E', 'tkill', C.SIGNAL | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('tid', 'PID', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
  ]),
  ev('SYSCALL_TKILL_X', 'tkill', C.SIGNAL | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('tid', 'PID', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
  ]),
  ev('SYSCALL_TGKILL_E', 'tgkill', C.SIGNAL | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('pid', 'PID', 'DEC'), p('tid', 'PID', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
  ]),
  ev('SYSCALL_TGKILL_X', 'tgkill', C.SIGNAL | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('pid', 'PID', 'DEC'), p('tid', 'PID', 'DEC'),
    p('sig', 'SIGTYPE', 'DEC'),
  ]),
  ev('SYSCALL_NANOSLEEP_E', 'nanosleep', C.SLEEP | C.SYSCALL,
    F.WAITS | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('interval', 'RELTIME', 'DEC'),
  ]),
  ev('SYSCALL_NANOSLEEP_X', 'nanosleep', C.SLEEP | C.SYSCALL, F.WAITS | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('interval', 'RELTIME', 'DEC'),
  ]),
  ev('SYSCALL_TIMERFD_CREATE_E', 'timerfd_create', C.TIME | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('clockid', 'UINT8', 'DEC'), p('flags', 'UINT8', 'HEX'),
  ]),
  ev('SYSCALL_TIMERFD_CREATE_X', 'timerfd_create', C.TIME | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('clockid', 'UINT8', 'DEC'), p('flags', 'UINT8', 'HEX'),
  ]),
  ev('SYSCALL_INOTIFY_INIT_E', 'inotify_init', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'UINT8', 'HEX'),
  ]),
  ev('SYSCALL_INOTIFY_INIT_X', 'inotify_init', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('flags', 'UINT8', 'HEX'),
  ]),
  ev('SYSCALL_GETRLIMIT_E', 'getrlimit', C.PROCESS | C.SYSCALL,
    F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources'),
  ]),
  ev('SYSCALL_GETRLIMIT_X', 'getrlimit', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('cur', 'INT64', 'DEC'), p('max', 'INT64', 'DEC'),
    p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources'),
  ]),
  ev('SYSCALL_SETRLIMIT_E', 'setrlimit', C.PROCESS | C.SYSCALL,
    F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources'),
  ]),
  ev('SYSCALL_SETRLIMIT_X', 'setrlimit', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('cur', 'INT64', 'DEC'), p('max', 'INT64', 'DEC'),
    p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources'),
  ]),
  ev('SYSCALL_PRLIMIT_E', 'prlimit', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('pid', 'PID', 'DEC'), p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources'),
  ]),
  ev('SYSCALL_PRLIMIT_X', 'prlimit', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('newcur', 'INT64', 'DEC'), p('newmax', 'INT64', 'DEC'),
    p('oldcur', 'INT64', 'DEC'), p('oldmax', 'INT64', 'DEC'), p('pid', 'INT64', 'DEC'),
    p('resource', 'ENUMFLAGS8', 'DEC', 'rlimit_resources'),
  ]),
  ev('SCHEDSWITCH_1_E', 'switch', C.SCHEDULER | C.TRACEPOINT,
    F.SKIPPARSERESET | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('next', 'PID', 'DEC'),
  ]),
  unused('SCHEDSWITCH_1_X'),
  ev('DROP_E', 'drop', C.INTERNAL | C.METAEVENT, F.SKIPPARSERESET, [p('ratio', 'UINT32', 'DEC')]),
  ev('DROP_X', 'drop', C.INTERNAL | C.METAEVENT, F.SKIPPARSERESET, [p('ratio', 'UINT32', 'DEC')]),
  ev('SYSCALL_FCNTL_E', 'fcntl', C.IO_OTHER | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('cmd', 'ENUMFLAGS8', 'DEC', 'fcntl_commands'),
  ]),
  ev('SYSCALL_FCNTL_X', 'fcntl', C.IO_OTHER | C.SYSCALL,
    F.USES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('fd', 'FD', 'DEC'), p('cmd', 'ENUMFLAGS8', 'DEC', 'fcntl_commands'),
    p('arg', 'UINT64', 'HEX'),
  ]),
  ev('SCHEDSWITCH_6_E', 'switch', C.SCHEDULER | C.TRACEPOINT, F.NONE, [
    p('next', 'PID', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
  ]),
  unused('SCHEDSWITCH_6_X'),
  ev('SYSCALL_EXECVE_13_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  ev('SYSCALL_EXECVE_13_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
  ]),
];
