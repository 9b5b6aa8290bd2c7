// The SQL examples of docs/examples/queries.sql run in DuckDB on a bundled
// capture's export and answer what they say they answer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { ROOT, capturePath } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-queries-'));
let db: DuckDBConnection;
let results: unknown[][][];

beforeAll(async () => {
  const events = join(dir, 'events.parquet');
  const processes = join(dir, 'processes.parquet');
  expect(scap(['export', capturePath('curl_google'), '-o', events]).status).toBe(0);
  expect(scap(['export', capturePath('curl_google'), '-o', processes, '--table', 'processes']).status).toBe(0);
  const connections = join(dir, 'connections.parquet');
  expect(scap(['export', capturePath('curl_google'), '-o', connections, '--table', 'connections']).status).toBe(0);
  const files = join(dir, 'files.parquet');
  expect(scap(['export', capturePath('curl_google'), '-o', files, '--table', 'files']).status).toBe(0);
  db = await (await DuckDBInstance.create(':memory:')).connect();
  const sql = readFileSync(join(ROOT, 'docs', 'examples', 'queries.sql'), 'utf8')
    .replace(/'events\.parquet'/g, `'${events}'`).replace(/'processes\.parquet'/g, `'${processes}'`)
    .replace(/'connections\.parquet'/g, `'${connections}'`).replace(/'files\.parquet'/g, `'${files}'`);
  const statements = sql.replace(/^\s*--.*$/gm, '').split(';').map((s) => s.trim()).filter((s) => s !== '');
  results = [];
  for (const s of statements) results.push((await db.runAndReadAll(s)).getRows() as unknown[][]);
}, 120_000);
afterAll(() => { db?.closeSync(); rmSync(dir, { recursive: true, force: true }); });

describe('docs/examples/queries.sql on curl_google', () => {
  it('has seven queries, each with rows', () => {
    expect(results.length).toBe(7);
    for (const r of results) expect(r.length).toBeGreaterThan(0);
  });

  it('top processes: curl first, the processes that only appear in procinfo events not at all', () => {
    // The capture is of curl; snapd and systemd have procinfo events only.
    expect(results[0]![0]![0]).toBe('curl');
    expect(results[0]!.some((r) => r[0] === 'snapd' || r[0] === 'systemd')).toBe(false);
  });

  it('files curl opened: paths, with the syscalls on each (the dynamic loader cache among them)', () => {
    for (const [name] of results[1]!) expect(String(name)).toMatch(/^\//);
    expect(results[1]!.some(([name]) => name === '/etc/ld.so.cache')).toBe(true);
  });

  it('connections by destination: curl reached Google\'s DNS server over IPv6', () => {
    expect(results[2]!.some((r) => String(r[0]).startsWith('2001:4860:4860::8888:53') && r[1] === 'curl')).toBe(true);
  });

  it('who started what: curl, started by bash, exited 0', () => {
    expect(results[3]!.some((r) => r[1] === 'curl' && r[2] === 'bash' && r[4] === 0)).toBe(true);
  });

  it('traffic by destination: curl sent 78 bytes to Google on port 80 and got 11,502 back, over one connection', () => {
    expect(results[5]![0]).toEqual(['2607:f8b0:4004:802::2004', 80n, 'tcp', 'curl', 1n, 78n, 11502n]);
  });

  it('what each process read and wrote: curl wrote no file; the loader read each library\'s 832-byte ELF header', () => {
    expect(results[6]![0]).toEqual(['curl', '/lib/x86_64-linux-gnu/libc.so.6', 1n, 832n, 0n]);
  });
});

// The traffic query counted a loopback TCP connection twice, once from each
// end (311 bytes each way for 127.0.0.1:35589 of scapkit_sysmix, whose
// client sent 11 and received 300).
describe('the traffic query on a capture holding both ends of a connection', () => {
  it('counts the connection once, from its client', async () => {
    const connections = join(dir, 'sysmix-connections.parquet');
    expect(scap(['export', capturePath('scapkit_sysmix'), '-o', connections, '--table', 'connections']).status).toBe(0);
    const sql = readFileSync(join(ROOT, 'docs', 'examples', 'queries.sql'), 'utf8').replace(/^\s*--.*$/gm, '');
    const traffic = sql.split(';').map((x) => x.trim()).find((x) => x.includes('bytes_sent'))!.replace(/'connections\.parquet'/g, `'${connections}'`);
    const rows = (await db.runAndReadAll(traffic)).getRows() as unknown[][];
    const server = rows.filter((r) => r[0] === '127.0.0.1' && Number(r[1]) === 35589 && r[2] === 'tcp');
    expect(server.map((r) => [Number(r[4]), Number(r[5]), Number(r[6])])).toEqual([[1, 11, 300]]);
  });
});
