import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

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
  /** Stops reading and releases the file or stream. */
  close(): void;
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
  let raw: Readable;
  let name: string;
  let fileBytes: number | undefined;
  if (typeof input === 'string') {
    if (input === '-') {
      raw = process.stdin;
      name = 'stdin';
    } else {
      const st = await stat(input);
      if (st.isFile()) fileBytes = st.size;
      raw = createReadStream(input, { highWaterMark: CHUNK_BYTES });
      name = input;
    }
  } else {
    raw = input;
    name = 'stream';
  }

  const rawChunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await readHead(rawChunks);
  const compression = detectCompression(head.bytes);
  if (compression === undefined) {
    raw.destroy();
    throw new NotACaptureError(name, head.bytes);
  }

  // The head bytes were consumed from the raw stream: replay them first.
  const replayed = replay(head.chunks, rawChunks);
  if (compression === 'none') {
    // The block reader rewrites pre-1.2 event headers in place. Chunks of a
    // file or of stdin are ours; a caller's stream may hand out buffers it
    // still uses, so those are copied first.
    const chunks = typeof input === 'string' ? replayed : copied(replayed);
    return { compression, fileBytes, name, chunks, close: () => raw.destroy() };
  }
  if (compression === 'zstd') {
    return { compression, fileBytes, name, chunks: zstdChunks(replayed), close: () => raw.destroy() };
  }
  const decompressor = createGunzip({ chunkSize: CHUNK_BYTES });
  pump(replayed, decompressor);
  return {
    compression,
    fileBytes,
    name,
    chunks: (decompressor as Readable)[Symbol.asyncIterator]() as AsyncIterator<Buffer>,
    close: () => { raw.destroy(); (decompressor as Readable).destroy(); },
  };
}

/** The input does not start like a scap capture (plain, gzip or zstd). */
export class NotACaptureError extends Error {
  constructor(readonly inputName: string, readonly head: Buffer) {
    const hex = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim();
    super(
      head.length === 0
        ? `${inputName}: empty input, not a scap capture`
        : `${inputName}: not a scap capture (first bytes ${hex}; expected a scap section header 0a 0d 0d 0a, gzip or zstd)`,
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
async function* zstdChunks(input: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  // Loaded here, not at the top: most captures are plain or gzip, and the
  // native module costs start-up time.
  const zstd = (await import('zstd-napi/binding.js')).default;
  const dctx = new zstd.DCtx();
  // zstd's hint of bytes still to come in the current frame: 0 between frames.
  let remaining = 0;
  for (;;) {
    const r = await input.next();
    if (r.done) break;
    let src = r.value;
    for (;;) {
      const dst = Buffer.allocUnsafe(CHUNK_BYTES);
      const [hint, produced, consumed] = dctx.decompressStream(dst, src);
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
