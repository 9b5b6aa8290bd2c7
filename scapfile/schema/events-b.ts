// Event types 156..315 of the scap event table (libs 48dfd53, driver/event_table.c).
// Pure data, in id order; see events.ts for the rules that govern changes.

import { C, DYN_BPF, DYN_PTRACE, F, ev, p, unused } from './event-build.js';
import type { EventInfo } from './types.js';

export const EVENTS_B: readonly EventInfo[] = [
  ev('SYSCALL_CLONE_16_E', 'clone', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CLONE_16_X', 'clone', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_BRK_4_E', 'brk', C.MEMORY | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('addr', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_BRK_4_X', 'brk', C.MEMORY | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'UINT64', 'HEX'), p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'),
    p('vm_swap', 'UINT32', 'DEC'), p('addr', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_MMAP_E', 'mmap', C.MEMORY | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
    p('prot', 'FLAGS32', 'HEX', 'prot_flags'), p('flags', 'FLAGS32', 'HEX', 'mmap_flags'),
    p('fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MMAP_X', 'mmap', C.MEMORY | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'HEX'), p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'),
    p('vm_swap', 'UINT32', 'DEC'), p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
    p('prot', 'FLAGS32', 'HEX', 'prot_flags'), p('flags', 'FLAGS32', 'HEX', 'mmap_flags'),
    p('fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MMAP2_E', 'mmap2', C.MEMORY | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
    p('prot', 'FLAGS32', 'HEX', 'prot_flags'), p('flags', 'FLAGS32', 'HEX', 'mmap_flags'),
    p('fd', 'FD', 'DEC'), p('pgoffset', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MMAP2_X', 'mmap2', C.MEMORY | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'HEX'), p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'),
    p('vm_swap', 'UINT32', 'DEC'), p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
    p('prot', 'FLAGS32', 'HEX', 'prot_flags'), p('flags', 'FLAGS32', 'HEX', 'mmap_flags'),
    p('fd', 'FD', 'DEC'), p('pgoffset', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MUNMAP_E', 'munmap', C.MEMORY | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_MUNMAP_X', 'munmap', C.MEMORY | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'),
    p('vm_swap', 'UINT32', 'DEC'), p('addr', 'UINT64', 'HEX'), p('length', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_SPLICE_E', 'splice', C.IO_OTHER | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd_in', 'FD', 'DEC'), p('fd_out', 'FD', 'DEC'), p('size', 'UINT64', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'splice_flags'),
  ]),
  ev('SYSCALL_SPLICE_X', 'splice', C.IO_OTHER | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd_in', 'FD', 'DEC'), p('fd_out', 'FD', 'DEC'),
    p('size', 'UINT64', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'splice_flags'),
  ]),
  ev('SYSCALL_PTRACE_E', 'ptrace', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('request', 'ENUMFLAGS16', 'DEC', 'ptrace_requests'), p('pid', 'PID', 'DEC'),
  ]),
  ev('SYSCALL_PTRACE_X', 'ptrace', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('addr', 'DYN', 'HEX', DYN_PTRACE),
    p('data', 'DYN', 'HEX', DYN_PTRACE), p('request', 'ENUMFLAGS16', 'DEC', 'ptrace_requests'),
    p('pid', 'PID', 'DEC'),
  ]),
  ev('SYSCALL_IOCTL_3_E', 'ioctl', C.IO_OTHER | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('request', 'UINT64', 'HEX'), p('argument', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_IOCTL_3_X', 'ioctl', C.IO_OTHER | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD', 'DEC'), p('request', 'UINT64', 'HEX'),
    p('argument', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_EXECVE_14_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  ev('SYSCALL_EXECVE_14_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('env', 'BYTEBUF'),
  ]),
  ev('SYSCALL_RENAME_E', 'rename', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_RENAME_X', 'rename', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('oldpath', 'FSPATH'), p('newpath', 'FSPATH'),
  ]),
  ev('SYSCALL_RENAMEAT_E', 'renameat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_RENAMEAT_X', 'renameat', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('olddirfd', 'FD', 'DEC'), p('oldpath', 'FSRELPATH', 'NA', 1),
    p('newdirfd', 'FD', 'DEC'), p('newpath', 'FSRELPATH', 'NA', 3),
  ]),
  ev('SYSCALL_SYMLINK_E', 'symlink', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_SYMLINK_X', 'symlink', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('target', 'CHARBUF'), p('linkpath', 'FSPATH'),
  ]),
  ev('SYSCALL_SYMLINKAT_E', 'symlinkat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_SYMLINKAT_X', 'symlinkat', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('target', 'CHARBUF'), p('linkdirfd', 'FD', 'DEC'),
    p('linkpath', 'FSRELPATH', 'NA', 2),
  ]),
  ev('SYSCALL_FORK_E', 'fork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_FORK_X', 'fork', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_VFORK_E', 'vfork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_VFORK_X', 'vfork', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('PROCEXIT_1_E', 'procexit', C.PROCESS | C.TRACEPOINT, F.MODIFIES_STATE, [
    p('status', 'ERRNO', 'DEC'), p('ret', 'ERRNO', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
    p('core', 'UINT8', 'DEC'), p('reaper_tid', 'PID', 'DEC'),
  ]),
  unused('PROCEXIT_1_X'),
  ev('SYSCALL_SENDFILE_E', 'sendfile', C.IO_WRITE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('out_fd', 'FD', 'DEC'), p('in_fd', 'FD', 'DEC'), p('offset', 'UINT64', 'DEC'),
    p('size', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_SENDFILE_X', 'sendfile', C.IO_WRITE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('offset', 'UINT64', 'DEC'), p('out_fd', 'FD', 'DEC'),
    p('in_fd', 'FD', 'DEC'), p('size', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_QUOTACTL_E', 'quotactl', C.USER | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('cmd', 'FLAGS16', 'DEC', 'quotactl_cmds'), p('type', 'FLAGS8', 'DEC', 'quotactl_types'),
    p('id', 'UINT32', 'DEC'), p('quota_fmt', 'FLAGS8', 'DEC', 'quotactl_quota_fmts'),
  ]),
  ev('SYSCALL_QUOTACTL_X', 'quotactl', C.USER | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('special', 'CHARBUF'), p('quotafilepath', 'CHARBUF'),
    p('dqb_bhardlimit', 'UINT64', 'DEC'), p('dqb_bsoftlimit', 'UINT64', 'DEC'),
    p('dqb_curspace', 'UINT64', 'DEC'), p('dqb_ihardlimit', 'UINT64', 'DEC'),
    p('dqb_isoftlimit', 'UINT64', 'DEC'), p('dqb_btime', 'RELTIME', 'DEC'),
    p('dqb_itime', 'RELTIME', 'DEC'), p('dqi_bgrace', 'RELTIME', 'DEC'),
    p('dqi_igrace', 'RELTIME', 'DEC'), p('dqi_flags', 'FLAGS8', 'DEC', 'quotactl_dqi_flags'),
    p('quota_fmt_out', 'FLAGS8', 'DEC', 'quotactl_quota_fmts'),
    p('cmd', 'FLAGS16', 'DEC', 'quotactl_cmds'), p('type', 'FLAGS8', 'DEC', 'quotactl_types'),
    p('id', 'UINT32', 'DEC'), p('quota_fmt', 'FLAGS8', 'DEC', 'quotactl_quota_fmts'),
  ]),
  ev('SYSCALL_SETRESUID_E', 'setresuid', C.USER | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('ruid', 'UID', 'DEC'), p('euid', 'UID', 'DEC'), p('suid', 'UID', 'DEC'),
  ]),
  ev('SYSCALL_SETRESUID_X', 'setresuid', C.USER | C.SYSCALL,
    F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('ruid', 'UID', 'DEC'), p('euid', 'UID', 'DEC'),
    p('suid', 'UID', 'DEC'),
  ]),
  ev('SYSCALL_SETRESGID_E', 'setresgid', C.USER | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('rgid', 'GID', 'DEC'), p('egid', 'GID', 'DEC'), p('sgid', 'GID', 'DEC'),
  ]),
  ev('SYSCALL_SETRESGID_X', 'setresgid', C.USER | C.SYSCALL,
    F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('rgid', 'GID', 'DEC'), p('egid', 'GID', 'DEC'),
    p('sgid', 'GID', 'DEC'),
  ]),
  ev('SCAPEVENT_E', 'scapevent', C.INTERNAL | C.METAEVENT, F.SKIPPARSERESET, [
    p('event_type', 'UINT32', 'DEC'), p('event_data', 'UINT64', 'DEC'),
  ]),
  unused('SCAPEVENT_X'),
  ev('SYSCALL_SETUID_E', 'setuid', C.USER | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('uid', 'UID', 'DEC'),
  ]),
  ev('SYSCALL_SETUID_X', 'setuid', C.USER | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('uid', 'UID', 'DEC'),
  ]),
  ev('SYSCALL_SETGID_E', 'setgid', C.USER | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('gid', 'GID', 'DEC'),
  ]),
  ev('SYSCALL_SETGID_X', 'setgid', C.USER | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('gid', 'GID', 'DEC'),
  ]),
  ev('SYSCALL_GETUID_E', 'getuid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETUID_X', 'getuid', C.USER | C.SYSCALL, F.NONE, [p('uid', 'UID', 'DEC')]),
  ev('SYSCALL_GETEUID_E', 'geteuid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETEUID_X', 'geteuid', C.USER | C.SYSCALL, F.NONE, [p('euid', 'UID', 'DEC')]),
  ev('SYSCALL_GETGID_E', 'getgid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETGID_X', 'getgid', C.USER | C.SYSCALL, F.NONE, [p('gid', 'GID', 'DEC')]),
  ev('SYSCALL_GETEGID_E', 'getegid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETEGID_X', 'getegid', C.USER | C.SYSCALL, F.NONE, [p('egid', 'GID', 'DEC')]),
  ev('SYSCALL_GETRESUID_E', 'getresuid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETRESUID_X', 'getresuid', C.USER | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('ruid', 'UID', 'DEC'), p('euid', 'UID', 'DEC'),
    p('suid', 'UID', 'DEC'),
  ]),
  ev('SYSCALL_GETRESGID_E', 'getresgid', C.USER | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_GETRESGID_X', 'getresgid', C.USER | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('rgid', 'GID', 'DEC'), p('egid', 'GID', 'DEC'),
    p('sgid', 'GID', 'DEC'),
  ]),
  ev('SYSCALL_EXECVE_15_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  ev('SYSCALL_EXECVE_15_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('env', 'BYTEBUF'),
  ]),
  ev('SYSCALL_CLONE_17_E', 'clone', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CLONE_17_X', 'clone', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_FORK_17_E', 'fork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_FORK_17_X', 'fork', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_VFORK_17_E', 'vfork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_VFORK_17_X', 'vfork', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'), p('uid', 'UINT32', 'DEC'),
    p('gid', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_CLONE_20_E', 'clone', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CLONE_20_X', 'clone', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'), p('vtid', 'PID', 'DEC'),
    p('vpid', 'PID', 'DEC'), p('pidns_init_start_ts', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_FORK_20_E', 'fork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_FORK_20_X', 'fork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'), p('vtid', 'PID', 'DEC'),
    p('vpid', 'PID', 'DEC'), p('pidns_init_start_ts', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_VFORK_20_E', 'vfork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_VFORK_20_X', 'vfork', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'PID', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'INT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
    p('uid', 'UINT32', 'DEC'), p('gid', 'UINT32', 'DEC'), p('vtid', 'PID', 'DEC'),
    p('vpid', 'PID', 'DEC'), p('pidns_init_start_ts', 'UINT64', 'DEC'),
  ]),
  ev('CONTAINER_E', 'container', C.INTERNAL | C.METAEVENT,
    F.MODIFIES_STATE | F.SKIPPARSERESET | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('id', 'CHARBUF'), p('type', 'UINT32', 'DEC'), p('name', 'CHARBUF'), p('image', 'CHARBUF'),
  ]),
  unused('CONTAINER_X'),
  ev('SYSCALL_EXECVE_16_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  ev('SYSCALL_EXECVE_16_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('env', 'BYTEBUF'),
  ]),
  ev('SIGNALDELIVER_E', 'signaldeliver', C.SIGNAL | C.TRACEPOINT, F.NONE, [
    p('spid', 'PID', 'DEC'), p('dpid', 'PID', 'DEC'), p('sig', 'SIGTYPE', 'DEC'),
  ]),
  unused('SIGNALDELIVER_X'),
  ev('PROCINFO_E', 'procinfo', C.INTERNAL | C.METAEVENT, F.SKIPPARSERESET, [
    p('cpu_usr', 'UINT64', 'DEC'), p('cpu_sys', 'UINT64', 'DEC'),
  ]),
  unused('PROCINFO_X'),
  ev('SYSCALL_GETDENTS_E', 'getdents', C.FILE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD'),
  ]),
  ev('SYSCALL_GETDENTS_X', 'getdents', C.FILE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD'),
  ]),
  ev('SYSCALL_GETDENTS64_E', 'getdents64', C.FILE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD'),
  ]),
  ev('SYSCALL_GETDENTS64_X', 'getdents64', C.FILE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD'),
  ]),
  ev('SYSCALL_SETNS_E', 'setns', C.PROCESS | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD'), p('nstype', 'FLAGS32', 'HEX', 'clone_flags'),
  ]),
  ev('SYSCALL_SETNS_X', 'setns', C.PROCESS | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD'), p('nstype', 'FLAGS32', 'HEX', 'clone_flags'),
  ]),
  ev('SYSCALL_FLOCK_E', 'flock', C.FILE | C.SYSCALL,
    F.USES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD'), p('operation', 'FLAGS32', 'HEX', 'flock_flags'),
  ]),
  ev('SYSCALL_FLOCK_X', 'flock', C.FILE | C.SYSCALL, F.USES_FD | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fd', 'FD'), p('operation', 'FLAGS32', 'HEX', 'flock_flags'),
  ]),
  ev('CPU_HOTPLUG_E', 'cpu_hotplug', C.SYSTEM | C.METAEVENT, F.MODIFIES_STATE | F.SKIPPARSERESET, [
    p('cpu', 'UINT32', 'DEC'), p('action', 'UINT32', 'DEC'),
  ]),
  unused('CPU_HOTPLUG_X'),
  ev('SOCKET_ACCEPT_5_E', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SOCKET_ACCEPT_5_X', 'accept', C.NET | C.SYSCALL, F.CREATES_FD | F.MODIFIES_STATE, [
    p('fd', 'FD', 'DEC'), p('tuple', 'SOCKTUPLE'), p('queuepct', 'UINT8', 'DEC'),
    p('queuelen', 'UINT32', 'DEC'), p('queuemax', 'UINT32', 'DEC'),
  ]),
  ev('SOCKET_ACCEPT4_5_E', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'INT32', 'HEX'),
  ]),
  ev('SOCKET_ACCEPT4_5_X', 'accept', C.NET | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('tuple', 'SOCKTUPLE'), p('queuepct', 'UINT8', 'DEC'),
    p('queuelen', 'UINT32', 'DEC'), p('queuemax', 'UINT32', 'DEC'),
  ]),
  ev('SYSCALL_SEMOP_E', 'semop', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('semid', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_SEMOP_X', 'semop', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('nsops', 'UINT32', 'DEC'), p('sem_num_0', 'UINT16', 'DEC'),
    p('sem_op_0', 'INT16', 'DEC'), p('sem_flg_0', 'FLAGS16', 'HEX', 'semop_flags'),
    p('sem_num_1', 'UINT16', 'DEC'), p('sem_op_1', 'INT16', 'DEC'),
    p('sem_flg_1', 'FLAGS16', 'HEX', 'semop_flags'), p('semid', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_SEMCTL_E', 'semctl', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('semid', 'INT32', 'DEC'), p('semnum', 'INT32', 'DEC'),
    p('cmd', 'FLAGS16', 'HEX', 'semctl_commands'), p('val', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_SEMCTL_X', 'semctl', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('semid', 'INT32', 'DEC'), p('semnum', 'INT32', 'DEC'),
    p('cmd', 'FLAGS16', 'HEX', 'semctl_commands'), p('val', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_PPOLL_E', 'ppoll', C.WAIT | C.SYSCALL,
    F.WAITS | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('fds', 'FDLIST', 'DEC'), p('timeout', 'RELTIME', 'DEC'), p('sigmask', 'SIGSET', 'DEC'),
  ]),
  ev('SYSCALL_PPOLL_X', 'ppoll', C.WAIT | C.SYSCALL, F.WAITS | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('fds', 'FDLIST', 'DEC'), p('timeout', 'RELTIME', 'DEC'),
    p('sigmask', 'SIGSET', 'DEC'),
  ]),
  ev('SYSCALL_MOUNT_E', 'mount', C.FILE | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'FLAGS32', 'HEX', 'mount_flags'),
  ]),
  ev('SYSCALL_MOUNT_X', 'mount', C.FILE | C.SYSCALL, F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('dev', 'CHARBUF'), p('dir', 'FSPATH'), p('type', 'CHARBUF'),
    p('flags', 'FLAGS32', 'HEX', 'mount_flags'),
  ]),
  ev('SYSCALL_UMOUNT_E', 'umount', C.FILE | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION, [
    p('flags', 'FLAGS32', 'HEX', 'umount_flags'),
  ]),
  ev('SYSCALL_UMOUNT_X', 'umount', C.FILE | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('name', 'FSPATH'),
  ]),
  ev('K8S_E', 'k8s', C.INTERNAL | C.METAEVENT,
    F.MODIFIES_STATE | F.SKIPPARSERESET | F.OLD_VERSION, [
    p('json', 'CHARBUF'),
  ]),
  unused('K8S_X'),
  ev('SYSCALL_SEMGET_E', 'semget', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('key', 'INT32', 'HEX'), p('nsems', 'INT32', 'DEC'),
    p('semflg', 'FLAGS32', 'HEX', 'semget_flags'),
  ]),
  ev('SYSCALL_SEMGET_X', 'semget', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('key', 'INT32', 'HEX'), p('nsems', 'INT32', 'DEC'),
    p('semflg', 'FLAGS32', 'HEX', 'semget_flags'),
  ]),
  ev('SYSCALL_ACCESS_E', 'access', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('mode', 'FLAGS32', 'HEX', 'access_flags'),
  ]),
  ev('SYSCALL_ACCESS_X', 'access', C.FILE | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('name', 'FSPATH'), p('mode', 'FLAGS32', 'HEX', 'access_flags'),
  ]),
  ev('SYSCALL_CHROOT_E', 'chroot', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_CHROOT_X', 'chroot', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('TRACER_E', 'tracer', C.OTHER | C.METAEVENT, F.OLD_VERSION, [
    p('id', 'INT64', 'DEC'), p('tags', 'CHARBUFARRAY'), p('args', 'CHARBUF_PAIR_ARRAY'),
  ]),
  ev('TRACER_X', 'NA', C.UNKNOWN, F.UNUSED, [
    p('id', 'INT64', 'DEC'), p('tags', 'CHARBUFARRAY'), p('args', 'CHARBUF_PAIR_ARRAY'),
  ]),
  ev('MESOS_E', 'mesos', C.INTERNAL | C.METAEVENT,
    F.MODIFIES_STATE | F.SKIPPARSERESET | F.OLD_VERSION, [
    p('json', 'CHARBUF'),
  ]),
  unused('MESOS_X'),
  ev('CONTAINER_JSON_E', 'container', C.PROCESS | C.METAEVENT,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('json', 'CHARBUF'),
  ]),
  unused('CONTAINER_JSON_X'),
  ev('SYSCALL_SETSID_E', 'setsid', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE | F.OLD_VERSION),
  ev('SYSCALL_SETSID_X', 'setsid', C.PROCESS | C.SYSCALL, F.MODIFIES_STATE, [
    p('res', 'PID', 'DEC'),
  ]),
  ev('SYSCALL_MKDIR_2_E', 'mkdir', C.FILE | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('mode', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_MKDIR_2_X', 'mkdir', C.FILE | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'), p('mode', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_RMDIR_2_E', 'rmdir', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_RMDIR_2_X', 'rmdir', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('NOTIFICATION_E', 'notification', C.OTHER | C.METAEVENT, F.SKIPPARSERESET, [
    p('id', 'CHARBUF', 'DEC'), p('desc', 'CHARBUF'),
  ]),
  unused('NOTIFICATION_X'),
  ev('SYSCALL_EXECVE_17_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED),
  ev('SYSCALL_EXECVE_17_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('env', 'BYTEBUF'), p('tty', 'INT32', 'DEC'),
  ]),
  ev('SYSCALL_UNSHARE_E', 'unshare', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
  ]),
  ev('SYSCALL_UNSHARE_X', 'unshare', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('flags', 'FLAGS32', 'HEX', 'clone_flags'),
  ]),
  ev('INFRASTRUCTURE_EVENT_E', 'infra', C.INTERNAL | C.METAEVENT, F.SKIPPARSERESET, [
    p('source', 'CHARBUF', 'DEC'), p('name', 'CHARBUF'), p('description', 'CHARBUF'),
    p('scope', 'CHARBUF'),
  ]),
  unused('INFRASTRUCTURE_EVENT_X'),
  ev('SYSCALL_EXECVE_18_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('filename', 'FSPATH'),
  ]),
  ev('SYSCALL_EXECVE_18_X', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('exe', 'CHARBUF'), p('args', 'BYTEBUF'), p('tid', 'PID', 'DEC'),
    p('pid', 'PID', 'DEC'), p('ptid', 'PID', 'DEC'), p('cwd', 'CHARBUF'),
    p('fdlimit', 'UINT64', 'DEC'), p('pgft_maj', 'UINT64', 'DEC'), p('pgft_min', 'UINT64', 'DEC'),
    p('vm_size', 'UINT32', 'DEC'), p('vm_rss', 'UINT32', 'DEC'), p('vm_swap', 'UINT32', 'DEC'),
    p('comm', 'CHARBUF'), p('cgroups', 'BYTEBUF'), p('env', 'BYTEBUF'), p('tty', 'INT32', 'DEC'),
  ]),
  ev('PAGE_FAULT_E', 'page_fault', C.OTHER | C.TRACEPOINT, F.SKIPPARSERESET, [
    p('addr', 'UINT64', 'HEX'), p('ip', 'UINT64', 'HEX'), p('error', 'FLAGS32', 'HEX', 'pf_flags'),
  ]),
  unused('PAGE_FAULT_X'),
  ev('SYSCALL_EXECVE_19_E', 'execve', C.PROCESS | C.SYSCALL,
    F.MODIFIES_STATE | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('filename', 'FSPATH'),
  ]),
  ev('SYSCALL_EXECVE_19_X', 'execve', C.PROCESS | C.SYSCALL,
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
    p('pgid', 'PID'), p('gid', 'GID', 'DEC'), p('filename', 'FSPATH'),
  ]),
  ev('SYSCALL_SETPGID_E', 'setpgid', C.PROCESS | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('pid', 'PID', 'DEC'), p('pgid', 'PID', 'DEC'),
  ]),
  ev('SYSCALL_SETPGID_X', 'setpgid', C.PROCESS | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('pid', 'PID', 'DEC'), p('pgid', 'PID', 'DEC'),
  ]),
  ev('SYSCALL_BPF_E', 'bpf', C.OTHER | C.SYSCALL,
    F.CREATES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('cmd', 'INT64', 'DEC'),
  ]),
  ev('SYSCALL_BPF_X', 'bpf', C.OTHER | C.SYSCALL,
    F.CREATES_FD | F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('res_or_fd', 'DYN', 'DEC', DYN_BPF),
  ]),
  ev('SYSCALL_SECCOMP_E', 'seccomp', C.OTHER | C.SYSCALL, F.OLD_VERSION | F.CONVERTER_MANAGED, [
    p('op', 'UINT64', 'DEC'), p('flags', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_SECCOMP_X', 'seccomp', C.OTHER | C.SYSCALL, F.CONVERTER_MANAGED, [
    p('res', 'ERRNO', 'DEC'), p('op', 'UINT64', 'DEC'), p('flags', 'UINT64', 'HEX'),
  ]),
  ev('SYSCALL_UNLINK_2_E', 'unlink', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_UNLINK_2_X', 'unlink', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('path', 'FSPATH'),
  ]),
  ev('SYSCALL_UNLINKAT_2_E', 'unlinkat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_UNLINKAT_2_X', 'unlinkat', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('dirfd', 'FD', 'DEC'), p('name', 'FSRELPATH', 'NA', 1),
    p('flags', 'FLAGS32', 'HEX', 'unlinkat_flags'),
  ]),
  ev('SYSCALL_MKDIRAT_E', 'mkdirat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_MKDIRAT_X', 'mkdirat', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('dirfd', 'FD', 'DEC'), p('path', 'FSRELPATH', 'NA', 1),
    p('mode', 'UINT32', 'HEX'),
  ]),
  ev('SYSCALL_OPENAT_2_E', 'openat', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('dirfd', 'FD', 'DEC'), p('name', 'FSRELPATH', 'NA', 0),
    p('flags', 'FLAGS32', 'HEX', 'file_flags'), p('mode', 'UINT32', 'OCT'),
  ]),
  ev('SYSCALL_OPENAT_2_X', 'openat', C.FILE | C.SYSCALL,
    F.CREATES_FD | F.MODIFIES_STATE | F.CONVERTER_MANAGED, [
    p('fd', 'FD', 'DEC'), p('dirfd', 'FD', 'DEC'), p('name', 'FSRELPATH', 'NA', 1),
    p('flags', 'FLAGS32', 'HEX', 'file_flags'), p('mode', 'UINT32', 'OCT'),
    p('dev', 'UINT32', 'HEX'), p('ino', 'UINT64', 'DEC'),
  ]),
  ev('SYSCALL_LINK_2_E', 'link', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_LINK_2_X', 'link', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('oldpath', 'FSPATH'), p('newpath', 'FSPATH'),
  ]),
  ev('SYSCALL_LINKAT_2_E', 'linkat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_LINKAT_2_X', 'linkat', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('olddir', 'FD', 'DEC'), p('oldpath', 'FSRELPATH', 'NA', 1),
    p('newdir', 'FD', 'DEC'), p('newpath', 'FSRELPATH', 'NA', 3),
    p('flags', 'FLAGS32', 'HEX', 'linkat_flags'),
  ]),
  ev('SYSCALL_FCHMODAT_E', 'fchmodat', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_FCHMODAT_X', 'fchmodat', C.FILE | C.SYSCALL, F.USES_FD, [
    p('res', 'ERRNO', 'DEC'), p('dirfd', 'FD', 'DEC'), p('filename', 'FSRELPATH', 'NA', 1),
    p('mode', 'MODE', 'OCT', 'chmod_mode'),
  ]),
  ev('SYSCALL_CHMOD_E', 'chmod', C.FILE | C.SYSCALL, F.OLD_VERSION),
  ev('SYSCALL_CHMOD_X', 'chmod', C.FILE | C.SYSCALL, F.NONE, [
    p('res', 'ERRNO', 'DEC'), p('filename', 'FSPATH'), p('mode', 'MODE', 'OCT', 'chmod_mode'),
  ]),
];
