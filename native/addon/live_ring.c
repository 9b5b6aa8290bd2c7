// SPDX-License-Identifier: Apache-2.0
#include "live_ring.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>

#include "proc_scan.h"
#include "rings.h"
#include "scap_driver.h"
#include "writer.h"

enum slot_state {
	SLOT_FREE,	/* the consumer may take it */
	SLOT_FILLING,	/* the consumer thread appends blocks */
	SLOT_READY,	/* waiting in the ready queue */
	SLOT_OUT,	/* handed out, until live_ring__release */
};

/*
 * Records are held in memory while the state is scanned (the caller reads
 * no slot before the preamble), up to PROC_SCAN_HOLD_BYTES: past that a
 * pass over the rings stops and they fill up (and drop) until the scan is
 * done. As scap-capture's (native/capture/output.c), whose README says
 * what scanning on the draining thread cost on a host with thousands of
 * processes.
 *
 * rings__consume's answer when the hold is full: the pass ends, the record kept.
 */
#define HOLD_FULL (-EAGAIN)
/*
 * on_record's answer, once a stop was asked for, to a record it kept: leave
 * rings__consume now. A pass over the rings runs on as long as they hold
 * records older than "now", and a consumer seconds behind a busy producer
 * always has some: the stop (scap live -M, Ctrl-C) waited for the producer
 * to end (scap live -w -C -M 2 under dd ran 70 s).
 */
#define STOP_ASKED (-ECANCELED)

struct live_ring {
	struct loader *ld;
	struct rings *rings;
	struct writer preamble;

	/* Set while live_ring__start scans /proc; the consumer then holds records. */
	atomic_bool scanning;
	/*
	 * The consumer thread's own: records held during the scan, moved into
	 * slots after it, in order; later records join the hold until it is
	 * empty. hold_sent: bytes of it already moved.
	 */
	struct writer hold;
	size_t hold_sent;

	struct live_slot *slots;
	uint32_t nslots;

	/* Everything below up to `cur` is guarded by lock; `changed` is broadcast on every change. */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	uint8_t *state;
	size_t *slot_len;
	uint64_t *slot_events;
	/* FIFO of ready slots, in fill order. */
	uint32_t *ready;
	uint32_t ready_head;
	uint32_t ready_count;
	bool thread_done;
	bool drain;
	struct live_stats stats;

	/* The consumer thread's own: the slot being filled and its writer. */
	int cur;
	struct writer cur_w;
	uint64_t cur_events;
	/* stopping: leave the poll loop (then drain if asked); aborting: give up at once. */
	atomic_bool stopping;
	/* The last pass, after the driver was detached: every record, no STOP_ASKED. */
	bool final_pass;
	atomic_bool aborting;
	pthread_t thread;
	bool thread_started;
	/* BPF objects destroyed (live_ring__stop ran). */
	bool stopped;
};

/* Takes a free slot for the consumer, waiting for the caller to give one back; false when aborting. */
static bool take_slot(struct live_ring *lr)
{
	bool stalled = false;
	pthread_mutex_lock(&lr->lock);
	for (;;) {
		for (uint32_t i = 0; i < lr->nslots; i++) {
			if (lr->state[i] == SLOT_FREE) {
				lr->state[i] = SLOT_FILLING;
				pthread_mutex_unlock(&lr->lock);
				lr->cur = (int)i;
				lr->cur_events = 0;
				writer__open_fixed(&lr->cur_w, lr->slots[i].data, lr->slots[i].cap);
				return true;
			}
		}
		if (atomic_load(&lr->aborting)) {
			pthread_mutex_unlock(&lr->lock);
			return false;
		}
		if (!stalled) {
			lr->stats.stalls++;
			stalled = true;
		}
		pthread_cond_wait(&lr->changed, &lr->lock);
	}
}

/* Queues the slot being filled, if it holds anything. */
static void publish(struct live_ring *lr)
{
	if (lr->cur < 0)
		return;
	uint32_t i = (uint32_t)lr->cur;
	pthread_mutex_lock(&lr->lock);
	if (lr->cur_w.len == 0) {
		lr->state[i] = SLOT_FREE;
	} else {
		lr->state[i] = SLOT_READY;
		lr->slot_len[i] = lr->cur_w.len;
		lr->slot_events[i] = lr->cur_events;
		lr->ready[(lr->ready_head + lr->ready_count) % lr->nslots] = i;
		lr->ready_count++;
	}
	pthread_cond_broadcast(&lr->changed);
	pthread_mutex_unlock(&lr->lock);
	lr->cur = -1;
}

/* Each ring record is an EV_V2 block body (u16 cpu + event), as scap-capture writes it. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct live_ring *lr = ctx;
	if (atomic_load(&lr->scanning) || lr->hold_sent < lr->hold.len) {
		if (writer__append_block(&lr->hold, BLOCK_EVENT_V2, data, size)) {
			pthread_mutex_lock(&lr->lock);
			lr->stats.discarded++;
			pthread_mutex_unlock(&lr->lock);
			return 0;
		}
		return lr->hold.len - lr->hold_sent >= PROC_SCAN_HOLD_BYTES ? HOLD_FULL : 0;
	}
	/* rings__consume has already moved past this record: returning an error loses it. */
	if (lr->cur < 0 && !take_slot(lr))
		goto lost;
	int err = writer__append_block(&lr->cur_w, BLOCK_EVENT_V2, data, size);
	if (err == -ENOBUFS) {
		publish(lr);
		if (!take_slot(lr))
			goto lost;
		err = writer__append_block(&lr->cur_w, BLOCK_EVENT_V2, data, size);
	}
	if (err) {
		/* Larger than a whole slot: the slots are sized above SCAP_MAX_EVENT_SIZE, so never. */
		pthread_mutex_lock(&lr->lock);
		lr->stats.discarded++;
		pthread_mutex_unlock(&lr->lock);
		return 0;
	}
	lr->cur_events++;
	return atomic_load(&lr->stopping) && !lr->final_pass ? STOP_ASKED : 0;
lost:
	pthread_mutex_lock(&lr->lock);
	lr->stats.discarded++;
	pthread_mutex_unlock(&lr->lock);
	return -ECANCELED;
}

/* Hands the slot being filled out early when the caller has nothing to read. */
static void publish_if_idle(struct live_ring *lr)
{
	if (lr->cur < 0 || lr->cur_w.len == 0)
		return;
	pthread_mutex_lock(&lr->lock);
	bool idle = lr->ready_count == 0;
	pthread_mutex_unlock(&lr->lock);
	if (idle)
		publish(lr);
}

/* Takes a free slot if there is one, without waiting. */
static bool try_take_slot(struct live_ring *lr)
{
	bool free_one = false;
	pthread_mutex_lock(&lr->lock);
	for (uint32_t i = 0; i < lr->nslots && !free_one; i++)
		free_one = lr->state[i] == SLOT_FREE;
	pthread_mutex_unlock(&lr->lock);
	/* Only this thread takes slots: the free one is still free. */
	return free_one && take_slot(lr);
}

/*
 * Moves held records into slots once the scan is done: into the free slots
 * only, or (wait) until the hold is empty, waiting for the caller to give
 * slots back. False when aborting.
 */
static bool move_hold(struct live_ring *lr, bool wait)
{
	if (atomic_load(&lr->scanning))
		return true;
	while (lr->hold_sent < lr->hold.len) {
		if (lr->cur < 0 && !(wait ? take_slot(lr) : try_take_slot(lr)))
			return !atomic_load(&lr->aborting);
		const unsigned char *p = lr->hold.buf + lr->hold_sent;
		uint32_t total;
		memcpy(&total, p + 4, 4);
		int err = writer__append_blocks(&lr->cur_w, p, total);
		if (err == -ENOBUFS) {
			publish(lr);
			continue;
		}
		if (err) {
			pthread_mutex_lock(&lr->lock);
			lr->stats.discarded++;
			pthread_mutex_unlock(&lr->lock);
		} else {
			lr->cur_events++;
		}
		lr->hold_sent += total;
	}
	/* Emptied: its memory goes back, a later scan (none yet) would start anew. */
	if (lr->hold.len) {
		writer__close(&lr->hold);
		writer__open_memory(&lr->hold);
		lr->hold_sent = 0;
	}
	return true;
}

static void *consume(void *arg)
{
	struct live_ring *lr = arg;
	int err = 0;
	while (!atomic_load(&lr->stopping)) {
		/* The driver wakes us only each time a CPU has put another wake
		 * interval of bytes in its ring (driver/helpers/store.bpf.h):
		 * rings__poll also reads the rings on a timeout. */
		int n = rings__poll(lr->rings, SCAP_POLL_MS);
		if (n < 0 && n != -EINTR && n != -ECANCELED && n != HOLD_FULL) {
			err = n;
			break;
		}
		if (n == HOLD_FULL && atomic_load(&lr->scanning)) {
			/* Full during the scan: the rings wait (and drop) until it is done. */
			struct timespec pause = { 0, 1000000 };
			nanosleep(&pause, NULL);
			continue;
		}
		/* A full hold waits for slots to empty it. */
		if (!move_hold(lr, n == HOLD_FULL))
			break;
		publish_if_idle(lr);
	}
	pthread_mutex_lock(&lr->lock);
	bool drain = lr->drain;
	pthread_mutex_unlock(&lr->lock);
	if (drain && !err) {
		/* No new events, then everything already in the rings, as the caller frees slots. */
		loader__detach(lr->ld);
		lr->final_pass = true;
		int n;
		do
			n = move_hold(lr, true) ? rings__consume(lr->rings, true) : 0;
		while (!atomic_load(&lr->aborting) && (n > 0 || n == HOLD_FULL));
		move_hold(lr, true);
	}
	publish(lr);
	pthread_mutex_lock(&lr->lock);
	lr->stats.error = err;
	lr->thread_done = true;
	pthread_cond_broadcast(&lr->changed);
	pthread_mutex_unlock(&lr->lock);
	return NULL;
}

struct live_ring *live_ring__start(const struct loader_opts *opts, const struct live_slot *slots,
				   uint32_t nslots, int *err)
{
	struct live_ring *lr = calloc(1, sizeof(*lr));
	struct scan_stats scan;
	*err = -ENOMEM;
	if (!lr)
		return NULL;
	pthread_mutex_init(&lr->lock, NULL);
	pthread_cond_init(&lr->changed, NULL);
	lr->cur = -1;
	lr->preamble.fd = -1;
	lr->hold.fd = -1;
	lr->nslots = nslots;
	lr->slots = calloc(nslots, sizeof(*lr->slots));
	lr->state = calloc(nslots, sizeof(*lr->state));
	lr->slot_len = calloc(nslots, sizeof(*lr->slot_len));
	lr->slot_events = calloc(nslots, sizeof(*lr->slot_events));
	lr->ready = calloc(nslots, sizeof(*lr->ready));
	if (!nslots || !lr->slots || !lr->state || !lr->slot_len || !lr->slot_events || !lr->ready) {
		*err = nslots ? -ENOMEM : -EINVAL;
		goto fail;
	}
	for (uint32_t i = 0; i < nslots; i++) {
		if (slots[i].cap < SCAP_MAX_EVENT_SIZE + 64) {
			*err = -EINVAL;
			goto fail;
		}
	}
	memcpy(lr->slots, slots, nslots * sizeof(*slots));

	if ((*err = writer__open_memory(&lr->preamble)) || (*err = writer__section_header(&lr->preamble)) ||
	    (*err = writer__open_memory(&lr->hold)))
		goto fail;
	lr->ld = loader__start(opts);
	if (!lr->ld) {
		/* loader__start printed which step failed and why. */
		*err = -EPERM;
		goto fail;
	}
	lr->rings = rings__new(lr->ld->rings_fd, lr->ld->doorbell_fd, lr->ld->nrings, lr->ld->ring_bytes, opts->boot_ts_epoch_ns, on_record, lr);
	if (!lr->rings) {
		*err = -errno;
		goto fail;
	}
	/*
	 * State after attaching: whatever changes during the scan is in the
	 * events, which the consumer holds meanwhile (a scan takes about
	 * 0.3 ms a thread: the rings alone overflowed on a busy host).
	 */
	atomic_store(&lr->scanning, true);
	if ((*err = -pthread_create(&lr->thread, NULL, consume, lr)))
		goto fail;
	lr->thread_started = true;
	/* On a thread of libuv's pool: its nice value goes back after the scan. */
	int nice_before = proc_scan__nice_thread();
	*err = proc_scan__write_state(&lr->preamble, &scan);
	proc_scan__renice(nice_before);
	if (*err)
		goto fail;
	atomic_store(&lr->scanning, false);
	*err = 0;
	return lr;
fail:
	live_ring__free(lr);
	return NULL;
}

void live_ring__preamble(struct live_ring *lr, const void **data, size_t *len)
{
	*data = lr->preamble.buf;
	*len = lr->preamble.len;
}

int live_ring__rescan(struct writer *out)
{
	struct scan_stats scan;
	int err = writer__section_header(out);
	if (err)
		return err;
	/*
	 * The consumer thread goes on filling slots meanwhile: the caller keeps
	 * reading them (the scan is taken ahead of the rotation that uses it),
	 * and a caller that waits for it has the slots and the rings to absorb
	 * a scan's time (about 0.3 ms a thread), so nothing is held here.
	 */
	int nice_before = proc_scan__nice_thread();
	err = proc_scan__write_state(out, &scan);
	proc_scan__renice(nice_before);
	return err;
}

int live_ring__next(struct live_ring *lr, uint32_t *slot, size_t *len)
{
	pthread_mutex_lock(&lr->lock);
	while (lr->ready_count == 0 && !lr->thread_done)
		pthread_cond_wait(&lr->changed, &lr->lock);
	if (lr->ready_count == 0) {
		pthread_mutex_unlock(&lr->lock);
		return -ESHUTDOWN;
	}
	uint32_t i = lr->ready[lr->ready_head];
	lr->ready_head = (lr->ready_head + 1) % lr->nslots;
	lr->ready_count--;
	lr->state[i] = SLOT_OUT;
	lr->stats.events += lr->slot_events[i];
	lr->stats.bytes += lr->slot_len[i];
	*slot = i;
	*len = lr->slot_len[i];
	pthread_mutex_unlock(&lr->lock);
	return 0;
}

void live_ring__release(struct live_ring *lr, uint32_t slot)
{
	pthread_mutex_lock(&lr->lock);
	if (slot < lr->nslots && lr->state[slot] == SLOT_OUT) {
		lr->state[slot] = SLOT_FREE;
		pthread_cond_broadcast(&lr->changed);
	}
	pthread_mutex_unlock(&lr->lock);
}

void live_ring__stats(struct live_ring *lr, struct live_stats *stats)
{
	pthread_mutex_lock(&lr->lock);
	*stats = lr->stats;
	pthread_mutex_unlock(&lr->lock);
	/* After stop, the count taken just before the driver was destroyed. */
	if (!lr->stopped && lr->ld)
		stats->drops = loader__drops(lr->ld, NULL);
}

void live_ring__stop(struct live_ring *lr, bool drain)
{
	if (lr->stopped)
		return;
	pthread_mutex_lock(&lr->lock);
	if (drain) {
		/* The consumer thread detaches the driver and drains the ring; the caller
		 * reads on until live_ring__next answers -ESHUTDOWN, then stops again. */
		if (lr->thread_started) {
			lr->drain = true;
			atomic_store(&lr->stopping, true);
			pthread_cond_broadcast(&lr->changed);
			pthread_mutex_unlock(&lr->lock);
			return;
		}
	}
	atomic_store(&lr->stopping, true);
	atomic_store(&lr->aborting, true);
	pthread_cond_broadcast(&lr->changed);
	pthread_mutex_unlock(&lr->lock);
	if (lr->thread_started)
		pthread_join(lr->thread, NULL);
	uint64_t drops = lr->ld ? loader__drops(lr->ld, NULL) : 0;
	rings__free(lr->rings);
	lr->rings = NULL;
	if (lr->ld)
		loader__stop(lr->ld);
	lr->ld = NULL;
	pthread_mutex_lock(&lr->lock);
	lr->stats.drops = drops;
	lr->thread_done = true;
	while (lr->ready_count > 0) {
		uint32_t i = lr->ready[lr->ready_head];
		lr->ready_head = (lr->ready_head + 1) % lr->nslots;
		lr->ready_count--;
		lr->state[i] = SLOT_FREE;
		lr->stats.discarded += lr->slot_events[i];
	}
	lr->stopped = true;
	pthread_cond_broadcast(&lr->changed);
	pthread_mutex_unlock(&lr->lock);
}

void live_ring__free(struct live_ring *lr)
{
	if (!lr)
		return;
	live_ring__stop(lr, false);
	writer__close(&lr->preamble);
	writer__close(&lr->hold);
	pthread_cond_destroy(&lr->changed);
	pthread_mutex_destroy(&lr->lock);
	free(lr->slots);
	free(lr->state);
	free(lr->slot_len);
	free(lr->slot_events);
	free(lr->ready);
	free(lr);
}
