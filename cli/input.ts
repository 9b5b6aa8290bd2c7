import { parseTimeSpec, type TimeSpec } from '../inspect/time-spec.js';
import { UsageError } from './errors.js';

/**
 * How cli/main.ts passes a lone `-` of an array positional (`scap merge a -`)
 * through yargs, which drops it there: no command line can hold a NUL.
 */
export const STDIN_ARG = '\0-';

/**
 * The input file argument of a command. yargs reads a lone `-` (stdin) as an
 * empty string (or `true` without a type), so both mean stdin here, as does
 * STDIN_ARG; an empty path names no file anyway.
 */
export function inputPath(value: unknown): string {
  return value === '' || value === true || value === '-' || value === STDIN_ARG ? '-' : String(value);
}

/**
 * `-f FILTER` of the commands that take one. An empty filter selects every
 * event, as in sysdig and sinsp-example (they set a filter only when the
 * string is not empty): a script's `-f "$FILTER"` with nothing in it. Blank
 * text is still a filter, and an error, as in libsinsp.
 */
export function filterOption(describe: string): { alias: 'f'; type: 'string'; requiresArg: true; describe: string; coerce: (s: string | string[]) => string | undefined } {
  return {
    alias: 'f', type: 'string', requiresArg: true, describe,
    coerce: (s) => {
      // Given twice, yargs passes a list ("s.startsWith is not a function").
      if (Array.isArray(s)) throw new Error(`-f is given ${s.length} times; join the filters with 'and': -f '${s.map((f) => `(${f})`).join(' and ')}'`);
      return s === '' ? undefined : s;
    },
  };
}

/**
 * Refuses a count of events that is no whole number (yargs reads `abc` as
 * NaN), or below 1 (0 with `zeroOk`): `scap read -n 0` printed one event,
 * `scap cut -n abc` kept none, `--skip -5` skipped none, all silently.
 */
export function checkEventCount(option: string, value: number | undefined, zeroOk = false): void {
  if (value === undefined || (Number.isInteger(value) && value >= (zeroOk ? 0 : 1))) return;
  throw new Error(`${option} takes a ${zeroOk ? 'whole number of events (0 or more)' : 'positive whole number of events'}`);
}

/** --pid of ptree, lsof, netstat and ps: a process id. */
export function checkPid(pid: number | undefined): void {
  if (pid !== undefined && !(Number.isInteger(pid) && pid > 0)) throw new UsageError('--pid: give a process id (a positive integer)');
}

/** A time option's value read by parseTimeSpec; what it cannot read is a usage error. */
export function timeOption(option: string, text: string): TimeSpec {
  try {
    return parseTimeSpec(text);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}

/** sysdig's -d: -f as a display filter (every event parsed; without it, Inspector.setFilter). */
export const displayFilterOption = {
  alias: 'd', type: 'boolean' as const,
  describe: "Make -f a display filter, as sysdig -d: every event is parsed and the filter sees the state after it (a dropped recvfrom still names its socket)",
};

/** sysdig's -R: ports as service names (the Inspector's resolvePorts). */
export const resolvePortsOption = {
  alias: 'R', type: 'boolean' as const,
  describe: 'Ports as service names from /etc/services (domain, http, …) in fd names, addresses and fd.*proto, as sysdig -R; filters compare fd.name as printed',
};

/** --color of the commands that print as a colouring chisel does. */
export const colorOption = {
  choices: ['auto', 'always', 'never'] as const, default: 'auto' as const,
  describe: "Colour codes as the chisel prints them (with them, its lines byte for byte); auto: when the output is a terminal; never: as its disable_color, without the empty line it ends with",
};
export type ColorChoice = (typeof colorOption.choices)[number];

/** Whether --color turns colours on for stdout. */
export function colorsOn(choice: ColorChoice): boolean {
  return choice === 'always' || (choice === 'auto' && process.stdout.isTTY === true);
}
