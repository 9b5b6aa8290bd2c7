/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of the syscalls that wait: futex, poll, ppoll, select,
 * epoll_wait, nanosleep. futex and poll are among the most frequent
 * syscalls of a busy host (every contended lock, every event loop), so
 * futex, of fixed size, is built straight into the ring as the generic
 * event is (scap.bpf.c), and the others keep to one user read each.
 * Values follow libs' modern_bpf, with the exception noted at poll.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_WAIT_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_WAIT_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

/*
 * futex's op: the command (op & FUTEX_CMD_MASK, 127) keeps its number up to
 * FUTEX_CMP_REQUEUE_PI (12), the last one the futex_operations table has (a
 * newer one, FUTEX_LOCK_PI2, is stored as 0, as libs); FUTEX_PRIVATE_FLAG
 * (128) and FUTEX_CLOCK_REALTIME (256) keep their bits
 * (include/uapi/linux/futex.h).
 */
#define N_FUTEX_CMD_MASK 127
#define N_FUTEX_OP_FLAGS (PPM_FUTEX_OPERATIONS_FUTEX_PRIVATE_FLAG | PPM_FUTEX_OPERATIONS_FUTEX_CLOCK_REALTIME)

static __always_inline __u16 futex_op_to_scap(unsigned long op)
{
	__u16 cmd = op & N_FUTEX_CMD_MASK;
	return (cmd <= PPM_FUTEX_OPERATIONS_FUTEX_CMP_REQUEUE_PI ? cmd : 0) | (op & N_FUTEX_OP_FLAGS);
}

/*
 * The futex event in place: the four lengths in one store, then res, addr,
 * op and val at fixed offsets (as read_write_x in programs/file.bpf.h).
 */
_Static_assert(PPME_SYSCALL_FUTEX_X_NPARAMS == 4, "futex_x stores res, addr, op and val");
#define FUTEX_LENS_AT (SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN)
#define FUTEX_VALS_AT (FUTEX_LENS_AT + 4 * SCAP_PARAM_LEN)
#define FUTEX_LEN (FUTEX_VALS_AT + 8 + 8 + 2 + 8)

SEC("tp_btf/sys_exit")
int BPF_PROG(futex_x, struct pt_regs *regs, long ret)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, FUTEX_LEN, &head);
	if (!r)
		return 0;
	__u8 *rec = ring__at(r, head);
	AUX_STORE(64, rec + FUTEX_LENS_AT, 8 | 8ull << 16 | 2ull << 32 | 8ull << 48);
	AUX_STORE(64, rec + FUTEX_VALS_AT, ret);
	AUX_STORE(64, rec + FUTEX_VALS_AT + 8, syscall_arg(regs, 0));
	AUX_STORE(16, rec + FUTEX_VALS_AT + 16, futex_op_to_scap(syscall_arg(regs, 1)));
	AUX_STORE(64, rec + FUTEX_VALS_AT + 18, syscall_arg(regs, 2));
	record__header(rec, cpu, FUTEX_LEN, PPME_SYSCALL_FUTEX_X, PPME_SYSCALL_FUTEX_X_NPARAMS, current_tid());
	ring__commit(r, cpu, head, FUTEX_LEN);
	return 0;
}

/*
 * poll events (include/uapi/asm-generic/poll.h) to the poll_flags table:
 * POLLIN, POLLPRI and POLLOUT (bits 0-2) keep their bits; POLLERR through
 * POLLWRBAND (bits 3-9) move up one bit, to make room for POLLRDHUP
 * (native 0x2000), which the table has at bit 3. Others are not stored.
 */
static __always_inline __u16 poll_events_to_scap(__u16 ev)
{
	return (ev & 0x7) | ((ev & 0x3f8) << 1) | (ev & 0x2000 ? PPM_POLL_FLAGS_POLLRDHUP : 0);
}

/* libs' bound on the pollfds stored (MAX_POLLFD); nfds beyond it are not read. */
#define POLL_MAX_FDS 16
/* One fdlist entry: the fd (s64) and its events (u16). */
#define FDLIST_ENTRY_LEN 10

/* struct pollfd (include/uapi/asm-generic/poll.h). */
struct wait_pollfd {
	__s32 fd;
	__s16 events;
	__s16 revents;
};

/*
 * The fdlist of poll and ppoll: how many pollfds (u16), then each one's fd
 * and the events the kernel returned in it (revents), at most
 * POLL_MAX_FDS. An array that cannot be read is a count of 0.
 */
static __always_inline void aux__pollfds(struct scap_aux *a, const void *ufds, __u32 nfds)
{
	struct wait_pollfd fds[POLL_MAX_FDS];
	__u32 n = nfds < POLL_MAX_FDS ? nfds : POLL_MAX_FDS;
	barrier_var(n);
	n &= 2 * POLL_MAX_FDS - 1;
	if (n > POLL_MAX_FDS)
		n = POLL_MAX_FDS;
	if (n == 0 || bpf_probe_read_user(fds, n * sizeof(fds[0]), ufds) != 0)
		n = 0;
	aux__put_u16(a, 0, n);
	for (int i = 0; i < POLL_MAX_FDS; i++) {
		if (i >= n)
			break;
		aux__put_u64(a, 2 + i * FDLIST_ENTRY_LEN, (__s64)fds[i].fd);
		aux__put_u16(a, 2 + i * FDLIST_ENTRY_LEN + 8, poll_events_to_scap(fds[i].revents));
	}
	aux__end_param(a, 2 + n * FDLIST_ENTRY_LEN);
}

/*
 * poll's timeout is an int (milliseconds, -1: forever), stored as an s64
 * with its sign. libs (both drivers) stores it zero-extended from 32 bits,
 * so -1 shows as 4294967295 there.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(poll_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_POLL_X, PPME_SYSCALL_POLL_X_NPARAMS);
	aux__s64(a, ret);
	aux__pollfds(a, (void *)syscall_arg(regs, 0), (__u32)syscall_arg(regs, 1));
	aux__s64(a, (int)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

#define NSEC_PER_SEC 1000000000ULL

/*
 * struct old_timespec32 (include/vdso/time32.h): what ia32 nanosleep (162)
 * and ppoll (309) take; their time64 variants have no x86_64 counterpart
 * and are not recorded.
 */
struct wait_timespec32 {
	__s32 tv_sec;
	__s32 tv_nsec;
};

/*
 * A timespec in user memory as nanoseconds, in the layout of the current
 * syscall (native struct __kernel_timespec, or ia32's 32-bit one); 0 when
 * it cannot be read (a NULL timeout).
 */
static __always_inline __u64 user_timespec_ns(const void *uts)
{
	if (in_ia32_syscall()) {
		struct wait_timespec32 ts32 = {};
		if (bpf_probe_read_user(&ts32, sizeof(ts32), uts) != 0)
			return 0;
		return (__u64)ts32.tv_sec * NSEC_PER_SEC + ts32.tv_nsec;
	}
	struct __kernel_timespec ts = {};
	if (bpf_probe_read_user(&ts, sizeof(ts), uts) != 0)
		return 0;
	return (__u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* ppoll's sigmask is stored as its first 32 signals, 0 when there is none. */
SEC("tp_btf/sys_exit")
int BPF_PROG(ppoll_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u64 sigmask = 0;
	bpf_probe_read_user(&sigmask, sizeof(sigmask), (void *)syscall_arg(regs, 3));
	aux__begin(a, PPME_SYSCALL_PPOLL_X, PPME_SYSCALL_PPOLL_X_NPARAMS);
	aux__s64(a, ret);
	aux__pollfds(a, (void *)syscall_arg(regs, 0), (__u32)syscall_arg(regs, 1));
	aux__u64(a, user_timespec_ns((void *)syscall_arg(regs, 2)));
	aux__u32(a, (__u32)sigmask);
	aux__submit(a, current_tid());
	return 0;
}

/* select's event has its result only. */
SEC("tp_btf/sys_exit")
int BPF_PROG(select_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SELECT_X, PPME_SYSCALL_SELECT_X_NPARAMS);
	aux__s64(a, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(epoll_wait_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_EPOLLWAIT_X, PPME_SYSCALL_EPOLLWAIT_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

/* The interval asked for (the request, not what remained of it). */
SEC("tp_btf/sys_exit")
int BPF_PROG(nanosleep_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_NANOSLEEP_X, PPME_SYSCALL_NANOSLEEP_X_NPARAMS);
	aux__s64(a, ret);
	aux__u64(a, user_timespec_ns((void *)syscall_arg(regs, 0)));
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define WAIT_EXIT_HANDLERS \
	[SCAP_NR_FUTEX] = (void *)&futex_x, \
	[SCAP_NR_POLL] = (void *)&poll_x, \
	[SCAP_NR_PPOLL] = (void *)&ppoll_x, \
	[SCAP_NR_SELECT] = (void *)&select_x, \
	[SCAP_NR_EPOLL_WAIT] = (void *)&epoll_wait_x, \
	[SCAP_NR_NANOSLEEP] = (void *)&nanosleep_x,

#endif
