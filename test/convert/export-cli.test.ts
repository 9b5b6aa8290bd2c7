import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { makeCapture } from '../../bench/make-capture.js';
import { exportEvents } from '../../convert/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { scap } from '../helpers/cli.js';
import { ROOT, capturePath, goldenCounts } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const expected = goldenCounts('curl_google').sinsp_example_all_threads_retrieved!;

describe('scap export (command)', () => {
  it('writes an Arrow IPC stream to stdout with -o -', () => {
    const r = scap(['export', capturePath('curl_google'), '-o', '-']);
    expect(r.status).toBe(0);
    const t = tableFromIPC(Buffer.from(r.stdout, 'latin1'));
    expect(t.numRows).toBe(expected);
    expect(t.schema.fields.map((f) => f.name)).toContain('params');
  });

  it('writes Parquet and says how many events it wrote', () => {
    const out = join(dir, 'cg.parquet');
    const r = scap(['export', capturePath('curl_google'), '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${expected} events written to ${out}\n`);
    expect(existsSync(out)).toBe(true);
  });

  // The command reads on its own thread in recycled batch memory (each
  // batch's buffers hold the next one once its rows are appended); the API
  // below opens the capture without recycling. Over a capture of many
  // reader batches the two files must be the same bytes.
  it('writes the same Parquet file with recycled batch memory as without', async () => {
    const big = join(dir, 'cg-x40.scap');
    makeCapture(capturePath('curl_google'), big, 40);
    const viaCli = join(dir, 'cli.parquet');
    const viaApi = join(dir, 'api.parquet');
    expect(scap(['export', big, '-o', viaCli]).status).toBe(0);
    await exportEvents(await Inspector.open(big), { format: 'parquet', out: viaApi });
    expect(readFileSync(viaCli).equals(readFileSync(viaApi))).toBe(true);
  });

  it('says in words that the reader of its Arrow stream went away', () => {
    // It said only "write EPIPE"; scap convert -o - says the same thing in these words.
    const main = join(ROOT, 'dist', 'cli', 'main.js');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${main}" export "${capturePath('curl_google')}" -o - | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}"`],
      { encoding: 'utf8' });
    expect(r.stderr).toBe('scap: cannot write the Arrow stream: the reader went away (EPIPE)\n');
    expect(r.stdout).toBe('status 1\n');
  });

  it('refuses an output name whose format it cannot tell', () => {
    const r = scap(['export', capturePath('curl_google'), '-o', join(dir, 'x.csv')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/expected a name ending in \.parquet or \.arrow/);
    // The text formats people ask for get the way to them.
    const csv = join(dir, 'x.csv');
    expect(r.stderr).toContain(`; for CSV, export to ${join(dir, 'x.parquet')} and let DuckDB write it: COPY (SELECT * FROM '${join(dir, 'x.parquet')}') TO '${csv}'`);
    const json = scap(['export', capturePath('curl_google'), '-o', join(dir, 'x.jsonl')]);
    expect(json.stderr).toContain("; JSON lines come from 'scap read FILE -j'");
    expect(scap(['export', capturePath('curl_google'), '-o', join(dir, 'x.txt')]).stderr).not.toContain(';');
  });
});
