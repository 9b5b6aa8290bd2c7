import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { inputPath } from '../input.js';
import { printWarnings } from '../warnings.js';

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
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' }),
  handler: async (args) => {
    // Fields, filters and formats are loaded only when used: `--count`
    // alone needs none of them, and loading them was a tenth of its start-up.
    const fields = args.count && args.filter === undefined ? undefined : (await import('../../inspect/fields/index.js')).FIELDS;
    // Compiled before the capture is opened, so a bad filter fails fast.
    const filter = args.filter === undefined
      ? undefined
      : (await import('../../inspect/filter/index.js')).compileFilter(args.filter, fields!);
    const insp = await Inspector.open(inputPath(args.file));
    const limit = args.number ?? Infinity;
    if (args.count && filter !== undefined) {
      let n = 0;
      await insp.run((ev) => (filter(ev, insp.fieldContext) ? ++n < limit : true));
      process.stdout.write(`${n}\n`);
    } else if (args.count) {
      const n = await insp.count(limit);
      process.stdout.write(`${n}\n`);
    } else {
      const { LineOutput } = await import('../output.js');
      const out = new LineOutput();
      const format = args.print ?? DEFAULT_FORMAT;
      const render = args.json
        ? (await import('../../inspect/format/json.js')).eventJson(format, fields!)
        : (await import('../../inspect/format/format-string.js')).compileFormat(format, fields!);
      const ctx = insp.fieldContext;
      let printed = 0;
      await insp.run((ev) => {
        if (filter !== undefined && !filter(ev, ctx)) return true;
        out.line(render(ev, ctx));
        return ++printed < limit && !out.isClosed;
      }, () => out.flush());
      await out.flush();
    }
    process.exitCode = printWarnings(insp.capture.warnings, args.strict) ? 1 : 0;
  },
};
