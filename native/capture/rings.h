/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The consumer of the driver's per-CPU ring buffers (driver/helpers/base.bpf.h):
 * each ring's pages mapped as the kernel lays them out, and the records of
 * all rings handed out in timestamp order, a k-way merge over the rings'
 * next records. libbpf 1.1 has no API for reading one record without
 * consuming it, so this reads the rings itself (kernel/bpf/ringbuf.c is the
 * layout: a consumer page, a producer page, the data pages mapped twice).
 *
 *   struct rings *r = rings__new(fds, n, ring_bytes, boot_ts_epoch_ns, on_record, ctx);
 *   while (running)
 *           rings__poll(r, SCAP_POLL_MS);   // a wakeup or the timeout, then what is safe to merge
 *   ...detach the driver: no new records...
 *   rings__consume(r, true);                // everything left
 *   rings__free(r);
 *
 * on_record sees each record (an EV_V2 block body, driver/scap_driver.h)
 * once it is consumed, as with libbpf's ring_buffer: the memory stays valid
 * until on_record returns; a non-zero answer ends the pass and is returned.
 */
#ifndef SCAPKIT_CAPTURE_RINGS_H
#define SCAPKIT_CAPTURE_RINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rings;

typedef int (*rings_record_fn)(void *ctx, void *data, size_t size);

/*
 * Maps `n` ring buffers of `ring_bytes` each (fds[i] is CPU i's ring) and
 * watches them with one epoll set. boot_ts_epoch_ns is what the driver adds
 * to the boot clock for an event's timestamp. NULL with errno set.
 */
struct rings *rings__new(const int *fds, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
			 rings_record_fn fn, void *ctx);
/* Waits up to timeout_ms for a ring's wakeup, then rings__consume(r, false): records, or a negative errno. */
int rings__poll(struct rings *r, int timeout_ms);
/*
 * Hands out records in timestamp order across rings: the number handed
 * out, or on_record's non-zero answer. While the driver runs (`final`
 * false) a record waits while some ring is empty and the record is not yet
 * older than that ring's next record can be (see rings.c); once the driver
 * is detached (`final`), every committed record goes.
 */
int rings__consume(struct rings *r, bool final);
void rings__free(struct rings *r);

#endif
