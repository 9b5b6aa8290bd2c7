// `scap echo-fds`: sysdig's echo_fds chisel, the data processes read and
// write, call by call (inspect/activity/echo-fds.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { ANSI_COLORS, EchoFds, NO_COLORS } from '../../inspect/activity/index.js';
import { colorOption, colorsOn, type ColorChoice } from '../input.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';
import { bufferOptions, withBufferFormat, type BufferArgs } from './read-events.js';

type EchoFdsArgs = ChiselArgs & BufferArgs & { color: ColorChoice };

export const echoFdsCommand: CommandModule<object, EchoFdsArgs> = {
  ...COMMAND_USAGE['echo-fds'],
  builder: (y) => bufferOptions(chiselOptions(y, "Only the calls this sinsp filter keeps, e.g. 'proc.name=nginx' or 'fd.name=/etc/passwd'")
    .option('color', { ...colorOption, describe: `Headers in red (reads) and blue (writes). ${colorOption.describe}` })) as never,
  handler: async (args) => runChisel(args, () => new EchoFds(FIELDS, colorsOn(args.color) ? ANSI_COLORS : NO_COLORS), withBufferFormat(args)),
};
