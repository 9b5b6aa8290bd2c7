/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of the syscalls that read the caller's ids (getuid, geteuid,
 * getgid, getegid, getresuid, getresgid) and read or set resource limits
 * (getrlimit, setrlimit, prlimit64; sinsp keeps a process's RLIMIT_NOFILE
 * from the last two). Values follow libs' modern_bpf: what a failed call
 * did not fill is stored as libs stores it, noted at each handler.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_IDENTITY_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_IDENTITY_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

/* The id getters cannot fail: the event is the id they returned. */
static __always_inline int emit_id(long ret, __u16 type, __u32 nparams)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, type, nparams);
	aux__u32(a, (__u32)ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getuid_x, struct pt_regs *regs, long ret)
{
	return emit_id(ret, PPME_SYSCALL_GETUID_X, PPME_SYSCALL_GETUID_X_NPARAMS);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(geteuid_x, struct pt_regs *regs, long ret)
{
	return emit_id(ret, PPME_SYSCALL_GETEUID_X, PPME_SYSCALL_GETEUID_X_NPARAMS);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getgid_x, struct pt_regs *regs, long ret)
{
	return emit_id(ret, PPME_SYSCALL_GETGID_X, PPME_SYSCALL_GETGID_X_NPARAMS);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getegid_x, struct pt_regs *regs, long ret)
{
	return emit_id(ret, PPME_SYSCALL_GETEGID_X, PPME_SYSCALL_GETEGID_X_NPARAMS);
}

/* A u32 the kernel wrote to user memory; 0 when it cannot be read. */
static __always_inline __u32 user_u32(const void *ptr)
{
	__u32 v = 0;
	if (bpf_probe_read_user(&v, sizeof(v), ptr) != 0)
		return 0;
	return v;
}

/*
 * getresuid and getresgid: the result, then the three ids the kernel wrote
 * to the caller's pointers (read whatever the result, as libs: a failed
 * call shows what the buffers held, 0 for one that cannot be read).
 */
static __always_inline int emit_res_ids(struct pt_regs *regs, long ret, __u16 type, __u32 nparams)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, type, nparams);
	aux__s64(a, ret);
	aux__u32(a, user_u32((void *)syscall_arg(regs, 0)));
	aux__u32(a, user_u32((void *)syscall_arg(regs, 1)));
	aux__u32(a, user_u32((void *)syscall_arg(regs, 2)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getresuid_x, struct pt_regs *regs, long ret)
{
	return emit_res_ids(regs, ret, PPME_SYSCALL_GETRESUID_X, PPME_SYSCALL_GETRESUID_X_NPARAMS);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getresgid_x, struct pt_regs *regs, long ret)
{
	return emit_res_ids(regs, ret, PPME_SYSCALL_GETRESGID_X, PPME_SYSCALL_GETRESGID_X_NPARAMS);
}

/* RLIMIT_CPU (0) to RLIMIT_RTTIME (15) keep their numbers in the rlimit_resources table; others are RLIMIT_UNKNOWN. */
static __always_inline __u8 rlimit_resource_to_scap(__u32 resource)
{
	return resource <= PPM_RLIMIT_RESOURCES_RLIMIT_RTTIME ? resource : PPM_RLIMIT_RESOURCES_RLIMIT_UNKNOWN;
}

/* struct rlimit64 (include/uapi/linux/resource.h; struct rlimit is the same on x86_64). */
struct identity_rlimit {
	__s64 cur;
	__s64 max;
};

/*
 * struct compat_rlimit (include/linux/compat.h): what ia32 getrlimit (76),
 * ugetrlimit (191) and setrlimit (75) take. COMPAT_RLIM_INFINITY is
 * RLIM_INFINITY to the kernel (kernel/sys.c), and so -1 here.
 */
struct identity_rlimit32 {
	__u32 cur;
	__u32 max;
};
#define N_COMPAT_RLIM_INFINITY 0xffffffffU

static __always_inline __s64 widen_rlim32(__u32 v)
{
	return v == N_COMPAT_RLIM_INFINITY ? -1 : (__s64)v;
}

/*
 * A struct rlimit in user memory, 32-bit (`compat`) or 64-bit; both 0 when
 * it cannot be read (a NULL pointer), as libs.
 */
static __always_inline struct identity_rlimit user_rlimit(const void *ptr, bool compat)
{
	struct identity_rlimit rl = {};
	if (compat) {
		struct identity_rlimit32 rl32 = {};
		if (bpf_probe_read_user(&rl32, sizeof(rl32), ptr) == 0)
			rl = (struct identity_rlimit){widen_rlim32(rl32.cur), widen_rlim32(rl32.max)};
		return rl;
	}
	if (bpf_probe_read_user(&rl, sizeof(rl), ptr) != 0)
		rl.cur = rl.max = 0;
	return rl;
}

/* The limit a call read: the kernel fills it only on success, else -1 and -1 (as libs). */
static __always_inline struct identity_rlimit returned_rlimit(long ret, const void *ptr, bool compat)
{
	if (ret != 0)
		return (struct identity_rlimit){-1, -1};
	return user_rlimit(ptr, compat);
}

static __always_inline void aux__rlimit(struct scap_aux *a, struct identity_rlimit rl)
{
	aux__s64(a, rl.cur);
	aux__s64(a, rl.max);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getrlimit_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_GETRLIMIT_X, PPME_SYSCALL_GETRLIMIT_X_NPARAMS);
	aux__s64(a, ret);
	aux__rlimit(a, returned_rlimit(ret, (void *)syscall_arg(regs, 1), in_ia32_syscall()));
	aux__u8(a, rlimit_resource_to_scap(syscall_arg(regs, 0)));
	aux__submit(a, current_tid());
	return 0;
}

/* The limit asked for, whatever the result. */
SEC("tp_btf/sys_exit")
int BPF_PROG(setrlimit_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SETRLIMIT_X, PPME_SYSCALL_SETRLIMIT_X_NPARAMS);
	aux__s64(a, ret);
	aux__rlimit(a, user_rlimit((void *)syscall_arg(regs, 1), in_ia32_syscall()));
	aux__u8(a, rlimit_resource_to_scap(syscall_arg(regs, 0)));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * prlimit64(pid, resource, new, old): the new limit asked for (0, 0 when
 * none), then the old one returned; struct rlimit64 for ia32 callers too.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(prlimit64_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PRLIMIT_X, PPME_SYSCALL_PRLIMIT_X_NPARAMS);
	aux__s64(a, ret);
	aux__rlimit(a, user_rlimit((void *)syscall_arg(regs, 2), false));
	aux__rlimit(a, returned_rlimit(ret, (void *)syscall_arg(regs, 3), false));
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u8(a, rlimit_resource_to_scap(syscall_arg(regs, 1)));
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define IDENTITY_EXIT_HANDLERS \
	[SCAP_NR_GETUID] = (void *)&getuid_x, \
	[SCAP_NR_GETEUID] = (void *)&geteuid_x, \
	[SCAP_NR_GETGID] = (void *)&getgid_x, \
	[SCAP_NR_GETEGID] = (void *)&getegid_x, \
	[SCAP_NR_GETRESUID] = (void *)&getresuid_x, \
	[SCAP_NR_GETRESGID] = (void *)&getresgid_x, \
	[SCAP_NR_GETRLIMIT] = (void *)&getrlimit_x, \
	[SCAP_NR_SETRLIMIT] = (void *)&setrlimit_x, \
	[SCAP_NR_PRLIMIT64] = (void *)&prlimit64_x,

#endif
