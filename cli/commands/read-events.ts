import type { Argv } from 'yargs';
import type { Inspector } from '../../inspect/inspector.js';
import type { EventFilter } from '../../inspect/filter/index.js';
import type { Source } from '../../scapfile/open-capture.js';
import type { BufferFormat } from '../../inspect/format/buffers.js';
import type { FieldContext, TimeMode } from '../../inspect/fields/field.js';
import { checkEventCount, colorOption, colorsOn, displayFilterOption, filterOption, resolvePortsOption, type ColorChoice } from '../input.js';

// Fields, filters and formats are loaded only when used: `--count` alone
// needs none of them, and loading them was a tenth of its start-up.
const fieldsModule = () => import('../../inspect/fields/index.js');

// What `scap read` and `scap live` share: the event options and the loop
// that filters, renders and prints events of an Inspector, whatever its source.

/**
 * sysdig's default line, in sysdig's own fields (sysdig.cpp): with -j their
 * names are the keys, so `jq '."evt.info"'` reads scap's JSON as it reads
 * sysdig's. evt.outputtime prints as the time mode (-t) says, evt.time's
 * text by default; evt.info is evt.args' text at this libs version.
 */
export const DEFAULT_FORMAT = '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info';

/**
 * sysdig's default line on a terminal (sysdig 0.36, when stdout is a tty):
 * process name, pid and event type in colour, and the pid before the tid.
 */
const TERMINAL_FORMAT = DEFAULT_FORMAT.replace('%proc.name (%thread.tid) %evt.dir %evt.type',
  '\x1b[01;32m%proc.name\x1b[00m (\x1b[01;36m%proc.pid\x1b[00m.%thread.tid) %evt.dir \x1b[01;34m%evt.type\x1b[00m');

/**
 * sysdig's `-pc` (`-p container`) line: the default one with the container
 * and the thread's id in its pid namespace. sysdig shows
 * `%container.name (%container.id)`; the name comes from a container
 * runtime (today libsinsp's container plugin), which a capture does not
 * hold, so the id stands alone.
 */
const CONTAINER_FORMAT = DEFAULT_FORMAT.replace('%proc.name (%thread.tid)', '%container.id %proc.name (%thread.tid:%thread.vtid)');

/**
 * sysdig's other named formats for -p (each a word no format would be:
 * it has no field), which scapkit has no fields for or, for -pp, no use.
 */
const UNSUPPORTED_NAMED_FORMATS = new Map([
  ['p', `sysdig's -pp prints its default format; scap's is -p '${DEFAULT_FORMAT}'`],
  ...['k', 'kubernetes'].map((w) => [w, "sysdig's Kubernetes line needs pod metadata, which a capture does not hold"] as const),
  ...['m', 'mesos'].map((w) => [w, "sysdig's Mesos line needs task metadata, which a capture does not hold"] as const),
]);

/** sysdig's names of formats for -p, which scap read and scap live take (main.ts reads `-pc` as `-p c` for them). */
export const SYSDIG_FORMAT_NAMES: readonly string[] = ['c', 'container', ...UNSUPPORTED_NAMED_FORMATS.keys()];

/** What sysdig writes at the end when its output format has colours (handle_end_of_file). */
const RESET_COLORS = '\x1b[00m';

/**
 * sysdig's escapes in -p (sysdig.cpp escape_output_format): \n, \t, \e
 * (ESC, for colours) and \\ become the character; a backslash before
 * anything else stays, and so does a last one (sysdig fails on it).
 */
export function sysdigEscapes(format: string): string {
  return format.replace(/\\([nte\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'e' ? '\x1b' : '\\'));
}

/** The format -p names, or the default line; `-p c` is sysdig's container line. */
function formatOf(args: EventPrintArgs): string {
  const named = args.print === 'c' || args.print === 'container';
  if (args.print !== undefined && !named) return sysdigEscapes(args.print);
  return named ? CONTAINER_FORMAT : !args.json && colorsOn(args.color ?? 'auto') ? TERMINAL_FORMAT : DEFAULT_FORMAT;
}

/** The options of printed events. */
export interface EventPrintArgs {
  print?: string;
  'print-ascii'?: boolean;
  'print-hex'?: boolean;
  'print-hex-ascii'?: boolean;
  'print-base64'?: boolean;
  filter?: string;
  json: boolean;
  number?: number;
  count: boolean;
  timetype?: TimeMode;
  color?: ColorChoice;
  'resolve-ports'?: boolean;
  displayflt?: boolean;
}

/** sysdig's buffer options and the libsinsp buffer format each selects. */
const BUFFER_OPTIONS = [
  ['print-ascii', 'A', 'eols', 'Print only the text of data buffers, keeping line ends (sysdig -A)'],
  ['print-hex', 'x', 'hex', 'Print data buffers in hex (sysdig -x)'],
  ['print-hex-ascii', 'X', 'hexascii', 'Print data buffers in hex and ASCII (sysdig -X)'],
  ['print-base64', 'b', 'base64', 'Print data buffers in base64 (sysdig -b)'],
] as const;

/** The buffer format options, as yargs gives them. */
export type BufferArgs = { readonly [K in (typeof BUFFER_OPTIONS)[number][0]]?: boolean };

/** Adds sysdig's buffer formats (-A, -x, -X, -b) to a command. */
export function bufferOptions<T>(y: Argv<T>): Argv<T & BufferArgs> {
  return y.options(Object.fromEntries(BUFFER_OPTIONS.map(([name, letter, , describe]) =>
    [name, { alias: letter, type: 'boolean' as const, describe }]))) as unknown as Argv<T & BufferArgs>;
}

/** The buffer format the options ask for; sysdig takes one at most. */
export function bufferFormatOf(args: BufferArgs): BufferFormat {
  const chosen = BUFFER_OPTIONS.filter(([name]) => args[name] === true);
  if (chosen.length > 1) throw new Error(`choose one buffer format: ${chosen.map(([, letter]) => `-${letter}`).join(', ')}`);
  return chosen[0]?.[2] ?? 'normal';
}

/**
 * The field context's change for the buffer format the options ask for, or
 * `unchosen` when they ask for none (a chisel's set_output_format("ascii")
 * gives way to a format the command line chose); undefined for none.
 */
export function withBufferFormat(args: BufferArgs, unchosen: BufferFormat = 'normal'): ((ctx: FieldContext) => FieldContext) | undefined {
  const chosen = bufferFormatOf(args);
  const bufferFormat = chosen === 'normal' ? unchosen : chosen;
  return bufferFormat === 'normal' ? undefined : (ctx) => ({ ...ctx, bufferFormat });
}

/** Adds -p, -f, -j, -n, --count and the buffer formats (-A, -x, -X, -b) to a command. */
export function eventPrintOptions<T>(y: Argv<T>): Argv<T & EventPrintArgs> {
  return bufferOptions(y
    .option('print', { alias: 'p', type: 'string', describe: "Output format with sinsp %fields, e.g. '*%evt.num %evt.type %evt.args'; with the leading * a missing value prints <NA>, without it events missing a field are not printed; c (or container) is sysdig's -pc line, with the container id; \\n, \\t, \\e (ESC, for colours) and \\\\ as in sysdig" })
    .option('filter', filterOption("Only events matching a sinsp filter, e.g. 'proc.name = curl and evt.type = connect'; as in sysdig, events that change no state (reads, writes, ...) are tested before they are parsed, and those it drops are not parsed (see -d)"))
    .option('displayflt', displayFilterOption)
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'One JSON object per event (keys are the format\'s fields)' })
    .option('number', { alias: 'n', type: 'number', describe: 'Stop after this many events' })
    .option('count', { type: 'boolean', default: false, describe: 'Decode every event, print only how many there are' })
    .option('color', { ...colorOption, describe: "The default line in sysdig's terminal colours, with the pid before the tid (sysdig does so on a terminal); auto: when the output is a terminal" })
    .option('timetype', {
      alias: 't', choices: ['h', 'a', 'r', 'd', 'D'] as const,
      describe: "How %evt.outputtime (and the default line's time) prints, as sysdig -t: h time of day, a seconds since the epoch, r since the first event, d 0 (no latency), D since the previous event",
    })
    .option('resolve-ports', resolvePortsOption))
    // -n 0, -n -3 and -n abc printed one event.
    .check((a) => {
      checkEventCount('-n', (a as { number?: number }).number);
      // -p with no value (or '') printed an empty line per event.
      const p = (a as { print?: unknown }).print;
      if (p !== undefined && (typeof p !== 'string' || p.trim() === '')) throw new Error("-p takes a format, e.g. -p '%evt.num %proc.name %evt.type'");
      const unsupported = UNSUPPORTED_NAMED_FORMATS.get(p as string);
      if (unsupported !== undefined) throw new Error(`-p ${String(p)}: ${unsupported}; -p c gives sysdig's container line`);
      return true;
    }) as unknown as Argv<T & EventPrintArgs>;
}

/** Compiles -f; call it before opening the input, so a bad filter fails fast. */
export async function eventFilter(args: EventPrintArgs): Promise<EventFilter | undefined> {
  if (args.filter === undefined) return undefined;
  const [{ FIELDS }, { compileFilter }] = await Promise.all([fieldsModule(), import('../../inspect/filter/index.js')]);
  return compileFilter(args.filter, FIELDS);
}

/**
 * Compiles -p (with -j or not) and throws what is wrong with it: for scap
 * live, which must refuse a bad format before it loads the driver, as it
 * refuses a bad filter.
 */
export async function checkEventFormat(args: EventPrintArgs): Promise<void> {
  if (args.print === undefined || args.count) return;
  const { FIELDS } = await fieldsModule();
  if (args.json) (await import('../../inspect/format/json.js')).eventJson(formatOf(args), FIELDS);
  else (await import('../../inspect/format/format-string.js')).compileFormat(formatOf(args), FIELDS);
}

/** Prints (or counts) the events of `insp` as the options say, until the source ends or -n is reached. */
export async function printEvents(insp: Inspector<Source>, filter: EventFilter | undefined, args: EventPrintArgs): Promise<void> {
  const limit = args.number ?? Infinity;
  // sysdig's filter drops events before they are parsed; its display filter
  // (-d) sees every event parsed (Inspector.setFilter).
  const display = args.displayflt === true;
  if (args.count && filter !== undefined) {
    insp.setFilter((ev) => filter(ev, insp.fieldContext), display);
    let n = 0;
    await insp.run(() => ++n < limit);
    process.stdout.write(`${n}\n`);
  } else if (args.count) {
    const n = await insp.count(limit);
    process.stdout.write(`${n}\n`);
  } else {
    const { FIELDS } = await fieldsModule();
    const { LineOutput } = await import('../output.js');
    const out = new LineOutput();
    const format = formatOf(args);
    const render = args.json
      ? (await import('../../inspect/format/json.js')).eventJson(format, FIELDS)
      : (await import('../../inspect/format/format-string.js')).compileFormat(format, FIELDS);
    const bufferFormat = bufferFormatOf(args);
    const ctx = bufferFormat === 'normal' && args.timetype === undefined
      ? insp.fieldContext
      : { ...insp.fieldContext, bufferFormat, timeMode: args.timetype };
    let printed = 0;
    if (filter !== undefined) insp.setFilter((ev) => filter(ev, ctx), display);
    await insp.run((ev) => {
      const line = render(ev, ctx);
      // A format without `*` prints only events that have all its fields.
      if (line === undefined) return true;
      out.line(line);
      return ++printed < limit && !out.isClosed;
    }, () => out.flush());
    // sysdig resets the terminal's colours at the end when the format has ESC in it (\e).
    if (!args.json && format.includes('\x1b')) out.text(RESET_COLORS);
    await out.flush();
  }
}
