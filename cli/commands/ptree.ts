import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { ProcessForest, emitForestJson, forestText, selectForest } from '../../inspect/ptree/index.js';
import { timeOf } from '../../inspect/time-spec.js';
import { asciiJson } from '../ascii-json.js';
import { checkPid, inputPath, timeOption } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface PtreeArgs {
  file: string;
  pid?: number;
  at?: string;
  json: boolean;
  strict: boolean;
  recover: boolean;
}

export const ptreeCommand: CommandModule<object, PtreeArgs> = {
  ...COMMAND_USAGE.ptree,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('pid', { type: 'number', describe: 'Only this process, its ancestors and its descendants' })
    .option('at', { type: 'string', describe: "Only processes alive at this time: ns since the epoch, seconds.fraction, '2018-08-17 17:35:45.5' (local unless ending in Z), or +5s after the first event" })
    .option('json', { type: 'boolean', default: false, describe: 'The tree as JSON (children nested)' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    const at = args.at === undefined ? undefined : timeOption('--at', args.at);
    checkPid(args.pid);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover });
    const forest = new ProcessForest(insp.state);
    await insp.run((ev) => { forest.observe(ev, insp.state); });
    // An offset counts from the first event that is no meta event (evt.reltime's origin), as for cut and lsof.
    const atNs = at === undefined ? undefined : timeOf(at, insp.state.firstEventTsNs() ?? 0n);
    const shown = selectForest(forest.roots(), { atNs, pid: args.pid });
    if (args.pid !== undefined && forest.find(args.pid) === undefined) {
      process.stderr.write(`scap: warning: no process with pid ${args.pid} in the capture\n`);
    }
    const out = new LineOutput();
    if (args.json) {
      emitForestJson(shown, asciiJson, (piece) => out.text(piece));
      out.line('');
    }
    else for (const line of forestText(shown)) out.line(line);
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
