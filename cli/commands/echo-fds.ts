// `scap echo-fds`: sysdig's echo_fds chisel, the data processes read and
// write, call by call (inspect/activity/echo-fds.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { ANSI_COLORS, EchoFds, NO_COLORS } from '../../inspect/activity/index.js';
import { colorOption, colorsOn, filterOption, inputPath, type ColorChoice } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { bufferFormatOf, bufferOptions, type BufferArgs } from './read-events.js';

type EchoFdsArgs = BufferArgs & {
  file: string;
  filter?: string;
  color: ColorChoice;
  strict: boolean;
  recover: boolean;
};

export const echoFdsCommand: CommandModule<object, EchoFdsArgs> = {
  ...COMMAND_USAGE['echo-fds'],
  builder: (y) => bufferOptions(y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('filter', filterOption("Only the calls this sinsp filter keeps, e.g. 'proc.name=nginx' or 'fd.name=/etc/passwd'"))
    .option('color', { ...colorOption, describe: `Headers in red (reads) and blue (writes). ${colorOption.describe}` })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption)) as never,
  handler: async (args) => {
    const bufferFormat = bufferFormatOf(args);
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const color = colorsOn(args.color);
    const echo = new EchoFds(FIELDS, color ? ANSI_COLORS : NO_COLORS);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = bufferFormat === 'normal' ? insp.fieldContext : { ...insp.fieldContext, bufferFormat };
    const out = new LineOutput();
    await insp.run((ev) => {
      if (filter !== undefined && !filter(ev, ctx)) return true;
      for (const line of echo.observe(ev, ctx)) out.line(line);
      return !out.isClosed;
    }, () => out.flush());
    if (color) out.line(echo.endLine);
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
