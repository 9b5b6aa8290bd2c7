// `scap httplog` and `scap httptop`: sysdig's httplog and httptop chisels,
// a line per HTTP request and its response, or the requests ranked
// (inspect/activity/http-log.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { HttpLog, HttpTop } from '../../inspect/activity/index.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';

export const httpLogCommand: CommandModule<object, ChiselArgs> = {
  ...COMMAND_USAGE.httplog,
  builder: (y) => chiselOptions(y, "Only the calls this sinsp filter keeps, e.g. 'proc.name=nginx' or 'fd.sport=80'") as never,
  handler: async (args) => runChisel(args, () => new HttpLog(FIELDS)),
};

type HttpTopArgs = ChiselArgs & { by: 'ncalls' | 'time' | 'bytes' };

export const httpTopCommand: CommandModule<object, HttpTopArgs> = {
  ...COMMAND_USAGE.httptop,
  builder: (y) => chiselOptions(y, "Only the calls this sinsp filter keeps, e.g. 'proc.name=nginx' or 'fd.sport=80'")
    .option('by', { choices: ['ncalls', 'time', 'bytes'] as const, default: 'ncalls' as const, describe: 'Rank by calls, mean latency or response bytes (Content-Length)' }) as never,
  handler: async (args) => runChisel(args, () => new HttpTop(FIELDS, args.by)),
};
