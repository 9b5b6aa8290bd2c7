/**
 * Buffered line output to stdout. Lines are gathered into large writes, and
 * strings are written as latin1: event strings are decoded byte-per-char, so
 * this puts back exactly the bytes the capture held (as sinsp prints them).
 * A closed pipe (`scap read x | head`) ends the output quietly.
 */
export class LineOutput {
  /** Lines are encoded into this as they come; a full one is written and replaced. */
  private buf: Buffer;
  private used = 0;
  private closed = false;
  /** A write was refused since the last drain: the next `flush` waits. */
  private backlogged = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout, private readonly flushChars = 1 << 16) {
    this.buf = Buffer.allocUnsafe(flushChars);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') { this.closed = true; return; }
      throw err;
    });
  }

  /** True once the reader of our output has gone away. */
  get isClosed(): boolean { return this.closed; }

  line(text: string): void {
    // Encoded one line at a time: joining a batch of lines first built a
    // second copy of every line, and was a sixth of printing events.
    if (this.used + text.length + 1 > this.buf.length) {
      this.flushSync();
      if (text.length + 1 > this.buf.length) this.buf = Buffer.allocUnsafe(text.length + 1);
    }
    this.used += this.buf.write(text, this.used, 'latin1');
    this.buf[this.used++] = 0x0a;
  }

  /** Writes what is gathered; resolves when the stream has taken it (backpressure). */
  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.used > 0 && !this.stream.write(this.take())) this.backlogged = true;
    if (this.backlogged && !this.closed) {
      await new Promise<void>((r) => this.stream.once('drain', () => r()));
      this.backlogged = false;
    }
  }

  private flushSync(): void {
    if (this.closed) { this.used = 0; return; }
    if (!this.stream.write(this.take())) this.backlogged = true;
  }

  /** The bytes gathered; the stream keeps them, so a fresh buffer takes their place. */
  private take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(Math.max(this.flushChars, 1 << 16));
    this.used = 0;
    return out;
  }
}
