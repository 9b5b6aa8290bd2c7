// A capture read by a worker thread gives what openCapture gives: the same
// batches, warnings, stats and errors. The worker only exists compiled, so
// these tests use the build in dist/ (the CLI tests do too).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCapture } from '../../bench/make-capture.js';
import { EventType } from '../../scapfile/schema/index.js';
import { tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { FIXTURES, ROOT, capturePath } from '../helpers/fixtures.js';
import { pcapngCapture } from '../helpers/pcapng.js';

interface ReadAheadModule {
  openCaptureReadAhead(path: string, options?: { recover?: boolean; recycleBatches?: boolean }): Promise<CaptureLike>;
  readAheadAvailable(): boolean;
  readAheadPays(path: string): boolean;
}
interface OpenCaptureModule { openCapture(path: string, options?: { recover?: boolean; recycleBatches?: boolean }): Promise<CaptureLike> }
interface BatchLike {
  buf: Buffer; count: number; offsets: Int32Array; cpus: Uint16Array; flags: Uint32Array; nums: Float64Array; blockOffsets: Float64Array;
}
interface CaptureLike extends AsyncIterable<BatchLike> {
  info: { threads: readonly unknown[]; machine: unknown };
  stats: { blockCounts: Map<number, number>; eventBlocks: number; bytesRead: number; skippedRegions: number; skippedBytes: number };
  warnings: readonly { offset: number; message: string }[];
  close(): Promise<void>;
}

const DIST = join(ROOT, 'dist', 'scapfile');
const readAhead = await import(join(DIST, 'read-ahead.js')) as ReadAheadModule;
const { openCapture } = await import(join(DIST, 'open-capture.js')) as OpenCaptureModule;
const { PacketCaptureError } = await import(join(DIST, 'errors.js')) as { PacketCaptureError: new (offset: number) => Error };

/** Everything a reader hands out, event by event, and how it ended. */
interface Reading {
  events: string[];
  batches: number;
  warnings: string[];
  stats: unknown;
  error?: { name: string; message: string; offset?: number; blockType?: number };
}

async function readAll(cap: CaptureLike): Promise<Reading> {
  const out: Reading = { events: [], batches: 0, warnings: [], stats: undefined };
  try {
    for await (const b of cap) {
      out.batches++;
      for (let i = 0; i < b.count; i++) {
        const at = b.offsets[i]!;
        const len = b.buf.readUInt32LE(at + 16);
        out.events.push(`${b.nums[i]} ${b.cpus[i]} ${b.flags[i]} ${b.blockOffsets[i]} ${b.buf.subarray(at, at + len).toString('hex')}`);
      }
    }
  } catch (err) {
    const e = err as Error & { offset?: number; blockType?: number };
    out.error = { name: e.name, message: e.message, offset: e.offset, blockType: e.blockType };
  }
  out.warnings = cap.warnings.map((w) => `${w.offset} ${w.message}`);
  out.stats = { ...cap.stats, blockCounts: [...cap.stats.blockCounts] };
  return out;
}

async function both(path: string, options: { recover?: boolean; recycleBatches?: boolean } = {}): Promise<[Reading, Reading]> {
  const a = await readAll(await openCapture(path, options));
  const worker = await readAhead.openCaptureReadAhead(path, options);
  const b = await readAll(worker);
  return [a, b];
}

const tmp = tempDir('scapkit-read-ahead-');
afterAll(() => tmp.cleanup());

describe('openCaptureReadAhead', () => {
  it('is available in the build', () => {
    expect(readAhead.readAheadAvailable()).toBe(true);
  });

  for (const name of FIXTURES) {
    it(`${name}: the same batches, stats and initial state as openCapture (gzip and plain)`, async () => {
      const [a, b] = await both(capturePath(name));
      expect(a.events.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      const plain = tmp.file(`${name}.scap`, gunzipSync(readFileSync(capturePath(name))));
      const [c, d] = await both(plain);
      expect(d).toEqual(c);
      expect(d.events).toEqual(a.events);
      const infoA = (await openCapture(plain)).info;
      const infoB = (await readAhead.openCaptureReadAhead(plain)).info;
      expect(infoB.threads).toEqual(infoA.threads);
      expect(infoB.machine).toEqual(infoA.machine);
    });
  }

  describe('damaged input', () => {
    const bytes = gunzipSync(readFileSync(capturePath('curl_google')));

    it('a truncated file: the same events and the same warning with its offset', async () => {
      const path = tmp.file('truncated.scap', bytes.subarray(0, bytes.length - 1000));
      const [a, b] = await both(path);
      expect(a.warnings).toHaveLength(1);
      expect(b).toEqual(a);
    });

    it('a corrupt block: the same events before it, then the same ScapFormatError', async () => {
      // The length of the first block past 60% of the file is shorter than a block.
      const b2 = Buffer.from(bytes);
      let at = 0;
      while (at < b2.length * 0.6) at += b2.readUInt32LE(at + 4);
      b2.writeUInt32LE(5, at + 4);
      const path = tmp.file('corrupt.scap', b2);
      const [a, b] = await both(path);
      expect(a.error?.name).toBe('ScapFormatError');
      expect(a.error?.offset).toBeGreaterThan(0);
      expect(b).toEqual(a);
      // ... and with recover, the same events after it and the same warnings.
      const [c, d] = await both(path, { recover: true });
      expect(c.error).toBeUndefined();
      expect(c.events.length).toBeGreaterThan(a.events.length);
      expect(d).toEqual(c);
    });

    it('a pcapng packet capture: the same PacketCaptureError, rebuilt from the worker', async () => {
      const { bytes: pcapng, firstPacketAt } = pcapngCapture(100_000); // 9.2 MB: worth a worker
      const path = tmp.file('dump.pcapng', pcapng);
      expect(readAhead.readAheadPays(path)).toBe(true);
      // Both fail to open: the state blocks are read before the first batch.
      const fromMain = await openCapture(path).catch((e: unknown) => e);
      const fromWorker = await readAhead.openCaptureReadAhead(path).catch((e: unknown) => e);
      expect(fromMain).toBeInstanceOf(PacketCaptureError);
      expect(fromWorker).toBeInstanceOf(PacketCaptureError);
      expect(fromMain).toMatchObject({ offset: firstPacketAt, blockType: 6, blockOffset: firstPacketAt });
      expect(fromWorker).toEqual(fromMain);
      expect((fromWorker as Error).message).toBe((fromMain as Error).message);
    });
  });

  describe('a capture of many batches', () => {
    let big = '';
    beforeAll(() => {
      big = join(tmp.dir, 'big.scap');
      makeCapture(capturePath('curl_google'), big, 100); // ~9.2 MB: worth reading ahead, 9 batches or more
    }, 60_000);

    it('gives every batch in order and is worth a worker', async () => {
      expect(readAhead.readAheadPays(big)).toBe(true);
      const [a, b] = await both(big);
      expect(a.batches).toBeGreaterThan(8); // more than the worker may run ahead
      expect(b).toEqual(a);
    });

    it('loses no batch when its caller is busy while the head is read', async () => {
      // The worker posts its first batches meanwhile: they were dropped (no
      // listener yet), and both threads then waited for each other for ever
      // (a full CI run timed out on it once, the main thread being busy).
      const a = await readAll(await openCapture(big));
      const opening = readAhead.openCaptureReadAhead(big);
      const until = Date.now() + 1000;
      while (Date.now() < until) { /* busy, as a loaded main thread is */ }
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the read-ahead reader hung')), 20_000); });
      const b = await Promise.race([opening.then(readAll), hung]).finally(() => clearTimeout(timer));
      expect(b.batches).toBeGreaterThan(8);
      expect(b).toEqual(a);
    }, 40_000);

    it('stops its worker on break, and one never iterated does not keep the process alive', () => {
      const script = `
        const { openCaptureReadAhead } = await import(${JSON.stringify(join(DIST, 'read-ahead.js'))});
        const a = await openCaptureReadAhead(${JSON.stringify(big)});
        let n = 0;
        for await (const b of a) { n += b.count; break; }
        const b = await openCaptureReadAhead(${JSON.stringify(big)});
        console.log(n > 0 ? 'ok' : 'none');
      `;
      const file = tmp.file('abandon.mjs', Buffer.from(script));
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('ok');
      expect(r.status).toBe(0);
    });

    it('a worker started early is the one that reads, and one never used does not keep the process alive', () => {
      // Threads are counted through the worker ids Node hands out in order:
      // the early one is 1; a capture that took it leaves the next id free.
      const script = `
        const { Worker } = await import('node:worker_threads');
        const readAhead = await import(${JSON.stringify(join(DIST, 'read-ahead.js'))});
        const { openCapture } = await import(${JSON.stringify(join(DIST, 'open-capture.js'))});
        readAhead.startReadAheadEarly();
        readAhead.startReadAheadEarly(); // a second call starts nothing
        await new Promise((r) => setTimeout(r, 300)); // it has loaded and waits
        let early = 0;
        for await (const b of await readAhead.openCaptureReadAhead(${JSON.stringify(big)})) early += b.count;
        let plain = 0;
        for await (const b of await openCapture(${JSON.stringify(big)})) plain += b.count;
        const probe = new Worker('', { eval: true });
        console.log(early === plain && plain > 0 ? 'same' : early + ' vs ' + plain, probe.threadId);
        await probe.terminate();
        readAhead.startReadAheadEarly(); // after a capture was opened: nothing
      `;
      const file = tmp.file('early.mjs', Buffer.from(script));
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('same 2');
      expect(r.status).toBe(0);
      // Started and never taken: the program still ends.
      const unused = tmp.file('early-unused.mjs', Buffer.from(`
        const readAhead = await import(${JSON.stringify(join(DIST, 'read-ahead.js'))});
        readAhead.startReadAheadEarly();
        console.log('done');
      `));
      const u = spawnSync(process.execPath, [unused], { encoding: 'utf8', timeout: 20_000 });
      expect([u.status, u.stdout.trim(), u.stderr]).toEqual([0, 'done', '']);
    });

    it('the Inspector gives the same events, fields, totals and warnings with each read-ahead stage', async () => {
      interface InspectorLike {
        run(visit: (ev: unknown) => void): Promise<void>;
        count(): Promise<number>;
        fieldContext: unknown;
        totals: unknown;
        warnings: readonly unknown[];
        capture: { conversion?: unknown };
      }
      const inspect = await import(join(ROOT, 'dist', 'inspect', 'index.js')) as {
        Inspector: { open(path: string, options: object): Promise<InspectorLike> };
        compileFormat(format: string, fields: unknown): (ev: unknown, ctx: unknown) => string;
        FIELDS: unknown;
      };
      const format = inspect.compileFormat('*%evt.num %evt.rawtime %evt.cpu %proc.name %thread.tid %evt.type %evt.args %fd.name', inspect.FIELDS);
      // A damaged block in the middle, read with recover: warnings from the reader too.
      const bytes = readFileSync(big);
      let at = 0;
      while (at < bytes.length / 2) at += bytes.readUInt32LE(at + 4);
      bytes.writeUInt32LE(7, at + 4);
      const damaged = tmp.file('big-damaged.scap', bytes);
      for (const path of [big, damaged]) {
        const results = [];
        for (const readAhead of [false, 'read', 'convert'] as const) {
          const insp = await inspect.Inspector.open(path, { readAhead, recover: true });
          expect(insp.capture.conversion !== undefined).toBe(readAhead === 'convert');
          const lines: string[] = [];
          await insp.run((ev) => { lines.push(format(ev, insp.fieldContext)); });
          // Printing with recycleBatches: read ahead, each batch's memory goes
          // back to the worker, which copies later batches into it.
          const recycling = await inspect.Inspector.open(path, { readAhead, recover: true, recycleBatches: true });
          const again: string[] = [];
          await recycling.run((ev) => { again.push(format(ev, recycling.fieldContext)); });
          expect(again).toEqual(lines);
          expect(recycling.totals).toEqual(insp.totals);
          // Counting with recycleBatches, in every mode.
          const counter = await inspect.Inspector.open(path, { readAhead, recover: true, recycleBatches: true });
          const count = await counter.count();
          expect(counter.totals).toEqual(insp.totals);
          expect(counter.warnings).toEqual(insp.warnings);
          results.push({ lines, totals: insp.totals, warnings: insp.warnings, count });
        }
        expect(results[0]!.lines.length).toBeGreaterThan(50_000);
        expect(results[0]!.warnings.length > 0).toBe(path === damaged);
        expect(results[0]!.count).toBe(results[0]!.lines.length);
        expect(results[1]).toEqual(results[0]);
        expect(results[2]).toEqual(results[0]);
      }
    }, 120_000);

    it('an event libscap cannot convert: every event before it, in every mode, then its error with the offset', async () => {
      // A socket enter event with 2 parameters (libscap has no conversion for
      // it), then one more good block: what comes before must not be lost.
      const good = readFileSync(big);
      const ev = Buffer.alloc(26 + 2 * 2 + 2 * 8);
      ev.writeBigUInt64LE(1534527343000000000n, 0);
      ev.writeBigInt64LE(100n, 8);
      ev.writeUInt32LE(ev.length, 16);
      ev.writeUInt16LE(EventType.SOCKET_SOCKET_E, 20);
      ev.writeUInt32LE(2, 22);
      ev.writeUInt16LE(8, 26);
      ev.writeUInt16LE(8, 28);
      const body = Buffer.concat([Buffer.alloc(2), ev]);
      const total = 8 + body.length + ((4 - (body.length % 4)) % 4) + 4;
      const block = Buffer.alloc(total);
      block.writeUInt32LE(0x216, 0);
      block.writeUInt32LE(total, 4);
      body.copy(block, 8);
      block.writeUInt32LE(total, total - 4);
      let lastBlock = good.length - 4;
      lastBlock -= good.readUInt32LE(lastBlock) - 4;
      const path = tmp.file('big-convfail.scap', Buffer.concat([good, block, good.subarray(lastBlock)]));
      const expected = scap(['read', '--count', big]).stdout;
      const inspect = await import(join(ROOT, 'dist', 'inspect', 'index.js')) as {
        Inspector: { open(path: string, options: object): Promise<{ run(visit: () => void): Promise<void> }> };
      };
      for (const readAhead of [false, 'read', 'convert'] as const) {
        const insp = await inspect.Inspector.open(path, { readAhead });
        let n = 0;
        const err = await insp.run(() => { n++; }).then(() => undefined, (e: unknown) => e as Error & { offset?: number });
        expect([readAhead, n]).toEqual([readAhead, Number(/(\d+)/.exec(expected)![1])]);
        expect(err?.message).toMatch(new RegExp(`fails libscap's upgrade of old layouts .*, at offset ${good.length}$`));
        expect(err?.offset).toBe(good.length);
      }
    }, 60_000);

    it('small files and non-files are read in one thread', () => {
      expect(readAhead.readAheadPays(capturePath('curl_google'))).toBe(false);
      expect(readAhead.readAheadPays('/dev/stdin')).toBe(false);
      expect(readAhead.readAheadPays(join(tmp.dir, 'missing.scap'))).toBe(false);
    });
  });
});
