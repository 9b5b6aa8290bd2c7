// `scap spy-logs`: sysdig's spy_logs chisel, writes to log files line by
// line (inspect/activity/spy-logs.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { ANSI_COLORS, SpyLogs } from '../../inspect/activity/index.js';
import { colorOption, colorsOn, filterOption, inputPath, type ColorChoice } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { bufferFormatOf, bufferOptions, type BufferArgs } from './read-events.js';

type SpyLogsArgs = BufferArgs & {
  file: string;
  filter?: string;
  color: ColorChoice;
  strict: boolean;
  recover: boolean;
};

export const spyLogsCommand: CommandModule<object, SpyLogsArgs> = {
  ...COMMAND_USAGE['spy-logs'],
  builder: (y) => bufferOptions(y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('filter', filterOption("Only the writes this sinsp filter keeps as well, e.g. 'proc.name=nginx' or 'evt.buffer contains timeout'"))
    .option('color', { ...colorOption, describe: `Lines green, yellow when they say warn, red when they say err (the chisel colours only on a terminal). ${colorOption.describe}` })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption)) as never,
  handler: async (args) => {
    // The chisel asks for ASCII (-A) unless the command line chose a format.
    const chosen = bufferFormatOf(args);
    const bufferFormat = chosen === 'normal' ? 'eols' : chosen;
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const spy = new SpyLogs(FIELDS, colorsOn(args.color) ? ANSI_COLORS : undefined);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = { ...insp.fieldContext, bufferFormat };
    const out = new LineOutput();
    await insp.run((ev) => {
      if (filter !== undefined && !filter(ev, ctx)) return true;
      for (const line of spy.observe(ev, ctx)) out.line(line);
      return !out.isClosed;
    }, () => out.flush());
    const end = spy.endLine;
    if (end !== undefined) out.line(end);
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
