// Reads and writes of files with the data they moved, as sysdig's spy_file
// chisel prints them (userspace/sysdig/chisels/spy_file.lua, sysdig 0.36):
// `TIME PROC(PID) R|W BYTES NAME DATA`, one per successful call on a file,
// terminals left out unless one file is named. The data prints as -A
// prints it unless another buffer format is asked for (the chisel's
// set_output_format("ascii") gives way to one).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { formatBytes } from '../stats/render.js';

export interface SpyFileOptions {
  /** Only this file (the chisel's spy_on_file_name); else every file but terminals. */
  readonly name?: string;
  /** Only reads or only writes (its read_or_write R or W); else both. */
  readonly only?: 'read' | 'write';
}

/**
 * The chisel's filter. It writes the file name bare into the filter text,
 * where sysdig then fails on a name with a space or a quote; it is quoted
 * here, which reads the same for every name sysdig takes.
 */
export function spyFileFilter(options: SpyFileOptions): string {
  const file = options.name !== undefined && options.name !== ''
    ? `(fd.name="${options.name.replace(/["\\]/g, (c) => `\\${c}`)}") and `
    : '(not fd.name contains /dev/pt and not fd.name contains /dev/tty) and ';
  const io = options.only === 'read' ? 'evt.is_io_read=true' : options.only === 'write' ? 'evt.is_io_write=true' : 'evt.is_io=true';
  return `${file}${io} and fd.type=file and evt.dir=< and evt.failed=false`;
}

export class SpyFile {
  private readonly shown: EventFilter;
  private readonly fields: readonly FieldExtractor[];

  constructor(fields: ReadonlyMap<string, FieldDef>, options: SpyFileOptions = {}) {
    this.shown = compileFilter(spyFileFilter(options), fields);
    const field = (name: string, arg?: string): FieldExtractor => fields.get(name)!.compile(arg);
    this.fields = [field('evt.time'), field('proc.name'), field('proc.pid'), field('evt.is_io_write'), field('evt.rawarg', 'res'), field('fd.name'), field('evt.arg', 'data')];
  }

  /** The line for this event (data line ends included), or undefined. */
  observe(ev: EventCursor, ctx: FieldContext): string | undefined {
    if (!this.shown(ev, ctx)) return undefined;
    const [time, pname, pid, isWrite, res, name, data] = this.fields.map((f) => f(ev, ctx));
    // string.format's %s of nil, in LuaJIT, for a value missing; a call without res is none the filter keeps.
    const nil = (v: string | undefined): string => v ?? 'nil';
    return `${nil(time)} ${nil(pname)}(${nil(pid)}) ${isWrite === 'true' ? 'W' : 'R'} ${formatBytes(Number(res))} ${nil(name)} ${nil(data)}`;
  }
}
