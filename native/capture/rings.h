/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The consumer of the driver's per-CPU rings (driver/helpers/base.bpf.h,
 * layout in driver/scap_driver.h): the ring array mapped, and the records
 * of all rings handed out in timestamp order, a k-way merge over the
 * rings' next records (a heap of the rings that have one). The driver wakes us through a small BPF ring
 * buffer, the doorbell, whose records carry nothing else.
 *
 *   struct rings *r = rings__new(rings_fd, doorbell_fd, n, ring_bytes, boot_ts_epoch_ns, on_record, ctx);
 *   while (running)
 *           rings__poll(r, SCAP_POLL_MS);   // a wakeup or the timeout, then what is safe to merge
 *   ...detach the driver: no new records...
 *   rings__consume(r, true);                // everything left
 *   rings__free(r);
 *
 * on_record sees each record (an EV_V2 block body, driver/scap_driver.h)
 * once it is consumed: the memory stays valid until on_record returns; a
 * non-zero answer ends the pass and is returned.
 */
#ifndef SCAPKIT_CAPTURE_RINGS_H
#define SCAPKIT_CAPTURE_RINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rings;

typedef int (*rings_record_fn)(void *ctx, void *data, size_t size);

/*
 * Maps the ring array (`n` rings of `ring_bytes`, element i is CPU i's
 * ring) and watches the doorbell. boot_ts_epoch_ns is what the driver adds
 * to the boot clock for an event's timestamp. NULL with errno set.
 */
struct rings *rings__new(int rings_fd, int doorbell_fd, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
			 rings_record_fn fn, void *ctx);
/*
 * The same over `n` rings laid out as the driver's array in memory the
 * caller owns and fills (tests/native/rings-merge.c): no doorbell, so
 * rings__consume only, not rings__poll.
 */
struct rings *rings__new_memory(void *map, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
				rings_record_fn fn, void *ctx);
/* Waits up to timeout_ms for a ring's wakeup, then rings__consume(r, false): records, or a negative errno. */
int rings__poll(struct rings *r, int timeout_ms);
/*
 * Hands out records in timestamp order across rings: the number handed
 * out, on_record's non-zero answer, or -EPROTO when a ring holds a record
 * whose length cannot be (nothing more is read). While the driver runs (`final`
 * false) a record waits while some ring is empty and the record is not yet
 * older than that ring's next record can be (see rings.c); once the driver
 * is detached (`final`), every committed record goes.
 */
int rings__consume(struct rings *r, bool final);
/* Records committed and not handed out yet (after a final pass cut short: what the file will not hold). */
uint64_t rings__left(struct rings *r);
void rings__free(struct rings *r);

#endif
