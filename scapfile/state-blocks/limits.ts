// String limits of libscap's state blocks (falcosecurity/libs 48dfd53,
// userspace/libscap/scap_limits.h): the reader refuses longer values, so the
// parsers here check them and the writer (scapfile/writer) cuts to them.

/** SCAP_MAX_PATH_SIZE: comm, exe, exepath, cwd, root. */
export const SCAP_MAX_PATH_SIZE = 1024;
/** SCAP_MAX_ARGS_SIZE, SCAP_MAX_ENV_SIZE, SCAP_MAX_CGROUPS_SIZE: NUL-separated lists. */
export const SCAP_MAX_ARGS_SIZE = 4096;
export const SCAP_MAX_ENV_SIZE = 4096;
export const SCAP_MAX_CGROUPS_SIZE = 4096;
/** Fd and interface names must stay below SCAP_MAX_PATH_SIZE. */
export const MAX_NAME_LEN = SCAP_MAX_PATH_SIZE - 1;
