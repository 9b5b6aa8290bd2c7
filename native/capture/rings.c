// SPDX-License-Identifier: Apache-2.0
#include "rings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "gen/events.h"
#include "scap_driver.h"

/*
 * How much older than "now" a record must be before it is handed out while
 * some ring is empty. The driver takes an event's timestamp just before
 * it publishes the record in its CPU's ring (record__header), so a record that shows up
 * later in a ring found empty now has a timestamp after now minus that
 * short copy; this margin covers it with room for an interrupt in between.
 * It is also the latency it adds: records wait this long, not more.
 */
#define MERGE_GRACE_NS (2ull * 1000 * 1000)

/*
 * SCAP_MERGE_GRACE_MS replaces that margin: a larger one lets tests hold
 * records in the rings for as long as they need to check that a stop
 * drains them.
 */
#define MERGE_GRACE_ENV "SCAP_MERGE_GRACE_MS"

/*
 * Our tail is told to the driver after this many bytes (and at the end of
 * every pass), not after every record: the producer reads it on every
 * record, and a store per record would move that cache line between CPUs
 * once per event. The ring looks this much fuller to the producer, so a
 * small ring is told every quarter of its size instead.
 */
#define PUBLISH_BYTES (64u << 10)

/* The u32 event length inside a record: after the u16 cpu, the u64 ts and the u64 tid. */
#define RECORD_EVENT_LEN_AT (SCAP_RECORD_CPU_LEN + 16)

struct ring {
	/* In the mapped element (driver/scap_driver.h): the producer's head, our tail, the data. */
	const uint64_t *head_pos;
	uint64_t *tail_pos;
	const uint8_t *data;
	/* Our tail, and the one the driver last saw. */
	uint64_t cons;
	uint64_t published;
	/* The head last read: everything before it is complete. */
	uint64_t prod;
	/* When not NULL, the next record: body, length, bytes it takes in the ring, timestamp. */
	const uint8_t *head;
	uint32_t head_len;
	uint32_t head_span;
	uint64_t head_ts;
	/* Its index in the array: ties between rings go to the lower one. */
	int index;
	/* Whether it is in the heap (it has a head). */
	bool queued;
};

struct rings {
	struct ring *ring;
	int n;
	/*
	 * The rings with a next record, a binary min-heap by (head_ts, index):
	 * the next record to hand out is heap[0]'s, found in log(rings) steps
	 * instead of a look at every ring per record (hosts have many CPUs,
	 * most of them idle: 64 rings cost ~300 ns per record that way).
	 */
	struct ring **heap;
	int queued;
	uint64_t mask;
	/* Bytes read before our tail is told to the driver (PUBLISH_BYTES or less). */
	uint64_t publish_bytes;
	/* The ring array as mapped, and its length. */
	uint8_t *map;
	size_t map_bytes;
	/* The doorbell ring buffer's positions: read the producer's, write ours. */
	unsigned long *doorbell_cons;
	const unsigned long *doorbell_prod;
	size_t page;
	int epfd;
	struct epoll_event event;
	uint64_t boot_ts_epoch_ns;
	uint64_t grace_ns;
	rings_record_fn fn;
	void *ctx;
	/* The last pass ended on on_record's answer, not on an empty merge: records wait. */
	bool cut_short;
	/* 0, or -EPROTO once a ring held a record that cannot be (a driver bug): nothing more is read. */
	int error;
};

/*
 * The length of the record at `rec` (u16 cpu + event) and the span it takes
 * in the ring (aligned); false when its event length cannot be one.
 */
static inline bool record_extent(const uint8_t *rec, uint64_t *len, uint64_t *span)
{
	uint32_t evlen;
	memcpy(&evlen, rec + RECORD_EVENT_LEN_AT, sizeof(evlen));
	*len = (uint64_t)SCAP_RECORD_CPU_LEN + evlen;
	*span = (*len + SCAP_RING_ALIGN - 1) & ~(uint64_t)(SCAP_RING_ALIGN - 1);
	return evlen >= SCAP_EVENT_HEADER_LEN && *len < SCAP_MAX_EVENT_SIZE;
}

/*
 * Finds the ring's next record; false when it has none yet (the producer
 * stores its head only once a record is complete) or the ring is broken.
 */
static bool ring__peek(struct rings *rs, struct ring *r)
{
	if (r->head)
		return true;
	if (rs->error)
		return false;
	if (r->cons == r->prod) {
		/* Acquire: the bytes of the records before it are then visible. */
		r->prod = __atomic_load_n(r->head_pos, __ATOMIC_ACQUIRE);
		if (r->cons == r->prod)
			return false;
	}
	const uint8_t *rec = r->data + (r->cons & rs->mask);
	uint64_t len, span;
	if (!record_extent(rec, &len, &span) || span > r->prod - r->cons) {
		rs->error = -EPROTO;
		return false;
	}
	r->head = rec;
	r->head_len = (uint32_t)len;
	r->head_span = (uint32_t)span;
	/* The event's ts follows the u16 cpu of the record; unaligned. */
	memcpy(&r->head_ts, rec + SCAP_RECORD_CPU_LEN, sizeof(r->head_ts));
	return true;
}

/* Release: the driver may reuse the bytes before it only after we are done reading them. */
static void ring__publish(struct ring *r)
{
	if (r->published == r->cons)
		return;
	__atomic_store_n(r->tail_pos, r->cons, __ATOMIC_RELEASE);
	r->published = r->cons;
}

static bool ring__before(const struct ring *a, const struct ring *b)
{
	return a->head_ts < b->head_ts || (a->head_ts == b->head_ts && a->index < b->index);
}

/* Moves heap[at] down to its place. */
static void heap__sift_down(struct rings *rs, int at)
{
	struct ring **h = rs->heap;
	struct ring *r = h[at];
	for (;;) {
		int child = 2 * at + 1;
		if (child >= rs->queued)
			break;
		if (child + 1 < rs->queued && ring__before(h[child + 1], h[child]))
			child++;
		if (!ring__before(h[child], r))
			break;
		h[at] = h[child];
		at = child;
	}
	h[at] = r;
}

static void heap__push(struct rings *rs, struct ring *r)
{
	struct ring **h = rs->heap;
	int at = rs->queued++;
	while (at > 0) {
		int parent = (at - 1) / 2;
		if (!ring__before(r, h[parent]))
			break;
		h[at] = h[parent];
		at = parent;
	}
	h[at] = r;
	r->queued = true;
}

/* heap[0] after its record went: in again with its next one, or out. */
static void heap__next_of_top(struct rings *rs)
{
	struct ring *top = rs->heap[0];
	if (!ring__peek(rs, top)) {
		top->queued = false;
		rs->heap[0] = rs->heap[--rs->queued];
	}
	if (rs->queued > 0)
		heap__sift_down(rs, 0);
}

/* Looks again at every ring without a next record; whether every ring has one now. */
static bool heap__refill(struct rings *rs)
{
	if (rs->queued == rs->n)
		return true;
	for (int i = 0; i < rs->n; i++) {
		struct ring *r = &rs->ring[i];
		if (!r->queued && ring__peek(rs, r))
			heap__push(rs, r);
	}
	return rs->queued == rs->n;
}

/* Now, in the clock of event timestamps. */
static uint64_t event_clock_ns(const struct rings *rs)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + rs->boot_ts_epoch_ns;
}

int rings__consume(struct rings *rs, bool final)
{
	/* Records up to this timestamp are safe to hand out even while a ring is empty. */
	uint64_t horizon = 0;
	int n = 0, ret = 0;
	bool all = heap__refill(rs);
	while (rs->queued > 0) {
		struct ring *r = rs->heap[0];
		if (!all && !final && r->head_ts > horizon) {
			/*
			 * A ring with nothing may still get a record older than
			 * r's. Read the clock first, then look at the empty rings
			 * again: anything that shows up later was stamped after
			 * this clock reading, minus the grace. (A ring emptied
			 * below was last looked at after that reading too.)
			 */
			uint64_t now = event_clock_ns(rs);
			all = heap__refill(rs);
			horizon = now - rs->grace_ns;
			r = rs->heap[0];
			if (!all && r->head_ts > horizon)
				break;
		}
		const uint8_t *data = r->head;
		uint32_t len = r->head_len;
		r->cons += r->head_span;
		r->head = NULL;
		n++;
		/* The record stays unreused until published, after on_record. */
		ret = rs->fn(rs->ctx, (void *)data, len);
		if (r->cons - r->published >= rs->publish_bytes)
			ring__publish(r);
		heap__next_of_top(rs);
		if (!r->queued)
			all = false;
		if (ret)
			break;
	}
	for (int i = 0; i < rs->n; i++)
		ring__publish(&rs->ring[i]);
	rs->cut_short = ret != 0;
	if (ret)
		return ret;
	return rs->error ? rs->error : n;
}

uint64_t rings__left(struct rings *rs)
{
	uint64_t n = 0;
	for (int i = 0; i < rs->n; i++) {
		struct ring *r = &rs->ring[i];
		uint64_t prod = __atomic_load_n(r->head_pos, __ATOMIC_ACQUIRE);
		/* A record at the head (peeked, not handed out) is still at cons. */
		for (uint64_t at = r->cons; at < prod;) {
			uint64_t len, span;
			if (!record_extent(r->data + (at & rs->mask), &len, &span))
				break;
			at += span;
			n++;
		}
	}
	return n;
}

/* The doorbell's records say only "look": all of them are consumed at once. */
static void doorbell__clear(struct rings *rs)
{
	unsigned long prod = __atomic_load_n(rs->doorbell_prod, __ATOMIC_ACQUIRE);
	__atomic_store_n(rs->doorbell_cons, prod, __ATOMIC_RELEASE);
}

int rings__poll(struct rings *rs, int timeout_ms)
{
	/*
	 * Edge-triggered (rings__new), and the doorbell cleared before the
	 * pass: records the merge keeps waiting do not wake us again and
	 * again. The same records wake nobody either after a pass cut short
	 * by on_record: do not wait then.
	 */
	if (epoll_wait(rs->epfd, &rs->event, 1, rs->cut_short ? 0 : timeout_ms) < 0)
		return -errno;
	doorbell__clear(rs);
	return rings__consume(rs, false);
}

/* The settings and the rings of a ring array mapped at `map`; the doorbell is the caller's. */
static struct rings *rings__alloc(uint8_t *map, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
				  rings_record_fn fn, void *ctx)
{
	struct rings *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return NULL;
	rs->epfd = -1;
	rs->page = (size_t)sysconf(_SC_PAGESIZE);
	rs->mask = (uint64_t)ring_bytes - 1;
	rs->publish_bytes = ring_bytes / 4 < PUBLISH_BYTES ? ring_bytes / 4 : PUBLISH_BYTES;
	rs->boot_ts_epoch_ns = boot_ts_epoch_ns;
	rs->grace_ns = MERGE_GRACE_NS;
	const char *grace_ms = getenv(MERGE_GRACE_ENV);
	if (grace_ms && *grace_ms)
		rs->grace_ns = strtoull(grace_ms, NULL, 10) * 1000000ull;
	rs->fn = fn;
	rs->ctx = ctx;
	rs->ring = calloc((size_t)n, sizeof(*rs->ring));
	rs->heap = calloc((size_t)n, sizeof(*rs->heap));
	if (!rs->ring || !rs->heap) {
		free(rs->ring);
		free(rs->heap);
		free(rs);
		return NULL;
	}
	rs->n = n;
	/* The array's elements follow each other, each a multiple of the page size (scap_driver.h). */
	size_t elem = (size_t)SCAP_RING_DATA_OFF + ring_bytes + SCAP_RING_SLACK;
	for (int i = 0; i < n; i++) {
		struct ring *r = &rs->ring[i];
		uint8_t *base = map + (size_t)i * elem;
		r->head_pos = (const uint64_t *)(base + SCAP_RING_HEAD_OFF);
		r->tail_pos = (uint64_t *)(base + SCAP_RING_TAIL_OFF);
		r->data = base + SCAP_RING_DATA_OFF;
		r->index = i;
		/* From the tail, not the head: the driver has been writing since it was attached. */
		r->cons = r->published = r->prod = __atomic_load_n(r->tail_pos, __ATOMIC_ACQUIRE);
	}
	return rs;
}

struct rings *rings__new(int rings_fd, int doorbell_fd, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
			 rings_record_fn fn, void *ctx)
{
	size_t map_bytes = (size_t)n * ((size_t)SCAP_RING_DATA_OFF + ring_bytes + SCAP_RING_SLACK);
	void *map = mmap(NULL, map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, rings_fd, 0);
	if (map == MAP_FAILED)
		return NULL;
	struct rings *rs = rings__alloc(map, n, ring_bytes, boot_ts_epoch_ns, fn, ctx);
	if (!rs) {
		munmap(map, map_bytes);
		errno = ENOMEM;
		return NULL;
	}
	rs->map = map;
	rs->map_bytes = map_bytes;
	/* The doorbell: a BPF ring buffer's consumer page (ours to write), then its producer page. */
	void *cons = mmap(NULL, rs->page, PROT_READ | PROT_WRITE, MAP_SHARED, doorbell_fd, 0);
	if (cons == MAP_FAILED)
		goto fail;
	rs->doorbell_cons = cons;
	void *prod = mmap(NULL, rs->page, PROT_READ, MAP_SHARED, doorbell_fd, (off_t)rs->page);
	if (prod == MAP_FAILED)
		goto fail;
	rs->doorbell_prod = prod;
	if ((rs->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		goto fail;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	if (epoll_ctl(rs->epfd, EPOLL_CTL_ADD, doorbell_fd, &ev) < 0)
		goto fail;
	return rs;
fail:;
	int err = errno;
	rings__free(rs);
	errno = err;
	return NULL;
}

struct rings *rings__new_memory(void *map, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
				rings_record_fn fn, void *ctx)
{
	struct rings *rs = rings__alloc(map, n, ring_bytes, boot_ts_epoch_ns, fn, ctx);
	if (!rs)
		errno = ENOMEM;
	return rs;
}

void rings__free(struct rings *rs)
{
	if (!rs)
		return;
	if (rs->map)
		munmap(rs->map, rs->map_bytes);
	if (rs->doorbell_cons)
		munmap(rs->doorbell_cons, rs->page);
	if (rs->doorbell_prod)
		munmap((void *)rs->doorbell_prod, rs->page);
	if (rs->epfd >= 0)
		close(rs->epfd);
	free(rs->ring);
	free(rs->heap);
	free(rs);
}
