import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueSuffix, writeFileAtomicSync, writeTempFileSync } from './atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'agentmux-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic writes', () => {
  it('replaces a file whole and leaves no temp file behind', () => {
    const path = join(dir, 'state.json');
    writeFileSync(path, 'old');
    writeFileAtomicSync(path, '{"v":2}\n', { fsync: true });
    expect(readFileSync(path, 'utf8')).toBe('{"v":2}\n');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('gives a new file the requested mode, and a failed rename removes its temp file', () => {
    const path = join(dir, 'hook.sh');
    writeFileAtomicSync(path, '#!/bin/sh\n', { mode: 0o700 });
    expect(statSync(path).mode & 0o777).toBe(0o700 & ~process.umask());
    const target = join(dir, 'a-directory');
    mkdirSync(join(target, 'inside'), { recursive: true }); // renaming a file over a directory fails
    expect(() => writeFileAtomicSync(target, 'x')).toThrow();
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('names temp files uniquely per call', () => {
    const a = writeTempFileSync(join(dir, 't'), 'a');
    const b = writeTempFileSync(join(dir, 't'), 'b');
    expect(a).not.toBe(b);
    expect(readFileSync(b, 'utf8')).toBe('b');
    expect(uniqueSuffix()).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}-[0-9a-z]+$`));
    rmSync(a);
    rmSync(b);
  });
});
