// SIGINT in the middle of `scap convert`: the command stops reading, writes
// what it read and closes the output, so the file ends with whole blocks (and
// a whole gzip member) and reads without error up to where it stopped.
// Runs the built command (dist/, made by test/global-setup.ts).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENTS } from '../../scapfile/schema/events.js';
import { EventFlag } from '../../scapfile/schema/types.js';
import { CaptureWriter } from '../../scapfile/writer/index.js';
import { readCapture, tempDir } from '../helpers/capture-builder.js';
import { ROOT } from '../helpers/fixtures.js';
import { batchOf } from '../scapfile/writer/random-captures.js';

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const tmp = tempDir('scapkit-interrupt-');
afterAll(() => tmp.cleanup());

const SMALL = EVENTS.find((e) => e.params.length > 0 && !(e.flags & EventFlag.LARGE_PAYLOAD))!;

describe.skipIf(!existsSync(CLI))('scap convert interrupted by SIGINT', () => {
  for (const ext of ['scap', 'scap.gz']) {
    it(`leaves a readable ${ext} of whole blocks`, async () => {
      const input = join(tmp.dir, `big-${ext}.scap`);
      const w = await CaptureWriter.open(input, { sync: false });
      // Incompressible payloads, so that gzip output grows as fast as plain.
      const noise = randomBytes(1 << 20);
      for (let n = 0; n < 400_000; n += 2000) {
        await w.writeBatch(batchOf(Array.from({ length: 2000 }, (_, k) => ({
          type: SMALL.id, tid: 9, ts: BigInt(n + k), cpu: 0, flags: 0,
          params: [noise.subarray(((n + k) * 397) % ((1 << 20) - 400), ((n + k) * 397) % ((1 << 20) - 400) + 400), ...SMALL.params.slice(1).map(() => Buffer.alloc(0))],
        }))));
      }
      await w.close();
      const out = join(tmp.dir, `out.${ext}`);
      const child = spawn(process.execPath, [CLI, 'convert', input, '-o', out, '-q'], { stdio: 'ignore' });
      let exited = false;
      const exit = new Promise<number | null>((r) => child.once('exit', (code) => { exited = true; r(code); }));
      // Wait until some output exists, then interrupt.
      while (!exited && !(existsSync(out) && statSync(out).size > 3_000_000)) {
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(exited, 'the conversion ended before it could be interrupted').toBe(false);
      child.kill('SIGINT');
      expect(await exit).toBe(130);
      const back = await readCapture(out);
      expect(back.events.length).toBeGreaterThan(0);
      expect(back.events.length).toBeLessThan(400_000);
      back.events.forEach((e, i) => { if (e.ts !== BigInt(i)) throw new Error(`event ${i} has ts ${e.ts}`); });
      // Whole chunks only: no truncated block at the end.
      expect(back.capture.warnings).toEqual([]);
    });
  }
});
