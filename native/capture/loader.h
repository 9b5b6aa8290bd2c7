/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the driver through its skeleton (build/native/scap.skel.h):
 * settings go into rodata between open and load, the ring array gets one
 * ring of the asked size per CPU up to the highest online one, then every program but the
 * tail-called handlers is attached. Optional kernel events that were not
 * asked for are not even loaded: verifying costs start-up time, and an
 * attached program costs every context switch or fault.
 */
#ifndef SCAPKIT_CAPTURE_LOADER_H
#define SCAPKIT_CAPTURE_LOADER_H

#include <stdint.h>

struct scap;

/* A loaded driver and its rings. */
struct loader {
	struct scap *skel;
	/* The ring array (nrings elements by CPU number, ring_bytes each) and its doorbell. */
	int rings_fd;
	int doorbell_fd;
	int nrings;
	uint32_t ring_bytes;
	/* Possible CPUs: the drop counters' count (a CPU without a ring counts its events there). */
	int ncpus;
	/* Scratch for reading the per-CPU drop counters, ncpus entries. */
	uint64_t *drops;
};

struct loader_opts {
	uint32_t snaplen;
	/* 0: capture everyone. */
	uint32_t target_tgid;
	/* Bytes of each CPU's ring (a power of two, a multiple of the page size). */
	uint32_t ring_bytes;
	uint64_t boot_ts_epoch_ns;
	/* NULL or "": no comm target. Else threads of this comm and their descendants too. */
	const char *target_comm;
	/* NULL: every syscall. Else SCAP_SYSCALL_TABLE_SIZE flags by x86_64 syscall number. */
	const uint8_t *syscall_wanted;
	/* LOADER_* bits: the optional kernel events to record (driver/programs/kernel_events.bpf.h). */
	unsigned kernel_events;
};

#define LOADER_SCHED_SWITCH 1u
#define LOADER_PAGE_FAULTS 2u
#define LOADER_SIGNALS 4u

/* Opens, configures, loads and attaches the driver; NULL after printing why. */
struct loader *loader__start(const struct loader_opts *opts);
/* Events lost on full rings (or on a CPU without one), summed over CPUs; per_cpu (NULL or ncpus entries) gets each CPU's. */
uint64_t loader__drops(struct loader *ld, uint64_t *per_cpu);
/* Detaches every program: no new records, the rings and their records stay. */
void loader__detach(struct loader *ld);
/* Destroys the driver and closes the rings (unmap them first). */
void loader__stop(struct loader *ld);

#endif
