// `scap proc-exec-time`: sysdig's proc_exec_time chisel, the processes
// that ended and how long they ran (inspect/activity/proc-exec-time.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { ANSI_COLORS, NO_COLORS, ProcExecTime } from '../../inspect/activity/index.js';
import { colorOption, colorsOn, type ColorChoice } from '../input.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';

type ProcExecTimeArgs = ChiselArgs & { color: ColorChoice };

export const procExecTimeCommand: CommandModule<object, ProcExecTimeArgs> = {
  ...COMMAND_USAGE['proc-exec-time'],
  builder: (y) => chiselOptions(y, "Only the exits this sinsp filter keeps, e.g. 'proc.pname=bash'")
    .option('color', { ...colorOption, describe: `Green below 3 s (blue in a container), yellow past 3 s, red past 10 s. ${colorOption.describe}` }) as never,
  handler: async (args) => runChisel(args, () => new ProcExecTime(FIELDS, colorsOn(args.color) ? ANSI_COLORS : NO_COLORS)),
};
