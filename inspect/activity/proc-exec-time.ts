// Processes that ended and how long they ran, as sysdig's proc_exec_time
// chisel prints them (userspace/sysdig/chisels/proc_exec_time.lua, sysdig
// 0.36): a line per procexit, coloured by run time.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { formatDuration } from '../stats/render.js';
import type { ChiselColors } from './colors.js';

/** The chisel's thresholds: yellow past 3 s, red past 10 s. */
const YELLOW_NS = 3_000_000_000;
const RED_NS = 10_000_000_000;

/** Lua's %-W.Ws: cut to W bytes, padded to W. */
const column = (s: string, w: number): string => s.slice(0, w).padEnd(w, ' ');

export class ProcExecTime {
  private readonly shown: EventFilter;
  private readonly duration: FieldExtractor;
  private readonly name: FieldExtractor;
  private readonly args: FieldExtractor;
  private readonly container: FieldExtractor;

  constructor(fields: ReadonlyMap<string, FieldDef>, private readonly colors: ChiselColors) {
    this.shown = compileFilter('evt.type=procexit', fields);
    this.duration = fields.get('proc.duration')!.compile(undefined);
    this.name = fields.get('proc.name')!.compile(undefined);
    this.args = fields.get('proc.args')!.compile(undefined);
    this.container = fields.get('container.id')!.compile(undefined);
  }

  /** The two header lines the chisel prints when it starts. */
  get header(): string[] {
    return [
      `${column('proc.duration', 13)} ${column('proc.name', 12)} proc.args`,
      `${'-'.repeat(13)} ${'-'.repeat(12)} ${'-'.repeat(20)}`,
    ];
  }

  /** The line for this event, or undefined. */
  observe(ev: EventCursor, ctx: FieldContext): string | undefined {
    if (!this.shown(ev, ctx)) return undefined;
    const text = this.duration(ev, ctx);
    if (text === undefined) return undefined;
    const ns = Number(text);
    const c = this.colors;
    const color = ns > RED_NS ? c.red : ns > YELLOW_NS ? c.yellow : this.onHost(ev, ctx) ? c.green : c.blue;
    // string.format's %s of nil, in LuaJIT, for a value missing.
    return `${color}${column(formatDuration(ns), 13)} ${column(this.name(ev, ctx) ?? 'nil', 12)} ${this.args(ev, ctx) ?? 'nil'}`;
  }

  /**
   * Green or blue: the chisel asks whether container.name is "host". In
   * sysdig 0.36 (libs 0.15.1) a thread is on the host when it has no
   * container id and is in no pid namespace of its own; a process of
   * `unshare --pid` has no container name, so it is blue. (libs' container
   * plugin, which replaced that code, calls it "host".)
   */
  private onHost(ev: EventCursor, ctx: FieldContext): boolean {
    return this.container(ev, ctx) === 'host' && ctx.state.threadDetail?.(ev.tid)?.isInPidNamespace() !== true;
  }

  /**
   * What the chisel prints when the capture ends: the colour reset, on a
   * line; nothing without colours (the chisel's disable_color prints an
   * empty line).
   */
  get endLine(): string | undefined { return this.colors.reset === '' ? undefined : this.colors.reset; }
}
