// Writes to log files, line by line, as sysdig's spy_logs chisel prints
// them (userspace/sysdig/chisels/spy_logs.lua, sysdig 0.36): each
// successful write to a file whose name says log (.log, _log, /var/log;
// not .gz or .tgz) is cut at its line ends and each non-empty line printed
// after the process and file names. On a terminal a line is green, yellow
// when it says "warn" in any case, red when it says "err" in lower case.
// The chisel's dump of the events around each line (sysdig -w) is `scap cut`'s.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import type { ChiselColors } from './colors.js';

/** Which files are logs (the chisel's FILE_FILTER). */
export const LOG_FILES_FILTER = '(fd.name contains .log or fd.name contains _log or fd.name contains /var/log) and not (fd.name contains .gz or fd.name contains .tgz)';

export class SpyLogs {
  private readonly shown: EventFilter;
  /** evt.arg.data, which renders the buffer whole, as evt.buffer gives a chisel. */
  private readonly buffer: FieldExtractor;
  private readonly procName: FieldExtractor;
  private readonly fdName: FieldExtractor;

  /** `colors`: the chisel colours only on a terminal (sysdig.is_tty), NO_COLORS otherwise. */
  constructor(fields: ReadonlyMap<string, FieldDef>, private readonly colors: ChiselColors | undefined) {
    this.shown = compileFilter(`(${LOG_FILES_FILTER}) and evt.is_io_write=true and evt.dir=< and evt.failed=false`, fields);
    this.procName = fields.get('proc.name')!.compile(undefined);
    this.fdName = fields.get('fd.name')!.compile(undefined);
    this.buffer = fields.get('evt.arg')!.compile('data');
  }

  /** The lines for this event (evt.buffer as the context's buffer format renders it, cut at line ends). */
  observe(ev: EventCursor, ctx: FieldContext): string[] {
    if (!this.shown(ev, ctx)) return [];
    const buf = this.buffer(ev, ctx);
    if (buf === undefined) return [];
    // Lua would fail concatenating nil; sysdig gives every write a thread and fd here.
    const info = `${this.procName(ev, ctx) ?? 'nil'} ${this.fdName(ev, ctx) ?? 'nil'} `;
    const out: string[] = [];
    for (const msg of buf.split('\n')) {
      if (msg.length === 0) continue;
      const c = this.colors;
      if (c === undefined) {
        out.push(info + msg);
        continue;
      }
      // string.lower (ASCII letters, C locale) then find "warn"; "err" is looked for in the line as written.
      const color = msg.replace(/[A-Z]+/g, (m) => m.toLowerCase()).includes('warn') ? c.yellow : msg.includes('err') ? c.red : c.green;
      out.push(`${color} ${info}${msg}`);
    }
    return out;
  }

  /**
   * What is printed when the capture ends on a terminal: sysdig's own
   * ESC[00m (its default line is coloured there), then the chisel's reset.
   */
  get endLine(): string | undefined { return this.colors === undefined ? undefined : `\x1b[00m${this.colors.reset}`; }
}
