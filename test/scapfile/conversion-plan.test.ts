// The compiled conversion plans (scapfile/upgrade/conversion-plan.ts) against
// the step-by-step loop they replace: the same events, byte for byte, the
// same numbers and block facts, the same errors in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScapFormatError } from '../../scapfile/errors.js';
import type { EventBatch } from '../../scapfile/event-batch.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { EVENTS, EventType as T } from '../../scapfile/schema/events.js';
import { EventFlag } from '../../scapfile/schema/types.js';
import {
  CONVERSIONS, EnterEventStore, EventUpgrader, LayoutConverter, Outcome, compilePlan,
} from '../../scapfile/upgrade/index.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';

interface Out { bytes: string; num: number; cpu: number; flags: number; blockOffset: number }
interface Result { events: Out[]; errors: string[] }

const errorText = (e: unknown): string =>
  e instanceof ScapFormatError ? `${e.message} @${e.offset}/${e.blockOffset}` : `not a ScapFormatError: ${String(e)}`;

/** What the step-by-step loop returns for these batches, event by event (no plans, no batch building). */
function stepByStep(batches: readonly EventBatch[], shapesChecked = false): Result {
  const up = new EventUpgrader(new EnterEventStore(65536, 64 * 1024 * 1024), shapesChecked, false);
  const events: Out[] = [];
  const errors: string[] = [];
  let num = 0;
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const at = b.offsets[i]!;
      let r: number;
      try {
        r = up.upgrade(b.buf, at, b.nums[i]!, b.blockOffsets[i]!);
      } catch (e) {
        errors.push(errorText(e));
        continue;
      }
      if (r === Outcome.DROP) continue;
      const src = r === Outcome.NEW ? up.result : b.buf;
      const from = r === Outcome.NEW ? 0 : at;
      const bytes = src.subarray(from, from + src.readUInt32LE(from + 16)).toString('hex');
      events.push({ bytes, num: ++num, cpu: b.cpus[i]!, flags: b.flags[i]!, blockOffset: b.blockOffsets[i]! });
    }
  }
  return { events, errors };
}

/** What `LayoutConverter` (plans, batch building) returns. */
function converted(batches: readonly EventBatch[], inputValidated = false): Result {
  const errors: string[] = [];
  const conv = new LayoutConverter({ inputValidated, onError: (e) => errors.push(errorText(e)) });
  const events: Out[] = [];
  for (const raw of batches) {
    const b = conv.convert(raw);
    for (let i = 0; i < b.count; i++) {
      const at = b.offsets[i]!;
      const bytes = b.buf.subarray(at, at + b.buf.readUInt32LE(at + 16)).toString('hex');
      events.push({ bytes, num: b.nums[i]!, cpu: b.cpus[i]!, flags: b.flags[i]!, blockOffset: b.blockOffsets[i]! });
    }
  }
  return { events, errors };
}

// ---- synthetic events ----

interface RawEvent { type: number; tid: bigint; params: Buffer[]; slack: number }

function encode(e: RawEvent): Buffer {
  const lenSize = EVENTS[e.type]!.flags & EventFlag.LARGE_PAYLOAD ? 4 : 2;
  const dataLen = e.params.reduce((s, p) => s + p.length, 0);
  const len = 26 + e.params.length * lenSize + dataLen + e.slack;
  const b = Buffer.alloc(len, 0xab);
  b.writeBigUInt64LE(1000n, 0);
  b.writeBigInt64LE(e.tid, 8);
  b.writeUInt32LE(len, 16);
  b.writeUInt16LE(e.type, 20);
  b.writeUInt32LE(e.params.length, 22);
  let at = 26;
  for (const p of e.params) { if (lenSize === 2) b.writeUInt16LE(p.length, at); else b.writeUInt32LE(p.length, at); at += lenSize; }
  for (const p of e.params) { p.copy(b, at); at += p.length; }
  return b;
}

/** Events one per block as the reader lays them out (16 bytes of framing before each), split into batches. */
function batchesOf(events: readonly Buffer[], batchSize: number): EventBatch[] {
  const out: EventBatch[] = [];
  for (let first = 0; first < events.length; first += batchSize) {
    const part = events.slice(first, first + batchSize);
    const parts: Buffer[] = [];
    const offsets: number[] = [];
    let at = 0;
    for (const e of part) { parts.push(Buffer.alloc(16, 0xee)); at += 16; offsets.push(at); parts.push(e); at += e.length; }
    const n = part.length;
    out.push({
      buf: Buffer.concat(parts), count: n, offsets: Int32Array.from(offsets),
      cpus: Uint16Array.from({ length: n }, (_, i) => (first + i) % 4),
      flags: Uint32Array.from({ length: n }, (_, i) => (first + i) % 3 === 0 ? 1 : 0),
      nums: Float64Array.from({ length: n }, (_, i) => first + i + 1),
      blockOffsets: Float64Array.from({ length: n }, (_, i) => 4096 + (first + i) * 64),
    });
  }
  return out;
}

/** Types whose events the table converts, with the parameter counts it knows, plus a few current types. */
const KEYS = CONVERSIONS.map((c) => [c.type, c.nparams] as const);
const TIDS = [1n, 2n, 3n, (1n << 40n) + 5n, -7n, (1n << 62n) + 1n, (1n << 62n) + 2n];

const paramArb = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 2, 4, 8, 16, 17) .map((n) => new Uint8Array(n).fill(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 20000, max: 40000 }).map((n) => new Uint8Array(n).fill(0x5a)) },
);

const eventArb: fc.Arbitrary<RawEvent> = fc.record({
  key: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...KEYS) },
    // A key's type with another count, the type before it (an enter event) or any type.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: -2, max: 3 })).map(([[t, n], d]) => [t, Math.max(0, n + d)] as const) },
    { weight: 2, arbitrary: fc.constantFrom(...KEYS).map(([t, n]) => [Math.max(0, t - 1), n] as const) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: EVENTS.length - 1 }), fc.integer({ min: 0, max: 8 })) },
  ),
  tid: fc.constantFrom(...TIDS),
  params: fc.array(paramArb, { maxLength: 40 }),
  slack: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }),
}).map(({ key: [type, nparams], tid, params, slack }) => ({
  type, tid, slack,
  params: Array.from({ length: nparams }, (_, k) => Buffer.from(params[k] ?? new Uint8Array(k % 9))),
}));

/** Enter/exit pairs of the table on a few threads, the common case of old captures. */
const pairArb: fc.Arbitrary<RawEvent[]> = fc.tuple(fc.constantFrom(...CONVERSIONS.filter((c) => c.action === 1)), eventArb, fc.constantFrom(...TIDS))
  .map(([store, exit, tid]) => {
    const exitKey = KEYS.find(([t]) => t === store.type + 1);
    const enter: RawEvent = { type: store.type, tid, slack: 0, params: Array.from({ length: store.nparams }, (_, k) => Buffer.alloc(k + 3, k)) };
    if (exitKey === undefined) return [enter];
    return [enter, { ...exit, tid, type: exitKey[0], params: Array.from({ length: exitKey[1] }, (_, k) => exit.params[k] ?? Buffer.alloc(8, k)) }];
  });

describe('compiled conversion plans', () => {
  it('compile for every key of the table but the container callback', () => {
    const missing = CONVERSIONS.filter((c) => compilePlan(c.type, c.nparams) === undefined).map((c) => EVENTS[c.type]!.code);
    expect(missing).toEqual([EVENTS[T.CONTAINER_E]!.code]);
  });

  it.each(FIXTURES)('give the step-by-step result on %s', async (name) => {
    const batches: EventBatch[] = [];
    for await (const b of await openCapture(capturePath(name))) batches.push(b);
    const expected = stepByStep(batches, true);
    expect(converted(batches, true)).toEqual(expected);
    expect(expected.events.length).toBeGreaterThan(100);
  });

  it('give the step-by-step result, errors included, on random events', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof({ weight: 1, arbitrary: eventArb.map((e) => [e]) }, { weight: 2, arbitrary: pairArb }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 40 }),
      (groups, batchSize) => {
        const batches = batchesOf(groups.flat().map(encode), batchSize);
        const expected = stepByStep(batches);
        expect(converted(batches)).toEqual(expected);
        // Well-formed as encoded, so also valid input for the direct plan path.
        expect(converted(batches, true)).toEqual(expected);
      },
    ), { numRuns: 400 });
  });

  it('throw the same first error as the step-by-step loop', () => {
    const close = (tid: bigint, params: Buffer[]): Buffer => encode({ type: T.SYSCALL_CLOSE_X, tid, slack: 0, params });
    const wrongEnter = encode({ type: T.SYSCALL_READ_E, tid: 9n, slack: 0, params: [Buffer.alloc(8), Buffer.alloc(4)] });
    const batches = batchesOf([wrongEnter, close(9n, [Buffer.alloc(8)])], 10);
    expect(stepByStep(batches).errors).toHaveLength(1);
    const conv = new LayoutConverter();
    conv.convert(batches[0]!);
    expect(() => conv.throwIfFailed()).toThrow(stepByStep(batches).errors[0]!.replace(/ @.*/, ''));
  });
});
