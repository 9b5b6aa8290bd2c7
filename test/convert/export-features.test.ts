// scap export beyond the plain events table: --filter, --columns, the
// processes table and Hive-partitioned datasets, all checked in DuckDB
// against the reference outputs and against `scap read` / `scap ptree`.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPartitioned, hiveValue, partitionKeys } from '../../convert/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { chunkedStream } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { FIXTURES, capturePath, goldenCounts, goldenTypes } from '../helpers/fixtures.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { paramBytes } from '../../scapfile/params/decode.js';
import { EVENTS } from '../../scapfile/schema/index.js';
import { ParamType } from '../../scapfile/schema/types.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-export-features-'));
let db: DuckDBConnection;
beforeAll(async () => { db = await (await DuckDBInstance.create(':memory:')).connect(); });
afterAll(() => { db?.closeSync(); rmSync(dir, { recursive: true, force: true }); });

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.runAndReadAll(sql)).getRows() as unknown[][];
}


describe('scap export --filter and --columns', () => {
  it('keeps the events `scap read -f` prints, with only the columns asked for', async () => {
    const filter = 'evt.type in (connect, openat, open) and evt.dir = <';
    const out = join(dir, 'filtered.parquet');
    const r = scap(['export', capturePath('single_ipv6_conn'), '-o', out, '-f', filter, '--columns', 'num,fd_name,type,ts']);
    expect(r.status).toBe(0);
    const read = scap(['read', capturePath('single_ipv6_conn'), '-f', filter, '-p', '*%evt.num %fd.name']);
    const expected = read.stdout.trim().split('\n').filter((l) => l !== '');
    expect(expected.length).toBeGreaterThan(0);
    const got = await rows(`select num, fd_name from '${out}' order by num`);
    expect(got.map(([n, f]) => `${n} ${f ?? '<NA>'}`)).toEqual(expected);
    const cols = await rows(`select column_name from (describe select * from '${out}')`);
    expect(cols.map(([c]) => c)).toEqual(['num', 'ts', 'type', 'fd_name']);
  });

  it('refuses an unknown column, naming it and the table\'s columns', () => {
    const r = scap(['export', capturePath('curl_google'), '-o', join(dir, 'x.parquet'), '--columns', 'num,bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown column bogus; the events table has num, ts/);
  });
});

describe('hot typed columns', () => {
  const na = (v: unknown): string => (v === null || v === undefined ? '<NA>' : String(v));
  it.each(['curl_google', 'single_ipv6_conn'] as const)('%s: path, flags, mode, bytes and the tuple equal the sinsp fields of every event', async (name) => {
    const out = join(dir, `hot-${name}.parquet`);
    expect(scap(['export', capturePath(name), '-o', out]).status).toBe(0);
    const got = await rows(`select num, cip, cport, sip, sport, l4proto from '${out}' order by num`);
    const want = scap(['read', capturePath(name), '-p', '*%evt.num %fd.cip %fd.cport %fd.sip %fd.sport %fd.l4proto']).stdout.trim().split('\n');
    expect(got.map((r) => r.map(na).join(' '))).toEqual(want);
    const opens = await rows(`select num, path, flags, mode from '${out}' where type in ('open', 'openat') order by num`);
    const wantOpens = scap(['read', capturePath(name), '-f', 'evt.type in (open, openat)', '-p', '*%evt.num %evt.rawarg.name %evt.rawarg.flags %evt.rawarg.mode']).stdout.split('\n').filter((l) => l !== '')
      // evt.rawarg prints by the parameter's print format (flags hex, mode octal); the columns hold numbers.
      .map((l) => {
        const t = l.split(' ');
        const num = (v: string, radix: number): string => (v === '<NA>' ? v : String(parseInt(v, radix)));
        return [...t.slice(0, -2), num(t.at(-2)!, 16), num(t.at(-1)!, 8)].join(' ');
      });
    expect(opens.map((r) => r.map(na).join(' '))).toEqual(wantOpens);
    const io = await rows(`select num, bytes from '${out}' where type in ('read', 'write', 'sendto', 'recvfrom') and res >= 0 order by num`);
    const wantIo = scap(['read', capturePath(name), '-f', 'evt.type in (read, write, sendto, recvfrom) and evt.rawres >= 0', '-p', '*%evt.num %evt.rawres']).stdout.split('\n').filter((l) => l !== '');
    expect(io.map((r) => r.map(na).join(' '))).toEqual(wantIo);
    expect(io.length).toBeGreaterThan(0);
  });

  // bytes followed the io categories, where libs puts sendfile (without the
  // flag that makes it evt.is_io), so summed per fd it disagreed with the
  // files table's bytes_out (review of scap export).
  it('bytes: exactly the events sinsp calls evt.is_io with a non-negative result; sendfile has none', async () => {
    const out = join(dir, 'bytes-sysmix.parquet');
    expect(scap(['export', capturePath('scapkit_sysmix'), '-o', out, '--columns', 'num,type,bytes']).status).toBe(0);
    const got = await rows(`select num from '${out}' where bytes is not null order by num`);
    const want = scap(['read', capturePath('scapkit_sysmix'), '-f', 'evt.is_io = true and evt.rawres >= 0', '-p', '%evt.num']).stdout.trim().split('\n');
    expect(got.map(([n]) => String(n))).toEqual(want);
    expect(await rows(`select bytes from '${out}' where type = 'sendfile'`)).toEqual([[null]]);
  });

  it.each(FIXTURES)('%s: category, res and errno are evt.category, evt.rawres and the error evt.res names, on every event', async (name) => {
    // res is the return value whatever the parameter is called (open's is fd),
    // and category is libsinsp's, wait, scheduler, internal and I/O by fd included.
    const out = join(dir, `res-${name}.parquet`);
    expect(scap(['export', capturePath(name), '-o', out]).status).toBe(0);
    const got = await rows(`select num, category, res, errno from '${out}' order by num`);
    const want = scap(['read', capturePath(name), '-p', '*%evt.num %evt.category %evt.rawres %evt.res']).stdout.trim().split('\n')
      .map((l) => { const [num, cat, raw, res] = l.split(' '); return [num, cat, raw, raw !== '<NA>' && Number(raw) < 0 ? res : '<NA>'].join(' '); });
    expect(got.map((r) => r.map(na).join(' '))).toEqual(want);
    expect(got.some((r) => r[3] === 'ENOENT' && r[1] !== null)).toBe(true);
  });
});

describe('container_id, args and data columns', () => {
  const na = (v: unknown): string => (v === null || v === undefined ? '<NA>' : String(v));
  const exported = new Map<string, string>();
  const exportOf = (name: FixtureName): string => {
    let out = exported.get(name);
    if (out === undefined) {
      out = join(dir, `cd-${name}.parquet`);
      expect(scap(['export', capturePath(name), '-o', out]).status).toBe(0);
      exported.set(name, out);
    }
    return out;
  };

  it.each(FIXTURES)('%s: container_id equals what scap read prints for container.id, event by event', async (name) => {
    const got = await rows(`select num, container_id from '${exportOf(name)}' order by num`);
    const want = scap(['read', capturePath(name), '-p', '*%evt.num %container.id']).stdout.trim().split('\n');
    expect(got.map((r) => r.map(na).join(' '))).toEqual(want);
  });

  it.each(FIXTURES)('%s: args equals what scap read prints for evt.args, event by event', async (name) => {
    // The export renders with one ArgsFormatter for the whole run, not the field's one per call.
    const got = await rows(`select num, args from '${exportOf(name)}' order by num`);
    const want = scap(['read', capturePath(name), '-p', '%evt.num %evt.args']).stdout.split('\n');
    want.pop();
    expect(got.map(([n, a]) => `${n} ${a}`)).toEqual(want);
  });

  it.each(['curl_google', 'single_ipv6_conn'] as const)('%s: data holds the I/O buffer of every event byte for byte, null without one', async (name) => {
    const got = await rows(`select num, data from '${exportOf(name)}' order by num`);
    const insp = await Inspector.open(capturePath(name));
    let i = 0;
    let mismatches = 0;
    let buffers = 0;
    await insp.run((ev) => {
      const [num, data] = got[i++]!;
      const k = EVENTS[ev.type]?.params.findIndex((p) => p.name === 'data' && p.type === ParamType.BYTEBUF) ?? -1;
      if (Number(num) !== ev.num) { mismatches++; return; }
      if (k < 0 || k >= ev.nparams) { if (data !== null) mismatches++; return; }
      buffers++;
      if (data === null || !Buffer.from((data as { bytes: Uint8Array }).bytes).equals(paramBytes(ev, k))) mismatches++;
    });
    expect(i).toBe(got.length);
    expect(mismatches).toBe(0);
    // Reads and writes with payload are there to compare, not only empty buffers.
    expect(buffers).toBeGreaterThan(0);
    expect((await rows(`select count(*) from '${exportOf(name)}' where octet_length(data) > 0`))[0]![0]).toBeGreaterThan(0n);
  });

  it('both can be selected with --columns', async () => {
    const out = join(dir, 'cd-columns.parquet');
    expect(scap(['export', capturePath('curl_google'), '-o', out, '--columns', 'data,num,container_id']).status).toBe(0);
    const cols = await rows(`select column_name, column_type from (describe select * from '${out}')`);
    expect(cols).toEqual([['num', 'UBIGINT'], ['container_id', 'VARCHAR'], ['data', 'BLOB']]);
  });
});

describe('scap export --table processes', () => {
  it('one row per process of `scap ptree --json`, lineage and exits included', async () => {
    const out = join(dir, 'procs.parquet');
    expect(scap(['export', capturePath('curl_google'), '-o', out, '--table', 'processes']).status).toBe(0);
    const tree = JSON.parse(scap(['ptree', capturePath('curl_google'), '--json']).stdout) as Array<Record<string, unknown>>;
    const flat: Array<Record<string, unknown>> = [];
    const walk = (n: Record<string, unknown>): void => { flat.push(n); for (const c of (n.children as Array<Record<string, unknown>>)) walk(c); };
    tree.forEach(walk);
    const got = await rows(`select pid, ppid, comm, cmdline, exit_code, epoch_ns("exit") from '${out}' order by pid, first_seen`);
    const want = flat.map((n) => [BigInt(n.pid as number), n.ppid === null ? null : BigInt(n.ppid as number), n.comm, n.cmdline,
      n.exitCode ?? null, n.exit === null ? null : BigInt(n.exit as string)]);
    const key = (r: unknown[]): string => r.map(String).join('|');
    expect(got.map(key).sort()).toEqual(want.map(key).sort());
    // curl is started by bash and exits with 0.
    const curl = await rows(`select p.comm, c.exit_code from '${out}' c join '${out}' p on c.ppid = p.pid where c.comm = 'curl'`);
    expect(curl).toEqual([['bash', 0]]);
  });

  it('writes the processes in batches of --batch-rows, the same rows as one batch', async () => {
    // All processes went out as one batch: 590 MiB for 70,085 processes.
    const whole = join(dir, 'procs-whole.parquet');
    expect(scap(['export', capturePath('curl_google'), '-o', whole, '--table', 'processes']).status).toBe(0);
    const parts = join(dir, 'procs-batched.arrow');
    const r = scap(['export', capturePath('curl_google'), '-o', parts, '--table', 'processes', '--batch-rows', '7']);
    expect(r.status, r.stderr).toBe(0);
    const n = Number((await rows(`select count(*) from '${whole}'`))[0]![0]);
    const batches = RecordBatchReader.from(readFileSync(parts)).readAll();
    expect(batches.map((b) => b.numRows)).toEqual([...Array.from({ length: Math.floor(n / 7) }, () => 7), ...(n % 7 > 0 ? [n % 7] : [])]);
    const key = (pid: unknown, exit: unknown, cmdline: unknown): string => `${String(pid)}|${String(exit)}|${String(cmdline)}`;
    const fromArrow = batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) =>
      key(b.getChild('pid')!.get(i), b.getChild('exit_code')!.get(i), b.getChild('cmdline')!.get(i))));
    const fromParquet = (await rows(`select pid, exit_code, cmdline from '${whole}'`)).map((r) => key(r[0], r[1], r[2]));
    expect(fromArrow).toEqual(fromParquet);
  });
});

describe('scap export --partition-by', () => {
  it.each(FIXTURES)('%s: the dataset reads in DuckDB as one table with the reference counts per type', async (name) => {
    const out = join(dir, `ds-${name}`);
    const r = scap(['export', capturePath(name), '-o', out, '--partition-by', 'hour,type']);
    expect(r.status).toBe(0);
    const src = `read_parquet('${out}/**/*.parquet', hive_partitioning = true)`;
    expect(await rows(`select count(*) from ${src}`)).toEqual([[BigInt(goldenCounts(name).sinsp_example_all_threads_retrieved!)]]);
    const types = await rows(`select type || ' ' || dir, count(*) from ${src} group by all`);
    expect(new Map(types.map(([k, n]) => [k as string, Number(n)]))).toEqual(goldenTypes(name));
    // The partition column lives in the path only, as Hive expects.
    const files = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.parquet'));
    expect(files.every((f) => /^hour=\d{4}-\d\d-\d\dT\d\d\/type=[^/]+\/part-\d{5}\.parquet$/.test(f))).toBe(true);
  });

  it('keeps memory bounded: with one partition open at a time every row still arrives', async () => {
    // A tiny limit forces partitions to close and reopen as new part files.
    // Reading in 4 KiB chunks gives many reader batches, between which partitions are switched.
    const bytes = gunzipSync(readFileSync(capturePath('curl_google')));
    const out = join(dir, 'ds-lru');
    const res = await exportPartitioned(await Inspector.open(chunkedStream(bytes, 4096)), { dir: out, by: ['type'], maxOpen: 1, batchRows: 50 });
    expect(res.rows).toBe(goldenCounts('curl_google').sinsp_example_all_threads_retrieved!);
    expect(await rows(`select count(*) from read_parquet('${out}/**/*.parquet', hive_partitioning = true)`)).toEqual([[BigInt(res.rows)]]);
    expect(res.files.length).toBeGreaterThan(new Set(res.files.map((f) => f.split('/')[0])).size);
  });

  it('refuses a non-empty directory and unknown keys; escapes values as Hive does', () => {
    const r = scap(['export', capturePath('curl_google'), '-o', join(dir, 'ds-curl_google'), '--partition-by', 'type']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is not empty/);
    expect(() => partitionKeys(['type', 'colour'])).toThrow(/cannot partition by colour/);
    expect(hiveValue('a/b c=é')).toBe('a%2Fb%20c%3D%C3%A9');
    expect(hiveValue('')).toBe('__HIVE_DEFAULT_PARTITION__');
  });
});
