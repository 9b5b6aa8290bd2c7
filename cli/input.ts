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
