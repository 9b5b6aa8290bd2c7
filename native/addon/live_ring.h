/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live capture for the Node addon: the driver loaded through the shared
 * loader (native/capture/loader.c), the /proc state written by the shared
 * scan (proc_scan.c) into memory, and a consumer thread that moves the
 * records of the per-CPU rings, merged by timestamp (native/capture/rings.c), into slots, buffers the caller owns (JS Buffers in the addon),
 * as whole EV_V2 blocks (writer.c's framing).
 *
 *   struct live_ring *lr = live_ring__start(&opts, slots, nslots, &err);
 *   live_ring__preamble(lr, &bytes, &len);     // section header + state blocks
 *   while (live_ring__next(lr, &slot, &len) == 0) {   // blocks until a slot is ready
 *           ... slots[slot][0, len) holds whole blocks ...
 *           live_ring__release(lr, slot);      // the consumer may fill it again
 *   }                        // -ESHUTDOWN once a drain (below) has delivered the rest
 *
 *   live_ring__stop(lr, true);    // any time, e.g. on SIGINT: no new events, the rest still comes
 *   live_ring__stop(lr, false);   // consumer joined, every BPF object destroyed
 *   live_ring__free(lr);
 *
 * Backpressure: a slot is filled only after the caller released it. When
 * none is free the consumer thread waits, the rings fill up and the driver
 * counts drops (loader__drops); memory stays at the slots plus the rings.
 * Except while live_ring__start scans /proc (about 0.3 ms a thread): the
 * consumer thread already drains the rings then, holding the records in
 * memory (at most 256 MiB) until the preamble is complete, and moves them
 * into slots, in order, before any later record.
 */
#ifndef SCAPKIT_ADDON_LIVE_RING_H
#define SCAPKIT_ADDON_LIVE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"

#ifdef __cplusplus
extern "C" {
#endif

struct live_ring;
struct writer;

/* Caller-owned memory the consumer fills with blocks; it must outlive the ring. */
struct live_slot {
	void *data;
	size_t cap;
};

struct live_stats {
	/* Events and block bytes in slots handed out by live_ring__next. */
	uint64_t events;
	uint64_t bytes;
	/* Events the driver could not put in a full ring, summed over CPUs. */
	uint64_t drops;
	/* Records taken from the ring but never handed out (stopped before delivery). */
	uint64_t discarded;
	/* Times the consumer found no free slot and waited for the caller. */
	uint64_t stalls;
	/* 0, or the negative errno that stopped the consumer thread (polling failed). */
	int error;
};

/* Loads the driver, scans /proc and starts the consumer thread; NULL with *err set (negative errno). */
struct live_ring *live_ring__start(const struct loader_opts *opts, const struct live_slot *slots,
				   uint32_t nslots, int *err);
/* The section header and initial state blocks (valid until live_ring__free). */
void live_ring__preamble(struct live_ring *lr, const void **data, size_t *len);
/*
 * Scans /proc again into `out` (a memory writer the caller opens and
 * closes): a section header and state blocks, as the preamble, for a file
 * that starts later (rotation). Runs beside the consumer thread, which
 * goes on filling slots; one at a time. 0 or a negative errno.
 */
int live_ring__rescan(struct writer *out);
/* Waits for a filled slot: 0 with *slot and *len, or -ESHUTDOWN when stopped and every slot was handed out. */
int live_ring__next(struct live_ring *lr, uint32_t *slot, size_t *len);
/* Gives a slot handed out by live_ring__next back to the consumer. */
void live_ring__release(struct live_ring *lr, uint32_t slot);
void live_ring__stats(struct live_ring *lr, struct live_stats *stats);
/*
 * Without `drain`: stops the consumer thread, destroys every BPF object and
 * discards the filled slots not handed out yet. Idempotent.
 * With `drain`: returns at once; the consumer thread detaches the programs
 * (no new events) and moves what is left in the ring into slots as the
 * caller releases them; live_ring__next answers -ESHUTDOWN after the last,
 * and the caller then calls live_ring__stop(lr, false) to free the driver.
 */
void live_ring__stop(struct live_ring *lr, bool drain);
/* Stops if needed and frees the ring; the slots' memory is the caller's. */
void live_ring__free(struct live_ring *lr);

#ifdef __cplusplus
}
#endif

#endif
