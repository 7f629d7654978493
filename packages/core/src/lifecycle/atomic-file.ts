import { mkdirSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../fs/atomic-write.js';

/**
 * Writes `data` to `path` atomically: a unique temp file beside it, then rename over the target (readers see
 * the old or the new file, never half of one, even if this process dies). With `durable`, fsync before the
 * rename so the data also survives a power loss (costs ~10-20 ms). Creates the parent directory.
 */
export async function writeFileAtomic(path: string, data: string, options: { mode?: number; durable?: boolean } = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, data, { mode: options.mode ?? 0o600, fsync: options.durable ?? false });
}

/** Writes pretty JSON (readable with jq) atomically. */
export async function writeJsonAtomic(path: string, value: unknown, durable = false): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { durable });
}

/** Appends one line and fsyncs before resolving. */
export async function appendLineDurable(path: string, line: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.writeFile(`${line}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a JSON file; `null` when it does not exist. Throws on other errors (including bad JSON). */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return JSON.parse(text) as unknown;
}
