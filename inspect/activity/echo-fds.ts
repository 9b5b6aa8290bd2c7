// The data processes read and write, as sysdig's echo_fds chisel prints it
// (userspace/sysdig/chisels/echo_fds.lua, sysdig 0.36): a header line per
// I/O call that moved bytes (red for a read, blue for a write), then the
// call's data as %evt.arg.data prints it in the chosen buffer format.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { compileFormat, type EventFormatter } from '../format/format-string.js';
import { formatBytes } from '../stats/render.js';
import type { ChiselColors } from './colors.js';

/** The events the chisel is shown (its chisel.set_filter). */
export const ECHO_FDS_FILTER = 'evt.is_io=true and evt.dir=< and evt.rawres>0';


/**
 * Watches events and answers the lines the chisel prints for each: its
 * header, then the data line when the event has a data parameter (the
 * chisel's event formatter has no `*`, so sysdig prints no line for an
 * event without one, such as sendfile).
 */
export class EchoFds {
  private readonly shown: EventFilter;
  private readonly isRead: FieldExtractor;
  private readonly res: FieldExtractor;
  private readonly fdName: FieldExtractor;
  private readonly procName: FieldExtractor;
  private readonly data: EventFormatter;

  constructor(fields: ReadonlyMap<string, FieldDef>, private readonly colors: ChiselColors) {
    this.shown = compileFilter(ECHO_FDS_FILTER, fields);
    this.isRead = fields.get('evt.is_io_read')!.compile(undefined);
    this.res = fields.get('evt.rawarg')!.compile('res');
    this.fdName = fields.get('fd.name')!.compile(undefined);
    this.procName = fields.get('proc.name')!.compile(undefined);
    this.data = compileFormat('%evt.arg.data', fields);
  }

  /** The chisel's lines for this event (none when it is not shown one). */
  observe(ev: EventCursor, ctx: FieldContext): string[] {
    if (!this.shown(ev, ctx)) return [];
    const res = Number(this.res(ev, ctx));
    if (!(res > 0)) return [];
    const name = this.fdName(ev, ctx) ?? '<NA>';
    // string.format's %s of nil, in LuaJIT.
    const pname = this.procName(ev, ctx) ?? 'nil';
    const { red, blue } = this.colors;
    // Without containers the chisel's container text is empty: two spaces after from/to.
    const header = this.isRead(ev, ctx) === 'true'
      ? `${red}------ Read ${formatBytes(res)} from  ${red} ${name} (${pname})`
      : `${blue}------ Write ${formatBytes(res)} to  ${blue} ${name} (${pname})`;
    const data = this.data(ev, ctx);
    return data === undefined ? [header] : [header, data];
  }

  /**
   * What the chisel prints when the capture ends: the colour reset, on a
   * line; nothing without colours (the chisel's disable_color prints an
   * empty line).
   */
  get endLine(): string | undefined { return this.colors.reset === '' ? undefined : this.colors.reset; }
}
