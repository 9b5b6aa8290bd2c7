// Signal number -> name as libsinsp prints it: `sinsp_utils::signal_to_str`
// (userspace/libsinsp/utils.cpp, values from sinsp_signal.h) at
// falcosecurity/libs 48dfd53. Linux asm-generic (x86, arm, ...) numbering,
// which libsinsp applies whatever the capturing architecture: signals 1..31;
// real-time signals and 0 have no name. Aliases sharing a number
// (SIGIOT=6, SIGPOLL=29, SIGUNUSED=31) are never printed.
//
// How a PT_SIGTYPE parameter prints (event.cpp): the u8 value in decimal,
// resolved to the name when there is one. PT_SIGSET parameters list the names
// of the set bits (bit i = signal i + 1).

/** Signal number -> name, e.g. 9 -> 'SIGKILL'. */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP',
  20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ',
  26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGIO', 30: 'SIGPWR', 31: 'SIGSYS',
});

/** The name of a signal number, or undefined when libsinsp has none. */
export function signalName(signal: number): string | undefined {
  return Object.hasOwn(SIGNAL_NAMES, signal) ? SIGNAL_NAMES[signal] : undefined;
}
