/**
 * Keeps the most recent output up to a byte limit (default 1 MiB). Old chunks are dropped whole from the
 * front; a single chunk larger than the limit keeps only its tail.
 */
export class OutputRingBuffer {
  private chunks: string[] = [];
  private bytes = 0;
  /** Total bytes ever written, including dropped ones. */
  private written = 0;

  constructor(readonly limitBytes = 1024 * 1024) {
    if (!Number.isInteger(limitBytes) || limitBytes <= 0) throw new RangeError(`ring buffer limit must be a positive integer, got ${limitBytes}`);
  }

  /** Appends text. */
  push(text: string): void {
    let chunk = text;
    let size = Buffer.byteLength(chunk);
    this.written += size;
    if (size > this.limitBytes) {
      chunk = Buffer.from(chunk).subarray(size - this.limitBytes).toString('utf8');
      size = Buffer.byteLength(chunk);
      this.chunks = [];
      this.bytes = 0;
    }
    this.chunks.push(chunk);
    this.bytes += size;
    while (this.bytes > this.limitBytes && this.chunks.length > 1) {
      const dropped = this.chunks.shift() as string;
      this.bytes -= Buffer.byteLength(dropped);
    }
  }

  /** Bytes currently held. */
  get size(): number {
    return this.bytes;
  }

  /** Bytes ever pushed. */
  get totalWritten(): number {
    return this.written;
  }

  /** The held text (at most `limitBytes`). */
  toString(): string {
    return this.chunks.join('');
  }

  /** The last `lines` lines of held text. */
  lastLines(lines: number): string[] {
    const all = this.toString().split(/\r?\n/);
    return all.slice(Math.max(0, all.length - lines));
  }
}
