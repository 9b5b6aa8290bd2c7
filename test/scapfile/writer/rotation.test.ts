import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EVENTS } from '../../../scapfile/schema/events.js';
import { EventFlag } from '../../../scapfile/schema/types.js';
import { EventType } from '../../../scapfile/schema/event-types.js';
import { defaultThreadInfo } from '../../../scapfile/state-blocks/index.js';
import type { CaptureState } from '../../../scapfile/state-blocks/index.js';
import { OutputExistsError, RotatingWriter, rotatedName } from '../../../scapfile/writer/index.js';
import { readCapture, tempDir } from '../../helpers/capture-builder.js';
import { batchOf } from './random-captures.js';
import type { RandomEvent } from './random-captures.js';

const tmp = tempDir('scapkit-rotate-');
afterAll(() => tmp.cleanup());

const SMALL = EVENTS.find((e) => e.params.length > 0 && !(e.flags & EventFlag.LARGE_PAYLOAD))!;

/** Event `n` of the stream: ~1 KiB, its number in the timestamp (one every `stepNs`). */
function event(n: number, stepNs: bigint): RandomEvent {
  const p = Buffer.alloc(990, n & 0xff);
  return { type: SMALL.id, tid: 7, ts: 1_000_000_000n + BigInt(n) * stepNs, cpu: n % 8, flags: 0, params: [p, ...SMALL.params.slice(1).map(() => Buffer.alloc(0))] };
}

/** A state that says which file it was made for (the thread's comm). */
function stateCounter(): { next: () => CaptureState; made: () => number } {
  let n = 0;
  return {
    next: () => ({ machine: undefined, threads: [{ ...defaultThreadInfo(), tid: 7, pid: 7, comm: `file${n++}` }], fds: [], users: [], groups: [], interfaces: [] }),
    made: () => n,
  };
}

describe('RotatingWriter', () => {
  it('names files with the index before the capture extensions', () => {
    expect(rotatedName('/x/trace.scap.gz', 3)).toBe('/x/trace.3.scap.gz');
    expect(rotatedName('/x/trace.scap', 0)).toBe('/x/trace.0.scap');
    expect(rotatedName('/x/trace', 2)).toBe('/x/trace.2');
  });

  it('a 100 MB stream by size (-C 10 MB) in a ring of 4 (-W 4) leaves 4 whole files, each readable alone', async () => {
    const dir = join(tmp.dir, 'ring');
    (await import('node:fs')).mkdirSync(dir);
    const path = join(dir, 'big.scap');
    const states = stateCounter();
    const maxBytes = 10 * 1000 * 1000;
    const rw = await RotatingWriter.open(path, { maxBytes, maxFiles: 4, sync: false }, states.next);
    const total = 100_000; // ~1 KiB each: ~102 MB of blocks
    for (let n = 0; n < total; n += 1000) {
      await rw.writeBatch(batchOf(Array.from({ length: 1000 }, (_, k) => event(n + k, 1000n))));
    }
    const files = await rw.close();
    expect(readdirSync(dir).sort()).toEqual(['big.0.scap', 'big.1.scap', 'big.2.scap', 'big.3.scap']);
    expect(states.made()).toBeGreaterThanOrEqual(10);
    // Oldest first; together they hold the newest events of the stream, in order, without gaps.
    let expectNext = -1;
    let last = -1;
    for (const f of files) {
      expect(statSync(f).size).toBeLessThanOrEqual(maxBytes);
      const back = await readCapture(f);
      expect(back.capture.warnings).toEqual([]);
      expect(back.capture.info.threads[0]!.comm).toMatch(/^file\d+$/);
      const nums = back.events.map((e) => Number((e.ts - 1_000_000_000n) / 1000n));
      if (expectNext >= 0) expect(nums[0]).toBe(expectNext);
      nums.forEach((v, k) => expect(v).toBe(nums[0]! + k));
      expectNext = nums.at(-1)! + 1;
      last = nums.at(-1)!;
    }
    expect(last).toBe(total - 1);
  });

  it('by time (-G 1): one file per second of capture time, gzip', async () => {
    const dir = join(tmp.dir, 'time');
    (await import('node:fs')).mkdirSync(dir);
    const states = stateCounter();
    const rw = await RotatingWriter.open(join(dir, 't.scap.gz'), { maxSeconds: 1, sync: false }, states.next);
    // 50 events, one every 100 ms: 5 seconds.
    await rw.writeBatch(batchOf(Array.from({ length: 50 }, (_, n) => event(n, 100_000_000n))));
    const files = await rw.close();
    expect(files.length).toBe(5);
    for (const [k, f] of files.entries()) {
      const back = await readCapture(f);
      expect(back.capture.info.compression).toBe('gzip');
      expect(back.events.length).toBe(10);
      expect(back.capture.info.threads[0]!.comm).toBe(`file${k}`);
    }
  });

  // libsinsp reads an exit with the enter event before it on its thread (the
  // enter holds what the exit lacks), and a state block cannot carry a
  // pending enter: such an exit stays in its enter's file, whatever the limits.
  it('keeps an exit event in the file of its enter event when it comes right after it on its thread', async () => {
    const dir = join(tmp.dir, 'pairs');
    (await import('node:fs')).mkdirSync(dir);
    const OPEN_E = EventType.SYSCALL_OPEN_E;
    const OPEN_X = OPEN_E + 1;
    const CLOSE_X = EventType.SYSCALL_CLOSE_X;
    // [type, tid], one a second, and -G 1: every event would start a file.
    const stream: [number, number][] = [
      [OPEN_E, 7], [OPEN_X, 7], // a pair: one file
      [OPEN_E, 7], [CLOSE_X, 8], [OPEN_X, 7], // another thread's event between: still a pair
      [OPEN_E, 7], [CLOSE_X, 7], [OPEN_X, 7], // another event of its thread between: not a pair
      [OPEN_E, 9], [OPEN_E, 9], [OPEN_X, 9], // the exit pairs with the later enter only
      [CLOSE_X, 9], [OPEN_X, 9], // an exit after an exit: not a pair
    ];
    const events: RandomEvent[] = stream.map(([type, tid], n) => ({
      type, tid, ts: 1_000_000_000n + BigInt(n) * 1_000_000_000n, cpu: 0, flags: 0,
      params: EVENTS[type]!.params.map(() => Buffer.alloc(0)),
    }));
    const rw = await RotatingWriter.open(join(dir, 'p.scap'), { maxSeconds: 1, sync: false }, stateCounter().next);
    await rw.writeBatch(batchOf(events));
    const files = await rw.close();
    const perFile: number[][] = [];
    for (const f of files) perFile.push((await readCapture(f)).events.map((e) => Number((e.ts - 1_000_000_000n) / 1_000_000_000n)));
    expect(perFile).toEqual([[0, 1], [2], [3, 4], [5], [6], [7], [8], [9, 10], [11], [12]]);
  });

  // libsinsp's cycle dumper counts the state in -C too, so once the state
  // alone passes the limit it starts a new file, all state, at every event
  // (a host with thousands of processes under -C 1). A file here always gets
  // at least half the limit in events.
  it('-C smaller than the state: each file still holds half the limit in events, not one event', async () => {
    const dir = join(tmp.dir, 'bigstate');
    (await import('node:fs')).mkdirSync(dir);
    let made = 0;
    const bigState = (): CaptureState => {
      made++;
      const threads = Array.from({ length: 200 }, (_, k) => ({ ...defaultThreadInfo(), tid: 100 + k, pid: 100 + k, comm: `t${k}`, exe: '/usr/bin/'.padEnd(200, 'x'), args: ['a'.repeat(100)] }));
      return { machine: undefined, threads, fds: [], users: [], groups: [], interfaces: [] };
    };
    const maxBytes = 20_000; // the state takes ~70 KB
    const rw = await RotatingWriter.open(join(dir, 's.scap'), { maxBytes, sync: false }, bigState);
    await rw.writeBatch(batchOf(Array.from({ length: 100 }, (_, n) => event(n, 1000n)))); // ~1 KiB blocks
    const files = await rw.close();
    const counts: number[] = [];
    let next = 0;
    for (const f of files) {
      expect(statSync(f).size).toBeGreaterThan(3 * maxBytes);
      const back = await readCapture(f);
      expect(back.capture.info.threads.length).toBe(200);
      for (const e of back.events) expect(Number((e.ts - 1_000_000_000n) / 1000n)).toBe(next++);
      counts.push(back.events.length);
    }
    expect(next).toBe(100);
    expect(made).toBe(files.length);
    // 9 blocks of ~1 KiB reach half the limit: 11 files of 9, then 1.
    expect(counts).toEqual([...Array(11).fill(9), 1]);
  });

  it('refuses to replace an existing first file unless forced', async () => {
    const dir = join(tmp.dir, 'exists');
    (await import('node:fs')).mkdirSync(dir);
    tmp.file('exists/a.0.scap', Buffer.from('x'));
    await expect(RotatingWriter.open(join(dir, 'a.scap'), { maxBytes: 1000 }, stateCounter().next)).rejects.toBeInstanceOf(OutputExistsError);
    // Any file of an earlier rotation, not only the first: b.3.scap was overwritten.
    tmp.file('exists/b.3.scap', Buffer.from('x'));
    tmp.file('exists/b.x.scap', Buffer.from('x'));
    await expect(RotatingWriter.open(join(dir, 'b.scap'), { maxBytes: 1000 }, stateCounter().next))
      .rejects.toThrow(new OutputExistsError(join(dir, 'b.3.scap')).message);
    const rw = await RotatingWriter.open(join(dir, 'c.scap'), { maxBytes: 1000, sync: false }, stateCounter().next);
    await rw.close();
  });

  it('files share their chunk buffers: a rotation allocates none', async () => {
    // Each file's close took a fresh buffer for chunks that would never come,
    // so each file after the first allocated one (a megabyte by default).
    const dir = join(tmp.dir, 'pool');
    (await import('node:fs')).mkdirSync(dir);
    const chunkBytes = 64 * 1024 + 7; // a size no other allocation has
    const alloc = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const rw = await RotatingWriter.open(join(dir, 'p.scap'), { maxBytes: 20_000, chunkBytes, sync: false }, stateCounter().next);
      for (let n = 0; n < 1000; n += 100) await rw.writeBatch(batchOf(Array.from({ length: 100 }, (_, k) => event(n + k, 1000n))));
      const files = await rw.close();
      expect(files.length).toBeGreaterThan(40);
      expect(alloc.mock.calls.filter(([size]) => size === chunkBytes).length).toBeLessThanOrEqual(3);
    } finally {
      alloc.mockRestore();
    }
  });
});
