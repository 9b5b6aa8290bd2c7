// SPDX-License-Identifier: Apache-2.0
/*
 * The merge of native/capture/rings.c over rings in plain memory, laid out
 * as the driver's array: the records a test writes stand for the driver's.
 *
 *   capture-rings-merge check
 *       Many rounds over 1, 2, 3, 7 and 64 rings: records of random lengths
 *       and timestamps (ties across rings included) wrap around each ring;
 *       the merge must hand out every record once, each ring's in order, in
 *       non-decreasing timestamps, ties to the lower ring. Then the waiting
 *       rule: a record newer than "now" minus the grace waits while a ring
 *       is empty, and goes once every ring has one or on the final pass
 *       (one older than the grace goes at once);
 *       and a pass cut short by on_record loses nothing. Prints "ok" or the
 *       first failure, exit status 0 or 1 (test/native/rings-merge.test.ts).
 *
 *   capture-rings-merge bench RINGS BUSY
 *       ns per record handed out, RINGS rings of which BUSY have records
 *       (the others idle, as the CPUs of a large host mostly are).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rings.h"
#include "scap_driver.h"

#define HEADER_LEN 26

struct sim {
	uint8_t *map;
	size_t elem;
	int n;
	uint32_t ring_bytes;
	/* The producer's head of each ring, and the sequence number of its next record. */
	uint64_t *head;
	uint64_t *next_seq;
	/* What the consumer checks. */
	uint64_t *want_seq;
	uint64_t last_ts;
	int last_ring;
	uint64_t seen;
	uint64_t stop_every;
	const char *failure;
};

static struct sim *sim_new(int n, uint32_t ring_bytes)
{
	struct sim *s = calloc(1, sizeof(*s));
	s->n = n;
	s->ring_bytes = ring_bytes;
	s->elem = (size_t)SCAP_RING_DATA_OFF + ring_bytes + SCAP_RING_SLACK;
	s->map = calloc((size_t)n, s->elem);
	s->head = calloc((size_t)n, sizeof(uint64_t));
	s->next_seq = calloc((size_t)n, sizeof(uint64_t));
	s->want_seq = calloc((size_t)n, sizeof(uint64_t));
	if (!s->map || !s->head || !s->next_seq || !s->want_seq) {
		fputs("out of memory\n", stderr);
		exit(1);
	}
	s->last_ring = -1;
	return s;
}

static void sim_free(struct sim *s)
{
	free(s->map);
	free(s->head);
	free(s->next_seq);
	free(s->want_seq);
	free(s);
}

static uint64_t tail_of(struct sim *s, int ring)
{
	uint64_t t;
	memcpy(&t, s->map + (size_t)ring * s->elem + SCAP_RING_TAIL_OFF, sizeof(t));
	return t;
}

/* Appends a record of `payload` bytes with timestamp `ts` to `ring`; false when it has no room. */
static bool sim_put(struct sim *s, int ring, uint64_t ts, uint32_t payload)
{
	uint32_t evlen = HEADER_LEN + payload;
	uint64_t len = SCAP_RECORD_CPU_LEN + evlen;
	uint64_t span = (len + SCAP_RING_ALIGN - 1) & ~(uint64_t)(SCAP_RING_ALIGN - 1);
	uint64_t h = s->head[ring];
	if (h + span - tail_of(s, ring) > s->ring_bytes)
		return false;
	uint8_t *base = s->map + (size_t)ring * s->elem;
	uint8_t *rec = base + SCAP_RING_DATA_OFF + (h & (s->ring_bytes - 1));
	uint16_t cpu = (uint16_t)ring;
	uint64_t seq = s->next_seq[ring]++;
	uint16_t type = 0;
	uint32_t nparams = 0;
	memcpy(rec, &cpu, 2);
	memcpy(rec + 2, &ts, 8);
	memcpy(rec + 10, &seq, 8);
	memcpy(rec + 18, &evlen, 4);
	memcpy(rec + 22, &type, 2);
	memcpy(rec + 24, &nparams, 4);
	memset(rec + 28, (int)(seq & 0xff), payload);
	s->head[ring] = h + span;
	__atomic_store_n((uint64_t *)(base + SCAP_RING_HEAD_OFF), h + span, __ATOMIC_RELEASE);
	return true;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct sim *s = ctx;
	const uint8_t *rec = data;
	uint16_t cpu;
	uint64_t ts, seq;
	uint32_t evlen;
	memcpy(&cpu, rec, 2);
	memcpy(&ts, rec + 2, 8);
	memcpy(&seq, rec + 10, 8);
	memcpy(&evlen, rec + 18, 4);
	if (s->failure)
		return 0;
	if (cpu >= s->n || size != SCAP_RECORD_CPU_LEN + (size_t)evlen)
		s->failure = "a record of a ring that is not, or of the wrong size";
	else if (seq != s->want_seq[cpu])
		s->failure = "a ring's records lost, repeated or out of order";
	else if (ts < s->last_ts || (ts == s->last_ts && (int)cpu < s->last_ring))
		s->failure = "records out of timestamp order (or a tie not to the lower ring)";
	else if (evlen > HEADER_LEN && rec[28] != (uint8_t)(seq & 0xff))
		s->failure = "a record's bytes changed";
	s->want_seq[cpu] = seq + 1;
	s->last_ts = ts;
	s->last_ring = cpu;
	s->seen++;
	return s->stop_every && s->seen % s->stop_every == 0 ? 1 : 0;
}

static uint64_t boottime_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static bool fail(const char *what, int n)
{
	printf("FAIL (%d rings): %s\n", n, what);
	return false;
}

/* Drains with non-final passes until one hands out nothing; records in the past all go. */
static int drain(struct rings *rs)
{
	int total = 0, got;
	while ((got = rings__consume(rs, false)) > 0)
		total += got;
	return got < 0 ? got : total;
}

/*
 * Rounds of random records, all older than now: each round's are newer
 * than the round before's, so each round drains completely, in order.
 */
static bool check_order(int n, unsigned seed, uint64_t stop_every)
{
	srand(seed);
	struct sim *s = sim_new(n, 1u << 16);
	s->stop_every = stop_every;
	struct rings *rs = rings__new_memory(s->map, n, s->ring_bytes, 0, on_record, s);
	uint64_t ts = 1000000000ull;
	uint64_t put = 0;
	bool ok = true;
	for (int round = 0; round < 400 && ok; round++) {
		/* Some rounds use a few rings only, leaving the others empty. */
		int used = rand() % 3 == 0 ? 1 + rand() % n : n;
		int records = rand() % 2000;
		for (int i = 0; i < records; i++) {
			ts += (uint64_t)(rand() % 3);
			if (sim_put(s, rand() % used, ts, (uint32_t)(rand() % 300)))
				put++;
		}
		ts += 1;
		if (drain(rs) < 0)
			ok = fail("the merge reported an error", n);
		else if (s->failure)
			ok = fail(s->failure, n);
		else if (s->seen != put)
			ok = fail("a round's records not all handed out", n);
	}
	rings__free(rs);
	sim_free(s);
	return ok;
}

/* Records newer than now minus the grace wait for an empty ring, and go on the final pass. */
static bool check_waiting(void)
{
	struct sim *s = sim_new(2, 1u << 16);
	struct rings *rs = rings__new_memory(s->map, 2, s->ring_bytes, 0, on_record, s);
	uint64_t hour = 3600ull * 1000000000ull;
	uint64_t now = boottime_ns();
	bool ok = true;
	for (int i = 0; i < 10; i++)
		sim_put(s, 0, now + hour + (uint64_t)i, 8);
	if (rings__consume(rs, false) != 0)
		ok = fail("a record newer than the grace went while a ring was empty", 2);
	/* Ring 1's record is older than ring 0's: it goes, then ring 1 is empty again. */
	sim_put(s, 1, now + hour / 2, 8);
	if (ok && rings__consume(rs, false) != 1)
		ok = fail("the oldest record did not go once every ring had one", 2);
	if (ok && rings__consume(rs, true) != 10)
		ok = fail("the final pass did not hand out every record", 2);
	if (ok && s->failure)
		ok = fail(s->failure, 2);
	rings__free(rs);
	sim_free(s);
	return ok;
}

/* With a grace of 10 s: a record 20 s old goes while a ring is empty, one 1 s old waits. */
static bool check_grace(void)
{
	setenv("SCAP_MERGE_GRACE_MS", "10000", 1);
	struct sim *s = sim_new(2, 1u << 16);
	struct rings *rs = rings__new_memory(s->map, 2, s->ring_bytes, 0, on_record, s);
	unsetenv("SCAP_MERGE_GRACE_MS");
	uint64_t second = 1000000000ull;
	uint64_t now = boottime_ns();
	bool ok = true;
	sim_put(s, 0, now - 20 * second, 8);
	if (rings__consume(rs, false) != 1)
		ok = fail("a record older than the grace waited for an empty ring", 2);
	sim_put(s, 0, now - second, 8);
	if (ok && rings__consume(rs, false) != 0)
		ok = fail("a record within the grace went while a ring was empty", 2);
	if (ok && rings__consume(rs, true) != 1)
		ok = fail("the final pass did not hand out the record within the grace", 2);
	if (ok && s->failure)
		ok = fail(s->failure, 2);
	rings__free(rs);
	sim_free(s);
	return ok;
}

static int check(void)
{
	static const int counts[] = { 1, 2, 3, 7, 64 };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		if (!check_order(counts[i], 1234u + (unsigned)i, 0))
			return 1;
		/* on_record ending every 7th pass early: the next pass goes on where it stopped. */
		if (!check_order(counts[i], 99u + (unsigned)i, 7))
			return 1;
	}
	if (!check_waiting() || !check_grace())
		return 1;
	puts("ok");
	return 0;
}

static int count_only(void *ctx, void *data, size_t size)
{
	(void)data;
	(void)size;
	++*(uint64_t *)ctx;
	return 0;
}

static int bench(int n, int busy)
{
	uint32_t ring_bytes = 1u << 20;
	struct sim *s = sim_new(n, ring_bytes);
	uint64_t handed = 0;
	struct rings *rs = rings__new_memory(s->map, n, ring_bytes, 0, count_only, &handed);
	uint64_t ts = 1000000000ull;
	double spent = 0;
	for (int round = 0; round < 50; round++) {
		/* Fill the busy rings, interleaved, then time the merge alone. */
		bool room = true;
		while (room) {
			for (int r = 0; r < busy; r++)
				room = sim_put(s, r * (n / busy), ts++, 46) && room;
		}
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		drain(rs);
		clock_gettime(CLOCK_MONOTONIC, &b);
		spent += (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	}
	printf("%d rings, %d busy: %llu records, %.1f ns per record\n", n, busy, (unsigned long long)handed,
	       spent / (double)handed);
	rings__free(rs);
	sim_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "check") == 0)
		return check();
	if (argc == 4 && strcmp(argv[1], "bench") == 0) {
		int n = atoi(argv[2]), busy = atoi(argv[3]);
		if (n >= 1 && busy >= 1 && busy <= n)
			return bench(n, busy);
	}
	fputs("usage: capture-rings-merge check | bench RINGS BUSY\n", stderr);
	return 2;
}
