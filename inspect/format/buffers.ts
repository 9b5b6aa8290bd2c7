// PT_BYTEBUF rendering, the way libsinsp turns a data buffer into text
// (userspace/libsinsp/event.cpp, binary_buffer_to_string and the
// binary_buffer_to_* helpers it dispatches to). "Printable" is C's isprint in
// the C locale: bytes 0x20..0x7e. Output is plain ASCII in every mode.
//
// `normal` is libsinsp's default (sinsp.cpp: m_buffer_format = PF_NORMAL, and
// sinsp-example never changes it outside JSON output): every byte is kept,
// non-printable ones become '.', and there is no length limit unless
// set_max_evt_output_len was called (default 0 = unlimited).

/** How buffers are printed: libsinsp's PF_NORMAL, PF_EOLS, PF_EOLS_COMPACT, PF_HEX, PF_HEXASCII, PF_BASE64. */
export type BufferFormat = 'normal' | 'eols' | 'eols-compact' | 'hex' | 'hexascii' | 'base64';

const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;

/** Where `bufferToDots` builds its text; grown to the largest buffer seen. */
let dotsScratch = Buffer.allocUnsafe(4096);

/** Printable bytes as themselves, the rest as '.' (binary_buffer_to_string_dots). */
export function bufferToDots(b: Uint8Array): string {
  // The dotted bytes are written to a scratch buffer and decoded once:
  // appending printable runs and dots piece by piece made a string (and a
  // Buffer view) per piece, which binary payloads paid per byte.
  const n = b.length;
  if (n > dotsScratch.length) dotsScratch = Buffer.allocUnsafe(Math.max(n, 2 * dotsScratch.length));
  const out = dotsScratch;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    out[i] = isPrint(c) ? c : 0x2e;
  }
  return out.toString('latin1', 0, n);
}

/**
 * Printable bytes only, line ends kept (binary_buffer_to_asciionly_string):
 * starts with a newline unless compact; '\r' becomes '\n'; '\n' is kept unless
 * it is the first byte or follows '\r'; every other unprintable byte (tabs
 * too) is dropped.
 */
export function bufferToAsciiOnly(b: Uint8Array, compact: boolean, dstlen = 0): string {
  let out = compact ? '' : '\n';
  for (let j = 0; j < b.length; j++) {
    // libsinsp's check before each byte: a full destination ends the text one char short.
    if (dstlen > 0 && out.length >= dstlen - 1) return out.slice(0, out.length - 1);
    const c = b[j]!;
    if (isPrint(c)) out += String.fromCharCode(c);
    else if (c === 0x0d) out += '\n';
    else if (c === 0x0a && j > 0 && b[j - 1] !== 0x0d) out += '\n';
  }
  return out;
}

const hex2 = (n: number): string => (n < 16 ? '0' : '') + n.toString(16);

/**
 * Rows of 16 bytes (binary_buffer_to_hex_string): `\n\t0x%04x:` then the
 * bytes in big-endian pairs ` %04x` (a trailing odd byte ` %02x`); with
 * `ascii`, the row is padded to 8 pairs, two spaces and the bytes as text
 * with '.' for unprintable ones. A final newline ends the whole.
 */
export function bufferToHex(b: Uint8Array, ascii: boolean, dstlen = 0): string {
  let out = '';
  for (let j = 0; j < b.length; j += 16) {
    let row = '\n\t0x' + j.toString(16).padStart(4, '0') + ':';
    let chunks = 0;
    for (let p = j; chunks < 8 && p < b.length; p += 2, chunks++) {
      row += ' ' + hex2(b[p]!) + (p + 1 < b.length ? hex2(b[p + 1]!) : '');
    }
    if (ascii) {
      row += '     '.repeat(8 - chunks) + '  ';
      for (let p = j; p < j + 16 && p < b.length; p++) row += isPrint(b[p]!) ? String.fromCharCode(b[p]!) : '.';
    }
    // Rows that would not fit the destination are left out.
    if (dstlen > 0 && out.length + row.length >= dstlen - 1) break;
    out += row;
  }
  return out + '\n';
}

/** Standard base64 with padding (binary_buffer_to_base64_string). */
export function bufferToBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
}

/**
 * A non-empty buffer in the given format. `maxLen` mirrors
 * sinsp::set_max_evt_output_len: in `normal` format a longer rendering is cut
 * to `maxLen` characters, the last three replaced by "..." (0 = no limit).
 */
export function renderBuffer(b: Uint8Array, format: BufferFormat = 'normal', maxLen = 0): string {
  switch (format) {
    case 'hex': return bufferToHex(b, false);
    case 'hexascii': return bufferToHex(b, true);
    case 'base64': return bufferToBase64(b);
    case 'eols': return bufferToAsciiOnly(b, false);
    case 'eols-compact': return bufferToAsciiOnly(b, true);
    case 'normal': {
      const s = bufferToDots(b);
      if (maxLen === 0 || s.length <= maxLen) return s;
      return maxLen > 3 ? s.slice(0, maxLen - 3) + '...' : s.slice(0, maxLen);
    }
  }
}

/**
 * The room libsinsp renders a field's byte buffer into (evt.buffer and
 * evt.rawarg of a PT_BYTEBUF): sinsp_filtercheck.cpp rawval_to_string
 * passes STRPROPERTY_STORAGE_SIZE - 1 = 1,023 bytes to
 * binary_buffer_to_string, so a long buffer is cut there, as each helper
 * cuts (evt.args has no such limit). Where libsinsp then reads past its text
 * (stale bytes of an earlier, longer value; a base64 encoding that did not
 * fit is not written at all) nothing is copied: base64 stays whole.
 */
const FIELD_BUFFER_ROOM = 1023;

/** A non-empty buffer as a field's value prints it (see FIELD_BUFFER_ROOM). */
export function renderFieldBuffer(b: Uint8Array, format: BufferFormat = 'normal'): string {
  switch (format) {
    case 'hex': return bufferToHex(b, false, FIELD_BUFFER_ROOM);
    case 'hexascii': return bufferToHex(b, true, FIELD_BUFFER_ROOM);
    case 'base64': return bufferToBase64(b);
    case 'eols': return bufferToAsciiOnly(b, false, FIELD_BUFFER_ROOM);
    case 'eols-compact': return bufferToAsciiOnly(b, true, FIELD_BUFFER_ROOM);
    case 'normal':
      // One char per byte; the check before byte 1,022 finds the room full and ends the text at 1,021.
      return bufferToDots(b.length >= FIELD_BUFFER_ROOM ? b.subarray(0, FIELD_BUFFER_ROOM - 2) : b);
  }
}
