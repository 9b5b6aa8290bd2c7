// `scap httplog`: sysdig's httplog chisel, a line per HTTP request and
// its response (inspect/activity/http-log.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { HttpLog } from '../../inspect/activity/index.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';

export const httpLogCommand: CommandModule<object, ChiselArgs> = {
  ...COMMAND_USAGE.httplog,
  builder: (y) => chiselOptions(y, "Only the calls this sinsp filter keeps, e.g. 'proc.name=nginx' or 'fd.sport=80'") as never,
  handler: async (args) => runChisel(args, () => new HttpLog(FIELDS)),
};
