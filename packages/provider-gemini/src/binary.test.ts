import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGeminiBinary, parseVersion } from './binary.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gemini-bin-'));
  await mkdir(join(dir, 'a'));
  await mkdir(join(dir, 'b'));
  await mkdir(join(dir, 'c'));
  await writeFile(join(dir, 'a', 'gemini'), 'not executable');
  await writeFile(join(dir, 'b', 'gemini'), '#!/bin/sh\necho "0.18.4"\n');
  await chmod(join(dir, 'b', 'gemini'), 0o755);
  await writeFile(join(dir, 'c', 'gemini'), '#!/bin/sh\necho "boom" >&2\nexit 3\n');
  await chmod(join(dir, 'c', 'gemini'), 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findGeminiBinary', () => {
  it('walks env.PATH, skipping non-executables, and reads the version', async () => {
    const env = { PATH: [join(dir, 'missing'), 'relative/dir', join(dir, 'a'), join(dir, 'b'), '/usr/bin', '/bin'].join(':') };
    expect(await findGeminiBinary({ env })).toEqual({ path: join(dir, 'b', 'gemini'), version: '0.18.4' });
  });

  it('returns null when absent, and a null version when --version fails', async () => {
    expect(await findGeminiBinary({ env: { PATH: join(dir, 'a') } })).toBeNull();
    expect(await findGeminiBinary({ env: { PATH: `${join(dir, 'c')}:/usr/bin:/bin` } })).toEqual({ path: join(dir, 'c', 'gemini'), version: null });
  });

  it('uses an explicit binaryPath instead of PATH', async () => {
    expect((await findGeminiBinary({ binaryPath: join(dir, 'b', 'gemini'), env: { PATH: '/usr/bin:/bin' } }))?.path).toBe(join(dir, 'b', 'gemini'));
    expect(await findGeminiBinary({ binaryPath: join(dir, 'a', 'gemini'), env: { PATH: '' } })).toBeNull();
  });

  it('parses version output', () => {
    expect(parseVersion('0.9.0\n')).toBe('0.9.0');
    expect(parseVersion('gemini-cli version 0.18.0-nightly.20251120\n')).toBe('0.18.0-nightly.20251120');
    expect(parseVersion('\n')).toBeNull();
  });
});
