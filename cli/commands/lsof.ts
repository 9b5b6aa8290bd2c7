// `scap lsof`, `scap netstat` and `scap ps`: the state at a point of a
// capture, as sysdig's lsof, netstat and ps chisels print it
// (userspace/sysdig/chisels/lsof.lua, netstat.lua, ps.lua and common.lua's
// extend_string and format_bytes).

import type { Argv, CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { extendString, formatBytes } from '../../inspect/stats/index.js';
import { threadTable, type ThreadRow } from '../../inspect/state/index.js';
import { asciiJson } from '../ascii-json.js';
import { checkPid, inputPath, timeOption } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselOptions, type ChiselArgs } from '../chisel-command.js';
import { timeOf } from '../../inspect/time-spec.js';

type PointArgs = ChiselArgs & {
  at?: string;
  pid?: number;
  name?: string;
  json: boolean;
};

/** The options the three commands take. */
function pointOptions(y: Argv, filterExample: string): Argv<PointArgs> {
  return chiselOptions(y, `Only the fds this sinsp filter keeps, as the chisel's argument: ${filterExample}`, false)
    .option('at', {
      type: 'string',
      describe: "When: 'start' (after the first event, the chisel's point; default), 'end', or a time (ns since the epoch, seconds.fraction, '2018-08-17 17:35:45.5' local unless ending in Z, or +5s after the first event): after the first event at or past it",
    })
    .option('pid', { type: 'number', describe: 'Only the threads of this process' })
    .option('name', { type: 'string', describe: 'Only the threads of processes with this name (proc.name)' })
    .option('json', { type: 'boolean', default: false, describe: 'The rows as a JSON array' }) as unknown as Argv<PointArgs>;
}

/**
 * The fds at the point `--at` names, selected by --pid, --name and the
 * filter (`always` is and-ed before it, as netstat.lua prefixes its own).
 */
async function threadsAtPoint(args: PointArgs, always?: string): Promise<{ rows: ThreadRow[] | undefined; warnings: Inspector['warnings'] }> {
  const at = args.at ?? 'start';
  const spec = at === 'start' || at === 'end' ? undefined : timeOption("--at (start, end or a time)", at);
  checkPid(args.pid);
  const text = always === undefined ? args.filter : args.filter === undefined ? always : `${always} and (${args.filter})`;
  // Compiled before the capture is opened: a bad filter is refused at once.
  const filter = text === undefined ? undefined : compileFilter(text, FIELDS);
  const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, resolvePorts: args['resolve-ports'] === true });
  // The chisels stop at the first event they are shown, once libsinsp has
  // parsed it: the state after that event.
  let reached = false;
  let lastTsNs = 0n;
  let atNs = spec?.kind === 'abs' ? spec.ns : undefined;
  await insp.run((ev) => {
    lastTsNs = ev.tsNs;
    if (at === 'end') { reached = true; return true; }
    if (spec === undefined) { reached = true; return false; }
    if (atNs === undefined) {
      // An offset counts from the first event that is no meta event (evt.reltime's origin).
      const first = insp.state.firstEventTsNs();
      if (first === undefined) return true;
      atNs = timeOf(spec, first);
    }
    if (lastTsNs >= atNs) { reached = true; return false; }
    return true;
  });
  // The chisels list nothing when no event reached them.
  if (!reached) {
    if (spec !== undefined && lastTsNs !== 0n) process.stderr.write(`scap: no event at or past ${at}; --at end gives the state at the last one\n`);
    return { rows: undefined, warnings: insp.warnings };
  }
  const ctx = insp.fieldContext;
  const rows = threadTable(insp.state, {
    keepThread: (t) => (args.pid === undefined || t.pid === args.pid) && (args.name === undefined || t.comm === args.name),
    keepFd: filter === undefined ? undefined : (ev) => filter(ev, ctx),
    tsNs: lastTsNs,
  });
  return { rows, warnings: insp.warnings };
}

/** An id as the chisel API pushes it, (uint32_t): pid -1 prints 4294967295. */
const u32Text = (id: number): string => String(id >>> 0);

/** Cells through extend_string (padded, or cut to one char less and a space), then the last one whole. */
function chiselLine(cells: readonly (readonly [string, number])[], last: string): string {
  return cells.map(([text, width]) => extendString(text, width)).join('') + last;
}

/**
 * The name the chisel API gives an fd (sinsp_fdinfo::tostring_clean): the
 * bytes isprint() rejects in the C locale dropped, so a unix socket path
 * read from /proc with its line end prints on one line.
 */
const cleanName = (name: string): string => name.replace(/[^\x20-\x7e]+/g, '');

/**
 * Writes the rows, or with none (undefined: no event at the point) what the
 * chisels print then: their one line, or an empty array in JSON.
 */
async function print(args: PointArgs, found: boolean, warnings: Inspector['warnings'], json: () => unknown, lines: () => string[]): Promise<void> {
  const out = new LineOutput();
  if (!found) out.line(args.json ? '[]' : 'empty capture or no event matching the filter');
  else if (args.json) out.line(asciiJson(json()));
  else for (const line of lines()) out.line(line);
  await out.flush();
  process.exitCode = printWarnings(warnings, args.strict) ? 1 : 0;
}

export const lsofCommand: CommandModule<object, PointArgs> = {
  ...COMMAND_USAGE.lsof,
  builder: (y) => pointOptions(y, "'fd.type=ipv4', 'proc.name=nginx and fd.name contains /var/log'"),
  handler: async (args) => {
    const { rows: threads, warnings } = await threadsAtPoint(args);
    const rows = (threads ?? []).flatMap((t) => t.fds);
    await print(args, threads !== undefined, warnings,
      () => rows.map(({ socket: _, ...row }) => row),
      () => [
        chiselLine([['COMMAND', 20], ['PID', 8], ['TID', 8], ['USER', 8], ['FD', 8], ['TYPE', 12]], 'NAME'),
        ...rows.map((r) => chiselLine([[r.command, 20], [u32Text(r.pid), 8], [u32Text(r.tid), 8], [r.user, 8], [String(r.fd), 8], [r.type, 12]], cleanName(r.name))),
      ]);
  },
};

export const netstatCommand: CommandModule<object, PointArgs> = {
  ...COMMAND_USAGE.netstat,
  builder: (y) => pointOptions(y, "'proc.name=nginx', 'fd.sport=80'"),
  handler: async (args) => {
    const { rows, warnings } = await threadsAtPoint(args, '(fd.type=ipv4 or fd.type=ipv6)');
    const sockets = (rows ?? []).flatMap((t) => t.fds).flatMap((r) => (r.socket === undefined ? [] : [{ ...r, socket: r.socket }]));
    await print(args, rows !== undefined, warnings,
      () => sockets.map((r) => ({ pid: r.pid, tid: r.tid, command: r.command, fd: r.fd, ...r.socket })),
      () => [
        chiselLine([['Proto', 6], ['Server Address', 25], ['Client Address', 25], ['State', 15]], 'TID/PID/Program Name'),
        ...sockets.map(({ socket: s, tid, pid, command }) => {
          // A listening socket has no client: netstat.lua prints 0.0.0.0:* and LISTEN.
          const client = s.cip === undefined ? '0.0.0.0:*' : `${s.cip}:${s.cport}`;
          const state = s.cip === undefined ? 'LISTEN' : 'ESTABLISHED';
          return chiselLine([[s.l4proto, 6], [`${s.sip}:${s.sport}`, 25], [client, 25], [state, 15]], `${u32Text(tid)}/${u32Text(pid)}/${command}`);
        }),
      ]);
  },
};

export const psCommand: CommandModule<object, PointArgs> = {
  ...COMMAND_USAGE.ps,
  builder: (y) => pointOptions(y, "'fd.name contains /etc' (the processes with files open under /etc)"),
  handler: async (args) => {
    const { rows: found, warnings } = await threadsAtPoint(args);
    const rows = found ?? [];
    await print(args, found !== undefined, warnings,
      () => rows.map(({ thread: t, user }) => ({
        tid: t.tid, pid: t.pid, user, vmsize_kb: t.vmsizeKb, vmrss_kb: t.vmrssKb, fdlimit: t.fdlimit, command: t.comm,
      })),
      () => [
        // ps.lua pads CMD too: the header ends in spaces.
        chiselLine([['TID', 8], ['PID', 8], ['USER', 12], ['VIRT', 11], ['RES', 11], ['FDLIMIT', 10], ['CMD', 20]], ''),
        ...rows.map(({ thread: t, user }) => chiselLine([
          [u32Text(t.tid), 8], [u32Text(t.pid), 8], [user, 12], [formatBytes(t.vmsizeKb * 1024), 11], [formatBytes(t.vmrssKb * 1024), 11],
          [u32Text(t.fdlimit), 10],
        ], t.comm)),
      ]);
  },
};
