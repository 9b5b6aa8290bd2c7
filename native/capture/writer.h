/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing a scap file: whole blocks into a large buffer, flushed with big
 * write(2)s. A block is `u32 type, u32 total_len, body, pad to 4, u32
 * total_len` (libs userspace/libscap/scap_savefile.h).
 *
 *   struct writer w;
 *   writer__open(&w, "x.scap", false);     // 0600, refuses an existing file
 *                                          // (true: replaces it at the first flush)
 *   writer__section_header(&w);
 *   writer__append_block(&w, BLOCK_MACHINE_INFO, body, len);
 *   writer__append_block(&w, BLOCK_EVENT_V2, record, size);   // per event
 *   writer__close(&w);                      // flushes, fsyncs, closes
 *
 * After a failed write (disk full) the file is cut back to its last whole
 * block, so it stays readable; every later call fails with the same error.
 *
 * With an encoder (writer__set_encoder, right after writer__open) every
 * flush writes what the encoder makes of the buffer, one whole compressed
 * frame (output.c plugs in codec.h); a failed write cuts the file back to
 * the end of the last whole frame. writer.c itself links no compressor.
 *
 * With writer__start_io (right after the encoder) flushes only hand the
 * full buffer to a thread of the writer's own, which encodes and writes it,
 * and the caller goes on filling another (WRITER_IO_BUFFERS in writer.c,
 * then a flush waits for one): in scap-capture the caller is the thread that
 * drains the rings, and compression, a disk that stalls a write(2) or a
 * full page cache no longer stop it (a write that took 100 ms on a 256 KiB-ring capture
 * dropped 82,210 of 475,650 events). A write error then comes back from a
 * later call; writer__sync waits for everything handed over, and the
 * bytes_written and blocks_written it leaves are exact (before it they lag
 * behind, read them with writer__bytes_written / writer__blocks_written).
 */
#ifndef SCAPKIT_CAPTURE_WRITER_H
#define SCAPKIT_CAPTURE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Block type ids (libs userspace/libscap/scap_savefile.h; scapfile/block-types.ts). */
#define BLOCK_SECTION_HEADER 0x0A0D0D0A
#define BLOCK_MACHINE_INFO 0x201
#define BLOCK_PROCESS_LIST_V9 0x215
#define BLOCK_FD_LIST_V2 0x218
#define BLOCK_EVENT_V2 0x216
#define BLOCK_INTERFACE_LIST_V2 0x219
#define BLOCK_USER_LIST_V2 0x220

/*
 * Turns in[0, len) into the bytes to write (*out stays valid until the next
 * call); 0 or a negative errno.
 */
typedef int (*writer_encode_fn)(void *ctx, const void *in, size_t len, const void **out, size_t *out_len);

struct writer {
	int fd;
	unsigned char *buf;
	size_t len;
	size_t cap;
	/* Bytes that reached the file, and bytes of the blocks appended (the file's size once written, unencoded). */
	uint64_t bytes_written;
	uint64_t bytes_appended;
	/* Bytes of blocks whose encoding reached the file (with an encoder: the ratio so far). */
	uint64_t raw_written;
	/* Blocks appended, and those of them that reached the file. */
	uint64_t blocks;
	uint64_t blocks_written;
	/* 0 or the errno of the first failure. */
	int err;
	/* NULL: blocks go to the file as they are. */
	writer_encode_fn encode;
	void *encode_ctx;
	/* Set by writer__open_memory / writer__open_fixed: blocks stay in buf, fd is unused. */
	bool memory;
	/* A fixed buffer belongs to the caller and never grows. */
	bool fixed;
	/* The output is a regular file (not a device, pipe or tty). */
	bool regular;
	/* This writer created the file, or emptied an existing one: it is ours to remove. */
	bool created;
	bool truncated;
	/* An existing regular file to empty before the first bytes go out. */
	bool truncate_pending;
	/* NULL: flushes encode and write on the caller's thread (writer__start_io). */
	struct writer_io *io;
};

/*
 * Opens `path`: creates it 0600, or with `overwrite` opens an existing one,
 * which keeps its contents until the first flush: a regular file is then
 * emptied and made 0600; anything else (a device, a pipe, a tty) is only
 * written to, never truncated nor chmodded.
 */
int writer__open(struct writer *w, const char *path, bool overwrite);
int writer__section_header(struct writer *w);
int writer__append_block(struct writer *w, uint32_t type, const void *body, size_t len);
int writer__flush(struct writer *w);
/*
 * Encodes and writes the flushed buffers on a thread of the writer's own
 * from now on; 0 or a negative errno. With `after`, a writer retired just
 * before (writer__retire), this one writes nothing until that one's thread
 * has written everything and ended: files follow each other on the disk.
 */
int writer__start_io(struct writer *w, struct writer *after);
/*
 * Hands the rest to the thread without waiting for it: the thread ends
 * once it has written everything (writer__retired says when). Nothing may
 * be appended after. writer__detach then gives the fd and the final
 * counts (waiting for the thread if it still runs). 0 or the first error so far.
 */
int writer__retire(struct writer *w);
bool writer__retired(const struct writer *w);
/* Flushes and waits until the thread wrote everything handed to it; 0 or the first error. */
int writer__sync(struct writer *w);
/* What reached the file so far, safe to read while the thread writes. */
uint64_t writer__bytes_written(const struct writer *w);
uint64_t writer__blocks_written(const struct writer *w);
/* 0 or the negative errno of the first failure, safe to read while the thread writes. */
int writer__error(const struct writer *w);
/*
 * The file's size once everything appended is written: exact without an
 * encoder; with one, what reached the file plus the rest at the ratio of
 * what was encoded so far (what reached it alone before any encoding).
 */
uint64_t writer__size_estimate(const struct writer *w);
/* Flushes, fsyncs and closes (after the thread wrote everything). */
int writer__close(struct writer *w);
/* fsync (which a pipe or a device may refuse: EINVAL) and close of a file's fd; 0 or the first negative errno. */
int writer__fsync_close(int fd);
/*
 * Like writer__close but leaves the fsync and the close of the file to the
 * caller: *fd gets the descriptor (-1 when there is none). The counts are
 * final. 0 or the first write error.
 */
int writer__detach(struct writer *w, int *fd);
/* Closes without writing what is buffered: an existing file stays as it was. */
void writer__abandon(struct writer *w);
/* Whether the file may be removed: a regular file this writer created or emptied. */
bool writer__removable(const struct writer *w);
/*
 * Appends the whole blocks of blocks[0, len), framed by another writer
 * (a memory one): the same bytes as appending each again. 0 or a negative
 * errno; -EPROTO when the bytes are not whole blocks.
 */
int writer__append_blocks(struct writer *w, const unsigned char *blocks, size_t len);
/*
 * Appends the blocks of the memory writer `from` (framed by it) and takes
 * its buffer: with a thread, the buffer itself is queued for it (no copy,
 * freed once written), and `from` is left empty, to be closed. 0 or a
 * negative errno.
 */
int writer__give_blocks(struct writer *w, struct writer *from);
/* Encodes everything flushed from now on with `fn` (NULL: written as is). */
void writer__set_encoder(struct writer *w, writer_encode_fn fn, void *ctx);

/*
 * Writers into memory, for callers that hand the bytes on themselves (the
 * live addon, native/addon): the same block framing, no file.
 *
 *   writer__open_memory(&w);              // grows as needed: the /proc state
 *   writer__open_fixed(&w, buf, cap);     // the caller's buffer: ring records
 *   writer__append_block(...);            // -ENOBUFS when a fixed buffer is full
 *   w.buf, w.len                          // the blocks so far
 *   writer__reset(&w);                    // empty again, same buffer
 *   writer__close(&w);                    // frees a grown buffer, not a fixed one
 *
 * writer__flush is a no-op for them. A full fixed buffer is not an error of
 * the writer: it keeps its blocks and takes more after writer__reset.
 */
int writer__open_memory(struct writer *w);
void writer__open_fixed(struct writer *w, void *buf, size_t cap);
void writer__reset(struct writer *w);

/* A growable byte buffer for building block bodies (little-endian values). */
struct bbuf {
	unsigned char *data;
	size_t len;
	size_t cap;
	bool oom;
};

void bbuf__free(struct bbuf *b);
void bbuf__reset(struct bbuf *b);
void bbuf__bytes(struct bbuf *b, const void *p, size_t n);
void bbuf__u8(struct bbuf *b, uint8_t v);
void bbuf__u16(struct bbuf *b, uint16_t v);
void bbuf__u32(struct bbuf *b, uint32_t v);
void bbuf__u64(struct bbuf *b, uint64_t v);
/* A u16 length + bytes string, cut to `max` bytes, no NUL. */
void bbuf__str16(struct bbuf *b, const char *s, size_t max);
/* A u16 length + raw bytes (NUL-separated lists keep their NULs). */
void bbuf__blob16(struct bbuf *b, const void *p, size_t n);
/* Overwrites a u32 written earlier at `at` (entry lengths). */
void bbuf__patch_u32(struct bbuf *b, size_t at, uint32_t v);

#endif
