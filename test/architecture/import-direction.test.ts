import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

/** Layers in dependency order: each may import only itself and the layers before it. */
const LAYERS = ['scapfile', 'inspect', 'convert', 'cli'] as const;
/**
 * Side layers: what each may import besides itself. live/ is a source like
 * a file, so it sits on scapfile/ alone, and only cli/ (and bench/) use it.
 */
const SIDE_LAYERS: Record<string, readonly string[]> = { live: ['scapfile'] };
const ALL = [...LAYERS, ...Object.keys(SIDE_LAYERS)];

function sources(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

/** Every relative import of the .ts files under `layer`: the file and the top-level folder it reaches. */
function* importsOf(layer: string): Generator<{ file: string; spec: string; target: string }> {
  for (const file of sources(join(ROOT, layer))) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      yield { file, spec, target: relative(ROOT, resolve(dirname(file), spec)).split('/')[0]! };
    }
  }
}

describe('dependencies point one way: scapfile ← inspect ← convert ← cli, scapfile ← live ← cli', () => {
  for (const [rank, layer] of LAYERS.entries()) {
    it(`${layer}/ imports nothing from later layers`, () => {
      const bad: string[] = [];
      for (const { file, spec, target } of importsOf(layer)) {
        const targetRank = LAYERS.indexOf(target as (typeof LAYERS)[number]);
        // A side layer may be imported by cli/ only.
        const sideTarget = target in SIDE_LAYERS && layer !== 'cli';
        if (targetRank > rank || sideTarget) bad.push(`${relative(ROOT, file)} imports ${spec}`);
      }
      expect(bad).toEqual([]);
    });
  }
  for (const [layer, allowed] of Object.entries(SIDE_LAYERS)) {
    it(`${layer}/ imports only ${allowed.join(', ')}`, () => {
      const bad: string[] = [];
      for (const { file, spec, target } of importsOf(layer)) {
        if (target !== layer && ALL.includes(target) && !allowed.includes(target)) bad.push(`${relative(ROOT, file)} imports ${spec}`);
      }
      expect(bad).toEqual([]);
    });
  }
});
