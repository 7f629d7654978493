import type { FileHandle } from 'node:fs/promises';

/** State of the splitter that must survive between reads. */
export interface LineSplitterState {
  /** True while the rest of an over-long line is being skipped (it was already counted). */
  discarding: boolean;
}

/** What `splitLines` reports. */
export interface SplitResult {
  /** Offset to resume from: the start of a torn last line, or the end when an over-long line is being skipped. */
  nextOffset: number;
  /** Bytes read from the file. */
  bytesRead: number;
}

/**
 * Reads `handle` from `fromOffset` to its current end and calls `onLine` for every complete line (without the
 * `\n`; a trailing `\r` is kept for the caller). Only `\n` splits lines, so a split in the middle of a multi-byte
 * UTF-8 character is impossible. A last line without `\n` is not consumed: `nextOffset` stays at its start.
 * A line longer than `maxLineBytes` is reported once through `onTooLong` and skipped without being buffered;
 * when it is still torn at the end, its bytes are consumed and `state.discarding` stays set so the next read skips
 * the rest of it.
 */
export async function splitLines(
  handle: FileHandle,
  fromOffset: number,
  state: LineSplitterState,
  options: { maxLineBytes: number; chunkBytes: number },
  onLine: (line: Buffer, offset: number) => void,
  onTooLong: (offset: number) => void,
): Promise<SplitResult> {
  const buf = Buffer.allocUnsafe(options.chunkBytes);
  let pos = fromOffset;
  let lineStart = fromOffset;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let bytesRead = 0;
  for (;;) {
    const { bytesRead: n } = await handle.read(buf, 0, buf.length, pos);
    if (n === 0) break;
    bytesRead += n;
    const chunk = buf.subarray(0, n);
    let i = 0;
    while (i < n) {
      const nl = chunk.indexOf(10, i);
      if (nl === -1) {
        if (!state.discarding) {
          const len = n - i;
          if (pendingLen + len > options.maxLineBytes) {
            state.discarding = true;
            onTooLong(lineStart);
            pending = [];
            pendingLen = 0;
          } else {
            pending.push(Buffer.from(chunk.subarray(i)));
            pendingLen += len;
          }
        }
        break;
      }
      if (state.discarding) {
        state.discarding = false;
      } else if (pendingLen + (nl - i) > options.maxLineBytes) {
        onTooLong(lineStart);
      } else {
        const part = chunk.subarray(i, nl);
        onLine(pendingLen === 0 ? part : Buffer.concat([...pending, part]), lineStart);
      }
      pending = [];
      pendingLen = 0;
      i = nl + 1;
      lineStart = pos + i;
    }
    pos += n;
  }
  return { nextOffset: state.discarding ? pos : lineStart, bytesRead };
}
