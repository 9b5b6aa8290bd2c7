import type { ReadWarning } from '../scapfile/block-reader.js';

/** `--recover`, shared by the commands that read a capture through. */
export const recoverOption = {
  type: 'boolean', default: false,
  describe: 'Skip damaged blocks (and events libscap cannot convert) with a warning, resuming at the next valid block',
} as const;

/** Prints the reader's warnings to stderr; true when `strict` makes them an error. */
export function printWarnings(warnings: readonly ReadWarning[], strict: boolean): boolean {
  for (const w of warnings) process.stderr.write(`scap: warning: ${w.message}${w.offset >= 0 ? ` (offset ${w.offset})` : ''}\n`);
  return strict && warnings.length > 0;
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
