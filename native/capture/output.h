/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files of a capture: one, or a rotating set. Every file is a whole
 * capture on its own: section header, then the initial state read from
 * /proc when the file is opened (what libscap writes at the start of every
 * dump, userspace/libscap/scap_savefile.c scap_setup_dump), then events.
 *
 *   struct output o = { .base = "x.scap", .rotate_bytes = 1 << 20 };
 *   output__open(&o);             // first file, section header only
 *   ...load the driver...
 *   output__begin_state(&o);      // state after attaching, scanned by a thread
 *   output__append_event(&o, record, size);   // held until the state is in; rotates when due
 *   output__tick(&o, now);        // the state in once scanned; time-based rotation
 *   output__close(&o);
 *
 * The /proc scan of a file's state runs on its own thread while the caller
 * goes on draining the rings: events that come meanwhile are held in memory
 * (up to PROC_SCAN_HOLD_BYTES, proc_scan.h) and written after the state once it is
 * complete. A scan takes about 0.3 ms a thread; done on the draining thread,
 * a host with 4,000 processes under load overflowed the rings at the start
 * and at every rotation (2.6 M events dropped at the start, 4.1 M of 6 M
 * with -C 50).
 *
 * Each file's buffers are encoded and written by a thread of its writer
 * (writer__start_io), and a rotated file is fsynced and closed by another
 * (closer.h): the draining thread only appends events, so compression,
 * stalled writes and slow fsyncs do not hold the rings up.
 *
 * Names follow sysdig's cycle writer (libs userspace/libsinsp/
 * sinsp_cycledumper.cpp): with rotation, FILE followed by the file's index,
 * zero-padded to the digits of max_files when there is a limit; with
 * max_files the index wraps to 0 and the oldest file is replaced. With
 * rotate_seconds and a '%' in FILE, the name is strftime(FILE) in local time
 * at the file's start (plus the index with rotate_bytes too), and with
 * max_files the file of max_files rotations ago is removed. Unlike sysdig,
 * -C and -G together append one index, not two.
 *
 * Only the first file refuses an existing name (unless overwrite): a later
 * rotated name replaces whatever has it, as sysdig's cycle writer does, so a
 * leftover FILE1 cannot stop a capture hours in. A file that no event
 * reached because writing failed (its state on a full disk) is removed:
 * libscap refuses a file without events.
 */
#ifndef SCAPKIT_CAPTURE_OUTPUT_H
#define SCAPKIT_CAPTURE_OUTPUT_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "closer.h"
#include "codec.h"
#include "proc_scan.h"
#include "writer.h"

struct output {
	/* Settings. */
	const char *base;
	bool overwrite;
	enum codec_kind compression;
	/* 0: no size rotation. */
	uint64_t rotate_bytes;
	/* 0: no time rotation. */
	double rotate_seconds;
	/* 0: no limit on the number of files. */
	uint32_t max_files;

	/* State. */
	/*
	 * The current file's writer, one of two slots: the other holds the
	 * file retired by the last rotation until its thread wrote it all
	 * (retiring, with that file's name and state block count), then is
	 * reused by the next rotation.
	 */
	struct writer slots[2];
	struct writer *w;
	struct writer *retiring;
	char retiring_path[PATH_MAX];
	uint64_t retiring_state_blocks;
	struct codec *codec;
	char path[PATH_MAX];
	/* Index of the current file, and how many files were opened in all. */
	uint32_t index;
	uint32_t files;
	/* File bytes of the files already closed. */
	uint64_t closed_bytes;
	/* CLOCK_MONOTONIC seconds when the current file was opened. */
	double opened_at;
	/* CLOCK_MONOTONIC seconds of the last flush by output__tick. */
	double flushed_at;
	uint64_t events_in_file;
	/* Writer blocks of the current file once its state reached it (0: not yet). */
	uint64_t state_blocks;
	/* Bytes appended to the current file up to the end of its state (uncompressed). */
	uint64_t state_raw;
	/* Whether the note that the state takes over half of rotate_bytes was printed. */
	bool big_state_noted;
	/* Events that reached the files already closed. */
	uint64_t closed_events;
	/* -G: the period ended; the next event starts a new file (sysdig's cycle
	 * dumper rotates on an event too), so no file is left without events,
	 * which libscap refuses to open ("no events in file"). */
	bool time_due;
	/* What the last completed scan found. */
	struct scan_stats scan;
	/*
	 * From output__begin_state until the held events follow the state in
	 * the file: the scan runs (scan_thread), or is done (scan_done), or
	 * its state was handed to the writer's thread (state_handed, the
	 * thread joined: scan_joined) and is being written.
	 */
	bool scanning;
	bool scan_joined;
	bool state_handed;
	pthread_t scan_thread;
	/* Set by the scan thread when it is done, with scan_w, scan_next and scan_err. */
	bool scan_done;
	struct writer scan_w;
	struct scan_stats scan_next;
	int scan_err;
	/* Events drained during the scan, framed, and how many. */
	struct writer hold;
	uint64_t held_events;
	/* The files rotation finished, fsynced and closed in the background, and whether a failure of it was printed. */
	struct closer closer;
	bool closer_reported;
	/* With time names and max_files: the name each index slot had (max_files x PATH_MAX). */
	char (*past)[PATH_MAX];
	/* 0 or the first error; every later call returns it. */
	int err;
	/* Whether that error's message was printed here already. */
	bool reported;
};

/* Whether the settings ask for more than one file. */
bool output__rotates(const struct output *o);
/* Opens the first file and writes its section header; 0 or a negative errno (printed). */
int output__open(struct output *o);
/* Starts the scan of the current file's state; 0 or a negative errno (printed). */
int output__begin_state(struct output *o);
/* Whether the current file's state is still being scanned or written (events are held). */
bool output__scanning(const struct output *o);
/* Whether the held events reached their limit: stop draining, output__tick waits for the scan. */
bool output__hold_full(const struct output *o);
/*
 * Waits for the scan and the writing of its state, if under way, then
 * appends the held events; 0 or a negative errno (printed).
 */
int output__settle_state(struct output *o);
/* Appends one EV_V2 block, rotating first when the current file is full (held during a scan). */
int output__append_event(struct output *o, const void *record, size_t size);
/*
 * Hands the state to the writer once the scan is done, and the held events
 * after it once the state is written (with the hold full it waits for
 * both); ends a file a rotation retired once it is written; flushes once a
 * second, so a killed capture loses at most about a second of events;
 * rotates when the current file is older than rotate_seconds; fails when
 * the file was unlinked (its directory removed): writes would go on into
 * a file nobody can open.
 */
int output__tick(struct output *o, double now);
/* Bytes in every file so far (the current one counts what reached it). */
uint64_t output__bytes(const struct output *o);
/* Events that reached the files (not those still buffered, or lost to a write error). */
uint64_t output__events_written(const struct output *o);
/*
 * Flushes and closes the current file; 0 or a negative errno (printed). A
 * file cut by a write error before any event reached it is removed.
 */
int output__close(struct output *o);
/*
 * Closes the first file without writing it, when nothing was captured (the
 * driver did not load): a file it created is removed, one it would have
 * replaced is left as it was.
 */
void output__abandon(struct output *o);

/* CLOCK_MONOTONIC in seconds. */
double output__now(void);

#endif
