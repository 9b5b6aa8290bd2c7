/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of memory and mount syscalls (mmap, munmap, mprotect, brk,
 * memfd_create, the mlock family, mount, umount2, fsconfig). Arguments are read from the
 * saved user registers at exit: none of these syscalls changes them.
 * Layouts: the current (non OLD_VERSION) exit events of scapfile/schema;
 * what each parameter holds follows libs' modern_bpf driver.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_MEM_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_MEM_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

/*
 * Native mmap/mprotect protection bits (include/uapi/asm-generic/mman-common.h).
 * N_PROT_SAO is powerpc's (arch/powerpc/include/uapi/asm/mman.h) and means
 * nothing on x86_64, where the kernel rejects the bit; libs' modern_bpf
 * converts it on every architecture, and so does this driver, to store the
 * same value.
 */
#define N_PROT_READ 0x1
#define N_PROT_WRITE 0x2
#define N_PROT_EXEC 0x4
#define N_PROT_SEM 0x8
#define N_PROT_SAO 0x10
#define N_PROT_GROWSDOWN 0x01000000
#define N_PROT_GROWSUP 0x02000000

static __always_inline __u32 prot_flags_to_scap(unsigned long prot)
{
	__u32 r = 0;
	if (prot & N_PROT_READ) r |= PPM_PROT_FLAGS_PROT_READ;
	if (prot & N_PROT_WRITE) r |= PPM_PROT_FLAGS_PROT_WRITE;
	if (prot & N_PROT_EXEC) r |= PPM_PROT_FLAGS_PROT_EXEC;
	if (prot & N_PROT_SEM) r |= PPM_PROT_FLAGS_PROT_SEM;
	if (prot & N_PROT_GROWSDOWN) r |= PPM_PROT_FLAGS_PROT_GROWSDOWN;
	if (prot & N_PROT_GROWSUP) r |= PPM_PROT_FLAGS_PROT_GROWSUP;
	if (prot & N_PROT_SAO) r |= PPM_PROT_FLAGS_PROT_SAO;
	return r;
}

/*
 * Native mmap flags on x86_64 (include/uapi/linux/mman.h,
 * include/uapi/asm-generic/mman{,-common}.h, arch/x86/include/uapi/asm/mman.h).
 * MAP_FILE is 0 and so never set; MAP_RENAME is mips-only. N_MAP_INHERIT is
 * sparc's and unused on x86_64; libs' modern_bpf converts it everywhere, and
 * so does this driver, to store the same value. MAP_STACK, MAP_HUGETLB,
 * MAP_SYNC and the like have no entry in libs' table and are dropped.
 */
#define N_MAP_SHARED 0x01
#define N_MAP_PRIVATE 0x02
#define N_MAP_FIXED 0x10
#define N_MAP_ANONYMOUS 0x20
#define N_MAP_32BIT 0x40
#define N_MAP_INHERIT 0x80
#define N_MAP_GROWSDOWN 0x0100
#define N_MAP_DENYWRITE 0x0800
#define N_MAP_EXECUTABLE 0x1000
#define N_MAP_LOCKED 0x2000
#define N_MAP_NORESERVE 0x4000
#define N_MAP_POPULATE 0x8000
#define N_MAP_NONBLOCK 0x10000

static __always_inline __u32 mmap_flags_to_scap(unsigned long flags)
{
	__u32 r = 0;
	/* Bit tests, not the MAP_TYPE field: MAP_SHARED_VALIDATE (3) shows as both. */
	if (flags & N_MAP_SHARED) r |= PPM_MMAP_FLAGS_MAP_SHARED;
	if (flags & N_MAP_PRIVATE) r |= PPM_MMAP_FLAGS_MAP_PRIVATE;
	if (flags & N_MAP_FIXED) r |= PPM_MMAP_FLAGS_MAP_FIXED;
	if (flags & N_MAP_ANONYMOUS) r |= PPM_MMAP_FLAGS_MAP_ANONYMOUS;
	if (flags & N_MAP_32BIT) r |= PPM_MMAP_FLAGS_MAP_32BIT;
	if (flags & N_MAP_NORESERVE) r |= PPM_MMAP_FLAGS_MAP_NORESERVE;
	if (flags & N_MAP_POPULATE) r |= PPM_MMAP_FLAGS_MAP_POPULATE;
	if (flags & N_MAP_NONBLOCK) r |= PPM_MMAP_FLAGS_MAP_NONBLOCK;
	if (flags & N_MAP_GROWSDOWN) r |= PPM_MMAP_FLAGS_MAP_GROWSDOWN;
	if (flags & N_MAP_DENYWRITE) r |= PPM_MMAP_FLAGS_MAP_DENYWRITE;
	if (flags & N_MAP_EXECUTABLE) r |= PPM_MMAP_FLAGS_MAP_EXECUTABLE;
	if (flags & N_MAP_INHERIT) r |= PPM_MMAP_FLAGS_MAP_INHERIT;
	if (flags & N_MAP_LOCKED) r |= PPM_MMAP_FLAGS_MAP_LOCKED;
	return r;
}

/* Native memfd_create flags (include/uapi/linux/memfd.h); the huge page size bits are dropped. */
#define N_MFD_CLOEXEC 0x1
#define N_MFD_ALLOW_SEALING 0x2
#define N_MFD_HUGETLB 0x4

static __always_inline __u32 memfd_create_flags_to_scap(unsigned long flags)
{
	__u32 r = 0;
	if (flags & N_MFD_CLOEXEC) r |= PPM_MEMFD_CREATE_FLAGS_MFD_CLOEXEC;
	if (flags & N_MFD_ALLOW_SEALING) r |= PPM_MEMFD_CREATE_FLAGS_MFD_ALLOW_SEALING;
	if (flags & N_MFD_HUGETLB) r |= PPM_MEMFD_CREATE_FLAGS_MFD_HUGETLB;
	return r;
}

/* Native umount2 flags (include/linux/fs.h MNT_*, UMOUNT_NOFOLLOW). */
#define N_MNT_FORCE 0x1
#define N_MNT_DETACH 0x2
#define N_MNT_EXPIRE 0x4
#define N_UMOUNT_NOFOLLOW 0x8

static __always_inline __u32 umount2_flags_to_scap(unsigned long flags)
{
	__u32 r = 0;
	if (flags & N_MNT_FORCE) r |= PPM_UMOUNT_FLAGS_FORCE;
	if (flags & N_MNT_DETACH) r |= PPM_UMOUNT_FLAGS_DETACH;
	if (flags & N_MNT_EXPIRE) r |= PPM_UMOUNT_FLAGS_EXPIRE;
	if (flags & N_UMOUNT_NOFOLLOW) r |= PPM_UMOUNT_FLAGS_NOFOLLOW;
	return r;
}

/*
 * mount(2) flags: the mount_flags table is the native MS_* bits one to one,
 * so they are stored as passed, but for the obsolete magic number
 * MS_MGC_VAL (0xC0ED in the upper 16 bits, required before Linux 2.4 and
 * ignored since), which is cleared so it does not render as flags.
 */
#define N_MS_MGC_MSK 0xffff0000u
#define N_MS_MGC_VAL 0xc0ed0000u

static __always_inline __u32 mount_flags_to_scap(unsigned long flags)
{
	__u32 f = flags;
	if ((f & N_MS_MGC_MSK) == N_MS_MGC_VAL)
		f &= ~N_MS_MGC_MSK;
	return f;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mmap_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MMAP_X, PPME_SYSCALL_MMAP_X_NPARAMS);
	aux__s64(a, ret);
	aux__vm_sizes(a, bpf_get_current_task_btf()->mm);
	aux__u64(a, syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
	aux__u32(a, prot_flags_to_scap(syscall_arg(regs, 2)));
	aux__u32(a, mmap_flags_to_scap(syscall_arg(regs, 3)));
	aux__s64(a, (int)syscall_arg(regs, 4));
	aux__u64(a, syscall_arg(regs, 5));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(munmap_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MUNMAP_X, PPME_SYSCALL_MUNMAP_X_NPARAMS);
	aux__s64(a, ret);
	aux__vm_sizes(a, bpf_get_current_task_btf()->mm);
	aux__u64(a, syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mprotect_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MPROTECT_X, PPME_SYSCALL_MPROTECT_X_NPARAMS);
	aux__s64(a, ret);
	aux__u64(a, syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
	aux__u32(a, prot_flags_to_scap(syscall_arg(regs, 2)));
	aux__submit(a, current_tid());
	return 0;
}

/* brk returns the new program break (or the old one when it fails), never an errno. */
SEC("tp_btf/sys_exit")
int BPF_PROG(brk_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_BRK_4_X, PPME_SYSCALL_BRK_4_X_NPARAMS);
	aux__u64(a, ret);
	aux__vm_sizes(a, bpf_get_current_task_btf()->mm);
	aux__u64(a, syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(memfd_create_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MEMFD_CREATE_X, PPME_SYSCALL_MEMFD_CREATE_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, memfd_create_flags_to_scap(syscall_arg(regs, 1)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mount_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MOUNT_X, PPME_SYSCALL_MOUNT_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN); /* source */
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN); /* target */
	aux__user_str(a, (void *)syscall_arg(regs, 2), SCAP_MAX_PATH_LEN); /* fs type */
	aux__u32(a, mount_flags_to_scap(syscall_arg(regs, 3)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(umount2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_UMOUNT2_X, PPME_SYSCALL_UMOUNT2_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, umount2_flags_to_scap(syscall_arg(regs, 1)));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * fsconfig(fd, cmd, key, value, aux): the fsconfig_cmds table is the
 * native enum (include/uapi/linux/mount.h, stable uapi) one to one. What
 * `value` is depends on cmd (fs/fsopen.c): a string for SET_STRING,
 * SET_PATH and SET_PATH_EMPTY (stored as value_charbuf), a blob of `aux`
 * bytes for SET_BINARY (value_bytebuf), unused otherwise. A failed call
 * stores both empty, as libs does: the kernel may have refused the value.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(fsconfig_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 cmd = syscall_arg(regs, 1);
	const void *value = (void *)syscall_arg(regs, 3);
	int aux = syscall_arg(regs, 4);
	aux__begin(a, PPME_SYSCALL_FSCONFIG_X, PPME_SYSCALL_FSCONFIG_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, cmd);
	aux__user_str(a, (void *)syscall_arg(regs, 2), SCAP_MAX_PATH_LEN);
	if (ret >= 0 && cmd == PPM_FSCONFIG_CMDS_FSCONFIG_SET_BINARY)
		aux__user_bytes(a, value, aux > 0 ? aux : 0);
	else
		aux__empty(a);
	if (ret >= 0 && (cmd == PPM_FSCONFIG_CMDS_FSCONFIG_SET_STRING ||
			 cmd == PPM_FSCONFIG_CMDS_FSCONFIG_SET_PATH ||
			 cmd == PPM_FSCONFIG_CMDS_FSCONFIG_SET_PATH_EMPTY))
		aux__user_str(a, value, SCAP_MAX_PATH_LEN);
	else
		aux__empty(a);
	aux__u32(a, aux);
	aux__submit(a, current_tid());
	return 0;
}

/*
 * mlockall's MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT (1, 2, 4 on x86_64,
 * include/uapi/asm-generic/mman-common.h) and mlock2's MLOCK_ONFAULT (1)
 * have the values of their tables; other bits are not stored.
 */
#define N_MCL_KNOWN (PPM_MLOCKALL_FLAGS_MCL_CURRENT | PPM_MLOCKALL_FLAGS_MCL_FUTURE | PPM_MLOCKALL_FLAGS_MCL_ONFAULT)
#define N_MLOCK2_KNOWN PPM_MLOCK2_FLAGS_MLOCK_ONFAULT

/* mlock, munlock and mlock2 (which adds its flags): a result, the address and the length. */
static __always_inline void store_mlock_range(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	aux__s64(a, ret);
	aux__u64(a, syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mlock_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MLOCK_X, PPME_SYSCALL_MLOCK_X_NPARAMS);
	store_mlock_range(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(munlock_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MUNLOCK_X, PPME_SYSCALL_MUNLOCK_X_NPARAMS);
	store_mlock_range(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mlock2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MLOCK2_X, PPME_SYSCALL_MLOCK2_X_NPARAMS);
	store_mlock_range(a, regs, ret);
	aux__u32(a, syscall_arg(regs, 2) & N_MLOCK2_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mlockall_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MLOCKALL_X, PPME_SYSCALL_MLOCKALL_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, syscall_arg(regs, 0) & N_MCL_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(munlockall_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MUNLOCKALL_X, PPME_SYSCALL_MUNLOCKALL_X_NPARAMS);
	aux__s64(a, ret);
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define MEM_EXIT_HANDLERS \
	[SCAP_NR_MMAP] = (void *)&mmap_x, \
	[SCAP_NR_MUNMAP] = (void *)&munmap_x, \
	[SCAP_NR_MPROTECT] = (void *)&mprotect_x, \
	[SCAP_NR_BRK] = (void *)&brk_x, \
	[SCAP_NR_MEMFD_CREATE] = (void *)&memfd_create_x, \
	[SCAP_NR_MOUNT] = (void *)&mount_x, \
	[SCAP_NR_UMOUNT2] = (void *)&umount2_x, \
	[SCAP_NR_FSCONFIG] = (void *)&fsconfig_x, \
	[SCAP_NR_MLOCK] = (void *)&mlock_x, \
	[SCAP_NR_MUNLOCK] = (void *)&munlock_x, \
	[SCAP_NR_MLOCK2] = (void *)&mlock2_x, \
	[SCAP_NR_MLOCKALL] = (void *)&mlockall_x, \
	[SCAP_NR_MUNLOCKALL] = (void *)&munlockall_x,

#endif
