// SPDX-License-Identifier: Apache-2.0
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITER_BUF_BYTES (4u << 20)

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

/* One encoded frame for the whole buffer; a frame cut short is cut off entirely. */
static int flush_frame(struct writer *w)
{
	const void *frame;
	size_t frame_len, done;
	int err = w->encode(w->encode_ctx, w->buf, w->len, &frame, &frame_len);
	if (err) {
		w->err = -err;
		w->len = 0;
		return err;
	}
	if ((err = write_all(w->fd, frame, frame_len, &done))) {
		w->err = err;
		if (ftruncate(w->fd, (off_t)w->bytes_written) == 0)
			lseek(w->fd, (off_t)w->bytes_written, SEEK_SET);
		w->len = 0;
		return -err;
	}
	w->bytes_written += frame_len;
	w->blocks_written = w->blocks;
	w->len = 0;
	return 0;
}

void writer__set_encoder(struct writer *w, writer_encode_fn fn, void *ctx)
{
	w->encode = fn;
	w->encode_ctx = ctx;
}

int writer__flush(struct writer *w)
{
	if (w->err)
		return -w->err;
	if (w->memory || !w->len)
		return 0;
	int err = truncate_if_pending(w);
	if (err) {
		w->err = err;
		w->len = 0;
		return -err;
	}
	if (w->encode)
		return flush_frame(w);
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->err = n < 0 ? errno : ENOSPC;
			/* Keep the whole blocks that made it, cut the rest: the file stays readable. */
			uint64_t whole;
			uint64_t keep = w->bytes_written + whole_blocks_len(w->buf, off, &whole);
			if (ftruncate(w->fd, (off_t)keep) == 0) {
				lseek(w->fd, (off_t)keep, SEEK_SET);
				w->bytes_written = keep;
				w->blocks_written += whole;
			}
			w->len = 0;
			return -w->err;
		}
		off += (size_t)n;
	}
	w->bytes_written += w->len;
	w->blocks_written = w->blocks;
	w->len = 0;
	return 0;
}

int writer__append_block(struct writer *w, uint32_t type, const void *body, size_t len)
{
	if (w->err)
		return -w->err;
	size_t pad = (4 - (len & 3)) & 3;
	size_t total = 8 + len + pad + 4;
	if (total > UINT32_MAX)
		return -EFBIG;
	if (w->memory && w->len + total > w->cap) {
		int err = memory_reserve(w, total);
		if (err)
			return err;
	}
	if (w->len + total > w->cap) {
		int err = writer__flush(w);
		if (err)
			return err;
	}
	if (total > w->cap) {
		/* A block larger than the buffer goes out on its own. */
		unsigned char *big = malloc(total);
		if (!big)
			return -ENOMEM;
		unsigned char *saved = w->buf;
		size_t saved_cap = w->cap;
		w->buf = big;
		w->cap = total;
		int err = writer__append_block(w, type, body, len);
		if (!err)
			err = writer__flush(w);
		w->buf = saved;
		w->cap = saved_cap;
		free(big);
		return err;
	}
	uint32_t t32 = (uint32_t)total;
	unsigned char *p = w->buf + w->len;
	memcpy(p, &type, 4);
	memcpy(p + 4, &t32, 4);
	memcpy(p + 8, body, len);
	memset(p + 8 + len, 0, pad);
	memcpy(p + 8 + len + pad, &t32, 4);
	w->len += total;
	w->blocks++;
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

/* Closes the file and frees the buffer, dropping what is still in it; 0 or close's negative errno. */
static int release(struct writer *w)
{
	int err = 0;
	if (w->fd >= 0 && close(w->fd) != 0)
		err = -errno;
	w->fd = -1;
	w->len = 0;
	if (!w->fixed)
		free(w->buf);
	w->buf = NULL;
	return err;
}

int writer__close(struct writer *w)
{
	int err = 0;
	if (w->fd >= 0) {
		err = writer__flush(w);
		if (fsync(w->fd) != 0 && !err && errno != EINVAL)
			err = -errno;
	}
	int cerr = release(w);
	return err ? err : cerr;
}

void writer__abandon(struct writer *w)
{
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
