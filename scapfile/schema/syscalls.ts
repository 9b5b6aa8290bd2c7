// System call codes as libs names them (`ppm_sc_code`, the PPM_SC_* list in
// driver/ppm_events_public.h at falcosecurity/libs 48dfd53), and the x86_64
// native syscall number -> ppm_sc mapping (the userspace build of
// driver/syscall_table64.c on x86_64, i.e. driver/syscall_table.c with
// syscall_compat_x86_64.h). Extracted by a script kept outside this repository.
//
// What a capture stores. The generic syscall events (GENERIC_E/GENERIC_X)
// carry `ID` (PT_SYSCALLID, u16) = the ppm_sc code, and `nativeID` (u16) = the
// raw syscall number of the capturing machine's architecture. This has been
// so since the first sysdig driver (2014): ppm_sc codes are append-only, so an
// old capture's ID means the same syscall today. Exceptions found in the libs
// history: old headers named codes 298 and 300 SIGRETURN and NEWFSSTAT (now
// rt_sigreturn, newfstatat); before 2017 the old header also gave MQ_UNLINK the
// value 18, so mq_unlink calls of such captures carry 18 and print as ptrace
// (libsinsp prints today's name for whatever code is stored); 346 was named
// pidfd_get_fd from 2022-10 to 2023-03; 382 is retired (an unused duplicate
// pidfd_getfd in that window) and has an empty name. Old GENERIC_X events
// carry only `ID`; libscap converts them by copying `nativeID` from the
// preceding GENERIC_E.
//
// How libsinsp prints them (userspace/libsinsp/event.cpp, PT_SYSCALLID): the
// value as decimal, resolved to the lower-case ppm_sc name; a value
// >= PPM_SC_MAX prints as `<unknown syscall>` with no resolved name. For
// `evt.type` of a GENERIC_X event read from a capture, a stored ID of 0
// (unknown to the capturing driver) is replaced by the ppm_sc that nativeID
// maps to in the reader's own native table (only meaningful when the capture
// was taken on the same architecture; we provide x86_64). Generic events'
// arguments are otherwise not printed.

/** Number of ppm_sc codes (`PPM_SC_MAX`). */
export const PPM_SC_MAX = 454;

/** ppm_sc code of an unknown syscall (`PPM_SC_UNKNOWN`). */
export const PPM_SC_UNKNOWN = 0;

/** Size of a native syscall table (`SYSCALL_TABLE_SIZE`): native ids 0..511. */
export const SYSCALL_TABLE_SIZE = 512;

/**
 * ppm_sc code -> name, lower case, as libsinsp prints it (`scap_get_ppm_sc_name`).
 * The comment gives the code of the first name on each line. Empty = no name.
 */
export const PPM_SC_NAMES: readonly string[] = Object.freeze([
  /*   0 */ 'unknown', 'restart_syscall', 'exit', 'read', 'write', 'open', 'close', 'creat', 'link',
  /*   9 */ 'unlink', 'chdir', 'time', 'mknod', 'chmod', 'stat', 'lseek', 'getpid', 'mount',
  /*  18 */ 'ptrace', 'alarm', 'fstat', 'pause', 'utime', 'access', 'sync', 'kill', 'rename',
  /*  27 */ 'mkdir', 'rmdir', 'dup', 'pipe', 'times', 'brk', 'acct', 'ioctl', 'fcntl', 'setpgid',
  /*  37 */ 'umask', 'chroot', 'ustat', 'dup2', 'getppid', 'getpgrp', 'setsid', 'sethostname',
  /*  45 */ 'setrlimit', 'getrusage', 'gettimeofday', 'settimeofday', 'symlink', 'lstat',
  /*  51 */ 'readlink', 'uselib', 'swapon', 'reboot', 'mmap', 'munmap', 'truncate', 'ftruncate',
  /*  59 */ 'fchmod', 'getpriority', 'setpriority', 'statfs', 'fstatfs', 'syslog', 'setitimer',
  /*  66 */ 'getitimer', 'uname', 'vhangup', 'wait4', 'swapoff', 'sysinfo', 'fsync',
  /*  73 */ 'setdomainname', 'adjtimex', 'mprotect', 'init_module', 'delete_module', 'quotactl',
  /*  79 */ 'getpgid', 'fchdir', 'sysfs', 'personality', 'getdents', 'select', 'flock', 'msync',
  /*  87 */ 'readv', 'writev', 'getsid', 'fdatasync', 'mlock', 'munlock', 'mlockall', 'munlockall',
  /*  95 */ 'sched_setparam', 'sched_getparam', 'sched_setscheduler', 'sched_getscheduler',
  /*  99 */ 'sched_yield', 'sched_get_priority_max', 'sched_get_priority_min',
  /* 102 */ 'sched_rr_get_interval', 'nanosleep', 'mremap', 'poll', 'prctl', 'rt_sigaction',
  /* 108 */ 'rt_sigprocmask', 'rt_sigpending', 'rt_sigtimedwait', 'rt_sigqueueinfo',
  /* 112 */ 'rt_sigsuspend', 'getcwd', 'capget', 'capset', 'sendfile', 'getrlimit', 'lchown',
  /* 119 */ 'getuid', 'getgid', 'geteuid', 'getegid', 'setreuid', 'setregid', 'getgroups',
  /* 126 */ 'setgroups', 'fchown', 'setresuid', 'getresuid', 'setresgid', 'getresgid', 'chown',
  /* 133 */ 'setuid', 'setgid', 'setfsuid', 'setfsgid', 'pivot_root', 'mincore', 'madvise',
  /* 140 */ 'gettid', 'setxattr', 'lsetxattr', 'fsetxattr', 'getxattr', 'lgetxattr', 'fgetxattr',
  /* 147 */ 'listxattr', 'llistxattr', 'flistxattr', 'removexattr', 'lremovexattr', 'fremovexattr',
  /* 153 */ 'tkill', 'futex', 'sched_setaffinity', 'sched_getaffinity', 'set_thread_area',
  /* 158 */ 'get_thread_area', 'io_setup', 'io_destroy', 'io_getevents', 'io_submit', 'io_cancel',
  /* 164 */ 'exit_group', 'epoll_create', 'epoll_ctl', 'epoll_wait', 'remap_file_pages',
  /* 169 */ 'set_tid_address', 'timer_create', 'timer_settime', 'timer_gettime', 'timer_getoverrun',
  /* 174 */ 'timer_delete', 'clock_settime', 'clock_gettime', 'clock_getres', 'clock_nanosleep',
  /* 179 */ 'tgkill', 'utimes', 'mq_open', 'mq_unlink', 'mq_timedsend', 'mq_timedreceive',
  /* 185 */ 'mq_notify', 'mq_getsetattr', 'kexec_load', 'waitid', 'add_key', 'request_key',
  /* 191 */ 'keyctl', 'ioprio_set', 'ioprio_get', 'inotify_init', 'inotify_add_watch',
  /* 196 */ 'inotify_rm_watch', 'openat', 'mkdirat', 'mknodat', 'fchownat', 'futimesat', 'unlinkat',
  /* 203 */ 'renameat', 'linkat', 'symlinkat', 'readlinkat', 'fchmodat', 'faccessat', 'pselect6',
  /* 210 */ 'ppoll', 'unshare', 'set_robust_list', 'get_robust_list', 'splice', 'tee', 'vmsplice',
  /* 217 */ 'getcpu', 'epoll_pwait', 'utimensat', 'signalfd', 'timerfd_create', 'eventfd',
  /* 223 */ 'timerfd_settime', 'timerfd_gettime', 'signalfd4', 'eventfd2', 'epoll_create1', 'dup3',
  /* 229 */ 'pipe2', 'inotify_init1', 'preadv', 'pwritev', 'rt_tgsigqueueinfo', 'perf_event_open',
  /* 235 */ 'fanotify_init', 'prlimit64', 'clock_adjtime', 'syncfs', 'setns', 'getdents64',
  /* 241 */ 'socket', 'bind', 'connect', 'listen', 'accept', 'getsockname', 'getpeername',
  /* 248 */ 'socketpair', 'sendto', 'recvfrom', 'shutdown', 'setsockopt', 'getsockopt', 'sendmsg',
  /* 255 */ 'sendmmsg', 'recvmsg', 'recvmmsg', 'accept4', 'semop', 'semget', 'semctl', 'msgsnd',
  /* 263 */ 'msgrcv', 'msgget', 'msgctl', 'shmdt', 'shmget', 'shmctl', 'statfs64', 'fstatfs64',
  /* 271 */ 'fstatat64', 'sendfile64', 'ugetrlimit', 'bdflush', 'sigprocmask', 'ipc', 'socketcall',
  /* 278 */ 'stat64', 'lstat64', 'fstat64', 'fcntl64', 'mmap2', '_newselect', 'sgetmask',
  /* 285 */ 'ssetmask', 'sigpending', 'olduname', 'umount', 'signal', 'nice', 'stime', '_llseek',
  /* 293 */ 'waitpid', 'pread64', 'pwrite64', 'arch_prctl', 'shmat', 'rt_sigreturn', 'fallocate',
  /* 300 */ 'newfstatat', 'process_vm_readv', 'process_vm_writev', 'fork', 'vfork', 'setuid32',
  /* 306 */ 'getuid32', 'setgid32', 'geteuid32', 'getgid32', 'setresuid32', 'setresgid32',
  /* 312 */ 'getresuid32', 'getresgid32', 'finit_module', 'bpf', 'seccomp', 'sigaltstack',
  /* 318 */ 'getrandom', 'fadvise64', 'renameat2', 'userfaultfd', 'openat2', 'umount2', 'execve',
  /* 325 */ 'execveat', 'copy_file_range', 'clone', 'clone3', 'open_by_handle_at', 'io_uring_setup',
  /* 331 */ 'io_uring_enter', 'io_uring_register', 'mlock2', 'getegid32', 'fsconfig', 'fspick',
  /* 337 */ 'fsmount', 'fsopen', 'open_tree', 'move_mount', 'mount_setattr', 'memfd_create',
  /* 343 */ 'memfd_secret', 'ioperm', 'kexec_file_load', 'pidfd_getfd', 'pidfd_open',
  /* 348 */ 'pidfd_send_signal', 'pkey_alloc', 'pkey_mprotect', 'pkey_free',
  /* 352 */ 'landlock_create_ruleset', 'quotactl_fd', 'landlock_restrict_self', 'landlock_add_rule',
  /* 356 */ 'epoll_pwait2', 'migrate_pages', 'move_pages', 'preadv2', 'pwritev2', 'kcmp',
  /* 362 */ 'sched_setattr', 'mbind', 'epoll_ctl_old', 'lookup_dcookie', 'modify_ldt', 'statx',
  /* 368 */ 'set_mempolicy', 'io_pgetevents', 'set_mempolicy_home_node', 'semtimedop',
  /* 372 */ 'get_kernel_syms', 'readahead', 'futex_waitv', 'getpmsg', 'name_to_handle_at',
  /* 377 */ 'process_mrelease', 'nfsservctl', 'epoll_wait_old', 'rseq', 'create_module', '',
  /* 383 */ 'sched_getattr', 'faccessat2', '_sysctl', 'query_module', 'get_mempolicy',
  /* 388 */ 'sync_file_range', 'process_madvise', 'membarrier', 'iopl', 'close_range',
  /* 393 */ 'fanotify_mark', 'recv', 'send', 'sched_process_exit', 'sched_switch',
  /* 398 */ 'page_fault_user', 'page_fault_kernel', 'signal_deliver', 'timerfd',
  /* 402 */ 's390_pci_mmio_read', 'sigaction', 's390_pci_mmio_write', 'readdir', 's390_sthyi',
  /* 407 */ 'sigsuspend', 'idle', 's390_runtime_instr', 'sigreturn', 's390_guarded_storage',
  /* 412 */ 'cachestat', 'fchmodat2', 'map_shadow_stack', 'riscv_flush_icache', 'riscv_hwprobe',
  /* 417 */ 'futex_wake', 'futex_requeue', 'futex_wait', 'oldstat', 'switch_endian', 'multiplexer',
  /* 423 */ 'oldlstat', 'spu_create', 'sync_file_range2', 'oldfstat', 'spu_run', 'swapcontext',
  /* 429 */ 'pciconfig_write', 'rtas', 'pciconfig_read', 'sys_debug_setcontext', 'vm86',
  /* 434 */ 'oldolduname', 'subpage_prot', 'pciconfig_iobase', 'listmount', 'statmount',
  /* 439 */ 'lsm_get_self_attr', 'lsm_set_self_attr', 'lsm_list_modules', 'mseal', 'uretprobe',
  /* 444 */ 'removexattrat', 'listxattrat', 'getxattrat', 'setxattrat', 'open_tree_attr',
  /* 449 */ 'file_getattr', 'file_setattr', 'listns', 'uprobe', 'rseq_slice_yield',
]);

// x86_64 native syscall number -> ppm_sc name. Numbers absent here map to
// PPM_SC_UNKNOWN.
const X86_64: readonly (readonly [number, string])[] = [
  [0, 'read'], [1, 'write'], [2, 'open'], [3, 'close'], [4, 'stat'], [5, 'fstat'], [6, 'lstat'],
  [7, 'poll'], [8, 'lseek'], [9, 'mmap'], [10, 'mprotect'], [11, 'munmap'], [12, 'brk'],
  [13, 'rt_sigaction'], [14, 'rt_sigprocmask'], [15, 'rt_sigreturn'], [16, 'ioctl'],
  [17, 'pread64'], [18, 'pwrite64'], [19, 'readv'], [20, 'writev'], [21, 'access'], [22, 'pipe'],
  [23, 'select'], [24, 'sched_yield'], [25, 'mremap'], [26, 'msync'], [27, 'mincore'],
  [28, 'madvise'], [29, 'shmget'], [30, 'shmat'], [31, 'shmctl'], [32, 'dup'], [33, 'dup2'],
  [34, 'pause'], [35, 'nanosleep'], [36, 'getitimer'], [37, 'alarm'], [38, 'setitimer'],
  [39, 'getpid'], [40, 'sendfile'], [41, 'socket'], [42, 'connect'], [43, 'accept'],
  [44, 'sendto'], [45, 'recvfrom'], [46, 'sendmsg'], [47, 'recvmsg'], [48, 'shutdown'],
  [49, 'bind'], [50, 'listen'], [51, 'getsockname'], [52, 'getpeername'], [53, 'socketpair'],
  [54, 'setsockopt'], [55, 'getsockopt'], [56, 'clone'], [57, 'fork'], [58, 'vfork'],
  [59, 'execve'], [60, 'exit'], [61, 'wait4'], [62, 'kill'], [63, 'uname'], [64, 'semget'],
  [65, 'semop'], [66, 'semctl'], [67, 'shmdt'], [68, 'msgget'], [69, 'msgsnd'], [70, 'msgrcv'],
  [71, 'msgctl'], [72, 'fcntl'], [73, 'flock'], [74, 'fsync'], [75, 'fdatasync'], [76, 'truncate'],
  [77, 'ftruncate'], [78, 'getdents'], [79, 'getcwd'], [80, 'chdir'], [81, 'fchdir'],
  [82, 'rename'], [83, 'mkdir'], [84, 'rmdir'], [85, 'creat'], [86, 'link'], [87, 'unlink'],
  [88, 'symlink'], [89, 'readlink'], [90, 'chmod'], [91, 'fchmod'], [92, 'chown'], [93, 'fchown'],
  [94, 'lchown'], [95, 'umask'], [96, 'gettimeofday'], [97, 'getrlimit'], [98, 'getrusage'],
  [99, 'sysinfo'], [100, 'times'], [101, 'ptrace'], [102, 'getuid'], [103, 'syslog'],
  [104, 'getgid'], [105, 'setuid'], [106, 'setgid'], [107, 'geteuid'], [108, 'getegid'],
  [109, 'setpgid'], [110, 'getppid'], [111, 'getpgrp'], [112, 'setsid'], [113, 'setreuid'],
  [114, 'setregid'], [115, 'getgroups'], [116, 'setgroups'], [117, 'setresuid'],
  [118, 'getresuid'], [119, 'setresgid'], [120, 'getresgid'], [121, 'getpgid'], [122, 'setfsuid'],
  [123, 'setfsgid'], [124, 'getsid'], [125, 'capget'], [126, 'capset'], [127, 'rt_sigpending'],
  [128, 'rt_sigtimedwait'], [129, 'rt_sigqueueinfo'], [130, 'rt_sigsuspend'], [131, 'sigaltstack'],
  [132, 'utime'], [133, 'mknod'], [135, 'personality'], [136, 'ustat'], [137, 'statfs'],
  [138, 'fstatfs'], [139, 'sysfs'], [140, 'getpriority'], [141, 'setpriority'],
  [142, 'sched_setparam'], [143, 'sched_getparam'], [144, 'sched_setscheduler'],
  [145, 'sched_getscheduler'], [146, 'sched_get_priority_max'], [147, 'sched_get_priority_min'],
  [148, 'sched_rr_get_interval'], [149, 'mlock'], [150, 'munlock'], [151, 'mlockall'],
  [152, 'munlockall'], [153, 'vhangup'], [154, 'modify_ldt'], [155, 'pivot_root'], [157, 'prctl'],
  [158, 'arch_prctl'], [159, 'adjtimex'], [160, 'setrlimit'], [161, 'chroot'], [162, 'sync'],
  [163, 'acct'], [164, 'settimeofday'], [165, 'mount'], [166, 'umount2'], [167, 'swapon'],
  [168, 'swapoff'], [169, 'reboot'], [170, 'sethostname'], [171, 'setdomainname'], [172, 'iopl'],
  [173, 'ioperm'], [175, 'init_module'], [176, 'delete_module'], [179, 'quotactl'],
  [186, 'gettid'], [187, 'readahead'], [188, 'setxattr'], [189, 'lsetxattr'], [190, 'fsetxattr'],
  [191, 'getxattr'], [192, 'lgetxattr'], [193, 'fgetxattr'], [194, 'listxattr'],
  [195, 'llistxattr'], [196, 'flistxattr'], [197, 'removexattr'], [198, 'lremovexattr'],
  [199, 'fremovexattr'], [200, 'tkill'], [201, 'time'], [202, 'futex'], [203, 'sched_setaffinity'],
  [204, 'sched_getaffinity'], [205, 'set_thread_area'], [206, 'io_setup'], [207, 'io_destroy'],
  [208, 'io_getevents'], [209, 'io_submit'], [210, 'io_cancel'], [211, 'get_thread_area'],
  [212, 'lookup_dcookie'], [213, 'epoll_create'], [214, 'epoll_ctl_old'], [215, 'epoll_wait_old'],
  [216, 'remap_file_pages'], [217, 'getdents64'], [218, 'set_tid_address'],
  [219, 'restart_syscall'], [220, 'semtimedop'], [221, 'fadvise64'], [222, 'timer_create'],
  [223, 'timer_settime'], [224, 'timer_gettime'], [225, 'timer_getoverrun'], [226, 'timer_delete'],
  [227, 'clock_settime'], [228, 'clock_gettime'], [229, 'clock_getres'], [230, 'clock_nanosleep'],
  [231, 'exit_group'], [232, 'epoll_wait'], [233, 'epoll_ctl'], [234, 'tgkill'], [235, 'utimes'],
  [237, 'mbind'], [238, 'set_mempolicy'], [239, 'get_mempolicy'], [240, 'mq_open'],
  [241, 'mq_unlink'], [242, 'mq_timedsend'], [243, 'mq_timedreceive'], [244, 'mq_notify'],
  [245, 'mq_getsetattr'], [246, 'kexec_load'], [247, 'waitid'], [248, 'add_key'],
  [249, 'request_key'], [250, 'keyctl'], [251, 'ioprio_set'], [252, 'ioprio_get'],
  [253, 'inotify_init'], [254, 'inotify_add_watch'], [255, 'inotify_rm_watch'],
  [256, 'migrate_pages'], [257, 'openat'], [258, 'mkdirat'], [259, 'mknodat'], [260, 'fchownat'],
  [261, 'futimesat'], [262, 'newfstatat'], [263, 'unlinkat'], [264, 'renameat'], [265, 'linkat'],
  [266, 'symlinkat'], [267, 'readlinkat'], [268, 'fchmodat'], [269, 'faccessat'],
  [270, 'pselect6'], [271, 'ppoll'], [272, 'unshare'], [273, 'set_robust_list'],
  [274, 'get_robust_list'], [275, 'splice'], [276, 'tee'], [277, 'sync_file_range'],
  [278, 'vmsplice'], [279, 'move_pages'], [280, 'utimensat'], [281, 'epoll_pwait'],
  [282, 'signalfd'], [283, 'timerfd_create'], [284, 'eventfd'], [285, 'fallocate'],
  [286, 'timerfd_settime'], [287, 'timerfd_gettime'], [288, 'accept4'], [289, 'signalfd4'],
  [290, 'eventfd2'], [291, 'epoll_create1'], [292, 'dup3'], [293, 'pipe2'], [294, 'inotify_init1'],
  [295, 'preadv'], [296, 'pwritev'], [297, 'rt_tgsigqueueinfo'], [298, 'perf_event_open'],
  [299, 'recvmmsg'], [300, 'fanotify_init'], [301, 'fanotify_mark'], [302, 'prlimit64'],
  [303, 'name_to_handle_at'], [304, 'open_by_handle_at'], [305, 'clock_adjtime'], [306, 'syncfs'],
  [307, 'sendmmsg'], [308, 'setns'], [309, 'getcpu'], [310, 'process_vm_readv'],
  [311, 'process_vm_writev'], [312, 'kcmp'], [313, 'finit_module'], [314, 'sched_setattr'],
  [315, 'sched_getattr'], [316, 'renameat2'], [317, 'seccomp'], [318, 'getrandom'],
  [319, 'memfd_create'], [320, 'kexec_file_load'], [321, 'bpf'], [322, 'execveat'],
  [323, 'userfaultfd'], [324, 'membarrier'], [325, 'mlock2'], [326, 'copy_file_range'],
  [327, 'preadv2'], [328, 'pwritev2'], [329, 'pkey_mprotect'], [330, 'pkey_alloc'],
  [331, 'pkey_free'], [332, 'statx'], [333, 'io_pgetevents'], [334, 'rseq'], [335, 'uretprobe'],
  [336, 'uprobe'], [424, 'pidfd_send_signal'], [425, 'io_uring_setup'], [426, 'io_uring_enter'],
  [427, 'io_uring_register'], [428, 'open_tree'], [429, 'move_mount'], [430, 'fsopen'],
  [431, 'fsconfig'], [432, 'fsmount'], [433, 'fspick'], [434, 'pidfd_open'], [435, 'clone3'],
  [436, 'close_range'], [437, 'openat2'], [438, 'pidfd_getfd'], [439, 'faccessat2'],
  [440, 'process_madvise'], [441, 'epoll_pwait2'], [442, 'mount_setattr'], [443, 'quotactl_fd'],
  [444, 'landlock_create_ruleset'], [445, 'landlock_add_rule'], [446, 'landlock_restrict_self'],
  [447, 'memfd_secret'], [448, 'process_mrelease'], [449, 'futex_waitv'],
  [450, 'set_mempolicy_home_node'], [451, 'cachestat'], [452, 'fchmodat2'],
  [453, 'map_shadow_stack'], [454, 'futex_wake'], [455, 'futex_wait'], [456, 'futex_requeue'],
  [457, 'statmount'], [458, 'listmount'], [459, 'lsm_get_self_attr'], [460, 'lsm_set_self_attr'],
  [461, 'lsm_list_modules'], [462, 'mseal'], [463, 'setxattrat'], [464, 'getxattrat'],
  [465, 'listxattrat'], [466, 'removexattrat'], [467, 'open_tree_attr'], [468, 'file_getattr'],
  [469, 'file_setattr'], [470, 'listns'], [471, 'rseq_slice_yield'],
];

const codeByName = new Map<string, number>();
PPM_SC_NAMES.forEach((name, code) => {
  if (name !== '') codeByName.set(name, code);
});

function nativeTable(pairs: readonly (readonly [number, string])[]): readonly number[] {
  const table = new Array<number>(SYSCALL_TABLE_SIZE).fill(PPM_SC_UNKNOWN);
  for (const [nr, name] of pairs) {
    const code = codeByName.get(name);
    if (code === undefined) throw new Error(`schema: unknown ppm_sc name '${name}'`);
    table[nr] = code;
  }
  return Object.freeze(table);
}

/** x86_64 native syscall number -> ppm_sc code (`g_syscall_table[nr].ppm_sc`), 512 entries. */
export const NATIVE_TO_PPM_SC_X86_64: readonly number[] = nativeTable(X86_64);

/** The name of a ppm_sc code; `undefined` when >= PPM_SC_MAX, `''` for a retired code. */
export function ppmScName(code: number): string | undefined {
  return PPM_SC_NAMES[code];
}

/** The ppm_sc code of a lower-case syscall name (`scap_ppm_sc_from_name`), or undefined. */
export function ppmScFromName(name: string): number | undefined {
  return codeByName.get(name);
}

/** `scap_native_id_to_ppm_sc` for x86_64: out-of-range or unmapped ids give PPM_SC_UNKNOWN. */
export function nativeToPpmSc(nativeId: number): number {
  return NATIVE_TO_PPM_SC_X86_64[nativeId] ?? PPM_SC_UNKNOWN;
}

/**
 * The syscall name libsinsp shows as `evt.type` for a GENERIC_X event of a
 * capture: `id` is its ID parameter, `nativeId` its nativeID parameter when
 * present. `undefined` when the code is out of range.
 */
export function genericSyscallName(id: number, nativeId?: number): string | undefined {
  const code = id === PPM_SC_UNKNOWN && nativeId !== undefined ? nativeToPpmSc(nativeId) : id;
  return ppmScName(code);
}
