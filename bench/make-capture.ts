/**
 * Builds a large capture for benchmarks from a small real one, deterministically:
 * the section header and state blocks once, then the event blocks repeated,
 * each repetition shifted in time by the capture's span and in thread ids by
 * a stride of 2^22, so that no enter event of one repetition meets the exit of
 * another (see shared/tools/reference/README.md, "Big captures").
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BlockType, eventBlockHasFlags, eventBlockKind, EventBlockKind } from '../scapfile/block-types.js';

/** Thread id stride between repetitions. */
const TID_STRIDE = 1 << 22;

export interface MadeCapture {
  readonly path: string;
  readonly eventBlocks: number;
  readonly bytes: number;
  readonly repetitions: number;
}

/** Writes `repetitions` copies of `fixture`'s events to `outPath` (plain, uncompressed scap). */
export function makeCapture(fixture: string, outPath: string, repetitions: number): MadeCapture {
  let raw = readFileSync(fixture);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);

  const events: Array<{ start: number; len: number; evAt: number }> = [];
  let stateEnd = 0;
  let minTs = 2n ** 64n - 1n;
  let maxTs = 0n;
  for (let pos = 0; pos + 12 <= raw.length;) {
    const type = raw.readUInt32LE(pos);
    const len = raw.readUInt32LE(pos + 4);
    if (len < 12 || pos + len > raw.length) throw new Error(`${fixture}: bad block at ${pos}`);
    const kind = eventBlockKind(type);
    if (kind === EventBlockKind.None) {
      if (events.length === 0) stateEnd = pos + len;
      else if (type !== BlockType.SECTION_HEADER) throw new Error(`${fixture}: state block after events at ${pos}`);
    } else {
      const evAt = pos + 8 + (eventBlockHasFlags(type) ? 6 : 2);
      const ts = raw.readBigUInt64LE(evAt);
      if (ts < minTs) minTs = ts;
      if (ts > maxTs) maxTs = ts;
      events.push({ start: pos, len, evAt });
    }
    pos += len;
  }
  const span = maxTs - minTs + 1_000_000n;

  const fd = openSync(outPath, 'w', 0o600);
  let bytes = 0;
  const write = (b: Buffer): void => { writeSync(fd, b); bytes += b.length; };
  try {
    write(raw.subarray(0, stateEnd));
    // One repetition is assembled in a scratch copy of the event region, patched in place.
    const regionStart = events[0]!.start;
    const regionEnd = events[events.length - 1]!.start + events[events.length - 1]!.len;
    const scratch = Buffer.from(raw.subarray(regionStart, regionEnd));
    for (let r = 0; r < repetitions; r++) {
      const dts = span * BigInt(r);
      const dtid = BigInt(TID_STRIDE * r);
      for (const e of events) {
        const at = e.evAt - regionStart;
        scratch.writeBigUInt64LE(raw.readBigUInt64LE(e.evAt) + dts, at);
        const tid = raw.readBigInt64LE(e.evAt + 8);
        scratch.writeBigInt64LE(tid >= 0n ? tid + dtid : tid, at + 8);
      }
      write(scratch);
    }
  } finally {
    closeSync(fd);
  }
  return { path: outPath, eventBlocks: events.length * repetitions, bytes, repetitions };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const [fixture, out, reps] = process.argv.slice(2);
  if (!fixture || !out) {
    console.error('usage: node dist/bench/make-capture.js FIXTURE OUT [REPETITIONS]');
    process.exit(2);
  }
  const made = makeCapture(fixture, out, Number(reps ?? 1400));
  console.log(`${made.path}: ${made.eventBlocks} event blocks, ${made.bytes} bytes`);
}
