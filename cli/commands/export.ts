import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { FIELDS } from '../../inspect/fields/index.js';
import {
  eventColumns, exportEvents, exportFdSpans, exportPartitioned, exportProcesses, formatFromPath, partitionKeys,
} from '../../convert/index.js';
import { DEFAULT_BATCH_ROWS, MAX_BATCH_ROWS } from '../../convert/events-table.js';
import { DEFAULT_PARTITION_BATCH_ROWS } from '../../convert/partitioned-export.js';
import { constants } from 'node:os';
import { filterOption, inputPath } from '../input.js';
import { Progress } from '../progress.js';
import { onStopSignal } from '../stop-signals.js';
import { checkOutputFile } from '../output-file.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { optionValues } from '../errors.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface ExportArgs {
  file: string;
  output: string;
  table: 'events' | 'processes' | 'connections' | 'files';
  filter?: string;
  columns?: string;
  'partition-by'?: string;
  'batch-rows': number | undefined;
  'row-group-rows': number;
  progress?: boolean;
  force: boolean;
  strict: boolean;
  recover: boolean;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

export const exportCommand: CommandModule<object, ExportArgs> = {
  ...COMMAND_USAGE.export,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'OUT.parquet, OUT.arrow, - for an Arrow IPC stream on stdout, or a directory with --partition-by' })
    .option('table', { type: 'string', choices: ['events', 'processes', 'connections', 'files'] as const, default: 'events' as const, describe: 'events: one row per event; processes: one row per process of the process tree; connections: one row per socket connection (tuple, bytes each way, open and close times); files: one row per open file (path, flags, bytes read and written)' })
    .option('filter', filterOption("Only events matching a sinsp filter, e.g. 'fd.type = ipv4'; every event is parsed first (sysdig's -d), so the rows name what the whole capture names"))
    .option('columns', { type: 'string', describe: 'Only these columns of the events table, comma-separated (see convert/README.md)' })
    .option('partition-by', { type: 'string', describe: 'Write a Hive-partitioned Parquet dataset into the -o directory, by these keys: date, hour, type, proc_name, cpu' })
    .option('batch-rows', { type: 'number', describe: `Rows per Arrow record batch (default ${DEFAULT_BATCH_ROWS}; ${DEFAULT_PARTITION_BATCH_ROWS} per partition with --partition-by; at most ${MAX_BATCH_ROWS})` })
    .option('row-group-rows', { type: 'number', default: 131072, describe: 'Rows per Parquet row group' })
    .option('progress', { type: 'boolean', describe: 'Show progress on stderr (default: when stderr is a terminal)' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing output file' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    // Checked before the capture is opened, so a bad argument fails fast.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    // Bad values of the other options are usage errors (exit 2), as yargs' own.
    const { columns, by, format } = optionValues(() => {
      const columns = args.columns === undefined ? undefined : eventColumns(list(args.columns));
      const by = args['partition-by'] === undefined ? undefined : partitionKeys(list(args['partition-by']));
      if (args.table !== 'events' && (filter !== undefined || columns !== undefined || by !== undefined)) {
        throw new Error('--filter, --columns and --partition-by apply to the events table');
      }
      if (by !== undefined && args.output === '-') throw new Error('a partitioned dataset is a directory; give its path with -o');
      for (const flag of ['batch-rows', 'row-group-rows'] as const) {
        const n = args[flag];
        if (n !== undefined && !(Number.isInteger(n) && n > 0)) throw new Error(`--${flag} takes a positive whole number of rows`);
      }
      // A batch is built in memory whole: 1e9 rows took 3.7 GB before the first event.
      if ((args['batch-rows'] ?? 0) > MAX_BATCH_ROWS) throw new Error(`--batch-rows takes at most ${MAX_BATCH_ROWS} rows`);
      return { columns, by, format: by === undefined ? formatFromPath(args.output) : 'parquet' as const };
    });
    const input = inputPath(args.file);
    if (by === undefined && args.output !== '-') await checkOutputFile(args.output, [input], args.force, 'a file name ending in .parquet or .arrow');
    // Read and converted on this thread, in recycled batch memory (every
    // row copies what it keeps): the read-ahead worker made the export no
    // faster on two CPUs, the table and Parquet threads already fill them,
    // and cost memory and CPU. bench.scap to Parquet, 2 interleaved runs:
    // 16.89-17.91 vs 17.13-17.39 s, CPU 25.3-26.8 vs 27.1-27.9 s, peak RSS
    // 384-386 vs 455-465 MiB, the same file.
    const insp = await Inspector.open(input, { recover: args.recover, readAhead: false, recycleBatches: true });
    const progress = new Progress(insp.capture, args.progress ?? process.stderr.isTTY === true);
    const onProgress = (rows: number): void => progress.update(rows);
    const out = args.output === '-' ? process.stdout : args.output;
    // A stop signal ends the export as the end of the capture would: the
    // output is completed with the rows so far (a Parquet or Arrow file
    // killed half way had no footer: unreadable, or a dataset with part
    // files missing), and the exit status says it was interrupted. A second
    // signal kills as usual; the file then never takes its name.
    const stop = new AbortController();
    let stoppedBy: NodeJS.Signals | undefined;
    const offSignals = onStopSignal((sig) => { stoppedBy = sig; stop.abort(); });
    const signal = stop.signal;
    let rows: number;
    let what: string;
    let interrupted: boolean;
    try {
      if (by !== undefined) {
        const r = await exportPartitioned(insp, {
          dir: args.output, by, filter, columns, onProgress, batchRows: args['batch-rows'], rowGroupRows: args['row-group-rows'], signal,
        });
        ({ rows, interrupted } = r);
        what = `${r.files.length} file${r.files.length === 1 ? '' : 's'} under ${args.output}`;
      } else {
        ({ rows, interrupted } = args.table === 'processes'
          ? await exportProcesses(insp, { format, out, batchRows: args['batch-rows'], rowGroupRows: args['row-group-rows'], onProgress, signal })
          : args.table === 'connections' || args.table === 'files'
            ? await exportFdSpans(insp, args.table, { format, out, batchRows: args['batch-rows'], rowGroupRows: args['row-group-rows'], onProgress, signal })
            : await exportEvents(insp, {
              format, out, batchRows: args['batch-rows'], rowGroupRows: args['row-group-rows'], filter, columns, onProgress, signal,
            }));
        what = args.output;
      }
    } finally {
      offSignals();
      progress.done();
    }
    const where = args.output === '-' ? 'the stream' : what;
    if (interrupted) {
      process.stderr.write(`scap: interrupted (${stoppedBy}); ${where} holds the ${rows} rows of the ${args.table} table made before it, and is complete\n`);
      process.exitCode = 128 + (constants.signals[stoppedBy!] ?? 2);
      return;
    }
    if (args.output !== '-') process.stderr.write(`${rows} ${args.table} written to ${what}\n`);
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};

