/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of file-system calls that look at files without opening or
 * moving data: the stat family, access, lseek, getdents, mknod, flock, and
 * getcwd. Arguments come from the saved user registers at exit (none of
 * these syscalls changes them). Values follow libs' modern_bpf.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_FS_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_FS_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"
#include "../helpers/exe_flags.bpf.h"

/*
 * Native values whose tables in events.h hold the same numbers, so a
 * conversion is a mask of the known bits: access modes (X_OK 1, W_OK 2,
 * R_OK 4; F_OK is 0), flock operations (LOCK_SH 1, LOCK_EX 2, LOCK_NB 4,
 * LOCK_UN 8), newfstatat's AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT and
 * AT_EMPTY_PATH (include/uapi/linux/fcntl.h).
 */
#define N_ACCESS_KNOWN (PPM_ACCESS_FLAGS_X_OK | PPM_ACCESS_FLAGS_W_OK | PPM_ACCESS_FLAGS_R_OK)
#define N_FLOCK_KNOWN (PPM_FLOCK_FLAGS_LOCK_SH | PPM_FLOCK_FLAGS_LOCK_EX | PPM_FLOCK_FLAGS_LOCK_NB | PPM_FLOCK_FLAGS_LOCK_UN)
#define N_NEWFSTATAT_KNOWN (PPM_NEWFSTATAT_FLAGS_AT_SYMLINK_NOFOLLOW | PPM_NEWFSTATAT_FLAGS_AT_NO_AUTOMOUNT | \
			    PPM_NEWFSTATAT_FLAGS_AT_EMPTY_PATH)

/*
 * File types (include/uapi/linux/stat.h), the same numbers as the
 * mknod_mode table's S_IF* entries; N_S_IFMT and N_S_IFREG are
 * exe_flags.bpf.h's.
 */
#define N_S_IFSOCK 0140000
#define N_S_IFBLK 0060000
#define N_S_IFCHR 0020000
#define N_S_IFIFO 0010000

/*
 * mknod's mode: the permission bits as they are, and the file type when it
 * is one mknod makes (a type of 0 means a regular file, as for the kernel);
 * a directory or symlink type is dropped, as libs does.
 */
static __always_inline __u32 mknod_mode_to_scap(__u32 mode)
{
	__u32 type = mode & N_S_IFMT;
	switch (type) {
	case 0:
		type = N_S_IFREG;
		break;
	case N_S_IFSOCK:
	case N_S_IFREG:
	case N_S_IFBLK:
	case N_S_IFCHR:
	case N_S_IFIFO:
		break;
	default:
		type = 0;
	}
	return (mode & 07777) | type;
}

/* SEEK_SET, SEEK_CUR and SEEK_END (0, 1, 2) as themselves; SEEK_DATA, SEEK_HOLE and others as 0, as libs. */
static __always_inline __u8 lseek_whence_to_scap(unsigned long whence)
{
	return whence <= PPM_LSEEK_WHENCE_SEEK_END ? whence : 0;
}

/* A result and one path (stat, lstat). */
static __always_inline void store_res_path(struct scap_aux *a, long ret, const void *path)
{
	aux__s64(a, ret);
	aux__user_str(a, path, SCAP_MAX_PATH_LEN);
}

/* A result and one fd (fstat, getdents, getdents64). */
static __always_inline int emit_res_fd(struct pt_regs *regs, long ret, __u16 type, __u32 nparams)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, type, nparams);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(stat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_STAT_X, PPME_SYSCALL_STAT_X_NPARAMS);
	store_res_path(a, ret, (void *)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(lstat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_LSTAT_X, PPME_SYSCALL_LSTAT_X_NPARAMS);
	store_res_path(a, ret, (void *)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fstat_x, struct pt_regs *regs, long ret)
{
	return emit_res_fd(regs, ret, PPME_SYSCALL_FSTAT_X, PPME_SYSCALL_FSTAT_X_NPARAMS);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(newfstatat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_NEWFSTATAT_X, PPME_SYSCALL_NEWFSTATAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, syscall_arg(regs, 3) & N_NEWFSTATAT_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(access_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_ACCESS_X, PPME_SYSCALL_ACCESS_X_NPARAMS);
	store_res_path(a, ret, (void *)syscall_arg(regs, 0));
	aux__u32(a, syscall_arg(regs, 1) & N_ACCESS_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(lseek_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_LSEEK_X, PPME_SYSCALL_LSEEK_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
	aux__u8(a, lseek_whence_to_scap(syscall_arg(regs, 2)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getdents_x, struct pt_regs *regs, long ret)
{
	return emit_res_fd(regs, ret, PPME_SYSCALL_GETDENTS_X, PPME_SYSCALL_GETDENTS_X_NPARAMS);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getdents64_x, struct pt_regs *regs, long ret)
{
	return emit_res_fd(regs, ret, PPME_SYSCALL_GETDENTS64_X, PPME_SYSCALL_GETDENTS64_X_NPARAMS);
}

/*
 * mknod's dev is encoded again as the kernel encodes its own dev_t for user
 * space (encode_dev), although the caller's value already is in that form:
 * libs does so, and sinsp shows the stored number.
 */
static __always_inline void store_mknod(struct scap_aux *a, struct pt_regs *regs, int first)
{
	aux__user_str(a, (void *)syscall_arg(regs, first), SCAP_MAX_PATH_LEN);
	aux__u32(a, mknod_mode_to_scap((__u32)syscall_arg(regs, first + 1)));
	aux__u32(a, encode_dev((__u32)syscall_arg(regs, first + 2)));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mknod_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MKNOD_X, PPME_SYSCALL_MKNOD_X_NPARAMS);
	aux__s64(a, ret);
	store_mknod(a, regs, 0);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mknodat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MKNODAT_X, PPME_SYSCALL_MKNODAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	store_mknod(a, regs, 1);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(flock_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FLOCK_X, PPME_SYSCALL_FLOCK_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, syscall_arg(regs, 1) & N_FLOCK_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

/* The directory the kernel wrote to the caller's buffer; nothing when the call failed (the buffer holds junk). */
SEC("tp_btf/sys_exit")
int BPF_PROG(getcwd_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_GETCWD_X, PPME_SYSCALL_GETCWD_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, ret >= 0 ? (void *)syscall_arg(regs, 0) : NULL, SCAP_MAX_PATH_LEN);
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define FS_EXIT_HANDLERS \
	[SCAP_NR_STAT] = (void *)&stat_x, \
	[SCAP_NR_LSTAT] = (void *)&lstat_x, \
	[SCAP_NR_FSTAT] = (void *)&fstat_x, \
	[SCAP_NR_NEWFSTATAT] = (void *)&newfstatat_x, \
	[SCAP_NR_ACCESS] = (void *)&access_x, \
	[SCAP_NR_LSEEK] = (void *)&lseek_x, \
	[SCAP_NR_GETDENTS] = (void *)&getdents_x, \
	[SCAP_NR_GETDENTS64] = (void *)&getdents64_x, \
	[SCAP_NR_MKNOD] = (void *)&mknod_x, \
	[SCAP_NR_MKNODAT] = (void *)&mknodat_x, \
	[SCAP_NR_FLOCK] = (void *)&flock_x, \
	[SCAP_NR_GETCWD] = (void *)&getcwd_x,

#endif
