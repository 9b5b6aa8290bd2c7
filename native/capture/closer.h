/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fsync and close of the files a rotation finished, on a thread of their
 * own. A file is made durable before scap-capture lets it go, but an fsync
 * waits for the disk to take every dirty page of the file: seconds for a
 * 100 MB file on a busy disk, while the rings fill (with fsync taking
 * 300 ms, a -C 1 capture of a 100k events/s load on 256 KiB rings dropped
 * 362,609 of 508,568 events). The rotation hands the descriptor over and
 * goes on with the next file.
 *
 *   struct closer c = {0};
 *   closer__add(&c, fd, path);     // takes fd: fsynced and closed in the background
 *   closer__failed(&c)             // the first error so far (0: none), path in c.failed_path
 *   closer__finish(&c);            // waits for every file; the first error
 */
#ifndef SCAPKIT_CAPTURE_CLOSER_H
#define SCAPKIT_CAPTURE_CLOSER_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>

struct closer_item;

struct closer {
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* Files waiting, oldest first. */
	struct closer_item *first, *last;
	bool stop;
	/* The first fsync or close that failed: its negative errno and file. */
	int failed;
	char failed_path[PATH_MAX];
};

/*
 * Queues `fd` (of the file `path`) to be fsynced and closed; done at once
 * on this thread when no thread can be had. 0, or the negative errno of
 * doing it here.
 */
int closer__add(struct closer *c, int fd, const char *path);
/* 0, or the negative errno of the first file that failed (c->failed_path). */
int closer__failed(struct closer *c);
/* Waits until every queued file is closed and ends the thread; then as closer__failed. */
int closer__finish(struct closer *c);

#endif
