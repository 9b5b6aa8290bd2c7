// ansiterminal.lua, the colours sysdig's chisels print with.

/** ansiterminal.lua's codes; all empty when colours are off (a chisel's disable_color). */
export interface ChiselColors {
  readonly red: string;
  readonly green: string;
  readonly yellow: string;
  readonly blue: string;
  readonly reset: string;
}
export const ANSI_COLORS: ChiselColors = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m', reset: '\x1b[0m' };
export const NO_COLORS: ChiselColors = { red: '', green: '', yellow: '', blue: '', reset: '' };
