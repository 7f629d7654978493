import type { FileHandle } from 'node:fs/promises';

/** Default cap on one JSONL line: longer lines are skipped without being buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const CHUNK = 1024 * 1024;
const NL = 0x0a;

/** What a line scan reports for each complete line; `bytes` is only valid during the callback. */
export type LineEvent = { kind: 'line'; bytes: Buffer } | { kind: 'too-long' };

/** Scan state that survives between reads: inside an over-long line whose end has not been seen yet. */
export interface LineScanState {
  skippingLongLine: boolean;
}

/**
 * Reads complete `\n`-terminated lines from `handle` between `from` and `end`, calling `onLine` for each.
 * A last line without `\n` is not consumed: the returned offset is its start, so the next scan re-reads it.
 * A line longer than `maxLineBytes` is reported once as `too-long` and its bytes are dropped as they stream
 * by; if its end is not reached yet, the scan consumes what it saw and remembers (in `state`) to drop the
 * rest up to the next `\n` on the next scan, so a huge line is never buffered or re-read.
 */
export async function scanLines(
  handle: FileHandle,
  from: number,
  end: number,
  maxLineBytes: number,
  state: LineScanState,
  onLine: (event: LineEvent) => void,
): Promise<number> {
  let pos = from;
  let consumed = from;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end - from)));
  while (pos < end) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    let start = 0;
    while (start < bytesRead) {
      const nl = buf.indexOf(NL, start);
      const stop = nl === -1 || nl >= bytesRead ? bytesRead : nl;
      if (state.skippingLongLine) {
        if (stop < bytesRead) {
          state.skippingLongLine = false;
          consumed = pos + stop + 1;
        } else {
          consumed = pos + bytesRead;
        }
      } else if (pendingLen + (stop - start) > maxLineBytes) {
        pending = [];
        pendingLen = 0;
        onLine({ kind: 'too-long' });
        if (stop < bytesRead) {
          consumed = pos + stop + 1;
        } else {
          state.skippingLongLine = true;
          consumed = pos + bytesRead;
        }
      } else if (stop < bytesRead) {
        // A line inside the chunk is passed as a view (valid until `onLine` returns); a spanning one is joined.
        const piece = buf.subarray(start, stop);
        const line = pendingLen === 0 ? piece : Buffer.concat([...pending, piece], pendingLen + piece.length);
        pending = [];
        pendingLen = 0;
        consumed = pos + stop + 1;
        onLine({ kind: 'line', bytes: line });
      } else {
        const piece = Buffer.from(buf.subarray(start, bytesRead));
        pending.push(piece);
        pendingLen += piece.length;
      }
      start = stop + 1;
    }
    pos += bytesRead;
  }
  return consumed;
}
