// The reference sinsp-example (falcosecurity/libs, built by
// /work/shared/tools/reference/build.sh) run on a capture, and reading its
// output.

import { execFileSync, spawnSync } from 'node:child_process';
import { SINSP_EXAMPLE } from '../helpers/sinsp.js';

/** Where the reference binary is (SINSP_EXAMPLE or REFS_DIR override the default). */
export { SINSP_EXAMPLE };

/** The output format the native tests compare. */
export const SINSP_FORMAT = '*%evt.num %evt.type %proc.name %evt.args';

/** The environment sinsp-example runs in, as for the goldens: times in UTC, the C locale. */
export function sinspEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
}

/** The event lines (in SINSP_FORMAT) and the "Retrieved events" count. */
export function sinspRun(file: string): { lines: string[]; retrieved: number } {
  const out = execFileSync(SINSP_EXAMPLE, ['-s', file, '-a', '-o', SINSP_FORMAT], {
    env: sinspEnv(), encoding: 'latin1', maxBuffer: 512 << 20,
  });
  const all = out.split('\n');
  const start = all.indexOf('-- Start capture');
  const end = all.indexOf('-- EOF');
  // The summary after the last event: event lines may quote it too (a capture
  // that recorded another sinsp-example writing it), so only a whole line counts.
  const summary = all.slice(end).find((l) => l.startsWith('Retrieved events: '));
  return { lines: all.slice(start + 1, end), retrieved: summary ? Number(summary.slice('Retrieved events: '.length)) : -1 };
}

/** sinsp-example's event lines between its start and end markers (a live run stopped early may have no end marker). */
export function sinspLines(out: string): string[] {
  const all = out.split('\n');
  const start = all.indexOf('-- Start capture');
  const end = all.indexOf('-- EOF');
  return all.slice(start + 1, end === -1 ? undefined : end).filter((l) => l !== '' && !l.startsWith('-- '));
}

/**
 * sinsp-example's event lines for `file` in `format`, of the events
 * `filter` selects (all when not given). Its exit status is not checked:
 * what it printed is compared.
 */
export function sinspFileLines(file: string, format: string, filter?: string): string[] {
  const r = spawnSync(SINSP_EXAMPLE, ['-s', file, '-a', ...(filter === undefined ? [] : ['-f', filter]), '-o', format], {
    env: sinspEnv(), encoding: 'latin1', maxBuffer: 256 << 20,
  });
  return sinspLines(r.stdout);
}
