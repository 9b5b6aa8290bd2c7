// The public API of live/: syscalls of the running system as a Source.

export { live, LiveCapture, LiveCaptureError, LiveOptionError, LiveStartError, DEFAULT_SNAPLEN, MAX_SNAPLEN } from './live-capture.js';
export type { LiveOptions, LiveStats } from './live-capture.js';
export { loadBinding, LiveBindingError } from './binding.js';
export type { LiveBinding, Ring, RingOptions, RingStats } from './binding.js';
