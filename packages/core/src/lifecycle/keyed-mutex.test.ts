import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and other keys in parallel', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const a1 = mutex.run('a', async () => { log.push('a1 start'); await gate; log.push('a1 end'); });
    const a2 = mutex.run('a', async () => { log.push('a2'); });
    const b1 = mutex.run('b', async () => { log.push('b1'); });
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    expect(mutex.isBusy('a')).toBe(true);
    release();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('keeps going after a task fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 42)).resolves.toBe(42);
  });
});
