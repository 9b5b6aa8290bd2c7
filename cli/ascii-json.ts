import { columnText } from '../scapfile/bytes.js';

/**
 * JSON in ASCII (non-ASCII as \uXXXX) of a value holding capture strings,
 * each read as `columnText` reads it: UTF-8 text when its bytes are UTF-8,
 * else each byte as its own character (the rule of the exported tables).
 * The bytes themselves went out before, which is not JSON when they are not
 * UTF-8 (a process named by a Latin-1 file name).
 */
export function asciiJson(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? columnText(v) : v), indent);
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
