// Live runs of the reference sinsp-example for tests that compare our output
// with it event by event; the tests skip themselves when it is not built.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SINSP_EXAMPLE } from '../scapfile/writer/sinsp-reference.js';

export { SINSP_EXAMPLE };
export const HAVE_SINSP = existsSync(SINSP_EXAMPLE);

/**
 * The event lines sinsp-example prints for `file` with `-a`, the given
 * options and `-o format` (TZ=UTC LC_ALL=C, as the goldens): what comes
 * between `-- Start capture` and `-- EOF`.
 */
export function sinspEventLines(file: string, format: string, options: readonly string[] = []): string[] {
  const out = execFileSync(SINSP_EXAMPLE, ['-s', file, '-a', ...options, '-o', format], {
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, encoding: 'latin1', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const all = out.split('\n');
  return all.slice(all.indexOf('-- Start capture') + 1, all.indexOf('-- EOF'));
}
