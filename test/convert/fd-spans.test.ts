// The connections and files tables (`scap export --table connections|files`):
// on every fixture they hold the fd spans the reference's own fields
// describe (the golden events.txt, fields-fd.txt, fields-evt.txt and raw.txt
// that sinsp-example printed), and on a synthetic capture the cases the
// fixtures lack: an fd number reused for a second connection, a socket left
// open at the end, and a socket whose process exited without closing it.

import { parseRawLine } from '../inspect/raw-dump.js';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockType } from '../../scapfile/block-types.js';
import { EventType } from '../../scapfile/schema/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { CONNECTIONS_TABLE } from '../../convert/connections-table.js';
import { CaptureBuilder, tempDir } from '../helpers/capture-builder.js';
import { i64, sockaddr4, str, tuple4, u32, u64 } from '../helpers/event-builder.js';
import { scap } from '../helpers/cli.js';
import { FIXTURES, capturePath, goldenLines, type CaptureName } from '../helpers/fixtures.js';


const tmp = tempDir('scapkit-conns-');
let db: DuckDBConnection;
beforeAll(async () => { db = await (await DuckDBInstance.create(':memory:')).connect(); });
afterAll(() => { db?.closeSync(); tmp.cleanup(); });

async function rows(file: string): Promise<Record<string, unknown>[]> {
  const r = await db.runAndReadAll(`select * from '${file}'`);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}

/** golden/NAME/fields-GROUP.txt as field -> value maps by evt.num. */
function fieldsGolden(name: string, group: string): Map<string, Map<string, string>> {
  const lines = goldenLines(name as CaptureName, `fields-${group}.txt`);
  const header = lines.find((l) => l.startsWith('# fields:'))!.split('\t').slice(1);
  const out = new Map<string, Map<string, string>>();
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    out.set(cells[0]!, new Map(header.map((f, i) => [f, cells[i + 1]!])));
  }
  return out;
}

interface Expected {
  pid: string; tid: string; proc_name: string; fd_num: string; fd_type: string; name: string;
  cip?: string; cport?: string; sip?: string; sport?: string; l4proto?: string; flags?: string; opened_by: string; first_res: string;
  first_ts: string; first_num: string; last_ts: string; last_num: string; close_ts: string | null;
  events: number; bytes_in: number; bytes_out: number;
}

/** The `flags` parameter of each event of raw.txt, as a number, by "ts tid type" (ts as the ISO text raw.txt prints). */
function rawFlags(name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of goldenLines(name as CaptureName, 'raw.txt')) {
    const m = /^ts=(\S+) tid=(\d+) type=<(\w+) /.exec(line);
    if (m === null) continue;
    // Parsed as a whole: printable bytes are dumped as quoted runs (`["A" 14 00 00]`).
    const raw = parseRawLine(line);
    const b = raw.params[raw.paramNames.indexOf('flags')];
    if (b !== undefined && b.length > 0) out.set(`${m[1]} ${m[2]} ${m[3]}`, String(b.length <= 6 ? b.readUIntLE(0, b.length) : b.readBigUInt64LE()));
  }
  return out;
}

/** evt.rawtime as raw.txt prints a timestamp. */
const isoTs = (ns: string): string => {
  const t = BigInt(ns);
  return `${new Date(Number(t / 1_000_000n)).toISOString().slice(0, 19)}.${String(t % 1_000_000_000n).padStart(9, '0')}+0000`;
};

const TABLES = {
  connections: { types: new Set(['ipv4', 'ipv6', 'unix']), follows: (n: string) => n.includes('->') },
  files: { types: new Set(['file', 'directory']), follows: (n: string) => n !== '' },
} as const;

/**
 * The rows of a fixture from the reference's fields alone: events of an fd
 * of the table's types grouped by process (pid, or tid when sinsp knows no
 * process) and fd number while fd.name stays the same (a tuple, for
 * connections); a successful close ends the group.
 */
function expectedRows(name: string, table: keyof typeof TABLES): Expected[] {
  const { types, follows } = TABLES[table];
  const fd = fieldsGolden(name, 'fd');
  const evt = fieldsGolden(name, 'evt');
  const flags = rawFlags(name);
  const open = new Map<string, Expected>();
  const done: Expected[] = [];
  for (const line of goldenLines(name as CaptureName, 'events.txt')) {
    if (line === '' || line.startsWith('#')) continue;
    // EVENTS_FMT: num ts cpu type dir tid pid ppid name fd.num fd.type fd.name... res
    const t = line.split(' ');
    const [num, ts, , type, dir, tid, pid, , pname, fdnum, fdtype] = t as [string, string, string, string, string, string, string, string, string, string, string];
    if (!types.has(fdtype)) continue;
    const tuple = t.slice(11, -1).join(' ');
    const key = `${pid === '-1' ? `t${tid}` : pid}/${fdnum}`;
    let c = open.get(key);
    if (c !== undefined && c.name !== tuple) { done.push(c); open.delete(key); c = undefined; }
    if (c === undefined) {
      if (!follows(tuple)) continue;
      const f = fd.get(num)!;
      const rawres = evt.get(num)!.get('evt.rawres')!;
      const own = table === 'connections'
        ? { l4proto: f.get('fd.l4proto')!, cip: f.get('fd.cip')!, cport: f.get('fd.cport')!, sip: f.get('fd.sip')!, sport: f.get('fd.sport')! }
        : { flags: flags.get(`${isoTs(ts)} ${tid} ${type}`) ?? '<NA>' };
      c = {
        pid, tid, proc_name: pname, fd_num: fdnum, fd_type: fdtype, name: tuple, ...own,
        opened_by: type, first_res: rawres, first_ts: ts, first_num: num, last_ts: ts, last_num: num, close_ts: null,
        events: 0, bytes_in: 0, bytes_out: 0,
      };
      open.set(key, c);
    }
    c.last_ts = ts;
    c.last_num = num;
    c.events++;
    const e = evt.get(num)!;
    const res = Number(e.get('evt.rawres'));
    if (dir === '<' && res > 0) {
      if (e.get('evt.is_io_read') === 'true') c.bytes_in += res;
      else if (e.get('evt.is_io_write') === 'true') c.bytes_out += res;
    }
    if (type === 'close' && dir === '<' && res >= 0) { c.close_ts = ts; done.push(c); open.delete(key); }
  }
  return [...done, ...open.values()];
}

/** A row as the strings sinsp would print (<NA> for null), to compare with `Expected`. */
function printed(r: Record<string, unknown>, table: keyof typeof TABLES): Expected {
  const s = (v: unknown): string => (v === null || v === undefined ? '<NA>' : String(v));
  const own = table === 'connections'
    ? { l4proto: s(r.l4proto), cip: s(r.cip), cport: s(r.cport), sip: s(r.sip), sport: s(r.sport) }
    : { flags: s(r.flags) };
  return {
    pid: s(r.pid), tid: s(r.tid), proc_name: s(r.proc_name), fd_num: s(r.fd_num), fd_type: s(r.fd_type), name: s(r.name), ...own,
    opened_by: s(r.opened_by),
    first_res: s(r.first_res), first_ts: s(r.first_ts), first_num: s(r.first_num), last_ts: s(r.last_ts), last_num: s(r.last_num),
    close_ts: r.close_ts === null ? null : s(r.close_ts),
    events: Number(r.events), bytes_in: Number(r.bytes_in), bytes_out: Number(r.bytes_out),
  };
}

describe.each(FIXTURES.flatMap((f) => [[f, 'connections'], [f, 'files']] as const))('%s: %s', (name, table) => {
  it('are the rows the reference fields describe (names, ends, bytes each way, flags)', async () => {
    const out = join(tmp.dir, `${name}-${table}.parquet`);
    const r = scap(['export', capturePath(name), '-o', out, '--table', table]);
    expect(r.status, r.stderr).toBe(0);
    // Timestamps as integers, the way the golden files print evt.rawtime.
    const got = (await db.runAndReadAll(`select * replace (epoch_ns(first_ts)::varchar as first_ts,
      epoch_ns(last_ts)::varchar as last_ts, epoch_ns(close_ts)::varchar as close_ts) from '${out}'`)).getRowObjectsJS();
    const want = expectedRows(name, table);
    // single_ipv6_conn (two nc processes over IPv6) opens no file.
    expect(want.length > 0).toBe(!(name === 'single_ipv6_conn' && table === 'files'));
    expect(got.map((g) => printed(g as Record<string, unknown>, table))).toEqual(want);
  });
});

describe('connections on a synthetic capture', () => {
  const T0 = 1_700_000_000_000_000_000n;
  const cap = new CaptureBuilder().sectionHeader();
  let at = 0n;
  const add = (type: number, tid: number, params: Buffer[]): void => { cap.event(BlockType.EVENT_V2, { type, tid, ts: T0 + at++, params }); };
  const socket = (tid: number, fd: number): void => add(EventType.SOCKET_SOCKET_X, tid, [i64(fd), u32(2), u32(1), u32(0), u32(0)]);
  const connect = (tid: number, fd: number, dip: string, dport: number, sport: number): void =>
    add(EventType.SOCKET_CONNECT_X, tid, [i64(0), tuple4('10.0.0.1', sport, dip, dport), i64(fd), sockaddr4(dip, dport)]);
  const io = (type: number, tid: number, fd: number, n: number): void => add(type, tid, [i64(n), Buffer.alloc(Math.max(0, Math.min(n, 8))), i64(fd), u32(Math.max(n, 0))]);
  const close = (tid: number, fd: number): void => add(EventType.SYSCALL_CLOSE_X, tid, [i64(0), i64(fd)]);
  // Process 300: a connection left open when the capture ends.
  socket(300, 5); connect(300, 5, '10.0.0.9', 22, 50000); io(EventType.SYSCALL_WRITE_X, 300, 5, 4);
  // Process 100: fd 3 connects, talks and closes, then fd 3 again for another server.
  socket(100, 3); connect(100, 3, '10.0.0.2', 80, 40000);
  io(EventType.SYSCALL_WRITE_X, 100, 3, 5); io(EventType.SYSCALL_READ_X, 100, 3, 7); io(EventType.SYSCALL_READ_X, 100, 3, -11);
  close(100, 3);
  socket(100, 3); connect(100, 3, '10.0.0.3', 443, 40001); io(EventType.SYSCALL_WRITE_X, 100, 3, 3);
  // Process 500: fd 5 opens /tmp/a and writes, then dup2 puts another open of it on fd 5.
  const openat = (tid: number, fd: number, path: string): void =>
    add(EventType.SYSCALL_OPENAT_2_X, tid, [i64(fd), i64(-100), str(path), u32(2), u32(0), u32(0), u64(0)]);
  openat(500, 5, '/tmp/a'); io(EventType.SYSCALL_WRITE_X, 500, 5, 10); openat(500, 6, '/tmp/a');
  add(EventType.SYSCALL_DUP2_X, 500, [i64(5), i64(6), i64(5)]); io(EventType.SYSCALL_WRITE_X, 500, 5, 4);
  close(500, 5); close(500, 6);
  // Process 600: an openat whose flags and mode are empty (a fuzz input with one made the files export throw).
  add(EventType.SYSCALL_OPENAT_2_X, 600, [i64(7), i64(-100), str('/tmp/b'), Buffer.alloc(0), Buffer.alloc(0), u32(0), u64(0)]);
  close(600, 7);
  // Process 200 connects, then exits without closing; then enough other events for a sweep.
  socket(200, 4); connect(200, 4, '10.0.0.4', 53, 40002);
  add(EventType.PROCEXIT_1_E, 200, [i64(0), i64(0), Buffer.from([0]), Buffer.from([0]), i64(0)]);
  for (let i = 0; i < 70_000; i++) add(EventType.SYSCALL_CLOSE_X, 400, [i64(-9), i64(99)]);
  const file = tmp.file('conns.scap', cap.build());

  it('splits a reused fd number, keeps a socket open at the end open, and counts bytes each way', async () => {
    const out = join(tmp.dir, 'synthetic.parquet');
    const r = scap(['export', file, '-o', out, '--table', 'connections']);
    expect(r.status, r.stderr).toBe(0);
    const got = (await rows(out)).map((x) => [x.tid, x.fd_num, x.name, x.opened_by, x.events, x.bytes_in, x.bytes_out, x.close_ts === null]
      .map(String).join(' '));
    expect(got).toEqual([
      '100 3 10.0.0.1:40000->10.0.0.2:80 connect 5 7 5 false',
      // Ended by the sweep: its process exited without a close.
      '200 4 10.0.0.1:40002->10.0.0.4:53 connect 1 0 0 true',
      // Still open when the capture ended, in order of first event.
      '300 5 10.0.0.1:50000->10.0.0.9:22 connect 2 0 4 true',
      '100 3 10.0.0.1:40001->10.0.0.3:443 connect 2 0 3 true',
    ]);
  });

  it('ends the rows of a process that exited before the capture does, so memory follows open sockets', async () => {
    const insp = await Inspector.open(file);
    const tracker = CONNECTIONS_TABLE.tracker();
    await insp.run((ev) => { tracker.observe(ev, insp.fieldContext); });
    expect(tracker.takeEnded().map((c) => c.name)).toEqual(['10.0.0.1:40000->10.0.0.2:80', '10.0.0.1:40002->10.0.0.4:53']);
    expect(tracker.endAll().map((c) => c.name)).toEqual(['10.0.0.1:50000->10.0.0.9:22', '10.0.0.1:40001->10.0.0.3:443']);
  });

  it('files: a dup2 onto an open fd ends its row and starts one opened by dup2', async () => {
    const out = join(tmp.dir, 'synthetic-files.parquet');
    const r = scap(['export', file, '-o', out, '--table', 'files']);
    expect(r.status, r.stderr).toBe(0);
    const got = (await db.runAndReadAll(`select tid, fd_num, name, flags, opened_by, events, bytes_out, close_ts is null from '${out}' order by first_num`))
      .getRows().map((x) => x.map(String).join(' '));
    expect(got).toEqual([
      '500 5 /tmp/a 2 openat 2 10 true',
      '500 6 /tmp/a 2 openat 2 0 false',
      '500 5 /tmp/a <NA> dup2 3 4 false',
      '600 7 /tmp/b 0 openat 2 0 false',
    ].map((l) => l.replace('<NA>', 'null')));
  });

  it('an empty flags or mode parameter is 0 in the files and events tables, as evt.rawarg shows it', async () => {
    const out = join(tmp.dir, 'synthetic-events.parquet');
    const r = scap(['export', file, '-o', out, '--columns', 'num,type,tid,fd_name,flags,mode']);
    expect(r.status, r.stderr).toBe(0);
    const got = (await db.runAndReadAll(`select tid, fd_name, flags, mode from '${out}' where type = 'openat' order by num`))
      .getRows().map((x) => x.map(String).join(' '));
    expect(got).toEqual(['500 /tmp/a 2 0', '500 /tmp/a 2 0', '600 /tmp/b 0 0']);
    // sinsp-example -p '%evt.rawarg.flags %evt.rawarg.mode' prints 0 0 for that openat; so does scap read.
    const raw = scap(['read', file, '-p', '%evt.rawarg.flags %evt.rawarg.mode', '-f', 'thread.tid = 600 and evt.type = openat']);
    expect(raw.stdout).toBe('0 0\n');
  });

  it('refuses the events table options', () => {
    const r = scap(['export', file, '-o', join(tmp.dir, 'x.parquet'), '--table', 'connections', '-f', 'fd.type = ipv4']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/apply to the events table/);
  });
});
