// Path joining as libsinsp does it when it builds fd names and working
// directories (falcosecurity/libs 48dfd53, userspace/libsinsp/utils.cpp:
// sinsp_utils::concatenate_paths and copy_and_normalize_path). We reproduce
// the behaviour, quirks included, not POSIX semantics:
// - a relative path is appended to the directory taken verbatim; only the
//   appended part is normalised, but `..` may climb back into the directory;
// - `./` and a final `.` vanish, `..` drops the previous component (never
//   the first character), repeated '/' collapse, one trailing '/' goes
//   (a lone "/" stays);
// - an absolute or empty path ignores the directory;
// - more than SCAP_MAX_PATH_SIZE - 1 bytes in total gives a fixed text.
// The path stops at its first NUL, as the C string does.

/** `SCAP_MAX_PATH_SIZE` (userspace/libscap/scap_limits.h). */
const SCAP_MAX_PATH_SIZE = 1024;
const TOO_LONG = '/DIR_TOO_LONG/FILENAME_TOO_LONG';
const SLASH = 0x2f;
const DOT = 0x2e;

/** `PPM_AT_FDCWD` (driver/ppm_events_public.h): a dirfd meaning "the cwd". */
export const AT_FDCWD = -100;

/** An fd's name as the directory a relative path goes under: with one trailing '/' (parse_dirfd). */
export function asDirectory(name: string): string {
  return name === '' || name.endsWith('/') ? name : name + '/';
}

/** `dir` joined with `path`, normalised as libsinsp does. */
export function concatenatePaths(dir: string, path: string): string {
  const nul = path.indexOf('\0');
  if (nul !== -1) path = path.slice(0, nul);
  // Strings hold one char per byte (latin1), so lengths are byte counts.
  if (dir.length + path.length + 1 > SCAP_MAX_PATH_SIZE) return TOO_LONG;
  const relative = path.length !== 0 && path.charCodeAt(0) !== SLASH;
  // Most paths need no normalising (every open's name goes through here):
  // then the result is plain concatenation, without building it char by char.
  if (!relative) {
    if (isNormal(path, 1)) return path;
  } else if ((dir.length === 0 || dir.charCodeAt(dir.length - 1) === SLASH) && isNormal(path, 0)) {
    return dir + path;
  }
  return normalizingJoin(relative ? dir : '', path);
}

/**
 * `base` (the directory, or empty for an absolute path) and `path` joined
 * char by char as libsinsp's copy_and_normalize_path does: what
 * `concatenatePaths` does when its shortcut does not apply (exported so that
 * tests can check the shortcut against it).
 */
export function normalizingJoin(base: string, path: string): string {
  const out: number[] = [];
  for (let i = 0; i < base.length; i++) out.push(base.charCodeAt(i));
  let tc = out.length;
  // With a directory in front, a '/' right at the start of the result is a
  // separator already written by the directory (copy_and_normalize_path).
  const emptyBase = tc === 0;
  const at = (i: number): number => (i < path.length ? path.charCodeAt(i) : 0);
  // Back to the previous component: drop the char before the cursor, then
  // everything down to (not including) the previous '/'.
  const rewind = (): void => {
    if (tc <= 1) return;
    tc--;
    while (tc >= 1 && out[tc - 1] !== SLASH) tc--;
  };
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
      else out[tc++] = c, pc++;
    } else if (c === SLASH) {
      if ((tc > 0 && out[tc - 1] === SLASH) || (tc === 0 && !emptyBase)) pc++;
      else out[tc++] = c, pc++;
    } else {
      out[tc++] = c;
      pc++;
    }
  }
  let joined = '';
  for (let i = 0; i < tc; i++) joined += String.fromCharCode(out[i]!);
  return joined;
}

/**
 * Whether `normalizingJoin` would copy `path` from `from` on
 * unchanged, given that what precedes `from` ends with '/' (or is empty):
 * no '//', no `.` or `..` component, no trailing '/' (a lone "/" is kept).
 */
function isNormal(path: string, from: number): boolean {
  const n = path.length;
  let prev = SLASH;
  for (let i = from; i < n; i++) {
    const c = path.charCodeAt(i);
    if (prev === SLASH) {
      if (c === SLASH) return false;
      if (c === DOT) {
        const c1 = i + 1 < n ? path.charCodeAt(i + 1) : SLASH;
        if (c1 === SLASH) return false;
        if (c1 === DOT && (i + 2 >= n || path.charCodeAt(i + 2) === SLASH)) return false;
      }
    }
    prev = c;
  }
  return n <= 1 || prev !== SLASH;
}
