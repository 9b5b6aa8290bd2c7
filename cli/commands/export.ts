import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { exportEvents, formatFromPath } from '../../convert/index.js';
import { inputPath } from '../input.js';
import { printWarnings, recoverOption } from '../warnings.js';

interface ExportArgs {
  file: string;
  output: string;
  'batch-rows': number;
  'row-group-rows': number;
  strict: boolean;
  recover: boolean;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <file>',
  describe: 'Write the events of a capture as a table: Parquet, Arrow IPC file, or Arrow IPC stream on stdout',
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'OUT.parquet, OUT.arrow, or - for an Arrow IPC stream on stdout' })
    .option('batch-rows', { type: 'number', default: 65536, describe: 'Rows per Arrow record batch' })
    .option('row-group-rows', { type: 'number', default: 131072, describe: 'Rows per Parquet row group' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    const format = formatFromPath(args.output);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover });
    const out = args.output === '-' ? process.stdout : args.output;
    const { rows } = await exportEvents(insp, { format, out, batchRows: args['batch-rows'], rowGroupRows: args['row-group-rows'] });
    if (args.output !== '-') process.stderr.write(`${rows} events written to ${args.output}\n`);
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
