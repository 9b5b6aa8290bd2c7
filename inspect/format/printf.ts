// The few C printf conversions libsinsp uses to print parameters, reproduced
// byte for byte: integers by print format (userspace/libsinsp/event.cpp,
// SET_NUMERIC_FORMAT), `%lg` for relative times and the strftime layout of
// absolute times.
//
// Integer rules worth knowing (C varargs promotion): values narrower than 32
// bits are promoted to int, so `%X`/`%o` of a negative INT8/INT16/INT32 show
// its 32-bit two's complement; 64-bit values use the 64-bit pattern.

import { PrintFormat } from '../../scapfile/schema/types.js';

/**
 * A ≤32-bit integer as libsinsp prints it with print format `fmt` (the value
 * already as the signed/unsigned C type promoted to int: callers pass UINT32
 * values through `| 0`, since libsinsp prints them with `%d`).
 */
export function formatInt32(value: number, fmt: number): string {
  switch (fmt) {
    case PrintFormat.OCT: return value === 0 ? '0' : '0' + (value >>> 0).toString(8);
    case PrintFormat.HEX: return (value >>> 0).toString(16).toUpperCase();
    case PrintFormat.PADDED_DEC: return padded(String(value));
    default: return String(value);
  }
}

/** A 64-bit integer (as the signed C value) as libsinsp prints it with print format `fmt`. */
export function formatInt64(value: bigint, fmt: number): string {
  switch (fmt) {
    case PrintFormat.OCT: return value === 0n ? '0' : '0' + BigInt.asUintN(64, value).toString(8);
    case PrintFormat.HEX: return BigInt.asUintN(64, value).toString(16).toUpperCase();
    case PrintFormat.PADDED_DEC: return padded(value.toString());
    default: return value.toString();
  }
}

/** `%09d`: zero padding to 9 characters, after the sign. */
function padded(digits: string): string {
  if (digits.startsWith('-')) return '-' + digits.slice(1).padStart(8, '0');
  return digits.padStart(9, '0');
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * The exact decimal expansion of a finite, positive double: its significant
 * digits and the power of ten of the first one (x = 0.d1d2d3… × 10^(point)).
 */
function exactDecimal(x: number): { digits: string; point: number } {
  f64[0] = x;
  const lo = u32[0]!;
  const hi = u32[1]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else { mant |= 1n << 52n; exp = biased - 1075; }
  // x = mant × 2^exp exactly; with exp < 0 that is mant × 5^-exp / 10^-exp.
  let digits: string;
  let point: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    point = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    point = digits.length + exp;
  }
  const trimmed = digits.replace(/0+$/, '');
  return { digits: trimmed === '' ? '0' : trimmed, point };
}

/**
 * C's `%.Nf`. toFixed already rounds the exact binary value as glibc does,
 * except at an exact tie, which it rounds away from zero where printf
 * rounds to the even last digit: 1.125 is "1.13" to toFixed and "1.12" to
 * printf. A tie is a value whose exact decimal expansion ends in a 5 one
 * place past the last digit printed (0.05 is none: its binary value is a
 * little above, so both print 0.1).
 */
export function formatFixed(x: number, decimals: number): string {
  const text = x.toFixed(decimals);
  if (x === 0 || !Number.isFinite(x)) return text;
  const { digits, point } = exactDecimal(Math.abs(x));
  if (digits.length - point !== decimals + 1 || !digits.endsWith('5')) return text;
  // Rounded away from zero to an even digit: printf agrees.
  if ((text.charCodeAt(text.length - 1) - 48) % 2 === 0) return text;
  // printf keeps the digits before the 5.
  const kept = digits.slice(0, -1);
  const whole = point > 0 ? kept.slice(0, point) : '0';
  const fraction = point > 0 ? kept.slice(point) : '0'.repeat(-point) + kept;
  return `${x < 0 ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** C's `%.1f` (formatFixed). */
export const formatFixed1 = (x: number): string => formatFixed(x, 1);

/**
 * C's `%g` (precision 6, as `%lg`): 6 significant digits, rounded half to
 * even on the exact binary value as glibc does, fixed notation when the
 * decimal exponent is in [-4, 6), otherwise `d.ddddde±XX`; trailing zeros removed.
 */
export function formatG(x: number, precision = 6): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const sign = x < 0 ? '-' : '';
  const { digits, point } = exactDecimal(Math.abs(x));
  const p = Math.max(precision, 1);
  // Round `digits` to p significant digits.
  let kept = digits.slice(0, p).padEnd(p, '0');
  let exp10 = point - 1;
  if (digits.length > p) {
    const first = digits.charCodeAt(p) - 48;
    const restNonZero = digits.length > p + 1;
    const lastOdd = ((kept.charCodeAt(p - 1) - 48) & 1) === 1;
    if (first > 5 || (first === 5 && (restNonZero || lastOdd))) {
      const bumped = (BigInt(kept) + 1n).toString();
      if (bumped.length > p) { kept = bumped.slice(0, p); exp10++; } else kept = bumped;
    }
  }
  let out: string;
  if (exp10 < -4 || exp10 >= p) {
    const frac = kept.slice(1).replace(/0+$/, '');
    const e = Math.abs(exp10);
    out = kept[0]! + (frac ? '.' + frac : '') + 'e' + (exp10 < 0 ? '-' : '+') + (e < 10 ? '0' + e : String(e));
  } else if (exp10 >= 0) {
    const int = kept.slice(0, exp10 + 1);
    const frac = kept.slice(exp10 + 1).replace(/0+$/, '');
    out = int + (frac ? '.' + frac : '');
  } else {
    const frac = ('0'.repeat(-exp10 - 1) + kept).replace(/0+$/, '');
    out = '0.' + frac;
  }
  return sign + out;
}

const two = (n: number): string => (n < 10 ? '0' + n : String(n));

/**
 * An absolute time (ns since the epoch) as libsinsp prints PT_ABSTIME
 * (event.cpp): strftime `%Y-%m-%d %H:%M:%S.` in local time, then the 9-digit
 * nanoseconds written over the rest, which also cuts off the ` %z` the
 * format asked for. We print UTC: the reference outputs are made with TZ=UTC,
 * and a stable rendering beats one that depends on the reader's zone.
 */
export function formatAbsTime(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const nsec = ns % 1_000_000_000n;
  const d = new Date(Number(sec) * 1000);
  const date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${date} ${time}.${nsec.toString().padStart(9, '0')}`;
}
