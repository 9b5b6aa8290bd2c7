// `scap read`, `scap ptree` and `scap stats` read a large capture file in a worker thread
// (scapfile/read-ahead.ts). That thread is started here, from the bare
// arguments, before yargs and the command's modules load: its own start-up
// (a new isolate and the reader's modules) then runs beside theirs on the
// second core instead of after them. The command takes it when it opens the
// capture; a guess that turns out wrong only leaves a thread that waits,
// which never keeps the process alive.

/** Commands whose capture is read ahead, unless counting (see commands/read.ts). */
const READING_AHEAD = new Set(['read', 'ptree', 'stats']);

/** Starts the reader thread when `args` (the words after `scap`) name such a command and a file worth it. */
export function startReaderEarly(args: readonly string[]): void {
  const words = args.filter((a) => !a.startsWith('-'));
  if (!READING_AHEAD.has(words[0] ?? '') || args.some((a) => a === '--count' || a.startsWith('--count='))) return;
  void import('../scapfile/read-ahead.js').then((readAhead) => {
    if (words.slice(1).some((w) => readAhead.readAheadPays(w))) readAhead.startReadAheadEarly();
  }, () => undefined);
}
