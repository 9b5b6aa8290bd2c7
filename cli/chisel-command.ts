// What the commands that stand for sysdig's event chisels share (echo-fds,
// httplog, httptop, iobytes, proc-exec-time, spy-file, spy-logs, spy-users, stdin,
// stdout, stderr): the capture and filter options, and one pass over the
// events that feeds a chisel and prints its lines.

import type { Argv } from 'yargs';
import { Inspector } from '../inspect/inspector.js';
import { FIELDS } from '../inspect/fields/index.js';
import type { FieldContext } from '../inspect/fields/index.js';
import { compileFilter } from '../inspect/filter/index.js';
import type { EventCursor } from '../scapfile/event-cursor.js';
import { displayFilterOption, filterOption, inputPath, resolvePortsOption } from './input.js';
import { LineOutput } from './output.js';
import { printWarnings, recoverOption } from './warnings.js';

/** The options every chisel command takes. */
export interface ChiselArgs {
  file: string;
  filter?: string;
  strict: boolean;
  recover: boolean;
  'resolve-ports'?: boolean;
  displayflt?: boolean;
}

/**
 * Adds the capture, -f (`filterWhat` says what it keeps, with an example),
 * -d (unless `events` is false: lsof, netstat and ps take -f per fd, not
 * per event), -R, --strict and --recover.
 */
export function chiselOptions<T>(y: Argv<T>, filterWhat: string, events = true): Argv<T & ChiselArgs> {
  const withFilter = y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('filter', filterOption(filterWhat));
  return (events ? withFilter.option('displayflt', displayFilterOption) : withFilter)
    .option('resolve-ports', resolvePortsOption)
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption) as unknown as Argv<T & ChiselArgs>;
}

/** A chisel as the runner drives it. */
export interface EventChisel {
  /** Lines printed before the first event. */
  readonly header?: readonly string[];
  /** The lines for an event the command line's filter keeps (none: undefined or []). */
  observe(ev: EventCursor, ctx: FieldContext): string | readonly string[] | undefined;
  /**
   * The events the filter leaves out and those sinsp parses but filters:
   * sysdig's chisel engine still shows them its interval callbacks.
   */
  observeOther?(ev: EventCursor, ctx: FieldContext): string | undefined;
  /** What is printed at the end of the capture. */
  readonly endLine?: string | readonly string[] | undefined;
}

/**
 * Compiles -f (before the capture is opened: a bad filter is refused at
 * once), then runs `make`'s chisel over the capture's events, printing its
 * lines; `ctxOf` may change the field context (a buffer format).
 */
export async function runChisel(args: ChiselArgs, make: () => EventChisel, ctxOf?: (ctx: FieldContext) => FieldContext): Promise<void> {
  const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
  const chisel = make();
  const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true, resolvePorts: args['resolve-ports'] === true });
  const ctx = ctxOf === undefined ? insp.fieldContext : ctxOf(insp.fieldContext);
  const out = new LineOutput();
  const print = (lines: string | readonly string[] | undefined): void => {
    if (lines === undefined) return;
    if (typeof lines === 'string') out.line(lines);
    else for (const line of lines) out.line(line);
  };
  print(chisel.header);
  const other = chisel.observeOther?.bind(chisel);
  // sysdig's filter (or with -d its display filter): the events it drops the
  // chisel sees only through observeOther (Inspector.setFilter).
  if (filter !== undefined) insp.setFilter((ev) => filter(ev, ctx), args.displayflt === true);
  await insp.run((ev) => {
    print(chisel.observe(ev, ctx));
    return !out.isClosed;
  }, () => out.flush(), other === undefined ? undefined : (ev) => print(other(ev, ctx)));
  print(chisel.endLine);
  await out.flush();
  process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
}
