// 32-bit (ia32) syscalls on x86_64: the number an `int $0x80` or a 32-bit
// process passes, and the x86_64 syscall a driver records it as, so that an
// ia32 call becomes exactly the native event (its handler, its ppm_sc code,
// its x86_64 number in a generic event's nativeID). Facts of
// falcosecurity/libs 48dfd53, driver/syscall_ia32_64_map.c (generated there
// by syscalls-bumper), extracted by a script kept outside this repository; the x86_64 side is
// named as in syscalls.ts. Most pairs share a name; the ia32 variants of a
// call (mmap2, stat64, getuid32, _llseek, fcntl64, sendfile64, umount and
// the like) map to the x86_64 call they stand for. A number absent here (ia32
// only, as waitpid or ipc; or retired) has no x86_64 counterpart and is not
// recorded: libs' table leaves those it does not list at 0 (read), which we
// do not copy.
//
// socketcall (ia32 102) multiplexes the socket calls: its first argument is
// the call (SYS_SOCKET..SYS_SENDMMSG, include/uapi/linux/net.h), its second a
// pointer to the call's arguments as 32-bit words. SOCKETCALL_CALLS gives the
// x86_64 syscall of each call; send and recv have none on x86_64 (libs'
// modern_bpf drops them too), so they are not recorded.

import { NATIVE_TO_PPM_SC_X86_64, ppmScFromName, SYSCALL_TABLE_SIZE } from './syscalls.js';

/** The ia32 socketcall multiplexer's number (`__NR_socketcall` in unistd_32.h). */
export const IA32_NR_SOCKETCALL = 102;

// ia32 syscall number -> name of the x86_64 syscall it is recorded as.
const IA32: readonly (readonly [number, string])[] = [
  [0, 'restart_syscall'], [1, 'exit'], [2, 'fork'], [3, 'read'], [4, 'write'], [5, 'open'],
  [6, 'close'], [8, 'creat'], [9, 'link'], [10, 'unlink'], [11, 'execve'], [12, 'chdir'],
  [13, 'time'], [14, 'mknod'], [15, 'chmod'], [16, 'lchown'], [19, 'lseek'], [20, 'getpid'],
  [21, 'mount'], [22, 'umount2'], [23, 'setuid'], [24, 'getuid'], [26, 'ptrace'], [27, 'alarm'],
  [29, 'pause'], [30, 'utime'], [33, 'access'], [36, 'sync'], [37, 'kill'], [38, 'rename'],
  [39, 'mkdir'], [40, 'rmdir'], [41, 'dup'], [42, 'pipe'], [43, 'times'], [45, 'brk'],
  [46, 'setgid'], [47, 'getgid'], [49, 'geteuid'], [50, 'getegid'], [51, 'acct'], [52, 'umount2'],
  [54, 'ioctl'], [55, 'fcntl'], [57, 'setpgid'], [60, 'umask'], [61, 'chroot'], [62, 'ustat'],
  [63, 'dup2'], [64, 'getppid'], [65, 'getpgrp'], [66, 'setsid'], [70, 'setreuid'],
  [71, 'setregid'], [74, 'sethostname'], [75, 'setrlimit'], [76, 'getrlimit'], [77, 'getrusage'],
  [78, 'gettimeofday'], [79, 'settimeofday'], [80, 'getgroups'], [81, 'setgroups'], [82, 'select'],
  [83, 'symlink'], [85, 'readlink'], [87, 'swapon'], [88, 'reboot'], [90, 'mmap'], [91, 'munmap'],
  [92, 'truncate'], [93, 'ftruncate'], [94, 'fchmod'], [95, 'fchown'], [96, 'getpriority'],
  [97, 'setpriority'], [99, 'statfs'], [100, 'fstatfs'], [101, 'ioperm'], [103, 'syslog'],
  [104, 'setitimer'], [105, 'getitimer'], [106, 'stat'], [107, 'lstat'], [108, 'fstat'],
  [110, 'iopl'], [111, 'vhangup'], [114, 'wait4'], [115, 'swapoff'], [116, 'sysinfo'],
  [118, 'fsync'], [120, 'clone'], [121, 'setdomainname'], [122, 'uname'], [123, 'modify_ldt'],
  [124, 'adjtimex'], [125, 'mprotect'], [128, 'init_module'], [129, 'delete_module'],
  [131, 'quotactl'], [132, 'getpgid'], [133, 'fchdir'], [135, 'sysfs'], [136, 'personality'],
  [138, 'setfsuid'], [139, 'setfsgid'], [140, 'lseek'], [141, 'getdents'], [143, 'flock'],
  [144, 'msync'], [145, 'readv'], [146, 'writev'], [147, 'getsid'], [148, 'fdatasync'],
  [150, 'mlock'], [151, 'munlock'], [152, 'mlockall'], [153, 'munlockall'],
  [154, 'sched_setparam'], [155, 'sched_getparam'], [156, 'sched_setscheduler'],
  [157, 'sched_getscheduler'], [158, 'sched_yield'], [159, 'sched_get_priority_max'],
  [160, 'sched_get_priority_min'], [161, 'sched_rr_get_interval'], [162, 'nanosleep'],
  [163, 'mremap'], [164, 'setresuid'], [165, 'getresuid'], [168, 'poll'], [170, 'setresgid'],
  [171, 'getresgid'], [172, 'prctl'], [173, 'rt_sigreturn'], [174, 'rt_sigaction'],
  [175, 'rt_sigprocmask'], [176, 'rt_sigpending'], [177, 'rt_sigtimedwait'],
  [178, 'rt_sigqueueinfo'], [179, 'rt_sigsuspend'], [180, 'pread64'], [181, 'pwrite64'],
  [182, 'chown'], [183, 'getcwd'], [184, 'capget'], [185, 'capset'], [186, 'sigaltstack'],
  [187, 'sendfile'], [190, 'vfork'], [191, 'getrlimit'], [192, 'mmap'], [195, 'stat'],
  [196, 'lstat'], [197, 'fstat'], [199, 'getuid'], [200, 'getgid'], [201, 'geteuid'],
  [202, 'getegid'], [208, 'setresuid'], [209, 'getresuid'], [210, 'setresgid'], [211, 'getresgid'],
  [213, 'setuid'], [214, 'setgid'], [217, 'pivot_root'], [218, 'mincore'], [219, 'madvise'],
  [220, 'getdents64'], [221, 'fcntl'], [224, 'gettid'], [225, 'readahead'], [226, 'setxattr'],
  [227, 'lsetxattr'], [228, 'fsetxattr'], [229, 'getxattr'], [230, 'lgetxattr'],
  [231, 'fgetxattr'], [232, 'listxattr'], [233, 'llistxattr'], [234, 'flistxattr'],
  [235, 'removexattr'], [236, 'lremovexattr'], [237, 'fremovexattr'], [238, 'tkill'],
  [239, 'sendfile'], [240, 'futex'], [241, 'sched_setaffinity'], [242, 'sched_getaffinity'],
  [243, 'set_thread_area'], [244, 'get_thread_area'], [245, 'io_setup'], [246, 'io_destroy'],
  [247, 'io_getevents'], [248, 'io_submit'], [249, 'io_cancel'], [250, 'fadvise64'],
  [252, 'exit_group'], [253, 'lookup_dcookie'], [254, 'epoll_create'], [255, 'epoll_ctl'],
  [256, 'epoll_wait'], [257, 'remap_file_pages'], [258, 'set_tid_address'], [259, 'timer_create'],
  [260, 'timer_settime'], [261, 'timer_gettime'], [262, 'timer_getoverrun'], [263, 'timer_delete'],
  [264, 'clock_settime'], [265, 'clock_gettime'], [266, 'clock_getres'], [267, 'clock_nanosleep'],
  [270, 'tgkill'], [271, 'utimes'], [274, 'mbind'], [275, 'get_mempolicy'], [276, 'set_mempolicy'],
  [277, 'mq_open'], [278, 'mq_unlink'], [279, 'mq_timedsend'], [280, 'mq_timedreceive'],
  [281, 'mq_notify'], [282, 'mq_getsetattr'], [283, 'kexec_load'], [284, 'waitid'],
  [286, 'add_key'], [287, 'request_key'], [288, 'keyctl'], [289, 'ioprio_set'],
  [290, 'ioprio_get'], [291, 'inotify_init'], [292, 'inotify_add_watch'],
  [293, 'inotify_rm_watch'], [294, 'migrate_pages'], [295, 'openat'], [296, 'mkdirat'],
  [297, 'mknodat'], [298, 'fchownat'], [299, 'futimesat'], [301, 'unlinkat'], [302, 'renameat'],
  [303, 'linkat'], [304, 'symlinkat'], [305, 'readlinkat'], [306, 'fchmodat'], [307, 'faccessat'],
  [308, 'pselect6'], [309, 'ppoll'], [310, 'unshare'], [311, 'set_robust_list'],
  [312, 'get_robust_list'], [313, 'splice'], [314, 'sync_file_range'], [315, 'tee'],
  [316, 'vmsplice'], [317, 'move_pages'], [318, 'getcpu'], [319, 'epoll_pwait'],
  [320, 'utimensat'], [321, 'signalfd'], [322, 'timerfd_create'], [323, 'eventfd'],
  [324, 'fallocate'], [325, 'timerfd_settime'], [326, 'timerfd_gettime'], [327, 'signalfd4'],
  [328, 'eventfd2'], [329, 'epoll_create1'], [330, 'dup3'], [331, 'pipe2'], [332, 'inotify_init1'],
  [333, 'preadv'], [334, 'pwritev'], [335, 'rt_tgsigqueueinfo'], [336, 'perf_event_open'],
  [337, 'recvmmsg'], [338, 'fanotify_init'], [339, 'fanotify_mark'], [340, 'prlimit64'],
  [341, 'name_to_handle_at'], [342, 'open_by_handle_at'], [343, 'clock_adjtime'], [344, 'syncfs'],
  [345, 'sendmmsg'], [346, 'setns'], [347, 'process_vm_readv'], [348, 'process_vm_writev'],
  [349, 'kcmp'], [350, 'finit_module'], [351, 'sched_setattr'], [352, 'sched_getattr'],
  [353, 'renameat2'], [354, 'seccomp'], [355, 'getrandom'], [356, 'memfd_create'], [357, 'bpf'],
  [358, 'execveat'], [359, 'socket'], [360, 'socketpair'], [361, 'bind'], [362, 'connect'],
  [363, 'listen'], [364, 'accept4'], [365, 'getsockopt'], [366, 'setsockopt'],
  [367, 'getsockname'], [368, 'getpeername'], [369, 'sendto'], [370, 'sendmsg'], [371, 'recvfrom'],
  [372, 'recvmsg'], [373, 'shutdown'], [374, 'userfaultfd'], [375, 'membarrier'], [376, 'mlock2'],
  [377, 'copy_file_range'], [378, 'preadv2'], [379, 'pwritev2'], [380, 'pkey_mprotect'],
  [381, 'pkey_alloc'], [382, 'pkey_free'], [383, 'statx'], [384, 'arch_prctl'],
  [385, 'io_pgetevents'], [386, 'rseq'], [393, 'semget'], [394, 'semctl'], [395, 'shmget'],
  [396, 'shmctl'], [397, 'shmat'], [398, 'shmdt'], [399, 'msgget'], [400, 'msgsnd'],
  [401, 'msgrcv'], [402, 'msgctl'], [424, 'pidfd_send_signal'], [425, 'io_uring_setup'],
  [426, 'io_uring_enter'], [427, 'io_uring_register'], [428, 'open_tree'], [429, 'move_mount'],
  [430, 'fsopen'], [431, 'fsconfig'], [432, 'fsmount'], [433, 'fspick'], [434, 'pidfd_open'],
  [435, 'clone3'], [436, 'close_range'], [437, 'openat2'], [438, 'pidfd_getfd'],
  [439, 'faccessat2'], [440, 'process_madvise'], [441, 'epoll_pwait2'], [442, 'mount_setattr'],
  [443, 'quotactl_fd'], [444, 'landlock_create_ruleset'], [445, 'landlock_add_rule'],
  [446, 'landlock_restrict_self'], [447, 'memfd_secret'], [448, 'process_mrelease'],
  [449, 'futex_waitv'], [450, 'set_mempolicy_home_node'], [451, 'cachestat'], [452, 'fchmodat2'],
  [453, 'map_shadow_stack'], [454, 'futex_wake'], [455, 'futex_wait'], [456, 'futex_requeue'],
  [457, 'statmount'], [458, 'listmount'], [459, 'lsm_get_self_attr'], [460, 'lsm_set_self_attr'],
  [461, 'lsm_list_modules'], [462, 'mseal'], [463, 'setxattrat'], [464, 'getxattrat'],
  [465, 'listxattrat'], [466, 'removexattrat'], [467, 'open_tree_attr'], [468, 'file_getattr'],
  [469, 'file_setattr'], [470, 'listns'], [471, 'rseq_slice_yield'],
];

/** socketcall's call numbers (include/uapi/linux/net.h) -> x86_64 syscall name; '' = none. */
const SOCKETCALL: readonly string[] = [
  /*  0 */ '', 'socket', 'bind', 'connect', 'listen', 'accept', 'getsockname', 'getpeername',
  /*  8 */ 'socketpair', '', '', 'sendto', 'recvfrom', 'shutdown', 'setsockopt', 'getsockopt',
  /* 16 */ 'sendmsg', 'recvmsg', 'accept4', 'recvmmsg', 'sendmmsg',
];

/** The x86_64 number of a syscall name with a ppm_sc code. */
function x86_64Number(name: string): number {
  const code = ppmScFromName(name);
  const nr = code === undefined ? -1 : NATIVE_TO_PPM_SC_X86_64.indexOf(code);
  if (nr < 0) throw new Error(`schema: no x86_64 syscall named '${name}'`);
  return nr;
}

/** ia32 syscall number -> x86_64 syscall number, -1 when not recorded; SYSCALL_TABLE_SIZE entries. */
export const IA32_TO_X86_64: readonly number[] = (() => {
  const table = new Array<number>(SYSCALL_TABLE_SIZE).fill(-1);
  for (const [nr, name] of IA32) table[nr] = x86_64Number(name);
  return Object.freeze(table);
})();

/** socketcall call number -> x86_64 syscall number, -1 when not recorded. */
export const SOCKETCALL_TO_X86_64: readonly number[] = Object.freeze(
  SOCKETCALL.map((name) => (name === '' ? -1 : x86_64Number(name))),
);
