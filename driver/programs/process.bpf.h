/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Process life: clone/fork/vfork/clone3 exits (one event in the parent, one
 * in the child, where the child's returns 0), execve/execveat exits, and
 * procexit from the sched_process_exit tracepoint. Then process attributes
 * (cwd, ids, credentials, capabilities, prctl, namespaces, root), signals
 * to a process or thread, ptrace and pidfds.
 *
 * execve replaces the caller's memory, so at exit its filename argument no
 * longer points anywhere. Reading it at sys_enter is not reliable either: a
 * string in a page the (just forked) caller never touched cannot be faulted
 * in from BPF. sched_process_exec, which fires inside a successful exec,
 * keeps the kernel's copy (bprm->filename) per thread in exec_filenames; the
 * exit takes it back.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_PROCESS_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_PROCESS_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"
#include "../helpers/path.bpf.h"

struct exec_filename {
	char path[SCAP_MAX_PATH_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	/* Execs in flight at once: 4 MiB of paths. */
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct exec_filename);
} exec_filenames SEC(".maps");

/* Scratch value for exec_filenames: too large for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_filename);
} exec_filename_scratch SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (!trace_allowed())
		return 0;
	__u32 zero = 0;
	struct exec_filename *v = bpf_map_lookup_elem(&exec_filename_scratch, &zero);
	if (!v)
		return 0;
	if (bpf_probe_read_kernel_str(v->path, sizeof(v->path), BPF_CORE_READ(bprm, filename)) <= 0)
		return 0;
	__u32 tid = current_tid();
	bpf_map_update_elem(&exec_filenames, &tid, v, BPF_ANY);
	return 0;
}

/*
 * exe (argv[0]) and args (the rest, NUL-separated) from the process's
 * argument area, which after a successful exec is the new program's.
 */
static __always_inline void store_exe_args(struct scap_aux *a, struct mm_struct *mm)
{
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	unsigned long total = end > start ? end - start : 0;
	if (total > SCAP_MAX_ARGS_LEN)
		total = SCAP_MAX_ARGS_LEN;
	__u32 before = a->payload_pos;
	aux__user_str(a, total ? (void *)start : NULL, SCAP_MAX_ARGS_LEN);
	unsigned long exe_len = a->payload_pos - before;
	if (exe_len < total) {
		aux__user_bytes(a, (void *)(start + exe_len), total - exe_len);
		aux__nul_last(a);
	} else {
		aux__empty(a);
	}
}

static __always_inline void store_env(struct scap_aux *a, struct mm_struct *mm)
{
	unsigned long start = BPF_CORE_READ(mm, env_start);
	unsigned long end = BPF_CORE_READ(mm, env_end);
	unsigned long total = end > start ? end - start : 0;
	if (total > SCAP_MAX_ENV_LEN)
		total = SCAP_MAX_ENV_LEN;
	aux__user_bytes(a, (void *)start, total);
	aux__nul_last(a);
}

/* Pointers of a failed exec's argv or envp read at most (libs' MAX_CHARBUF_POINTERS). */
#define SCAP_EXEC_FAILURE_STRINGS 16

/*
 * Appends the strings of the user array `arr[from..]` (each with its NUL)
 * to the parameter being built, until a NULL or unreadable pointer, the
 * SCAP_EXEC_FAILURE_STRINGS-th entry or `space` bytes; stores the
 * parameter, ended by a NUL when cut. A failed exec leaves the caller's
 * memory as it was, so its argv and envp are what it asked to run.
 */
static __always_inline void store_user_strings(struct scap_aux *a, const char *const *arr, __u32 from, __u32 space)
{
	__u32 start = a->payload_pos;
	__u32 total = 0;
	for (__u32 i = from; i < SCAP_EXEC_FAILURE_STRINGS; i++) {
		const char *s = NULL;
		if (bpf_probe_read_user(&s, sizeof(s), &arr[i]) != 0 || !s)
			break;
		long n = bpf_probe_read_user_str(&a->data[AUX_OFF(start + total)], SCAP_MAX_ARGS_LEN, s);
		if (n < 0)
			n = 0;
		total += n;
		if (total >= space) {
			total = space;
			break;
		}
	}
	aux__push_len(a, total);
	aux__nul_last(a);
}

/*
 * exe and args of a failed exec, from the caller's argv as libs takes
 * them: exe is argv[0] ("" when argv is NULL), args the rest, the two
 * within SCAP_MAX_ARGS_LEN bytes.
 */
static __always_inline void store_exe_args_failed(struct scap_aux *a, const char *const *argv)
{
	if (!argv) {
		a->data[AUX_OFF(a->payload_pos)] = 0;
		aux__push_len(a, 1);
		aux__empty(a);
		return;
	}
	const char *exe = NULL;
	__u32 before = a->payload_pos;
	if (bpf_probe_read_user(&exe, sizeof(exe), &argv[0]) != 0 || !exe) {
		/* An empty argv ({NULL}) has nothing after its end to read. */
		aux__empty(a);
		aux__empty(a);
		return;
	}
	aux__user_str(a, exe, SCAP_MAX_ARGS_LEN);
	__u32 exe_len = a->payload_pos - before;
	if (exe_len >= SCAP_MAX_ARGS_LEN) {
		aux__empty(a);
		return;
	}
	store_user_strings(a, argv, 1, SCAP_MAX_ARGS_LEN - exe_len);
}

/* The fields clone and execve exits share, from `tid` through `vm_swap`. */
static __always_inline void store_task_common(struct scap_aux *a, struct task_struct *t, struct mm_struct *mm)
{
	aux__s64(a, BPF_CORE_READ(t, pid));
	aux__s64(a, BPF_CORE_READ(t, tgid));
	aux__s64(a, BPF_CORE_READ(t, real_parent, pid));
	aux__empty(a); /* cwd: needs a path walk the driver does not do yet */
	aux__s64(a, task_fdlimit(t));
	aux__u64(a, BPF_CORE_READ(t, maj_flt));
	aux__u64(a, BPF_CORE_READ(t, min_flt));
	aux__vm_sizes(a, mm);
}

/* tty number as user space sees it: MKDEV(driver major, minor_start) + index, encoded. */
static __always_inline __u32 task_tty(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	if (!tty)
		return 0;
	__u32 major = BPF_CORE_READ(tty, driver, major);
	__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return encode_dev((major << 20) | minor);
}

/*
 * cgroups: for each of the cpuset, cpu, cpuacct, io and memory controllers
 * the kernel knows, "<controller>=<path>\0", the path from the cgroup
 * hierarchy's root ("/" for the root itself). libsinsp derives the
 * container id from these paths, which is why they are worth the walk.
 * As in libs' modern_bpf, only the SCAP_CGROUP_DEPTH innermost components
 * are kept (a deeper path is "/" and those components): the container id
 * is in the last ones. Kept here, not in helpers/ or core_fixes.bpf.h,
 * because only this family's events carry cgroups; move them if another
 * family needs them.
 */
#define SCAP_CGROUP_DEPTH 6
#define SCAP_CGROUP_NAME_MAX 256
#define SCAP_CGROUP_SUBSYS_NAME_MAX 64

/*
 * The cgroup writers below move a->payload_pos itself as a cursor, and
 * store_cgroups puts it back before recording the parameter's length. An
 * offset kept in a register would be a different known range on every
 * path through the reads (five controllers, six names each, each read
 * failing or not), and the verifier could not merge those paths: the
 * clone programs went past its complexity limit. An offset loaded from the
 * aux map is just an unknown number, the same on every path.
 */
static __always_inline void cg_put(struct scap_aux *a, __u8 c)
{
	a->data[AUX_OFF(a->payload_pos)] = c;
	a->payload_pos++;
}

/* Overwrites the last byte written (a string's NUL). */
static __always_inline void cg_replace_last(struct scap_aux *a, __u8 c)
{
	a->data[AUX_OFF(a->payload_pos - 1)] = c;
}

/* A kernel string with its NUL at the cursor; whether anything was written. */
static __always_inline bool cg_str(struct scap_aux *a, const char *str, __u32 max)
{
	long n = bpf_probe_read_kernel_str(&a->data[AUX_OFF(a->payload_pos)], max, str);
	if (n <= 0)
		return false;
	a->payload_pos += n;
	return true;
}

/* Writes one controller's "<name>=<path>\0" at the cursor. */
static __always_inline void store_cgroup_subsys(struct scap_aux *a, struct task_struct *t, __u32 id)
{
	struct cgroup_subsys_state *css = BPF_CORE_READ(t, cgroups, subsys[id]);
	if (!cg_str(a, BPF_CORE_READ(css, ss, name), SCAP_CGROUP_SUBSYS_NAME_MAX))
		return;
	cg_replace_last(a, '=');

	/* Names from the cgroup up; the root's name is "". */
	const char *names[SCAP_CGROUP_DEPTH] = {};
	struct kernfs_node *kn = BPF_CORE_READ(css, cgroup, kn);
	for (int k = 0; k < SCAP_CGROUP_DEPTH; k++) {
		if (!kn)
			break;
		names[k] = BPF_CORE_READ(kn, name);
		kn = kernfs_parent(kn);
	}
	/* Cut short before the root: the path still starts with "/". */
	if (kn)
		cg_put(a, '/');
	/* Root first: each name followed by "/" (the root's empty name gives the leading one). */
	for (int k = SCAP_CGROUP_DEPTH - 1; k >= 0; k--) {
		if (names[k] && cg_str(a, names[k], SCAP_CGROUP_NAME_MAX))
			cg_replace_last(a, '/');
	}
	/* "x=/" (the root) and "x=" (no cgroup) get a NUL; a longer path's trailing "/" becomes it. */
	if (names[1])
		cg_replace_last(a, 0);
	else
		cg_put(a, 0);
}

static __always_inline void store_cgroups(struct scap_aux *a, struct task_struct *t)
{
	__u32 start = a->payload_pos;
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuset_cgrp_id))
		store_cgroup_subsys(a, t, bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id));
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id))
		store_cgroup_subsys(a, t, bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id));
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuacct_cgrp_id))
		store_cgroup_subsys(a, t, bpf_core_enum_value(enum cgroup_subsys_id, cpuacct_cgrp_id));
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, io_cgrp_id))
		store_cgroup_subsys(a, t, bpf_core_enum_value(enum cgroup_subsys_id, io_cgrp_id));
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		store_cgroup_subsys(a, t, bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id));
	__u32 len = a->payload_pos - start;
	a->payload_pos = start;
	aux__end_param(a, len);
}

/* The pid namespace a struct pid was allocated in (its deepest level). */
static __always_inline struct pid_namespace *pid_ns_of(struct pid *pid)
{
	if (!pid)
		return NULL;
	unsigned int level = BPF_CORE_READ(pid, level);
	return BPF_CORE_READ(pid, numbers[level].ns);
}

/*
 * PPM_CL_CHILD_IN_PIDNS, the flag every clone-family exit adds: set when
 * the task is in a pid namespace other than the initial one, or (what only
 * a parent can show) its children go into another namespace than its own.
 */
static __always_inline __u32 clone_pidns_flag(struct task_struct *t)
{
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	struct pid_namespace *ns = pid_ns_of(pid);
	if (BPF_CORE_READ(pid, level) != 0 || BPF_CORE_READ(t, nsproxy, pid_ns_for_children) != ns)
		return PPM_CL_CHILD_IN_PIDNS;
	return 0;
}

/*
 * pidns_init_start_ts: in the child's event only (ret 0), the start time of
 * the init task of the child's pid namespace, as the kernel keeps it
 * (task_struct.start_time, monotonic ns since boot, not epoch); 0 in the
 * parent's. libs' modern_bpf stores the same.
 */
static __always_inline __u64 clone_pidns_init_start(struct task_struct *t, long ret)
{
	if (ret != 0)
		return 0;
	/* The process's pid (PIDTYPE_TGID, 1, in enum pid_type). */
	struct pid_namespace *ns = pid_ns_of(BPF_CORE_READ(t, signal, pids[1]));
	if (!ns)
		return 0;
	return BPF_CORE_READ(ns, child_reaper, start_time);
}

/* Shared by clone, fork, vfork and clone3: `flags` are the event's (PPM_CL_*) flags. */
static __always_inline void emit_clone_x(__u16 type, __u32 nparams, long ret, __u32 flags)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	const struct cred *cred = BPF_CORE_READ(t, cred);
	aux__begin(a, type, nparams);
	aux__s64(a, ret);
	if (ret >= 0) {
		store_exe_args(a, mm);
	} else {
		/* No new task: libs stores neither exe nor args then. */
		aux__empty(a);
		aux__empty(a);
	}
	store_task_common(a, t, mm);
	aux__kernel_str(a, BPF_CORE_READ(t, comm), sizeof(t->comm));
	store_cgroups(a, t);
	aux__u32(a, flags | clone_pidns_flag(t));
	aux__u32(a, BPF_CORE_READ(cred, euid.val));
	aux__u32(a, BPF_CORE_READ(cred, egid.val));
	aux__s64(a, task_vtid(t));
	aux__s64(a, task_vpid(t));
	aux__u64(a, clone_pidns_init_start(t, ret));
	aux__submit(a, current_tid());
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clone_x, struct pt_regs *regs, long ret)
{
	emit_clone_x(PPME_SYSCALL_CLONE_20_X, PPME_SYSCALL_CLONE_20_X_NPARAMS, ret,
		     clone_flags_to_scap(syscall_arg(regs, 0)));
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fork_x, struct pt_regs *regs, long ret)
{
	emit_clone_x(PPME_SYSCALL_FORK_20_X, PPME_SYSCALL_FORK_20_X_NPARAMS, ret, 0);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vfork_x, struct pt_regs *regs, long ret)
{
	/*
	 * No flags of its own: vfork takes no arguments, and every libs driver
	 * stores 0 here (not CLONE_VM|CLONE_VFORK, which it implies); the event
	 * type says vfork.
	 */
	emit_clone_x(PPME_SYSCALL_VFORK_20_X, PPME_SYSCALL_VFORK_20_X_NPARAMS, ret, 0);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clone3_x, struct pt_regs *regs, long ret)
{
	/* struct clone_args starts with the u64 flags (include/uapi/linux/sched.h). */
	__u64 flags = 0;
	bpf_probe_read_user(&flags, sizeof(flags), (void *)syscall_arg(regs, 0));
	emit_clone_x(PPME_SYSCALL_CLONE3_X, PPME_SYSCALL_CLONE3_X_NPARAMS, ret, clone_flags_to_scap(flags));
	return 0;
}

/*
 * trusted_exepath: the path of the task's mm->exe_file, the file the kernel
 * really mapped (symlinks resolved), as the next parameter of the event
 * being built in the sys_exit slot. A global function, so the verifier
 * checks the path walk once on its own, not inside execve_x's and
 * execveat_x's already long bodies.
 */
__noinline int store_exe_path(void)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	aux__file_path(a, BPF_CORE_READ(t, mm, exe_file));
	return 0;
}

static __always_inline void emit_execve_x(struct pt_regs *regs, long ret, bool at)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	const struct cred *cred = BPF_CORE_READ(t, cred);
	struct inode *exe_inode = BPF_CORE_READ(mm, exe_file, f_inode);
	__u32 tid = current_tid();
	struct exec_filename *fname = bpf_map_lookup_elem(&exec_filenames, &tid);

	/*
	 * execveat's exit has execve's parameters but the last (filename). Only
	 * a failed execveat gets here: on x86_64 a successful one reaches
	 * sys_exit as execve (as falcosecurity/libs' modern driver notes), and is
	 * reported as execve, as that driver reports it.
	 */
	if (at)
		aux__begin(a, PPME_SYSCALL_EXECVEAT_X, PPME_SYSCALL_EXECVEAT_X_NPARAMS);
	else
		aux__begin(a, PPME_SYSCALL_EXECVE_19_X, PPME_SYSCALL_EXECVE_19_X_NPARAMS);
	aux__s64(a, ret);
	if (ret == 0)
		store_exe_args(a, mm);
	else
		store_exe_args_failed(a, (const char *const *)syscall_arg(regs, at ? 2 : 1));
	store_task_common(a, t, mm);
	aux__kernel_str(a, BPF_CORE_READ(t, comm), sizeof(t->comm));
	store_cgroups(a, t);
	if (ret == 0) {
		store_env(a, mm);
	} else {
		const char *const *envp = (const char *const *)syscall_arg(regs, at ? 3 : 2);
		if (envp)
			store_user_strings(a, envp, 0, SCAP_MAX_ENV_LEN);
		else
			aux__empty(a);
	}
	aux__u32(a, task_tty(t));
	aux__s64(a, task_pgid(t, true));
	aux__u32(a, task_loginuid(t));
	aux__u32(a, exe_flags(cred, mm));
	aux__u64(a, read_caps(&cred->cap_inheritable));
	aux__u64(a, read_caps(&cred->cap_permitted));
	aux__u64(a, read_caps(&cred->cap_effective));
	aux__u64(a, exe_inode ? BPF_CORE_READ(exe_inode, i_ino) : 0);
	aux__u64(a, exe_inode ? inode_ctime_ns(exe_inode) : 0);
	aux__u64(a, exe_inode ? inode_mtime_ns(exe_inode) : 0);
	aux__u32(a, BPF_CORE_READ(cred, euid.val));
	/* trusted_exepath, stored even when the exec failed (the caller's own exe), as libs does. */
	store_exe_path();
	aux__s64(a, task_pgid(t, false));
	aux__u32(a, BPF_CORE_READ(cred, egid.val));
	if (!at) { /* filename: execveat has none */
		if (fname)
			aux__kernel_str(a, fname->path, SCAP_MAX_PATH_LEN);
		else if (ret != 0)
			aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
		else
			aux__empty(a);
	}
	aux__submit(a, tid);
	if (fname)
		bpf_map_delete_elem(&exec_filenames, &tid);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execve_x, struct pt_regs *regs, long ret)
{
	emit_execve_x(regs, ret, false);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execveat_x, struct pt_regs *regs, long ret)
{
	emit_execve_x(regs, ret, true);
	return 0;
}

/*
 * reaper_tid: who adopts the exiting thread's children, worked out the way
 * the kernel will in forget_original_parent() right after this tracepoint
 * (find_child_reaper()/find_new_reaper() in kernel/exit.c). The answer is a
 * thread id in the root pid namespace (task_struct.pid). libs' modern_bpf
 * sends the same values, and libsinsp (like our inspector) treats anything
 * but a positive tid as "search the thread table yourself":
 *   0   the thread has no children, or it is the last live thread of its
 *       namespace's init (the kernel then kills the whole namespace);
 *   -1  the answer lies beyond the walk bounds below.
 * Children hang off the thread that forked them (task_struct.children), so
 * this is per thread, not only for a group's last thread.
 */
#ifndef PF_EXITING
#define PF_EXITING 0x00000004
#endif
/* Threads looked at per group, ancestors looked at for a subreaper; libs' bounds. */
#define REAPER_MAX_THREADS 30
#define REAPER_MAX_ANCESTORS 60

/*
 * First thread of t's group that is not exiting (for_each_thread order):
 * its tid; 0 when every thread is exiting; -1 when the group has more
 * threads than we walk.
 */
static __always_inline __s64 reaper_live_thread(struct task_struct *t)
{
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	struct list_head *head = &sig->thread_head;
	struct list_head *node = BPF_CORE_READ(head, next);
	unsigned long off = bpf_core_field_offset(struct task_struct, thread_node);
#pragma clang loop unroll(disable)
	for (int i = 0; i < REAPER_MAX_THREADS; i++) {
		if (node == head || !node)
			return 0;
		struct task_struct *th = (void *)node - off;
		if (!(BPF_CORE_READ(th, flags) & PF_EXITING))
			return BPF_CORE_READ(th, pid);
		node = BPF_CORE_READ(th, thread_node.next);
	}
	return node == head ? 0 : -1;
}

static __always_inline __s64 exit_reaper_tid(struct task_struct *p)
{
	if (BPF_CORE_READ(p, children.next) == &p->children)
		return 0;
	/* 1. Another thread of the same group. */
	__s64 tid = reaper_live_thread(p);
	if (tid)
		return tid;
	/* The init of p's pid namespace, the last resort. */
	struct pid *pid = BPF_CORE_READ(p, thread_pid);
	struct task_struct *init = BPF_CORE_READ(pid_ns_of(pid), child_reaper);
	if (!init || init == p)
		return 0;
	__s64 init_tid = BPF_CORE_READ(init, pid);
	/*
	 * 2. The nearest ancestor that made itself a child subreaper (prctl),
	 * in the same pid namespace level as p (an ancestor in a parent
	 * namespace does not adopt, even after setns() + fork()). The kernel
	 * only looks when some ancestor was a subreaper at fork time.
	 */
	struct signal_struct *sig = BPF_CORE_READ(p, signal);
	if (!BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper))
		return init_tid;
	unsigned int level = BPF_CORE_READ(pid, level);
	struct task_struct *up = BPF_CORE_READ(p, real_parent);
#pragma clang loop unroll(disable)
	for (int i = 0; i < REAPER_MAX_ANCESTORS; i++) {
		if (!up || up == init || BPF_CORE_READ(up, thread_pid, level) != level)
			return init_tid;
		sig = BPF_CORE_READ(up, signal);
		if (BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper)) {
			tid = reaper_live_thread(up);
			if (tid)
				return tid;
		}
		struct task_struct *next = BPF_CORE_READ(up, real_parent);
		/* init_task (pid 0) is its own parent: the top, as in the kernel. */
		if (next == up)
			return init_tid;
		up = next;
	}
	return -1;
}

/*
 * Exit status facts (the wait(2) encoding): exit code in bits 8-15, the
 * terminating signal in bits 0-6, bit 7 set when a core was dumped.
 */
/*
 * With a pid or comm target: a process forked by a captured task is
 * remembered (helpers/base.bpf.h, traced_tgids), so it stays captured once
 * re-parented. A new thread shares its creator's tgid and needs nothing.
 * Loaded only with a target (native/capture/loader.c).
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 tgid = child->tgid;
	if (tgid == parent->tgid || !task_is_target(parent))
		return 0;
	__u8 yes = 1;
	bpf_map_update_elem(&traced_tgids, &tgid, &yes, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	if (!trace_allowed())
		return 0;
	/* The process's last thread: its tgid may be reused by anyone. */
	if ((target_tgid || target_comm[0]) && BPF_CORE_READ(p, signal, live.counter) == 0) {
		__u32 tgid = p->tgid;
		bpf_map_delete_elem(&traced_tgids, &tgid);
	}
	struct scap_aux *a = aux__get_slot(AUX_SLOT_PROCEXIT);
	if (!a)
		return 0;
	int code = BPF_CORE_READ(p, exit_code);
	__u8 sig = code & 0x7f;
	aux__begin(a, PPME_PROCEXIT_1_E, PPME_PROCEXIT_1_E_NPARAMS);
	aux__s64(a, code);
	aux__s64(a, (code >> 8) & 0xff);
	aux__u8(a, sig != 0x7f ? sig : 0);
	aux__u8(a, (code & 0x80) != 0);
	aux__s64(a, exit_reaper_tid(p));
	aux__submit(a, BPF_CORE_READ(p, pid));
	return 0;
}

/* Process attributes: a result and the arguments as passed. */

SEC("tp_btf/sys_exit")
int BPF_PROG(chdir_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_CHDIR_X, PPME_SYSCALL_CHDIR_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fchdir_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FCHDIR_X, PPME_SYSCALL_FCHDIR_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(kill_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_KILL_X, PPME_SYSCALL_KILL_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u8(a, (__u8)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setuid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETUID_X, PPME_SYSCALL_SETUID_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setgid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETGID_X, PPME_SYSCALL_SETGID_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setsid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETSID_X, PPME_SYSCALL_SETSID_X_NPARAMS);
	aux__s64(a, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setpgid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETPGID_X, PPME_SYSCALL_SETPGID_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

/* Credentials: the ids as passed (uid_t/gid_t, -1 meaning "unchanged"). */

SEC("tp_btf/sys_exit")
int BPF_PROG(setresuid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETRESUID_X, PPME_SYSCALL_SETRESUID_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setresgid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETRESGID_X, PPME_SYSCALL_SETRESGID_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setreuid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETREUID_X, PPME_SYSCALL_SETREUID_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setregid_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETREGID_X, PPME_SYSCALL_SETREGID_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * Capability sets as the event stores them: bit n is capability n, the
 * same numbering as the kernel's, for capabilities 0 (CAP_CHOWN) through
 * 40 (CAP_CHECKPOINT_RESTORE), the last one the scap format names; a bit
 * the format has no name for is left out. Local to this family (capset
 * needs the mask, execve's stores predate it).
 */
#define SCAP_CAPS_KNOWN ((1ULL << 41) - 1)

static __always_inline __u64 caps_to_scap(const kernel_cap_t *caps)
{
	return read_caps(caps) & SCAP_CAPS_KNOWN;
}

/* capset's result and the caller's sets after it (the arguments are pointers to versioned structs). */
SEC("tp_btf/sys_exit")
int BPF_PROG(capset_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	const struct cred *cred = BPF_CORE_READ(t, cred);
	aux__begin(a, PPME_SYSCALL_CAPSET_X, PPME_SYSCALL_CAPSET_X_NPARAMS);
	aux__s64(a, ret);
	aux__u64(a, caps_to_scap(&cred->cap_inheritable));
	aux__u64(a, caps_to_scap(&cred->cap_permitted));
	aux__u64(a, caps_to_scap(&cred->cap_effective));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * prctl: the option numbers are stored as the kernel's (the prctl_options
 * table uses the native values). arg2 is a string for the name options
 * (PR_SET_NAME's new name; PR_GET_NAME's buffer, filled by then), the int
 * PR_GET_CHILD_SUBREAPER wrote through it, or the raw value otherwise.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(prctl_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 option = (__u32)syscall_arg(regs, 0);
	unsigned long arg2 = syscall_arg(regs, 1);
	aux__begin(a, PPME_SYSCALL_PRCTL_X, PPME_SYSCALL_PRCTL_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, option);
	if (option == PPM_PRCTL_OPTIONS_PR_SET_NAME || option == PPM_PRCTL_OPTIONS_PR_GET_NAME) {
		aux__user_str(a, (void *)arg2, SCAP_MAX_PATH_LEN);
		aux__s64(a, 0);
	} else if (option == PPM_PRCTL_OPTIONS_PR_GET_CHILD_SUBREAPER) {
		int is_reaper = 0;
		bpf_probe_read_user(&is_reaper, sizeof(is_reaper), (void *)arg2);
		aux__empty(a);
		aux__s64(a, is_reaper);
	} else {
		aux__empty(a);
		aux__s64(a, (__s64)arg2);
	}
	aux__submit(a, current_tid());
	return 0;
}

/* Native ptrace requests (include/uapi/linux/ptrace.h, arch/x86/include/uapi/asm/ptrace-abi.h). */
static __always_inline __u16 ptrace_request_to_scap(unsigned long req)
{
	switch (req) {
	case 0: return PPM_PTRACE_REQUESTS_PTRACE_TRACEME;
	case 1: return PPM_PTRACE_REQUESTS_PTRACE_PEEKTEXT;
	case 2: return PPM_PTRACE_REQUESTS_PTRACE_PEEKDATA;
	case 3: return PPM_PTRACE_REQUESTS_PTRACE_PEEKUSR;
	case 4: return PPM_PTRACE_REQUESTS_PTRACE_POKETEXT;
	case 5: return PPM_PTRACE_REQUESTS_PTRACE_POKEDATA;
	case 6: return PPM_PTRACE_REQUESTS_PTRACE_POKEUSR;
	case 7: return PPM_PTRACE_REQUESTS_PTRACE_CONT;
	case 8: return PPM_PTRACE_REQUESTS_PTRACE_KILL;
	case 9: return PPM_PTRACE_REQUESTS_PTRACE_SINGLESTEP;
	case 12: return PPM_PTRACE_REQUESTS_PTRACE_GETREGS;
	case 13: return PPM_PTRACE_REQUESTS_PTRACE_SETREGS;
	case 14: return PPM_PTRACE_REQUESTS_PTRACE_GETFPREGS;
	case 15: return PPM_PTRACE_REQUESTS_PTRACE_SETFPREGS;
	case 16: return PPM_PTRACE_REQUESTS_PTRACE_ATTACH;
	case 17: return PPM_PTRACE_REQUESTS_PTRACE_DETACH;
	case 18: return PPM_PTRACE_REQUESTS_PTRACE_GETFPXREGS;
	case 19: return PPM_PTRACE_REQUESTS_PTRACE_SETFPXREGS;
	case 21: return PPM_PTRACE_REQUESTS_PTRACE_OLDSETOPTIONS;
	case 24: return PPM_PTRACE_REQUESTS_PTRACE_SYSCALL;
	case 25: return PPM_PTRACE_REQUESTS_PTRACE_GET_THREAD_AREA;
	case 26: return PPM_PTRACE_REQUESTS_PTRACE_SET_THREAD_AREA;
	case 30: return PPM_PTRACE_REQUESTS_PTRACE_ARCH_PRCTL;
	case 31: return PPM_PTRACE_REQUESTS_PTRACE_SYSEMU;
	case 32: return PPM_PTRACE_REQUESTS_PTRACE_SYSEMU_SINGLESTEP;
	case 33: return PPM_PTRACE_REQUESTS_PTRACE_SINGLEBLOCK;
	case 0x4200: return PPM_PTRACE_REQUESTS_PTRACE_SETOPTIONS;
	case 0x4201: return PPM_PTRACE_REQUESTS_PTRACE_GETEVENTMSG;
	case 0x4202: return PPM_PTRACE_REQUESTS_PTRACE_GETSIGINFO;
	case 0x4203: return PPM_PTRACE_REQUESTS_PTRACE_SETSIGINFO;
	case 0x4204: return PPM_PTRACE_REQUESTS_PTRACE_GETREGSET;
	case 0x4205: return PPM_PTRACE_REQUESTS_PTRACE_SETREGSET;
	case 0x4206: return PPM_PTRACE_REQUESTS_PTRACE_SEIZE;
	case 0x4207: return PPM_PTRACE_REQUESTS_PTRACE_INTERRUPT;
	case 0x4208: return PPM_PTRACE_REQUESTS_PTRACE_LISTEN;
	case 0x4209: return PPM_PTRACE_REQUESTS_PTRACE_PEEKSIGINFO;
	case 0x420a: return PPM_PTRACE_REQUESTS_PTRACE_GETSIGMASK;
	case 0x420b: return PPM_PTRACE_REQUESTS_PTRACE_SETSIGMASK;
	default: return PPM_PTRACE_REQUESTS_PTRACE_UNKNOWN;
	}
}

/*
 * ptrace's addr and data are dynamic parameters: a one-byte index into the
 * schema's DYN_PTRACE list (scapfile/schema/event-build.ts: 0 a u64,
 * 1 a signal number), then the value. events.h has no names for these
 * indexes, hence the local ones.
 */
#define SCAP_PTRACE_DYN_U64 0
#define SCAP_PTRACE_DYN_SIG 1

static __always_inline void store_ptrace_u64(struct scap_aux *a, __u64 v)
{
	aux__put_u8(a, 0, SCAP_PTRACE_DYN_U64);
	aux__put_u64(a, 1, v);
	aux__end_param(a, 1 + sizeof(__u64));
}

/*
 * addr and data of a failed call are 0. Of a successful one: the word a
 * PEEK request wrote to *data; the signal a resuming request delivers;
 * the value as passed otherwise.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(ptrace_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u16 req = ptrace_request_to_scap(syscall_arg(regs, 0));
	unsigned long data = syscall_arg(regs, 3);
	aux__begin(a, PPME_SYSCALL_PTRACE_X, PPME_SYSCALL_PTRACE_X_NPARAMS);
	aux__s64(a, ret);
	store_ptrace_u64(a, ret < 0 ? 0 : syscall_arg(regs, 2));
	if (ret < 0) {
		store_ptrace_u64(a, 0);
	} else if (req == PPM_PTRACE_REQUESTS_PTRACE_PEEKTEXT || req == PPM_PTRACE_REQUESTS_PTRACE_PEEKDATA ||
		   req == PPM_PTRACE_REQUESTS_PTRACE_PEEKUSR) {
		__u64 word = 0;
		bpf_probe_read_user(&word, sizeof(word), (void *)data);
		store_ptrace_u64(a, word);
	} else if (req == PPM_PTRACE_REQUESTS_PTRACE_CONT || req == PPM_PTRACE_REQUESTS_PTRACE_SINGLESTEP ||
		   req == PPM_PTRACE_REQUESTS_PTRACE_DETACH || req == PPM_PTRACE_REQUESTS_PTRACE_SYSCALL) {
		aux__put_u8(a, 0, SCAP_PTRACE_DYN_SIG);
		aux__put_u8(a, 1, (__u8)data);
		aux__end_param(a, 2);
	} else {
		store_ptrace_u64(a, data);
	}
	aux__u16(a, req);
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

/* Signals to one thread: tkill(tid, sig), tgkill(tgid, tid, sig). */

SEC("tp_btf/sys_exit")
int BPF_PROG(tkill_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_TKILL_X, PPME_SYSCALL_TKILL_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u8(a, (__u8)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tgkill_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_TGKILL_X, PPME_SYSCALL_TGKILL_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__u8(a, (__u8)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(chroot_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_CHROOT_X, PPME_SYSCALL_CHROOT_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__submit(a, current_tid());
	return 0;
}

/* Namespaces: unshare's flags and setns's nstype are CLONE_NEW* bits, stored as clone flags. */

SEC("tp_btf/sys_exit")
int BPF_PROG(unshare_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_UNSHARE_X, PPME_SYSCALL_UNSHARE_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, clone_flags_to_scap((__u32)syscall_arg(regs, 0)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(setns_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETNS_X, PPME_SYSCALL_SETNS_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, clone_flags_to_scap((__u32)syscall_arg(regs, 1)));
	aux__submit(a, current_tid());
	return 0;
}

/* pidfd_open's only flag, PIDFD_NONBLOCK, is O_NONBLOCK (include/uapi/linux/pidfd.h). */
#define N_PIDFD_NONBLOCK 00004000

SEC("tp_btf/sys_exit")
int BPF_PROG(pidfd_open_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PIDFD_OPEN_X, PPME_SYSCALL_PIDFD_OPEN_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, syscall_arg(regs, 1) & N_PIDFD_NONBLOCK ? PPM_PIDFD_OPEN_FLAGS_PIDFD_NONBLOCK : 0);
	aux__submit(a, current_tid());
	return 0;
}

/* flags: none are defined yet; stored as passed. */
SEC("tp_btf/sys_exit")
int BPF_PROG(pidfd_getfd_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PIDFD_GETFD_X, PPME_SYSCALL_PIDFD_GETFD_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define PROCESS_EXIT_HANDLERS \
	[SCAP_NR_CLONE] = (void *)&clone_x, \
	[SCAP_NR_FORK] = (void *)&fork_x, \
	[SCAP_NR_VFORK] = (void *)&vfork_x, \
	[SCAP_NR_CLONE3] = (void *)&clone3_x, \
	[SCAP_NR_EXECVE] = (void *)&execve_x, \
	[SCAP_NR_EXECVEAT] = (void *)&execveat_x, \
	[SCAP_NR_SETPGID] = (void *)&setpgid_x, \
	[SCAP_NR_CHDIR] = (void *)&chdir_x, \
	[SCAP_NR_FCHDIR] = (void *)&fchdir_x, \
	[SCAP_NR_KILL] = (void *)&kill_x, \
	[SCAP_NR_SETUID] = (void *)&setuid_x, \
	[SCAP_NR_SETGID] = (void *)&setgid_x, \
	[SCAP_NR_SETSID] = (void *)&setsid_x, \
	[SCAP_NR_SETRESUID] = (void *)&setresuid_x, \
	[SCAP_NR_SETRESGID] = (void *)&setresgid_x, \
	[SCAP_NR_SETREUID] = (void *)&setreuid_x, \
	[SCAP_NR_SETREGID] = (void *)&setregid_x, \
	[SCAP_NR_CAPSET] = (void *)&capset_x, \
	[SCAP_NR_PRCTL] = (void *)&prctl_x, \
	[SCAP_NR_PTRACE] = (void *)&ptrace_x, \
	[SCAP_NR_TKILL] = (void *)&tkill_x, \
	[SCAP_NR_TGKILL] = (void *)&tgkill_x, \
	[SCAP_NR_CHROOT] = (void *)&chroot_x, \
	[SCAP_NR_UNSHARE] = (void *)&unshare_x, \
	[SCAP_NR_SETNS] = (void *)&setns_x, \
	[SCAP_NR_PIDFD_OPEN] = (void *)&pidfd_open_x, \
	[SCAP_NR_PIDFD_GETFD] = (void *)&pidfd_getfd_x,

#endif
