/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Data gathered from a user iovec array (readv/writev and their p-
 * variants, sendmsg/recvmsg and the mmsg pair, process_vm_readv/writev).
 *
 *   __u32 n = iovecs__load(a, (void *)syscall_arg(regs, 1), syscall_arg(regs, 2));
 *   aux__iovec_data(a, n, max);     // the data parameter
 *   aux__u32(a, iovecs__size(a, n)); // what the caller asked to move
 *
 * Like libs, only the first IOVEC_MAX entries are looked at. The array is
 * read in one copy into the last bytes of the aux slot (512 bytes do not
 * fit on the BPF stack): the slot's upper half only exists so that a
 * bounded write starting below SCAP_MAX_EVENT_SIZE stays inside it, and
 * such writes (at most 2 * SCAP_MAX_SNAPLEN) never reach its end.
 *
 * An ia32 syscall's array holds struct compat_iovec (two u32: base, length,
 * include/linux/compat.h); iovecs__load widens it to the native layout, so
 * the rest reads one layout, as libs' modern_bpf reads the compat one for
 * ia32 calls.
 */
#ifndef SCAPKIT_DRIVER_HELPERS_IOVEC_BPF_H
#define SCAPKIT_DRIVER_HELPERS_IOVEC_BPF_H

#include "store.bpf.h"
#include "extract.bpf.h"

#define IOVEC_MAX 32
#define IOVEC_SCRATCH_OFF (2 * SCAP_MAX_EVENT_SIZE - IOVEC_MAX * 16)
_Static_assert(sizeof(struct iovec) == 16, "x86_64 iovec");
_Static_assert(SCAP_MAX_EVENT_SIZE + 2 * SCAP_MAX_SNAPLEN <= IOVEC_SCRATCH_OFF, "iovec scratch clear of event writes");

/*
 * Widens the compat iovecs read into the scratch's upper half into native
 * ones from its start. Entry j is read before it is written, and native
 * entry j ([16j, 16j + 16)) ends at or before compat entry j + 1 (at
 * IOVEC_MAX * 8 + 8j + 8) for every j < IOVEC_MAX: nothing unread is
 * overwritten. All IOVEC_MAX are widened, those past the call's count
 * being stale bytes nobody reads: stopping at the count made the verifier
 * leave the loop with a different count range at each entry, and follow
 * what comes after once per range (writev took 0.13 s to load, not 0.02).
 */
static __always_inline void iovecs__widen_compat(struct scap_aux *a)
{
	const struct compat_iovec *c = (const struct compat_iovec *)&a->data[IOVEC_SCRATCH_OFF + IOVEC_MAX * 8];
	struct iovec *iov = (struct iovec *)&a->data[IOVEC_SCRATCH_OFF];
#pragma clang loop unroll(disable)
	for (__u32 j = 0; j < IOVEC_MAX; j++) {
		__u32 base = c[j].iov_base, len = c[j].iov_len;
		iov[j].iov_base = (void *)(unsigned long)base;
		iov[j].iov_len = len;
	}
}

/* Reads `bytes` (at most `max`) of a user array to `dst` in the scratch; whether it could. */
static __always_inline bool iovecs__read(void *dst, __u32 bytes, __u32 max, const void *uiov)
{
	barrier_var(bytes);
	return bytes <= max && bpf_probe_read_user(dst, bytes, uiov) == 0;
}

/* Reads the first entries of the user array into the scratch; how many (0 when none or unreadable). */
static __always_inline __u32 iovecs__load(struct scap_aux *a, const void *uiov, __u64 cnt)
{
	if (!uiov || cnt == 0)
		return 0;
	if (cnt > IOVEC_MAX)
		cnt = IOVEC_MAX;
	if (in_ia32_syscall()) {
		if (!iovecs__read(&a->data[IOVEC_SCRATCH_OFF + IOVEC_MAX * 8], (__u32)cnt * 8, IOVEC_MAX * 8, uiov))
			return 0;
		iovecs__widen_compat(a);
		return cnt;
	}
	return iovecs__read(&a->data[IOVEC_SCRATCH_OFF], (__u32)cnt * 16, IOVEC_MAX * 16, uiov) ? cnt : 0;
}

/* The sum of the loaded entries' lengths (what a writev or sendmsg asked to move), cut to 32 bits as libs does. */
static __always_inline __u32 iovecs__size(struct scap_aux *a, __u32 cnt)
{
	const struct iovec *iov = (const struct iovec *)&a->data[IOVEC_SCRATCH_OFF];
	__u32 size = 0;
#pragma clang loop unroll(disable)
	for (__u32 j = 0; j < IOVEC_MAX; j++) {
		if (j >= cnt)
			break;
		size += iov[j].iov_len;
	}
	return size;
}

/*
 * The data parameter: the first `max` bytes (at most SCAP_MAX_SNAPLEN) of
 * the buffers of the `cnt` loaded entries, in order. As libs does, it stops
 * at the first buffer that is empty or cannot be read, keeping what came
 * before.
 */
static __always_inline void aux__iovec_data(struct scap_aux *a, __u32 cnt, __u32 max)
{
	const struct iovec *iov = (const struct iovec *)&a->data[IOVEC_SCRATCH_OFF];
	__u32 total = 0;
	if (max > SCAP_MAX_SNAPLEN)
		max = SCAP_MAX_SNAPLEN;
#pragma clang loop unroll(disable)
	for (__u32 j = 0; j < IOVEC_MAX; j++) {
		if (j >= cnt || total >= max)
			break;
		__u64 len = iov[j].iov_len;
		__u32 take = len < max - total ? (__u32)len : max - total;
		barrier_var(take);
		take &= (2 * SCAP_MAX_SNAPLEN - 1);
		if (take == 0 ||
		    bpf_probe_read_user(&a->data[AUX_OFF(a->payload_pos + total)], take, iov[j].iov_base) != 0)
			break;
		total += take;
	}
	aux__push_len(a, total);
}

#endif
