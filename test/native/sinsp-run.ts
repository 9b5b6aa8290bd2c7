// The reference sinsp-example (falcosecurity/libs, built by
// /work/shared/tools/reference/build.sh) run on a capture.

import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the reference binary is (SINSP_EXAMPLE or REFS_DIR override the default). */
export const SINSP_EXAMPLE = process.env.SINSP_EXAMPLE
  ?? join(process.env.REFS_DIR ?? join(homedir(), '.cache', 'scapkit-reference'), 'libs', 'build', 'libsinsp', 'examples', 'sinsp-example');

/** The output format the native tests compare. */
export const SINSP_FORMAT = '*%evt.num %evt.type %proc.name %evt.args';

/** The event lines (in SINSP_FORMAT) and the "Retrieved events" count. */
export function sinspRun(file: string): { lines: string[]; retrieved: number } {
  const out = execFileSync(SINSP_EXAMPLE, ['-s', file, '-a', '-o', SINSP_FORMAT], {
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, encoding: 'latin1', maxBuffer: 512 << 20,
  });
  const all = out.split('\n');
  const start = all.indexOf('-- Start capture');
  const end = all.indexOf('-- EOF');
  // The summary after the last event: event lines may quote it too (a capture
  // that recorded another sinsp-example writing it), so only a whole line counts.
  const summary = all.slice(end).find((l) => l.startsWith('Retrieved events: '));
  return { lines: all.slice(start + 1, end), retrieved: summary ? Number(summary.slice('Retrieved events: '.length)) : -1 };
}
