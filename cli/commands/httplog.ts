// `scap httplog`: sysdig's httplog chisel, a line per HTTP request and
// its response (inspect/activity/http-log.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { HttpLog } from '../../inspect/activity/index.js';
import { filterOption, inputPath } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface HttpLogArgs {
  file: string;
  filter?: string;
  strict: boolean;
  recover: boolean;
}

export const httpLogCommand: CommandModule<object, HttpLogArgs> = {
  ...COMMAND_USAGE.httplog,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('filter', filterOption("Only the calls this sinsp filter keeps, e.g. 'proc.name=nginx' or 'fd.sport=80'"))
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption) as never,
  handler: async (args) => {
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const chisel = new HttpLog(FIELDS);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = insp.fieldContext;
    const out = new LineOutput();
    await insp.run((ev) => {
      if (filter !== undefined && !filter(ev, ctx)) return true;
      const line = chisel.observe(ev, ctx);
      if (line !== undefined) out.line(line);
      return !out.isClosed;
    }, () => out.flush());
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
