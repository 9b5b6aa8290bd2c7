import { optionValues } from '../errors.js';
import type { CommandModule } from 'yargs';
import type { Compression } from '../../scapfile/byte-source.js';
import { CUT_FILTER_NEEDS_FILE, cutCapture, eventTypesNamed } from '../../inspect/cut.js';
import type { CutSelection } from '../../inspect/cut.js';
import { checkEventCount, filterOption, inputPath, timeOption } from '../input.js';
import { printWarnings, warnIfNoEvents } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

// `scap cut`: flags in, a CutSelection out to inspect/cut.ts, which holds the logic.

const numbers = (list: readonly (string | number)[] | undefined): Set<number> | undefined =>
  list === undefined || list.length === 0
    ? undefined
    : new Set(list.flatMap((v) => String(v).split(',')).filter((s) => s !== '').map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new Error(`${JSON.stringify(s)} is not a thread or process id`);
      return n;
    }));

interface CutArgs {
  file: string;
  output: string;
  from?: string;
  to?: string;
  number?: number;
  skip?: number;
  type?: string[];
  tid?: (string | number)[];
  pid?: (string | number)[];
  filter?: string;
  'state-events': boolean;
  compression?: Compression;
  force: boolean;
  strict: boolean;
  quiet: boolean;
}

export const cutCommand: CommandModule<object, CutArgs> = {
  ...COMMAND_USAGE.cut,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file (- for stdin, without -f)' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'Output file (.scap, .scap.gz, .scap.zst), or - for stdout' })
    .option('from', { type: 'string', describe: "Keep events from this time: ns since the epoch, seconds.fraction, '2018-08-17 17:35:45.5' (local unless ending in Z), or +5s after the first event" })
    .option('to', { type: 'string', describe: 'Keep events before this time (same forms as --from)' })
    .option('number', { alias: 'n', type: 'number', describe: 'Keep at most this many events, counted as scap read shows them (not the enter events and user tables libsinsp parses without showing)' })
    .option('skip', { type: 'number', describe: 'Pass over this many matching events first (counted as -n counts)' })
    .option('type', { type: 'string', array: true, describe: 'Keep only these event types (names, comma-separated)' })
    .option('tid', { type: 'string', array: true, describe: 'Keep only these thread ids' })
    .option('pid', { type: 'string', array: true, describe: 'Keep only these process ids' })
    .option('filter', filterOption("A sinsp filter, e.g. 'proc.name = curl and evt.type = connect'"))
    .option('state-events', { type: 'boolean', default: true, describe: 'Keep dropped events that change state, flagged state-only (libsinsp parses them, shows none)' })
    .option('compression', { type: 'string', choices: ['none', 'gzip', 'zstd'] as const, describe: 'Output compression (default: from the extension)' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing output file' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input has warnings or nothing is kept' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print no summary' })
    .check((a) => {
      if (a.filter !== undefined && inputPath(a.file) === '-') throw new Error(CUT_FILTER_NEEDS_FILE);
      checkEventCount('-n', a.number);
      checkEventCount('--skip', a.skip, true);
      return true;
    }),
  handler: async (args) => {
    const toStdout = args.output === '-';
    const sel: CutSelection = optionValues(() => ({
      ...timeWindow(args.from, args.to),
      limit: args.number,
      skip: args.skip,
      types: args.type === undefined ? undefined : eventTypesNamed(args.type),
      tids: numbers(args.tid),
      pids: numbers(args.pid),
      filter: args.filter,
      stateEvents: args['state-events'],
    }));
    const summary = await cutCapture(inputPath(args.file), toStdout ? process.stdout : args.output, sel, {
      compression: args.compression ?? (toStdout ? 'none' : undefined),
      force: args.force,
      endStream: !toStdout,
    });
    if (!args.quiet) {
      process.stderr.write(
        `scap: kept ${summary.kept} of ${summary.eventsRead} events` +
        (summary.stateOnly > 0 ? ` (+${summary.stateOnly} state-only)` : '') +
        ` in ${toStdout ? 'stdout' : args.output} (${summary.outputBytes} bytes)\n`,
      );
    }
    const failed = printWarnings(summary.warnings, args.strict);
    process.exitCode = warnIfNoEvents(summary.kept, toStdout ? 'stdout' : args.output, args.strict) || failed ? 1 : 0;
  },
};

/**
 * --from and --to; a window that is empty whatever the capture (--to not
 * after --from, both absolute or both offsets) is refused: it wrote an
 * empty capture and a warning, exit status 0.
 */
function timeWindow(fromText: string | undefined, toText: string | undefined): Pick<CutSelection, 'from' | 'to'> {
  const from = fromText === undefined ? undefined : timeOption('--from', fromText);
  const to = toText === undefined ? undefined : timeOption('--to', toText);
  if (from !== undefined && to !== undefined && from.kind === to.kind && to.ns <= from.ns) {
    throw new Error(`--to ${toText} is not after --from ${fromText}: no event can be in that window`);
  }
  return { from, to };
}
