// `scap spy-file`: sysdig's spy_file chisel, reads and writes of files with
// their data (inspect/activity/spy-file.ts).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { SpyFile } from '../../inspect/activity/index.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';
import { bufferOptions, withBufferFormat, type BufferArgs } from './read-events.js';

type SpyFileArgs = ChiselArgs & BufferArgs & { name?: string; only?: 'read' | 'write' };

export const spyFileCommand: CommandModule<object, SpyFileArgs> = {
  ...COMMAND_USAGE['spy-file'],
  builder: (y) => bufferOptions(chiselOptions(y, "Only the calls this sinsp filter keeps as well, e.g. 'proc.name=nginx'")
    .option('name', { type: 'string', describe: "Only this file (fd.name, the chisel's spy_on_file_name); default: every file but terminals" })
    .option('only', { choices: ['read', 'write'] as const, describe: "Only reads or only writes (the chisel's read_or_write R or W)" })) as never,
  handler: async (args) => runChisel(args, () => new SpyFile(FIELDS, { name: args.name, only: args.only }), withBufferFormat(args, 'eols')),
};
