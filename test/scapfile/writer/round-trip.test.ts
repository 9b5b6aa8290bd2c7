import { statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCompression } from '../../../scapfile/byte-source.js';
import { CaptureWriter, copyCapture, OutputExistsError } from '../../../scapfile/writer/index.js';
import type { ReadEvent } from '../../helpers/capture-builder.js';
import { readCapture, tempDir } from '../../helpers/capture-builder.js';
import { capturePath, FIXTURES } from '../../helpers/fixtures.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { openCapture } from '../../../scapfile/open-capture.js';

const tmp = tempDir('scapkit-writer-');
afterAll(() => tmp.cleanup());

/** What must survive a rewrite: everything but where the blocks were. */
const comparable = (events: ReadEvent[]): Omit<ReadEvent, 'blockOffset'>[] =>
  events.map(({ blockOffset: _b, ...rest }) => rest);

const stateOf = (info: Awaited<ReturnType<typeof readCapture>>['capture']['info']) => ({
  machine: info.machine, threads: info.threads, fds: info.fds, users: info.users,
  groups: info.groups, interfaces: info.interfaces,
});

describe('CaptureWriter round trip on the fixtures', () => {
  for (const name of FIXTURES) {
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      it(`${name}: read → write (${compression}) → read gives the same events and state`, async () => {
        const original = await readCapture(capturePath(name));
        const out = join(tmp.dir, `${name}.${compression}.scap`);
        const summary = await copyCapture(capturePath(name), out, { compression });
        expect(summary.events).toBe(original.events.length);
        expect(detectCompression(readFileSync(out).subarray(0, 4))).toBe(compression);
        const back = await readCapture(out);
        expect(back.capture.warnings).toEqual([]);
        expect(back.events.length).toBe(original.events.length);
        expect(comparable(back.events)).toEqual(comparable(original.events));
        expect(stateOf(back.capture.info)).toEqual(stateOf(original.capture.info));
        expect(back.capture.info.header.minorVersion).toBe(2);
      });
    }
  }

  it('rewriting its own output gives the same bytes (the layout is canonical)', async () => {
    const a = join(tmp.dir, 'canon-a.scap');
    const b = join(tmp.dir, 'canon-b.scap');
    await copyCapture(capturePath('curl_google'), a);
    await copyCapture(a, b);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });
});

describe('CaptureWriter output files', () => {
  it('creates files with mode 0600', async () => {
    const out = join(tmp.dir, 'mode.scap');
    await copyCapture(capturePath('single_ipv6_conn'), out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing file unless forced', async () => {
    const out = tmp.file('exists.scap', Buffer.from('keep me'));
    await expect(CaptureWriter.open(out)).rejects.toBeInstanceOf(OutputExistsError);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const w = await CaptureWriter.open(out, { force: true });
    await w.close();
    expect(readFileSync(out).readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('tells the compression from the extension', async () => {
    for (const [ext, c] of [['.scap.gz', 'gzip'], ['.scap.zst', 'zstd'], ['.scap', 'none']] as const) {
      const out = join(tmp.dir, `ext${ext}`);
      await copyCapture(capturePath('single_ipv6_conn'), out);
      expect(detectCompression(readFileSync(out).subarray(0, 4))).toBe(c);
    }
  });

  it('keeps memory bounded with small chunks and many chunks in flight (order preserved)', async () => {
    const original = await readCapture(capturePath('curl_google'));
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      const out = join(tmp.dir, `small-chunks.${compression}.scap`);
      await copyCapture(capturePath('curl_google'), out, { compression, chunkBytes: 4096, maxInFlight: 3 });
      const back = await readCapture(out);
      expect(comparable(back.events)).toEqual(comparable(original.events));
    }
  });
});

describe('chunk memory', () => {
  // The writer reuses a chunk's buffer once its sink is done with it: a
  // file once written, never a stream, which may still hold the chunk in
  // its queue. A stream that keeps every chunk it is given (as a slow pipe
  // does) must end up with the bytes of the file.
  for (const compression of ['none', 'gzip', 'zstd'] as const) {
    it(`a stream that holds its chunks gets the file's bytes (${compression}, many small chunks)`, async () => {
      const file = join(tmp.dir, `chunks.${compression}.scap`);
      await copyCapture(capturePath('scapkit_sysmix'), file, { compression, chunkBytes: 4096 });
      const held: Buffer[] = [];
      const stream = new Writable({
        highWaterMark: 1,
        write(chunk: Buffer, _enc, done) { held.push(chunk); setImmediate(done); },
      });
      const summary = await copyCapture(capturePath('scapkit_sysmix'), stream, { compression, chunkBytes: 4096 });
      expect(summary.events).toBeGreaterThan(2000);
      expect(held.length).toBeGreaterThan(20);
      expect(Buffer.concat(held).equals(readFileSync(file))).toBe(true);
    });
  }
});

describe('event blocks copied whole', () => {
  // writeBatch copies runs of blocks as they were read when their bytes are
  // what the writer would write; a block framed otherwise (here: non-zero
  // padding, which the reader ignores) must come out as writeEvent writes it.
  it('give the bytes of writing each event alone, damaged padding normalised', async () => {
    const bytes = gunzipSync(readFileSync(capturePath('scapkit_sysmix')));
    // Dirty the padding of every third event block that has any.
    let at = 0;
    let dirtied = 0;
    let n = 0;
    while (at < bytes.length) {
      const type = bytes.readUInt32LE(at);
      const total = bytes.readUInt32LE(at + 4);
      if ((type === 0x216 || type === 0x217) && n++ % 3 === 0) {
        const evAt = at + (type === 0x217 ? 14 : 10);
        const padFrom = evAt + bytes.readUInt32LE(evAt + 16);
        if (padFrom < at + total - 4) { bytes.fill(0xa5, padFrom, at + total - 4); dirtied++; }
      }
      at += total;
    }
    expect(dirtied).toBeGreaterThan(100);
    const input = join(tmp.dir, 'dirty-padding.scap');
    writeFileSync(input, bytes);

    const viaBatches = join(tmp.dir, 'via-batches.scap');
    await copyCapture(input, viaBatches);
    // The same events written one by one (no run copies).
    const viaEvents = join(tmp.dir, 'via-events.scap');
    const cap = await openCapture(input);
    const w = await CaptureWriter.open(viaEvents);
    await w.writeState(cap.info);
    for await (const b of cap) {
      for (let i = 0; i < b.count; i++) {
        const p = w.writeEvent(b.buf, b.offsets[i]!, b.cpus[i]!, b.flags[i]!);
        if (p !== undefined) await p;
      }
    }
    await w.close();
    const out = readFileSync(viaBatches);
    expect(out.equals(readFileSync(viaEvents))).toBe(true);
    expect(out.includes(Buffer.from([0xa5, 0xa5]))).toBe(false);
    // Clean blocks are copied as they are: the original's event blocks come out unchanged.
    const clean = gunzipSync(readFileSync(capturePath('scapkit_sysmix')));
    const cleanOut = join(tmp.dir, 'clean.scap');
    await copyCapture(capturePath('scapkit_sysmix'), cleanOut);
    const eventsOf = (b: Buffer): Buffer[] => {
      const parts: Buffer[] = [];
      for (let p = 0; p < b.length; p += b.readUInt32LE(p + 4)) {
        if (b.readUInt32LE(p) === 0x216 || b.readUInt32LE(p) === 0x217) parts.push(b.subarray(p, p + b.readUInt32LE(p + 4)));
      }
      return parts;
    };
    expect(Buffer.concat(eventsOf(readFileSync(cleanOut))).equals(Buffer.concat(eventsOf(clean)))).toBe(true);
  });
});
