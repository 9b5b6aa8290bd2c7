/**
 * 64-bit nanosecond timestamps without BigInt: the value is kept as two u32
 * halves and split into seconds and nanoseconds with 16-bit long division, so
 * every intermediate stays below 2^53 and exact.
 */

const NS_PER_SEC = 1e9;
const TWO16 = 65536;

/** Reused result of `splitNs`, valid until the next call. */
const split = { sec: 0, nsec: 0 };

/** Splits `hi * 2^32 + lo` nanoseconds into whole seconds and the remaining nanoseconds. */
export function splitNs(hi: number, lo: number): { readonly sec: number; readonly nsec: number } {
  const qHi = Math.floor(hi / NS_PER_SEC);
  let r = hi - qHi * NS_PER_SEC;
  let x = r * TWO16 + (lo >>> 16);
  const q2 = Math.floor(x / NS_PER_SEC);
  r = x - q2 * NS_PER_SEC;
  x = r * TWO16 + (lo & 0xffff);
  const q3 = Math.floor(x / NS_PER_SEC);
  split.sec = qHi * 4294967296 + q2 * TWO16 + q3;
  split.nsec = x - q3 * NS_PER_SEC;
  return split;
}

/** Compares two timestamps given as (hi, lo) halves: negative, zero or positive. */
export function compareTs(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return aHi !== bHi ? aHi - bHi : aLo - bLo;
}

/** The decimal digits of `hi * 2^32 + lo`, as sinsp prints `%evt.rawtime`. */
export function formatRawNs(hi: number, lo: number): string {
  const { sec, nsec } = splitNs(hi, lo);
  if (sec === 0) return String(nsec);
  return String(sec) + String(nsec).padStart(9, '0');
}
