// SPDX-License-Identifier: Apache-2.0
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITER_BUF_BYTES (4u << 20)
/*
 * Buffers of WRITER_BUF_BYTES a writer with a thread may have in all: one
 * being filled and up to seven handed over (28 MiB, about a quarter of a
 * second of a busy machine's events; the rings hold the rest of a stall).
 * They are allocated as the thread falls behind, not before.
 */
#define WRITER_IO_BUFFERS 8
/* The queue also takes one buffer given away (writer__give_blocks), freed once written. */
#define WRITER_IO_QUEUE (WRITER_IO_BUFFERS + 1)

/* The thread that encodes and writes a writer's flushed buffers (writer__start_io). */
struct writer_io {
	pthread_t thread;
	pthread_mutex_t mu;
	/* Signalled when a buffer is handed over, taken, done, and at the stop. */
	pthread_cond_t cv;
	/* Buffers handed over, oldest first (a ring of `queued` from `head`), with the writer's block count at each. */
	unsigned char *queue[WRITER_IO_QUEUE];
	size_t queue_len[WRITER_IO_QUEUE];
	uint64_t queue_blocks[WRITER_IO_QUEUE];
	unsigned head, queued;
	/* The buffer given away, if one is queued or being written (not a spare when done). */
	unsigned char *given;
	/* Written buffers, ready to be filled again, and how many were allocated besides the first. */
	unsigned char *spare[WRITER_IO_BUFFERS];
	unsigned spares, extra;
	/* The thread is writing a buffer it took. */
	bool busy;
	/* Finish the queue and end; with discard, without writing it. */
	bool stop, discard;
	/* Retired (writer__retire): end once the queue is written. */
	bool retire;
	/* The thread ended; a later writer's thread joins it (has_joiner) and says so (joined). */
	bool exited, has_joiner, joined;
	/* A retired writer's thread, joined by this one before it writes anything (files in order on the disk). */
	struct writer_io *after;
};

static int memory_reserve(struct writer *w, size_t total);

/*
 * Opens an existing `path` without truncating it: its old contents stay
 * until writer__flush (after the driver loaded) replaces them.
 */
static int open_existing(struct writer *w, const char *path)
{
	w->fd = open(path, O_WRONLY | O_CLOEXEC);
	return w->fd < 0 ? -errno : 0;
}

int writer__open(struct writer *w, const char *path, bool overwrite)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->buf = malloc(WRITER_BUF_BYTES);
	if (!w->buf)
		return -ENOMEM;
	w->cap = WRITER_BUF_BYTES;
	int err = 0;
	/* Twice: the file may vanish between the two opens. */
	for (int tries = 0; tries < 2; tries++) {
		w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (w->fd >= 0) {
			w->created = true;
			break;
		}
		err = -errno;
		if (err != -EEXIST || !overwrite)
			break;
		if (!(err = open_existing(w, path)) || err != -ENOENT)
			break;
	}
	struct stat st;
	if (w->fd >= 0 && fstat(w->fd, &st) != 0)
		err = -errno;
	if (w->fd < 0 || err) {
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		free(w->buf);
		w->buf = NULL;
		return err;
	}
	w->regular = S_ISREG(st.st_mode);
	/* The umask may have taken bits off: exactly 0600. */
	if (w->created)
		fchmod(w->fd, 0600);
	w->truncate_pending = w->regular && !w->created;
	return 0;
}

bool writer__removable(const struct writer *w)
{
	return w->regular && (w->created || w->truncated);
}

/* Empties an existing regular file and makes it private, before its first new bytes. */
static int truncate_if_pending(struct writer *w)
{
	if (!w->truncate_pending)
		return 0;
	if (ftruncate(w->fd, 0) != 0)
		return errno;
	w->truncate_pending = false;
	w->truncated = true;
	fchmod(w->fd, 0600);
	return 0;
}

/*
 * Bytes of the whole blocks at the start of buf[0, n) (each block's total
 * length is at +4), and how many blocks that is.
 */
static size_t whole_blocks_len(const unsigned char *buf, size_t n, uint64_t *blocks)
{
	size_t pos = 0;
	*blocks = 0;
	while (pos + 8 <= n) {
		uint32_t total;
		memcpy(&total, buf + pos + 4, 4);
		if (total < 12 || pos + total > n)
			break;
		pos += total;
		(*blocks)++;
	}
	return pos;
}

/* Writes buf[0, n) at the file position; 0 or the errno, with *done bytes written. */
static int write_all(int fd, const unsigned char *buf, size_t n, size_t *done)
{
	*done = 0;
	while (*done < n) {
		ssize_t r = write(fd, buf + *done, n - *done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? errno : ENOSPC;
		*done += (size_t)r;
	}
	return 0;
}

/* The counts and the error, which the writer's thread (writer__start_io) updates while the caller reads them. */
static uint64_t load_u64(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static void store_u64(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static int load_err(const struct writer *w) { return __atomic_load_n(&w->err, __ATOMIC_ACQUIRE); }
static void set_err(struct writer *w, int err) { __atomic_store_n(&w->err, err, __ATOMIC_RELEASE); }

uint64_t writer__bytes_written(const struct writer *w) { return load_u64(&w->bytes_written); }
uint64_t writer__blocks_written(const struct writer *w) { return load_u64(&w->blocks_written); }
int writer__error(const struct writer *w) { return -load_err(w); }

uint64_t writer__size_estimate(const struct writer *w)
{
	if (!w->encode)
		return w->bytes_appended;
	/* Read in the order the thread stores them: a frame written meanwhile is left out, never counted twice. */
	uint64_t written = load_u64(&w->bytes_written);
	uint64_t raw = load_u64(&w->raw_written);
	if (!raw || raw > w->bytes_appended)
		return written;
	return written + (uint64_t)((double)(w->bytes_appended - raw) * (double)written / (double)raw);
}

/* One encoded frame for buf[0, len); a frame cut short is cut off entirely. */
static int write_frame(struct writer *w, const unsigned char *buf, size_t len, uint64_t blocks)
{
	const void *frame;
	size_t frame_len, done;
	int err = w->encode(w->encode_ctx, buf, len, &frame, &frame_len);
	if (err) {
		set_err(w, -err);
		return err;
	}
	if ((err = write_all(w->fd, frame, frame_len, &done))) {
		set_err(w, err);
		if (ftruncate(w->fd, (off_t)w->bytes_written) == 0)
			lseek(w->fd, (off_t)w->bytes_written, SEEK_SET);
		return -err;
	}
	store_u64(&w->bytes_written, w->bytes_written + frame_len);
	store_u64(&w->blocks_written, blocks);
	store_u64(&w->raw_written, w->raw_written + len);
	return 0;
}

/*
 * Writes buf[0, len), whole blocks that bring the writer's count to
 * `blocks`, at the end of the file (as one frame with an encoder); 0 or a
 * negative errno, kept in w->err. On the writer's thread when it has one.
 */
static int write_out(struct writer *w, const unsigned char *buf, size_t len, uint64_t blocks)
{
	int err = truncate_if_pending(w);
	if (err) {
		set_err(w, err);
		return -err;
	}
	if (w->encode)
		return write_frame(w, buf, len, blocks);
	size_t done;
	if ((err = write_all(w->fd, buf, len, &done))) {
		set_err(w, err);
		/* Keep the whole blocks that made it, cut the rest: the file stays readable. */
		uint64_t whole;
		uint64_t keep = w->bytes_written + whole_blocks_len(buf, done, &whole);
		if (ftruncate(w->fd, (off_t)keep) == 0) {
			lseek(w->fd, (off_t)keep, SEEK_SET);
			store_u64(&w->bytes_written, keep);
			store_u64(&w->blocks_written, w->blocks_written + whole);
		}
		return -err;
	}
	store_u64(&w->bytes_written, w->bytes_written + len);
	store_u64(&w->blocks_written, blocks);
	store_u64(&w->raw_written, w->raw_written + len);
	return 0;
}

void writer__set_encoder(struct writer *w, writer_encode_fn fn, void *ctx)
{
	w->encode = fn;
	w->encode_ctx = ctx;
}

/* The writer's thread: writes the buffers handed over, in order, and gives them back. */
static void *io_main(void *arg)
{
	struct writer *w = arg;
	struct writer_io *io = w->io;
	struct writer_io *after = io->after;
	if (after) {
		/* Never touched again once `joined` is set: its owner frees it then. */
		pthread_join(after->thread, NULL);
		pthread_mutex_lock(&after->mu);
		after->joined = true;
		pthread_cond_broadcast(&after->cv);
		pthread_mutex_unlock(&after->mu);
	}
	pthread_mutex_lock(&io->mu);
	for (;;) {
		while (!io->queued && !io->stop && !io->retire)
			pthread_cond_wait(&io->cv, &io->mu);
		if (!io->queued)
			break;
		unsigned i = io->head;
		unsigned char *buf = io->queue[i];
		size_t len = io->queue_len[i];
		uint64_t blocks = io->queue_blocks[i];
		io->head = (i + 1) % WRITER_IO_QUEUE;
		io->queued--;
		io->busy = true;
		bool discard = io->discard;
		pthread_mutex_unlock(&io->mu);
		/* After an error nothing more goes out: the file ends with its last whole block (or frame). */
		if (!discard && !load_err(w))
			write_out(w, buf, len, blocks);
		pthread_mutex_lock(&io->mu);
		if (buf == io->given) {
			free(buf);
			io->given = NULL;
		} else {
			io->spare[io->spares++] = buf;
		}
		io->busy = false;
		pthread_cond_broadcast(&io->cv);
	}
	io->exited = true;
	pthread_cond_broadcast(&io->cv);
	pthread_mutex_unlock(&io->mu);
	return NULL;
}

/* Marks whether a later writer's thread will join `io`'s (set before that thread exists). */
static void set_joiner(struct writer_io *io, bool has)
{
	pthread_mutex_lock(&io->mu);
	io->has_joiner = has;
	pthread_mutex_unlock(&io->mu);
}

int writer__start_io(struct writer *w, struct writer *after)
{
	if (w->memory || w->io || w->fd < 0)
		return 0;
	struct writer_io *io = calloc(1, sizeof(*io));
	if (!io)
		return -ENOMEM;
	pthread_mutex_init(&io->mu, NULL);
	pthread_cond_init(&io->cv, NULL);
	w->io = io;
	if (after && after->io) {
		io->after = after->io;
		set_joiner(io->after, true);
	}
	int err = pthread_create(&io->thread, NULL, io_main, w);
	if (err) {
		if (io->after)
			set_joiner(io->after, false);
		pthread_cond_destroy(&io->cv);
		pthread_mutex_destroy(&io->mu);
		free(io);
		w->io = NULL;
		return -err;
	}
	return 0;
}

/* Ends the writer's thread once it wrote (or, with discard, dropped) what it was handed. */
static void io_stop(struct writer *w, bool discard)
{
	struct writer_io *io = w->io;
	if (!io)
		return;
	pthread_mutex_lock(&io->mu);
	io->stop = true;
	io->discard = discard;
	pthread_cond_broadcast(&io->cv);
	/* Retired, with a later writer's thread to join it: wait for that to be done. */
	bool by_next = io->has_joiner;
	while (by_next && !io->joined)
		pthread_cond_wait(&io->cv, &io->mu);
	pthread_mutex_unlock(&io->mu);
	if (!by_next)
		pthread_join(io->thread, NULL);
	for (unsigned i = 0; i < io->spares; i++)
		free(io->spare[i]);
	pthread_cond_destroy(&io->cv);
	pthread_mutex_destroy(&io->mu);
	free(io);
	w->io = NULL;
}

/* Queues buf[0, len) for the thread, the writer's block count then being `blocks`; with the lock held. */
static void enqueue(struct writer_io *io, unsigned char *buf, size_t len, uint64_t blocks)
{
	unsigned tail = (io->head + io->queued) % WRITER_IO_QUEUE;
	io->queue[tail] = buf;
	io->queue_len[tail] = len;
	io->queue_blocks[tail] = blocks;
	io->queued++;
	pthread_cond_broadcast(&io->cv);
}

/* Hands the buffer to the writer's thread and takes an empty one (waiting when all are in use). */
static int hand_over(struct writer *w)
{
	struct writer_io *io = w->io;
	unsigned char *next = NULL;
	pthread_mutex_lock(&io->mu);
	while (!io->spares && 1 + io->extra >= WRITER_IO_BUFFERS)
		pthread_cond_wait(&io->cv, &io->mu);
	if (io->spares)
		next = io->spare[--io->spares];
	else if ((next = malloc(w->cap)))
		io->extra++;
	if (next)
		enqueue(io, w->buf, w->len, w->blocks);
	pthread_mutex_unlock(&io->mu);
	/* Without a second buffer the blocks stay in this one, for a later flush. */
	if (!next)
		return -ENOMEM;
	w->buf = next;
	w->len = 0;
	return -load_err(w);
}

int writer__flush(struct writer *w)
{
	int err = load_err(w);
	if (err)
		return -err;
	if (w->memory || !w->len)
		return 0;
	if (w->io)
		return hand_over(w);
	err = write_out(w, w->buf, w->len, w->blocks);
	w->len = 0;
	return err;
}

int writer__give_blocks(struct writer *w, struct writer *from)
{
	if (!w->io || from->fixed || !from->memory)
		return writer__append_blocks(w, from->buf, from->len);
	int err = writer__flush(w);
	if (err || !from->len)
		return err;
	struct writer_io *io = w->io;
	pthread_mutex_lock(&io->mu);
	/* One given buffer at a time: the one before is written first. */
	while (io->given)
		pthread_cond_wait(&io->cv, &io->mu);
	w->blocks += from->blocks;
	w->bytes_appended += from->len;
	io->given = from->buf;
	enqueue(io, from->buf, from->len, w->blocks);
	pthread_mutex_unlock(&io->mu);
	from->buf = NULL;
	from->len = from->cap = 0;
	from->blocks = 0;
	return -load_err(w);
}

int writer__retire(struct writer *w)
{
	struct writer_io *io = w->io;
	if (!io)
		return writer__flush(w);
	pthread_mutex_lock(&io->mu);
	/* The last buffer goes without one to take its place: nothing more is appended. */
	if (w->len && !load_err(w)) {
		enqueue(io, w->buf, w->len, w->blocks);
		w->buf = NULL;
		w->len = 0;
	}
	io->retire = true;
	pthread_cond_broadcast(&io->cv);
	pthread_mutex_unlock(&io->mu);
	return -load_err(w);
}

bool writer__retired(const struct writer *w)
{
	struct writer_io *io = w->io;
	if (!io)
		return true;
	pthread_mutex_lock(&io->mu);
	bool done = io->has_joiner ? io->joined : io->exited;
	pthread_mutex_unlock(&io->mu);
	return done;
}

int writer__sync(struct writer *w)
{
	int err = writer__flush(w);
	struct writer_io *io = w->io;
	if (io) {
		pthread_mutex_lock(&io->mu);
		while (io->queued || io->busy)
			pthread_cond_wait(&io->cv, &io->mu);
		pthread_mutex_unlock(&io->mu);
	}
	return err ? err : -load_err(w);
}

/* The framing of one block: type, total length, body, zero padding to 4, total length. */
static void frame_block(unsigned char *p, uint32_t type, const void *body, size_t len, size_t pad, uint32_t total)
{
	memcpy(p, &type, 4);
	memcpy(p + 4, &total, 4);
	memcpy(p + 8, body, len);
	memset(p + 8 + len, 0, pad);
	memcpy(p + 8 + len + pad, &total, 4);
}

int writer__append_block(struct writer *w, uint32_t type, const void *body, size_t len)
{
	int err = load_err(w);
	if (err)
		return -err;
	size_t pad = (4 - (len & 3)) & 3;
	size_t total = 8 + len + pad + 4;
	if (total > UINT32_MAX)
		return -EFBIG;
	if (w->memory && w->len + total > w->cap) {
		if ((err = memory_reserve(w, total)))
			return err;
	}
	if (w->len + total > w->cap) {
		if ((err = writer__flush(w)))
			return err;
	}
	if (total > w->cap) {
		/*
		 * A block larger than the buffer goes out on its own, after
		 * everything before it (the writer's thread is idle then).
		 */
		if ((err = writer__sync(w)))
			return err;
		unsigned char *big = malloc(total);
		if (!big)
			return -ENOMEM;
		frame_block(big, type, body, len, pad, (uint32_t)total);
		w->blocks++;
		w->bytes_appended += total;
		err = write_out(w, big, total, w->blocks);
		free(big);
		return err;
	}
	frame_block(w->buf + w->len, type, body, len, pad, (uint32_t)total);
	w->len += total;
	w->blocks++;
	w->bytes_appended += total;
	return 0;
}

int writer__append_blocks(struct writer *w, const unsigned char *blocks, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		uint32_t type, total;
		if (len - pos < 12)
			return -EPROTO;
		memcpy(&type, blocks + pos, 4);
		memcpy(&total, blocks + pos + 4, 4);
		if (total < 12 || total > len - pos)
			return -EPROTO;
		/*
		 * The body with its padding: a length already a multiple of 4
		 * gets none, so the block comes out as it went in.
		 */
		int err = writer__append_block(w, type, blocks + pos + 8, total - 12);
		if (err)
			return err;
		pos += total;
	}
	return 0;
}

/* Room for `total` more bytes in a memory writer: grows its own buffer, never a fixed one. */
static int memory_reserve(struct writer *w, size_t total)
{
	if (w->fixed)
		return -ENOBUFS;
	size_t cap = w->cap ? w->cap : 4096;
	while (cap < w->len + total)
		cap *= 2;
	unsigned char *buf = realloc(w->buf, cap);
	if (!buf)
		return -ENOMEM;
	w->buf = buf;
	w->cap = cap;
	return 0;
}

int writer__section_header(struct writer *w)
{
	/* magic, major 1, minor 2, section length unknown (-1). */
	unsigned char body[16];
	uint32_t magic = 0x1A2B3C4D;
	uint16_t major = 1, minor = 2;
	uint64_t section_len = UINT64_MAX;
	memcpy(body, &magic, 4);
	memcpy(body + 4, &major, 2);
	memcpy(body + 6, &minor, 2);
	memcpy(body + 8, &section_len, 8);
	return writer__append_block(w, BLOCK_SECTION_HEADER, body, sizeof(body));
}

/* Closes the file (abandoned: its close error does not matter) and frees the buffer, dropping what is still in it. */
static void release(struct writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->len = 0;
	if (!w->fixed)
		free(w->buf);
	w->buf = NULL;
}

int writer__detach(struct writer *w, int *fd)
{
	/* What the thread was handed, then the rest on this thread. */
	io_stop(w, false);
	int err = w->fd >= 0 ? writer__flush(w) : 0;
	*fd = w->fd;
	w->fd = -1;
	release(w);
	return err;
}

int writer__fsync_close(int fd)
{
	int err = 0;
	if (fsync(fd) != 0 && errno != EINVAL)
		err = -errno;
	if (close(fd) != 0 && !err)
		err = -errno;
	return err;
}

int writer__close(struct writer *w)
{
	int fd;
	int err = writer__detach(w, &fd);
	int cerr = fd >= 0 ? writer__fsync_close(fd) : 0;
	return err ? err : cerr;
}

void writer__abandon(struct writer *w)
{
	io_stop(w, true);
	release(w);
}

int writer__open_memory(struct writer *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->memory = true;
	return memory_reserve(w, 64 * 1024);
}

void writer__open_fixed(struct writer *w, void *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->memory = true;
	w->fixed = true;
	w->buf = buf;
	w->cap = cap;
}

void writer__reset(struct writer *w)
{
	w->len = 0;
	w->err = 0;
}

static bool bbuf__grow(struct bbuf *b, size_t n)
{
	if (b->oom)
		return false;
	if (b->len + n <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	unsigned char *d = realloc(b->data, cap);
	if (!d) {
		b->oom = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void bbuf__free(struct bbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void bbuf__reset(struct bbuf *b)
{
	b->len = 0;
}

void bbuf__bytes(struct bbuf *b, const void *p, size_t n)
{
	if (!n || !bbuf__grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void bbuf__u8(struct bbuf *b, uint8_t v) { bbuf__bytes(b, &v, 1); }
void bbuf__u16(struct bbuf *b, uint16_t v) { bbuf__bytes(b, &v, 2); }
void bbuf__u32(struct bbuf *b, uint32_t v) { bbuf__bytes(b, &v, 4); }
void bbuf__u64(struct bbuf *b, uint64_t v) { bbuf__bytes(b, &v, 8); }

void bbuf__blob16(struct bbuf *b, const void *p, size_t n)
{
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	bbuf__u16(b, (uint16_t)n);
	bbuf__bytes(b, p, n);
}

void bbuf__str16(struct bbuf *b, const char *s, size_t max)
{
	size_t n = s ? strnlen(s, max) : 0;
	bbuf__blob16(b, s, n);
}

void bbuf__patch_u32(struct bbuf *b, size_t at, uint32_t v)
{
	if (!b->oom && at + 4 <= b->len)
		memcpy(b->data + at, &v, 4);
}
