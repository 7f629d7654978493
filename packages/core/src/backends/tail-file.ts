import { open } from 'node:fs/promises';

/** Options of {@link tailFile}. */
export interface TailOptions {
  /** Stops the stream. */
  signal?: AbortSignal | undefined;
  /** Polled after each idle read; the stream ends (after a final read) once it resolves true. */
  until?: () => Promise<boolean>;
  /** Start offset; default: the current end of the file (output from now on). */
  fromOffset?: number;
  /** Poll interval in ms (default 50). */
  pollMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/** Yields text appended to `path` from now on, decoding UTF-8 across reads, until stopped. */
export async function* tailFile(path: string, options: TailOptions = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  const handle = await open(path, 'r');
  try {
    let offset = options.fromOffset ?? (await handle.stat()).size;
    const buf = Buffer.alloc(64 * 1024);
    let finishing = false;
    while (!options.signal?.aborted) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      if (bytesRead > 0) {
        offset += bytesRead;
        const text = decoder.decode(buf.subarray(0, bytesRead), { stream: true });
        if (text) yield text;
        continue;
      }
      if (finishing) break;
      if (options.until && (await options.until())) {
        finishing = true;
        continue;
      }
      await sleep(options.pollMs ?? 50, options.signal);
    }
  } finally {
    await handle.close();
  }
}
