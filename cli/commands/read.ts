import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { eventJson } from '../../inspect/format/json.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { LineOutput } from '../output.js';
import { inputPath } from '../input.js';
import { printWarnings, recoverOption } from '../warnings.js';

/** sysdig's default line, with the arguments as `%evt.args` renders them. */
export const DEFAULT_FORMAT = '*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args';

interface ReadArgs {
  file: string;
  print?: string;
  filter?: string;
  json: boolean;
  number?: number;
  count: boolean;
  strict: boolean;
  recover: boolean;
}

export const readCommand: CommandModule<object, ReadArgs> = {
  command: 'read <file>',
  describe: 'Print the events of a capture (plain, gzip or zstd; - for stdin)',
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('print', { alias: 'p', type: 'string', describe: "Output format with sinsp %fields, e.g. '*%evt.num %evt.type %evt.args'" })
    .option('filter', { alias: 'f', type: 'string', describe: "Only events matching a sinsp filter, e.g. 'proc.name = curl and evt.type = connect'" })
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'One JSON object per event (keys are the format\'s fields)' })
    .option('number', { alias: 'n', type: 'number', describe: 'Stop after this many events' })
    .option('count', { type: 'boolean', default: false, describe: 'Decode every event, print only how many there are' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    // Compiled before the capture is opened, so a bad filter fails fast.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover });
    const limit = args.number ?? Infinity;
    if (args.count && filter !== undefined) {
      let n = 0;
      await insp.run((ev) => (filter(ev, insp.fieldContext) ? ++n < limit : true));
      process.stdout.write(`${n}\n`);
    } else if (args.count) {
      const n = await insp.count(limit);
      process.stdout.write(`${n}\n`);
    } else {
      const out = new LineOutput();
      const format = args.print ?? DEFAULT_FORMAT;
      const render = args.json ? eventJson(format, FIELDS) : compileFormat(format, FIELDS);
      const ctx = insp.fieldContext;
      let printed = 0;
      await insp.run((ev) => {
        if (filter !== undefined && !filter(ev, ctx)) return true;
        out.line(render(ev, ctx));
        return ++printed < limit && !out.isClosed;
      }, () => out.flush());
      await out.flush();
    }
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
