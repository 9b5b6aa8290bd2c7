import { statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCompression } from '../../../scapfile/byte-source.js';
import { CaptureWriter, copyCapture, OutputExistsError } from '../../../scapfile/writer/index.js';
import type { ReadEvent } from '../../helpers/capture-builder.js';
import { readCapture, tempDir } from '../../helpers/capture-builder.js';
import { capturePath, FIXTURES } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';

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
