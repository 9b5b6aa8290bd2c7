// The event fields made of parameters: `%evt.args`, `%evt.res` and
// `%evt.arg.NAME` / `%evt.arg[N]`, with libsinsp's rules
// (userspace/libsinsp/sinsp_filtercheck_event.cpp, extract for TYPE_ARGS,
// TYPE_RESSTR and TYPE_ARGSTR; event.h, has_return_value and
// get_syscall_return_value).
//
// - evt.args: every parameter the event carries, in order, `name=raw` or
//   `name=raw(resolved)`, separated by one space; nothing is skipped (res,
//   empty `<NA>` values and all). Generic syscall exit events print nothing.
// - evt.res: only for exit events of syscalls that carry at least one
//   parameter; `SUCCESS` when the first parameter (read as i32 or i64 by its
//   size, else 0) is >= 0, else that parameter's resolved text (`ENOENT`),
//   or its raw text when nothing resolves.
// - evt.arg: the resolved text when there is one, else the raw text.
//
// Usage, one formatter per output stream:
//
// ```ts
// const fmt = new ArgsFormatter(state);
// for (let i = 0; i < batch.count; i++) {
//   ev.moveTo(batch, i);
//   out.write(`${ev.num} ${fmt.args(ev)}\n`, 'latin1');
// }
// ```

import { hasReturnValue, returnValue } from './return-value.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EVENTS, EventType } from '../../scapfile/schema/events.js';
import type { EventInfo } from '../../scapfile/schema/types.js';
import type { StateLookup } from '../state/lookup.js';
import { ParamRenderer, type ParamRenderOptions, type UserLookup } from './param-render.js';

/** Where `ArgsFormatter.argsTo` writes: the text, in pieces, in order. */
export interface TextSink {
  text(s: string): void;
}

/** Renders the parameter fields of events; reuse one per stream. */
export class ArgsFormatter {
  private readonly r: ParamRenderer;
  /** Parameters `begin` found to show. */
  private count = 0;

  constructor(state: StateLookup & UserLookup, options: ParamRenderOptions = {}) {
    this.r = new ParamRenderer(state, options);
  }

  /** `%evt.args` of the event under `ev`. */
  args(ev: EventCursor): string {
    // Joined here rather than through a sink: this is the text output's
    // per-event path, and the call per piece costs it 3-4 %.
    const prefixes = this.begin(ev);
    if (prefixes === undefined) return '';
    const r = this.r;
    let out = '';
    for (let k = 0; k < this.count; k++) {
      r.renderParam(k);
      out += prefixes[k]! + r.raw;
      if (r.resolved !== '') out += '(' + r.resolved + ')';
    }
    return out;
  }

  /**
   * `%evt.args` of the event under `ev`, handed to `sink` piece by piece
   * (for a sink that stores bytes: no string of the whole is built).
   */
  argsTo(ev: EventCursor, sink: TextSink): void {
    const prefixes = this.begin(ev);
    if (prefixes === undefined) return;
    const r = this.r;
    for (let k = 0; k < this.count; k++) {
      r.renderParam(k);
      sink.text(prefixes[k]!);
      sink.text(r.raw);
      if (r.resolved !== '') {
        sink.text('(');
        sink.text(r.resolved);
        sink.text(')');
      }
    }
  }

  /** Sets the renderer on `ev` and `count` to its parameters to show; their `name=` prefixes, or undefined when it shows none. */
  private begin(ev: EventCursor): readonly string[] | undefined {
    const type = ev.type;
    if (type === EventType.GENERIC_X) return undefined;
    const info = EVENTS[type];
    if (info === undefined) return undefined;
    this.count = paramCount(ev, info);
    this.r.beginEvent(ev, info);
    return ARG_PREFIXES[type] ?? argPrefixes(type, info);
  }

  /** `%evt.res`: undefined when the event has no return value (sinsp prints `<NA>`). */
  res(ev: EventCursor): string | undefined {
    const type = ev.type;
    const info = EVENTS[type];
    if (info === undefined || !hasReturnValue(ev)) return undefined;
    if (returnValue(ev) >= 0) return 'SUCCESS';
    return this.arg(ev, 0);
  }

  /**
   * `%evt.arg.NAME` (a string: the first parameter of that name) or
   * `%evt.arg[N]` (a number: by position); undefined when the event has no
   * such parameter.
   */
  arg(ev: EventCursor, which: string | number): string | undefined {
    const info = EVENTS[ev.type];
    if (info === undefined) return undefined;
    const n = paramCount(ev, info);
    let k: number;
    if (typeof which === 'number') {
      k = which;
    } else {
      k = -1;
      for (let j = 0; j < n; j++) if (info.params[j]!.name === which) { k = j; break; }
    }
    if (k < 0 || k >= n) return undefined;
    const r = this.r;
    r.beginEvent(ev, info);
    r.renderParam(k);
    return r.resolved !== '' ? r.resolved : r.raw;
  }

  /** Raw and resolved text of parameter `k`, as evt.args shows them; undefined when absent. */
  param(ev: EventCursor, k: number): { raw: string; resolved: string } | undefined {
    const info = EVENTS[ev.type];
    if (info === undefined || k < 0 || k >= paramCount(ev, info)) return undefined;
    this.r.beginEvent(ev, info);
    this.r.renderParam(k);
    return { raw: this.r.raw, resolved: this.r.resolved };
  }
}

/**
 * Per event type, what `%evt.args` writes before each parameter's text
 * (`name=`, with the separating space after the first): made once per type
 * instead of joined for every parameter of every event.
 */
const ARG_PREFIXES: (readonly string[] | undefined)[] = [];
function argPrefixes(type: number, info: EventInfo): readonly string[] {
  const prefixes = info.params.map((p, k) => (k > 0 ? ' ' : '') + p.name + '=');
  ARG_PREFIXES[type] = prefixes;
  return prefixes;
}

/**
 * Parameters to show: those the event carries. An event carrying more than
 * its layout names (not produced by libscap) shows only the named ones.
 */
function paramCount(ev: EventCursor, info: EventInfo): number {
  return Math.min(ev.nparams, info.params.length);
}

/** `%evt.args` of one event (a fresh renderer; prefer `ArgsFormatter` in loops). */
export function renderArgs(ev: EventCursor, state: StateLookup & UserLookup, options?: ParamRenderOptions): string {
  return new ArgsFormatter(state, options).args(ev);
}

/** `%evt.res` of one event; undefined when it has none. */
export function renderRes(ev: EventCursor, state: StateLookup & UserLookup): string | undefined {
  return new ArgsFormatter(state).res(ev);
}

/** `%evt.arg.NAME` / `%evt.arg[N]` of one event; undefined when absent. */
export function renderArg(ev: EventCursor, state: StateLookup & UserLookup, which: string | number): string | undefined {
  return new ArgsFormatter(state).arg(ev, which);
}
