// HTTP requests and their responses, as sysdig's httplog chisel prints
// them (userspace/sysdig/chisels/httplog.lua and http.lua, sysdig 0.36): on
// an I/O call of an IP or unix socket, a buffer that starts with a request
// line opens a transaction for its process and fd; the next buffer there
// that holds a status line closes it with a line. The buffers are read as
// evt.buffer prints them (non-printable bytes as dots), which is why the
// chisel's patterns look for header ends as "..".

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { renderedData } from './data-param.js';

/** The events http.lua is shown (its chisel.set_filter). */
export const HTTP_FILTER = 'evt.is_io = true and evt.buflen > 0 and (fd.sockfamily = ip or fd.sockfamily = unix)';

// http.lua's Lua patterns: %u is A-Z and %g a printable byte other than
// space (C locale); the first match is taken, as string.match does.
const REQUEST = /^([A-Z]+) ([\x21-\x7e]+)/;
const HOST = /Host: ([\x21-\x7e]+)\.\./;
const STATUS = /HTTP\/[\x21-\x7e]+ (\d+)/;
const CONTENT_LENGTH = /Content-Length: (\d+)\.\./;

interface Request { readonly method: string; readonly url: string; readonly ts: number; readonly dir: string }

export class HttpLog {
  private readonly shown: EventFilter;
  private readonly fdNum: FieldExtractor;
  private readonly pid: FieldExtractor;
  private readonly rawtime: FieldExtractor;
  private readonly datetime: FieldExtractor;
  private readonly ioDir: FieldExtractor;
  /** Requests waiting for their response, by process and fd. */
  private readonly open = new Map<string, Request>();

  constructor(fields: ReadonlyMap<string, FieldDef>) {
    this.shown = compileFilter(HTTP_FILTER, fields);
    const field = (name: string): FieldExtractor => fields.get(name)!.compile(undefined);
    this.fdNum = field('fd.num');
    this.pid = field('proc.pid');
    this.rawtime = field('evt.rawtime');
    this.datetime = field('evt.datetime');
    this.ioDir = field('evt.io_dir');
  }

  /** The line of the transaction this event closes, or undefined. */
  observe(ev: EventCursor, ctx: FieldContext): string | undefined {
    if (!this.shown(ev, ctx)) return undefined;
    const buf = renderedData(ev, ctx);
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
    const length = CONTENT_LENGTH.exec(buf)?.[1] ?? '0';
    // %d of the Lua numbers: tonumber's, and the latency truncated toward zero.
    const latencyMs = Math.trunc((ts - request.ts) / 1_000_000);
    return `${this.datetime(ev, ctx) ?? 'nil'} ${request.dir} method=${request.method} url=${request.url} response_code=${Number(status[1])} latency=${latencyMs}ms size=${Number(length)}B`;
  }
}
