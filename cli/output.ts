/**
 * Buffered line output to stdout. Lines are gathered into large writes, and
 * strings are written as latin1: event strings are decoded byte-per-char, so
 * this puts back exactly the bytes the capture held (as sinsp prints them).
 * A closed pipe (`scap read x | head`) ends the output quietly.
 */
export class LineOutput {
  private pending: string[] = [];
  private pendingChars = 0;
  private closed = false;
  /** A write was refused since the last drain: the next `flush` waits. */
  private backlogged = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout, private readonly flushChars = 1 << 16) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') { this.closed = true; return; }
      throw err;
    });
  }

  /** True once the reader of our output has gone away. */
  get isClosed(): boolean { return this.closed; }

  line(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length + 1;
    if (this.pendingChars >= this.flushChars) this.flushSync();
  }

  /** Writes what is gathered; resolves when the stream has taken it (backpressure). */
  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0 && !this.stream.write(this.take())) this.backlogged = true;
    if (this.backlogged && !this.closed) {
      await new Promise<void>((r) => this.stream.once('drain', () => r()));
      this.backlogged = false;
    }
  }

  private flushSync(): void {
    if (this.closed) { this.pending = []; this.pendingChars = 0; return; }
    if (!this.stream.write(this.take())) this.backlogged = true;
  }

  private take(): Buffer {
    const buf = Buffer.from(this.pending.join('\n') + '\n', 'latin1');
    this.pending = [];
    this.pendingChars = 0;
    return buf;
  }
}
