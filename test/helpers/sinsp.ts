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

/**
 * sinsp's rawval_to_string and rawval_to_json have no case for PT_MODE (the
 * mode of chmod, fchmod, fchmodat, mknod and mknodat) nor PT_DYN (ptrace's
 * addr and data): evt.rawarg.mode or .addr or .data of one of those aborts
 * sinsp-example ("wrong param type 42", "27"; libs_nsmix has a chmod, a
 * fchmodat and two ptraces). Tests that run those fields against it filter
 * the events out, on both sides.
 */
export const RAWARG_RENDERABLE = 'not evt.type in (chmod, fchmod, fchmodat, mknod, mknodat, ptrace)';
