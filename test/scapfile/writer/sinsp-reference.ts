// Running the reference libsinsp example (falcosecurity/libs sinsp-example,
// built by /work/shared/tools/reference/build.sh) on a capture, for tests
// that compare what it prints for our files with what it prints for the
// originals.

import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the reference binary is (SINSP_EXAMPLE or REFS_DIR override the default). */
export const SINSP_EXAMPLE = process.env.SINSP_EXAMPLE
  ?? join(process.env.REFS_DIR ?? join(homedir(), '.cache', 'scapkit-reference'), 'libs', 'build', 'libsinsp', 'examples', 'sinsp-example');
export const REFERENCE_FORMAT = '*%evt.num %evt.type %proc.name %fd.name %evt.args';

/** The event lines and the "Retrieved events" count sinsp-example prints for `file`. */
export function sinspLines(file: string, format = REFERENCE_FORMAT): { lines: string[]; retrieved: number } {
  const out = execFileSync(SINSP_EXAMPLE, ['-s', file, '-a', '-o', format], {
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, encoding: 'latin1', maxBuffer: 256 << 20,
  });
  const all = out.split('\n');
  const start = all.indexOf('-- Start capture');
  const end = all.indexOf('-- EOF');
  const m = /Retrieved events: (\d+)/.exec(out);
  return { lines: all.slice(start + 1, end), retrieved: m ? Number(m[1]) : -1 };
}

