// Event types 316..453 of the scap event table (libs 48dfd53, driver/event_table.c).
// Pure data, in id order; see events.ts for the rules that govern changes.

import { C, DYN_KEYCTL, F, ev, p, unused } from './event-build.js';
import type { EventInfo } from './types.js';

export const EVENTS_C: readonly EventInfo[] = [
  ev('SYSCALL_FCHMOD_E', 'fchmod', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_FCHMOD_X', 'fchmod', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('mode', 'MODE', 'OCT', 'chmod_mode'),
  ]),
  ev('SYSCALL_RENAMEAT2_E', 'renameat2', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_RENAMEAT2_X', 'renameat2', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('olddirfd', 'FD', 'DEC'), p('oldpath', 'FSRELPATH', 'NA', 1),
    p('newdirfd', 'FD', 'DEC'), p('newpath', 'FSRELPATH', 'NA', 3),
    p('flags', 'FLAGS32', 'HEX', 'renameat2_flags'),
  ]),
  ev('SYSCALL_USERFAULTFD_E', 'userfaultfd', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_USERFAULTFD_X', 'userfaultfd', C.FILE | C.SYSCALL, F.CREATES_FD | F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'file_flags'),
  ]),
  ev('PLUGINEVENT_E', 'pluginevent', C.OTHER | C.PLUGIN, F.LARGE_PAYLOAD, [
    p('plugin_id', 'UINT32', 'DEC'), p('event_data', 'BYTEBUF'),
  ]),
  unused('PLUGINEVENT_X'),
  ev('CONTAINER_JSON_2_E', 'container', C.PROCESS | C.METAEVENT,
    F.MODIFIES_STATE | F.LARGE_PAYLOAD, [
    p('json', 'CHARBUF'),
  ]),
  unused('CONTAINER_JSON_2_X'),
  ev('SYSCALL_OPENAT2_E', 'openat2', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('dirfd', 'FD', 'DEC'), p('name', 'FSRELPATH', 'NA', 0),
    p('flags', 'FLAGS32', 'HEX', 'file_flags'), p('mode', 'UINT32', 'OCT'),
    p('resolve', 'FLAGS32', 'HEX', 'openat2_flags'),
  ]),
  ev('SYSCALL_OPENAT2_X', 'openat2', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('dirfd', 'FD', 'DEC'), p('name', 'FSRELPATH', 'NA', 1),
    p('flags', 'FLAGS32', 'HEX', 'file_flags'), p('mode', 'UINT32', 'OCT'),
    p('resolve', 'FLAGS32', 'HEX', 'openat2_flags'), p('dev', 'UINT32', 'HEX'),
    p('ino', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MPROTECT_E', 'mprotect', C.MEMORY | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
    p('prot', 'FLAGS32', 'HEX', 'prot_flags'),
  ]),
  ev('SYSCALL_MPROTECT_X', 'mprotect', C.MEMORY | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
    p('prot', 'FLAGS32', 'HEX', 'prot_flags'),
  ]),
  ev('SYSCALL_EXECVEAT_E', 'execveat', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('dirfd', 'FD', 'DEC'), p('pathname', 'FSRELPATH', 'NA', 0),
    p('flags', 'FLAGS32', 'HEX', 'execveat_flags'),
  ]),
  ev('SYSCALL_EXECVEAT_X', 'execveat', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('env', 'BYTEBUF'), p('tty', 'UINT32', 'DEC'),
    p('vpgid', 'PID', 'DEC'), p('loginuid', 'UID', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'execve_flags'), p('cap_inheritable', 'UINT64', 'HEX'),
    p('cap_permitted', 'UINT64', 'HEX'), p('cap_effective', 'UINT64', 'HEX'),
    p('exe_ino', 'UINT64', 'DEC'), p('exe_ino_ctime', 'ABSTIME', 'DEC'),
    p('exe_ino_mtime', 'ABSTIME', 'DEC'), p('uid', 'UID', 'DEC'), p('trusted_exepath', 'FSPATH'),
    p('pgid', 'PID'), p('gid', 'GID', 'DEC'),
  ]),
  ev('SYSCALL_COPY_FILE_RANGE_E', 'copy_file_range', C.FILE | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.WRITES_TO_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fdin', 'FD', 'DEC'), p('offin', 'UINT64', 'DEC'), p('len', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_COPY_FILE_RANGE_X', 'copy_file_range', C.FILE | C.SYSCALL,
    F.USES_FD | F.READS_FROM_FD | F.WRITES_TO_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fdout', 'FD', 'DEC'), p('offout', 'UINT64', 'DEC'),
    p('fdin', 'FD', 'DEC'), p('offin', 'UINT64', 'DEC'), p('len', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_CLONE3_E', 'clone3', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CLONE3_X', 'clone3', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'), p('vtid', 'PID', 'DEC'),
    p('vpid', 'PID', 'DEC'), p('pidns_init_start_ts', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_OPEN_BY_HANDLE_AT_E', 'open_by_handle_at', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_OPEN_BY_HANDLE_AT_X', 'open_by_handle_at', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE, [
    p('fd', 'FD', 'DEC'), p('mountfd', 'FD', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'file_flags'),
    p('path', 'FSPATH'), p('dev', 'UINT32', 'HEX'), p('ino', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_IO_URING_SETUP_E', 'io_uring_setup', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_IO_URING_SETUP_X', 'io_uring_setup', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('entries', 'UINT32', 'DEC'), p('sq_entries', 'UINT32', 'DEC'),
    p('cq_entries', 'UINT32', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'io_uring_setup_flags'),
    p('sq_thread_cpu', 'UINT32', 'DEC'), p('sq_thread_idle', 'UINT32', 'DEC'),
    p('features', 'FLAGS32', 'HEX', 'io_uring_setup_feats'),
  ]),
  ev('SYSCALL_IO_URING_ENTER_E', 'io_uring_enter', C.IO_OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_IO_URING_ENTER_X', 'io_uring_enter', C.IO_OTHER | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('to_submit', 'UINT32', 'DEC'),
    p('min_complete', 'UINT32', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'io_uring_enter_flags'),
    p('sig', 'SIGSET', 'DEC'),
  ]),
  ev('SYSCALL_IO_URING_REGISTER_E', 'io_uring_register', C.IO_OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_IO_URING_REGISTER_X', 'io_uring_register', C.IO_OTHER | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'),
    p('opcode', 'ENUMFLAGS16', 'DEC', 'io_uring_register_opcodes'), p('arg', 'UINT64', 'HEX'),
    p('nr_args', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_MLOCK_E', 'mlock', C.MEMORY | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MLOCK_X', 'mlock', C.MEMORY | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'UINT64', 'HEX'), p('len', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MUNLOCK_E', 'munlock', C.MEMORY | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MUNLOCK_X', 'munlock', C.MEMORY | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'UINT64', 'HEX'), p('len', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MLOCKALL_E', 'mlockall', C.MEMORY | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MLOCKALL_X', 'mlockall', C.MEMORY | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'mlockall_flags'),
  ]),
  ev('SYSCALL_MUNLOCKALL_E', 'munlockall', C.MEMORY | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MUNLOCKALL_X', 'munlockall', C.MEMORY | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'),
  ]),
  ev('SYSCALL_CAPSET_E', 'capset', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CAPSET_X', 'capset', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('cap_inheritable', 'UINT64', 'HEX'),
    p('cap_permitted', 'UINT64', 'HEX'), p('cap_effective', 'UINT64', 'HEX'),
  ]),
  ev('USER_ADDED_E', 'useradded', C.PROCESS | C.METAEVENT, F.MODIFIES_STATE, [
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'), p('name', 'CHARBUF'),
    p('home', 'CHARBUF'), p('shell', 'CHARBUF'), p('container_id', 'CHARBUF'),
  ]),
  unused('USER_ADDED_X'),
  ev('USER_DELETED_E', 'userdeleted', C.PROCESS | C.METAEVENT, F.MODIFIES_STATE, [
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'), p('name', 'CHARBUF'),
    p('home', 'CHARBUF'), p('shell', 'CHARBUF'), p('container_id', 'CHARBUF'),
  ]),
  unused('USER_DELETED_X'),
  ev('GROUP_ADDED_E', 'groupadded', C.PROCESS | C.METAEVENT, F.MODIFIES_STATE, [
    p('gid', 'UINT32', 'DEC'), p('name', 'CHARBUF'), p('container_id', 'CHARBUF'),
  ]),
  unused('GROUP_ADDED_X'),
  ev('GROUP_DELETED_E', 'groupdeleted', C.PROCESS | C.METAEVENT, F.MODIFIES_STATE, [
    p('gid', 'UINT32', 'DEC'), p('name', 'CHARBUF'), p('container_id', 'CHARBUF'),
  ]),
  unused('GROUP_DELETED_X'),
  ev('SYSCALL_DUP2_E', 'dup2', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_DUP2_X', 'dup2', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE, [
    p('res', 'FD', 'DEC'), p('oldfd', 'FD', 'DEC'), p('newfd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_DUP3_E', 'dup3', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_DUP3_X', 'dup3', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE, [
    p('res', 'FD', 'DEC'), p('oldfd', 'FD', 'DEC'), p('newfd', 'FD', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'file_flags'),
  ]),
  ev('SYSCALL_DUP_1_E', 'dup', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE | F.OLD_VERSION, [
    p('fd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_DUP_1_X', 'dup', C.IO_OTHER | C.SYSCALL,
    F.CREATES_FD | F.USES_FD | F.MODIFIES_STATE, [
    p('res', 'FD', 'DEC'), p('oldfd', 'FD', 'DEC'),
  ]),
  ev('SYSCALL_BPF_2_E', 'bpf', C.OTHER | C.SYSCALL, F.CREATES_FD | F.OLD_VERSION, [
    p('cmd', 'INT64', 'DEC'),
  ]),
  ev('SYSCALL_BPF_2_X', 'bpf', C.OTHER | C.SYSCALL, F.CREATES_FD, [
    p('fd', 'FD', 'DEC'), p('cmd', 'ENUMFLAGS32', 'DEC', 'bpf_commands'),
  ]),
  ev('SYSCALL_MLOCK2_E', 'mlock2', C.MEMORY | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MLOCK2_X', 'mlock2', C.MEMORY | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'UINT64', 'HEX'), p('len', 'UINT64', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'mlock2_flags'),
  ]),
  ev('SYSCALL_FSCONFIG_E', 'fsconfig', C.SYSTEM | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_FSCONFIG_X', 'fsconfig', C.SYSTEM | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('cmd', 'ENUMFLAGS32', 'DEC', 'fsconfig_cmds'),
    p('key', 'CHARBUF'), p('value_bytebuf', 'BYTEBUF'), p('value_charbuf', 'CHARBUF'),
    p('aux', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_EPOLL_CREATE_E', 'epoll_create', C.WAIT | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('size', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_EPOLL_CREATE_X', 'epoll_create', C.WAIT | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('size', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_EPOLL_CREATE1_E', 'epoll_create1', C.WAIT | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'FLAGS32', 'HEX', 'epoll_create1_flags'),
  ]),
  ev('SYSCALL_EPOLL_CREATE1_X', 'epoll_create1', C.WAIT | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'epoll_create1_flags'),
  ]),
  ev('SYSCALL_CHOWN_E', 'chown', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_CHOWN_X', 'chown', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_LCHOWN_E', 'lchown', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_LCHOWN_X', 'lchown', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_FCHOWN_E', 'fchown', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_FCHOWN_X', 'fchown', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_FCHOWNAT_E', 'fchownat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_FCHOWNAT_X', 'fchownat', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('dirfd', 'FD', 'DEC'), p('pathname', 'FSRELPATH', 'NA', 1),
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'fchownat_flags'),
  ]),
  ev('SYSCALL_UMOUNT_1_E', 'umount', C.FILE | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_UMOUNT_1_X', 'umount', C.FILE | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('name', 'FSPATH'),
  ]),
  ev('SOCKET_ACCEPT4_6_E', 'accept4', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'INT32', 'HEX'),
  ]),
  ev('SOCKET_ACCEPT4_6_X', 'accept4', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('tuple', 'SOCKTUPLE'), p('queuepct', 'UINT8', 'DEC'),
    p('queuelen', 'UINT32', 'DEC'), p('queuemax', 'UINT32', 'DEC'), p('flags', 'INT32', 'HEX'),
  ]),
  ev('SYSCALL_UMOUNT2_E', 'umount2', C.FILE | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'FLAGS32', 'HEX', 'umount_flags'),
  ]),
  ev('SYSCALL_UMOUNT2_X', 'umount2', C.FILE | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('name', 'FSPATH'), p('flags', 'FLAGS32', 'HEX', 'umount_flags'),
  ]),
  ev('SYSCALL_PIPE2_E', 'pipe2', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_PIPE2_X', 'pipe2', C.IPC | C.SYSCALL, F.CREATES_FD | F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('fd1', 'FD', 'DEC'), p('fd2', 'FD', 'DEC'),
    p('ino', 'UINT64', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'file_flags'),
  ]),
  ev('SYSCALL_INOTIFY_INIT1_E', 'inotify_init1', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_INOTIFY_INIT1_X', 'inotify_init1', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE, [
    p('res', 'FD', 'DEC'), p('flags', 'FLAGS16', 'HEX', 'file_flags'),
  ]),
  ev('SYSCALL_EVENTFD2_E', 'eventfd2', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('initval', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_EVENTFD2_X', 'eventfd2', C.IPC | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('flags', 'FLAGS16', 'HEX', 'file_flags'),
    p('initval', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_SIGNALFD4_E', 'signalfd4', C.SIGNAL | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('mask', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_SIGNALFD4_X', 'signalfd4', C.SIGNAL | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'FD', 'DEC'), p('flags', 'FLAGS16', 'HEX', 'file_flags'), p('fd', 'FD', 'DEC'),
    p('mask', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_PRCTL_E', 'prctl', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_PRCTL_X', 'prctl', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('option', 'ENUMFLAGS32', 'DEC', 'prctl_options'),
    p('arg2_str', 'CHARBUF'), p('arg2_int', 'INT64', 'DEC'),
  ]),
  ev('ASYNCEVENT_E', 'asyncevent', C.OTHER | C.METAEVENT, F.LARGE_PAYLOAD, [
    p('plugin_id', 'UINT32', 'DEC'), p('name', 'CHARBUF'), p('data', 'BYTEBUF'),
  ]),
  unused('ASYNCEVENT_X'),
  ev('SYSCALL_MEMFD_CREATE_E', 'memfd_create', C.MEMORY | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_MEMFD_CREATE_X', 'memfd_create', C.MEMORY | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE, [
    p('fd', 'FD', 'DEC'), p('name', 'CHARBUF'), p('flags', 'FLAGS32', 'HEX', 'memfd_create_flags'),
  ]),
  ev('SYSCALL_PIDFD_GETFD_E', 'pidfd_getfd', C.PROCESS | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_PIDFD_GETFD_X', 'pidfd_getfd', C.PROCESS | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE, [
    p('fd', 'FD', 'DEC'), p('pid_fd', 'FD', 'DEC'), p('target_fd', 'FD', 'DEC'),
    p('flags', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_PIDFD_OPEN_E', 'pidfd_open', C.PROCESS | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_PIDFD_OPEN_X', 'pidfd_open', C.PROCESS | C.SYSCALL, F.CREATES_FD | F.MODIFIES_STATE, [
    p('fd', 'FD', 'DEC'), p('pid', 'PID', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'pidfd_open_flags'),
  ]),
  ev('SYSCALL_INIT_MODULE_E', 'init_module', C.OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_INIT_MODULE_X', 'init_module', C.OTHER | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('img', 'BYTEBUF'), p('length', 'UINT64', 'DEC'),
    p('uargs', 'CHARBUF'),
  ]),
  ev('SYSCALL_FINIT_MODULE_E', 'finit_module', C.OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_FINIT_MODULE_X', 'finit_module', C.OTHER | C.SYSCALL, F.USES_FD | F.READS_FROM_FD, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('uargs', 'CHARBUF'),
    p('flags', 'FLAGS32', 'HEX', 'finit_module_flags'),
  ]),
  ev('SYSCALL_MKNOD_E', 'mknod', C.OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MKNOD_X', 'mknod', C.OTHER | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'), p('mode', 'MODE', 'OCT', 'mknod_mode'),
    p('dev', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_MKNODAT_E', 'mknodat', C.OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MKNODAT_X', 'mknodat', C.OTHER | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('dirfd', 'FD', 'DEC'), p('path', 'FSRELPATH', 'NA', 1),
    p('mode', 'MODE', 'OCT', 'mknod_mode'), p('dev', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_NEWFSTATAT_E', 'newfstatat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_NEWFSTATAT_X', 'newfstatat', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('dirfd', 'FD', 'DEC'), p('path', 'FSRELPATH', 'NA', 1),
    p('flags', 'FLAGS32', 'HEX', 'newfstatat_flags'),
  ]),
  ev('SYSCALL_PROCESS_VM_READV_E', 'process_vm_readv', C.IPC | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_PROCESS_VM_READV_X', 'process_vm_readv', C.IPC | C.SYSCALL, F.NONE, [
    p('res', 'INT64', 'DEC'), p('pid', 'PID', 'DEC'), p('data', 'BYTEBUF'),
  ]),
  ev('SYSCALL_PROCESS_VM_WRITEV_E', 'process_vm_writev', C.IPC | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_PROCESS_VM_WRITEV_X', 'process_vm_writev', C.IPC | C.SYSCALL, F.NONE, [
    p('res', 'INT64', 'DEC'), p('pid', 'PID', 'DEC'), p('data', 'BYTEBUF'),
  ]),
  ev('SYSCALL_DELETE_MODULE_E', 'delete_module', C.OTHER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_DELETE_MODULE_X', 'delete_module', C.OTHER | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('name', 'CHARBUF'),
    p('flags', 'FLAGS32', 'HEX', 'delete_module_flags'),
  ]),
  ev('SYSCALL_SETREUID_E', 'setreuid', C.USER | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_SETREUID_X', 'setreuid', C.USER | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('ruid', 'UID', 'DEC'), p('euid', 'UID', 'DEC'),
  ]),
  ev('SYSCALL_SETREGID_E', 'setregid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_SETREGID_X', 'setregid', C.USER | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('rgid', 'UID', 'DEC'), p('egid', 'UID', 'DEC'),
  ]),
  ev('ITER_TASK_E', 'task', C.PROCESS | C.ITER, F.MODIFIES_STATE, [
    p('ppid', 'PID32', 'DEC'), p('pgid', 'PID32', 'DEC'), p('vpgid', 'PID32', 'DEC'),
    p('sid', 'PID32', 'DEC'), p('comm', 'CHARBUF'), p('argv', 'CHARBUFARRAY'),
    p('exepath', 'FSPATH'), p('flags', 'FLAGS32', 'HEX', 'execve_flags'), p('env', 'CHARBUFARRAY'),
    p('cwd', 'CHARBUF'), p('fdlimit', 'UINT64', 'DEC'), p('euid', 'UID', 'DEC'),
    p('egid', 'GID', 'DEC'), p('cap_permitted', 'UINT64', 'HEX'),
    p('cap_effective', 'UINT64', 'HEX'), p('cap_inheritable', 'UINT64', 'HEX'),
    p('exe_ino_num', 'UINT64', 'DEC'), p('exe_ino_ctime', 'ABSTIME', 'DEC'),
    p('exe_ino_mtime', 'ABSTIME', 'DEC'), p('vm_size', 'UINT32', 'DEC'),
    p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'),
    p('pgft_min', 'UINT64', 'DEC'), p('vtgid', 'PID32', 'DEC'), p('vpid', 'PID32', 'DEC'),
    p('pidns_init_start_ts', 'UINT64', 'DEC'), p('cgroups', 'CHARBUFARRAY'), p('root', 'FSPATH'),
    p('start_time', 'ABSTIME', 'DEC'), p('tty', 'UINT32', 'DEC'), p('loginuid', 'UID', 'DEC'),
  ]),
  unused('ITER_TASK_X'),
  ev('ITER_TASK_FILE_PIPE_E', 'task_file_pipe', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('path', 'FSPATH'), p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_PIPE_X'),
  ev('ITER_TASK_FILE_MEMFD_E', 'task_file_memfd', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('path', 'FSPATH'), p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_MEMFD_X'),
  ev('ITER_TASK_FILE_REGULAR_E', 'task_file_regular', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('path', 'FSPATH'), p('flags', 'FLAGS32', 'HEX', 'file_flags'),
    p('mnt_id', 'UINT32', 'DEC'), p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_REGULAR_X'),
  ev('ITER_TASK_FILE_DIRECTORY_E', 'task_file_directory', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('path', 'FSPATH'), p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_DIRECTORY_X'),
  ev('ITER_TASK_FILE_SOCKET_INET_E', 'task_file_socket_inet', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('sk_type', 'UINT16', 'DEC'), p('sk_proto', 'UINT16', 'DEC'),
    p('local_ip', 'IPV4ADDR', 'HEX'), p('local_port', 'PORT', 'HEX'),
    p('remote_ip', 'IPV4ADDR', 'HEX'), p('remote_port', 'PORT', 'HEX'),
    p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_SOCKET_INET_X'),
  ev('ITER_TASK_FILE_SOCKET_INET6_E', 'task_file_socket_inet6', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('sk_type', 'UINT16', 'DEC'), p('sk_proto', 'UINT16', 'DEC'),
    p('local_ip', 'IPV6ADDR', 'HEX'), p('local_port', 'PORT', 'HEX'),
    p('remote_ip', 'IPV6ADDR', 'HEX'), p('remote_port', 'PORT', 'HEX'),
    p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_SOCKET_INET6_X'),
  ev('ITER_TASK_FILE_SOCKET_UNIX_E', 'task_file_socket_unix', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('sk_type', 'UINT16', 'DEC'), p('sk_proto', 'UINT16', 'DEC'),
    p('sk_pointer', 'UINT64'), p('sun_path', 'FSPATH'), p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_SOCKET_UNIX_X'),
  ev('ITER_TASK_FILE_SOCKET_NETLINK_E', 'task_file_socket_netlink', C.FILE | C.ITER,
    F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('sk_type', 'UINT16', 'DEC'), p('sk_proto', 'UINT16', 'DEC'),
    p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_SOCKET_NETLINK_X'),
  ev('ITER_TASK_FILE_ANON_INODE_E', 'task_file_anon_inode', C.FILE | C.ITER, F.MODIFIES_STATE, [
    p('fd', 'FD32', 'DEC'), p('fd_type', 'FLAGS8', 'DEC', 'anon_inode_fd_types'),
    p('path', 'FSPATH'), p('ino_num', 'UINT64', 'DEC'),
  ]),
  unused('ITER_TASK_FILE_ANON_INODE_X'),
  unused('SYSCALL_CLOSE_RANGE_E'),
  ev('SYSCALL_CLOSE_RANGE_X', 'close_range', C.IO_OTHER | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('first', 'UINT32', 'DEC'), p('last', 'UINT32', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'close_range_flags'),
  ]),
  unused('SYSCALL_KEYCTL_E'),
  ev('SYSCALL_KEYCTL_X', 'keyctl', C.OTHER | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('operation', 'ENUMFLAGS32', 'DEC', 'keyctl_operations'),
    p('arg2', 'DYN', 'DEC', DYN_KEYCTL), p('arg3', 'DYN', 'DEC', DYN_KEYCTL),
    p('arg4', 'DYN', 'DEC', DYN_KEYCTL), p('arg5', 'DYN', 'DEC', DYN_KEYCTL),
  ]),
];
