// A large capture for tests that stop or break a writer mid-way: `events`
// write exit events (which libsinsp returns, so the reference can count
// them too) with 400 bytes of incompressible data each (so gzip output grows
// as fast as plain), timestamps 0, 1, 2… so a reader can check it got a prefix.

import { randomBytes } from 'node:crypto';
import { EventType } from '../../scapfile/schema/events.js';
import { CaptureWriter } from '../../scapfile/writer/index.js';
import { batchOf } from '../scapfile/writer/random-captures.js';

const i64 = (v: number): Buffer => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

/** Writes the capture to `path` (about 430 bytes per event). */
export async function writeNoisyCapture(path: string, events: number): Promise<void> {
  const w = await CaptureWriter.open(path, { sync: false });
  const noise = randomBytes(1 << 20);
  for (let n = 0; n < events; n += 2000) {
    await w.writeBatch(batchOf(Array.from({ length: Math.min(2000, events - n) }, (_, k) => {
      const at = ((n + k) * 397) % ((1 << 20) - 400);
      return {
        type: EventType.SYSCALL_WRITE_X, tid: 9, ts: BigInt(n + k), cpu: 0, flags: 0,
        // res, data, fd, size
        params: [i64(400), noise.subarray(at, at + 400), i64(3), u32(400)],
      };
    })));
  }
  await w.close();
}
