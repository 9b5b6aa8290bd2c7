import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { inputPath } from '../input.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { eventFilter, eventPrintOptions, printEvents } from './read-events.js';
import type { EventPrintArgs } from './read-events.js';

interface ReadArgs extends EventPrintArgs {
  file: string;
  strict: boolean;
  recover: boolean;
}

export const readCommand: CommandModule<object, ReadArgs> = {
  command: 'read <file>',
  describe: 'Print the events of a capture (plain, gzip or zstd; - for stdin)',
  builder: (y) => eventPrintOptions(y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' }))
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    const filter = await eventFilter(args);
    // Counting alone converts and selects, nothing more: reading ahead in a
    // worker saved no time there (measured on bench.scap: the main thread
    // waited for the worker's start and spent the saving on GC and messages).
    const countOnly = args.count && args.filter === undefined;
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, ...(countOnly ? { readAhead: false as const } : {}) });
    await printEvents(insp, filter, args);
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
