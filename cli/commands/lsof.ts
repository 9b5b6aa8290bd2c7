import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { parseTimeNs } from '../../inspect/ptree/index.js';
import { openFds, type OpenFd } from '../../inspect/state/index.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { asciiJson } from '../ascii-json.js';
import { UsageError } from '../errors.js';
import { filterOption, inputPath } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface LsofArgs {
  file: string;
  at?: string;
  pid?: number;
  name?: string;
  filter?: string;
  json: boolean;
  strict: boolean;
  recover: boolean;
}

/** The chisel's columns: COMMAND 20, PID, TID, USER, FD 8 each, TYPE 12, then NAME whole. */
const COLUMNS: readonly [keyof OpenFd, string, number][] = [
  ['command', 'COMMAND', 20], ['pid', 'PID', 8], ['tid', 'TID', 8], ['user', 'USER', 8], ['fd', 'FD', 8], ['type', 'TYPE', 12],
];

/** A line as lsof.lua prints it (common.lua extend_string: padded, never cut). */
function lsofLine(cells: readonly string[], name: string): string {
  return cells.map((c, i) => c.padEnd(COLUMNS[i]![2])).join('') + name;
}

export const lsofCommand: CommandModule<object, LsofArgs> = {
  ...COMMAND_USAGE.lsof,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('at', {
      type: 'string',
      describe: "When: 'start' (after the first event, the chisel's point; default), 'end', or a time (ns since the epoch, seconds.fraction, or '2018-08-17 17:35:45.5'): after the first event at or past it",
    })
    .option('pid', { type: 'number', describe: 'Only the threads of this process' })
    .option('name', { type: 'string', describe: 'Only the threads of processes with this name (proc.name)' })
    .option('filter', filterOption("Only the fds this sinsp filter keeps, as the chisel's argument: 'fd.type=ipv4', 'proc.name=nginx and fd.name contains /var/log'"))
    .option('json', { type: 'boolean', default: false, describe: 'An array of {command, pid, tid, user, fd, type, name}' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    const at = args.at ?? 'start';
    const atNs = at === 'start' || at === 'end' ? undefined : parseTimeNs(at);
    if (at !== 'start' && at !== 'end' && atNs === undefined) throw new UsageError(`--at: cannot read '${at}' as a time, 'start' or 'end'`);
    if (args.pid !== undefined && !(Number.isInteger(args.pid) && args.pid > 0)) throw new UsageError('--pid: give a process id (a positive integer)');
    // Compiled before the capture is opened: a bad filter is refused at once.
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover });
    // The chisel stops at the first event it is shown, once libsinsp has
    // parsed it: the state after that event.
    let seen = false;
    let reached = false;
    let lastTsNs = 0n;
    await insp.run((ev) => {
      seen = true;
      lastTsNs = ev.tsNs;
      if (at === 'end') return true;
      if (atNs === undefined || ev.tsNs >= atNs) { reached = true; return false; }
      return true;
    });
    if (!seen) process.stderr.write('scap: warning: the capture has no event: the fds are those of its state blocks\n');
    else if (atNs !== undefined && !reached) process.stderr.write(`scap: warning: no event at or past ${at}: the fds are those at the end of the capture\n`);
    const ctx = insp.fieldContext;
    const rows = openFds(insp.state, {
      keepThread: (t) => (args.pid === undefined || t.pid === args.pid) && (args.name === undefined || t.comm === args.name),
      keepFd: filter === undefined ? undefined : (ev) => filter(ev, ctx),
      tsNs: lastTsNs,
    });
    const out = new LineOutput();
    if (args.json) {
      out.line(asciiJson(rows));
    } else {
      out.line(lsofLine(COLUMNS.map((c) => c[1]), 'NAME'));
      for (const r of rows) out.line(lsofLine(COLUMNS.map((c) => String(r[c[0]])), r.name));
    }
    await out.flush();
    process.exitCode = printWarnings(insp.warnings, args.strict) ? 1 : 0;
  },
};
