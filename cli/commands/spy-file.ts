// `scap spy-file`: sysdig's spy_file chisel, reads and writes of files with
// their data (inspect/activity/spy-file.ts).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { SpyFile } from '../../inspect/activity/index.js';
import { filterOption, inputPath } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { bufferFormatOf, bufferOptions, type BufferArgs } from './read-events.js';

type SpyFileArgs = BufferArgs & {
  file: string;
  name?: string;
  only?: 'read' | 'write';
  filter?: string;
  strict: boolean;
  recover: boolean;
};

export const spyFileCommand: CommandModule<object, SpyFileArgs> = {
  ...COMMAND_USAGE['spy-file'],
  builder: (y) => bufferOptions(y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('name', { type: 'string', describe: "Only this file (fd.name, the chisel's spy_on_file_name); default: every file but terminals" })
    .option('only', { choices: ['read', 'write'] as const, describe: "Only reads or only writes (the chisel's read_or_write R or W)" })
    .option('filter', filterOption("Only the calls this sinsp filter keeps as well, e.g. 'proc.name=nginx'"))
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption)) as never,
  handler: async (args) => {
    // The chisel asks for ASCII (-A) unless the command line chose a format.
    const chosen = bufferFormatOf(args);
    const bufferFormat = chosen === 'normal' ? 'eols' : chosen;
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const spy = new SpyFile(FIELDS, { name: args.name, only: args.only });
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = { ...insp.fieldContext, bufferFormat };
    const out = new LineOutput();
    await insp.run((ev) => {
      if (filter !== undefined && !filter(ev, ctx)) return true;
      const line = spy.observe(ev, ctx);
      if (line !== undefined) out.line(line);
      return !out.isClosed;
    }, () => out.flush());
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
