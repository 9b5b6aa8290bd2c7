/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The initial state of a capture, read from /proc and libc before the first
 * event: machine info, interface list V2, user list V2, process list V9 and
 * one fd list V2 per process, written in that order (the order libscap
 * writes them, userspace/libscap/scap_savefile.c scap_setup_dump).
 */
#ifndef SCAPKIT_CAPTURE_PROC_SCAN_H
#define SCAPKIT_CAPTURE_PROC_SCAN_H

#include <stdint.h>
#include "writer.h"

struct scan_stats {
	uint32_t threads;
	uint32_t processes;
	uint32_t fds;
	uint32_t users;
	uint32_t groups;
	uint32_t addresses;
};

/* Wall clock at boot, in ns since the epoch (realtime - boottime). */
uint64_t boot_ts_epoch_ns(void);

/* Writes every state block; returns 0 or a negative errno. */
int proc_scan__write_state(struct writer *w, struct scan_stats *stats);

/*
 * The scan runs beside the thread that drains the rings (scap-capture's
 * output.c, the addon's live_ring.c), which must win the CPU when both want
 * it: a slower scan only holds more events, a slower drain drops them.
 * Makes the calling thread PROC_SCAN_NICE nicer and returns its nice value
 * before, to give back to proc_scan__renice (INT_MIN: unknown, unchanged).
 */
#define PROC_SCAN_NICE 10
/*
 * What those draining threads hold in memory of the events that come during
 * a scan, at most: past this the rings are left to fill (and drop). 4,000
 * processes scan in about 1.2 s, 140 MB of events at the bench's 1.6 M
 * events/s.
 */
#define PROC_SCAN_HOLD_BYTES (256u << 20)
int proc_scan__nice_thread(void);
void proc_scan__renice(int before);

#endif
