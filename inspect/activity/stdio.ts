// What processes read from stdin and write to stdout and stderr, as sysdig's
// stdin, stdout and stderr chisels print it (userspace/sysdig/chisels/
// std*.lua, sysdig 0.36): each I/O call on fd 0, 1 or 2 that has a data
// parameter prints its bytes as they are, then a line end (Lua's print).
// A call that moved nothing, a failed one included, prints an empty line.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { dataBytes } from '../fields/event-extra-fields.js';

/** The standard streams by the chisels' names. */
export const STD_FDS = { stdin: 0, stdout: 1, stderr: 2 } as const;
export type StdStream = keyof typeof STD_FDS;

export class StdioEcho {
  private readonly shown: EventFilter;

  constructor(fields: ReadonlyMap<string, FieldDef>, stream: StdStream) {
    // The chisel's own filter.
    this.shown = compileFilter(`fd.num=${STD_FDS[stream]} and evt.is_io=true`, fields);
  }

  /** The bytes the chisel prints for this event, one char per byte; undefined when it prints nothing. */
  observe(ev: EventCursor, ctx: FieldContext): string | undefined {
    return this.shown(ev, ctx) ? dataBytes(ev) : undefined;
  }
}
