// SPDX-License-Identifier: Apache-2.0
#include "codec.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <zstd.h>

/*
 * Levels favour speed: the consumer compresses on the thread that drains
 * the ring, and a slow consumer means dropped events. gzip 1 still shrinks
 * captures several times over; zstd 3 is its own default.
 *
 * gzip members are made by libdeflate, which compresses a whole buffer at
 * once (all a frame is) two to three times faster than zlib's deflate at
 * the same level, with slightly smaller output: with zlib, a capture of
 * incompressible I/O buffers (148 bytes an event at 1.1 M events/s) outran
 * the consumer and lost a quarter of its events (bench/capture-bench.ts).
 */
#define GZIP_LEVEL 1
#define ZSTD_LEVEL 3

struct codec {
	enum codec_kind kind;
	struct libdeflate_compressor *gzip;
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
		if (!(c->gzip = libdeflate_alloc_compressor(GZIP_LEVEL))) {
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
		/* gzip's trailer keeps the length modulo 2^32 only. */
		if (len > UINT32_MAX)
			return -EFBIG;
		/* With the bound's room the member always fits: 0 means failure. */
		if ((err = reserve(c, libdeflate_gzip_compress_bound(c->gzip, len))))
			return err;
		size_t n = libdeflate_gzip_compress(c->gzip, in, len, c->out, c->out_cap);
		if (n == 0)
			return -EIO;
		*out_len = n;
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
	if (c->gzip)
		libdeflate_free_compressor(c->gzip);
	ZSTD_freeCCtx(c->zstd);
	free(c->out);
	free(c);
}
