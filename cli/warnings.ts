import type { ReadWarning } from '../scapfile/block-reader.js';

/** `--recover`, shared by the commands that read a capture through. */
export const recoverOption = {
  type: 'boolean', default: false,
  describe: 'Skip damaged blocks (and events libscap cannot convert) with a warning, resuming at the next valid block',
} as const;

/** Prints the reader's warnings to stderr; true when `strict` makes them an error. */
export function printWarnings(warnings: readonly ReadWarning[], strict: boolean): boolean {
  for (const w of warnings) process.stderr.write(`scap: warning: ${w.message}${whereNotSaid(w)}\n`);
  return strict && warnings.length > 0;
}

/**
 * The warning's offset, unless its message already says it (a skipped
 * region's "at offsets A..B" ended with "(offset A)", a truncation's
 * "input ends at decompressed offset N" with "(offset N)").
 */
function whereNotSaid(w: ReadWarning): string {
  if (w.offset < 0 || new RegExp(`\\boffsets? ${w.offset}(?!\\d)`).test(w.message)) return '';
  return ` (offset ${w.offset})`;
}

/**
 * Warns that a written capture holds no event (a filter that matched
 * nothing, -n 0): libscap refuses such a file ("no events in file"), so
 * sysdig, Falco and sinsp-example cannot open it. True when `strict` makes
 * that an error.
 */
export function warnIfNoEvents(events: number, output: string, strict: boolean): boolean {
  if (events > 0) return false;
  process.stderr.write(`scap: warning: ${output} holds no events; libscap (sysdig, Falco) will not open it ("no events in file")\n`);
  return strict;
}
