/**
 * The signals a user stops a command with (Ctrl-C, kill, a closed
 * terminal). Commands that write files end on them as at the end of their
 * input, with a complete output; a second one kills as usual.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Calls `stop` on the first stop signal; returns the function that removes the handlers. */
export function onStopSignal(stop: (sig: NodeJS.Signals) => void): () => void {
  const handler = (sig: NodeJS.Signals): void => { off(); stop(sig); };
  const off = (): void => { for (const s of STOP_SIGNALS) process.off(s, handler); };
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return off;
}
