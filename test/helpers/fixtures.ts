import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The real captures bundled in fixtures/captures (see fixtures/README.md). */
export const FIXTURES = ['curl_google', 'curl_google_comments', 'single_ipv6_conn', 'test_ipv6_client', 'scapkit_sysmix', 'libs_sysmix', 'libs_nsmix'] as const;
export type FixtureName = (typeof FIXTURES)[number];

/**
 * Bundled captures made for one command's goldens, without the full set
 * of the others (fixtures/README.md): spy_users for sysdig's spy_users
 * chisel, log_writes for spy_logs, http_exchanges for httplog, port_names
 * for port resolution (-R).
 */
export const COMMAND_CAPTURES = ['spy_users', 'log_writes', 'http_exchanges', 'port_names'] as const;
export type CaptureName = FixtureName | (typeof COMMAND_CAPTURES)[number];

export const capturePath = (name: CaptureName): string => join(ROOT, 'fixtures', 'captures', `${name}.scap`);

/** Lines of a golden reference output (or of its .gz, which regen keeps for large ones), without the trailing empty line. */
export function goldenLines(name: CaptureName, file: string): string[] {
  const path = join(ROOT, 'fixtures', 'golden', name, file);
  const text = (existsSync(path) ? readFileSync(path) : gunzipSync(readFileSync(path + '.gz'))).toString('latin1');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** count.txt as key → number. */
export function goldenCounts(name: FixtureName): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of goldenLines(name, 'count.txt')) {
    const m = /^(\w+)=(\d+)$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** types.txt as 'type dir' → count. */
export function goldenTypes(name: FixtureName): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of goldenLines(name, 'types.txt')) {
    const m = /^\s*(\d+) (.*)$/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}
