// `scap stdin`, `scap stdout` and `scap stderr`: sysdig's chisels of the same
// names, the bytes processes read from fd 0 or wrote to fd 1 or 2
// (inspect/activity/stdio.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { StdioEcho, type StdStream } from '../../inspect/activity/index.js';
import { filterOption, inputPath } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface StdioArgs {
  file: string;
  filter?: string;
  strict: boolean;
  recover: boolean;
}

function stdioCommand(stream: StdStream): CommandModule<object, StdioArgs> {
  return {
    ...COMMAND_USAGE[stream],
    builder: (y) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
      .option('filter', filterOption("Only the calls this sinsp filter keeps, e.g. 'proc.name=bash' or 'proc.pid=1234'"))
      .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
      .option('recover', recoverOption) as never,
    handler: async (args) => {
      // Compiled before the capture is opened: a bad filter is refused at once.
      const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
      const echo = new StdioEcho(FIELDS, stream);
      const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
      const ctx = insp.fieldContext;
      const out = new LineOutput();
      await insp.run((ev) => {
        if (filter !== undefined && !filter(ev, ctx)) return true;
        const bytes = echo.observe(ev, ctx);
        if (bytes !== undefined) out.line(bytes);
        return !out.isClosed;
      }, () => out.flush());
      await out.flush();
      process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
    },
  };
}

export const stdinCommand = stdioCommand('stdin');
export const stdoutCommand = stdioCommand('stdout');
export const stderrCommand = stdioCommand('stderr');
