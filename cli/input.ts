/**
 * The input file argument of a command. yargs reads a lone `-` (stdin) as an
 * empty string (or `true` without a type), so both mean stdin here; an empty
 * path names no file anyway.
 */
export function inputPath(value: unknown): string {
  return value === '' || value === true || value === '-' ? '-' : String(value);
}
