// Where a writer's bytes go: a file (created 0600, never silently
// overwritten, cut back to its last complete chunk when a write fails) or a
// caller's stream (with its backpressure), behind one small interface; and
// the compression in front of them.
//
// Every chunk a writer hands over holds whole blocks only. Each compressed
// chunk is complete in itself (a gzip member, a zstd frame), so a
// file that ends after any chunk — full disk, SIGINT, crash — decodes to
// whole blocks. libscap reads concatenated gzip members (zlib's gzread
// continues into the next member), as does our reader.

import { constants as fsc } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { InputType, ZlibOptions } from 'node:zlib';
import zstd from 'zstd-napi/binding.js';
import type { Compression } from '../byte-source.js';

const gzip = promisify(gzipCb) as (buf: InputType, options: ZlibOptions) => Promise<Buffer>;

/** The output exists and overwriting was not asked for. */
export class OutputExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} exists; pass --force (force: true) to overwrite it`);
    this.name = 'OutputExistsError';
  }
}

/** The output names an input: replacing it (--force) would destroy the input before it is read. */
export class OutputIsInputError extends Error {
  constructor(readonly path: string, readonly input: string) {
    super(input === path ? `the output ${path} is the input; write to another file` : `the output ${path} is the input ${input}; write to another file`);
    this.name = 'OutputIsInputError';
  }
}

/**
 * Writing the output failed; a file keeps every complete chunk written
 * before (one that could hold none is removed).
 */
export class CaptureWriteError extends Error {
  constructor(
    readonly path: string,
    /** Bytes of the output that are complete and readable (a chunk boundary). */
    readonly keptBytes: number,
    override readonly cause: NodeJS.ErrnoException,
    /** A stream's bytes went to its reader: nothing is kept anywhere to speak of. */
    readonly isStream = false,
    /** What became of the output, when not what `keptBytes` says (a rotated file removed). */
    fate?: string,
  ) {
    super(`cannot write ${path}: ${writeErrorText(cause)}; ${fate ?? keptText(keptBytes, isStream)}`);
    this.name = 'CaptureWriteError';
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EPIPE: 'the reader went away',
};

/** A write error in words, with its code: `no space left on device (ENOSPC)`. */
export const writeErrorText = (e: NodeJS.ErrnoException): string =>
  `${(e.code && ERRNO_TEXT[e.code]) ?? e.message}${e.code ? ` (${e.code})` : ''}`;

const keptText = (kept: number, isStream: boolean): string => {
  if (isStream) return `${kept} bytes of complete blocks went out before`;
  return kept === 0
    ? 'nothing could be written, and the empty file was removed'
    : `the file keeps the ${kept} bytes of complete blocks written before and is readable`;
};

/** Whether two paths name one file (device and inode: however spelled, hard links included); false if either is missing. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}

/**
 * For an output `path` that exists: throws OutputIsInputError when it is one
 * of `inputs` (stdin, `-`, is none), which even `force` must not replace,
 * then OutputExistsError unless `force`.
 */
export async function checkExistingOutput(path: string, inputs: readonly string[], force: boolean): Promise<void> {
  for (const input of inputs) {
    if (input !== '-' && await sameFile(path, input)) throw new OutputIsInputError(path, input);
  }
  if (!force) throw new OutputExistsError(path);
}

/** A destination for whole chunks of (compressed) bytes. */
export interface ByteSink {
  /** A name for messages. */
  readonly name: string;
  /** Bytes written so far. */
  readonly bytesWritten: number;
  /** Writes a chunk; resolves when the destination has taken it (backpressure). */
  write(chunk: Buffer): Promise<void>;
  /**
   * Whether a chunk may still be read after its `write` resolved (a stream
   * queues it): its memory must not be reused. A file is done with it.
   */
  readonly keepsChunks: boolean;
  /** Flushes and releases the destination. */
  close(): Promise<void>;
  /** Releases the destination without flushing (after a failure). */
  abort(): Promise<void>;
}

/** Options of `FileSink.create`. */
export interface FileSinkOptions {
  /** Replace an existing file. */
  readonly force?: boolean;
  /** fsync on close (default true): a closed capture survives a crash. */
  readonly sync?: boolean;
  /** Files being read into this one: `force` never replaces one of them. */
  readonly inputs?: readonly string[];
}

/** A file written with positional writes; on failure it is cut back to the last complete chunk. */
export class FileSink implements ByteSink {
  bytesWritten = 0;
  readonly keepsChunks = false;

  private constructor(readonly name: string, private readonly fh: FileHandle, private readonly sync: boolean) {}

  /**
   * Creates `path` with mode 0600 (captures hold command lines, environments
   * and paths). Refuses an existing file unless `force`; a forced overwrite
   * replaces the file rather than truncating it, so a hard link or a reader
   * of the old file is not affected and the mode is 0600 again.
   */
  static async create(path: string, options: FileSinkOptions = {}): Promise<FileSink> {
    const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL;
    let fh: FileHandle;
    try {
      fh = await open(path, flags, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await checkExistingOutput(path, options.inputs ?? [], options.force ?? false);
      await unlink(path);
      fh = await open(path, flags, 0o600);
    }
    // The umask can only remove bits; make sure nobody else gets any.
    await fh.chmod(0o600);
    return new FileSink(path, fh, options.sync ?? true);
  }

  async write(chunk: Buffer): Promise<void> {
    let done = 0;
    try {
      while (done < chunk.length) {
        const { bytesWritten } = await this.fh.write(chunk, done, chunk.length - done, this.bytesWritten + done);
        done += bytesWritten;
      }
    } catch (err) {
      // A partial chunk would end the file inside a block (or inside a gzip
      // member); cut it off so what remains reads cleanly. A file left empty
      // is no capture (a 0-byte file said to be "readable").
      await this.fh.truncate(this.bytesWritten).catch(() => undefined);
      if (this.bytesWritten === 0) await unlink(this.name).catch(() => undefined);
      throw new CaptureWriteError(this.name, this.bytesWritten, err as NodeJS.ErrnoException);
    }
    this.bytesWritten += chunk.length;
  }

  async close(): Promise<void> {
    try {
      if (this.sync) await this.fh.sync();
    } finally {
      await this.fh.close();
    }
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  /** Aborts and removes the file: for an output that holds nothing worth keeping. */
  async remove(): Promise<void> {
    await this.abort();
    await unlink(this.name).catch(() => undefined);
  }
}

/** A caller's writable stream; waits for 'drain' when it asks to. Closing ends the stream unless told not to. */
export class StreamSink implements ByteSink {
  bytesWritten = 0;
  readonly keepsChunks = true;
  private failure: Error | undefined;

  constructor(private readonly stream: Writable, readonly name = 'stream', private readonly endOnClose = true) {
    stream.on('error', (e) => { this.failure = e; });
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw new CaptureWriteError(this.name, this.bytesWritten, this.failure, true);
    const ok = this.stream.write(chunk);
    this.bytesWritten += chunk.length;
    if (!ok) await this.waitFor('drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw new CaptureWriteError(this.name, this.bytesWritten, this.failure, true);
    if (!this.endOnClose) return;
    const finished = this.waitFor('finish');
    this.stream.end();
    await finished;
  }

  async abort(): Promise<void> {
    if (this.endOnClose) this.stream.end();
  }

  private waitFor(event: 'drain' | 'finish'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onEvent = (): void => { this.stream.off('error', onError); resolve(); };
      const onError = (e: Error): void => {
        this.stream.off(event, onEvent);
        reject(new CaptureWriteError(this.name, this.bytesWritten, e, true));
      };
      this.stream.once(event, onEvent);
      this.stream.once('error', onError);
    });
  }
}

/** Turns chunks of whole blocks into chunks of output bytes. */
export interface ChunkEncoder {
  /** May run off the main thread; results are written in call order. */
  encode(chunk: Buffer): Promise<Buffer>;
  /** Bytes that end the output, possibly none. */
  finish(): Buffer;
}

/** Output compression: none, gzip (a member per chunk), zstd (a frame per chunk). */
export function chunkEncoder(compression: Compression, level?: number): ChunkEncoder {
  switch (compression) {
    case 'none':
      return { encode: async (c) => c, finish: () => Buffer.alloc(0) };
    case 'gzip':
      // zlib runs on libuv's thread pool, so several chunks compress at once.
      return { encode: (c) => gzip(c, { level: level ?? 6 }), finish: () => Buffer.alloc(0) };
    case 'zstd':
      return new ZstdEncoder(level ?? 3);
  }
}

/**
 * zstd through zstd-napi's low-level binding, as byte-source.ts decompresses:
 * its stream classes push output without backpressure. One frame per chunk
 * (the context keeps its settings between frames): a file cut after any
 * chunk is a complete zstd stream, which `zstd -d` and our reader take
 * without complaint; a frame header per MiB costs nothing measurable.
 */
class ZstdEncoder implements ChunkEncoder {
  private readonly cctx = new zstd.CCtx();
  private scratch: Buffer = Buffer.alloc(0);

  constructor(level: number) {
    this.cctx.setParameter(zstd.CParameter.compressionLevel, level);
  }

  async encode(chunk: Buffer): Promise<Buffer> {
    return this.run(chunk, zstd.EndDirective.end);
  }

  finish(): Buffer {
    return Buffer.alloc(0);
  }

  /**
   * Compresses into one scratch buffer and copies out what was produced (a
   * tenth or less of the input): a new compressBound-sized buffer per
   * chunk stayed alive, a megabyte each, until its few bytes were written.
   */
  private run(src: Buffer, op: zstd.EndDirective): Buffer {
    const parts: Buffer[] = [];
    let input = src;
    for (;;) {
      const need = Math.max(zstd.compressBound(input.length), 1 << 16);
      if (this.scratch.length < need) this.scratch = Buffer.allocUnsafe(need);
      const [left, produced, consumed] = this.cctx.compressStream2(this.scratch, input, op);
      if (produced > 0) parts.push(Buffer.from(this.scratch.subarray(0, produced)));
      input = input.subarray(consumed);
      if (left === 0 && input.length === 0) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

}
