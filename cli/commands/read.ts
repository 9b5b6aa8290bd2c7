import type { CommandModule } from 'yargs';
import { SinspEvents } from '../../inspect/sinsp-events.js';
import { inputPath } from '../input.js';
import type { ReadWarning } from '../../scapfile/block-reader.js';
import { printWarnings, recoverOption, warnIfNoEvents } from '../warnings.js';
import { eventFilter, eventPrintOptions, printEvents } from './read-events.js';
import type { EventPrintArgs } from './read-events.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface ReadArgs extends EventPrintArgs {
  file: string;
  strict: boolean;
  recover: boolean;
}

export const readCommand: CommandModule<object, ReadArgs> = {
  ...COMMAND_USAGE.read,
  builder: (y) => eventPrintOptions(y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' }))
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    const filter = await eventFilter(args);
    if (args.count && filter === undefined) {
      // Counting alone converts and selects, nothing more: no state to load
      // or replay, and no worker (reading ahead saved no time here, measured
      // on bench.scap: the main thread waited for the worker's start and
      // spent the saving on GC and messages).
      const events = await SinspEvents.open(inputPath(args.file), { recover: args.recover, readAhead: false, recycleBatches: true });
      process.stdout.write(`${await events.count(args.number ?? Infinity)}\n`);
      process.exitCode = readWarnings(events.warnings, events.totals.raw, args) ? 1 : 0;
      return;
    }
    const { Inspector } = await import('../../inspect/inspector.js');
    // Each event is rendered (or tested) when it is visited and nothing of it
    // is kept: batch memory can be reused. Counting a filter's matches
    // renders nothing; reading and converting here, in recycled memory,
    // then takes about the wall time of a worker doing it in fresh memory,
    // with a fifth to a third less CPU and 40 % less memory (bench.scap, two
    // sets of interleaved runs: 1.59-1.63 s vs 1.65-2.14 s, and 2.02-2.80 s
    // vs 1.88-2.44 s; 2.0-2.5 vs 2.5-3.9 CPU-s; 90 vs 152 MiB). Printing,
    // the worker pays.
    const insp = await Inspector.open(inputPath(args.file), {
      recover: args.recover, recycleBatches: true, resolvePorts: args['resolve-ports'] === true, ...(args.count ? { readAhead: false as const } : {}),
    });
    await printEvents(insp, filter, args);
    process.exitCode = readWarnings(insp.warnings, insp.totals.raw, args) ? 1 : 0;
  },
};

/**
 * The reader's warnings, and when there were none and the file holds no
 * event, that libscap refuses it (scap_savefile.c "no events in file"):
 * true when --strict makes them an error.
 */
function readWarnings(warnings: readonly ReadWarning[], rawEvents: number, args: { file: string; strict: boolean }): boolean {
  if (warnings.length > 0) return printWarnings(warnings, args.strict);
  return warnIfNoEvents(rawEvents, args.file === '-' ? 'the input' : args.file, args.strict);
}
