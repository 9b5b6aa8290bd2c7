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
