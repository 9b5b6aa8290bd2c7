// LineOutput: lines reach the stream whole, in order, as the latin1 bytes
// their characters stand for, however they fall across its buffer.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineOutput } from '../../cli/output.js';

async function written(lines: string[], flushChars: number): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const out = new LineOutput(stream as unknown as NodeJS.WriteStream, flushChars);
  for (const l of lines) out.line(l);
  await out.flush();
  return Buffer.concat(chunks);
}

describe('LineOutput', () => {
  it('writes every line, longer ones than its buffer too, byte for byte', async () => {
    const bytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const lines = [
      'short', '', bytes, 'x'.repeat(100), 'y'.repeat(33), 'z'.repeat(32), 'w'.repeat(31),
      ...Array.from({ length: 500 }, (_, i) => `${i} ${'a'.repeat(i % 70)}`),
    ];
    const want = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1');
    for (const flushChars of [32, 64, 1000, 1 << 16]) {
      expect(await written(lines, flushChars)).toEqual(want);
    }
  });

  it('keeps bytes already handed to the stream when it refills its buffer', async () => {
    // The stream holds written chunks without copying them: a reused buffer would change them.
    const stream = new PassThrough({ highWaterMark: 1 });
    const out = new LineOutput(stream as unknown as NodeJS.WriteStream, 16);
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    for (const l of lines) out.line(l);
    const flushed = out.flush();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await flushed;
    expect(Buffer.concat(chunks).toString('latin1')).toBe(lines.map((l) => `${l}\n`).join(''));
  });

  it('a flush waiting for a drain ends when the pipe closes, and a write error is thrown, not raised', async () => {
    // After EPIPE no drain comes: `scap live --stats | head` waited for ever, driver loaded.
    for (const code of ['EPIPE', 'ENOSPC']) {
      const stream = new PassThrough({ highWaterMark: 1 });
      const out = new LineOutput(stream as unknown as NodeJS.WriteStream, 16);
      for (let i = 0; i < 10; i++) out.line(`line ${i}`);
      const flushed = out.flush().then(() => 'done', (e: Error) => e.message);
      setTimeout(() => stream.emit('error', Object.assign(new Error(`write ${code}`), { code })), 20);
      expect(await flushed).toBe(code === 'EPIPE' ? 'done' : `cannot write the output: write ${code}`);
      expect(out.isClosed).toBe(code === 'EPIPE');
    }
  });
});
