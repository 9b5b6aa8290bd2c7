// SPDX-License-Identifier: Apache-2.0
#include "codec.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/*
 * Levels favour speed: the consumer compresses on the thread that drains
 * the ring, and a slow consumer means dropped events. gzip 1 still shrinks
 * captures several times over; zstd 3 is its own default.
 */
#define GZIP_LEVEL 1
#define ZSTD_LEVEL 3
/* windowBits 15 + 16: a gzip header and trailer, not a zlib one (zlib.h, deflateInit2). */
#define GZIP_WINDOW_BITS (15 + 16)

struct codec {
	enum codec_kind kind;
	z_stream z;
	ZSTD_CCtx *zstd;
	unsigned char *out;
	size_t out_cap;
};

int codec__parse(const char *name, enum codec_kind *kind)
{
	if (strcmp(name, "none") == 0)
		*kind = CODEC_NONE;
	else if (strcmp(name, "gzip") == 0)
		*kind = CODEC_GZIP;
	else if (strcmp(name, "zstd") == 0)
		*kind = CODEC_ZSTD;
	else
		return -1;
	return 0;
}

const char *codec__name(enum codec_kind kind)
{
	return kind == CODEC_GZIP ? "gzip" : kind == CODEC_ZSTD ? "zstd" : "none";
}

struct codec *codec__new(enum codec_kind kind)
{
	if (kind == CODEC_NONE)
		return NULL;
	struct codec *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = kind;
	if (kind == CODEC_GZIP) {
		if (deflateInit2(&c->z, GZIP_LEVEL, Z_DEFLATED, GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			free(c);
			return NULL;
		}
	} else {
		c->zstd = ZSTD_createCCtx();
		if (!c->zstd || ZSTD_isError(ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_compressionLevel, ZSTD_LEVEL)) ||
		    /* A checksum per frame, so a reader can tell a damaged frame. */
		    ZSTD_isError(ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_checksumFlag, 1))) {
			ZSTD_freeCCtx(c->zstd);
			free(c);
			return NULL;
		}
	}
	return c;
}

static int reserve(struct codec *c, size_t n)
{
	if (n <= c->out_cap)
		return 0;
	unsigned char *p = realloc(c->out, n);
	if (!p)
		return -ENOMEM;
	c->out = p;
	c->out_cap = n;
	return 0;
}

int codec__frame(struct codec *c, const void *in, size_t len, const void **out, size_t *out_len)
{
	int err;
	if (c->kind == CODEC_GZIP) {
		if (len > UINT32_MAX)
			return -EFBIG;
		if ((err = reserve(c, deflateBound(&c->z, (uLong)len))))
			return err;
		c->z.next_in = (Bytef *)in;
		c->z.avail_in = (uInt)len;
		c->z.next_out = c->out;
		c->z.avail_out = (uInt)c->out_cap;
		/* deflateBound's room lets one Z_FINISH call finish the member. */
		int zr = deflate(&c->z, Z_FINISH);
		*out_len = c->out_cap - c->z.avail_out;
		deflateReset(&c->z);
		if (zr != Z_STREAM_END)
			return -EIO;
	} else {
		if ((err = reserve(c, ZSTD_compressBound(len))))
			return err;
		size_t n = ZSTD_compress2(c->zstd, c->out, c->out_cap, in, len);
		if (ZSTD_isError(n))
			return -EIO;
		*out_len = n;
	}
	*out = c->out;
	return 0;
}

void codec__free(struct codec *c)
{
	if (!c)
		return;
	if (c->kind == CODEC_GZIP)
		deflateEnd(&c->z);
	ZSTD_freeCCtx(c->zstd);
	free(c->out);
	free(c);
}
