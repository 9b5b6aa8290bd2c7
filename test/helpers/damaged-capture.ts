import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes to `out` a copy of the plain (uncompressed) capture `plain` whose
 * block number `index` (0-based, counting the section header) is given a
 * length no block can have (7): the reader fails there with its offset.
 */
export function writeWithBadBlockLength(plain: string, index: number, out: string): void {
  const bytes = Buffer.from(readFileSync(plain));
  let at = 0;
  for (let k = 0; k < index; k++) at += bytes.readUInt32LE(at + 4);
  bytes.writeUInt32LE(7, at + 4);
  writeFileSync(out, bytes);
}
