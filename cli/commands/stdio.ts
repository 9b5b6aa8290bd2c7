// `scap stdin`, `scap stdout` and `scap stderr`: sysdig's chisels of the same
// names, the bytes processes read from fd 0 or wrote to fd 1 or 2
// (inspect/activity/stdio.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { StdioEcho, type StdStream } from '../../inspect/activity/index.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';

function stdioCommand(stream: StdStream): CommandModule<object, ChiselArgs> {
  return {
    ...COMMAND_USAGE[stream],
    builder: (y) => chiselOptions(y, "Only the calls this sinsp filter keeps, e.g. 'proc.name=bash' or 'proc.pid=1234'") as never,
    handler: async (args) => runChisel(args, () => new StdioEcho(FIELDS, stream)),
  };
}

export const stdinCommand = stdioCommand('stdin');
export const stdoutCommand = stdioCommand('stdout');
export const stderrCommand = stdioCommand('stderr');
