// Top tables as text, laid out as sysdig's chisels print them (common.lua
// print_sorted_table: 20-character columns, value first, the last key
// whole), and as plain data for JSON.

import type { TableField, TopRow } from './top-table.js';
import type { ValueUnits } from './views.js';

const COLUMN = 20;

/**
 * The chisels' string.format("%.Nf"): sysdig runs them on LuaJIT, whose
 * own formatter rounds the exact binary value and an exact tie away from
 * zero, as toFixed does. C's printf (printf.ts formatFixed, for libsinsp's
 * fields) rounds a tie to even instead: sysdig's ps prints 10880 KB as
 * 10.63M, and LuaJIT 2.1 agreed with toFixed on 5,000 values.
 */
const luaFixed = (x: number, decimals: number): string => x.toFixed(decimals);
const KIB = 1024;

/**
 * A byte count as the chisels print it: two decimals and a binary unit
 * above 1024 (KB, M, G, T, P: their spelling), else whole bytes with B.
 */
export function formatBytes(n: number): string {
  const units: readonly [number, string][] = [[KIB ** 5, 'P'], [KIB ** 4, 'T'], [KIB ** 3, 'G'], [KIB ** 2, 'M'], [KIB, 'KB']];
  for (const [size, unit] of units) if (n > size) return `${luaFixed(n / size, 2)}${unit}`;
  return `${Math.trunc(n)}B`;
}

const NS_PER_S = 1e9;
const NS_PER_MS = 1e6;
const NS_PER_US = 1e3;
const two = (n: number): string => String(Math.trunc(n)).padStart(2, '0');

/**
 * A duration in ns as the chisels print it: `1.10s`, `250ms`, `3.25ms`,
 * `12us`, `1.50us`, `800ns` (two decimals below ten of a unit, truncated).
 */
export function formatDuration(ns: number): string {
  if (ns >= NS_PER_S) return `${Math.trunc(ns / NS_PER_S)}.${two((ns % NS_PER_S) / 1e7)}s`;
  if (ns >= NS_PER_S / 100) return `${Math.trunc(ns / NS_PER_MS)}ms`;
  if (ns >= NS_PER_MS) return `${Math.trunc(ns / NS_PER_MS)}.${two((ns % NS_PER_MS) / 1e4)}ms`;
  if (ns >= NS_PER_S / 100000) return `${Math.trunc(ns / NS_PER_US)}us`;
  if (ns >= NS_PER_US) return `${Math.trunc(ns / NS_PER_US)}.${two((ns % NS_PER_US) / 10)}us`;
  return `${Math.trunc(ns)}ns`;
}

/** A total in the table's units; `spanNs`, the capture's span, for 'timepct'. */
export function formatValue(v: number, units: ValueUnits, spanNs = 0): string {
  if (units === 'bytes') return formatBytes(v);
  if (units === 'time') return formatDuration(v);
  // common.lua: string.format("%.2f%%", ...).
  if (units === 'timepct') return spanNs > 0 ? `${luaFixed(v / spanNs * 100, 2)}%` : '0.00%';
  return String(v);
}

/** The spaces extend_string pads from (a literal in common.lua): it pads by no more. */
const EXTEND_PAD_MAX = 167;

/**
 * common.lua's extend_string: `s` padded with spaces to `width` (by at most
 * 167), or cut to one char less and a space (capture strings are one char
 * per byte, as Lua's lengths count).
 */
export function extendString(s: string, width: number): string {
  if (s.length < width) return s + ' '.repeat(Math.min(width - s.length, EXTEND_PAD_MAX));
  return width > 0 ? `${s.slice(0, width - 1)} ` : '';
}

const cell = (s: string): string => extendString(s, COLUMN);

/** The header, the rule and one line per row. */
export function topTableLines(
  titles: { value: string; keys: readonly string[] }, rows: readonly TopRow[], units: ValueUnits, spanNs = 0,
): string[] {
  const lines = [cell(titles.value) + titles.keys.map(cell).join(''), '-'.repeat(80)];
  for (const row of rows) {
    const keys = row.keys;
    let line = cell(formatValue(row.value, units, spanNs));
    for (let k = 0; k < keys.length - 1; k++) line += cell(keys[k]!);
    lines.push(line + keys[keys.length - 1]!);
  }
  return lines;
}

/**
 * A row as a JSON object: each key field by name (numbers as numbers),
 * then the total as `value` (field names all have a dot: no clash).
 */
export function topRowJson(row: TopRow, keys: readonly TableField[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  keys.forEach((f, k) => { out[f.name] = f.isNumber ? Number(row.keys[k]) : row.keys[k]!; });
  out.value = row.value;
  return out;
}
