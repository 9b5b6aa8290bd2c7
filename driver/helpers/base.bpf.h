/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Base layer: the maps, the load-time settings and the in-kernel filter.
 * Nothing here knows about events; store.bpf.h builds them on top.
 */
#ifndef SCAPKIT_DRIVER_HELPERS_BASE_BPF_H
#define SCAPKIT_DRIVER_HELPERS_BASE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../scap_driver.h"
#include "../gen/events.h"

/* Settings, fixed between open and load (skel->rodata). */
const volatile __u32 snaplen = SCAP_DEFAULT_SNAPLEN;
/* Capture only this process and its descendants (0: everyone). */
const volatile __u32 target_tgid = 0;
/* Or threads with this comm and their descendants ("": no comm target). */
const volatile char target_comm[SCAP_COMM_LEN] = {};
/* The capture process itself, never captured. */
const volatile __u32 own_tgid = 0;
/* Wall clock at boot in ns: event timestamps are boot time + this. */
const volatile __u64 boot_ts_epoch_ns = 0;
/* With filter_syscalls, only syscalls whose native number is set in syscall_wanted are emitted. */
const volatile bool filter_syscalls = false;
const volatile __u8 syscall_wanted[SCAP_SYSCALL_TABLE_SIZE] = {};

/*
 * One ring buffer per possible CPU, found by CPU number: a CPU reserves in
 * its own ring, so CPUs never contend on one ring's lock, and user space
 * merges the rings by timestamp (native/capture/rings.c). The rings are
 * created by user space (native/capture/loader.c), one size for all, and
 * put in this array after load; libs' modern_bpf does the same
 * (driver/modern_bpf/maps/maps.h, userspace/libpman/src/ringbuffer.c).
 */
struct scap_ringbuf {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__array(values, struct scap_ringbuf);
} ringbufs SEC(".maps");

/* Events lost because the ring was full, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/*
 * Where an event is built before it is copied into the ring: one slot per
 * CPU (max_entries is set to the number of possible CPUs by user space; a
 * per-CPU map cannot hold values this large). The buffer is twice the
 * largest event so a masked offset plus a bounded write always fits.
 */
struct scap_aux {
	__u8 data[SCAP_MAX_EVENT_SIZE * 2];
	__u32 payload_pos;
	__u32 nparams;
	__u32 param_idx;
	/* Bytes this CPU submitted since it last woke the consumer (store.bpf.h). */
	__u32 unwoken_bytes;
	__u16 type;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scap_aux);
} aux_maps SEC(".maps");

static __always_inline struct scap_aux *aux__get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&aux_maps, &cpu);
}

static __always_inline void drops__inc(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&drops, &zero);
	if (n)
		*n += 1;
}

/* How many ancestors are checked for the target process. */
#define SCAP_MAX_ANCESTRY 16

/* Whether a task's comm is target_comm (both NUL-padded to SCAP_COMM_LEN). */
static __always_inline bool comm_matches(struct task_struct *task)
{
	char comm[SCAP_COMM_LEN];
	if (bpf_probe_read_kernel(comm, sizeof(comm), &task->comm))
		return false;
	for (int i = 0; i < SCAP_COMM_LEN; i++) {
		if (comm[i] != target_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/*
 * Whether the current task is captured: never the capture process; with a
 * target pid or comm, only a matching task and its descendants (followed
 * through real_parent, so a child re-parented to init is no longer
 * followed). The current thread's own comm counts, so `--comm` picks the
 * threads of that name, as the other threads of their process are not
 * their ancestors.
 */
static __always_inline bool trace_allowed_pid(__u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32;
	if (own_tgid && tgid == own_tgid)
		return false;
	if (!target_tgid && !target_comm[0])
		return true;
	/* BTF pointer walks (plain loads), not probe reads: this runs on every syscall. */
	struct task_struct *task = bpf_get_current_task_btf();
	for (int i = 0; i < SCAP_MAX_ANCESTRY; i++) {
		if (target_tgid && task->tgid == target_tgid)
			return true;
		if (target_comm[0] && comm_matches(task))
			return true;
		struct task_struct *parent = task->real_parent;
		if (!parent || parent == task)
			return false;
		task = parent;
	}
	return false;
}

static __always_inline bool trace_allowed(void)
{
	return trace_allowed_pid(bpf_get_current_pid_tgid());
}

#endif
