import type { Capture } from '../scapfile/open-capture.js';

/**
 * A one-line progress display on stderr for long commands: rows written,
 * input read (a percentage when the input is an uncompressed file of known
 * size), rate. Redrawn at most 5 times a second; nothing when disabled.
 */
export class Progress {
  private last = 0;
  private readonly start = Date.now();
  private drawn = false;

  constructor(private readonly capture: Capture, private readonly enabled: boolean) {}

  update(rows: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const read = this.capture.stats.bytesRead;
    const total = this.capture.info.compression === 'none' ? this.capture.info.fileBytes : undefined;
    const seconds = Math.max((now - this.start) / 1000, 0.001);
    const share = total ? ` ${Math.min(100, (100 * read) / total).toFixed(0)}%` : '';
    process.stderr.write(`\r\x1b[Kscap:${share} ${(read / 1e6).toFixed(0)} MB read, ${rows} rows, ${Math.round(rows / seconds)} rows/s`);
    this.drawn = true;
  }

  /** Clears the line, so that what follows starts clean. */
  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
