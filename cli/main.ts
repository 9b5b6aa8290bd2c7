#!/usr/bin/env node
/**
 * The `scap` command. Each subcommand lives in commands/ and only wires a
 * source to stages and a sink; decisions belong to scapfile/ and inspect/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CommandModule } from 'yargs';
import type YargsFactory from 'yargs';
import type * as YargsHelpers from 'yargs/helpers';
import { reportError, UsageError } from './errors.js';
import { STDIN_ARG } from './input.js';
import { startReaderEarly } from './early-reader.js';
import { COMMAND_USAGE, type CommandName } from './command-usage.js';
import { usageHints } from './usage-hints.js';
import { SYSDIG_FORMAT_NAMES } from './commands/read-events.js';
import { SCHEMA_ORIGIN } from '../scapfile/schema/origin.js';

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
  lsof: async () => (await import('./commands/lsof.js')).lsofCommand as CommandModule<object, never>,
  netstat: async () => (await import('./commands/lsof.js')).netstatCommand as CommandModule<object, never>,
  ps: async () => (await import('./commands/lsof.js')).psCommand as CommandModule<object, never>,
  'echo-fds': async () => (await import('./commands/echo-fds.js')).echoFdsCommand as CommandModule<object, never>,
  stdin: async () => (await import('./commands/stdio.js')).stdinCommand as CommandModule<object, never>,
  stdout: async () => (await import('./commands/stdio.js')).stdoutCommand as CommandModule<object, never>,
  stderr: async () => (await import('./commands/stdio.js')).stderrCommand as CommandModule<object, never>,
  httplog: async () => (await import('./commands/httplog.js')).httpLogCommand as CommandModule<object, never>,
  httptop: async () => (await import('./commands/httplog.js')).httpTopCommand as CommandModule<object, never>,
  iobytes: async () => (await import('./commands/iobytes.js')).ioBytesCommand as CommandModule<object, never>,
  'proc-exec-time': async () => (await import('./commands/proc-exec-time.js')).procExecTimeCommand as CommandModule<object, never>,
  'spy-file': async () => (await import('./commands/spy-file.js')).spyFileCommand as CommandModule<object, never>,
  'spy-logs': async () => (await import('./commands/spy-logs.js')).spyLogsCommand as CommandModule<object, never>,
  'spy-users': async () => (await import('./commands/spy-users.js')).spyUsersCommand as CommandModule<object, never>,
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

/**
 * Options whose value may well start with '-': a format or a filter (-p of
 * capture is its pid, which getopt would take the same way).
 */
const DASHED_VALUE_OPTIONS = new Set(['-p', '--print', '-f', '--filter']);

/**
 * The word after -p or -f is its value even when it starts with '-', as
 * getopt (and so sysdig) takes the word after an option that needs one:
 * yargs read `-p '-- %evt.num'` as more options ("Unknown arguments").
 * Such a pair becomes `--print=VALUE`, which yargs takes whole. The words
 * after a `--` that ends the options are left as they are.
 */
function dashedValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    if (DASHED_VALUE_OPTIONS.has(a) && next !== undefined && next.startsWith('-') && next !== '-') {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** What yargs knows of its options: boolean and list ones, and aliases by name. */
interface BooleanOptions {
  readonly boolean: readonly string[];
  readonly array: readonly string[];
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
 * yargs makes a list of an option given twice, and commands that take one
 * value then failed in their own words or not at all: `-o a -o b` said 'The
 * "path" argument must be of type string', `-t a -t r` printed <NA> for the
 * time. Such a repeat is a usage error; list options (`--columns`, cut's
 * `--type`) and positionals take several values as they mean to.
 */
function refuseRepeatedOptions(args: Readonly<Record<string, unknown>>, lists: ReadonlySet<string>, alias: BooleanOptions['alias']): void {
  for (const [name, value] of Object.entries(args)) {
    if (!Array.isArray(value) || name === '_' || lists.has(name)) continue;
    // One of a set of aliases speaks for all: the long name, with its letter.
    // yargs keys `alias` by the name an option was declared with.
    const declared = Object.keys(alias).find((k) => alias[k]!.includes(name)) ?? name;
    const names = [declared, ...(alias[declared] ?? [])];
    if (names.some((n) => lists.has(n))) continue;
    const long = names.find((n) => n.length > 1) ?? name;
    const short = names.find((n) => n.length === 1);
    throw new UsageError(`--${long}${short === undefined ? '' : ` (-${short})`} is given ${value.length} times; give it once`);
  }
}

/**
 * sysdig's named formats written as getopt reads them, the name glued to
 * the option (`-pc`, `-pcontainer`): yargs read `-pc` as the flags p and c.
 * They become `-p c`, which scap read and scap live take (read-events.ts).
 */
function namedFormats(argv: string[]): string[] {
  return argv.flatMap((a) => (a.startsWith('-p') && SYSDIG_FORMAT_NAMES.includes(a.slice(2)) ? ['-p', a.slice(2)] : [a]));
}

/**
 * What `scap --version` prints: the package's version and the libs commit
 * whose event table scapfile/schema carries, which decides the captures
 * (event types, parameter layouts) this build reads as their writer meant.
 */
function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `scap ${pkg.version} (scapkit; event table of falcosecurity/libs ${SCHEMA_ORIGIN})`;
}

async function main(): Promise<void> {
  const argv = namedFormats(keepStdinInputs(endOfOptions(dashedValues(hideBin(process.argv)))));
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
    .middleware((args) => {
      // The chosen command's options are registered on `cli` by now
      // (getOptions is yargs' own, missing from its type declarations).
      const opts = (cli as unknown as { getOptions(): BooleanOptions }).getOptions();
      checkBooleanValues(argv, new Set(opts.boolean.flatMap((name) => [name, ...(opts.alias[name] ?? [])])));
      refuseRepeatedOptions(args, new Set(opts.array), opts.alias);
    })
    .demandCommand(1, 'Name a command (scap --help lists them).')
    .strict()
    .help()
    .version('version', 'Print the version of scap and of the event table it reads', versionLine())
    .fail((msg, err) => {
      if (err && running) throw err;
      const message = msg ?? err?.message ?? '';
      const opts = (cli as unknown as { getOptions(): BooleanOptions }).getOptions();
      process.stderr.write(`scap: ${message}${usageHints(message, argv, 'filter' in opts.alias, Object.keys(COMMANDS))}\nTry 'scap --help'.\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch((err: unknown) => {
  process.exitCode = reportError(err, process.argv.includes('--verbose'));
});
