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
 * One ring per CPU (up to the highest online one at the start), found by
 * CPU number: each is one element of an mmapable array that user space reads in place (native/capture/rings.c).
 * Not BPF ring buffers: bpf_ringbuf_output is a helper call that locks,
 * copies and commits, about a fifth of the driver's time on a read or write
 * event; here the hot events are built straight into the ring with plain
 * stores (store.bpf.h). scap_driver.h is the layout: a header page (the
 * producer's head and busy flag, the consumer's tail), then the ring's
 * bytes and a slack of one largest event, so a record that starts near the
 * end is written and read as one piece. A CPU writes only its own ring and
 * a second program on the same CPU (one that preempted the first) finds it
 * busy and counts a drop, so the producer takes no lock.
 * User space sets the element size and count before load.
 */
struct scap_ring {
	__u64 head;
	__u64 busy;
	__u64 producer_pad[6];
	__u64 tail;
	__u8 consumer_pad[SCAP_RING_DATA_OFF - 72];
	__u8 data[];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, SCAP_RING_DATA_OFF + SCAP_DEFAULT_RING_BYTES + SCAP_RING_SLACK);
} rings SEC(".maps");

/* The ring's size minus one (a power of two): records start at head & ring_mask. */
const volatile __u32 ring_mask = SCAP_DEFAULT_RING_BYTES - 1;
/* A CPU rings the doorbell each time its head passes a multiple of this (a power of two). */
const volatile __u64 wake_bytes = SCAP_WAKEUP_CPU_BYTES;

/*
 * Wakes the consumer: a CPU puts a few bytes here with BPF_RB_FORCE_WAKEUP
 * when its ring has grown by wake_bytes; an array has no epoll.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} doorbell SEC(".maps");

/* Events lost, per CPU: a full or busy ring, an oversized event, a CPU without a ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline void drops__inc(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&drops, &zero);
	if (n)
		*n += 1;
}

/*
 * Where an event is built before it is copied into the ring: SCAP_AUX_SLOTS
 * slots per CPU, one for each entry program that builds events (user space
 * sets max_entries to that many per ring; a per-CPU map cannot hold
 * values this large). A program that preempts another on the same CPU (a
 * task exiting while the one it preempted is in its sys_exit program) so
 * builds in a slot of its own, not over the other's half-made event; the
 * kernel already keeps a program from re-entering itself on a CPU. The
 * buffer is twice the largest event so a masked offset plus a bounded
 * write always fits.
 */
struct scap_aux {
	__u8 data[SCAP_MAX_EVENT_SIZE * 2];
	__u32 payload_pos;
	__u32 nparams;
	__u32 param_idx;
	/* helpers/path.bpf.h's write position, kept here for the verifier's sake (see there). */
	__u32 path_pos;
	__u16 type;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scap_aux);
} aux_maps SEC(".maps");

/* The entry programs' slots (SCAP_AUX_SLOTS of them). */
#define AUX_SLOT_SYS_EXIT 0
#define AUX_SLOT_PROCEXIT 1

/* NULL, a drop counted, on a CPU that came online after the start: it has no slots (nor ring). */
static __always_inline struct scap_aux *aux__get_slot(__u32 slot)
{
	__u32 key = bpf_get_smp_processor_id() * SCAP_AUX_SLOTS + slot;
	struct scap_aux *a = bpf_map_lookup_elem(&aux_maps, &key);
	if (!a)
		drops__inc();
	return a;
}

/* The slot of the sys_exit program and the handlers it tail-calls. */
static __always_inline struct scap_aux *aux__get(void)
{
	return aux__get_slot(AUX_SLOT_SYS_EXIT);
}

/* How many ancestors are checked for the target process. */
#define SCAP_MAX_ANCESTRY 16
/* Processes forked under a pid or comm target that stay followed after re-parenting. */
#define SCAP_MAX_TRACED_PROCS 65536

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
 * Processes (by tgid) forked by a captured task while a pid or comm target
 * is set: they stay captured when their parent exits and they are
 * re-parented to init or a subreaper, where the real_parent walk below
 * loses them (a daemon's double fork, a shell's `( cmd & )`). Filled by
 * sched_process_fork (programs/process.bpf.h, loaded only with a target),
 * emptied as each process's last thread exits; LRU, so a full map forgets
 * the longest-idle entry rather than refusing a new one.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SCAP_MAX_TRACED_PROCS);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

/*
 * Whether a task is captured by the target: a matching task, a process
 * forked from a captured one (traced_tgids), or a descendant followed
 * through real_parent (what finds the descendants that were already
 * running when the capture started). The task's own comm counts, so
 * `--comm` picks the threads of that name, as the other threads of their
 * process are not their ancestors.
 */
static __always_inline bool task_is_target(struct task_struct *task)
{
	__u32 tgid = task->tgid;
	if (bpf_map_lookup_elem(&traced_tgids, &tgid))
		return true;
	/* BTF pointer walks (plain loads), not probe reads: this runs on every syscall. */
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

/* Whether the current task is captured: never the capture process; with a target, task_is_target. */
static __always_inline bool trace_allowed_pid(__u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32;
	if (own_tgid && tgid == own_tgid)
		return false;
	if (!target_tgid && !target_comm[0])
		return true;
	return task_is_target(bpf_get_current_task_btf());
}

static __always_inline bool trace_allowed(void)
{
	return trace_allowed_pid(bpf_get_current_pid_tgid());
}

#endif
