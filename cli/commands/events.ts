import type { CommandModule } from 'yargs';
import { eventSignature, listEvents, signatureTypeName } from '../../scapfile/schema/event-list.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface EventsArgs {
  match?: string;
  json: boolean;
  all: boolean;
}

export const eventsCommand: CommandModule<object, EventsArgs> = {
  ...COMMAND_USAGE.events,
  builder: (y) => y
    .positional('match', { type: 'string', describe: 'Text to look for in event names (any case)' })
    .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Also the old layouts (found in old captures) and internal events, which sysdig leaves out' })
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'One JSON array of {id, dir, name, params: [{name, type}]} (with --all, note)' })
    .epilogue('> marks enter events, < exit events. A syscall without an event of its own (clock_gettime, getpid...) is recorded as the generic `syscall` event: its evt.type is the syscall\'s name.'),
  handler: (args) => {
    const listed = listEvents({ match: args.match, all: args.all });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(listed.map(({ event: e, note }) => ({
        id: e.id, dir: e.dir === 'enter' ? '>' : '<', name: e.name,
        params: e.params.map((p) => ({ name: p.name, type: signatureTypeName(p.type) })),
        ...(note !== undefined ? { note } : {}),
      })), null, 2)}\n`);
      return;
    }
    if (listed.length === 0) {
      process.stderr.write(`scap: no event name contains '${args.match ?? ''}'${args.all ? '' : ' (--all also lists old layouts and internal events)'}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(listed.map(({ event, note }) => `${eventSignature(event)}${note === undefined ? '' : ` [${note}]`}\n`).join(''));
  },
};
