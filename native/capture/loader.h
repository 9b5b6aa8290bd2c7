/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the driver through its skeleton (build/native/scap.skel.h):
 * settings go into rodata between open and load, then every program but the
 * tail-called handlers is attached.
 */
#ifndef SCAPKIT_CAPTURE_LOADER_H
#define SCAPKIT_CAPTURE_LOADER_H

#include <stdint.h>

struct scap;

struct loader_opts {
	uint32_t snaplen;
	/* 0: capture everyone. */
	uint32_t target_tgid;
	uint32_t ring_bytes;
	uint64_t boot_ts_epoch_ns;
};

/* Opens, configures, loads and attaches the driver; NULL after printing why. */
struct scap *loader__start(const struct loader_opts *opts);
/* The ring buffer map fd. */
int loader__ring_fd(struct scap *skel);
/* Events lost on full rings, summed over CPUs. */
uint64_t loader__drops(struct scap *skel);
/* Detaches every program (no new events) but keeps maps and the ring readable. */
void loader__detach(struct scap *skel);
void loader__stop(struct scap *skel);

#endif
