import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockType } from '../../../scapfile/block-types.js';
import { EVENTS } from '../../../scapfile/schema/events.js';
import type { CaptureState } from '../../../scapfile/state-blocks/index.js';
import { CaptureWriter, eventBlockTypeFor } from '../../../scapfile/writer/index.js';
import { readCapture } from '../../helpers/capture-builder.js';
import { batchOf, captureState, paramsFor, randomEvent } from './random-captures.js';
import type { RandomEvent } from './random-captures.js';

/** Writes state and events (split in batches of `split`) to memory, with `compression`. */
async function writeToMemory(
  state: CaptureState, events: readonly RandomEvent[], compression: 'none' | 'gzip' | 'zstd', split = 7,
): Promise<Buffer> {
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (c: Buffer) => parts.push(c));
  const w = await CaptureWriter.open(sink, { compression, chunkBytes: 8192 });
  await w.writeState(state);
  for (let i = 0; i < events.length; i += split) await w.writeBatch(batchOf(events.slice(i, i + split), i + 1));
  await w.close();
  return Buffer.concat(parts);
}

const stateOf = (s: CaptureState): CaptureState => ({
  machine: s.machine, threads: s.threads, fds: s.fds, users: s.users, groups: s.groups, interfaces: s.interfaces,
});

async function expectRoundTrip(state: CaptureState, events: RandomEvent[], compression: 'none' | 'gzip' | 'zstd'): Promise<void> {
  const bytes = await writeToMemory(state, events, compression);
  const back = await readCapture(bytes);
  expect(back.capture.warnings).toEqual([]);
  expect(stateOf(back.capture.info)).toEqual(stateOf(state));
  expect(back.events.length).toBe(events.length);
  back.events.forEach((got, i) => {
    const want = events[i]!;
    expect(got.type).toBe(want.type);
    expect(got.tid).toBe(want.tid);
    expect(got.ts).toBe(want.ts);
    expect(got.cpu).toBe(want.cpu);
    expect(got.flags).toBe(want.flags);
    expect(got.num).toBe(i + 1);
    expect(got.params).toEqual(want.params.map((p) => p.toString('hex')));
  });
}

describe('CaptureWriter property: random captures read back unchanged', () => {
  for (const compression of ['none', 'gzip', 'zstd'] as const) {
    it(`state of every block type and events of random types (${compression})`, async () => {
      await fc.assert(
        fc.asyncProperty(captureState, fc.array(randomEvent, { maxLength: 25 }), async (state, events) => {
          await expectRoundTrip(state, events, compression);
        }),
        { numRuns: compression === 'none' ? 60 : 25 },
      );
    });
  }

  it('one event of every schema type (every parameter type), large payloads over 64 KiB included', async () => {
    const events: RandomEvent[] = EVENTS.map((e, i) => ({
      type: e.id, tid: 1000 + i, ts: 1_700_000_000_000_000_000n + BigInt(i), params: paramsFor(e.id, i + 1, true),
      cpu: i % 4, flags: i % 3 === 0 ? 0 : i,
    }));
    await expectRoundTrip({ machine: undefined, threads: [], fds: [], users: [], groups: [], interfaces: [] }, events, 'none');
  });

  it('chooses EV_V2, EVF_V2 and their LARGE forms as libscap does', () => {
    const large = EVENTS.find((e) => e.flags & 0x800)!.id;
    const small = EVENTS.find((e) => !(e.flags & 0x800))!.id;
    expect(eventBlockTypeFor(small, 0)).toBe(BlockType.EVENT_V2);
    expect(eventBlockTypeFor(small, 1)).toBe(BlockType.EVENT_FLAGS_V2);
    expect(eventBlockTypeFor(large, 0)).toBe(BlockType.EVENT_V2_LARGE);
    expect(eventBlockTypeFor(large, 1)).toBe(BlockType.EVENT_FLAGS_V2_LARGE);
  });
});
