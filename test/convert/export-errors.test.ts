import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { exportEvents, exportFdSpans } from '../../convert/index.js';
import type { ExportFormat } from '../../convert/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { capturePath } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** curl_google with the length of the block 60% of the way through set far beyond the file. */
function corruptCapture(): { path: string; blockOffset: number } {
  let raw = readFileSync(capturePath('curl_google'));
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  const starts: number[] = [];
  for (let pos = 0; pos + 12 <= raw.length;) {
    const len = raw.readUInt32LE(pos + 4);
    if (len < 12) break;
    starts.push(pos);
    pos += len;
  }
  const blockOffset = starts[Math.floor(starts.length * 0.6)]!;
  const bad = Buffer.from(raw);
  bad.writeUInt32LE(0x7fffff00, blockOffset + 4);
  const path = join(dir, 'corrupt.scap');
  writeFileSync(path, bad);
  return { path, blockOffset };
}

describe('scap export on bad input mid-stream', () => {
  const { path, blockOffset } = corruptCapture();
  it.each<[ExportFormat, string]>([['parquet', 'out.parquet'], ['arrow', 'out.arrow']])(
    'names the byte offset and leaves no %s file behind', async (format, name) => {
      const out = join(dir, name);
      // Batches of 100 rows, so several were written before the damage is met.
      const run = exportEvents(await Inspector.open(path), { format, out, batchRows: 100, rowGroupRows: 100 });
      await expect(run).rejects.toThrow(new RegExp(`starting at ${blockOffset}\\b`));
      expect(existsSync(out)).toBe(false);
    });

  it.each(['connections', 'files'] as const)('names the byte offset and leaves no %s table behind', async (table) => {
    const out = join(dir, `${table}.parquet`);
    // One row per batch, so rows were written before the damage is met.
    const run = exportFdSpans(await Inspector.open(path), table, { format: 'parquet', out, batchRows: 1, rowGroupRows: 1 });
    await expect(run).rejects.toThrow(new RegExp(`starting at ${blockOffset}\\b`));
    expect(existsSync(out)).toBe(false);
  });
});
