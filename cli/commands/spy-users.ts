// `scap spy-users`: sysdig's spy_users chisel, the programs users start
// from shells and the directories shells move to (inspect/activity/).

import type { CommandModule } from 'yargs';
import { FIELDS } from '../../inspect/fields/index.js';
import { SpyUsers, spyUsersText } from '../../inspect/activity/index.js';
import { asciiJson } from '../ascii-json.js';
import { UsageError } from '../errors.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, runChisel, type ChiselArgs } from '../chisel-command.js';

type SpyUsersArgs = ChiselArgs & { 'max-depth'?: number; json: boolean };

export const spyUsersCommand: CommandModule<object, SpyUsersArgs> = {
  ...COMMAND_USAGE['spy-users'],
  builder: (y) => chiselOptions(y, "Only events this sinsp filter keeps are shown to the chisel, e.g. 'user.name != root'")
    .option('max-depth', { type: 'number', describe: "Leave out lines deeper than this below their shell (the chisel's max_depth)" })
    .option('json', { type: 'boolean', default: false, describe: 'One JSON object per line: num (evt.num), kind (exec or cd), shell_pid, depth, time, user, and exe and args or dir' }) as never,
  handler: async (args) => {
    const maxDepth = args['max-depth'];
    if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth >= 0)) throw new UsageError('--max-depth takes a whole number (0 for the shells\' own lines)');
    await runChisel(args, () => {
      const spy = new SpyUsers(FIELDS, maxDepth);
      return {
        observe: (ev, ctx) => {
          const l = spy.observe(ev, ctx);
          if (l === undefined || !args.json) return l === undefined ? undefined : spyUsersText(l);
          const common = { num: ev.num, kind: l.kind, shell_pid: Number(l.shellPid), depth: l.depth, time: l.time, user: l.user };
          return asciiJson(l.kind === 'cd' ? { ...common, dir: l.dir } : { ...common, exe: l.exe, args: l.args }, 0);
        },
      };
    });
  },
};
