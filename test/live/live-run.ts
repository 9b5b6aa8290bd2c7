// Helpers of the live tests that load the real driver: building the addon,
// running `scap live` beside the workload (test/native/workload.c), and the
// BPF objects a process holds, read from /proc/PID/fdinfo (bpftool here has
// no pid column) and checked against `bpftool prog/map show`.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';
import { ensureNativeBuild, waitForLine } from '../native/capture-run.js';

export const ADDON = join(ROOT, 'build', 'addon', 'Release', 'scap_live.node');
export const SCAP_CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Brings the driver, the workload and the addon up to date (npm run build:addon); throws with the build output. */
export function ensureAddonBuild(): void {
  ensureNativeBuild();
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'cmake-js', 'bin', 'cmake-js'), 'compile', '--log-level', 'warn',
      '-d', join(ROOT, 'native', 'addon'), '-O', join(ROOT, 'build', 'addon')], { stdio: 'pipe', cwd: ROOT });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`building native/addon failed (npm run build:addon):\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
  if (!existsSync(ADDON)) throw new Error(`cmake-js did not produce ${ADDON}`);
}

/** A running `scap live` with its output gathered. */
export interface LiveProc {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

/** Starts `scap live ARGS` and resolves once it printed its ready line. */
export async function startLive(args: readonly string[]): Promise<LiveProc> {
  const proc = spawn(process.execPath, [SCAP_CLI, 'live', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('latin1').on('data', (c: string) => { out += c; });
  proc.stderr!.setEncoding('latin1').on('data', (c: string) => { err += c; });
  await waitForLine(proc, 'stderr', /scap live: capturing/, 'scap live');
  return { proc, stdout: () => out, stderr: () => err };
}

/** Ids of the BPF programs and maps behind the fds of a process (links count by their program). */
export function bpfObjectsHeldBy(pid: number): { progs: Set<number>; maps: Set<number> } {
  const progs = new Set<number>();
  const maps = new Set<number>();
  const dir = `/proc/${pid}/fdinfo`;
  for (const fd of readdirSync(dir)) {
    let text: string;
    try { text = readFileSync(join(dir, fd), 'utf8'); } catch { continue; }
    const prog = /^prog_id:\s*(\d+)/m.exec(text);
    const map = /^map_id:\s*(\d+)/m.exec(text);
    if (prog) progs.add(Number(prog[1]));
    if (map) maps.add(Number(map[1]));
  }
  return { progs, maps };
}

/** Ids of every BPF program and map loaded in the kernel now. */
export function bpfObjectsLoaded(): { progs: Set<number>; maps: Set<number> } {
  const ids = (what: 'prog' | 'map'): Set<number> =>
    new Set((JSON.parse(execFileSync('bpftool', [what, 'show', '-j'], { encoding: 'utf8' })) as { id: number }[]).map((o) => o.id));
  return { progs: ids('prog'), maps: ids('map') };
}

/** Which of `held` the kernel still has, after waiting up to `ms` for deferred frees (RCU). */
export async function stillLoaded(held: { progs: Set<number>; maps: Set<number> }, ms = 5000): Promise<{ progs: number[]; maps: number[] }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = bpfObjectsLoaded();
    const left = { progs: [...held.progs].filter((id) => now.progs.has(id)), maps: [...held.maps].filter((id) => now.maps.has(id)) };
    if ((left.progs.length === 0 && left.maps.length === 0) || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
