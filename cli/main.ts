#!/usr/bin/env node
/**
 * The `scap` command. Each subcommand lives in commands/ and only wires a
 * source to stages and a sink; decisions belong to scapfile/ and inspect/.
 */
import { createRequire } from 'node:module';
import type { CommandModule } from 'yargs';
import type YargsFactory from 'yargs';
import type * as YargsHelpers from 'yargs/helpers';
import { reportError, UsageError } from './errors.js';
import { STDIN_ARG } from './input.js';
import { startReaderEarly } from './early-reader.js';
import { COMMAND_USAGE, type CommandName } from './command-usage.js';
import { nearestNames } from '../inspect/fields/nearest-names.js';

startReaderEarly(process.argv.slice(2));

// yargs through its CommonJS build: one bundled file loads in about two
// thirds of the time of its ES module graph (~45 ms against ~67 ms here),
// and start-up is paid by every command, short ones above all.
const require = createRequire(import.meta.url);
const yargs = require('yargs') as typeof YargsFactory;
const { hideBin } = require('yargs/helpers') as typeof YargsHelpers;

/**
 * Commands by name, loaded on demand: a command pulls in only its own
 * modules (`scap read` does not load Arrow and Parquet for `scap export`),
 * which keeps start-up short. A command line that names none (`--help`)
 * loads none: cli/command-usage.ts has their names and descriptions.
 */
const COMMANDS: Record<CommandName, () => Promise<CommandModule<object, never>>> = {
  info: async () => (await import('./commands/info.js')).infoCommand as CommandModule<object, never>,
  read: async () => (await import('./commands/read.js')).readCommand as CommandModule<object, never>,
  convert: async () => (await import('./commands/convert.js')).convertCommand as CommandModule<object, never>,
  cut: async () => (await import('./commands/cut.js')).cutCommand as CommandModule<object, never>,
  merge: async () => (await import('./commands/merge.js')).mergeCommand as CommandModule<object, never>,
  fields: async () => (await import('./commands/fields.js')).fieldsCommand as CommandModule<object, never>,
  events: async () => (await import('./commands/events.js')).eventsCommand as CommandModule<object, never>,
  ptree: async () => (await import('./commands/ptree.js')).ptreeCommand as CommandModule<object, never>,
  stats: async () => (await import('./commands/stats.js')).statsCommand as CommandModule<object, never>,
  export: async () => (await import('./commands/export.js')).exportCommand as CommandModule<object, never>,
  capture: async () => (await import('./commands/capture.js')).captureCommand as CommandModule<object, never>,
  live: async () => (await import('./commands/live.js')).liveCommand as CommandModule<object, never>,
};

/** Whether a word names a command (its own key: `toString` is none). */
function isCommand(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}

/**
 * yargs drops a lone `-` from an array positional (`scap merge a.scap -`),
 * where a single positional gets '' (cli/input.ts): merge's stdin input is
 * passed on as STDIN_ARG. `-o -` stays.
 */
function keepStdinInputs(argv: string[]): string[] {
  if (argv.find((a) => !a.startsWith('-')) !== 'merge') return argv;
  return argv.map((a, i) => (a === '-' && !['-o', '--output'].includes(argv[i - 1] ?? '') ? STDIN_ARG : a));
}

/**
 * `--` ends the options, as POSIX tools take it: yargs put the words after
 * it aside and filled no positional (`scap read -- -f.scap` said "Not enough
 * non-option arguments"). They become plain arguments; one starting with
 * '-' is a file name, written ./-f.scap so that yargs takes it as one.
 */
function endOfOptions(argv: string[]): string[] {
  const at = argv.indexOf('--');
  if (at === -1) return argv;
  const rest = argv.slice(at + 1).map((a) => (a.startsWith('-') && a !== '-' ? `./${a}` : a));
  return [...argv.slice(0, at), ...rest];
}

/** What yargs knows of its options: boolean ones and aliases by name. */
interface BooleanOptions {
  readonly boolean: readonly string[];
  readonly alias: Readonly<Record<string, readonly string[] | undefined>>;
}

/**
 * yargs reads any value of a boolean option written `--name=value` other
 * than `true` as false, silently: `--count=yes` printed every event.
 * Such a value is refused, as an unknown option is.
 */
function checkBooleanValues(argv: readonly string[], booleans: ReadonlySet<string>): void {
  for (const a of argv) {
    const m = /^(--(?:no-)?([^=]+)|-([^-=]))=(.*)$/s.exec(a);
    if (m === null || !booleans.has(m[2] ?? m[3]!) || m[4] === 'true' || m[4] === 'false') continue;
    throw new UsageError(`${m[1]} is a switch: give it alone, or =true / =false (not '${m[4]}')`);
  }
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
 * sysdig runs chisels with -c (`sysdig -r f.scap -c topconns`); scap has
 * their top* tables as `scap stats`. An unknown -c gets that pointer.
 */
function chiselHint(message: string, argv: readonly string[]): string {
  if (!/^Unknown arguments?: /.test(message)) return '';
  const given = sysdigOption(argv, 'c', 'chisel', 'NAME', /^-c([a-z].*)$/);
  return given === undefined ? '' : `\nsysdig's top* chisels are tables of scap stats: scap stats FILE ${given}`;
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

/**
 * sysdig names the capture it reads with -r (`sysdig -r f.scap`); scap
 * commands take it as their first word. -r is no scap option, so yargs
 * took the file for its value and found no file: that gets the spelling.
 */
function readFileHint(message: string, argv: readonly string[]): string {
  if (!/^Not enough non-option arguments|^Unknown arguments?: /.test(message)) return '';
  const file = sysdigOption(argv, 'r', 'read', 'FILE');
  if (file === undefined) return '';
  const command = argv.find((a) => !a.startsWith('-') && isCommand(a)) ?? 'read';
  return `\nscap takes the capture as a word, not with sysdig's -r: scap ${command} ${file}`;
}

/**
 * sysdig writes what it reads, filtered, with -w (`sysdig -r in.scap -w
 * out.scap proc.name=curl`); for scap that is `scap cut`, which keeps the
 * process and fd names the kept events need.
 */
function writeHint(message: string, argv: readonly string[]): string {
  if (!/^Unknown arguments?: /.test(message) || argv.find(isCommand) !== 'read') return '';
  const out = sysdigOption(argv, 'w', 'write', 'OUT.scap');
  if (out === undefined) return '';
  return `\nsysdig's -w is scap cut here: scap cut FILE -o ${out} [-f FILTER]`;
}

/**
 * sysdig prints a summary of the events by type after the capture with -S
 * (--summary); scap has it as its own commands.
 */
function summaryHint(message: string, argv: readonly string[]): string {
  // yargs takes the word after --summary for its value: then the file is missing.
  if (!/^Not enough non-option arguments|^Unknown arguments?: /.test(message) || !argv.some((a) => a === '-S' || a === '--summary')) return '';
  const file = argv.find((a) => !a.startsWith('-') && !isCommand(a)) ?? 'FILE';
  return `
sysdig's -S summary is, in scap, scap info ${file} (events by type) or scap stats ${file} topscalls (system calls by count and time)`;
}

/**
 * sysdig lists the fields with -l (--list) and the events with -L
 * (--list-events); scap has commands for both. Any usage error of a line
 * holding one names them (`scap -l` said only "Name a command").
 */
function listHint(argv: readonly string[]): string {
  if (argv.some((a) => a === '-l' || a === '--list')) return "\nsysdig's -l is scap fields [MATCH] here";
  if (argv.some((a) => a === '-L' || a === '--list-events')) return "\nsysdig's -L is scap events [MATCH] here";
  return '';
}

/**
 * A first word that is no command (`scap raed f.scap`) gets the nearest
 * command names, or the list of them, after yargs' "Unknown argument".
 */
function commandHint(message: string, argv: readonly string[]): string {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined || argv.some(isCommand) || !/^Unknown arguments?: /.test(message)) return '';
  const near = nearestNames(first, Object.keys(COMMANDS), 2);
  return near.length > 0 ? `\n'${first}' is no scap command; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?`
    : `\n'${first}' is no scap command; the commands are ${Object.keys(COMMANDS).join(', ')}`;
}

/**
 * sysdig's named formats written as getopt reads them, the name glued to
 * the option (`-pc`, `-pcontainer`): yargs read `-pc` as the flags p and c.
 * They become `-p c`, which scap read and scap live take (read-events.ts).
 */
function namedFormats(argv: string[]): string[] {
  return argv.flatMap((a) => (/^-p(?:c|container|p|k|kubernetes|m|mesos)$/.test(a) ? ['-p', a.slice(2)] : [a]));
}

async function main(): Promise<void> {
  const argv = namedFormats(keepStdinInputs(endOfOptions(hideBin(process.argv))));
  const named = argv.find((a) => !a.startsWith('-'));
  const wanted: CommandName[] = named !== undefined && isCommand(named) ? [named] : Object.keys(COMMANDS) as CommandName[];
  // With no command's name anywhere (`scap --help`, `scap`, a mistyped
  // command), yargs can match none of them: their names and descriptions
  // are all it shows, and their modules are not loaded.
  const listOnly = !argv.some(isCommand);
  let cli = yargs(argv)
    .scriptName('scap')
    .usage('$0 <command> [options]\n\nRead, inspect and convert Linux syscall captures in the scap format.');
  // Errors before a command's handler runs (yargs' own, and every .check())
  // are usage errors: exit 2, as scap-capture's bad values. Errors of the
  // work itself (a damaged capture, a missing file) go to reportError: exit 1.
  let running = false;
  for (const name of wanted) {
    if (listOnly) {
      cli = cli.command({ ...COMMAND_USAGE[name], handler: () => { throw new Error(`scap: ${name} was not loaded`); } });
      continue;
    }
    const mod = await COMMANDS[name]();
    const handler = mod.handler;
    cli = cli.command({ ...mod, handler: (args) => { running = true; return handler(args); } });
  }
  await cli
    .option('verbose', { type: 'boolean', default: false, describe: 'Print stack traces of errors' })
    .middleware(() => {
      // The chosen command's options are registered on `cli` by now
      // (getOptions is yargs' own, missing from its type declarations).
      const opts = (cli as unknown as { getOptions(): BooleanOptions }).getOptions();
      checkBooleanValues(argv, new Set(opts.boolean.flatMap((name) => [name, ...(opts.alias[name] ?? [])])));
    })
    .demandCommand(1, 'Name a command (scap --help lists them).')
    .strict()
    .help()
    .version(false)
    .fail((msg, err) => {
      if (err && running) throw err;
      const message = msg ?? err?.message ?? '';
      const opts = (cli as unknown as { getOptions(): BooleanOptions }).getOptions();
      process.stderr.write(`scap: ${message}${filterHint(message, 'filter' in opts.alias)}${chiselHint(message, argv)}${readFileHint(message, argv)}${writeHint(message, argv)}${summaryHint(message, argv)}${listHint(argv)}${commandHint(message, argv)}\nTry 'scap --help'.\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch((err: unknown) => {
  process.exitCode = reportError(err, process.argv.includes('--verbose'));
});
