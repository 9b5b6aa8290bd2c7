/**
 * Parses a `--at` time: ns since the epoch (`1534527345123456789`), seconds
 * with a fraction (`1534527345.5`), or a local date and time
 * (`2018-08-17 17:35:45.123456789`, as `%evt.datetime` prints; `T` and a
 * trailing `Z` for UTC accepted). Returns ns since the epoch, or undefined.
 */
export function parseTimeNs(text: string): bigint | undefined {
  const t = text.trim();
  if (/^\d{13,}$/.test(t)) return BigInt(t);
  let m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(t);
  if (m) return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z?)$/.exec(t);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
}
