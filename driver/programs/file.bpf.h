/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of file syscalls. Arguments are read from the saved user
 * registers at exit: these syscalls do not change them. Layouts: the
 * current (non OLD_VERSION) exit events of scapfile/schema.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_FILE_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_FILE_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"
#include "../helpers/iovec.bpf.h"

#include "../helpers/exe_flags.bpf.h"
#include "../helpers/path.bpf.h"

/*
 * FMODE_CREATED (include/linux/fs.h, 1 << 20 since 4.19): set on the struct
 * file when this open created the file. libs reports it as PPM_O_F_CREATED.
 */
#define N_FMODE_CREATED 0x100000

/*
 * What the open family reports of the file it opened: device and inode,
 * and the bits its flags (or creat's creat_flags) add to the caller's
 * open flags: PPM_O_F_CREATED, and on overlayfs which layer the file is on
 * (PPM_FD_UPPER_LAYER / PPM_FD_LOWER_LAYER), as libs' modern_bpf does.
 * Kept here rather than in extract.bpf.h only because that file is shared
 * with work going on in parallel; overlay_layer_flag is exe_flags.bpf.h's.
 */
struct opened_file {
	__u32 dev;
	__u64 ino;
	__u32 created;	/* PPM_O_F_CREATED or 0 */
	__u32 layer;	/* PPM_EXE_UPPER_LAYER, PPM_EXE_LOWER_LAYER or 0 */
};

static __always_inline void opened_file(long fd, struct opened_file *o)
{
	struct file *f = fd >= 0 ? fd_file(fd) : NULL;
	file_dev_ino(f, &o->dev, &o->ino);
	o->created = 0;
	o->layer = 0;
	if (!f)
		return;
	if (BPF_CORE_READ(f, f_mode) & N_FMODE_CREATED)
		o->created = PPM_O_F_CREATED;
	struct dentry *dentry = BPF_CORE_READ(f, f_path.dentry);
	if (dentry)
		o->layer = overlay_layer_flag(dentry);
}

/* The bits an open's flags parameter gets from the opened file. */
static __always_inline __u32 opened_file_flags(const struct opened_file *o)
{
	return o->created | (o->layer == PPM_EXE_UPPER_LAYER ? PPM_FD_UPPER_LAYER : 0) |
	       (o->layer == PPM_EXE_LOWER_LAYER ? PPM_FD_LOWER_LAYER : 0);
}

static __always_inline void store_opened_file(struct scap_aux *a, const struct opened_file *o)
{
	aux__u32(a, o->dev);
	aux__u64(a, o->ino);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(open_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	unsigned long flags = syscall_arg(regs, 1);
	struct opened_file o;
	opened_file(ret, &o);
	aux__begin(a, PPME_SYSCALL_OPEN_X, PPME_SYSCALL_OPEN_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, open_flags_to_scap(flags) | opened_file_flags(&o));
	aux__u32(a, open_mode_to_scap(flags, syscall_arg(regs, 2)));
	store_opened_file(a, &o);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(openat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	unsigned long flags = syscall_arg(regs, 2);
	struct opened_file o;
	opened_file(ret, &o);
	aux__begin(a, PPME_SYSCALL_OPENAT_2_X, PPME_SYSCALL_OPENAT_2_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, open_flags_to_scap(flags) | opened_file_flags(&o));
	aux__u32(a, open_mode_to_scap(flags, syscall_arg(regs, 3)));
	store_opened_file(a, &o);
	aux__submit(a, current_tid());
	return 0;
}

/* struct open_how (include/uapi/linux/openat2.h). */
struct scap_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};

SEC("tp_btf/sys_exit")
int BPF_PROG(openat2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	struct scap_open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)syscall_arg(regs, 2));
	struct opened_file o;
	opened_file(ret, &o);
	aux__begin(a, PPME_SYSCALL_OPENAT2_X, PPME_SYSCALL_OPENAT2_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, open_flags_to_scap(how.flags) | opened_file_flags(&o));
	aux__u32(a, open_mode_to_scap(how.flags, how.mode));
	aux__u32(a, resolve_flags_to_scap(how.resolve));
	store_opened_file(a, &o);
	aux__submit(a, current_tid());
	return 0;
}

/* creat(path, mode) is open(path, O_CREAT | O_WRONLY | O_TRUNC, mode); its event has no flags, but creat_flags for the overlay layer. */
SEC("tp_btf/sys_exit")
int BPF_PROG(creat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	struct opened_file o;
	opened_file(ret, &o);
	aux__begin(a, PPME_SYSCALL_CREAT_X, PPME_SYSCALL_CREAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, open_mode_to_scap(N_O_CREAT, syscall_arg(regs, 1)));
	store_opened_file(a, &o);
	aux__u16(a, (o.layer == PPM_EXE_UPPER_LAYER ? PPM_CREAT_FLAGS_FD_UPPER_LAYER_CREAT : 0) |
			    (o.layer == PPM_EXE_LOWER_LAYER ? PPM_CREAT_FLAGS_FD_LOWER_LAYER_CREAT : 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(close_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_CLOSE_X, PPME_SYSCALL_CLOSE_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * read and write are most of what a busy system does, so they are not
 * tail-called handlers: the sys_exit dispatcher (scap.bpf.c) builds them
 * itself, saving the tail call, a second task lookup and a second
 * bpf_get_current_pid_tgid on the hottest path. Their layout is fixed but
 * for the data's length, so they are built straight into the ring (no aux
 * slot, no copy) at known offsets: the aux__ builders keep their offset in
 * the aux slot and must reload it after every store (the stores are asm
 * with a memory clobber), and they write the parameter lengths one by one,
 * where here the four lengths are one 8-byte store. Layout: res, data (up
 * to snaplen), fd, size.
 */
_Static_assert(PPME_SYSCALL_READ_X_NPARAMS == 4 && PPME_SYSCALL_WRITE_X_NPARAMS == 4,
	       "read_write_x stores res, data, fd and size");
#define RW_LENS_AT (SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN)
#define RW_PAYLOAD_AT (RW_LENS_AT + 4 * SCAP_PARAM_LEN)

/* `ia32`: the dispatcher's compat check, passed on rather than redone for each argument. */
static __always_inline void read_write_x(struct pt_regs *regs, bool ia32, long ret, __u16 type, __u32 nparams,
					 __u32 tid)
{
	/* A read keeps what it returned; a write what the caller passed when it failed (io_snap, below). */
	__u64 want = ret > 0 ? (__u64)ret : type == PPME_SYSCALL_WRITE_X ? syscall_arg_of(regs, 2, ia32) : 0;
	__u32 n = want < snaplen ? (__u32)want : snaplen;
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, RW_PAYLOAD_AT + 8 + n + 12, &head);
	if (!r)
		return;
	__u8 *rec = ring__at(r, head);
	AUX_STORE(64, rec + RW_PAYLOAD_AT, ret);
	n = copy_io(rec + RW_PAYLOAD_AT + 8, (void *)syscall_arg_of(regs, 1, ia32), n);
	barrier_var(n);
	n &= (2 * SCAP_MAX_SNAPLEN - 1);
	__u8 *tail = rec + RW_PAYLOAD_AT + 8 + n;
	AUX_STORE(64, tail, (__s64)(int)syscall_arg_of(regs, 0, ia32));
	AUX_STORE(32, tail + 8, (__u32)syscall_arg_of(regs, 2, ia32));
	AUX_STORE(64, rec + RW_LENS_AT, 8 | (__u64)n << 16 | 8ull << 32 | 4ull << 48);
	__u32 len = RW_PAYLOAD_AT + 8 + n + 12;
	record__header(rec, cpu, len, type, nparams, tid);
	ring__commit(r, cpu, head, len);
}

/*
 * Positional and vectored I/O. Not hot enough to be built in place like
 * read and write: they go through the aux slot. Data is kept up to
 * snaplen, as for read and write: for reads only what the call returned,
 * for writes what the caller passed (the result when it succeeded, else
 * the requested size), which is what libs keeps.
 */
static __always_inline __u32 io_snap(long ret, __u64 fallback)
{
	__u64 n = ret > 0 ? (__u64)ret : fallback;
	return n < snaplen ? (__u32)n : snaplen;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pread64_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PREAD_X, PPME_SYSCALL_PREAD_X_NPARAMS);
	aux__s64(a, ret);
	aux__io_bytes(a, (void *)syscall_arg(regs, 1), io_snap(ret, 0));
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__u64(a, syscall_arg(regs, 3));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pwrite64_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	unsigned long size = syscall_arg(regs, 2);
	aux__begin(a, PPME_SYSCALL_PWRITE_X, PPME_SYSCALL_PWRITE_X_NPARAMS);
	aux__s64(a, ret);
	aux__io_bytes(a, (void *)syscall_arg(regs, 1), io_snap(ret, size));
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, (__u32)size);
	aux__u64(a, syscall_arg(regs, 3));
	aux__submit(a, current_tid());
	return 0;
}

/* readv and preadv: res, size (the result), data (up to the result), fd. */
static __always_inline void store_readv(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	aux__s64(a, ret);
	if (ret > 0) {
		aux__u32(a, (__u32)ret);
		__u32 n = iovecs__load(a, (const void *)syscall_arg(regs, 1), syscall_arg(regs, 2));
		if (n)
			aux__iovec_data(a, n, io_snap(ret, 0));
		else
			aux__empty(a);
	} else {
		aux__u32(a, 0);
		aux__empty(a);
	}
	aux__s64(a, (int)syscall_arg(regs, 0));
}

/* writev and pwritev: res, data (up to the result, or what was passed when it failed), fd, size (the iovecs' sum). */
static __always_inline void store_writev(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	__u32 n = iovecs__load(a, (const void *)syscall_arg(regs, 1), syscall_arg(regs, 2));
	aux__s64(a, ret);
	if (n)
		aux__iovec_data(a, n, io_snap(ret, snaplen));
	else
		aux__empty(a);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, iovecs__size(a, n));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(readv_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_READV_X, PPME_SYSCALL_READV_X_NPARAMS);
	store_readv(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(preadv_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PREADV_X, PPME_SYSCALL_PREADV_X_NPARAMS);
	store_readv(a, regs, ret);
	aux__u64(a, syscall_arg(regs, 3));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(writev_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_WRITEV_X, PPME_SYSCALL_WRITEV_X_NPARAMS);
	store_writev(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pwritev_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PWRITEV_X, PPME_SYSCALL_PWRITEV_X_NPARAMS);
	store_writev(a, regs, ret);
	aux__u64(a, syscall_arg(regs, 3));
	aux__submit(a, current_tid());
	return 0;
}

/* sendfile: offset is the caller's offset after the call (0 without one). */
SEC("tp_btf/sys_exit")
int BPF_PROG(sendfile_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u64 off = 0;
	void *offp = (void *)syscall_arg(regs, 2);
	if (offp && bpf_probe_read_user(&off, sizeof(off), offp))
		off = 0;
	aux__begin(a, PPME_SYSCALL_SENDFILE_X, PPME_SYSCALL_SENDFILE_X_NPARAMS);
	aux__s64(a, ret);
	aux__u64(a, off);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__u64(a, syscall_arg(regs, 3));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * Native fcntl commands (include/uapi/asm-generic/fcntl.h and
 * include/uapi/linux/fcntl.h, x86_64: the F_*LK64 commands are the plain
 * ones there) to the fcntl_commands table. Here and not in extract.bpf.h
 * only because that file is shared with work going on in parallel.
 */
static __always_inline __u8 fcntl_cmd_to_scap(int cmd)
{
	switch (cmd) {
	case 0: return PPM_FCNTL_COMMANDS_F_DUPFD;
	case 1: return PPM_FCNTL_COMMANDS_F_GETFD;
	case 2: return PPM_FCNTL_COMMANDS_F_SETFD;
	case 3: return PPM_FCNTL_COMMANDS_F_GETFL;
	case 4: return PPM_FCNTL_COMMANDS_F_SETFL;
	case 5: return PPM_FCNTL_COMMANDS_F_GETLK;
	case 6: return PPM_FCNTL_COMMANDS_F_SETLK;
	case 7: return PPM_FCNTL_COMMANDS_F_SETLKW;
	case 8: return PPM_FCNTL_COMMANDS_F_SETOWN;
	case 9: return PPM_FCNTL_COMMANDS_F_GETOWN;
	case 10: return PPM_FCNTL_COMMANDS_F_SETSIG;
	case 11: return PPM_FCNTL_COMMANDS_F_GETSIG;
	case 15: return PPM_FCNTL_COMMANDS_F_SETOWN_EX;
	case 16: return PPM_FCNTL_COMMANDS_F_GETOWN_EX;
	case 36: return PPM_FCNTL_COMMANDS_F_OFD_GETLK;
	case 37: return PPM_FCNTL_COMMANDS_F_OFD_SETLK;
	case 38: return PPM_FCNTL_COMMANDS_F_OFD_SETLKW;
	case 1024: return PPM_FCNTL_COMMANDS_F_SETLEASE;
	case 1025: return PPM_FCNTL_COMMANDS_F_GETLEASE;
	case 1026: return PPM_FCNTL_COMMANDS_F_NOTIFY;
	case 1029: return PPM_FCNTL_COMMANDS_F_CANCELLK;
	case 1030: return PPM_FCNTL_COMMANDS_F_DUPFD_CLOEXEC;
	case 1031: return PPM_FCNTL_COMMANDS_F_SETPIPE_SZ;
	case 1032: return PPM_FCNTL_COMMANDS_F_GETPIPE_SZ;
	default: return PPM_FCNTL_COMMANDS_UNKNOWN;
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fcntl_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FCNTL_X, PPME_SYSCALL_FCNTL_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u8(a, fcntl_cmd_to_scap((int)syscall_arg(regs, 1)));
	aux__u64(a, syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ioctl_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_IOCTL_3_X, PPME_SYSCALL_IOCTL_3_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
	aux__u64(a, syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

/* The simple file-system exits: one result and the arguments as passed. */

SEC("tp_btf/sys_exit")
int BPF_PROG(dup_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_DUP_1_X, PPME_SYSCALL_DUP_1_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(dup2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_DUP2_X, PPME_SYSCALL_DUP2_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(dup3_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_DUP3_X, PPME_SYSCALL_DUP3_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__u32(a, syscall_arg(regs, 2) & N_O_CLOEXEC ? PPM_O_CLOEXEC : 0);
	aux__submit(a, current_tid());
	return 0;
}

/* pipe and pipe2: both fds from the caller's array, the pipe's inode from the first. */
static __always_inline void store_pipe(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	int fds[2] = {-1, -1};
	bpf_probe_read_user(fds, sizeof(fds), (void *)syscall_arg(regs, 0));
	__u32 dev;
	__u64 ino;
	file_dev_ino(ret == 0 ? fd_file(fds[0]) : NULL, &dev, &ino);
	aux__s64(a, ret);
	aux__s64(a, fds[0]);
	aux__s64(a, fds[1]);
	aux__u64(a, ino);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pipe_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_PIPE_X, PPME_SYSCALL_PIPE_X_NPARAMS);
	store_pipe(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pipe2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	unsigned long flags = syscall_arg(regs, 1);
	aux__begin(a, PPME_SYSCALL_PIPE2_X, PPME_SYSCALL_PIPE2_X_NPARAMS);
	store_pipe(a, regs, ret);
	aux__u32(a, fd_flags_to_scap(flags) | (flags & N_O_DIRECT ? PPM_O_DIRECT : 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mkdir_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MKDIR_2_X, PPME_SYSCALL_MKDIR_2_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(mkdirat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_MKDIRAT_X, PPME_SYSCALL_MKDIRAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(unlink_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_UNLINK_2_X, PPME_SYSCALL_UNLINK_2_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__submit(a, current_tid());
	return 0;
}

/* AT_REMOVEDIR (include/uapi/linux/fcntl.h) has the same value in the unlinkat_flags table. */
#define N_AT_REMOVEDIR 0x200

SEC("tp_btf/sys_exit")
int BPF_PROG(unlinkat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_UNLINKAT_2_X, PPME_SYSCALL_UNLINKAT_2_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, syscall_arg(regs, 2) & N_AT_REMOVEDIR);
	aux__submit(a, current_tid());
	return 0;
}

/*
 * Renames, links and permission changes. The flag tables of these events
 * (renameat2_flags, linkat_flags, chmod_mode) hold the native values, so
 * flags and modes are stored as passed; fchownat's AT_SYMLINK_NOFOLLOW is
 * the exception (native 0x100, stored 0x400).
 */

/* A result and two paths (rename, link, symlink's target is a plain string too). */
static __always_inline void store_two_paths(struct scap_aux *a, long ret, void *p1, void *p2)
{
	aux__s64(a, ret);
	aux__user_str(a, p1, SCAP_MAX_PATH_LEN);
	aux__user_str(a, p2, SCAP_MAX_PATH_LEN);
}

/* A result and (dirfd, path) twice (renameat, renameat2, linkat). */
static __always_inline void store_two_at_paths(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__s64(a, (int)syscall_arg(regs, 2));
	aux__user_str(a, (void *)syscall_arg(regs, 3), SCAP_MAX_PATH_LEN);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(rmdir_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_RMDIR_2_X, PPME_SYSCALL_RMDIR_2_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(rename_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_RENAME_X, PPME_SYSCALL_RENAME_X_NPARAMS);
	store_two_paths(a, ret, (void *)syscall_arg(regs, 0), (void *)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(renameat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_RENAMEAT_X, PPME_SYSCALL_RENAMEAT_X_NPARAMS);
	store_two_at_paths(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(renameat2_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_RENAMEAT2_X, PPME_SYSCALL_RENAMEAT2_X_NPARAMS);
	store_two_at_paths(a, regs, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 4));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(link_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_LINK_2_X, PPME_SYSCALL_LINK_2_X_NPARAMS);
	store_two_paths(a, ret, (void *)syscall_arg(regs, 0), (void *)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(linkat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_LINKAT_2_X, PPME_SYSCALL_LINKAT_2_X_NPARAMS);
	store_two_at_paths(a, regs, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 4));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(symlink_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SYMLINK_X, PPME_SYSCALL_SYMLINK_X_NPARAMS);
	store_two_paths(a, ret, (void *)syscall_arg(regs, 0), (void *)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(symlinkat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SYMLINKAT_X, PPME_SYSCALL_SYMLINKAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__s64(a, (int)syscall_arg(regs, 1));
	aux__user_str(a, (void *)syscall_arg(regs, 2), SCAP_MAX_PATH_LEN);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(chmod_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_CHMOD_X, PPME_SYSCALL_CHMOD_X_NPARAMS);
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, syscall_arg(regs, 1) & 07777);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fchmod_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FCHMOD_X, PPME_SYSCALL_FCHMOD_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, syscall_arg(regs, 1) & 07777);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fchmodat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FCHMODAT_X, PPME_SYSCALL_FCHMODAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, syscall_arg(regs, 2) & 07777);
	aux__submit(a, current_tid());
	return 0;
}

/* chown and lchown: a result, the path, uid and gid. */
static __always_inline void store_chown(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	aux__s64(a, ret);
	aux__user_str(a, (void *)syscall_arg(regs, 0), SCAP_MAX_PATH_LEN);
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(chown_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_CHOWN_X, PPME_SYSCALL_CHOWN_X_NPARAMS);
	store_chown(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(lchown_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_LCHOWN_X, PPME_SYSCALL_LCHOWN_X_NPARAMS);
	store_chown(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(fchown_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_FCHOWN_X, PPME_SYSCALL_FCHOWN_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

/* Native AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH (include/uapi/linux/fcntl.h). */
#define N_AT_SYMLINK_NOFOLLOW 0x100
#define N_AT_EMPTY_PATH 0x1000
#define PPM_AT_SYMLINK_NOFOLLOW 0x400
#define PPM_AT_EMPTY_PATH 0x1000

SEC("tp_btf/sys_exit")
int BPF_PROG(fchownat_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	unsigned long flags = syscall_arg(regs, 4);
	aux__begin(a, PPME_SYSCALL_FCHOWNAT_X, PPME_SYSCALL_FCHOWNAT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__user_str(a, (void *)syscall_arg(regs, 1), SCAP_MAX_PATH_LEN);
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__u32(a, (__u32)syscall_arg(regs, 3));
	aux__u32(a, (flags & N_AT_SYMLINK_NOFOLLOW ? PPM_AT_SYMLINK_NOFOLLOW : 0) |
			    (flags & N_AT_EMPTY_PATH ? PPM_AT_EMPTY_PATH : 0));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * close_range's flags (include/uapi/linux/close_range.h): CLOSE_RANGE_UNSHARE
 * (1 << 1) and CLOSE_RANGE_CLOEXEC (1 << 2) have the values of the
 * close_range_flags table; other bits are not stored.
 */
#define N_CLOSE_RANGE_KNOWN (PPM_CLOSE_RANGE_FLAGS_CLOSE_RANGE_UNSHARE | PPM_CLOSE_RANGE_FLAGS_CLOSE_RANGE_CLOEXEC)

/* Closes (or, with CLOSE_RANGE_CLOEXEC, marks close-on-exec) every fd from first to last: sinsp's fd table follows it. */
SEC("tp_btf/sys_exit")
int BPF_PROG(close_range_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_CLOSE_RANGE_X, PPME_SYSCALL_CLOSE_RANGE_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, syscall_arg(regs, 2) & N_CLOSE_RANGE_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

/*
 * open_by_handle_at(mount_fd, handle, flags) opens a file the caller names
 * by a handle, not a path: the path stored is the opened file's own,
 * rebuilt from its dentries (helpers/path.bpf.h), so sinsp can name the new
 * fd. A failed call stores no path, and the flags as passed.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(open_by_handle_at_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	struct opened_file o;
	opened_file(ret, &o);
	aux__begin(a, PPME_SYSCALL_OPEN_BY_HANDLE_AT_X, PPME_SYSCALL_OPEN_BY_HANDLE_AT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, open_flags_to_scap(syscall_arg(regs, 2)) | opened_file_flags(&o));
	aux__file_path(a, ret >= 0 ? fd_file(ret) : NULL);
	store_opened_file(a, &o);
	aux__submit(a, current_tid());
	return 0;
}

/* copy_file_range(fd_in, off_in, fd_out, off_out, len, flags): the event lists the output side first. */
SEC("tp_btf/sys_exit")
int BPF_PROG(copy_file_range_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_COPY_FILE_RANGE_X, PPME_SYSCALL_COPY_FILE_RANGE_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 2));
	aux__u64(a, syscall_arg(regs, 3));
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u64(a, syscall_arg(regs, 1));
	aux__u64(a, syscall_arg(regs, 4));
	aux__submit(a, current_tid());
	return 0;
}

/* SPLICE_F_* (include/linux/splice.h) have the values of the splice_flags table; other bits are not stored. */
#define N_SPLICE_F_KNOWN 0xf

/* splice(fd_in, off_in, fd_out, off_out, len, flags): the offsets are pointers, and not stored. */
SEC("tp_btf/sys_exit")
int BPF_PROG(splice_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SPLICE_X, PPME_SYSCALL_SPLICE_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__s64(a, (int)syscall_arg(regs, 2));
	aux__u64(a, syscall_arg(regs, 4));
	aux__u32(a, syscall_arg(regs, 5) & N_SPLICE_F_KNOWN);
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define FILE_EXIT_HANDLERS \
	[SCAP_NR_OPEN] = (void *)&open_x, \
	[SCAP_NR_OPENAT] = (void *)&openat_x, \
	[SCAP_NR_OPENAT2] = (void *)&openat2_x, \
	[SCAP_NR_CREAT] = (void *)&creat_x, \
	[SCAP_NR_CLOSE] = (void *)&close_x, \
	[SCAP_NR_PREAD64] = (void *)&pread64_x, \
	[SCAP_NR_PWRITE64] = (void *)&pwrite64_x, \
	[SCAP_NR_READV] = (void *)&readv_x, \
	[SCAP_NR_WRITEV] = (void *)&writev_x, \
	[SCAP_NR_PREADV] = (void *)&preadv_x, \
	[SCAP_NR_PWRITEV] = (void *)&pwritev_x, \
	[SCAP_NR_SENDFILE] = (void *)&sendfile_x, \
	[SCAP_NR_FCNTL] = (void *)&fcntl_x, \
	[SCAP_NR_IOCTL] = (void *)&ioctl_x, \
	[SCAP_NR_DUP] = (void *)&dup_x, \
	[SCAP_NR_DUP2] = (void *)&dup2_x, \
	[SCAP_NR_DUP3] = (void *)&dup3_x, \
	[SCAP_NR_PIPE] = (void *)&pipe_x, \
	[SCAP_NR_PIPE2] = (void *)&pipe2_x, \
	[SCAP_NR_MKDIR] = (void *)&mkdir_x, \
	[SCAP_NR_MKDIRAT] = (void *)&mkdirat_x, \
	[SCAP_NR_UNLINK] = (void *)&unlink_x, \
	[SCAP_NR_UNLINKAT] = (void *)&unlinkat_x, \
	[SCAP_NR_RMDIR] = (void *)&rmdir_x, \
	[SCAP_NR_RENAME] = (void *)&rename_x, \
	[SCAP_NR_RENAMEAT] = (void *)&renameat_x, \
	[SCAP_NR_RENAMEAT2] = (void *)&renameat2_x, \
	[SCAP_NR_LINK] = (void *)&link_x, \
	[SCAP_NR_LINKAT] = (void *)&linkat_x, \
	[SCAP_NR_SYMLINK] = (void *)&symlink_x, \
	[SCAP_NR_SYMLINKAT] = (void *)&symlinkat_x, \
	[SCAP_NR_CHMOD] = (void *)&chmod_x, \
	[SCAP_NR_FCHMOD] = (void *)&fchmod_x, \
	[SCAP_NR_FCHMODAT] = (void *)&fchmodat_x, \
	[SCAP_NR_CHOWN] = (void *)&chown_x, \
	[SCAP_NR_LCHOWN] = (void *)&lchown_x, \
	[SCAP_NR_FCHOWN] = (void *)&fchown_x, \
	[SCAP_NR_FCHOWNAT] = (void *)&fchownat_x, \
	[SCAP_NR_CLOSE_RANGE] = (void *)&close_range_x, \
	[SCAP_NR_OPEN_BY_HANDLE_AT] = (void *)&open_by_handle_at_x, \
	[SCAP_NR_COPY_FILE_RANGE] = (void *)&copy_file_range_x, \
	[SCAP_NR_SPLICE] = (void *)&splice_x,

#endif
