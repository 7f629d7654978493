import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCliBinary, firstOutputLine, whichExecutable } from './cli-binary.js';

const dir = mkdtempSync(join(tmpdir(), 'agentmux-cli-binary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(sub: string, name: string, body: string, mode = 0o755): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const path = join(dir, sub, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

describe('CLI binary lookup', () => {
  it('takes the first executable in PATH order, skipping non-executable files and relative entries', async () => {
    script('a', 'tool', 'echo a', 0o644);
    const b = script('b', 'tool', 'echo "tool 1.2.3"');
    script('c', 'tool', 'echo c');
    const PATH = ['relative/dir', join(dir, 'a'), join(dir, 'b'), join(dir, 'c')].join(':');
    expect(await whichExecutable('tool', { PATH })).toBe(b);
    expect(await findCliBinary({ name: 'tool', env: { PATH } })).toEqual({ path: b, version: 'tool 1.2.3' });
  });

  it('reads the version from stderr when stdout is empty, and gives null for a failing --version', async () => {
    const quiet = script('d', 'quiet', 'echo "quiet 0.46.0" >&2');
    const failing = script('d', 'failing', 'exit 3');
    expect(await findCliBinary({ name: 'x', binaryPath: quiet, env: {} })).toEqual({ path: quiet, version: 'quiet 0.46.0' });
    expect(await findCliBinary({ name: 'x', binaryPath: failing, env: {} })).toEqual({ path: failing, version: null });
    expect(await findCliBinary({ name: 'x', binaryPath: join(dir, 'missing'), env: { PATH: join(dir, 'b') } })).toBeNull();
  });

  it('picks the first non-empty output line', () => {
    expect(firstOutputLine('\n  \n v1 \nv2')).toBe('v1');
    expect(firstOutputLine('', 'err 2\n')).toBe('err 2');
    expect(firstOutputLine('', '')).toBeNull();
  });
});
