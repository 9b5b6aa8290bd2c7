// `scap iobytes`: sysdig's iobytes, iobytes_file and iobytes_net chisels,
// bytes read and written per second of the capture (inspect/activity/io-bytes.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { IoBytes } from '../../inspect/activity/index.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';

type IoBytesArgs = ChiselArgs & { only?: 'file' | 'net' };

export const ioBytesCommand: CommandModule<object, IoBytesArgs> = {
  ...COMMAND_USAGE.iobytes,
  builder: (y) => chiselOptions(y, "Only the calls this sinsp filter keeps count, e.g. 'proc.name=nginx'")
    .option('only', { choices: ['file', 'net'] as const, describe: "Only files (sysdig's iobytes_file) or IP sockets (iobytes_net); default every fd (iobytes)" }) as never,
  handler: async (args) => runChisel(args, () => {
    const io = new IoBytes(FIELDS, args.only ?? 'all');
    // Every event moves the per-second clock; only those the filter keeps count.
    return { observe: (ev, ctx) => io.observe(ev, ctx, true), observeOther: (ev, ctx) => io.observe(ev, ctx, false) };
  }),
};
