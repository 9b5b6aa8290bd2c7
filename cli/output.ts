/**
 * Buffered line output to stdout. Lines are gathered into large writes, and
 * strings are written as latin1: event strings are decoded byte-per-char, so
 * this puts back exactly the bytes the capture held (as sinsp prints them).
 * A closed pipe (`scap read x | head`) ends the output quietly.
 */
export class LineOutput {
  /**
   * Lines gathered as one string (V8 joins them without copying) and
   * encoded once per flushChars: encoding each line into a buffer cost a
   * native call and a copy of the line per event, a tenth of printing them.
   */
  private pending = '';
  private closed = false;
  /** A write was refused since the last drain: the next `flush` waits. */
  private backlogged = false;
  /** The stream's error other than a closed pipe (a full disk): the next `flush` throws it. */
  private failure: Error | undefined = undefined;
  /** Ends the wait of a `flush` for a drain that a failed stream will never emit. */
  private wake: (() => void) | undefined = undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout, private readonly flushChars = 1 << 16) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else this.failure ??= new Error(`cannot write the output: ${err.message}`);
      this.wake?.();
    });
  }

  /** True once the reader of our output has gone away. */
  get isClosed(): boolean { return this.closed; }

  line(text: string): void {
    this.pending += text;
    this.pending += '\n';
    if (this.pending.length >= this.flushChars) this.flushSync();
  }

  /** Text without a line end (a piece of a line `line` ends). */
  text(piece: string): void {
    this.pending += piece;
    if (this.pending.length >= this.flushChars) this.flushSync();
  }

  /** Writes what is gathered; resolves when the stream has taken it (backpressure). */
  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) return;
    if (this.pending.length > 0 && !this.stream.write(this.take())) this.backlogged = true;
    if (this.backlogged && !this.closed && this.failure === undefined) {
      // After EPIPE or ENOSPC no drain comes: the error ends the wait too
      // (a live capture piped to head otherwise ran on, driver loaded).
      await new Promise<void>((resolve) => {
        const done = (): void => { this.stream.off('drain', done); this.wake = undefined; resolve(); };
        this.wake = done;
        this.stream.once('drain', done);
      });
      this.backlogged = false;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private flushSync(): void {
    if (this.closed || this.failure !== undefined) { this.pending = ''; return; }
    if (!this.stream.write(this.take())) this.backlogged = true;
  }

  /** The bytes gathered, one per char (latin1), and a fresh start. */
  private take(): Buffer {
    const out = Buffer.from(this.pending, 'latin1');
    this.pending = '';
    return out;
  }
}
