// Reading with recycled buffers (`recycleBatches`, what `scap read --count`
// uses) must hand out exactly the events of an ordinary read, batch by
// batch, while reading the file through a handful of chunk buffers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCapture } from '../../bench/make-capture.js';
import { Inspector } from '../../inspect/inspector.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { SinspEvents } from '../../inspect/sinsp-events.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { tempDir } from '../helpers/capture-builder.js';
import { capturePath } from '../helpers/fixtures.js';

/** Every event as a line (number, cpu, flags, block offset, bytes), read the moment its batch arrives. */
async function readEvents(path: string, recycleBatches: boolean): Promise<{ events: string[]; batches: number; buffers: number }> {
  const cap = await openCapture(path, { recycleBatches });
  const events: string[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let batches = 0;
  for await (const b of cap) {
    batches++;
    buffers.add(b.buf.buffer);
    for (let i = 0; i < b.count; i++) {
      const at = b.offsets[i]!;
      const len = b.buf.readUInt32LE(at + 16);
      events.push(`${b.nums[i]} ${b.cpus[i]} ${b.flags[i]} ${b.blockOffsets[i]} ${b.buf.subarray(at, at + len).toString('hex')}`);
    }
  }
  return { events, batches, buffers: buffers.size };
}

describe('recycleBatches', () => {
  const tmp = tempDir();
  let big = '';
  beforeAll(() => {
    big = join(tmp.dir, 'big.scap');
    makeCapture(capturePath('curl_google'), big, 100); // ~9.2 MB of old-layout events: 9 chunks or more
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('gives the events of an ordinary read while reusing chunk buffers', async () => {
    const plain = await readEvents(big, false);
    const recycled = await readEvents(big, true);
    expect(plain.batches).toBeGreaterThan(8);
    expect(recycled.events.length).toBe(plain.events.length);
    expect(recycled.events).toEqual(plain.events);
    // A fresh buffer per chunk without recycling; a few, in turn, with it
    // (small batches of blocks joined across two chunks have their own).
    const chunks = Math.ceil(readFileSync(big).length / (1 << 20));
    expect(plain.buffers).toBeGreaterThanOrEqual(chunks);
    expect(recycled.buffers).toBeLessThan(plain.buffers / 2 + 2);
  });

  it('reads compressed input as before (decompressed chunks are not reused)', async () => {
    const gz = tmp.file('big.scap.gz', gzipSync(readFileSync(big)));
    expect((await readEvents(gz, true)).events).toEqual((await readEvents(big, false)).events);
  });

  it('replays state and prints what an ordinary read prints when the Inspector hands batches back', async () => {
    // Old layouts: every batch is rewritten into a converter buffer, which
    // the next batch reuses; a view kept past its event would now read
    // another event's bytes, so render each event when it is visited.
    const render = compileFormat('%evt.num %evt.type %proc.name %proc.cmdline %fd.name %evt.args', FIELDS);
    const lines = async (recycleBatches: boolean): Promise<{ lines: (string | undefined)[]; buffers: number }> => {
      const insp = await Inspector.open(big, { readAhead: false, recycleBatches });
      const out: (string | undefined)[] = [];
      const buffers = new Set<ArrayBufferLike>();
      await insp.run((ev) => { buffers.add(ev.batch.buf.buffer); out.push(render(ev, insp.fieldContext)); });
      return { lines: out, buffers: buffers.size };
    };
    const plain = await lines(false);
    const recycled = await lines(true);
    expect(recycled.lines.length).toBeGreaterThan(90_000);
    expect(recycled.lines).toEqual(plain.lines);
    expect(recycled.buffers).toBeLessThan(plain.buffers / 2);
  });

  it('counts what an ordinary read counts, with the same totals', async () => {
    const a = await SinspEvents.open(big, { readAhead: false });
    const b = await SinspEvents.open(big, { readAhead: false, recycleBatches: true });
    const n = await a.count();
    expect(await b.count()).toBe(n);
    expect(b.totals).toEqual(a.totals);
    expect(n).toBeGreaterThan(90_000);
  });
});
