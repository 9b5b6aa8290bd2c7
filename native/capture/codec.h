/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compressing a capture as a sequence of independent frames: each writer
 * flush becomes one complete gzip member (RFC 1952) or one zstd frame.
 * Concatenated members/frames are a valid stream for gzip and zstd readers
 * (zlib's gzread, zstd's streaming API), so a file cut after any frame is
 * still a whole stream: the writer can cut back to the last frame on a full
 * disk, and a killed capture leaves every frame written before the kill.
 *
 *   struct codec *c = codec__new(CODEC_GZIP);
 *   codec__frame(c, buf, len, &out, &out_len);   // out valid until the next call
 *   codec__free(c);
 */
#ifndef SCAPKIT_CAPTURE_CODEC_H
#define SCAPKIT_CAPTURE_CODEC_H

#include <stddef.h>

enum codec_kind { CODEC_NONE, CODEC_GZIP, CODEC_ZSTD };

struct codec;

/* "none", "gzip" or "zstd"; -1 for anything else. */
int codec__parse(const char *name, enum codec_kind *kind);
const char *codec__name(enum codec_kind kind);
/* NULL for CODEC_NONE or when out of memory. */
struct codec *codec__new(enum codec_kind kind);
/* Compresses in[0, len) into one whole frame; 0 or a negative errno. */
int codec__frame(struct codec *c, const void *in, size_t len, const void **out, size_t *out_len);
void codec__free(struct codec *c);

#endif
