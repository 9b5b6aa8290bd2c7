// HTTP requests and their responses, as sysdig's httplog and httptop
// chisels print them (userspace/sysdig/chisels/httplog.lua, httptop.lua and
// http.lua, sysdig 0.36): on
// an I/O call of an IP or unix socket, a buffer that starts with a request
// line opens a transaction for its process and fd; the next buffer there
// that holds a status line closes it with a line. The buffers are read as
// evt.buffer prints them (non-printable bytes as dots), which is why the
// chisel's patterns look for header ends as "..".

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { topTableLines } from '../stats/render.js';
import { rankRows, type TopRow } from '../stats/top-table.js';
import type { ValueUnits } from '../stats/views.js';

/** The events http.lua is shown (its chisel.set_filter). */
export const HTTP_FILTER = 'evt.is_io = true and evt.buflen > 0 and (fd.sockfamily = ip or fd.sockfamily = unix)';

// http.lua's Lua patterns: %u is A-Z and %g a printable byte other than
// space (C locale); the first match is taken, as string.match does.
const REQUEST = /^([A-Z]+) ([\x21-\x7e]+)/;
const HOST = /Host: ([\x21-\x7e]+)\.\./;
const STATUS = /HTTP\/[\x21-\x7e]+ (\d+)/;
const CONTENT_LENGTH = /Content-Length: (\d+)\.\./;

interface Request { readonly method: string; readonly url: string; readonly ts: number; readonly dir: string }

/** A request and its response, as http.lua hands them to on_transaction. */
export interface HttpTransaction {
  /** `<` for a request read (a server), `>` for one written (a client). */
  readonly dir: string;
  readonly method: string;
  /** The Host header's value and the request's path, or the path alone. */
  readonly url: string;
  readonly code: number;
  /** Content-Length, 0 without one. */
  readonly length: number;
  /** evt.rawtime of the request and of the response, as Lua's doubles. */
  readonly requestTs: number;
  readonly responseTs: number;
}

/**
 * http.lua's run_http_parser: follows the I/O calls of sockets and answers
 * the transaction an event closes.
 */
export class HttpTransactions {
  private readonly shown: EventFilter;
  /** evt.arg.data, which renders the buffer whole, as evt.buffer gives a chisel. */
  private readonly buffer: FieldExtractor;
  private readonly fdNum: FieldExtractor;
  private readonly pid: FieldExtractor;
  private readonly rawtime: FieldExtractor;
  private readonly ioDir: FieldExtractor;
  /** Requests waiting for their response, by process and fd. */
  private readonly open = new Map<string, Request>();

  constructor(fields: ReadonlyMap<string, FieldDef>) {
    this.shown = compileFilter(HTTP_FILTER, fields);
    const field = (name: string): FieldExtractor => fields.get(name)!.compile(undefined);
    this.buffer = fields.get('evt.arg')!.compile('data');
    this.fdNum = field('fd.num');
    this.pid = field('proc.pid');
    this.rawtime = field('evt.rawtime');
    this.ioDir = field('evt.io_dir');
  }

  /** The transaction this event closes, or undefined. */
  observe(ev: EventCursor, ctx: FieldContext): HttpTransaction | undefined {
    if (!this.shown(ev, ctx)) return undefined;
    const buf = this.buffer(ev, ctx);
    if (buf === undefined) return undefined;
    const key = `${this.pid(ev, ctx)}\x01\x01${this.fdNum(ev, ctx)}`;
    // evt.rawtime reaches Lua as a double: rounded as C casts a u64.
    const ts = Number(this.rawtime(ev, ctx));
    const request = this.open.get(key);
    if (request === undefined) {
      const m = REQUEST.exec(buf);
      if (m === null) return undefined;
      const host = HOST.exec(buf);
      const dir = this.ioDir(ev, ctx);
      this.open.set(key, {
        method: m[1]!, url: host === null ? m[2]! : host[1]! + m[2]!, ts,
        dir: dir === 'read' ? '<' : dir === 'write' ? '>' : '<NA>',
      });
      return undefined;
    }
    const status = STATUS.exec(buf);
    if (status === null) return undefined;
    this.open.delete(key);
    return {
      dir: request.dir, method: request.method, url: request.url, requestTs: request.ts, responseTs: ts,
      // tonumber's values.
      code: Number(status[1]), length: Number(CONTENT_LENGTH.exec(buf)?.[1] ?? '0'),
    };
  }
}

/** httplog.lua: a line per transaction, with the time of the response. */
export class HttpLog {
  private readonly transactions: HttpTransactions;
  private readonly datetime: FieldExtractor;

  constructor(fields: ReadonlyMap<string, FieldDef>) {
    this.transactions = new HttpTransactions(fields);
    this.datetime = fields.get('evt.datetime')!.compile(undefined);
  }

  /** The line of the transaction this event closes, or undefined. */
  observe(ev: EventCursor, ctx: FieldContext): string | undefined {
    const t = this.transactions.observe(ev, ctx);
    if (t === undefined) return undefined;
    // %d of Lua numbers: the latency truncated toward zero.
    const latencyMs = Math.trunc((t.responseTs - t.requestTs) / 1_000_000);
    return `${this.datetime(ev, ctx) ?? 'nil'} ${t.dir} method=${t.method} url=${t.url} response_code=${t.code} latency=${latencyMs}ms size=${t.length}B`;
  }
}

/** What httptop ranks by: calls, response bytes, or mean latency. */
export type HttpTopBy = 'ncalls' | 'bytes' | 'time';
const TOP_UNITS: Record<HttpTopBy, ValueUnits> = { ncalls: 'none', bytes: 'bytes', time: 'time' };
/** httptop.lua's vizinfo.top_number. */
const HTTP_TOP_ROWS = 30;

/**
 * httptop.lua: the transactions by method and URL, ranked at the end of
 * the capture as print_sorted_table prints them (ties, in no set order to
 * the chisel, by key here).
 */
export class HttpTop {
  private readonly transactions: HttpTransactions;
  private readonly groups = new Map<string, { keys: readonly [string, string]; count: number; bytes: number; time: number }>();

  constructor(fields: ReadonlyMap<string, FieldDef>, private readonly by: HttpTopBy = 'ncalls') {
    this.transactions = new HttpTransactions(fields);
  }

  observe(ev: EventCursor, ctx: FieldContext): undefined {
    const t = this.transactions.observe(ev, ctx);
    if (t === undefined) return undefined;
    const key = `${t.method}\x01\x01${t.url}`;
    let g = this.groups.get(key);
    if (g === undefined) this.groups.set(key, g = { keys: [t.method, t.url], count: 0, bytes: 0, time: 0 });
    g.count++;
    g.bytes += t.length;
    // Lua adds left to right: (total + response ts) - request ts, in doubles.
    g.time = g.time + t.responseTs - t.requestTs;
    return undefined;
  }

  /** The table print_sorted_table prints. */
  get endLine(): string[] {
    const rows: TopRow[] = [...this.groups.values()].map((g) => ({
      keys: g.keys, value: this.by === 'ncalls' ? g.count : this.by === 'bytes' ? g.bytes : g.time / g.count,
    }));
    return topTableLines({ value: this.by, keys: ['method', 'url'] }, rankRows(rows, HTTP_TOP_ROWS), TOP_UNITS[this.by]);
  }
}
