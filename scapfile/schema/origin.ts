// The falcosecurity/libs build whose facts scapfile/schema holds (event
// table, flag tables, syscall, errno and signal numbering), in libs' own
// version spelling. A module of its own so that `scap --version` loads
// nothing else.

/** libs' version string of that commit: `<tag>-<commits since>+<short commit>`. */
export const SCHEMA_ORIGIN = '0.26.0-115+48dfd53';
