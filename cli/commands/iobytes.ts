// `scap iobytes`: sysdig's iobytes, iobytes_file and iobytes_net chisels,
// bytes read and written per second of the capture (inspect/activity/io-bytes.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { IoBytes, type IoBytesScope } from '../../inspect/activity/index.js';
import { filterOption, inputPath } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface IoBytesArgs {
  file: string;
  only?: 'file' | 'net';
  filter?: string;
  strict: boolean;
  recover: boolean;
}

export const ioBytesCommand: CommandModule<object, IoBytesArgs> = {
  ...COMMAND_USAGE.iobytes,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('only', { choices: ['file', 'net'] as const, describe: "Only files (sysdig's iobytes_file) or IP sockets (iobytes_net); default every fd (iobytes)" })
    .option('filter', filterOption("Only the calls this sinsp filter keeps count, e.g. 'proc.name=nginx'"))
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption) as never,
  handler: async (args) => {
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const scope: IoBytesScope = args.only ?? 'all';
    const chisel = new IoBytes(FIELDS, scope);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = insp.fieldContext;
    const out = new LineOutput();
    await insp.run((ev) => {
      const line = chisel.observe(ev, ctx, filter === undefined || filter(ev, ctx));
      if (line !== undefined) out.line(line);
      return !out.isClosed;
    }, () => out.flush(), (ev) => {
      // Events sinsp filters still move the chisel engine's clock.
      const line = chisel.observe(ev, ctx, false);
      if (line !== undefined) out.line(line);
    });
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
