import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where transcript lines go. `write` takes one record line without its trailing newline. */
export interface LineSink {
  write(line: string): void;
  close(): void;
}

/** Opens a sink for a file path. */
export type SinkFactory = (path: string) => LineSink;

/**
 * The live-CLI way: one `appendFileSync` per record line (the directory is created on the first line);
 * the file is never rewritten.
 */
export const appendSinkFactory: SinkFactory = (path) => {
  let ready = false;
  return {
    write(line) {
      if (!ready) {
        mkdirSync(dirname(path), { recursive: true });
        ready = true;
      }
      appendFileSync(path, `${line}\n`);
    },
    close() {},
  };
};

/**
 * The bulk way (corpus generator): lines are buffered and written in large chunks (memory stays bounded by
 * `chunkChars`); with `fsync` the file is fsynced on close.
 */
export function bufferedSinkFactory(options: { chunkChars?: number; fsync?: boolean } = {}): SinkFactory {
  const chunkChars = options.chunkChars ?? 1 << 20;
  return (path) => {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a');
    let parts: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (parts.length === 0) return;
      writeSync(fd, parts.join(''));
      parts = [];
      size = 0;
    };
    return {
      write(line) {
        parts.push(line, '\n');
        size += line.length + 1;
        if (size >= chunkChars) flush();
      },
      close() {
        flush();
        if (options.fsync) fsyncSync(fd);
        closeSync(fd);
      },
    };
  };
}
