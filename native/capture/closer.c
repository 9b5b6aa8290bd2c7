// SPDX-License-Identifier: Apache-2.0
#include "closer.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct closer_item {
	struct closer_item *next;
	int fd;
	char path[PATH_MAX];
};

/* Keeps the first failure; called with the lock held (or before the thread exists). */
static void note_failure(struct closer *c, int err, const char *path)
{
	if (!err || c->failed)
		return;
	c->failed = err;
	snprintf(c->failed_path, sizeof(c->failed_path), "%s", path);
}

static void *closer_main(void *arg)
{
	struct closer *c = arg;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->first && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		struct closer_item *it = c->first;
		if (!it)
			break;
		pthread_mutex_unlock(&c->mu);
		int err = writer__fsync_close(it->fd);
		pthread_mutex_lock(&c->mu);
		/* Off the queue only once closed: closer__finish waits for an empty queue. */
		c->first = it->next;
		if (!c->first)
			c->last = NULL;
		note_failure(c, err, it->path);
		free(it);
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

static bool start(struct closer *c)
{
	if (c->started)
		return true;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pthread_create(&c->thread, NULL, closer_main, c) != 0) {
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		return false;
	}
	c->started = true;
	return true;
}

int closer__add(struct closer *c, int fd, const char *path)
{
	struct closer_item *it = malloc(sizeof(*it));
	if (!it || !start(c)) {
		free(it);
		int err = writer__fsync_close(fd);
		if (c->started)
			pthread_mutex_lock(&c->mu);
		note_failure(c, err, path);
		if (c->started)
			pthread_mutex_unlock(&c->mu);
		return err;
	}
	it->next = NULL;
	it->fd = fd;
	snprintf(it->path, sizeof(it->path), "%s", path);
	pthread_mutex_lock(&c->mu);
	if (c->last)
		c->last->next = it;
	else
		c->first = it;
	c->last = it;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

int closer__failed(struct closer *c)
{
	if (!c->started)
		return c->failed;
	pthread_mutex_lock(&c->mu);
	int err = c->failed;
	pthread_mutex_unlock(&c->mu);
	return err;
}

int closer__finish(struct closer *c)
{
	if (c->started) {
		pthread_mutex_lock(&c->mu);
		c->stop = true;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->thread, NULL);
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		c->started = false;
	}
	return c->failed;
}
