// Joining a directory and a relative path the way libsinsp resolves FSPATH /
// FSRELPATH parameters (userspace/libsinsp/utils.cpp,
// sinsp_utils::concatenate_paths and copy_and_normalize_path). Behaviour, not
// POSIX semantics, is what we reproduce:
// - the directory is taken verbatim (it normally ends in '/'); only the path
//   part is normalised, but `..` may climb back into the directory part;
// - `./` and a final `.` are dropped, `..` removes the previous component
//   (never above the first character), repeated '/' collapse, a trailing '/'
//   is removed (except for a lone "/");
// - an absolute or empty path ignores the directory;
// - directory + path longer than SCAP_MAX_PATH_SIZE - 1 (4095) bytes gives
//   the fixed text "/DIR_TOO_LONG/FILENAME_TOO_LONG".
// Strings are latin1 (one char per byte); the path stops at its first NUL as
// the C code does.

const SCAP_MAX_PATH_SIZE = 4096;
const SLASH = 0x2f;
const DOT = 0x2e;

/** `dir` + `path`, normalised as libsinsp does. */
export function concatenatePaths(dir: string, path: string): string {
  if (dir.length + path.length + 1 > SCAP_MAX_PATH_SIZE) return '/DIR_TOO_LONG/FILENAME_TOO_LONG';
  const nul = path.indexOf('\0');
  if (nul !== -1) path = path.slice(0, nul);
  const relative = path.length !== 0 && path.charCodeAt(0) !== SLASH;
  const base = relative ? dir : '';
  // out[0..tc) is the result so far; the directory is its untouchable-by-`./` prefix.
  const out: number[] = [];
  for (let i = 0; i < base.length; i++) out.push(base.charCodeAt(i));
  let tc = out.length;
  const emptyBase = tc === 0;
  const at = (i: number): number => (i < path.length ? path.charCodeAt(i) : 0);
  // Climb to the previous component: drop the char before the cursor, then
  // everything back to (not including) the previous '/'.
  const rewind = (): void => {
    if (tc <= 1) return;
    tc--;
    while (tc >= 1 && out[tc - 1] !== SLASH) tc--;
  };
  const put = (c: number): void => { out[tc++] = c; };
  let pc = 0;
  for (;;) {
    const c = at(pc);
    if (c === 0) {
      if (tc > 1 && out[tc - 1] === SLASH) tc--;
      break;
    }
    if (c === DOT && (tc === 0 || out[tc - 1] === SLASH)) {
      const c1 = at(pc + 1);
      const c2 = at(pc + 2);
      if (c1 === DOT && c2 === SLASH) { rewind(); pc += 3; }
      else if (c1 === DOT && c2 === 0) { rewind(); pc += 2; }
      else if (c1 === SLASH) pc += 2;
      else if (c1 === 0) pc++;
      else { put(c); pc++; }
    } else if (c === SLASH) {
      if ((tc > 0 && out[tc - 1] === SLASH) || (tc === 0 && !emptyBase)) pc++;
      else { put(c); pc++; }
    } else {
      put(c);
      pc++;
    }
  }
  let s = '';
  for (let i = 0; i < tc; i++) s += String.fromCharCode(out[i]!);
  return s;
}
