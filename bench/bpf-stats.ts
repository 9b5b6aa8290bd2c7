/**
 * kernel.bpf_stats_enabled for the live benches. With it on, the kernel
 * times every BPF program run (two sched_clock reads around each, ~60 ns a
 * syscall on this machine kind, a tenth of dd's time under capture), so
 * the figures are lower than on a default kernel, where it is off. It is
 * easily left on: driver/README.md measures the driver with it, and it
 * stays on until reboot. (Left on by such a measurement, it made four
 * bench:capture runs read 1.39 M events/s where it is 1.57 with it off,
 * and libs' modern_bpf 1.00 instead of 1.07.)
 */
import { readFileSync, writeFileSync } from 'node:fs';

const SYSCTL = '/proc/sys/kernel/bpf_stats_enabled';

function read(): string | undefined {
  try { return readFileSync(SYSCTL, 'utf8').trim(); } catch { return undefined; }
}

/**
 * Runs `fn` with the sysctl off, as on a default kernel, and sets it back
 * afterwards; says so when it had to switch it. Where it cannot be written,
 * says that the figures include the stats' cost.
 */
export async function withoutBpfStats<T>(fn: () => Promise<T>): Promise<T> {
  const was = read();
  if (was === undefined || was === '0') return fn();
  try {
    writeFileSync(SYSCTL, '0');
  } catch (err) {
    console.log(`kernel.bpf_stats_enabled is ${was} and cannot be switched off (${(err as Error).message}): every BPF program run is also timed, figures are lower than on a default kernel`);
    return fn();
  }
  console.log(`kernel.bpf_stats_enabled was ${was}: off during the bench (every BPF program run is timed while it is on), set back to ${was} after`);
  try {
    return await fn();
  } finally {
    writeFileSync(SYSCTL, was);
  }
}
