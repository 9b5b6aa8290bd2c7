/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract between driver/scap.bpf.c and native/capture: what the ring
 * buffer carries and the limits both sides agree on. Each ring record is one
 * complete scap event in the modern exit-only layout (driver/gen/events.h):
 * u64 ts, u64 tid, u32 len, u16 type, u32 nparams, nparams u16 lengths, then
 * the parameter bytes, preceded by the u16 number of the CPU it happened on.
 * That is exactly the body of an EV_V2 (0x216) block, so user space writes
 * each record as one block without looking inside.
 *
 * Each CPU's ring (driver/helpers/base.bpf.h) is one element of an mmapable
 * BPF array: a header page, the ring's bytes, then SCAP_RING_SLACK more. The
 * u64 head (bytes ever written, stored once a record is complete) and the
 * producer's busy flag are in the header's first cache line; the u64 tail
 * (bytes ever read, written by user space) in its second. Records follow
 * each other at head & (ring bytes - 1), each one SCAP_RING_ALIGN-aligned,
 * its length from the event header; one that starts near the end runs on
 * into the slack, and the next starts where it would have ended.
 */
#ifndef SCAPKIT_DRIVER_SCAP_DRIVER_H
#define SCAPKIT_DRIVER_SCAP_DRIVER_H

/* Bytes before the event in a ring record: the u16 CPU number. */
#define SCAP_RECORD_CPU_LEN 2

/* Largest event the driver builds; a power of two (offsets are masked with it). */
#define SCAP_MAX_EVENT_SIZE (64 * 1024)

/* Default and largest number of data bytes captured from an I/O buffer. */
#define SCAP_DEFAULT_SNAPLEN 80
#define SCAP_MAX_SNAPLEN (16 * 1024)

/* Bytes kept of the argument and environment areas of a process. */
#define SCAP_MAX_ARGS_LEN 4096
#define SCAP_MAX_ENV_LEN 4096
/* Bytes kept of a path (open names, exec filename), NUL included: PATH_MAX, as libs keeps. */
#define SCAP_MAX_PATH_LEN 4096

/* Bytes of a task's comm, with its NUL (TASK_COMM_LEN). */
#define SCAP_COMM_LEN 16

/* Aux slots per CPU: one per entry program that builds events (sys_exit, sched_process_exit). */
#define SCAP_AUX_SLOTS 2

/* Ring element layout (see above). */
#define SCAP_RING_HEAD_OFF 0
#define SCAP_RING_BUSY_OFF 8
#define SCAP_RING_TAIL_OFF 64
#define SCAP_RING_DATA_OFF 4096
#define SCAP_RING_SLACK SCAP_MAX_EVENT_SIZE
#define SCAP_RING_ALIGN 8

/*
 * Default size of each CPU's ring buffer, in bytes (a power of two, a
 * multiple of the page size). libs' modern_bpf uses 8 MiB per CPU too.
 */
#define SCAP_DEFAULT_RING_BYTES (8 * 1024 * 1024)

/*
 * Each CPU wakes the consumer once it has put this many bytes in its ring
 * since its last wakeup, or a quarter of its ring if that is less (so with
 * N busy CPUs, up to N times this waits); the consumer also polls every
 * SCAP_POLL_MS milliseconds.
 */
#define SCAP_WAKEUP_CPU_BYTES (256 * 1024)
#define SCAP_POLL_MS 20

#endif
