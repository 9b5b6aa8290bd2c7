import type { ReadWarning } from '../scapfile/block-reader.js';

/** Prints the reader's warnings to stderr; true when `strict` makes them an error. */
export function printWarnings(warnings: readonly ReadWarning[], strict: boolean): boolean {
  for (const w of warnings) process.stderr.write(`scap: warning: ${w.message} (offset ${w.offset})\n`);
  return strict && warnings.length > 0;
}
