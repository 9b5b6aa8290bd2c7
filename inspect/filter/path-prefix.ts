// `pmatch`: libsinsp's path_prefix_map (userspace/libsinsp/prefix_search.h):
// the listed paths and the value are cut into their non-empty '/'
// components (so `etc`, `/etc` and `/etc/` are one prefix, and `/` is the
// prefix of every value, socket names included); a value matches when one
// listed path is a prefix of it, component by component. A component with
// `?`, `*` or `[` is an fnmatch pattern for one component. A listed path
// under another listed path adds nothing; the shorter one covers it.

import { globMatcher } from './glob.js';

interface PrefixNode {
  /** The path ends here: every value through this node matches. */
  leaf: boolean;
  readonly dirs: Map<string, PrefixNode>;
  readonly globs: Map<string, { readonly test: (c: string) => boolean; readonly node: PrefixNode }>;
}

const newNode = (): PrefixNode => ({ leaf: false, dirs: new Map(), globs: new Map() });

/** The non-empty components of a path. */
const components = (path: string): string[] => path.split('/').filter((c) => c !== '');

/** A test of values against the listed path prefixes. */
export function pathPrefixMatcher(paths: readonly string[]): (value: string) => boolean {
  const root = newNode();
  for (const p of paths) add(root, components(p));
  return (value) => matches(root, components(value), 0);
}

function add(node: PrefixNode, comps: readonly string[]): void {
  if (node.leaf) return;
  if (comps.length === 0) {
    // This path ends where others went on: it is their prefix and replaces them.
    node.leaf = true;
    node.dirs.clear();
    node.globs.clear();
    return;
  }
  const c = comps[0]!;
  let next: PrefixNode | undefined;
  if (/[?*[]/.test(c)) {
    next = node.globs.get(c)?.node;
    if (next === undefined) node.globs.set(c, { test: globMatcher(c, false), node: (next = newNode()) });
  } else {
    next = node.dirs.get(c);
    if (next === undefined) node.dirs.set(c, (next = newNode()));
  }
  add(next, comps.slice(1));
}

function matches(node: PrefixNode, comps: readonly string[], i: number): boolean {
  if (node.leaf) return true;
  if (i === comps.length) return false;
  const direct = node.dirs.get(comps[i]!);
  if (direct !== undefined && matches(direct, comps, i + 1)) return true;
  for (const { test, node: next } of node.globs.values()) if (test(comps[i]!) && matches(next, comps, i + 1)) return true;
  return false;
}
