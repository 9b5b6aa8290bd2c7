// live() above the addon, with a fake binding (fake-binding.ts): batches,
// the slot lending contract, and how break, close and signals stop the ring.
// The real driver is exercised by live-bpf.test.ts.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { live, LiveOptionError, LiveStartError } from '../../live/index.js';
import type { LiveBinding } from '../../live/index.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/index.js';
import { i64, str } from '../helpers/event-builder.js';
import type { EventSpec } from '../helpers/capture-builder.js';
import { fakeBinding } from './fake-binding.js';

const openEv = (tid: number, fd: number, name: string): EventSpec => ({
  type: EventType.SYSCALL_OPEN_X, tid, ts: BigInt(tid) * 1000n,
  params: [i64(fd), str(name), Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(8)],
});

/** `n` chunks of 3 events; tids number the events from 1. */
function chunks(n: number): EventSpec[][] {
  return Array.from({ length: n }, (_, c) => [1, 2, 3].map((k) => openEv(c * 3 + k, k, `/f${c * 3 + k}`)));
}

describe('live() over a fake binding', () => {
  it('yields every event of every chunk as EventBatches, in order, and counts them', async () => {
    const { binding, rings } = fakeBinding(chunks(5));
    const src = live({ binding, pid: 42, snaplen: 200, stopOnSignals: false });
    const info = await src.open();
    expect(info.inputName).toBe('live');
    expect(rings[0]!.options).toEqual({ snaplen: 200, pid: 42, ringBytes: 8 << 20 });
    const tids: number[] = [];
    const cur = new EventCursor();
    for await (const batch of src) {
      for (let i = 0; i < batch.count; i++) tids.push(cur.moveTo(batch, i).tid);
    }
    expect(tids).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(src.stats()).toMatchObject({ events: 15, drops: 7 });
    expect(rings[0]!.stops).toEqual([false]);
  });

  it('lends each slot until two more batches were read, then gives it back', async () => {
    const { binding, rings } = fakeBinding(chunks(6));
    const src = live({ binding, slots: 3, stopOnSignals: false });
    const seen: number[][] = [];
    for await (const batch of src) {
      const ring = rings[0]!;
      // The slot of this batch and of the one before are held, no more.
      expect(ring.held.length).toBeLessThanOrEqual(2);
      expect(ring.held).toContain(ring.handedOut[ring.handedOut.length - 1]);
      if (ring.handedOut.length > 1) expect(ring.held).toContain(ring.handedOut[ring.handedOut.length - 2]);
      seen.push([batch.count, batch.buf.readUInt32LE(batch.offsets[0]! + 8)]);
    }
    // Six chunks through three slots: only possible because slots came back.
    expect(seen.map((s) => s[1])).toEqual([1, 4, 7, 10, 13, 16]);
    expect(rings[0]!.released.length).toBeGreaterThanOrEqual(4);
  });

  it('break in for-await frees the driver at once, without draining', async () => {
    const { binding, rings } = fakeBinding(chunks(4), true);
    const src = live({ binding, stopOnSignals: false });
    let n = 0;
    for await (const batch of src) {
      n += batch.count;
      break;
    }
    expect(n).toBe(3);
    expect(rings[0]!.stops).toEqual([false]);
  });

  it('close() during iteration drains: what is in the ring still arrives, then the driver is freed', async () => {
    const { binding, rings } = fakeBinding(chunks(3), true);
    const src = live({ binding, stopOnSignals: false });
    let n = 0;
    for await (const batch of src) {
      n += batch.count;
      if (n === 3) await src.close();
    }
    expect(n).toBe(9);
    expect(rings[0]!.stops).toEqual([true, false]);
  });

  it('SIGINT, SIGTERM and SIGHUP end iteration normally; the handlers go once it ended', async () => {
    // SIGHUP (a closed terminal) used to kill the process, a -w file unwritten.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const { binding, rings } = fakeBinding(chunks(2), true);
      const before = process.listenerCount(sig);
      const src = live({ binding });
      let n = 0;
      for await (const batch of src) {
        n += batch.count;
        if (n === 3) process.emit(sig, sig);
      }
      expect(n).toBe(6);
      expect(src.signal).toBe(sig);
      expect(rings[0]!.stops).toEqual([true, false]);
      expect(process.listenerCount(sig)).toBe(before);
    }
  });

  it('close() while the driver is still loading stops it once loaded: the iteration ends', async () => {
    // close() found no ring to stop yet and only marked the capture draining:
    // the capture then ran on for ever, driver attached, deaf to signals.
    const { binding, rings } = fakeBinding(chunks(2), true, 100);
    const src = live({ binding });
    setTimeout(() => { void src.close(); }, 20);
    let n = 0;
    for await (const batch of src) n += batch.count;
    expect(n).toBe(6);
    expect(rings[0]!.stops[0]).toBe(true);
  }, 5_000);

  it('feeds an Inspector like a file: state replay names the fds', async () => {
    const { binding } = fakeBinding(chunks(2));
    const src = live({ binding, stopOnSignals: false });
    await src.open();
    const insp = Inspector.of(src);
    const render = compileFormat('%thread.tid %evt.type %fd.num %fd.name', FIELDS);
    const lines: (string | undefined)[] = [];
    await insp.run((ev) => { lines.push(render(ev, insp.fieldContext)); });
    expect(lines).toEqual([1, 2, 3, 4, 5, 6].map((t) => `${t} open ${((t - 1) % 3) + 1} /f${t}`));
  });

  it('a driver that does not load rejects open() with what to do', async () => {
    const binding = {
      LiveRing: class {
        async start(): Promise<void> { throw Object.assign(new Error('cannot start the live capture: Operation not permitted'), { errno: 1 }); }
      },
    } as unknown as LiveBinding;
    const listeners = process.listenerCount('SIGINT');
    const src = live({ binding });
    await expect(src.open()).rejects.toThrow(LiveStartError);
    await expect(live({ binding }).open()).rejects.toThrow(/Operation not permitted \(loading eBPF programs needs root, or CAP_BPF and CAP_PERFMON\)/);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('refuses options the driver cannot take, saying what is expected', () => {
    expect(() => live({ snaplen: 20000 })).toThrow(LiveOptionError);
    expect(() => live({ snaplen: 20000 })).toThrow(/snaplen must be an integer in 0\.\.16384, got 20000/);
    expect(() => live({ ringBytes: 3 << 20 })).toThrow(/ringBytes must be a power of two/);
    expect(() => live({ slots: 2 })).toThrow(/slots must be an integer in 3\.\.1024/);
    expect(() => live({ pid: -1 })).toThrow(LiveOptionError);
  });
});
