import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

/** How the bytes of a capture are compressed, told by their first bytes. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** Size of the chunks read from files and produced by decompressors. */
const CHUNK_BYTES = 1 << 20;

/** A capture's decompressed bytes as a stream of chunks, plus what is known of the input. */
export interface ByteSource {
  readonly compression: Compression;
  /** Size of the input file in bytes, when the input is a regular file. */
  readonly fileBytes: number | undefined;
  /** Human-readable name of the input for messages. */
  readonly name: string;
  readonly chunks: AsyncIterator<Buffer>;
  /**
   * Takes back a chunk the caller no longer uses, nor any part of it, to
   * read a later chunk into; chunks it did not make are ignored. Only
   * sources reading a regular file without compression have it.
   */
  readonly recycle?: (chunk: Buffer) => void;
  /** Stops reading and releases the file or stream (resolved once a file is closed). */
  close(): void | Promise<void>;
}

/** Tells the compression of a capture from its first bytes (undefined: not a capture we know). */
export function detectCompression(head: Buffer): Compression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x0a0d0d0a) return 'none';
  return undefined;
}

/**
 * Opens `input` (a path, `-` for stdin, or a readable stream), detects its
 * compression from the first bytes and returns its decompressed chunks.
 * Throws `NotACaptureError` when the first bytes are none of plain scap,
 * gzip or zstd.
 */
export async function openByteSource(input: string | Readable): Promise<ByteSource> {
  let raw: { destroy(): unknown };
  let rawChunks: AsyncIterator<Buffer>;
  let name: string;
  let fileBytes: number | undefined;
  let file: FileChunks | undefined;
  if (typeof input === 'string' && input !== '-') {
    name = input;
    const st = await stat(input);
    if (st.isDirectory()) {
      // Reading one fails with EISDIR and no path; the message should name it.
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${input}'`), { code: 'EISDIR', path: input });
    }
    if (st.isFile()) {
      fileBytes = st.size;
      raw = rawChunks = file = new FileChunks(await open(input, 'r'));
    } else {
      const stream = createReadStream(input, { highWaterMark: CHUNK_BYTES });
      raw = stream;
      rawChunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    }
  } else {
    const stream = input === '-' ? process.stdin : input;
    name = input === '-' ? 'stdin' : 'stream';
    raw = stream;
    rawChunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  const head = await readHead(rawChunks);
  const compression = detectCompression(head.bytes);
  if (compression === undefined) {
    raw.destroy();
    throw new NotACaptureError(name, head.bytes);
  }

  // A regular file can be read again from its start (to salvage what a decompressor lost at an error).
  const reopenFile = typeof input === 'string' && file !== undefined
    ? (): AsyncIterator<Buffer> => createReadStream(input, { highWaterMark: CHUNK_BYTES })[Symbol.asyncIterator]() as AsyncIterator<Buffer>
    : undefined;
  // The head bytes were consumed from the raw stream: replay them first.
  const replayed = replay(head.chunks, rawChunks);
  if (compression === 'none') {
    // The block reader rewrites pre-1.2 event headers in place. Chunks of a
    // file or of stdin are ours; a caller's stream may hand out buffers it
    // still uses, so those are copied first.
    const chunks = typeof input === 'string' ? replayed : copied(replayed);
    const recycle = file === undefined ? undefined : (chunk: Buffer): void => file.recycle(chunk);
    return { compression, fileBytes, name, chunks, ...(recycle ? { recycle } : {}), close: () => closeRaw(raw) };
  }
  if (compression === 'zstd') {
    return { compression, fileBytes, name, chunks: zstdChunks(replayed, reopenFile), close: () => closeRaw(raw) };
  }
  const decompressor = createGunzip({ chunkSize: CHUNK_BYTES });
  pump(replayed, decompressor);
  return {
    compression,
    fileBytes,
    name,
    chunks: gzipChunks(decompressor, reopenFile),
    close: () => { decompressor.destroy(); return closeRaw(raw); },
  };
}

/** Destroys the raw input; a file's close is waited for (FileChunks.destroy), a stream's is not. */
async function closeRaw(raw: { destroy(): unknown }): Promise<void> {
  await raw.destroy();
}

/**
 * Thrown by a gzip source after its last byte: what followed the gzip data
 * is not gzip data. gzip(1) and zlib's gzread (libscap) ignore such bytes;
 * the reader ends there with a warning.
 */
export class TrailingBytesError extends Error {
  override readonly name = 'TrailingBytesError';
}

/** Output chunks held before the decompressor is paused. */
const GZIP_QUEUE = 2;
/**
 * Output step of the second pass over a damaged gzip or zstd file: the
 * output of the decompressor's last step before an error is lost (reported
 * instead of it), and a step produces this much at most.
 */
const SALVAGE_STEP = 4096;

/**
 * The chunks of `gen` past its first `skip` bytes, adding what it hands out
 * to `out.bytes`; `gen`'s return value is its own. A first pass (skip 0)
 * counts what it handed out; a second pass over the same input skips that.
 */
async function* pastBytes<R>(skip: number, gen: AsyncGenerator<Buffer, R>, out: { bytes: number }): AsyncGenerator<Buffer, R> {
  for (;;) {
    const r = await gen.next();
    if (r.done) return r.value;
    let c = r.value;
    if (skip >= c.length) { skip -= c.length; continue; }
    c = c.subarray(skip);
    skip = 0;
    out.bytes += c.length;
    yield c;
  }
}

/**
 * Every chunk a gunzip stream produces, in order, then what ended it: its
 * error, or undefined at a normal end. (Node's stream iterator drops the
 * chunks it holds when the stream fails.)
 */
async function* gunzipOutput(gz: Gunzip): AsyncGenerator<Buffer, Error | undefined> {
  const queue: Buffer[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const onData = (c: Buffer): void => {
    queue.push(c);
    if (queue.length >= GZIP_QUEUE) gz.pause();
    wake?.();
  };
  gz.on('data', onData);
  gz.on('error', (e: Error) => {
    // Output made while the stream was paused (a consumer slower than
    // gunzip, as nearly every reader is) waits in its buffer, and a failing
    // stream emits none of it: a truncated .gz lost its last few KiB of
    // events, how many depending on the consumer's speed. It can still be
    // read out; `data` may or may not fire for it, so it is taken here.
    gz.off('data', onData);
    for (let c = gz.read() as Buffer | null; c !== null; c = gz.read() as Buffer | null) queue.push(c);
    failure = e;
    wake?.();
  });
  gz.on('end', () => { ended = true; wake?.(); });
  for (;;) {
    const c = queue.shift();
    if (c !== undefined) {
      if (queue.length < GZIP_QUEUE) gz.resume();
      yield c;
      continue;
    }
    if (failure !== undefined) return failure;
    if (ended) return undefined;
    await new Promise<void>((resolve) => { wake = resolve; });
    wake = undefined;
  }
}

/**
 * The decompressed chunks of a gzip input. When the decompressor fails (a
 * bad checksum, bytes after the last member that are not gzip data), the
 * output of its last step is lost with the error, up to a whole chunk: a
 * regular file is then decompressed again (`reopen`) in small chunks, and
 * what the first pass had not handed out is handed out, so that at most a
 * few KiB before the damage are lost (libscap's gzread loses more).
 * Trailing bytes that are not gzip data end it with `TrailingBytesError`,
 * as gzip(1) and gzread ignore them.
 */
async function* gzipChunks(gz: Gunzip, reopen: (() => AsyncIterator<Buffer>) | undefined): AsyncGenerator<Buffer> {
  const out = { bytes: 0 };
  let failure = yield* pastBytes(0, gunzipOutput(gz), out);
  if (failure === undefined) return;
  // A file cut short (the usual damage: a capture still being written) has
  // given all it can: Node reports the truncation after the output (what
  // waited in the paused stream included, see gunzipOutput).
  const truncated = (failure as Error & { code?: string }).code === 'Z_BUF_ERROR';
  if (reopen !== undefined && !truncated) {
    const again = createGunzip({ chunkSize: SALVAGE_STEP });
    pump(reopen(), again);
    failure = (yield* pastBytes(out.bytes, gunzipOutput(again), out)) ?? failure;
  }
  if (out.bytes > 0 && (failure as Error & { code?: string }).code === 'Z_DATA_ERROR' && /header check/.test(failure.message)) {
    throw new TrailingBytesError(`bytes after the gzip data are not gzip data (${failure.message})`);
  }
  throw failure;
}

/**
 * The chunks of a regular file, each read into a buffer of its own while the
 * caller works on the one before. Chunks handed back with `recycle` take
 * later reads: a reader that uses each chunk once (counting) then reads
 * the whole file through a few buffers, where fresh ones cost page faults
 * and, as external memory, most of its full garbage collections.
 */
class FileChunks implements AsyncIterator<Buffer> {
  /** Whole chunk buffers free for a read, and every buffer this reader made, by its memory. */
  private readonly pool: Buffer[] = [];
  private readonly ours = new WeakMap<ArrayBufferLike, Buffer>();
  private ahead: Promise<Buffer | undefined> | undefined;
  private position = 0;
  /** The file's close, once asked for (at the end, or by `destroy`). */
  private closing: Promise<void> | undefined;

  constructor(private readonly fh: FileHandle) {}

  async next(): Promise<IteratorResult<Buffer>> {
    const current = this.ahead ?? this.read();
    this.ahead = undefined;
    const chunk = await current;
    if (chunk === undefined) return { done: true, value: undefined };
    this.ahead = this.read();
    // Its error is met by the next call; until then it is not unhandled.
    this.ahead.catch(() => {});
    return { done: false, value: chunk };
  }

  recycle(chunk: Buffer): void {
    const whole = this.ours.get(chunk.buffer);
    if (whole !== undefined && !this.pool.includes(whole)) this.pool.push(whole);
  }

  destroy(): Promise<void> {
    // A read still in flight completes first (FileHandle.close waits for it).
    this.closing ??= this.fh.close().catch(() => {});
    return this.closing;
  }

  private async read(): Promise<Buffer | undefined> {
    if (this.closing !== undefined) return undefined;
    let buf = this.pool.pop();
    if (buf === undefined) {
      buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.ours.set(buf.buffer, buf);
    }
    const { bytesRead } = await this.fh.read(buf, 0, CHUNK_BYTES, this.position);
    if (bytesRead === 0) {
      // The end: the file is closed before the end is told, so that a
      // caller done reading may unmount or remove what held it at once.
      this.pool.push(buf);
      await this.destroy();
      return undefined;
    }
    this.position += bytesRead;
    return bytesRead === CHUNK_BYTES ? buf : buf.subarray(0, bytesRead);
  }
}

/**
 * Files users mistake for captures, by their first bytes: what `scap export`
 * writes, and the pcap packet captures of tcpdump and Wireshark (pcapng
 * starts as scap does; the block reader tells it by its packet blocks).
 */
const KNOWN_FORMATS: readonly { readonly magic: Buffer; readonly what: string }[] = [
  { magic: Buffer.from('PAR1'), what: 'a Parquet file (scap export writes these; query it with DuckDB or pandas)' },
  { magic: Buffer.from('ARROW1'), what: 'an Arrow IPC file (scap export writes these; open it with pyarrow or DuckDB)' },
  { magic: Buffer.from('ffffffff', 'hex'), what: 'an Arrow IPC stream, it seems (scap export -o - writes these)' },
  // pcap's magic in both byte orders, microsecond and nanosecond variants.
  ...['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].map((hex) => ({
    magic: Buffer.from(hex, 'hex'), what: 'a pcap packet capture (tcpdump, Wireshark): network packets, not syscalls',
  })),
];

/** The input does not start like a scap capture (plain, gzip or zstd). */
export class NotACaptureError extends Error {
  constructor(readonly inputName: string, readonly head: Buffer) {
    const hex = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim();
    const known = KNOWN_FORMATS.find((f) => head.length >= f.magic.length && head.subarray(0, f.magic.length).equals(f.magic));
    super(
      head.length === 0
        ? `${inputName}: empty input, not a scap capture`
        : `${inputName}: not a scap capture (first bytes ${hex}; expected a scap section header 0a 0d 0d 0a, gzip or zstd)` +
          (known === undefined ? '' : `: this is ${known.what}`),
    );
    this.name = 'NotACaptureError';
  }
}

async function readHead(it: AsyncIterator<Buffer>): Promise<{ bytes: Buffer; chunks: Buffer[] }> {
  const chunks: Buffer[] = [];
  let len = 0;
  while (len < 4) {
    const r = await it.next();
    if (r.done) break;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    chunks.push(chunk);
    len += chunk.length;
  }
  return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), chunks };
}

/** The head chunks already read, then the rest of the input. */
async function* replay(first: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  for (const c of first) yield c;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

async function* copied(chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  for (;;) {
    const r = await chunks.next();
    if (r.done) return;
    yield Buffer.from(r.value);
  }
}

/**
 * Decompresses a zstd stream one output chunk at a time, as the reader asks
 * for them. zstd-napi's DecompressStream pushes the whole output of an input
 * chunk at once, without backpressure: a 33 KB file of compressed zeros made
 * it allocate 2 GB before the reader saw its first block (and 1 MB of such
 * input would exhaust memory); it also failed a stream that ends inside a
 * frame with a message the reader did not take for truncation, after Node's
 * stream iterator had dropped the output before it. Here at most one chunk
 * is produced ahead, and the truncation error comes after every byte that
 * could be decompressed.
 */
async function* zstdChunks(input: AsyncIterator<Buffer>, reopen?: () => AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  // Loaded here, not at the top: most captures are plain or gzip, and the
  // native module costs start-up time.
  const zstd = (await import('zstd-napi/binding.js')).default;
  const out = { bytes: 0 };
  try {
    yield* pastBytes(0, zstdOutput(new zstd.DCtx(), input, CHUNK_BYTES), out);
  } catch (err) {
    if (reopen === undefined || /truncated/.test((err as Error).message)) throw err;
    // The output of the step that failed is lost with it: a regular file is
    // decompressed again in small steps, and what the first pass had not
    // handed out is handed out (as for gzip, gzipChunks).
    try {
      yield* pastBytes(out.bytes, zstdOutput(new zstd.DCtx(), reopen(), SALVAGE_STEP), out);
    } catch {
      // The same damage: its error is the first pass's.
    }
    throw err;
  }
}

/** The decompressed output of `input`, `step` bytes at most per call into zstd. */
async function* zstdOutput(dctx: { decompressStream(dst: Buffer, src: Buffer): [number, number, number] }, input: AsyncIterator<Buffer>, step: number): AsyncGenerator<Buffer> {
  // zstd's hint of bytes still to come in the current frame: 0 between frames.
  let remaining = 0;
  for (;;) {
    const r = await input.next();
    if (r.done) break;
    let src = r.value;
    for (;;) {
      const dst = Buffer.allocUnsafe(step);
      let hint: number, produced: number, consumed: number;
      try {
        [hint, produced, consumed] = dctx.decompressStream(dst, src);
      } catch (err) {
        // zstd-napi words a corrupt frame as its own errors ("Destination buffer is too small").
        throw new Error(`the zstd data is corrupt (zstd: ${(err as Error).message})`);
      }
      src = src.subarray(consumed);
      remaining = hint;
      if (produced > 0) yield dst.subarray(0, produced);
      // Input used up and nothing left to flush (the output was not filled).
      if (src.length === 0 && (produced < dst.length || hint === 0)) break;
    }
  }
  if (remaining !== 0) throw new Error('zstd stream truncated: it ends inside a frame');
}

/** Feeds chunks into a decompressor, honouring its backpressure. */
function pump(chunks: AsyncIterator<Buffer>, sink: NodeJS.WritableStream & Readable): void {
  void (async () => {
    try {
      for (;;) {
        const r = await chunks.next();
        if (r.done) break;
        if (!sink.write(r.value)) {
          await new Promise<void>((resolve, reject) => {
            const onDrain = (): void => { sink.off('error', onError); resolve(); };
            const onError = (e: Error): void => { sink.off('drain', onDrain); reject(e); };
            sink.once('drain', onDrain);
            sink.once('error', onError);
          });
        }
      }
      sink.end();
    } catch (err) {
      sink.destroy(err as Error);
    }
  })();
}
