// SPDX-License-Identifier: Apache-2.0
#include "rings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "scap_driver.h"

/*
 * How much older than "now" a record must be before it is handed out while
 * some ring is empty. The driver takes an event's timestamp just before
 * copying it into its CPU's ring (aux__submit), so a record that shows up
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
 * Our consumer position is told to the kernel after this many bytes (and at
 * the end of every pass), not after every record: the producer reads it on
 * every reserve, and a store per record would move that cache line between
 * CPUs once per event. The ring looks this much fuller to the producer.
 */
#define PUBLISH_BYTES (64u << 10)

struct ring {
	/* The kernel's pages: the consumer position is ours to write, the rest read-only. */
	unsigned long *consumer_pos;
	const unsigned long *producer_pos;
	/* The data pages, mapped twice in a row: a record that wraps reads as one piece. */
	const uint8_t *data;
	/* Our consumer position, and the one the kernel last saw. */
	uint64_t cons;
	uint64_t published;
	/* The producer position last read: everything before it is reserved. */
	uint64_t prod;
	/* When not NULL, the next committed record: body, length, bytes it takes in the ring, timestamp. */
	const uint8_t *head;
	uint32_t head_len;
	uint32_t head_span;
	uint64_t head_ts;
};

struct rings {
	struct ring *ring;
	int n;
	uint64_t mask;
	size_t page;
	size_t ring_bytes;
	int epfd;
	struct epoll_event *events;
	uint64_t boot_ts_epoch_ns;
	uint64_t grace_ns;
	rings_record_fn fn;
	void *ctx;
	/* The last pass ended on on_record's answer, not on an empty merge: records wait. */
	bool cut_short;
};

/* Bytes a record of body length `len` takes in the ring: its header, rounded to 8 (kernel/bpf/ringbuf.c). */
static uint32_t record_span(uint32_t len)
{
	return (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
}

/*
 * Finds the ring's next committed record, stepping over discarded ones;
 * false when it has none yet (empty, or the next one is still being
 * written: its busy bit is set until the producer commits it).
 */
static bool ring__peek(struct rings *rs, struct ring *r)
{
	if (r->head)
		return true;
	for (;;) {
		if (r->cons == r->prod) {
			/* Acquire: the headers of records before it are then visible. */
			r->prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
			if (r->cons == r->prod)
				return false;
		}
		const uint8_t *hdr = r->data + (r->cons & rs->mask);
		/* Acquire: pairs with the producer's release of the header on commit. */
		uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			return false;
		bool discarded = len & BPF_RINGBUF_DISCARD_BIT;
		len &= ~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (discarded) {
			r->cons += record_span(len);
			continue;
		}
		r->head = hdr + BPF_RINGBUF_HDR_SZ;
		r->head_len = len;
		r->head_span = record_span(len);
		/* The event's ts follows the u16 cpu of the record; unaligned. */
		r->head_ts = 0;
		if (len >= SCAP_RECORD_CPU_LEN + sizeof(r->head_ts))
			memcpy(&r->head_ts, r->head + SCAP_RECORD_CPU_LEN, sizeof(r->head_ts));
		return true;
	}
}

/* Release: the kernel may reuse the bytes before it only after we are done reading them. */
static void ring__publish(struct ring *r)
{
	if (r->published == r->cons)
		return;
	__atomic_store_n(r->consumer_pos, r->cons, __ATOMIC_RELEASE);
	r->published = r->cons;
}

/* The ring whose next record is the oldest, or NULL; *all says whether every ring has one. */
static struct ring *oldest(struct rings *rs, bool *all)
{
	struct ring *min = NULL;
	*all = true;
	for (int i = 0; i < rs->n; i++) {
		struct ring *r = &rs->ring[i];
		if (!ring__peek(rs, r))
			*all = false;
		else if (!min || r->head_ts < min->head_ts)
			min = r;
	}
	return min;
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
	for (;;) {
		bool all;
		struct ring *r = oldest(rs, &all);
		if (r && !all && !final && r->head_ts > horizon) {
			/*
			 * A ring with nothing may still get a record older than
			 * r's. Read the clock first, then look at the rings
			 * again: anything that shows up later was stamped after
			 * this clock reading, minus the grace.
			 */
			uint64_t now = event_clock_ns(rs);
			r = oldest(rs, &all);
			horizon = now - rs->grace_ns;
			if (r && !all && r->head_ts > horizon)
				r = NULL;
		}
		if (!r)
			break;
		const uint8_t *data = r->head;
		uint32_t len = r->head_len;
		r->cons += r->head_span;
		r->head = NULL;
		n++;
		/* The record stays unreused until published, after on_record. */
		ret = rs->fn(rs->ctx, (void *)data, len);
		if (r->cons - r->published >= PUBLISH_BYTES)
			ring__publish(r);
		if (ret)
			break;
	}
	for (int i = 0; i < rs->n; i++)
		ring__publish(&rs->ring[i]);
	rs->cut_short = ret != 0;
	return ret ? ret : n;
}

int rings__poll(struct rings *rs, int timeout_ms)
{
	/*
	 * Edge-triggered (rings__new): a ring holding records the merge keeps
	 * waiting does not wake us again and again. The same records wake
	 * nobody either after a pass cut short by on_record: do not wait then.
	 */
	if (epoll_wait(rs->epfd, rs->events, rs->n, rs->cut_short ? 0 : timeout_ms) < 0)
		return -errno;
	return rings__consume(rs, false);
}

struct rings *rings__new(const int *fds, int n, uint32_t ring_bytes, uint64_t boot_ts_epoch_ns,
			 rings_record_fn fn, void *ctx)
{
	struct rings *rs = calloc(1, sizeof(*rs));
	int err = ENOMEM;
	if (!rs)
		return NULL;
	rs->epfd = -1;
	rs->page = (size_t)sysconf(_SC_PAGESIZE);
	rs->ring_bytes = ring_bytes;
	rs->mask = (uint64_t)ring_bytes - 1;
	rs->boot_ts_epoch_ns = boot_ts_epoch_ns;
	rs->grace_ns = MERGE_GRACE_NS;
	const char *grace_ms = getenv(MERGE_GRACE_ENV);
	if (grace_ms && *grace_ms)
		rs->grace_ns = strtoull(grace_ms, NULL, 10) * 1000000ull;
	rs->fn = fn;
	rs->ctx = ctx;
	rs->ring = calloc((size_t)n, sizeof(*rs->ring));
	rs->events = calloc((size_t)n, sizeof(*rs->events));
	if (!rs->ring || !rs->events)
		goto fail;
	rs->n = n;
	if ((rs->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		goto fail_errno;
	for (int i = 0; i < n; i++) {
		struct ring *r = &rs->ring[i];
		/* The consumer page is writable: it is where we tell the kernel what we read. */
		void *cons = mmap(NULL, rs->page, PROT_READ | PROT_WRITE, MAP_SHARED, fds[i], 0);
		if (cons == MAP_FAILED)
			goto fail_errno;
		r->consumer_pos = cons;
		/* Producer page and data are read-only; the kernel maps the data twice. */
		void *prod = mmap(NULL, rs->page + 2 * rs->ring_bytes, PROT_READ, MAP_SHARED, fds[i], (off_t)rs->page);
		if (prod == MAP_FAILED)
			goto fail_errno;
		r->producer_pos = prod;
		r->data = (const uint8_t *)prod + rs->page;
		r->cons = r->published = r->prod = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u32 = (uint32_t)i };
		if (epoll_ctl(rs->epfd, EPOLL_CTL_ADD, fds[i], &ev) < 0)
			goto fail_errno;
	}
	return rs;
fail_errno:
	err = errno;
fail:
	rings__free(rs);
	errno = err;
	return NULL;
}

void rings__free(struct rings *rs)
{
	if (!rs)
		return;
	for (int i = 0; rs->ring && i < rs->n; i++) {
		struct ring *r = &rs->ring[i];
		if (r->consumer_pos)
			munmap(r->consumer_pos, rs->page);
		if (r->producer_pos)
			munmap((void *)r->producer_pos, rs->page + 2 * rs->ring_bytes);
	}
	if (rs->epfd >= 0)
		close(rs->epfd);
	free(rs->ring);
	free(rs->events);
	free(rs);
}
