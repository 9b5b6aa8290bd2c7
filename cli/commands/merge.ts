import type { CommandModule } from 'yargs';
import type { Compression } from '../../scapfile/byte-source.js';
import { mergeCaptures } from '../../scapfile/writer/index.js';
import { inputPath } from '../input.js';
import { printWarnings, warnIfNoEvents } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface MergeArgs {
  files: string[];
  output: string;
  compression?: Compression;
  force: boolean;
  strict: boolean;
  quiet: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  ...COMMAND_USAGE.merge,
  builder: (y) => y
    .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Capture files (- for stdin, once)' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'Output file (.scap, .scap.gz, .scap.zst), or - for stdout' })
    .option('compression', { type: 'string', choices: ['none', 'gzip', 'zstd'] as const, describe: 'Output compression (default: from the extension)' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing output file' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when an input has warnings, the inputs\' processes or users clash, or no event is written' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print no summary' }),
  handler: async (args) => {
    const toStdout = args.output === '-';
    const files = args.files.map(inputPath);
    const summary = await mergeCaptures(files, toStdout ? process.stdout : args.output, {
      compression: args.compression ?? (toStdout ? 'none' : undefined),
      force: args.force,
      endStream: !toStdout,
    });
    if (!args.quiet) {
      process.stderr.write(`scap: merged ${summary.events} events of ${files.length} captures into ${toStdout ? 'stdout' : args.output} (${summary.outputBytes} bytes)\n`);
    }
    let failed = false;
    for (const [, w] of summary.warnings) failed = printWarnings(w, args.strict) || failed;
    for (const c of summary.conflicts) process.stderr.write(`scap: warning: ${c}\n`);
    failed = (args.strict && summary.conflicts.length > 0) || failed;
    process.exitCode = warnIfNoEvents(summary.events, toStdout ? 'stdout' : args.output, args.strict) || failed ? 1 : 0;
  },
};
