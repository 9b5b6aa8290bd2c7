/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Extract layer: reads facts out of kernel structures (syscall arguments,
 * task and process fields, open files, sockets) and converts native values
 * to the values events store (driver/gen/events.h). No event building here.
 */
#ifndef SCAPKIT_DRIVER_HELPERS_EXTRACT_BPF_H
#define SCAPKIT_DRIVER_HELPERS_EXTRACT_BPF_H

#include "base.bpf.h"
#include "../core_fixes.bpf.h"

/*
 * Whether the current syscall is a 32-bit (ia32) one: `int $0x80`, or any
 * syscall of a 32-bit process. TS_COMPAT (0x0002,
 * arch/x86/include/asm/thread_info.h) in thread_info.status, which the
 * kernel sets on every ia32 entry and on exec of a 32-bit binary.
 */
#define SCAP_TS_COMPAT 0x0002

static __always_inline bool in_ia32_syscall_task(struct task_struct *task)
{
	return task->thread_info.status & SCAP_TS_COMPAT;
}

static __always_inline bool in_ia32_syscall(void)
{
	return in_ia32_syscall_task(bpf_get_current_task_btf());
}

static __always_inline long syscall_nr(struct pt_regs *regs)
{
	return regs->orig_ax;
}

/*
 * An ia32 syscall's argument: ebx, ecx, edx, esi, edi, ebp. The kernel's
 * ia32 entry saves the full 64-bit registers but the syscall sees only
 * their low halves (SC_IA32_REGS_TO_ARGS casts each to u32), so that is
 * what we keep: a 64-bit process doing `int $0x80` may leave anything in
 * the upper halves. A socketcall's arguments are instead 32-bit words in
 * the user array its second argument points to (net/compat.c). A handler
 * casts an fd or an int to int as on the native path, which gives the sign.
 */
static __noinline unsigned long ia32_syscall_arg(struct pt_regs *regs, int i)
{
	if (regs->orig_ax == SCAP_IA32_NR_SOCKETCALL) {
		__u32 word = 0;
		bpf_probe_read_user(&word, sizeof(word), (void *)(unsigned long)((__u32)regs->cx + 4 * i));
		return word;
	}
	switch (i) {
	case 0: return (__u32)regs->bx;
	case 1: return (__u32)regs->cx;
	case 2: return (__u32)regs->dx;
	case 3: return (__u32)regs->si;
	case 4: return (__u32)regs->di;
	case 5: return (__u32)regs->bp;
	default: return 0;
	}
}

/*
 * Syscall arguments from the saved user registers (x86_64 syscall ABI).
 * `regs` is the tracepoint's BTF-typed argument: plain loads, no helper call
 * (a probe read per argument was most of the cost of an event).
 */
static __always_inline unsigned long native_syscall_arg(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	case 5: return regs->r9;
	default: return 0;
	}
}

/* Argument `i` of the current syscall, ia32 or native, for a caller that knows which. */
static __always_inline unsigned long syscall_arg_of(struct pt_regs *regs, int i, bool ia32)
{
	return ia32 ? ia32_syscall_arg(regs, i) : native_syscall_arg(regs, i);
}

/*
 * Argument `i` of the current syscall, as the handlers read it. The
 * dispatcher (scap.bpf.c) sends an ia32 syscall to the handler of its
 * x86_64 counterpart, so handlers need not know which kind it was: on the
 * native path this costs a load of the task's status and a branch.
 */
static __always_inline unsigned long syscall_arg(struct pt_regs *regs, int i)
{
	return syscall_arg_of(regs, i, in_ia32_syscall());
}

/* Native open(2) flags (include/uapi/asm-generic/fcntl.h on x86_64). */
#define N_O_ACCMODE 00000003
#define N_O_WRONLY 00000001
#define N_O_RDWR 00000002
#define N_O_CREAT 00000100
#define N_O_EXCL 00000200
#define N_O_TRUNC 00001000
#define N_O_APPEND 00002000
#define N_O_NONBLOCK 00004000
#define N_O_DSYNC 00010000
#define N_O_DIRECT 00040000
#define N_O_LARGEFILE 00100000
#define N_O_DIRECTORY 00200000
#define N_O_CLOEXEC 02000000
#define N_O_SYNC 04010000
#define N_O_TMPFILE 020200000

static __always_inline __u32 open_flags_to_scap(unsigned long flags)
{
	__u32 r = 0;
	switch (flags & N_O_ACCMODE) {
	case 0: r |= PPM_O_RDONLY; break;
	case N_O_WRONLY: r |= PPM_O_WRONLY; break;
	case N_O_RDWR: r |= PPM_O_RDWR; break;
	}
	if (flags & N_O_CREAT) r |= PPM_O_CREAT;
	if (flags & N_O_EXCL) r |= PPM_O_EXCL;
	if (flags & N_O_TRUNC) r |= PPM_O_TRUNC;
	if (flags & N_O_APPEND) r |= PPM_O_APPEND;
	if (flags & N_O_NONBLOCK) r |= PPM_O_NONBLOCK;
	/* O_SYNC includes O_DSYNC's bit: an O_SYNC open is both, an O_DSYNC one only O_DSYNC. */
	if ((flags & N_O_SYNC) == N_O_SYNC) r |= PPM_O_SYNC;
	if (flags & N_O_DSYNC) r |= PPM_O_DSYNC;
	if (flags & N_O_DIRECT) r |= PPM_O_DIRECT;
	if (flags & N_O_LARGEFILE) r |= PPM_O_LARGEFILE;
	if ((flags & N_O_TMPFILE) == N_O_TMPFILE) r |= PPM_O_TMPFILE;
	else if (flags & N_O_DIRECTORY) r |= PPM_O_DIRECTORY;
	if (flags & N_O_CLOEXEC) r |= PPM_O_CLOEXEC;
	return r;
}

/* The O_NONBLOCK/O_CLOEXEC bits that socket, accept4 and pipe2 take in their flags. */
static __always_inline __u32 fd_flags_to_scap(unsigned long flags)
{
	return (flags & N_O_NONBLOCK ? PPM_O_NONBLOCK : 0) | (flags & N_O_CLOEXEC ? PPM_O_CLOEXEC : 0);
}

/* The mode argument matters only when a file may be created. */
static __always_inline __u32 open_mode_to_scap(unsigned long flags, unsigned long mode)
{
	if ((flags & N_O_CREAT) || (flags & N_O_TMPFILE) == N_O_TMPFILE)
		return mode & 07777;
	return 0;
}

/* Native openat2 resolve flags (include/uapi/linux/openat2.h). */
static __always_inline __u32 resolve_flags_to_scap(__u64 resolve)
{
	__u32 r = 0;
	if (resolve & 0x01) r |= PPM_RESOLVE_NO_XDEV;
	if (resolve & 0x02) r |= PPM_RESOLVE_NO_MAGICLINKS;
	if (resolve & 0x04) r |= PPM_RESOLVE_NO_SYMLINKS;
	if (resolve & 0x08) r |= PPM_RESOLVE_BENEATH;
	if (resolve & 0x10) r |= PPM_RESOLVE_IN_ROOT;
	if (resolve & 0x20) r |= PPM_RESOLVE_CACHED;
	return r;
}

/* Native clone flags (include/uapi/linux/sched.h). */
static __always_inline __u32 clone_flags_to_scap(__u64 f)
{
	__u32 r = 0;
	if (f & 0x00000100) r |= PPM_CL_VM;
	if (f & 0x00000200) r |= PPM_CL_FS;
	if (f & 0x00000400) r |= PPM_CL_FILES;
	if (f & 0x00000800) r |= PPM_CL_SIGHAND;
	if (f & 0x00002000) r |= PPM_CL_PTRACE;
	if (f & 0x00004000) r |= PPM_CL_VFORK;
	if (f & 0x00008000) r |= PPM_CL_PARENT;
	if (f & 0x00010000) r |= PPM_CL_THREAD;
	if (f & 0x00020000) r |= PPM_CL_NEWNS;
	if (f & 0x00040000) r |= PPM_CL_SYSVSEM;
	if (f & 0x00080000) r |= PPM_CL_SETTLS;
	if (f & 0x00100000) r |= PPM_CL_PARENT_SETTID;
	if (f & 0x00200000) r |= PPM_CL_CHILD_CLEARTID;
	if (f & 0x00800000) r |= PPM_CL_UNTRACED;
	if (f & 0x01000000) r |= PPM_CL_CHILD_SETTID;
	if (f & 0x02000000) r |= PPM_CL_NEWCGROUP;
	if (f & 0x04000000) r |= PPM_CL_NEWUTS;
	if (f & 0x08000000) r |= PPM_CL_NEWIPC;
	if (f & 0x10000000) r |= PPM_CL_NEWUSER;
	if (f & 0x20000000) r |= PPM_CL_NEWPID;
	if (f & 0x40000000) r |= PPM_CL_NEWNET;
	if (f & 0x80000000) r |= PPM_CL_IO;
	return r;
}

/* The struct file of `fd` in the current task, or NULL. */
static __always_inline struct file *fd_file(long fd)
{
	if (fd < 0)
		return NULL;
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if ((unsigned long)fd >= fdt->max_fds)
		return NULL;
	struct file **fds = fdt->fd;
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* A device number as user space sees it (the kernel's new_encode_dev). */
static __always_inline __u32 encode_dev(dev_t dev)
{
	__u32 major = dev >> 20, minor = dev & ((1U << 20) - 1);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline void file_dev_ino(struct file *f, __u32 *dev, __u64 *ino)
{
	*dev = 0;
	*ino = 0;
	if (!f)
		return;
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	*dev = encode_dev(BPF_CORE_READ(inode, i_sb, s_dev));
	*ino = BPF_CORE_READ(inode, i_ino);
}

/* pid number of a struct pid in its own namespace level (0: the root namespace). */
static __always_inline __s64 pid_nr_at(struct pid *pid, bool own_level)
{
	if (!pid)
		return 0;
	unsigned int level = own_level ? BPF_CORE_READ(pid, level) : 0;
	return BPF_CORE_READ(pid, numbers[level].nr);
}

/* Thread id and process id as seen from the task's own pid namespace. */
static __always_inline __s64 task_vtid(struct task_struct *t)
{
	return pid_nr_at(BPF_CORE_READ(t, thread_pid), true);
}

static __always_inline __s64 task_vpid(struct task_struct *t)
{
	return pid_nr_at(BPF_CORE_READ(t, group_leader, thread_pid), true);
}

/* enum pid_type: PIDTYPE_PID 0, PIDTYPE_TGID 1, PIDTYPE_PGID 2, PIDTYPE_SID 3. */
static __always_inline __s64 task_pgid(struct task_struct *t, bool own_level)
{
	return pid_nr_at(BPF_CORE_READ(t, signal, pids[2]), own_level);
}

/* RLIMIT_NOFILE is 7 on every architecture but alpha, mips, sparc. */
static __always_inline __s64 task_fdlimit(struct task_struct *t)
{
	return BPF_CORE_READ(t, signal, rlim[7].rlim_cur);
}

static __always_inline __u32 task_loginuid(struct task_struct *t)
{
	if (bpf_core_field_exists(t->loginuid))
		return BPF_CORE_READ(t, loginuid.val);
	return (__u32)-1;
}

/* A kernel_cap_t as u64: one u64 since 6.3, two u32 before; both 8 bytes, low word first. */
static __always_inline __u64 read_caps(const kernel_cap_t *caps)
{
	__u64 v = 0;
	bpf_probe_read_kernel(&v, sizeof(v), caps);
	return v;
}

/* Start time (boot ns) of the init task of the task's pid namespace. */
static __always_inline __u64 task_pidns_init_start_ts(struct task_struct *t)
{
	struct task_struct *reaper = BPF_CORE_READ(t, nsproxy, pid_ns_for_children, child_reaper);
	if (!reaper)
		return 0;
	return BPF_CORE_READ(reaper, start_time) + boot_ts_epoch_ns;
}

#endif
