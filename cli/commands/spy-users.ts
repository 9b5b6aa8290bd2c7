// `scap spy-users`: sysdig's spy_users chisel, the programs users start
// from shells and the directories shells move to (inspect/activity/).

import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { SpyUsers, spyUsersText } from '../../inspect/activity/index.js';
import { asciiJson } from '../ascii-json.js';
import { UsageError } from '../errors.js';
import { filterOption, inputPath } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface SpyUsersArgs {
  file: string;
  'max-depth'?: number;
  filter?: string;
  json: boolean;
  strict: boolean;
  recover: boolean;
}

export const spyUsersCommand: CommandModule<object, SpyUsersArgs> = {
  ...COMMAND_USAGE['spy-users'],
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('max-depth', { type: 'number', describe: "Leave out lines deeper than this below their shell (the chisel's max_depth)" })
    .option('filter', filterOption("Only events this sinsp filter keeps are shown to the chisel, e.g. 'user.name != root'"))
    .option('json', { type: 'boolean', default: false, describe: 'One JSON object per line: num (evt.num), kind (exec or cd), shell_pid, depth, time, user, and exe and args or dir' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption) as never,
  handler: async (args) => {
    const maxDepth = args['max-depth'];
    if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth >= 0)) throw new UsageError('--max-depth takes a whole number (0 for the shells\' own lines)');
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const spy = new SpyUsers(FIELDS, maxDepth);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true });
    const ctx = insp.fieldContext;
    const out = new LineOutput();
    await insp.run((ev) => {
      if (filter !== undefined && !filter(ev, ctx)) return;
      const l = spy.observe(ev, ctx);
      if (l === undefined) return;
      if (!args.json) {
        out.line(spyUsersText(l));
        return;
      }
      const common = { num: ev.num, kind: l.kind, shell_pid: Number(l.shellPid), depth: l.depth, time: l.time, user: l.user };
      out.line(asciiJson(l.kind === 'cd' ? { ...common, dir: l.dir } : { ...common, exe: l.exe, args: l.args }, 0));
    }, () => out.flush());
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
