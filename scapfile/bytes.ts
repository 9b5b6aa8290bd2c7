/**
 * Copies `src[start, end)` to `dst[at]`. Events are short (tens of bytes),
 * and Buffer#copy costs a native call plus a view allocation in Node 20 —
 * more than a plain loop up to about 64 bytes — so short copies loop.
 */
export function copyBytes(src: Buffer, start: number, end: number, dst: Buffer, at: number): void {
  if (end - start > 64) {
    src.copy(dst, at, start, end);
    return;
  }
  for (let i = start; i < end; i++) dst[at++] = src[i]!;
}
