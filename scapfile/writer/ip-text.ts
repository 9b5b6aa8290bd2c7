// Addresses in state blocks are kept as text (state-blocks/types.ts: IPv4
// dotted quads, IPv6 as inet_ntop prints it); the writer turns them back into
// the network-order bytes the blocks store.

/** Why an address cannot be written. */
const badAddress = (what: string, text: string): string =>
  `scap writer: ${what} ${JSON.stringify(text)} is not a valid address`;

/** The 4 network-order bytes of a dotted quad. */
export function ipv4Bytes(text: string, what = 'IPv4 address'): Buffer {
  const parts = text.split('.');
  if (parts.length !== 4) throw new RangeError(badAddress(what, text));
  const out = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    const n = Number(p);
    if (!/^\d{1,3}$/.test(p) || n > 255) throw new RangeError(badAddress(what, text));
    out[i] = n;
  }
  return out;
}

/** The 16 network-order bytes of an IPv6 address (with `::` and an optional trailing dotted quad). */
export function ipv6Bytes(text: string, what = 'IPv6 address'): Buffer {
  const out = Buffer.alloc(16);
  let s = text;
  let tail: Buffer | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > lastColon) {
    tail = ipv4Bytes(s.slice(lastColon + 1), what);
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) throw new RangeError(badAddress(what, text));
  const groups = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new RangeError(badAddress(what, text));
    return parseInt(g, 16);
  }));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const n = head.length + rest.length;
  if (halves.length === 1 ? n !== 8 : n > 7) throw new RangeError(badAddress(what, text));
  const words = [...head, ...new Array<number>(8 - n).fill(0), ...rest];
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i]!, 2 * i);
  if (tail) tail.copy(out, 12);
  return out;
}
