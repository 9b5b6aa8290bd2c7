// Writing to a full disk: a 1 MiB tmpfs (mounted only when we are allowed to,
// i.e. as root; skipped with a message otherwise). The write must fail with a
// clear message, and the file left behind must read as whole blocks.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureWriteError, CaptureWriter, RotatingWriter } from '../../../scapfile/writer/index.js';
import { EVENTS } from '../../../scapfile/schema/events.js';
import { EventFlag } from '../../../scapfile/schema/types.js';
import { readCapture } from '../../helpers/capture-builder.js';
import { batchOf } from './random-captures.js';
import type { RandomEvent } from './random-captures.js';

function mountTinyTmpfs(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmdirSync(dir);
    console.warn('full-disk.test: cannot mount a tmpfs here (needs root); skipping the full-disk tests');
    return undefined;
  }
}

const mountDir = mountTinyTmpfs();
afterAll(() => {
  if (!mountDir) return;
  execFileSync('umount', [mountDir]);
  rmdirSync(mountDir);
});

const LARGE = EVENTS.find((e) => e.flags & EventFlag.LARGE_PAYLOAD)!;

/** Incompressible events of about 20 KiB each, so gzip fills the disk as fast as plain output. */
function noisyEvents(n: number, from: number): RandomEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: LARGE.id, tid: 42, ts: BigInt(from + i), cpu: 1, flags: 0,
    params: LARGE.params.map((_p, k) => (k === 0 ? randomBytes(20_000) : Buffer.alloc(0))),
  }));
}

/**
 * Writes 2,000 noisy events (~40 MB) in batches of ten, then closes: what
 * was thrown (the writer then aborted) and how many events were handed over.
 */
async function writeUntilFull(w: Pick<CaptureWriter, 'writeBatch' | 'abort'> & { close(): Promise<unknown> }): Promise<{ error: unknown; written: number }> {
  let written = 0;
  try {
    for (let i = 0; i < 200; i++) {
      await w.writeBatch(batchOf(noisyEvents(10, written), written + 1));
      written += 10;
    }
    await w.close();
    return { error: undefined, written };
  } catch (err) {
    await w.abort();
    return { error: err, written };
  }
}

describe.skipIf(!mountDir)('CaptureWriter on a full disk (1 MiB tmpfs)', () => {
  for (const compression of ['none', 'gzip', 'zstd'] as const) {
    it(`fails with a clear message and leaves a readable file of whole blocks (${compression})`, async () => {
      const out = join(mountDir!, `full.${compression}.scap`);
      const w = await CaptureWriter.open(out, { compression, chunkBytes: 64 * 1024 });
      const { error, written } = await writeUntilFull(w);
      expect(error).toBeInstanceOf(CaptureWriteError);
      const e = error as CaptureWriteError;
      expect(e.message).toMatch(/^cannot write .*: no space left on device \(ENOSPC\); the file keeps the \d+ bytes of complete blocks/);
      expect(statSync(out).size).toBe(e.keptBytes);
      const back = await readCapture(out);
      expect(back.capture.warnings).toEqual([]);
      expect(back.events.length).toBeGreaterThan(0);
      expect(back.events.length).toBeLessThan(written);
      back.events.forEach((ev, i) => expect(ev.ts).toBe(BigInt(i)));
      unlinkSync(out); // room for the next case
    });
  }
});

describe.skipIf(!mountDir)('RotatingWriter on a full disk (1 MiB tmpfs)', () => {
  // Rotated files are finished (last chunk, fsync, close, rename) in the
  // background while the next one fills: a failure there still stops the
  // writer, and what is left is whole files and nothing half-written.
  // With chunks smaller and larger than a 150 KB file (the whole file is
  // then written by its finish).
  for (const chunkBytes of [64 * 1024, 1 << 20]) {
    it(`stops with the disk-full error; the files left read whole and in order, no partial file stays (${chunkBytes / 1024} KiB chunks)`, async () => {
      const base = join(mountDir!, 'rot.scap');
      const empty = { machine: undefined, threads: [], fds: [], users: [], groups: [], interfaces: [] };
      const rw = await RotatingWriter.open(base, { maxBytes: 150_000, chunkBytes }, () => empty);
      const { error, written } = await writeUntilFull(rw);
      expect(error).toBeInstanceOf(CaptureWriteError);
      // Named by its final name, and said to be gone (it named the temporary file and called it readable).
      expect((error as Error).message).toMatch(/^cannot write \S*rot\.\d+\.scap: no space left on device \(ENOSPC\); that file was removed; the \d+ files finished before it are complete$/);
      const left = readdirSync(mountDir!).filter((f) => f.startsWith('rot.'));
      expect(left.filter((f) => !/^rot\.\d+\.scap$/.test(f))).toEqual([]);
      expect(left.length).toBeGreaterThan(1);
      let next = 0;
      for (const f of left.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))) {
        const back = await readCapture(join(mountDir!, f));
        expect(back.capture.warnings, f).toEqual([]);
        for (const ev of back.events) expect(ev.ts, f).toBe(BigInt(next++));
        unlinkSync(join(mountDir!, f));
      }
      expect(next).toBeLessThan(written);
    });
  }
});
