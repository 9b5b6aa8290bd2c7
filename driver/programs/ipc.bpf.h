/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of IPC, event-fd and security-relevant syscalls (eventfd,
 * signalfd, timerfd, inotify, epoll_create, bpf, modules, userfaultfd,
 * io_uring, process_vm_*, seccomp, quotactl).
 *
 * Arguments come from the saved user registers at exit (none of these
 * syscalls changes them); structures the kernel fills in (io_uring_params,
 * the quota structures, the local iovecs of process_vm_readv) are read from
 * user memory at exit, so they hold what the kernel wrote back. Values
 * follow libs' modern_bpf, with the exceptions noted at each handler.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_IPC_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_IPC_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"
#include "../helpers/iovec.bpf.h"

/*
 * Native values (uapi headers, x86_64). Local to this family: no other
 * family converts them, so they do not belong in extract.bpf.h.
 */
#define N_EPOLL_CLOEXEC N_O_CLOEXEC /* include/uapi/linux/eventpoll.h */

/* include/uapi/linux/module.h */
#define N_MODULE_INIT_IGNORE_MODVERSIONS 1
#define N_MODULE_INIT_IGNORE_VERMAGIC 2
#define N_MODULE_INIT_COMPRESSED_FILE 4

/* include/uapi/linux/io_uring.h: io_uring_params.flags, .features; io_uring_enter flags. */
#define N_IORING_SETUP_IOPOLL (1U << 0)
#define N_IORING_SETUP_SQPOLL (1U << 1)
#define N_IORING_SETUP_SQ_AFF (1U << 2)
#define N_IORING_SETUP_CQSIZE (1U << 3)
#define N_IORING_SETUP_CLAMP (1U << 4)
#define N_IORING_SETUP_ATTACH_WQ (1U << 5)
#define N_IORING_SETUP_R_DISABLED (1U << 6)
#define N_IORING_FEAT_SINGLE_MMAP (1U << 0)
#define N_IORING_FEAT_NODROP (1U << 1)
#define N_IORING_FEAT_SUBMIT_STABLE (1U << 2)
#define N_IORING_FEAT_RW_CUR_POS (1U << 3)
#define N_IORING_FEAT_CUR_PERSONALITY (1U << 4)
#define N_IORING_FEAT_FAST_POLL (1U << 5)
#define N_IORING_FEAT_POLL_32BITS (1U << 6)
#define N_IORING_FEAT_SQPOLL_NONFIXED (1U << 7)
#define N_IORING_FEAT_EXT_ARG (1U << 8)
#define N_IORING_FEAT_NATIVE_WORKERS (1U << 9)
#define N_IORING_FEAT_RSRC_TAGS (1U << 10)
#define N_IORING_ENTER_GETEVENTS (1U << 0)
#define N_IORING_ENTER_SQ_WAKEUP (1U << 1)
#define N_IORING_ENTER_SQ_WAIT (1U << 2)
#define N_IORING_ENTER_EXT_ARG (1U << 3)

/* include/uapi/linux/quota.h and fs/xfs's XQM_CMD ('X' << 8 | n). */
#define N_SUBCMDSHIFT 8
#define N_SUBCMDMASK 0x00ff
#define N_Q_SYNC 0x800001
#define N_Q_QUOTAON 0x800002
#define N_Q_QUOTAOFF 0x800003
#define N_Q_GETFMT 0x800004
#define N_Q_GETINFO 0x800005
#define N_Q_SETINFO 0x800006
#define N_Q_GETQUOTA 0x800007
#define N_Q_SETQUOTA 0x800008
#define N_Q_XQUOTAON 0x5801
#define N_Q_XQUOTAOFF 0x5802
#define N_Q_XGETQUOTA 0x5803
#define N_Q_XSETQLIM 0x5804
#define N_Q_XGETQSTAT 0x5805
#define N_Q_XQUOTARM 0x5806
#define N_Q_XQUOTASYNC 0x5807
#define N_USRQUOTA 0
#define N_GRPQUOTA 1
#define N_QFMT_VFS_OLD 1
#define N_QFMT_VFS_V0 2
#define N_QFMT_VFS_V1 4
/* if_dqblk.dqb_valid and if_dqinfo.dqi_valid bits. */
#define N_QIF_BLIMITS 1
#define N_QIF_SPACE 2
#define N_QIF_ILIMITS 4
#define N_QIF_BTIME 16
#define N_QIF_ITIME 32
#define N_IIF_BGRACE 1
#define N_IIF_IGRACE 2
#define N_IIF_FLAGS 4

/*
 * The user-space structures read here, by their uapi layout (stable ABI),
 * declared locally rather than taken from vmlinux.h: only their leading
 * fields are needed, and a shorter read cannot fail on the unused tail.
 */
struct ipc_io_uring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;
	__u32 features;
};

struct ipc_if_dqblk {
	__u64 dqb_bhardlimit;
	__u64 dqb_bsoftlimit;
	__u64 dqb_curspace;
	__u64 dqb_ihardlimit;
	__u64 dqb_isoftlimit;
	__u64 dqb_curinodes;
	__u64 dqb_btime;
	__u64 dqb_itime;
	__u32 dqb_valid;
};

struct ipc_if_dqinfo {
	__u64 dqi_bgrace;
	__u64 dqi_igrace;
	__u32 dqi_flags;
	__u32 dqi_valid;
};

/*
 * Conversions of this family's native flags to the PPM_* values of
 * events.h. Here and not in extract.bpf.h, which is shared by all families
 * and not this family's to edit.
 */

/*
 * The O_NONBLOCK / O_CLOEXEC pair that eventfd2, signalfd4 and
 * inotify_init1 take (EFD_*, SFD_*, IN_* are the O_* values). A negative
 * flags argument is stored as no flag, as libs does: every bit test would
 * match it.
 */
static __always_inline __u16 ipc_fd_flags(unsigned long flags)
{
	if ((int)flags < 0)
		return 0;
	return fd_flags_to_scap(flags);
}

static __always_inline __u32 finit_module_flags_to_scap(unsigned long f)
{
	__u32 r = 0;
	if (f & N_MODULE_INIT_IGNORE_MODVERSIONS) r |= PPM_FINIT_MODULE_FLAGS_MODULE_INIT_IGNORE_MODVERSIONS;
	if (f & N_MODULE_INIT_IGNORE_VERMAGIC) r |= PPM_FINIT_MODULE_FLAGS_MODULE_INIT_IGNORE_VERMAGIC;
	if (f & N_MODULE_INIT_COMPRESSED_FILE) r |= PPM_FINIT_MODULE_FLAGS_MODULE_INIT_COMPRESSED_FILE;
	return r;
}

/* delete_module takes O_NONBLOCK and O_TRUNC (the latter: force). */
static __always_inline __u32 delete_module_flags_to_scap(unsigned long f)
{
	__u32 r = 0;
	if (f & N_O_NONBLOCK) r |= PPM_DELETE_MODULE_FLAGS_O_NONBLOCK;
	if (f & N_O_TRUNC) r |= PPM_DELETE_MODULE_FLAGS_O_TRUNC;
	return r;
}

/*
 * libs also sets IORING_SQ_NEED_WAKEUP for native bit 0: that is a bit of
 * the SQ ring's flags word (same value as IORING_SETUP_IOPOLL), never a
 * setup flag, so IOPOLL is stored as IOPOLL alone here.
 */
static __always_inline __u32 io_uring_setup_flags_to_scap(__u32 f)
{
	__u32 r = 0;
	if (f & N_IORING_SETUP_IOPOLL) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_IOPOLL;
	if (f & N_IORING_SETUP_SQPOLL) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_SQPOLL;
	if (f & N_IORING_SETUP_SQ_AFF) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_SQ_AFF;
	if (f & N_IORING_SETUP_CQSIZE) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_CQSIZE;
	if (f & N_IORING_SETUP_CLAMP) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_CLAMP;
	if (f & N_IORING_SETUP_ATTACH_WQ) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_ATTACH_RW;
	if (f & N_IORING_SETUP_R_DISABLED) r |= PPM_IO_URING_SETUP_FLAGS_IORING_SETUP_R_DISABLED;
	return r;
}

/*
 * Features the kernel reports back. IORING_FEAT_EXT_ARG is kept: libs
 * drops it (its helper tests a macro named IORING_FEAT_ENTER_EXT_ARG,
 * which no header defines), although its table has the entry
 * (PPM_..._IORING_FEAT_ENTER_EXT_ARG). Features newer than RSRC_TAGS have
 * no entry and are not stored.
 */
static __always_inline __u32 io_uring_setup_feats_to_scap(__u32 f)
{
	__u32 r = 0;
	if (f & N_IORING_FEAT_SINGLE_MMAP) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_SINGLE_MMAP;
	if (f & N_IORING_FEAT_NODROP) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_NODROP;
	if (f & N_IORING_FEAT_SUBMIT_STABLE) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_SUBMIT_STABLE;
	if (f & N_IORING_FEAT_RW_CUR_POS) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_RW_CUR_POS;
	if (f & N_IORING_FEAT_CUR_PERSONALITY) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_CUR_PERSONALITY;
	if (f & N_IORING_FEAT_FAST_POLL) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_FAST_POLL;
	if (f & N_IORING_FEAT_POLL_32BITS) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_POLL_32BITS;
	if (f & N_IORING_FEAT_SQPOLL_NONFIXED) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_SQPOLL_NONFIXED;
	if (f & N_IORING_FEAT_EXT_ARG) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_ENTER_EXT_ARG;
	if (f & N_IORING_FEAT_NATIVE_WORKERS) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_NATIVE_WORKERS;
	if (f & N_IORING_FEAT_RSRC_TAGS) r |= PPM_IO_URING_SETUP_FEATS_IORING_FEAT_RSRC_TAGS;
	return r;
}

static __always_inline __u32 io_uring_enter_flags_to_scap(unsigned long f)
{
	__u32 r = 0;
	if (f & N_IORING_ENTER_GETEVENTS) r |= PPM_IO_URING_ENTER_FLAGS_IORING_ENTER_GETEVENTS;
	if (f & N_IORING_ENTER_SQ_WAKEUP) r |= PPM_IO_URING_ENTER_FLAGS_IORING_ENTER_SQ_WAKEUP;
	if (f & N_IORING_ENTER_SQ_WAIT) r |= PPM_IO_URING_ENTER_FLAGS_IORING_ENTER_SQ_WAIT;
	if (f & N_IORING_ENTER_EXT_ARG) r |= PPM_IO_URING_ENTER_FLAGS_IORING_ENTER_EXT_ARG;
	return r;
}

/* The command part of a quotactl cmd (QCMD(cmd, type) = cmd << 8 | type); 0 when unknown. */
static __always_inline __u16 quotactl_cmd_to_scap(__u32 cmd)
{
	switch (cmd >> N_SUBCMDSHIFT) {
	case N_Q_SYNC: return PPM_QUOTACTL_CMDS_Q_SYNC;
	case N_Q_QUOTAON: return PPM_QUOTACTL_CMDS_Q_QUOTAON;
	case N_Q_QUOTAOFF: return PPM_QUOTACTL_CMDS_Q_QUOTAOFF;
	case N_Q_GETFMT: return PPM_QUOTACTL_CMDS_Q_GETFMT;
	case N_Q_GETINFO: return PPM_QUOTACTL_CMDS_Q_GETINFO;
	case N_Q_SETINFO: return PPM_QUOTACTL_CMDS_Q_SETINFO;
	case N_Q_GETQUOTA: return PPM_QUOTACTL_CMDS_Q_GETQUOTA;
	case N_Q_SETQUOTA: return PPM_QUOTACTL_CMDS_Q_SETQUOTA;
	case N_Q_XQUOTAON: return PPM_QUOTACTL_CMDS_Q_XQUOTAON;
	case N_Q_XQUOTAOFF: return PPM_QUOTACTL_CMDS_Q_XQUOTAOFF;
	case N_Q_XGETQUOTA: return PPM_QUOTACTL_CMDS_Q_XGETQUOTA;
	case N_Q_XSETQLIM: return PPM_QUOTACTL_CMDS_Q_XSETQLIM;
	case N_Q_XGETQSTAT: return PPM_QUOTACTL_CMDS_Q_XGETQSTAT;
	case N_Q_XQUOTARM: return PPM_QUOTACTL_CMDS_Q_XQUOTARM;
	case N_Q_XQUOTASYNC: return PPM_QUOTACTL_CMDS_Q_XQUOTASYNC;
	default: return 0;
	}
}

/* The quota type part of a quotactl cmd; 0 for project quotas, which the table lacks. */
static __always_inline __u8 quotactl_type_to_scap(__u32 cmd)
{
	switch (cmd & N_SUBCMDMASK) {
	case N_USRQUOTA: return PPM_QUOTACTL_TYPES_USRQUOTA;
	case N_GRPQUOTA: return PPM_QUOTACTL_TYPES_GRPQUOTA;
	default: return 0;
	}
}

static __always_inline __u8 quotactl_fmt_to_scap(__u32 fmt)
{
	switch (fmt) {
	case N_QFMT_VFS_OLD: return PPM_QUOTACTL_QUOTA_FMTS_QFMT_VFS_OLD;
	case N_QFMT_VFS_V0: return PPM_QUOTACTL_QUOTA_FMTS_QFMT_VFS_V0;
	case N_QFMT_VFS_V1: return PPM_QUOTACTL_QUOTA_FMTS_QFMT_VFS_V1;
	default: return PPM_QUOTACTL_QUOTA_FMTS_QFMT_NOT_USED;
	}
}

/* eventfd takes no flags: 0, as libs stores. initval is the syscall's unsigned int. */
SEC("tp_btf/sys_exit")
int BPF_PROG(eventfd_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_EVENTFD_X, PPME_SYSCALL_EVENTFD_X_NPARAMS);
	aux__s64(a, ret);
	aux__u64(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, 0);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(eventfd2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_EVENTFD2_X, PPME_SYSCALL_EVENTFD2_X_NPARAMS);
	aux__s64(a, ret);
	aux__u16(a, ipc_fd_flags(syscall_arg(regs, 1)));
	aux__u64(a, (__u32)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * signalfd and signalfd4: the mask and signalfd's flags are stored as 0,
 * as every libs driver does (the schema has the fields, no driver fills
 * them; sinsp does not use them).
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(signalfd_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SIGNALFD_X, PPME_SYSCALL_SIGNALFD_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, 0);
	aux__u8(a, 0);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(signalfd4_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SIGNALFD4_X, PPME_SYSCALL_SIGNALFD4_X_NPARAMS);
	aux__s64(a, ret);
	aux__u16(a, ipc_fd_flags(syscall_arg(regs, 3)));
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, 0);
	aux__submit(a, current_tid());
	return 0;
}

/* TFD_NONBLOCK and TFD_CLOEXEC are the O_* values. */
SEC("tp_btf/sys_exit")
int BPF_PROG(timerfd_create_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_TIMERFD_CREATE_X, PPME_SYSCALL_TIMERFD_CREATE_X_NPARAMS);
	aux__s64(a, ret);
	aux__u8(a, (__u8)syscall_arg(regs, 0));
	aux__u8(a, (__u8)ipc_fd_flags(syscall_arg(regs, 1)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(inotify_init_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_INOTIFY_INIT_X, PPME_SYSCALL_INOTIFY_INIT_X_NPARAMS);
	aux__s64(a, ret);
	aux__u8(a, 0);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(inotify_init1_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_INOTIFY_INIT1_X, PPME_SYSCALL_INOTIFY_INIT1_X_NPARAMS);
	aux__s64(a, ret);
	aux__u16(a, ipc_fd_flags(syscall_arg(regs, 0)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(epoll_create_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_EPOLL_CREATE_X, PPME_SYSCALL_EPOLL_CREATE_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)(int)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(epoll_create1_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_EPOLL_CREATE1_X, PPME_SYSCALL_EPOLL_CREATE1_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, syscall_arg(regs, 0) & N_EPOLL_CLOEXEC ? PPM_EPOLL_CREATE1_FLAGS_EPOLL_CLOEXEC : 0);
	aux__submit(a, current_tid());
	return 0;
}

/* bpf: the current layout (BPF_2_X). Commands are the same numbers in the PPM table. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bpf_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_BPF_2_X, PPME_SYSCALL_BPF_2_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * init_module: the image is cut at SCAP_MAX_SNAPLEN, the driver's limit
 * for byte buffers (libs stores up to 64 KiB of it, its length modulo
 * 2^16, which can make the event too large to send); length is the full
 * length passed.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(init_module_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u64 len = syscall_arg(regs, 1);
	aux__begin(a, PPME_SYSCALL_INIT_MODULE_X, PPME_SYSCALL_INIT_MODULE_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_bytes(a, (void *)syscall_arg(regs, 0), len > SCAP_MAX_SNAPLEN ? SCAP_MAX_SNAPLEN : (__u32)len);
	aux__u64(a, len);
	aux__user_str(a, (void *)syscall_arg(regs, 2), SCAP_MAX_ARGS_LEN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(finit_module_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FINIT_MODULE_X, PPME_SYSCALL_FINIT_MODULE_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_ARGS_LEN);
	aux__u32(a, finit_module_flags_to_scap(syscall_arg(regs, 2)));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(delete_module_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_DELETE_MODULE_X, PPME_SYSCALL_DELETE_MODULE_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, delete_module_flags_to_scap(syscall_arg(regs, 1)));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * userfaultfd: the flags as passed (O_CLOEXEC, O_NONBLOCK,
 * UFFD_USER_MODE_ONLY), not converted: every libs driver stores them so,
 * although the schema names the file_flags table.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(userfaultfd_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_USERFAULTFD_X, PPME_SYSCALL_USERFAULTFD_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

/* io_uring_setup: the parameters as the kernel wrote them back (all 0 when unreadable). */
SEC("tp_btf/sys_exit")
int BPF_PROG(io_uring_setup_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	struct ipc_io_uring_params p = {};
	if (bpf_probe_read_user(&p, sizeof(p), (void *)syscall_arg(regs, 1)) != 0)
		__builtin_memset(&p, 0, sizeof(p));
	aux__begin(a, PPME_SYSCALL_IO_URING_SETUP_X, PPME_SYSCALL_IO_URING_SETUP_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, p.sq_entries);
	aux__u32(a, p.cq_entries);
	aux__u32(a, io_uring_setup_flags_to_scap(p.flags));
	aux__u32(a, p.sq_thread_cpu);
	aux__u32(a, p.sq_thread_idle);
	aux__u32(a, io_uring_setup_feats_to_scap(p.features));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * io_uring_enter: `sig` is the low 32 bits of the sigset pointer, as every
 * libs driver stores it (the schema's SIGSET suggests the set itself).
 * The last argument, argsz, has no parameter.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(io_uring_enter_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_IO_URING_ENTER_X, PPME_SYSCALL_IO_URING_ENTER_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__u32(a, io_uring_enter_flags_to_scap(syscall_arg(regs, 3)));
	aux__u32(a, (__u32)syscall_arg(regs, 4));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * io_uring_register(fd, opcode, arg, nr_args): the opcodes of the
 * io_uring_register_opcodes table are the native ones (a newer opcode
 * keeps its number, unnamed); arg is stored as the pointer it is.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(io_uring_register_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_IO_URING_REGISTER_X, PPME_SYSCALL_IO_URING_REGISTER_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u16(a, (__u16)syscall_arg(regs, 1));
	aux__u64(a, syscall_arg(regs, 2));
	aux__u32(a, (__u32)syscall_arg(regs, 3));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * process_vm_readv / process_vm_writev: the data of the local iovecs (what
 * was read into them, or what was written from them), up to the bytes
 * transferred and snaplen; empty when nothing was transferred.
 */
static __always_inline void process_vm_x(struct pt_regs *regs, long ret, __u16 type, __u32 nparams)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return;
	aux__begin(a, type, nparams);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	if (ret > 0) {
		__u32 max = snaplen;
		if ((unsigned long)ret < max)
			max = ret;
		aux__iovec_data(a, iovecs__load(a, (const void *)syscall_arg(regs, 1), syscall_arg(regs, 2)), max);
	} else {
		aux__empty(a);
	}
	aux__submit(a, current_tid());
}

SEC("tp_btf/sys_exit")
int BPF_PROG(process_vm_readv_x, struct pt_regs *regs, long ret)
{
	process_vm_x(regs, ret, PPME_SYSCALL_PROCESS_VM_READV_X, PPME_SYSCALL_PROCESS_VM_READV_X_NPARAMS);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(process_vm_writev_x, struct pt_regs *regs, long ret)
{
	process_vm_x(regs, ret, PPME_SYSCALL_PROCESS_VM_WRITEV_X, PPME_SYSCALL_PROCESS_VM_WRITEV_X_NPARAMS);
	return 0;
}

/* seccomp: operation as passed, flags (an unsigned int) widened to the schema's u64. */
SEC("tp_btf/sys_exit")
int BPF_PROG(seccomp_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SECCOMP_X, PPME_SYSCALL_SECCOMP_X_NPARAMS);
	aux__s64(a, ret);
	aux__u64(a, syscall_arg(regs, 0));
	aux__u64(a, (__u32)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * quotactl(cmd, special, id, addr). What addr points to depends on the
 * command: the quota file path (Q_QUOTAON), an if_dqblk (Q_GETQUOTA,
 * Q_SETQUOTA), an if_dqinfo (Q_GETINFO, Q_SETINFO), the format (Q_GETFMT).
 * Fields of the structures are stored only when their valid bit is set,
 * else 0. id is stored for the per-id commands only; for Q_QUOTAON it is
 * the quota format. dqi_flags is stored as the kernel's value, as libs does.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(quotactl_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 cmd = syscall_arg(regs, 0);
	__u32 id = syscall_arg(regs, 2);
	void *addr = (void *)syscall_arg(regs, 3);
	__u16 scmd = quotactl_cmd_to_scap(cmd);

	aux__begin(a, PPME_SYSCALL_QUOTACTL_X, PPME_SYSCALL_QUOTACTL_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	if (scmd == PPM_QUOTACTL_CMDS_Q_QUOTAON)
		aux__user_str(a, addr, SCAP_MAX_PATH_LEN);
	else
		aux__empty(a);

	struct ipc_if_dqblk b = {};
	if ((scmd == PPM_QUOTACTL_CMDS_Q_GETQUOTA || scmd == PPM_QUOTACTL_CMDS_Q_SETQUOTA) &&
	    bpf_probe_read_user(&b, sizeof(b), addr) != 0)
		__builtin_memset(&b, 0, sizeof(b));
	aux__u64(a, b.dqb_valid & N_QIF_BLIMITS ? b.dqb_bhardlimit : 0);
	aux__u64(a, b.dqb_valid & N_QIF_BLIMITS ? b.dqb_bsoftlimit : 0);
	aux__u64(a, b.dqb_valid & N_QIF_SPACE ? b.dqb_curspace : 0);
	aux__u64(a, b.dqb_valid & N_QIF_ILIMITS ? b.dqb_ihardlimit : 0);
	aux__u64(a, b.dqb_valid & N_QIF_ILIMITS ? b.dqb_isoftlimit : 0);
	aux__u64(a, b.dqb_valid & N_QIF_BTIME ? b.dqb_btime : 0);
	aux__u64(a, b.dqb_valid & N_QIF_ITIME ? b.dqb_itime : 0);

	struct ipc_if_dqinfo i = {};
	if ((scmd == PPM_QUOTACTL_CMDS_Q_GETINFO || scmd == PPM_QUOTACTL_CMDS_Q_SETINFO) &&
	    bpf_probe_read_user(&i, sizeof(i), addr) != 0)
		__builtin_memset(&i, 0, sizeof(i));
	aux__u64(a, i.dqi_valid & N_IIF_BGRACE ? i.dqi_bgrace : 0);
	aux__u64(a, i.dqi_valid & N_IIF_IGRACE ? i.dqi_igrace : 0);
	aux__u8(a, i.dqi_valid & N_IIF_FLAGS ? (__u8)i.dqi_flags : 0);

	__u8 fmt_out = PPM_QUOTACTL_QUOTA_FMTS_QFMT_NOT_USED;
	if (scmd == PPM_QUOTACTL_CMDS_Q_GETFMT) {
		__u32 fmt = 0;
		bpf_probe_read_user(&fmt, sizeof(fmt), addr);
		fmt_out = quotactl_fmt_to_scap(fmt);
	}
	aux__u8(a, fmt_out);
	aux__u16(a, scmd);
	aux__u8(a, quotactl_type_to_scap(cmd));
	bool per_id = scmd == PPM_QUOTACTL_CMDS_Q_GETQUOTA || scmd == PPM_QUOTACTL_CMDS_Q_SETQUOTA ||
		      scmd == PPM_QUOTACTL_CMDS_Q_XGETQUOTA || scmd == PPM_QUOTACTL_CMDS_Q_XSETQLIM;
	aux__u32(a, per_id ? id : 0);
	aux__u8(a, scmd == PPM_QUOTACTL_CMDS_Q_QUOTAON ? quotactl_fmt_to_scap(id)
						       : PPM_QUOTACTL_QUOTA_FMTS_QFMT_NOT_USED);
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define IPC_EXIT_HANDLERS \
	[SCAP_NR_EVENTFD] = (void *)&eventfd_x, \
	[SCAP_NR_EVENTFD2] = (void *)&eventfd2_x, \
	[SCAP_NR_SIGNALFD] = (void *)&signalfd_x, \
	[SCAP_NR_SIGNALFD4] = (void *)&signalfd4_x, \
	[SCAP_NR_TIMERFD_CREATE] = (void *)&timerfd_create_x, \
	[SCAP_NR_INOTIFY_INIT] = (void *)&inotify_init_x, \
	[SCAP_NR_INOTIFY_INIT1] = (void *)&inotify_init1_x, \
	[SCAP_NR_EPOLL_CREATE] = (void *)&epoll_create_x, \
	[SCAP_NR_EPOLL_CREATE1] = (void *)&epoll_create1_x, \
	[SCAP_NR_BPF] = (void *)&bpf_x, \
	[SCAP_NR_INIT_MODULE] = (void *)&init_module_x, \
	[SCAP_NR_FINIT_MODULE] = (void *)&finit_module_x, \
	[SCAP_NR_DELETE_MODULE] = (void *)&delete_module_x, \
	[SCAP_NR_USERFAULTFD] = (void *)&userfaultfd_x, \
	[SCAP_NR_IO_URING_SETUP] = (void *)&io_uring_setup_x, \
	[SCAP_NR_IO_URING_ENTER] = (void *)&io_uring_enter_x, \
	[SCAP_NR_IO_URING_REGISTER] = (void *)&io_uring_register_x, \
	[SCAP_NR_PROCESS_VM_READV] = (void *)&process_vm_readv_x, \
	[SCAP_NR_PROCESS_VM_WRITEV] = (void *)&process_vm_writev_x, \
	[SCAP_NR_SECCOMP] = (void *)&seccomp_x, \
	[SCAP_NR_QUOTACTL] = (void *)&quotactl_x,

#endif
