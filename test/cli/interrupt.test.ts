// SIGINT in the middle of `scap convert`: the command stops reading, writes
// what it read and closes the output, so the file ends with whole blocks (and
// a whole gzip member) and reads without error up to where it stopped.
// Runs the built command (dist/, made by test/global-setup.ts).

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture, tempDir } from '../helpers/capture-builder.js';
import { ROOT } from '../helpers/fixtures.js';
import { writeNoisyCapture } from '../helpers/noisy-capture.js';

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const tmp = tempDir('scapkit-interrupt-');
afterAll(() => tmp.cleanup());

describe.skipIf(!existsSync(CLI))('scap convert interrupted by SIGINT', () => {
  for (const ext of ['scap', 'scap.gz']) {
    it(`leaves a readable ${ext} of whole blocks`, async () => {
      const input = join(tmp.dir, `big-${ext}.scap`);
      await writeNoisyCapture(input, 400_000);
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
