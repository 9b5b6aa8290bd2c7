// fd.types lists types in the order libsinsp walks a thread's fd table, a
// std::unordered_map: FdTable reproduces libstdc++'s walk order. Checked
// against the real thing: a small C++ program (cxx/unordered-walk.cc, built
// with the g++ the native build needs) runs the same random scripts of
// inserts, erases, clears and fork copies, and prints its walks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FdEntry, FdTable } from '../../inspect/state/fd-table.js';

const SOURCE = fileURLToPath(new URL('./cxx/unordered-walk.cc', import.meta.url));
let dir = '';
let program = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scapkit-walk-'));
  program = join(dir, 'unordered-walk');
  execFileSync('g++', ['-O1', '-o', program, SOURCE], { stdio: ['ignore', 'ignore', 'inherit'] });
});
afterAll(() => { if (dir !== '') rmSync(dir, { recursive: true, force: true }); });

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `script` on FdTables; returns the walks its `p` lines print. */
function ourWalks(script: string[]): string {
  const tables = new Map<number, FdTable>();
  const table = (t: number): FdTable => {
    let x = tables.get(t);
    if (x === undefined) tables.set(t, x = new FdTable(1 << 20));
    return x;
  };
  const out: string[] = [];
  for (const line of script) {
    const [op, a, b] = line.split(' ');
    const t = table(Number(a));
    if (op === 'a') { if (t.find(Number(b)) === undefined || Number(b) < 0) t.add(Number(b), new FdEntry()); }
    else if (op === 'e') t.erase(Number(b));
    else if (op === 'c') t.clear();
    else if (op === 'k') t.copyInto(table(Number(b)));
    else if (op === 'p') { const keys: number[] = []; t.forEach((e) => keys.push(e.fd)); out.push(keys.join(' ')); }
  }
  return out.join('\n') + '\n';
}

function theirWalks(script: string[]): string {
  return execFileSync(program, { input: script.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** Keys as fd numbers come: mostly small, some large, a few negative or beyond 32 bits. */
function key(r: () => number): number {
  const x = r();
  if (x < 0.6) return Math.floor(r() * 24);
  if (x < 0.85) return Math.floor(r() * 300);
  if (x < 0.97) return Math.floor(r() * 6000);
  if (x < 0.99) return -1 - Math.floor(r() * 5);
  return Math.floor(r() * 2 ** 40);
}

describe('fd table walk order (libstdc++ std::unordered_map)', () => {
  it.each([1, 2, 3, 4, 5, 6])('a random script of inserts, erases, clears and fork copies (seed %i)', (seed) => {
    const r = random(seed);
    const script: string[] = [];
    // A phase that grows tables past several bucket counts (13, 29, 59, 127, 257, 541, 1109), then churn.
    for (let i = 0; i < 1500; i++) script.push(`a 0 ${key(r)}`);
    script.push('p 0');
    for (let i = 0; i < 6000; i++) {
      const x = r();
      const t = Math.floor(r() * 4);
      if (x < 0.45) script.push(`a ${t} ${key(r)}`);
      else if (x < 0.85) script.push(`e ${t} ${key(r)}`);
      else if (x < 0.86) script.push(`c ${t}`);
      else if (x < 0.88) script.push(`k ${t} ${(t + 1 + Math.floor(r() * 3)) % 4}`);
      else script.push(`p ${t}`);
    }
    for (let t = 0; t < 4; t++) script.push(`p ${t}`);
    expect(ourWalks(script)).toBe(theirWalks(script));
  });

  it('a replaced fd keeps its place; an fd closed and opened again moves', () => {
    const script = ['a 0 3', 'a 0 16', 'a 0 4', 'p 0', 'a 0 16', 'p 0', 'e 0 16', 'a 0 16', 'p 0'];
    const ours = new FdTable();
    for (const fd of [3, 16, 4]) ours.add(fd, new FdEntry());
    const replaced = new FdEntry();
    ours.add(16, replaced); // sinsp's add_ref replaces the value under the same node
    const walk = (): number[] => { const k: number[] = []; ours.forEach((e) => k.push(e.fd)); return k; };
    expect(walk()).toEqual([4, 16, 3]);
    ours.erase(16);
    ours.add(16, new FdEntry());
    expect(theirWalks(script)).toBe(`4 16 3\n4 16 3\n${walk().join(' ')}\n`);
  });
});
