// What a usage error adds for habits from sysdig (its -r, -w, -c, -S, -l,
// -L, -d, -s, -M, -R, a filter written as trailing words) and for a
// mistyped command: the spelling scap wants, after yargs' own message.

import { existsSync } from 'node:fs';
import { nearestNames } from '../inspect/fields/nearest-names.js';
import { KEYED_CHISELS, TOP_VIEWS, topView } from '../inspect/stats/views.js';

/**
 * The hints for yargs' `message` about the command line `argv`, each on a
 * line of its own ('' for none). `takesFilter`: the command has -f.
 * `commands`: the names of scap's commands.
 */
export function usageHints(message: string, argv: readonly string[], takesFilter: boolean, commands: readonly string[]): string {
  // A chisel's key (`-c fdbytes_by fd.name`) is no filter.
  const chisel = chiselHint(message, argv);
  return (chisel === '' ? filterHint(message, takesFilter) : chisel) + readFileHint(message, argv, commands)
    + writeHint(message, argv, commands) + summaryHint(message, argv, commands) + listHint(argv) + readingHint(message, argv)
    + commandHint(message, argv, commands);
}

/**
 * sysdig takes its filter as the words after the options (`sysdig -r f.scap
 * proc.name=curl`); scap takes it with -f. Words yargs calls unknown that
 * read like a filter get the spelling scap wants.
 */
function filterHint(message: string, takesFilter: boolean): string {
  const m = /^Unknown arguments?: (.*)$/s.exec(message);
  if (!takesFilter || m === null) return '';
  const words = m[1]!.split(', ');
  const filterLike = words.some((w) => /^[a-z]+\.[a-z_]/.test(w) || /^(and|or|not)$/.test(w));
  return filterLike ? `\nA filter goes after -f, in quotes: -f '${words.join(' ')}'` : '';
}

/**
 * sysdig runs chisels with -c (`sysdig -r f.scap -c topconns`, `-c
 * fdbytes_by fd.name`, `-c "fdbytes_by fd.name"`): an unknown -c gets what
 * scap has for that chisel.
 */
function chiselHint(message: string, argv: readonly string[]): string {
  if (!/^Unknown arguments?: /.test(message)) return '';
  const given = sysdigOption(argv, 'c', 'chisel', '', /^-c([a-z].*)$/);
  if (given === undefined) return '';
  const [name = given, inlineKey] = given.trim().split(/\s+/);
  // A key given as the word after the chisel's: a field name (not the capture).
  const at = argv.findIndex((a) => a === given || a === `-c${given}` || a.endsWith(`=${given}`));
  const next = at < 0 ? undefined : argv[at + 1];
  const key = inlineKey ?? (next !== undefined && /^[a-z]+\.[a-z][\w.[\]]*$/.test(next) && !existsSync(next) ? next : undefined);
  return `\n${chiselAdvice(name, key)}`;
}

/** The scap commands that are sysdig chisels of (nearly) the same name. */
const CHISEL_COMMANDS = ['lsof', 'netstat', 'ps', 'spy-users', 'spy-file', 'spy-logs', 'echo-fds', 'stdin', 'stdout', 'stderr', 'iobytes', 'httplog', 'httptop', 'proc-exec-time'];

/**
 * What scap has for sysdig's chisel `name` (given `key` where it takes
 * one): its top* table in `scap stats`, its `--by` table, or, for the
 * others, the commands that show what they show.
 */
export function chiselAdvice(name: string, key: string | undefined): string {
  if (topView(name) !== undefined) return `sysdig's top* chisels are tables of scap stats: scap stats FILE ${name}`;
  if (name === 'lsof' || name === 'netstat' || name === 'ps') return `sysdig's ${name} chisel is scap ${name}: scap ${name} FILE [--at start|end|TIME] [-f FILTER] [--pid PID] [--name NAME]`;
  if (name === 'echo_fds') return "sysdig's echo_fds chisel is scap echo-fds: scap echo-fds FILE [-f FILTER] [-A|-x|-X|-b]";
  if (name === 'stdin' || name === 'stdout' || name === 'stderr') return `sysdig's ${name} chisel is scap ${name}: scap ${name} FILE [-f FILTER]`;
  if (name === 'proc_exec_time') return "sysdig's proc_exec_time chisel is scap proc-exec-time: scap proc-exec-time FILE [-f FILTER]";
  if (name === 'spy_file') return "sysdig's spy_file chisel is scap spy-file: scap spy-file FILE [--name PATH] [--only read|write] [-f FILTER]";
  if (name === 'spy_logs') return "sysdig's spy_logs chisel is scap spy-logs: scap spy-logs FILE [-f FILTER]; scap cut keeps the events around a write (--from/--to, -f)";
  if (name === 'iobytes' || name === 'iobytes_file' || name === 'iobytes_net') return `sysdig's ${name} chisel is scap iobytes${name === 'iobytes' ? '' : ` --only ${name.slice(8)}`}: scap iobytes FILE [--only file|net] [-f FILTER]`;
  if (name === 'spy_ip' || name === 'spy_port') {
    const field = name === 'spy_ip' ? 'fd.ip' : 'fd.port';
    return `scap has no ${name} chisel (its headers repeat the byte count of the last change of direction); scap echo-fds FILE -f '${field}=${key ?? (name === 'spy_ip' ? 'IP' : 'PORT')}' prints each call's data under a header of its own`;
  }
  if (name === 'httplog' || name === 'httptop') return `sysdig's ${name} chisel is scap ${name}: scap ${name} FILE [-f FILTER]${name === 'httptop' ? ' [--by ncalls|time|bytes]' : ''}`;
  if (name === 'spy_users') return "sysdig's spy_users chisel is scap spy-users: scap spy-users FILE [--max-depth N] [-f FILTER]";
  const keyed = KEYED_CHISELS.get(name);
  if (keyed !== undefined) {
    const value = keyed.distinct !== undefined ? `--distinct ${keyed.distinct}` : `--value ${keyed.value}`;
    const filter = keyed.filter.includes("'") ? `"${keyed.filter}"` : `'${keyed.filter}'`;
    return `sysdig's ${name} is a --by table of scap stats: scap stats FILE --by ${key ?? 'KEY'} ${value} -f ${filter} --units ${keyed.units} --top ${keyed.top}`;
  }
  return `${name === '' ? 'For sysdig\'s chisels:' : `scap has no ${name} chisel.`} scap stats FILE NAME has sysdig's top* tables (${TOP_VIEWS.map((v) => v.name).join(', ')}); `
    + 'scap stats FILE --by FIELDS --value FIELD sums a field by any others; '
    + `commands stand for others (${CHISEL_COMMANDS.join(', ')}); `
    + 'scap read FILE -f FILTER -p FORMAT prints the fields of the events a filter keeps';
}

/**
 * The value given on the command line to a sysdig option scap does not have
 * (`-r F`, `-r=F`, `--read F`, `--read=F`, or the short form run into its
 * value where `attached` matches it, `-ctopconns`); `fallback` when the
 * option ends the line; undefined when it is not there.
 */
function sysdigOption(argv: readonly string[], short: string, long: string, fallback: string, attached?: RegExp): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `-${short}` || a === `--${long}`) return argv[i + 1] ?? fallback;
    if (a.startsWith(`-${short}=`) || a.startsWith(`--${long}=`)) return a.slice(a.indexOf('=') + 1);
    const m = attached?.exec(a);
    if (m) return m[1]!;
  }
  return undefined;
}

/** Whether a sysdig switch scap does not have is on the command line (`-l`, `--list`). */
function sysdigFlag(argv: readonly string[], short: string, long: string): boolean {
  return argv.some((a) => a === `-${short}` || a === `--${long}`);
}

/**
 * sysdig names the capture it reads with -r (`sysdig -r f.scap`); scap
 * commands take it as their first word. -r is no scap option, so yargs
 * took the file for its value and found no file: that gets the spelling.
 */
function readFileHint(message: string, argv: readonly string[], commands: readonly string[]): string {
  if (!/^Not enough non-option arguments|^Unknown arguments?: /.test(message)) return '';
  const file = sysdigOption(argv, 'r', 'read', 'FILE');
  if (file === undefined) return '';
  const command = argv.find((a) => !a.startsWith('-') && commands.includes(a)) ?? 'read';
  return `\nscap takes the capture as a word, not with sysdig's -r: scap ${command} ${file}`;
}

/**
 * sysdig writes what it reads, filtered, with -w (`sysdig -r in.scap -w
 * out.scap proc.name=curl`); for scap that is `scap cut`, which keeps the
 * process and fd names the kept events need.
 */
function writeHint(message: string, argv: readonly string[], commands: readonly string[]): string {
  if (!/^Unknown arguments?: /.test(message) || argv.find((a) => commands.includes(a)) !== 'read') return '';
  const out = sysdigOption(argv, 'w', 'write', 'OUT.scap');
  if (out === undefined) return '';
  return `\nsysdig's -w is scap cut here: scap cut FILE -o ${out} [-f FILTER]`;
}

/**
 * sysdig prints a summary of the events by type after the capture with -S
 * (--summary); scap has it as its own commands.
 */
function summaryHint(message: string, argv: readonly string[], commands: readonly string[]): string {
  // yargs takes the word after --summary for its value: then the file is missing.
  if (!/^Not enough non-option arguments|^Unknown arguments?: /.test(message) || !sysdigFlag(argv, 'S', 'summary')) return '';
  // The capture is the word naming a file (another could be an option's value).
  const file = argv.find((a) => !a.startsWith('-') && !commands.includes(a) && existsSync(a)) ?? 'FILE';
  return `\nsysdig's -S summary is, in scap, scap info ${file} (events by type) or scap stats ${file} topscalls (system calls by count and time)`;
}

/**
 * sysdig lists the fields with -l (--list) and the events with -L
 * (--list-events); scap has commands for both. Any usage error of a line
 * holding one names them (`scap -l` said only "Name a command").
 */
function listHint(argv: readonly string[]): string {
  if (sysdigFlag(argv, 'l', 'list')) return "\nsysdig's -l is scap fields [MATCH] here";
  if (sysdigFlag(argv, 'L', 'list-events')) return "\nsysdig's -L is scap events [MATCH] here";
  return '';
}

/**
 * sysdig options that change how it reads a file, which scap has another
 * way or on some commands only: -d (--displayflt, the filter sees the
 * state after every event) is an option of the commands whose -f tests
 * events (not export, cut, lsof, netstat, ps); -s (--snaplen)
 * is a capture setting; -M stops after some seconds; -R (port names) is an
 * option of the commands that print events, fds or connections.
 */
function readingHint(message: string, argv: readonly string[]): string {
  if (!/^Unknown arguments?: /.test(message)) return '';
  if (sysdigFlag(argv, 'd', 'displayflt')) {
    return "\nsysdig's -d (a display filter: every event parsed, the filter after) is an option of read, live, stats and the event chisel commands (echo-fds, spy-file, ...)";
  }
  const snaplen = sysdigOption(argv, 's', 'snaplen', 'N');
  if (snaplen !== undefined) {
    return `\nsysdig's -s sets how much of each I/O buffer a capture records: scap capture -s ${snaplen}; scap read prints what the file holds`;
  }
  const seconds = sysdigOption(argv, 'M', 'seconds', 'N');
  if (seconds !== undefined) {
    return `\nsysdig's -M stops after some seconds; for a file, keep the first ones with scap cut FILE --to +${seconds}s -o OUT.scap`;
  }
  if (sysdigFlag(argv, 'R', 'resolve-ports')) return "\nsysdig's -R (ports as service names) is an option of the commands that print events, fds or connections: read, live, stats and the chisel commands (lsof, netstat, echo-fds and others)";
  return '';
}

/**
 * A first word that is no command (`scap raed f.scap`) gets the nearest
 * command names, or the list of them, after yargs' "Unknown argument".
 */
function commandHint(message: string, argv: readonly string[], commands: readonly string[]): string {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined || argv.some((a) => commands.includes(a)) || !/^Unknown arguments?: /.test(message)) return '';
  const near = nearestNames(first, commands, 2);
  return near.length > 0 ? `\n'${first}' is no scap command; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?`
    : `\n'${first}' is no scap command; the commands are ${commands.join(', ')}`;
}
