// `scap proc-exec-time`: sysdig's proc_exec_time chisel, the processes
// that ended and how long they ran (inspect/activity/proc-exec-time.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { ANSI_COLORS, NO_COLORS, ProcExecTime } from '../../inspect/activity/index.js';
import { colorOption, colorsOn, filterOption, inputPath, type ColorChoice } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface ProcExecTimeArgs {
  file: string;
  filter?: string;
  color: ColorChoice;
  strict: boolean;
  recover: boolean;
}

export const procExecTimeCommand: CommandModule<object, ProcExecTimeArgs> = {
  ...COMMAND_USAGE['proc-exec-time'],
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('filter', filterOption("Only the exits this sinsp filter keeps, e.g. 'proc.pname=bash'"))
    .option('color', { ...colorOption, describe: `Green below 3 s (blue in a container), yellow past 3 s, red past 10 s. ${colorOption.describe}` })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption) as never,
  handler: async (args) => {
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const color = colorsOn(args.color);
    const chisel = new ProcExecTime(FIELDS, color ? ANSI_COLORS : NO_COLORS);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = insp.fieldContext;
    const out = new LineOutput();
    for (const line of chisel.header) out.line(line);
    await insp.run((ev) => {
      if (filter !== undefined && !filter(ev, ctx)) return true;
      const line = chisel.observe(ev, ctx);
      if (line !== undefined) out.line(line);
      return !out.isClosed;
    }, () => out.flush());
    if (color) out.line(chisel.endLine);
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
