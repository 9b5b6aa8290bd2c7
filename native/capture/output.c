// SPDX-License-Identifier: Apache-2.0
#include "output.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * The writer's buffer holds 4 MiB: on a quiet system that is minutes of
 * events a SIGKILL or a crash would lose, and --stats would show no bytes.
 */
#define FLUSH_INTERVAL_S 1.0
/*
 * SCAP_CAPTURE_HOLD_BYTES replaces PROC_SCAN_HOLD_BYTES, the limit of the
 * events held while a file's state is scanned: 0 waits for every scan as
 * the capture did before (tests of the time budgets of a stop use it).
 */
#define HOLD_BYTES_ENV "SCAP_CAPTURE_HOLD_BYTES"

/* The limit of held events: PROC_SCAN_HOLD_BYTES unless the environment says otherwise. */
static size_t hold_max_bytes(void)
{
	static size_t max;
	static bool known;
	if (!known) {
		const char *v = getenv(HOLD_BYTES_ENV);
		max = v && *v ? (size_t)strtoull(v, NULL, 10) : PROC_SCAN_HOLD_BYTES;
		known = true;
	}
	return max;
}

double output__now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool output__rotates(const struct output *o)
{
	return o->rotate_bytes || o->rotate_seconds > 0;
}

static int digits(uint32_t n)
{
	int d = 0;
	for (; n; n /= 10)
		d++;
	return d;
}

static int encode_frame(void *codec, const void *in, size_t len, const void **out, size_t *out_len)
{
	return codec__frame(codec, in, len, out, out_len);
}

/* sysdig's -G with a '%' in the name: the name is strftime'd at each file's start. */
static bool timed_names(const struct output *o)
{
	return o->rotate_seconds > 0 && strchr(o->base, '%');
}

/* The name of file `index` into o->path; 0 or -ENAMETOOLONG. */
static int make_name(struct output *o)
{
	size_t n;
	if (timed_names(o)) {
		time_t t = time(NULL);
		struct tm tm;
		n = localtime_r(&t, &tm) ? strftime(o->path, sizeof(o->path), o->base, &tm) : 0;
		if (n == 0)
			return -ENAMETOOLONG;
	} else {
		n = (size_t)snprintf(o->path, sizeof(o->path), "%s", o->base);
	}
	/* -C (or -G without a time format) numbers the files after the name. */
	if (o->rotate_bytes || (output__rotates(o) && !timed_names(o)))
		n += (size_t)snprintf(o->path + n, n < sizeof(o->path) ? sizeof(o->path) - n : 0, "%0*u",
				      digits(o->max_files), o->index);
	return n < sizeof(o->path) ? 0 : -ENAMETOOLONG;
}

/* Events that reached a file: its blocks written after its `state_blocks`. */
static uint64_t events_written(const struct writer *w, uint64_t state_blocks)
{
	uint64_t written = writer__blocks_written(w);
	return state_blocks && written > state_blocks ? written - state_blocks : 0;
}

/* Events of the current file that reached it. */
static uint64_t file_events_written(const struct output *o)
{
	return events_written(o->w, o->state_blocks);
}

/*
 * Removes a file `w` wrote and closed, if it is ours to remove: not a
 * device, nor a file left untouched (nor one known by no name of its own: NULL).
 */
static void remove_path(struct output *o, struct writer *w, const char *path, const char *why)
{
	if (!path || !writer__removable(w) || unlink(path) != 0)
		return;
	if (why)
		fprintf(stderr, "scap-capture: removed %s: %s\n", path, why);
	o->files--;
	w->bytes_written = 0;
}

/* Removes the current file, already closed, if it is ours to remove. */
static void remove_file(struct output *o, const char *why)
{
	remove_path(o, o->w, o->path, why);
	o->state_blocks = 0;
}

/*
 * The current file failed before its first event: closed without writing
 * more and removed, since libscap refuses a file without events (and the
 * state it would hold is in every other file anyway).
 */
static void drop_file(struct output *o, const char *why)
{
	writer__abandon(o->w);
	remove_file(o, why);
}

/*
 * Adds what reached a file `w` wrote, closed with `err`, to the totals. A
 * write error before any event reached it leaves a file libscap refuses:
 * it is removed (by `path`).
 */
static void count_closed(struct output *o, struct writer *w, const char *path, uint64_t state_blocks, int err)
{
	uint64_t events = events_written(w, state_blocks);
	if (err && !events)
		remove_path(o, w, path, "writing it failed before any event reached it");
	o->closed_bytes += w->bytes_written;
	o->closed_events += events;
	/* Counted now: a second close adds nothing. */
	w->bytes_written = 0;
}

/* A file could not be written to its end or closed: said once here, and the capture stops. */
static void close_failed(struct output *o, const char *path, int err)
{
	fprintf(stderr, "scap-capture: closing %s: %s\n", path, strerror(-err));
	o->reported = true;
	if (!o->err)
		o->err = err;
}

/* Flushes and closes the current file (the last one) and counts it. */
static int finish_file(struct output *o)
{
	int err = writer__close(o->w);
	count_closed(o, o->w, o->path, o->state_blocks, err);
	o->state_blocks = 0;
	return err;
}

static int open_file(struct output *o)
{
	if (make_name(o)) {
		fprintf(stderr, "scap-capture: output name too long: %s\n", o->base);
		o->reported = true;
		return o->err = -ENAMETOOLONG;
	}
	if (o->past) {
		/* -W with time names: the name this slot had max_files files ago goes (sysdig does so too). */
		char *old = o->past[o->index];
		if (old[0] && strcmp(old, o->path) != 0 && unlink(old) != 0 && errno != ENOENT)
			fprintf(stderr, "scap-capture: cannot remove the old file %s: %s\n", old, strerror(errno));
		memcpy(old, o->path, PATH_MAX);
	}
	/*
	 * Only the first name must be free: a rotated name replaces what has
	 * it (sysdig's cycle writer does too), whether this run wrote it
	 * already (numbered names past max_files, a time name that repeats)
	 * or a file was left there. Refusing it would end the capture at that
	 * rotation, maybe hours in; checking every name at the start cannot
	 * cover names made later (time names, files created meanwhile).
	 */
	bool replace = o->overwrite || o->files > 0;
	int err = writer__open(o->w, o->path, replace);
	if (err) {
		fprintf(stderr, "scap-capture: cannot create %s: %s%s\n", o->path, strerror(-err),
			err == -EEXIST ? " (use --overwrite to replace it)" : "");
		o->reported = true;
		return o->err = err;
	}
	writer__set_encoder(o->w, o->codec ? encode_frame : NULL, o->codec);
	if ((err = writer__start_io(o->w, o->retiring))) {
		fprintf(stderr, "scap-capture: cannot start the writing of %s: %s\n", o->path, strerror(-err));
		writer__abandon(o->w);
		o->reported = true;
		return o->err = err;
	}
	o->files++;
	o->events_in_file = 0;
	o->state_blocks = 0;
	if ((err = writer__section_header(o->w))) {
		fprintf(stderr, "scap-capture: writing %s: %s\n", o->path, strerror(-err));
		drop_file(o, "it could not be written");
		o->reported = true;
		return o->err = err;
	}
	o->opened_at = output__now();
	return 0;
}

int output__open(struct output *o)
{
	if (o->compression != CODEC_NONE && !(o->codec = codec__new(o->compression))) {
		fprintf(stderr, "scap-capture: cannot set up %s compression\n", codec__name(o->compression));
		o->reported = true;
		return o->err = -ENOMEM;
	}
	o->index = 0;
	/* No file yet: closing must not touch fd 0. */
	o->w = &o->slots[0];
	o->slots[0].fd = o->slots[1].fd = -1;
	if (timed_names(o) && o->max_files && !(o->past = calloc(o->max_files, PATH_MAX))) {
		o->reported = true;
		return o->err = -ENOMEM;
	}
	return open_file(o);
}

/* The scan thread: the state into a memory writer, then the flag the draining thread looks at. */
static void *scan_main(void *arg)
{
	struct output *o = arg;
	/* A thread of its own: no need to give the old nice value back. */
	proc_scan__nice_thread();
	int err = writer__open_memory(&o->scan_w);
	if (!err)
		err = proc_scan__write_state(&o->scan_w, &o->scan_next);
	o->scan_err = err;
	__atomic_store_n(&o->scan_done, true, __ATOMIC_RELEASE);
	return NULL;
}

int output__begin_state(struct output *o)
{
	int err = writer__open_memory(&o->hold);
	o->held_events = 0;
	o->scan_done = false;
	o->scan_joined = false;
	o->state_handed = false;
	o->scan_err = 0;
	if (!err)
		err = -pthread_create(&o->scan_thread, NULL, scan_main, o);
	if (err) {
		writer__close(&o->hold);
		fprintf(stderr, "scap-capture: cannot start the scan of the initial state of %s: %s\n", o->path, strerror(-err));
		drop_file(o, "it has no events (libscap refuses such a file)");
		o->reported = true;
		return o->err = err;
	}
	o->scanning = true;
	return 0;
}

bool output__scanning(const struct output *o)
{
	return o->scanning;
}

bool output__hold_full(const struct output *o)
{
	return o->scanning && o->hold.len >= hold_max_bytes();
}

/*
 * A file's state goes in in two steps, so that the draining thread does not
 * wait for the disk: once scanned it is handed to the writer's thread
 * (hand_state), events still held; once that thread wrote it, the held
 * events follow (commit_state). Until then nothing but the section header
 * and the state went to the file, so any write error is the state's.
 */

/* Ends the scan's part: its thread joined, its buffers and the hold freed. */
static void end_scan(struct output *o)
{
	if (o->scanning && !o->scan_joined)
		pthread_join(o->scan_thread, NULL);
	o->scan_joined = true;
	o->scanning = false;
	o->state_handed = false;
	writer__close(&o->scan_w);
	writer__close(&o->hold);
	o->held_events = 0;
}

/* The state could not be written: the file, without events, is removed (libscap refuses it). */
static int state_failed(struct output *o, int err)
{
	fprintf(stderr, "scap-capture: cannot write the initial state to %s: %s\n", o->path, strerror(-err));
	drop_file(o, "it has no events (libscap refuses such a file)");
	o->reported = true;
	end_scan(o);
	return o->err = err;
}

/* Step one, the scan done: its state to the writer's thread. */
static int hand_state(struct output *o)
{
	pthread_join(o->scan_thread, NULL);
	o->scan_joined = true;
	int err = o->scan_err;
	if (!err)
		err = writer__append_blocks(o->w, o->scan_w.buf, o->scan_w.len);
	if (!err)
		err = writer__flush(o->w);
	writer__close(&o->scan_w);
	if (err)
		return state_failed(o, err);
	o->state_blocks = o->w->blocks;
	o->state_raw = o->w->bytes_appended;
	o->state_handed = true;
	return 0;
}

/* Step two, the state in the file: the held events after it. */
static int commit_state(struct output *o)
{
	/* A file's age counts from its first event, not from before the driver loaded. */
	o->opened_at = output__now();
	o->scan = o->scan_next;
	/* The hold's buffer itself goes to the writer's thread: no copy of what may be 100 MB on the draining thread. */
	int err = writer__give_blocks(o->w, &o->hold);
	if (!err)
		o->events_in_file += o->held_events;
	end_scan(o);
	return err ? (o->err = err) : 0;
}

/* Moves the state on without waiting: hands it over once scanned, commits it once written. */
static int advance_state(struct output *o)
{
	if (!o->state_handed) {
		if (!__atomic_load_n(&o->scan_done, __ATOMIC_ACQUIRE))
			return 0;
		int err = hand_state(o);
		if (err)
			return err;
	}
	int werr = writer__error(o->w);
	if (werr)
		return state_failed(o, werr);
	return writer__blocks_written(o->w) >= o->state_blocks ? commit_state(o) : 0;
}

int output__settle_state(struct output *o)
{
	if (!o->scanning)
		return 0;
	if (o->err) {
		end_scan(o);
		return o->err;
	}
	int err = o->state_handed ? 0 : hand_state(o);
	if (err)
		return err;
	if ((err = writer__sync(o->w)))
		return state_failed(o, err);
	return commit_state(o);
}

/*
 * Reports (once) a file the closer could not fsync or close, `err` being
 * closer__failed's or closer__finish's: the capture stops, as on any write error.
 */
static int closer_report(struct output *o, int err)
{
	if (err && !o->closer_reported) {
		close_failed(o, o->closer.failed_path, err);
		o->closer_reported = true;
	}
	return err;
}

static int closer_check(struct output *o)
{
	return closer_report(o, closer__failed(&o->closer));
}

/*
 * Ends the file a rotation retired once its writer's thread wrote it all
 * (or, with `wait`, waiting for that): its fd to the closer, what reached
 * it to the totals, the file removed if a write error left it without
 * events. 0 or that error, printed; the capture stops on it.
 */
static int reap_retiring(struct output *o, bool wait)
{
	struct writer *old = o->retiring;
	if (!old || (!wait && !writer__retired(old)))
		return 0;
	o->retiring = NULL;
	int fd = -1;
	int err = writer__detach(old, &fd);
	if (fd >= 0)
		closer__add(&o->closer, fd, o->retiring_path);
	/* Not removed by name when the current file has the same one (-W 1). */
	count_closed(o, old, strcmp(o->retiring_path, o->path) != 0 ? o->retiring_path : NULL, o->retiring_state_blocks, err);
	/* Counted: the slot is empty until the next rotation opens a file in it. */
	memset(old, 0, sizeof(*old));
	old->fd = -1;
	if (err)
		close_failed(o, o->retiring_path, err);
	return err;
}

/*
 * The current file is retired (its writer's thread finishes it, the closer
 * fsyncs it) and the next one opened in the other writer slot, whose thread
 * writes nothing until the retired one is written. One file retires at a
 * time: a rotation that comes sooner waits for the one before.
 */
static int rotate(struct output *o)
{
	int err = reap_retiring(o, true);
	if (!err)
		err = closer_check(o);
	if (err)
		return err;
	/* A write error so far ends the capture in this file, closed as the last one. */
	if ((err = writer__retire(o->w)))
		return o->err = err;
	o->retiring = o->w;
	snprintf(o->retiring_path, sizeof(o->retiring_path), "%s", o->path);
	o->retiring_state_blocks = o->state_blocks;
	o->w = o->w == &o->slots[0] ? &o->slots[1] : &o->slots[0];
	o->index++;
	if (o->max_files && o->index >= o->max_files)
		o->index = 0;
	if ((err = open_file(o)) || (err = output__begin_state(o)))
		return err;
	return 0;
}

/*
 * Whether the current file reached rotate_bytes. Compressed, its size is
 * an estimate until the writer's thread writes the last frames: the file
 * ends within about the error of that estimate on one buffer, as sysdig's
 * does within zlib's own buffering.
 */
static bool size_due(struct output *o)
{
	uint64_t size = writer__size_estimate(o->w);
	if (size < o->rotate_bytes)
		return false;
	/*
	 * The size counts the state, as libsinsp's cycle dumper does; but a
	 * file also gets at least half of rotate_bytes in events (their share
	 * of the size, compressed, in proportion to their uncompressed bytes).
	 * Only a state over half the limit makes a difference: on a host with
	 * thousands of processes and -C 1, each file would otherwise be its
	 * state and the events held during its scan, a file per scan.
	 */
	uint64_t appended = o->w->bytes_appended;
	uint64_t events = appended > o->state_raw ? appended - o->state_raw : 0;
	if ((double)size * (double)events >= (double)appended * ((double)o->rotate_bytes / 2))
		return true;
	if (!o->big_state_noted) {
		o->big_state_noted = true;
		fprintf(stderr, "scap-capture: the state at the start of %s takes %llu bytes%s, over half of -C: "
			"each file gets at least half of -C in events after its state\n",
			o->path, (unsigned long long)o->state_raw, o->w->encode ? " before compression" : "");
	}
	return false;
}

int output__append_event(struct output *o, const void *record, size_t size)
{
	int err = 0;
	if (o->err)
		return o->err;
	/* A state bigger than the limit must not rotate before any event. */
	if (!o->scanning && (o->time_due || (o->rotate_bytes && o->events_in_file && size_due(o)))) {
		o->time_due = false;
		err = rotate(o);
	}
	if (err)
		return o->err = err;
	/* After a rotation too: the new file's state is being scanned. */
	if (o->scanning) {
		if ((err = writer__append_block(&o->hold, BLOCK_EVENT_V2, record, size)))
			return o->err = err;
		o->held_events++;
		return 0;
	}
	/* A file that waited past its period for a first event starts its period now. */
	if (!o->events_in_file && o->rotate_seconds > 0) {
		double now = output__now();
		if (now - o->opened_at >= o->rotate_seconds)
			o->opened_at = now;
	}
	if ((err = writer__append_block(o->w, BLOCK_EVENT_V2, record, size)))
		return o->err = err;
	o->events_in_file++;
	return 0;
}

int output__tick(struct output *o, double now)
{
	struct stat st;
	if (o->err)
		return o->err;
	if (reap_retiring(o, false))
		return o->err;
	if (o->scanning) {
		int err = output__hold_full(o) ? output__settle_state(o) : advance_state(o);
		if (err)
			return err;
	}
	if (closer_check(o))
		return o->err;
	if (fstat(o->w->fd, &st) == 0 && st.st_nlink == 0) {
		fprintf(stderr, "scap-capture: %s was removed while capturing (its directory deleted?); stopping\n", o->path);
		o->reported = true;
		return o->err = -ENOENT;
	}
	/* A file still without events keeps waiting for its first one. */
	if (o->rotate_seconds > 0 && now - o->opened_at >= o->rotate_seconds && o->events_in_file)
		o->time_due = true;
	if (now - o->flushed_at >= FLUSH_INTERVAL_S) {
		o->flushed_at = now;
		int err = writer__flush(o->w);
		if (err)
			return o->err = err;
	}
	return 0;
}

uint64_t output__bytes(const struct output *o)
{
	uint64_t retiring = o->retiring ? writer__bytes_written(o->retiring) : 0;
	return o->closed_bytes + retiring + writer__bytes_written(o->w);
}

uint64_t output__events_written(const struct output *o)
{
	uint64_t retiring = o->retiring ? events_written(o->retiring, o->retiring_state_blocks) : 0;
	return o->closed_events + retiring + file_events_written(o);
}

void output__abandon(struct output *o)
{
	reap_retiring(o, true);
	if (o->scanning)
		end_scan(o);
	writer__abandon(o->w);
	remove_file(o, NULL);
	closer__finish(&o->closer);
	codec__free(o->codec);
	o->codec = NULL;
	free(o->past);
	o->past = NULL;
}

int output__close(struct output *o)
{
	/* The file retired last goes first: the current one's writes wait for it. */
	int rerr = reap_retiring(o, true);
	/* Stopped during a scan: its state and the held events go in first. */
	int serr = output__settle_state(o);
	int err = finish_file(o);
	if (err)
		close_failed(o, o->path, err);
	/* The files rotated out before it: their fsyncs may still run. */
	int cerr = closer_report(o, closer__finish(&o->closer));
	if (!err)
		err = cerr;
	codec__free(o->codec);
	o->codec = NULL;
	free(o->past);
	o->past = NULL;
	return rerr ? rerr : serr ? serr : err;
}
