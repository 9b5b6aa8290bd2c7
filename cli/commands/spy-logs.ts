// `scap spy-logs`: sysdig's spy_logs chisel, writes to log files line by
// line (inspect/activity/spy-logs.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { ANSI_COLORS, SpyLogs } from '../../inspect/activity/index.js';
import { colorOption, colorsOn, type ColorChoice } from '../input.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';
import { bufferOptions, withBufferFormat, type BufferArgs } from './read-events.js';

type SpyLogsArgs = ChiselArgs & BufferArgs & { color: ColorChoice };

export const spyLogsCommand: CommandModule<object, SpyLogsArgs> = {
  ...COMMAND_USAGE['spy-logs'],
  builder: (y) => bufferOptions(chiselOptions(y, "Only the writes this sinsp filter keeps as well, e.g. 'proc.name=nginx' or 'evt.buffer contains timeout'")
    .option('color', { ...colorOption, describe: `Lines green, yellow when they say warn, red when they say err (the chisel colours only on a terminal). ${colorOption.describe}` })) as never,
  handler: async (args) => runChisel(args, () => new SpyLogs(FIELDS, colorsOn(args.color) ? ANSI_COLORS : undefined), withBufferFormat(args, 'eols')),
};
