/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Store layer: builds one event in the per-CPU aux buffer, parameter after
 * parameter in schema order, then copies it into this CPU's ring; and the
 * ring's producer side (ring__take, ring__commit) for events built in place.
 *
 *   struct scap_aux *a = aux__get();
 *   aux__begin(a, PPME_SYSCALL_CLOSE_X, PPME_SYSCALL_CLOSE_X_NPARAMS);
 *   aux__s64(a, ret);
 *   aux__s64(a, fd);
 *   aux__submit(a);
 *
 * Every write goes to `data[pos & MASK]` with a bounded size, which is what
 * lets the verifier prove it stays in the buffer. A parameter that cannot be
 * read is stored empty (length 0), as libscap expects for missing values.
 */
#ifndef SCAPKIT_DRIVER_HELPERS_STORE_BPF_H
#define SCAPKIT_DRIVER_HELPERS_STORE_BPF_H

#include "base.bpf.h"
#include "../core_fixes.bpf.h"

#define AUX_MASK (SCAP_MAX_EVENT_SIZE - 1)
#define AUX_OFF(pos) ((pos) & AUX_MASK)

/*
 * A 2-, 4- or 8-byte store at any offset of the aux buffer, as one
 * instruction. clang cannot know the alignment of `data` plus a variable or
 * odd offset, and the BPF target then splits every wider store into byte
 * stores and shifts (eight of each for a u64): that was most of the
 * driver's own instructions per event. The verifier accepts misaligned
 * map-value access where the architecture has efficient unaligned access
 * (x86_64, the only one this driver builds for).
 */
#define AUX_STORE(bits, ptr, v) \
	asm volatile("*(u" #bits " *)(%0 + 0) = %1" ::"r"(ptr), "r"((__u64)(v)) : "memory")

static __always_inline void aux__begin(struct scap_aux *a, __u16 type, __u32 nparams)
{
	a->type = type;
	a->nparams = nparams;
	a->param_idx = 0;
	a->payload_pos = SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN + nparams * SCAP_PARAM_LEN;
}

static __always_inline void aux__push_len(struct scap_aux *a, __u16 len)
{
	__u32 at = SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN + a->param_idx * SCAP_PARAM_LEN;
	AUX_STORE(16, &a->data[AUX_OFF(at)], len);
	a->param_idx++;
	a->payload_pos += len;
}

static __always_inline void aux__u8(struct scap_aux *a, __u8 v)
{
	*(__u8 *)&a->data[AUX_OFF(a->payload_pos)] = v;
	aux__push_len(a, sizeof(v));
}

static __always_inline void aux__u16(struct scap_aux *a, __u16 v)
{
	AUX_STORE(16, &a->data[AUX_OFF(a->payload_pos)], v);
	aux__push_len(a, sizeof(v));
}

static __always_inline void aux__u32(struct scap_aux *a, __u32 v)
{
	AUX_STORE(32, &a->data[AUX_OFF(a->payload_pos)], v);
	aux__push_len(a, sizeof(v));
}

static __always_inline void aux__u64(struct scap_aux *a, __u64 v)
{
	AUX_STORE(64, &a->data[AUX_OFF(a->payload_pos)], v);
	aux__push_len(a, sizeof(v));
}

static __always_inline void aux__s64(struct scap_aux *a, __s64 v)
{
	aux__u64(a, (__u64)v);
}

/* Raw writes inside one parameter (sockaddrs, tuples); aux__end_param records its length. */
static __always_inline void aux__put_u8(struct scap_aux *a, __u32 at, __u8 v)
{
	*(__u8 *)&a->data[AUX_OFF(a->payload_pos + at)] = v;
}

static __always_inline void aux__put_u16(struct scap_aux *a, __u32 at, __u16 v)
{
	AUX_STORE(16, &a->data[AUX_OFF(a->payload_pos + at)], v);
}

static __always_inline void aux__put_u32(struct scap_aux *a, __u32 at, __u32 v)
{
	AUX_STORE(32, &a->data[AUX_OFF(a->payload_pos + at)], v);
}

static __always_inline void aux__put_u64(struct scap_aux *a, __u32 at, __u64 v)
{
	AUX_STORE(64, &a->data[AUX_OFF(a->payload_pos + at)], v);
}

/* Copies `len` (< 256) bytes of user memory to offset `at` of the current parameter. */
static __always_inline long aux__put_user(struct scap_aux *a, __u32 at, const void *ptr, __u32 len)
{
	barrier_var(len);
	len &= 255;
	if (!len)
		return 0;
	return bpf_probe_read_user(&a->data[AUX_OFF(a->payload_pos + at)], len, ptr);
}

static __always_inline void aux__end_param(struct scap_aux *a, __u16 len)
{
	aux__push_len(a, len);
}

static __always_inline void aux__empty(struct scap_aux *a)
{
	aux__push_len(a, 0);
}

/* A NUL-terminated user string of at most `max` bytes (NUL included). */
static __always_inline void aux__user_str(struct scap_aux *a, const void *ptr, __u32 max)
{
	long n = 0;
	if (ptr)
		n = bpf_probe_read_user_str(&a->data[AUX_OFF(a->payload_pos)], max & AUX_MASK, ptr);
	aux__push_len(a, n > 0 ? n : 0);
}

/* A NUL-terminated kernel string of at most `max` bytes (NUL included). */
static __always_inline void aux__kernel_str(struct scap_aux *a, const void *ptr, __u32 max)
{
	long n = 0;
	if (ptr)
		n = bpf_probe_read_kernel_str(&a->data[AUX_OFF(a->payload_pos)], max & AUX_MASK, ptr);
	aux__push_len(a, n > 0 ? n : 0);
}

/* `len` bytes of user memory, cut to SCAP_MAX_SNAPLEN; empty when unreadable. */
static __always_inline void aux__user_bytes(struct scap_aux *a, const void *ptr, __u32 len)
{
	if (len > SCAP_MAX_SNAPLEN)
		len = SCAP_MAX_SNAPLEN;
	/* Keep the compiler from reusing an unbounded copy of len: the verifier needs the mask. */
	barrier_var(len);
	len &= (2 * SCAP_MAX_SNAPLEN - 1);
	if (!ptr || len == 0 ||
	    bpf_probe_read_user(&a->data[AUX_OFF(a->payload_pos)], len, ptr) != 0)
		len = 0;
	aux__push_len(a, len);
}

/*
 * Ends the parameter just stored with a NUL, if it has bytes: a list of
 * strings (args, env) cut at its limit would otherwise end mid-string,
 * and libs ends such lists with a NUL too.
 */
static __always_inline void aux__nul_last(struct scap_aux *a)
{
	__u32 at = SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN + (a->param_idx - 1) * SCAP_PARAM_LEN;
	__u16 len = *(__u16 *)&a->data[AUX_OFF(at)];
	if (len)
		a->data[AUX_OFF(a->payload_pos - 1)] = 0;
}

/*
 * An I/O buffer's first `len` bytes (read, write, send, recv data). Most are
 * small (the default snaplen is 80), and for those the user copy goes to
 * the BPF stack first: hardened usercopy (__check_object_size) accepts a
 * destination on the current stack after a bounds check, while map memory
 * (vmalloc) also goes through the heap and kernel-text checks, which cost
 * more than the copy of a few bytes. The words holding the data are then
 * moved with plain stores.
 */
#define SCAP_STACK_COPY_LEN 128

/*
 * Copies the first `len` bytes of an I/O buffer to `dst`, which must have
 * room for 2 * SCAP_MAX_SNAPLEN bytes; the bytes stored (0 when unreadable).
 */
static __always_inline __u32 copy_io(__u8 *dst, const void *ptr, __u32 len)
{
	if (len > SCAP_STACK_COPY_LEN) {
		if (len > SCAP_MAX_SNAPLEN)
			len = SCAP_MAX_SNAPLEN;
		barrier_var(len);
		len &= (2 * SCAP_MAX_SNAPLEN - 1);
		if (!ptr || len == 0 || bpf_probe_read_user(dst, len, ptr) != 0)
			return 0;
		return len;
	}
	/* Not zeroed: the helper writes it (or fails, and then nothing of it is stored). */
	__u64 buf[SCAP_STACK_COPY_LEN / 8];
	barrier_var(len);
	len &= (2 * SCAP_STACK_COPY_LEN - 1);
	if (len > SCAP_STACK_COPY_LEN)
		len = SCAP_STACK_COPY_LEN;
	if (!ptr || len == 0 || bpf_probe_read_user(buf, len, ptr) != 0)
		return 0;
	/* Whole words up to len: through a u64 pointer, or clang copies byte by byte (it cannot know the offset's alignment). */
#pragma unroll
	for (int i = 0; i < SCAP_STACK_COPY_LEN / 8; i++) {
		if (i * 8 >= len)
			break;
		AUX_STORE(64, dst + i * 8, buf[i]);
	}
	return len;
}

static __always_inline void aux__io_bytes(struct scap_aux *a, const void *ptr, __u32 len)
{
	aux__push_len(a, copy_io(&a->data[AUX_OFF(a->payload_pos)], ptr, len));
}

/* Raw bytes already in BPF memory (at most 64 here: sockaddrs and tuples). */
static __always_inline void aux__bytes(struct scap_aux *a, const void *src, __u32 len)
{
	barrier_var(len);
	len &= 63;
	if (len)
		bpf_probe_read_kernel(&a->data[AUX_OFF(a->payload_pos)], len, src);
	aux__push_len(a, len);
}

#define scap_barrier() asm volatile("" ::: "memory")

/*
 * This CPU's ring with room for a record of `max` bytes, taken: the record
 * goes at ring__at(r, *head), then ring__commit gives the ring back. NULL
 * (a drop counted) when the ring is full or busy: another program on this
 * CPU, preempted while writing its record, holds it. The flag is set before
 * the head is read, so a program that preempts this one between the check
 * and the set finishes its record first and this one writes after it.
 */
static __always_inline struct scap_ring *ring__take(__u32 cpu, __u32 max, __u64 *head)
{
	struct scap_ring *r = bpf_map_lookup_elem(&rings, &cpu);
	if (!r || *(volatile __u64 *)&r->busy) {
		drops__inc();
		return NULL;
	}
	*(volatile __u64 *)&r->busy = 1;
	scap_barrier();
	__u64 h = *(volatile __u64 *)&r->head;
	if (h + max - *(volatile __u64 *)&r->tail > (__u64)ring_mask + 1) {
		*(volatile __u64 *)&r->busy = 0;
		drops__inc();
		return NULL;
	}
	*head = h;
	return r;
}

/* Where the record at `head` starts: at most SCAP_RING_SLACK bytes may follow it. */
static __always_inline __u8 *ring__at(struct scap_ring *r, __u64 head)
{
	return &r->data[head & ring_mask];
}

/*
 * Fills the record prefix and event header of a `len`-byte record at
 * `rec`. The timestamp is taken here, the ring held and the parameters
 * stored, so a CPU's ring is in timestamp order and a record becomes
 * visible very soon after its timestamp (the merge relies on both).
 */
static __always_inline void record__header(__u8 *rec, __u32 cpu, __u32 len, __u16 type, __u32 nparams, __u64 tid)
{
	/* The record: u16 cpu, then the event header (ts, tid, len, type, nparams). */
	AUX_STORE(16, rec, cpu);
	AUX_STORE(64, rec + 2, bpf_ktime_get_boot_ns() + boot_ts_epoch_ns);
	AUX_STORE(64, rec + 10, tid);
	AUX_STORE(32, rec + 18, len - SCAP_RECORD_CPU_LEN);
	AUX_STORE(16, rec + 22, type);
	AUX_STORE(32, rec + 24, nparams);
}

/*
 * Publishes the `len`-byte record at `head` and gives the ring back. x86
 * keeps stores in order, so the consumer that sees the new head sees the
 * record's bytes (this driver is x86_64 only). Waking the consumer for
 * every record would cost more than building it: a CPU rings the doorbell
 * each time its head passes a multiple of wake_bytes, and the
 * consumer also polls on a short timer (native/capture/main.c), so a quiet
 * ring is still drained.
 */
static __always_inline void ring__commit(struct scap_ring *r, __u32 cpu, __u64 head, __u32 len)
{
	__u64 next = head + ((len + SCAP_RING_ALIGN - 1) & ~(__u64)(SCAP_RING_ALIGN - 1));
	scap_barrier();
	*(volatile __u64 *)&r->head = next;
	*(volatile __u64 *)&r->busy = 0;
	if ((head ^ next) >= wake_bytes) {
		__u64 who = cpu;
		bpf_ringbuf_output(&doorbell, &who, sizeof(who), BPF_RB_FORCE_WAKEUP);
	}
}

/* Copies a `len`-byte record built in the aux slot (parameters stored) into this CPU's ring. */
static __always_inline void aux__submit_record(struct scap_aux *a, __u32 len, __u16 type, __u32 nparams, __u64 tid)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, len, &head);
	if (!r)
		return;
	record__header(a->data, cpu, len, type, nparams, tid);
	barrier_var(len);
	bpf_probe_read_kernel(ring__at(r, head), len & AUX_MASK, a->data);
	ring__commit(r, cpu, head, len);
}

/* Submits the event built with aux__begin and the parameter stores. */
static __always_inline void aux__submit(struct scap_aux *a, __u64 tid)
{
	__u32 len = a->payload_pos;
	/* Too large, or a handler stored a different number of parameters than the schema says. */
	if (len >= SCAP_MAX_EVENT_SIZE || a->param_idx != a->nparams) {
		drops__inc();
		return;
	}
	aux__submit_record(a, len, a->type, a->nparams, tid);
}

static __always_inline __u64 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/*
 * vm_size, vm_rss and vm_swap (clone, execve, mmap, munmap, brk, switch) in
 * KiB from page counts (4 KiB pages on x86_64); 0 for a task without an mm.
 */
static __always_inline void mm_sizes_kib(struct mm_struct *mm, __u32 out[3])
{
	out[0] = mm ? BPF_CORE_READ(mm, total_vm) << 2 : 0;
	out[1] = mm ? mm_rss_pages(mm) << 2 : 0;
	out[2] = mm ? mm_swap_pages(mm) << 2 : 0;
}

static __always_inline void aux__vm_sizes(struct scap_aux *a, struct mm_struct *mm)
{
	__u32 sizes[3];
	mm_sizes_kib(mm, sizes);
	aux__u32(a, sizes[0]);
	aux__u32(a, sizes[1]);
	aux__u32(a, sizes[2]);
}

#endif
