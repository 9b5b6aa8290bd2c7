// A zstd capture of more than 100 MB (decompressed), built from the
// curl_google fixture's event blocks repeated (bench/make-capture.ts), read
// through openCapture: every event arrives, the last one is the file's last,
// and memory stays flat (batches are not retained by the reader).

import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressStream } from 'zstd-napi';
import { makeCapture } from '../../bench/make-capture.js';
import { eventBlockHasFlags } from '../../scapfile/block-types.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { tempDir } from '../helpers/capture-builder.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/captures/curl_google.scap', import.meta.url));
const EVENTS_PER_REPETITION = 1536;
/**
 * ~91.7 KB of event blocks each: 3400 repetitions make about 312 MB, so that
 * keeping the batches (~450 MB) would break the 200 MB memory bound.
 */
const REPETITIONS = 3400;

const tmp = tempDir('scapkit-zstd-large-');
afterAll(() => tmp.cleanup());

/** Timestamp of the event in the last block of a plain capture file (read from its end). */
function lastEventTs(path: string): bigint {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, size - 4);
    const len = tail.readUInt32LE(0);
    const block = Buffer.alloc(len);
    readSync(fd, block, 0, len, size - len);
    expect(block.readUInt32LE(4)).toBe(len);
    return block.readBigUInt64LE(8 + (eventBlockHasFlags(block.readUInt32LE(0)) ? 6 : 2));
  } finally {
    closeSync(fd);
  }
}

describe('a zstd capture of more than 100 MB', () => {
  let zstPath = '';
  let plainBytes = 0;
  let wantLastTs = 0n;

  beforeAll(async () => {
    const plain = `${tmp.dir}/big.scap`;
    const made = makeCapture(FIXTURE, plain, REPETITIONS);
    plainBytes = made.bytes;
    wantLastTs = lastEventTs(plain);
    zstPath = `${tmp.dir}/big.scap.zst`;
    // Streamed: neither side of the compressor holds the file.
    await pipeline(createReadStream(plain, { highWaterMark: 1 << 20 }), new CompressStream({ compressionLevel: 1 }), createWriteStream(zstPath));
  }, 120_000);

  it('reads every event with flat memory, up to the last timestamp', async () => {
    expect(plainBytes).toBeGreaterThan(100 * 1000 * 1000);
    expect(statSync(zstPath).size).toBeLessThan(plainBytes / 2);

    const cap = await openCapture(zstPath);
    expect(cap.info.compression).toBe('zstd');
    // Settle what the setup left behind, so the bound measures the reading.
    (globalThis as { gc?: () => void }).gc?.();
    const rss0 = process.memoryUsage().rss;
    let maxRss = rss0;
    let events = 0;
    let batches = 0;
    let lastTs = 0n;
    let lastNum = 0;
    for await (const batch of cap) {
      events += batch.count;
      const last = batch.offsets[batch.count - 1]!;
      lastTs = batch.buf.readBigUInt64LE(last);
      lastNum = batch.nums[batch.count - 1]!;
      if (++batches % 16 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
    maxRss = Math.max(maxRss, process.memoryUsage().rss);

    expect(cap.stats.bytesRead).toBe(plainBytes);
    expect(cap.stats.bytesRead).toBeGreaterThan(100 * 1000 * 1000);
    expect(events).toBe(REPETITIONS * EVENTS_PER_REPETITION);
    expect(lastNum).toBe(events);
    expect(lastTs).toBe(wantLastTs);
    expect(cap.warnings).toEqual([]);
    expect(batches).toBeGreaterThan(50);
    expect(maxRss - rss0, `RSS grew by ${((maxRss - rss0) / 1e6).toFixed(0)} MB`).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
